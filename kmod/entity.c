// SPDX-License-Identifier: GPL-2.0
/*
 * Entities: RtmRegisterEntity, deregistration (explicit, on close, or on
 * process death), RtmGetRegisteredEntities and RtmGetEntityInfo.
 *
 * The registration's reference keeps the entity object; handles other
 * clients hold keep it after deregistration (spec part 1, 3.2), when it
 * is no longer listed and owns nothing.
 */
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include "rtm.h"

/*
 * Work done per hold of the table mutex while an entity is torn down: 64
 * route deletions with their change processing take well under a
 * millisecond natively (a few under TCG), so other writers, queued on
 * the mutex, never wait long for a dying entity's cleanup.
 */
#define RTM_TEARDOWN_CHUNK	64

long rtm_ioc_register(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_register r;
	struct rtm_entity *e, *other;
	struct rtm_table *t;
	u64 *methods = NULL;
	long ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if ((r.flags & ~RTM_REG_FLAGS) || r.reserved)
		return -EINVAL;
	if (r.family != AF_INET && r.family != AF_INET6)
		return -EINVAL;
	if (r.num_methods > RTM_MAX_METHODS)
		return -EBADMSG;
	if (r.num_methods) {
		methods = rtm_memdup_user(u64_to_user_ptr(r.methods),
					  r.num_methods * sizeof(u64));
		if (IS_ERR(methods))
			return PTR_ERR(methods);
	}

	t = rtm_table_get(reg->net, r.instance, r.family);
	if (!t) {
		kfree(methods);
		return -ENOMEM;
	}
	e = rtm_kzalloc(sizeof(*e));
	if (!e) {
		rtm_table_put(t);
		kfree(methods);
		return -ENOMEM;
	}
	rtm_count(RTM_C_ENTITIES, 1);
	e->table = t;		/* the table reference from rtm_table_get() */
	e->methods = methods;
	e->num_methods = r.num_methods;
	e->entity_id = r.entity_id;
	e->opaque_slot = -1;
	INIT_LIST_HEAD(&e->node);
	if (rtm_obj_init(&e->obj, RTM_HT_ENTITY)) {
		rtm_obj_put(&e->obj);
		return -ENOMEM;
	}

	mutex_lock(&t->lock);
	ret = -EEXIST;
	list_for_each_entry(other, &t->entities, node)
		if (other->entity_id == r.entity_id)
			goto fail;
	ret = -ENOSPC;
	if (t->nentities >= rtm_max_entities)
		goto fail;
	if (r.flags & RTM_REG_RESERVE_OPAQUE) {
		int slot = find_first_zero_bit(&t->opaque_used,
					       rtm_opaque_slots);

		if (slot >= rtm_opaque_slots)
			goto fail;
		__set_bit(slot, &t->opaque_used);
		e->opaque_slot = slot;
	}
	e->seq = ++t->entity_seq;
	e->registered = true;
	e->reg = reg;
	reg->want_events = r.flags & RTM_REG_EVENTS;
	list_add_tail(&e->node, &t->entities);
	t->nentities++;
	rtm_obj_publish(&e->obj);
	rtm_event_entity(t, e, RTM_EV_ENTITY_REGISTERED);
	mutex_unlock(&t->lock);

	reg->entity = e;
	reg->table = t;
	reg->profile.max_nexthops = rtm_max_nexthops;
	reg->profile.max_enum = rtm_max_enum;
	reg->profile.views = RTM_VIEWS_SUPPORTED;
	reg->profile.num_views = RTM_NUM_VIEWS;
	rtm_count(RTM_C_REGS, 1);

	r.handle = rtm_obj_handle(&e->obj);
	r.profile = reg->profile;
	if (copy_to_user(arg, &r, sizeof(r))) {
		rtm_reg_teardown(reg);
		return -EFAULT;
	}
	return 0;
fail:
	mutex_unlock(&t->lock);
	rtm_obj_put(&e->obj);
	return ret;
}

/* Delete the routes of @e, a chunk per hold of the table mutex. */
static void delete_routes_of(struct rtm_table *t, struct rtm_entity *e)
{
	u8 key[RTM_MAX_ADDR_BYTES] = { 0 };
	unsigned int bits = 0, budget;
	bool inclusive = true;
	struct rtm_dest *d;

	do {
		budget = RTM_TEARDOWN_CHUNK;
		mutex_lock(&t->lock);
		while (budget &&
		       (d = rtm_trie_after(&t->trie, key, bits, inclusive))) {
			struct rtm_route *r, *tmp;

			/* Remember the cursor: the dest may go away. */
			memcpy(key, d->key, RTM_MAX_ADDR_BYTES);
			bits = d->bits;
			inclusive = false;
			budget--;
			rtm_obj_hold(&d->obj);
			list_for_each_entry_safe(r, tmp, &d->routes, node) {
				if (r->owner == e) {
					rtm_route_delete_locked(r, NULL);
					budget = budget ? budget - 1 : 0;
				}
			}
			rtm_obj_put(&d->obj);
		}
		mutex_unlock(&t->lock);
		cond_resched();
	} while (d);
}

static void delete_nexthops_of(struct rtm_table *t, struct rtm_entity *e)
{
	struct rb_node *n, *next;
	unsigned int budget;

	do {
		budget = RTM_TEARDOWN_CHUNK;
		mutex_lock(&t->lock);
		for (n = rb_first(&t->nexthops); n && budget; n = next) {
			struct rtm_nexthop *nh = rb_entry(n, struct rtm_nexthop, rb);

			next = rb_next(n);
			if (nh->owner == e) {
				rtm_nexthop_delete_locked(nh);
				budget--;
			}
		}
		mutex_unlock(&t->lock);
		cond_resched();
	} while (n);
}

/*
 * Deregistration, the same whether asked for, on close or on process
 * death (spec part 1, 3.2 Proposed): unlist the entity, delete its routes
 * (with full change processing) and next hops, close its enumerations,
 * free its opaque slot, drop every reference it still held, and finally
 * the registration's own reference.  Caller holds reg->sem for writing or
 * is the last user of the file.
 */
void rtm_reg_teardown(struct rtm_reg *reg)
{
	struct rtm_entity *e = reg->entity;
	struct rtm_table *t = reg->table;

	if (!e || reg->dead)
		return;
	WRITE_ONCE(reg->dead, true);
	/* Spec 3.2 order: refuse method calls, then release locks. */
	rtm_methods_stop(reg);
	rtm_lock_release_all(reg);
	mutex_lock(&t->lock);
	list_del_init(&e->node);
	e->registered = false;
	e->reg = NULL;
	t->nentities--;
	mutex_unlock(&t->lock);
	rtm_events_flush(reg);
	rtm_notify_close_all(reg);

	rtm_enum_close_all(reg);
	delete_routes_of(t, e);
	delete_nexthops_of(t, e);
	rtm_list_close_all(reg);
	rtm_opaque_forget(t, e->opaque_slot);

	/* Told last, when the entity has left for good (spec 3.2). */
	mutex_lock(&t->lock);
	rtm_event_entity(t, e, RTM_EV_ENTITY_DEREGISTERED);
	mutex_unlock(&t->lock);

	rtm_ref_drop_all(reg);
	rtm_count(RTM_C_REGS, -1);
	rtm_obj_put(&e->obj);
}

long rtm_ioc_get_entities(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_table *t = reg->table;
	struct rtm_entity_rec *recs = NULL;
	struct rtm_grab g = { 0 };
	struct rtm_get_entities ge;
	struct rtm_entity *e;
	u64 *handles = NULL;
	unsigned int n, i = 0;
	long ret;

	if (copy_from_user(&ge, arg, sizeof(ge)))
		return -EFAULT;
	if (ge.reserved)
		return -EINVAL;
	/* Sized for the cap: the count cannot change under us then. */
	n = rtm_max_entities;
	recs = rtm_kmalloc_array(n, sizeof(*recs));
	handles = rtm_kmalloc_array(n, sizeof(*handles));
	ret = -ENOMEM;
	if (!recs || !handles || rtm_grab_init(&g, n))
		goto out;

	mutex_lock(&t->lock);
	n = t->nentities;
	if (ge.count < n) {
		mutex_unlock(&t->lock);
		ge.count = n;
		ret = copy_to_user(arg, &ge, sizeof(ge)) ? -EFAULT : -ENOBUFS;
		goto out;
	}
	list_for_each_entry(e, &t->entities, node) {
		handles[i] = rtm_obj_handle(&e->obj);
		recs[i].instance = t->instance;
		recs[i].family = t->family;
		recs[i].entity_id = e->entity_id;
		if (ge.handles) {
			rtm_obj_hold(&e->obj);
			rtm_grab_add(&g, &e->obj);
		}
		i++;
	}
	mutex_unlock(&t->lock);

	ge.count = n;
	ret = -EFAULT;
	if ((ge.handles && copy_to_user(u64_to_user_ptr(ge.handles), handles,
					n * sizeof(*handles))) ||
	    (ge.infos && copy_to_user(u64_to_user_ptr(ge.infos), recs,
				      n * sizeof(*recs))) ||
	    copy_to_user(arg, &ge, sizeof(ge)))
		goto out;
	ret = rtm_grab_commit(&g, reg);
out:
	rtm_grab_abort(&g);
	kfree(recs);
	kfree(handles);
	return ret;
}

long rtm_ioc_entity_info(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_entity_info ei;
	struct rtm_entity *e;
	struct rtm_obj *o;

	if (copy_from_user(&ei, arg, sizeof(ei)))
		return -EFAULT;
	o = rtm_obj_get(ei.handle, RTM_HT_ENTITY, reg->table);
	if (!o)
		return -ESTALE;
	e = container_of(o, struct rtm_entity, obj);
	memset(&ei.info, 0, sizeof(ei.info));
	ei.info.instance = e->table->instance;
	ei.info.family = e->table->family;
	ei.info.entity_id = e->entity_id;
	rtm_obj_put(o);
	return copy_to_user(arg, &ei, sizeof(ei)) ? -EFAULT : 0;
}
