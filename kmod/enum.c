// SPDX-License-Identifier: GPL-2.0
/*
 * Enumerations of destinations, routes and next hops (spec part 2, 2.16
 * and 3.1-3.10).
 *
 * Enumerations are live cursors, never snapshots: the cursor is the key
 * of the last item returned, and each batch resumes strictly after it in
 * the table as it is then, under the table mutex.  An item present the
 * whole time is returned exactly once; an enumeration holds no reference
 * on what it has not returned.  An enumeration belongs to the registration
 * that made it; calls on one enumeration are serialised by its mutex.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "rtm.h"

struct rtm_enum {
	struct rtm_obj obj;
	struct rtm_reg *reg;
	struct list_head node;		/* reg->enums while open */
	struct mutex lock;
	u32 kind;
	u32 enum_flags;
	u32 views;
	u32 protocol;
	u32 match;
	u32 ifindex;
	struct rtm_dest *dest;		/* reference: one-dest route enum */
	struct rtm_rlist *list;		/* reference: route-list enum */
	struct rtm_lnode marker;	/* its place in the list */
	bool started;
	bool ended;
	bool in_dest;			/* routes: inside the dest at ckey */
	u8 rkey[RTM_MAX_ADDR_BYTES];	/* start (NEXT) or range (RANGE) */
	u8 rbits;
	/* cursor: the last dest (or next hop) returned */
	u8 ckey[RTM_MAX_ADDR_BYTES];
	u8 cbits;
	struct rtm_tnode *ctn;		/* its node, during one locked call */
	u32 cifindex;
	u64 cowner_seq;
	/*
	 * Routes of the current dest as they were when the cursor entered it
	 * (their ages, unique in the table, in rank order), and the next one
	 * to return: a route re-ranked meanwhile is still returned once.
	 */
	u64 *snap;
	u32 nsnap;
	u32 snap_cap;
	u32 pos;
	struct rtm_route_rec crit;
	u64 crit_nh[RTM_MAX_NEXTHOPS_LIMIT];
};

void rtm_enum_destroy(struct rtm_enum *en)
{
	if (en->dest)
		rtm_obj_put(&en->dest->obj);
	if (en->list)
		rtm_list_put(en->list);
	kfree(en->snap);
	mutex_destroy(&en->lock);
	kfree_rcu(en, obj.rcu);
	rtm_count(RTM_C_ENUMS, -1);
}

/* A list enumeration leaves its marker in the list until closed. */
static void enum_stop(struct rtm_reg *reg, struct rtm_enum *en)
{
	if (!en->list)
		return;
	mutex_lock(&reg->table->lock);
	rtm_list_enum_stop(&en->marker);
	mutex_unlock(&reg->table->lock);
}

/* Take @en off its registration; the caller then drops its reference. */
static bool enum_unlist(struct rtm_reg *reg, struct rtm_enum *en)
{
	bool listed;

	enum_stop(reg, en);
	mutex_lock(&reg->enum_lock);
	listed = !list_empty(&en->node);
	if (listed) {
		list_del_init(&en->node);
		reg->nenums--;
	}
	mutex_unlock(&reg->enum_lock);
	return listed;
}

void rtm_enum_close_all(struct rtm_reg *reg)
{
	struct rtm_enum *en;

	mutex_lock(&reg->enum_lock);
	while ((en = list_first_entry_or_null(&reg->enums, struct rtm_enum,
					      node))) {
		list_del_init(&en->node);
		reg->nenums--;
		mutex_unlock(&reg->enum_lock);
		enum_stop(reg, en);
		rtm_obj_put(&en->obj);
		mutex_lock(&reg->enum_lock);
	}
	mutex_unlock(&reg->enum_lock);
}

static struct rtm_enum *enum_get(struct rtm_reg *reg, u64 handle)
{
	struct rtm_obj *o = rtm_obj_get(handle, RTM_HT_ENUM, NULL);
	struct rtm_enum *en;

	if (!o)
		return NULL;
	en = container_of(o, struct rtm_enum, obj);
	if (en->reg != reg) {
		rtm_obj_put(o);
		return NULL;
	}
	return en;
}

static int check_create(struct rtm_reg *reg, struct rtm_enum_create *c)
{
	u32 range = c->enum_flags & (RTM_ENUM_NEXT | RTM_ENUM_RANGE);
	u32 allowed;

	switch (c->kind) {
	case RTM_ENUM_KIND_DEST:
		allowed = RTM_ENUM_NEXT | RTM_ENUM_RANGE | RTM_ENUM_OWN_DESTS;
		break;
	case RTM_ENUM_KIND_ROUTE:
		allowed = RTM_ENUM_NEXT | RTM_ENUM_RANGE | RTM_ENUM_OWN_ROUTES;
		break;
	case RTM_ENUM_KIND_NEXTHOP:
		allowed = RTM_ENUM_NEXT | RTM_ENUM_RANGE;
		break;
	case RTM_ENUM_KIND_LIST:
		if (c->enum_flags || c->views || !c->dest ||
		    (c->flags & RTM_EC_HAVE_ADDR))
			return -EINVAL;
		return c->reserved || c->handle ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
	if ((c->flags & ~RTM_EC_HAVE_ADDR) || c->reserved || c->handle ||
	    c->crit.reserved || (c->enum_flags & ~allowed) ||
	    range == (RTM_ENUM_NEXT | RTM_ENUM_RANGE))
		return -EINVAL;
	if (c->kind != RTM_ENUM_KIND_ROUTE && c->dest)
		return -EINVAL;
	if (range && !(c->flags & RTM_EC_HAVE_ADDR) &&
	    !(c->kind == RTM_ENUM_KIND_ROUTE && c->dest))
		return -EINVAL;
	if (c->kind != RTM_ENUM_KIND_NEXTHOP) {
		if (c->views == RTM_VIEW_MASK_ALL)
			c->views = RTM_VIEWS_SUPPORTED;
		if (c->views & ~RTM_VIEWS_SUPPORTED)
			return -EOPNOTSUPP;	/* ERROR_NOT_SUPPORTED */
	}
	if (c->kind == RTM_ENUM_KIND_ROUTE) {
		c->match &= RTM_MATCH_ALL_BITS;
		if ((c->match & RTM_MATCH_NEXTHOP) &&
		    c->crit.num_nexthops > reg->profile.max_nexthops)
			return -EINVAL;
	}
	return 0;
}

long rtm_ioc_enum_create(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_enum_create c;
	struct rtm_enum *en;
	unsigned int bits = 0;
	long ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = check_create(reg, &c);
	if (ret)
		return ret;
	en = rtm_kzalloc(sizeof(*en));
	if (!en)
		return -ENOMEM;
	rtm_count(RTM_C_ENUMS, 1);
	mutex_init(&en->lock);
	INIT_LIST_HEAD(&en->node);
	INIT_LIST_HEAD(&en->marker.node);
	INIT_LIST_HEAD(&en->marker.mnode);
	if (rtm_obj_init(&en->obj, RTM_HT_ENUM)) {
		rtm_obj_put(&en->obj);
		return -ENOMEM;
	}
	en->reg = reg;
	en->kind = c.kind;
	en->enum_flags = c.enum_flags;
	en->views = c.views;
	en->protocol = c.protocol;
	if (en->protocol == RTM_THIS_PROTOCOL)
		en->protocol = rtm_entity_protocol(reg->entity);
	en->match = c.match;
	en->ifindex = c.ifindex;
	en->crit = c.crit;
	ret = -EINVAL;
	if ((c.flags & RTM_EC_HAVE_ADDR) &&
	    rtm_addr_from_user(reg->table, &c.addr, en->rkey, &bits))
		goto fail;
	en->rbits = bits;
	ret = -EFAULT;
	if (c.kind == RTM_ENUM_KIND_ROUTE && (c.match & RTM_MATCH_NEXTHOP) &&
	    c.crit.num_nexthops &&
	    copy_from_user(en->crit_nh, u64_to_user_ptr(c.crit.nexthops),
			   c.crit.num_nexthops * sizeof(u64)))
		goto fail;
	if (c.dest && c.kind == RTM_ENUM_KIND_LIST) {
		ret = -ESTALE;
		en->list = rtm_list_get(reg, c.dest);
		if (!en->list)
			goto fail;
		mutex_lock(&reg->table->lock);
		rtm_list_enum_start(en->list, &en->marker);
		mutex_unlock(&reg->table->lock);
	} else if (c.dest) {
		struct rtm_obj *o = rtm_obj_get(c.dest, RTM_HT_DEST,
						reg->table);

		ret = -ESTALE;
		if (!o)
			goto fail;
		en->dest = container_of(o, struct rtm_dest, obj);
	}

	mutex_lock(&reg->enum_lock);
	ret = -ENOSPC;
	if (reg->nenums >= rtm_max_enums) {
		mutex_unlock(&reg->enum_lock);
		goto fail;
	}
	list_add_tail(&en->node, &reg->enums);
	reg->nenums++;
	rtm_obj_publish(&en->obj);
	mutex_unlock(&reg->enum_lock);

	c.handle = rtm_obj_handle(&en->obj);
	if (copy_to_user(arg, &c, sizeof(c))) {
		if (enum_unlist(reg, en))
			rtm_obj_put(&en->obj);
		return -EFAULT;
	}
	return 0;
fail:
	enum_stop(reg, en);
	rtm_obj_put(&en->obj);
	return ret;
}

long rtm_ioc_enum_delete(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_enum_delete ed;
	struct rtm_enum *en;
	bool listed;

	if (copy_from_user(&ed, arg, sizeof(ed)))
		return -EFAULT;
	en = enum_get(reg, ed.handle);
	if (!en)
		return -ESTALE;
	listed = enum_unlist(reg, en);
	if (listed)
		rtm_obj_put(&en->obj);	/* the registration's reference */
	rtm_obj_put(&en->obj);
	return listed ? 0 : -ESTALE;
}

/* The first dest of the enumeration's range after the cursor. */
static struct rtm_dest *next_dest(struct rtm_enum *en, struct rtm_table *t)
{
	struct rtm_dest *d;

	if (!en->started) {
		if (en->enum_flags & (RTM_ENUM_NEXT | RTM_ENUM_RANGE))
			d = rtm_trie_after(&t->trie, en->rkey, en->rbits, true);
		else
			d = rtm_trie_after(&t->trie, en->rkey, 0, true);
	} else if (en->ctn) {
		/* The cursor's node, still linked: step from it. */
		d = rtm_trie_next(en->ctn);
	} else {
		d = rtm_trie_after(&t->trie, en->ckey, en->cbits, false);
	}
	if (d && (en->enum_flags & RTM_ENUM_RANGE) &&
	    !rtm_prefix_covers(en->rkey, en->rbits, d->key, d->bits))
		d = NULL;	/* pre-order: the range is contiguous */
	if (d) {
		en->started = true;
		memcpy(en->ckey, d->key, RTM_MAX_ADDR_BYTES);
		en->cbits = d->bits;
	}
	en->ctn = d ? d->tnode : NULL;
	return d;
}

static bool owns_best(struct rtm_dest *d, struct rtm_entity *e, u32 views)
{
	unsigned int v;

	if (!views)
		views = RTM_VIEWS_SUPPORTED;
	for (v = 0; v < RTM_NUM_VIEWS; v++)
		if ((views & BIT(v)) && d->view[v].best &&
		    d->view[v].best->owner == e)
			return true;
	return false;
}

static int get_dests(struct rtm_enum *en, struct rtm_reg *reg,
		     struct rtm_dest_rec *recs, unsigned int count,
		     unsigned int *n, struct rtm_grab *g)
{
	struct rtm_dest *d;
	int ret;

	while (*n < count && (d = next_dest(en, reg->table))) {
		if (!rtm_dest_has_views(d, en->views))
			continue;
		if ((en->enum_flags & RTM_ENUM_OWN_DESTS) &&
		    !owns_best(d, reg->entity, en->views))
			continue;
		ret = rtm_dest_fill(reg, d, en->protocol, en->views,
				    &recs[*n], g);
		if (ret)
			return ret;
		(*n)++;
	}
	return 0;
}

static bool route_wanted(struct rtm_enum *en, struct rtm_reg *reg,
			 struct rtm_route *r)
{
	if (en->views && !(r->views & en->views))
		return false;
	if ((en->enum_flags & RTM_ENUM_OWN_ROUTES) && r->owner != reg->entity)
		return false;
	return rtm_route_matches(r, en->match, &en->crit, en->crit_nh,
				 en->ifindex);
}

/*
 * Record the routes of @d, in rank order, as the cursor enters it.  The
 * array @keep (the one a failed batch would restore) is never reused.
 */
static int take_snapshot(struct rtm_enum *en, struct rtm_dest *d, u64 *keep)
{
	struct rtm_route *r;
	u32 need = max_t(u32, d->nroutes + RTM_NUM_VIEWS, 8);
	unsigned int v;

	if (en->snap == keep || en->snap_cap < need) {
		u64 *arr = rtm_kmalloc_array(need, sizeof(*arr));

		if (!arr)
			return -ENOMEM;
		if (en->snap != keep)
			kfree(en->snap);
		en->snap = arr;
		en->snap_cap = need;
	}
	en->nsnap = 0;
	list_for_each_entry(r, &d->routes, node)
		en->snap[en->nsnap++] = r->age;
	/* Hold-down routes come last, and only with RTM_VIEW_MASK_ANY. */
	for (v = 0; v < RTM_NUM_VIEWS && !en->views; v++) {
		r = d->view[v].hold;
		if (r && !(v && d->view[0].hold == r))
			en->snap[en->nsnap++] = r->age;
	}
	en->pos = 0;
	en->in_dest = true;
	return 0;
}

/*
 * The route of @age on @d: a live one, or with @holds (enumerations of
 * RTM_VIEW_MASK_ANY, the only ones that list hold-down routes) a
 * hold-down route.  A route deleted after the snapshot that became the
 * hold-down route is not returned to the others.
 */
static struct rtm_route *route_by_age(struct rtm_dest *d, u64 age, bool holds)
{
	struct rtm_route *r;
	unsigned int v;

	list_for_each_entry(r, &d->routes, node)
		if (r->age == age)
			return r;
	for (v = 0; holds && v < RTM_NUM_VIEWS; v++)
		if (d->view[v].hold && d->view[v].hold->age == age)
			return d->view[v].hold;
	return NULL;
}

/*
 * Routes of @d from the snapshot on: 1 when the batch is full, 0 when @d
 * is exhausted.  Routes deleted since the snapshot are skipped.
 */
static int routes_of(struct rtm_enum *en, struct rtm_reg *reg,
		     struct rtm_dest *d, u64 *out, unsigned int count,
		     unsigned int *n, struct rtm_grab *g, u64 *keep)
{
	struct rtm_route *r;
	int ret;

	if (!en->in_dest) {
		ret = take_snapshot(en, d, keep);
		if (ret)
			return ret;
	}
	while (en->pos < en->nsnap) {
		if (*n == count)
			return 1;
		r = route_by_age(d, en->snap[en->pos++], !en->views);
		if (!r || !route_wanted(en, reg, r))
			continue;
		out[(*n)++] = rtm_obj_handle(&r->obj);
		rtm_obj_hold(&r->obj);
		rtm_grab_add(g, &r->obj);
	}
	en->in_dest = false;
	return 0;
}

static int get_routes(struct rtm_enum *en, struct rtm_reg *reg, u64 *out,
		      unsigned int count, unsigned int *n,
		      struct rtm_grab *g, u64 *keep)
{
	struct rtm_table *t = reg->table;
	struct rtm_dest *d;
	int ret;

	if (en->dest) {
		ret = routes_of(en, reg, en->dest, out, count, n, g, keep);
		if (!ret)
			en->ended = true;
		return ret < 0 ? ret : 0;
	}
	/* Finish the dest the cursor is in, if it is still in the table. */
	if (en->in_dest) {
		struct rtm_tnode *tn = rtm_trie_exact(&t->trie, en->ckey,
						      en->cbits);

		ret = tn && tn->dest ? routes_of(en, reg, tn->dest, out, count,
						  n, g, keep) : 0;
		if (ret)
			return ret < 0 ? ret : 0;
		en->in_dest = false;
	}
	while (*n < count && (d = next_dest(en, t))) {
		ret = routes_of(en, reg, d, out, count, n, g, keep);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	if (*n < count)
		en->ended = true;
	return 0;
}

static void get_nexthops(struct rtm_enum *en, struct rtm_reg *reg, u64 *out,
			 unsigned int count, unsigned int *n,
			 struct rtm_grab *g)
{
	struct rtm_table *t = reg->table;
	struct rtm_nexthop *nh;
	struct rb_node *next;

	if (!en->started) {
		/*
		 * START: from the beginning; NEXT: from NetAddress; RANGE: from
		 * the range's first address whatever a next hop's length,
		 * since the range test uses the address bits only (spec 3.7).
		 */
		nh = rtm_nexthop_after(t, en->rkey,
				       (en->enum_flags & RTM_ENUM_NEXT) ?
				       en->rbits : 0, 0, 0, true);
		en->started = true;
	} else {
		nh = rtm_nexthop_after(t, en->ckey, en->cbits, en->cifindex,
				       en->cowner_seq, false);
	}
	for (; nh && *n < count; nh = next ? rb_entry(next, struct rtm_nexthop,
						      rb) : NULL) {
		next = rb_next(&nh->rb);
		if ((en->enum_flags & RTM_ENUM_RANGE) &&
		    !rtm_prefix_covers(en->rkey, en->rbits, nh->key,
				       t->addr_bits)) {
			nh = NULL;
			break;
		}
		out[(*n)++] = rtm_obj_handle(&nh->obj);
		rtm_obj_hold(&nh->obj);
		rtm_grab_add(g, &nh->obj);
		memcpy(en->ckey, nh->key, RTM_MAX_ADDR_BYTES);
		en->cbits = nh->bits;
		en->cifindex = nh->ifindex;
		en->cowner_seq = nh->owner->seq;
	}
	if (!nh)
		en->ended = true;
}

/* What a batch may change in an enumeration, to undo a failed reply. */
struct enum_cursor {
	bool started, ended, in_dest;
	u8 ckey[RTM_MAX_ADDR_BYTES];
	u8 cbits;
	u32 cifindex, nsnap, snap_cap, pos;
	u64 cowner_seq;
	u64 *snap;
};

static void cursor_save(struct rtm_enum *en, struct enum_cursor *c)
{
	c->started = en->started;
	c->ended = en->ended;
	c->in_dest = en->in_dest;
	memcpy(c->ckey, en->ckey, sizeof(c->ckey));
	c->cbits = en->cbits;
	c->cifindex = en->cifindex;
	c->cowner_seq = en->cowner_seq;
	c->snap = en->snap;
	c->nsnap = en->nsnap;
	c->snap_cap = en->snap_cap;
	c->pos = en->pos;
}

static void cursor_restore(struct rtm_enum *en, const struct enum_cursor *c)
{
	en->started = c->started;
	en->ended = c->ended;
	en->in_dest = c->in_dest;
	memcpy(en->ckey, c->ckey, sizeof(c->ckey));
	en->cbits = c->cbits;
	en->cifindex = c->cifindex;
	en->cowner_seq = c->cowner_seq;
	if (en->snap != c->snap)
		kfree(en->snap);
	en->snap = c->snap;
	en->nsnap = c->nsnap;
	en->snap_cap = c->snap_cap;
	en->pos = c->pos;
}

long rtm_ioc_enum_get(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_enum_get eg;
	struct enum_cursor saved;
	struct rtm_grab g = { 0 };
	struct rtm_enum *en;
	unsigned int n = 0;
	size_t isize;
	void *buf;
	long ret;

	if (copy_from_user(&eg, arg, sizeof(eg)))
		return -EFAULT;
	if (eg.reserved || eg.count > reg->profile.max_enum)
		return -EINVAL;
	en = enum_get(reg, eg.handle);
	if (!en)
		return -ESTALE;
	ret = -ESTALE;
	if (en->kind != eg.kind)
		goto out_put;
	eg.status = 0;
	if (!eg.count)
		goto reply;
	isize = en->kind == RTM_ENUM_KIND_DEST ? sizeof(struct rtm_dest_rec) :
						 sizeof(u64);
	ret = -ENOMEM;
	buf = rtm_kvcalloc(eg.count, isize);
	if (!buf)
		goto out_put;
	if (rtm_grab_init(&g, eg.count * (1 + 3 * RTM_NUM_VIEWS))) {
		kvfree(buf);
		goto out_put;
	}

	mutex_lock(&en->lock);
	cursor_save(en, &saved);
	ret = 0;
	if (!en->ended) {
		mutex_lock(&t->lock);
		en->ctn = NULL;	/* valid only while the mutex is held */
		switch (en->kind) {
		case RTM_ENUM_KIND_DEST:
			ret = get_dests(en, reg, buf, eg.count, &n, &g);
			if (!ret && n < eg.count)
				en->ended = true;
			break;
		case RTM_ENUM_KIND_ROUTE:
			ret = get_routes(en, reg, buf, eg.count, &n, &g,
					 saved.snap);
			break;
		case RTM_ENUM_KIND_LIST:
			/*
			 * Ends, like the others, at the first short batch:
			 * a call after the end returns 0 items (spec 3.22).
			 */
			n = rtm_list_enum_next(en->list, &en->marker, buf,
					       eg.count, &g);
			break;
		default:
			get_nexthops(en, reg, buf, eg.count, &n, &g);
			break;
		}
		mutex_unlock(&t->lock);
	}
	if (!ret && n && copy_to_user(u64_to_user_ptr(eg.buf), buf, n * isize))
		ret = -EFAULT;
	if (!ret)
		ret = rtm_grab_commit(&g, reg);
	if (ret) {
		rtm_grab_abort(&g);
		cursor_restore(en, &saved);
		n = 0;
	} else {
		if (en->snap != saved.snap)
			kfree(saved.snap);	/* the batch moved on for good */
		if (n < eg.count)
			en->ended = true;
	}
	mutex_unlock(&en->lock);
	kvfree(buf);
	if (ret)
		goto out_put;
	if (n < eg.count)
		eg.status = RTM_EG_END;
reply:
	eg.count = n;
	ret = copy_to_user(arg, &eg, sizeof(eg)) ? -EFAULT : 0;
out_put:
	rtm_obj_put(&en->obj);
	return ret;
}
