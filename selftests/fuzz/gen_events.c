// SPDX-License-Identifier: GPL-2.0
/*
 * gen_events.c - rtm-fuzz: the events of the files, read(2) and poll(2).
 *
 * Mostly an event loop: poll(2) every open file (no wait, or 1-2 ms),
 * then read(2) one that is ready, with room for 1 to 32 records.  Blocking
 * reads go to ready files only (nothing else in the process reads a file,
 * so what poll saw is still there); the other reads set O_NONBLOCK first
 * (EAGAIN).  Now and then the size is short, odd or huge and the buffer
 * NULL, unmapped, read-only, misaligned or straddling the end of a
 * mapping: a record that cannot be copied stays queued.
 *
 * Every record read is checked (type, reserved bytes, the table of entity
 * events) and acted on as librtm's event thread would, with some
 * variations: the reference an entity or expiry event carries is given
 * back at once, kept in the pool (released later, or left to the close),
 * or, for expiry, consumed by EXPIRE_DONE (gen_timer.c); a change
 * notification is drained by NOTIFY_GET (gen_notify.c) now or later; a
 * method call is answered, queued, ignored, or its callee file closed
 * (gen_method.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "fuzz.h"

#define EVSZ	sizeof(struct rtm_event)
#define MAXEV	32			/* records per good read */
#define MAXREC	(PAGE / EVSZ)		/* records a spilling buffer takes */

static int close_later[NSLOT];

/* Close file @s once the current call is done (not under the caller). */
void slot_close_later(int s)
{
	close_later[s] = 1;
}

void slots_close_pending(void)
{
	int s;

	for (s = 0; s < NSLOT; s++) {
		if (!close_later[s])
			continue;
		close_later[s] = 0;
		slot_reopen(s, s ? pct(90) : pct(20));
	}
}

static void entity_event(int s, const struct rtm_event *ev)
{
	const struct slot *sl = &slots[s];

	if (RTM_HANDLE_TYPE(ev->handle) != RTM_HT_ENTITY)
		anomaly("entity event %u with handle %#llx", ev->type,
			(unsigned long long)ev->handle);
	if (sl->state == S_REG && (ev->info.instance != sl->instance ||
				   ev->info.family != sl->family))
		anomaly("entity event of table (%u, %u) read from a file of "
			"(%u, %u)", ev->info.instance, ev->info.family,
			sl->instance, sl->family);
	/* One reference booked to us: given back now, or kept. */
	st->ev_refs++;
	if (pct(35)) {
		pend_push(s, ev->handle, RTM_HT_ENTITY);
		st->ev_released++;
	} else {
		pool_add(T_ENTITY, ev->handle, s, F_REF);
	}
}

static void on_event(int s, const struct rtm_event *ev)
{
	static const uint64_t zero[3];

	st->events[ev->type < RTM_EV_MAX ? ev->type : RTM_EV_MAX]++;
	st->ev_lost += ev->lost;
	if (memcmp(ev->reserved, zero, sizeof(zero)))
		anomaly("event of type %u with reserved bytes set", ev->type);
	switch (ev->type) {
	case RTM_EV_ENTITY_REGISTERED:
	case RTM_EV_ENTITY_DEREGISTERED:
		entity_event(s, ev);
		break;
	case RTM_EV_ROUTE_EXPIRED:
		if (RTM_HANDLE_TYPE(ev->handle) != RTM_HT_ROUTE) {
			anomaly("expiry event with handle %#llx",
				(unsigned long long)ev->handle);
			break;
		}
		st->ev_refs++;
		route_expired(s, ev->handle);
		break;
	case RTM_EV_CHANGE_NOTIFICATION:
		if (RTM_HANDLE_TYPE(ev->handle) != RTM_HT_NOTIFY)
			anomaly("change notification with handle %#llx",
				(unsigned long long)ev->handle);
		notify_signalled(s, ev->handle);
		break;
	case RTM_EV_METHOD_CALL:
		if (RTM_HANDLE_TYPE(ev->handle) != RTM_HT_ENTITY || !ev->context)
			anomaly("method call %llu from %#llx",
				(unsigned long long)ev->context,
				(unsigned long long)ev->handle);
		method_call_seen(s, ev->context, ev->handle);
		break;
	default:
		anomaly("event of unknown type %u", ev->type);
		break;
	}
}

static void set_nonblock(int s, int on)
{
	struct slot *sl = &slots[s];

	if (sl->nonblock == on)
		return;
	if (!fcntl(sl->fd, F_SETFL, O_RDWR | (on ? O_NONBLOCK : 0)))
		sl->nonblock = on;
}

/* Places the kernel can write to, where records read can be parsed. */
static int writable(int k)
{
	return k == P_OK || k == P_MISALIGNED || k == P_SPILL_HOLE ||
	       k == P_SPILL_RO;
}

/* Places no byte can be written to. */
static int unwritable(int k)
{
	return k == P_NULL || k == P_HOLE || k == P_RO || k == P_NONE ||
	       k == P_KERNEL || k == P_NONCANON;
}

/*
 * One read(2) of file @s.  @ready: poll said so, or O_NONBLOCK is set,
 * so that the read cannot block; otherwise only sizes it rejects first.
 */
static void read_events(int s, int ready)
{
	static struct rtm_event evs[MAXREC];
	uint32_t nrec = pct(30) ? 1 : 1 + rn(MAXEV);
	size_t len = nrec * EVSZ;
	int k = pick_place(60);
	uint64_t p, t0;
	ssize_t r;
	int err, i, n;

	if (FZ(80) || !ready) {
		switch (rn(5)) {
		case 0: len = 0; break;
		case 1: len = 1 + rn(EVSZ - 1); break;		/* short */
		case 2: len = EVSZ - 1; break;
		default: len += 1 + rn(EVSZ - 1); break;	/* odd */
		}
		if (!ready && len >= EVSZ)
			len = rn(EVSZ);
	}
	/* A huge size: only where nothing, or one page, can be written. */
	if (ready && !(k == P_OK || k == P_MISALIGNED) && pct(25))
		len = pct(50) ? (size_t)1 << (16 + rn(15)) :
				(size_t)-1 - rn(100);
	p = put_nested(NULL, 0, len <= MAXEV * EVSZ + EVSZ ? len : PAGE, k,
		       NULL);
	t0 = opt.timing ? now_ns() : 0;
	r = read(slots[s].fd, (void *)(uintptr_t)p, len);
	err = r < 0 ? errno : 0;
	account(C_READ, s, 0, k, err, opt.timing ? now_ns() - t0 : 0);
	if (r <= 0)
		return;
	if (r % EVSZ || (size_t)r > len) {
		anomaly("read of %zu bytes returned %zd", len, r);
		return;
	}
	if (unwritable(k)) {
		anomaly("read into an unwritable buffer (%d) returned %zd", k,
			r);
		return;
	}
	if (!writable(k))
		return;	/* top of user space, low, random: cannot look */
	n = r / EVSZ;
	if (n > (int)MAXREC)
		n = MAXREC;
	/* Copy them out first: acting on them reuses the buffers. */
	memcpy(evs, (void *)(uintptr_t)p, n * EVSZ);
	for (i = 0; i < n; i++)
		on_event(s, &evs[i]);
}

/* Poll every open file; returns the number ready, their slots in @ready. */
static int poll_files(int s0, int *ready)
{
	struct pollfd pfd[NSLOT];
	int map[NSLOT], n = 0, nready = 0, r, i, s, err;
	int timeout = pct(95) ? 0 : 1 + rn(2);
	uint64_t t0;

	for (s = 0; s < NSLOT; s++) {
		if (slots[s].fd < 0)
			continue;
		pfd[n].fd = slots[s].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		map[n++] = s;
	}
	t0 = opt.timing ? now_ns() : 0;
	r = poll(pfd, n, timeout);
	err = r < 0 ? errno : 0;
	account(C_POLL, s0, 0, P_OK, err, opt.timing ? now_ns() - t0 : 0);
	for (i = 0; r > 0 && i < n; i++)
		if (pfd[i].revents & (POLLIN | POLLHUP))
			ready[nready++] = map[i];
	return nready;
}

void g_read(struct callctx *c)
{
	int ready[NSLOT], nready, s;

	if (pct(15)) {
		/* Any file, maybe with nothing queued: O_NONBLOCK. */
		s = c->s;
		set_nonblock(s, 1);
		read_events(s, slots[s].nonblock);
		if (pct(30))
			set_nonblock(s, 0);
		return;
	}
	nready = poll_files(c->s, ready);
	if (!nready) {
		if (pct(10))	/* a bad size: refused before any wait */
			read_events(c->s, 0);
		return;
	}
	s = ready[rn(nready)];
	read_events(s, 1);
	/* Busy files: drain a little more. */
	while (pct(40) && (nready = poll_files(s, ready)))
		read_events(ready[rn(nready)], 1);
}
