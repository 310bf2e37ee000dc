// SPDX-License-Identifier: GPL-2.0
/*
 * Slab caches of the objects a table has millions of: routes, dests and
 * trie nodes.  Their own caches hold them at their exact size (kmalloc
 * would round 168, 200 and 72 bytes up to 192, 256 and 96), and
 * /proc/slabinfo shows what the table costs.  Objects are freed after an
 * RCU grace period through call_rcu(), not kfree_rcu(), so that the
 * rcu_barrier() at unload waits for them before the caches go.
 */
#include <linux/slab.h>
#include "rtm.h"

struct kmem_cache *rtm_route_cache;
struct kmem_cache *rtm_dest_cache;
struct kmem_cache *rtm_tnode_cache;

static void route_free_rcu(struct rcu_head *h)
{
	kmem_cache_free(rtm_route_cache,
			container_of(h, struct rtm_route, obj.rcu));
}

static void dest_free_rcu(struct rcu_head *h)
{
	kmem_cache_free(rtm_dest_cache,
			container_of(h, struct rtm_dest, obj.rcu));
}

static void tnode_free_rcu(struct rcu_head *h)
{
	kmem_cache_free(rtm_tnode_cache,
			container_of(h, struct rtm_tnode, rcu));
}

void rtm_route_free_rcu(struct rtm_route *r)
{
	call_rcu(&r->obj.rcu, route_free_rcu);
}

void rtm_dest_free_rcu(struct rtm_dest *d)
{
	call_rcu(&d->obj.rcu, dest_free_rcu);
}

void rtm_tnode_free_rcu(struct rtm_tnode *n)
{
	call_rcu(&n->rcu, tnode_free_rcu);
}

/* Charged to the caller's memcg, as every allocation a caller causes. */
#define RTM_CACHE(name, type) \
	kmem_cache_create(name, sizeof(type), __alignof__(type), \
			  SLAB_ACCOUNT, NULL)

int rtm_caches_init(void)
{
	rtm_route_cache = RTM_CACHE("rtm_route", struct rtm_route);
	rtm_dest_cache = RTM_CACHE("rtm_dest", struct rtm_dest);
	rtm_tnode_cache = RTM_CACHE("rtm_tnode", struct rtm_tnode);
	if (rtm_route_cache && rtm_dest_cache && rtm_tnode_cache)
		return 0;
	rtm_caches_exit();
	return -ENOMEM;
}

/* After rcu_barrier(): no free is pending any more. */
void rtm_caches_exit(void)
{
	kmem_cache_destroy(rtm_tnode_cache);
	kmem_cache_destroy(rtm_dest_cache);
	kmem_cache_destroy(rtm_route_cache);
}
