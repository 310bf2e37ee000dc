// SPDX-License-Identifier: GPL-2.0
/*
 * Change notification (spec part 2, 2.17 and 3.11-3.18).
 *
 * A table has at most RTM_MAX_NOTIFY (32) notification registrations, so a
 * destination keeps its pending and marked state in two 32-bit masks
 * (changed, marks).  Each registration keeps its pending destinations in
 * the order they first became pending, in an xarray used as a queue (one
 * dest reference per entry).  A destination is queued once while its bit
 * is set; RtmIgnoreChangedDests and unmarking only clear the bit, and the
 * stale entry is skipped when it reaches the head.  Signalling is
 * edge-triggered: one RTM_EV_CHANGE_NOTIFICATION when the set goes from
 * empty to non-empty, re-armed when the client finds it empty.  No change
 * is lost to a slow client: the bits record everything, the event queue
 * holds at most one notification per registration.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "rtm.h"

#define RTM_CHANGE_TYPE_ALL		0x1U
#define RTM_CHANGE_TYPE_BEST		0x2U
#define RTM_CHANGE_TYPE_FORWARDING	0x4U

/* Deregistered notification handles a file remembers (3.18 Proposed). */
#define RTM_DEAD_NOTIFY_KEEP		16

struct rtm_notify {
	struct rtm_obj obj;
	struct rtm_reg *reg;		/* owner, until its teardown */
	struct rtm_table *table;
	struct list_head node;		/* reg->notifies */
	unsigned int idx;		/* bit in dest->changed and ->marks */
	bool live;			/* still registered in the table */
	bool signalled;
	u32 views;
	u32 flags;
	u64 context;
	struct xarray queue;		/* seq -> dest */
	unsigned long head, tail;
	unsigned int npending;		/* dests with our changed bit */
	/*
	 * A change that could not be queued (no memory) is not lost: the
	 * registration falls back to a resync, reporting every dest of its
	 * views after the queue, walking the trie from @rkey.
	 */
	bool resync;
	bool rstarted;
	u8 rkey[RTM_MAX_ADDR_BYTES];
	u8 rbits;
};

struct rtm_table *rtm_notify_table(struct rtm_notify *n)
{
	return n->table;
}

void rtm_notify_destroy(struct rtm_notify *n)
{
	WARN_ON(!xa_empty(&n->queue));
	xa_destroy(&n->queue);
	kfree_rcu(n, obj.rcu);
}

/* Put the queue's references; table mutex held. */
static void drain(struct rtm_notify *n)
{
	struct rtm_dest *d;

	while (n->head != n->tail) {
		d = xa_erase(&n->queue, n->head++);
		if (d)
			rtm_obj_put(&d->obj);
	}
}

static void clear_pending(struct rtm_notify *n, struct rtm_dest *d)
{
	if (!(d->changed & BIT(n->idx)))
		return;
	d->changed &= ~BIT(n->idx);
	if (!--n->npending) {
		drain(n);
		n->signalled = false;	/* empty again: the next change signals */
	}
}

static void pend(struct rtm_notify *n, struct rtm_dest *d)
{
	u32 bit = BIT(n->idx);

	if (d->changed & bit)
		return;
	if (rtm_fail_alloc() ||
	    xa_err(xa_store(&n->queue, n->tail, d, GFP_KERNEL_ACCOUNT))) {
		if (!n->resync) {
			n->resync = true;
			n->rstarted = false;
			memset(n->rkey, 0, sizeof(n->rkey));
			n->rbits = 0;
		}
		goto signal;
	}
	n->tail++;
	rtm_obj_hold(&d->obj);
	d->changed |= bit;
	n->npending++;
signal:
	if (!n->signalled) {
		struct rtm_event ev = {
			.type = RTM_EV_CHANGE_NOTIFICATION,
			.handle = rtm_obj_handle(&n->obj),
			.context = n->context,
		};

		n->signalled = true;
		if (n->reg && n->reg->want_events)
			rtm_event_queue(n->reg, &ev, false);
	}
}

/*
 * Called by rtm_change_end() (table mutex held) with the classified
 * change of @d: queue it for every registration it concerns.
 */
void rtm_notify_change(struct rtm_dest *d, const struct rtm_change *c)
{
	struct rtm_table *t = d->table;
	unsigned long used = t->notify_used;
	unsigned int i;

	if (!used || !(c->all | c->best | c->fwd))
		return;
	for_each_set_bit(i, &used, RTM_MAX_NOTIFY) {
		struct rtm_notify *n = t->notify[i];
		u32 views = n->views ? n->views : RTM_VIEWS_SUPPORTED;
		bool hit = ((n->flags & RTM_CHANGE_TYPE_ALL) && (c->all & views)) ||
			   ((n->flags & RTM_CHANGE_TYPE_BEST) && (c->best & views)) ||
			   ((n->flags & RTM_CHANGE_TYPE_FORWARDING) &&
			    (c->fwd & views));

		if (!hit)
			continue;
		if ((n->flags & RTM_NOTIFY_MARKED) && !(d->marks & BIT(i)))
			continue;
		pend(n, d);
	}
}

long rtm_ioc_notify_register(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_notify_register nr;
	struct rtm_notify *n;
	unsigned int idx;

	if (copy_from_user(&nr, arg, sizeof(nr)))
		return -EFAULT;
	if (!(nr.flags & RTM_NOTIFY_TYPES) ||
	    (nr.flags & ~(RTM_NOTIFY_TYPES | RTM_NOTIFY_MARKED)))
		return -EINVAL;
	if (nr.views == RTM_VIEW_MASK_ALL)
		nr.views = RTM_VIEWS_SUPPORTED;
	if (nr.views & ~RTM_VIEWS_SUPPORTED)
		return -EOPNOTSUPP;
	n = rtm_kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	xa_init(&n->queue);
	INIT_LIST_HEAD(&n->node);
	n->table = t;
	n->views = nr.views;
	n->flags = nr.flags;
	n->context = nr.context;
	if (rtm_obj_init(&n->obj, RTM_HT_NOTIFY)) {
		rtm_obj_put(&n->obj);
		return -ENOMEM;
	}
	mutex_lock(&t->lock);
	idx = ffz(t->notify_used);
	if (t->notify_used == ~0U) {
		mutex_unlock(&t->lock);
		rtm_obj_put(&n->obj);
		return -ENOSPC;
	}
	n->idx = idx;
	n->reg = reg;
	n->live = true;
	t->notify[idx] = n;
	t->notify_used |= BIT(idx);
	list_add_tail(&n->node, &reg->notifies);
	rtm_obj_publish(&n->obj);
	mutex_unlock(&t->lock);
	nr.handle = rtm_obj_handle(&n->obj);
	return copy_to_user(arg, &nr, sizeof(nr)) ? -EFAULT : 0;
}

/* Clear our bits from every dest of the table; table mutex held. */
static void forget_dests(struct rtm_notify *n)
{
	struct rtm_table *t = n->table;
	u8 key[RTM_MAX_ADDR_BYTES] = { 0 };
	unsigned int bits = 0;
	bool inclusive = true;
	struct rtm_dest *d;
	u32 bit = BIT(n->idx);

	while ((d = rtm_trie_after(&t->trie, key, bits, inclusive))) {
		memcpy(key, d->key, RTM_MAX_ADDR_BYTES);
		bits = d->bits;
		inclusive = false;
		if (!((d->changed | d->marks) & bit))
			continue;
		d->changed &= ~bit;
		d->marks &= ~bit;
		rtm_dest_unlink_if_unused(d);
	}
	/* Pending dests no longer in the table carry our bit too. */
	while (n->head != n->tail) {
		d = xa_erase(&n->queue, n->head++);
		if (d) {
			d->changed &= ~bit;
			rtm_obj_put(&d->obj);
		}
	}
	n->npending = 0;
}

/* Deregister @n; table mutex held. */
static void notify_stop(struct rtm_notify *n)
{
	struct rtm_table *t = n->table;

	if (!n->live)
		return;
	forget_dests(n);
	t->notify[n->idx] = NULL;
	t->notify_used &= ~BIT(n->idx);
	n->live = false;
}

/* Teardown of a file: stop and forget all its registrations. */
void rtm_notify_close_all(struct rtm_reg *reg)
{
	struct rtm_notify *n, *tmp;

	mutex_lock(&reg->table->lock);
	list_for_each_entry(n, &reg->notifies, node)
		notify_stop(n);
	mutex_unlock(&reg->table->lock);
	list_for_each_entry_safe(n, tmp, &reg->notifies, node) {
		list_del_init(&n->node);
		n->reg = NULL;
		rtm_obj_put(&n->obj);
	}
}

/* A notification handle of @reg, live or (with @dead_ok) deregistered. */
static struct rtm_notify *notify_get(struct rtm_reg *reg, u64 handle,
				     bool dead_ok)
{
	struct rtm_obj *o = rtm_obj_get(handle, RTM_HT_NOTIFY, reg->table);
	struct rtm_notify *n;

	if (!o)
		return NULL;
	n = container_of(o, struct rtm_notify, obj);
	if (n->reg != reg || (!n->live && !dead_ok)) {
		rtm_obj_put(o);
		return NULL;
	}
	return n;
}

/* After deregistration, forget the oldest dead handles past the bound. */
static void trim_dead(struct rtm_reg *reg)
{
	struct rtm_notify *n, *tmp;
	unsigned int dead = 0;
	LIST_HEAD(gone);

	/*
	 * Under the table mutex, like every other change of reg->notifies:
	 * two threads of one file may deregister at the same time.
	 */
	mutex_lock(&reg->table->lock);
	list_for_each_entry(n, &reg->notifies, node)
		dead += !n->live;
	list_for_each_entry_safe(n, tmp, &reg->notifies, node) {
		if (dead <= RTM_DEAD_NOTIFY_KEEP)
			break;
		if (n->live)
			continue;
		list_move_tail(&n->node, &gone);
		WRITE_ONCE(n->reg, NULL);
		dead--;
	}
	mutex_unlock(&reg->table->lock);
	list_for_each_entry_safe(n, tmp, &gone, node) {
		list_del_init(&n->node);
		rtm_obj_put(&n->obj);
	}
}

static long ignore_dests(struct rtm_reg *reg, struct rtm_notify *n,
			 struct rtm_notify_op_arg *op)
{
	u64 *h;
	u32 i;
	long ret = 0;

	if (op->count > RTM_MAX_BATCH)
		return -EINVAL;
	if (!op->count)
		return 0;
	h = rtm_vmemdup_user(u64_to_user_ptr(op->dest),
			     (size_t)op->count * sizeof(u64));
	if (IS_ERR(h))
		return PTR_ERR(h);
	mutex_lock(&reg->table->lock);
	for (i = 0; i < op->count; i++) {
		struct rtm_obj *o = rtm_obj_get(h[i], RTM_HT_DEST, reg->table);

		if (!o) {
			ret = -ESTALE;
			continue;
		}
		if (n->live)
			clear_pending(n, container_of(o, struct rtm_dest, obj));
		rtm_obj_put(o);
	}
	mutex_unlock(&reg->table->lock);
	kvfree(h);
	return ret;
}

long rtm_ioc_notify_op(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_notify_op_arg op;
	struct rtm_notify *n;
	struct rtm_dest *d = NULL;
	struct rtm_obj *o = NULL;
	long ret = 0;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.op >= RTM_NO_MAX || op.reserved)
		return -EINVAL;
	n = notify_get(reg, op.handle, op.op == RTM_NO_CHECK);
	if (!n)
		return -ESTALE;
	switch (op.op) {
	case RTM_NO_CHECK:
		goto out;
	case RTM_NO_IGNORE:
		ret = ignore_dests(reg, n, &op);
		goto out;
	case RTM_NO_DEREGISTER:
		mutex_lock(&t->lock);
		notify_stop(n);
		/* Dead handles are forgotten in deregistration order. */
		list_move_tail(&n->node, &reg->notifies);
		mutex_unlock(&t->lock);
		trim_dead(reg);
		goto out;
	default:
		break;
	}
	o = rtm_obj_get(op.dest, RTM_HT_DEST, t);
	if (!o) {
		ret = -ESTALE;
		goto out;
	}
	d = container_of(o, struct rtm_dest, obj);
	mutex_lock(&t->lock);
	switch (op.op) {
	case RTM_NO_STATUS:
		op.result = !!(d->changed & BIT(n->idx));
		break;
	case RTM_NO_IS_MARKED:
		op.result = !!(d->marks & BIT(n->idx));
		break;
	case RTM_NO_MARK:
		/* A dest no longer in the table cannot be kept by a mark. */
		if (d->tnode)
			d->marks |= BIT(n->idx);
		break;
	case RTM_NO_UNMARK:
		d->marks &= ~BIT(n->idx);
		clear_pending(n, d);
		rtm_dest_unlink_if_unused(d);
		break;
	}
	mutex_unlock(&t->lock);
	rtm_obj_put(o);
	if (copy_to_user(arg, &op, sizeof(op)))
		ret = -EFAULT;
out:
	rtm_obj_put(&n->obj);
	return ret;
}

/*
 * Was @dest reported from the queue earlier in this batch?  The resync
 * walk after it reports every dest, and a batch lists a dest once.
 */
static bool in_batch(const struct rtm_dest_rec *recs, unsigned int cnt,
		     u64 dest)
{
	while (cnt--)
		if (recs[cnt].dest == dest)
			return true;
	return false;
}

long rtm_ioc_notify_get(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_dest_rec *recs = NULL;
	struct rtm_grab g = { 0 };
	struct rtm_notify_get ng;
	struct rtm_notify *n;
	unsigned int cnt = 0;
	long ret;

	if (copy_from_user(&ng, arg, sizeof(ng)))
		return -EFAULT;
	if (ng.count > reg->profile.max_enum)
		return -EINVAL;
	n = notify_get(reg, ng.handle, false);
	if (!n)
		return -ESTALE;
	ng.status = 0;
	if (ng.count) {
		ret = -ENOMEM;
		recs = rtm_kvcalloc(ng.count, sizeof(*recs));
		if (!recs || rtm_grab_init(&g, ng.count * (1 + 3 * RTM_NUM_VIEWS)))
			goto out;
	}
	ret = 0;
	mutex_lock(&t->lock);
	while (cnt < ng.count && n->head != n->tail) {
		struct rtm_dest *d = xa_load(&n->queue, n->head);

		if (d && (d->changed & BIT(n->idx))) {
			/* Current state, whatever happened since (3.12). */
			ret = rtm_dest_fill(reg, d, RTM_BEST_PROTOCOL, n->views,
					    &recs[cnt], &g);
			if (ret)
				break;
			cnt++;
			clear_pending(n, d);
			if (n->head == n->tail)
				break;	/* cleared and drained */
		}
		xa_erase(&n->queue, n->head++);
		if (d)
			rtm_obj_put(&d->obj);
	}
	while (!ret && cnt < ng.count && n->head == n->tail && n->resync) {
		struct rtm_dest *d = rtm_trie_after(&t->trie, n->rkey, n->rbits,
						    !n->rstarted);

		if (!d) {
			n->resync = false;
			break;
		}
		n->rstarted = true;
		memcpy(n->rkey, d->key, RTM_MAX_ADDR_BYTES);
		n->rbits = d->bits;
		if (!rtm_dest_has_views(d, n->views) ||
		    in_batch(recs, cnt, rtm_obj_handle(&d->obj)))
			continue;
		ret = rtm_dest_fill(reg, d, RTM_BEST_PROTOCOL, n->views,
				    &recs[cnt], &g);
		if (!ret) {
			cnt++;
			clear_pending(n, d);
		}
	}
	if (!ret && cnt < ng.count) {
		ng.status = RTM_EG_END;
		if (!n->npending && !n->resync) {
			drain(n);
			n->signalled = false;
		}
	}
	mutex_unlock(&t->lock);
	/*
	 * The dests taken off the set are reported now; a failed copy
	 * loses their notification, as a crashed reader would.
	 */
	if (!ret && cnt && copy_to_user(u64_to_user_ptr(ng.buf), recs,
					cnt * sizeof(*recs)))
		ret = -EFAULT;
	if (!ret)
		ret = rtm_grab_commit(&g, reg);
	if (!ret) {
		ng.count = cnt;
		if (copy_to_user(arg, &ng, sizeof(ng)))
			ret = -EFAULT;
	}
out:
	rtm_grab_abort(&g);
	kvfree(recs);
	rtm_obj_put(&n->obj);
	return ret;
}
