// SPDX-License-Identifier: GPL-2.0
/*
 * list_test - route lists: RtmCreateRouteList, RtmInsertInRouteList,
 * RtmCreateRouteListEnum, RtmGetListEnumRoutes, RtmDeleteRouteList, and
 * the RouteListHandle of RtmAddRouteToDest / RtmUpdateAndUnlockRoute
 * (spec part 2: 2.12, 3.19-3.23; part 1: 7.1, 8.3).
 *
 * Two entities of the AF_INET table of instance 0: A (protocol 8) with
 * next hop 10.0.0.1 and B (protocol 13) with next hop 10.0.1.1.  A's
 * routes r[i] go to 10.9.i.0/24.  Reference counts are checked with the
 * module's handle_refs counter.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <stdint.h>

#define PROTO_A		8
#define PROTO_B		13
#define NR		6

#define FORGED_ROUTE	((RTM_ROUTE_HANDLE)(uintptr_t)0x3000000f0fedcba1ULL)
#define FORGED_LIST	((RTM_ROUTE_LIST_HANDLE)(uintptr_t)0x7000000000000001)
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

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

/* A route of @reg to 10.9.@n.0/24 via @nh, put on @list. */
static DWORD add_r(RTM_ENTITY_HANDLE reg, RTM_NEXTHOP_HANDLE nh,
		   unsigned int n, RTM_ROUTE_LIST_HANDLE list,
		   RTM_ROUTE_HANDLE *h)
{
	RTM_NET_ADDRESS d = rtm_test_v4(10, 9, n, 0, 24);
	union {
		RTM_ROUTE_INFO i;
		unsigned char b[RTM_SIZE_OF_ROUTE_INFO(2)];
	} rb;
	DWORD cf = 0;

	memset(&rb, 0, sizeof(rb));
	rb.i.PrefInfo.Metric = 10;
	rb.i.PrefInfo.Preference = 10;
	rb.i.BelongsToViews = RTM_VIEW_MASK_UCAST;
	rb.i.NextHopsList.NumNextHops = 1;
	rb.i.NextHopsList.NextHops[0] = nh;
	return RtmAddRouteToDest(reg, h, &d, &rb.i, INFINITE, list, 0, NULL,
				 &cf);
}

/*
 * The routes of @list, in order, through a list enumeration read @batch
 * at a time; returns the count (or -1 on an error).  Releases them.
 */
static int list_contents(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE list,
			 UINT batch, RTM_ROUTE_HANDLE *out, int max)
{
	RTM_ROUTE_HANDLE buf[16];
	RTM_ENUM_HANDLE en = NULL;
	int total = 0, i;
	UINT n;

	if (RtmCreateRouteListEnum(reg, list, &en) != NO_ERROR)
		return -1;
	for (;;) {
		n = batch;
		if (RtmGetListEnumRoutes(reg, en, &n, buf) != NO_ERROR) {
			total = -1;
			break;
		}
		for (i = 0; i < (int)n && total < max; i++)
			out[total++] = buf[i];
		RtmReleaseRoutes(reg, n, buf);
		if (n < batch)
			break;
	}
	if (RtmDeleteEnumHandle(reg, en) != NO_ERROR)
		return -1;
	return total;
}

FIXTURE(ls) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa;
	RTM_NEXTHOP_HANDLE na, nb;
	RTM_ROUTE_HANDLE r[NR];
	RTM_ROUTE_LIST_HANDLE l1, l2;
};

FIXTURE_SETUP(ls)
{
	int i;

	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET, &self->a,
					      &self->pa));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_B, 1, AF_INET, &self->b,
					      NULL));
	ASSERT_EQ(NO_ERROR, add_nh(self->a, 0, 1, 1, &self->na));
	ASSERT_EQ(NO_ERROR, add_nh(self->b, 1, 1, 11, &self->nb));
	for (i = 0; i < NR; i++) {
		self->r[i] = NULL;
		ASSERT_EQ(NO_ERROR, add_r(self->a, self->na, i, NULL,
					  &self->r[i]));
	}
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->a, &self->l1));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->a, &self->l2));
	ASSERT_NE(NULL, self->l1);
	ASSERT_NE(self->l1, self->l2);
}

FIXTURE_TEARDOWN(ls)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

#define EXPECT_LIST(list, ...) do {					\
	RTM_ROUTE_HANDLE want_[] = { __VA_ARGS__ };			\
	RTM_ROUTE_HANDLE got_[NR + 2];					\
	int n_ = (int)(sizeof(want_) / sizeof(want_[0])), i_;		\
	EXPECT_EQ(n_, list_contents(self->a, (list), 4, got_, NR + 2));	\
	for (i_ = 0; i_ < n_; i_++)					\
		EXPECT_EQ(want_[i_], got_[i_]);				\
} while (0)

#define EXPECT_LIST_EMPTY(list) do {					\
	RTM_ROUTE_HANDLE got_[NR + 2];					\
	EXPECT_EQ(0, list_contents(self->a, (list), 4, got_, NR + 2));	\
} while (0)

/* ---------------------------------------------------------------------- */
/* RtmCreateRouteList, RtmDeleteRouteList (3.19, 3.23)                     */
/* ---------------------------------------------------------------------- */

TEST_F(ls, create_list_bad_arguments)
{
	RTM_ROUTE_LIST_HANDLE l = POISON;

	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmCreateRouteList(self->a, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmCreateRouteList(NULL, &l));
	EXPECT_EQ(POISON, l);
}

TEST_F(ls, new_list_is_empty)
{
	EXPECT_LIST_EMPTY(self->l1);
}

TEST_F(ls, delete_list_keeps_routes_and_invalidates_handle)
{
	long long n0 = (long long)stats().routes, r0 = refs();
	RTM_ROUTE_HANDLE one = self->r[0];
	RTM_ENUM_HANDLE en = NULL;
	union {
		RTM_ROUTE_INFO i;
		unsigned char b[RTM_SIZE_OF_ROUTE_INFO(2)];
	} ri;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 2,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteList(self->a, self->l1));
	EXPECT_EQ(n0, (long long)stats().routes);
	EXPECT_EQ(r0, refs());
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, self->r[0], &ri.i, NULL));
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, ri.i.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &ri.i));

	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteList(self->a, self->l1));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, self->l1, 1, &one));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteListEnum(self->a, self->l1, &en));
	EXPECT_EQ(NULL, en);
	/* The routes are free to join another list. */
	EXPECT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l2, 1, &one));
	EXPECT_LIST(self->l2, self->r[0]);
}

TEST_F(ls, delete_list_bad_handles)
{
	RTM_ROUTE_LIST_HANDLE lb = NULL;

	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteList(self->a,
							   FORGED_LIST));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteList(self->a, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmDeleteRouteList(self->a,
				     (RTM_ROUTE_LIST_HANDLE)self->r[0]));
	/* Another registration's list. */
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteRouteList(self->a, lb));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
}

/* ---------------------------------------------------------------------- */
/* RtmInsertInRouteList (3.20)                                             */
/* ---------------------------------------------------------------------- */

TEST_F(ls, insert_keeps_insertion_order)
{
	RTM_ROUTE_HANDLE batch[2] = { self->r[3], self->r[1] };
	long long r0 = refs();

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 2, batch));
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 &self->r[2]));
	/* Inserting consumes no reference. */
	EXPECT_EQ(r0, refs());
	EXPECT_LIST(self->l1, self->r[3], self->r[1], self->r[2]);
	/* Reinserting moves a route to the tail. */
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 &self->r[3]));
	EXPECT_LIST(self->l1, self->r[1], self->r[2], self->r[3]);
	EXPECT_EQ(r0, refs());
	/* Zero routes: nothing happens. */
	EXPECT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 0, NULL));
	EXPECT_LIST(self->l1, self->r[1], self->r[2], self->r[3]);
}

TEST_F(ls, insert_moves_between_lists)
{
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 3,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l2, 1,
						 &self->r[1]));
	EXPECT_LIST(self->l1, self->r[0], self->r[2]);
	EXPECT_LIST(self->l2, self->r[1]);
}

TEST_F(ls, insert_null_list_removes)
{
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 3,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, NULL, 2, self->r));
	EXPECT_LIST(self->l1, self->r[2]);
	/* A route on no list: removing it again is fine. */
	EXPECT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, NULL, 1, self->r));
	EXPECT_LIST(self->l1, self->r[2]);
}

TEST_F(ls, insert_other_entity_route_denied_nothing_changes)
{
	RTM_ROUTE_HANDLE rb = NULL, batch[3];

	ASSERT_EQ(NO_ERROR, add_r(self->b, self->nb, 40, NULL, &rb));
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 &self->r[0]));
	batch[0] = self->r[1];
	batch[1] = rb;
	batch[2] = self->r[0];
	EXPECT_EQ(ERROR_ACCESS_DENIED,
		  RtmInsertInRouteList(self->a, self->l2, 3, batch));
	EXPECT_LIST(self->l1, self->r[0]);
	EXPECT_LIST_EMPTY(self->l2);
	/* B cannot put A's routes on its own list either. */
	{
		RTM_ROUTE_LIST_HANDLE lb = NULL;

		ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
		EXPECT_EQ(ERROR_ACCESS_DENIED,
			  RtmInsertInRouteList(self->b, lb, 1, &self->r[0]));
		EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
	}
	EXPECT_LIST(self->l1, self->r[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &rb));
}

TEST_F(ls, insert_invalid_or_deleted_route_nothing_changes)
{
	RTM_ROUTE_HANDLE batch[2], keep = self->r[2];
	RTM_ROUTE_LIST_HANDLE lb = NULL;
	DWORD cf;

	batch[0] = self->r[0];
	batch[1] = FORGED_ROUTE;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, self->l1, 2, batch));
	batch[1] = NULL;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, self->l1, 2, batch));
	batch[1] = (RTM_ROUTE_HANDLE)self->na;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, self->l1, 2, batch));
	EXPECT_LIST_EMPTY(self->l1);

	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, self->r[2], &cf));
	self->r[2] = NULL;
	batch[1] = keep;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, self->l1, 2, batch));
	EXPECT_LIST_EMPTY(self->l1);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &keep));

	/* A bad list handle, and another registration's list. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, FORGED_LIST, 1, self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInsertInRouteList(self->a, lb, 1, self->r));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmInsertInRouteList(self->a, self->l1, 1, NULL));
	EXPECT_LIST_EMPTY(self->l1);
}

/* Deleting a route takes it off its list at once. */
TEST_F(ls, deleted_route_leaves_its_list)
{
	DWORD cf;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 3,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, self->r[1], &cf));
	self->r[1] = NULL;
	EXPECT_LIST(self->l1, self->r[0], self->r[2]);
}

/* ---------------------------------------------------------------------- */
/* RtmAddRouteToDest / RtmUpdateAndUnlockRoute with a RouteListHandle      */
/* ---------------------------------------------------------------------- */

TEST_F(ls, add_route_with_list_handle)
{
	RTM_ROUTE_HANDLE h = NULL, h2;
	RTM_ROUTE_LIST_HANDLE lb = NULL;
	long long n0 = (long long)stats().routes;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 &self->r[0]));
	ASSERT_EQ(NO_ERROR, add_r(self->a, self->na, 30, self->l1, &h));
	EXPECT_LIST(self->l1, self->r[0], h);
	/* An update with a NULL list leaves the membership alone. */
	h2 = h;
	ASSERT_EQ(NO_ERROR, add_r(self->a, self->na, 30, NULL, &h2));
	EXPECT_EQ(h, h2);
	EXPECT_LIST(self->l1, self->r[0], h);
	/* An update with another list moves it there. */
	ASSERT_EQ(NO_ERROR, add_r(self->a, self->na, 30, self->l2, &h2));
	EXPECT_LIST(self->l1, self->r[0]);
	EXPECT_LIST(self->l2, h);

	/* Another registration's list: ERROR_INVALID_HANDLE, nothing added. */
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	h2 = NULL;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  add_r(self->a, self->na, 31, lb, &h2));
	EXPECT_EQ(NULL, h2);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  add_r(self->a, self->na, 31, FORGED_LIST, &h2));
	EXPECT_EQ(n0 + 1, (long long)stats().routes);
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
}

TEST_F(ls, update_and_unlock_moves_route_to_list)
{
	PRTM_ROUTE_INFO p = NULL;
	RTM_ROUTE_LIST_HANDLE lb = NULL;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 2,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, self->r[0], TRUE, TRUE, &p));
	p->PrefInfo.Metric = 3;
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, self->r[0],
						    INFINITE, self->l2, 0,
						    NULL, &cf));
	EXPECT_LIST(self->l1, self->r[1]);
	EXPECT_LIST(self->l2, self->r[0]);
	/* NULL leaves it where it is. */
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, self->r[0], TRUE, TRUE, &p));
	ASSERT_EQ(NO_ERROR, RtmUpdateAndUnlockRoute(self->a, self->r[0],
						    INFINITE, NULL, 0, NULL,
						    &cf));
	EXPECT_LIST(self->l2, self->r[0]);
	/* Another registration's list: invalid, the route stays locked. */
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	ASSERT_EQ(NO_ERROR, RtmLockRoute(self->a, self->r[0], TRUE, TRUE, &p));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmUpdateAndUnlockRoute(self->a, self->r[0], INFINITE, lb,
					  0, NULL, &cf));
	EXPECT_EQ(NO_ERROR, RtmLockRoute(self->a, self->r[0], TRUE, FALSE,
					 NULL));
	EXPECT_LIST(self->l2, self->r[0]);
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
}

/* ---------------------------------------------------------------------- */
/* RtmCreateRouteListEnum, RtmGetListEnumRoutes (3.21, 3.22)               */
/* ---------------------------------------------------------------------- */

TEST_F(ls, list_enum_end_is_no_error_with_fewer_then_zero)
{
	RTM_ROUTE_HANDLE buf[8];
	RTM_ENUM_HANDLE en = NULL;
	long long r0, e0 = (long long)stats().enums;
	UINT n;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 3,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(self->a, self->l1, &en));
	ASSERT_NE(NULL, en);
	EXPECT_EQ(e0 + 1, (long long)stats().enums);
	r0 = refs();
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	ASSERT_EQ(2, n);
	EXPECT_EQ(self->r[0], buf[0]);
	EXPECT_EQ(self->r[1], buf[1]);
	/* Each handle carries a reference. */
	EXPECT_EQ(r0 + 2, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	ASSERT_EQ(1, n);
	EXPECT_EQ(self->r[2], buf[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	EXPECT_EQ(0, n);
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	EXPECT_EQ(0, n);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(e0, (long long)stats().enums);
}

TEST_F(ls, list_enum_capacity_over_max_invalid)
{
	RTM_ROUTE_HANDLE *buf;
	RTM_ENUM_HANDLE en = NULL;
	long long r0 = refs();
	UINT n, max = self->pa.MaxHandlesInEnum;

	buf = calloc(max + 1, sizeof(*buf));
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 2,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(self->a, self->l1, &en));
	n = max + 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetListEnumRoutes(self->a, en, &n, buf));
	EXPECT_EQ(r0, refs());
	/* Nothing was consumed: the full capacity returns both. */
	n = max;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	EXPECT_EQ(2, n);
	EXPECT_EQ(self->r[0], buf[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	free(buf);
}

TEST_F(ls, list_enum_bad_handles)
{
	RTM_ENUM_HANDLE en = POISON, den = NULL;
	RTM_ROUTE_HANDLE buf[2];
	RTM_ROUTE_LIST_HANDLE lb = NULL;
	UINT n = 1;

	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteListEnum(self->a, FORGED_LIST, &en));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteListEnum(self->a, lb, &en));
	EXPECT_EQ(POISON, en);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteListEnum(self->a, self->l1, NULL));
	/* A destination enumeration is not a list enumeration. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, RTM_ENUM_ALL_DESTS,
					      NULL, RTM_BEST_PROTOCOL, &den));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetListEnumRoutes(self->a, den, &n, buf));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, den));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
}

/*
 * Microsoft's sample pattern: read a batch, then move (or delete) each
 * route it returned, and go on.  Every route is seen exactly once.
 */
TEST_F(ls, list_enum_survives_moves_and_deletes)
{
	RTM_ROUTE_HANDLE buf[2], seen[NR];
	RTM_ENUM_HANDLE en = NULL;
	long long r0 = refs();
	int total = 0, i;
	UINT n;
	DWORD cf;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, NR,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(self->a, self->l1, &en));
	do {
		n = 2;
		ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
		for (i = 0; i < (int)n; i++) {
			ASSERT_LT(total, NR);
			seen[total++] = buf[i];
			if (buf[i] == self->r[1] || buf[i] == self->r[4]) {
				/* Delete it (consumes our enum reference). */
				ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(
						self->a, buf[i], &cf));
			} else {
				ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(
						self->a, self->l2, 1,
						&buf[i]));
				ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(
						self->a, 1, &buf[i]));
			}
		}
	} while (n == 2);
	EXPECT_EQ(NR, total);
	for (i = 0; i < NR && i < total; i++)
		EXPECT_EQ(self->r[i], seen[i]);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	/*
	 * The deletes consumed the enumeration's references; the fixture
	 * still holds its own on the deleted r1 and r4.
	 */
	EXPECT_EQ(r0, refs());
	EXPECT_LIST_EMPTY(self->l1);
	EXPECT_LIST(self->l2, seen[0], seen[2], seen[3], seen[5]);
}

/* Routes added to the list behind the cursor are returned too. */
TEST_F(ls, list_enum_sees_routes_appended_later)
{
	RTM_ROUTE_HANDLE buf[4];
	RTM_ENUM_HANDLE en = NULL;
	UINT n;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 2,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(self->a, self->l1, &en));
	n = 1;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	ASSERT_EQ(1, n);
	EXPECT_EQ(self->r[0], buf[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 &self->r[5]));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	ASSERT_EQ(2, n);
	EXPECT_EQ(self->r[1], buf[0]);
	EXPECT_EQ(self->r[5], buf[1]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
}

TEST_F(ls, list_enum_after_list_deleted_returns_zero)
{
	RTM_ROUTE_HANDLE buf[4];
	RTM_ENUM_HANDLE en = NULL;
	long long r0 = refs(), e0 = (long long)stats().enums;
	UINT n;

	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 3,
						 self->r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(self->a, self->l1, &en));
	n = 1;
	ASSERT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	ASSERT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, buf));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteList(self->a, self->l1));
	n = 4;
	buf[0] = POISON;
	EXPECT_EQ(NO_ERROR, RtmGetListEnumRoutes(self->a, en, &n, buf));
	EXPECT_EQ(0, n);
	EXPECT_EQ(r0, refs());
	/* The enumeration must still be deleted. */
	EXPECT_EQ(e0 + 1, (long long)stats().enums);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(e0, (long long)stats().enums);
}

/* Deregistration frees lists and list enumerations. */
TEST_F(ls, deregister_frees_lists_and_enums)
{
	struct rtm_stats st0 = stats();
	RTM_ENTITY_HANDLE c = NULL;
	RTM_ROUTE_LIST_HANDLE lc = NULL;
	RTM_ENUM_HANDLE en = NULL;
	RTM_NEXTHOP_HANDLE nc = NULL;
	RTM_ROUTE_HANDLE rc = NULL;

	ASSERT_EQ(NO_ERROR, rtm_test_register(20, 1, AF_INET, &c, NULL));
	ASSERT_EQ(NO_ERROR, add_nh(c, 2, 1, 21, &nc));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(c, &lc));
	ASSERT_EQ(NO_ERROR, add_r(c, nc, 50, lc, &rc));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteListEnum(c, lc, &en));
	EXPECT_EQ(st0.enums + 1, stats().enums);
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	EXPECT_EQ(st0.enums, stats().enums);
	EXPECT_EQ(st0.routes, stats().routes);
	EXPECT_EQ(st0.handle_refs, stats().handle_refs);
	/* A's lists are untouched. */
	ASSERT_EQ(NO_ERROR, RtmInsertInRouteList(self->a, self->l1, 1,
						 self->r));
	EXPECT_LIST(self->l1, self->r[0]);
}

TEST_HARNESS_MAIN
