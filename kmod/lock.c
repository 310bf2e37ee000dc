// SPDX-License-Identifier: GPL-2.0
/*
 * Destination and next-hop locks held across calls by user threads
 * (RtmLockDestination, RtmLockRoute, RtmLockNextHop), the owner's direct
 * reads (RtmGetRoutePointer, RtmGetNextHopPointer), the in-place commit
 * (RtmUpdateAndUnlockRoute) and opaque-slot bookkeeping.
 *
 * A lock belongs to one thread of one registration (spec part 1, 2.9):
 * holders are (registration, thread id) pairs recorded per locked object
 * in the table's lock xarray, keyed by the object's slot.  Writers of other
 * threads wait (killable) while a destination is locked; the owning thread
 * may not relock, and its other writes to that destination fail with
 * -EINVAL instead of deadlocking.  Lookups never wait: they return a
 * consistent snapshot, which is what a shared lock would give them.  A
 * registration's locks go with its teardown, as at process death.
 */
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "rtm.h"

struct rtm_holder {
	struct list_head node;		/* rtm_lockrec.holders */
	struct list_head rnode;		/* reg->locks */
	struct rtm_lockrec *rec;
	struct rtm_reg *reg;
	pid_t tid;
};

struct rtm_lockrec {
	struct list_head holders;
	unsigned long id;		/* slot of the locked object */
	struct rtm_obj *obj;		/* reference while locked */
	bool excl;
};

static struct rtm_holder *holder_of(struct rtm_lockrec *lr,
				    struct rtm_reg *reg, pid_t tid)
{
	struct rtm_holder *h;

	list_for_each_entry(h, &lr->holders, node)
		if (h->reg == reg && h->tid == tid)
			return h;
	return NULL;
}

/*
 * May the current thread of @reg write to the object in slot @id?  0: yes;
 * -EINVAL: this thread holds its lock; -EAGAIN: someone else did, we
 * waited until it was free with the table mutex dropped, so the caller
 * must start over.  Table mutex held.
 */
int rtm_lock_wait(struct rtm_reg *reg, unsigned long id)
{
	struct rtm_table *t = reg->table;
	struct rtm_lockrec *lr = xa_load(&t->locks, id);
	int ret;

	if (!lr)
		return 0;
	if (holder_of(lr, reg, task_pid_nr(current)))
		return -EINVAL;
	mutex_unlock(&t->lock);
	ret = wait_event_killable(t->lock_wq, !xa_load(&t->locks, id));
	mutex_lock(&t->lock);
	return ret ? ret : -EAGAIN;
}

static void holder_drop(struct rtm_table *t, struct rtm_holder *h)
{
	struct rtm_lockrec *lr = h->rec;

	list_del(&h->node);
	list_del(&h->rnode);
	kfree(h);
	if (list_empty(&lr->holders)) {
		xa_erase(&t->locks, lr->id);
		rtm_obj_put(lr->obj);
		kfree(lr);
		wake_up_all(&t->lock_wq);
	}
}

/* Take or give back the lock of @obj; table mutex held, may drop it. */
static int lock_obj(struct rtm_reg *reg, struct rtm_obj *obj, bool excl,
		    bool unlock)
{
	struct rtm_table *t = reg->table;
	pid_t tid = task_pid_nr(current);
	struct rtm_lockrec *lr;
	struct rtm_holder *h;
	int ret;

	for (;;) {
		lr = xa_load(&t->locks, obj->id);
		h = lr ? holder_of(lr, reg, tid) : NULL;
		if (unlock) {
			/* Unlock of what we do not hold, or in another mode. */
			if (!h || lr->excl != excl)
				return -EINVAL;
			holder_drop(t, h);
			return 0;
		}
		if (h)
			return -EINVAL;	/* not recursive (spec 2.9) */
		if (!lr || (!excl && !lr->excl))
			break;
		mutex_unlock(&t->lock);
		ret = wait_event_killable(t->lock_wq, !xa_load(&t->locks,
							       obj->id));
		mutex_lock(&t->lock);
		if (ret)
			return ret;
	}
	h = rtm_kzalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	if (!lr) {
		lr = rtm_kzalloc(sizeof(*lr));
		if (!lr || xa_err(xa_store(&t->locks, obj->id, lr,
					   GFP_KERNEL_ACCOUNT))) {
			kfree(lr);
			kfree(h);
			return -ENOMEM;
		}
		INIT_LIST_HEAD(&lr->holders);
		lr->id = obj->id;
		lr->obj = obj;
		lr->excl = excl;
		rtm_obj_hold(obj);
	}
	h->rec = lr;
	h->reg = reg;
	h->tid = tid;
	list_add_tail(&h->node, &lr->holders);
	list_add_tail(&h->rnode, &reg->locks);
	return 0;
}

/* Does this thread of @reg hold the exclusive lock of slot @id? */
static bool holds_excl(struct rtm_reg *reg, unsigned long id)
{
	struct rtm_lockrec *lr = xa_load(&reg->table->locks, id);

	return lr && lr->excl && holder_of(lr, reg, task_pid_nr(current));
}

/* Teardown: release every lock of @reg (spec part 1, 2.10 P5). */
void rtm_lock_release_all(struct rtm_reg *reg)
{
	struct rtm_table *t = reg->table;
	struct rtm_holder *h, *tmp;

	mutex_lock(&t->lock);
	list_for_each_entry_safe(h, tmp, &reg->locks, rnode)
		holder_drop(t, h);
	mutex_unlock(&t->lock);
}

void rtm_route_rec_values(struct rtm_route *r, struct rtm_route_rec *rec,
			  u64 *nhv)
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
	for (i = 0; i < r->nnh; i++)
		nhv[i] = rtm_obj_handle(&rtm_route_nh(r)[i]->obj);
}

/* The owner's view of its route or next hop, values only. */
static long peek_fill(struct rtm_reg *reg, u32 kind, struct rtm_obj *o,
		      struct rtm_route_rec *rrec, struct rtm_nexthop_rec *nrec,
		      u64 *nhv)
{
	if (kind == RTM_LK_ROUTE) {
		struct rtm_route *r = container_of(o, struct rtm_route, obj);

		if (r->owner != reg->entity)
			return -EACCES;
		rtm_route_rec_values(r, rrec, nhv);
	} else {
		struct rtm_nexthop *nh = container_of(o, struct rtm_nexthop,
						      obj);

		if (nh->owner != reg->entity)
			return -EACCES;
		rtm_nexthop_rec_values(reg->table, nh, nrec);
	}
	return 0;
}

long rtm_ioc_peek(struct rtm_reg *reg, void __user *arg)
{
	u64 nhv[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_peek p;
	struct rtm_obj *o;
	u64 unh;
	long ret;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.reserved || (p.kind != RTM_LK_ROUTE && p.kind != RTM_LK_NEXTHOP))
		return -EINVAL;
	o = rtm_obj_get(p.handle, p.kind == RTM_LK_ROUTE ? RTM_HT_ROUTE :
			RTM_HT_NEXTHOP, reg->table);
	if (!o)
		return -ESTALE;
	unh = p.route.nexthops;
	mutex_lock(&reg->table->lock);
	ret = peek_fill(reg, p.kind, o, &p.route, &p.nh, nhv);
	/* A deleted route gives no pointer (spec part 1, 8.1). */
	if (!ret && p.kind == RTM_LK_ROUTE &&
	    container_of(o, struct rtm_route, obj)->state !=
	    RTM_ROUTE_STATE_CREATED)
		ret = -ESTALE;
	mutex_unlock(&reg->table->lock);
	rtm_obj_put(o);
	if (ret)
		return ret;
	p.route.nexthops = unh;
	if (p.kind == RTM_LK_ROUTE && p.route.num_nexthops &&
	    copy_to_user(u64_to_user_ptr(unh), nhv,
			 p.route.num_nexthops * sizeof(u64)))
		return -EFAULT;
	return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

long rtm_ioc_lock(struct rtm_reg *reg, void __user *arg)
{
	u64 nhv[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_table *t = reg->table;
	struct rtm_obj *o, *target;
	struct rtm_lock l;
	bool excl, unlock;
	u64 unh;
	long ret = 0;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (l.kind < RTM_LK_DEST || l.kind >= RTM_LK_MAX ||
	    (l.flags & ~RTM_LK_FLAGS) ||
	    ((l.flags & RTM_LK_COMMIT) && (l.kind != RTM_LK_NEXTHOP ||
					    !(l.flags & RTM_LK_UNLOCK))))
		return -EINVAL;
	excl = l.flags & RTM_LK_EXCLUSIVE;
	unlock = l.flags & RTM_LK_UNLOCK;
	o = rtm_obj_get(l.handle, l.kind == RTM_LK_DEST ? RTM_HT_DEST :
			l.kind == RTM_LK_ROUTE ? RTM_HT_ROUTE : RTM_HT_NEXTHOP, t);
	if (!o)
		return -ESTALE;
	unh = l.route.nexthops;
	target = o;
	mutex_lock(&t->lock);
	if (l.kind == RTM_LK_ROUTE) {
		struct rtm_route *r = container_of(o, struct rtm_route, obj);

		/* The lock of a route is the lock of its destination. */
		if (r->owner != reg->entity)
			ret = -EACCES;
		else if (!unlock && r->state != RTM_ROUTE_STATE_CREATED)
			ret = -ESTALE;
		target = &r->dest->obj;
	} else if (l.kind == RTM_LK_NEXTHOP) {
		struct rtm_nexthop *nh = container_of(o, struct rtm_nexthop,
						      obj);

		if (nh->owner != reg->entity) {
			ret = -EACCES;
		} else if (!unlock && nh->state != RTM_NEXTHOP_STATE_CREATED) {
			ret = -ENOENT;
		} else if (unlock && (l.flags & RTM_LK_COMMIT) && excl &&
			   holds_excl(reg, o->id)) {
			/* Only Flags and the owner's value may change. */
			nh->flags = l.nh.flags;
			nh->esi = l.nh.esi;
		}
	}
	if (!ret)
		ret = lock_obj(reg, target, excl, unlock);
	if (!ret && !unlock && l.kind != RTM_LK_DEST)
		peek_fill(reg, l.kind, o, &l.route, &l.nh, nhv);
	mutex_unlock(&t->lock);
	rtm_obj_put(o);
	if (ret)
		return ret;
	l.route.nexthops = unh;
	if (!unlock && l.kind == RTM_LK_ROUTE && l.route.num_nexthops &&
	    copy_to_user(u64_to_user_ptr(unh), nhv,
			 l.route.num_nexthops * sizeof(u64)))
		ret = -EFAULT;
	else if (copy_to_user(arg, &l, sizeof(l)))
		ret = -EFAULT;
	if (ret && !unlock) {
		/* A failed call changes nothing: give the lock back. */
		mutex_lock(&t->lock);
		lock_obj(reg, target, excl, true);
		mutex_unlock(&t->lock);
	}
	return ret;
}

/* RtmUpdateAndUnlockRoute: commit the owner's in-place edits. */
long rtm_ioc_update_route(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_update_route u;
	long ret;

	if (copy_from_user(&u, arg, sizeof(u)))
		return -EFAULT;
	ret = rtm_route_commit(reg, &u);
	if (ret)
		return ret;
	return copy_to_user(arg, &u, sizeof(u)) ? -EFAULT : 0;
}

/*
 * Called by rtm_route_commit() with the table mutex held: the caller's
 * exclusive lock of @d, which the commit releases.
 */
bool rtm_lock_holds_excl(struct rtm_reg *reg, struct rtm_dest *d)
{
	return holds_excl(reg, d->obj.id);
}

void rtm_lock_release_excl(struct rtm_reg *reg, struct rtm_dest *d)
{
	struct rtm_lockrec *lr = xa_load(&reg->table->locks, d->obj.id);
	struct rtm_holder *h = lr ? holder_of(lr, reg, task_pid_nr(current)) :
				    NULL;

	if (h)
		holder_drop(reg->table, h);
}

/* RtmGetOpaqueInformationPointer support (the cells live in librtm). */
long rtm_ioc_opaque(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	int slot = reg->entity->opaque_slot;
	struct rtm_opaque op;
	struct rtm_dest *d;
	struct rtm_obj *o;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.op >= RTM_OP_MAX)
		return -EINVAL;
	o = rtm_obj_get(op.dest, RTM_HT_DEST, t);
	if (!o)
		return -ESTALE;
	if (slot < 0) {
		rtm_obj_put(o);
		return -ENOENT;
	}
	d = container_of(o, struct rtm_dest, obj);
	mutex_lock(&t->lock);
	if (op.op == RTM_OP_SET && d->tnode) {
		d->opaque_set |= BIT(slot);
	} else if (op.op == RTM_OP_CLEAR) {
		d->opaque_set &= ~BIT(slot);
		rtm_dest_unlink_if_unused(d);
	}
	mutex_unlock(&t->lock);
	rtm_obj_put(o);
	op.slot = slot;
	return copy_to_user(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Teardown: the entity's cells become NULL in every destination. */
void rtm_opaque_forget(struct rtm_table *t, int slot)
{
	u8 key[RTM_MAX_ADDR_BYTES] = { 0 };
	unsigned int bits = 0;
	bool inclusive = true;
	struct rtm_dest *d;

	if (slot < 0)
		return;
	mutex_lock(&t->lock);
	while ((d = rtm_trie_after(&t->trie, key, bits, inclusive))) {
		memcpy(key, d->key, RTM_MAX_ADDR_BYTES);
		bits = d->bits;
		inclusive = false;
		if (d->opaque_set & BIT(slot)) {
			d->opaque_set &= ~BIT(slot);
			rtm_dest_unlink_if_unused(d);
		}
	}
	__clear_bit(slot, &t->opaque_used);
	mutex_unlock(&t->lock);
}
