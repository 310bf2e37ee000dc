// SPDX-License-Identifier: GPL-2.0
/*
 * Next hops: RtmAddNextHop, RtmFindNextHop, RtmDeleteNextHop and
 * RtmGetNextHopInfo.
 *
 * The live next hops of a table sit in one red-black tree ordered by
 * (address, length, interface, owner registration order): it answers an
 * owner's identity lookup and walks in the order enumerations need.  The
 * tree holds one reference on each; a deleted next hop leaves the tree
 * (state DELETED) and lives on while routes or handles reference it.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "rtm.h"

int rtm_nexthop_key_cmp(const struct rtm_nexthop *nh, const u8 *key,
			unsigned int bits, u32 ifindex, u64 owner_seq)
{
	int c = rtm_key_cmp(nh->key, nh->bits, key, bits);

	if (c)
		return c;
	if (nh->ifindex != ifindex)
		return nh->ifindex < ifindex ? -1 : 1;
	if (nh->owner->seq != owner_seq)
		return nh->owner->seq < owner_seq ? -1 : 1;
	return 0;
}

/*
 * The first live next hop whose key is after (or, with @inclusive, at)
 * the given one.  Table mutex held.
 */
struct rtm_nexthop *rtm_nexthop_after(struct rtm_table *t, const u8 *key,
				      unsigned int bits, u32 ifindex,
				      u64 owner_seq, bool inclusive)
{
	struct rb_node *n = t->nexthops.rb_node;
	struct rtm_nexthop *found = NULL;

	while (n) {
		struct rtm_nexthop *nh = rb_entry(n, struct rtm_nexthop, rb);
		int c = rtm_nexthop_key_cmp(nh, key, bits, ifindex, owner_seq);

		if (c > 0 || (c == 0 && inclusive)) {
			found = nh;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

static struct rtm_nexthop *find_own(struct rtm_table *t, struct rtm_entity *e,
				    const u8 *key, unsigned int bits,
				    u32 ifindex)
{
	struct rtm_nexthop *nh = rtm_nexthop_after(t, key, bits, ifindex,
						   e->seq, true);

	if (nh && !rtm_nexthop_key_cmp(nh, key, bits, ifindex, e->seq))
		return nh;
	return NULL;
}

static void tree_insert(struct rtm_table *t, struct rtm_nexthop *nh)
{
	struct rb_node **link = &t->nexthops.rb_node, *parent = NULL;

	while (*link) {
		struct rtm_nexthop *cur = rb_entry(*link, struct rtm_nexthop, rb);

		parent = *link;
		if (rtm_nexthop_key_cmp(cur, nh->key, nh->bits, nh->ifindex,
					nh->owner->seq) > 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&nh->rb, parent, link);
	rb_insert_color(&nh->rb, &t->nexthops);
}

void rtm_nexthop_destroy(struct rtm_nexthop *nh)
{
	if (nh->remote)
		rtm_obj_put(&nh->remote->obj);
	if (nh->owner)
		rtm_obj_put(&nh->owner->obj);
	kfree_rcu(nh, obj.rcu);
	rtm_count(RTM_C_NEXTHOPS, -1);
}

/* Table mutex held. */
void rtm_nexthop_delete_locked(struct rtm_nexthop *nh)
{
	rb_erase(&nh->rb, &nh->owner->table->nexthops);
	nh->state = RTM_NEXTHOP_STATE_DELETED;
	rtm_obj_put(&nh->obj);	/* the tree's reference */
}

/*
 * RemoteNextHop is RTM's to fill (spec part 1, 10.1): the longest match of
 * the address of a REMOTE next hop, with any views; NULL otherwise.
 */
static void update_remote(struct rtm_table *t, struct rtm_nexthop *nh)
{
	struct rtm_dest *d = NULL, *old = nh->remote;

	if (nh->flags & RTM_NEXTHOP_FLAGS_REMOTE) {
		d = rtm_trie_longest(&t->trie, nh->key, nh->bits, nh->bits,
				     0);
		if (d)
			rtm_obj_hold(&d->obj);
	}
	nh->remote = d;
	if (old)
		rtm_obj_put(&old->obj);
}

void rtm_nexthop_rec_values(struct rtm_table *t, struct rtm_nexthop *nh,
			    struct rtm_nexthop_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rtm_addr_to_user(t, nh->key, nh->bits, &rec->addr);
	rec->owner = rtm_obj_handle(&nh->owner->obj);
	rec->ifindex = nh->ifindex;
	rec->state = nh->state;
	rec->flags = nh->flags;
	rec->esi = nh->esi;
	rec->remote = rtm_obj_handle(nh->remote ? &nh->remote->obj : NULL);
}

static int check_rec(struct rtm_table *t, struct rtm_nexthop_rec *rec,
		     u8 *key, unsigned int *bits)
{
	return rtm_addr_from_user(t, &rec->addr, key, bits);
}

static struct rtm_nexthop *nexthop_create(struct rtm_reg *reg, const u8 *key,
					  unsigned int bits,
					  const struct rtm_nexthop_rec *rec)
{
	struct rtm_nexthop *nh = rtm_kzalloc(sizeof(*nh));

	if (!nh)
		return NULL;
	rtm_count(RTM_C_NEXTHOPS, 1);
	if (rtm_obj_init(&nh->obj, RTM_HT_NEXTHOP)) {
		rtm_obj_put(&nh->obj);
		return NULL;
	}
	rtm_obj_hold(&reg->entity->obj);
	nh->owner = reg->entity;
	memcpy(nh->key, key, RTM_MAX_ADDR_BYTES);
	nh->bits = bits;
	nh->ifindex = rec->ifindex;
	nh->flags = rec->flags;
	nh->esi = rec->esi;
	nh->state = RTM_NEXTHOP_STATE_CREATED;
	tree_insert(reg->table, nh);
	update_remote(reg->table, nh);
	rtm_obj_publish(&nh->obj);
	return nh;
}

long rtm_ioc_add_nexthop(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_add_nexthop a;
	struct rtm_nexthop *nh = NULL;
	u8 key[RTM_MAX_ADDR_BYTES];
	unsigned int bits;
	struct rtm_obj *o;
	long ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if ((a.flags & ~(RTM_NH_WANT_HANDLE | RTM_NH_BY_HANDLE)) ||
	    a.flags == (RTM_NH_WANT_HANDLE | RTM_NH_BY_HANDLE) ||
	    check_rec(t, &a.rec, key, &bits))
		return -EINVAL;
	a.change_flags = 0;

	mutex_lock(&t->lock);
	if (a.flags & RTM_NH_BY_HANDLE) {
		o = rtm_obj_get(a.handle, RTM_HT_NEXTHOP, t);
		ret = -ESTALE;
		if (!o)
			goto unlock;
		nh = container_of(o, struct rtm_nexthop, obj);
		if (nh->owner != reg->entity)
			ret = -EACCES;
		else if (nh->state != RTM_NEXTHOP_STATE_CREATED)
			ret = -ESTALE;
		else if (nh->ifindex != a.rec.ifindex ||
			 rtm_key_cmp(nh->key, nh->bits, key, bits))
			ret = -EINVAL;
		else
			ret = 0;
		if (ret) {
			rtm_obj_put(o);
			goto unlock;
		}
	} else {
		nh = find_own(t, reg->entity, key, bits, a.rec.ifindex);
		if (nh) {
			rtm_obj_hold(&nh->obj);
		} else {
			ret = -ENOMEM;
			nh = nexthop_create(reg, key, bits, &a.rec);
			if (!nh)
				goto unlock;
			rtm_obj_hold(&nh->obj);
			a.change_flags = RTM_NEXTHOP_CHANGE_NEW;
		}
	}
	if (!a.change_flags) {
		/* Update: flags and the owner's value; identity never. */
		nh->flags = a.rec.flags;
		nh->esi = a.rec.esi;
		update_remote(t, nh);
	}
	ret = 0;
unlock:
	mutex_unlock(&t->lock);
	if (ret)
		return ret;
	if (a.flags & RTM_NH_WANT_HANDLE) {
		a.handle = rtm_obj_handle(&nh->obj);
		ret = rtm_ref_book(reg, &nh->obj);
		if (ret) {
			rtm_obj_put(&nh->obj);
			return ret;
		}
	} else {
		rtm_obj_put(&nh->obj);
	}
	if (copy_to_user(arg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

long rtm_ioc_find_nexthop(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_find_nexthop f;
	struct rtm_nexthop *nh;
	u8 key[RTM_MAX_ADDR_BYTES];
	unsigned int bits;
	long ret = 0;

	if (copy_from_user(&f, arg, sizeof(f)))
		return -EFAULT;
	if ((f.flags & ~RTM_NH_WANT_HANDLE) || f.reserved ||
	    check_rec(t, &f.rec, key, &bits))
		return -EINVAL;
	mutex_lock(&t->lock);
	nh = find_own(t, reg->entity, key, bits, f.rec.ifindex);
	if (nh) {
		rtm_obj_hold(&nh->obj);
		rtm_nexthop_rec_values(t, nh, &f.rec);
	}
	mutex_unlock(&t->lock);
	if (!nh)
		return -ENOENT;
	f.handle = 0;
	if (f.flags & RTM_NH_WANT_HANDLE) {
		f.handle = rtm_obj_handle(&nh->obj);
		ret = rtm_ref_book(reg, &nh->obj);
		if (ret) {
			rtm_obj_put(&nh->obj);
			return ret;
		}
	} else {
		rtm_obj_put(&nh->obj);
	}
	if (copy_to_user(arg, &f, sizeof(f)))
		return -EFAULT;
	return 0;
}

long rtm_ioc_delete_nexthop(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_find_nexthop f;
	struct rtm_nexthop *nh = NULL;
	u8 key[RTM_MAX_ADDR_BYTES];
	unsigned int bits;
	struct rtm_obj *o = NULL;
	long ret;

	if (copy_from_user(&f, arg, sizeof(f)))
		return -EFAULT;
	if ((f.flags & ~RTM_NH_BY_HANDLE) || f.reserved)
		return -EINVAL;
	if (f.flags & RTM_NH_BY_HANDLE) {
		o = rtm_obj_get(f.handle, RTM_HT_NEXTHOP, t);
		if (!o)
			return -ESTALE;
		/* The call consumes the caller's reference: it must hold one. */
		if (!rtm_ref_held(reg, o)) {
			rtm_obj_put(o);
			return -ESTALE;
		}
		nh = container_of(o, struct rtm_nexthop, obj);
	} else if (check_rec(t, &f.rec, key, &bits)) {
		return -EINVAL;
	}

	mutex_lock(&t->lock);
	if (!nh)
		nh = find_own(t, reg->entity, key, bits, f.rec.ifindex);
	if (!nh)
		ret = -ENOENT;
	else if (nh->owner != reg->entity)
		ret = -EACCES;
	else if (nh->state != RTM_NEXTHOP_STATE_CREATED)
		ret = -ENOENT;
	else
		ret = 0;
	if (!ret)
		rtm_nexthop_delete_locked(nh);
	mutex_unlock(&t->lock);
	if (o) {
		if (!ret)
			rtm_ref_drop(reg, o);	/* consume the caller's reference */
		rtm_obj_put(o);
	}
	return ret;
}

long rtm_ioc_nexthop_info(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_nexthop_info ni;
	struct rtm_grab g = { 0 };
	struct rtm_nexthop *nh;
	struct rtm_obj *o;
	long ret;

	if (copy_from_user(&ni, arg, sizeof(ni)))
		return -EFAULT;
	o = rtm_obj_get(ni.handle, RTM_HT_NEXTHOP, reg->table);
	if (!o)
		return -ESTALE;
	nh = container_of(o, struct rtm_nexthop, obj);
	ret = rtm_grab_init(&g, 2);
	if (ret)
		goto out;
	mutex_lock(&reg->table->lock);
	rtm_nexthop_rec_values(reg->table, nh, &ni.rec);
	rtm_obj_hold(&nh->owner->obj);
	rtm_grab_add(&g, &nh->owner->obj);
	if (nh->remote) {
		rtm_obj_hold(&nh->remote->obj);
		rtm_grab_add(&g, &nh->remote->obj);
	}
	mutex_unlock(&reg->table->lock);
	if (copy_to_user(arg, &ni, sizeof(ni))) {
		rtm_grab_abort(&g);
		ret = -EFAULT;
		goto out;
	}
	ret = rtm_grab_commit(&g, reg);
out:
	rtm_obj_put(o);
	return ret;
}
