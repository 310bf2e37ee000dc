// SPDX-License-Identifier: GPL-2.0
/*
 * stress_events.c - the stress test's event callback, route expiry and
 * hold-down (spec part 1, 5.1, 7.1 TimeToLive, 7.3; part 2, 2.10, 2.11,
 * 2.15).
 *
 * The callback (librtm's event thread) checks every event it gets:
 * entity events name an entity of the registration's table other than
 * itself, whose RtmGetEntityInfo agrees with Context2 while the event's
 * reference keeps it; expiry events come only to the timer registration,
 * with its own route in Context2.  For an expired route it either lets
 * RTM delete it (ERROR_NOT_SUPPORTED), keeps it (releasing Context1), or
 * re-adds it with a new TimeToLive, and tells the main thread in a note.
 *
 * The timer registration (index REG_TIMER, instance 0 AF_INET, its own
 * entity id, a callback 70 % of the time) adds routes with no next hop
 * and a short TimeToLive (200 ms - 3 s) to the shared prefixes.  The main
 * thread knows every one of its routes, one per prefix (the identity is
 * prefix, owner and no neighbour), and holds a reference on each:
 *
 *   ARMED   expires at @deadline; before it (less a margin for the
 *           clock) it must be there; after it the callback must have
 *           been told, or, without a callback, the route must be gone,
 *           within the slack (RTM_STRESS_SLACK_MS);
 *   INF     added or updated with INFINITE: never expires;
 *   KEPT    the callback kept it: never expires;
 *   DOOMED  the callback let RTM delete it: gone a moment later.
 *
 * The route is re-added (refreshed, re-armed) only while nothing can be
 * in flight for it: INF, KEPT, or ARMED well before the deadline, so a
 * note always belongs to the deadline the main thread knows.  An add to
 * a prefix whose route was seen gone must create a route; an add to a
 * quiet one must update that route.  Deleting a quiet route must
 * succeed.  Hold-down: the timer registration marks the destination of
 * one of its routes and deletes it; when the route is held down
 * (DELETING) the destination reports it as HoldRoute, and it must be
 * DELETED once the longest hold time of the test has passed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stress.h"

#define TTL_MIN_MS	200
#define TTL_SPAN_MS	2800
#define HOLD_MIN_MS	200
#define MAX_HOLD_MS	2000	/* the longest hold any worker asks for */
#define GUARD_MS	150	/* refresh only this long before the TTL */
#define EARLY_MS	50	/* a tick or so: the coarse clock vs. jiffies */
#define NNOTES		512
#define NHOLDS		8
#define TTL_ESI		((PVOID)(uintptr_t)0x7717e5u)

/* ------------------------------------------------------------------ */
/* Notes from the callback to the main thread                          */
/* ------------------------------------------------------------------ */

enum { NA_DELETE, NA_KEEP, NA_REFRESH };

struct note {
	RTM_ENTITY_HANDLE reg;
	uint64_t h;
	int action;
	double t;		/* when the callback ran */
	double deadline;	/* NA_REFRESH: the new one, at the earliest */
	double latest;		/* ... at the latest */
};

static struct {
	pthread_mutex_t mu;
	struct note q[NNOTES];
	unsigned int n;
	bool lost;
} N = { .mu = PTHREAD_MUTEX_INITIALIZER };

static uint64_t cb_rng;		/* the event thread's own stream */
double slack_ms;

static unsigned int cb_rnd(unsigned int n)
{
	return (unsigned int)(splitmix(&cb_rng) % n);
}

/*
 * Times of expiry and hold-down: the kernel's timers run on jiffies,
 * which lag the monotonic clock when ticks are late (as under emulation)
 * and catch up with it; the coarse clock follows the ticks the same way.
 */
static double coarse_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void note_push(RTM_ENTITY_HANDLE reg, PVOID h, int action, double t,
		      double deadline, double latest)
{
	pthread_mutex_lock(&N.mu);
	if (N.n < NNOTES)
		N.q[N.n++] = (struct note){ reg, (uint64_t)(uintptr_t)h,
					    action, t, deadline, latest };
	else
		N.lost = true;
	pthread_mutex_unlock(&N.mu);
}

void events_start(void)
{
	cb_rng = W.seed ^ 0x63616c6c6261636bULL;
	slack_ms = S->slack_ms;
	N.n = 0;
	N.lost = false;
}

/* ------------------------------------------------------------------ */
/* The callback                                                        */
/* ------------------------------------------------------------------ */

/*
 * Which registration a callback is for.  While one is being registered
 * its handle is not stored yet, and events may already come.
 */
static int reg_index(RTM_ENTITY_HANDLE h)
{
	int i;

	for (i = 0; i < NREGS; i++)
		if (__atomic_load_n(&W.r[i].h, __ATOMIC_SEQ_CST) == h)
			return i;
	i = __atomic_load_n(&W.registering, __ATOMIC_SEQ_CST);
	EXPECT(i >= 0, "a callback for %#llx, none of our registrations",
	       H(h));
	return i;
}

static void entity_event(struct reg *r, RTM_ENTITY_HANDLE reg,
			 RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	const RTM_ENTITY_INFO *ei = c2;
	RTM_ENTITY_INFO inf;
	unsigned int k = cb_rnd(100);
	HANDLE x = c1;
	UINT n = 0;
	DWORD rc;

	EXPECT(c1 && RTM_HANDLE_TYPE((uint64_t)(uintptr_t)c1) ==
	       RTM_HT_ENTITY && ei, "entity event %d: Context1 %#llx, "
	       "Context2 %p", type, H(c1), c2);
	EXPECT(ei->RtmInstanceId == r->info.RtmInstanceId &&
	       ei->AddressFamily == r->info.AddressFamily,
	       "entity event %d of table %u/%u for a registration of %u/%u",
	       type, ei->RtmInstanceId, ei->AddressFamily,
	       r->info.RtmInstanceId, r->info.AddressFamily);
	EXPECT(ei->EntityId.EntityId != r->info.EntityId.EntityId,
	       "entity event %d about the registration itself", type);
	/* The event's reference keeps the handle valid meanwhile. */
	memset(&inf, 0xa5, sizeof(inf));
	rc = RtmGetEntityInfo(reg, c1, &inf);
	CHK(C_ENTINFO, rc, A_OK, "callback, entity %#llx", H(c1));
	EXPECT(inf.EntityId.EntityId == ei->EntityId.EntityId &&
	       inf.AddressFamily == ei->AddressFamily,
	       "entity %#llx is %#llx, the event said %#llx", H(c1),
	       (unsigned long long)inf.EntityId.EntityId,
	       (unsigned long long)ei->EntityId.EntityId);
	rc = RtmReleaseEntityInfo(reg, &inf);
	CHK(C_RELENTINFO, rc, A_OK, "callback, entity %#llx", H(c1));
	if (k < 5) {
		/* Forbidden inside entity callbacks (part 2, 2.15). */
		rc = RtmGetRegisteredEntities(reg, &n, NULL, NULL);
		CHK(C_GETENTS, rc, A_IP, "inside an entity callback");
	} else if (k < 10) {
		rc = RtmReferenceHandles(reg, 1, &x);
		CHK(C_REFHANDLES, rc, A_OK, "callback, entity %#llx", H(c1));
		if (!rc) {
			do {
				rc = RtmReleaseEntities(reg, 1, &x);
				CHK(C_RELENTS, rc, A_OK, "callback, entity "
				    "%#llx", H(c1));
			} while (rc);
		}
	}
	sem_count(type == RTM_ENTITY_REGISTERED ? SEM_EV_REGISTERED :
		  SEM_EV_DEREGISTERED);
}

/* Give back Context1 of an expiry the callback keeps (NO_ERROR). */
static void expired_release(RTM_ENTITY_HANDLE reg, PVOID c1)
{
	HANDLE x = c1;
	DWORD rc;

	do {
		rc = RtmReleaseRoutes(reg, 1, &x);
		CHK(C_RELROUTES, rc, A_OK, "callback, expired %#llx", H(c1));
	} while (rc);
}

static DWORD expired(struct reg *r, RTM_ENTITY_HANDLE reg, PVOID c1,
		     PVOID c2)
{
	const RTM_ROUTE_INFO *ri = c2;
	route_buf u;
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	RTM_ROUTE_HANDLE h = c1;
	double t = coarse_ms();
	unsigned int k = cb_rnd(100);
	ULONG ttl;
	DWORD rc;

	EXPECT(r->idx == REG_TIMER, "route %#llx of registration %d expired:"
	       " its TimeToLive was at least an hour", H(c1), r->idx);
	EXPECT(c1 && RTM_HANDLE_TYPE((uint64_t)(uintptr_t)c1) ==
	       RTM_HT_ROUTE && ri, "RTM_ROUTE_EXPIRED: Context1 %#llx, "
	       "Context2 %p", H(c1), c2);
	EXPECT(ri->RouteOwner == reg && ri->State == RTM_ROUTE_STATE_CREATED &&
	       ri->EntitySpecificInfo == TTL_ESI && ri->DestHandle &&
	       !ri->NextHopsList.NumNextHops,
	       "RTM_ROUTE_EXPIRED %#llx: owner %#llx state %u ESI %p dest "
	       "%#llx next hops %u", H(c1), H(ri->RouteOwner), ri->State,
	       ri->EntitySpecificInfo, H(ri->DestHandle),
	       ri->NextHopsList.NumNextHops);
	sem_count(SEM_EV_EXPIRED);
	if (S->phase != PH_RUN)
		return ERROR_NOT_SUPPORTED;
	if (k < 55) {
		note_push(reg, c1, NA_DELETE, t, 0, 0);
		return ERROR_NOT_SUPPORTED;
	}
	if (k < 75) {
		note_push(reg, c1, NA_KEEP, t, 0, 0);
		expired_release(reg, c1);
		return NO_ERROR;
	}
	/* Refresh: the same route again, with a new TimeToLive. */
	memset(&u, 0, sizeof(u));
	memcpy(&u.ri, ri, sizeof(*ri));
	ttl = TTL_MIN_MS + cb_rnd(TTL_SPAN_MS);
	t = coarse_ms();
	rc = RtmAddRouteToDest(reg, &h, NULL, &u.ri, ttl, NULL, 0, NULL, &cf);
	/* Deleted by the main thread meanwhile: ERROR_INVALID_HANDLE. */
	CHK(C_ADDRT, rc, A_OK | A_IH, "callback refresh of %#llx, ttl %u",
	    H(c1), ttl);
	if (rc) {
		note_push(reg, c1, NA_DELETE, t, 0, 0);
		return ERROR_NOT_SUPPORTED;
	}
	EXPECT(h == c1 && !(cf & ~RTM_ROUTE_CHANGE_BEST), "refresh of %#llx:"
	       " handle %#llx, ChangeFlags %#x", H(c1), H(h), cf);
	note_push(reg, c1, NA_REFRESH, t, t + ttl, coarse_ms() + ttl);
	/* Re-armed: ERROR_NOT_SUPPORTED must not delete it now. */
	if (k < 88)
		return ERROR_NOT_SUPPORTED;
	expired_release(reg, c1);
	return NO_ERROR;
}

DWORD WINAPI stress_callback(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type,
			     PVOID c1, PVOID c2)
{
	struct reg *r = &W.r[reg_index(reg)];

	switch (type) {
	case RTM_ENTITY_REGISTERED:
	case RTM_ENTITY_DEREGISTERED:
		entity_event(r, reg, type, c1, c2);
		return NO_ERROR;
	case RTM_ROUTE_EXPIRED:
		return expired(r, reg, c1, c2);
	case RTM_CHANGE_NOTIFICATION:
		EXPECT(notify_event(r->idx, c1, c2), "RTM_CHANGE_NOTIFICATION "
		       "for %#llx (context %p): not a notification of "
		       "registration %d", H(c1), c2, r->idx);
		sem_count(SEM_EV_CHANGE);
		return NO_ERROR;
	default:
		VIOL("callback with event type %d", type);
	}
}

/* ------------------------------------------------------------------ */
/* The timer registration's routes                                     */
/* ------------------------------------------------------------------ */

enum { TR_FREE, TR_ARMED, TR_INF, TR_KEPT, TR_DOOMED, TR_UNKNOWN };

static const char *const tr_name[] = { "free", "armed", "infinite", "kept",
				       "doomed", "unknown" };

struct ttlrec {
	uint64_t h;		/* one reference held (pcnt) */
	uint8_t state;
	bool unsure;		/* after TR_UNKNOWN or a race: no checks */
	double deadline;	/* TR_ARMED: not before (armed after the call) */
	double latest;		/* ... and not after this (before it returned) */
	double since;		/* TR_DOOMED: when the callback ran */
};

static struct ttlrec T[NPFX];

/* Indices of the pool naming the same prefix (/0, /8...) share a route. */
static int16_t canon[NPFX];

struct holdrec {
	uint64_t h;		/* the held route; one reference (pcnt) */
	double until;
};

static struct holdrec HD[NHOLDS];
static unsigned int nhd;

void events_reset(struct reg *r)
{
	RTM_NET_ADDRESS a, b;
	int i, j;

	if (r->idx != REG_TIMER)
		return;
	memset(T, 0, sizeof(T));
	nhd = 0;
	for (i = 0; i < NPFX; i++) {
		prefix(r, i, &a);
		for (j = i - i % NPFX_ADDR; j < i; j++) {
			prefix(r, j, &b);
			if (!addr_cmp(&a, &b))
				break;
		}
		canon[i] = (int16_t)j;
	}
}

/* Nothing can be in flight for it: it may be refreshed or deleted. */
static bool quiet(const struct ttlrec *t, double now)
{
	return t->state == TR_INF || t->state == TR_KEPT ||
	       (t->state == TR_ARMED && now < t->deadline - GUARD_MS);
}

/*
 * A call on a quiet route may wait (for another worker's lock of the
 * destination) past the deadline: if it returned that late, the timer may
 * have fired meanwhile, and an expiry be in flight.
 */
static bool raced(const struct ttlrec *t, double deadline, double after)
{
	return t->state == TR_ARMED && after >= deadline - EARLY_MS;
}

static void arm(struct ttlrec *t, ULONG ttl, double before, double after)
{
	t->state = ttl == INFINITE ? TR_INF : TR_ARMED;
	t->deadline = before + ttl;
	t->latest = after + ttl;
}

/* Stop following @t; give its reference back now or leave it to drain. */
static void rec_free(struct reg *r, struct ttlrec *t, bool release)
{
	if (t->state != TR_FREE && t->state != TR_UNKNOWN) {
		map_find(r, t->h, false)->pcnt--;
		if (release)
			release_route(r, t->h);
	}
	t->state = TR_FREE;
	t->unsure = false;
	t->h = 0;
}

/* State of a route we hold; 0xff if the call failed (fault injection). */
static unsigned int route_state(struct reg *r, uint64_t h)
{
	RTM_ROUTE_INFO *ri = xmalloc(r->rsize);
	unsigned int st;
	DWORD rc;

	rc = RtmGetRouteInfo(r->h, (HANDLE)(uintptr_t)h, ri, NULL);
	CHK(C_RTINFO, rc, A_OK, "held route %#llx", H(h));
	if (rc) {
		free(ri);
		return 0xff;
	}
	check_route(r, ri, map_find(r, h, false), "RtmGetRouteInfo");
	st = ri->State;
	pend_keep(r, P_ROUTEINFO, 1, ri);
	return st;
}

static bool gone(unsigned int st)
{
	return st == RTM_ROUTE_STATE_DELETED || st == RTM_ROUTE_STATE_DELETING;
}

/* The main thread learns what the callback did. */
void events_poll(void)
{
	struct reg *r = &W.r[REG_TIMER];
	struct note q[NNOTES];
	unsigned int n, i, p;
	bool lost;

	pthread_mutex_lock(&N.mu);
	n = N.n;
	memcpy(q, N.q, n * sizeof(q[0]));
	lost = N.lost;
	N.n = 0;
	N.lost = false;
	pthread_mutex_unlock(&N.mu);
	if (!r->live)
		return;
	for (i = 0; i < n; i++) {
		struct ttlrec *t = NULL;
		double late;

		if (q[i].reg != r->h)
			continue;	/* an earlier registration's */
		for (p = 0; p < NPFX && !t; p++)
			if (T[p].h == q[i].h && T[p].state != TR_FREE)
				t = &T[p];
		if (!t || t->state == TR_UNKNOWN)
			continue;	/* deleted by us meanwhile */
		if (t->unsure && t->state != TR_ARMED)
			continue;
		EXPECT(t->state == TR_ARMED, "RTM_ROUTE_EXPIRED for route "
		       "%#llx, which has no timer (%s)", H(t->h),
		       tr_name[t->state]);
		late = q[i].t - t->deadline;
		EXPECT(late >= -EARLY_MS || t->unsure, "route %#llx expired "
		       "%.0f ms before its TimeToLive", H(t->h), -late);
		if (late > 0 && (uint64_t)late > W.sh->expiry_late_ms)
			W.sh->expiry_late_ms = (uint64_t)late;
		switch (q[i].action) {
		case NA_DELETE:
			t->state = TR_DOOMED;
			t->since = q[i].t;
			sem_count(SEM_EXP_DELETE);
			break;
		case NA_KEEP:
			t->state = TR_KEPT;
			sem_count(SEM_EXP_KEEP);
			break;
		default:
			t->deadline = q[i].deadline;
			t->latest = q[i].latest;
			sem_count(SEM_EXP_REFRESH);
			break;
		}
	}
	/* Notes were dropped: what the callback did is not known. */
	for (p = 0; lost && p < NPFX; p++) {
		if (T[p].state == TR_ARMED) {
			rec_free(r, &T[p], true);
			T[p].state = TR_UNKNOWN;
		}
	}
}

static void ttl_route(RTM_ROUTE_INFO *ri)
{
	ri->PrefInfo.Preference = 1 + rnd(3);
	ri->PrefInfo.Metric = rnd(4);
	ri->BelongsToViews = 1 + rnd(3);
	ri->EntitySpecificInfo = TTL_ESI;
}

/* Add or refresh the route of a prefix with a short TimeToLive. */
static void ttl_add(struct reg *r)
{
	int pfx = canon[rnd_prefix()];
	struct ttlrec *t = &T[pfx];
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS dest;
	RTM_ROUTE_INFO ri;
	ULONG ttl = chance(10) ? INFINITE : TTL_MIN_MS + rnd(TTL_SPAN_MS);
	double t0 = coarse_ms(), t1;
	struct href *e;
	bool race;
	DWORD rc;

	if (t->state != TR_FREE && t->state != TR_UNKNOWN && !quiet(t, t0))
		return;
	memset(&ri, 0, sizeof(ri));
	ttl_route(&ri);
	prefix(r, pfx, &dest);
	rc = RtmAddRouteToDest(r->h, &h, &dest, &ri, ttl, NULL, 0, NULL, &cf);
	t1 = coarse_ms();
	race = raced(t, t->deadline, t1);
	CHK(C_ADDRT, rc, A_OK, "timer route on %s (%s), ttl %u", A(&dest),
	    tr_name[t->state], ttl);
	if (rc) {
		/* The add may have happened: nothing is known now. */
		rec_free(r, t, true);
		t->state = TR_UNKNOWN;
		return;
	}
	EXPECT(!(cf & ~(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST)),
	       "ChangeFlags %#x", cf);
	if (t->state == TR_FREE)
		EXPECT(cf & RTM_ROUTE_CHANGE_NEW, "route on %s, seen gone, is "
		       "there again (%#llx)", A(&dest), H(h));
	else if (t->state != TR_UNKNOWN && !t->unsure && !race)
		EXPECT(!(cf & RTM_ROUTE_CHANGE_NEW) && h == (HANDLE)t->h,
		       "route %#llx on %s (%s, TTL in %.0f ms) was gone: the "
		       "add made %#llx (ChangeFlags %#x)", H(t->h), A(&dest),
		       tr_name[t->state], t->deadline - t0, H(h), cf);
	e = ref_add(r, h, RTM_HT_ROUTE);
	e->flags |= F_OWN;
	e->pfx = (int16_t)pfx;
	if (t->state == TR_FREE || t->state == TR_UNKNOWN ||
	    t->h != (uint64_t)(uintptr_t)h) {
		bool unsure = t->unsure || t->state == TR_UNKNOWN || race;

		rec_free(r, t, true);
		t->h = (uint64_t)(uintptr_t)h;
		t->unsure = unsure;
		e->pcnt++;
	} else {
		release_route(r, t->h);		/* one is enough */
		if (!t->unsure && !race)
			sem_count(SEM_EXP_STAYED);
		t->unsure |= race;	/* an expiry may be in flight */
	}
	arm(t, ttl, t0, t1);
}

/* What time did to the routes: expiries seen through, holds ended. */
static void ttl_check(struct reg *r)
{
	/*
	 * What the kernel's timers do alone (no callback: the route goes;
	 * a hold-down ends), or right after a callback, is given half the
	 * slack; an event to be delivered, all of it.
	 */
	double now = coarse_ms(), late = r->cb ? slack_ms : slack_ms / 2;
	unsigned int p, i, st;

	for (p = 0; p < NPFX; p++) {
		struct ttlrec *t = &T[p];

		if (t->unsure && ((t->state == TR_ARMED &&
				   now > t->latest + late) ||
				  (t->state == TR_DOOMED &&
				   now > t->since + slack_ms / 2))) {
			rec_free(r, t, true);
		} else if (t->state == TR_ARMED && now > t->latest + late) {
			/* With a callback, no note: the event never came. */
			EXPECT(!r->cb || W.faults, "route %#llx expired %.0f "
			       "ms ago; no RTM_ROUTE_EXPIRED came", H(t->h),
			       now - t->latest);
			st = route_state(r, t->h);
			if (st == 0xff)
				continue;
			EXPECT(gone(st), "route %#llx still there (state %u) "
			       "%.0f ms after its TimeToLive", H(t->h), st,
			       now - t->latest);
			sem_count(SEM_EXP_GONE);
			rec_free(r, t, true);
		} else if (t->state == TR_DOOMED &&
			   now > t->since + slack_ms / 2) {
			st = route_state(r, t->h);
			if (st == 0xff)
				continue;
			EXPECT(gone(st), "expired route %#llx still there "
			       "(state %u) %.0f ms after the callback let RTM "
			       "delete it", H(t->h), st, now - t->since);
			sem_count(SEM_EXP_GONE);
			rec_free(r, t, true);
		} else if (quiet(t, now) && !t->unsure && chance(3)) {
			st = route_state(r, t->h);
			EXPECT(st == 0xff || st == RTM_ROUTE_STATE_CREATED ||
			       raced(t, t->deadline, coarse_ms()),
			       "route %#llx (%s, TTL in %.0f ms) is gone "
			       "(state %u)", H(t->h), tr_name[t->state],
			       t->deadline - now, st);
			if (st == RTM_ROUTE_STATE_CREATED)
				sem_count(SEM_EXP_STAYED);
		}
	}
	for (i = 0; i < nhd;) {
		struct holdrec *hr = &HD[i];

		if (now < hr->until + slack_ms / 2) {
			i++;
			continue;
		}
		st = route_state(r, hr->h);
		if (st == 0xff)
			return;
		EXPECT(st == RTM_ROUTE_STATE_DELETED, "held route %#llx still "
		       "in state %u %.0f ms after the longest hold-down",
		       H(hr->h), st, now - hr->until);
		sem_count(SEM_HOLD_ENDED);
		map_find(r, hr->h, false)->pcnt--;
		release_route(r, hr->h);
		*hr = HD[--nhd];
	}
}

/* A quiet route of ours, or -1. */
static int pick_quiet(void)
{
	double now = coarse_ms();
	unsigned int i, p = rnd(NPFX);

	for (i = 0; i < NPFX; i++, p = (p + 1) % NPFX)
		if (quiet(&T[p], now) && !T[p].unsure)
			return (int)p;
	return -1;
}

/* Delete a route: before its TimeToLive this must work. */
static void ttl_delete(struct reg *r)
{
	unsigned int i, p = rnd(NPFX);
	RTM_ROUTE_CHANGE_FLAGS cf;
	struct ttlrec *t = NULL;
	bool q;
	DWORD rc;

	for (i = 0; i < NPFX && !t; i++, p = (p + 1) % NPFX)
		if (T[p].state != TR_FREE && T[p].state != TR_UNKNOWN)
			t = &T[p];
	if (!t)
		return;
	q = quiet(t, coarse_ms()) && !t->unsure;
	rc = RtmDeleteRouteToDest(r->h, (HANDLE)(uintptr_t)t->h, &cf);
	q &= !raced(t, t->deadline, coarse_ms());
	CHK(C_DELRT, rc, q ? A_OK : A_OK | A_NF, "timer route %#llx (%s, TTL "
	    "in %.0f ms)", H(t->h), tr_name[t->state],
	    t->deadline - coarse_ms());
	if (rc == ERROR_NOT_FOUND) {
		rec_free(r, t, true);
		return;
	}
	map_find(r, t->h, false)->flags |= F_DELETED;
	map_find(r, t->h, false)->pcnt--;
	ref_sub(r, (void *)(uintptr_t)t->h);	/* consumed */
	t->state = TR_FREE;
	t->unsure = false;
	t->h = 0;
	if (q)
		sem_count(SEM_TTL_EARLY_OK);
}

/* Lock a quiet route, change its metric and TimeToLive in place. */
static void ttl_update(struct reg *r)
{
	int p = pick_quiet();
	struct ttlrec *t = p < 0 ? NULL : &T[p];
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	PRTM_ROUTE_INFO ptr = NULL;
	RTM_ROUTE_INFO *ri;
	ULONG metric = 10 + rnd(10), ttl;
	double t0;
	bool race;
	DWORD rc;

	if (!t)
		return;
	rc = RtmLockRoute(r->h, (HANDLE)(uintptr_t)t->h, TRUE, TRUE, &ptr);
	race = raced(t, t->deadline, coarse_ms());
	CHK(C_LOCKROUTE, rc, A_OK | (W.faults ? A_NEM : 0) | (race ? A_IH : 0),
	    "quiet timer route %#llx", H(t->h));
	if (rc == ERROR_INVALID_HANDLE) {
		rec_free(r, t, true);		/* expired meanwhile */
		t->state = TR_UNKNOWN;
	}
	if (rc)
		return;
	EXPECT(ptr && ptr->State == RTM_ROUTE_STATE_CREATED &&
	       ptr->EntitySpecificInfo == TTL_ESI, "locked timer route %#llx: "
	       "pointer %p state %u", H(t->h), (void *)ptr,
	       ptr ? ptr->State : 0);
	ptr->PrefInfo.Metric = metric;
	ttl = chance(10) ? INFINITE : TTL_MIN_MS + rnd(TTL_SPAN_MS);
	t0 = coarse_ms();
	rc = RtmUpdateAndUnlockRoute(r->h, (HANDLE)(uintptr_t)t->h, ttl, NULL,
				     0, NULL, &cf);
	/* Timers do not wait for locks: it may expire while locked. */
	race |= raced(t, t->deadline, coarse_ms());
	CHK(C_UPDUNLOCK, rc, A_OK | (race ? A_IH : 0), "timer route %#llx, "
	    "ttl %u", H(t->h), ttl);
	if (rc) {
		/* The lock is kept on failure; what it did is not known. */
		rc = RtmLockRoute(r->h, (HANDLE)(uintptr_t)t->h, TRUE, FALSE,
				  NULL);
		CHK(C_LOCKROUTE, rc, A_OK, "unlock timer route %#llx",
		    H(t->h));
		rec_free(r, t, true);
		t->state = TR_UNKNOWN;
		return;
	}
	t->unsure |= race;
	arm(t, ttl, t0, coarse_ms());
	ri = xmalloc(r->rsize);
	rc = RtmGetRouteInfo(r->h, (HANDLE)(uintptr_t)t->h, ri, NULL);
	CHK(C_RTINFO, rc, A_OK, "updated timer route %#llx", H(t->h));
	if (rc) {
		free(ri);
		return;
	}
	/* Short TimeToLives may have run out already on a slow kernel. */
	EXPECT(ri->PrefInfo.Metric == metric &&
	       (ri->State == RTM_ROUTE_STATE_CREATED ||
		coarse_ms() >= t->deadline - EARLY_MS), "updated timer route "
	       "%#llx: metric %u (wrote %u), state %u %.0f ms before its "
	       "TimeToLive", H(t->h), ri->PrefInfo.Metric, metric, ri->State,
	       t->deadline - coarse_ms());
	sem_count(SEM_LOCK_COMMIT);
	pend_keep(r, P_ROUTEINFO, 1, ri);
}

/*
 * Mark the destination of a quiet route and delete the route: if it was
 * the last in a marked view it is held down, reported as the view's
 * HoldRoute, and must be DELETED once MAX_HOLD_MS has passed.
 */
static void hold_own(struct reg *r)
{
	int p = pick_quiet();
	struct ttlrec *t = p < 0 ? NULL : &T[p];
	RTM_ROUTE_CHANGE_FLAGS cf;
	RTM_ROUTE_INFO *ri;
	RTM_DEST_INFO *d;
	HANDLE x;
	ULONG hold = HOLD_MIN_MS + rnd(MAX_HOLD_MS - HOLD_MIN_MS);
	unsigned int st, v;
	bool seen = false;
	double t0;
	DWORD rc;

	if (!t || nhd == NHOLDS || r->npend + 2 > MAXPEND)
		return;
	x = (HANDLE)(uintptr_t)t->h;
	ri = xmalloc(r->rsize);
	rc = RtmGetRouteInfo(r->h, x, ri, NULL);
	CHK(C_RTINFO, rc, A_OK, "timer route %#llx", H(x));
	if (rc) {
		free(ri);
		return;
	}
	pend_book(r, &(struct pend){ P_ROUTEINFO, 1, ri, NULL });
	r->pend[r->npend++] = (struct pend){ P_ROUTEINFO, 1, ri, NULL };
	rc = RtmHoldDestination(r->h, ri->DestHandle,
				chance(30) ? 0 : ri->BelongsToViews, hold);
	CHK(C_HOLDDEST, rc, A_OK, "dest %#llx of %#llx, %u ms",
	    H(ri->DestHandle), H(x), hold);
	/* The hold record's own reference, the delete consumes ours. */
	rc = RtmReferenceHandles(r->h, 1, &x);
	CHK(C_REFHANDLES, rc, A_OK, "timer route %#llx", H(x));
	if (rc)
		return;
	ref_add(r, x, RTM_HT_ROUTE)->pcnt++;
	t0 = coarse_ms();
	rc = RtmDeleteRouteToDest(r->h, x, &cf);
	CHK(C_DELRT, rc, raced(t, t->deadline, coarse_ms()) ? A_OK | A_NF :
	    A_OK, "quiet timer route %#llx (%s)", H(x), tr_name[t->state]);
	if (rc) {
		/* Expired while the delete waited for a lock. */
		map_find(r, t->h, false)->pcnt--;
		release_route(r, t->h);
		rec_free(r, t, true);
		return;
	}
	map_find(r, t->h, false)->flags |= F_DELETED;
	map_find(r, t->h, false)->pcnt--;
	ref_sub(r, x);
	t->state = TR_FREE;
	t->unsure = false;
	t->h = 0;
	st = route_state(r, (uint64_t)(uintptr_t)x);
	EXPECT(st == 0xff || gone(st), "deleted route %#llx in state %u",
	       H(x), st);
	if (st == RTM_ROUTE_STATE_DELETING) {
		d = xmalloc(r->dstride);
		rc = RtmGetDestInfo(r->h, ri->DestHandle, RTM_BEST_PROTOCOL,
				    RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST,
				    d);
		CHK(C_DESTINFO, rc, A_OK, "dest %#llx", H(ri->DestHandle));
		if (!rc) {
			check_dest(r, d, 3, "RtmGetDestInfo");
			for (v = 0; v < d->NumberOfViews; v++)
				seen |= d->ViewInfo[v].HoldRoute == x;
			/* Replaced by a newer hold-down meanwhile? */
			EXPECT(seen || route_state(r, (uint64_t)(uintptr_t)x)
			       == RTM_ROUTE_STATE_DELETED, "route %#llx is "
			       "DELETING but no view of dest %#llx holds it",
			       H(x), H(ri->DestHandle));
			sem_count(SEM_HOLD_STARTED);
			pend_keep(r, P_DEST1, 1, d);
		} else {
			free(d);
		}
		HD[nhd++] = (struct holdrec){ (uint64_t)(uintptr_t)x,
					      t0 + MAX_HOLD_MS };
		return;
	}
	map_find(r, (uint64_t)(uintptr_t)x, false)->pcnt--;
	release_route(r, (uint64_t)(uintptr_t)x);
}

/* RtmHoldDestination on any destination held, sometimes wrongly. */
void op_hold(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_DEST, 0, 0);
	HANDLE d;
	unsigned int k = rnd(100);
	DWORD rc;

	if (!e)
		return;
	d = (HANDLE)(uintptr_t)e->h;
	if (k < 4) {
		rc = RtmHoldDestination(r->h, d, RTM_VIEW_MASK_UCAST, 0);
		CHK(C_HOLDDEST, rc, A_IP, "dest %#llx, HoldTime 0", H(d));
	} else if (k < 8) {
		rc = RtmHoldDestination(r->h, d, 0x4, 1000);
		CHK(C_HOLDDEST, rc, A_IP, "dest %#llx, view 0x4", H(d));
	} else {
		rc = RtmHoldDestination(r->h, d, rnd(4),
					HOLD_MIN_MS +
					rnd(MAX_HOLD_MS - HOLD_MIN_MS));
		CHK(C_HOLDDEST, rc, A_OK, "held dest %#llx", H(d));
	}
}

/*
 * The timer registration's mix.  Deregistering it (now and then after a
 * drain) leaves the teardown with timers armed and expiries in flight,
 * as the killer does at random moments.
 */
void timer_op(struct reg *r)
{
	unsigned int t = rnd(1000);

	if (t < 350)
		ttl_add(r);
	else if (t < 540)
		ttl_check(r);
	else if (t < 600)
		ttl_delete(r);
	else if (t < 650)
		ttl_update(r);
	else if (t < 700)
		hold_own(r);
	else if (t < 740)
		op_hold(r);
	else if (t < 850)
		op_notify(r);
	else if (t < 900)
		op_dest_lock(r);
	else if (t < 960)
		op_method(r);
	else if (t < 999 || rnd(4))
		op_route_lock(r);
	else {
		if (chance(50))
			drain(r);
		do_deregister(r);
	}
}

/*
 * Before a drain: no timer may stay armed (an expiry would book a
 * reference after the drain), so the timer registration deletes its
 * routes; the references its records held go with the drain.
 */
void events_drain(struct reg *r)
{
	unsigned int p;

	if (r->idx != REG_TIMER)
		return;
	clean(r);
	for (p = 0; p < NPFX; p++)
		rec_free(r, &T[p], false);
	for (p = 0; p < nhd; p++)
		map_find(r, HD[p].h, false)->pcnt--;
	nhd = 0;
}
