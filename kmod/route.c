// SPDX-License-Identifier: GPL-2.0
/*
 * Routes: RtmAddRouteToDest, RtmDeleteRouteToDest, RtmGetRouteInfo,
 * RtmIsBestRoute and RtmGetExactMatchRoute.
 *
 * A live route is on its dest's ranked list, which holds one reference on
 * it.  Deleting it takes it off the list (state DELETED); the object, and
 * the references it holds on its dest, owner, neighbour and next hops,
 * live on until the last handle reference goes (spec part 1, R3 and R7).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "rtm.h"

bool rtm_route_eligible(const struct rtm_route *r, unsigned int view)
{
	return (r->views & BIT(view)) && r->state == RTM_ROUTE_STATE_CREATED &&
	       !(r->flags & RTM_ROUTE_FLAGS_INACTIVE);
}

void rtm_route_destroy(struct rtm_route *r)
{
	struct rtm_nexthop **nh = rtm_route_nh(r);
	unsigned int i;

	for (i = 0; i < r->nnh; i++)
		rtm_obj_put(&nh[i]->obj);
	if (r->nnh > 1)
		kfree(r->nh_arr);
	if (r->neighbour)
		rtm_obj_put(&r->neighbour->obj);
	if (r->owner)
		rtm_obj_put(&r->owner->obj);
	if (r->dest)
		rtm_obj_put(&r->dest->obj);
	rtm_route_free_rcu(r);
	rtm_count(RTM_C_ROUTES, -1);
}

static int rank_cmp(const struct rtm_route *a, const struct rtm_route *b)
{
	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return a->age < b->age ? -1 : a->age > b->age;
}

/* Put @r at its place in the ranked list: preference, metric, age. */
static void rank_insert(struct rtm_dest *d, struct rtm_route *r)
{
	struct rtm_route *pos;

	list_for_each_entry(pos, &d->routes, node) {
		if (rank_cmp(r, pos) < 0) {
			list_add_tail_rcu(&r->node, &pos->node);
			return;
		}
	}
	list_add_tail_rcu(&r->node, &d->routes);
}

/* Take a live route off its dest.  Table mutex held. */
int rtm_route_delete_locked(struct rtm_route *r, u32 *change_flags)
{
	struct rtm_route *old[RTM_NUM_VIEWS] = { NULL };
	struct rtm_timer *tms[RTM_NUM_VIEWS];
	struct rtm_dest *d = r->dest;
	struct rtm_change c;

	if (r->state != RTM_ROUTE_STATE_CREATED)
		return -ENOENT;
	rtm_hold_start_prepare(d, r, tms);
	rtm_timer_route_cancel(r);
	rtm_list_remove(r);
	rtm_change_begin(d, &c);
	list_del_rcu(&r->node);
	d->nroutes--;
	WRITE_ONCE(r->state, RTM_ROUTE_STATE_DELETED);
	rtm_hold_start_locked(d, r, tms, old);	/* may make it DELETING */
	rtm_change_end(d, &c, r->views);
	rtm_hold_release_replaced(d, old);
	if (change_flags)
		*change_flags = c.best ? RTM_ROUTE_CHANGE_BEST : 0;
	rtm_dest_unlink_if_unused(d);
	rtm_obj_put(&r->obj);	/* the list's reference */
	return 0;
}

/*
 * Resolve the next-hop handles of a route: each must be a live next hop
 * of the caller, listed once (spec part 1, 7.1: ERROR_INVALID_PARAMETER).
 * Each resolved next hop carries a reference the route will own.
 */
static int resolve_nexthops(struct rtm_reg *reg, const u64 *h, unsigned int n,
			    struct rtm_nexthop **out)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		struct rtm_obj *o = rtm_obj_get(h[i], RTM_HT_NEXTHOP,
						reg->table);

		out[i] = o ? container_of(o, struct rtm_nexthop, obj) : NULL;
		if (!o || out[i]->owner != reg->entity ||
		    out[i]->state != RTM_NEXTHOP_STATE_CREATED)
			goto bad;
		for (j = 0; j < i; j++)
			if (out[j] == out[i])
				goto bad;
	}
	return 0;
bad:
	for (j = 0; j <= i; j++)
		if (out[j])
			rtm_obj_put(&out[j]->obj);
	return -EINVAL;
}

static void put_nexthops(struct rtm_nexthop **nh, unsigned int n)
{
	while (n--)
		rtm_obj_put(&nh[n]->obj);
}

static bool same_nexthops(struct rtm_route *r, struct rtm_nexthop **nh,
			  unsigned int n)
{
	if (r->nnh != n)
		return false;
	return !memcmp(rtm_route_nh(r), nh, n * sizeof(*nh));
}

static struct rtm_route *find_route(struct rtm_dest *d, struct rtm_entity *e,
				    u32 mode, struct rtm_nexthop *neighbour)
{
	struct rtm_route *r;

	if (mode & RTM_ROUTE_CHANGE_NEW)
		return NULL;
	list_for_each_entry(r, &d->routes, node) {
		if (r->owner != e)
			continue;
		if ((mode & RTM_ROUTE_CHANGE_FIRST) || r->neighbour == neighbour)
			return r;
	}
	return NULL;
}

static struct rtm_route *route_create(struct rtm_reg *reg, struct rtm_dest *d,
				      struct rtm_add_ctx *x, u32 *cflags)
{
	const struct rtm_route_rec *in = &x->a.rec;
	struct rtm_route *r;
	struct rtm_change c;

	struct rtm_nexthop **nh = NULL;

	if (in->num_nexthops > 1) {
		nh = rtm_kmalloc_array(in->num_nexthops, sizeof(*nh));
		if (!nh)
			return NULL;
	}
	r = rtm_cache_zalloc(rtm_route_cache);
	if (!r) {
		kfree(nh);
		return NULL;
	}
	INIT_LIST_HEAD(&r->lnode);
	rtm_count(RTM_C_ROUTES, 1);
	if (rtm_obj_init(&r->obj, RTM_HT_ROUTE)) {
		kfree(nh);
		rtm_obj_put(&r->obj);
		return NULL;
	}
	rtm_obj_hold(&d->obj);
	r->dest = d;
	rtm_obj_hold(&reg->entity->obj);
	r->owner = reg->entity;
	r->neighbour = x->neighbour;	/* the resolve reference moves */
	x->neighbour = NULL;
	r->nnh = in->num_nexthops;
	if (nh)
		r->nh_arr = nh;
	memcpy(rtm_route_nh(r), x->nh, r->nnh * sizeof(x->nh[0]));
	r->age = ++d->table->route_age;
	r->esi = in->esi;
	r->metric = in->metric;
	r->pref = x->pref;
	r->views = in->views;
	r->flags = in->flags;
	r->flags1 = in->flags1;
	r->state = RTM_ROUTE_STATE_CREATED;
	rtm_change_begin(d, &c);
	rank_insert(d, r);
	d->nroutes++;
	rtm_change_end(d, &c, r->views);
	rtm_obj_publish(&r->obj);
	*cflags = RTM_ROUTE_CHANGE_NEW | (c.best ? RTM_ROUTE_CHANGE_BEST : 0);
	return r;
}

/*
 * Update @r with the new contents; an update that changes no stored field
 * is not a change (spec part 1, 2.8).  Returns -ENOMEM if a longer next-hop
 * list does not fit the route and cannot be allocated.
 */
static int route_update(struct rtm_route *r, struct rtm_add_ctx *x, bool set_nb,
			u32 *cflags)
{
	const struct rtm_route_rec *in = &x->a.rec;
	struct rtm_nexthop *old_nh[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_nexthop *old_nb = NULL, **arr = NULL, **old_arr = NULL;
	unsigned int old_n = 0, n = in->num_nexthops;
	bool nh_same = same_nexthops(r, x->nh, n);
	bool nb_change = set_nb && r->neighbour != x->neighbour;
	u32 old_views = r->views;
	struct rtm_change c;
	bool rerank;

	*cflags = 0;
	if (nh_same && !nb_change && r->esi == in->esi &&
	    r->metric == in->metric && r->pref == x->pref &&
	    r->views == in->views && r->flags == in->flags &&
	    r->flags1 == in->flags1)
		return 0;
	if (!nh_same && n > 1) {
		arr = rtm_kmalloc_array(n, sizeof(*arr));
		if (!arr)
			return -ENOMEM;
	}
	rerank = r->pref != x->pref || r->metric != in->metric;
	rtm_change_begin(r->dest, &c);
	if (!nh_same) {
		/* Next-hop arrays are only read under the table mutex. */
		old_n = r->nnh;
		memcpy(old_nh, rtm_route_nh(r), old_n * sizeof(old_nh[0]));
		if (old_n > 1)
			old_arr = r->nh_arr;
		r->nnh = n;
		if (arr)
			r->nh_arr = arr;
		memcpy(rtm_route_nh(r), x->nh, n * sizeof(x->nh[0]));
		r->nhgen++;
		memset(x->nh, 0, sizeof(x->nh[0]) * n);
		x->a.rec.num_nexthops = 0;	/* the route owns them now */
	}
	if (nb_change) {
		old_nb = r->neighbour;
		r->neighbour = x->neighbour;
		x->neighbour = NULL;
	}
	r->esi = in->esi;
	r->metric = in->metric;
	r->pref = x->pref;
	r->views = in->views;
	r->flags = in->flags;
	r->flags1 = in->flags1;
	if (rerank) {
		list_del_rcu(&r->node);
		rank_insert(r->dest, r);
	}
	rtm_change_end(r->dest, &c, old_views | r->views);
	*cflags = c.best ? RTM_ROUTE_CHANGE_BEST : 0;
	put_nexthops(old_nh, old_n);
	kfree(old_arr);
	if (old_nb)
		rtm_obj_put(&old_nb->obj);
	return 0;
}

/* Next hops deleted since they were resolved are refused too. */
static bool nexthops_live(struct rtm_add_ctx *x)
{
	unsigned int i;

	for (i = 0; i < x->a.rec.num_nexthops; i++)
		if (x->nh[i]->state != RTM_NEXTHOP_STATE_CREATED)
			return false;
	return !x->neighbour ||
	       x->neighbour->state == RTM_NEXTHOP_STATE_CREATED;
}

static int add_route_locked(struct rtm_reg *reg, struct rtm_add_ctx *x,
			    struct rtm_route **out, u32 *cflags)
{
	struct rtm_table *t = reg->table;
	struct rtm_add_route *a = &x->a;
	struct rtm_route *r = NULL;
	struct rtm_dest *d;
	struct rtm_obj *o;
	int ret;

	if (!nexthops_live(x))
		return -EINVAL;

	if (a->flags & RTM_RT_BY_HANDLE) {
		o = rtm_obj_get(a->handle, RTM_HT_ROUTE, t);
		if (!o)
			return -ESTALE;
		r = container_of(o, struct rtm_route, obj);
		ret = -EACCES;
		if (r->owner != reg->entity)
			goto out_put;
		ret = -ESTALE;
		if (r->state != RTM_ROUTE_STATE_CREATED)
			goto out_put;
		ret = -EINVAL;
		if ((a->flags & RTM_RT_HAVE_DEST) &&
		    rtm_key_cmp(r->dest->key, r->dest->bits, x->key, x->bits))
			goto out_put;
		ret = rtm_lock_wait(reg, r->dest->obj.id);
		if (ret)
			goto out_put;
		ret = route_update(r, x, true, cflags);
		if (ret)
			goto out_put;
		rtm_timer_route(r, a->ttl, &x->tm);
		if (x->list)
			rtm_list_move(r, x->list);
		*out = r;
		return 0;
out_put:
		rtm_obj_put(o);
		return ret;
	}

	d = rtm_dest_find_or_create(t, x->key, x->bits);
	if (!d)
		return -ENOMEM;
	ret = rtm_lock_wait(reg, d->obj.id);
	if (ret)
		return ret;
	r = find_route(d, reg->entity, a->change_flags, x->neighbour);
	if (r) {
		ret = route_update(r, x, a->change_flags & RTM_ROUTE_CHANGE_FIRST,
				   cflags);
		if (ret)
			return ret;
	} else {
		r = route_create(reg, d, x, cflags);
		if (!r) {
			rtm_dest_unlink_if_unused(d);
			return -ENOMEM;
		}
		/* The next-hop references moved into the route. */
		a->rec.num_nexthops = 0;
	}
	/* Re-arming alone is not a change (spec part 1, 2.8). */
	rtm_timer_route(r, a->ttl, &x->tm);
	if (x->list)
		rtm_list_move(r, x->list);
	rtm_obj_hold(&r->obj);
	*out = r;
	return 0;
}

/*
 * Check an RTM_IOC_ADD_ROUTE argument copied into @x->a, resolve its next
 * hops and preallocate what the locked part needs, so that nothing under
 * the table mutex touches user memory.  rtm_route_add_fini() undoes it,
 * whatever the result.
 */
int rtm_route_add_prepare(struct rtm_reg *reg, struct rtm_add_ctx *x)
{
	struct rtm_add_route *a = &x->a;
	unsigned int n = a->rec.num_nexthops;
	int ret;

	a->rec.num_nexthops = 0;	/* next hops held: none yet */
	if ((a->flags & ~RTM_RT_FLAGS) || a->reserved || a->rec.reserved ||
	    a->rec.state || a->rec.dest || a->rec.owner)
		return -EINVAL;
	if ((a->flags & RTM_RT_BY_HANDLE) && (a->flags & RTM_RT_WANT_HANDLE))
		return -EINVAL;
	if (!(a->flags & RTM_RT_BY_HANDLE)) {
		if (!(a->flags & RTM_RT_HAVE_DEST))
			return -EINVAL;
		if (a->change_flags & ~(RTM_ROUTE_CHANGE_FIRST |
					RTM_ROUTE_CHANGE_NEW |
					RTM_ROUTE_CHANGE_BEST))
			return -EINVAL;
		if (a->change_flags & RTM_ROUTE_CHANGE_NEW)
			a->change_flags = RTM_ROUTE_CHANGE_NEW;
	}
	if (!a->ttl || !a->rec.views ||
	    (a->rec.views & ~RTM_VIEWS_SUPPORTED) ||
	    n > reg->profile.max_nexthops)
		return -EINVAL;
	if ((a->flags & RTM_RT_HAVE_DEST) &&
	    rtm_addr_from_user(reg->table, &a->dest_addr, x->key, &x->bits))
		return -EINVAL;
	if (n && copy_from_user(x->nhv, u64_to_user_ptr(a->rec.nexthops),
				n * sizeof(u64)))
		return -EFAULT;
	ret = resolve_nexthops(reg, x->nhv, n, x->nh);
	if (ret)
		return ret;
	a->rec.num_nexthops = n;
	if (a->rec.neighbour) {
		struct rtm_nexthop *nb;

		ret = resolve_nexthops(reg, &a->rec.neighbour, 1, &nb);
		if (ret)
			return ret;
		x->neighbour = nb;
	}
	x->pref = a->rec.preference ? a->rec.preference :
		  rtm_protocol_preference(rtm_entity_protocol(reg->entity));
	if (a->ttl != RTM_INFINITE) {
		x->tm = rtm_timer_alloc();
		if (!x->tm)
			return -ENOMEM;
	}
	if (a->list) {
		x->list = rtm_list_get(reg, a->list);
		if (!x->list)
			return -ESTALE;
	}
	return 0;
}

/* The add itself, table mutex held; the route is left in @x->route. */
int rtm_route_add_locked(struct rtm_reg *reg, struct rtm_add_ctx *x)
{
	u32 cflags = 0;
	int ret;

	do {
		ret = add_route_locked(reg, x, &x->route, &cflags);
	} while (ret == -EAGAIN);
	if (!ret)
		x->a.change_flags = cflags;
	return ret;
}

/* After a successful add: the outputs, and the handle's reference. */
int rtm_route_add_finish(struct rtm_reg *reg, struct rtm_add_ctx *x)
{
	struct rtm_route *r = x->route;
	int ret;

	if (!(x->a.flags & RTM_RT_WANT_HANDLE))
		return 0;
	x->a.handle = rtm_obj_handle(&r->obj);
	ret = rtm_ref_book(reg, &r->obj);
	if (!ret)
		x->route = NULL;	/* the reference is the caller's now */
	return ret;
}

void rtm_route_add_fini(struct rtm_add_ctx *x)
{
	if (x->route)
		rtm_obj_put(&x->route->obj);
	put_nexthops(x->nh, x->a.rec.num_nexthops);
	if (x->neighbour)
		rtm_obj_put(&x->neighbour->obj);
	rtm_timer_free(x->tm);
	if (x->list)
		rtm_list_put(x->list);
}

long rtm_ioc_add_route(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_add_ctx *x;
	long ret;

	x = rtm_kzalloc(sizeof(*x));
	if (!x)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(&x->a, arg, sizeof(x->a)))
		goto out;
	ret = rtm_route_add_prepare(reg, x);
	if (ret)
		goto out;
	mutex_lock(&t->lock);
	ret = rtm_route_add_locked(reg, x);
	mutex_unlock(&t->lock);
	if (!ret)
		ret = rtm_route_add_finish(reg, x);
	if (!ret && copy_to_user(arg, &x->a, sizeof(x->a)))
		ret = -EFAULT;
out:
	rtm_route_add_fini(x);
	kfree(x);
	return ret;
}

/*
 * RtmUpdateAndUnlockRoute (spec part 1, 8.3): the owner, holding the
 * exclusive lock of the route's destination, commits its in-place edits of
 * Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo and NextHopsList.
 * The route's own next-hop references follow the committed lists, whatever
 * the client did with RtmReferenceHandles/RtmReleaseNextHops meanwhile.
 * On success the lock is released; on failure it is kept.
 */
int rtm_route_commit(struct rtm_reg *reg, struct rtm_update_route *u)
{
	struct rtm_table *t = reg->table;
	struct rtm_route *r;
	struct rtm_obj *o;
	struct rtm_add_ctx *x;
	u32 cflags = 0;
	int ret;

	if (!u->ttl || u->rec.reserved || !u->rec.views ||
	    (u->rec.views & ~RTM_VIEWS_SUPPORTED) ||
	    u->rec.num_nexthops > reg->profile.max_nexthops)
		return -EINVAL;
	x = rtm_kzalloc(sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->a.rec = u->rec;
	ret = -EFAULT;
	if (u->rec.num_nexthops &&
	    copy_from_user(x->nhv, u64_to_user_ptr(u->rec.nexthops),
			   u->rec.num_nexthops * sizeof(u64)))
		goto out_free;
	ret = resolve_nexthops(reg, x->nhv, u->rec.num_nexthops, x->nh);
	if (ret)
		goto out_free;
	if (u->rec.neighbour) {
		struct rtm_nexthop *nb;

		/* On failure resolve_nexthops() has put what it took. */
		ret = resolve_nexthops(reg, &u->rec.neighbour, 1, &nb);
		if (ret)
			goto out_nh;
		x->neighbour = nb;
	}
	/* In-place updates store whatever the owner wrote (spec 2.7). */
	x->pref = u->rec.preference;
	ret = -ENOMEM;
	if (u->ttl != RTM_INFINITE) {
		x->tm = rtm_timer_alloc();
		if (!x->tm)
			goto out_nh;
	}
	ret = -ESTALE;
	if (u->list) {
		x->list = rtm_list_get(reg, u->list);
		if (!x->list)
			goto out_nh;
	}
	o = rtm_obj_get(u->handle, RTM_HT_ROUTE, t);
	if (!o)
		goto out_nh;
	r = container_of(o, struct rtm_route, obj);
	mutex_lock(&t->lock);
	if (r->owner != reg->entity)
		ret = -EACCES;
	else if (r->state != RTM_ROUTE_STATE_CREATED)
		ret = -ESTALE;
	else if (!rtm_lock_holds_excl(reg, r->dest))
		ret = -EINVAL;
	else
		ret = 0;
	if (!ret && !nexthops_live(x))
		ret = -EINVAL;
	if (!ret) {
		/* Flags and Flags1 are not writable in place. */
		x->a.rec.flags = r->flags;
		x->a.rec.flags1 = r->flags1;
		ret = route_update(r, x, true, &cflags);
	}
	if (!ret) {
		rtm_timer_route(r, u->ttl, &x->tm);
		if (x->list)
			rtm_list_move(r, x->list);
		rtm_lock_release_excl(reg, r->dest);
	}
	mutex_unlock(&t->lock);
	rtm_obj_put(o);
	u->change_flags = cflags;
out_nh:
	put_nexthops(x->nh, x->a.rec.num_nexthops);
	if (x->neighbour)
		rtm_obj_put(&x->neighbour->obj);
out_free:
	rtm_timer_free(x->tm);
	if (x->list)
		rtm_list_put(x->list);
	kfree(x);
	return ret;
}

/*
 * Check an RTM_IOC_DELETE_ROUTE argument: the route must be the caller's
 * and the caller must hold a reference on it, which the call consumes.
 * On success *@out carries a temporary reference.
 */
int rtm_route_delete_prepare(struct rtm_reg *reg, struct rtm_delete_route *dr,
			     struct rtm_route **out)
{
	struct rtm_route *r;
	struct rtm_obj *o;
	int ret;

	if (dr->reserved)
		return -EINVAL;
	o = rtm_obj_get(dr->handle, RTM_HT_ROUTE, reg->table);
	if (!o)
		return -ESTALE;
	r = container_of(o, struct rtm_route, obj);
	ret = -ESTALE;
	if (!rtm_ref_held(reg, o))
		goto bad;
	ret = -EACCES;
	if (r->owner != reg->entity)
		goto bad;
	*out = r;
	return 0;
bad:
	rtm_obj_put(o);
	return ret;
}

/* Table mutex held; on success the caller's reference is consumed. */
int rtm_route_delete_one_locked(struct rtm_reg *reg, struct rtm_route *r,
				u32 *change_flags)
{
	int ret;

	do {
		ret = rtm_lock_wait(reg, r->dest->obj.id);
	} while (ret == -EAGAIN);
	if (!ret)
		ret = rtm_route_delete_locked(r, change_flags);
	if (!ret)
		rtm_ref_drop(reg, &r->obj);
	return ret;
}

long rtm_ioc_delete_route(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_delete_route dr;
	struct rtm_route *r;
	u32 cflags = 0;
	long ret;

	if (copy_from_user(&dr, arg, sizeof(dr)))
		return -EFAULT;
	ret = rtm_route_delete_prepare(reg, &dr, &r);
	if (ret)
		return ret;
	mutex_lock(&reg->table->lock);
	ret = rtm_route_delete_one_locked(reg, r, &cflags);
	mutex_unlock(&reg->table->lock);
	if (!ret) {
		dr.change_flags = cflags;
		if (copy_to_user(arg, &dr, sizeof(dr)))
			ret = -EFAULT;
	}
	rtm_obj_put(&r->obj);
	return ret;
}

/*
 * Fill @rec from @r (table mutex held); every handle written goes to @g
 * with a temporary reference; the next-hop handles go to @nhv.
 */
static void route_fill(struct rtm_route *r, struct rtm_route_rec *rec,
		       u64 *nhv, struct rtm_grab *g)
{
	unsigned int i;

	rec->dest = rtm_obj_handle(&r->dest->obj);
	rec->owner = rtm_obj_handle(&r->owner->obj);
	rec->neighbour = rtm_obj_handle(r->neighbour ? &r->neighbour->obj : NULL);
	rec->esi = r->esi;
	rec->metric = r->metric;
	rec->preference = r->pref;
	rec->views = r->views;
	rec->flags = r->flags;
	rec->flags1 = r->flags1;
	rec->state = r->state;
	rec->num_nexthops = r->nnh;
	rec->reserved = 0;
	rtm_obj_hold(&r->dest->obj);
	rtm_grab_add(g, &r->dest->obj);
	rtm_obj_hold(&r->owner->obj);
	rtm_grab_add(g, &r->owner->obj);
	if (r->neighbour) {
		rtm_obj_hold(&r->neighbour->obj);
		rtm_grab_add(g, &r->neighbour->obj);
	}
	for (i = 0; i < r->nnh; i++) {
		struct rtm_nexthop *nh = rtm_route_nh(r)[i];

		nhv[i] = rtm_obj_handle(&nh->obj);
		rtm_obj_hold(&nh->obj);
		rtm_grab_add(g, &nh->obj);
	}
}

/* Copy a filled record out, then book its references (all or none). */
static long route_reply(struct rtm_reg *reg, struct rtm_route_rec *rec,
			const u64 *nhv, u64 __user *unh, struct rtm_grab *g)
{
	if (rec->num_nexthops &&
	    copy_to_user(unh, nhv, rec->num_nexthops * sizeof(u64))) {
		rtm_grab_abort(g);
		return -EFAULT;
	}
	return rtm_grab_commit(g, reg);
}

long rtm_ioc_route_info(struct rtm_reg *reg, void __user *arg)
{
	u64 nhv[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_route_info ri;
	struct rtm_grab g = { 0 };
	struct rtm_route *r;
	struct rtm_obj *o;
	u64 unh;
	long ret;

	if (copy_from_user(&ri, arg, sizeof(ri)))
		return -EFAULT;
	if ((ri.flags & ~(RTM_RI_WANT_INFO | RTM_RI_WANT_ADDR)) || ri.reserved)
		return -EINVAL;
	o = rtm_obj_get(ri.handle, RTM_HT_ROUTE, reg->table);
	if (!o)
		return -ESTALE;
	r = container_of(o, struct rtm_route, obj);
	unh = ri.rec.nexthops;
	ret = rtm_grab_init(&g, 3 + RTM_MAX_NEXTHOPS_LIMIT);
	if (ret)
		goto out;
	memset(&ri.rec, 0, sizeof(ri.rec));
	mutex_lock(&reg->table->lock);
	if (ri.flags & RTM_RI_WANT_INFO)
		route_fill(r, &ri.rec, nhv, &g);
	rtm_addr_to_user(reg->table, r->dest->key, r->dest->bits, &ri.addr);
	mutex_unlock(&reg->table->lock);
	ri.rec.nexthops = unh;
	if (!(ri.flags & RTM_RI_WANT_ADDR))
		memset(&ri.addr, 0, sizeof(ri.addr));
	if (copy_to_user(arg, &ri, sizeof(ri))) {
		rtm_grab_abort(&g);
		ret = -EFAULT;
		goto out;
	}
	ret = route_reply(reg, &ri.rec, nhv, u64_to_user_ptr(unh), &g);
out:
	rtm_obj_put(o);
	return ret;
}

long rtm_ioc_is_best(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_is_best ib;
	struct rtm_route *r;
	struct rtm_obj *o;
	unsigned int v;
	long ret = 0;

	if (copy_from_user(&ib, arg, sizeof(ib)))
		return -EFAULT;
	if (ib.reserved)
		return -EINVAL;
	ib.views = 0;
	o = rtm_obj_get(ib.handle, RTM_HT_ROUTE, reg->table);
	if (!o)
		return -ESTALE;
	r = container_of(o, struct rtm_route, obj);
	for (v = 0; v < RTM_NUM_VIEWS; v++)
		if (READ_ONCE(r->dest->view[v].best) == r)
			ib.views |= BIT(v);
	if (copy_to_user(arg, &ib, sizeof(ib)))
		ret = -EFAULT;
	rtm_obj_put(o);
	return ret;
}

/*
 * The criteria of RtmGetExactMatchRoute and RtmCreateRouteEnum (spec part
 * 1, 9.4; part 2, 3.4): PREF compares metric and preference, NEXTHOP wants
 * every listed next hop in the route's list.  Table mutex held.
 */
bool rtm_route_matches(struct rtm_route *r, u32 match,
		       const struct rtm_route_rec *crit, const u64 *crit_nh,
		       u32 ifindex)
{
	unsigned int i, j;

	if ((match & RTM_MATCH_OWNER) &&
	    rtm_obj_handle(&r->owner->obj) != crit->owner)
		return false;
	if ((match & RTM_MATCH_NEIGHBOUR) &&
	    rtm_obj_handle(r->neighbour ? &r->neighbour->obj : NULL) !=
	    crit->neighbour)
		return false;
	if ((match & RTM_MATCH_PREF) &&
	    (r->pref != crit->preference || r->metric != crit->metric))
		return false;
	if (match & RTM_MATCH_NEXTHOP) {
		for (i = 0; i < crit->num_nexthops; i++) {
			for (j = 0; j < r->nnh; j++)
				if (rtm_obj_handle(&rtm_route_nh(r)[j]->obj) ==
				    crit_nh[i])
					break;
			if (j == r->nnh)
				return false;
		}
	}
	if (match & RTM_MATCH_INTERFACE) {
		for (j = 0; j < r->nnh; j++)
			if (rtm_route_nh(r)[j]->ifindex == ifindex)
				break;
		if (j == r->nnh)
			return false;
	}
	return true;
}

/*
 * Routes are examined in ranking order, and on a full tie the current
 * best route ranks first (spec part 1, 2.7): prefer a matching best route
 * that ties the first match.
 */
static struct rtm_route *prefer_best(struct rtm_dest *d, struct rtm_route *f,
				     const struct rtm_route_match *m,
				     const u64 *crit_nh)
{
	unsigned int v;

	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		struct rtm_route *b = d->view[v].best;

		if (!b || b == f || (m->views && !(m->views & BIT(v))) ||
		    b->pref != f->pref || b->metric != f->metric)
			continue;
		if (rtm_route_matches(b, m->match, &m->crit, crit_nh,
				      m->ifindex))
			return b;
	}
	return f;
}

long rtm_ioc_route_match(struct rtm_reg *reg, void __user *arg)
{
	u64 crit_nh[RTM_MAX_NEXTHOPS_LIMIT], nhv[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_table *t = reg->table;
	struct rtm_route_match m;
	struct rtm_grab g = { 0 };
	struct rtm_route *r, *found = NULL;
	struct rtm_tnode *n;
	u8 key[RTM_MAX_ADDR_BYTES];
	unsigned int bits;
	u64 unh;
	long ret;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if ((m.flags & ~RTM_RM_WANT_HANDLE) || m.crit.reserved)
		return -EINVAL;
	if (rtm_addr_from_user(t, &m.addr, key, &bits) ||
	    rtm_views_check(&m.views))
		return -EINVAL;
	m.match &= RTM_MATCH_ALL_BITS;
	if ((m.match & RTM_MATCH_NEXTHOP) &&
	    m.crit.num_nexthops > reg->profile.max_nexthops)
		return -EINVAL;
	if ((m.match & RTM_MATCH_NEXTHOP) && m.crit.num_nexthops &&
	    copy_from_user(crit_nh, u64_to_user_ptr(m.crit.nexthops),
			   m.crit.num_nexthops * sizeof(u64)))
		return -EFAULT;
	unh = m.crit.nexthops;
	ret = rtm_grab_init(&g, 4 + RTM_MAX_NEXTHOPS_LIMIT);
	if (ret)
		return ret;

	mutex_lock(&t->lock);
	n = rtm_trie_exact(&t->trie, key, bits);
	if (n && n->dest) {
		list_for_each_entry(r, &n->dest->routes, node) {
			if (m.views && !(r->views & m.views))
				continue;
			if (rtm_route_matches(r, m.match, &m.crit, crit_nh,
					      m.ifindex)) {
				found = r;
				break;
			}
		}
	}
	if (found)
		found = prefer_best(n->dest, found, &m, crit_nh);
	if (found) {
		memset(&m.crit, 0, sizeof(m.crit));
		route_fill(found, &m.crit, nhv, &g);
		if (m.flags & RTM_RM_WANT_HANDLE) {
			m.handle = rtm_obj_handle(&found->obj);
			rtm_obj_hold(&found->obj);
			rtm_grab_add(&g, &found->obj);
		}
	}
	mutex_unlock(&t->lock);
	if (!found) {
		rtm_grab_abort(&g);
		return -ENOENT;
	}
	m.crit.nexthops = unh;
	if (copy_to_user(arg, &m, sizeof(m))) {
		rtm_grab_abort(&g);
		return -EFAULT;
	}
	return route_reply(reg, &m.crit, nhv, u64_to_user_ptr(unh), &g);
}
