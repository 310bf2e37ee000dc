// SPDX-License-Identifier: GPL-2.0
/*
 * A path-compressed binary trie of prefixes of up to 128 bits.
 *
 * Each node is a prefix (key, bits); a node either carries a destination
 * or is a branch node with exactly two children (branch nodes are created
 * where two prefixes diverge and removed as soon as one side goes), so
 * every leaf carries a destination and the depth is at most bits + 1.
 * Writers hold the table mutex; readers walk under RCU: nodes are fully
 * built before rcu_assign_pointer() publishes them and freed after a
 * grace period, and unlinking a node never changes its own children.
 *
 * A pre-order walk (node, child 0, child 1) visits prefixes in the order
 * the spec asks of enumerations: by address, then by length.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include "rtm.h"

static inline unsigned int key_bit(const u8 *key, unsigned int i)
{
	return (key[i >> 3] >> (7 - (i & 7))) & 1;
}

void rtm_prefix_canon(u8 *key, unsigned int bits)
{
	unsigned int i;

	if (bits >= RTM_MAX_ADDR_BYTES * 8)
		return;
	if (bits & 7)
		key[bits >> 3] &= (u8)(0xff << (8 - (bits & 7)));
	for (i = (bits + 7) >> 3; i < RTM_MAX_ADDR_BYTES; i++)
		key[i] = 0;
}

/* Number of equal leading bits of @a and @b, at most @max. */
static unsigned int common_bits(const u8 *a, const u8 *b, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < RTM_MAX_ADDR_BYTES && n < max; i++) {
		u8 x = a[i] ^ b[i];

		if (x) {
			n += __builtin_clz((unsigned int)x) - 24;
			break;
		}
		n += 8;
	}
	return min(n, max);
}

/*
 * Do @a and @b agree on bits [@from, @to)?  A walk down the trie has
 * matched a node's parent already, and a child extends its parent's
 * prefix, so only the bits the child adds need a look.
 */
static bool bits_equal(const u8 *a, const u8 *b, unsigned int from,
		       unsigned int to)
{
	unsigned int i, last;

	if (from >= to)
		return true;
	last = (to - 1) >> 3;
	for (i = from >> 3; i <= last; i++) {
		u8 mask = 0xff;

		if (i == from >> 3)
			mask &= 0xff >> (from & 7);
		if (i == last && (to & 7))
			mask &= (u8)(0xff << (8 - (to & 7)));
		if ((a[i] ^ b[i]) & mask)
			return false;
	}
	return true;
}

/* The first bit in [@from, @to) where @a and @b differ, or @to. */
static unsigned int first_diff(const u8 *a, const u8 *b, unsigned int from,
			       unsigned int to)
{
	unsigned int i;

	for (i = from >> 3; i << 3 < to; i++) {
		u8 x = a[i] ^ b[i];

		if (i == from >> 3)
			x &= 0xff >> (from & 7);
		if (x)
			return min(to, (i << 3) + __builtin_clz((unsigned int)x) - 24);
	}
	return to;
}

/* Does prefix (@pkey, @pbits) cover (@key, @bits)? */
bool rtm_prefix_covers(const u8 *pkey, unsigned int pbits,
		       const u8 *key, unsigned int bits)
{
	return pbits <= bits && common_bits(pkey, key, pbits) == pbits;
}

/* Canonical keys compare as big-endian bit strings, then by length. */
int rtm_key_cmp(const u8 *a, unsigned int abits, const u8 *b,
		unsigned int bits)
{
	int c = memcmp(a, b, RTM_MAX_ADDR_BYTES);

	if (c)
		return c;
	return abits < bits ? -1 : abits > bits;
}

static struct rtm_tnode *tnode_alloc(const u8 *key, unsigned int bits,
				     struct rtm_tnode *parent)
{
	struct rtm_tnode *n = rtm_cache_zalloc(rtm_tnode_cache);

	if (!n)
		return NULL;
	memcpy(n->key, key, RTM_MAX_ADDR_BYTES);
	rtm_prefix_canon(n->key, bits);
	n->bits = bits;
	n->parent = parent;
	return n;
}

#define tderef(p)	rcu_dereference_protected(p, 1)

/*
 * Find or add the node of prefix (@key, @bits); the caller holds the
 * table mutex and sets ->dest.  Returns NULL on allocation failure.
 */
struct rtm_tnode *rtm_trie_insert(struct rtm_trie *t, const u8 *key,
				  unsigned int bits)
{
	struct rtm_tnode __rcu **link = &t->root;
	struct rtm_tnode *node, *parent = NULL, *n, *branch;
	unsigned int c;

	while ((node = tderef(*link))) {
		if (node->bits > bits ||
		    common_bits(node->key, key, node->bits) != node->bits)
			break;
		if (node->bits == bits)
			return node;
		parent = node;
		link = &node->child[key_bit(key, node->bits)];
	}
	n = tnode_alloc(key, bits, parent);
	if (!n)
		return NULL;
	if (!node) {
		rcu_assign_pointer(*link, n);
		return n;
	}
	c = common_bits(node->key, key, min_t(unsigned int, node->bits, bits));
	if (c == bits) {
		/* The new prefix covers @node: it goes in between. */
		RCU_INIT_POINTER(n->child[key_bit(node->key, bits)], node);
		rcu_assign_pointer(*link, n);
		node->parent = n;
		return n;
	}
	branch = tnode_alloc(key, c, parent);
	if (!branch) {
		kmem_cache_free(rtm_tnode_cache, n);
		return NULL;
	}
	RCU_INIT_POINTER(branch->child[key_bit(node->key, c)], node);
	RCU_INIT_POINTER(branch->child[key_bit(key, c)], n);
	n->parent = branch;
	rcu_assign_pointer(*link, branch);
	node->parent = branch;
	return n;
}

/* Caller holds rcu_read_lock() or the table mutex. */
struct rtm_tnode *rtm_trie_exact(struct rtm_trie *t, const u8 *key,
				 unsigned int bits)
{
	struct rtm_tnode *node = rcu_dereference_check(t->root, 1);
	unsigned int matched = 0;

	while (node && node->bits <= bits &&
	       bits_equal(node->key, key, matched, node->bits)) {
		if (node->bits == bits)
			return node;
		matched = node->bits;
		node = rcu_dereference_check(node->child[key_bit(key, node->bits)], 1);
	}
	return NULL;
}

static struct rtm_tnode __rcu **parent_link(struct rtm_trie *t,
					    struct rtm_tnode *n)
{
	struct rtm_tnode *p = n->parent;

	if (!p)
		return &t->root;
	return tderef(p->child[0]) == n ? &p->child[0] : &p->child[1];
}

/* Unlink one node that has at most one child. */
static void splice_out(struct rtm_trie *t, struct rtm_tnode *n)
{
	struct rtm_tnode *child = tderef(n->child[0]);

	if (!child)
		child = tderef(n->child[1]);
	rcu_assign_pointer(*parent_link(t, n), child);
	if (child)
		child->parent = n->parent;
	rtm_tnode_free_rcu(n);
}

/*
 * Remove node @n whose ->dest the caller has just cleared (table mutex
 * held).  A node with two children stays as a branch node; a branch node
 * left with one child by the removal goes too.
 */
void rtm_trie_remove(struct rtm_trie *t, struct rtm_tnode *n)
{
	struct rtm_tnode *parent = n->parent;
	bool leaf = !tderef(n->child[0]) && !tderef(n->child[1]);

	if (tderef(n->child[0]) && tderef(n->child[1]))
		return;
	splice_out(t, n);
	if (leaf && parent && !parent->dest)
		splice_out(t, parent);
}

/*
 * Longest-prefix match: the most specific destination covering (@key,
 * @bits) for which @ok (if given) says yes.  Caller holds RCU or the mutex.
 */
struct rtm_dest *rtm_trie_longest(struct rtm_trie *t, const u8 *key,
				  unsigned int bits, unsigned int max_bits,
				  u32 views)
{
	struct rtm_tnode *node = rcu_dereference_check(t->root, 1);
	struct rtm_dest *best = NULL, *d;
	unsigned int matched = 0;

	while (node && node->bits <= max_bits && node->bits <= bits &&
	       bits_equal(node->key, key, matched, node->bits)) {
		matched = node->bits;
		d = READ_ONCE(node->dest);
		if (d && rtm_dest_has_views(d, views))
			best = d;
		if (node->bits == bits)
			break;
		node = rcu_dereference_check(node->child[key_bit(key, node->bits)], 1);
	}
	return best;
}

/* The first destination of a subtree in pre-order. */
static struct rtm_dest *first_in(struct rtm_tnode *node)
{
	struct rtm_tnode *next;

	while (node) {
		struct rtm_dest *d = READ_ONCE(node->dest);

		if (d)
			return d;
		next = rcu_dereference_check(node->child[0], 1);
		node = next ? next : rcu_dereference_check(node->child[1], 1);
	}
	return NULL;
}

/*
 * The first destination in enumeration order after (@key, @bits), or at
 * it when @inclusive.  Walks one root-to-leaf path remembering the nearest
 * right subtree skipped on the way: every prefix in it sorts after the
 * cursor, and it is the smallest such subtree.
 */
struct rtm_dest *rtm_trie_after(struct rtm_trie *t, const u8 *key,
				unsigned int bits, bool inclusive)
{
	struct rtm_tnode *node = rcu_dereference_check(t->root, 1);
	struct rtm_tnode *alt = NULL, *c0, *c1;
	unsigned int matched = 0, lim, d;

	while (node) {
		/* Ancestors matched the cursor on [0, matched). */
		lim = min_t(unsigned int, node->bits, bits);
		d = first_diff(node->key, key, matched, lim);
		if (d < lim) {
			if (key_bit(node->key, d))
				return first_in(node);	/* all after */
			break;	/* the whole subtree sorts before the cursor */
		}
		if (node->bits > bits)
			return first_in(node);	/* same address, longer */
		c0 = rcu_dereference_check(node->child[0], 1);
		c1 = rcu_dereference_check(node->child[1], 1);
		if (node->bits == bits) {
			if (inclusive)
				return first_in(node);
			/* Every descendant is longer, hence after. */
			if (c0)
				return first_in(c0);
			if (c1)
				return first_in(c1);
			break;
		}
		matched = node->bits;
		if (key_bit(key, node->bits) == 0) {
			if (c1)
				alt = c1;
			node = c0;
		} else {
			node = c1;
		}
	}
	return alt ? first_in(alt) : NULL;
}

/*
 * The first destination after node @n in pre-order, by parent pointers:
 * amortised O(1) per step of an enumeration, where rtm_trie_after() walks
 * from the root.  Table mutex held.
 */
struct rtm_dest *rtm_trie_next(struct rtm_tnode *n)
{
	struct rtm_tnode *c, *p;

	c = tderef(n->child[0]);
	if (!c)
		c = tderef(n->child[1]);
	if (c)
		return first_in(c);
	for (p = n->parent; p; n = p, p = p->parent) {
		c = tderef(p->child[1]);
		if (c && c != n)	/* @n is child 0: its sibling is next */
			return first_in(c);
	}
	return NULL;
}
