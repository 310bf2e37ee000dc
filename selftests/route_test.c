// SPDX-License-Identifier: GPL-2.0
/*
 * route_test - routes: RtmAddRouteToDest, RtmDeleteRouteToDest,
 * RtmGetRouteInfo, RtmReleaseRouteInfo, RtmIsBestRoute and
 * RtmGetExactMatchRoute (spec part 1: 2.2-2.8, 6.3, 6.4, 7.1, 7.2, 9.4,
 * 9.5; part 2: 2.4-2.9).
 *
 * Every test runs with two entities of the AF_INET table of instance 0:
 * A (protocol 8) owning next hops 10.0.0.1, .2, .3 on interfaces 1, 2, 3,
 * and B (protocol 13) owning next hop 10.0.1.1 on interface 11.  Most
 * routes go to 10.9.0.0/16.  Reference counts are checked with the
 * module's handle_refs counter against its value at a point of the test.
 */
/*
 * The 6.1 harness leaves parameters unused, and its EXPECT_EQ compares the
 * plain int ERROR_* constants with DWORD results.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <stdint.h>

#define PROTO_A		8
#define PROTO_B		13
#define MAXNH		33	/* > any MaxNextHopsInRoute the module allows */

typedef union {
	RTM_ROUTE_INFO i;
	unsigned char b[RTM_SIZE_OF_ROUTE_INFO(MAXNH)];
} route_buf;

typedef union {
	RTM_DEST_INFO i;
	unsigned char b[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

/* Values that name no object: a route-kind handle of an unused slot, junk. */
#define FORGED_ROUTE	((RTM_ROUTE_HANDLE)(uintptr_t)0x3000000f0fedcba1ULL)
#define FORGED_NEXTHOP	((RTM_NEXTHOP_HANDLE)(uintptr_t)0x4000000f0fedcba1ULL)
#define FORGED_LIST	((RTM_ROUTE_LIST_HANDLE)(uintptr_t)0x7000000000000001)
#define JUNK_HANDLE	((HANDLE)(uintptr_t)0x1234)

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

static long long nroutes(void)
{
	return (long long)stats().routes;
}

static long long ndests(void)
{
	return (long long)stats().dests;
}

/* A route of @metric/@pref in @views, from @nbr, with no next hops yet. */
static void rinit(route_buf *rb, RTM_NEXTHOP_HANDLE nbr, ULONG metric,
		  ULONG pref, RTM_VIEW_SET views)
{
	memset(rb, 0, sizeof(*rb));
	rb->i.Neighbour = nbr;
	rb->i.PrefInfo.Metric = metric;
	rb->i.PrefInfo.Preference = pref;
	rb->i.BelongsToViews = views;
}

static void rnh(route_buf *rb, RTM_NEXTHOP_HANDLE nh)
{
	rb->i.NextHopsList.NextHops[rb->i.NextHopsList.NumNextHops++] = nh;
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

/* Mode (b): returns the status; *h the handle, *cf the output flags. */
static DWORD add_b(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS *dest,
		   route_buf *rb, DWORD in_flags, RTM_ROUTE_HANDLE *h,
		   DWORD *cf)
{
	*h = NULL;
	*cf = in_flags;
	return RtmAddRouteToDest(reg, h, dest, &rb->i, INFINITE, NULL, 0, NULL,
				 cf);
}

/* Mode (a): update the route @h names. */
static DWORD add_a(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h,
		   RTM_NET_ADDRESS *dest, route_buf *rb, DWORD *cf)
{
	RTM_ROUTE_HANDLE hh = h;
	DWORD ret;

	*cf = 0;
	ret = RtmAddRouteToDest(reg, &hh, dest, &rb->i, INFINITE, NULL, 0,
				NULL, cf);
	return hh == h ? ret : 0xdead;	/* *RouteHandle must not move */
}

/* The views in which @h is best, or 0xdeadbeef if the call failed. */
static RTM_VIEW_SET best_in(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	RTM_VIEW_SET v = 0xdeadbeef;

	if (RtmIsBestRoute(reg, h, &v) != NO_ERROR)
		return 0xdeadbeef;
	return v;
}

FIXTURE(rt) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa, pb;
	RTM_NEXTHOP_HANDLE na[3];	/* A's: 10.0.0.1-3, interfaces 1-3 */
	RTM_NEXTHOP_HANDLE nb;		/* B's: 10.0.1.1, interface 11 */
	RTM_NET_ADDRESS d;		/* 10.9.0.0/16 */
};

FIXTURE_SETUP(rt)
{
	struct rtm_stats st;
	int i;

	ASSERT_EQ(0, rtm_test_stats(&st));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET, &self->a,
					      &self->pa));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_B, 1, AF_INET, &self->b,
					      &self->pb));
	ASSERT_GE(self->pa.MaxNextHopsInRoute, 3);
	ASSERT_LT(self->pa.MaxNextHopsInRoute, MAXNH);
	ASSERT_EQ(0x3, self->pa.ViewsSupported);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(NO_ERROR, add_nh(self->a, 0, i + 1, i + 1,
					   &self->na[i]));
	ASSERT_EQ(NO_ERROR, add_nh(self->b, 1, 1, 11, &self->nb));
	self->d = rtm_test_v4(10, 9, 0, 0, 16);
}

FIXTURE_TEARDOWN(rt)
{
	/* Deregistration gives back every reference each one still holds. */
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ---------------------------------------------------------------------- */
/* RtmAddRouteToDest: the three RouteHandle modes (7.1)                     */
/* ---------------------------------------------------------------------- */

TEST_F(rt, add_mode_b_returns_referenced_handle)
{
	long long r0 = refs(), n0 = nroutes(), d0 = ndests();
	RTM_ROUTE_HANDLE h;
	route_buf rb;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_NE(NULL, h);
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(n0 + 1, nroutes());
	EXPECT_EQ(d0 + 1, ndests());
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, h));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(r0, refs());
	/* The table keeps the route: releasing the handle does not delete. */
	EXPECT_EQ(n0 + 1, nroutes());
	EXPECT_EQ(d0 + 1, ndests());
}

TEST_F(rt, add_mode_b_existing_route_returns_same_handle)
{
	long long r0 = refs(), n0 = nroutes();
	RTM_ROUTE_HANDLE h1, h2;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h1, &cf));
	rb.i.PrefInfo.Metric = 11;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h2, &cf));
	/* An update of the best route's metric: BEST, not NEW. */
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(h1, h2);
	EXPECT_EQ(n0 + 1, nroutes());
	/* Each mode (b) call gave the caller one reference. */
	EXPECT_EQ(r0 + 2, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(r0, refs());
}

TEST_F(rt, add_mode_c_returns_no_handle)
{
	long long r0 = refs(), n0 = nroutes();
	RTM_ROUTE_HANDLE h = NULL;
	route_buf rb, crit;
	DWORD cf = 0;

	rinit(&rb, NULL, 17, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, NULL, &self->d, &rb.i,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0 + 1, nroutes());

	/* The route is in the table all the same. */
	memset(&crit, 0, sizeof(crit));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchRoute(self->a, &self->d,
						  RTM_MATCH_NONE, &crit.i, 0,
						  0, &h));
	EXPECT_EQ(17, crit.i.PrefInfo.Metric);
	EXPECT_EQ(self->a, crit.i.RouteOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &crit.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(r0, refs());
}

TEST_F(rt, add_mode_a_updates_by_handle)
{
	RTM_NET_ADDRESS odd = rtm_test_v4(10, 9, 3, 3, 16), zero;
	long long r0, n0;
	RTM_ROUTE_HANDLE h, hh;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	r0 = refs();
	n0 = nroutes();

	/* DestAddress may be NULL in mode (a). */
	rb.i.PrefInfo.Metric = 20;
	hh = h;
	cf = 0;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, &hh, NULL, &rb.i,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(h, hh);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());

	/* A malformed DestAddress is refused in mode (a) too. */
	rb.i.PrefInfo.Metric = 30;
	memset(&zero, 0, sizeof(zero));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, h, &zero, &rb, &cf));
	/* The route's own prefix, even non-canonical, is accepted. */
	ASSERT_EQ(NO_ERROR, add_a(self->a, h, &odd, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0, refs());

	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	EXPECT_EQ(30, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, add_mode_a_ignores_input_flags_and_replaces_neighbour)
{
	RTM_ROUTE_HANDLE h, hh, h2;
	long long n0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	n0 = nroutes();

	/* RTM_ROUTE_CHANGE_NEW on input is ignored in mode (a). */
	rb.i.Neighbour = self->na[1];
	hh = h;
	cf = RTM_ROUTE_CHANGE_NEW;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, &hh, &self->d, &rb.i,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(h, hh);
	EXPECT_EQ(0, cf & RTM_ROUTE_CHANGE_NEW);
	EXPECT_EQ(n0, nroutes());

	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	EXPECT_EQ(self->na[1], out.i.Neighbour);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	/* The route is now identified by its new neighbour. */
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h2, &cf));
	EXPECT_EQ(h, h2);
	EXPECT_EQ(0, cf);
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, add_identifies_route_by_neighbour)
{
	RTM_ROUTE_HANDLE r1, r2, r3, rb1, h;
	long long n0 = nroutes();
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	rinit(&rb, self->na[1], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	/* NULL is a neighbour value like any other (2.7). */
	rinit(&rb, NULL, 30, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r3, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_NE(r1, r2);
	EXPECT_NE(r1, r3);
	EXPECT_NE(r2, r3);
	EXPECT_EQ(n0 + 3, nroutes());

	/* Same (dest, owner, neighbour): updates. */
	rinit(&rb, self->na[0], 40, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	EXPECT_EQ(r1, h);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);	/* r2 (20) is now best */
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	rinit(&rb, NULL, 31, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	EXPECT_EQ(r3, h);
	EXPECT_EQ(0, cf);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(n0 + 3, nroutes());

	/* Another owner with the same (NULL) neighbour: a new route. */
	rinit(&rb, NULL, 31, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->b, &self->d, &rb, 0, &rb1, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_NE(r3, rb1);
	EXPECT_EQ(n0 + 4, nroutes());

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &rb1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r3));
}

TEST_F(rt, add_change_first_updates_best_ranked_own_route)
{
	RTM_ROUTE_HANDLE r1, r2, rbh, h;
	long long n0;
	route_buf rb, out;
	DWORD cf;

	/* A: r1 (pref 10, metric 20) added first, r2 (10, 10) ranks better. */
	rinit(&rb, self->na[0], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	rinit(&rb, self->na[1], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	/* B holds the overall best route. */
	rinit(&rb, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->b, &self->d, &rb, 0, &rbh, &cf));
	n0 = nroutes();

	rinit(&rb, self->na[2], 5, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb,
				  RTM_ROUTE_CHANGE_FIRST, &h, &cf));
	EXPECT_EQ(r2, h);
	/* Not new; B's route is still the best. */
	EXPECT_EQ(0, cf);
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, rbh));

	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r2, &out.i, NULL));
	EXPECT_EQ(self->na[2], out.i.Neighbour);	/* replaced */
	EXPECT_EQ(5, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r1, &out.i, NULL));
	EXPECT_EQ(self->na[0], out.i.Neighbour);	/* untouched */
	EXPECT_EQ(20, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &rbh));
}

TEST_F(rt, add_change_first_creates_when_caller_has_none)
{
	RTM_ROUTE_HANDLE rbh, h;
	long long n0;
	route_buf rb;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->b, &self->d, &rb, 0, &rbh, &cf));
	n0 = nroutes();
	rinit(&rb, self->na[0], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb,
				  RTM_ROUTE_CHANGE_FIRST, &h, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_NE(rbh, h);
	EXPECT_EQ(n0 + 1, nroutes());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &rbh));
}

TEST_F(rt, add_change_new_always_creates)
{
	RTM_ROUTE_HANDLE r1, r2, r3;
	long long n0 = nroutes();
	dest_buf di;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	rb.i.PrefInfo.Metric = 20;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb,
				  RTM_ROUTE_CHANGE_NEW, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_NE(r1, r2);
	/* NEW wins over FIRST. */
	rb.i.PrefInfo.Metric = 30;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb,
				  RTM_ROUTE_CHANGE_NEW |
				  RTM_ROUTE_CHANGE_FIRST, &r3, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_NE(r1, r3);
	EXPECT_NE(r2, r3);
	EXPECT_EQ(n0 + 3, nroutes());

	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&di.i));
	EXPECT_EQ(3, di.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(r1, di.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r3));
}

/* Output flags NEW and BEST (part 1, 2.8 and 7.1). */
TEST_F(rt, add_change_flags_best)
{
	RTM_ROUTE_HANDLE r1, r2, r3, h;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);

	/* A worse route: NEW only. */
	rinit(&rb, self->na[1], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);

	/* A better route: NEW | BEST. */
	rinit(&rb, self->na[2], 5, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r3, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r3));

	/* The best route's metric changes: BEST. */
	rb.i.PrefInfo.Metric = 6;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r3, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);

	/* The best route's flags change: BEST. */
	rb.i.Flags = RTM_ROUTE_FLAGS_REMOTE;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r3, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);

	/* The best route's next hops change: BEST. */
	rnh(&rb, self->na[2]);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r3, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);

	/* A non-best route changes, the best stays: 0. */
	rinit(&rb, self->na[1], 30, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r2, NULL, &rb, &cf));
	EXPECT_EQ(0, cf);

	/* An update that changes nothing: 0 (by identity, mode (b)). */
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	EXPECT_EQ(r2, h);
	EXPECT_EQ(0, cf);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	/* ... and by handle, with a stale BEST left in the flags. */
	cf = RTM_ROUTE_CHANGE_BEST;
	h = r2;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, &h, NULL, &rb.i,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(0, cf);

	/* A non-best route becomes best: BEST. */
	rb.i.PrefInfo.Metric = 1;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r2, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));

	/* The best route gets worse and another takes over: BEST. */
	rb.i.PrefInfo.Metric = 40;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r2, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r3));
	EXPECT_EQ(0, best_in(self->a, r2));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r3));
}

TEST_F(rt, add_change_flags_null_identifies_by_neighbour)
{
	RTM_ROUTE_HANDLE r1, h = NULL;
	long long n0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	n0 = nroutes();
	rb.i.PrefInfo.Metric = 12;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, &h, &self->d, &rb.i,
					      INFINITE, NULL, 0, NULL, NULL));
	EXPECT_EQ(r1, h);
	EXPECT_EQ(n0, nroutes());
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r1, &out.i, NULL));
	EXPECT_EQ(12, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
}

TEST_F(rt, add_preference_zero_defaults_to_100)
{
	RTM_ROUTE_HANDLE r1, r2;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 1, 0, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r1, &out.i, NULL));
	EXPECT_EQ(100, out.i.PrefInfo.Preference);
	EXPECT_EQ(1, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	/* A non-zero preference is stored as given, and 99 beats 100. */
	rinit(&rb, self->na[1], 50, 99, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r2, &out.i, NULL));
	EXPECT_EQ(99, out.i.PrefInfo.Preference);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	/* An update with Preference 0 gets the default again. */
	rinit(&rb, self->na[1], 50, 0, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r2, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r2, &out.i, NULL));
	EXPECT_EQ(100, out.i.PrefInfo.Preference);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r1));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

/* ---------------------------------------------------------------------- */
/* RtmAddRouteToDest: errors                                                */
/* ---------------------------------------------------------------------- */

TEST_F(rt, add_other_entity_route_access_denied)
{
	RTM_ROUTE_HANDLE ha, h;
	long long r0, n0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &ha, &cf));
	/* B holds a reference on A's route. */
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->b, 1, &ha));
	r0 = refs();
	n0 = nroutes();

	rinit(&rb, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	h = ha;
	cf = 0x5555;
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmAddRouteToDest(self->b, &h, &self->d, &rb.i, INFINITE,
				    NULL, 0, NULL, &cf));
	EXPECT_EQ(ha, h);
	EXPECT_EQ(0x5555, cf);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());

	/* The route is unchanged. */
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, ha, &out.i, NULL));
	EXPECT_EQ(10, out.i.PrefInfo.Metric);
	EXPECT_EQ(10, out.i.PrefInfo.Preference);
	EXPECT_EQ(self->a, out.i.RouteOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &ha));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ha));
}

TEST_F(rt, add_mode_a_bad_route_handle)
{
	RTM_ROUTE_HANDLE live, dead, stale, h;
	RTM_DEST_HANDLE dh;
	long long r0, n0;
	route_buf rb;
	dest_buf di;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &live, &cf));
	/* dead: deleted, still referenced by A. */
	rinit(&rb, self->na[1], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &dead, &cf));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &dead));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, dead, NULL));
	/* stale: deleted and destroyed. */
	rinit(&rb, self->na[2], 30, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &stale, &cf));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, stale, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL, 0,
							&di.i));
	dh = di.i.DestHandle;
	r0 = refs();
	n0 = nroutes();

	rinit(&rb, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, FORGED_ROUTE, NULL,
					      &rb, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, JUNK_HANDLE, NULL,
					      &rb, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, dead, NULL, &rb, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, dead, &self->d, &rb,
					      &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, stale, NULL, &rb,
					      &cf));
	/* Handles of other kinds. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, self->na[0], NULL,
					      &rb, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, dh, NULL, &rb, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, add_a(self->a, self->a, NULL, &rb,
					      &cf));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());

	/* The deleted route stayed deleted. */
	EXPECT_EQ(0, best_in(self->a, dead));
	h = dead;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &live));
}

TEST_F(rt, add_route_list_invalid_handle)
{
	long long r0 = refs(), n0 = nroutes(), d0 = ndests();
	RTM_ROUTE_HANDLE h = NULL, live;
	route_buf rb, out;
	DWORD cf = 0;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	/* No route list can exist yet: every list handle is invalid. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmAddRouteToDest(self->a, &h, &self->d, &rb.i, INFINITE,
				    FORGED_LIST, 0, NULL, &cf));
	EXPECT_EQ(NULL, h);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmAddRouteToDest(self->a, NULL, &self->d, &rb.i, INFINITE,
				    JUNK_HANDLE, 0, NULL, &cf));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(d0, ndests());

	/* Mode (a) as well, and the route is not changed. */
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &live, &cf));
	rb.i.PrefInfo.Metric = 99;
	h = live;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmAddRouteToDest(self->a, &h, NULL, &rb.i, INFINITE,
				    FORGED_LIST, 0, NULL, &cf));
	EXPECT_EQ(live, h);
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, live, &out.i, NULL));
	EXPECT_EQ(10, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &live));
}

/* A failing add in modes (b) and (c) creates nothing and returns nothing. */
static void expect_add_fails(struct __test_metadata *_metadata,
			     RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS *dest,
			     RTM_ROUTE_INFO *ri, ULONG ttl, DWORD want)
{
	long long r0 = refs(), n0 = nroutes(), d0 = ndests();
	RTM_ROUTE_HANDLE h = NULL;
	DWORD cf = 0x5555;

	EXPECT_EQ(want, RtmAddRouteToDest(reg, &h, dest, ri, ttl, NULL, 0,
					  NULL, &cf));
	EXPECT_EQ(NULL, h);
	EXPECT_EQ(0x5555, cf);
	EXPECT_EQ(want, RtmAddRouteToDest(reg, NULL, dest, ri, ttl, NULL, 0,
					  NULL, &cf));
	EXPECT_EQ(0x5555, cf);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(d0, ndests());
}

TEST_F(rt, add_invalid_parameters)
{
	UINT max = self->pa.MaxNextHopsInRoute, i;
	RTM_NEXTHOP_HANDLE nh[MAXNH];
	RTM_ROUTE_HANDLE h;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	expect_add_fails(_metadata, self->a, &self->d, NULL, INFINITE,
			 ERROR_INVALID_PARAMETER);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, 0,
			 ERROR_INVALID_PARAMETER);
	expect_add_fails(_metadata, self->a, NULL, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);

	rb.i.BelongsToViews = 0;
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rb.i.BelongsToViews = 0x4;
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rb.i.BelongsToViews = RTM_VIEW_MASK_UCAST | 0x80000000;
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);

	/* MaxNextHopsInRoute distinct next hops are fine, one more is not. */
	for (i = 0; i <= max; i++)
		ASSERT_EQ(NO_ERROR, add_nh(self->a, 2, i + 1, 100 + i, &nh[i]));
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	for (i = 0; i <= max; i++)
		rnh(&rb, nh[i]);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rb.i.NextHopsList.NumNextHops = max;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	/* ... also in mode (a), leaving the route as it was. */
	rb.i.NextHopsList.NumNextHops = max + 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, h, NULL, &rb, &cf));
	rb.i.NextHopsList.NumNextHops = max;
	rb.i.BelongsToViews = 0;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, h, NULL, &rb, &cf));
	rb.i.BelongsToViews = RTM_VIEW_MASK_UCAST;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmAddRouteToDest(self->a, &h, NULL, &rb.i, 0, NULL, 0,
				    NULL, &cf));
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	EXPECT_EQ(max, out.i.NextHopsList.NumNextHops);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, out.i.BelongsToViews);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, max + 1, nh));
}

TEST_F(rt, add_mode_a_other_prefix_invalid_parameter)
{
	RTM_NET_ADDRESS other = rtm_test_v4(10, 8, 0, 0, 16);
	RTM_NET_ADDRESS longer = rtm_test_v4(10, 9, 0, 0, 17);
	RTM_ROUTE_HANDLE h;
	long long n0, d0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	n0 = nroutes();
	d0 = ndests();
	rb.i.PrefInfo.Metric = 20;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, h, &other, &rb,
						 &cf));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, h, &longer, &rb,
						 &cf));
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(d0, ndests());
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	EXPECT_EQ(10, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, add_foreign_deleted_and_invalid_next_hops)
{
	RTM_NEXTHOP_HANDLE gone;
	RTM_ROUTE_HANDLE live, h;
	route_buf rb, out;
	DWORD cf;

	/* A next hop of B, in the list or as the neighbour. */
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[0]);
	rnh(&rb, self->nb);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rinit(&rb, self->nb, 10, 10, RTM_VIEW_MASK_UCAST);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);

	/* Invalid next-hop handles. */
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, FORGED_NEXTHOP);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, JUNK_HANDLE);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rinit(&rb, FORGED_NEXTHOP, 10, 10, RTM_VIEW_MASK_UCAST);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	/* An entity handle where a next hop belongs. */
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->a);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);

	/* A deleted next hop that A still references. */
	ASSERT_EQ(NO_ERROR, add_nh(self->a, 3, 1, 50, &gone));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &gone));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, gone, NULL));
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, gone);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	rinit(&rb, gone, 10, 10, RTM_VIEW_MASK_UCAST);
	expect_add_fails(_metadata, self->a, &self->d, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);

	/* Mode (a) refuses them too and leaves the route alone. */
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[0]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &live, &cf));
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->nb);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, live, NULL, &rb,
						 &cf));
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, gone);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, live, NULL, &rb,
						 &cf));
	rinit(&rb, self->nb, 10, 10, RTM_VIEW_MASK_UCAST);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, add_a(self->a, live, NULL, &rb,
						 &cf));
	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, live, &out.i, NULL));
	EXPECT_EQ(1, out.i.NextHopsList.NumNextHops);
	EXPECT_EQ(self->na[0], out.i.NextHopsList.NextHops[0]);
	EXPECT_EQ(NULL, out.i.Neighbour);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

	h = gone;
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &live));
}

TEST_F(rt, add_bad_dest_address)
{
	RTM_NET_ADDRESS bad;
	route_buf rb;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	bad = rtm_test_v4(10, 9, 0, 0, 33);
	expect_add_fails(_metadata, self->a, &bad, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	bad = rtm_test_v4(10, 9, 0, 0, 16);
	bad.AddressFamily = AF_INET6;
	expect_add_fails(_metadata, self->a, &bad, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	bad.AddressFamily = 0;
	expect_add_fails(_metadata, self->a, &bad, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
	bad.AddressFamily = AF_UNIX;
	expect_add_fails(_metadata, self->a, &bad, &rb.i, INFINITE,
			 ERROR_INVALID_PARAMETER);
}

TEST_F(rt, add_canonicalises_prefix)
{
	RTM_NET_ADDRESS odd = rtm_test_v4(10, 1, 2, 3, 8);
	RTM_NET_ADDRESS canon = rtm_test_v4(10, 0, 0, 0, 8);
	RTM_NET_ADDRESS other = rtm_test_v4(10, 255, 255, 255, 8);
	RTM_NET_ADDRESS got;
	RTM_ROUTE_HANDLE h1, h2;
	long long d0 = ndests();
	route_buf rb;
	dest_buf di;
	DWORD cf;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &odd, &rb, 0, &h1, &cf));
	memset(&got, 0xee, sizeof(got));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h1, NULL, &got));
	EXPECT_EQ(0, memcmp(&canon, &got, sizeof(got)));

	/* The same prefix written differently names the same route. */
	ASSERT_EQ(NO_ERROR, add_b(self->a, &other, &rb, 0, &h2, &cf));
	EXPECT_EQ(h1, h2);
	EXPECT_EQ(0, cf);
	EXPECT_EQ(d0 + 1, ndests());
	memset(&di, 0xee, sizeof(di));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &canon,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&di.i));
	EXPECT_EQ(0, memcmp(&canon, &di.i.DestAddress, sizeof(canon)));
	EXPECT_EQ(1, di.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(h1, di.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
}

/* ---------------------------------------------------------------------- */
/* Ranking (part 1, 2.7; part 2, 2.8)                                       */
/* ---------------------------------------------------------------------- */

TEST_F(rt, rank_preference_then_metric)
{
	RTM_ROUTE_HANDLE r1, r2, r3;
	route_buf rb;
	dest_buf di;
	DWORD cf;

	rinit(&rb, self->na[0], 1, 20, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	/* Lower preference wins even with a much higher metric. */
	rinit(&rb, self->na[1], 50, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));
	/* Equal preference: lower metric wins. */
	rinit(&rb, self->na[2], 40, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r3, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(0, best_in(self->a, r2));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r3));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&di.i));
	EXPECT_EQ(r3, di.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r3));
}

TEST_F(rt, rank_tie_keeps_current_best)
{
	RTM_ROUTE_HANDLE r1, r2;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	rinit(&rb, self->na[1], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	/* A route tying with the best does not take over. */
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r1));
	EXPECT_EQ(0, best_in(self->a, r2));

	rinit(&rb, self->na[0], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r1, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));

	/* r1 ties again, with r2 now the best: r2 stays best. */
	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r1, NULL, &rb, &cf));
	EXPECT_EQ(0, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

TEST_F(rt, rank_tie_earliest_added_wins)
{
	RTM_ROUTE_HANDLE x, y, z;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &x, &cf));
	rinit(&rb, self->na[1], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &y, &cf));
	rinit(&rb, self->na[2], 5, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &z, &cf));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, z));

	/* Updating x does not make it younger than y. */
	rinit(&rb, self->na[0], 11, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, x, NULL, &rb, &cf));
	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, x, NULL, &rb, &cf));

	/* z leaves the top: of the tying x and y, x was added first. */
	rinit(&rb, self->na[2], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, z, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, x));
	EXPECT_EQ(0, best_in(self->a, y));
	EXPECT_EQ(0, best_in(self->a, z));

	/* Same when the best is deleted. */
	rinit(&rb, self->na[2], 1, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, z, NULL, &rb, &cf));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, z));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, z, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, x));
	EXPECT_EQ(0, best_in(self->a, y));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &x));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &y));
}

TEST_F(rt, inactive_route_never_best)
{
	RTM_ROUTE_HANDLE r1, r2;
	route_buf rb;
	dest_buf di;
	DWORD cf;

	/* The only route is inactive: no best route at all. */
	rinit(&rb, self->na[0], 1, 1, RTM_VIEW_MASK_UCAST);
	rb.i.Flags = RTM_ROUTE_FLAGS_INACTIVE;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&di.i));
	EXPECT_EQ(1, di.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, di.i.ViewInfo[0].Route);
	EXPECT_EQ(NULL, di.i.ViewInfo[0].Owner);
	EXPECT_EQ(0, di.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));

	/* A much worse active route is best. */
	rinit(&rb, self->na[1], 50, 50, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));

	/* Clearing the flag makes it best; setting it again demotes it. */
	rinit(&rb, self->na[0], 1, 1, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_a(self->a, r1, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r1));
	rb.i.Flags = RTM_ROUTE_FLAGS_INACTIVE;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r1, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(0, best_in(self->a, r1));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

TEST_F(rt, views_have_own_best_route)
{
	RTM_ROUTE_HANDLE ru, rm, rboth;
	route_buf rb;
	dest_buf di;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &ru, &cf));
	rinit(&rb, self->na[1], 20, 10, RTM_VIEW_MASK_MCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &rm, &cf));
	/* Best of the multicast view, although worse than ru. */
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, ru));
	EXPECT_EQ(RTM_VIEW_MASK_MCAST, best_in(self->a, rm));

	memset(&di, 0, sizeof(di));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_ALL,
							&di.i));
	EXPECT_EQ(0x3, di.i.BelongsToViews);
	ASSERT_EQ(2, di.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, di.i.ViewInfo[0].ViewId);
	EXPECT_EQ(1, di.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(ru, di.i.ViewInfo[0].Route);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di.i.ViewInfo[1].ViewId);
	EXPECT_EQ(1, di.i.ViewInfo[1].NumRoutes);
	EXPECT_EQ(rm, di.i.ViewInfo[1].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));

	/* A route in both views that beats both. */
	rinit(&rb, self->na[2], 5, 10,
	      RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &rboth, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(0x3, best_in(self->a, rboth));
	EXPECT_EQ(0, best_in(self->a, ru));
	EXPECT_EQ(0, best_in(self->a, rm));

	/* Moving it out of the multicast view gives that view back to rm. */
	rb.i.BelongsToViews = RTM_VIEW_MASK_UCAST;
	ASSERT_EQ(NO_ERROR, add_a(self->a, rboth, NULL, &rb, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, rboth));
	EXPECT_EQ(RTM_VIEW_MASK_MCAST, best_in(self->a, rm));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ru));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &rm));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &rboth));
}

/* ---------------------------------------------------------------------- */
/* RtmDeleteRouteToDest (7.2)                                               */
/* ---------------------------------------------------------------------- */

TEST_F(rt, delete_consumes_reference)
{
	long long r0 = refs(), n0 = nroutes(), d0 = ndests();
	RTM_ROUTE_HANDLE h, h2;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[1]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	EXPECT_EQ(r0 + 1, refs());
	cf = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(r0, refs());
	/* Nobody references it any more: route and dest are gone. */
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(d0, ndests());
	h2 = h;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, h, NULL,
							NULL));
	EXPECT_EQ(r0, refs());
}

TEST_F(rt, delete_change_flags)
{
	RTM_ROUTE_HANDLE r1, r2;
	route_buf rb1, rb2;
	DWORD cf;

	rinit(&rb1, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb1, 0, &r1, &cf));
	rinit(&rb2, self->na[1], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb2, 0, &r2, &cf));

	/* Not the best: 0. */
	cf = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r2, &cf));
	EXPECT_EQ(0, cf);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb2, 0, &r2, &cf));
	/* The best: BEST, and r2 takes over. */
	cf = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r1, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));
	/* ChangeFlags NULL is accepted. */
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r2, NULL));
}

TEST_F(rt, delete_other_entity_route_access_denied)
{
	RTM_ROUTE_HANDLE ha, h;
	long long r0, n0;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &ha, &cf));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->b, 1, &ha));
	r0 = refs();
	n0 = nroutes();

	cf = 0x5555;
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmDeleteRouteToDest(self->b, ha, &cf));
	EXPECT_EQ(0x5555, cf);
	/* Nothing consumed, nothing deleted. */
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, ha));
	h = ha;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &h));

	/*
	 * Without a reference the call cannot consume one: the handle is
	 * invalid for B (design.md, "Handles and references").
	 */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->b, ha,
							     NULL));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, ha));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, ha, NULL));
}

TEST_F(rt, delete_deleted_route_not_found)
{
	RTM_ROUTE_HANDLE h, h2;
	long long r0;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &h));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, NULL));
	r0 = refs();
	cf = 0x5555;
	EXPECT_EQ(ERROR_NOT_FOUND, RtmDeleteRouteToDest(self->a, h, &cf));
	EXPECT_EQ(0x5555, cf);
	/* The failed call consumed nothing: the reference is still ours. */
	EXPECT_EQ(r0, refs());
	h2 = h;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(r0 - 1, refs());
}

TEST_F(rt, delete_without_reference_invalid_handle)
{
	RTM_ROUTE_HANDLE h, h2;
	long long r0, n0;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	h2 = h;
	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	r0 = refs();
	n0 = nroutes();

	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->a, h, &cf));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->a, NULL,
							     &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->a,
							     FORGED_ROUTE,
							     &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->a,
							     JUNK_HANDLE,
							     &cf));
	/* A next hop the caller does hold a reference on. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteToDest(self->a,
							     self->na[0],
							     &cf));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
}

TEST_F(rt, deleted_route_keeps_last_contents)
{
	RTM_ROUTE_HANDLE h, h2;
	RTM_NET_ADDRESS addr;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 33, 9,
	      RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	rnh(&rb, self->na[1]);
	rb.i.Flags = RTM_ROUTE_FLAGS_REMOTE;
	rb.i.Flags1 = 0x42;
	rb.i.EntitySpecificInfo = (PVOID)(uintptr_t)0xfeedULL;
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &h));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, NULL));

	r0 = refs();
	memset(&out, 0xee, sizeof(out));
	memset(&addr, 0xee, sizeof(addr));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, &addr));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, out.i.State);
	EXPECT_EQ(self->a, out.i.RouteOwner);
	EXPECT_NE(NULL, out.i.DestHandle);
	EXPECT_EQ(self->na[0], out.i.Neighbour);
	EXPECT_EQ(33, out.i.PrefInfo.Metric);
	EXPECT_EQ(9, out.i.PrefInfo.Preference);
	EXPECT_EQ(0x3, out.i.BelongsToViews);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE, out.i.Flags);
	EXPECT_EQ(0x42, out.i.Flags1);
	EXPECT_EQ((PVOID)(uintptr_t)0xfeedULL, out.i.EntitySpecificInfo);
	ASSERT_EQ(1, out.i.NextHopsList.NumNextHops);
	EXPECT_EQ(self->na[1], out.i.NextHopsList.NextHops[0]);
	EXPECT_EQ(0, memcmp(&self->d, &addr, sizeof(addr)));
	/* dest, owner, neighbour, one next hop */
	EXPECT_EQ(r0 + 4, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(0, best_in(self->a, h));

	h2 = h;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, h, NULL,
							NULL));
}

TEST_F(rt, dest_unlinked_after_last_route)
{
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 20, 0, 0, 16);
	RTM_NET_ADDRESS inside = rtm_test_v4(10, 20, 1, 1, 32);
	RTM_DEST_HANDLE old;
	RTM_ROUTE_HANDLE h;
	long long d0, r0;
	dest_buf di, di2, di3;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &d2, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &d2,
							RTM_BEST_PROTOCOL, 0,
							&di.i));
	old = di.i.DestHandle;
	d0 = ndests();
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, cf);
	/* Our reference keeps the object alive... */
	EXPECT_EQ(d0, ndests());
	/* ...but searches no longer find it. */
	memset(&di2, 0xee, sizeof(di2));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &d2, RTM_BEST_PROTOCOL,
					      0, &di2.i));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &inside,
						RTM_BEST_PROTOCOL, 0, &di2.i));
	EXPECT_EQ(0xeeeeeeee, di2.i.NumberOfViews);

	/* The held handle still works and reports no routes. */
	r0 = refs();
	memset(&di2, 0xee, sizeof(di2));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, old, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_ALL, &di2.i));
	EXPECT_EQ(old, di2.i.DestHandle);
	EXPECT_EQ(0, memcmp(&d2, &di2.i.DestAddress, sizeof(d2)));
	EXPECT_EQ(0, di2.i.BelongsToViews);
	ASSERT_EQ(2, di2.i.NumberOfViews);
	EXPECT_EQ(0, di2.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, di2.i.ViewInfo[0].Route);
	EXPECT_EQ(NULL, di2.i.ViewInfo[0].Owner);
	EXPECT_EQ(0, di2.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(0, di2.i.ViewInfo[1].NumRoutes);
	EXPECT_EQ(NULL, di2.i.ViewInfo[1].Route);
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di2.i));

	/* A new route to the prefix makes a new destination. */
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->a, NULL, &d2, &rb.i,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, cf);
	EXPECT_EQ(d0 + 1, ndests());
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &d2,
							RTM_BEST_PROTOCOL, 0,
							&di3.i));
	EXPECT_NE(old, di3.i.DestHandle);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di3.i));
	/* The old one stays empty. */
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, old, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &di2.i));
	EXPECT_EQ(0, di2.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di2.i));

	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));
	EXPECT_EQ(d0, ndests());
}

/* ---------------------------------------------------------------------- */
/* RtmGetRouteInfo / RtmReleaseRouteInfo (6.3, 6.4)                         */
/* ---------------------------------------------------------------------- */

static int count_of(RTM_ROUTE_INFO *ri, RTM_NEXTHOP_HANDLE h)
{
	int i, n = 0;

	for (i = 0; i < ri->NextHopsList.NumNextHops; i++)
		n += ri->NextHopsList.NextHops[i] == h;
	return n;
}

TEST_F(rt, route_info_every_field_and_references)
{
	RTM_ROUTE_HANDLE h;
	RTM_NET_ADDRESS addr;
	long long r0;
	route_buf rb, out;
	dest_buf di;
	DWORD cf;

	rinit(&rb, self->na[0], 42, 7,
	      RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	rb.i.Flags1 = 0x5a;
	rb.i.Flags = RTM_ROUTE_FLAGS_REMOTE | RTM_ROUTE_FLAGS_LOOPBACK;
	rb.i.EntitySpecificInfo = (PVOID)(uintptr_t)0x1122334455667788ULL;
	rb.i.State = 0x77;			/* ignored on input */
	rb.i.DestHandle = JUNK_HANDLE;		/* ignored on input */
	rb.i.RouteOwner = self->b;		/* ignored on input */
	rnh(&rb, self->na[2]);
	rnh(&rb, self->na[0]);
	rnh(&rb, self->na[1]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL, 0,
							&di.i));

	/* Read by B, which holds no other reference on any of these. */
	r0 = refs();
	memset(&out, 0xee, sizeof(out));
	memset(&addr, 0xee, sizeof(addr));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->b, h, &out.i, &addr));
	EXPECT_EQ(di.i.DestHandle, out.i.DestHandle);
	EXPECT_EQ(self->a, out.i.RouteOwner);
	EXPECT_EQ(self->na[0], out.i.Neighbour);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, out.i.State);
	EXPECT_EQ(0x5a, out.i.Flags1);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE | RTM_ROUTE_FLAGS_LOOPBACK,
		  out.i.Flags);
	EXPECT_EQ(42, out.i.PrefInfo.Metric);
	EXPECT_EQ(7, out.i.PrefInfo.Preference);
	EXPECT_EQ(0x3, out.i.BelongsToViews);
	EXPECT_EQ((PVOID)(uintptr_t)0x1122334455667788ULL,
		  out.i.EntitySpecificInfo);
	ASSERT_EQ(3, out.i.NextHopsList.NumNextHops);
	EXPECT_EQ(1, count_of(&out.i, self->na[0]));
	EXPECT_EQ(1, count_of(&out.i, self->na[1]));
	EXPECT_EQ(1, count_of(&out.i, self->na[2]));
	/* Exactly NumNextHops handles are written (spec 2.4). */
	EXPECT_EQ(0xee, out.b[RTM_SIZE_OF_ROUTE_INFO(3)]);
	EXPECT_EQ(0, memcmp(&self->d, &addr, sizeof(addr)));
	/* dest + owner + neighbour + 3 next hops */
	EXPECT_EQ(r0 + 6, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0, refs());

	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, route_info_null_neighbour_no_next_hops)
{
	RTM_ROUTE_HANDLE h;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, NULL, 1, 2, RTM_VIEW_MASK_MCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	r0 = refs();
	memset(&out, 0xee, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	EXPECT_EQ(NULL, out.i.Neighbour);
	EXPECT_EQ(0, out.i.NextHopsList.NumNextHops);
	EXPECT_EQ(NULL, out.i.EntitySpecificInfo);
	EXPECT_EQ(0, out.i.Flags);
	EXPECT_EQ(RTM_VIEW_MASK_MCAST, out.i.BelongsToViews);
	EXPECT_EQ(r0 + 2, refs());	/* dest, owner */
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, route_info_outputs_optional)
{
	RTM_NET_ADDRESS odd = rtm_test_v4(10, 9, 200, 1, 16);
	RTM_ROUTE_HANDLE h;
	RTM_NET_ADDRESS addr;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 1, 2, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[0]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &odd, &rb, 0, &h, &cf));
	r0 = refs();

	/* Both NULL: only validates the handle. */
	EXPECT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, NULL, NULL));
	EXPECT_EQ(r0, refs());
	/* The address alone is plain data. */
	memset(&addr, 0xee, sizeof(addr));
	EXPECT_EQ(NO_ERROR, RtmGetRouteInfo(self->b, h, NULL, &addr));
	EXPECT_EQ(0, memcmp(&self->d, &addr, sizeof(addr)));
	EXPECT_EQ(r0, refs());
	/* The info alone. */
	memset(&out, 0xee, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->b, h, &out.i, NULL));
	EXPECT_EQ(self->a, out.i.RouteOwner);
	EXPECT_EQ(r0 + 4, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, route_info_release_twice)
{
	RTM_ROUTE_HANDLE h;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 1, 2, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[1]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->b, h, &out.i, NULL));
	EXPECT_EQ(r0 + 4, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0, refs());
	/* B holds none of those references any more. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0, refs());
	/* Nor does A's own registration lend them. */
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(rt, route_info_bad_handles)
{
	RTM_ROUTE_HANDLE h, stale;
	RTM_NET_ADDRESS addr;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, NULL, 1, 2, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	stale = h;
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, NULL));
	r0 = refs();

	memset(&out, 0xee, sizeof(out));
	memset(&addr, 0xee, sizeof(addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, stale,
							&out.i, &addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, NULL, &out.i,
							&addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, FORGED_ROUTE,
							&out.i, &addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, JUNK_HANDLE,
							&out.i, &addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, self->na[0],
							&out.i, &addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, self->a,
							&out.i, &addr));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, FORGED_ROUTE,
							NULL, NULL));
	/* Outputs untouched, nothing referenced. */
	EXPECT_EQ(0xeeee, addr.AddressFamily);
	EXPECT_EQ(0xee, out.i.State);
	EXPECT_EQ(r0, refs());
}

TEST_F(rt, release_route_info_bad_arguments)
{
	RTM_ROUTE_HANDLE h;
	long long r0;
	route_buf rb, out;
	DWORD cf;

	rinit(&rb, self->na[0], 1, 2, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[1]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->b, h, &out.i, NULL));
	r0 = refs();

	/* More next hops than a route can have: rejected, nothing released. */
	out.i.NextHopsList.NumNextHops = self->pb.MaxNextHopsInRoute + 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseRouteInfo(self->b, NULL));
	EXPECT_EQ(r0, refs());
	out.i.NextHopsList.NumNextHops = 1;
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->b, &out.i));
	EXPECT_EQ(r0 - 4, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

/* ---------------------------------------------------------------------- */
/* RtmIsBestRoute (9.5)                                                     */
/* ---------------------------------------------------------------------- */

TEST_F(rt, is_best_route)
{
	RTM_ROUTE_HANDLE r1, r2, h;
	RTM_VIEW_SET v;
	long long r0;
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 10, 10,
	      RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	rinit(&rb, self->na[1], 5, 10, RTM_VIEW_MASK_MCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	r0 = refs();

	v = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmIsBestRoute(self->a, r1, &v));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, v);
	/* Any entity may ask, about any route; no reference is taken. */
	v = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmIsBestRoute(self->b, r2, &v));
	EXPECT_EQ(RTM_VIEW_MASK_MCAST, v);
	EXPECT_EQ(r0, refs());

	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmIsBestRoute(self->a, r1, NULL));
	v = 0x5555;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(self->a, FORGED_ROUTE,
						       &v));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(self->a, NULL, &v));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(self->a, self->na[0],
						       &v));
	EXPECT_EQ(0x5555, v);

	/* A deleted route is best nowhere. */
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &r1));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r1, NULL));
	v = 0x5555;
	ASSERT_EQ(NO_ERROR, RtmIsBestRoute(self->a, r1, &v));
	EXPECT_EQ(0, v);
	h = r1;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	/* Destroyed: the handle is now invalid. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(self->a, r1, &v));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

/* ---------------------------------------------------------------------- */
/* RtmGetExactMatchRoute (9.4)                                              */
/* ---------------------------------------------------------------------- */

/*
 * On 10.9.0.0/16, in ranking order:
 *  m[0] owner A, neighbour na0, next hops {na0, na1} (interfaces 1, 2),
 *       preference 10, metric 5, UCAST;
 *  m[1] owner A, neighbour na1, next hops {na2} (interface 3),
 *       preference 10, metric 7, UCAST | MCAST;
 *  m[2] owner B, neighbour NULL, next hops {nb} (interface 11),
 *       preference 20, metric 1, MCAST.
 */
static void match_setup(struct __test_metadata *_metadata,
			FIXTURE_DATA(rt) *self, RTM_ROUTE_HANDLE m[3])
{
	route_buf rb;
	DWORD cf;

	rinit(&rb, self->na[0], 5, 10, RTM_VIEW_MASK_UCAST);
	rnh(&rb, self->na[0]);
	rnh(&rb, self->na[1]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &m[0], &cf));
	rinit(&rb, self->na[1], 7, 10,
	      RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	rnh(&rb, self->na[2]);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &m[1], &cf));
	rinit(&rb, NULL, 1, 20, RTM_VIEW_MASK_MCAST);
	rnh(&rb, self->nb);
	ASSERT_EQ(NO_ERROR, add_b(self->b, &self->d, &rb, 0, &m[2], &cf));
}

static void match_cleanup(struct __test_metadata *_metadata,
			  FIXTURE_DATA(rt) *self, RTM_ROUTE_HANDLE m[3])
{
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 2, m));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &m[2]));
}

/*
 * RtmGetExactMatchRoute(A, d, flags, crit, ifindex, views): the handle of
 * the route found (its references already given back), NULL if none,
 * FORGED_ROUTE if the call failed otherwise.
 */
static RTM_ROUTE_HANDLE match(struct __test_metadata *_metadata,
			      FIXTURE_DATA(rt) *self, DWORD flags,
			      route_buf *crit, ULONG ifindex,
			      RTM_VIEW_SET views)
{
	long long r0 = refs();
	RTM_ROUTE_HANDLE h = NULL;
	DWORD ret;

	ret = RtmGetExactMatchRoute(self->a, &self->d, flags, &crit->i,
				    ifindex, views, &h);
	if (ret == ERROR_NOT_FOUND) {
		EXPECT_EQ(NULL, h);
		EXPECT_EQ(r0, refs());
		return NULL;
	}
	EXPECT_EQ(NO_ERROR, ret);
	if (ret != NO_ERROR)
		return FORGED_ROUTE;
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &crit->i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(r0, refs());
	return h;
}

TEST_F(rt, exact_match_none_returns_best)
{
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NONE, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NONE, &c, 0,
			      RTM_VIEW_MASK_UCAST));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_NONE, &c, 0,
			      RTM_VIEW_MASK_MCAST));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NONE, &c, 0,
			      RTM_VIEW_MASK_ALL));
	/* The criteria fields are ignored without their flags. */
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	c.i.Neighbour = self->nb;
	c.i.PrefInfo.Metric = 1;
	c.i.PrefInfo.Preference = 20;
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NONE, &c, 11, 0));
	/* Undefined bits are ignored. */
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	EXPECT_EQ(m[0], match(_metadata, self, 0x100, &c, 0, 0));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_none_follows_tie_rule)
{
	RTM_ROUTE_HANDLE r1, r2;
	route_buf rb, c;
	DWORD cf;

	/* r2 becomes best, then ties with the older r1 and stays best. */
	rinit(&rb, self->na[0], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r1, &cf));
	rinit(&rb, self->na[1], 5, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &r2, &cf));
	rb.i.PrefInfo.Metric = 10;
	ASSERT_EQ(NO_ERROR, add_a(self->a, r2, NULL, &rb, &cf));
	ASSERT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r2));
	/* "routes are examined in ranking order, so the best is returned" */
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(r2, match(_metadata, self, RTM_MATCH_NONE, &c, 0, 0));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

TEST_F(rt, exact_match_owner)
{
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_OWNER, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->a;
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_OWNER, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->a;
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_OWNER, &c, 0,
			      RTM_VIEW_MASK_MCAST));
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_OWNER, &c, 0,
			      RTM_VIEW_MASK_UCAST));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_neighbour)
{
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	memset(&c, 0, sizeof(c));
	c.i.Neighbour = self->na[1];
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_NEIGHBOUR, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	c.i.Neighbour = NULL;
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_NEIGHBOUR, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	c.i.Neighbour = self->na[0];
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NEIGHBOUR, &c, 0, 0));
	memset(&c, 0, sizeof(c));
	c.i.Neighbour = self->na[2];
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_NEIGHBOUR, &c, 0, 0));
	match_cleanup(_metadata, self, m);
}

static void set_pref(route_buf *c, ULONG metric, ULONG pref)
{
	memset(c, 0, sizeof(*c));
	c->i.PrefInfo.Metric = metric;
	c->i.PrefInfo.Preference = pref;
}

TEST_F(rt, exact_match_pref_compares_metric_and_preference)
{
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	set_pref(&c, 7, 10);
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	set_pref(&c, 1, 20);
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	set_pref(&c, 5, 10);
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	/* Same preference, other metric; same metric, other preference. */
	set_pref(&c, 6, 10);
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	set_pref(&c, 5, 20);
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	set_pref(&c, 1, 10);
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_PREF, &c, 0, 0));
	match_cleanup(_metadata, self, m);
}

static void set_nhs(route_buf *c, int n, RTM_NEXTHOP_HANDLE a,
		    RTM_NEXTHOP_HANDLE b)
{
	memset(c, 0, sizeof(*c));
	if (n > 0)
		rnh(c, a);
	if (n > 1)
		rnh(c, b);
}

TEST_F(rt, exact_match_nexthop_subset)
{
	RTM_NEXTHOP_HANDLE *na = self->na;
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	set_nhs(&c, 1, na[1], NULL);
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 2, na[0], na[1]);
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 2, na[1], na[0]);
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 1, na[2], NULL);
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 1, self->nb, NULL);
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 2, na[0], na[2]);
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	/* No next hop in the criteria: any route. */
	set_nhs(&c, 0, NULL, NULL);
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0, 0));
	set_nhs(&c, 0, NULL, NULL);
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_NEXTHOP, &c, 0,
			      RTM_VIEW_MASK_MCAST));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_interface)
{
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_INTERFACE, &c, 1, 0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[0], match(_metadata, self, RTM_MATCH_INTERFACE, &c, 2, 0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[1], match(_metadata, self, RTM_MATCH_INTERFACE, &c, 3, 0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_INTERFACE, &c, 11,
			      0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_INTERFACE, &c, 99,
			      0));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_INTERFACE, &c, 0, 0));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_combined)
{
	RTM_NEXTHOP_HANDLE *na = self->na;
	RTM_ROUTE_HANDLE m[3];
	route_buf c;

	match_setup(_metadata, self, m);
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->a;
	EXPECT_EQ(m[1], match(_metadata, self,
			      RTM_MATCH_OWNER | RTM_MATCH_INTERFACE, &c, 3, 0));
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	EXPECT_EQ(NULL, match(_metadata, self,
			      RTM_MATCH_OWNER | RTM_MATCH_INTERFACE, &c, 3, 0));

	set_pref(&c, 5, 10);
	c.i.Neighbour = na[0];
	EXPECT_EQ(m[0], match(_metadata, self,
			      RTM_MATCH_NEIGHBOUR | RTM_MATCH_PREF, &c, 0, 0));
	set_pref(&c, 7, 10);
	c.i.Neighbour = na[0];
	EXPECT_EQ(NULL, match(_metadata, self,
			      RTM_MATCH_NEIGHBOUR | RTM_MATCH_PREF, &c, 0, 0));

	set_nhs(&c, 1, na[0], NULL);
	EXPECT_EQ(m[0], match(_metadata, self,
			      RTM_MATCH_NEXTHOP | RTM_MATCH_INTERFACE, &c, 2,
			      0));
	set_nhs(&c, 1, na[0], NULL);
	EXPECT_EQ(NULL, match(_metadata, self,
			      RTM_MATCH_NEXTHOP | RTM_MATCH_INTERFACE, &c, 3,
			      0));

	/* RTM_MATCH_FULL: all five criteria. */
	set_nhs(&c, 1, self->nb, NULL);
	c.i.RouteOwner = self->b;
	c.i.Neighbour = NULL;
	c.i.PrefInfo.Metric = 1;
	c.i.PrefInfo.Preference = 20;
	EXPECT_EQ(m[2], match(_metadata, self, RTM_MATCH_FULL, &c, 11, 0));
	set_nhs(&c, 1, self->nb, NULL);
	c.i.RouteOwner = self->b;
	c.i.PrefInfo.Metric = 1;
	c.i.PrefInfo.Preference = 20;
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_FULL, &c, 3, 0));
	set_nhs(&c, 1, self->nb, NULL);
	c.i.RouteOwner = self->a;
	c.i.PrefInfo.Metric = 1;
	c.i.PrefInfo.Preference = 20;
	EXPECT_EQ(NULL, match(_metadata, self, RTM_MATCH_FULL, &c, 11, 0));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_output_and_references)
{
	RTM_NET_ADDRESS odd = rtm_test_v4(10, 9, 77, 1, 16);
	RTM_ROUTE_HANDLE m[3], h;
	long long r0;
	route_buf c, ri;
	dest_buf di;

	match_setup(_metadata, self, m);
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
							RTM_BEST_PROTOCOL, 0,
							&di.i));
	r0 = refs();

	/* Found by a non-canonical prefix; output overwrites the criteria. */
	memset(&c, 0xee, sizeof(c));
	c.i.NextHopsList.NumNextHops = 0;
	c.i.RouteOwner = self->a;
	h = JUNK_HANDLE;
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchRoute(self->a, &odd,
						  RTM_MATCH_OWNER, &c.i, 0, 0,
						  &h));
	EXPECT_EQ(m[0], h);
	EXPECT_EQ(di.i.DestHandle, c.i.DestHandle);
	EXPECT_EQ(self->a, c.i.RouteOwner);
	EXPECT_EQ(self->na[0], c.i.Neighbour);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, c.i.State);
	EXPECT_EQ(0, c.i.Flags);
	EXPECT_EQ(0, c.i.Flags1);
	EXPECT_EQ(5, c.i.PrefInfo.Metric);
	EXPECT_EQ(10, c.i.PrefInfo.Preference);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, c.i.BelongsToViews);
	EXPECT_EQ(NULL, c.i.EntitySpecificInfo);
	ASSERT_EQ(2, c.i.NextHopsList.NumNextHops);
	EXPECT_EQ(1, count_of(&c.i, self->na[0]));
	EXPECT_EQ(1, count_of(&c.i, self->na[1]));
	/* dest, owner, neighbour, 2 next hops, and the route handle */
	EXPECT_EQ(r0 + 6, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &c.i));
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	EXPECT_EQ(r0, refs());

	/* Without RouteHandle: only the info's references. */
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchRoute(self->a, &self->d,
						  RTM_MATCH_OWNER, &c.i, 0, 0,
						  NULL));
	EXPECT_EQ(self->b, c.i.RouteOwner);
	EXPECT_EQ(NULL, c.i.Neighbour);
	EXPECT_EQ(r0 + 3, refs());	/* dest, owner, one next hop */
	/* The same contents as RtmGetRouteInfo gives. */
	memset(&ri, 0, sizeof(ri));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, m[2], &ri.i, NULL));
	EXPECT_EQ(0, memcmp(&ri.i, &c.i, RTM_SIZE_OF_ROUTE_INFO(1)));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &ri.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &c.i));
	EXPECT_EQ(r0, refs());

	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &di.i));
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_not_found)
{
	RTM_NET_ADDRESS longer = rtm_test_v4(10, 9, 0, 0, 17);
	RTM_NET_ADDRESS shorter = rtm_test_v4(10, 0, 0, 0, 8);
	RTM_NET_ADDRESS other = rtm_test_v4(10, 10, 0, 0, 16);
	RTM_ROUTE_HANDLE m[3], h;
	long long r0;
	route_buf c, saved;

	match_setup(_metadata, self, m);
	r0 = refs();
	memset(&c, 0, sizeof(c));
	c.i.RouteOwner = self->b;
	c.i.PrefInfo.Metric = 3;
	saved = c;
	h = JUNK_HANDLE;
	/* No such destination (exact match only, not longest match). */
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchRoute(self->a, &longer, RTM_MATCH_NONE, &c.i,
					0, 0, &h));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchRoute(self->a, &shorter, RTM_MATCH_NONE,
					&c.i, 0, 0, &h));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchRoute(self->a, &other, RTM_MATCH_NONE, &c.i,
					0, 0, &h));
	/* No matching route. */
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchRoute(self->a, &self->d, RTM_MATCH_PREF,
					&c.i, 0, 0, &h));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchRoute(self->a, &self->d, RTM_MATCH_OWNER,
					&c.i, 0, RTM_VIEW_MASK_UCAST, &h));
	/* Nothing written, nothing referenced. */
	EXPECT_EQ(JUNK_HANDLE, h);
	EXPECT_EQ(0, memcmp(&saved, &c, sizeof(c)));
	EXPECT_EQ(r0, refs());
	match_cleanup(_metadata, self, m);
}

TEST_F(rt, exact_match_bad_arguments)
{
	RTM_NET_ADDRESS bad;
	RTM_ROUTE_HANDLE m[3], h = JUNK_HANDLE;
	long long r0;
	route_buf c;

	match_setup(_metadata, self, m);
	r0 = refs();
	memset(&c, 0, sizeof(c));
	bad = rtm_test_v4(10, 9, 0, 0, 33);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, &bad, RTM_MATCH_NONE, &c.i, 0,
					0, &h));
	bad = self->d;
	bad.AddressFamily = AF_INET6;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, &bad, RTM_MATCH_NONE, &c.i, 0,
					0, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, NULL, RTM_MATCH_NONE, &c.i, 0,
					0, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, &self->d, RTM_MATCH_NONE,
					NULL, 0, 0, &h));
	/* A view outside ViewsSupported (2.6). */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, &self->d, RTM_MATCH_NONE,
					&c.i, 0, 0x4, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchRoute(self->a, &self->d, RTM_MATCH_NONE,
					&c.i, 0, 0x80000001, &h));
	EXPECT_EQ(JUNK_HANDLE, h);
	EXPECT_EQ(r0, refs());
	match_cleanup(_metadata, self, m);
}

/* Every function answers ERROR_INVALID_HANDLE for a bad RtmRegHandle. */
TEST_F(rt, bad_registration_handle)
{
	RTM_ENTITY_HANDLE gone, bad[3];
	RTM_ROUTE_HANDLE h, hh;
	RTM_VIEW_SET v;
	long long r0;
	route_buf rb, out;
	DWORD cf;
	int i;

	rinit(&rb, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add_b(self->a, &self->d, &rb, 0, &h, &cf));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h, &out.i, NULL));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 2, AF_INET, &gone,
					      NULL));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(gone));
	bad[0] = NULL;
	bad[1] = JUNK_HANDLE;
	bad[2] = gone;
	r0 = refs();

	for (i = 0; i < 3; i++) {
		hh = NULL;
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmAddRouteToDest(bad[i], &hh, &self->d, &rb.i,
					    INFINITE, NULL, 0, NULL, &cf));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmDeleteRouteToDest(bad[i], h, &cf));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetRouteInfo(bad[i], h, &out.i, NULL));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmReleaseRouteInfo(bad[i], &out.i));
		EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(bad[i], h, &v));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetExactMatchRoute(bad[i], &self->d,
						RTM_MATCH_NONE, &rb.i, 0, 0,
						&hh));
	}
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_HARNESS_MAIN
