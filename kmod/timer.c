// SPDX-License-Identifier: GPL-2.0
/*
 * Timers of a table: route expiry (TimeToLive) and the end of hold-downs.
 *
 * No timer per route: armed timers are entries of one red-black tree per
 * table ordered by expiry, and one delayed work per table runs when the
 * earliest is due, handling due entries in bounded chunks under the table
 * mutex.  An entry is allocated only while armed (before the change that
 * arms it, so arming never fails halfway) and holds a reference on its
 * route.  A million routes with a TTL cost a million tree entries, not a
 * million kernel timers.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include "rtm.h"

#define RTM_TIMER_CHUNK	256

struct rtm_timer {
	struct rb_node node;
	u64 expires;		/* jiffies64 */
	u64 seq;		/* tie-break: arming order */
	u8 kind;		/* RTM_TM_* */
	u8 view;		/* hold-down: the view */
	struct rtm_route *route;	/* reference */
};

enum { RTM_TM_ROUTE, RTM_TM_HOLD };

struct rtm_timer *rtm_timer_alloc(void)
{
	return rtm_kzalloc(sizeof(struct rtm_timer));
}

void rtm_timer_free(struct rtm_timer *tm)
{
	kfree(tm);
}

static void kick(struct rtm_table *t)
{
	struct rb_node *first = rb_first(&t->timers);
	u64 now = get_jiffies_64();
	struct rtm_timer *tm;

	if (!first)
		return;
	tm = rb_entry(first, struct rtm_timer, node);
	mod_delayed_work(rtm_wq, &t->timer_work,
			 tm->expires > now ? tm->expires - now : 0);
}

static void insert(struct rtm_table *t, struct rtm_timer *tm)
{
	struct rb_node **link = &t->timers.rb_node, *parent = NULL;

	tm->seq = ++t->timer_seq;
	while (*link) {
		struct rtm_timer *cur = rb_entry(*link, struct rtm_timer, node);

		parent = *link;
		if (tm->expires < cur->expires ||
		    (tm->expires == cur->expires && tm->seq < cur->seq))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&tm->node, parent, link);
	rb_insert_color(&tm->node, &t->timers);
	if (rb_first(&t->timers) == &tm->node)
		kick(t);
}

/* Take @tm out of the tree and free it; the caller puts the route. */
static struct rtm_route *disarm(struct rtm_table *t, struct rtm_timer *tm)
{
	struct rtm_route *r = tm->route;

	rb_erase(&tm->node, &t->timers);
	kfree(tm);
	return r;
}

/*
 * (Re)arm the expiry of @r with @ttl ms (RTM_INFINITE: disarm), using the
 * preallocated *@spare if a new entry is needed.  Table mutex held.
 */
void rtm_timer_route(struct rtm_route *r, u32 ttl, struct rtm_timer **spare)
{
	struct rtm_table *t = r->dest->table;
	struct rtm_timer *tm = r->timer;

	if (tm) {
		rb_erase(&tm->node, &t->timers);
		if (ttl == RTM_INFINITE) {
			r->timer = NULL;
			kfree(tm);
			rtm_obj_put(&r->obj);
			return;
		}
	} else {
		if (ttl == RTM_INFINITE || WARN_ON_ONCE(!*spare))
			return;
		tm = *spare;
		*spare = NULL;
		tm->kind = RTM_TM_ROUTE;
		tm->route = r;
		rtm_obj_hold(&r->obj);
		r->timer = tm;
	}
	tm->expires = get_jiffies_64() + msecs_to_jiffies(ttl);
	insert(t, tm);
}

/* Disarm the expiry of a route being deleted.  Table mutex held. */
void rtm_timer_route_cancel(struct rtm_route *r)
{
	if (!r->timer)
		return;
	disarm(r->dest->table, r->timer);
	r->timer = NULL;
	rtm_obj_put(&r->obj);
}

/* Arm the end of the hold-down of @r in view @v of its dest. */
void rtm_timer_hold(struct rtm_route *r, unsigned int v, u32 ms,
		    struct rtm_timer *tm)
{
	struct rtm_dest *d = r->dest;

	tm->kind = RTM_TM_HOLD;
	tm->view = v;
	tm->route = r;		/* the hold's own reference covers it */
	tm->expires = get_jiffies_64() + msecs_to_jiffies(ms);
	d->view[v].hold_tm = tm;
	insert(d->table, tm);
}

void rtm_timer_hold_cancel(struct rtm_dest *d, unsigned int v)
{
	if (d->view[v].hold_tm)
		disarm(d->table, d->view[v].hold_tm);
	d->view[v].hold_tm = NULL;
}

/*
 * Run due entries, at most a chunk per hold of the mutex.  With @all,
 * everything (module unload: nobody is left to wait for).
 */
static void run_timers(struct rtm_table *t, bool all)
{
	unsigned int budget = RTM_TIMER_CHUNK;
	struct rb_node *first;

	mutex_lock(&t->lock);
	while ((first = rb_first(&t->timers)) && (all || budget--)) {
		struct rtm_timer *tm = rb_entry(first, struct rtm_timer, node);
		struct rtm_route *r = tm->route;

		if (!all && time_after64(tm->expires, get_jiffies_64()))
			break;
		if (tm->kind == RTM_TM_ROUTE) {
			r->timer = NULL;
			disarm(t, tm);
			rtm_route_expire_locked(r);
			rtm_obj_put(&r->obj);
		} else {
			rtm_hold_end_locked(r->dest, tm->view);
		}
	}
	kick(t);
	mutex_unlock(&t->lock);
}

static void timer_work(struct work_struct *work)
{
	struct rtm_table *t = container_of(to_delayed_work(work),
					   struct rtm_table, timer_work);

	run_timers(t, false);
}

void rtm_timers_init(struct rtm_table *t)
{
	t->timers = RB_ROOT;
	INIT_DELAYED_WORK(&t->timer_work, timer_work);
}

/* Module unload: end every hold-down and expiry now. */
void rtm_timers_flush(struct rtm_table *t, void *arg)
{
	run_timers(t, true);
}
