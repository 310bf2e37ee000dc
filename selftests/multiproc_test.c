// SPDX-License-Identifier: GPL-2.0
/*
 * multiproc_test - several processes on one table (spec part 1, 2.3,
 * 2.10 P5 and 3.2; part 2, 2.3 "entity handle identity"; design.md,
 * "Handles and references" and "librtm").
 *
 * Two processes share a prefix and see each other's routes and owners; a
 * client killed with SIGKILL while it holds references and an open
 * enumeration, or one that exits without deregistering, leaves nothing
 * behind; a child that inherits the parent's registration through fork()
 * cannot use it and does not end it.
 *
 * Children never use the harness macros (they would unwind into the
 * harness of the wrong process): CHILD_CHECK prints what failed and
 * _exit()s with a status the parent asserts to be 0.  Processes
 * synchronise over pipes; a child blocked on a pipe exits when the parent
 * goes away, so a failing parent never leaves a child behind.
 */
/*
 * The 6.1 harness leaves parameters unused, and its EXPECT_EQ compares the
 * plain int ERROR_* constants with DWORD results.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#define PROTO		3000
#define NH_MAX		8

typedef union {
	RTM_ROUTE_INFO ri;
	char buf[RTM_SIZE_OF_ROUTE_INFO(NH_MAX)];
} route_buf;

typedef union {
	RTM_DEST_INFO di;
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# child %d: %s:%d: failed: %s\n",	\
			(int)getpid(), __FILE__, __LINE__, #cond);	\
		_exit(1);						\
	}								\
} while (0)

static void put_u64(int fd, uint64_t v)
{
	const char *p = (const char *)&v;
	size_t done = 0;

	while (done < sizeof(v)) {
		ssize_t n = write(fd, p + done, sizeof(v) - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		done += n;
	}
}

/* 0 on success, -1 on EOF or error. */
static int get_u64(int fd, uint64_t *v)
{
	char *p = (char *)v;
	size_t done = 0;

	while (done < sizeof(*v)) {
		ssize_t n = read(fd, p + done, sizeof(*v) - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static struct rtm_stats stats_now(struct __test_metadata *_metadata)
{
	struct rtm_stats st;

	memset(&st, 0, sizeof(st));
	EXPECT_EQ(0, rtm_test_stats(&st));
	return st;
}

/* The counters a registration's clean-up must bring back. */
static void expect_same_stats(struct __test_metadata *_metadata,
			      const struct rtm_stats *a,
			      const struct rtm_stats *b)
{
	EXPECT_EQ(a->registrations, b->registrations);
	EXPECT_EQ(a->entities, b->entities);
	EXPECT_EQ(a->dests, b->dests);
	EXPECT_EQ(a->routes, b->routes);
	EXPECT_EQ(a->nexthops, b->nexthops);
	EXPECT_EQ(a->enums, b->enums);
	EXPECT_EQ(a->handle_refs, b->handle_refs);
	EXPECT_EQ(a->tables, b->tables);
}

static RTM_NEXTHOP_INFO nhi(unsigned int a, unsigned int b, unsigned int c,
			    unsigned int d, ULONG ifindex)
{
	RTM_NEXTHOP_INFO ni;

	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = rtm_test_v4(a, b, c, d, 32);
	ni.InterfaceIndex = ifindex;
	return ni;
}

/*
 * Plain helpers usable in both processes: they return the API's result
 * and let the caller check it.
 */
static DWORD add_route(RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS dest,
		       RTM_NEXTHOP_HANDLE *nh, USHORT nnh, ULONG pref,
		       RTM_ROUTE_HANDLE *rh)
{
	route_buf rb;
	USHORT i;

	memset(&rb, 0, sizeof(rb));
	rb.ri.PrefInfo.Preference = pref;
	rb.ri.PrefInfo.Metric = 1;
	rb.ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	rb.ri.NextHopsList.NumNextHops = nnh;
	for (i = 0; i < nnh; i++)
		rb.ri.NextHopsList.NextHops[i] = nh[i];
	if (rh)
		*rh = NULL;
	return RtmAddRouteToDest(h, rh, &dest, &rb.ri, INFINITE, NULL, 0,
				 NULL, NULL);
}

static DWORD best_of(RTM_ENTITY_HANDLE h, RTM_NET_ADDRESS dest,
		     dest_buf *db)
{
	memset(db, 0, sizeof(*db));
	return RtmGetExactMatchDestination(h, &dest, RTM_BEST_PROTOCOL,
					   RTM_VIEW_MASK_UCAST, &db->di);
}

static int count_rtm_fds(void)
{
	struct dirent *de;
	char path[300], target[64];
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		if (!strcmp(target, "/dev/rtm"))
			n++;
	}
	closedir(d);
	return n;
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

/* ------------------------------------------------------------------ */
/* Two live processes on one table                                     */
/* ------------------------------------------------------------------ */

/*
 * Parent P and child C both add a route to 10.1.0.0/16 (P better) and to
 * 10.2.0.0/16 (C better).  Each sees both routes, the right best route and
 * owner, and the other's owner handle equals the other's own registration
 * handle.
 */
static void two_procs_child(int rd, int wr)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 2, 0, 0, 16);
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 2, 2);
	RTM_ROUTE_HANDLE r1, r2, routes[4];
	RTM_ENTITY_HANDLE c = NULL, ents[4];
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_ENUM_HANDLE en = NULL;
	RTM_VIEW_SET best;
	RTM_ENTITY_INFO ei;
	uint64_t p, v;
	route_buf rb;
	dest_buf db;
	UINT n;

	CHILD_CHECK(rtm_test_register(PROTO, 2, AF_INET, &c, NULL) == NO_ERROR);
	CHILD_CHECK(RtmAddNextHop(c, &ni, &nh, NULL) == NO_ERROR);
	CHILD_CHECK(add_route(c, d1, &nh, 1, 20, &r1) == NO_ERROR);
	CHILD_CHECK(add_route(c, d2, &nh, 1, 5, &r2) == NO_ERROR);
	put_u64(wr, (uintptr_t)c);
	CHILD_CHECK(get_u64(rd, &p) == 0);	/* P's routes are in */

	/* 10.1/16: two routes, P's is best. */
	CHILD_CHECK(best_of(c, d1, &db) == NO_ERROR);
	CHILD_CHECK(db.di.NumberOfViews == 1);
	CHILD_CHECK(db.di.ViewInfo[0].NumRoutes == 2);
	CHILD_CHECK((uintptr_t)db.di.ViewInfo[0].Owner == p);
	CHILD_CHECK(db.di.ViewInfo[0].Route != r1);
	memset(&rb, 0, sizeof(rb));
	CHILD_CHECK(RtmGetRouteInfo(c, db.di.ViewInfo[0].Route, &rb.ri, NULL) ==
		    NO_ERROR);
	CHILD_CHECK((uintptr_t)rb.ri.RouteOwner == p);
	CHILD_CHECK(rb.ri.PrefInfo.Preference == 10);
	CHILD_CHECK(RtmReleaseRouteInfo(c, &rb.ri) == NO_ERROR);
	CHILD_CHECK(RtmReleaseDestInfo(c, &db.di) == NO_ERROR);
	CHILD_CHECK(RtmIsBestRoute(c, r1, &best) == NO_ERROR);
	CHILD_CHECK(best == 0);
	/* 10.2/16: C's route is best. */
	CHILD_CHECK(best_of(c, d2, &db) == NO_ERROR);
	CHILD_CHECK(db.di.ViewInfo[0].NumRoutes == 2);
	CHILD_CHECK(db.di.ViewInfo[0].Owner == c);
	CHILD_CHECK(db.di.ViewInfo[0].Route == r2);
	CHILD_CHECK(RtmReleaseDestInfo(c, &db.di) == NO_ERROR);
	CHILD_CHECK(RtmIsBestRoute(c, r2, &best) == NO_ERROR);
	CHILD_CHECK(best == RTM_VIEW_MASK_UCAST);

	/* Both routes of 10.1/16 in rank order: P's (10), then C's (20). */
	CHILD_CHECK(best_of(c, d1, &db) == NO_ERROR);
	CHILD_CHECK(RtmCreateRouteEnum(c, db.di.DestHandle, RTM_VIEW_MASK_ANY,
				       RTM_ENUM_START, NULL, RTM_MATCH_NONE,
				       NULL, 0, &en) == NO_ERROR);
	CHILD_CHECK(RtmReleaseDestInfo(c, &db.di) == NO_ERROR);
	n = 4;
	CHILD_CHECK(RtmGetEnumRoutes(c, en, &n, routes) == ERROR_NO_MORE_ITEMS);
	CHILD_CHECK(n == 2);
	CHILD_CHECK(routes[1] == r1);
	memset(&rb, 0, sizeof(rb));
	CHILD_CHECK(RtmGetRouteInfo(c, routes[0], &rb.ri, NULL) == NO_ERROR);
	CHILD_CHECK((uintptr_t)rb.ri.RouteOwner == p);
	CHILD_CHECK(RtmReleaseRouteInfo(c, &rb.ri) == NO_ERROR);
	CHILD_CHECK(RtmReleaseRoutes(c, n, routes) == NO_ERROR);
	CHILD_CHECK(RtmDeleteEnumHandle(c, en) == NO_ERROR);

	/* P is an entity of the table, listed before C. */
	CHILD_CHECK(RtmGetEntityInfo(c, (RTM_ENTITY_HANDLE)(uintptr_t)p, &ei) ==
		    NO_ERROR);
	CHILD_CHECK(ei.EntityId.EntityInstanceId == 1);
	n = 4;
	CHILD_CHECK(RtmGetRegisteredEntities(c, &n, ents, NULL) == NO_ERROR);
	CHILD_CHECK(n == 2);
	CHILD_CHECK((uintptr_t)ents[0] == p);
	CHILD_CHECK(ents[1] == c);
	CHILD_CHECK(RtmReleaseEntities(c, n, ents) == NO_ERROR);

	put_u64(wr, 1);				/* checked */
	CHILD_CHECK(get_u64(rd, &v) == 0);	/* P checked too */
	CHILD_CHECK(RtmDeleteRouteToDest(c, r1, NULL) == NO_ERROR);
	CHILD_CHECK(RtmDeleteRouteToDest(c, r2, NULL) == NO_ERROR);
	CHILD_CHECK(RtmDeleteNextHop(c, nh, NULL) == NO_ERROR);
	CHILD_CHECK(RtmDeregisterEntity(c) == NO_ERROR);
	_exit(0);
}

TEST(two_processes_share_a_prefix)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 2, 0, 0, 16);
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 1);
	RTM_ROUTE_HANDLE r1, r2, routes[4];
	RTM_ENTITY_HANDLE p, hc, ents[4];
	struct rtm_stats before, after;
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_ENUM_HANDLE en = NULL;
	int p2c[2], c2p[2];
	RTM_VIEW_SET best;
	RTM_ENTITY_INFO ei;
	uint64_t v;
	route_buf rb;
	dest_buf db;
	pid_t pid;
	UINT n;

	before = stats_now(_metadata);
	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO, 1, AF_INET, &p, NULL));
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(p, &ni, &nh, NULL));
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		two_procs_child(p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);

	ASSERT_EQ(0, get_u64(c2p[0], &v));	/* C's routes are in */
	hc = (RTM_ENTITY_HANDLE)(uintptr_t)v;
	EXPECT_NE(p, hc);
	ASSERT_EQ(NO_ERROR, add_route(p, d1, &nh, 1, 10, &r1));
	ASSERT_EQ(NO_ERROR, add_route(p, d2, &nh, 1, 50, &r2));
	put_u64(p2c[1], (uintptr_t)p);

	/* 10.1/16: P's route is best; the other route is C's. */
	ASSERT_EQ(NO_ERROR, best_of(p, d1, &db));
	ASSERT_EQ(1, db.di.NumberOfViews);
	EXPECT_EQ(2, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(p, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(r1, db.di.ViewInfo[0].Route);
	ASSERT_EQ(NO_ERROR,
		  RtmCreateRouteEnum(p, db.di.DestHandle, RTM_VIEW_MASK_ANY,
				     RTM_ENUM_START, NULL, RTM_MATCH_NONE,
				     NULL, 0, &en));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(p, &db.di));
	n = 4;
	ASSERT_EQ(ERROR_NO_MORE_ITEMS, RtmGetEnumRoutes(p, en, &n, routes));
	ASSERT_EQ(2, n);
	EXPECT_EQ(r1, routes[0]);
	memset(&rb, 0, sizeof(rb));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(p, routes[1], &rb.ri, NULL));
	EXPECT_EQ(hc, rb.ri.RouteOwner);
	EXPECT_EQ(20, rb.ri.PrefInfo.Preference);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, rb.ri.State);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(p, &rb.ri));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(p, n, routes));
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(p, en));
	EXPECT_EQ(NO_ERROR, RtmIsBestRoute(p, r1, &best));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best);

	/* 10.2/16: C's route is best. */
	ASSERT_EQ(NO_ERROR, best_of(p, d2, &db));
	EXPECT_EQ(2, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(hc, db.di.ViewInfo[0].Owner);
	EXPECT_NE(r2, db.di.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(p, &db.di));
	EXPECT_EQ(NO_ERROR, RtmIsBestRoute(p, r2, &best));
	EXPECT_EQ(0, best);

	/* C is an entity of the table, listed after P. */
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(p, hc, &ei));
	EXPECT_EQ(PROTO, ei.EntityId.EntityProtocolId);
	EXPECT_EQ(2, ei.EntityId.EntityInstanceId);
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(p, &n, ents, NULL));
	ASSERT_EQ(2, n);
	EXPECT_EQ(p, ents[0]);
	EXPECT_EQ(hc, ents[1]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(p, n, ents));

	ASSERT_EQ(0, get_u64(c2p[0], &v));	/* C checked */
	put_u64(p2c[1], 2);
	expect_child_ok(_metadata, pid);

	/* C is gone, with its routes: P's route is now best on 10.2/16. */
	ASSERT_EQ(NO_ERROR, best_of(p, d2, &db));
	EXPECT_EQ(1, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(p, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(r2, db.di.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(p, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(p, hc, &ei));

	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(p, r1, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(p, r2, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(p, nh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(p));
	after = stats_now(_metadata);
	expect_same_stats(_metadata, &before, &after);
	close(p2c[1]);
	close(c2p[0]);
}

/* ------------------------------------------------------------------ */
/* Death of a client                                                   */
/* ------------------------------------------------------------------ */

/*
 * A child that registers, adds next hops and routes (one of them better
 * than the parent's), takes references of every kind, leaves a route
 * enumeration open in the middle, tells the parent its handle and then
 * waits to be killed (or for the parent to go away).
 */
static void busy_child(int rd, int wr, bool exit_plainly)
{
	RTM_NET_ADDRESS d9 = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_NET_ADDRESS d8 = rtm_test_v4(10, 8, 0, 0, 16);
	RTM_NET_ADDRESS d7 = rtm_test_v4(10, 7, 0, 0, 16);
	RTM_NEXTHOP_INFO n1 = nhi(10, 0, 0, 2, 2), n2 = nhi(10, 0, 0, 3, 3);
	RTM_NEXTHOP_HANDLE nh[2] = { NULL, NULL }, more[4];
	RTM_ROUTE_HANDLE r9, r8, routes[2];
	RTM_ENTITY_HANDLE c = NULL, ents[4];
	RTM_ENUM_HANDLE en = NULL, nen = NULL;
	RTM_NEXTHOP_INFO out;
	uint64_t v;
	dest_buf db;
	UINT n;

	CHILD_CHECK(rtm_test_register(PROTO, 2, AF_INET, &c, NULL) == NO_ERROR);
	CHILD_CHECK(RtmAddNextHop(c, &n1, &nh[0], NULL) == NO_ERROR);
	CHILD_CHECK(RtmAddNextHop(c, &n2, &nh[1], NULL) == NO_ERROR);
	CHILD_CHECK(add_route(c, d9, nh, 1, 10, &r9) == NO_ERROR);
	CHILD_CHECK(add_route(c, d8, nh, 2, 10, &r8) == NO_ERROR);
	CHILD_CHECK(add_route(c, d7, &nh[1], 1, 10, NULL) == NO_ERROR);
	/* References of every kind, never released. */
	n = 4;
	CHILD_CHECK(RtmGetRegisteredEntities(c, &n, ents, NULL) == NO_ERROR);
	CHILD_CHECK(n == 2);
	CHILD_CHECK(best_of(c, d9, &db) == NO_ERROR);
	CHILD_CHECK(db.di.ViewInfo[0].Route == r9);
	CHILD_CHECK(RtmGetNextHopInfo(c, nh[0], &out) == NO_ERROR);
	CHILD_CHECK(RtmReferenceHandles(c, 1, (HANDLE *)&r8) == NO_ERROR);
	/* A route enumeration left open after one batch of two. */
	CHILD_CHECK(RtmCreateRouteEnum(c, NULL, RTM_VIEW_MASK_ANY,
				       RTM_ENUM_START, NULL, RTM_MATCH_NONE,
				       NULL, 0, &en) == NO_ERROR);
	n = 2;
	CHILD_CHECK(RtmGetEnumRoutes(c, en, &n, routes) == NO_ERROR);
	CHILD_CHECK(n == 2);
	/* And a next-hop enumeration, exhausted but not deleted. */
	CHILD_CHECK(RtmCreateNextHopEnum(c, RTM_ENUM_START, NULL, &nen) ==
		    NO_ERROR);
	n = 4;
	CHILD_CHECK(RtmGetEnumNextHops(c, nen, &n, more) ==
		    ERROR_NO_MORE_ITEMS);
	CHILD_CHECK(n == 3);	/* the parent's and both of ours */

	put_u64(wr, (uintptr_t)c);
	if (exit_plainly) {
		/* Wait for the go, then leave without cleaning up. */
		CHILD_CHECK(get_u64(rd, &v) == 0);
		exit(0);
	}
	/* Wait to be killed; the parent going away ends us too. */
	get_u64(rd, &v);
	_exit(2);
}

/* What the parent sets up before the child starts. */
struct parent_setup {
	RTM_ENTITY_HANDLE p;
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE r9;
};

static void parent_setup(struct __test_metadata *_metadata,
			 struct parent_setup *ps)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 1);

	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO, 1, AF_INET, &ps->p, NULL));
	ps->nh = NULL;
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(ps->p, &ni, &ps->nh, NULL));
	ASSERT_EQ(NO_ERROR, add_route(ps->p, rtm_test_v4(10, 9, 0, 0, 16),
				      &ps->nh, 1, 50, &ps->r9));
}

static void parent_teardown(struct __test_metadata *_metadata,
			    struct parent_setup *ps)
{
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(ps->p, ps->r9, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(ps->p, ps->nh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(ps->p));
}

/* After the child is gone: only the parent's objects are left. */
static void expect_child_gone(struct __test_metadata *_metadata,
			      struct parent_setup *ps, RTM_ENTITY_HANDLE hc,
			      const struct rtm_stats *base)
{
	RTM_NET_ADDRESS a9 = rtm_test_v4(10, 9, 1, 1, 32);
	RTM_NET_ADDRESS a8 = rtm_test_v4(10, 8, 1, 1, 32);
	RTM_NET_ADDRESS d8 = rtm_test_v4(10, 8, 0, 0, 16);
	RTM_NET_ADDRESS d7 = rtm_test_v4(10, 7, 0, 0, 16);
	struct rtm_stats now = stats_now(_metadata);
	RTM_ENTITY_HANDLE ents[4];
	RTM_ENTITY_INFO ei;
	dest_buf db;
	UINT n;

	expect_same_stats(_metadata, base, &now);
	/* The parent's own route is the best (and only) one again. */
	memset(&db, 0, sizeof(db));
	ASSERT_EQ(NO_ERROR,
		  RtmGetMostSpecificDestination(ps->p, &a9, RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_UCAST, &db.di));
	EXPECT_EQ(1, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(ps->p, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(ps->r9, db.di.ViewInfo[0].Route);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(ps->p, &db.di));
	/* The child's other prefixes are gone. */
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetMostSpecificDestination(ps->p, &a8, RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(ps->p, &d8, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(ps->p, &d7, RTM_BEST_PROTOCOL,
					      RTM_VIEW_MASK_ANY, &db.di));
	/* The child is no longer an entity of the table. */
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(ps->p, &n, ents, NULL));
	EXPECT_EQ(1, n);
	EXPECT_EQ(ps->p, ents[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(ps->p, n, ents));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(ps->p, hc, &ei));
	/* Its id is free again. */
	EXPECT_EQ(NO_ERROR, rtm_test_register(PROTO, 2, AF_INET, &hc, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(hc));
}

TEST(killed_child_leaves_nothing)
{
	RTM_NET_ADDRESS d9 = rtm_test_v4(10, 9, 0, 0, 16);
	struct rtm_stats base, busy, after;
	struct parent_setup ps;
	int p2c[2], c2p[2], status = 0;
	RTM_ENTITY_HANDLE hc;
	dest_buf db;
	uint64_t v;
	pid_t pid;

	parent_setup(_metadata, &ps);
	base = stats_now(_metadata);
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		busy_child(p2c[0], c2p[1], false);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_EQ(0, get_u64(c2p[0], &v));
	hc = (RTM_ENTITY_HANDLE)(uintptr_t)v;

	/* The child's objects are there, its route the best on 10.9/16. */
	busy = stats_now(_metadata);
	EXPECT_EQ(base.registrations + 1, busy.registrations);
	EXPECT_EQ(base.entities + 1, busy.entities);
	EXPECT_EQ(base.routes + 3, busy.routes);
	EXPECT_EQ(base.nexthops + 2, busy.nexthops);
	EXPECT_EQ(base.dests + 2, busy.dests);
	EXPECT_EQ(base.enums + 2, busy.enums);
	/*
	 * 2 next hops + 2 routes + 2 entities + dest info (dest, route,
	 * owner) + next-hop info (owner) + r8 again + 2 enumerated routes +
	 * 3 enumerated next hops.
	 */
	EXPECT_EQ(base.handle_refs + 16, busy.handle_refs);
	ASSERT_EQ(NO_ERROR, best_of(ps.p, d9, &db));
	EXPECT_EQ(2, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(hc, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(ps.p, &db.di));

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));

	expect_child_gone(_metadata, &ps, hc, &base);
	parent_teardown(_metadata, &ps);
	after = stats_now(_metadata);
	EXPECT_EQ(base.routes - 1, after.routes);
	EXPECT_EQ(base.handle_refs - 2, after.handle_refs);
	close(p2c[1]);
	close(c2p[0]);
}

TEST(exit_without_deregister_leaves_nothing)
{
	struct rtm_stats base, busy;
	struct parent_setup ps;
	int p2c[2], c2p[2];
	RTM_ENTITY_HANDLE hc;
	uint64_t v;
	pid_t pid;

	parent_setup(_metadata, &ps);
	base = stats_now(_metadata);
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		busy_child(p2c[0], c2p[1], true);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_EQ(0, get_u64(c2p[0], &v));
	hc = (RTM_ENTITY_HANDLE)(uintptr_t)v;
	busy = stats_now(_metadata);
	EXPECT_EQ(base.registrations + 1, busy.registrations);
	EXPECT_EQ(base.routes + 3, busy.routes);
	EXPECT_EQ(base.enums + 2, busy.enums);

	put_u64(p2c[1], 1);		/* exit(0) now */
	expect_child_ok(_metadata, pid);
	expect_child_gone(_metadata, &ps, hc, &base);
	parent_teardown(_metadata, &ps);
	close(p2c[1]);
	close(c2p[0]);
}

/*
 * The parent holds references on a child's route, owner and next hop when
 * the child dies: the route is deleted but stays readable, the entity
 * object lives on unlisted, and everything goes when the parent releases.
 */
TEST(killed_child_objects_referenced_by_parent)
{
	RTM_NET_ADDRESS d9 = rtm_test_v4(10, 9, 0, 0, 16);
	RTM_ENTITY_HANDLE hc, owner, ents[4];
	struct rtm_stats base, mid, after;
	RTM_NEXTHOP_HANDLE cnh = NULL;
	RTM_ROUTE_HANDLE croute;
	RTM_NEXTHOP_INFO out;
	struct parent_setup ps;
	int p2c[2], c2p[2], status = 0;
	RTM_ENTITY_INFO ei;
	RTM_VIEW_SET best;
	route_buf rb;
	dest_buf db, held;
	uint64_t v;
	pid_t pid;
	UINT n;

	parent_setup(_metadata, &ps);
	base = stats_now(_metadata);
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		busy_child(p2c[0], c2p[1], false);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_EQ(0, get_u64(c2p[0], &v));
	hc = (RTM_ENTITY_HANDLE)(uintptr_t)v;

	/* Parent references: the child's best route and its owner... */
	ASSERT_EQ(NO_ERROR, best_of(ps.p, d9, &held));
	croute = held.di.ViewInfo[0].Route;
	owner = held.di.ViewInfo[0].Owner;
	ASSERT_EQ(hc, owner);
	/* ...and its first next hop, through the route. */
	memset(&rb, 0, sizeof(rb));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(ps.p, croute, &rb.ri, NULL));
	ASSERT_EQ(1, rb.ri.NextHopsList.NumNextHops);
	cnh = rb.ri.NextHopsList.NextHops[0];
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(ps.p, 1, &cnh));
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(ps.p, &rb.ri));

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));

	/* The route is deleted, readable, not best, not in the table. */
	mid = stats_now(_metadata);
	EXPECT_EQ(base.registrations, mid.registrations);
	EXPECT_EQ(base.entities + 1, mid.entities);
	EXPECT_EQ(base.routes + 1, mid.routes);
	EXPECT_EQ(base.nexthops + 1, mid.nexthops);
	EXPECT_EQ(base.enums, mid.enums);
	EXPECT_EQ(base.handle_refs + 4, mid.handle_refs);
	memset(&rb, 0, sizeof(rb));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(ps.p, croute, &rb.ri, NULL));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, rb.ri.State);
	EXPECT_EQ(hc, rb.ri.RouteOwner);
	EXPECT_EQ(10, rb.ri.PrefInfo.Preference);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(ps.p, &rb.ri));
	EXPECT_EQ(NO_ERROR, RtmIsBestRoute(ps.p, croute, &best));
	EXPECT_EQ(0, best);
	ASSERT_EQ(NO_ERROR, RtmGetNextHopInfo(ps.p, cnh, &out));
	EXPECT_EQ(RTM_NEXTHOP_STATE_DELETED, out.State);
	EXPECT_EQ(hc, out.NextHopOwner);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHopInfo(ps.p, &out));
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(ps.p, hc, &ei));
	EXPECT_EQ(2, ei.EntityId.EntityInstanceId);
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(ps.p, &n, ents, NULL));
	EXPECT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(ps.p, n, ents));
	ASSERT_EQ(NO_ERROR, best_of(ps.p, d9, &db));
	EXPECT_EQ(1, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(ps.p, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(ps.p, &db.di));

	/* Giving the references back frees the rest. */
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(ps.p, 1, &cnh));
	mid = stats_now(_metadata);
	EXPECT_EQ(base.nexthops + 1, mid.nexthops);	/* croute holds it */
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(ps.p, &held.di));
	after = stats_now(_metadata);
	expect_same_stats(_metadata, &base, &after);
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetEntityInfo(ps.p, hc, &ei));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetRouteInfo(ps.p, croute, NULL, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetNextHopInfo(ps.p, cnh, &out));
	parent_teardown(_metadata, &ps);
	close(p2c[1]);
	close(c2p[0]);
}

/* ------------------------------------------------------------------ */
/* fork() of a registered process                                      */
/* ------------------------------------------------------------------ */

static void inheriting_child(RTM_ENTITY_HANDLE p, RTM_NEXTHOP_HANDLE nh)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 1), *np;
	RTM_ENTITY_HANDLE c = NULL, dup = NULL, ents[4];
	RTM_NEXTHOP_HANDLE h = NULL;
	RTM_ENTITY_INFO ei;
	dest_buf db;
	UINT n = 4;

	/* librtm closed the inherited registration file in the child. */
	CHILD_CHECK(count_rtm_fds() == 0);
	/* The parent's registration handle means nothing here. */
	CHILD_CHECK(RtmGetEntityInfo(p, p, &ei) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmGetRegisteredEntities(p, &n, ents, NULL) ==
		    ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmAddNextHop(p, &ni, &h, NULL) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmFindNextHop(p, &ni, &h, &np) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmGetNextHopInfo(p, nh, &ni) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmReleaseNextHops(p, 1, &nh) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmDeleteNextHop(p, nh, NULL) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmReferenceHandles(p, 1, &nh) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmGetExactMatchDestination(p, &ni.NextHopAddress,
						RTM_BEST_PROTOCOL,
						RTM_VIEW_MASK_ANY, &db.di) ==
		    ERROR_INVALID_HANDLE);
	CHILD_CHECK(RtmDeregisterEntity(p) == ERROR_INVALID_HANDLE);
	CHILD_CHECK(h == NULL);

	/* The parent is still registered: its id is taken. */
	CHILD_CHECK(rtm_test_register(PROTO, 1, AF_INET, &dup, NULL) ==
		    ERROR_ALREADY_EXISTS);
	/* The child registers on its own and sees the parent as an entity. */
	CHILD_CHECK(rtm_test_register(PROTO, 2, AF_INET, &c, NULL) == NO_ERROR);
	CHILD_CHECK(c != p);
	n = 4;
	CHILD_CHECK(RtmGetRegisteredEntities(c, &n, ents, NULL) == NO_ERROR);
	CHILD_CHECK(n == 2);
	CHILD_CHECK(ents[0] == p);
	CHILD_CHECK(ents[1] == c);
	CHILD_CHECK(RtmReleaseEntities(c, n, ents) == NO_ERROR);
	CHILD_CHECK(RtmGetEntityInfo(c, p, &ei) == NO_ERROR);
	CHILD_CHECK(ei.EntityId.EntityInstanceId == 1);
	/* The parent's next hop is readable through the child's own handle. */
	CHILD_CHECK(RtmGetNextHopInfo(c, nh, &ni) == NO_ERROR);
	CHILD_CHECK(ni.NextHopOwner == p);
	CHILD_CHECK(RtmReleaseNextHopInfo(c, &ni) == NO_ERROR);
	/* ...but not deletable. */
	CHILD_CHECK(RtmReferenceHandles(c, 1, &nh) == NO_ERROR);
	CHILD_CHECK(RtmDeleteNextHop(c, nh, NULL) == ERROR_ACCESS_DENIED);
	CHILD_CHECK(RtmReleaseNextHops(c, 1, &nh) == NO_ERROR);
	CHILD_CHECK(RtmDeregisterEntity(c) == NO_ERROR);
	_exit(0);
}

TEST(fork_child_cannot_use_parent_registration)
{
	RTM_NEXTHOP_INFO ni = nhi(10, 0, 0, 1, 1);
	RTM_NEXTHOP_HANDLE nh = NULL, found = NULL;
	struct rtm_stats base, after;
	RTM_ENTITY_HANDLE p, ents[4];
	RTM_ENTITY_INFO ei;
	pid_t pid;
	UINT n;

	ASSERT_EQ(NO_ERROR, rtm_test_register(PROTO, 1, AF_INET, &p, NULL));
	ASSERT_EQ(NO_ERROR, RtmAddNextHop(p, &ni, &nh, NULL));
	ASSERT_EQ(1, count_rtm_fds());
	base = stats_now(_metadata);

	pid = fork_child(_metadata);
	if (pid == 0)
		inheriting_child(p, nh);
	expect_child_ok(_metadata, pid);

	/* A child that does nothing at all and exits. */
	pid = fork_child(_metadata);
	if (pid == 0)
		_exit(count_rtm_fds() == 0 ? 0 : 3);
	expect_child_ok(_metadata, pid);

	/* The parent's registration survived both children. */
	after = stats_now(_metadata);
	expect_same_stats(_metadata, &base, &after);
	ASSERT_EQ(NO_ERROR, RtmGetEntityInfo(p, p, &ei));
	EXPECT_EQ(1, ei.EntityId.EntityInstanceId);
	ASSERT_EQ(NO_ERROR, RtmFindNextHop(p, &ni, &found, NULL));
	EXPECT_EQ(nh, found);
	EXPECT_EQ(NO_ERROR, RtmReleaseNextHops(p, 1, &found));
	n = 4;
	ASSERT_EQ(NO_ERROR, RtmGetRegisteredEntities(p, &n, ents, NULL));
	EXPECT_EQ(1, n);
	EXPECT_EQ(p, ents[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(p, n, ents));
	EXPECT_EQ(1, count_rtm_fds());
	EXPECT_EQ(NO_ERROR, RtmDeleteNextHop(p, nh, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(p));
	EXPECT_EQ(0, count_rtm_fds());
}

TEST_HARNESS_MAIN
