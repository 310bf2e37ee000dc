// SPDX-License-Identifier: GPL-2.0
/*
 * Tables: one per (network namespace, RtmInstanceId, address family),
 * created by the first registration naming it and freed with its last
 * entity object.  A table pins its network namespace while it exists.
 */
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include "rtm.h"

static LIST_HEAD(rtm_tables);
static void table_free(struct work_struct *work);
static DEFINE_MUTEX(rtm_tables_lock);

struct rtm_table *rtm_table_get(struct net *net, u16 instance, u16 family)
{
	struct rtm_table *t;

	mutex_lock(&rtm_tables_lock);
	list_for_each_entry(t, &rtm_tables, node) {
		if (net_eq(t->net, net) && t->instance == instance &&
		    t->family == family) {
			refcount_inc(&t->ref);
			goto out;
		}
	}
	t = rtm_kzalloc(sizeof(*t));
	if (!t)
		goto out;
	refcount_set(&t->ref, 1);
	t->net = get_net(net);
	t->instance = instance;
	t->family = family;
	t->addr_bits = family == AF_INET ? 32 : 128;
	t->trie.addr_bits = t->addr_bits;
	mutex_init(&t->lock);
	INIT_LIST_HEAD(&t->entities);
	t->nexthops = RB_ROOT;
	rtm_timers_init(t);
	xa_init(&t->locks);
	init_waitqueue_head(&t->lock_wq);
	INIT_WORK(&t->free_work, table_free);
	list_add(&t->node, &rtm_tables);
	rtm_count(RTM_C_TABLES, 1);
out:
	mutex_unlock(&rtm_tables_lock);
	return t;
}

/*
 * Call @fn on every table (checker).  The list lock is not held while @fn
 * runs: @fn takes table mutexes, and a table mutex holder may take the
 * list lock (dropping a table's last reference), so each table is held by
 * a reference instead.
 */
void rtm_tables_for_each(void (*fn)(struct rtm_table *, void *), void *arg)
{
	struct rtm_table *t, **all;
	unsigned int n = 0, i;

	mutex_lock(&rtm_tables_lock);
	list_for_each_entry(t, &rtm_tables, node)
		n++;
	all = kmalloc_array(n ? n : 1, sizeof(*all), GFP_KERNEL);
	if (!all) {
		mutex_unlock(&rtm_tables_lock);
		return;
	}
	n = 0;
	list_for_each_entry(t, &rtm_tables, node)
		if (refcount_inc_not_zero(&t->ref))
			all[n++] = t;
	mutex_unlock(&rtm_tables_lock);
	for (i = 0; i < n; i++) {
		fn(all[i], arg);
		rtm_table_put(all[i]);
	}
	kfree(all);
}

void rtm_table_put(struct rtm_table *t)
{
	if (!refcount_dec_and_mutex_lock(&t->ref, &rtm_tables_lock))
		return;
	list_del(&t->node);
	mutex_unlock(&rtm_tables_lock);
	rtm_count(RTM_C_TABLES, -1);
	/*
	 * Freed from the workqueue: the last reference may be dropped by
	 * the table's own timer work, which must be stopped first.
	 */
	queue_work(rtm_wq, &t->free_work);
}

static void table_free(struct work_struct *work)
{
	struct rtm_table *t = container_of(work, struct rtm_table, free_work);

	cancel_delayed_work_sync(&t->timer_work);
	/* Every dest and next hop holds an entity, so all are gone. */
	WARN_ON(rcu_access_pointer(t->trie.root));
	WARN_ON(!RB_EMPTY_ROOT(&t->nexthops));
	WARN_ON(!RB_EMPTY_ROOT(&t->timers));
	put_net(t->net);
	mutex_destroy(&t->lock);
	kfree(t);
}

/*
 * Module unload: no file is open, but hold-downs may still keep tables
 * (a held route holds its owner).  End them all now.
 */
void rtm_tables_exit(void)
{
	struct rtm_table *t;

	for (;;) {
		mutex_lock(&rtm_tables_lock);
		t = list_first_entry_or_null(&rtm_tables, struct rtm_table,
					     node);
		if (t && !refcount_inc_not_zero(&t->ref))
			t = NULL;
		mutex_unlock(&rtm_tables_lock);
		if (!t)
			break;
		rtm_timers_flush(t, NULL);
		rtm_table_put(t);
	}
	flush_workqueue(rtm_wq);
}

/*
 * Validate and canonicalise a prefix of the caller's family (spec part 1,
 * 2.5): the family must match, the length fit, and bits past it are
 * cleared.
 */
int rtm_addr_from_user(struct rtm_table *t, const struct rtm_addr *ua,
		       u8 *key, unsigned int *bits)
{
	if (ua->family != t->family || ua->bits > t->addr_bits || ua->reserved)
		return -EINVAL;
	memcpy(key, ua->addr, RTM_MAX_ADDR_BYTES);
	if (t->addr_bits == 32)
		memset(key + 4, 0, RTM_MAX_ADDR_BYTES - 4);
	rtm_prefix_canon(key, ua->bits);
	*bits = ua->bits;
	return 0;
}

void rtm_addr_to_user(struct rtm_table *t, const u8 *key, unsigned int bits,
		      struct rtm_addr *ua)
{
	memset(ua, 0, sizeof(*ua));
	ua->family = t->family;
	ua->bits = bits;
	memcpy(ua->addr, key, t->addr_bits / 8);
}

/*
 * Now as a Windows FILETIME: 100 ns ticks since 1601-01-01 UTC.  Every
 * route change stamps its dest, so the clock is the coarse one (tick
 * resolution, no clocksource read: under TCG that read is an emulated
 * HPET access costing a few percent of a route add).
 */
u64 rtm_filetime_now(void)
{
	return div_u64(ktime_to_ns(ktime_get_coarse_real()), 100) +
	       116444736000000000ULL;
}
