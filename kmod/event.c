// SPDX-License-Identifier: GPL-2.0
/*
 * Events of a registration, read(2) from its file: entity registered and
 * deregistered, route expired, change notification, method call.
 *
 * The queue never blocks the kernel or other clients: queueing only
 * allocates a small record (GFP_KERNEL_ACCOUNT, charged to the sender's
 * memcg... and bounded).  Change notifications are edge-triggered, so at
 * most one per notification registration is queued, and a route has at
 * most one expiry pending; entity events past rtm_max_events are dropped
 * and the next event delivered says how many were lost.
 */
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include "rtm.h"

struct rtm_event_rec {
	struct list_head node;
	struct rtm_event ev;
};

void rtm_events_init(struct rtm_reg *reg)
{
	spin_lock_init(&reg->ev_lock);
	INIT_LIST_HEAD(&reg->events);
	init_waitqueue_head(&reg->ev_wait);
}

/*
 * Queue @ev for @reg.  @bounded events (entity events) are dropped past
 * the bound and counted.  Returns 0 or -ENOMEM / -ENOSPC (dropped).
 */
int rtm_event_queue(struct rtm_reg *reg, const struct rtm_event *ev,
		    bool bounded)
{
	struct rtm_event_rec *rec;

	if (bounded && READ_ONCE(reg->nevents) >= rtm_max_events) {
		spin_lock(&reg->ev_lock);
		reg->lost++;
		spin_unlock(&reg->ev_lock);
		return -ENOSPC;
	}
	rec = rtm_kzalloc(sizeof(*rec));
	if (!rec) {
		if (bounded) {
			spin_lock(&reg->ev_lock);
			reg->lost++;
			spin_unlock(&reg->ev_lock);
		}
		return -ENOMEM;
	}
	rec->ev = *ev;
	spin_lock(&reg->ev_lock);
	/*
	 * Teardown flushes the queue before it has stopped every source
	 * (notifications, expiry of its routes): what comes after is dropped,
	 * and the caller gives back the reference the event would carry.
	 */
	if (reg->ev_closed) {
		spin_unlock(&reg->ev_lock);
		kfree(rec);
		return -ESHUTDOWN;
	}
	list_add_tail(&rec->node, &reg->events);
	reg->nevents++;
	spin_unlock(&reg->ev_lock);
	wake_up_interruptible_poll(&reg->ev_wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

/* Entity events go to every other entity of the table that asked. */
void rtm_event_entity(struct rtm_table *t, struct rtm_entity *e, u32 type)
{
	struct rtm_event ev = {
		.type = type,
		.handle = rtm_obj_handle(&e->obj),
		.info = {
			.instance = t->instance,
			.family = t->family,
			.entity_id = e->entity_id,
		},
	};
	struct rtm_entity *other;

	lockdep_assert_held(&t->lock);
	list_for_each_entry(other, &t->entities, node) {
		struct rtm_reg *to = other->reg;

		if (other == e || !to || !to->want_events)
			continue;
		/*
		 * The event carries a reference booked to the receiver, so
		 * the handle is valid while its callback runs; librtm gives
		 * it back afterwards.
		 */
		rtm_obj_hold(&e->obj);
		if (rtm_ref_book(to, &e->obj)) {
			rtm_obj_put(&e->obj);
			spin_lock(&to->ev_lock);
			to->lost++;
			spin_unlock(&to->ev_lock);
			continue;
		}
		if (rtm_event_queue(to, &ev, true))
			rtm_ref_drop(to, &e->obj);	/* puts the booked one */
	}
}

/* Teardown: drop what was never read (expiry references are booked). */
void rtm_events_flush(struct rtm_reg *reg)
{
	struct rtm_event_rec *rec, *tmp;
	LIST_HEAD(list);

	spin_lock(&reg->ev_lock);
	list_splice_init(&reg->events, &list);
	reg->nevents = 0;
	reg->ev_closed = true;
	spin_unlock(&reg->ev_lock);
	list_for_each_entry_safe(rec, tmp, &list, node)
		kfree(rec);
	wake_up_interruptible_poll(&reg->ev_wait, EPOLLHUP);
}

ssize_t rtm_events_read(struct rtm_reg *reg, char __user *buf, size_t len,
			bool nonblock)
{
	struct rtm_event_rec *rec;
	size_t done = 0;
	int ret;

	if (len < sizeof(struct rtm_event))
		return -EINVAL;
	for (;;) {
		spin_lock(&reg->ev_lock);
		if (reg->nevents || READ_ONCE(reg->dead))
			break;
		spin_unlock(&reg->ev_lock);
		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(reg->ev_wait,
					       READ_ONCE(reg->nevents) ||
					       READ_ONCE(reg->dead));
		if (ret)
			return ret;
	}
	while (done + sizeof(rec->ev) <= len &&
	       (rec = list_first_entry_or_null(&reg->events,
					       struct rtm_event_rec, node))) {
		list_del(&rec->node);
		reg->nevents--;
		rec->ev.lost = reg->lost;
		reg->lost = 0;
		spin_unlock(&reg->ev_lock);
		if (copy_to_user(buf + done, &rec->ev, sizeof(rec->ev))) {
			/* Put it back: nothing is lost to a bad buffer. */
			spin_lock(&reg->ev_lock);
			reg->lost += rec->ev.lost;
			list_add(&rec->node, &reg->events);
			reg->nevents++;
			spin_unlock(&reg->ev_lock);
			return done ? done : -EFAULT;
		}
		kfree(rec);
		done += sizeof(rec->ev);
		spin_lock(&reg->ev_lock);
	}
	spin_unlock(&reg->ev_lock);
	return done;
}

__poll_t rtm_events_poll(struct rtm_reg *reg, struct file *file,
			 poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &reg->ev_wait, wait);
	if (READ_ONCE(reg->nevents))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(reg->dead))
		mask |= EPOLLHUP;
	return mask;
}
