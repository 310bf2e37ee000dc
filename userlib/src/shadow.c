/*
 * shadow.c - library-owned copies of kernel records, at fixed addresses.
 *
 * Windows hands RTM clients raw pointers into RTM's own memory
 * (RtmFindNextHop's NextHopPointer, RtmGetNextHopPointer, RtmGetRoute-
 * Pointer, RtmLockRoute...).  With the table in the kernel, the library
 * keeps instead, per registration, one "shadow" record per object for
 * which a pointer was handed out, and returns the shadow's address (spec
 * 2.10 P1).  A shadow is refreshed from the kernel each time a pointer is
 * obtained again; it never moves and is freed only with its registration,
 * so an old pointer stays readable.  A shadow holds no reference: the
 * handles inside it are plain values.  While the owner edits a shadow
 * under an exclusive lock it is "pinned": refreshes made meanwhile (by
 * other threads asking for the same pointer, or an expiry event) leave
 * it alone, as Windows' single record would show the edits too.
 *
 * Records are carved out of chunks that are never reallocated (so their
 * addresses are stable) and found by handle through an open-addressing
 * hash.  "Is this pointer one of our shadows?" (the Release...Info
 * functions must ignore shadows, spec 6.4/6.6) is answered by range
 * checks over the chunks, without trusting anything stored in the
 * memory the client passed.
 */
#include "internal.h"

struct lrtm_shadow_chunk {
	struct lrtm_shadow_chunk *next;
	size_t nrec;			/* records in this chunk */
	unsigned char *mem;		/* nrec * elem_size bytes */
};

#define FIRST_CHUNK	16
#define MAX_CHUNK	1024

/*
 * Number of chunks alive in the process: while it is zero (a program
 * that never asked for a pointer) the shadow test costs one load.
 */
static atomic_size_t live_chunks;

void lrtm_shadow_init(struct lrtm_shadow_tab *tab, size_t elem_size)
{
	memset(tab, 0, sizeof(*tab));
	pthread_mutex_init(&tab->lock, NULL);
	tab->elem_size = (elem_size + 15) & ~(size_t)15;
}

void lrtm_shadow_destroy(struct lrtm_shadow_tab *tab)
{
	struct lrtm_shadow_chunk *c, *next;

	if (!tab->elem_size)
		return;		/* never initialised */
	for (c = tab->chunks; c; c = next) {
		next = c->next;
		free(c->mem);
		free(c);
		atomic_fetch_sub(&live_chunks, 1);
	}
	free(tab->keys);
	free(tab->vals);
	free(tab->pins);
	pthread_mutex_destroy(&tab->lock);
	memset(tab, 0, sizeof(*tab));
}

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 31;
	key *= 0x9e3779b97f4a7c15ULL;
	key ^= key >> 29;
	return (size_t)key & (cap - 1);
}

/* Keeps the hash at most half full. */
static bool grow_hash(struct lrtm_shadow_tab *tab)
{
	size_t ncap = tab->cap ? tab->cap * 2 : 64, i, j;
	uint64_t *nkeys;
	void **nvals;

	if ((tab->count + 1) * 2 <= tab->cap)
		return true;
	nkeys = calloc(ncap, sizeof(*nkeys));
	nvals = calloc(ncap, sizeof(*nvals));
	if (!nkeys || !nvals) {
		free(nkeys);
		free(nvals);
		return false;
	}
	for (i = 0; i < tab->cap; i++) {
		if (!tab->keys[i])
			continue;
		for (j = slot_of(tab->keys[i], ncap); nkeys[j];
		     j = (j + 1) & (ncap - 1))
			;
		nkeys[j] = tab->keys[i];
		nvals[j] = tab->vals[i];
	}
	free(tab->keys);
	free(tab->vals);
	tab->keys = nkeys;
	tab->vals = nvals;
	tab->cap = ncap;
	return true;
}

/* Room for one more record; chunks double up to MAX_CHUNK records. */
static bool grow_chunks(struct lrtm_shadow_tab *tab)
{
	struct lrtm_shadow_chunk *c;
	size_t n;

	if (tab->chunk_room)
		return true;
	n = tab->chunks ? tab->chunks->nrec * 2 : FIRST_CHUNK;
	if (n > MAX_CHUNK)
		n = MAX_CHUNK;
	c = malloc(sizeof(*c));
	if (!c)
		return false;
	c->mem = calloc(n, tab->elem_size);
	if (!c->mem) {
		free(c);
		return false;
	}
	c->nrec = n;
	c->next = tab->chunks;
	tab->chunks = c;
	tab->chunk_room = n;
	atomic_fetch_add(&live_chunks, 1);
	return true;
}

void *lrtm_shadow_find(struct lrtm_shadow_tab *tab, uint64_t handle)
{
	size_t i;

	if (!handle || !tab->cap)
		return NULL;
	for (i = slot_of(handle, tab->cap); tab->keys[i];
	     i = (i + 1) & (tab->cap - 1))
		if (tab->keys[i] == handle)
			return tab->vals[i];
	return NULL;
}

void *lrtm_shadow_get(struct lrtm_shadow_tab *tab, uint64_t handle)
{
	size_t i;
	void *rec;

	if (!handle)
		return NULL;
	rec = lrtm_shadow_find(tab, handle);
	if (rec)
		return rec;
	if (!grow_hash(tab) || !grow_chunks(tab))
		return NULL;
	/* Records of the newest chunk are used front to back. */
	rec = tab->chunks->mem +
	      (tab->chunks->nrec - tab->chunk_room) * tab->elem_size;
	tab->chunk_room--;
	for (i = slot_of(handle, tab->cap); tab->keys[i];
	     i = (i + 1) & (tab->cap - 1))
		;
	tab->keys[i] = handle;
	tab->vals[i] = rec;
	tab->count++;
	return rec;
}

/*
 * Pins are few (a thread holds one lock at a time in a correct program),
 * so a plain array scanned linearly is enough.
 */
bool lrtm_shadow_pin(struct lrtm_shadow_tab *tab, uint64_t handle)
{
	if (tab->npins == tab->pins_cap) {
		size_t ncap = tab->pins_cap ? tab->pins_cap * 2 : 8;
		uint64_t *n = realloc(tab->pins, ncap * sizeof(*n));

		if (!n)
			return false;
		tab->pins = n;
		tab->pins_cap = ncap;
	}
	tab->pins[tab->npins++] = handle;
	return true;
}

void lrtm_shadow_unpin(struct lrtm_shadow_tab *tab, uint64_t handle)
{
	size_t i;

	for (i = 0; i < tab->npins; i++) {
		if (tab->pins[i] == handle) {
			tab->pins[i] = tab->pins[--tab->npins];
			return;
		}
	}
}

bool lrtm_shadow_pinned(const struct lrtm_shadow_tab *tab, uint64_t handle)
{
	size_t i;

	for (i = 0; i < tab->npins; i++)
		if (tab->pins[i] == handle)
			return true;
	return false;
}

bool lrtm_shadow_owns(struct lrtm_shadow_tab *tab, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct lrtm_shadow_chunk *c;
	bool owns = false;

	if (!atomic_load(&live_chunks))
		return false;
	pthread_mutex_lock(&tab->lock);
	for (c = tab->chunks; c && !owns; c = c->next) {
		uintptr_t base = (uintptr_t)c->mem;

		owns = a >= base && a < base + c->nrec * tab->elem_size &&
		       (a - base) % tab->elem_size == 0;
	}
	pthread_mutex_unlock(&tab->lock);
	return owns;
}

static struct lrtm_shadow_tab *tab_of(struct lrtm_reg *reg,
				      enum lrtm_shadow_kind kind)
{
	return kind == LRTM_SHADOW_ROUTE ? &reg->route_shadows
					 : &reg->nexthop_shadows;
}

struct shadow_query {
	const void *p;
	enum lrtm_shadow_kind kind;
};

static bool reg_owns(struct lrtm_reg *reg, const void *arg)
{
	const struct shadow_query *q = arg;
	struct lrtm_shadow_tab *tab = tab_of(reg, q->kind);

	return tab->elem_size && lrtm_shadow_owns(tab, q->p);
}

/*
 * The caller's own registration is checked first (the usual case); a
 * shadow of another registration of the process is recognised as well,
 * so that passing it to a Release...Info function never releases handles
 * that the shadow merely shows.
 */
bool lrtm_is_shadow(struct lrtm_reg *reg, const void *p,
		    enum lrtm_shadow_kind kind)
{
	struct shadow_query q = { .p = p, .kind = kind };

	if (!atomic_load(&live_chunks))
		return false;
	if (reg_owns(reg, &q))
		return true;
	return lrtm_reg_any(reg_owns, &q);
}
