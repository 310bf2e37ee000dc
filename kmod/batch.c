// SPDX-License-Identifier: GPL-2.0
/*
 * Batches: RTM_IOC_ADD_ROUTES and RTM_IOC_DELETE_ROUTES, many route adds
 * or deletes in one call (a Linux extension, userlib/include/rtm_ext.h).
 *
 * Each entry goes through exactly the code of the single-route call
 * (route.c), so semantics, change flags and notifications are the same.
 * What a batch saves is the crossing: one system call for up to
 * RTM_MAX_BATCH routes and one hold of the table mutex per chunk.
 *
 * A chunk is read in, and its replies are probed for writing, before the
 * table changes, so a bad pointer fails the chunk without changing
 * anything.  Chunks bound both the memory a call takes and how long it
 * keeps other writers waiting for the mutex.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include "rtm.h"

#define RTM_BATCH_CHUNK	32

static int batch_args(void __user *arg, struct rtm_route_batch *b)
{
	if (copy_from_user(b, arg, sizeof(*b)))
		return -EFAULT;
	if (b->flags || b->reserved || !b->count || b->count > RTM_MAX_BATCH)
		return -EINVAL;
	b->done = 0;
	return 0;
}

/* Probe @n user elements of @size at @u: readable and writable. */
static int probe_user(void __user *u, void *buf, size_t size, unsigned int n)
{
	if (copy_from_user(buf, u, size * n) || copy_to_user(u, buf, size * n))
		return -EFAULT;
	return 0;
}

/*
 * A wait for another client's lock interrupted by a fatal signal: the
 * single call's -ERESTARTSYS never reaches user space, -EINTR does.
 */
static int entry_status(int ret)
{
	return ret == -ERESTARTSYS ? -EINTR : ret;
}

static long batch_end(void __user *arg, struct rtm_route_batch *b, long ret)
{
	if (copy_to_user(arg, b, sizeof(*b)))
		return -EFAULT;
	return ret;
}

long rtm_ioc_add_routes(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_add_route __user *ue;
	struct rtm_route_batch b;
	struct rtm_add_ctx *xs;
	s32 st[RTM_BATCH_CHUNK];
	s32 __user *us;
	unsigned int i, n;
	long ret;

	ret = batch_args(arg, &b);
	if (ret)
		return ret;
	ue = u64_to_user_ptr(b.entries);
	us = u64_to_user_ptr(b.status);
	xs = rtm_kvcalloc(RTM_BATCH_CHUNK, sizeof(*xs));
	if (!xs)
		return batch_end(arg, &b, -ENOMEM);	/* done: 0 */

	while (b.done < b.count) {
		n = min_t(unsigned int, b.count - b.done, RTM_BATCH_CHUNK);
		ret = -EFAULT;
		if (probe_user(us + b.done, st, sizeof(st[0]), n))
			break;
		memset(xs, 0, n * sizeof(*xs));
		for (i = 0; i < n; i++)
			if (probe_user(ue + b.done + i, &xs[i].a,
				       sizeof(xs[i].a), 1))
				break;
		if (i < n)
			break;

		for (i = 0; i < n; i++)
			st[i] = rtm_route_add_prepare(reg, &xs[i]);
		mutex_lock(&reg->table->lock);
		for (i = 0; i < n; i++) {
			if (st[i])
				continue;
			st[i] = rtm_route_add_locked(reg, &xs[i]);
			st[i] = entry_status(st[i]);
		}
		mutex_unlock(&reg->table->lock);
		ret = 0;
		for (i = 0; i < n; i++) {
			if (!st[i])
				st[i] = rtm_route_add_finish(reg, &xs[i]);
			/* Only a successful entry has outputs. */
			if (!st[i] && copy_to_user(ue + b.done + i, &xs[i].a,
						   sizeof(xs[i].a)))
				ret = -EFAULT;
			rtm_route_add_fini(&xs[i]);
		}
		if (copy_to_user(us + b.done, st, n * sizeof(st[0])))
			ret = -EFAULT;
		b.done += n;
		if (ret)
			break;
		if (b.done < b.count && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	kvfree(xs);
	return batch_end(arg, &b, ret);
}

long rtm_ioc_delete_routes(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_delete_route de[RTM_BATCH_CHUNK];
	struct rtm_route *rs[RTM_BATCH_CHUNK];
	struct rtm_delete_route __user *ue;
	struct rtm_route_batch b;
	s32 st[RTM_BATCH_CHUNK];
	s32 __user *us;
	unsigned int i, n;
	long ret = 0;

	ret = batch_args(arg, &b);
	if (ret)
		return ret;
	ue = u64_to_user_ptr(b.entries);
	us = u64_to_user_ptr(b.status);

	while (b.done < b.count) {
		n = min_t(unsigned int, b.count - b.done, RTM_BATCH_CHUNK);
		ret = -EFAULT;
		if (probe_user(us + b.done, st, sizeof(st[0]), n) ||
		    probe_user(ue + b.done, de, sizeof(de[0]), n))
			break;

		for (i = 0; i < n; i++) {
			rs[i] = NULL;
			st[i] = rtm_route_delete_prepare(reg, &de[i], &rs[i]);
		}
		mutex_lock(&reg->table->lock);
		for (i = 0; i < n; i++) {
			u32 cflags = 0;

			if (st[i])
				continue;
			/*
			 * An earlier entry may have consumed the reference
			 * (the same handle twice): as for a single call made
			 * after it, the handle is then invalid.
			 */
			if (!rtm_ref_held(reg, &rs[i]->obj)) {
				st[i] = -ESTALE;
				continue;
			}
			st[i] = rtm_route_delete_one_locked(reg, rs[i], &cflags);
			st[i] = entry_status(st[i]);
			/* Only a successful entry has outputs. */
			if (!st[i])
				de[i].change_flags = cflags;
		}
		mutex_unlock(&reg->table->lock);
		for (i = 0; i < n; i++)
			if (rs[i])
				rtm_obj_put(&rs[i]->obj);
		/* Probed above: these fail only if unmapped meanwhile. */
		ret = 0;
		if (copy_to_user(ue + b.done, de, n * sizeof(de[0])) ||
		    copy_to_user(us + b.done, st, n * sizeof(st[0])))
			ret = -EFAULT;
		b.done += n;
		if (ret)
			break;
		if (b.done < b.count && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	return batch_end(arg, &b, ret);
}
