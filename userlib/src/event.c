/*
 * event.c - the event thread: one per process, reading the events of the
 * process's registrations and calling their callbacks (spec part 1, 2.10
 * P3 and 5.1; part 2, 2.15).
 *
 * The kernel queues events on the registration's file: entity registered
 * and deregistered, route expired, change notification, and the method
 * calls relayed from other processes (struct rtm_event, <linux/rtm.h>).
 * The thread is started by the first registration that needs it (one with
 * an EventCallback, which gets events, or with exported methods, which
 * get relayed calls) and then lives as long as the process; it waits in
 * epoll on the files of those registrations and on an eventfd by which
 * the other threads wake it.  It holds a pin on each registration it
 * polls, so a file is never closed under it; it lets go when the kernel
 * reports the end of the registration (read() returns 0, or fails) or when
 * RtmDeregisterEntity asks it to.
 *
 * Dispatch, per event:
 *   entity registered/deregistered: callback(handle, type, entity, &info),
 *     then the reference the kernel booked to this registration for the
 *     event is given back (spec 5.1: none is transferred to the callee);
 *   route expired: Context1 is the route handle, whose reference now
 *     belongs to the callback, Context2 the route's shadow RTM_ROUTE_INFO
 *     refreshed from the kernel; if the callback returns
 *     ERROR_NOT_SUPPORTED (or cannot be called) RTM_IOC_EXPIRE_DONE deletes
 *     the route unless it was re-armed, and consumes the reference;
 *   change notification: callback(handle, type, notify handle, context),
 *     for notification registrations that still exist;
 *   method call: method.c runs the methods and replies.
 *
 * Callbacks of one registration are serialised by its cb_lock, held
 * while one runs; RtmDeregisterEntity and RtmDeregisterFromChange-
 * Notification take it to wait for a running callback, except from
 * inside that callback (the thread-local lrtm_cb says which one the
 * thread is running).  lrtm_cb also makes the calls the documentation
 * forbids inside callbacks fail with ERROR_INVALID_PARAMETER instead of
 * deadlocking.
 *
 * fork(): the child has no event thread.  Its registrations are closed by
 * registry.c's handler; this one forgets the thread, the epoll set and the
 * pins (whose records leak in the child, like the registry's), and clears
 * the forking thread's callback and lock state.
 */
#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "internal.h"

__thread struct lrtm_cb_ctx lrtm_cb = { .type = -1, .reg = NULL };

#define EV_BATCH	16	/* events per read(2) */
#define EV_WAIT		16	/* ready files per epoll_wait(2) */

static struct {
	pthread_mutex_t lock;
	bool started;
	int epfd;
	int wakefd;
	struct lrtm_reg **regs;		/* polled, each pinned */
	size_t nregs, cap;
} ev = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.epfd = -1,
	.wakefd = -1,
};

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

bool lrtm_cb_lock(struct lrtm_reg *reg)
{
	if (lrtm_cb.type >= 0 && lrtm_cb.reg == reg)
		return false;
	pthread_mutex_lock(&reg->cb_lock);
	return true;
}

void lrtm_cb_unlock(struct lrtm_reg *reg, bool taken)
{
	if (taken)
		pthread_mutex_unlock(&reg->cb_lock);
}

/* ------------------------------------------------------------------ */
/* Dispatch.                                                            */
/* ------------------------------------------------------------------ */

/*
 * Runs @reg's callback for one event, serialised with its other
 * callbacks.  False if it did not run: no callback, the registration is
 * ending, or (change notification) the notification registration is gone.
 */
static bool call_back(struct lrtm_reg *reg, RTM_EVENT_TYPE type, void *c1,
		      void *c2, DWORD *ret)
{
	struct lrtm_cb_ctx saved = lrtm_cb;
	bool ran = false;

	pthread_mutex_lock(&reg->cb_lock);
	if (!reg->cb_closed && reg->callback &&
	    (type != RTM_CHANGE_NOTIFICATION ||
	     lrtm_notify_live(reg, lrtm_h2u(c1)))) {
		lrtm_cb.type = type;
		lrtm_cb.reg = reg;
		*ret = reg->callback(lrtm_u2h(reg->handle), type, c1, c2);
		lrtm_cb = saved;
		ran = true;
	}
	pthread_mutex_unlock(&reg->cb_lock);
	return ran;
}

static void entity_event(struct lrtm_reg *reg, const struct rtm_event *e)
{
	RTM_ENTITY_INFO info;
	struct lrtm_relbuf b;
	DWORD ret;

	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = e->info.instance;
	info.AddressFamily = e->info.family;
	info.EntityId.EntityId = e->info.entity_id;
	call_back(reg, e->type == RTM_EV_ENTITY_REGISTERED ?
		  RTM_ENTITY_REGISTERED : RTM_ENTITY_DEREGISTERED,
		  lrtm_u2h(e->handle), &info, &ret);
	/* The event's own reference; a failure changes nothing for anyone. */
	lrtm_relbuf_init(&b, reg);
	lrtm_relbuf_add(&b, lrtm_u2h(e->handle), RTM_HT_ENTITY);
	lrtm_relbuf_finish(&b);
}

static void expire_done(struct lrtm_reg *reg, uint64_t route)
{
	struct rtm_expire_done arg;

	memset(&arg, 0, sizeof(arg));
	arg.handle = route;
	lrtm_ioctl(reg->fd, RTM_IOC_EXPIRE_DONE, &arg);
}

/*
 * Without a record for Context2 (the route is already gone, or no memory
 * for its shadow) the callback cannot be given what the API promises;
 * the route then gets the default treatment, deletion, as for an owner
 * without a callback (spec 5.1), which also consumes the reference.
 */
static void route_expired(struct lrtm_reg *reg, const struct rtm_event *e)
{
	DWORD ret = ERROR_NOT_SUPPORTED;
	RTM_ROUTE_INFO *ri;

	if (!lrtm_route_peek(reg, e->handle, &ri) &&
	    !call_back(reg, RTM_ROUTE_EXPIRED, lrtm_u2h(e->handle), ri, &ret))
		ret = ERROR_NOT_SUPPORTED;
	if (ret == ERROR_NOT_SUPPORTED)
		expire_done(reg, e->handle);
}

static void deliver(struct lrtm_reg *reg, const struct rtm_event *e)
{
	DWORD ret;

	switch (e->type) {
	case RTM_EV_ENTITY_REGISTERED:
	case RTM_EV_ENTITY_DEREGISTERED:
		entity_event(reg, e);
		break;
	case RTM_EV_ROUTE_EXPIRED:
		route_expired(reg, e);
		break;
	case RTM_EV_CHANGE_NOTIFICATION:
		call_back(reg, RTM_CHANGE_NOTIFICATION, lrtm_u2h(e->handle),
			  lrtm_u2h(e->context), &ret);
		break;
	case RTM_EV_METHOD_CALL:
		lrtm_methods_relayed(reg, e->context, e->handle);
		break;
	default:
		/* A newer module's event this library does not know. */
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The thread.                                                          */
/* ------------------------------------------------------------------ */

/* Event thread only: stop polling @reg and drop the pin (ev.lock held). */
static void unpoll_locked(struct lrtm_reg *reg)
{
	size_t i;

	if (!reg->ev_polled)
		return;
	epoll_ctl(ev.epfd, EPOLL_CTL_DEL, reg->fd, NULL);
	reg->ev_polled = false;
	for (i = 0; i < ev.nregs; i++) {
		if (ev.regs[i] == reg) {
			ev.regs[i] = ev.regs[--ev.nregs];
			break;
		}
	}
	lrtm_reg_put(reg);
}

/*
 * Reads what is queued (at most EV_BATCH events, epoll comes back for
 * more) and delivers it.  Returns false when the registration has ended:
 * end of file, or a read error other than a signal.
 */
static bool drain(struct lrtm_reg *reg)
{
	struct rtm_event buf[EV_BATCH];
	ssize_t n;
	size_t i;

	n = read(reg->fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	for (i = 0; i < (size_t)n / sizeof(buf[0]); i++)
		deliver(reg, &buf[i]);
	return true;
}

/*
 * After a wake-up: drop the registrations RtmDeregisterEntity gave up and
 * run the method calls deferred while methods were blocked.
 */
static void housekeeping(void)
{
	struct lrtm_reg **todo;
	size_t i, n;

	pthread_mutex_lock(&ev.lock);
	for (i = 0; i < ev.nregs;) {
		struct lrtm_reg *reg = ev.regs[i];

		if (reg->ev_gone)
			unpoll_locked(reg);	/* moves the last one to i */
		else
			i++;
	}
	n = ev.nregs;
	todo = n ? malloc(n * sizeof(*todo)) : NULL;
	if (todo) {
		for (i = 0; i < n; i++) {
			todo[i] = ev.regs[i];
			atomic_fetch_add(&todo[i]->users, 1);
		}
	}
	pthread_mutex_unlock(&ev.lock);
	if (!todo)
		return;
	for (i = 0; i < n; i++) {
		lrtm_methods_run_deferred(todo[i]);
		lrtm_reg_put(todo[i]);
	}
	free(todo);
}

static void *event_thread(void *arg)
{
	struct epoll_event ready[EV_WAIT];
	uint64_t count;
	int i, n;

	(void)arg;
	for (;;) {
		bool woken = false;

		n = epoll_wait(ev.epfd, ready, EV_WAIT, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;		/* EBADF/EINVAL: nothing sane left */
		}
		/*
		 * A file appears at most once per batch, so dropping its
		 * registration while handling it cannot affect a later entry;
		 * drops asked by other threads wait for housekeeping().
		 */
		for (i = 0; i < n; i++) {
			struct lrtm_reg *reg = ready[i].data.ptr;

			if (!reg) {
				while (read(ev.wakefd, &count,
					    sizeof(count)) > 0)
					;
				woken = true;
				continue;
			}
			if (!drain(reg)) {
				pthread_mutex_lock(&ev.lock);
				unpoll_locked(reg);
				pthread_mutex_unlock(&ev.lock);
			}
		}
		if (woken)
			housekeeping();
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Starting, adding, forgetting; fork.                                  */
/* ------------------------------------------------------------------ */

static void atfork_prepare(void)
{
	pthread_mutex_lock(&ev.lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&ev.lock);
}

static void atfork_child(void)
{
	if (ev.epfd >= 0)
		close(ev.epfd);
	if (ev.wakefd >= 0)
		close(ev.wakefd);
	ev.epfd = -1;
	ev.wakefd = -1;
	ev.started = false;
	free(ev.regs);		/* the pins they held leak with the records */
	ev.regs = NULL;
	ev.nregs = 0;
	ev.cap = 0;
	lrtm_cb.type = -1;
	lrtm_cb.reg = NULL;
	lrtm_lock_forget_all();
	pthread_mutex_unlock(&ev.lock);
}

static void atfork_init(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/* ev.lock held. */
static int start_locked(void)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = NULL };
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t thread;
	int err;

	ev.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev.epfd < 0)
		return errno;
	ev.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ev.wakefd < 0 ||
	    epoll_ctl(ev.epfd, EPOLL_CTL_ADD, ev.wakefd, &e)) {
		err = errno;
		goto fail;
	}
	/* Signals are for the program's threads, never this one. */
	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, &attr, event_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		goto fail;
	ev.started = true;
	return 0;
fail:
	if (ev.wakefd >= 0)
		close(ev.wakefd);
	close(ev.epfd);
	ev.wakefd = -1;
	ev.epfd = -1;
	return err;
}

int lrtm_event_add(struct lrtm_reg *reg)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = reg };
	int err = 0;

	pthread_once(&atfork_once, atfork_init);
	pthread_mutex_lock(&ev.lock);
	if (!ev.started) {
		err = start_locked();
		if (err)
			goto out;
	}
	if (ev.nregs == ev.cap) {
		size_t ncap = ev.cap ? ev.cap * 2 : 8;
		struct lrtm_reg **n = realloc(ev.regs, ncap * sizeof(*n));

		if (!n) {
			err = ENOMEM;
			goto out;
		}
		ev.regs = n;
		ev.cap = ncap;
	}
	/* Deregistered already by another thread: nothing to poll. */
	if (reg->ev_gone)
		goto out;
	if (epoll_ctl(ev.epfd, EPOLL_CTL_ADD, reg->fd, &e)) {
		err = errno;
		goto out;
	}
	atomic_fetch_add(&reg->users, 1);	/* the thread's pin */
	reg->ev_polled = true;
	ev.regs[ev.nregs++] = reg;
out:
	pthread_mutex_unlock(&ev.lock);
	return err;
}

void lrtm_event_kick(void)
{
	uint64_t one = 1;

	pthread_mutex_lock(&ev.lock);
	if (ev.started && write(ev.wakefd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, a wake-up is pending. */
	}
	pthread_mutex_unlock(&ev.lock);
}

/*
 * The kernel also reports the end of the registration on the file (end
 * of file), so this is belt and braces: whichever comes first drops it.
 */
void lrtm_event_forget(struct lrtm_reg *reg)
{
	bool kick;

	pthread_mutex_lock(&ev.lock);
	kick = reg->ev_polled;
	reg->ev_gone = true;
	pthread_mutex_unlock(&ev.lock);
	if (kick)
		lrtm_event_kick();
}
