// SPDX-License-Identifier: GPL-2.0
/*
 * References held by user space, booked per registration.
 *
 * Each registration keeps an xarray slot -> count of the references it
 * holds.  A release through a registration that holds none on a handle is
 * refused (ERROR_INVALID_HANDLE) instead of stealing another client's
 * reference, and closing the file drops exactly what is still booked.
 * The total per registration is capped (rtm_max_refs) so that no caller
 * can pin unbounded kernel memory.
 */
#include <linux/slab.h>
#include <linux/hash.h>
#include <linux/uaccess.h>
#include "rtm.h"

/*
 * The booking is an open-addressing hash table of (slot, count) pairs,
 * linear probing with backward-shift deletion, at most 3/4 full.  A
 * lookup books references on objects all over the handle space and gives
 * them back a moment later; an xarray would allocate and RCU-free a node
 * of 576 bytes for nearly every one of those, where this table allocates
 * only when it doubles.
 */
#define RTM_REFS_MIN_BITS	6
#define RTM_REFS_KEEP_BITS	12	/* an emptied table up to this stays */

struct rtm_refent {
	u32 id;			/* 0: free (object slots start at 1) */
	u32 count;
};

void rtm_refs_init(struct rtm_refs *rs)
{
	spin_lock_init(&rs->lock);
	rs->tab = NULL;
	rs->bits = 0;
	rs->used = 0;
}

static u32 home(u32 id, unsigned int bits)
{
	return hash_32(id, bits);
}

static struct rtm_refent *find(struct rtm_refs *rs, u32 id)
{
	u32 mask, i;

	if (!rs->tab)
		return NULL;
	mask = BIT(rs->bits) - 1;
	for (i = home(id, rs->bits); rs->tab[i].id; i = (i + 1) & mask)
		if (rs->tab[i].id == id)
			return &rs->tab[i];
	return NULL;
}

static void insert(struct rtm_refent *tab, unsigned int bits, u32 id,
		   u32 count)
{
	u32 mask = BIT(bits) - 1, i;

	for (i = home(id, bits); tab[i].id; i = (i + 1) & mask)
		;
	tab[i].id = id;
	tab[i].count = count;
}

static bool full(struct rtm_refs *rs)
{
	return !rs->tab || (rs->used + 1) * 4 > BIT(rs->bits) * 3;
}

/* Rehash into @tab (zeroed, 2^@bits); returns the old table to free. */
static struct rtm_refent *regrow(struct rtm_refs *rs, struct rtm_refent *tab,
				 unsigned int bits)
{
	struct rtm_refent *old = rs->tab;
	u32 i;

	for (i = 0; old && i < BIT(rs->bits); i++)
		if (old[i].id)
			insert(tab, bits, old[i].id, old[i].count);
	rs->tab = tab;
	rs->bits = bits;
	return old;
}

/* Free slot @i, moving up later entries of its probe run. */
static void erase(struct rtm_refs *rs, u32 i)
{
	u32 mask = BIT(rs->bits) - 1, j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (!rs->tab[j].id)
			break;
		k = home(rs->tab[j].id, rs->bits);
		/* Entry j stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		rs->tab[i] = rs->tab[j];
		i = j;
	}
	rs->tab[i].id = 0;
	rs->tab[i].count = 0;
	rs->used--;
}

/*
 * Book one reference, already taken on @obj by the caller, to @reg.
 * On failure the caller still owns that reference.
 */
int rtm_ref_book(struct rtm_reg *reg, struct rtm_obj *obj)
{
	struct rtm_refs *rs = &reg->refs;
	struct rtm_refent *e, *spare = NULL;
	unsigned int spare_bits = 0;
	int ret = 0;

	if (atomic_inc_return(&reg->nrefs) > rtm_max_refs) {
		atomic_dec(&reg->nrefs);
		return -ENOSPC;
	}
	spin_lock(&rs->lock);
	for (;;) {
		e = find(rs, obj->id);
		if (e) {
			e->count++;
			break;
		}
		if (!full(rs)) {
			insert(rs->tab, rs->bits, obj->id, 1);
			rs->used++;
			break;
		}
		if (spare && (!rs->tab || spare_bits > rs->bits)) {
			spare = regrow(rs, spare, spare_bits);
			continue;
		}
		/* Grow: allocate with the lock dropped, then look again. */
		spare_bits = rs->tab ? rs->bits + 1 : RTM_REFS_MIN_BITS;
		spin_unlock(&rs->lock);
		kvfree(spare);
		spare = rtm_kvcalloc(BIT(spare_bits), sizeof(*spare));
		spin_lock(&rs->lock);
		if (!spare) {
			ret = -ENOMEM;
			break;
		}
	}
	spin_unlock(&rs->lock);
	kvfree(spare);
	if (ret) {
		atomic_dec(&reg->nrefs);
		return ret;
	}
	rtm_count(RTM_C_REFS, 1);
	return 0;
}

bool rtm_ref_held(struct rtm_reg *reg, struct rtm_obj *obj)
{
	bool held;

	spin_lock(&reg->refs.lock);
	held = find(&reg->refs, obj->id);
	spin_unlock(&reg->refs.lock);
	return held;
}

/*
 * Give back one reference booked to @reg.  @obj is held by the caller
 * (temporarily), so the slot cannot have been reused.
 */
int rtm_ref_drop(struct rtm_reg *reg, struct rtm_obj *obj)
{
	struct rtm_refs *rs = &reg->refs;
	struct rtm_refent *e, *old = NULL;

	spin_lock(&rs->lock);
	e = find(rs, obj->id);
	if (!e) {
		spin_unlock(&rs->lock);
		return -ESTALE;
	}
	if (e->count > 1) {
		e->count--;
	} else {
		erase(rs, e - rs->tab);
		/* A big table emptied (an enumeration ended) goes back. */
		if (!rs->used && rs->bits > RTM_REFS_KEEP_BITS) {
			old = rs->tab;
			rs->tab = NULL;
			rs->bits = 0;
		}
	}
	spin_unlock(&rs->lock);
	kvfree(old);
	atomic_dec(&reg->nrefs);
	rtm_count(RTM_C_REFS, -1);
	rtm_obj_put(obj);
	return 0;
}

/* Registration teardown: drop everything still booked. */
void rtm_ref_drop_all(struct rtm_reg *reg)
{
	struct rtm_refs *rs = &reg->refs;
	struct rtm_refent *tab;
	struct rtm_obj *obj;
	unsigned int bits;
	u32 i;

	spin_lock(&rs->lock);
	tab = rs->tab;
	bits = rs->bits;
	rs->tab = NULL;
	rs->bits = 0;
	rs->used = 0;
	spin_unlock(&rs->lock);
	for (i = 0; tab && i < BIT(bits); i++) {
		u32 count = tab[i].count;

		if (!tab[i].id)
			continue;
		/* Our references keep the object, hence the slot, alive. */
		obj = rtm_obj_get_slot(tab[i].id);
		atomic_sub(count, &reg->nrefs);
		rtm_count(RTM_C_REFS, -(long)count);
		while (obj && count--)
			rtm_obj_put(obj);
		if (!(i & 255))
			cond_resched();
	}
	kvfree(tab);
}

int rtm_grab_init(struct rtm_grab *g, unsigned int max)
{
	g->n = 0;
	g->max = max;
	/* Small replies, lookups above all, allocate nothing. */
	if (max <= RTM_GRAB_INLINE)
		g->objs = g->inl;
	else
		g->objs = rtm_kmalloc_array(max, sizeof(*g->objs));
	return g->objs ? 0 : -ENOMEM;
}

/* @obj carries a temporary reference that the grab now owns. */
void rtm_grab_add(struct rtm_grab *g, struct rtm_obj *obj)
{
	if (WARN_ON_ONCE(g->n >= g->max)) {
		rtm_obj_put(obj);
		return;
	}
	g->objs[g->n++] = obj;
}

/*
 * Book every grabbed reference to @reg, all or nothing: a reply is either
 * complete with all its references, or fails with none.
 */
int rtm_grab_commit(struct rtm_grab *g, struct rtm_reg *reg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < g->n; i++) {
		ret = rtm_ref_book(reg, g->objs[i]);
		if (ret)
			goto undo;
	}
	if (g->objs != g->inl)
		kfree(g->objs);
	g->objs = NULL;
	return 0;
undo:
	while (i--) {
		rtm_obj_hold(g->objs[i]);
		rtm_ref_drop(reg, g->objs[i]);
	}
	rtm_grab_abort(g);
	return ret;
}

void rtm_grab_abort(struct rtm_grab *g)
{
	unsigned int i;

	if (!g->objs)
		return;
	for (i = 0; i < g->n; i++)
		rtm_obj_put(g->objs[i]);
	if (g->objs != g->inl)
		kfree(g->objs);
	g->objs = NULL;
}

/* Copy in and check a handle array: sizes, kinds and reserved fields. */
static struct rtm_handle_ref *handles_from_user(struct rtm_handles *h,
						void __user *arg)
{
	struct rtm_handle_ref *refs;
	u32 i;

	if (copy_from_user(h, arg, sizeof(*h)))
		return ERR_PTR(-EFAULT);
	if (h->count > RTM_MAX_BATCH)
		return ERR_PTR(-EINVAL);
	if (!h->count)
		return NULL;
	refs = rtm_vmemdup_user(u64_to_user_ptr(h->refs),
				(size_t)h->count * sizeof(*refs));
	if (IS_ERR(refs))
		return refs;
	for (i = 0; i < h->count; i++) {
		if (refs[i].reserved || refs[i].type > RTM_HT_NEXTHOP) {
			kvfree(refs);
			return ERR_PTR(-EINVAL);
		}
	}
	return refs;
}

/* Entries of a release copied per step: on the stack, no allocation. */
#define RTM_RELEASE_CHUNK	32

static int chunk_from_user(struct rtm_handle_ref *buf, u64 uptr, u32 off,
			   u32 n)
{
	if (copy_from_user(buf, u64_to_user_ptr(uptr) + off * sizeof(*buf),
			   n * sizeof(*buf)))
		return -EFAULT;
	return 0;
}

/*
 * RtmRelease*: every valid entry is released, invalid ones are counted
 * (spec part 1, 3.4: the array rule), 0 handles are skipped.  A release
 * allocates nothing, so it cannot fail halfway for lack of memory: the
 * array is checked, then released, in stack-sized pieces.
 */
long rtm_ioc_release(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_handle_ref buf[RTM_RELEASE_CHUNK];
	struct rtm_handles h;
	struct rtm_obj *o;
	u32 off, n, i, invalid = 0;

	if (copy_from_user(&h, arg, sizeof(h)))
		return -EFAULT;
	if (h.count > RTM_MAX_BATCH)
		return -EINVAL;
	for (off = 0; off < h.count; off += n) {
		n = min_t(u32, h.count - off, RTM_RELEASE_CHUNK);
		if (chunk_from_user(buf, h.refs, off, n))
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (buf[i].reserved || buf[i].type > RTM_HT_NEXTHOP)
				return -EINVAL;
	}
	for (off = 0; off < h.count; off += n) {
		n = min_t(u32, h.count - off, RTM_RELEASE_CHUNK);
		if (chunk_from_user(buf, h.refs, off, n)) {
			invalid += h.count - off;	/* unmapped meanwhile */
			break;
		}
		for (i = 0; i < n; i++) {
			if (!buf[i].handle)
				continue;
			o = NULL;
			if (!buf[i].reserved && buf[i].type <= RTM_HT_NEXTHOP)
				o = rtm_obj_get(buf[i].handle, buf[i].type,
						reg->table);
			if (!o) {
				invalid++;
				continue;
			}
			if (rtm_ref_drop(reg, o))
				invalid++;
			rtm_obj_put(o);
		}
		cond_resched();
	}
	h.invalid = invalid;
	return copy_to_user(arg, &h, sizeof(h)) ? -EFAULT : 0;
}

/*
 * RtmReferenceHandles: all or nothing; a 0 or invalid handle fails the
 * call with no reference taken (spec part 1, 12.1).
 */
long rtm_ioc_reference(struct rtm_reg *reg, void __user *arg)
{
	struct rtm_handle_ref *refs;
	struct rtm_grab g = { 0 };
	struct rtm_handles h;
	struct rtm_obj *o;
	long ret;
	u32 i;

	refs = handles_from_user(&h, arg);
	if (IS_ERR(refs))
		return PTR_ERR(refs);
	if (!refs)
		return 0;
	ret = rtm_grab_init(&g, h.count);
	if (ret)
		goto out;
	for (i = 0; i < h.count; i++) {
		o = rtm_obj_get(refs[i].handle, refs[i].type, reg->table);
		if (!o) {
			rtm_grab_abort(&g);
			ret = -ESTALE;
			goto out;
		}
		rtm_grab_add(&g, o);
	}
	ret = rtm_grab_commit(&g, reg);
out:
	kvfree(refs);
	return ret;
}
