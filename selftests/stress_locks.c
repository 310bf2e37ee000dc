// SPDX-License-Identifier: GPL-2.0
/*
 * stress_locks.c - pointers, locks and opaque pointers in the stress test
 * (spec part 1, 2.9, 8, 10.4, 10.5, 11; part 2, 2.14).
 *
 * Locks are taken and given back within one operation, so a worker never
 * writes while it holds one, except on purpose: the holder's own write to
 * the locked destination must fail with ERROR_INVALID_PARAMETER.  Other
 * workers' writers wait meanwhile (a lock is sometimes held across a
 * short sleep), and a worker killed while it holds one leaves it to its
 * teardown.  Checked, besides the codes:
 *
 *   - a route pointer is stable and shows what RtmGetRouteInfo shows; a
 *     pointer of a deleted or foreign route is refused and not written;
 *   - RtmUpdateAndUnlockRoute commits what was written to the locked
 *     route's pointer (RtmGetRouteInfo and a fresh pointer show it); an
 *     unlock without it, or a commit refused for bad contents (the lock is
 *     then kept), leaves the route as it was;
 *   - an exclusive next-hop unlock commits Flags and EntitySpecificInfo
 *     and reverts the identity; a shared one commits nothing;
 *   - an opaque cell keeps its address and value; one set non-NULL
 *     under an exclusive lock keeps its destination in the table, whoever
 *     deletes its routes, until set NULL again.
 *
 * Routes of indices 0..2 change only by this worker's main thread, so
 * every comparison is exact; the timer registration's routes may expire
 * or be refreshed by its callback, so it only locks and unlocks them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"

#define NCELLS		6
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

/* Opaque cells set non-NULL: each holds a reference on its dest (pcnt). */
struct cell {
	uint64_t dh;
	PVOID *ptr;
	PVOID token;
	RTM_NET_ADDRESS addr;
	bool kept;		/* seen in the table after it was set */
};

static struct {
	struct cell c[NCELLS];
	unsigned int n;
} CL[NREGS];

void locks_reset(struct reg *r)
{
	memset(&CL[r->idx], 0, sizeof(CL[r->idx]));
}

/* Codes of a pointer or lock call on a route, from what we know of it. */
static unsigned int route_allowed(struct reg *r, const struct href *e)
{
	if (e->flags & F_FOREIGN)
		return A_AD;
	if (e->flags & F_DELETED)
		return A_IH;
	if (e->flags & F_OWN)
		return r->idx == REG_TIMER ? A_OK | A_IH : A_OK;
	return A_OK | A_AD | A_IH;
}

/* The route as RtmGetRouteInfo reads it, kept; NULL if that failed. */
static RTM_ROUTE_INFO *route_read(struct reg *r, struct href *e)
{
	RTM_ROUTE_INFO *ri = xmalloc(r->rsize);
	DWORD rc;

	rc = RtmGetRouteInfo(r->h, (HANDLE)(uintptr_t)e->h, ri, NULL);
	CHK(C_RTINFO, rc, A_OK, "held route %#llx", H(e->h));
	if (rc) {
		free(ri);
		return NULL;
	}
	check_route(r, ri, e, "RtmGetRouteInfo");
	pend_keep(r, P_ROUTEINFO, 1, ri);
	return ri;
}

/* The fields the owner may write in place, and the state. */
static bool same_route(const RTM_ROUTE_INFO *a, const RTM_ROUTE_INFO *b)
{
	unsigned int i;

	if (a->Neighbour != b->Neighbour ||
	    a->PrefInfo.Metric != b->PrefInfo.Metric ||
	    a->PrefInfo.Preference != b->PrefInfo.Preference ||
	    a->BelongsToViews != b->BelongsToViews ||
	    a->EntitySpecificInfo != b->EntitySpecificInfo ||
	    a->Flags != b->Flags || a->State != b->State ||
	    a->NextHopsList.NumNextHops != b->NextHopsList.NumNextHops)
		return false;
	for (i = 0; i < a->NextHopsList.NumNextHops; i++)
		if (a->NextHopsList.NextHops[i] != b->NextHopsList.NextHops[i])
			return false;
	return true;
}

/*
 * Compare @want with the route now (0..2 only: nobody else changes
 * them).  The structure read may be released at once, so @want is a copy.
 */
static void expect_route(struct reg *r, struct href *e,
			 const RTM_ROUTE_INFO *want, const char *what)
{
	RTM_ROUTE_INFO *now;

	if (r->idx == REG_TIMER || r->npend >= MAXPEND)
		return;
	now = xmalloc(r->rsize);
	memcpy(now, want, r->rsize);
	want = now;
	now = route_read(r, e);
	EXPECT(!now || same_route(want, now), "%s: route %#llx is metric %u "
	       "pref %u views %#x ESI %p nh %u state %u, expected metric %u "
	       "pref %u views %#x ESI %p nh %u state %u", what, H(e->h),
	       now->PrefInfo.Metric, now->PrefInfo.Preference,
	       now->BelongsToViews, now->EntitySpecificInfo,
	       now->NextHopsList.NumNextHops, now->State,
	       want->PrefInfo.Metric, want->PrefInfo.Preference,
	       want->BelongsToViews, want->EntitySpecificInfo,
	       want->NextHopsList.NumNextHops, want->State);
	free((void *)want);
}

static void route_pointer(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_ROUTE, chance(70) ? F_OWN : 0, 0);
	PRTM_ROUTE_INFO p = POISON, p2 = POISON;
	HANDLE h;
	DWORD rc;

	if (!e)
		return;
	h = (HANDLE)(uintptr_t)e->h;
	rc = RtmGetRoutePointer(r->h, h, &p);
	CHK(C_ROUTEPTR, rc, route_allowed(r, e), "route %#llx flags %#x",
	    H(h), e->flags);
	if (rc) {
		EXPECT(p == POISON, "a failed RtmGetRoutePointer wrote %p",
		       (void *)p);
		if (rc == ERROR_ACCESS_DENIED)
			e->flags |= F_FOREIGN;
		return;
	}
	EXPECT(p && p != POISON && p->RouteOwner == r->h &&
	       p->State == RTM_ROUTE_STATE_CREATED && p->DestHandle,
	       "route pointer of %#llx: %p owner %#llx state %u", H(h),
	       (void *)p, H(p->RouteOwner), p->State);
	e->flags |= F_OWN;
	rc = RtmGetRoutePointer(r->h, h, &p2);
	CHK(C_ROUTEPTR, rc, r->idx == REG_TIMER ? A_OK | A_IH : A_OK,
	    "route %#llx again", H(h));
	if (!rc)
		EXPECT(p2 == p, "route %#llx: pointer %p, then %p", H(h),
		       (void *)p, (void *)p2);
	expect_route(r, e, p, "RtmGetRoutePointer");
}

/* Own live next hops for an in-place edit, distinct; returns how many. */
static unsigned int own_nexthops(struct reg *r, HANDLE *out, unsigned int max)
{
	unsigned int n = 0, i, j, tries;

	for (tries = 0; tries < 8 && n < max; tries++) {
		i = rnd(NNHID);
		if (r->nh[i].exists != 1 || !r->nh[i].h ||
		    (map_find(r, r->nh[i].h, false) &&
		     (map_find(r, r->nh[i].h, false)->flags & F_DELETED)))
			continue;
		for (j = 0; j < n && out[j] != (HANDLE)(uintptr_t)r->nh[i].h;)
			j++;
		if (j == n)
			out[n++] = (HANDLE)(uintptr_t)r->nh[i].h;
	}
	return n;
}

/*
 * A next hop in a route we commit: 1 if the model knows it live, 0 if it
 * knows it deleted (or another's), -1 if it cannot tell.  A commit with
 * a next hop or neighbour deleted since the route was made is refused.
 */
static int nh_state(struct reg *r, HANDLE h)
{
	struct href *e = map_find(r, (uint64_t)(uintptr_t)h, false);
	unsigned int i;

	if (e && (e->flags & (F_DELETED | F_FOREIGN)))
		return 0;
	for (i = 0; i < NNHID; i++)
		if (r->nh[i].exists == 1 && r->nh[i].h == (uint64_t)(uintptr_t)h)
			return 1;
	return -1;
}

static unsigned int commit_allowed(struct reg *r, const RTM_ROUTE_INFO *p)
{
	unsigned int i, allowed = A_OK;
	int st = p->Neighbour ? nh_state(r, p->Neighbour) : 1;

	for (i = 0; i <= p->NextHopsList.NumNextHops && st; i++) {
		if (st < 0)
			allowed = A_OK | A_IP;
		st = i < p->NextHopsList.NumNextHops ?
		     nh_state(r, p->NextHopsList.NextHops[i]) : 1;
	}
	return st ? allowed : A_IP;
}

/* Exclusive lock held on @e: edit, commit, and check the commit. */
static void route_commit(struct reg *r, struct href *e, PRTM_ROUTE_INFO p)
{
	HANDLE h = (HANDLE)(uintptr_t)e->h, nh[4], old = NULL;
	RTM_ROUTE_LIST_HANDLE list = chance(20) ? lists_pick(r) : NULL;
	RTM_ROUTE_CHANGE_FLAGS cf = 0xdead;
	PRTM_ROUTE_INFO p2 = NULL;
	ULONG ttl = chance(50) ? INFINITE : 3600000 + rnd(100000);
	unsigned int n, i, max = r->prof.MaxNextHopsInRoute;
	DWORD rc;

	p->PrefInfo.Metric = rnd(4);
	p->PrefInfo.Preference = 1 + rnd(3);	/* stored as written */
	p->BelongsToViews = 1 + rnd(3);
	p->EntitySpecificInfo = (PVOID)(uintptr_t)splitmix(&(uint64_t){
		W.op });
	if (chance(30)) {
		n = own_nexthops(r, nh, max < 3 ? max : 3);
		/* The in-place protocol's reference calls (8.3). */
		if (chance(30) && n && p->NextHopsList.NumNextHops) {
			old = p->NextHopsList.NextHops[0];
			rc = RtmReferenceHandles(r->h, 1, &nh[0]);
			CHK(C_REFHANDLES, rc, A_OK, "in place: new %#llx",
			    H(nh[0]));
			rc = RtmReleaseNextHops(r->h, 1, &old);
			CHK(C_RELNHS, rc, A_OK, "in place: old %#llx", H(old));
		}
		p->NextHopsList.NumNextHops = (USHORT)n;
		for (i = 0; i < n; i++)
			p->NextHopsList.NextHops[i] = nh[i];
	}
	rc = RtmUpdateAndUnlockRoute(r->h, h, ttl, list, 0, NULL, &cf);
	CHK(C_UPDUNLOCK, rc, commit_allowed(r, p), "route %#llx, ttl %u list "
	    "%#llx, neighbour %#llx, %u next hops", H(h), ttl, H(list),
	    H(p->Neighbour), p->NextHopsList.NumNextHops);
	if (rc) {
		/* Refused: still locked, nothing committed. */
		rc = RtmLockRoute(r->h, h, TRUE, FALSE, NULL);
		CHK(C_LOCKROUTE, rc, A_OK, "unlock %#llx after a refused "
		    "commit", H(h));
		return;
	}
	EXPECT(cf == 0 || cf == RTM_ROUTE_CHANGE_BEST, "in-place update of "
	       "%#llx: ChangeFlags %#x", H(h), cf);
	if (list)
		lists_route_moved(r, e->h, list);
	expect_route(r, e, p, "RtmUpdateAndUnlockRoute");
	/* A fresh pointer shows the commit too. */
	rc = RtmGetRoutePointer(r->h, h, &p2);
	CHK(C_ROUTEPTR, rc, A_OK, "updated route %#llx", H(h));
	if (!rc)
		EXPECT(p2->PrefInfo.Metric == p->PrefInfo.Metric &&
		       p2->EntitySpecificInfo == p->EntitySpecificInfo,
		       "pointer of updated route %#llx: metric %u ESI %p, "
		       "committed %u %p", H(h), p2->PrefInfo.Metric,
		       p2->EntitySpecificInfo, p->PrefInfo.Metric,
		       p->EntitySpecificInfo);
	sem_count(SEM_LOCK_COMMIT);
}

static void route_lock(struct reg *r)
{
	struct href *e = chance(80) ? pick_held(r, RTM_HT_ROUTE, F_OWN,
						F_DELETED) :
				      pick_held(r, RTM_HT_ROUTE, 0, 0);
	route_buf before;
	RTM_ROUTE_CHANGE_FLAGS cf = 0xdead;
	PRTM_ROUTE_INFO p = POISON;
	bool excl = chance(70), own_write = false;
	unsigned int k = rnd(100), expired;
	HANDLE h;
	DWORD rc;

	if (!e)
		return;
	h = (HANDLE)(uintptr_t)e->h;
	rc = RtmLockRoute(r->h, h, excl, TRUE, &p);
	CHK(C_LOCKROUTE, rc, route_allowed(r, e) | (W.faults ? A_NEM : 0),
	    "lock route %#llx (flags %#x) %s", H(h), e->flags,
	    excl ? "exclusive" : "shared");
	if (rc) {
		EXPECT(p == POISON, "a failed RtmLockRoute wrote %p", (void *)p);
		if (rc == ERROR_ACCESS_DENIED)
			e->flags |= F_FOREIGN;
		return;
	}
	EXPECT(p && p != POISON && p->RouteOwner == r->h &&
	       p->State == RTM_ROUTE_STATE_CREATED, "locked route %#llx: %p "
	       "owner %#llx state %u", H(h), (void *)p, H(p->RouteOwner),
	       p->State);
	e->flags |= F_OWN;
	memcpy(&before, p, r->rsize);
	/* A timer route may expire under the lock (timers do not wait). */
	expired = r->idx == REG_TIMER ? A_IH : 0;
	if (chance(10)) {
		/* Not recursive, in either mode (2.9). */
		rc = RtmLockRoute(r->h, h, chance(50), TRUE, NULL);
		CHK(C_LOCKROUTE, rc, A_IP | expired, "relock %#llx", H(h));
	}
	if (!excl) {
		if (chance(20)) {
			rc = RtmUpdateAndUnlockRoute(r->h, h, INFINITE, NULL,
						     0, NULL, &cf);
			CHK(C_UPDUNLOCK, rc, A_IP | expired, "shared lock of "
			    "%#llx", H(h));
			EXPECT(cf == 0xdead, "refused update wrote %#x", cf);
		}
		rc = RtmLockRoute(r->h, h, FALSE, FALSE, NULL);
		CHK(C_LOCKROUTE, rc, A_OK, "unlock shared %#llx", H(h));
		expect_route(r, e, &before.ri, "shared lock");
		return;
	}
	if (r->idx != REG_TIMER && chance(15)) {
		/* The holder's own write to its destination (2.9). */
		rc = RtmDeleteRouteToDest(r->h, h, &cf);
		CHK(C_DELRT, rc, A_IP, "delete %#llx under its own lock", H(h));
		own_write = true;
	}
	if (chance(30))
		usleep(rnd(8000));	/* other writers wait */
	if (r->idx != REG_TIMER && k < 55) {
		route_commit(r, e, p);
	} else if (r->idx != REG_TIMER && k < 70) {
		/* Bad contents: refused, and the lock stays (8.3). */
		p->BelongsToViews = chance(50) ? 0 : 0x4;
		p->PrefInfo.Metric = 77;
		rc = RtmUpdateAndUnlockRoute(r->h, h, INFINITE, NULL, 0, NULL,
					     &cf);
		CHK(C_UPDUNLOCK, rc, A_IP, "views %#x", p->BelongsToViews);
		rc = RtmLockRoute(r->h, h, TRUE, FALSE, NULL);
		CHK(C_LOCKROUTE, rc, A_OK, "unlock %#llx after a refused "
		    "update", H(h));
		expect_route(r, e, &before.ri, "refused update");
	} else {
		/*
		 * Edits without a commit are discarded.  (An expiry's
		 * Context2 meanwhile is this shadow with the edits: the
		 * timer registration's callback checks its ESI.)
		 */
		p->PrefInfo.Metric = 99;
		if (r->idx != REG_TIMER)
			p->EntitySpecificInfo = POISON;
		rc = RtmLockRoute(r->h, h, TRUE, FALSE, NULL);
		CHK(C_LOCKROUTE, rc, A_OK, "unlock %#llx", H(h));
		expect_route(r, e, &before.ri, "unlock without commit");
		if (r->idx != REG_TIMER)
			sem_count(SEM_LOCK_DISCARD);
	}
	if (own_write)
		sem_count(SEM_LOCK_OWN_WRITE);
}

void op_route_lock(struct reg *r)
{
	if (chance(35))
		route_pointer(r);
	else
		route_lock(r);
}

/* ------------------------------------------------------------------ */
/* Next hops                                                           */
/* ------------------------------------------------------------------ */

/* Is @e the live next hop of one of our identities (the model knows)? */
static bool nh_live(struct reg *r, const struct href *e)
{
	unsigned int i;

	for (i = 0; i < NNHID; i++)
		if (r->nh[i].exists == 1 && r->nh[i].h == e->h)
			return !(e->flags & F_DELETED);
	return false;
}

/* The next hop as RtmGetNextHopInfo reads it (a copy), or false. */
static bool nh_read(struct reg *r, const struct href *e, RTM_NEXTHOP_INFO *out)
{
	RTM_NEXTHOP_INFO *ni;
	DWORD rc;

	if (r->npend >= MAXPEND)
		return false;
	ni = xmalloc(sizeof(*ni));
	rc = RtmGetNextHopInfo(r->h, (HANDLE)(uintptr_t)e->h, ni);
	CHK(C_NHINFO, rc, A_OK, "held next hop %#llx", H(e->h));
	if (rc) {
		free(ni);
		return false;
	}
	*out = *ni;
	pend_keep(r, P_NHINFO, 1, ni);
	return true;
}

void op_nexthop_lock(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_NEXTHOP, chance(80) ? F_OWN : 0,
				   0);
	PRTM_NEXTHOP_INFO p = POISON;
	RTM_NEXTHOP_INFO orig, now;
	PVOID esi = (PVOID)(uintptr_t)splitmix(&(uint64_t){ W.op ^ 0x6e68 });
	bool excl = chance(60);
	unsigned int allowed;
	HANDLE h;
	DWORD rc;

	if (!e)
		return;
	h = (HANDLE)(uintptr_t)e->h;
	/* Pointers of own next hops, deleted ones too (10.4). */
	rc = RtmGetNextHopPointer(r->h, h, &p);
	CHK(C_NHPTR, rc, (e->flags & F_FOREIGN) ? A_AD :
	    (e->flags & F_OWN) ? A_OK : A_OK | A_AD, "next hop %#llx flags "
	    "%#x", H(h), e->flags);
	if (rc) {
		EXPECT(p == POISON, "a failed RtmGetNextHopPointer wrote %p",
		       (void *)p);
		e->flags |= F_FOREIGN;
		return;
	}
	EXPECT(p && p != POISON && p->NextHopOwner == r->h,
	       "next-hop pointer of %#llx: %p owner %#llx", H(h), (void *)p,
	       H(p->NextHopOwner));
	e->flags |= F_OWN;
	if (nh_read(r, e, &now))
		EXPECT(now.Flags == p->Flags && now.State == p->State &&
		       now.InterfaceIndex == p->InterfaceIndex &&
		       now.EntitySpecificInfo == p->EntitySpecificInfo &&
		       !addr_cmp(&now.NextHopAddress, &p->NextHopAddress),
		       "next-hop pointer of %#llx differs from its info", H(h));
	allowed = (e->flags & F_DELETED) ? A_NF :
		  nh_live(r, e) ? A_OK : A_OK | A_NF;
	p = POISON;
	rc = RtmLockNextHop(r->h, h, excl, TRUE, &p);
	CHK(C_LOCKNH, rc, allowed | (W.faults ? A_NEM : 0), "next hop %#llx "
	    "(flags %#x) %s", H(h), e->flags, excl ? "exclusive" : "shared");
	if (rc) {
		EXPECT(p == POISON, "a failed RtmLockNextHop wrote %p",
		       (void *)p);
		return;
	}
	if (chance(10)) {
		rc = RtmLockNextHop(r->h, h, excl, TRUE, NULL);
		CHK(C_LOCKNH, rc, A_IP, "relock next hop %#llx", H(h));
	}
	orig = *p;
	/* The remote flag stays: a remote next hop keeps its dest. */
	p->Flags ^= RTM_NEXTHOP_FLAGS_DOWN;
	p->EntitySpecificInfo = esi;
	p->InterfaceIndex = 99;
	rc = RtmLockNextHop(r->h, h, excl, FALSE, NULL);
	CHK(C_LOCKNH, rc, A_OK, "unlock next hop %#llx", H(h));
	if (!nh_read(r, e, &now))
		return;
	if (excl) {
		EXPECT(now.Flags == (orig.Flags ^ RTM_NEXTHOP_FLAGS_DOWN) &&
		       now.EntitySpecificInfo == esi &&
		       now.InterfaceIndex == orig.InterfaceIndex &&
		       p->InterfaceIndex == orig.InterfaceIndex,
		       "next hop %#llx after an exclusive unlock: flags %#x "
		       "(was %#x) ESI %p (wrote %p) if %u/%u (was %u)", H(h),
		       now.Flags, orig.Flags, now.EntitySpecificInfo, esi,
		       now.InterfaceIndex, p->InterfaceIndex,
		       orig.InterfaceIndex);
		sem_count(SEM_NH_COMMIT);
	} else {
		EXPECT(now.Flags == orig.Flags &&
		       now.EntitySpecificInfo == orig.EntitySpecificInfo,
		       "next hop %#llx changed by a shared lock: flags %#x "
		       "(was %#x)", H(h), now.Flags, orig.Flags);
	}
}

/* ------------------------------------------------------------------ */
/* Destinations and opaque cells                                       */
/* ------------------------------------------------------------------ */

static struct cell *cell_of(struct reg *r, uint64_t dh)
{
	unsigned int i;

	for (i = 0; i < CL[r->idx].n; i++)
		if (CL[r->idx].c[i].dh == dh)
			return &CL[r->idx].c[i];
	return NULL;
}

/* A cell set non-NULL keeps its destination in the table (2.14). */
static void cell_kept(struct reg *r, struct cell *c)
{
	RTM_DEST_HANDLE now;
	DWORD rc;

	if (r->npend >= MAXPEND)
		return;
	now = dest_lookup(r, &c->addr, &rc);
	if (rc == ERROR_NOT_ENOUGH_MEMORY)
		return;
	if (!c->kept) {
		/* Set while the dest was already out of the table? */
		c->kept = !rc && now == (HANDLE)(uintptr_t)c->dh;
		return;
	}
	EXPECT(!rc && now == (HANDLE)(uintptr_t)c->dh, "dest %#llx (%s) with "
	       "an opaque cell set left the table: lookup %u, dest %#llx",
	       H(c->dh), A(&c->addr), rc, H(now));
	sem_count(SEM_CELL_KEPT);
}

/*
 * Under the exclusive lock of @dh: set the cell (a new record with its
 * own reference on the dest) or clear it (the record goes after the
 * unlock, which tells the kernel).  Returns the record to drop, if any.
 */
static struct cell *cell_write(struct reg *r, uint64_t dh, PVOID *cp)
{
	struct cell *c = cell_of(r, dh);
	HANDLE x = (HANDLE)(uintptr_t)dh;
	RTM_NET_ADDRESS addr;
	DWORD rc;

	if (c) {
		if (chance(50))
			return NULL;
		*cp = NULL;
		return c;
	}
	if (CL[r->idx].n == NCELLS || r->npend + 2 > MAXPEND ||
	    !dest_addr(r, x, &addr))
		return NULL;
	rc = RtmReferenceHandles(r->h, 1, &x);
	CHK(C_REFHANDLES, rc, A_OK, "dest %#llx for its cell", H(dh));
	if (rc)
		return NULL;
	ref_add(r, x, RTM_HT_DEST)->pcnt++;
	c = &CL[r->idx].c[CL[r->idx].n++];
	c->dh = dh;
	c->ptr = cp;
	c->token = (PVOID)(uintptr_t)(splitmix(&(uint64_t){ W.op }) | 1);
	c->addr = addr;
	c->kept = false;
	*cp = c->token;
	return NULL;
}

static void cell_drop(struct reg *r, struct cell *c)
{
	map_find(r, c->dh, false)->pcnt--;
	release_dest(r, c->dh);
	*c = CL[r->idx].c[--CL[r->idx].n];
}

/* Lock a destination; look at (and write) our opaque cell there. */
void op_dest_lock(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_DEST, 0, 0);
	struct cell *c, *drop = NULL;
	RTM_NET_ADDRESS addr;
	PVOID *cp = POISON;
	bool excl = chance(60);
	HANDLE d;
	DWORD rc;

	if (CL[r->idx].n && chance(20)) {
		cell_kept(r, &CL[r->idx].c[rnd(CL[r->idx].n)]);
		return;
	}
	if (!e)
		return;
	d = (HANDLE)(uintptr_t)e->h;
	rc = RtmLockDestination(r->h, d, excl, TRUE);
	CHK(C_LOCKDEST, rc, A_OK | (W.faults ? A_NEM : 0), "dest %#llx %s",
	    H(d), excl ? "exclusive" : "shared");
	if (rc)
		return;
	if (chance(10)) {
		rc = RtmLockDestination(r->h, d, chance(50), TRUE);
		CHK(C_LOCKDEST, rc, A_IP, "relock dest %#llx", H(d));
	}
	if (excl && r->idx != REG_TIMER && chance(20) &&
	    r->npend + 1 < MAXPEND && dest_addr(r, d, &addr)) {
		RTM_ROUTE_INFO ri;

		/*
		 * The holder's own write to it: refused, nothing added.
		 * Unless the destination left the table (a timer or a
		 * teardown deletes without waiting): the add then makes a
		 * new one, which is not locked.
		 */
		memset(&ri, 0, sizeof(ri));
		ri.PrefInfo.Preference = 1;
		ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
		rc = RtmAddRouteToDest(r->h, NULL, &addr, &ri, INFINITE, NULL,
				       0, NULL, NULL);
		CHK(C_ADDRT, rc, A_IP | A_OK, "add to %s under its own lock",
		    A(&addr));
		if (rc == ERROR_INVALID_PARAMETER) {
			sem_count(SEM_LOCK_OWN_WRITE);
		} else if (!rc) {
			HANDLE now = dest_lookup(r, &addr, &rc);

			EXPECT(rc || now != d, "an add to %s, locked by this "
			       "thread (dest %#llx), went through", A(&addr),
			       H(d));
		}
	}
	rc = RtmGetOpaqueInformationPointer(r->h, d, (PVOID *)&cp);
	CHK(C_OPAQUE, rc, r->opaque ? A_OK : A_NF, "dest %#llx (slot %d)",
	    H(d), r->opaque);
	if (rc) {
		EXPECT(cp == POISON, "a failed opaque call wrote %p",
		       (void *)cp);
	} else {
		c = cell_of(r, e->h);
		EXPECT(cp && cp != POISON && (c ? cp == c->ptr &&
		       *cp == c->token : !*cp), "cell of dest %#llx at %p "
		       "holds %p; %s %p / %p", H(d), (void *)cp, *cp,
		       c ? "set to" : "never set", c ? (void *)c->ptr : NULL,
		       c ? c->token : NULL);
		if (excl)
			drop = cell_write(r, e->h, cp);
	}
	if (chance(30))
		usleep(rnd(8000));	/* other writers wait */
	rc = RtmLockDestination(r->h, d, excl, FALSE);
	CHK(C_LOCKDEST, rc, A_OK, "unlock dest %#llx", H(d));
	if (chance(5)) {
		rc = RtmLockDestination(r->h, d, excl, FALSE);
		CHK(C_LOCKDEST, rc, A_IP, "unlock dest %#llx again", H(d));
	}
	if (drop)
		cell_drop(r, drop);
	else if ((c = cell_of(r, e->h)) && !c->kept)
		cell_kept(r, c);
}

/* Before a drain: every cell NULL again, under the lock. */
void locks_drain(struct reg *r)
{
	DWORD rc;

	while (CL[r->idx].n) {
		struct cell *c = &CL[r->idx].c[CL[r->idx].n - 1];
		HANDLE d = (HANDLE)(uintptr_t)c->dh;

		rc = RtmLockDestination(r->h, d, TRUE, TRUE);
		CHK(C_LOCKDEST, rc, A_OK | (W.faults ? A_NEM : 0), "dest "
		    "%#llx to clear its cell", H(d));
		if (rc)
			continue;
		*c->ptr = NULL;
		rc = RtmLockDestination(r->h, d, TRUE, FALSE);
		CHK(C_LOCKDEST, rc, A_OK, "unlock dest %#llx", H(d));
		cell_drop(r, c);
	}
}
