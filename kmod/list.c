// SPDX-License-Identifier: GPL-2.0
/*
 * Route lists (spec part 2, 2.12 and 3.19-3.23): private, ordered lists of
 * a registration's own routes.  A route is on at most one list; lists hold
 * no reference on their routes and a deleted route leaves its list at
 * once.  A list enumeration keeps an invisible marker node in the list, so
 * routes already returned may be moved or deleted safely.  Everything is
 * under the table mutex.
 */
#include <linux/uaccess.h>
#include "rtm.h"

struct rtm_rlist {
	struct rtm_obj obj;
	struct rtm_reg *reg;
	struct rtm_table *table;
	struct list_head node;		/* reg->lists */
	struct list_head routes;	/* rtm_route.lnode, and markers */
	struct list_head markers;	/* rtm_lnode.mnode */
	bool live;
};

struct rtm_table *rtm_list_table(struct rtm_rlist *l)
{
	return l->table;
}

void rtm_list_destroy(struct rtm_rlist *l)
{
	kfree_rcu(l, obj.rcu);
}

/* A live list of @reg, with a temporary reference. */
struct rtm_rlist *rtm_list_get(struct rtm_reg *reg, u64 handle)
{
	struct rtm_obj *o = rtm_obj_get(handle, RTM_HT_LIST, reg->table);
	struct rtm_rlist *l;

	if (!o)
		return NULL;
	l = container_of(o, struct rtm_rlist, obj);
	if (l->reg != reg || !l->live) {
		rtm_obj_put(o);
		return NULL;
	}
	return l;
}

void rtm_list_put(struct rtm_rlist *l)
{
	rtm_obj_put(&l->obj);
}

/* Take @r off its list, if any.  Table mutex held. */
void rtm_list_remove(struct rtm_route *r)
{
	list_del_init(&r->lnode);
}

/* Move @r to the tail of @l (NULL: just off its list). */
void rtm_list_move(struct rtm_route *r, struct rtm_rlist *l)
{
	rtm_list_remove(r);
	if (l)
		list_add_tail(&r->lnode, &l->routes);
}

/* Empty and retire @l; table mutex held. */
static void list_stop(struct rtm_rlist *l)
{
	struct list_head *pos, *tmp;

	if (!l->live)
		return;
	/* Routes and markers alike: an emptied marker ends its enum. */
	list_for_each_safe(pos, tmp, &l->routes)
		list_del_init(pos);
	list_for_each_safe(pos, tmp, &l->markers)
		list_del_init(pos);
	l->live = false;
}

void rtm_list_close_all(struct rtm_reg *reg)
{
	struct rtm_rlist *l, *tmp;

	mutex_lock(&reg->table->lock);
	list_for_each_entry_safe(l, tmp, &reg->lists, node) {
		list_stop(l);
		list_del_init(&l->node);
		l->reg = NULL;
		rtm_obj_put(&l->obj);
	}
	mutex_unlock(&reg->table->lock);
}

static long list_insert(struct rtm_reg *reg, struct rtm_route_list *rl)
{
	struct rtm_table *t = reg->table;
	struct rtm_rlist *l = NULL;
	struct rtm_obj **objs;
	long ret = 0;
	u64 *h;
	u32 i, n = 0;

	if (rl->count > RTM_MAX_BATCH)
		return -EINVAL;
	if (rl->handle) {
		l = rtm_list_get(reg, rl->handle);
		if (!l)
			return -ESTALE;
	}
	if (!rl->count)
		goto out_list;
	ret = -ENOMEM;
	objs = rtm_kmalloc_array(rl->count, sizeof(*objs));
	if (!objs)
		goto out_list;
	h = rtm_vmemdup_user(u64_to_user_ptr(rl->routes),
			     (size_t)rl->count * sizeof(u64));
	if (IS_ERR(h)) {
		ret = PTR_ERR(h);
		goto out_objs;
	}
	for (n = 0; n < rl->count; n++) {
		objs[n] = rtm_obj_get(h[n], RTM_HT_ROUTE, t);
		if (!objs[n])
			break;
	}
	mutex_lock(&t->lock);
	/* All checked first: nothing changes unless all are fine (3.20). */
	ret = n < rl->count ? -ESTALE : 0;
	for (i = 0; i < n && !ret; i++) {
		struct rtm_route *r = container_of(objs[i], struct rtm_route,
						   obj);

		if (r->state != RTM_ROUTE_STATE_CREATED)
			ret = -ESTALE;
	}
	for (i = 0; i < n && !ret; i++)
		if (container_of(objs[i], struct rtm_route, obj)->owner !=
		    reg->entity)
			ret = -EACCES;
	for (i = 0; i < n && !ret; i++)
		rtm_list_move(container_of(objs[i], struct rtm_route, obj), l);
	mutex_unlock(&t->lock);
	while (n--)
		rtm_obj_put(objs[n]);
	kvfree(h);
out_objs:
	kfree(objs);
out_list:
	if (l)
		rtm_list_put(l);
	return ret;
}

long rtm_ioc_route_list(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_route_list rl;
	struct rtm_rlist *l;

	if (copy_from_user(&rl, arg, sizeof(rl)))
		return -EFAULT;
	switch (rl.op) {
	case RTM_LO_CREATE:
		l = rtm_kzalloc(sizeof(*l));
		if (!l)
			return -ENOMEM;
		INIT_LIST_HEAD(&l->routes);
		INIT_LIST_HEAD(&l->markers);
		INIT_LIST_HEAD(&l->node);
		l->table = t;
		if (rtm_obj_init(&l->obj, RTM_HT_LIST)) {
			rtm_obj_put(&l->obj);
			return -ENOMEM;
		}
		mutex_lock(&t->lock);
		l->reg = reg;
		l->live = true;
		list_add_tail(&l->node, &reg->lists);
		rtm_obj_publish(&l->obj);
		mutex_unlock(&t->lock);
		rl.handle = rtm_obj_handle(&l->obj);
		return copy_to_user(arg, &rl, sizeof(rl)) ? -EFAULT : 0;
	case RTM_LO_DELETE:
		l = rtm_list_get(reg, rl.handle);
		if (!l)
			return -ESTALE;
		mutex_lock(&t->lock);
		list_stop(l);
		if (!list_empty(&l->node)) {
			list_del_init(&l->node);
			rtm_obj_put(&l->obj);	/* the registration's */
		}
		mutex_unlock(&t->lock);
		rtm_list_put(l);
		return 0;
	case RTM_LO_INSERT:
		return list_insert(reg, &rl);
	default:
		return -EINVAL;
	}
}

/* List enumerations (enum.c): the marker starts at the head. */
void rtm_list_enum_start(struct rtm_rlist *l, struct rtm_lnode *marker)
{
	list_add(&marker->node, &l->routes);
	list_add(&marker->mnode, &l->markers);
}

void rtm_list_enum_stop(struct rtm_lnode *marker)
{
	list_del_init(&marker->node);
	list_del_init(&marker->mnode);
}

/* Enumerations of one list are few: their markers are looked up. */
static bool is_marker(struct rtm_rlist *l, struct list_head *pos)
{
	struct rtm_lnode *m;

	list_for_each_entry(m, &l->markers, mnode)
		if (&m->node == pos)
			return true;
	return false;
}

/* The next routes after @marker; moves it after the last one returned. */
unsigned int rtm_list_enum_next(struct rtm_rlist *l, struct rtm_lnode *marker,
				u64 *out, unsigned int count,
				struct rtm_grab *g)
{
	struct list_head *pos = marker->node.next, *last = NULL;
	unsigned int n = 0;

	if (!l->live || list_empty(&marker->node))
		return 0;
	while (pos != &l->routes && n < count) {
		struct list_head *cur = pos;
		struct rtm_route *r;

		pos = pos->next;
		if (is_marker(l, cur))
			continue;
		r = container_of(cur, struct rtm_route, lnode);
		out[n++] = rtm_obj_handle(&r->obj);
		rtm_obj_hold(&r->obj);
		rtm_grab_add(g, &r->obj);
		last = cur;
	}
	if (last)
		list_move(&marker->node, last);
	return n;
}
