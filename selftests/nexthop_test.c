// SPDX-License-Identifier: GPL-2.0
/*
 * nexthop_test - next hops (spec part 1, sections 6.5, 6.6, 10.1-10.3;
 * part 2, sections 2.7 and 3.9).
 *
 * RtmAddNextHop (its three handle modes, ChangeFlags, identity, ownership,
 * RemoteNextHop), RtmFindNextHop, RtmDeleteNextHop, RtmGetNextHopInfo,
 * RtmReleaseNextHopInfo and RtmReleaseNextHops: every documented and
 * Proposed return code, and the reference accounting, checked with the
 * module's counters.
 */
/*
 * The 6.1 harness leaves parameters unused, and its EXPECT_EQ compares the
 * plain int ERROR_* constants with DWORD results.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#define PROTO		2000
#define NH_MAX		8

#define FORGED_NEXTHOP	((RTM_NEXTHOP_HANDLE)(uintptr_t)0x40000000ffffff01ULL)
#define FORGED_ANY	((HANDLE)(uintptr_t)0x1234)
#define ESI(v)		((PVOID)(uintptr_t)(v))

typedef union {
	RTM_ROUTE_INFO ri;
	char buf[RTM_SIZE_OF_ROUTE_INFO(NH_MAX)];
} route_buf;

typedef union {
	RTM_DEST_INFO di;
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

static struct rtm_stats stats_now(struct __test_metadata *_metadata)
{
	struct rtm_stats st;

	memset(&st, 0, sizeof(st));
	EXPECT_EQ(0, rtm_test_stats(&st));
	return st;
}

static RTM_ENTITY_HANDLE reg(struct __test_metadata *_metadata,
			     USHORT family, ULONG id)
{
	RTM_ENTITY_HANDLE h = NULL;

	EXPECT_EQ(NO_ERROR, rtm_test_register(PROTO, id, family, &h, NULL));
	EXPECT_NE(NULL, h);
	return h;
}

static void dereg(struct __test_metadata *_metadata, RTM_ENTITY_HANDLE h)
{
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(h));
}

/* Next hop a.b.c.d/len on interface @ifindex. */
static RTM_NEXTHOP_INFO nhi(unsigned int a, unsigned int b, unsigned int c,
			    unsigned int d, unsigned int len, ULONG ifindex)
{
	RTM_NEXTHOP_INFO ni;

	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = rtm_test_v4(a, b, c, d, len);
	ni.InterfaceIndex = ifindex;
	return ni;
}

/* Add (or find) a next hop; returns its handle with a reference. */
static RTM_NEXTHOP_HANDLE add_nh(struct __test_metadata *_metadata,
				 RTM_ENTITY_HANDLE h, RTM_NEXTHOP_INFO ni)
{
	RTM_NEXTHOP_HANDLE nh = NULL;

	EXPECT_EQ(NO_ERROR, RtmAddNextHop(h, &ni, &nh, NULL));
	EXPECT_NE(NULL, nh);
	return nh;
}

/* Add a route to @dest through @nh; returns it with a reference. */
static RTM_ROUTE_HANDLE add_route(struct __test_metadata *_metadata,
				  RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS dest,
				  RTM_NEXTHOP_HANDLE nh)
{
	RTM_ROUTE_HANDLE rh = NULL;
	route_buf rb;

	memset(&rb, 0, sizeof(rb));
	rb.ri.PrefInfo.Preference = 10;
	rb.ri.PrefInfo.Metric = 1;
	rb.ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	rb.ri.NextHopsList.NumNextHops = 1;
	rb.ri.NextHopsList.NextHops[0] = nh;
	EXPECT_EQ(NO_ERROR, RtmAddRouteToDest(h, &rh, &dest, &rb.ri, INFINITE,
					      NULL, 0, NULL, NULL));
	EXPECT_NE(NULL, rh);
	return rh;
}

/* The handle of destination @d (exact match); referenced. */
static RTM_DEST_HANDLE dest_of(struct __test_metadata *_metadata,
			       RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS d)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	EXPECT_EQ(NO_ERROR,
		  RtmGetExactMatchDestination(h, &d, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(0, db.di.NumberOfViews);
	return db.di.DestHandle;
}

static void release_dest(struct __test_metadata *_metadata,
			 RTM_ENTITY_HANDLE h, RTM_DEST_HANDLE d)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	db.di.DestHandle = d;
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(h, &db.di));
}

static bool same_addr(const RTM_NET_ADDRESS *x, const RTM_NET_ADDRESS *y)
{
	return x->AddressFamily == y->AddressFamily &&
	       x->NumBits == y->NumBits &&
	       !memcmp(x->AddrBits, y->AddrBits, sizeof(x->AddrBits));
}

/* ------------------------------------------------------------------ */
/* RtmAddNextHop                                                       */
/* ------------------------------------------------------------------ */

TEST(add_new_returns_referenced_handle)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3);
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_HANDLE h = NULL, found = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	before = stats_now(_metadata);
	ni.EntitySpecificInfo = ESI(0x1111);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h, &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(RTM_HT_NEXTHOP, RTM_HANDLE_TYPE((uintptr_t)h));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);

	/* The reference goes back; the next hop stays in the owner's list. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, &found, NULL));
	EXPECT_EQ(h, found);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, found, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);
	dereg(_metadata, a);
}

TEST(add_existing_returns_same_handle)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), out;
	RTM_NEXTHOP_HANDLE h1 = NULL, h2 = NULL;
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_CHANGE_FLAGS cf;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	before = stats_now(_metadata);
	ni.EntitySpecificInfo = ESI(0x1111);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h1, &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	/* Same identity: found and updated, not created. */
	ni.Flags = 0x8000 | RTM_NEXTHOP_FLAGS_DOWN;	/* stored as given */
	ni.EntitySpecificInfo = ESI(0x2222);
	cf = 0xdead;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h2, &cf));
	EXPECT_EQ(0, cf);
	EXPECT_EQ(h1, h2);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	EXPECT_EQ(before.handle_refs + 2, mid.handle_refs);

	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h1, &out));
	EXPECT_EQ(0x8002, out.Flags);
	EXPECT_EQ(ESI(0x2222), out.EntitySpecificInfo);
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, out.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));

	/* Two references: two releases, then none left. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h1));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h2));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h1));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	dereg(_metadata, a);
}

TEST(add_without_handle)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), *p = NULL;
	struct rtm_stats before, mid;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, NULL, &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);	/* no reference */

	cf = 0xdead;
	ni.EntitySpecificInfo = ESI(0x77);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, NULL, &cf));
	EXPECT_EQ(0, cf);
	/* ChangeFlags may be NULL. */
	ni.EntitySpecificInfo = ESI(0x78);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, NULL, NULL));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, &p));
	ASSERT_NE(NULL, p);
	EXPECT_EQ(ESI(0x78), p->EntitySpecificInfo);
	/* Without a handle reference the owner deletes it by identity. */
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, mid.nexthops);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	dereg(_metadata, a);
}

TEST(add_by_handle_updates)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), upd, out;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h, copy;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	ni.EntitySpecificInfo = ESI(0x1111);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);

	upd = ni;
	upd.Flags = RTM_NEXTHOP_FLAGS_DOWN;
	upd.EntitySpecificInfo = ESI(0x3333);
	/* Set by RTM: ignored on input. */
	upd.NextHopOwner = FORGED_ANY;
	upd.State = RTM_NEXTHOP_STATE_DELETED;
	upd.RemoteNextHop = FORGED_ANY;
	copy = h;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &upd, &copy, &cf));
	EXPECT_EQ(h, copy);		/* handle left unchanged */
	EXPECT_EQ(0, cf);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);	/* no new ref */
	EXPECT_EQ(before.nexthops, after.nexthops);

	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h, &out));
	EXPECT_TRUE(same_addr(&ni.NextHopAddress, &out.NextHopAddress));
	EXPECT_EQ(3, out.InterfaceIndex);
	EXPECT_EQ(RTM_NEXTHOP_FLAGS_DOWN, out.Flags);
	EXPECT_EQ(ESI(0x3333), out.EntitySpecificInfo);
	EXPECT_EQ(a, out.NextHopOwner);
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, out.State);
	EXPECT_EQ(NULL, out.RemoteNextHop);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	/* Still exactly one reference: the one from the first add. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	dereg(_metadata, a);
}

TEST(add_by_handle_identity_differs)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), upd, out;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h, copy;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	ni.EntitySpecificInfo = ESI(0x1111);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);
	copy = h;

	upd = nhi(10, 0, 0, 2, 32, 3);		/* other address */
	upd.EntitySpecificInfo = ESI(0x9999);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &upd, &copy, &cf));
	upd = nhi(10, 0, 0, 1, 32, 4);		/* other interface */
	upd.EntitySpecificInfo = ESI(0x9999);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &upd, &copy, &cf));
	upd = nhi(10, 0, 0, 1, 24, 3);		/* other prefix length */
	upd.EntitySpecificInfo = ESI(0x9999);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &upd, &copy, &cf));
	EXPECT_EQ(h, copy);
	EXPECT_EQ(0xdead, cf);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);
	/* Nothing changed. */
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h, &out));
	EXPECT_EQ(ESI(0x1111), out.EntitySpecificInfo);
	EXPECT_TRUE(same_addr(&ni.NextHopAddress, &out.NextHopAddress));
	EXPECT_EQ(3, out.InterfaceIndex);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	dereg(_metadata, a);
}

TEST(add_by_handle_not_owner)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), out;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h, copy;
	RTM_ENTITY_HANDLE a, b;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	ni.EntitySpecificInfo = ESI(0x1111);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);

	ni.EntitySpecificInfo = ESI(0xbad);
	copy = h;
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmAddNextHop(b, &ni, &copy, &cf));
	/* Even while b holds a reference on it. */
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(b, 1, &copy));
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmAddNextHop(b, &ni, &copy, &cf));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(b, 1, &copy));
	EXPECT_EQ(h, copy);
	EXPECT_EQ(0xdead, cf);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(b, h, &out));
	EXPECT_EQ(ESI(0x1111), out.EntitySpecificInfo);
	EXPECT_EQ(a, out.NextHopOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(b, &out));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(add_by_handle_invalid)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3);
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	RTM_NEXTHOP_HANDLE h, held, copy;
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a;
	RTM_ROUTE_HANDLE rh;

	a = reg(_metadata, AF_INET, 1);
	h = add_nh(_metadata, a, ni);
	rh = add_route(_metadata, a, dst, h);
	before = stats_now(_metadata);

	copy = FORGED_NEXTHOP;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	copy = FORGED_ANY;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	/* A route handle is not a next hop handle. */
	copy = rh;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	EXPECT_EQ(rh, copy);
	/* The registration handle neither. */
	copy = a;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	EXPECT_EQ(0xdead, cf);
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* A deleted next hop, still referenced, cannot be updated. */
	held = h;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &held));
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	copy = held;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	EXPECT_EQ(held, copy);
	EXPECT_EQ(0xdead, cf);
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, after.nexthops);	/* route holds it */

	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &held));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	/* Destroyed: a stale handle. */
	copy = h;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a, &ni, &copy, &cf));
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	dereg(_metadata, a);
}

TEST(add_identity_is_address_and_interface)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3), out;
	RTM_NEXTHOP_HANDLE h[5] = { NULL };
	struct rtm_stats before, after;
	RTM_NEXTHOP_CHANGE_FLAGS cf;
	RTM_ENTITY_HANDLE a, b;
	int i;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h[0], &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	/* Same address, other interface: another next hop. */
	ni.InterfaceIndex = 4;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h[1], &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	EXPECT_NE(h[0], h[1]);
	/* The prefix length is part of the identity (spec 10.1). */
	ni = nhi(10, 0, 0, 1, 24, 3);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h[2], &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	EXPECT_NE(h[0], h[2]);
	/* ...and the address is canonical: 10.0.0.9/24 is 10.0.0.0/24. */
	ni = nhi(10, 0, 0, 9, 24, 3);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h[3], &cf));
	EXPECT_EQ(0, cf);
	EXPECT_EQ(h[2], h[3]);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h[3], &out));
	ni = nhi(10, 0, 0, 0, 24, 3);
	EXPECT_TRUE(same_addr(&ni.NextHopAddress, &out.NextHopAddress));
	EXPECT_EQ(0, out.NextHopAddress.AddrBits[4]);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	/* Same identity, other owner: another next hop. */
	ni = nhi(10, 0, 0, 1, 32, 3);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(b, &ni, &h[4], &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	EXPECT_NE(h[0], h[4]);
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 4, after.nexthops);
	EXPECT_EQ(before.handle_refs + 5, after.handle_refs);

	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h[3]));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h[i], NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(b, h[4], NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(add_invalid_parameter)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 3);
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h = NULL;
	RTM_ENTITY_HANDLE a, a6;

	a = reg(_metadata, AF_INET, 1);
	a6 = reg(_metadata, AF_INET6, 1);
	before = stats_now(_metadata);

	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, NULL, &h, &cf));
	ni.NextHopAddress.NumBits = 33;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &ni, &h, &cf));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &ni, NULL, &cf));
	ni.NextHopAddress.NumBits = 32;
	ni.NextHopAddress.AddressFamily = AF_INET6;	/* not the table's */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &ni, &h, &cf));
	ni.NextHopAddress.AddressFamily = 7;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a, &ni, &h, &cf));
	ni.NextHopAddress.AddressFamily = AF_INET;	/* IPv4 in an IPv6 table */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a6, &ni, &h, &cf));
	ni.NextHopAddress.AddressFamily = AF_INET6;
	ni.NextHopAddress.NumBits = 129;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmAddNextHop(a6, &ni, &h, &cf));
	EXPECT_EQ(NULL, h);
	EXPECT_EQ(0xdead, cf);
	/* A bad registration handle. */
	ni = nhi(10, 0, 0, 1, 32, 3);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(NULL, &ni, &h, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(FORGED_ANY, &ni, &h, &cf));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(FORGED_NEXTHOP, &ni, &h, &cf));
	EXPECT_EQ(NULL, h);
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* Boundary lengths are fine: /0, /32, and /128 in IPv6. */
	ni = nhi(0, 0, 0, 0, 0, 1);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, NULL, &cf));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress.AddressFamily = AF_INET6;
	ni.NextHopAddress.NumBits = 128;
	ni.NextHopAddress.AddrBits[0] = 0x20;
	ni.NextHopAddress.AddrBits[15] = 0x01;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a6, &ni, NULL, &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a6, NULL, &ni));
	dereg(_metadata, a6);
	dereg(_metadata, a);
}

TEST(add_remote_fills_remote_next_hop)
{
	RTM_NET_ADDRESS d8 = rtm_test_v4(10, 0, 0, 0, 8);
	RTM_NET_ADDRESS d16 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NEXTHOP_INFO local = nhi(192, 168, 0, 1, 32, 1);
	RTM_NEXTHOP_INFO rem = nhi(10, 1, 2, 3, 32, 0), out;
	RTM_DEST_HANDLE dh8, dh16;
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_HANDLE lh, rnh, copy;
	RTM_ROUTE_HANDLE r8, r16;
	RTM_ENTITY_HANDLE a;
	dest_buf db;

	a = reg(_metadata, AF_INET, 1);
	lh = add_nh(_metadata, a, local);
	r8 = add_route(_metadata, a, d8, lh);
	r16 = add_route(_metadata, a, d16, lh);
	dh8 = dest_of(_metadata, a, d8);
	dh16 = dest_of(_metadata, a, d16);

	/* The longest match of 10.1.2.3 is 10.1.0.0/16. */
	rem.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	rem.RemoteNextHop = FORGED_ANY;		/* ignored */
	rnh = add_nh(_metadata, a, rem);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, rnh, &out));
	EXPECT_EQ(RTM_NEXTHOP_FLAGS_REMOTE, out.Flags);
	EXPECT_EQ(dh16, out.RemoteNextHop);
	EXPECT_EQ(a, out.NextHopOwner);
	/* Owner and RemoteNextHop are referenced... */
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 2, mid.handle_refs);
	/* ...and both go back with RtmReleaseNextHopInfo. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);

	/* The cache is not refreshed when the route goes away. */
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, r16, NULL));
	release_dest(_metadata, a, dh16);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.dests, mid.dests);	/* the next hop holds it */
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, rnh, &out));
	EXPECT_EQ(dh16, out.RemoteNextHop);
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(a, out.RemoteNextHop,
					   RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(0, db.di.BelongsToViews);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(a, &db.di));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));

	/* An update recomputes it: now 10.0.0.0/8; the old dest is freed. */
	copy = rnh;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &rem, &copy, NULL));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.dests - 1, mid.dests);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, rnh, &out));
	EXPECT_EQ(dh8, out.RemoteNextHop);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));

	/* Without the flag there is no remote destination. */
	rem.Flags = 0;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &rem, &copy, NULL));
	mid = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, rnh, &out));
	EXPECT_EQ(NULL, out.RemoteNextHop);
	after = stats_now(_metadata);
	EXPECT_EQ(mid.handle_refs + 1, after.handle_refs);	/* owner only */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));

	/* REMOTE with no covering destination: NULL. */
	rem = nhi(172, 16, 0, 1, 32, 0);
	rem.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	copy = NULL;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &rem, &copy, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, copy, &out));
	EXPECT_EQ(RTM_NEXTHOP_FLAGS_REMOTE, out.Flags);
	EXPECT_EQ(NULL, out.RemoteNextHop);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, copy, NULL));

	/* Clean up: a next hop holding a dest is deleted with the dest. */
	rem = nhi(10, 1, 2, 3, 32, 0);
	rem.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	copy = rnh;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &rem, &copy, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, r8, NULL));
	release_dest(_metadata, a, dh8);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, rnh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, lh, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.dests - 2, after.dests);
	EXPECT_EQ(before.routes - 2, after.routes);
	EXPECT_EQ(before.nexthops - 2, after.nexthops);
	EXPECT_EQ(before.handle_refs - 6, after.handle_refs);
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* RtmFindNextHop                                                      */
/* ------------------------------------------------------------------ */

TEST(find_handle_and_pointer)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 5), key, upd;
	RTM_NEXTHOP_INFO *p = NULL, *p2 = NULL;
	RTM_NEXTHOP_HANDLE h, found = NULL, copy;
	struct rtm_stats before, mid;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	ni.Flags = 0x8000;
	ni.EntitySpecificInfo = ESI(0x4444);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);

	/* Only the identity is used: other input fields do not matter. */
	key = ni;
	key.Flags = 0xffff;
	key.EntitySpecificInfo = ESI(0x1);
	key.NextHopOwner = FORGED_ANY;
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &key, &found, &p));
	EXPECT_EQ(h, found);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(same_addr(&ni.NextHopAddress, &p->NextHopAddress));
	EXPECT_EQ(a, p->NextHopOwner);
	EXPECT_EQ(5, p->InterfaceIndex);
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, p->State);
	EXPECT_EQ(0x8000, p->Flags);
	EXPECT_EQ(ESI(0x4444), p->EntitySpecificInfo);
	EXPECT_EQ(NULL, p->RemoteNextHop);
	/* The key was not modified. */
	EXPECT_EQ(0xffff, key.Flags);

	/* The pointer alone takes no reference, and it is stable. */
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, &p2));
	EXPECT_EQ(p, p2);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);
	/* Refreshed on the next find after an update. */
	upd = ni;
	upd.Flags = RTM_NEXTHOP_FLAGS_DOWN;
	upd.EntitySpecificInfo = ESI(0x5555);
	copy = h;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &upd, &copy, NULL));
	p2 = NULL;
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, &p2));
	EXPECT_EQ(p, p2);
	EXPECT_EQ(RTM_NEXTHOP_FLAGS_DOWN, p->Flags);
	EXPECT_EQ(ESI(0x5555), p->EntitySpecificInfo);

	/* Passing the record to RtmReleaseNextHopInfo releases nothing. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, p));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);
	EXPECT_EQ(a, p->NextHopOwner);
	/* Neither output wanted: only "is it there". */
	EXPECT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, NULL));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);

	/* Each handle reference is released once. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &found));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, mid.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	dereg(_metadata, a);
}

TEST(find_only_own_list)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), *p = FORGED_ANY;
	RTM_NEXTHOP_HANDLE ha, hb, found = FORGED_ANY;
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a, b, c;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	c = reg(_metadata, AF_INET, 3);
	ha = add_nh(_metadata, a, ni);
	hb = add_nh(_metadata, b, ni);
	EXPECT_NE(ha, hb);
	before = stats_now(_metadata);

	/* c has no such next hop, though a and b do. */
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(c, &ni, &found, &p));
	EXPECT_EQ(FORGED_ANY, found);
	EXPECT_EQ(FORGED_ANY, p);
	/* Each finds its own. */
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(b, &ni, &found, NULL));
	EXPECT_EQ(hb, found);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(b, 1, &found));
	/* Deleted: b no longer finds it; a still finds its own. */
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(b, hb, NULL));
	found = FORGED_ANY;
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(b, &ni, &found, &p));
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(b, &ni, NULL, NULL));
	EXPECT_EQ(FORGED_ANY, found);
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, &found, NULL));
	EXPECT_EQ(ha, found);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &found));
	/* Other interface, other address: not found. */
	ni.InterfaceIndex = 2;
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, NULL, NULL));
	ni = nhi(10, 0, 0, 2, 32, 1);
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, NULL, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);

	/* Bad arguments. */
	found = FORGED_ANY;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmFindNextHop(a, NULL, &found, NULL));
	ni.NextHopAddress.NumBits = 33;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmFindNextHop(a, &ni, &found, NULL));
	ni.NextHopAddress.NumBits = 32;
	ni.NextHopAddress.AddressFamily = AF_INET6;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmFindNextHop(a, &ni, &found, NULL));
	ni = nhi(10, 0, 0, 1, 32, 1);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmFindNextHop(FORGED_ANY, &ni, &found, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmFindNextHop(ha, &ni, &found, NULL));
	EXPECT_EQ(FORGED_ANY, found);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, ha, NULL));
	dereg(_metadata, c);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* RtmDeleteNextHop                                                    */
/* ------------------------------------------------------------------ */

TEST(delete_by_handle_consumes_reference)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), out;
	RTM_NEXTHOP_INFO ni2 = nhi(10, 0, 0, 2, 32, 1);
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h, h2;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);	/* destroyed */
	/* The reference is gone: releasing it is an error. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h));
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, NULL, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, h, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a, h, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);

	/* Both given: the handle is used, the info ignored. */
	h = add_nh(_metadata, a, ni);
	h2 = add_nh(_metadata, a, ni2);
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, &ni2));
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, NULL, NULL));
	EXPECT_EQ(NO_ERROR, RtmFindNextHop(a, &ni2, NULL, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h2, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	dereg(_metadata, a);
}

TEST(delete_by_info_leaves_handle_readable)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 6), out;
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_HANDLE h, found;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	ni.Flags = 0x8000;
	ni.EntitySpecificInfo = ESI(0x6666);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);
	/* Only the identity matters in the info. */
	ni.Flags = 0;
	ni.EntitySpecificInfo = NULL;
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	EXPECT_EQ(before.nexthops, mid.nexthops);	/* h holds it */
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, &found, NULL));

	/* Still readable, with the state DELETED and its last contents. */
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h, &out));
	EXPECT_EQ(RTM_NEXTHOP_STATE_DELETED, out.State);
	EXPECT_TRUE(same_addr(&ni.NextHopAddress, &out.NextHopAddress));
	EXPECT_EQ(6, out.InterfaceIndex);
	EXPECT_EQ(0x8000, out.Flags);
	EXPECT_EQ(ESI(0x6666), out.EntitySpecificInfo);
	EXPECT_EQ(a, out.NextHopOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));

	/* Already deleted: not found, by identity or by handle. */
	EXPECT_EQ(ERROR_NOT_FOUND, RtmDeleteNextHop(a, NULL, &ni));
	EXPECT_EQ(ERROR_NOT_FOUND, RtmDeleteNextHop(a, h, NULL));
	/* The failed delete consumed nothing: one release works. */
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, h, &out));
	dereg(_metadata, a);
}

TEST(delete_bad_arguments)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1);
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmDeleteNextHop(a, NULL, NULL));
	ni.NextHopAddress.NumBits = 33;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmDeleteNextHop(a, NULL, &ni));
	ni.NextHopAddress.NumBits = 32;
	ni.NextHopAddress.AddressFamily = 7;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmDeleteNextHop(a, NULL, &ni));
	ni = nhi(10, 0, 0, 1, 32, 1);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a, FORGED_NEXTHOP, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a, FORGED_ANY, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a, a, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(NULL, h, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(FORGED_ANY, NULL, &ni));
	/* No such identity. */
	ni.InterfaceIndex = 2;
	EXPECT_EQ(ERROR_NOT_FOUND, RtmDeleteNextHop(a, NULL, &ni));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	dereg(_metadata, a);
}

TEST(delete_not_owner)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1);
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h, held;
	RTM_ENTITY_HANDLE a, b;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);

	/* b holds a reference on a's next hop but does not own it. */
	held = h;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(b, 1, &held));
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmDeleteNextHop(b, held, NULL));
	EXPECT_EQ(ERROR_ACCESS_DENIED, RtmDeleteNextHop(b, held, &ni));
	/* Nothing consumed, nothing deleted. */
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, after.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(b, 1, &held));
	EXPECT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, NULL));
	/* By identity b only searches its own list. */
	EXPECT_EQ(ERROR_NOT_FOUND, RtmDeleteNextHop(b, NULL, &ni));
	/*
	 * Without any reference, a consuming call has nothing to consume
	 * (design.md, "Handles and references").
	 */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(b, h, NULL));
	EXPECT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);

	/* Even the owner needs a reference to delete by handle. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a, h, NULL));
	EXPECT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, NULL, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(delete_route_keeps_next_hop)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), out;
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_HANDLE h;
	RTM_ROUTE_HANDLE rh;
	RTM_ENTITY_HANDLE a;
	route_buf rb;

	a = reg(_metadata, AF_INET, 1);
	h = add_nh(_metadata, a, ni);
	rh = add_route(_metadata, a, dst, h);
	before = stats_now(_metadata);

	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));	/* consumes h */
	mid = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, mid.nexthops);	/* the route holds it */
	EXPECT_EQ(before.handle_refs - 1, mid.handle_refs);
	/* The route is not modified. */
	memset(&rb, 0, sizeof(rb));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(a, rh, &rb.ri, NULL));
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, rb.ri.State);
	ASSERT_EQ(1, rb.ri.NextHopsList.NumNextHops);
	EXPECT_EQ(h, rb.ri.NextHopsList.NextHops[0]);
	/* The handle from the route info reads as a deleted next hop. */
	ASSERT_EQ(NO_ERROR,
		  RtmGetNextHopInfo(a, rb.ri.NextHopsList.NextHops[0], &out));
	EXPECT_EQ(RTM_NEXTHOP_STATE_DELETED, out.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(a, &rb.ri));
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a, &ni, NULL, NULL));

	/* Deleting the route frees the next hop. */
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	EXPECT_EQ(before.routes - 1, after.routes);
	EXPECT_EQ(before.handle_refs - 2, after.handle_refs);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, h, &out));
	dereg(_metadata, a);
}

TEST(delete_then_add_creates_new_object)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), out;
	RTM_NEXTHOP_HANDLE h1, h2 = NULL, found = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0;
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a;

	a = reg(_metadata, AF_INET, 1);
	before = stats_now(_metadata);
	h1 = add_nh(_metadata, a, ni);
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, &h2, &cf));
	EXPECT_EQ(RTM_NEXTHOP_CHANGE_NEW, cf);
	EXPECT_NE(h1, h2);
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops + 2, after.nexthops);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h1, &out));
	EXPECT_EQ(RTM_NEXTHOP_STATE_DELETED, out.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h2, &out));
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, out.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, &found, NULL));
	EXPECT_EQ(h2, found);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &found));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h1));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h2, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* RtmGetNextHopInfo / RtmReleaseNextHopInfo                           */
/* ------------------------------------------------------------------ */

TEST(get_info_all_fields)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 20, 30, 40, 32, 7), out, copy;
	struct rtm_stats before, mid;
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE h;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	ni.Flags = 0x8000;
	ni.EntitySpecificInfo = ESI(0x5555);
	h = add_nh(_metadata, a, ni);
	before = stats_now(_metadata);

	/* Read by another entity: any next hop of the table. */
	memset(&out, 0x99, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(b, h, &out));
	EXPECT_EQ(AF_INET, out.NextHopAddress.AddressFamily);
	EXPECT_EQ(32, out.NextHopAddress.NumBits);
	EXPECT_EQ(10, out.NextHopAddress.AddrBits[0]);
	EXPECT_EQ(20, out.NextHopAddress.AddrBits[1]);
	EXPECT_EQ(30, out.NextHopAddress.AddrBits[2]);
	EXPECT_EQ(40, out.NextHopAddress.AddrBits[3]);
	EXPECT_EQ(a, out.NextHopOwner);	/* the owner's registration handle */
	EXPECT_EQ(7, out.InterfaceIndex);
	EXPECT_EQ(RTM_NEXTHOP_STATE_CREATED, out.State);
	EXPECT_EQ(0x8000, out.Flags);
	EXPECT_EQ(ESI(0x5555), out.EntitySpecificInfo);
	EXPECT_EQ(NULL, out.RemoteNextHop);
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);	/* the owner */
	/* The owner reference is b's: b can release it as an entity. */
	copy = out;
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(b, &out));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	/* A second release finds nothing to give back. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(b, &copy));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);

	/* The owner reads the same. */
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h, &out));
	EXPECT_EQ(a, out.NextHopOwner);
	EXPECT_EQ(ESI(0x5555), out.EntitySpecificInfo);
	/* b cannot release a's references. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(b, &out));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 1, mid.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(get_info_bad_arguments)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), out, sentinel;
	struct rtm_stats before, after;
	RTM_DEST_HANDLE dh;
	RTM_ENTITY_HANDLE a;
	RTM_NEXTHOP_HANDLE h;
	RTM_ROUTE_HANDLE rh;

	a = reg(_metadata, AF_INET, 1);
	h = add_nh(_metadata, a, ni);
	rh = add_route(_metadata, a, dst, h);
	dh = dest_of(_metadata, a, dst);
	before = stats_now(_metadata);

	memset(&sentinel, 0x99, sizeof(sentinel));
	out = sentinel;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetNextHopInfo(a, h, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, NULL, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, FORGED_ANY, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetNextHopInfo(a, FORGED_NEXTHOP, &out));
	/* Handles of other kinds. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, rh, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, dh, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a, a, &out));
	/* A bad registration. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(h, h, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(NULL, h, &out));
	EXPECT_EQ(0, memcmp(&sentinel, &out, sizeof(out)));

	/* Release: NULL structure, bad registration, forged contents. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseNextHopInfo(a, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, h, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(FORGED_ANY, &out));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(NULL, &out));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	memset(&out, 0, sizeof(out));
	out.NextHopOwner = FORGED_ANY;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(a, &out));
	/* An owner field holding a route handle is not an entity. */
	out.NextHopOwner = rh;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(a, &out));
	/* Nothing in it: nothing to release. */
	memset(&out, 0, sizeof(out));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &out));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	release_dest(_metadata, a, dh);
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, h, NULL));
	dereg(_metadata, a);
}

/* The owner reference in a next hop info keeps a deregistered owner. */
TEST(get_info_owner_outlives_registration)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 32, 1), out;
	struct rtm_stats before, mid, after;
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE h;
	RTM_ENTITY_INFO ei;

	before = stats_now(_metadata);
	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(a, &ni, NULL, NULL));
	h = NULL;
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(a, &ni, &h, NULL));
	ASSERT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h));
	/* b reads a's next hop by its handle value. */
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(b, h, &out));
	EXPECT_EQ(a, out.NextHopOwner);

	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.entities + 2, mid.entities);	/* a lives on */
	EXPECT_EQ(before.nexthops, mid.nexthops);	/* a's next hop not */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(b, h, &ni));
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(b, out.NextHopOwner, &ei));
	EXPECT_EQ(1, ei.EntityId.EntityInstanceId);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(b, &out));
	after = stats_now(_metadata);
	EXPECT_EQ(before.entities + 1, after.entities);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(b, a, &ei));
	dereg(_metadata, b);
}

/* ------------------------------------------------------------------ */
/* RtmReleaseNextHops                                                  */
/* ------------------------------------------------------------------ */

TEST(release_next_hops)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_NEXTHOP_INFO n1 = nhi(10, 0, 0, 1, 32, 1);
	RTM_NEXTHOP_INFO n2 = nhi(10, 0, 0, 2, 32, 1);
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE h1, h2, arr[6];
	RTM_ENTITY_HANDLE a, b;
	RTM_ROUTE_HANDLE rh;

	a = reg(_metadata, AF_INET, 1);
	b = reg(_metadata, AF_INET, 2);
	h1 = add_nh(_metadata, a, n1);
	h2 = add_nh(_metadata, a, n2);
	rh = add_route(_metadata, a, dst, h1);
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &h1));
	before = stats_now(_metadata);

	/* Count 0, with or without an array. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 0, arr));
	/* A NULL array with a count. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseNextHops(a, 1, NULL));
	/* Another registration holds none of these references. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(b, 1, &h2));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* Valid, NULL, forged, valid, a route (wrong kind), valid again. */
	arr[0] = h1;
	arr[1] = NULL;
	arr[2] = FORGED_NEXTHOP;
	arr[3] = h2;
	arr[4] = rh;
	arr[5] = h2;	/* h2 had one reference only */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 6, arr));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 2, after.handle_refs);
	/* h1 had two: one is left; the route's reference is intact. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &h1));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h1));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &h2));
	/* Only NULLs: nothing to do. */
	arr[0] = NULL;
	arr[1] = NULL;
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 2, arr));
	/* A bad registration. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(FORGED_ANY, 1, &h1));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 3, after.handle_refs);
	/* The next hops live on in the owner's list. */
	EXPECT_EQ(before.nexthops, after.nexthops);

	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &n1));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &n2));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 4, after.handle_refs);
	EXPECT_EQ(before.nexthops - 2, after.nexthops);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST_HARNESS_MAIN
