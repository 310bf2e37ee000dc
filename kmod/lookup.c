// SPDX-License-Identifier: GPL-2.0
/*
 * Destination lookups: RtmGetDestInfo, RtmGetExactMatchDestination,
 * RtmGetMostSpecificDestination and RtmGetLessSpecificDestination.
 *
 * The trie is searched under RCU and the reply is filled from the dest's
 * seqcount-protected state (dest.c): a lookup takes no lock, so readers
 * scale and never wait for writers.
 */
#include <linux/uaccess.h>
#include "rtm.h"

/* The dest a query names, with a temporary reference, or an error. */
static struct rtm_dest *query_dest(struct rtm_reg *reg,
				   struct rtm_dest_query *q, u32 views)
{
	struct rtm_table *t = reg->table;
	u8 key[RTM_MAX_ADDR_BYTES];
	struct rtm_dest *d = NULL, *from;
	struct rtm_tnode *n;
	struct rtm_obj *o;
	unsigned int bits;

	if (q->op == RTM_DQ_HANDLE || q->op == RTM_DQ_LESS) {
		o = rtm_obj_get(q->handle, RTM_HT_DEST, t);
		if (!o)
			return ERR_PTR(-ESTALE);
		from = container_of(o, struct rtm_dest, obj);
		if (q->op == RTM_DQ_HANDLE)
			return from;
		/* A dest no longer in the table still works: its prefix. */
		memcpy(key, from->key, RTM_MAX_ADDR_BYTES);
		bits = from->bits;
		rtm_obj_put(o);
		if (!bits)
			return ERR_PTR(-ENOENT);
	} else if (rtm_addr_from_user(t, &q->addr, key, &bits)) {
		return ERR_PTR(-EINVAL);
	}

	rcu_read_lock();
	switch (q->op) {
	case RTM_DQ_EXACT:
		n = rtm_trie_exact(&t->trie, key, bits);
		d = n ? READ_ONCE(n->dest) : NULL;
		if (d && !rtm_dest_has_views(d, views))
			d = NULL;
		break;
	case RTM_DQ_LONGEST:
		d = rtm_trie_longest(&t->trie, key, bits, bits, views);
		break;
	default:
		d = rtm_trie_longest(&t->trie, key, bits, bits - 1, views);
		break;
	}
	if (d && !refcount_inc_not_zero(&d->obj.ref))
		d = NULL;	/* being freed: it has left the table */
	rcu_read_unlock();
	return d ? d : ERR_PTR(-ENOENT);
}

long rtm_ioc_dest_query(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_grab g = { 0 };
	struct rtm_dest_query q;
	struct rtm_dest *d;
	u32 protocol;
	long ret;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	if (q.op >= RTM_DQ_MAX || q.reserved || rtm_views_check(&q.views))
		return -EINVAL;
	protocol = q.protocol == RTM_THIS_PROTOCOL ?
		   rtm_entity_protocol(reg->entity) : q.protocol;
	d = query_dest(reg, &q, q.views);
	if (IS_ERR(d))
		return PTR_ERR(d);
	ret = rtm_grab_init(&g, 1 + 3 * RTM_NUM_VIEWS);
	if (ret)
		goto out;
	ret = rtm_dest_fill(reg, d, protocol, q.views, &q.rec, &g);
	if (ret) {
		rtm_grab_abort(&g);
		goto out;
	}
	if (copy_to_user(arg, &q, sizeof(q))) {
		rtm_grab_abort(&g);
		ret = -EFAULT;
		goto out;
	}
	ret = rtm_grab_commit(&g, reg);
out:
	rtm_obj_put(&d->obj);
	return ret;
}
