// SPDX-License-Identifier: GPL-2.0
/*
 * Hold-down (spec part 1, 7.3; part 2, 2.10) and route expiry (part 1,
 * 5.1; part 2, 2.11).
 *
 * RtmHoldDestination marks views of a destination.  When the last route
 * of a marked view is deleted, it becomes that view's hold-down route
 * (state DELETING, never best, not counted) for the hold time, consuming
 * the mark; a newer hold-down in the same view replaces it.  When the
 * hold ends the route is released and the view gets an ALL- and a
 * BEST-type change but no FORWARDING one.
 *
 * An expired route is reported to its owner (RTM_EV_ROUTE_EXPIRED, with a
 * reference) when the owner takes events, and deleted otherwise; if the
 * owner's callback returns ERROR_NOT_SUPPORTED, librtm says so with
 * RTM_IOC_EXPIRE_DONE and the route is deleted unless re-armed meanwhile.
 */
#include <linux/uaccess.h>
#include "rtm.h"

static bool held_elsewhere(struct rtm_dest *d, struct rtm_route *r)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++)
		if (d->view[v].hold == r)
			return true;
	return false;
}

/*
 * Before deleting @r: allocate the timer of each hold-down its deletion
 * will start (it is the last route of a marked view).  A hold-down whose
 * timer cannot be allocated is not started; the deletion goes on.
 */
int rtm_hold_start_prepare(struct rtm_dest *d, struct rtm_route *r,
			   struct rtm_timer **tms)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		tms[v] = NULL;
		if ((r->views & BIT(v)) && (d->hold_views & BIT(v)) &&
		    d->view[v].nroutes == 1 && d->hold_ms)
			tms[v] = rtm_timer_alloc();
	}
	return 0;
}

/*
 * Inside the deletion's change: start the prepared hold-downs.  Replaced
 * hold-down routes go to @old, to be released after the change (putting
 * them here could free, and the change section may not sleep).
 */
void rtm_hold_start_locked(struct rtm_dest *d, struct rtm_route *r,
			   struct rtm_timer **tms, struct rtm_route **old)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		struct rtm_timer *tm = tms[v];

		tms[v] = NULL;
		if (!tm)
			continue;
		old[v] = d->view[v].hold;
		rtm_timer_hold_cancel(d, v);
		d->view[v].hold = r;
		rtm_obj_hold(&r->obj);
		WRITE_ONCE(r->state, RTM_ROUTE_STATE_DELETING);
		d->hold_views &= ~BIT(v);
		rtm_timer_hold(r, v, d->hold_ms, tm);
	}
	if (!d->hold_views)
		d->hold_ms = 0;
}

/* After the change: release hold-down routes that were replaced. */
void rtm_hold_release_replaced(struct rtm_dest *d, struct rtm_route **old)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		if (!old[v])
			continue;
		if (!held_elsewhere(d, old[v]))
			WRITE_ONCE(old[v]->state, RTM_ROUTE_STATE_DELETED);
		rtm_obj_put(&old[v]->obj);
	}
}

/* The hold-down of view @v of @d ends (timer).  Table mutex held. */
void rtm_hold_end_locked(struct rtm_dest *d, unsigned int v)
{
	struct rtm_route *r = d->view[v].hold;
	struct rtm_change c;

	rtm_timer_hold_cancel(d, v);
	if (!r)
		return;
	rtm_change_begin(d, &c);
	d->view[v].hold = NULL;
	if (!held_elsewhere(d, r))
		WRITE_ONCE(r->state, RTM_ROUTE_STATE_DELETED);
	c.held = BIT(v);
	rtm_change_end(d, &c, BIT(v));
	rtm_obj_hold(&d->obj);
	rtm_obj_put(&r->obj);
	rtm_dest_unlink_if_unused(d);
	rtm_obj_put(&d->obj);
}

/*
 * The TTL of @r elapsed (timer; table mutex held): tell the owner, with a
 * reference, or delete the route when the owner takes no events.
 */
void rtm_route_expire_locked(struct rtm_route *r)
{
	struct rtm_reg *reg = r->owner->reg;
	struct rtm_event ev = {
		.type = RTM_EV_ROUTE_EXPIRED,
		.handle = rtm_obj_handle(&r->obj),
	};

	if (r->state != RTM_ROUTE_STATE_CREATED)
		return;
	if (reg && reg->want_events) {
		rtm_obj_hold(&r->obj);
		if (!rtm_ref_book(reg, &r->obj)) {
			if (!rtm_event_queue(reg, &ev, false))
				return;
			rtm_ref_drop(reg, &r->obj);	/* puts the booked one */
		} else {
			rtm_obj_put(&r->obj);
		}
	}
	rtm_route_delete_locked(r, NULL);
}

long rtm_ioc_hold_dest(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_hold_dest h;
	struct rtm_dest *d;
	struct rtm_obj *o;

	if (copy_from_user(&h, arg, sizeof(h)))
		return -EFAULT;
	if (!h.hold_ms || (h.views & ~RTM_VIEWS_SUPPORTED))
		return -EINVAL;
	o = rtm_obj_get(h.dest, RTM_HT_DEST, reg->table);
	if (!o)
		return -ESTALE;
	d = container_of(o, struct rtm_dest, obj);
	mutex_lock(&reg->table->lock);
	/* A mark on a dest no longer in the table would never be used. */
	if (d->tnode) {
		d->hold_views |= h.views ? h.views : RTM_VIEWS_SUPPORTED;
		d->hold_ms = max(d->hold_ms, min(h.hold_ms, rtm_max_hold_ms));
	}
	mutex_unlock(&reg->table->lock);
	rtm_obj_put(o);
	return 0;
}

long rtm_ioc_expire_done(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_expire_done ed;
	struct rtm_route *r;
	struct rtm_obj *o;
	u32 cflags = 0;
	long ret = 0;

	if (copy_from_user(&ed, arg, sizeof(ed)))
		return -EFAULT;
	if (ed.reserved)
		return -EINVAL;
	o = rtm_obj_get(ed.handle, RTM_HT_ROUTE, reg->table);
	if (!o)
		return -ESTALE;
	r = container_of(o, struct rtm_route, obj);
	if (!rtm_ref_held(reg, o))
		ret = -ESTALE;
	else if (r->owner != reg->entity)
		ret = -EACCES;
	if (ret)
		goto out;
	mutex_lock(&reg->table->lock);
	/* Re-armed by the owner since it expired: it stays. */
	if (!r->timer && r->state == RTM_ROUTE_STATE_CREATED)
		rtm_route_delete_locked(r, &cflags);
	mutex_unlock(&reg->table->lock);
	rtm_ref_drop(reg, o);
	ed.change_flags = cflags;
	if (copy_to_user(arg, &ed, sizeof(ed)))
		ret = -EFAULT;
out:
	rtm_obj_put(o);
	return ret;
}
