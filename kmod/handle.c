// SPDX-License-Identifier: GPL-2.0
/*
 * The handle space.  Every RTM object (entity, dest, route, next hop,
 * enumeration) gets a slot in one global xarray; its handle is
 *
 *	type (4 bits) | generation (28 bits) | slot (32 bits)
 *
 * Slots are allocated cyclically, so a slot is reused only after the
 * allocator wrapped, and every wrap bumps the generation: a stale handle
 * never names a newer object (until 2^28 wraps of 2^32 slots).  The value
 * is the same for every registration, and it is never a kernel address.
 * An object also names its table, so handles of another table (instance,
 * family or network namespace) are rejected by rtm_obj_get().
 */
#include <linux/slab.h>
#include "rtm.h"

static DEFINE_XARRAY_FLAGS(rtm_objs, XA_FLAGS_ALLOC1);
static u32 rtm_next_slot;
static u32 rtm_slot_gen;

int rtm_obj_init(struct rtm_obj *obj, enum rtm_handle_type type)
{
	u32 id;
	int ret;

	refcount_set(&obj->ref, 1);
	obj->type = type;
	if (rtm_fail_alloc())
		return -ENOMEM;
	xa_lock(&rtm_objs);
	/* Reserve the slot only: rtm_obj_publish() makes it visible. */
	ret = __xa_alloc_cyclic(&rtm_objs, &id, NULL, xa_limit_32b,
				&rtm_next_slot, GFP_KERNEL_ACCOUNT);
	if (ret == 1) {
		/* The allocator wrapped: older values must not alias. */
		rtm_slot_gen = (rtm_slot_gen + 1) & 0x0fffffff;
		ret = 0;
	}
	obj->gen = rtm_slot_gen;
	obj->id = id;
	xa_unlock(&rtm_objs);
	return ret < 0 ? -ENOMEM : 0;
}

/*
 * Make a fully built object reachable by its handle.  The slot was
 * reserved by rtm_obj_init(), so this store needs no memory.
 */
void rtm_obj_publish(struct rtm_obj *obj)
{
	xa_store(&rtm_objs, obj->id, obj, GFP_ATOMIC);
}

u64 rtm_obj_handle(const struct rtm_obj *obj)
{
	if (!obj)
		return 0;
	return (u64)obj->type << 60 | (u64)obj->gen << 32 | obj->id;
}

struct rtm_table *rtm_obj_table(struct rtm_obj *obj)
{
	switch (obj->type) {
	case RTM_HT_ENTITY:
		return container_of(obj, struct rtm_entity, obj)->table;
	case RTM_HT_DEST:
		return container_of(obj, struct rtm_dest, obj)->table;
	case RTM_HT_ROUTE:
		return container_of(obj, struct rtm_route, obj)->dest->table;
	case RTM_HT_NEXTHOP:
		return container_of(obj, struct rtm_nexthop, obj)->owner->table;
	case RTM_HT_NOTIFY:
		return rtm_notify_table((struct rtm_notify *)obj);
	case RTM_HT_LIST:
		return rtm_list_table((struct rtm_rlist *)obj);
	default:
		return NULL;	/* enumerations are checked by their owner */
	}
}

/*
 * Look a handle up and take a temporary reference on the object it names.
 * @type 0 accepts any of the four referenceable kinds.  Returns NULL for
 * a value that names no live object of that kind in @table.
 */
struct rtm_obj *rtm_obj_get(u64 handle, enum rtm_handle_type type,
			    struct rtm_table *table)
{
	u32 htype = RTM_HANDLE_TYPE(handle);
	struct rtm_obj *obj;

	if (!handle)
		return NULL;
	if (type == RTM_HT_NONE) {
		if (htype < RTM_HT_ENTITY || htype > RTM_HT_NEXTHOP)
			return NULL;
	} else if (htype != type) {
		return NULL;
	}
	rcu_read_lock();
	obj = xa_load(&rtm_objs, (u32)handle);
	if (!obj || obj->type != htype ||
	    obj->gen != ((handle >> 32) & 0x0fffffff) ||
	    !refcount_inc_not_zero(&obj->ref)) {
		rcu_read_unlock();
		return NULL;
	}
	rcu_read_unlock();
	if (htype != RTM_HT_ENUM && rtm_obj_table(obj) != table) {
		rtm_obj_put(obj);
		return NULL;
	}
	return obj;
}

/* The object in a slot, for a caller that holds a reference on it. */
struct rtm_obj *rtm_obj_get_slot(unsigned long id)
{
	return xa_load(&rtm_objs, id);
}

/*
 * Drop one reference.  The last one unlinks the handle and destroys the
 * object; destructors drop the references the object held on others.
 * Never called under rcu_read_lock() (destructors may sleep).
 */
void rtm_obj_put(struct rtm_obj *obj)
{
	if (!obj || !refcount_dec_and_test(&obj->ref))
		return;
	xa_erase(&rtm_objs, obj->id);
	switch (obj->type) {
	case RTM_HT_ENTITY: {
		struct rtm_entity *e = container_of(obj, struct rtm_entity, obj);

		rtm_table_put(e->table);
		kfree(e->methods);
		kfree_rcu(e, obj.rcu);
		rtm_count(RTM_C_ENTITIES, -1);
		break;
	}
	case RTM_HT_DEST:
		rtm_dest_free_rcu(container_of(obj, struct rtm_dest, obj));
		rtm_count(RTM_C_DESTS, -1);
		break;
	case RTM_HT_ROUTE:
		rtm_route_destroy(container_of(obj, struct rtm_route, obj));
		break;
	case RTM_HT_NEXTHOP:
		rtm_nexthop_destroy(container_of(obj, struct rtm_nexthop, obj));
		break;
	case RTM_HT_ENUM:
		rtm_enum_destroy((struct rtm_enum *)obj);
		break;
	case RTM_HT_NOTIFY:
		rtm_notify_destroy((struct rtm_notify *)obj);
		break;
	case RTM_HT_LIST:
		rtm_list_destroy((struct rtm_rlist *)obj);
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

void rtm_handles_exit(void)
{
	WARN_ON(!xa_empty(&rtm_objs));
	xa_destroy(&rtm_objs);
}
