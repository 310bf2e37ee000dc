// SPDX-License-Identifier: GPL-2.0
/*
 * entity_test - entity registration and discovery, and explicit
 * references (spec part 1, sections 2.2, 2.3, 3.1-3.6 and 12.1).
 *
 * RtmRegisterEntity, RtmDeregisterEntity, RtmGetRegisteredEntities,
 * RtmReleaseEntities, RtmGetEntityInfo, RtmReleaseEntityInfo and
 * RtmReferenceHandles: every documented and Proposed return code, the
 * profile, the reference accounting (checked with the module's
 * handle_refs counter) and handles of other tables.
 */
/*
 * The 6.1 harness leaves parameters unused, and its EXPECT_EQ compares the
 * plain int ERROR_* constants with DWORD results.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>

#define PROTO		1000	/* an EntityProtocolId no other test uses */
#define NH_MAX		8

/* A route buffer with room for the profile's MaxNextHopsInRoute. */
typedef union {
	RTM_ROUTE_INFO ri;
	char buf[RTM_SIZE_OF_ROUTE_INFO(NH_MAX)];
} route_buf;

/* A destination buffer with room for both views. */
typedef union {
	RTM_DEST_INFO di;
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

/* A handle value that names no object (kind "entity", unused slot). */
#define FORGED_ENTITY	((RTM_ENTITY_HANDLE)(uintptr_t)0x10000000ffffff01ULL)
#define FORGED_ANY	((HANDLE)(uintptr_t)0x1234)

static struct rtm_stats stats_now(struct __test_metadata *_metadata)
{
	struct rtm_stats st;

	memset(&st, 0, sizeof(st));
	EXPECT_EQ(0, rtm_test_stats(&st));
	return st;
}

static void fill_info(RTM_ENTITY_INFO *ei, USHORT instance, USHORT family,
		      ULONG protocol, ULONG proto_instance)
{
	memset(ei, 0, sizeof(*ei));
	ei->RtmInstanceId = instance;
	ei->AddressFamily = family;
	ei->EntityId.EntityProtocolId = protocol;
	ei->EntityId.EntityInstanceId = proto_instance;
}

/* Register entity (PROTO, id) of table (instance, family); asserts. */
static RTM_ENTITY_HANDLE reg(struct __test_metadata *_metadata,
			     USHORT instance, USHORT family, ULONG id,
			     BOOL opaque)
{
	RTM_ENTITY_HANDLE h = NULL;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;

	fill_info(&ei, instance, family, PROTO, id);
	EXPECT_EQ(NO_ERROR, RtmRegisterEntity(&ei, NULL, NULL, opaque, &p, &h));
	EXPECT_NE(NULL, h);
	return h;
}

static void dereg(struct __test_metadata *_metadata, RTM_ENTITY_HANDLE h)
{
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(h));
}

static RTM_NET_ADDRESS v6(unsigned int first16, unsigned int len)
{
	RTM_NET_ADDRESS n;

	memset(&n, 0, sizeof(n));
	n.AddressFamily = AF_INET6;
	n.NumBits = len;
	n.AddrBits[0] = first16 >> 8;
	n.AddrBits[1] = first16 & 0xff;
	return n;
}

/* Add (or find) next hop @addr/ifindex 1 and return it with a reference. */
static RTM_NEXTHOP_HANDLE add_nh(struct __test_metadata *_metadata,
				 RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS addr)
{
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_NEXTHOP_INFO ni;

	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = addr;
	ni.InterfaceIndex = 1;
	EXPECT_EQ(NO_ERROR, RtmAddNextHop(h, &ni, &nh, NULL));
	EXPECT_NE(NULL, nh);
	return nh;
}

/* Add a route to @dest through @nh and return it with a reference. */
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

static void dummy_method(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
			 RTM_ENTITY_METHOD_INPUT *in,
			 RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller;
	(void)callee;
	(void)in;
	(void)out;
}

/* ------------------------------------------------------------------ */
/* RtmRegisterEntity                                                   */
/* ------------------------------------------------------------------ */

TEST(register_profile)
{
	struct rtm_stats before = stats_now(_metadata), mid, after;
	RTM_ENTITY_HANDLE h = NULL;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;

	memset(&p, 0xa5, sizeof(p));
	fill_info(&ei, 0, AF_INET, PROTO, 1);
	ASSERT_EQ(NO_ERROR, RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	EXPECT_NE(NULL, h);
	EXPECT_EQ(8, p.MaxNextHopsInRoute);
	EXPECT_EQ(64, p.MaxHandlesInEnum);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST, p.ViewsSupported);
	EXPECT_EQ(0x3, p.ViewsSupported);
	EXPECT_EQ(2, p.NumberOfViews);
	/* A handle is a value of the entity kind, never a kernel address. */
	EXPECT_EQ(RTM_HT_ENTITY, RTM_HANDLE_TYPE((uintptr_t)h));

	mid = stats_now(_metadata);
	EXPECT_EQ(before.registrations + 1, mid.registrations);
	EXPECT_EQ(before.entities + 1, mid.entities);
	/* The registration's own reference is not a booked handle reference. */
	EXPECT_EQ(before.handle_refs, mid.handle_refs);

	/* Same profile in an IPv6 table. */
	fill_info(&ei, 0, AF_INET6, PROTO, 1);
	memset(&p, 0xa5, sizeof(p));
	{
		RTM_ENTITY_HANDLE h6 = NULL;

		ASSERT_EQ(NO_ERROR,
			  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h6));
		EXPECT_EQ(8, p.MaxNextHopsInRoute);
		EXPECT_EQ(64, p.MaxHandlesInEnum);
		EXPECT_EQ(0x3, p.ViewsSupported);
		EXPECT_EQ(2, p.NumberOfViews);
		EXPECT_NE(h, h6);
		dereg(_metadata, h6);
	}

	dereg(_metadata, h);
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
}

TEST(register_same_id_twice)
{
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE h, h2 = FORGED_ANY;
	RTM_REGN_PROFILE p, p0;
	RTM_ENTITY_INFO ei;

	h = reg(_metadata, 0, AF_INET, 1, FALSE);
	before = stats_now(_metadata);
	fill_info(&ei, 0, AF_INET, PROTO, 1);
	memset(&p, 0x5a, sizeof(p));
	p0 = p;
	EXPECT_EQ(ERROR_ALREADY_EXISTS,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h2));
	/* Outputs untouched on failure (spec 2.2). */
	EXPECT_EQ(FORGED_ANY, h2);
	EXPECT_EQ(0, memcmp(&p, &p0, sizeof(p)));
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);

	/* Once deregistered the id is free again. */
	dereg(_metadata, h);
	h = reg(_metadata, 0, AF_INET, 1, FALSE);
	dereg(_metadata, h);
}

TEST(register_same_id_other_table)
{
	RTM_ENTITY_HANDLE a, b, c, d, e, f;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 1, AF_INET, 1, FALSE);	/* other instance */
	c = reg(_metadata, 0, AF_INET6, 1, FALSE);	/* other family */
	d = reg(_metadata, 65535, AF_INET6, 1, FALSE);	/* any instance id */
	e = reg(_metadata, 0, AF_INET, 2, FALSE);	/* other EntityInstanceId */
	/* Same EntityInstanceId, other EntityProtocolId. */
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO + 1, 1, AF_INET, &f, NULL));
	dereg(_metadata, f);
	EXPECT_NE(a, b);
	EXPECT_NE(a, c);
	EXPECT_NE(b, c);
	EXPECT_NE(c, d);
	EXPECT_NE(a, e);
	dereg(_metadata, e);
	dereg(_metadata, d);
	dereg(_metadata, c);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(register_invalid_parameter)
{
	struct rtm_stats before = stats_now(_metadata), after;
	RTM_ENTITY_HANDLE h = FORGED_ANY;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;

	fill_info(&ei, 0, AF_INET, PROTO, 1);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(NULL, NULL, NULL, FALSE, &p, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, NULL, &h));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, NULL));
	/* Unsupported families. */
	ei.AddressFamily = 7;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	ei.AddressFamily = AF_UNSPEC;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	ei.AddressFamily = 23;	/* Windows' AF_INET6 */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	EXPECT_EQ(FORGED_ANY, h);
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);
	EXPECT_EQ(before.tables, after.tables);
}

TEST(register_export_methods)
{
	struct rtm_stats before = stats_now(_metadata), after;
	PRTM_ENTITY_EXPORT_METHODS m;
	RTM_ENTITY_HANDLE h = FORGED_ANY;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;
	UINT i;

	m = calloc(1, sizeof(*m) + 40 * sizeof(m->Methods[0]));
	ASSERT_NE(NULL, m);
	for (i = 0; i < 40; i++)
		m->Methods[i] = dummy_method;
	fill_info(&ei, 0, AF_INET, PROTO, 1);

	/* More than 32 methods. */
	m->NumMethods = 33;
	EXPECT_EQ(ERROR_INVALID_DATA,
		  RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	m->NumMethods = 0xffffffff;
	EXPECT_EQ(ERROR_INVALID_DATA,
		  RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	/* A NULL method pointer, first or last. */
	m->NumMethods = 2;
	m->Methods[1] = NULL;
	EXPECT_EQ(ERROR_INVALID_DATA,
		  RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	m->Methods[1] = dummy_method;
	m->Methods[0] = NULL;
	EXPECT_EQ(ERROR_INVALID_DATA,
		  RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	EXPECT_EQ(FORGED_ANY, h);
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);

	/* NumMethods 0 is the same as no table: Methods[0] is not read. */
	m->NumMethods = 0;
	h = NULL;
	EXPECT_EQ(NO_ERROR, RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	EXPECT_NE(NULL, h);
	dereg(_metadata, h);

	/* Exactly 32 valid methods is the maximum. */
	m->Methods[0] = dummy_method;
	m->NumMethods = 32;
	h = NULL;
	EXPECT_EQ(NO_ERROR, RtmRegisterEntity(&ei, m, NULL, FALSE, &p, &h));
	EXPECT_NE(NULL, h);
	dereg(_metadata, h);
	free(m);
}

TEST(register_opaque_slots)
{
	RTM_ENTITY_HANDLE h[8], extra = FORGED_ANY, other, plain;
	struct rtm_stats before, after;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;
	int i;

	/* The table has 8 opaque slots (spec 3.1 default). */
	for (i = 0; i < 8; i++)
		h[i] = reg(_metadata, 0, AF_INET, 10 + i, TRUE);
	before = stats_now(_metadata);
	fill_info(&ei, 0, AF_INET, PROTO, 99);
	EXPECT_EQ(ERROR_NO_SYSTEM_RESOURCES,
		  RtmRegisterEntity(&ei, NULL, NULL, TRUE, &p, &extra));
	EXPECT_EQ(FORGED_ANY, extra);
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);

	/* Without a reservation, registration still works. */
	plain = reg(_metadata, 0, AF_INET, 98, FALSE);
	/* Slots are per table: another instance has its own 8. */
	other = reg(_metadata, 1, AF_INET, 99, TRUE);

	/* Deregistration frees a slot. */
	dereg(_metadata, h[3]);
	h[3] = reg(_metadata, 0, AF_INET, 99, TRUE);
	/* ...and only one. */
	fill_info(&ei, 0, AF_INET, PROTO, 97);
	EXPECT_EQ(ERROR_NO_SYSTEM_RESOURCES,
		  RtmRegisterEntity(&ei, NULL, NULL, TRUE, &p, &extra));

	dereg(_metadata, other);
	dereg(_metadata, plain);
	for (i = 0; i < 8; i++)
		dereg(_metadata, h[i]);
}

static DWORD event_cb(RTM_ENTITY_HANDLE h, RTM_EVENT_TYPE type, PVOID c1,
		      PVOID c2)
{
	(void)h;
	(void)type;
	(void)c1;
	(void)c2;
	return NO_ERROR;
}

TEST(register_with_event_callback)
{
	struct rtm_stats before = stats_now(_metadata), after;
	RTM_ENTITY_HANDLE h = NULL, h2 = NULL;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;

	fill_info(&ei, 0, AF_INET, PROTO, 1);
	ASSERT_EQ(NO_ERROR, RtmRegisterEntity(&ei, NULL, event_cb, FALSE, &p,
					      &h));
	EXPECT_NE(NULL, h);
	EXPECT_EQ(8, p.MaxNextHopsInRoute);
	fill_info(&ei, 0, AF_INET, PROTO, 2);
	ASSERT_EQ(NO_ERROR, RtmRegisterEntity(&ei, NULL, event_cb, TRUE, &p,
					      &h2));
	dereg(_metadata, h2);
	dereg(_metadata, h);
	after = stats_now(_metadata);
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);
}

/*
 * Spec 3.1 Proposed: ERROR_FILE_NOT_FOUND when the RTM device cannot be
 * opened (module absent).  A private mount namespace hides /dev/rtm.  A
 * file there that is not the RTM device (it does not answer the version
 * query) is a configuration error: ERROR_BAD_CONFIGURATION.
 */
TEST(register_without_device)
{
	RTM_ENTITY_HANDLE h = FORGED_ANY;
	struct rtm_stats before, after;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;
	int fd, f;

	/* Keep a file of the real device to read the counters through. */
	fd = open("/dev/rtm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RTM_IOC_STATS, &before));
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("tmpfs", "/dev", "tmpfs", 0, NULL));

	fill_info(&ei, 0, AF_INET, PROTO, 1);
	EXPECT_EQ(ERROR_FILE_NOT_FOUND,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	EXPECT_EQ(FORGED_ANY, h);

	f = open("/dev/rtm", O_RDWR | O_CREAT, 0666);
	ASSERT_LE(0, f);
	close(f);
	EXPECT_EQ(ERROR_BAD_CONFIGURATION,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &h));
	EXPECT_EQ(FORGED_ANY, h);

	ASSERT_EQ(0, ioctl(fd, RTM_IOC_STATS, &after));
	EXPECT_EQ(before.registrations, after.registrations);
	EXPECT_EQ(before.entities, after.entities);
	close(fd);
}

/* Spec 3.1 Proposed: the maximum number of registrations per table. */
TEST(register_table_full)
{
	RTM_ENTITY_HANDLE *h, extra = FORGED_ANY, other;
	struct rlimit rl = { 8192, 8192 };
	unsigned int max = 0, i;
	RTM_REGN_PROFILE p;
	RTM_ENTITY_INFO ei;
	FILE *f;

	f = fopen("/sys/module/rtm/parameters/max_entities", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%u", &max));
	fclose(f);
	ASSERT_GT(max, 0);
	ASSERT_LT(max, 8000);
	/* One registration is one open file. */
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	h = calloc(max, sizeof(*h));
	ASSERT_NE(NULL, h);
	for (i = 0; i < max; i++) {
		h[i] = reg(_metadata, 7, AF_INET, 1000 + i, FALSE);
		if (!h[i])
			break;
	}
	ASSERT_EQ(max, i);
	fill_info(&ei, 7, AF_INET, PROTO, 999999);
	EXPECT_EQ(ERROR_NO_SYSTEM_RESOURCES,
		  RtmRegisterEntity(&ei, NULL, NULL, FALSE, &p, &extra));
	EXPECT_EQ(FORGED_ANY, extra);
	/* Other tables are not affected. */
	other = reg(_metadata, 8, AF_INET, 999999, FALSE);
	dereg(_metadata, other);
	/* A deregistration makes room. */
	dereg(_metadata, h[0]);
	h[0] = reg(_metadata, 7, AF_INET, 999999, FALSE);
	for (i = 0; i < max; i++)
		dereg(_metadata, h[i]);
	free(h);
}

/* ------------------------------------------------------------------ */
/* RtmDeregisterEntity                                                 */
/* ------------------------------------------------------------------ */

TEST(deregister_then_handle_invalid)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NET_ADDRESS gw = rtm_test_v4(10, 0, 0, 1, 32);
	RTM_ENTITY_HANDLE h, other, list[4];
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_ROUTE_HANDLE rh = NULL;
	RTM_ENUM_HANDLE en = NULL;
	RTM_NEXTHOP_INFO ni, *np;
	RTM_VIEW_SET views;
	RTM_ENTITY_INFO ei;
	route_buf rb;
	dest_buf db;
	UINT n = 4;

	h = reg(_metadata, 0, AF_INET, 1, FALSE);
	other = reg(_metadata, 0, AF_INET, 2, FALSE);
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(h));

	/* The dead handle is refused by every function. */
	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = gw;
	memset(&rb, 0, sizeof(rb));
	rb.ri.PrefInfo.Preference = 1;
	rb.ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(h));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRegisteredEntities(h, &n, list, NULL));
	EXPECT_EQ(4, n);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(h, 1, &other));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(h, h, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(h, other, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntityInfo(h, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(h, 1, &other));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(h, &ni, &nh, NULL));
	EXPECT_EQ(NULL, nh);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmFindNextHop(h, &ni, &nh, &np));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(h, NULL, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(h, FORGED_ANY, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHopInfo(h, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(h, 1, &nh));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmAddRouteToDest(h, &rh, &dst, &rb.ri, INFINITE, NULL, 0,
				    NULL, NULL));
	EXPECT_EQ(NULL, rh);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmDeleteRouteToDest(h, FORGED_ANY, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRouteInfo(h, FORGED_ANY, &rb.ri, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRouteInfo(h, &rb.ri));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmIsBestRoute(h, FORGED_ANY, &views));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(h, 1, &rh));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetExactMatchRoute(h, &dst, RTM_MATCH_NONE, &rb.ri, 0,
					RTM_VIEW_MASK_ANY, &rh));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetExactMatchDestination(h, &dst, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ALL, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetMostSpecificDestination(h, &dst, RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_ALL, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetLessSpecificDestination(h, FORGED_ANY,
						RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_ALL, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetDestInfo(h, FORGED_ANY, RTM_BEST_PROTOCOL,
				 RTM_VIEW_MASK_ALL, &db.di));
	memset(&db, 0, sizeof(db));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDestInfo(h, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDests(h, 1, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateDestEnum(h, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL,
				    RTM_BEST_PROTOCOL, &en));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateRouteEnum(h, NULL, RTM_VIEW_MASK_ANY,
				     RTM_ENUM_START, NULL, RTM_MATCH_NONE,
				     NULL, 0, &en));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmCreateNextHopEnum(h, RTM_ENUM_START, NULL, &en));
	EXPECT_EQ(NULL, en);
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEnumDests(h, FORGED_ANY, &n, &db.di));
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEnumRoutes(h, FORGED_ANY, &n, &rh));
	n = 1;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEnumNextHops(h, FORGED_ANY, &n, &nh));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteEnumHandle(h, FORGED_ANY));

	/* Nobody held a reference on it: the entity object is gone. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(other, h, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(other, 1, &h));
	n = 4;
	EXPECT_EQ(NO_ERROR, RtmGetRegisteredEntities(other, &n, NULL, NULL));
	EXPECT_EQ(1, n);
	dereg(_metadata, other);
}

TEST(deregister_forged_handle)
{
	RTM_ENTITY_HANDLE h = reg(_metadata, 0, AF_INET, 1, FALSE);
	RTM_ENTITY_HANDLE stale;
	RTM_ENTITY_INFO ei;

	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(FORGED_ANY));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(FORGED_ENTITY));
	/* Same slot, other generation; same slot and generation, other kind. */
	stale = (RTM_ENTITY_HANDLE)((uintptr_t)h ^ (1ULL << 32));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(stale));
	stale = (RTM_ENTITY_HANDLE)((uintptr_t)h ^ (6ULL << 60));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeregisterEntity(stale));
	/* The real registration was not touched by any of these. */
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(h, h, &ei));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(h));
}

/* Spec 3.2 Proposed: RTM cleans up what the client left behind. */
TEST(deregister_releases_everything)
{
	struct rtm_stats before = stats_now(_metadata), mid, after;
	RTM_ENTITY_HANDLE a, b, list[4], o[8];
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE rh;
	RTM_ENUM_HANDLE en = NULL;
	RTM_NET_ADDRESS d;
	dest_buf db;
	UINT n = 4;
	int i;

	a = reg(_metadata, 0, AF_INET, 1, TRUE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	rh = add_route(_metadata, a, rtm_test_v4(10, 1, 0, 0, 16), nh);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, list, NULL));
	ASSERT_EQ(2, n);
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &rh));
	ASSERT_EQ(NO_ERROR,
		  RtmCreateRouteEnum(a, NULL, RTM_VIEW_MASK_ANY,
				     RTM_ENUM_START, NULL, RTM_MATCH_NONE,
				     NULL, 0, &en));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.routes + 1, mid.routes);
	EXPECT_EQ(before.nexthops + 1, mid.nexthops);
	EXPECT_EQ(before.dests + 1, mid.dests);
	EXPECT_EQ(before.enums + 1, mid.enums);
	EXPECT_EQ(before.handle_refs + 5, mid.handle_refs);

	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	after = stats_now(_metadata);
	EXPECT_EQ(before.routes, after.routes);
	EXPECT_EQ(before.nexthops, after.nexthops);
	EXPECT_EQ(before.dests, after.dests);
	EXPECT_EQ(before.enums, after.enums);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.entities + 1, after.entities);		/* b */
	EXPECT_EQ(before.registrations + 1, after.registrations);
	/* The route is gone from the table for the others. */
	d = rtm_test_v4(10, 1, 0, 0, 16);
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(b, &d, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ANY, &db.di));
	/* Its opaque slot is free again: 8 more reservations fit. */
	for (i = 0; i < 8; i++)
		o[i] = reg(_metadata, 0, AF_INET, 20 + i, TRUE);
	for (i = 0; i < 8; i++)
		dereg(_metadata, o[i]);
	dereg(_metadata, b);
	after = stats_now(_metadata);
	EXPECT_EQ(before.entities, after.entities);
	EXPECT_EQ(before.registrations, after.registrations);
}

/* ------------------------------------------------------------------ */
/* RtmGetRegisteredEntities                                            */
/* ------------------------------------------------------------------ */

TEST(get_entities_lists_all)
{
	RTM_ENTITY_HANDLE e[3], v6e, inst1, hs[8];
	struct rtm_stats before, mid;
	RTM_ENTITY_INFO infos[8];
	UINT n, i;

	e[0] = reg(_metadata, 0, AF_INET, 3, FALSE);
	e[1] = reg(_metadata, 0, AF_INET, 1, FALSE);
	v6e = reg(_metadata, 0, AF_INET6, 5, FALSE);	/* other tables: */
	inst1 = reg(_metadata, 1, AF_INET, 5, FALSE);	/* not listed */
	e[2] = reg(_metadata, 0, AF_INET, 2, FALSE);

	before = stats_now(_metadata);
	memset(hs, 0, sizeof(hs));
	memset(infos, 0, sizeof(infos));
	n = 8;
	/* Asked by the second entity; the caller itself is listed. */
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[1], &n, hs, infos));
	ASSERT_EQ(3, n);
	/* Registration order, not id order; handle = registration handle. */
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(e[i], hs[i]);
		EXPECT_EQ(0, infos[i].RtmInstanceId);
		EXPECT_EQ(AF_INET, infos[i].AddressFamily);
		EXPECT_EQ(PROTO, infos[i].EntityId.EntityProtocolId);
	}
	EXPECT_EQ(3, infos[0].EntityId.EntityInstanceId);
	EXPECT_EQ(1, infos[1].EntityId.EntityInstanceId);
	EXPECT_EQ(2, infos[2].EntityId.EntityInstanceId);
	EXPECT_EQ(((ULONGLONG)2 << 32) | PROTO, infos[2].EntityId.EntityId);
	/* Nothing written past the count. */
	EXPECT_EQ(NULL, hs[3]);
	EXPECT_EQ(0, infos[3].AddressFamily);
	/* One reference per handle. */
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 3, mid.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(e[1], n, hs));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);

	/* The other tables see only themselves. */
	n = 8;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(v6e, &n, hs, infos));
	ASSERT_EQ(1, n);
	EXPECT_EQ(v6e, hs[0]);
	EXPECT_EQ(AF_INET6, infos[0].AddressFamily);
	EXPECT_EQ(0, infos[0].RtmInstanceId);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(v6e, 1, hs));
	n = 8;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(inst1, &n, hs, infos));
	ASSERT_EQ(1, n);
	EXPECT_EQ(inst1, hs[0]);
	EXPECT_EQ(1, infos[0].RtmInstanceId);
	EXPECT_EQ(AF_INET, infos[0].AddressFamily);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(inst1, 1, hs));

	/* A deregistered entity is no longer listed; order is kept. */
	dereg(_metadata, e[0]);
	n = 8;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[2], &n, hs, NULL));
	ASSERT_EQ(2, n);
	EXPECT_EQ(e[1], hs[0]);
	EXPECT_EQ(e[2], hs[1]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(e[2], n, hs));
	/* A new one comes last. */
	e[0] = reg(_metadata, 0, AF_INET, 3, FALSE);
	n = 8;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[2], &n, hs, NULL));
	ASSERT_EQ(3, n);
	EXPECT_EQ(e[1], hs[0]);
	EXPECT_EQ(e[2], hs[1]);
	EXPECT_EQ(e[0], hs[2]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(e[2], n, hs));

	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, mid.handle_refs);
	for (i = 0; i < 3; i++)
		dereg(_metadata, e[i]);
	dereg(_metadata, v6e);
	dereg(_metadata, inst1);
}

TEST(get_entities_insufficient_buffer)
{
	RTM_ENTITY_HANDLE e[3], hs[4];
	struct rtm_stats before, after;
	RTM_ENTITY_INFO infos[4];
	UINT n, i;

	for (i = 0; i < 3; i++)
		e[i] = reg(_metadata, 0, AF_INET, i + 1, FALSE);
	before = stats_now(_metadata);

	/* Microsoft's sample: ask with 0 to learn the count. */
	memset(hs, 0x77, sizeof(hs));
	memset(infos, 0x77, sizeof(infos));
	n = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetRegisteredEntities(e[0], &n, hs, infos));
	EXPECT_EQ(3, n);
	/* Too small but not zero: same answer, nothing written. */
	n = 2;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetRegisteredEntities(e[0], &n, hs, infos));
	EXPECT_EQ(3, n);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ((uintptr_t)0x7777777777777777ULL, (uintptr_t)hs[i]);
		EXPECT_EQ(0x7777, infos[i].AddressFamily);
	}
	/* Only one array given. */
	n = 1;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetRegisteredEntities(e[0], &n, hs, NULL));
	EXPECT_EQ(3, n);
	n = 1;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetRegisteredEntities(e[0], &n, NULL, infos));
	EXPECT_EQ(3, n);
	/* No reference was taken by any of these. */
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* The returned count is enough. */
	n = 3;
	EXPECT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[0], &n, hs, infos));
	EXPECT_EQ(3, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(e[0], n, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	for (i = 0; i < 3; i++)
		dereg(_metadata, e[i]);
}

TEST(get_entities_count_only)
{
	RTM_ENTITY_HANDLE e[2];
	struct rtm_stats before, after;
	UINT n;

	e[0] = reg(_metadata, 0, AF_INET, 1, FALSE);
	e[1] = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	/* Both arrays NULL: the same capacity rule, only the count. */
	n = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetRegisteredEntities(e[0], &n, NULL, NULL));
	EXPECT_EQ(2, n);
	n = 10;
	EXPECT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[0], &n, NULL, NULL));
	EXPECT_EQ(2, n);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* NumEntities is required. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetRegisteredEntities(e[0], NULL, NULL, NULL));
	/* A bad registration handle. */
	n = 10;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRegisteredEntities(FORGED_ENTITY, &n, NULL, NULL));
	EXPECT_EQ(10, n);
	dereg(_metadata, e[1]);
	dereg(_metadata, e[0]);
}

TEST(get_entities_one_array)
{
	RTM_ENTITY_HANDLE e[2], hs[4];
	struct rtm_stats before, after;
	RTM_ENTITY_INFO infos[4];
	UINT n;

	e[0] = reg(_metadata, 0, AF_INET, 1, FALSE);
	e[1] = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);

	/* Infos only: plain data, no reference. */
	memset(infos, 0, sizeof(infos));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[0], &n, NULL, infos));
	ASSERT_EQ(2, n);
	EXPECT_EQ(AF_INET, infos[0].AddressFamily);
	EXPECT_EQ(1, infos[0].EntityId.EntityInstanceId);
	EXPECT_EQ(PROTO, infos[1].EntityId.EntityProtocolId);
	EXPECT_EQ(2, infos[1].EntityId.EntityInstanceId);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* Handles only: referenced. */
	memset(hs, 0, sizeof(hs));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(e[0], &n, hs, NULL));
	ASSERT_EQ(2, n);
	EXPECT_EQ(e[0], hs[0]);
	EXPECT_EQ(e[1], hs[1]);
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 2, after.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(e[0], 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	dereg(_metadata, e[1]);
	dereg(_metadata, e[0]);
}

/* ------------------------------------------------------------------ */
/* RtmReleaseEntities                                                  */
/* ------------------------------------------------------------------ */

TEST(release_entities_once)
{
	RTM_ENTITY_HANDLE a, b, hs[2];
	struct rtm_stats before, after;
	UINT n = 2;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	ASSERT_EQ(2, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* A second release finds no reference to give back. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hs[1]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* The entities themselves are not affected. */
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetRegisteredEntities(b, &n, NULL, NULL));
	EXPECT_EQ(2, n);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(release_entities_nulls_and_zero)
{
	RTM_ENTITY_HANDLE a, b, hs[4];
	struct rtm_stats before, after;
	UINT n = 2;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	/* Count 0: nothing to do, even with no array. */
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 0, hs));
	/* NULL elements are skipped silently. */
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	ASSERT_EQ(2, n);
	hs[3] = hs[1];
	hs[1] = NULL;
	hs[2] = NULL;
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 4, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	hs[0] = NULL;
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, hs));
	/* A bad registration handle. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(NULL, 0, NULL));
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(release_entities_own_handle)
{
	RTM_ENTITY_HANDLE a, b, hs[2];
	struct rtm_stats before, after;
	RTM_ENTITY_INFO ei;
	UINT n = 2;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	/* The registration handle is not an obtained reference. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &a));
	/* Nor is another entity's handle the caller never obtained. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &b));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* The registration survived the attempt. */
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(a, a, &ei));
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(b, a, &ei));

	/* With an obtained reference, releasing the own handle is fine... */
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	ASSERT_EQ(a, hs[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hs[0]));
	/* ...once, and the registration still works. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hs[0]));
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(a, a, &ei));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hs[1]));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(release_entities_partial)
{
	RTM_ENTITY_HANDLE a, b, c, hs[3], arr[6];
	struct rtm_stats before, mid, after;
	RTM_NEXTHOP_HANDLE nh;
	RTM_NEXTHOP_INFO ni;
	UINT n = 3;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	c = reg(_metadata, 0, AF_INET, 3, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	ASSERT_EQ(3, n);
	mid = stats_now(_metadata);
	ASSERT_EQ(before.handle_refs + 3, mid.handle_refs);

	/* Valid, forged, valid, a next hop (wrong kind), NULL, valid. */
	arr[0] = hs[0];
	arr[1] = FORGED_ENTITY;
	arr[2] = hs[1];
	arr[3] = nh;
	arr[4] = NULL;
	arr[5] = hs[2];
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 6, arr));
	/* Every valid element was released, the next hop was not. */
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hs[0]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hs[2]));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &nh));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = rtm_test_v4(10, 0, 0, 1, 32);
	ni.InterfaceIndex = 1;
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, NULL, &ni));
	dereg(_metadata, c);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

/* A reference held by one registration cannot be released by another. */
TEST(release_entities_other_registration)
{
	RTM_ENTITY_HANDLE a, b, hs[2];
	struct rtm_stats before, after;
	UINT n = 2;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(b, 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 2, after.handle_refs);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* RtmGetEntityInfo / RtmReleaseEntityInfo                             */
/* ------------------------------------------------------------------ */

TEST(entity_info_self_and_other)
{
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a, b, c;
	RTM_ENTITY_INFO ei, copy;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 0xfeedbeef, FALSE);
	before = stats_now(_metadata);

	memset(&ei, 0x33, sizeof(ei));
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(a, a, &ei));
	EXPECT_EQ(0, ei.RtmInstanceId);
	EXPECT_EQ(AF_INET, ei.AddressFamily);
	EXPECT_EQ(PROTO, ei.EntityId.EntityProtocolId);
	EXPECT_EQ(1, ei.EntityId.EntityInstanceId);
	/* No reference taken; the release is accepted and changes nothing. */
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	copy = ei;
	EXPECT_EQ(NO_ERROR, RtmReleaseEntityInfo(a, &ei));
	EXPECT_EQ(0, memcmp(&copy, &ei, sizeof(ei)));

	/* Another entity, named by the value of its registration handle. */
	memset(&ei, 0x33, sizeof(ei));
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(a, b, &ei));
	EXPECT_EQ(0, ei.RtmInstanceId);
	EXPECT_EQ(AF_INET, ei.AddressFamily);
	EXPECT_EQ(PROTO, ei.EntityId.EntityProtocolId);
	EXPECT_EQ(0xfeedbeef, ei.EntityId.EntityInstanceId);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntityInfo(a, &ei));
	/* And the other way round. */
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(b, a, &ei));
	EXPECT_EQ(1, ei.EntityId.EntityInstanceId);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntityInfo(b, &ei));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	/* Other instance: its RtmInstanceId is reported. */
	c = reg(_metadata, 4242, AF_INET6, 9, FALSE);
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(c, c, &ei));
	EXPECT_EQ(4242, ei.RtmInstanceId);
	EXPECT_EQ(AF_INET6, ei.AddressFamily);
	EXPECT_EQ(9, ei.EntityId.EntityInstanceId);
	dereg(_metadata, c);

	/* Release: NULL structure, bad registration. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmReleaseEntityInfo(a, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntityInfo(FORGED_ENTITY, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntityInfo(NULL, &ei));
	/* Get: NULL output, bad registration. */
	EXPECT_EQ(ERROR_INVALID_PARAMETER, RtmGetEntityInfo(a, b, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(FORGED_ENTITY, a, &ei));
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(entity_info_deregistered_but_referenced)
{
	struct rtm_stats before, mid, after;
	RTM_ENTITY_HANDLE a, b, hs[2];
	RTM_ENTITY_INFO ei;
	UINT n = 2;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, hs, NULL));
	ASSERT_EQ(b, hs[1]);
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(b));

	/* The object lives on while a holds a reference. */
	mid = stats_now(_metadata);
	EXPECT_EQ(before.entities, mid.entities);
	EXPECT_EQ(before.registrations - 1, mid.registrations);
	memset(&ei, 0, sizeof(ei));
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(a, b, &ei));
	EXPECT_EQ(AF_INET, ei.AddressFamily);
	EXPECT_EQ(PROTO, ei.EntityId.EntityProtocolId);
	EXPECT_EQ(2, ei.EntityId.EntityInstanceId);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntityInfo(a, &ei));
	/* It is no longer listed. */
	n = 2;
	EXPECT_EQ(NO_ERROR, RtmGetRegisteredEntities(a, &n, NULL, NULL));
	EXPECT_EQ(1, n);
	/* It may still be referenced explicitly (spec 12.1). */
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &hs[1]));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hs[1]));

	/* Last reference gone: the handle is dead. */
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 2, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.entities - 1, after.entities);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, b, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 1, &b));
	dereg(_metadata, a);
}

TEST(entity_info_bad_handles)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 1, 0, 0, 16);
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a, v6, i1;
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE rh;
	RTM_ENTITY_INFO ei, sentinel;
	RTM_ENUM_HANDLE en;
	dest_buf db;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	v6 = reg(_metadata, 0, AF_INET6, 1, FALSE);
	i1 = reg(_metadata, 1, AF_INET, 1, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	rh = add_route(_metadata, a, dst, nh);
	ASSERT_EQ(NO_ERROR,
		  RtmGetExactMatchDestination(a, &dst, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ALL, &db.di));
	ASSERT_EQ(NO_ERROR,
		  RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &en));
	before = stats_now(_metadata);

	memset(&sentinel, 0x44, sizeof(sentinel));
	ei = sentinel;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, NULL, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, FORGED_ANY, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, FORGED_ENTITY, &ei));
	/* Handles of other kinds are not entity handles. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, rh, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityInfo(a, db.di.DestHandle, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, nh, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, en, &ei));
	/* Entities of other tables (spec 3.5: own instance and family). */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, v6, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a, i1, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(v6, a, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(i1, a, &ei));
	EXPECT_EQ(0, memcmp(&sentinel, &ei, sizeof(ei)));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(a, en));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(a, &db.di));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, nh, NULL));
	dereg(_metadata, i1);
	dereg(_metadata, v6);
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* RtmReferenceHandles                                                 */
/* ------------------------------------------------------------------ */

TEST(reference_handles_each_kind)
{
	RTM_NET_ADDRESS dst = rtm_test_v4(10, 1, 0, 0, 16);
	struct rtm_stats before, mid, after;
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE rh;
	HANDLE hs[5];
	dest_buf db, bare;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	rh = add_route(_metadata, a, dst, nh);
	ASSERT_EQ(NO_ERROR,
		  RtmGetExactMatchDestination(a, &dst, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ANY, &db.di));
	ASSERT_EQ(0, db.di.NumberOfViews);
	before = stats_now(_metadata);

	/* Entity (another one), destination, route, next hop, twice b. */
	hs[0] = b;
	hs[1] = db.di.DestHandle;
	hs[2] = rh;
	hs[3] = nh;
	hs[4] = b;
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(a, 5, hs));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 5, mid.handle_refs);
	/* b may reference objects of a: queries name any live object. */
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(b, 3, &hs[1]));
	mid = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs + 8, mid.handle_refs);

	/* Each reference goes back with the release of its kind. */
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hs[0]));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hs[4]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hs[4]));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(a, 1, &hs[2]));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &hs[3]));
	memset(&bare, 0, sizeof(bare));
	bare.di.DestHandle = hs[1];
	bare.di.NumberOfViews = 0;
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(a, &bare.di));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(b, 1, &hs[2]));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(b, 1, &hs[3]));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(b, &bare.di));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* The original references are still there, exactly once. */
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(a, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseDestInfo(a, &bare.di));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, rh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a, nh, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 3, after.handle_refs);
	dereg(_metadata, b);
	dereg(_metadata, a);
}

TEST(reference_handles_all_or_nothing)
{
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE nh;
	RTM_ENUM_HANDLE en;
	HANDLE hs[4];

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	b = reg(_metadata, 0, AF_INET, 2, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	ASSERT_EQ(NO_ERROR,
		  RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &en));
	before = stats_now(_metadata);

	/* One bad element, last: nothing referenced. */
	hs[0] = b;
	hs[1] = nh;
	hs[2] = a;
	hs[3] = FORGED_ENTITY;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 4, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* A NULL element is invalid, wherever it is. */
	hs[3] = NULL;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 4, hs));
	hs[3] = b;
	hs[0] = NULL;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 4, hs));
	/* Enumeration handles are not referenceable. */
	hs[0] = en;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 4, hs));
	hs[0] = FORGED_ANY;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 4, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	/* Nothing to give back: the releases fail. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &b));
	/* nh holds its one reference from RtmAddNextHop only. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &nh));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a, 1, &nh));

	/* Count 0 is fine, with or without an array. */
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(a, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(a, 0, hs));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	/* Bad registration. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(FORGED_ENTITY, 1, &b));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(a, en));
	dereg(_metadata, b);
	dereg(_metadata, a);
}

/* Deleted objects still alive may be referenced (spec 12.1). */
TEST(reference_handles_deleted_object)
{
	struct rtm_stats before, after;
	RTM_ENTITY_HANDLE a;
	RTM_NEXTHOP_HANDLE nh;
	RTM_NEXTHOP_INFO ni;
	HANDLE extra;

	a = reg(_metadata, 0, AF_INET, 1, FALSE);
	nh = add_nh(_metadata, a, rtm_test_v4(10, 0, 0, 1, 32));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &nh));
	/* Delete by handle consumes one of the two references. */
	ASSERT_EQ(NO_ERROR, RtmDeleteNextHop(a, nh, NULL));
	before = stats_now(_metadata);
	extra = nh;
	EXPECT_EQ(NO_ERROR, RtmReferenceHandles(a, 1, &extra));
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(a, nh, &ni));
	EXPECT_EQ(RTM_NEXTHOP_STATE_DELETED, ni.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(a, &ni));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &extra));
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(a, 1, &nh));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 1, after.handle_refs);
	EXPECT_EQ(before.nexthops - 1, after.nexthops);
	/* Destroyed: now it is invalid. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a, 1, &extra));
	dereg(_metadata, a);
}

/* ------------------------------------------------------------------ */
/* Handles of another table                                            */
/* ------------------------------------------------------------------ */

TEST(handles_of_another_family)
{
	RTM_ENTITY_HANDLE a4, b4, a6, b6, hs6[2], hs4[2];
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE nh6;
	RTM_NEXTHOP_INFO ni;
	RTM_ENTITY_INFO ei;
	UINT n = 2;

	a4 = reg(_metadata, 0, AF_INET, 1, FALSE);
	b4 = reg(_metadata, 0, AF_INET, 2, FALSE);
	a6 = reg(_metadata, 0, AF_INET6, 1, FALSE);
	b6 = reg(_metadata, 0, AF_INET6, 2, FALSE);
	/* Handles obtained through the IPv6 registration. */
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a6, &n, hs6, NULL));
	ASSERT_EQ(2, n);
	nh6 = add_nh(_metadata, a6, v6(0x2001, 128));
	n = 2;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a4, &n, hs4, NULL));
	ASSERT_EQ(2, n);
	before = stats_now(_metadata);

	/* ...are refused by the IPv4 registration. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a4, hs6[1], &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a4, 1, &hs6[1]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a4, 1, &hs6[1]));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a4, nh6, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a4, 1, &nh6));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a4, 1, &nh6));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmDeleteNextHop(a4, nh6, NULL));
	/* ...and the other way round. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a6, hs4[1], &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a6, 2, hs4));
	/* Nothing was taken or given back. */
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);

	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a6, 2, hs6));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a4, 2, hs4));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a6, nh6, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs - 5, after.handle_refs);
	dereg(_metadata, b6);
	dereg(_metadata, a6);
	dereg(_metadata, b4);
	dereg(_metadata, a4);
}

TEST(handles_of_another_instance)
{
	RTM_ENTITY_HANDLE a0, a1, b1, hs1[2];
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE nh1;
	RTM_NEXTHOP_INFO ni;
	RTM_ENTITY_INFO ei;
	UINT n = 2;

	a0 = reg(_metadata, 0, AF_INET, 1, FALSE);
	a1 = reg(_metadata, 1, AF_INET, 1, FALSE);
	b1 = reg(_metadata, 1, AF_INET, 2, FALSE);
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(a1, &n, hs1, NULL));
	ASSERT_EQ(2, n);
	nh1 = add_nh(_metadata, a1, rtm_test_v4(10, 0, 0, 1, 32));
	before = stats_now(_metadata);

	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a0, hs1[0], &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(a0, b1, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReferenceHandles(a0, 2, hs1));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a0, 2, hs1));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(a0, nh1, &ni));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseNextHops(a0, 1, &nh1));
	/* Same address, other table: a0 has no such next hop. */
	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = rtm_test_v4(10, 0, 0, 1, 32);
	ni.InterfaceIndex = 1;
	EXPECT_EQ(ERROR_NOT_FOUND, RtmFindNextHop(a0, &ni, NULL, NULL));
	/* Updating a1's next hop through a0 by handle. */
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmAddNextHop(a0, &ni, &nh1, NULL));
	after = stats_now(_metadata);
	EXPECT_EQ(before.handle_refs, after.handle_refs);
	EXPECT_EQ(before.nexthops, after.nexthops);

	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a1, 2, hs1));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(a1, nh1, NULL));
	dereg(_metadata, b1);
	dereg(_metadata, a1);
	dereg(_metadata, a0);
}

TEST_HARNESS_MAIN
