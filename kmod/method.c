// SPDX-License-Identifier: GPL-2.0
/*
 * Entity methods across processes (spec part 1, 4 and 2.10 P4).
 *
 * Exported methods are function pointers of the callee's process, so a
 * call from another process is relayed: RTM_IOC_INVOKE queues a call to
 * the callee's file (RTM_EV_METHOD_CALL), the callee's librtm event thread
 * fetches the input (RTM_IOC_METHOD_INPUT), runs the methods and answers
 * (RTM_IOC_METHOD_REPLY), and the caller waits, killable and bounded by a
 * timeout, so a dead, stuck or blocked callee never hangs it.  A callee
 * that deregisters fails its pending calls with -ESTALE.
 */
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include "rtm.h"

struct rtm_call {
	struct list_head node;		/* callee reg->calls while pending */
	refcount_t ref;
	u64 id;
	u64 caller;			/* caller entity handle */
	void *in;
	u32 in_size;
	void *out;
	u32 out_cap;
	u32 out_size;
	int status;			/* 0 pending, 1 answered, <0 error */
	bool taken;			/* the callee fetched it */
	wait_queue_head_t wait;
};

static atomic64_t rtm_call_ids;

static void call_put(struct rtm_call *c)
{
	if (!refcount_dec_and_test(&c->ref))
		return;
	kvfree(c->in);
	kvfree(c->out);
	kfree(c);
}

/* The callee side of a registration: pending calls and blocking. */
void rtm_methods_init(struct rtm_reg *reg)
{
	spin_lock_init(&reg->call_lock);
	INIT_LIST_HEAD(&reg->calls);
	init_waitqueue_head(&reg->call_wait);
}

/* Teardown: refuse new calls and fail the pending ones. */
void rtm_methods_stop(struct rtm_reg *reg)
{
	struct rtm_call *c, *tmp;
	LIST_HEAD(list);

	spin_lock(&reg->call_lock);
	reg->calls_dead = true;
	list_splice_init(&reg->calls, &list);
	reg->inflight = 0;
	spin_unlock(&reg->call_lock);
	list_for_each_entry_safe(c, tmp, &list, node) {
		list_del_init(&c->node);
		c->status = -ESTALE;
		wake_up_all(&c->wait);
		call_put(c);
	}
	wake_up_all(&reg->call_wait);
}

long rtm_ioc_get_methods(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_get_methods gm;
	struct rtm_entity *e;
	struct rtm_obj *o;
	u32 n;
	long ret = 0;

	if (copy_from_user(&gm, arg, sizeof(gm)))
		return -EFAULT;
	if (gm.reserved)
		return -EINVAL;
	o = rtm_obj_get(gm.entity, RTM_HT_ENTITY, reg->table);
	if (!o)
		return -ESTALE;
	e = container_of(o, struct rtm_entity, obj);
	if (!READ_ONCE(e->registered)) {
		ret = -ESTALE;
		goto out;
	}
	/* Capacity 0 asks for the count (spec 4.2). */
	n = gm.count ? min(gm.count, e->num_methods) : 0;
	if (n && copy_to_user(u64_to_user_ptr(gm.buf), e->methods,
			      n * sizeof(u64))) {
		ret = -EFAULT;
		goto out;
	}
	if (gm.count && gm.count < e->num_methods)
		ret = -ENOBUFS;
	gm.count = gm.count ? n : e->num_methods;
	if (copy_to_user(arg, &gm, sizeof(gm)))
		ret = -EFAULT;
out:
	rtm_obj_put(o);
	return ret;
}

/* Wait while the callee blocks its methods; 0, or an error. */
static long wait_unblocked(struct rtm_reg *callee, long *timeout)
{
	long left = wait_event_killable_timeout(callee->call_wait,
						!READ_ONCE(callee->blocked) ||
						READ_ONCE(callee->calls_dead),
						*timeout);

	if (left < 0)
		return left;
	if (!left)
		return -ETIMEDOUT;
	*timeout = left;
	return READ_ONCE(callee->calls_dead) ? -ESTALE : 0;
}

/* Method bit i is the callee's exported method i (RtmRegisterEntity). */
static u32 exported_mask(const struct rtm_entity *e)
{
	return e->num_methods >= 32 ? U32_MAX : BIT(e->num_methods) - 1;
}

long rtm_ioc_invoke(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_reg *callee = NULL;
	struct rtm_invoke iv;
	struct rtm_event ev = { .type = RTM_EV_METHOD_CALL };
	struct rtm_entity *e;
	struct rtm_call *c;
	struct rtm_obj *o;
	long timeout, left, ret;

	if (copy_from_user(&iv, arg, sizeof(iv)))
		return -EFAULT;
	if (iv.reserved || iv.in_size < 8 || iv.in_size > RTM_METHOD_MAX_IO)
		return -EINVAL;
	/* A bigger buffer is fine: methods cannot fill more than this. */
	iv.out_size = min_t(u32, iv.out_size, RTM_METHOD_MAX_IO);
	o = rtm_obj_get(iv.entity, RTM_HT_ENTITY, reg->table);
	if (!o)
		return -ESTALE;
	e = container_of(o, struct rtm_entity, obj);
	ret = -ENOMEM;
	c = rtm_kzalloc(sizeof(*c));
	if (!c)
		goto out_put;
	refcount_set(&c->ref, 1);
	INIT_LIST_HEAD(&c->node);
	init_waitqueue_head(&c->wait);
	c->in = rtm_kvcalloc(1, iv.in_size);
	c->out = rtm_kvcalloc(1, max_t(u32, iv.out_size, 1));
	if (!c->in || !c->out)
		goto out_call;
	ret = -EFAULT;
	if (copy_from_user(c->in, u64_to_user_ptr(iv.in), iv.in_size))
		goto out_call;
	c->in_size = iv.in_size;
	c->out_cap = iv.out_size;
	c->caller = rtm_obj_handle(&reg->entity->obj);
	c->id = atomic64_inc_return(&rtm_call_ids);
	timeout = msecs_to_jiffies(iv.timeout_ms ? iv.timeout_ms :
				   rtm_method_timeout_ms);

	/* The callee's registration, while it lasts. */
	mutex_lock(&reg->table->lock);
	if (e->registered && e->reg) {
		callee = e->reg;
		refcount_inc(&callee->ref);	/* its file may close meanwhile */
	}
	ret = -ESTALE;
	if (!callee) {
		mutex_unlock(&reg->table->lock);
		goto out_call;
	}
	spin_lock(&callee->call_lock);
	if (callee->calls_dead) {
		spin_unlock(&callee->call_lock);
		mutex_unlock(&reg->table->lock);
		goto out_call;
	}
	/*
	 * No selected bit names an exported method: nothing runs, and the
	 * answer is NO_ERROR with no output (spec 4.3, Proposed) without
	 * waking the callee, which may not even read its events.
	 */
	if (!(*(u32 *)c->in & exported_mask(e))) {
		spin_unlock(&callee->call_lock);
		mutex_unlock(&reg->table->lock);
		iv.out_size = 0;
		ret = copy_to_user(arg, &iv, sizeof(iv)) ? -EFAULT : 0;
		goto out_call;
	}
	refcount_inc(&c->ref);		/* the callee's list */
	list_add_tail(&c->node, &callee->calls);
	spin_unlock(&callee->call_lock);
	mutex_unlock(&reg->table->lock);

	/* Held back while the callee blocks its methods (spec 4.3). */
	ret = wait_unblocked(callee, &timeout);
	if (!ret) {
		ev.context = c->id;
		ev.handle = c->caller;
		ret = rtm_event_queue(callee, &ev, false);
	}
	if (!ret) {
		left = wait_event_killable_timeout(c->wait, c->status, timeout);
		ret = left < 0 ? left : !left ? -ETIMEDOUT : 0;
	}
	spin_lock(&callee->call_lock);
	if (!list_empty(&c->node)) {
		/* Not answered: take it back. */
		list_del_init(&c->node);
		if (c->taken && callee->inflight)
			callee->inflight--;
		call_put(c);
	}
	spin_unlock(&callee->call_lock);
	wake_up_all(&callee->call_wait);
	if (!ret && c->status < 0)
		ret = c->status;
	if (!ret) {
		iv.out_size = c->out_size;
		if (copy_to_user(u64_to_user_ptr(iv.out), c->out, c->out_size) ||
		    copy_to_user(arg, &iv, sizeof(iv)))
			ret = -EFAULT;
	}
out_call:
	if (callee)
		rtm_reg_put(callee);
	call_put(c);
out_put:
	rtm_obj_put(o);
	return ret;
}

/* A pending call of @reg by id, with a reference; call_lock held. */
static struct rtm_call *find_call(struct rtm_reg *reg, u64 id)
{
	struct rtm_call *c;

	list_for_each_entry(c, &reg->calls, node)
		if (c->id == id) {
			refcount_inc(&c->ref);
			return c;
		}
	return NULL;
}

long rtm_ioc_method_input(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_method_input mi;
	struct rtm_call *c;
	long ret = 0;

	if (copy_from_user(&mi, arg, sizeof(mi)))
		return -EFAULT;
	spin_lock(&reg->call_lock);
	c = find_call(reg, mi.call);
	if (c && !c->taken) {
		c->taken = true;
		reg->inflight++;
	}
	spin_unlock(&reg->call_lock);
	if (!c)
		return -ESTALE;
	mi.caller = c->caller;
	mi.out_cap = c->out_cap;
	if (mi.in_size < c->in_size)
		ret = -ENOBUFS;
	else if (copy_to_user(u64_to_user_ptr(mi.in), c->in, c->in_size))
		ret = -EFAULT;
	mi.in_size = c->in_size;
	if (copy_to_user(arg, &mi, sizeof(mi)))
		ret = -EFAULT;
	call_put(c);
	return ret;
}

long rtm_ioc_method_reply(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_method_reply mr;
	struct rtm_call *c;
	void *buf = NULL;

	if (copy_from_user(&mr, arg, sizeof(mr)))
		return -EFAULT;
	if (mr.reserved || mr.out_size > RTM_METHOD_MAX_IO)
		return -EINVAL;
	if (mr.out_size) {
		buf = rtm_vmemdup_user(u64_to_user_ptr(mr.out), mr.out_size);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
	}
	spin_lock(&reg->call_lock);
	c = find_call(reg, mr.call);
	if (c && mr.out_size > c->out_cap) {
		spin_unlock(&reg->call_lock);
		call_put(c);
		kvfree(buf);
		return -EINVAL;
	}
	if (c) {
		if (mr.out_size)
			memcpy(c->out, buf, mr.out_size);
		c->out_size = mr.out_size;
		c->status = 1;
		list_del_init(&c->node);
		if (c->taken && reg->inflight)
			reg->inflight--;
	}
	spin_unlock(&reg->call_lock);
	kvfree(buf);
	if (!c)
		return -ESTALE;	/* the caller gave up or died */
	wake_up_all(&c->wait);
	wake_up_all(&reg->call_wait);
	call_put(c);		/* the list's */
	call_put(c);		/* ours */
	return 0;
}

/*
 * RtmBlockMethods: a flag, not a counter.  New calls are held back while
 * it is set; waiting for the calls already running (other than one on the
 * calling thread, spec 4.4) is librtm's part, since it runs them.
 */
long rtm_ioc_block_methods(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_block_methods bm;

	if (copy_from_user(&bm, arg, sizeof(bm)))
		return -EFAULT;
	if (bm.reserved || bm.block > 1)
		return -EINVAL;
	WRITE_ONCE(reg->blocked, bm.block);
	wake_up_all(&reg->call_wait);
	return 0;
}
