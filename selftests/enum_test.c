// SPDX-License-Identifier: GPL-2.0
/*
 * enum_test - destination, route and next-hop enumerations (spec part 2,
 * sections 2.16 and 3.1-3.10): RtmCreateDestEnum, RtmGetEnumDests,
 * RtmReleaseDests, RtmCreateRouteEnum, RtmGetEnumRoutes, RtmReleaseRoutes,
 * RtmCreateNextHopEnum, RtmGetEnumNextHops, RtmReleaseNextHops and
 * RtmDeleteEnumHandle.
 *
 * Every test registers two entities of table (instance 0, AF_INET):
 * A (protocol 8) and B (protocol 13), A first.  Results are compared as
 * strings ("10.0.0.0/8 10.0.0.0/16 ...", or route/next-hop names) so that
 * a failure shows the whole sequence.  Reference counts are checked with
 * the module-wide handle_refs counter, against its value before the step.
 */
/*
 * The 6.1 harness leaves parameters unused, and the Win32 codes are int
 * constants compared with DWORD results.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <stdint.h>
#include <time.h>

#define PROTO_A		8
#define PROTO_B		13
#define MAX_NH		32	/* room for any profile's MaxNextHopsInRoute */
#define BOGUS_ROUTE	((HANDLE)0x3000000012345678ULL)
#define BOGUS		((HANDLE)0x0badc0dedeadbeefULL)

/* A route information buffer with room for MAX_NH next hops. */
typedef union {
	RTM_ROUTE_INFO ri;
	char bytes[RTM_SIZE_OF_ROUTE_INFO(MAX_NH)];
} route_buf;

static __u64 refs_now(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return ~0ULL;
	return st.handle_refs;
}

static __u64 enums_now(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return ~0ULL;
	return st.enums;
}

/* "a.b.c.d/len" in one of a few rotating buffers. */
static const char *pfx(const RTM_NET_ADDRESS *a)
{
	static char bufs[8][24];
	static unsigned int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%u.%u.%u.%u/%u", a->AddrBits[0],
		 a->AddrBits[1], a->AddrBits[2], a->AddrBits[3], a->NumBits);
	return b;
}

static void append(char *out, size_t size, const char *word)
{
	size_t len = strlen(out);

	snprintf(out + len, size - len, "%s%s", len ? " " : "", word);
}

/* The route contents used by every add: no next hops unless given. */
static void ri_init(route_buf *b, ULONG pref, ULONG metric,
		    RTM_VIEW_SET views)
{
	memset(b, 0, sizeof(*b));
	b->ri.PrefInfo.Preference = pref;
	b->ri.PrefInfo.Metric = metric;
	b->ri.BelongsToViews = views;
}

/* A new route (ChangeFlags NEW), returned with a reference, or NULL. */
static RTM_ROUTE_HANDLE add_route_ri(RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS d,
				     route_buf *b)
{
	RTM_ROUTE_CHANGE_FLAGS cf = RTM_ROUTE_CHANGE_NEW;
	RTM_ROUTE_HANDLE rh = NULL;

	if (RtmAddRouteToDest(h, &rh, &d, &b->ri, INFINITE, NULL, 0, NULL,
			      &cf) != NO_ERROR)
		return NULL;
	return rh;
}

static RTM_ROUTE_HANDLE add_route(RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS d,
				  ULONG pref, ULONG metric,
				  RTM_VIEW_SET views)
{
	route_buf b;

	ri_init(&b, pref, metric, views);
	return add_route_ri(h, d, &b);
}

/* Change the metric of route @r of @h in place (mode (a) of 7.1). */
static DWORD set_metric(RTM_ENTITY_HANDLE h, RTM_ROUTE_HANDLE r, ULONG pref,
			ULONG metric, RTM_VIEW_SET views)
{
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	route_buf b;

	ri_init(&b, pref, metric, views);
	return RtmAddRouteToDest(h, &r, NULL, &b.ri, INFINITE, NULL, 0, NULL,
				 &cf);
}

static RTM_NEXTHOP_HANDLE add_nh_len(RTM_ENTITY_HANDLE h,
				     RTM_NET_ADDRESS addr, ULONG ifindex)
{
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_NEXTHOP_INFO ni;

	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = addr;
	ni.InterfaceIndex = ifindex;
	if (RtmAddNextHop(h, &ni, &nh, NULL) != NO_ERROR)
		return NULL;
	return nh;
}

static RTM_NEXTHOP_HANDLE add_nh(RTM_ENTITY_HANDLE h, unsigned int a,
				 unsigned int b, unsigned int c,
				 unsigned int d, ULONG ifindex)
{
	return add_nh_len(h, rtm_test_v4(a, b, c, d, 32), ifindex);
}

static ULONGLONG ft_value(FILETIME f)
{
	return (ULONGLONG)f.dwHighDateTime << 32 | f.dwLowDateTime;
}

static ULONGLONG ft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (ULONGLONG)ts.tv_sec * 10000000ULL + ts.tv_nsec / 100 +
	       116444736000000000ULL;
}

/* A name for each handle a test wants to recognise in its results. */
struct name {
	HANDLE h;
	const char *name;
};

static const char *name_of(const struct name *names, HANDLE h)
{
	for (; names && names->name; names++)
		if (names->h == h)
			return names->name;
	return "?";
}

/*
 * Drain a destination enumeration in batches of @batch, checking the end
 * rule of 2.16 on every call (a full batch is NO_ERROR, a short one
 * ERROR_NO_MORE_ITEMS, and one more call gives ERROR_NO_MORE_ITEMS with 0
 * items), releasing every batch.  @out gets the prefixes in order.
 */
static void drain_dests(struct __test_metadata *_metadata,
			RTM_ENTITY_HANDLE h, RTM_ENUM_HANDLE e, UINT batch,
			UINT nviews, char *out, size_t size)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(nviews);
	char *buf = calloc(batch ? batch : 1, stride);
	DWORD ret;
	UINT n, i, calls = 0;

	ASSERT_NE(NULL, buf);
	out[0] = 0;
	do {
		n = batch;
		ret = RtmGetEnumDests(h, e, &n, (PRTM_DEST_INFO)buf);
		ASSERT_LE(n, batch);
		if (n == batch) {
			ASSERT_EQ(NO_ERROR, ret);
		} else {
			ASSERT_EQ(ERROR_NO_MORE_ITEMS, ret);
		}
		for (i = 0; i < n; i++)
			append(out, size, pfx(&((PRTM_DEST_INFO)
					       (buf + i * stride))->DestAddress));
		ASSERT_EQ(NO_ERROR, RtmReleaseDests(h, n, (PRTM_DEST_INFO)buf));
		ASSERT_LT(++calls, 100000);
	} while (ret == NO_ERROR);
	n = batch;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(h, e, &n,
						       (PRTM_DEST_INFO)buf));
	EXPECT_EQ(0, n);
	free(buf);
}

/* The same for route and next-hop enumerations; @out gets the names. */
static void drain_handles(struct __test_metadata *_metadata,
			  RTM_ENTITY_HANDLE h, RTM_ENUM_HANDLE e, UINT batch,
			  bool routes, const struct name *names, char *out,
			  size_t size)
{
	HANDLE *buf = calloc(batch ? batch : 1, sizeof(HANDLE));
	DWORD ret;
	UINT n, i, calls = 0;

	ASSERT_NE(NULL, buf);
	out[0] = 0;
	do {
		n = batch;
		ret = routes ? RtmGetEnumRoutes(h, e, &n, buf) :
			       RtmGetEnumNextHops(h, e, &n, buf);
		ASSERT_LE(n, batch);
		if (n == batch) {
			ASSERT_EQ(NO_ERROR, ret);
		} else {
			ASSERT_EQ(ERROR_NO_MORE_ITEMS, ret);
		}
		for (i = 0; i < n; i++)
			append(out, size, name_of(names, buf[i]));
		ASSERT_EQ(NO_ERROR, routes ? RtmReleaseRoutes(h, n, buf) :
					     RtmReleaseNextHops(h, n, buf));
		ASSERT_LT(++calls, 100000);
	} while (ret == NO_ERROR);
	n = batch;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  routes ? RtmGetEnumRoutes(h, e, &n, buf) :
			   RtmGetEnumNextHops(h, e, &n, buf));
	EXPECT_EQ(0, n);
	free(buf);
}

FIXTURE(en) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa, pb;
	UINT max;		/* A's MaxHandlesInEnum */
	char got[4096];
};

FIXTURE_SETUP(en)
{
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_A, 1, AF_INET, &self->a,
					      &self->pa));
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO_B, 1, AF_INET, &self->b,
					      &self->pb));
	self->max = self->pa.MaxHandlesInEnum;
	ASSERT_GE(self->max, 4);
	ASSERT_EQ(2, self->pa.NumberOfViews);
}

FIXTURE_TEARDOWN(en)
{
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
}

/* Drain a new START dest enumeration of @h with batch @batch. */
#define DESTS(h, views, flags, addr, proto, batch) do {			\
	RTM_ENUM_HANDLE e_ = NULL;					\
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(h, views, flags, addr,	\
					      proto, &e_));		\
	drain_dests(_metadata, h, e_, batch, 2, self->got,		\
		    sizeof(self->got));					\
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(h, e_));		\
} while (0)

#define ROUTES(h, dest, views, flags, addr, match, crit, ifx, batch, names) \
do {									\
	RTM_ENUM_HANDLE e_ = NULL;					\
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(h, dest, views, flags,	\
					       addr, match, crit, ifx,	\
					       &e_));			\
	drain_handles(_metadata, h, e_, batch, true, names, self->got,	\
		      sizeof(self->got));				\
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(h, e_));		\
} while (0)

#define NEXTHOPS(h, flags, addr, batch, names) do {			\
	RTM_ENUM_HANDLE e_ = NULL;					\
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(h, flags, addr, &e_));	\
	drain_handles(_metadata, h, e_, batch, false, names, self->got,	\
		      sizeof(self->got));				\
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(h, e_));		\
} while (0)

/* The spec's example (2.16) and a few more, added out of order. */
static void add_order_dests(struct __test_metadata *_metadata,
			    RTM_ENTITY_HANDLE h)
{
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(192, 168, 1, 0, 24), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(11, 0, 0, 0, 8), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(10, 1, 0, 0, 16), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(128, 0, 0, 0, 1), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(10, 0, 0, 128, 25), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(10, 0, 0, 0, 16), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(0, 0, 0, 0, 0), 10, 1, 1));
	ASSERT_NE(NULL, add_route(h, rtm_test_v4(10, 0, 0, 0, 8), 10, 1, 1));
}

#define ORDER_ALL "0.0.0.0/0 10.0.0.0/8 10.0.0.0/16 10.0.0.128/25 " \
		  "10.1.0.0/16 11.0.0.0/8 128.0.0.0/1 192.168.1.0/24"

/* The four prefixes of the spec's example. */
static void add_four(struct __test_metadata *_metadata, RTM_ENTITY_HANDLE h,
		     RTM_ROUTE_HANDLE *r)
{
	r[3] = add_route(h, rtm_test_v4(11, 0, 0, 0, 8), 10, 1, 1);
	r[2] = add_route(h, rtm_test_v4(10, 1, 0, 0, 16), 10, 1, 1);
	r[1] = add_route(h, rtm_test_v4(10, 0, 0, 0, 16), 10, 1, 1);
	r[0] = add_route(h, rtm_test_v4(10, 0, 0, 0, 8), 10, 1, 1);
	ASSERT_NE(NULL, r[0]);
	ASSERT_NE(NULL, r[1]);
	ASSERT_NE(NULL, r[2]);
	ASSERT_NE(NULL, r[3]);
}

#define FOUR "10.0.0.0/8 10.0.0.0/16 10.1.0.0/16 11.0.0.0/8"

/* ---------------------------------------------------------------------- */
/* Destination order, end of enumeration, batch sizes                      */
/* ---------------------------------------------------------------------- */

TEST_F(en, dest_order_by_address_then_length)
{
	add_order_dests(_metadata, self->a);
	DESTS(self->a, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL,
	      RTM_BEST_PROTOCOL, self->max);
	EXPECT_STREQ(ORDER_ALL, self->got);
	/* Batches of one give the same order. */
	DESTS(self->a, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL,
	      RTM_BEST_PROTOCOL, 1);
	EXPECT_STREQ(ORDER_ALL, self->got);
}

TEST_F(en, dest_spec_example_order)
{
	RTM_ROUTE_HANDLE r[4];

	add_four(_metadata, self->a, r);
	DESTS(self->a, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL,
	      RTM_BEST_PROTOCOL, 3);
	EXPECT_STREQ(FOUR, self->got);
}

/* Full batches are NO_ERROR even when nothing is left. */
TEST_F(en, end_rule_exact_multiple)
{
	char buf[2 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, RTM_ENUM_START,
					      NULL, 0, &e));
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(2, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(2, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(0, n);
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/* A short batch is ERROR_NO_MORE_ITEMS with its items, referenced. */
TEST_F(en, end_rule_short_batch_has_items)
{
	char buf[3 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, RTM_ENUM_START,
					      NULL, 0, &e));
	n = 3;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(3, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	refs = refs_now();
	n = 3;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("11.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_NE(NULL, di->DestHandle);
	/* TargetViews 0: only the DestHandle is referenced. */
	EXPECT_EQ(0, di->NumberOfViews);
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(refs, refs_now());
	n = 3;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(0, n);
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, empty_table_ends_at_once)
{
	DESTS(self->a, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, 0, self->max);
	EXPECT_STREQ("", self->got);
	ROUTES(self->a, NULL, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL,
	       RTM_MATCH_NONE, NULL, 0, self->max, NULL);
	EXPECT_STREQ("", self->got);
	NEXTHOPS(self->a, RTM_ENUM_START, NULL, self->max, NULL);
	EXPECT_STREQ("", self->got);
}

/* A request of 0: NO_ERROR, 0 items, and the cursor does not move. */
TEST_F(en, request_zero_keeps_cursor)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_NEXTHOP_HANDLE n1, n2, nh;
	RTM_ROUTE_HANDLE r[4], rh;
	RTM_ENUM_HANDLE ed, er, en;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	n1 = add_nh(self->a, 10, 0, 0, 1, 1);
	n2 = add_nh(self->a, 10, 0, 0, 2, 1);
	ASSERT_NE(NULL, n1);
	ASSERT_NE(NULL, n2);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	refs = refs_now();

	/* Before the first item. */
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_EQ(0, n);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &rh));
	EXPECT_EQ(0, n);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, en, &n, &nh));
	EXPECT_EQ(0, n);
	EXPECT_EQ(refs, refs_now());

	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &rh));
	EXPECT_EQ(r[0], rh);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, &rh));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, en, &n, &nh));
	EXPECT_EQ(n1, nh);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, n, &nh));

	/* In the middle. */
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_EQ(0, n);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &rh));
	EXPECT_EQ(0, n);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, en, &n, &nh));
	EXPECT_EQ(0, n);
	EXPECT_EQ(refs, refs_now());

	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_STREQ("10.0.0.0/16", pfx(&di->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &rh));
	EXPECT_EQ(r[1], rh);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, &rh));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, en, &n, &nh));
	EXPECT_EQ(n2, nh);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, n, &nh));
	EXPECT_EQ(refs, refs_now());

	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
}

/* More than MaxHandlesInEnum: ERROR_INVALID_PARAMETER, *Num 0, no move. */
TEST_F(en, request_above_max_is_invalid)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(2);
	UINT big = self->max + 1, n;
	RTM_NEXTHOP_HANDLE n1, *hb;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE ed, er, en;
	char *db;
	__u64 refs;

	add_four(_metadata, self->a, r);
	n1 = add_nh(self->a, 10, 0, 0, 1, 1);
	ASSERT_NE(NULL, n1);
	db = calloc(big, stride);
	hb = calloc(big, sizeof(HANDLE));
	ASSERT_NE(NULL, db);
	ASSERT_NE(NULL, hb);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	refs = refs_now();

	n = big;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetEnumDests(self->a, ed, &n, (PRTM_DEST_INFO)db));
	EXPECT_EQ(0, n);
	n = big;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumRoutes(self->a, er, &n, hb));
	EXPECT_EQ(0, n);
	n = big;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetEnumNextHops(self->a, en, &n, hb));
	EXPECT_EQ(0, n);
	n = 0xffffffff;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumRoutes(self->a, er, &n, hb));
	EXPECT_EQ(0, n);
	EXPECT_EQ(refs, refs_now());

	/* Nothing was consumed: MaxHandlesInEnum itself is accepted. */
	n = self->max;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetEnumDests(self->a, ed, &n, (PRTM_DEST_INFO)db));
	EXPECT_EQ(4, n);
	EXPECT_STREQ("10.0.0.0/8", pfx(&((PRTM_DEST_INFO)db)->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, (PRTM_DEST_INFO)db));
	n = self->max;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumRoutes(self->a, er, &n, hb));
	EXPECT_EQ(4, n);
	EXPECT_EQ(r[0], hb[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, hb));
	n = self->max;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumNextHops(self->a, en, &n, hb));
	EXPECT_EQ(1, n);
	EXPECT_EQ(n1, hb[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, n, hb));
	EXPECT_EQ(refs, refs_now());

	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	free(db);
	free(hb);
}

/* ---------------------------------------------------------------------- */
/* START / NEXT / RANGE                                                    */
/* ---------------------------------------------------------------------- */

TEST_F(en, dest_next_includes_start)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 16);

	add_order_dests(_metadata, self->a);
	DESTS(self->a, 0, RTM_ENUM_NEXT, &at, 0, self->max);
	EXPECT_STREQ("10.0.0.0/16 10.0.0.128/25 10.1.0.0/16 11.0.0.0/8 "
		     "128.0.0.0/1 192.168.1.0/24", self->got);
}

TEST_F(en, dest_next_from_absent_prefix)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 5, 0, 24);

	add_order_dests(_metadata, self->a);
	DESTS(self->a, 0, RTM_ENUM_NEXT, &at, 0, self->max);
	EXPECT_STREQ("10.1.0.0/16 11.0.0.0/8 128.0.0.0/1 192.168.1.0/24",
		     self->got);
	/* Same address as a dest, longer: after it. */
	at = rtm_test_v4(10, 0, 0, 0, 9);
	DESTS(self->a, 0, RTM_ENUM_NEXT, &at, 0, self->max);
	EXPECT_STREQ("10.0.0.0/16 10.0.0.128/25 10.1.0.0/16 11.0.0.0/8 "
		     "128.0.0.0/1 192.168.1.0/24", self->got);
	/* Past the end. */
	at = rtm_test_v4(200, 0, 0, 0, 8);
	DESTS(self->a, 0, RTM_ENUM_NEXT, &at, 0, self->max);
	EXPECT_STREQ("", self->got);
}

/* Bits past NumBits are cleared before the address is used. */
TEST_F(en, dest_next_address_normalized)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 1, 2, 3, 16);

	add_order_dests(_metadata, self->a);
	DESTS(self->a, 0, RTM_ENUM_NEXT, &at, 0, self->max);
	EXPECT_STREQ("10.1.0.0/16 11.0.0.0/8 128.0.0.0/1 192.168.1.0/24",
		     self->got);
}

TEST_F(en, dest_range_prefix_and_subprefixes)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8);

	add_order_dests(_metadata, self->a);
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(9, 0, 0, 0, 8), 1, 1, 1));
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, self->max);
	EXPECT_STREQ("10.0.0.0/8 10.0.0.0/16 10.0.0.128/25 10.1.0.0/16",
		     self->got);
	/* A shorter covering prefix is not inside the range. */
	at = rtm_test_v4(10, 0, 0, 0, 16);
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, 1);
	EXPECT_STREQ("10.0.0.0/16 10.0.0.128/25", self->got);
	at = rtm_test_v4(128, 0, 0, 0, 1);
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, self->max);
	EXPECT_STREQ("128.0.0.0/1 192.168.1.0/24", self->got);
	at = rtm_test_v4(0, 0, 0, 0, 0);
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, self->max);
	EXPECT_STREQ("0.0.0.0/0 9.0.0.0/8 10.0.0.0/8 10.0.0.0/16 "
		     "10.0.0.128/25 10.1.0.0/16 11.0.0.0/8 128.0.0.0/1 "
		     "192.168.1.0/24", self->got);
	/* Nothing inside. */
	at = rtm_test_v4(12, 0, 0, 0, 8);
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, self->max);
	EXPECT_STREQ("", self->got);
	at = rtm_test_v4(10, 0, 0, 1, 32);
	DESTS(self->a, 0, RTM_ENUM_RANGE, &at, 0, self->max);
	EXPECT_STREQ("", self->got);
}

/* With START the address is ignored, even a malformed one. */
TEST_F(en, dest_start_ignores_address)
{
	RTM_NET_ADDRESS at = rtm_test_v4(11, 0, 0, 0, 8);
	RTM_ROUTE_HANDLE r[4];

	add_four(_metadata, self->a, r);
	DESTS(self->a, 0, RTM_ENUM_START, &at, 0, self->max);
	EXPECT_STREQ(FOUR, self->got);
	at.AddressFamily = AF_INET6;
	at.NumBits = 200;
	DESTS(self->a, 0, RTM_ENUM_START, &at, 0, self->max);
	EXPECT_STREQ(FOUR, self->got);
}

/* ---------------------------------------------------------------------- */
/* Views, ViewInfo, stride, ProtocolId, OWN_DESTS                          */
/* ---------------------------------------------------------------------- */

TEST_F(en, dest_viewinfo_contents)
{
	char buf[2 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE ra, rb;
	ULONGLONG before, after, lc;
	RTM_ENUM_HANDLE e;
	route_buf b;
	__u64 refs;
	UINT n;

	before = ft_now() - 20000000ULL;	/* 2 s of clock slack */
	ri_init(&b, 10, 5, RTM_VIEW_MASK_UCAST);
	b.ri.Flags = RTM_ROUTE_FLAGS_LOCAL;
	ra = add_route_ri(self->a, rtm_test_v4(10, 0, 0, 0, 8), &b);
	ri_init(&b, 20, 1, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	b.ri.Flags = RTM_ROUTE_FLAGS_REMOTE;
	rb = add_route_ri(self->b, rtm_test_v4(10, 0, 0, 0, 8), &b);
	ASSERT_NE(NULL, ra);
	ASSERT_NE(NULL, rb);
	after = ft_now() + 20000000ULL;

	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_ALL, 0,
					      NULL, RTM_BEST_PROTOCOL, &e));
	n = 2;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_NE(NULL, di->DestHandle);
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(AF_INET, di->DestAddress.AddressFamily);
	lc = ft_value(di->LastChanged);
	EXPECT_LE(before, lc);
	EXPECT_GE(after, lc);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST,
		  di->BelongsToViews);
	ASSERT_EQ(2, di->NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, di->ViewInfo[0].ViewId);
	EXPECT_EQ(2, di->ViewInfo[0].NumRoutes);
	EXPECT_EQ(ra, di->ViewInfo[0].Route);
	EXPECT_EQ(self->a, di->ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_LOCAL, di->ViewInfo[0].DestFlags);
	EXPECT_EQ(NULL, di->ViewInfo[0].HoldRoute);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di->ViewInfo[1].ViewId);
	EXPECT_EQ(1, di->ViewInfo[1].NumRoutes);
	EXPECT_EQ(rb, di->ViewInfo[1].Route);
	EXPECT_EQ(self->b, di->ViewInfo[1].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE, di->ViewInfo[1].DestFlags);
	EXPECT_EQ(NULL, di->ViewInfo[1].HoldRoute);
	/* DestHandle + 2 x (Route, Owner). */
	EXPECT_EQ(refs + 5, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));

	/* MCAST alone: one ViewInfo, index 0, for view 1. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_MCAST, 0,
					      NULL, RTM_BEST_PROTOCOL, &e));
	n = 2;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST,
		  di->BelongsToViews);
	ASSERT_EQ(1, di->NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di->ViewInfo[0].ViewId);
	EXPECT_EQ(1, di->ViewInfo[0].NumRoutes);
	EXPECT_EQ(rb, di->ViewInfo[0].Route);
	EXPECT_EQ(self->b, di->ViewInfo[0].Owner);
	EXPECT_EQ(refs + 3, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));

	/* UCAST|MCAST is the same as ALL. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 3, 0, NULL, 0, &e));
	n = 2;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	ASSERT_EQ(2, di->NumberOfViews);
	EXPECT_EQ(RTM_VIEW_ID_UCAST, di->ViewInfo[0].ViewId);
	EXPECT_EQ(ra, di->ViewInfo[0].Route);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di->ViewInfo[1].ViewId);
	EXPECT_EQ(rb, di->ViewInfo[1].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));

	/* ANY: no per-view data, only the DestHandle is referenced. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_ANY, 0,
					      NULL, 0, &e));
	n = 2;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, di->NumberOfViews);
	EXPECT_EQ(3, di->BelongsToViews);
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/* A view without a route still gets its (empty) ViewInfo entry. */
TEST_F(en, dest_viewinfo_empty_view)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE ra;
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	ra = add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 10, 1,
		       RTM_VIEW_MASK_UCAST);
	ASSERT_NE(NULL, ra);
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_ALL, 0,
					      NULL, 0, &e));
	memset(buf, 0xa5, sizeof(buf));
	n = 1;
	ASSERT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, di->BelongsToViews);
	ASSERT_EQ(2, di->NumberOfViews);
	EXPECT_EQ(ra, di->ViewInfo[0].Route);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di->ViewInfo[1].ViewId);
	EXPECT_EQ(0, di->ViewInfo[1].NumRoutes);
	EXPECT_EQ(NULL, di->ViewInfo[1].Route);
	EXPECT_EQ(NULL, di->ViewInfo[1].Owner);
	EXPECT_EQ(0, di->ViewInfo[1].DestFlags);
	EXPECT_EQ(NULL, di->ViewInfo[1].HoldRoute);
	EXPECT_EQ(refs + 3, refs_now());
	/* The NULL handles are skipped by the release. */
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, dest_target_views_filter)
{
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 10, 1,
				  RTM_VIEW_MASK_UCAST));
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(11, 0, 0, 0, 8), 10, 1,
				  RTM_VIEW_MASK_MCAST));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(12, 0, 0, 0, 8), 10, 1,
				  RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST));
	DESTS(self->a, RTM_VIEW_MASK_UCAST, 0, NULL, 0, self->max);
	EXPECT_STREQ("10.0.0.0/8 12.0.0.0/8", self->got);
	DESTS(self->a, RTM_VIEW_MASK_MCAST, 0, NULL, 0, self->max);
	EXPECT_STREQ("11.0.0.0/8 12.0.0.0/8", self->got);
	DESTS(self->a, RTM_VIEW_MASK_ANY, 0, NULL, 0, self->max);
	EXPECT_STREQ("10.0.0.0/8 11.0.0.0/8 12.0.0.0/8", self->got);
	DESTS(self->a, RTM_VIEW_MASK_ALL, 0, NULL, 0, self->max);
	EXPECT_STREQ("10.0.0.0/8 11.0.0.0/8 12.0.0.0/8", self->got);
}

/*
 * Elements sit RTM_SIZE_OF_DEST_INFO(profile NumberOfViews) apart (2.4),
 * whatever views were asked for, and RtmReleaseDests reads them there.
 */
TEST_F(en, dest_array_stride_is_profile_views)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(self->pa.NumberOfViews);
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	PRTM_DEST_INFO di;
	char *buf;
	__u64 refs;
	UINT n, i;

	ASSERT_EQ(128, stride);
	add_four(_metadata, self->a, r);
	buf = malloc(5 * stride);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xa5, 5 * stride);
	refs = refs_now();
	/* One view asked for: each element uses 88 of its 128 bytes. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_UCAST, 0,
					      NULL, 0, &e));
	n = 5;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetEnumDests(self->a, e, &n, (PRTM_DEST_INFO)buf));
	ASSERT_EQ(4, n);
	for (i = 0; i < 4; i++) {
		di = (PRTM_DEST_INFO)(buf + i * stride);
		EXPECT_EQ(1, di->NumberOfViews);
		EXPECT_EQ(RTM_VIEW_ID_UCAST, di->ViewInfo[0].ViewId);
		EXPECT_EQ(r[i], di->ViewInfo[0].Route);
		EXPECT_EQ(self->a, di->ViewInfo[0].Owner);
	}
	di = (PRTM_DEST_INFO)buf;
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	di = (PRTM_DEST_INFO)(buf + stride);
	EXPECT_STREQ("10.0.0.0/16", pfx(&di->DestAddress));
	di = (PRTM_DEST_INFO)(buf + 2 * stride);
	EXPECT_STREQ("10.1.0.0/16", pfx(&di->DestAddress));
	di = (PRTM_DEST_INFO)(buf + 3 * stride);
	EXPECT_STREQ("11.0.0.0/8", pfx(&di->DestAddress));
	/* The fifth slot was not written. */
	EXPECT_EQ(0xa5, (unsigned char)buf[4 * stride]);
	EXPECT_EQ(0xa5, (unsigned char)buf[5 * stride - 1]);
	EXPECT_EQ(refs + 12, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, (PRTM_DEST_INFO)buf));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	free(buf);
}

/* ProtocolId chooses the reported route; it never filters dests (2.8). */
TEST_F(en, dest_protocol_selects_reported_route)
{
	char buf[3 * RTM_SIZE_OF_DEST_INFO(2)];
	size_t stride = RTM_SIZE_OF_DEST_INFO(2);
	PRTM_DEST_INFO d0 = (PRTM_DEST_INFO)buf;
	PRTM_DEST_INFO d1 = (PRTM_DEST_INFO)(buf + stride);
	RTM_ROUTE_HANDLE ra, rb, rb11;
	RTM_ENUM_HANDLE e;
	route_buf b;
	UINT n;

	ri_init(&b, 10, 1, RTM_VIEW_MASK_UCAST);
	b.ri.Flags = RTM_ROUTE_FLAGS_LOCAL;
	ra = add_route_ri(self->a, rtm_test_v4(10, 0, 0, 0, 8), &b);
	ri_init(&b, 20, 1, RTM_VIEW_MASK_UCAST);
	b.ri.Flags = RTM_ROUTE_FLAGS_REMOTE;
	rb = add_route_ri(self->b, rtm_test_v4(10, 0, 0, 0, 8), &b);
	rb11 = add_route(self->b, rtm_test_v4(11, 0, 0, 0, 8), 10, 1,
			 RTM_VIEW_MASK_UCAST);
	ASSERT_NE(NULL, ra);
	ASSERT_NE(NULL, rb);
	ASSERT_NE(NULL, rb11);

#define GET_TWO(h, proto) do {						\
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(h, RTM_VIEW_MASK_UCAST, 0,	\
					      NULL, proto, &e));	\
	n = 3;								\
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(h, e, &n, d0));	\
	ASSERT_EQ(2, n);						\
	EXPECT_STREQ("10.0.0.0/8", pfx(&d0->DestAddress));		\
	EXPECT_STREQ("11.0.0.0/8", pfx(&d1->DestAddress));		\
	EXPECT_EQ(2, d0->ViewInfo[0].NumRoutes);			\
	EXPECT_EQ(1, d1->ViewInfo[0].NumRoutes);			\
} while (0)
#define PUT_TWO(h) do {							\
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(h, n, d0));			\
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(h, e));			\
} while (0)

	GET_TWO(self->a, RTM_BEST_PROTOCOL);
	EXPECT_EQ(ra, d0->ViewInfo[0].Route);
	EXPECT_EQ(self->a, d0->ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_LOCAL, d0->ViewInfo[0].DestFlags);
	EXPECT_EQ(rb11, d1->ViewInfo[0].Route);
	PUT_TWO(self->a);

	GET_TWO(self->a, PROTO_B);
	EXPECT_EQ(rb, d0->ViewInfo[0].Route);
	EXPECT_EQ(self->b, d0->ViewInfo[0].Owner);
	EXPECT_EQ(RTM_ROUTE_FLAGS_REMOTE, d0->ViewInfo[0].DestFlags);
	EXPECT_EQ(rb11, d1->ViewInfo[0].Route);
	PUT_TWO(self->a);

	GET_TWO(self->a, RTM_THIS_PROTOCOL);
	EXPECT_EQ(ra, d0->ViewInfo[0].Route);
	EXPECT_EQ(self->a, d0->ViewInfo[0].Owner);
	/* A has no route on 11/8: none reported, the dest still comes. */
	EXPECT_EQ(NULL, d1->ViewInfo[0].Route);
	EXPECT_EQ(NULL, d1->ViewInfo[0].Owner);
	EXPECT_EQ(0, d1->ViewInfo[0].DestFlags);
	PUT_TWO(self->a);

	GET_TWO(self->b, RTM_THIS_PROTOCOL);
	EXPECT_EQ(rb, d0->ViewInfo[0].Route);
	EXPECT_EQ(self->b, d0->ViewInfo[0].Owner);
	EXPECT_EQ(rb11, d1->ViewInfo[0].Route);
	PUT_TWO(self->b);

	GET_TWO(self->a, 99);
	EXPECT_EQ(NULL, d0->ViewInfo[0].Route);
	EXPECT_EQ(NULL, d0->ViewInfo[0].Owner);
	EXPECT_EQ(0, d0->ViewInfo[0].DestFlags);
	EXPECT_EQ(NULL, d1->ViewInfo[0].Route);
	PUT_TWO(self->a);
#undef GET_TWO
#undef PUT_TWO
}

TEST_F(en, dest_own_dests)
{
	RTM_ROUTE_HANDLE rb10;
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ENUM_HANDLE e;
	UINT n;

	/* 10/8: A best.  11/8: B best, A has a worse route.  12/8: B only. */
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 10, 1, 3));
	rb10 = add_route(self->b, rtm_test_v4(10, 0, 0, 0, 8), 20, 1, 3);
	ASSERT_NE(NULL, rb10);
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(11, 0, 0, 0, 8), 10, 1, 3));
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(11, 0, 0, 0, 8), 20, 1, 3));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(12, 0, 0, 0, 8), 10, 1, 3));
	/* 13/8: A best in MCAST only, B best in UCAST. */
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(13, 0, 0, 0, 8), 10, 1,
				  RTM_VIEW_MASK_MCAST));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(13, 0, 0, 0, 8), 10, 1,
				  RTM_VIEW_MASK_UCAST));

	DESTS(self->a, RTM_VIEW_MASK_ALL, RTM_ENUM_OWN_DESTS, NULL, 0, self->max);
	EXPECT_STREQ("10.0.0.0/8 13.0.0.0/8", self->got);
	DESTS(self->a, RTM_VIEW_MASK_UCAST, RTM_ENUM_OWN_DESTS, NULL, 0, 1);
	EXPECT_STREQ("10.0.0.0/8", self->got);
	DESTS(self->a, RTM_VIEW_MASK_MCAST, RTM_ENUM_OWN_DESTS, NULL, 0, 1);
	EXPECT_STREQ("10.0.0.0/8 13.0.0.0/8", self->got);
	/* ANY: every supported view is checked. */
	DESTS(self->a, RTM_VIEW_MASK_ANY, RTM_ENUM_OWN_DESTS, NULL, 0, 1);
	EXPECT_STREQ("10.0.0.0/8 13.0.0.0/8", self->got);
	DESTS(self->b, RTM_VIEW_MASK_ALL, RTM_ENUM_OWN_DESTS, NULL, 0, self->max);
	EXPECT_STREQ("11.0.0.0/8 12.0.0.0/8 13.0.0.0/8", self->got);

	/* Ownership uses the overall best route, whatever ProtocolId says. */
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_UCAST,
					      RTM_ENUM_OWN_DESTS, NULL,
					      PROTO_B, &e));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(rb10, di->ViewInfo[0].Route);
	EXPECT_EQ(self->b, di->ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 1;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, dest_own_dests_with_range)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8);

	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(9, 0, 0, 0, 8), 10, 1, 1));
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 10, 1, 1));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(10, 1, 0, 0, 16), 10, 1, 1));
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(10, 2, 0, 0, 16), 10, 1, 1));
	ASSERT_NE(NULL, add_route(self->a, rtm_test_v4(11, 0, 0, 0, 8), 10, 1, 1));
	DESTS(self->a, 0, RTM_ENUM_RANGE | RTM_ENUM_OWN_DESTS, &at, 0, 1);
	EXPECT_STREQ("10.0.0.0/8 10.2.0.0/16", self->got);
	at = rtm_test_v4(10, 1, 0, 0, 16);
	DESTS(self->a, 0, RTM_ENUM_NEXT | RTM_ENUM_OWN_DESTS, &at, 0, 1);
	EXPECT_STREQ("10.2.0.0/16 11.0.0.0/8", self->got);
}

/* ---------------------------------------------------------------------- */
/* Route enumerations                                                      */
/* ---------------------------------------------------------------------- */

/*
 * By destination, then preference, metric and age (oldest first).  The
 * routes are added in this order: X, A11, Y, Z, W, V, U.
 */
struct order_routes {
	RTM_ROUTE_HANDLE x, a11, y, z, w, v, u;
	struct name names[8];
};

static void add_order_routes(struct __test_metadata *_metadata,
			     RTM_ENTITY_HANDLE a, RTM_ENTITY_HANDLE b,
			     struct order_routes *o)
{
	RTM_NET_ADDRESS d10 = rtm_test_v4(10, 0, 0, 0, 8);

	o->x = add_route(a, d10, 10, 3, 1);
	o->a11 = add_route(a, rtm_test_v4(11, 0, 0, 0, 8), 5, 0, 1);
	o->y = add_route(b, d10, 20, 1, 1);
	o->z = add_route(b, d10, 10, 9, 1);
	o->w = add_route(a, d10, 10, 3, 1);
	o->v = add_route(b, d10, 1, 100, 1);
	o->u = add_route(a, rtm_test_v4(9, 0, 0, 0, 8), 100, 0, 1);
	ASSERT_NE(NULL, o->x);
	ASSERT_NE(NULL, o->a11);
	ASSERT_NE(NULL, o->y);
	ASSERT_NE(NULL, o->z);
	ASSERT_NE(NULL, o->w);
	ASSERT_NE(NULL, o->v);
	ASSERT_NE(NULL, o->u);
	o->names[0] = (struct name){ o->x, "X" };
	o->names[1] = (struct name){ o->a11, "A11" };
	o->names[2] = (struct name){ o->y, "Y" };
	o->names[3] = (struct name){ o->z, "Z" };
	o->names[4] = (struct name){ o->w, "W" };
	o->names[5] = (struct name){ o->v, "V" };
	o->names[6] = (struct name){ o->u, "U" };
	o->names[7] = (struct name){ NULL, NULL };
}

#define ROUTE_ORDER "U V X W Z Y A11"

TEST_F(en, route_order)
{
	struct order_routes o;

	add_order_routes(_metadata, self->a, self->b, &o);
	ROUTES(self->a, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL,
	       RTM_MATCH_NONE, NULL, 0, self->max, o.names);
	EXPECT_STREQ(ROUTE_ORDER, self->got);
	/* The cursor inside a dest survives batch boundaries. */
	ROUTES(self->a, NULL, 0, 0, NULL, 0, NULL, 0, 1, o.names);
	EXPECT_STREQ(ROUTE_ORDER, self->got);
	ROUTES(self->a, NULL, 0, 0, NULL, 0, NULL, 0, 2, o.names);
	EXPECT_STREQ(ROUTE_ORDER, self->got);
	ROUTES(self->a, NULL, 0, 0, NULL, 0, NULL, 0, 3, o.names);
	EXPECT_STREQ(ROUTE_ORDER, self->got);
	/* Another registration sees the same order. */
	ROUTES(self->b, NULL, RTM_VIEW_MASK_ALL, 0, NULL, 0, NULL, 0, 4,
	       o.names);
	EXPECT_STREQ(ROUTE_ORDER, self->got);
}

TEST_F(en, route_enum_of_one_dest)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8);
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	struct order_routes o;
	RTM_NET_ADDRESS other = rtm_test_v4(11, 0, 0, 0, 8);

	add_order_routes(_metadata, self->a, self->b, &o);
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &at, 0, 0, di));
	ROUTES(self->a, di->DestHandle, 0, RTM_ENUM_START, NULL, 0, NULL, 0,
	       2, o.names);
	EXPECT_STREQ("V X W Z Y", self->got);
	/* With a DestHandle the range flags and StartDest are ignored. */
	ROUTES(self->a, di->DestHandle, 0, RTM_ENUM_NEXT, NULL, 0, NULL, 0,
	       self->max, o.names);
	EXPECT_STREQ("V X W Z Y", self->got);
	ROUTES(self->a, di->DestHandle, 0, RTM_ENUM_RANGE, &other, 0, NULL, 0,
	       self->max, o.names);
	EXPECT_STREQ("V X W Z Y", self->got);
	/* Filters still apply. */
	ROUTES(self->a, di->DestHandle, 0, RTM_ENUM_OWN_ROUTES, NULL, 0, NULL,
	       0, self->max, o.names);
	EXPECT_STREQ("X W", self->got);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, di));
}

TEST_F(en, route_next_and_range)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8);
	struct order_routes o;
	RTM_ROUTE_HANDLE r16;
	struct name names[10];

	add_order_routes(_metadata, self->a, self->b, &o);
	r16 = add_route(self->a, rtm_test_v4(10, 0, 0, 0, 16), 1, 1, 1);
	ASSERT_NE(NULL, r16);
	memcpy(names, o.names, sizeof(o.names));
	names[7] = (struct name){ r16, "R16" };
	names[8] = (struct name){ NULL, NULL };

	ROUTES(self->a, NULL, 0, RTM_ENUM_NEXT, &at, 0, NULL, 0, 3, names);
	EXPECT_STREQ("V X W Z Y R16 A11", self->got);
	ROUTES(self->a, NULL, 0, RTM_ENUM_RANGE, &at, 0, NULL, 0, 3, names);
	EXPECT_STREQ("V X W Z Y R16", self->got);
	at = rtm_test_v4(10, 0, 0, 0, 9);
	ROUTES(self->a, NULL, 0, RTM_ENUM_NEXT, &at, 0, NULL, 0, 3, names);
	EXPECT_STREQ("R16 A11", self->got);
	ROUTES(self->a, NULL, 0, RTM_ENUM_RANGE, &at, 0, NULL, 0, 3, names);
	EXPECT_STREQ("R16", self->got);
	at = rtm_test_v4(12, 0, 0, 0, 8);
	ROUTES(self->a, NULL, 0, RTM_ENUM_RANGE, &at, 0, NULL, 0, 3, names);
	EXPECT_STREQ("", self->got);
}

TEST_F(en, route_own_routes)
{
	struct order_routes o;

	add_order_routes(_metadata, self->a, self->b, &o);
	ROUTES(self->a, NULL, 0, RTM_ENUM_OWN_ROUTES, NULL, 0, NULL, 0, 2,
	       o.names);
	EXPECT_STREQ("U X W A11", self->got);
	ROUTES(self->b, NULL, 0, RTM_ENUM_OWN_ROUTES, NULL, 0, NULL, 0, 2,
	       o.names);
	EXPECT_STREQ("V Z Y", self->got);
}

TEST_F(en, route_target_views_filter)
{
	RTM_ROUTE_HANDLE ru, rm, rboth;
	struct name names[4];

	ru = add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 1, 1,
		       RTM_VIEW_MASK_UCAST);
	rm = add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 2, 1,
		       RTM_VIEW_MASK_MCAST);
	rboth = add_route(self->b, rtm_test_v4(11, 0, 0, 0, 8), 1, 1,
			  RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	ASSERT_NE(NULL, ru);
	ASSERT_NE(NULL, rm);
	ASSERT_NE(NULL, rboth);
	names[0] = (struct name){ ru, "U" };
	names[1] = (struct name){ rm, "M" };
	names[2] = (struct name){ rboth, "UM" };
	names[3] = (struct name){ NULL, NULL };
	ROUTES(self->a, NULL, RTM_VIEW_MASK_UCAST, 0, NULL, 0, NULL, 0, 2, names);
	EXPECT_STREQ("U UM", self->got);
	ROUTES(self->a, NULL, RTM_VIEW_MASK_MCAST, 0, NULL, 0, NULL, 0, 2, names);
	EXPECT_STREQ("M UM", self->got);
	ROUTES(self->a, NULL, RTM_VIEW_MASK_ANY, 0, NULL, 0, NULL, 0, 2, names);
	EXPECT_STREQ("U M UM", self->got);
	ROUTES(self->a, NULL, RTM_VIEW_MASK_ALL, 0, NULL, 0, NULL, 0, 2, names);
	EXPECT_STREQ("U M UM", self->got);
}

/*
 * Routes for the matching tests, all on 10/8 except R5 (11/8):
 *   R1  A  neighbour N1  pref 10/1  next hops N1 N2   (ifindex 1, 2)
 *   R2  A  neighbour N2  pref 10/2  next hops N2      (ifindex 2)
 *   R3  A  neighbour -   pref 10/1  next hops N3      (ifindex 3)
 *   R4  B  neighbour -   pref 10/1  no next hop
 *   R5  A  neighbour N1  pref 10/1  next hops N1      (ifindex 1)
 */
struct match_routes {
	RTM_NEXTHOP_HANDLE n1, n2, n3;
	RTM_ROUTE_HANDLE r1, r2, r3, r4, r5;
	struct name names[6];
};

static void add_match_routes(struct __test_metadata *_metadata,
			     RTM_ENTITY_HANDLE a, RTM_ENTITY_HANDLE b,
			     struct match_routes *m)
{
	RTM_NET_ADDRESS d10 = rtm_test_v4(10, 0, 0, 0, 8);
	route_buf rb;

	m->n1 = add_nh(a, 192, 0, 2, 1, 1);
	m->n2 = add_nh(a, 192, 0, 2, 2, 2);
	m->n3 = add_nh(a, 192, 0, 2, 3, 3);
	ASSERT_NE(NULL, m->n1);
	ASSERT_NE(NULL, m->n2);
	ASSERT_NE(NULL, m->n3);

	ri_init(&rb, 10, 1, 1);
	rb.ri.Neighbour = m->n1;
	rb.ri.NextHopsList.NumNextHops = 2;
	rb.ri.NextHopsList.NextHops[0] = m->n1;
	rb.ri.NextHopsList.NextHops[1] = m->n2;
	m->r1 = add_route_ri(a, d10, &rb);
	ri_init(&rb, 10, 2, 1);
	rb.ri.Neighbour = m->n2;
	rb.ri.NextHopsList.NumNextHops = 1;
	rb.ri.NextHopsList.NextHops[0] = m->n2;
	m->r2 = add_route_ri(a, d10, &rb);
	ri_init(&rb, 10, 1, 1);
	rb.ri.NextHopsList.NumNextHops = 1;
	rb.ri.NextHopsList.NextHops[0] = m->n3;
	m->r3 = add_route_ri(a, d10, &rb);
	ri_init(&rb, 10, 1, 1);
	m->r4 = add_route_ri(b, d10, &rb);
	ri_init(&rb, 10, 1, 1);
	rb.ri.Neighbour = m->n1;
	rb.ri.NextHopsList.NumNextHops = 1;
	rb.ri.NextHopsList.NextHops[0] = m->n1;
	m->r5 = add_route_ri(a, rtm_test_v4(11, 0, 0, 0, 8), &rb);
	ASSERT_NE(NULL, m->r1);
	ASSERT_NE(NULL, m->r2);
	ASSERT_NE(NULL, m->r3);
	ASSERT_NE(NULL, m->r4);
	ASSERT_NE(NULL, m->r5);
	m->names[0] = (struct name){ m->r1, "R1" };
	m->names[1] = (struct name){ m->r2, "R2" };
	m->names[2] = (struct name){ m->r3, "R3" };
	m->names[3] = (struct name){ m->r4, "R4" };
	m->names[4] = (struct name){ m->r5, "R5" };
	m->names[5] = (struct name){ NULL, NULL };
}

/* Enumerate all routes matching (@match, @crit, @ifx) into self->got. */
#define MATCH(match, crit, ifx) \
	ROUTES(self->a, NULL, 0, 0, NULL, match, crit, ifx, 2, m.names)

TEST_F(en, route_match_none_ignores_criteria)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	MATCH(RTM_MATCH_NONE, NULL, 0);
	EXPECT_STREQ("R1 R3 R4 R2 R5", self->got);
	memset(&c, 0x5a, sizeof(c));
	MATCH(RTM_MATCH_NONE, &c.ri, 77);
	EXPECT_STREQ("R1 R3 R4 R2 R5", self->got);
}

TEST_F(en, route_match_owner)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	memset(&c, 0, sizeof(c));
	c.ri.RouteOwner = self->b;
	MATCH(RTM_MATCH_OWNER, &c.ri, 0);
	EXPECT_STREQ("R4", self->got);
	c.ri.RouteOwner = self->a;
	MATCH(RTM_MATCH_OWNER, &c.ri, 0);
	EXPECT_STREQ("R1 R3 R2 R5", self->got);
}

TEST_F(en, route_match_neighbour)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	memset(&c, 0, sizeof(c));
	c.ri.Neighbour = m.n1;
	MATCH(RTM_MATCH_NEIGHBOUR, &c.ri, 0);
	EXPECT_STREQ("R1 R5", self->got);
	c.ri.Neighbour = m.n2;
	MATCH(RTM_MATCH_NEIGHBOUR, &c.ri, 0);
	EXPECT_STREQ("R2", self->got);
	/* NULL is a neighbour value like any other. */
	c.ri.Neighbour = NULL;
	MATCH(RTM_MATCH_NEIGHBOUR, &c.ri, 0);
	EXPECT_STREQ("R3 R4", self->got);
}

/* PREF compares Preference and Metric (3.4). */
TEST_F(en, route_match_pref)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	memset(&c, 0, sizeof(c));
	c.ri.PrefInfo.Preference = 10;
	c.ri.PrefInfo.Metric = 2;
	MATCH(RTM_MATCH_PREF, &c.ri, 0);
	EXPECT_STREQ("R2", self->got);
	c.ri.PrefInfo.Metric = 1;
	MATCH(RTM_MATCH_PREF, &c.ri, 0);
	EXPECT_STREQ("R1 R3 R4 R5", self->got);
	c.ri.PrefInfo.Preference = 11;
	MATCH(RTM_MATCH_PREF, &c.ri, 0);
	EXPECT_STREQ("", self->got);
}

/* NEXTHOP: every listed next hop is in the route's list, any order. */
TEST_F(en, route_match_nexthop)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	memset(&c, 0, sizeof(c));
	c.ri.NextHopsList.NumNextHops = 1;
	c.ri.NextHopsList.NextHops[0] = m.n2;
	MATCH(RTM_MATCH_NEXTHOP, &c.ri, 0);
	EXPECT_STREQ("R1 R2", self->got);
	c.ri.NextHopsList.NumNextHops = 2;
	c.ri.NextHopsList.NextHops[0] = m.n2;
	c.ri.NextHopsList.NextHops[1] = m.n1;
	MATCH(RTM_MATCH_NEXTHOP, &c.ri, 0);
	EXPECT_STREQ("R1", self->got);
	c.ri.NextHopsList.NextHops[0] = m.n3;
	MATCH(RTM_MATCH_NEXTHOP, &c.ri, 0);
	EXPECT_STREQ("", self->got);
	/* An empty list matches every route. */
	c.ri.NextHopsList.NumNextHops = 0;
	MATCH(RTM_MATCH_NEXTHOP, &c.ri, 0);
	EXPECT_STREQ("R1 R3 R4 R2 R5", self->got);
}

TEST_F(en, route_match_nexthop_too_many)
{
	RTM_ENUM_HANDLE e = NULL;
	route_buf c;
	__u64 enums = enums_now();

	memset(&c, 0, sizeof(c));
	ASSERT_LT(self->pa.MaxNextHopsInRoute, MAX_NH);
	c.ri.NextHopsList.NumNextHops = self->pa.MaxNextHopsInRoute + 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_NEXTHOP, &c.ri, 0, &e));
	EXPECT_EQ(NULL, e);
	EXPECT_EQ(enums, enums_now());
}

TEST_F(en, route_match_interface)
{
	struct match_routes m;

	add_match_routes(_metadata, self->a, self->b, &m);
	/* INTERFACE alone needs no CriteriaRoute. */
	MATCH(RTM_MATCH_INTERFACE, NULL, 2);
	EXPECT_STREQ("R1 R2", self->got);
	MATCH(RTM_MATCH_INTERFACE, NULL, 1);
	EXPECT_STREQ("R1 R5", self->got);
	MATCH(RTM_MATCH_INTERFACE, NULL, 3);
	EXPECT_STREQ("R3", self->got);
	/* A route without next hops has no interface. */
	MATCH(RTM_MATCH_INTERFACE, NULL, 0);
	EXPECT_STREQ("", self->got);
	MATCH(RTM_MATCH_INTERFACE, NULL, 9);
	EXPECT_STREQ("", self->got);
}

TEST_F(en, route_match_combined_and_full)
{
	struct match_routes m;
	route_buf c;

	add_match_routes(_metadata, self->a, self->b, &m);
	memset(&c, 0, sizeof(c));
	c.ri.RouteOwner = self->a;
	c.ri.PrefInfo.Preference = 10;
	c.ri.PrefInfo.Metric = 1;
	MATCH(RTM_MATCH_OWNER | RTM_MATCH_PREF, &c.ri, 0);
	EXPECT_STREQ("R1 R3 R5", self->got);
	MATCH(RTM_MATCH_OWNER | RTM_MATCH_PREF | RTM_MATCH_INTERFACE, &c.ri, 1);
	EXPECT_STREQ("R1 R5", self->got);

	/* FULL: owner, neighbour, pref, next hops and interface. */
	c.ri.Neighbour = m.n1;
	c.ri.NextHopsList.NumNextHops = 1;
	c.ri.NextHopsList.NextHops[0] = m.n2;
	MATCH(RTM_MATCH_FULL, &c.ri, 1);
	EXPECT_STREQ("R1", self->got);
	MATCH(RTM_MATCH_FULL, &c.ri, 3);
	EXPECT_STREQ("", self->got);
	c.ri.RouteOwner = self->b;
	MATCH(RTM_MATCH_FULL, &c.ri, 1);
	EXPECT_STREQ("", self->got);
}

/* ---------------------------------------------------------------------- */
/* Next-hop enumerations                                                   */
/* ---------------------------------------------------------------------- */

struct nh_set {
	RTM_NEXTHOP_HANDLE a2_5, a1_7, a1_3, a9_1, b1_3, b8_1;
	struct name names[7];
};

static void add_nh_set(struct __test_metadata *_metadata,
		       RTM_ENTITY_HANDLE a, RTM_ENTITY_HANDLE b,
		       struct nh_set *s)
{
	s->b1_3 = add_nh(b, 10, 0, 0, 1, 3);
	s->a2_5 = add_nh(a, 10, 0, 0, 2, 5);
	s->a1_7 = add_nh(a, 10, 0, 0, 1, 7);
	s->b8_1 = add_nh(b, 8, 0, 0, 1, 1);
	s->a1_3 = add_nh(a, 10, 0, 0, 1, 3);
	s->a9_1 = add_nh(a, 9, 0, 0, 1, 1);
	ASSERT_NE(NULL, s->a2_5);
	ASSERT_NE(NULL, s->a1_7);
	ASSERT_NE(NULL, s->a1_3);
	ASSERT_NE(NULL, s->a9_1);
	ASSERT_NE(NULL, s->b1_3);
	ASSERT_NE(NULL, s->b8_1);
	s->names[0] = (struct name){ s->a2_5, "A10.0.0.2%5" };
	s->names[1] = (struct name){ s->a1_7, "A10.0.0.1%7" };
	s->names[2] = (struct name){ s->a1_3, "A10.0.0.1%3" };
	s->names[3] = (struct name){ s->a9_1, "A9.0.0.1%1" };
	s->names[4] = (struct name){ s->b1_3, "B10.0.0.1%3" };
	s->names[5] = (struct name){ s->b8_1, "B8.0.0.1%1" };
	s->names[6] = (struct name){ NULL, NULL };
}

/* By address, then interface, then owner registration order (2.16). */
TEST_F(en, nexthop_order)
{
	struct nh_set s;

	add_nh_set(_metadata, self->a, self->b, &s);
	NEXTHOPS(self->a, RTM_ENUM_START, NULL, self->max, s.names);
	EXPECT_STREQ("B8.0.0.1%1 A9.0.0.1%1 A10.0.0.1%3 B10.0.0.1%3 "
		     "A10.0.0.1%7 A10.0.0.2%5", self->got);
	NEXTHOPS(self->b, RTM_ENUM_START, NULL, 1, s.names);
	EXPECT_STREQ("B8.0.0.1%1 A9.0.0.1%1 A10.0.0.1%3 B10.0.0.1%3 "
		     "A10.0.0.1%7 A10.0.0.2%5", self->got);
}

TEST_F(en, nexthop_next_and_range)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 1, 32);
	struct nh_set s;

	add_nh_set(_metadata, self->a, self->b, &s);
	NEXTHOPS(self->a, RTM_ENUM_NEXT, &at, 2, s.names);
	EXPECT_STREQ("A10.0.0.1%3 B10.0.0.1%3 A10.0.0.1%7 A10.0.0.2%5",
		     self->got);
	at = rtm_test_v4(9, 5, 0, 0, 16);
	NEXTHOPS(self->a, RTM_ENUM_NEXT, &at, 2, s.names);
	EXPECT_STREQ("A10.0.0.1%3 B10.0.0.1%3 A10.0.0.1%7 A10.0.0.2%5",
		     self->got);
	at = rtm_test_v4(10, 0, 0, 0, 8);
	NEXTHOPS(self->a, RTM_ENUM_RANGE, &at, 2, s.names);
	EXPECT_STREQ("A10.0.0.1%3 B10.0.0.1%3 A10.0.0.1%7 A10.0.0.2%5",
		     self->got);
	at = rtm_test_v4(10, 0, 0, 2, 32);
	NEXTHOPS(self->a, RTM_ENUM_RANGE, &at, 2, s.names);
	EXPECT_STREQ("A10.0.0.2%5", self->got);
	at = rtm_test_v4(8, 0, 0, 0, 7);
	NEXTHOPS(self->a, RTM_ENUM_RANGE, &at, 2, s.names);
	EXPECT_STREQ("B8.0.0.1%1 A9.0.0.1%1", self->got);
	at = rtm_test_v4(11, 0, 0, 0, 8);
	NEXTHOPS(self->a, RTM_ENUM_RANGE, &at, 2, s.names);
	EXPECT_STREQ("", self->got);
}

/* The range test uses the next hop's address bits only (3.7). */
TEST_F(en, nexthop_range_ignores_nexthop_length)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 16);
	RTM_NEXTHOP_HANDLE net;
	struct name names[2];

	net = add_nh_len(self->a, rtm_test_v4(10, 0, 0, 0, 8), 4);
	ASSERT_NE(NULL, net);
	names[0] = (struct name){ net, "NET" };
	names[1] = (struct name){ NULL, NULL };
	NEXTHOPS(self->a, RTM_ENUM_RANGE, &at, 2, names);
	EXPECT_STREQ("NET", self->got);
}

TEST_F(en, nexthop_deleted_not_enumerated)
{
	struct nh_set s;

	add_nh_set(_metadata, self->a, self->b, &s);
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, s.a1_3, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->b, s.b8_1, NULL));
	NEXTHOPS(self->a, RTM_ENUM_START, NULL, 2, s.names);
	EXPECT_STREQ("A9.0.0.1%1 B10.0.0.1%3 A10.0.0.1%7 A10.0.0.2%5",
		     self->got);
}

/* ---------------------------------------------------------------------- */
/* Creation errors                                                         */
/* ---------------------------------------------------------------------- */

TEST_F(en, create_dest_enum_errors)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8), bad;
	RTM_ENUM_HANDLE e = NULL;
	__u64 enums = enums_now(), refs = refs_now();

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_NEXT | RTM_ENUM_RANGE,
				    &at, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, 0x4, &at, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, 0x80000000, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_OWN_ROUTES, NULL, 0,
				    &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_NEXT, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_RANGE, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, 0, NULL, 0, NULL));
	bad = at;
	bad.AddressFamily = AF_INET6;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_NEXT, &bad, 0, &e));
	bad = at;
	bad.NumBits = 33;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateDestEnum(self->a, 0, RTM_ENUM_RANGE, &bad, 0, &e));
	EXPECT_EQ(ERROR_NOT_SUPPORTED,
		  RtmCreateDestEnum(self->a, 0x4, 0, NULL, 0, &e));
	EXPECT_EQ(ERROR_NOT_SUPPORTED,
		  RtmCreateDestEnum(self->a, RTM_VIEW_MASK_UCAST | 0x80, 0,
				    NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateDestEnum(NULL, 0, 0, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateDestEnum(BOGUS, 0, 0, NULL, 0, &e));
	EXPECT_EQ(NULL, e);
	EXPECT_EQ(enums, enums_now());
	EXPECT_EQ(refs, refs_now());
	/* Both groups together are fine. */
	EXPECT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, RTM_ENUM_RANGE |
					      RTM_ENUM_OWN_DESTS, &at, 0, &e));
	EXPECT_EQ(enums + 1, enums_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	EXPECT_EQ(enums, enums_now());
}

TEST_F(en, create_route_enum_errors)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8), bad;
	RTM_ROUTE_HANDLE r;
	RTM_ENUM_HANDLE e = NULL;
	__u64 enums, refs;
	route_buf c;

	r = add_route(self->a, at, 10, 1, 1);
	ASSERT_NE(NULL, r);
	memset(&c, 0, sizeof(c));
	enums = enums_now();
	refs = refs_now();
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_NEXT |
				     RTM_ENUM_RANGE, &at, 0, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0x4, NULL, 0, NULL, 0,
				     &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_OWN_DESTS,
				     NULL, 0, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_NEXT, NULL, 0,
				     NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_RANGE, NULL,
				     0, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0, NULL, 0,
				     NULL));
	bad = at;
	bad.AddressFamily = 23;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_NEXT, &bad, 0,
				     NULL, 0, &e));
	bad = at;
	bad.NumBits = 64;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, RTM_ENUM_RANGE, &bad,
				     0, NULL, 0, &e));
	/* The criteria that read CriteriaRoute need one. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_OWNER, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_NEIGHBOUR, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_PREF, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_NEXTHOP, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
				     RTM_MATCH_FULL, NULL, 0, &e));
	EXPECT_EQ(ERROR_NOT_SUPPORTED,
		  RtmCreateRouteEnum(self->a, NULL, 0x4, 0, NULL, 0, NULL, 0,
				     &e));
	/* A DestHandle that names no destination. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteEnum(self->a, BOGUS, 0, 0, NULL, 0, NULL, 0,
				     &e));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteEnum(self->a, r, 0, 0, NULL, 0, NULL, 0, &e));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteEnum(BOGUS, NULL, 0, 0, NULL, 0, NULL, 0, &e));
	EXPECT_EQ(NULL, e);
	EXPECT_EQ(enums, enums_now());
	EXPECT_EQ(refs, refs_now());

	/* INTERFACE and NONE need no CriteriaRoute. */
	EXPECT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0,
					       RTM_ENUM_OWN_ROUTES, NULL,
					       RTM_MATCH_INTERFACE, NULL, 3,
					       &e));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	EXPECT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL,
					       RTM_MATCH_OWNER, &c.ri, 0, &e));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	EXPECT_EQ(enums, enums_now());
	EXPECT_EQ(refs, refs_now());
}

TEST_F(en, create_nexthop_enum_errors)
{
	RTM_NET_ADDRESS at = rtm_test_v4(10, 0, 0, 0, 8), bad;
	RTM_ENUM_HANDLE e = NULL;
	__u64 enums = enums_now();

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_OWN_DESTS, NULL, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_OWN_ROUTES, NULL, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_NEXT | RTM_ENUM_RANGE,
				       &at, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, 0x4, NULL, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_NEXT, NULL, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_RANGE, NULL, &e));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, 0, NULL, NULL));
	bad = at;
	bad.NumBits = 33;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmCreateNextHopEnum(self->a, RTM_ENUM_RANGE, &bad, &e));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateNextHopEnum(NULL, 0, NULL, &e));
	EXPECT_EQ(NULL, e);
	EXPECT_EQ(enums, enums_now());
}

/* Creating an enumeration takes no reference; deleting it frees it. */
TEST_F(en, create_takes_no_reference)
{
	RTM_ENUM_HANDLE ed, er, en;
	RTM_ROUTE_HANDLE r[4];
	__u64 enums, refs;

	add_four(_metadata, self->a, r);
	enums = enums_now();
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	EXPECT_NE(NULL, ed);
	EXPECT_NE(NULL, er);
	EXPECT_NE(NULL, en);
	EXPECT_NE(ed, er);
	EXPECT_NE(er, en);
	EXPECT_EQ(enums + 3, enums_now());
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(enums, enums_now());
	EXPECT_EQ(refs, refs_now());
}

/* ---------------------------------------------------------------------- */
/* Get errors: wrong kind, other registration, deleted, NULL               */
/* ---------------------------------------------------------------------- */

TEST_F(en, get_with_wrong_kind_of_enum)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ENUM_HANDLE ed, er, en;
	RTM_ROUTE_HANDLE r[4];
	RTM_NEXTHOP_HANDLE n1;
	HANDLE h;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	n1 = add_nh(self->a, 10, 0, 0, 1, 1);
	ASSERT_NE(NULL, n1);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	refs = refs_now();

	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(self->a, ed, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumNextHops(self->a, ed, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(self->a, er, &n, di));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumNextHops(self->a, er, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(self->a, en, &n, di));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(self->a, en, &n, &h));
	EXPECT_EQ(0, n);
	EXPECT_EQ(refs, refs_now());

	/* The cursors did not move. */
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &h));
	EXPECT_EQ(r[0], h);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, &h));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, en, &n, &h));
	EXPECT_EQ(n1, h);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, n, &h));

	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
}

/* An enumeration belongs to the registration that created it. */
TEST_F(en, enum_of_another_registration)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ENUM_HANDLE ed, er, en;
	RTM_ROUTE_HANDLE r[4];
	HANDLE h;
	__u64 refs, enums;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_NE(NULL, add_nh(self->a, 10, 0, 0, 1, 1));
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	refs = refs_now();
	enums = enums_now();

	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(self->b, ed, &n, di));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(self->b, er, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumNextHops(self->b, en, &n, &h));
	EXPECT_EQ(0, n);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->b, ed));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->b, er));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->b, en));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(enums, enums_now());

	/* Untouched for its owner. */
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &h));
	EXPECT_EQ(r[0], h);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, &h));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(enums - 3, enums_now());
}

TEST_F(en, deleted_enum_handle_is_invalid)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ENUM_HANDLE ed, er, en;
	RTM_ROUTE_HANDLE r[4];
	HANDLE h;
	__u64 enums;
	UINT n;

	add_four(_metadata, self->a, r);
	enums = enums_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(enums, enums_now());

	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(self->a, ed, &n, di));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(self->a, er, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumNextHops(self->a, en, &n, &h));
	EXPECT_EQ(0, n);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, en));
	EXPECT_EQ(enums, enums_now());
}

TEST_F(en, get_and_delete_with_bad_arguments)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ENUM_HANDLE ed, er;
	RTM_ROUTE_HANDLE r[4];
	HANDLE h;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &ed));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	refs = refs_now();
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumDests(self->a, ed, NULL, di));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumRoutes(self->a, er, NULL, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetEnumNextHops(self->a, er, NULL, &h));
	n = 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumDests(self->a, ed, &n, NULL));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEnumRoutes(self->a, er, &n, NULL));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(self->a, NULL, &n, di));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(self->a, BOGUS, &n, &h));
	EXPECT_EQ(0, n);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(NULL, er, &n, &h));
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumDests(BOGUS, ed, &n, di));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, BOGUS));
	/* A route handle is not an enumeration. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(self->a, r[0]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(NULL, ed));
	EXPECT_EQ(refs, refs_now());
	/* Nothing moved. */
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, &h));
	EXPECT_EQ(r[0], h);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, n, &h));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, ed));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
}

/* RtmDeleteEnumHandle does not release what the enumeration returned. */
TEST_F(en, delete_enum_keeps_returned_references)
{
	RTM_ROUTE_HANDLE r[4], got[2];
	RTM_NET_ADDRESS addr;
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, e, &n, got));
	ASSERT_EQ(2, n);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	EXPECT_EQ(refs + 2, refs_now());
	EXPECT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, got[1], NULL, &addr));
	EXPECT_STREQ("10.0.0.0/16", pfx(&addr));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 2, got));
	EXPECT_EQ(refs, refs_now());
}

/* Deregistration closes the registration's enumerations. */
TEST_F(en, deregister_closes_enums)
{
	RTM_ENUM_HANDLE e1, e2;
	__u64 enums = enums_now();

	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &e1));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &e2));
	EXPECT_EQ(enums + 2, enums_now());
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
	self->a = NULL;
	EXPECT_EQ(enums, enums_now());
}

/* ---------------------------------------------------------------------- */
/* Live cursors (2.16 Consistency)                                         */
/* ---------------------------------------------------------------------- */

TEST_F(en, live_dest_deleted_ahead_not_returned)
{
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &e));
	n = 1;
	ASSERT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_STREQ("10.0.0.0/8", pfx(&di->DestAddress));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	/* 10.1/16 loses its only route: it leaves the table. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r[2], NULL));
	drain_dests(_metadata, self->a, e, 1, 2, self->got, sizeof(self->got));
	EXPECT_STREQ("10.0.0.0/16 11.0.0.0/8", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, live_dest_cursor_deleted)
{
	char buf[2 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &e));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	ASSERT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	/* The last dest returned (10.0/16) goes away. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, r[1], NULL));
	drain_dests(_metadata, self->a, e, 3, 2, self->got, sizeof(self->got));
	EXPECT_STREQ("10.1.0.0/16 11.0.0.0/8", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/*
 * Added behind the cursor: never returned (each call resumes strictly
 * after the cursor).  Added ahead: may come, but only once.
 */
TEST_F(en, live_dest_added)
{
	char buf[2 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO di = (PRTM_DEST_INFO)buf;
	RTM_ROUTE_HANDLE r[4];
	RTM_ENUM_HANDLE e;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, 0, 0, NULL, 0, &e));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, di));
	EXPECT_STREQ("10.0.0.0/16",
		     pfx(&((PRTM_DEST_INFO)(buf + RTM_SIZE_OF_DEST_INFO(2)))
			 ->DestAddress));
	ASSERT_EQ(NO_ERROR, RtmReleaseDests(self->a, n, di));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(9, 0, 0, 0, 8), 1, 1, 1));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(10, 0, 0, 0, 9), 1, 1, 1));
	ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(10, 0, 0, 0, 24), 1, 1, 1));
	drain_dests(_metadata, self->a, e, 1, 2, self->got, sizeof(self->got));
	if (strcmp(self->got, "10.1.0.0/16 11.0.0.0/8"))
		EXPECT_STREQ("10.0.0.0/24 10.1.0.0/16 11.0.0.0/8", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/* Routes: 10/8 R1 (metric 1) R2 (2) R3 (3); 11/8 R4. */
struct live_routes {
	RTM_ROUTE_HANDLE r1, r2, r3, r4;
	struct name names[7];
};

static void add_live_routes(struct __test_metadata *_metadata,
			    RTM_ENTITY_HANDLE a, struct live_routes *l)
{
	RTM_NET_ADDRESS d10 = rtm_test_v4(10, 0, 0, 0, 8);

	l->r1 = add_route(a, d10, 10, 1, 1);
	l->r2 = add_route(a, d10, 10, 2, 1);
	l->r3 = add_route(a, d10, 10, 3, 1);
	l->r4 = add_route(a, rtm_test_v4(11, 0, 0, 0, 8), 10, 1, 1);
	ASSERT_NE(NULL, l->r1);
	ASSERT_NE(NULL, l->r2);
	ASSERT_NE(NULL, l->r3);
	ASSERT_NE(NULL, l->r4);
	l->names[0] = (struct name){ l->r1, "R1" };
	l->names[1] = (struct name){ l->r2, "R2" };
	l->names[2] = (struct name){ l->r3, "R3" };
	l->names[3] = (struct name){ l->r4, "R4" };
	l->names[4] = (struct name){ NULL, NULL };
}

/* Get one route of @e and check it is @want. */
#define GET_ONE_ROUTE(e, want) do {					\
	RTM_ROUTE_HANDLE h_ = NULL;					\
	UINT n_ = 1;							\
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, e, &n_, &h_));	\
	ASSERT_EQ(1, n_);						\
	EXPECT_EQ(want, h_);						\
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h_));		\
} while (0)

TEST_F(en, live_route_deleted_ahead_not_returned)
{
	struct live_routes l;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r2, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r4, NULL));
	drain_handles(_metadata, self->a, e, 2, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R3", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, live_route_cursor_deleted)
{
	struct live_routes l;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	GET_ONE_ROUTE(e, l.r2);
	/* The route under the cursor goes. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r2, NULL));
	drain_handles(_metadata, self->a, e, 1, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R3 R4", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, live_route_cursor_dest_deleted)
{
	struct live_routes l;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	/* Every route of the cursor's dest goes: the dest leaves. */
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r1, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r2, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, l.r3, NULL));
	drain_handles(_metadata, self->a, e, 2, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R4", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, live_route_added_behind_cursor_not_returned)
{
	RTM_NET_ADDRESS d10 = rtm_test_v4(10, 0, 0, 0, 8);
	struct live_routes l;
	RTM_ROUTE_HANDLE r0, r9;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	GET_ONE_ROUTE(e, l.r2);
	/* Ranked before the cursor, and on a dest before it. */
	r0 = add_route(self->b, d10, 10, 0, 1);
	r9 = add_route(self->b, rtm_test_v4(9, 0, 0, 0, 8), 10, 0, 1);
	ASSERT_NE(NULL, r0);
	ASSERT_NE(NULL, r9);
	l.names[4] = (struct name){ r0, "R0" };
	l.names[5] = (struct name){ r9, "R9" };
	l.names[6] = (struct name){ NULL, NULL };
	drain_handles(_metadata, self->a, e, 2, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R3 R4", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/*
 * A route that was already returned and is re-ranked behind the cursor
 * by an update must not be returned a second time (2.16: "an item is
 * never returned twice").
 */
TEST_F(en, live_route_reranked_not_returned_twice)
{
	struct live_routes l;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	ASSERT_EQ(NO_ERROR, set_metric(self->a, l.r1, 10, 50, 1));
	drain_handles(_metadata, self->a, e, 2, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R2 R3 R4", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/*
 * A route present for the whole enumeration is returned exactly once,
 * even when an update moves it ahead of the cursor.
 */
TEST_F(en, live_route_reranked_still_returned_once)
{
	struct live_routes l;
	RTM_ENUM_HANDLE e;

	add_live_routes(_metadata, self->a, &l);
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	GET_ONE_ROUTE(e, l.r1);
	GET_ONE_ROUTE(e, l.r2);
	ASSERT_EQ(NO_ERROR, set_metric(self->a, l.r3, 10, 0, 1));
	drain_handles(_metadata, self->a, e, 2, true, l.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("R3 R4", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, live_nexthop_deleted_ahead_not_returned)
{
	RTM_ENUM_HANDLE e;
	struct nh_set s;
	HANDLE h[3];
	UINT n;

	add_nh_set(_metadata, self->a, self->b, &s);
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &e));
	/* B8 A9 A10.1%3 | B10.1%3 A10.1%7 A10.2%5: delete two ahead. */
	n = 3;
	ASSERT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, e, &n, h));
	ASSERT_EQ(3, n);
	EXPECT_EQ(s.a1_3, h[2]);
	ASSERT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, n, h));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->b, s.b1_3, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(self->a, s.a2_5, NULL));
	drain_handles(_metadata, self->a, e, 2, false, s.names, self->got,
		      sizeof(self->got));
	EXPECT_STREQ("A10.0.0.1%7", self->got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/* ---------------------------------------------------------------------- */
/* Big enumerations                                                        */
/* ---------------------------------------------------------------------- */

static int cmp_handle(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(HANDLE const *)a;
	uintptr_t y = (uintptr_t)*(HANDLE const *)b;

	return x < y ? -1 : x > y;
}

#define BIG_DESTS	1000
#define BIG_ROUTES	(3 * BIG_DESTS)

/*
 * 1000 dests 10.x.y.0/24 with three routes each (A twice, B once): every
 * route comes exactly once, in batches of MaxHandlesInEnum, the last one
 * short; releasing them all gives every reference back.
 */
TEST_F_TIMEOUT(en, big_route_enumeration, 300)
{
	HANDLE *added = calloc(BIG_ROUTES, sizeof(HANDLE));
	HANDLE *got = calloc(BIG_ROUTES + self->max, sizeof(HANDLE));
	RTM_NET_ADDRESS prev, addr;
	unsigned int i, total = 0, calls = 0;
	RTM_ENUM_HANDLE e;
	__u64 refs;
	DWORD ret;
	UINT n;

	ASSERT_NE(NULL, added);
	ASSERT_NE(NULL, got);
	for (i = 0; i < BIG_DESTS; i++) {
		RTM_NET_ADDRESS d = rtm_test_v4(10, i / 200, i % 200, 0, 24);

		added[3 * i] = add_route(self->a, d, 20, i % 7, 1);
		added[3 * i + 1] = add_route(self->a, d, 10, i % 5, 3);
		added[3 * i + 2] = add_route(self->b, d, 15, 1, 2);
		ASSERT_NE(NULL, added[3 * i]);
		ASSERT_NE(NULL, added[3 * i + 1]);
		ASSERT_NE(NULL, added[3 * i + 2]);
	}
	/* Give back the references the adds took (A's and B's). */
	for (i = 0; i < BIG_DESTS; i++) {
		ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 2, &added[3 * i]));
		ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1,
						     &added[3 * i + 2]));
	}
	refs = refs_now();

	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	do {
		n = self->max;
		ret = RtmGetEnumRoutes(self->a, e, &n, got + total);
		total += n;
		ASSERT_LE(total, BIG_ROUTES);
		if (total < BIG_ROUTES / self->max * self->max) {
			ASSERT_EQ(NO_ERROR, ret);
			ASSERT_EQ(self->max, n);
		}
		ASSERT_LT(++calls, 10000);
	} while (ret == NO_ERROR);
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, ret);
	EXPECT_EQ(BIG_ROUTES, total);
	EXPECT_EQ(BIG_ROUTES % self->max, n);
	EXPECT_EQ(refs + total, refs_now());
	n = self->max;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumRoutes(self->a, e, &n, got));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));

	/* Destination order, three routes per destination. */
	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < total; i++) {
		ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, got[i], NULL,
						    &addr));
		if (i % 3) {
			ASSERT_EQ(0, memcmp(&prev, &addr, sizeof(addr)));
		} else if (i) {
			ASSERT_GT(memcmp(addr.AddrBits, prev.AddrBits, 4), 0);
		}
		prev = addr;
	}

	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, total, got));
	EXPECT_EQ(refs, refs_now());

	/* Each exactly once. */
	qsort(added, BIG_ROUTES, sizeof(HANDLE), cmp_handle);
	qsort(got, total, sizeof(HANDLE), cmp_handle);
	for (i = 0; i < BIG_ROUTES; i++)
		ASSERT_EQ(added[i], got[i]);
	free(added);
	free(got);
}

TEST_F_TIMEOUT(en, big_dest_enumeration, 300)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(2);
	char *buf = calloc(self->max, stride);
	RTM_NET_ADDRESS prev;
	unsigned int i, total = 0, calls = 0;
	RTM_ENUM_HANDLE e;
	__u64 refs;
	DWORD ret;
	UINT n;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < BIG_DESTS; i++)
		ASSERT_NE(NULL, add_route(self->b, rtm_test_v4(172, i / 250,
							       i % 250, 0, 24),
					  10, 1, 1));
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_ALL, 0,
					      NULL, 0, &e));
	memset(&prev, 0, sizeof(prev));
	do {
		n = self->max;
		ret = RtmGetEnumDests(self->a, e, &n, (PRTM_DEST_INFO)buf);
		for (i = 0; i < n; i++) {
			PRTM_DEST_INFO di = (PRTM_DEST_INFO)(buf + i * stride);

			/* Strictly increasing: no dest twice. */
			ASSERT_GT(memcmp(di->DestAddress.AddrBits,
					 prev.AddrBits, 4), 0);
			prev = di->DestAddress;
			ASSERT_EQ(1, di->ViewInfo[0].NumRoutes);
			ASSERT_EQ(self->b, di->ViewInfo[0].Owner);
		}
		total += n;
		/* DestHandle, Route and Owner of the unicast view. */
		ASSERT_EQ(refs + 3 * n, refs_now());
		ASSERT_EQ(NO_ERROR, RtmReleaseDests(self->a, n,
						    (PRTM_DEST_INFO)buf));
		ASSERT_EQ(refs, refs_now());
		ASSERT_LT(++calls, 10000);
	} while (ret == NO_ERROR);
	EXPECT_EQ(ERROR_NO_MORE_ITEMS, ret);
	EXPECT_EQ(BIG_DESTS, total);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
	free(buf);
}

/* ---------------------------------------------------------------------- */
/* Releases                                                                */
/* ---------------------------------------------------------------------- */

/* Valid entries are released, invalid ones reported (2.9). */
TEST_F(en, release_routes_partial_invalid)
{
	RTM_ROUTE_HANDLE r[4], got[4], arr[6];
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 4, r));
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, e, &n, got));
	ASSERT_EQ(4, n);
	ASSERT_EQ(refs + 4, refs_now());

	arr[0] = got[0];
	arr[1] = BOGUS_ROUTE;
	arr[2] = NULL;
	arr[3] = got[1];
	arr[4] = got[0];	/* its only reference went with arr[0] */
	arr[5] = got[2];
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 6, arr));
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &got[0]));
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &got[3]));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, release_null_entries_and_zero_count)
{
	RTM_ROUTE_HANDLE r[4], arr[3] = { NULL, NULL, NULL };
	__u64 refs;

	add_four(_metadata, self->a, r);
	refs = refs_now();
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 3, arr));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 3, arr));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseDests(self->a, 0, NULL));
	/* A count of 0 releases nothing, whatever the array holds. */
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 0, r));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseRoutes(self->a, 1, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseNextHops(self->a, 1, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseDests(self->a, 1, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(NULL, 1, r));
	EXPECT_EQ(refs, refs_now());
}

/* A handle of another kind is invalid for RtmReleaseRoutes and is kept. */
TEST_F(en, release_with_wrong_handle_kind)
{
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE r;
	__u64 refs;

	nh = add_nh(self->a, 10, 0, 0, 1, 1);
	r = add_route(self->a, rtm_test_v4(10, 0, 0, 0, 8), 1, 1, 1);
	ASSERT_NE(NULL, nh);
	ASSERT_NE(NULL, r);
	refs = refs_now();
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &nh));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(self->a, 1, &r));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &nh));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(refs - 2, refs_now());
}

TEST_F(en, release_nexthops_partial_invalid)
{
	struct nh_set s;
	HANDLE got[6], arr[5];
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_nh_set(_metadata, self->a, self->b, &s);
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &e));
	n = 3;
	ASSERT_EQ(NO_ERROR, RtmGetEnumNextHops(self->a, e, &n, got));
	ASSERT_EQ(refs + 3, refs_now());
	/* got[0] is B's: A holds only the enumeration's reference on it. */
	ASSERT_EQ(s.b8_1, got[0]);
	arr[0] = got[0];
	arr[1] = BOGUS;
	arr[2] = NULL;
	arr[3] = got[2];
	arr[4] = got[0];
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(self->a, 5, arr));
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 1, &got[1]));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

TEST_F(en, release_dests_partial_invalid)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(2);
	char buf[2 * RTM_SIZE_OF_DEST_INFO(2)];
	PRTM_DEST_INFO d0 = (PRTM_DEST_INFO)buf;
	PRTM_DEST_INFO d1 = (PRTM_DEST_INFO)(buf + stride);
	RTM_ROUTE_HANDLE r[4], kept;
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 4, r));
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateDestEnum(self->a, RTM_VIEW_MASK_ALL, 0,
					      NULL, 0, &e));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetEnumDests(self->a, e, &n, d0));
	/* Per dest: DestHandle, unicast Route and Owner; MCAST empty. */
	ASSERT_EQ(refs + 6, refs_now());
	ASSERT_EQ(2, d0->NumberOfViews);
	ASSERT_EQ(NULL, d0->ViewInfo[1].Route);
	kept = d0->ViewInfo[0].Route;
	d0->ViewInfo[0].Route = BOGUS_ROUTE;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDests(self->a, 2, d0));
	EXPECT_EQ(refs + 1, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &kept));
	EXPECT_EQ(refs, refs_now());
	/* Released twice: every handle is now invalid. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDests(self->a, 1, d1));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, e));
}

/* A registration cannot give back references another one holds. */
TEST_F(en, release_of_another_registrations_batch)
{
	RTM_ROUTE_HANDLE r[4], got[4];
	RTM_ENUM_HANDLE e;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 4, r));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->b, NULL, 0, 0, NULL, 0,
					       NULL, 0, &e));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(self->b, e, &n, got));
	refs = refs_now();
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 4, got));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 4, got));
	EXPECT_EQ(refs - 4, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->b, e));
}

/* Every Get takes exactly one reference per handle it writes. */
TEST_F(en, get_references_are_exact)
{
	RTM_ROUTE_HANDLE r[4], got[3];
	RTM_NEXTHOP_HANDLE nh[3];
	RTM_ENUM_HANDLE er, en;
	__u64 refs;
	UINT n;

	add_four(_metadata, self->a, r);
	ASSERT_NE(NULL, add_nh(self->a, 1, 1, 1, 1, 1));
	ASSERT_NE(NULL, add_nh(self->a, 1, 1, 1, 2, 1));
	refs = refs_now();
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(self->a, NULL, 0, 0, NULL, 0,
					       NULL, 0, &er));
	ASSERT_EQ(NO_ERROR, RtmCreateNextHopEnum(self->a, 0, NULL, &en));
	n = 3;
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(self->a, er, &n, got));
	EXPECT_EQ(refs + 3, refs_now());
	n = 3;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumNextHops(self->a, en, &n, nh));
	ASSERT_EQ(2, n);
	EXPECT_EQ(refs + 5, refs_now());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 3, got));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(self->a, 2, nh));
	EXPECT_EQ(refs, refs_now());
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, er));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(self->a, en));
}

TEST_HARNESS_MAIN
