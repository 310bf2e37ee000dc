// SPDX-License-Identifier: GPL-2.0
/*
 * stress_lists.c - route lists in the stress test (spec part 2, 2.12,
 * 3.19-3.23; the RouteListHandle of RtmAddRouteToDest and
 * RtmUpdateAndUnlockRoute, part 1, 7.1, 8.3).
 *
 * Indices 0..2 keep up to NLISTS lists each and a model of their contents
 * in order: inserting appends to the tail (moving a route off another
 * list), a NULL list takes routes off, an add or in-place update with a
 * list moves the route there, a deleted route leaves its list.  Own
 * routes of these registrations change only by this worker, so a list
 * enumeration must return exactly the model, in order; a batch with a
 * foreign or deleted route changes nothing.  One list enumeration per
 * registration stays open across operations (and across kills): it
 * returns own routes only, and nothing once its list is deleted.
 */
#include <stdlib.h>
#include <string.h>

#include "stress.h"

#define NLISTS		2
#define LISTCAP		48
#define FORGED_LIST	((RTM_ROUTE_LIST_HANDLE)(uintptr_t)0x7000000f0fedcba1ULL)
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

struct rlist {
	RTM_ROUTE_LIST_HANDLE h;	/* NULL: free */
	uint64_t r[LISTCAP];
	unsigned int n;
	bool unsure;			/* an add with it failed halfway */
};

static struct {
	struct rlist l[NLISTS];
	RTM_ENUM_HANDLE en;		/* the enumeration kept open */
	RTM_ROUTE_LIST_HANDLE en_list;
	bool en_dead;			/* its list was deleted */
} LS[NREGS];

void lists_reset(struct reg *r)
{
	memset(&LS[r->idx], 0, sizeof(LS[r->idx]));
}

void lists_route_deleted(struct reg *r, uint64_t h)
{
	unsigned int i, j;

	for (i = 0; i < NLISTS; i++) {
		struct rlist *l = &LS[r->idx].l[i];

		for (j = 0; j < l->n; j++) {
			if (l->r[j] != h)
				continue;
			memmove(&l->r[j], &l->r[j + 1],
				(l->n - j - 1) * sizeof(l->r[0]));
			l->n--;
			return;
		}
	}
}

void lists_route_moved(struct reg *r, uint64_t h, RTM_ROUTE_LIST_HANDLE lh)
{
	unsigned int i;

	lists_route_deleted(r, h);
	for (i = 0; i < NLISTS; i++) {
		struct rlist *l = &LS[r->idx].l[i];

		if (l->h != lh || !lh)
			continue;
		if (l->n < LISTCAP)
			l->r[l->n++] = h;
		else
			l->unsure = true;	/* no room in the model */
	}
}

static struct rlist *pick_list(struct reg *r)
{
	unsigned int i, s = rnd(NLISTS);

	for (i = 0; i < NLISTS; i++)
		if (LS[r->idx].l[(s + i) % NLISTS].h)
			return &LS[r->idx].l[(s + i) % NLISTS];
	return NULL;
}

RTM_ROUTE_LIST_HANDLE lists_pick(struct reg *r)
{
	struct rlist *l = r->idx == REG_TIMER ? NULL : pick_list(r);

	return l && l->n < LISTCAP ? l->h : NULL;
}

static void l_create(struct reg *r)
{
	RTM_ROUTE_LIST_HANDLE h = POISON;
	struct rlist *l = NULL;
	unsigned int i;
	DWORD rc;

	for (i = 0; i < NLISTS && !l; i++)
		if (!LS[r->idx].l[i].h)
			l = &LS[r->idx].l[i];
	if (!l)
		return;
	if (chance(3)) {
		rc = RtmCreateRouteList(r->h, NULL);
		CHK(C_CRLIST, rc, A_IP, "NULL RouteListHandle");
		return;
	}
	rc = RtmCreateRouteList(r->h, &h);
	CHK(C_CRLIST, rc, A_OK, "list %u", (unsigned int)(l - LS[r->idx].l));
	if (rc) {
		EXPECT(h == POISON, "a failed RtmCreateRouteList wrote %#llx",
		       H(h));
		return;
	}
	EXPECT(h && RTM_HANDLE_TYPE((uint64_t)(uintptr_t)h) == RTM_HT_LIST,
	       "list handle %#llx", H(h));
	memset(l, 0, sizeof(*l));
	l->h = h;
}

/* Insert own live routes (into a list, or off any with NULL). */
static void l_insert(struct reg *r)
{
	struct rlist *l = chance(15) ? NULL : pick_list(r);
	RTM_ROUTE_HANDLE h[5];
	unsigned int n = 0, want = 1 + rnd(4), i, j, allowed = A_OK;
	struct href *e;
	DWORD rc;

	for (i = 0; i < want; i++) {
		e = pick_held(r, RTM_HT_ROUTE, F_OWN, F_DELETED);
		if (!e)
			break;
		for (j = 0; j < n && h[j] != (HANDLE)(uintptr_t)e->h;)
			j++;
		if (j == n)
			h[n++] = (HANDLE)(uintptr_t)e->h;
	}
	if (!n || (l && l->n + n > LISTCAP))
		return;
	if (chance(8) && (e = pick_held(r, RTM_HT_ROUTE, F_FOREIGN, 0))) {
		/* Another entity's route: refused, or invalid if deleted. */
		h[n++] = (HANDLE)(uintptr_t)e->h;
		allowed = A_AD | A_IH;
	} else if (chance(5) &&
		   (e = pick_held(r, RTM_HT_ROUTE, F_OWN | F_DELETED, 0))) {
		h[n++] = (HANDLE)(uintptr_t)e->h;
		allowed = A_IH;
	}
	rc = RtmInsertInRouteList(r->h, l ? l->h : NULL, n, h);
	CHK(C_INSLIST, rc, allowed, "list %#llx, %u routes", H(l ? l->h : 0),
	    n);
	if (rc)
		return;		/* nothing changed (3.20) */
	for (i = 0; i < n; i++)
		lists_route_moved(r, (uint64_t)(uintptr_t)h[i],
				  l ? l->h : NULL);
}

/* A route added (or updated) with a list goes to its tail. */
static void l_add(struct reg *r)
{
	struct rlist *l = pick_list(r);
	RTM_ROUTE_LIST_HANDLE lh;
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS dest;
	RTM_ROUTE_INFO ri;
	int pfx = rnd_prefix(), other;
	unsigned int allowed = A_OK;
	DWORD rc;

	if (!l || l->n == LISTCAP)
		return;
	lh = l->h;
	if (chance(5)) {
		/* Not a list of ours: nothing is added. */
		other = (r->idx + 1 + (int)rnd(REG_TIMER - 1)) % REG_TIMER;
		lh = W.r[other].live && LS[other].l[0].h ? LS[other].l[0].h
							: FORGED_LIST;
		allowed = A_IH;
	}
	memset(&ri, 0, sizeof(ri));
	prefix(r, pfx, &dest);
	ri.PrefInfo.Preference = 1 + rnd(3);
	ri.PrefInfo.Metric = rnd(4);
	ri.BelongsToViews = 1 + rnd(3);
	rc = RtmAddRouteToDest(r->h, &h, &dest, &ri, INFINITE, lh, 0, NULL,
			       &cf);
	CHK(C_ADDRT, rc, allowed, "on %s with list %#llx", A(&dest), H(lh));
	if (rc) {
		EXPECT(!h, "a failed add returned %#llx", H(h));
		/* Added, listed, then the reply failed: not known. */
		if (rc == ERROR_NOT_ENOUGH_MEMORY)
			l->unsure = true;
		return;
	}
	book_own_route(r, h, pfx);
	if (cf & RTM_ROUTE_CHANGE_NEW)
		r->own_routes++;
	lists_route_moved(r, (uint64_t)(uintptr_t)h, lh);
}

/* Read a batch of @en; the handles are booked, kept, released. */
static unsigned int l_read(struct reg *r, RTM_ENUM_HANDLE en, UINT want,
			   HANDLE *out, DWORD *rcp)
{
	HANDLE *buf = xmalloc((want + 1) * sizeof(HANDLE));
	struct pend p = { .type = P_ROUTES, .buf = buf };
	UINT n = want, i;
	DWORD rc;

	buf[want] = POISON;
	rc = RtmGetListEnumRoutes(r->h, en, &n, buf);
	CHK(C_GETLISTROUTES, rc, A_OK, "list enum %#llx, %u", H(en), want);
	*rcp = rc;
	if (rc) {
		EXPECT(!n, "%u routes with error %u", n, rc);
		free(buf);
		return 0;
	}
	EXPECT(n <= want && buf[want] == POISON, "%u routes of %u", n, want);
	for (i = 0; i < n; i++)
		out[i] = buf[i];
	if (!n) {
		free(buf);
		return 0;
	}
	p.n = n;
	pend_book(r, &p);
	while (r->npend >= MAXPEND)	/* releases refused for memory */
		pend_release(r, r->npend - 1);
	r->pend[r->npend++] = p;
	pend_release(r, r->npend - 1);
	return n;
}

/* The whole list through a new enumeration: exactly the model. */
static void l_check(struct reg *r)
{
	struct rlist *l = pick_list(r);
	RTM_ENUM_HANDLE en = POISON;
	HANDLE got[LISTCAP + 8], buf[8];
	unsigned int total = 0, n, i, max = r->prof.MaxHandlesInEnum;
	bool exact = true;
	DWORD rc;

	if (!l || r->npend >= MAXPEND)
		return;
	rc = RtmCreateRouteListEnum(r->h, l->h, &en);
	CHK(C_CRLISTENUM, rc, A_OK, "list %#llx", H(l->h));
	if (rc) {
		EXPECT(en == POISON, "a failed list enum wrote %#llx", H(en));
		return;
	}
	do {
		UINT want = 1 + rnd(max < 6 ? max : 6);

		n = l_read(r, en, want, buf, &rc);
		exact &= !rc;	/* a failed reply may have moved the cursor */
		for (i = 0; i < n && total < LISTCAP + 8; i++)
			got[total++] = buf[i];
		if (rc || n < want)
			break;
	} while (total < LISTCAP + 8);
	rc = RtmDeleteEnumHandle(r->h, en);
	CHK(C_DELENUM, rc, A_OK, "list enum %#llx", H(en));
	if (!exact || l->unsure)
		return;
	EXPECT(total == l->n, "list %#llx has %u routes, the model %u",
	       H(l->h), total, l->n);
	for (i = 0; i < total; i++)
		EXPECT(got[i] == (HANDLE)(uintptr_t)l->r[i], "list %#llx: "
		       "route %u is %#llx, the model says %#llx", H(l->h), i,
		       H(got[i]), (unsigned long long)l->r[i]);
	sem_count(SEM_LIST_MATCH);
}

/* The enumeration kept open: start, advance, or end it. */
static void l_enum_step(struct reg *r)
{
	struct rlist *l = pick_list(r);
	RTM_ENUM_HANDLE *en = &LS[r->idx].en;
	HANDLE buf[4];
	unsigned int n, i;
	DWORD rc;

	if (r->npend >= MAXPEND)
		return;
	if (!*en) {
		if (!l)
			return;
		rc = RtmCreateRouteListEnum(r->h, l->h, en);
		CHK(C_CRLISTENUM, rc, A_OK, "list %#llx", H(l->h));
		if (rc) {
			*en = NULL;
			return;
		}
		LS[r->idx].en_list = l->h;
		LS[r->idx].en_dead = false;
	}
	if (chance(25)) {
		rc = RtmDeleteEnumHandle(r->h, *en);
		CHK(C_DELENUM, rc, A_OK, "list enum %#llx", H(*en));
		*en = NULL;
		return;
	}
	n = l_read(r, *en, 1 + rnd(4), buf, &rc);
	EXPECT(!n || !LS[r->idx].en_dead, "%u routes from an enumeration "
	       "of deleted list %#llx", n, H(LS[r->idx].en_list));
	for (i = 0; i < n; i++) {
		struct href *e = map_find(r, (uint64_t)(uintptr_t)buf[i],
					  false);

		EXPECT(!e || !(e->flags & F_FOREIGN), "list enumeration "
		       "returned foreign route %#llx", H(buf[i]));
	}
}

static void l_delete(struct reg *r)
{
	struct rlist *l = pick_list(r);
	RTM_ROUTE_LIST_HANDLE h;
	DWORD rc;

	if (!l)
		return;
	h = l->h;
	rc = RtmDeleteRouteList(r->h, h);
	CHK(C_DELLIST, rc, A_OK, "list %#llx", H(h));
	memset(l, 0, sizeof(*l));
	if (LS[r->idx].en && LS[r->idx].en_list == h)
		LS[r->idx].en_dead = true;
	/* The handle is gone: the list cannot be used or deleted again. */
	rc = RtmInsertInRouteList(r->h, h, 0, NULL);
	CHK(C_INSLIST, rc, A_IH, "deleted list %#llx", H(h));
	if (chance(20)) {
		rc = RtmDeleteRouteList(r->h, h);
		CHK(C_DELLIST, rc, A_IH, "deleted list %#llx", H(h));
	}
}

/* Handles that name no list of ours. */
static void l_bad(struct reg *r)
{
	RTM_ENUM_HANDLE en = POISON;
	struct href *e = pick_held(r, RTM_HT_ROUTE, 0, 0);
	struct rlist *l = pick_list(r);
	DWORD rc;

	rc = RtmCreateRouteListEnum(r->h, e ? (HANDLE)(uintptr_t)e->h :
				    FORGED_LIST, &en);
	CHK(C_CRLISTENUM, rc, A_IH, "route %#llx as a list",
	    H(e ? e->h : 0));
	EXPECT(en == POISON, "a failed list enum wrote %#llx", H(en));
	if (l) {
		rc = RtmCreateRouteListEnum(r->h, l->h, NULL);
		CHK(C_CRLISTENUM, rc, A_IP, "NULL RtmEnumHandle");
	}
}

void op_list(struct reg *r)
{
	unsigned int t = rnd(100);

	if (!pick_list(r) || t < 8)
		l_create(r);
	else if (t < 38)
		l_insert(r);
	else if (t < 50)
		l_add(r);
	else if (t < 72)
		l_check(r);
	else if (t < 86)
		l_enum_step(r);
	else if (t < 93)
		l_delete(r);
	else
		l_bad(r);
}

/* Before a drain: the open list enumeration goes (lists stay). */
void lists_drain(struct reg *r)
{
	DWORD rc;

	if (!LS[r->idx].en)
		return;
	rc = RtmDeleteEnumHandle(r->h, LS[r->idx].en);
	CHK(C_DELENUM, rc, A_OK, "list enum %#llx", H(LS[r->idx].en));
	LS[r->idx].en = NULL;
}
