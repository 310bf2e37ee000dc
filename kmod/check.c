// SPDX-License-Identifier: GPL-2.0
/*
 * The consistency checker: reading /sys/kernel/debug/rtm/check walks every
 * table under its mutex and verifies the invariants the rest of the module
 * relies on: trie shape and keys, dest <-> node links, the retention rule,
 * ranked route lists, per-view counts and best routes (with the tie rule),
 * the next-hop tree order, entity lists and reference counts.  It prints
 * one line per violation and a final "errors N" line; tests assert N = 0
 * after stress and fault-injection runs.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "rtm.h"

struct check {
	struct seq_file *m;
	unsigned long errors;
	unsigned long dests, routes, nexthops, nodes;
};

static __printf(2, 3) void bad(struct check *c, const char *fmt, ...)
{
	va_list args;

	c->errors++;
	seq_puts(c->m, "error: ");
	va_start(args, fmt);
	seq_vprintf(c->m, fmt, args);
	va_end(args);
	seq_putc(c->m, '\n');
}

static unsigned int node_bit(const u8 *key, unsigned int i)
{
	return (key[i >> 3] >> (7 - (i & 7))) & 1;
}

static void check_dest(struct check *c, struct rtm_dest *d)
{
	struct rtm_route *r, *prev = NULL;
	u32 belongs = 0, n = 0;
	unsigned int v;

	if (refcount_read(&d->obj.ref) < 1)
		bad(c, "dest %pI6c/%u: refcount %u", d->key, d->bits,
		    refcount_read(&d->obj.ref));
	list_for_each_entry(r, &d->routes, node) {
		n++;
		c->routes++;
		belongs |= r->views;
		if (r->dest != d)
			bad(c, "route %llu: on a list not of its dest",
			    rtm_obj_handle(&r->obj));
		if (r->state != RTM_ROUTE_STATE_CREATED)
			bad(c, "route %llu: listed with state %u",
			    rtm_obj_handle(&r->obj), r->state);
		if (refcount_read(&r->obj.ref) < 1)
			bad(c, "route %llu: refcount 0", rtm_obj_handle(&r->obj));
		if (prev && (prev->pref > r->pref ||
			     (prev->pref == r->pref && prev->metric > r->metric) ||
			     (prev->pref == r->pref && prev->metric == r->metric &&
			      prev->age >= r->age)))
			bad(c, "dest %pI6c/%u: routes out of rank order",
			    d->key, d->bits);
		prev = r;
	}
	if (n != d->nroutes)
		bad(c, "dest %pI6c/%u: nroutes %u, listed %u", d->key, d->bits,
		    d->nroutes, n);
	if (belongs != d->belongs)
		bad(c, "dest %pI6c/%u: belongs %#x, routes say %#x", d->key,
		    d->bits, d->belongs, belongs);
	if (!n && !d->opaque_set && !d->marks && !d->view[0].hold &&
	    !d->view[1].hold)
		bad(c, "dest %pI6c/%u: linked without reason to stay",
		    d->key, d->bits);
	for (v = 0; v < RTM_NUM_VIEWS; v++) {
		struct rtm_route *best = d->view[v].best, *top = NULL;
		u32 nv = 0;

		list_for_each_entry(r, &d->routes, node) {
			if (!(r->views & BIT(v)))
				continue;
			nv++;
			if (!top && rtm_route_eligible(r, v))
				top = r;
		}
		if (nv != d->view[v].nroutes)
			bad(c, "dest %pI6c/%u view %u: nroutes %u, counted %u",
			    d->key, d->bits, v, d->view[v].nroutes, nv);
		if (!top != !best || (best && (!rtm_route_eligible(best, v) ||
					       best->dest != d ||
					       best->pref != top->pref ||
					       best->metric != top->metric)))
			bad(c, "dest %pI6c/%u view %u: wrong best route",
			    d->key, d->bits, v);
		if (d->view[v].hold &&
		    (d->view[v].hold->state != RTM_ROUTE_STATE_DELETING ||
		     d->view[v].hold->dest != d || !d->view[v].hold_tm))
			bad(c, "dest %pI6c/%u view %u: bad hold-down route",
			    d->key, d->bits, v);
		if (d->view[v].flags != (best ? best->flags : 0))
			bad(c, "dest %pI6c/%u view %u: stale flags", d->key,
			    d->bits, v);
	}
}

/* Walk the trie with an explicit stack (it may be 129 deep). */
static void check_trie(struct check *c, struct rtm_table *t)
{
	struct rtm_tnode **stack;
	unsigned int sp = 0, i;

	stack = kmalloc_array(2 * (t->addr_bits + 2), sizeof(*stack),
			      GFP_KERNEL);
	if (!stack) {
		bad(c, "no memory to check the trie");
		return;
	}
	if (rcu_access_pointer(t->trie.root)) {
		struct rtm_tnode *root = rcu_dereference_protected(t->trie.root, 1);

		if (root->parent)
			bad(c, "root node has a parent");
		stack[sp++] = root;
	}
	while (sp) {
		struct rtm_tnode *n = stack[--sp], *ch[2];
		u8 canon[RTM_MAX_ADDR_BYTES];

		c->nodes++;
		memcpy(canon, n->key, sizeof(canon));
		rtm_prefix_canon(canon, n->bits);
		if (memcmp(canon, n->key, sizeof(canon)) || n->bits > t->addr_bits)
			bad(c, "node %pI6c/%u: key not canonical", n->key, n->bits);
		for (i = 0; i < 2; i++) {
			ch[i] = rcu_dereference_protected(n->child[i], 1);
			if (!ch[i])
				continue;
			if (ch[i]->parent != n || ch[i]->bits <= n->bits ||
			    !rtm_prefix_covers(n->key, n->bits, ch[i]->key,
					       ch[i]->bits) ||
			    node_bit(ch[i]->key, n->bits) != i)
				bad(c, "node %pI6c/%u: bad child %u", n->key,
				    n->bits, i);
			else if (sp < 2 * (t->addr_bits + 2))
				stack[sp++] = ch[i];
		}
		if (n->dest) {
			c->dests++;
			if (n->dest->tnode != n || n->dest->bits != n->bits ||
			    memcmp(n->dest->key, n->key, sizeof(n->key)))
				bad(c, "node %pI6c/%u: dest link broken", n->key,
				    n->bits);
			check_dest(c, n->dest);
		} else if (!ch[0] || !ch[1]) {
			bad(c, "branch node %pI6c/%u without two children",
			    n->key, n->bits);
		}
	}
	kfree(stack);
}

static void check_nexthops(struct check *c, struct rtm_table *t)
{
	struct rtm_nexthop *nh, *prev = NULL;
	struct rb_node *n;

	for (n = rb_first(&t->nexthops); n; n = rb_next(n)) {
		nh = rb_entry(n, struct rtm_nexthop, rb);
		c->nexthops++;
		if (nh->state != RTM_NEXTHOP_STATE_CREATED)
			bad(c, "next hop %llu: in the tree with state %u",
			    rtm_obj_handle(&nh->obj), nh->state);
		if (nh->owner->table != t)
			bad(c, "next hop %llu: owner of another table",
			    rtm_obj_handle(&nh->obj));
		if (prev && rtm_nexthop_key_cmp(prev, nh->key, nh->bits,
						nh->ifindex,
						nh->owner->seq) >= 0)
			bad(c, "next hop %llu: tree out of order",
			    rtm_obj_handle(&nh->obj));
		prev = nh;
	}
}

static void check_table(struct rtm_table *t, void *arg)
{
	struct check *c = arg;
	struct rtm_entity *e;
	unsigned int n = 0;

	mutex_lock(&t->lock);
	list_for_each_entry(e, &t->entities, node) {
		n++;
		if (!e->registered || e->table != t)
			bad(c, "entity %llu: listed but not registered here",
			    rtm_obj_handle(&e->obj));
	}
	if (n != t->nentities)
		bad(c, "table %u/%u: nentities %u, listed %u", t->instance,
		    t->family, t->nentities, n);
	check_trie(c, t);
	check_nexthops(c, t);
	mutex_unlock(&t->lock);
}

static int rtm_check_show(struct seq_file *m, void *v)
{
	struct check c = { .m = m };

	rtm_tables_for_each(check_table, &c);
	seq_printf(m, "checked %lu nodes, %lu dests, %lu routes, %lu next hops\n",
		   c.nodes, c.dests, c.routes, c.nexthops);
	seq_printf(m, "errors %lu\n", c.errors);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rtm_check);

void rtm_check_init(struct dentry *dir)
{
	debugfs_create_file("check", 0444, dir, NULL, &rtm_check_fops);
}
