// SPDX-License-Identifier: GPL-2.0
/*
 * Destinations: a prefix of the trie with its ranked routes, and per view
 * the best route, the route count and the hold-down route.
 *
 * Writers change a destination under the table mutex inside
 * rtm_change_begin()/rtm_change_end(), which also bracket the dest's
 * seqcount; readers (rtm_dest_fill) take no lock at all: they read under
 * RCU, take references with refcount_inc_not_zero() and retry if a writer
 * ran meanwhile, so a reply is always one consistent snapshot.
 */
#include <linux/slab.h>
#include "rtm.h"

/*
 * Validate a TargetViews mask of a query: RTM_VIEW_MASK_ALL means every
 * supported view; any other bit outside them is an error.
 */
int rtm_views_check(u32 *views)
{
	if (*views == RTM_VIEW_MASK_ALL)
		*views = RTM_VIEWS_SUPPORTED;
	return (*views & ~RTM_VIEWS_SUPPORTED) ? -EINVAL : 0;
}

struct rtm_dest *rtm_dest_find_or_create(struct rtm_table *t, const u8 *key,
					 unsigned int bits)
{
	struct rtm_tnode *n = rtm_trie_exact(&t->trie, key, bits);
	struct rtm_dest *d;
	unsigned int v;

	if (n && n->dest)
		return n->dest;
	d = rtm_cache_zalloc(rtm_dest_cache);
	if (!d)
		return NULL;
	rtm_count(RTM_C_DESTS, 1);
	if (rtm_obj_init(&d->obj, RTM_HT_DEST)) {
		rtm_obj_put(&d->obj);
		return NULL;
	}
	d->table = t;
	memcpy(d->key, key, RTM_MAX_ADDR_BYTES);
	d->bits = bits;
	seqcount_mutex_init(&d->seq, &t->lock);
	INIT_LIST_HEAD(&d->routes);
	d->last_changed = rtm_filetime_now();
	for (v = 0; v < RTM_NUM_VIEWS; v++)
		d->view[v].best = NULL;
	n = rtm_trie_insert(&t->trie, key, bits);
	if (!n) {
		rtm_obj_put(&d->obj);
		return NULL;
	}
	d->tnode = n;
	rtm_obj_publish(&d->obj);
	/* The trie's reference is the initial one. */
	WRITE_ONCE(n->dest, d);
	return d;
}

/*
 * The retention rule (spec part 1, 2.6): a dest stays in the table while
 * it has a route, a hold-down route, a non-NULL opaque cell or a
 * notification mark; then it is unlinked and lives on only while
 * referenced.  Table mutex held.
 */
void rtm_dest_unlink_if_unused(struct rtm_dest *d)
{
	struct rtm_tnode *n = d->tnode;
	unsigned int v;

	if (!n || d->nroutes || d->opaque_set || d->marks)
		return;
	for (v = 0; v < RTM_NUM_VIEWS; v++)
		if (d->view[v].hold)
			return;
	WRITE_ONCE(n->dest, NULL);
	d->tnode = NULL;
	rtm_trie_remove(&d->table->trie, n);
	rtm_obj_put(&d->obj);
}

void rtm_change_begin(struct rtm_dest *d, struct rtm_change *c)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		struct rtm_route *b = d->view[v].best;

		c->before[v].best = b;
		c->before[v].metric = b ? b->metric : 0;
		c->before[v].pref = b ? b->pref : 0;
		c->before[v].flags = b ? b->flags : 0;
		c->before[v].nhgen = b ? b->nhgen : 0;
	}
	c->held = 0;
	c->all = 0;
	c->best = 0;
	c->fwd = 0;
	write_seqcount_begin(&d->seq);
}

/* Did the route that stays best change preference, metric or next hops? */
static bool best_changed(struct rtm_route *best, struct rtm_change *c,
			 unsigned int v)
{
	return best && (best->pref != c->before[v].pref ||
			best->metric != c->before[v].metric ||
			best->nhgen != c->before[v].nhgen);
}

/*
 * Recompute the best route of every view and classify the change (spec
 * part 1, 2.8).  @touched is the union of the views of the routes the
 * operation added, changed or removed (0: nothing changed).  On a full
 * tie the current best route stays best; otherwise the ranking order
 * (preference, metric, age) decides.
 */
void rtm_change_end(struct rtm_dest *d, struct rtm_change *c, u32 touched)
{
	struct rtm_route *r, *best;
	unsigned int v;
	u32 belongs = 0;

	list_for_each_entry(r, &d->routes, node)
		belongs |= r->views;
	d->belongs = belongs;
	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		struct rtm_route *old = c->before[v].best;
		u32 n = 0;

		best = NULL;
		list_for_each_entry(r, &d->routes, node) {
			if (!(r->views & BIT(v)))
				continue;
			n++;
			if (!best && rtm_route_eligible(r, v))
				best = r;
		}
		if (best && old && old != best && rtm_route_eligible(old, v) &&
		    old->pref == best->pref && old->metric == best->metric)
			best = old;
		d->view[v].best = best;
		d->view[v].nroutes = n;
		d->view[v].flags = best ? best->flags : 0;
		if (best != old || best_changed(best, c, v)) {
			c->best |= BIT(v);
			c->fwd |= BIT(v);
		} else if (best && best->flags != c->before[v].flags) {
			c->best |= BIT(v);
			if ((best->flags ^ c->before[v].flags) &
			    RTM_ROUTE_FLAGS_FORWARDING)
				c->fwd |= BIT(v);
		}
	}
	c->all = touched & RTM_VIEWS_SUPPORTED;
	c->best |= c->held;	/* a hold-down ended: re-advertise */
	if (c->all)
		d->last_changed = rtm_filetime_now();
	write_seqcount_end(&d->seq);
	rtm_notify_change(d, c);
}

/* The best live route of view @v among routes of protocol @proto. */
static struct rtm_route *best_of_protocol(struct rtm_dest *d, unsigned int v,
					  u32 proto)
{
	struct rtm_route *r = READ_ONCE(d->view[v].best);
	unsigned int budget = READ_ONCE(d->nroutes) + 16;

	/* The best route is also the best of its protocol (tie rule). */
	if (r && rtm_entity_protocol(r->owner) == proto)
		return r;
	list_for_each_entry_rcu(r, &d->routes, node) {
		if (!budget--)
			break;	/* a writer is reordering: the retry will see it */
		if (rtm_route_eligible(r, v) &&
		    rtm_entity_protocol(r->owner) == proto)
			return r;
	}
	return NULL;
}

static bool grab_live(struct rtm_grab *g, struct rtm_obj *obj)
{
	if (!obj)
		return true;
	if (!refcount_inc_not_zero(&obj->ref))
		return false;
	rtm_grab_add(g, obj);
	return true;
}

/*
 * Fill @rec as RtmGetDestInfo does.  @views is a validated mask, @protocol
 * RTM_BEST_PROTOCOL or a protocol id (RTM_THIS_PROTOCOL already resolved).
 * The dest itself must be held by the caller; every handle written is
 * added to @g with a temporary reference.  @g needs room for 1 + 3 * views.
 */
int rtm_dest_fill(struct rtm_reg *reg, struct rtm_dest *d, u32 protocol,
		  u32 views, struct rtm_dest_rec *rec, struct rtm_grab *g)
{
	unsigned int start = g->n, tries = 0, v, k;
	unsigned int seq;
	bool ok;

retry:
	if (++tries > 64)
		return -EAGAIN;
	memset(rec, 0, sizeof(*rec));
	seq = read_seqcount_begin(&d->seq);
	rcu_read_lock();
	ok = true;
	rec->dest = rtm_obj_handle(&d->obj);
	rtm_addr_to_user(d->table, d->key, d->bits, &rec->addr);
	rec->last_changed = d->last_changed;
	rec->belongs = d->belongs;
	for (v = 0, k = 0; v < RTM_NUM_VIEWS && ok; v++) {
		struct rtm_view_rec *vr;
		struct rtm_route *r, *hold;

		if (!(views & BIT(v)))
			continue;
		vr = &rec->views[k++];
		vr->view_id = v;
		vr->num_routes = d->view[v].nroutes;
		if (protocol == RTM_BEST_PROTOCOL)
			r = READ_ONCE(d->view[v].best);
		else
			r = best_of_protocol(d, v, protocol);
		hold = READ_ONCE(d->view[v].hold);
		if (r) {
			vr->route = rtm_obj_handle(&r->obj);
			vr->owner = rtm_obj_handle(&r->owner->obj);
			vr->dest_flags = r->flags;
			ok = grab_live(g, &r->obj) && grab_live(g, &r->owner->obj);
		}
		if (hold && ok) {
			vr->hold_route = rtm_obj_handle(&hold->obj);
			ok = grab_live(g, &hold->obj);
		}
	}
	rec->num_views = k;
	rcu_read_unlock();
	if (!ok || read_seqcount_retry(&d->seq, seq)) {
		/* Put what we took, outside RCU, and read again. */
		while (g->n > start)
			rtm_obj_put(g->objs[--g->n]);
		goto retry;
	}
	rtm_obj_hold(&d->obj);
	rtm_grab_add(g, &d->obj);
	return 0;
}
