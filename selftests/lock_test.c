// SPDX-License-Identifier: GPL-2.0
/*
 * lock_test - direct pointers, locks and opaque pointers:
 * RtmGetRoutePointer, RtmLockRoute, RtmUpdateAndUnlockRoute,
 * RtmGetNextHopPointer, RtmLockNextHop, RtmLockDestination and
 * RtmGetOpaqueInformationPointer (spec part 1: 2.9, 2.10, 8, 10.4, 10.5,
 * 11; part 2: 2.14).
 *
 * Every test runs with two entities of the AF_INET table of instance 0:
 * A (protocol 8, with an opaque slot) owning next hops 10.0.0.1-3 on
 * interfaces 1-3, and B (protocol 13, no slot) owning next hop 10.0.1.1
 * on interface 11.  Routes go to 10.9.0.0/16.  Cross-process tests fork
 * children that register their own entities; children never use the
 * harness macros (CHILD_CHECK _exit()s non-zero instead).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#define PROTO_A		8
#define PROTO_B		13
#define PROTO_C		20
#define MAXNH		33

#define FORGED_ROUTE	((RTM_ROUTE_HANDLE)(uintptr_t)0x3000000f0fedcba1ULL)
#define FORGED_NEXTHOP	((RTM_NEXTHOP_HANDLE)(uintptr_t)0x4000000f0fedcba1ULL)
#define FORGED_DEST	((RTM_DEST_HANDLE)(uintptr_t)0x2000000f0fedcba1ULL)
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# child %d: %s:%d: failed: %s\n",	\
			(int)getpid(), __FILE__, __LINE__, #cond);	\
		_exit(1);						\
	}								\
} while (0)

typedef union {
	RTM_ROUTE_INFO i;
	unsigned char b[RTM_SIZE_OF_ROUTE_INFO(MAXNH)];
} route_buf;

typedef union {
	RTM_DEST_INFO i;
	unsigned char b[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

static struct rtm_stats stats(void)
{
	struct rtm_stats st;

	memset(&st, 0xff, sizeof(st));
	rtm_test_stats(&st);
	return st;
}

static long long refs(void)
{
	return (long long)stats().handle_refs;
}

static DWORD reg_entity(ULONG proto, ULONG inst, BOOL opaque,
			RTM_ENTITY_HANDLE *h)
{
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;

	memset(&ei, 0, sizeof(ei));
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = proto;
	ei.EntityId.EntityInstanceId = inst;
	return RtmRegisterEntity(&ei, NULL, NULL, opaque, &p, h);
}

static void rinit(route_buf *rb, RTM_NEXTHOP_HANDLE nbr, ULONG metric,
		  ULONG pref)
{
	memset(rb, 0, sizeof(*rb));
	rb->i.Neighbour = nbr;
	rb->i.PrefInfo.Metric = metric;
	rb->i.PrefInfo.Preference = pref;
	rb->i.BelongsToViews = RTM_VIEW_MASK_UCAST;
}

static DWORD add_nh(RTM_ENTITY_HANDLE reg, unsigned int c, unsigned int d,
		    ULONG ifindex, RTM_NEXTHOP_HANDLE *out)
{
	RTM_NEXTHOP_INFO ni;

	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = rtm_test_v4(10, 0, c, d, 32);
	ni.InterfaceIndex = ifindex;
	*out = NULL;
	return RtmAddNextHop(reg, &ni, out, NULL);
}

/* A route of @reg to @dest via @nh (neighbour @nh too); handle in *h. */
static DWORD add_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS *dest,
		       RTM_NEXTHOP_HANDLE nh, ULONG metric,
		       RTM_ROUTE_HANDLE *h)
{
	route_buf rb;
	DWORD cf = 0;

	rinit(&rb, nh, metric, 10);
	rb.i.NextHopsList.NumNextHops = 1;
	rb.i.NextHopsList.NextHops[0] = nh;
	*h = NULL;
	return RtmAddRouteToDest(reg, h, dest, &rb.i, INFINITE, NULL, 0, NULL,
				 &cf);
}

/* The destination of @d with a reference (TargetViews 0), or NULL. */
static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS *d)
{
	RTM_DEST_HANDLE h;
	dest_buf db;

	if (RtmGetExactMatchDestination(reg, d, RTM_BEST_PROTOCOL, 0, &db.i))
		return NULL;
	h = db.i.DestHandle;
	if (RtmReferenceHandles(reg, 1, (HANDLE *)&h) != NO_ERROR)
		h = NULL;
	RtmReleaseDestInfo(reg, &db.i);
	return h;
}

/* Give back one reference on a bare destination handle (Appendix A). */
static DWORD release_dest(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE h)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	db.i.DestHandle = h;
	db.i.NumberOfViews = 0;
	return RtmReleaseDestInfo(reg, &db.i);
}

/* Is @d in the table for a search with @views? */
static DWORD dest_found(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS *d,
			RTM_VIEW_SET views)
{
	dest_buf db;
	DWORD ret = RtmGetExactMatchDestination(reg, d, RTM_BEST_PROTOCOL,
						views, &db.i);

	if (ret == NO_ERROR)
		RtmReleaseDestInfo(reg, &db.i);
	return ret;
}

/* The route's committed metric, or ~0 on failure. */
static ULONG metric_of(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	route_buf rb;
	ULONG m;

	if (RtmGetRouteInfo(reg, h, &rb.i, NULL) != NO_ERROR)
		return ~0U;
	m = rb.i.PrefInfo.Metric;
	RtmReleaseRouteInfo(reg, &rb.i);
	return m;
}

static RTM_VIEW_SET best_in(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	RTM_VIEW_SET v = 0xdeadbeef;

	if (RtmIsBestRoute(reg, h, &v) != NO_ERROR)
		return 0xdeadbeef;
	return v;
}

/* 1 if @fd becomes readable within @ms, else 0. */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static pid_t fork_child(struct __test_metadata *_metadata)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	return pid;
}

static void expect_child_ok(struct __test_metadata *_metadata, pid_t pid)
{
	int status = -1;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

FIXTURE(lk) {
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE na[3];
	RTM_NEXTHOP_HANDLE nb;
	RTM_NET_ADDRESS d;
};

FIXTURE_SETUP(lk)
{
	int i;

	ASSERT_EQ(NO_ERROR, reg_entity(PROTO_A, 1, TRUE, &self->a));
	ASSERT_EQ(NO_ERROR, reg_entity(PROTO_B, 1, FALSE, &self->b));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(NO_ERROR, add_nh(self->a, 0, i + 1, i + 1,
					   &self->na[i]));
	ASSERT_EQ(NO_ERROR, add_nh(self->b, 1, 1, 11, &self->nb));
	self->d = rtm_test_v4(10, 9, 0, 0, 16);
}

FIXTURE_TEARDOWN(lk)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ---------------------------------------------------------------------- */
/* RtmGetRoutePointer (8.1)                                                */
/* ---------------------------------------------------------------------- */

TEST_F(lk, route_pointer_matches_route_info_and_is_stable)
{
	PRTM_ROUTE_INFO p = NULL, p2 = NULL;
	RTM_ROUTE_HANDLE r;
	route_buf ri;
	long long r0;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 7, &r));
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &p));
	ASSERT_NE(NULL, p);
	/* No reference is taken (R6). */
	EXPECT_EQ(r0, refs());
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r, &ri.i, NULL));
	EXPECT_EQ(ri.i.DestHandle, p->DestHandle);
	EXPECT_EQ(self->a, p->RouteOwner);
	EXPECT_EQ(self->na[0], p->Neighbour);
	EXPECT_EQ(7, p->PrefInfo.Metric);
	EXPECT_EQ(10, p->PrefInfo.Preference);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, p->BelongsToViews);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, p->State);
	EXPECT_EQ(1, p->NextHopsList.NumNextHops);
	EXPECT_EQ(self->na[0], p->NextHopsList.NextHops[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &ri.i));

	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &p2));
	EXPECT_EQ(p, p2);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/* The pointer is refreshed by the call: it shows a later update. */
TEST_F(lk, route_pointer_refreshed_after_update)
{
	PRTM_ROUTE_INFO p = NULL;
	RTM_ROUTE_HANDLE r, r2;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 7, &r));
	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &p));
	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 9, &r2));
	EXPECT_EQ(r, r2);
	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &p));
	EXPECT_EQ(9, p->PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, route_pointer_not_owner_denied)
{
	PRTM_ROUTE_INFO p = POISON;
	RTM_ROUTE_HANDLE r;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 7, &r));
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmGetRoutePointer(self->b, r, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, route_pointer_bad_arguments)
{
	PRTM_ROUTE_INFO p = POISON;
	RTM_ROUTE_HANDLE r;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 7, &r));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRoutePointer(self->a, FORGED_ROUTE, &p));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRoutePointer(self->a, NULL, &p));
	/* A next-hop handle is not a route handle. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRoutePointer(self->a,
				     (RTM_ROUTE_HANDLE)self->na[0], &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetRoutePointer(self->a, r,
							      NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRoutePointer(NULL, r, &p));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, route_pointer_of_deleted_route_invalid)
{
	PRTM_ROUTE_INFO p = NULL, p2 = POISON;
	RTM_ROUTE_HANDLE r, keep;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 7, &r));
	keep = r;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &p));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRoutePointer(self->a, keep,
							   &p2));
	EXPECT_EQ(POISON, p2);
	/* The earlier pointer stays readable while the reference is held. */
	EXPECT_EQ(7, p->PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &keep));
}

/* ---------------------------------------------------------------------- */
/* RtmLockRoute and RtmUpdateAndUnlockRoute (8.2, 8.3)                     */
/* ---------------------------------------------------------------------- */

TEST_F(lk, update_commits_pref_and_reports_best_change)
{
	RTM_ROUTE_HANDLE r1, r2;
	PRTM_ROUTE_INFO p = NULL;
	DWORD cf = 0xdead;
	long long r0;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10,
				      &r1));
	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[1], 20,
				      &r2));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r1));
	EXPECT_EQ(0, best_in(self->a, r2));
	r0 = refs();

	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r2, TRUE, TRUE, &p));
	ASSERT_NE(NULL, p);
	EXPECT_EQ(20, p->PrefInfo.Metric);
	p->PrefInfo.Metric = 5;
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, r2, INFINITE,
						    NULL, 0, NULL, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(5, metric_of(self->a, r2));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(r0, refs());

	/* A change of the non-best route only: no BEST change. */
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r1, TRUE, TRUE, &p));
	p->PrefInfo.Metric = 11;
	cf = 0xdead;
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, r1, INFINITE,
						    NULL, 0, NULL, &cf));
	EXPECT_EQ(0, cf);
	EXPECT_EQ(11, metric_of(self->a, r1));
	/* The lock is gone: the route can be locked again. */
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r1, FALSE, TRUE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r1, FALSE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

/* Views and EntitySpecificInfo commit; Flags, State, owner, dest do not. */
TEST_F(lk, update_commits_writable_fields_only)
{
	PRTM_ROUTE_INFO p = NULL;
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	route_buf ri;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, &p));
	dh = p->DestHandle;
	p->BelongsToViews = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
	p->EntitySpecificInfo = (PVOID)(uintptr_t)0xabcdef;
	p->PrefInfo.Preference = 3;
	p->Flags = RTM_ROUTE_FLAGS_DISCARD;
	p->State = RTM_ROUTE_STATE_DELETED;
	p->RouteOwner = self->b;
	p->DestHandle = (RTM_DEST_HANDLE)(uintptr_t)0x1234;
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, r, INFINITE,
						    NULL, 0, NULL, &cf));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r, &ri.i, NULL));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST,
		  ri.i.BelongsToViews);
	EXPECT_EQ((PVOID)(uintptr_t)0xabcdef, ri.i.EntitySpecificInfo);
	EXPECT_EQ(3, ri.i.PrefInfo.Preference);
	EXPECT_EQ(0, ri.i.Flags);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, ri.i.State);
	EXPECT_EQ(self->a, ri.i.RouteOwner);
	EXPECT_EQ(dh, ri.i.DestHandle);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &ri.i));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST,
		  best_in(self->a, r));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, unlock_without_update_discards_edits)
{
	PRTM_ROUTE_INFO p = NULL, q = NULL;
	RTM_ROUTE_HANDLE r;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, &p));
	p->PrefInfo.Metric = 99;
	p->NextHopsList.NextHops[0] = self->na[2];
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(10, metric_of(self->a, r));
	ASSERT_EQ(NO_ERROR, RtmGetRoutePointer(self->a, r, &q));
	EXPECT_EQ(10, q->PrefInfo.Metric);
	EXPECT_EQ(self->na[0], q->NextHopsList.NextHops[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, update_without_exclusive_lock_invalid)
{
	PRTM_ROUTE_INFO p = NULL;
	RTM_ROUTE_HANDLE r;
	DWORD cf = 0xdead;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	/* A shared lock does not allow a commit either. */
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, FALSE, TRUE, &p));
	p->PrefInfo.Metric = 50;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	EXPECT_EQ(0xdead, cf);
	/* The shared lock is still held. */
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, FALSE, FALSE, NULL));
	EXPECT_EQ(10, metric_of(self->a, r));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/* A failed commit leaves the route locked and the edits uncommitted. */
TEST_F(lk, update_invalid_contents_keep_lock)
{
	RTM_ROUTE_HANDLE r, r_other;
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 8, 0, 0, 16);
	PRTM_ROUTE_INFO p = NULL;
	DWORD cf;
	int i;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));

	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, &p));
	p->PrefInfo.Metric = 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, 0, NULL, 0, NULL, &cf));
	p->BelongsToViews = 0;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	p->BelongsToViews = 0x4;	/* outside ViewsSupported */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	p->BelongsToViews = RTM_VIEW_MASK_UCAST;
	p->NextHopsList.NextHops[0] = self->nb;	/* B's next hop */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	p->NextHopsList.NextHops[0] = FORGED_NEXTHOP;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	p->NextHopsList.NextHops[0] = self->na[0];
	/* Too many next hops (MaxNextHopsInRoute < MAXNH). */
	p->NextHopsList.NumNextHops = MAXNH;
	for (i = 0; i < MAXNH; i++)
		p->NextHopsList.NextHops[i] = self->na[0];
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmUpdateAndUnlockRoute(self->a, r, INFINITE, NULL, 0, NULL,
					  &cf));
	/* Still locked by us: relocking is misuse, the unlock works once. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(10, metric_of(self->a, r));

	/* The table is unlocked: B can add to it (another route, too). */
	ASSERT_EQ(NO_ERROR, add_route(self->b, &self->d, self->nb, 30,
				      &r_other));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &r_other));
	ASSERT_EQ(NO_ERROR, add_route(self->a, &d2, self->na[0], 30,
				      &r_other));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r_other));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, lock_route_misuse)
{
	RTM_ROUTE_HANDLE r;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	/* Unlock without lock. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, FALSE, FALSE, NULL));
	/* Exclusive: no re-lock in either mode, unlock in the same mode. */
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, FALSE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, FALSE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	/* Shared. */
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, FALSE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, FALSE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, FALSE, FALSE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, FALSE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

TEST_F(lk, lock_route_not_owner_or_invalid)
{
	PRTM_ROUTE_INFO p = POISON;
	RTM_ROUTE_HANDLE r, keep;
	DWORD cf = 0xdead;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmLockRoute(self->b, r, TRUE, TRUE, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmLockRoute(self->b, r, FALSE, TRUE, &p));
	/* Nothing was locked: A locks and unlocks freely. */
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmLockRoute(self->b, r, TRUE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));

	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockRoute(self->a, FORGED_ROUTE, TRUE, TRUE, &p));
	EXPECT_EQ(POISON, p);

	/* A deleted route cannot be locked. */
	keep = r;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockRoute(self->a, keep, TRUE, TRUE, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmUpdateAndUnlockRoute(self->a, keep, INFINITE, NULL, 0,
					  NULL, &cf));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &keep));
}

/*
 * RtmUpdateAndUnlockRoute by a non-owner (ERROR_ACCESS_DENIED, 8.3) and
 * on an invalid handle (ERROR_INVALID_HANDLE, 8.3 Proposed), also while
 * the owner holds the exclusive lock.
 */
TEST_F(lk, update_not_owner_denied_invalid_handle)
{
	RTM_ROUTE_HANDLE r;
	DWORD cf = 0xdead;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmUpdateAndUnlockRoute(self->b, r, INFINITE, NULL, 0, NULL,
					  &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmUpdateAndUnlockRoute(self->a, FORGED_ROUTE, INFINITE,
					  NULL, 0, NULL, &cf));
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmUpdateAndUnlockRoute(self->b, r, INFINITE, NULL, 0, NULL,
					  &cf));
	EXPECT_EQ(0xdead, cf);
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/*
 * The in-place protocol (8): replace next hop na0 by na1 with the
 * documented RtmReferenceHandles / RtmReleaseNextHops calls.  The
 * registration's references end where they started, and the route no
 * longer holds na0: deleting na0 destroys it at once.
 */
TEST_F(lk, update_nexthop_references_exact)
{
	long long r0, nh0;
	PRTM_ROUTE_INFO p = NULL;
	RTM_NEXTHOP_HANDLE newnh, oldnh;
	RTM_ROUTE_HANDLE r;
	route_buf ri;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	r0 = refs();
	nh0 = (long long)stats().nexthops;

	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, &p));
	oldnh = p->NextHopsList.NextHops[0];
	EXPECT_EQ(self->na[0], oldnh);
	newnh = self->na[1];
	p->NextHopsList.NextHops[0] = newnh;
	p->Neighbour = newnh;
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&newnh));
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&newnh));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &oldnh));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &oldnh));
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, r, INFINITE,
						    NULL, 0, NULL, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0, refs());

	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r, &ri.i, NULL));
	EXPECT_EQ(self->na[1], ri.i.Neighbour);
	EXPECT_EQ(1, ri.i.NextHopsList.NumNextHops);
	EXPECT_EQ(self->na[1], ri.i.NextHopsList.NextHops[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &ri.i));
	EXPECT_EQ(r0, refs());

	/* na0 is referenced by nobody but the fixture now. */
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, self->na[0], NULL));
	self->na[0] = NULL;
	EXPECT_EQ(nh0 - 1, (long long)stats().nexthops);
	EXPECT_EQ(r0 - 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/* The same edit without the reference calls: the commit reconciles. */
TEST_F(lk, update_nexthops_reconciled_without_reference_calls)
{
	long long r0, nh0;
	PRTM_ROUTE_INFO p = NULL;
	RTM_ROUTE_HANDLE r;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	r0 = refs();
	nh0 = (long long)stats().nexthops;
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, &p));
	p->Neighbour = NULL;
	p->NextHopsList.NumNextHops = 2;
	p->NextHopsList.NextHops[0] = self->na[1];
	p->NextHopsList.NextHops[1] = self->na[2];
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, r, INFINITE,
						    NULL, 0, NULL, &cf));
	EXPECT_EQ(r0, refs());
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, self->na[0], NULL));
	self->na[0] = NULL;
	EXPECT_EQ(nh0 - 1, (long long)stats().nexthops);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/* ---------------------------------------------------------------------- */
/* RtmGetNextHopPointer, RtmLockNextHop (10.4, 10.5)                       */
/* ---------------------------------------------------------------------- */

TEST_F(lk, nexthop_pointer_owner_only)
{
	PRTM_NEXTHOP_INFO p = NULL, p2 = NULL, q = POISON;
	long long r0 = refs();
	RTM_NET_ADDRESS want = rtm_test_v4(10, 0, 0, 2, 32);

	ASSERT_EQ(NO_ERROR, RtmGetNextHopPointer(self->a, self->na[1], &p));
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, memcmp(&want, &p->NextHopAddress, sizeof(want)));
	EXPECT_EQ(2, p->InterfaceIndex);
	EXPECT_EQ(self->a, p->NextHopOwner);
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, p->State);
	EXPECT_EQ(r0, refs());
	ASSERT_EQ(NO_ERROR, RtmGetNextHopPointer(self->a, self->na[1], &p2));
	EXPECT_EQ(p, p2);

	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmGetNextHopPointer(self->b, self->na[1], &q));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetNextHopPointer(self->a, FORGED_NEXTHOP, &q));
	EXPECT_EQ(POISON, q);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetNextHopPointer(self->a, self->na[1], NULL));
	EXPECT_EQ(r0, refs());
}

TEST_F(lk, lock_nexthop_commits_flags_and_esi_reverts_identity)
{
	RTM_NET_ADDRESS orig = rtm_test_v4(10, 0, 0, 1, 32);
	PRTM_NEXTHOP_INFO p = NULL;
	RTM_NEXTHOP_INFO ni;
	long long r0 = refs();

	ASSERT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], TRUE, TRUE,
					   &p));
	ASSERT_NE(NULL, p);
	p->Flags = RTM_NEXTHOP_FLAGS_DOWN;
	p->EntitySpecificInfo = (PVOID)(uintptr_t)0x4242;
	p->InterfaceIndex = 99;
	p->NextHopAddress = rtm_test_v4(10, 7, 7, 7, 32);
	p->State = RTM_NEXTHOP_STATE_DELETED;
	p->NextHopOwner = self->b;
	ASSERT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], TRUE, FALSE,
					   NULL));
	EXPECT_EQ(r0, refs());

	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(self->a, self->na[0], &ni));
	EXPECT_EQ(RTM_NEXTHOP_FLAGS_DOWN, ni.Flags);
	EXPECT_EQ((PVOID)(uintptr_t)0x4242, ni.EntitySpecificInfo);
	EXPECT_EQ(1, ni.InterfaceIndex);
	EXPECT_EQ(0, memcmp(&orig, &ni.NextHopAddress, sizeof(orig)));
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, ni.State);
	EXPECT_EQ(self->a, ni.NextHopOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(self->a, &ni));
	/* The pointer itself was read back: identity edits are gone. */
	EXPECT_EQ(1, p->InterfaceIndex);
	EXPECT_EQ(0, memcmp(&orig, &p->NextHopAddress, sizeof(orig)));
	EXPECT_EQ(self->a, p->NextHopOwner);
	EXPECT_EQ(r0, refs());
}

TEST_F(lk, lock_nexthop_shared_edits_not_committed)
{
	PRTM_NEXTHOP_INFO p = NULL;
	RTM_NEXTHOP_INFO ni;

	ASSERT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], FALSE, TRUE,
					   &p));
	ASSERT_NE(NULL, p);
	p->EntitySpecificInfo = (PVOID)(uintptr_t)0x77;
	p->Flags = RTM_NEXTHOP_FLAGS_DOWN;
	ASSERT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], FALSE, FALSE,
					   NULL));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(self->a, self->na[0], &ni));
	EXPECT_EQ(NULL, ni.EntitySpecificInfo);
	EXPECT_EQ(0, ni.Flags);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(self->a, &ni));
}

TEST_F(lk, lock_nexthop_misuse_and_errors)
{
	PRTM_NEXTHOP_INFO p = POISON;
	RTM_NEXTHOP_HANDLE keep = self->na[2];
	long long r0;

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockNextHop(self->a, self->na[0], TRUE, FALSE, NULL));
	ASSERT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], TRUE, TRUE,
					   NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockNextHop(self->a, self->na[0], TRUE, TRUE, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockNextHop(self->a, self->na[0], FALSE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockNextHop(self->a, self->na[0], TRUE, FALSE,
					   NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockNextHop(self->a, self->na[0], TRUE, FALSE, NULL));

	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmLockNextHop(self->b, self->na[0], TRUE, TRUE, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockNextHop(self->a, FORGED_NEXTHOP, TRUE, TRUE, &p));
	EXPECT_EQ(POISON, p);

	/* A deleted next hop: ERROR_NOT_FOUND. */
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, self->na[2], NULL));
	self->na[2] = NULL;
	r0 = refs();
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmLockNextHop(self->a, keep, TRUE, TRUE, &p));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmLockNextHop(self->a, keep, FALSE, TRUE, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &keep));
}

/* ---------------------------------------------------------------------- */
/* RtmLockDestination (11.1)                                               */
/* ---------------------------------------------------------------------- */

TEST_F(lk, lock_destination_any_entity)
{
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	long long r0;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->b, &self->d);
	ASSERT_NE(NULL, dh);
	r0 = refs();
	/* B owns no route there: destinations have no owner. */
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->b, dh, TRUE, TRUE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockDestination(self->b, dh, TRUE, TRUE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockDestination(self->b, dh, FALSE, FALSE));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->b, dh, TRUE, FALSE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockDestination(self->b, dh, TRUE, FALSE));
	/* Two shared holders of different registrations. */
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->b, dh, FALSE, TRUE));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, FALSE, TRUE));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, FALSE, FALSE));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->b, dh, FALSE, FALSE));
	EXPECT_EQ(r0, refs());

	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockDestination(self->a, FORGED_DEST, TRUE, TRUE));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockDestination(self->a, (RTM_DEST_HANDLE)r, TRUE, TRUE));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmLockDestination(NULL, dh, TRUE, TRUE));
	EXPECT_EQ(NO_ERROR, release_dest(self->b, dh));
	EXPECT_EQ(r0 - 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
}

/*
 * The thread holding a destination lock may not write to that
 * destination (2.9): ERROR_INVALID_PARAMETER instead of a deadlock; the
 * same holds for RtmLockRoute of one of its routes.
 */
TEST_F(lk, lock_holder_cannot_write_its_destination)
{
	RTM_ROUTE_HANDLE r, r2;
	RTM_DEST_HANDLE dh;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->a, &self->d);
	ASSERT_NE(NULL, dh);
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  add_route(self->a, &self->d, self->na[1], 20, &r2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmDeleteRouteToDest(self->a, r, &cf));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	EXPECT_EQ(10, metric_of(self->a, r));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(NO_ERROR, release_dest(self->a, dh));
}

/*
 * Another process's writer waits until the destination is unlocked.  The
 * child registers C and adds a route to the locked destination, then
 * writes one byte; the parent sees no byte while it holds the lock and
 * the byte right after unlocking.
 */
static void writer_child(int go, int done, RTM_NET_ADDRESS d)
{
	RTM_ROUTE_HANDLE r = NULL;
	RTM_ENTITY_HANDLE c = NULL;
	RTM_NEXTHOP_HANDLE nh = NULL;
	char x = 0;

	CHILD_CHECK(reg_entity(PROTO_C, 1, FALSE, &c) == NO_ERROR);
	CHILD_CHECK(add_nh(c, 2, 1, 21, &nh) == NO_ERROR);
	CHILD_CHECK(write(done, "r", 1) == 1);	/* ready */
	CHILD_CHECK(read(go, &x, 1) == 1);
	CHILD_CHECK(add_route(c, &d, nh, 5, &r) == NO_ERROR);
	CHILD_CHECK(write(done, "w", 1) == 1);
	CHILD_CHECK(read(go, &x, 1) == 1);
	CHILD_CHECK(RtmDeregisterEntity(c) == NO_ERROR);
	_exit(0);
}

TEST_F(lk, lock_destination_blocks_writer_of_other_process)
{
	int go[2], done[2];
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	char x = 0;
	pid_t pid;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->a, &self->d);
	ASSERT_NE(NULL, dh);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(go[1]);
		close(done[0]);
		writer_child(go[0], done[1], self->d);
	}
	close(go[0]);
	close(done[1]);
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('r', x);

	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(1, write(go[1], "g", 1));
	/* The write waits while the lock is held. */
	EXPECT_EQ(0, readable(done[0], 500));
	EXPECT_EQ(1, stats().routes);
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	EXPECT_EQ(1, readable(done[0], 5000));
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('w', x);
	EXPECT_EQ(2, stats().routes);
	ASSERT_EQ(1, write(go[1], "g", 1));
	expect_child_ok(_metadata, pid);
	EXPECT_EQ(1, stats().routes);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(NO_ERROR, release_dest(self->a, dh));
	close(go[1]);
	close(done[0]);
}

/* A lock holder killed with SIGKILL: the waiting writer proceeds. */
static void locker_child(int ready, RTM_NET_ADDRESS d)
{
	RTM_ENTITY_HANDLE c = NULL;
	RTM_DEST_HANDLE dh;

	CHILD_CHECK(reg_entity(PROTO_C, 2, FALSE, &c) == NO_ERROR);
	dh = dest_of(c, &d);
	CHILD_CHECK(dh != NULL);
	CHILD_CHECK(RtmLockDestination(c, dh, TRUE, TRUE) == NO_ERROR);
	CHILD_CHECK(write(ready, "l", 1) == 1);
	for (;;)
		pause();
}

TEST_F(lk, lock_released_when_holder_killed)
{
	int lk[2], go[2], done[2];
	pid_t locker, writer;
	RTM_ROUTE_HANDLE r;
	char x = 0;
	int status;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	ASSERT_EQ(0, pipe(lk));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	locker = fork_child(_metadata);
	if (locker == 0) {
		close(lk[0]);
		locker_child(lk[1], self->d);
	}
	close(lk[1]);
	ASSERT_EQ(1, read(lk[0], &x, 1));
	EXPECT_EQ('l', x);

	writer = fork_child(_metadata);
	if (writer == 0) {
		close(go[1]);
		close(done[0]);
		writer_child(go[0], done[1], self->d);
	}
	close(go[0]);
	close(done[1]);
	ASSERT_EQ(1, read(done[0], &x, 1));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, readable(done[0], 500));

	ASSERT_EQ(0, kill(locker, SIGKILL));
	ASSERT_EQ(locker, waitpid(locker, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(1, readable(done[0], 5000));
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('w', x);
	ASSERT_EQ(1, write(go[1], "g", 1));
	expect_child_ok(_metadata, writer);
	/* Our own exclusive lock is free again, too. */
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, TRUE, NULL));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, r, TRUE, FALSE, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	close(lk[0]);
	close(go[1]);
	close(done[0]);
}

/* ---------------------------------------------------------------------- */
/* RtmGetOpaqueInformationPointer (11.2)                                   */
/* ---------------------------------------------------------------------- */

TEST_F(lk, opaque_without_reservation_not_found)
{
	PVOID p = POISON;
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->b, &self->d);
	ASSERT_NE(NULL, dh);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetOpaqueInformationPointer(self->b, dh, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetOpaqueInformationPointer(self->a, FORGED_DEST, &p));
	EXPECT_EQ(POISON, p);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetOpaqueInformationPointer(self->a, dh, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(NO_ERROR, release_dest(self->b, dh));
}

/*
 * The cell starts NULL, keeps a value stored under the exclusive lock,
 * and a non-NULL cell keeps the destination in the table after its last
 * route is gone (found with TargetViews 0 only) until it is NULL again.
 */
TEST_F(lk, opaque_cell_retains_destination)
{
	long long d0 = (long long)stats().dests;
	PVOID cellp = NULL, cellp2 = NULL;
	static int mydata;
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->a, &self->d);
	ASSERT_NE(NULL, dh);
	EXPECT_EQ(d0 + 1, (long long)stats().dests);

	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(NO_ERROR, RtmGetOpaqueInformationPointer(self->a, dh,
							   &cellp));
	ASSERT_NE(NULL, cellp);
	EXPECT_EQ(NULL, *(PVOID *)cellp);
	*(PVOID *)cellp = &mydata;
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));

	ASSERT_EQ(NO_ERROR, RtmGetOpaqueInformationPointer(self->a, dh,
							   &cellp2));
	EXPECT_EQ(cellp, cellp2);
	EXPECT_EQ(&mydata, *(PVOID *)cellp2);

	/* The last route goes; the destination stays for the cell. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r, &cf));
	EXPECT_EQ(NO_ERROR, dest_found(self->a, &self->d, 0));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  dest_found(self->a, &self->d, RTM_VIEW_MASK_UCAST));
	EXPECT_EQ(NO_ERROR, dest_found(self->b, &self->d, 0));

	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(NO_ERROR, RtmGetOpaqueInformationPointer(self->a, dh,
							   &cellp));
	EXPECT_EQ(&mydata, *(PVOID *)cellp);
	*(PVOID *)cellp = NULL;
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	EXPECT_EQ(ERROR_NOT_FOUND, dest_found(self->a, &self->d, 0));

	EXPECT_EQ(d0 + 1, (long long)stats().dests);
	/* Our reference on dh is the last thing holding the object. */
	EXPECT_EQ(NO_ERROR, release_dest(self->a, dh));
	EXPECT_EQ(d0, (long long)stats().dests);
}

/* Two entities with slots have independent cells. */
TEST_F(lk, opaque_cells_of_two_entities_independent)
{
	RTM_ENTITY_HANDLE c = NULL;
	PVOID pa = NULL, pc = NULL;
	static int da, dc;
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;

	ASSERT_EQ(NO_ERROR, reg_entity(PROTO_C, 3, TRUE, &c));
	ASSERT_EQ(NO_ERROR, add_route(self->a, &self->d, self->na[0], 10, &r));
	dh = dest_of(self->a, &self->d);
	ASSERT_NE(NULL, dh);

	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(NO_ERROR, RtmGetOpaqueInformationPointer(self->a, dh, &pa));
	*(PVOID *)pa = &da;
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));

	ASSERT_EQ(NO_ERROR, RtmLockDestination(c, dh, TRUE, TRUE));
	ASSERT_EQ(NO_ERROR, RtmGetOpaqueInformationPointer(c, dh, &pc));
	EXPECT_NE(pa, pc);
	EXPECT_EQ(NULL, *(PVOID *)pc);
	*(PVOID *)pc = &dc;
	ASSERT_EQ(NO_ERROR, RtmLockDestination(c, dh, TRUE, FALSE));
	EXPECT_EQ(&da, *(PVOID *)pa);
	EXPECT_EQ(&dc, *(PVOID *)pc);

	/* A clears its cell; C's still holds the destination. */
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	*(PVOID *)pa = NULL;
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r, NULL));
	EXPECT_EQ(NO_ERROR, dest_found(self->a, &self->d, 0));
	/* Deregistering C sets its cells to NULL: the destination goes. */
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	EXPECT_EQ(ERROR_NOT_FOUND, dest_found(self->a, &self->d, 0));
	EXPECT_EQ(NO_ERROR, release_dest(self->a, dh));
}

TEST_HARNESS_MAIN
