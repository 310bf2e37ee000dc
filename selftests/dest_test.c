// SPDX-License-Identifier: GPL-2.0
/*
 * dest_test - destinations: RtmGetDestInfo, RtmGetExactMatchDestination,
 * RtmGetMostSpecificDestination, RtmGetLessSpecificDestination and
 * RtmReleaseDestInfo (spec part 1: 2.2-2.7, 6.1, 6.2, 9.1-9.3, 12.1;
 * part 2: 2.4, 2.5, 2.8, 2.9, 4.4).
 *
 * Two entities of the AF_INET table of instance 0: A (protocol 8) and B
 * (protocol 13); an AF_INET6 fixture for the 128-bit lookups.  Routes are
 * added without next hops.  Reference counts are checked with the
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
#include <time.h>

#define PROTO_A		8
#define PROTO_B		13
#define PROTO_NONE	77	/* no entity has this protocol id */

typedef union {
	RTM_ROUTE_INFO i;
	unsigned char b[RTM_SIZE_OF_ROUTE_INFO(1)];
} route_buf;

/* Room for both views, plus a tail that must never be written. */
typedef union {
	RTM_DEST_INFO i;
	unsigned char b[RTM_SIZE_OF_DEST_INFO(2) + 16];
} dest_buf;

#define FILL		0xa5
#define FORGED_DEST	((RTM_DEST_HANDLE)(uintptr_t)0x2000000f0fedcba1ULL)
#define JUNK_HANDLE	((HANDLE)(uintptr_t)0x1234)

/* 2020-01-01 00:00 UTC in FILETIME ticks (100 ns since 1601). */
#define FT_2020		132223104000000000ULL

static long long refs(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return -1;
	return (long long)st.handle_refs;
}

static long long ndests(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return -1;
	return (long long)st.dests;
}

static unsigned long long ft(const FILETIME *f)
{
	return (unsigned long long)f->dwHighDateTime << 32 | f->dwLowDateTime;
}

static unsigned long long ft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((unsigned long long)ts.tv_sec + 11644473600ULL) * 10000000ULL +
	       (unsigned long long)ts.tv_nsec / 100;
}

/* Are bytes [from, sizeof(dest_buf)) of @d all still FILL? */
static int untouched_from(const dest_buf *d, size_t from)
{
	size_t i;

	for (i = from; i < sizeof(*d); i++)
		if (d->b[i] != FILL)
			return 0;
	return 1;
}

static void dfill(dest_buf *d)
{
	memset(d, FILL, sizeof(*d));
}

/* Add a route (mode b or c) with no next hop. */
static DWORD add(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS dest, ULONG metric,
		 ULONG pref, RTM_VIEW_SET views, USHORT flags,
		 RTM_ROUTE_HANDLE *h)
{
	route_buf rb;
	DWORD cf = 0;

	memset(&rb, 0, sizeof(rb));
	rb.i.PrefInfo.Metric = metric;
	rb.i.PrefInfo.Preference = pref;
	rb.i.BelongsToViews = views;
	rb.i.Flags = flags;
	if (h)
		*h = NULL;
	/* A new route each time: tests add several per owner and prefix. */
	cf = RTM_ROUTE_CHANGE_NEW;
	return RtmAddRouteToDest(reg, h, &dest, &rb.i, INFINITE, NULL, 0, NULL,
				 &cf);
}

static DWORD update(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h, ULONG metric,
		    ULONG pref, RTM_VIEW_SET views)
{
	route_buf rb;
	DWORD cf = 0;

	memset(&rb, 0, sizeof(rb));
	rb.i.PrefInfo.Metric = metric;
	rb.i.PrefInfo.Preference = pref;
	rb.i.BelongsToViews = views;
	return RtmAddRouteToDest(reg, &h, NULL, &rb.i, INFINITE, NULL, 0, NULL,
				 &cf);
}

static int same_addr(const RTM_NET_ADDRESS *a, const RTM_NET_ADDRESS *b)
{
	return !memcmp(a, b, sizeof(*a));
}

FIXTURE(dt) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa, pb;
};

FIXTURE_SETUP(dt)
{
	struct rtm_stats st;

	ASSERT_EQ(0, rtm_test_stats(&st));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET, &self->a,
					      &self->pa));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_B, 1, AF_INET, &self->b,
					      &self->pb));
	ASSERT_EQ(0x3, self->pa.ViewsSupported);
	ASSERT_EQ(2, self->pa.NumberOfViews);
}

FIXTURE_TEARDOWN(dt)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ---------------------------------------------------------------------- */
/* RtmGetDestInfo and the RTM_DEST_INFO fields (6.1)                        */
/* ---------------------------------------------------------------------- */

TEST_F(dt, dest_info_every_field)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 1, 0, 0, 16);
	unsigned long long t0, t1;
	RTM_ROUTE_HANDLE h;
	RTM_DEST_HANDLE dh;
	dest_buf d, d2;
	long long r0;
	int k;

	t0 = ft_now();
	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x3,
				RTM_ROUTE_FLAGS_REMOTE | RTM_ROUTE_FLAGS_MCAST,
				&h));
	r0 = refs();
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_ALL,
							&d.i));
	t1 = ft_now();
	dh = d.i.DestHandle;
	EXPECT_NE(NULL, dh);
	EXPECT_TRUE(same_addr(&p, &d.i.DestAddress));
	EXPECT_GT(ft(&d.i.LastChanged), FT_2020);
	EXPECT_GE(ft(&d.i.LastChanged) + 100000, t0);	/* 10 ms slack */
	EXPECT_LE(ft(&d.i.LastChanged), t1 + 100000);
	EXPECT_EQ(0x3, d.i.BelongsToViews);
	ASSERT_EQ(2, d.i.NumberOfViews);
	for (k = 0; k < 2; k++) {
		EXPECT_EQ(k, d.i.ViewInfo[k].ViewId);
		EXPECT_EQ(1, d.i.ViewInfo[k].NumRoutes);
		EXPECT_EQ(h, d.i.ViewInfo[k].Route);
		EXPECT_EQ(self->a, d.i.ViewInfo[k].Owner);
		EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE | RTM_ROUTE_FLAGS_MCAST,
			  d.i.ViewInfo[k].DestFlags);
		EXPECT_EQ(NULL, d.i.ViewInfo[k].HoldRoute);
	}
	EXPECT_TRUE(untouched_from(&d, RTM_SIZE_OF_DEST_INFO(2)));
	/* DestHandle + (Route, Owner) per view */
	EXPECT_EQ(r0 + 5, refs());

	/* RtmGetDestInfo on the handle reports the same. */
	dfill(&d2);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->b, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_ALL, &d2.i));
	EXPECT_EQ(0, memcmp(&d, &d2, sizeof(d)));
	EXPECT_EQ(r0 + 10, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d2.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(dt, dest_info_last_changed)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 2, 0, 0, 16);
	unsigned long long t1, t2, t3;
	RTM_ROUTE_HANDLE h1, h2;
	RTM_DEST_HANDLE dh;
	dest_buf d, held;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x1, 0, &h1));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&held.i));
	dh = held.i.DestHandle;
	t1 = ft(&held.i.LastChanged);
	EXPECT_NE(0, t1);

	/* A route added (even a non-best one) changes the time. */
	usleep(20000);
	ASSERT_EQ(NO_ERROR, add(self->a, p, 50, 10, 0x1, 0, &h2));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	t2 = ft(&d.i.LastChanged);
	EXPECT_GE(t2, t1 + 100000);	/* at least 10 ms later */
	EXPECT_LE(t2, ft_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* An update that changes nothing is not a change (2.8). */
	usleep(20000);
	ASSERT_EQ(NO_ERROR, update(self->a, h2, 50, 10, 0x1));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL, 0,
					   &d.i));
	EXPECT_EQ(t2, ft(&d.i.LastChanged));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* A metric change of a non-best route is. */
	usleep(20000);
	ASSERT_EQ(NO_ERROR, update(self->a, h2, 51, 10, 0x1));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	t3 = ft(&d.i.LastChanged);
	EXPECT_GE(t3, t2 + 100000);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* And so is a deletion. */
	usleep(20000);
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h2, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	EXPECT_GE(ft(&d.i.LastChanged), t3 + 100000);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	/* The snapshot taken first was not updated afterwards. */
	EXPECT_EQ(t1, ft(&held.i.LastChanged));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &held.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h1));
}

/* NumberOfViews and the ViewInfo layout per TargetViews (2.6, 6.1). */
TEST_F(dt, dest_info_target_views_layout)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 3, 0, 0, 16);
	RTM_ROUTE_HANDLE hu, hm;
	RTM_DEST_HANDLE dh;
	long long r0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, RTM_VIEW_MASK_UCAST,
				RTM_ROUTE_FLAGS_LOCAL, &hu));
	ASSERT_EQ(NO_ERROR, add(self->b, p, 5, 10, RTM_VIEW_MASK_MCAST,
				RTM_ROUTE_FLAGS_MCAST, &hm));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	dh = d.i.DestHandle;
	r0 = refs();

	/* 0: destination data only, no ViewInfo element written. */
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL, 0,
					   &d.i));
	EXPECT_EQ(dh, d.i.DestHandle);
	EXPECT_EQ(0x3, d.i.BelongsToViews);
	EXPECT_EQ(0, d.i.NumberOfViews);
	EXPECT_TRUE(untouched_from(&d, RTM_BASIC_DEST_INFO_SIZE));
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* UCAST: one element, view 0. */
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &d.i));
	ASSERT_EQ(1, d.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, d.i.ViewInfo[0].ViewId);
	EXPECT_EQ(hu, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->a, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_LOCAL, d.i.ViewInfo[0].DestFlags);
	EXPECT_TRUE(untouched_from(&d, RTM_SIZE_OF_DEST_INFO(1)));
	EXPECT_EQ(r0 + 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* MCAST: one element, view 1. */
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_MCAST, &d.i));
	ASSERT_EQ(1, d.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, d.i.ViewInfo[0].ViewId);
	EXPECT_EQ(hm, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->b, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_MCAST, d.i.ViewInfo[0].DestFlags);
	EXPECT_TRUE(untouched_from(&d, RTM_SIZE_OF_DEST_INFO(1)));
	EXPECT_EQ(r0 + 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* ALL and UCAST|MCAST: two elements, in view order. */
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_ALL, &d.i));
	ASSERT_EQ(2, d.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, d.i.ViewInfo[0].ViewId);
	EXPECT_EQ(hu, d.i.ViewInfo[0].Route);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, d.i.ViewInfo[1].ViewId);
	EXPECT_EQ(hm, d.i.ViewInfo[1].Route);
	EXPECT_TRUE(untouched_from(&d, RTM_SIZE_OF_DEST_INFO(2)));
	EXPECT_EQ(r0 + 5, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST |
					   RTM_VIEW_MASK_MCAST, &d.i));
	ASSERT_EQ(2, d.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, d.i.ViewInfo[0].ViewId);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, d.i.ViewInfo[1].ViewId);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(r0, refs());

	/* A view outside ViewsSupported. */
	dfill(&d);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL, 0x4, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL, 0x5, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetDestInfo(self->a, dh, RTM_BEST_PROTOCOL, 0x80000000,
				 &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a, &p, RTM_BEST_PROTOCOL,
					      0x4, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, &p, RTM_BEST_PROTOCOL,
						0x4, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetLessSpecificDestination(self->a, dh, RTM_BEST_PROTOCOL,
						0x4, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(r0, refs());

	d.i.DestHandle = dh;
	d.i.NumberOfViews = 0;
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &hu));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &hm));
}

TEST_F(dt, dest_info_view_without_routes)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 4, 0, 0, 16);
	RTM_NET_ADDRESS in = rtm_test_v4(10, 4, 1, 1, 32);
	RTM_ROUTE_HANDLE h;
	long long r0;
	dest_buf d, d2;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, RTM_VIEW_MASK_UCAST, 0,
				&h));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	r0 = refs();
	/* Asked by handle, an empty view still gets its element. */
	dfill(&d2);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, d.i.DestHandle,
					   RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_MCAST, &d2.i));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, d2.i.BelongsToViews);
	ASSERT_EQ(1, d2.i.NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, d2.i.ViewInfo[0].ViewId);
	EXPECT_EQ(0, d2.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, d2.i.ViewInfo[0].Route);
	EXPECT_EQ(NULL, d2.i.ViewInfo[0].Owner);
	EXPECT_EQ(0, d2.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(NULL, d2.i.ViewInfo[0].HoldRoute);
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d2.i));

	/* Searches in MCAST do not see it. */
	dfill(&d2);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &p, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_MCAST, &d2.i));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &in,
						RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_MCAST, &d2.i));
	EXPECT_TRUE(untouched_from(&d2, 0));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(dt, dest_info_num_routes_counts_all)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 5, 0, 0, 16);
	RTM_ROUTE_HANDLE h[4];
	dest_buf d;
	ULONG proto;
	int i;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x3, 0, &h[0]));
	ASSERT_EQ(NO_ERROR, add(self->a, p, 6, 10, RTM_VIEW_MASK_UCAST, 0,
				&h[1]));
	ASSERT_EQ(NO_ERROR, add(self->b, p, 7, 10, RTM_VIEW_MASK_UCAST,
				RTM_ROUTE_FLAGS_INACTIVE, &h[2]));
	ASSERT_EQ(NO_ERROR, add(self->b, p, 8, 10, RTM_VIEW_MASK_MCAST, 0,
				&h[3]));
	/* Whatever ProtocolId, all routes of the view are counted. */
	for (i = 0; i < 4; i++) {
		proto = i == 0 ? RTM_BEST_PROTOCOL :
			i == 1 ? RTM_THIS_PROTOCOL :
			i == 2 ? PROTO_B : PROTO_NONE;
		ASSERT_EQ(NO_ERROR,
			  RtmGetExactMatchDestination(self->a, &p, proto,
						      RTM_VIEW_MASK_ALL, &d.i));
		ASSERT_EQ(2, d.i.NumberOfViews);
		EXPECT_EQ(3, d.i.ViewInfo[0].NumRoutes);
		EXPECT_EQ(2, d.i.ViewInfo[1].NumRoutes);
		EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	}
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 2, h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 2, &h[2]));
}

/* ProtocolId: which route is reported (2.7). */
TEST_F(dt, dest_info_protocol_selection)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 6, 0, 0, 16);
	RTM_ROUTE_HANDLE ha, hb, ha2;
	RTM_DEST_HANDLE dh;
	long long r0;
	dest_buf d;

	/* A's route is the overall best; B's is worse (higher preference). */
	ASSERT_EQ(NO_ERROR, add(self->a, p, 50, 10, RTM_VIEW_MASK_UCAST,
				RTM_ROUTE_FLAGS_LOCAL, &ha));
	ASSERT_EQ(NO_ERROR, add(self->b, p, 1, 20, RTM_VIEW_MASK_UCAST,
				RTM_ROUTE_FLAGS_REMOTE, &hb));
	ASSERT_EQ(NO_ERROR, add(self->a, p, 60, 10, RTM_VIEW_MASK_UCAST,
				RTM_ROUTE_FLAGS_MYSELF, &ha2));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	dh = d.i.DestHandle;
	r0 = refs();

	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->b, dh, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_EQ(ha, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->a, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_LOCAL, d.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));

	/* B asks for its own protocol's best route. */
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->b, dh, RTM_THIS_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_EQ(hb, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->b, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE, d.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(3, d.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));

	/* A names B's protocol explicitly: the non-best route is reported. */
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, PROTO_B,
					   RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_EQ(hb, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->b, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE, d.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* A's own protocol: the better of A's two routes. */
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, RTM_THIS_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_EQ(ha, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->b, dh, PROTO_A,
					   RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_EQ(ha, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));

	/* A protocol with no route: nothing reported, routes still counted. */
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, dh, PROTO_NONE,
					   RTM_VIEW_MASK_ALL, &d.i));
	ASSERT_EQ(2, d.i.NumberOfViews);
	EXPECT_EQ(3, d.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NULL, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(0, d.i.ViewInfo[0].DestFlags);
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));

	/* Searches report per ProtocolId the same way. */
	ASSERT_EQ(NO_ERROR, RtmGetMostSpecificDestination(self->a, &p, PROTO_B,
							  RTM_VIEW_MASK_UCAST,
							  &d.i));
	EXPECT_EQ(hb, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(r0, refs());

	d.i.DestHandle = dh;
	d.i.NumberOfViews = 0;
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ha));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ha2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &hb));
}

/* "The caller's protocol" is the protocol id only, not the entity (2.7). */
TEST_F(dt, dest_info_this_protocol_is_protocol_id_only)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 7, 0, 0, 16);
	RTM_ENTITY_HANDLE c;
	RTM_ROUTE_HANDLE ha, hb;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 50, 30, RTM_VIEW_MASK_UCAST, 0,
				&ha));
	ASSERT_EQ(NO_ERROR, add(self->b, p, 1, 10, RTM_VIEW_MASK_UCAST, 0,
				&hb));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 2, AF_INET, &c, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(c, &p,
							RTM_THIS_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&d.i));
	EXPECT_EQ(ha, d.i.ViewInfo[0].Route);
	EXPECT_EQ(self->a, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(c, &d.i));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ha));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &hb));
}

/*
 * When every route is of one protocol, the best route of that protocol is
 * the best route, tie rule included (2.7: on a full tie the current best
 * stays best).
 */
TEST_F(dt, dest_info_protocol_follows_tie_rule)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 8, 0, 0, 16);
	RTM_ROUTE_HANDLE r1, r2;
	RTM_VIEW_SET v = 0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 10, 10, RTM_VIEW_MASK_UCAST, 0,
				&r1));
	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, RTM_VIEW_MASK_UCAST, 0,
				&r2));
	ASSERT_EQ(NO_ERROR, update(self->a, r2, 10, 10, RTM_VIEW_MASK_UCAST));
	ASSERT_EQ(NO_ERROR, RtmIsBestRoute(self->a, r2, &v));
	ASSERT_EQ(RTM_VIEW_MASK_UCAST, v);

	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&d.i));
	EXPECT_EQ(r2, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_THIS_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&d.i));
	EXPECT_EQ(r2, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p, PROTO_A,
							RTM_VIEW_MASK_UCAST,
							&d.i));
	EXPECT_EQ(r2, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
}

TEST_F(dt, dest_info_bad_arguments)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_DEST_HANDLE dh, stale;
	RTM_ROUTE_HANDLE h;
	long long r0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x1, 0, &h));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	dh = d.i.DestHandle;
	/* A destination that no longer exists at all. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	stale = dh;
	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x1, 0, &h));
	r0 = refs();

	dfill(&d);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, stale, RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, NULL, RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, FORGED_DEST, RTM_BEST_PROTOCOL, 0,
				 &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, JUNK_HANDLE, RTM_BEST_PROTOCOL, 0,
				 &d.i));
	/* Handles of other kinds. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, h, RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a, self->a, RTM_BEST_PROTOCOL, 0,
				 &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a, &p, RTM_BEST_PROTOCOL,
					      0, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, &p,
						RTM_BEST_PROTOCOL, 0, NULL));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(dt, get_dest_info_null_output)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_ROUTE_HANDLE h;
	long long r0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x1, 0, &h));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	r0 = refs();
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetDestInfo(self->a, d.i.DestHandle, RTM_BEST_PROTOCOL, 0,
				 NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetLessSpecificDestination(self->a, d.i.DestHandle,
						RTM_BEST_PROTOCOL, 0, NULL));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(dt, search_bad_address)
{
	RTM_NET_ADDRESS bad;
	long long r0 = refs();
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 0, 0, 0, 8), 5, 10,
				0x1, 0, NULL));
	r0 = refs();
	dfill(&d);
	bad = rtm_test_v4(10, 1, 1, 1, 33);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a, &bad, RTM_BEST_PROTOCOL,
					      0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	bad = rtm_test_v4(10, 1, 1, 1, 32);
	bad.AddressFamily = AF_INET6;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a, &bad, RTM_BEST_PROTOCOL,
					      0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	bad.AddressFamily = 0;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a, NULL, RTM_BEST_PROTOCOL,
					      0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a, NULL,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(r0, refs());
}

/* Every function answers ERROR_INVALID_HANDLE for a bad RtmRegHandle. */
TEST_F(dt, bad_registration_handle)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_ENTITY_HANDLE gone, bad[3];
	RTM_ROUTE_HANDLE h;
	dest_buf d, out;
	long long r0;
	int i;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 5, 10, 0x1, 0, &h));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_ALL,
							&d.i));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 2, AF_INET, &gone,
					      NULL));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(gone));
	bad[0] = NULL;
	bad[1] = JUNK_HANDLE;
	bad[2] = gone;
	r0 = refs();
	dfill(&out);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetDestInfo(bad[i], d.i.DestHandle,
					 RTM_BEST_PROTOCOL, 0, &out.i));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetExactMatchDestination(bad[i], &p,
						      RTM_BEST_PROTOCOL, 0,
						      &out.i));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetMostSpecificDestination(bad[i], &p,
							RTM_BEST_PROTOCOL, 0,
							&out.i));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetLessSpecificDestination(bad[i], d.i.DestHandle,
							RTM_BEST_PROTOCOL, 0,
							&out.i));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmReleaseDestInfo(bad[i], &d.i));
	}
	EXPECT_TRUE(untouched_from(&out, 0));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	/* DestHandle, and Route and Owner of the unicast view */
	EXPECT_EQ(r0 - 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

/* ---------------------------------------------------------------------- */
/* Searches (9.1-9.3)                                                       */
/* ---------------------------------------------------------------------- */

/* 0/0, 10/8, 10.1/16, 10.1.2/24, 10.1.2.128/25, all from A in UCAST. */
static void nested_setup(struct __test_metadata *_metadata,
			 FIXTURE_DATA(dt) *self)
{
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(0, 0, 0, 0, 0), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 0, 0, 0, 8), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 1, 0, 0, 16), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 1, 2, 0, 24), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 1, 2, 128, 25), 1,
				10, 0x1, 0, NULL));
}

/*
 * RtmGetMostSpecificDestination(@q) in @views; returns 1 if it found
 * exactly @want (family, length and canonical bits), 0 otherwise.
 */
static int most_specific_is(struct __test_metadata *_metadata,
			    RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS q,
			    RTM_VIEW_SET views, RTM_NET_ADDRESS want)
{
	dest_buf d;
	int ok;

	dfill(&d);
	if (RtmGetMostSpecificDestination(reg, &q, RTM_BEST_PROTOCOL, views,
					  &d.i) != NO_ERROR)
		return 0;
	ok = same_addr(&want, &d.i.DestAddress);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(reg, &d.i));
	return ok;
}

TEST_F(dt, longest_match_nested_prefixes)
{
	RTM_NET_ADDRESS p0 = rtm_test_v4(0, 0, 0, 0, 0);
	RTM_NET_ADDRESS p8 = rtm_test_v4(10, 0, 0, 0, 8);
	RTM_NET_ADDRESS p16 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NET_ADDRESS p24 = rtm_test_v4(10, 1, 2, 0, 24);
	RTM_NET_ADDRESS p25 = rtm_test_v4(10, 1, 2, 128, 25);
	RTM_ENTITY_HANDLE a;
	long long r0;

	nested_setup(_metadata, self);
	a = self->a;
	r0 = refs();
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 200, 32), 0, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 128, 32), 0, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 255, 32), 0, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 127, 32), 0, p24));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 5, 32), 0, p24));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 3, 1, 32), 0, p16));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 255, 255, 32), 0, p16));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 2, 0, 1, 32), 0, p8));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 0, 0, 0, 32), 0, p8));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(11, 0, 0, 1, 32), 0, p0));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(9, 255, 255, 255, 32), 0, p0));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(255, 255, 255, 255, 32), 0,
				     p0));
	/* Prefixes as queries: covering means shorter or equal length. */
	EXPECT_TRUE(most_specific_is(_metadata, a, p25, 0, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 130, 26), 0, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 0, 23), 0, p16));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 200, 24), 0, p24));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 0, 0, 15), 0, p8));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 0, 0, 0, 7), 0, p0));
	EXPECT_TRUE(most_specific_is(_metadata, a, p0, 0, p0));
	/* The same in the unicast view, where every route is. */
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 1, 2, 200, 32),
				     RTM_VIEW_MASK_UCAST, p25));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     rtm_test_v4(10, 3, 2, 200, 32),
				     RTM_VIEW_MASK_ALL, p8));
	EXPECT_EQ(r0, refs());
}

TEST_F(dt, exact_match_vs_most_specific)
{
	RTM_NET_ADDRESS p24 = rtm_test_v4(10, 1, 2, 0, 24);
	RTM_NET_ADDRESS host = rtm_test_v4(10, 1, 2, 5, 32);
	RTM_NET_ADDRESS odd24 = rtm_test_v4(10, 1, 2, 7, 24);
	RTM_NET_ADDRESS p20 = rtm_test_v4(10, 1, 0, 0, 20);
	long long r0;
	dest_buf d;

	nested_setup(_metadata, self);
	r0 = refs();
	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p24,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	EXPECT_TRUE(same_addr(&p24, &d.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	/* Bits past NumBits are ignored. */
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &odd24,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	EXPECT_TRUE(same_addr(&p24, &d.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	/* A host address or an absent length has no exact match... */
	dfill(&d);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &host,
					      RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &p20,
					      RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	/* ...but a most specific one. */
	EXPECT_TRUE(most_specific_is(_metadata, self->a, host, 0, p24));
	EXPECT_TRUE(most_specific_is(_metadata, self->a, p20, 0,
				     rtm_test_v4(10, 1, 0, 0, 16)));
	EXPECT_EQ(r0, refs());
}

TEST_F(dt, search_target_views_filter)
{
	RTM_NET_ADDRESS p8 = rtm_test_v4(10, 0, 0, 0, 8);
	RTM_NET_ADDRESS p24 = rtm_test_v4(10, 1, 2, 0, 24);
	RTM_NET_ADDRESS host = rtm_test_v4(10, 1, 2, 9, 32);
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p8, 1, 10, RTM_VIEW_MASK_UCAST, 0,
				NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, p24, 1, 10, RTM_VIEW_MASK_MCAST, 0,
				NULL));
	EXPECT_TRUE(most_specific_is(_metadata, self->a, host, 0, p24));
	EXPECT_TRUE(most_specific_is(_metadata, self->a, host,
				     RTM_VIEW_MASK_MCAST, p24));
	EXPECT_TRUE(most_specific_is(_metadata, self->a, host,
				     RTM_VIEW_MASK_ALL, p24));
	/* The multicast-only destination is skipped in the unicast view. */
	EXPECT_TRUE(most_specific_is(_metadata, self->a, host,
				     RTM_VIEW_MASK_UCAST, p8));
	dfill(&d);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &p24, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_UCAST, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p24,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_MCAST,
							&d.i));
	EXPECT_EQ(RTM_VIEW_MASK_MCAST, d.i.BelongsToViews);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
	/* 10/8 has no multicast route: nothing covers in MCAST. */
	dfill(&d);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &p8,
						RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_MCAST, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
}

TEST_F(dt, not_found_when_nothing_covers)
{
	RTM_NET_ADDRESS q = rtm_test_v4(11, 0, 0, 1, 32);
	long long r0 = refs();
	dest_buf d;

	/* Empty table. */
	dfill(&d);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &q, RTM_BEST_PROTOCOL,
						0, &d.i));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &q, RTM_BEST_PROTOCOL,
					      0, &d.i));
	/* Only 10/8 and 10.1.2/24: 11.0.0.1 and 10/7 are not covered. */
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 0, 0, 0, 8), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 1, 2, 0, 24), 1, 10,
				0x1, 0, NULL));
	r0 = refs();
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &q, RTM_BEST_PROTOCOL,
						0, &d.i));
	q = rtm_test_v4(10, 0, 0, 0, 7);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &q, RTM_BEST_PROTOCOL,
						0, &d.i));
	q = rtm_test_v4(0, 0, 0, 0, 0);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(self->a, &q, RTM_BEST_PROTOCOL,
						0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(r0, refs());
}

/* Walk up with RtmGetLessSpecificDestination, alternating two buffers. */
TEST_F(dt, less_specific_walk_to_default)
{
	RTM_NET_ADDRESS want[5] = {
		rtm_test_v4(10, 1, 2, 128, 25), rtm_test_v4(10, 1, 2, 0, 24),
		rtm_test_v4(10, 1, 0, 0, 16), rtm_test_v4(10, 0, 0, 0, 8),
		rtm_test_v4(0, 0, 0, 0, 0),
	};
	RTM_NET_ADDRESS q = rtm_test_v4(10, 1, 2, 200, 32);
	dest_buf buf[2];
	long long r0;
	int i, cur = 0;

	nested_setup(_metadata, self);
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetMostSpecificDestination(self->a, &q,
							  RTM_BEST_PROTOCOL,
							  RTM_VIEW_MASK_UCAST,
							  &buf[0].i));
	EXPECT_TRUE(same_addr(&want[0], &buf[0].i.DestAddress));
	for (i = 1; i < 5; i++) {
		dfill(&buf[!cur]);
		ASSERT_EQ(NO_ERROR,
			  RtmGetLessSpecificDestination(self->a,
							buf[cur].i.DestHandle,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&buf[!cur].i));
		EXPECT_TRUE(same_addr(&want[i], &buf[!cur].i.DestAddress));
		EXPECT_EQ(1, buf[!cur].i.NumberOfViews);
		EXPECT_EQ(1, buf[!cur].i.ViewInfo[0].NumRoutes);
		EXPECT_EQ(self->a, buf[!cur].i.ViewInfo[0].Owner);
		/* The starting structure is not affected. */
		EXPECT_TRUE(same_addr(&want[i - 1], &buf[cur].i.DestAddress));
		EXPECT_EQ(r0 + 6, refs());
		EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &buf[cur].i));
		cur = !cur;
	}
	/* From the default route there is nothing less specific. */
	dfill(&buf[!cur]);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetLessSpecificDestination(self->a, buf[cur].i.DestHandle,
						RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_UCAST,
						&buf[!cur].i));
	EXPECT_TRUE(untouched_from(&buf[!cur], 0));
	EXPECT_EQ(r0 + 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &buf[cur].i));
	EXPECT_EQ(r0, refs());
}

TEST_F(dt, less_specific_skips_gaps_and_views)
{
	RTM_NET_ADDRESS p25 = rtm_test_v4(10, 1, 2, 128, 25);
	RTM_NET_ADDRESS p16 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NET_ADDRESS p8 = rtm_test_v4(10, 0, 0, 0, 8);
	dest_buf d, up;

	/* /24 missing, /16 multicast only; a sibling makes a branch node. */
	ASSERT_EQ(NO_ERROR, add(self->a, p25, 1, 10, 0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 1, 2, 0, 25), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, p16, 1, 10, RTM_VIEW_MASK_MCAST, 0,
				NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, p8, 1, 10, 0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &p25,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	ASSERT_EQ(NO_ERROR, RtmGetLessSpecificDestination(self->a,
							  d.i.DestHandle,
							  RTM_BEST_PROTOCOL, 0,
							  &up.i));
	EXPECT_TRUE(same_addr(&p16, &up.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &up.i));
	ASSERT_EQ(NO_ERROR, RtmGetLessSpecificDestination(self->a,
							  d.i.DestHandle,
							  RTM_BEST_PROTOCOL,
							  RTM_VIEW_MASK_UCAST,
							  &up.i));
	EXPECT_TRUE(same_addr(&p8, &up.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &up.i));
	ASSERT_EQ(NO_ERROR, RtmGetLessSpecificDestination(self->a,
							  d.i.DestHandle,
							  RTM_BEST_PROTOCOL,
							  RTM_VIEW_MASK_MCAST,
							  &up.i));
	EXPECT_TRUE(same_addr(&p16, &up.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &up.i));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &d.i));
}

TEST_F(dt, less_specific_from_unlinked_dest)
{
	RTM_NET_ADDRESS p24 = rtm_test_v4(10, 1, 2, 0, 24);
	RTM_NET_ADDRESS p16 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_ROUTE_HANDLE h, ha = NULL;
	long long r0;
	dest_buf d, up;
	route_buf c;

	nested_setup(_metadata, self);
	ASSERT_EQ(NO_ERROR, add(self->b, p24, 1, 10, 0x1, 0, &h));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p24,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	/* /24 loses its two routes: unlinked, but our handle is alive. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->b, h, NULL));
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchRoute(self->a, &p24,
						  RTM_MATCH_NONE, &c.i, 0, 0,
						  &ha));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &c.i));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, ha, NULL));
	dfill(&up);
	ASSERT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->b, &p24, RTM_BEST_PROTOCOL,
					      0, &up.i));
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetLessSpecificDestination(self->b,
							  d.i.DestHandle,
							  RTM_BEST_PROTOCOL,
							  RTM_VIEW_MASK_UCAST,
							  &up.i));
	EXPECT_TRUE(same_addr(&p16, &up.i.DestAddress));
	EXPECT_EQ(r0 + 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &up.i));
	/* An address the /24 covered now matches the /16. */
	EXPECT_TRUE(most_specific_is(_metadata, self->a,
				     rtm_test_v4(10, 1, 2, 5, 32), 0, p16));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0 - 1, refs());
}

TEST_F(dt, less_specific_bad_arguments)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_ROUTE_HANDLE h;
	long long r0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, rtm_test_v4(10, 0, 0, 0, 8), 1, 10,
				0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, p, 1, 10, 0x1, 0, &h));
	r0 = refs();
	dfill(&d);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(self->a, NULL,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(self->a, FORGED_DEST,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(self->a, JUNK_HANDLE,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(self->a, h, RTM_BEST_PROTOCOL,
						0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

/* ---------------------------------------------------------------------- */
/* RtmReleaseDestInfo (6.2)                                                 */
/* ---------------------------------------------------------------------- */

TEST_F(dt, release_dest_info_gives_back_every_reference)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 1, 0, 0, 16);
	long long r0;
	dest_buf d;

	/* Mode (c): A holds no reference on its route. */
	ASSERT_EQ(NO_ERROR, add(self->a, p, 1, 10, 0x3, 0, NULL));
	r0 = refs();
	/* B holds none on A's objects either. */
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_ALL,
							&d.i));
	EXPECT_EQ(r0 + 5, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseDestInfo(self->b, NULL));
	EXPECT_EQ(r0, refs());
}

TEST_F(dt, release_dest_info_empty_view)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 2, 0, 0, 16);
	long long r0;
	dest_buf d;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 1, 10, RTM_VIEW_MASK_MCAST, 0,
				NULL));
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_ALL,
							&d.i));
	EXPECT_EQ(NULL, d.i.ViewInfo[0].Route);
	EXPECT_EQ(NULL, d.i.ViewInfo[0].Owner);
	EXPECT_NE(NULL, d.i.ViewInfo[1].Route);
	EXPECT_EQ(r0 + 3, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0, refs());
}

TEST_F(dt, release_bare_dest_handle)
{
	RTM_NET_ADDRESS p = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_DEST_HANDLE dh;
	long long r0;
	dest_buf d, bare;

	ASSERT_EQ(NO_ERROR, add(self->a, p, 1, 10, 0x1, 0, NULL));
	r0 = refs();
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->b, &p,
							RTM_BEST_PROTOCOL, 0,
							&d.i));
	dh = d.i.DestHandle;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->b, 1, &dh));
	EXPECT_EQ(r0 + 2, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));
	EXPECT_EQ(r0 + 1, refs());

	/* Still usable through the kept reference. */
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->b, dh, RTM_BEST_PROTOCOL, 0,
					   &d.i));
	EXPECT_TRUE(same_addr(&p, &d.i.DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &d.i));

	memset(&bare, 0, sizeof(bare));
	bare.i.DestHandle = dh;
	bare.i.NumberOfViews = 0;
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->b, &bare.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDestInfo(self->b, &bare.i));
	EXPECT_EQ(r0, refs());
}

/* ---------------------------------------------------------------------- */
/* A larger randomized check against a naive longest match                  */
/* ---------------------------------------------------------------------- */

#define NPFX	2000
#define NQ	5000

struct pfx {
	uint32_t addr;		/* host order, canonical */
	unsigned int len;
	int live;
	RTM_ROUTE_HANDLE h;
};

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t mask_of(unsigned int len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static RTM_NET_ADDRESS v4h(uint32_t addr, unsigned int len)
{
	return rtm_test_v4(addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
			   addr & 0xff, len);
}

static int naive_longest(const struct pfx *p, int n, uint32_t addr,
			 unsigned int len)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (!p[i].live || p[i].len > len ||
		    ((addr ^ p[i].addr) & mask_of(p[i].len)))
			continue;
		if (best < 0 || p[i].len > p[best].len)
			best = i;
	}
	return best;
}

/* Compare NQ lookups with the model; returns the number of mismatches. */
static int compare_lookups(struct __test_metadata *_metadata,
			   RTM_ENTITY_HANDLE reg, const struct pfx *p, int n)
{
	int q, bad = 0, found = 0;

	for (q = 0; q < NQ; q++) {
		uint32_t r = rnd(), addr, got;
		unsigned int len = (r & 7) == 0 ? rnd() % 33 : 32;
		RTM_NET_ADDRESS qa, want;
		int exp, ok;
		dest_buf d;
		DWORD ret;

		if (r & 0x100) {
			/* Inside one of the prefixes (maybe a dead one). */
			const struct pfx *in = &p[rnd() % n];

			addr = in->addr | (rnd() & ~mask_of(in->len));
		} else {
			addr = rnd();
		}
		qa = v4h(addr, len);	/* host bits left set on purpose */
		exp = naive_longest(p, n, addr & mask_of(len), len);
		memset(&d, FILL, sizeof(d));
		ret = RtmGetMostSpecificDestination(reg, &qa, RTM_BEST_PROTOCOL,
						    0, &d.i);
		if (exp < 0) {
			ok = ret == ERROR_NOT_FOUND;
		} else {
			want = v4h(p[exp].addr, p[exp].len);
			ok = ret == NO_ERROR && same_addr(&want,
							  &d.i.DestAddress) &&
			     d.i.NumberOfViews == 0;
			found++;
		}
		if (ret == NO_ERROR &&
		    RtmReleaseDestInfo(reg, &d.i) != NO_ERROR)
			ok = 0;
		memcpy(&got, d.i.DestAddress.AddrBits, sizeof(got));
		if (!ok && bad++ < 5)
			TH_LOG("query %08x/%u: expected %s%08x/%u, got %u %08x/%u",
			       addr, len, exp < 0 ? "none " : "",
			       exp < 0 ? 0 : p[exp].addr,
			       exp < 0 ? 0 : p[exp].len, ret,
			       ret ? 0 : ntohl(got),
			       ret ? 0 : d.i.DestAddress.NumBits);
	}
	/* Both outcomes must have been exercised. */
	EXPECT_GT(found, NQ / 10);
	EXPECT_LT(found, NQ - NQ / 10);
	return bad;
}

TEST_F_TIMEOUT(dt, random_longest_match, 300)
{
	static struct pfx p[NPFX];
	RTM_ROUTE_HANDLE live[NPFX];
	long long r0 = refs(), d0 = ndests();
	int n = 0, i, j, nlive;

	rng = 0x2545f491;
	while (n < NPFX) {
		uint32_t addr;
		unsigned int len;

		if (n && (rnd() & 1)) {
			/* Nest under an existing prefix. */
			const struct pfx *base = &p[rnd() % n];

			if (base->len == 32)
				continue;
			len = base->len + 1 + rnd() % (32 - base->len);
			addr = (base->addr | (rnd() & ~mask_of(base->len))) &
			       mask_of(len);
		} else {
			len = 8 + rnd() % 25;
			addr = rnd() & mask_of(len);
		}
		for (j = 0; j < n; j++)
			if (p[j].addr == addr && p[j].len == len)
				break;
		if (j < n)
			continue;
		p[n].addr = addr;
		p[n].len = len;
		p[n].live = 1;
		ASSERT_EQ(NO_ERROR, add(self->a, v4h(addr, len), 1, 10, 0x1, 0,
					&p[n].h));
		n++;
	}
	EXPECT_EQ(d0 + NPFX, ndests());
	EXPECT_EQ(0, compare_lookups(_metadata, self->a, p, n));

	/* Delete every other prefix and compare again. */
	for (i = 0; i < n; i += 2) {
		ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, p[i].h,
							 NULL));
		p[i].live = 0;
	}
	EXPECT_EQ(d0 + NPFX / 2, ndests());
	EXPECT_EQ(0, compare_lookups(_metadata, self->a, p, n));

	for (i = 0, nlive = 0; i < n; i++)
		if (p[i].live)
			live[nlive++] = p[i].h;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, nlive, live));
	EXPECT_EQ(r0, refs());
}

/* ---------------------------------------------------------------------- */
/* IPv6                                                                     */
/* ---------------------------------------------------------------------- */

static RTM_NET_ADDRESS v6(const char *s, unsigned int len)
{
	RTM_NET_ADDRESS n;

	memset(&n, 0, sizeof(n));
	n.AddressFamily = AF_INET6;
	n.NumBits = len;
	if (inet_pton(AF_INET6, s, n.AddrBits) != 1)
		n.NumBits = 999;
	return n;
}

FIXTURE(v6) {
	RTM_ENTITY_HANDLE a6, a4;
};

FIXTURE_SETUP(v6)
{
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET6, &self->a6,
					      NULL));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET, &self->a4,
					      NULL));
	ASSERT_EQ(NO_ERROR, add(self->a6, v6("2001:db8::", 32), 1, 10, 0x1,
				0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a6, v6("2001:db8:1::", 48), 1, 10, 0x1,
				0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a6, v6("::", 0), 1, 10, 0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a6, v6("2001:db8:1::ffff", 128), 1, 10,
				0x1, 0, NULL));
}

FIXTURE_TEARDOWN(v6)
{
	if (self->a4)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a4));
	if (self->a6)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a6));
}

TEST_F(v6, ipv6_longest_match)
{
	RTM_NET_ADDRESS p32 = v6("2001:db8::", 32);
	RTM_NET_ADDRESS p48 = v6("2001:db8:1::", 48);
	RTM_NET_ADDRESS p0 = v6("::", 0);
	RTM_NET_ADDRESS host = v6("2001:db8:1::ffff", 128);
	RTM_ENTITY_HANDLE a = self->a6;

	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:1:2::1", 128),
				     0, p48));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:2::1", 128),
				     0, p32));
	EXPECT_TRUE(most_specific_is(_metadata, a,
				     v6("2001:db8:ffff:ffff::1", 128), 0, p32));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db9::1", 128), 0,
				     p0));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("::1", 128), 0, p0));
	/* The last bit of 128 decides. */
	EXPECT_TRUE(most_specific_is(_metadata, a, host, 0, host));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:1::fffe", 128),
				     0, p48));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:1::7fff", 128),
				     RTM_VIEW_MASK_UCAST, p48));
	/* Prefix queries. */
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:1::", 64), 0,
				     p48));
	EXPECT_TRUE(most_specific_is(_metadata, a, v6("2001:db8:1::", 47), 0,
				     p32));
}

TEST_F(v6, ipv6_exact_match_and_fields)
{
	RTM_NET_ADDRESS p48 = v6("2001:db8:1::", 48);
	RTM_NET_ADDRESS odd48 = v6("2001:db8:1:ffff::1", 48);
	RTM_NET_ADDRESS p47 = v6("2001:db8:1::", 47);
	dest_buf d;

	dfill(&d);
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a6, &odd48,
							RTM_BEST_PROTOCOL,
							RTM_VIEW_MASK_UCAST,
							&d.i));
	/* All 16 bytes compared: family, length and canonical bits. */
	EXPECT_TRUE(same_addr(&p48, &d.i.DestAddress));
	EXPECT_EQ(AF_INET6, d.i.DestAddress.AddressFamily);
	EXPECT_EQ(48, d.i.DestAddress.NumBits);
	EXPECT_EQ(1, d.i.ViewInfo[0].NumRoutes);
	EXPECT_EQ(self->a6, d.i.ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a6, &d.i));
	dfill(&d);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a6, &p47,
					      RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
}

TEST_F(v6, ipv6_less_specific_walk)
{
	RTM_NET_ADDRESS want[4] = {
		v6("2001:db8:1::ffff", 128), v6("2001:db8:1::", 48),
		v6("2001:db8::", 32), v6("::", 0),
	};
	dest_buf buf[2];
	int i, cur = 0;

	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a6, &want[0],
							RTM_BEST_PROTOCOL, 0,
							&buf[0].i));
	for (i = 1; i < 4; i++) {
		ASSERT_EQ(NO_ERROR,
			  RtmGetLessSpecificDestination(self->a6,
							buf[cur].i.DestHandle,
							RTM_BEST_PROTOCOL, 0,
							&buf[!cur].i));
		EXPECT_TRUE(same_addr(&want[i], &buf[!cur].i.DestAddress));
		EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a6, &buf[cur].i));
		cur = !cur;
	}
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetLessSpecificDestination(self->a6, buf[cur].i.DestHandle,
						RTM_BEST_PROTOCOL, 0,
						&buf[!cur].i));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a6, &buf[cur].i));
}

TEST_F(v6, ipv6_bad_addresses)
{
	RTM_NET_ADDRESS bad = v6("2001:db8::", 129);
	long long r0 = refs();
	dest_buf d;

	dfill(&d);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a6, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetExactMatchDestination(self->a6, &bad,
					      RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  add(self->a6, bad, 1, 10, 0x1, 0, NULL));
	/* An IPv4 address in the IPv6 table, and the reverse. */
	bad = rtm_test_v4(10, 0, 0, 0, 8);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a6, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  add(self->a6, bad, 1, 10, 0x1, 0, NULL));
	bad = v6("2001:db8::", 32);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetMostSpecificDestination(self->a4, &bad,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  add(self->a4, bad, 1, 10, 0x1, 0, NULL));
	EXPECT_TRUE(untouched_from(&d, 0));
	EXPECT_EQ(r0, refs());
}

/* A handle is meaningful only in its own table (2.3). */
TEST_F(v6, handles_of_another_table)
{
	RTM_NET_ADDRESS p4 = rtm_test_v4(10, 0, 0, 0, 8);
	long long r0;
	dest_buf d4, d;

	ASSERT_EQ(NO_ERROR, add(self->a4, p4, 1, 10, 0x1, 0, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a4, &p4,
							RTM_BEST_PROTOCOL, 0,
							&d4.i));
	r0 = refs();
	dfill(&d);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(self->a6, d4.i.DestHandle, RTM_BEST_PROTOCOL,
				 0, &d.i));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(self->a6, d4.i.DestHandle,
						RTM_BEST_PROTOCOL, 0, &d.i));
	EXPECT_TRUE(untouched_from(&d, 0));
	/* The IPv6 registration holds no reference on it to give back. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDestInfo(self->a6, &d4.i));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a4, &d4.i));
	EXPECT_EQ(r0 - 1, refs());
}

TEST_HARNESS_MAIN
