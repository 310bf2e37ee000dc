// SPDX-License-Identifier: GPL-2.0
/*
 * batch_test - the batch extension of rtm_ext.h: RtmExtAddRoutesToDest and
 * RtmExtDeleteRoutesToDest (RTM_IOC_ADD_ROUTES / RTM_IOC_DELETE_ROUTES).
 *
 * The contract: each entry is processed exactly as RtmAddRouteToDest or
 * RtmDeleteRouteToDest would process it, in array order, with its own
 * status.  So most tests run the same operations as single calls (on a
 * second table, instance 1, or before the batch where a failing call
 * changes nothing) and expect the batch to give the same statuses, change
 * flags, handles and references.  Batches of 1, 31, 32, 33, 1024, 1025
 * and 3000 entries cross the kernel's chunk (32), the library's (256)
 * and RTM_MAX_BATCH (1024).
 *
 * Entities: A (protocol 8) owning next hops 10.0.0.1-3 on interfaces 1-3,
 * and B (protocol 13) owning 10.0.1.1 on interface 11, of the AF_INET
 * table of instance 0; the size tests add A' and B' in instance 1.
 * Route i of a batch goes to pfx(i) = 10.(100 + i / 256).(i % 256).0/24.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"
#include <rtm_ext.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <sys/wait.h>

#define PROTO_A		8
#define PROTO_B		13
#define PROTO_C		20
#define MAXNH		33	/* > any MaxNextHopsInRoute the module allows */
#define MAXV		2

#define FORGED_ROUTE	((RTM_ROUTE_HANDLE)(uintptr_t)0x3000000f0fedcba1ULL)
#define FORGED_LIST	((RTM_ROUTE_LIST_HANDLE)(uintptr_t)0x7000000000000001)
#define JUNK_HANDLE	((HANDLE)(uintptr_t)0x1234)
#define POISON_STATUS	0xdeadbeefu
#define POISON_FLAGS	0x5550u		/* no FIRST/NEW bit: selects nothing */

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
	unsigned char b[RTM_SIZE_OF_DEST_INFO(MAXV)];
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

static long long nroutes(void)
{
	return (long long)stats().routes;
}

static long long ndests(void)
{
	return (long long)stats().dests;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Register (@proto, @inst) in the AF_INET table of RtmInstanceId @rtm_inst. */
static DWORD reg_in(ULONG proto, ULONG inst, USHORT rtm_inst,
		    RTM_EVENT_CALLBACK cb, RTM_ENTITY_HANDLE *h,
		    RTM_REGN_PROFILE *prof)
{
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;

	memset(&ei, 0, sizeof(ei));
	ei.RtmInstanceId = rtm_inst;
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = proto;
	ei.EntityId.EntityInstanceId = inst;
	return RtmRegisterEntity(&ei, NULL, cb, FALSE, prof ? prof : &p, h);
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

static RTM_NET_ADDRESS pfx(unsigned int i)
{
	return rtm_test_v4(10, 100 + i / 256, i % 256, 0, 24);
}

static int same_addr(const RTM_NET_ADDRESS *a, const RTM_NET_ADDRESS *b)
{
	return a->AddressFamily == b->AddressFamily &&
	       a->NumBits == b->NumBits && !memcmp(a->AddrBits, b->AddrBits, 4);
}

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

/* A single RtmAddRouteToDest in mode (b): handle in *h, flags in *cf. */
static DWORD add1(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d, route_buf *rb,
		  RTM_ROUTE_HANDLE *h, DWORD *cf)
{
	DWORD f = 0;

	*h = NULL;
	return RtmAddRouteToDest(reg, h, &d, &rb->i, INFINITE, NULL, 0, NULL,
				 cf ? cf : &f);
}

/* A route of @reg with NULL neighbour, @metric, preference 10, no handle. */
static DWORD add_plain(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d, ULONG metric)
{
	route_buf rb;
	DWORD cf = 0;

	rinit(&rb, NULL, metric, 10, RTM_VIEW_MASK_UCAST);
	return RtmAddRouteToDest(reg, NULL, &d, &rb.i, INFINITE, NULL, 0, NULL,
				 &cf);
}

/* The route @owner has on @d, with a reference; NULL if none. */
static RTM_ROUTE_HANDLE route_of(RTM_ENTITY_HANDLE reg, RTM_ENTITY_HANDLE owner,
				 RTM_NET_ADDRESS d)
{
	RTM_ROUTE_HANDLE h = NULL;
	route_buf crit;

	memset(&crit, 0, sizeof(crit));
	crit.i.RouteOwner = owner;
	if (RtmGetExactMatchRoute(reg, &d, RTM_MATCH_OWNER, &crit.i, 0,
				  RTM_VIEW_MASK_ANY, &h) != NO_ERROR)
		return NULL;
	RtmReleaseRouteInfo(reg, &crit.i);
	return h;
}

/* The route's metric, or ~0 if the call fails. */
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

static UCHAR state_of(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	route_buf rb;
	UCHAR st;

	if (RtmGetRouteInfo(reg, h, &rb.i, NULL) != NO_ERROR)
		return 0xff;
	st = rb.i.State;
	RtmReleaseRouteInfo(reg, &rb.i);
	return st;
}

/* The number of unicast routes on @d (0 if there is no such dest). */
static int nroutes_on(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d)
{
	dest_buf db;
	int n;

	if (RtmGetExactMatchDestination(reg, &d, RTM_BEST_PROTOCOL,
					RTM_VIEW_MASK_UCAST, &db.i) != NO_ERROR)
		return 0;
	n = db.i.ViewInfo[0].NumRoutes;
	RtmReleaseDestInfo(reg, &db.i);
	return n;
}

static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d)
{
	RTM_DEST_HANDLE h;
	dest_buf db;

	if (RtmGetExactMatchDestination(reg, &d, RTM_BEST_PROTOCOL, 0,
					&db.i) != NO_ERROR)
		return NULL;
	h = db.i.DestHandle;
	if (RtmReferenceHandles(reg, 1, (HANDLE *)&h) != NO_ERROR)
		h = NULL;
	RtmReleaseDestInfo(reg, &db.i);
	return h;
}

static DWORD put_dest(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE h)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	db.i.DestHandle = h;
	db.i.NumberOfViews = 0;
	return RtmReleaseDestInfo(reg, &db.i);
}

/* The views in which @h is best, or 0xdeadbeef if the call failed. */
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

/* ---- route expiry events -------------------------------------------- */

#define MAXEV 16

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	RTM_ROUTE_HANDLE h[MAXEV];	/* Context1 of each RTM_ROUTE_EXPIRED */
	long long at[MAXEV];
} ev = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* Records expiries and lets RTM delete the route (ERROR_NOT_SUPPORTED). */
static DWORD WINAPI ev_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE t,
			  PVOID c1, PVOID c2)
{
	if (t != RTM_ROUTE_EXPIRED)
		return NO_ERROR;
	pthread_mutex_lock(&ev.mu);
	if (ev.n < MAXEV) {
		ev.h[ev.n] = c1;
		ev.at[ev.n] = now_ms();
	}
	ev.n++;
	pthread_cond_broadcast(&ev.cv);
	pthread_mutex_unlock(&ev.mu);
	return ERROR_NOT_SUPPORTED;
}

/* Waits up to @ms for at least @n expiries; returns the count. */
static int ev_wait(int n, int ms)
{
	struct timespec ts;
	int c;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ev.mu);
	while (ev.n < n)
		if (pthread_cond_timedwait(&ev.cv, &ev.mu, &ts) == ETIMEDOUT)
			break;
	c = ev.n;
	pthread_mutex_unlock(&ev.mu);
	return c;
}

/* Polls until @d has no unicast route: 1 if it went within @ms. */
static int wait_no_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d, int ms)
{
	long long t0 = now_ms();

	while (now_ms() - t0 < ms) {
		if (!nroutes_on(reg, d))
			return 1;
		usleep(20000);
	}
	return 0;
}

/* ---- route lists and change notification ---------------------------- */

/* The routes of @list in order (references released); -1 on an error. */
static int list_contents(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE list,
			 RTM_ROUTE_HANDLE *out, int max)
{
	RTM_ROUTE_HANDLE buf[4];
	RTM_ENUM_HANDLE en = NULL;
	int total = 0, i;
	UINT n;

	if (RtmCreateRouteListEnum(reg, list, &en) != NO_ERROR)
		return -1;
	do {
		n = 4;
		if (RtmGetListEnumRoutes(reg, en, &n, buf) != NO_ERROR) {
			total = -1;
			break;
		}
		for (i = 0; i < (int)n && total < max; i++)
			out[total++] = buf[i];
		RtmReleaseRoutes(reg, n, buf);
	} while (n == 4);
	if (RtmDeleteEnumHandle(reg, en) != NO_ERROR)
		return -1;
	return total;
}

#define NTH(arr, i) \
	((PRTM_DEST_INFO)((char *)(arr) + (i) * RTM_SIZE_OF_DEST_INFO(MAXV)))

/* The changed dests of @nh in the order returned; -1 on an error. */
static int drain(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE nh,
		 RTM_NET_ADDRESS *out, int max)
{
	char arr[4 * RTM_SIZE_OF_DEST_INFO(MAXV)];
	int total = 0, i;
	DWORD ret;

	do {
		UINT n = 4;

		ret = RtmGetChangedDests(reg, nh, &n, (PRTM_DEST_INFO)arr);
		if (ret != NO_ERROR && ret != ERROR_NO_MORE_ITEMS)
			return -1;
		for (i = 0; i < (int)n; i++)
			if (total < max)
				out[total++] = NTH(arr, i)->DestAddress;
		if (RtmReleaseChangedDests(reg, nh, n, (PRTM_DEST_INFO)arr) !=
		    NO_ERROR)
			return -1;
	} while (ret == NO_ERROR);
	return total;
}

/* ---- batch arrays --------------------------------------------------- */

/* @n add entries with their own route and address buffers. */
struct abatch {
	ULONG n;
	RTM_EXT_ADD_ROUTE *e;
	route_buf *rb;
	RTM_NET_ADDRESS *d;
};

static int ab_init(struct abatch *b, ULONG n)
{
	b->n = n;
	b->e = calloc(n, sizeof(*b->e));
	b->rb = calloc(n, sizeof(*b->rb));
	b->d = calloc(n, sizeof(*b->d));
	return b->e && b->rb && b->d ? 0 : -1;
}

static void ab_fini(struct abatch *b)
{
	free(b->e);
	free(b->rb);
	free(b->d);
}

/*
 * Entry @i: a route to @d from @nbr with @metric (preference 10, unicast),
 * no next hops, INFINITE, no list; outputs poisoned.
 */
static void ab_set(struct abatch *b, ULONG i, RTM_NET_ADDRESS d,
		   RTM_NEXTHOP_HANDLE nbr, ULONG metric, BOOL want)
{
	RTM_EXT_ADD_ROUTE *e = &b->e[i];

	b->d[i] = d;
	rinit(&b->rb[i], nbr, metric, 10, RTM_VIEW_MASK_UCAST);
	memset(e, 0, sizeof(*e));
	e->WantHandle = want;
	e->DestAddress = &b->d[i];
	e->RouteInfo = &b->rb[i].i;
	e->TimeToLive = INFINITE;
	e->ChangeFlags = 0;
	e->Status = POISON_STATUS;
}

/* The RtmAddRouteToDest that entry @e stands for; *h, *cf its outputs. */
static DWORD ab_single(RTM_ENTITY_HANDLE reg, RTM_EXT_ADD_ROUTE *e,
		       RTM_ROUTE_HANDLE *h, DWORD *cf)
{
	*cf = e->ChangeFlags;
	*h = e->RouteHandle;
	return RtmAddRouteToDest(reg, e->WantHandle || e->RouteHandle ? h :
				 NULL, e->DestAddress, e->RouteInfo,
				 e->TimeToLive, e->RouteListHandle, 0, NULL,
				 cf);
}

static void del_set(RTM_EXT_DELETE_ROUTE *e, RTM_ROUTE_HANDLE h)
{
	e->RouteHandle = h;
	e->ChangeFlags = POISON_FLAGS;
	e->Status = POISON_STATUS;
}

/* Gives back @n route references, whatever @n is. */
static DWORD release_all(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE *h, ULONG n)
{
	DWORD ret = NO_ERROR, r;
	ULONG i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < 100 ? n - i : 100;
		r = RtmReleaseRoutes(reg, k, h + i);
		if (r != NO_ERROR)
			ret = r;
	}
	return ret;
}

/* ---- fixture -------------------------------------------------------- */

FIXTURE(bt) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa;
	RTM_NEXTHOP_HANDLE na[3];	/* A's: 10.0.0.1-3, interfaces 1-3 */
	RTM_NEXTHOP_HANDLE nb;		/* B's: 10.0.1.1, interface 11 */
};

FIXTURE_SETUP(bt)
{
	int i;

	ASSERT_EQ(NO_ERROR, reg_in(PROTO_A, 1, 0, NULL, &self->a, &self->pa));
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_B, 1, 0, NULL, &self->b, NULL));
	ASSERT_GE(self->pa.MaxNextHopsInRoute, 3);
	ASSERT_LT(self->pa.MaxNextHopsInRoute, MAXNH);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(NO_ERROR, add_nh(self->a, 0, i + 1, i + 1,
					   &self->na[i]));
	ASSERT_EQ(NO_ERROR, add_nh(self->b, 1, 1, 11, &self->nb));
}

FIXTURE_TEARDOWN(bt)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ====================================================================== */
/* Sizes: every entry as the single call, across every chunk boundary     */
/* ====================================================================== */

FIXTURE(sz) {
	RTM_ENTITY_HANDLE a, b, a2, b2;		/* a2, b2: instance 1 */
	RTM_NEXTHOP_HANDLE na[3], na2[3];
};

FIXTURE_VARIANT(sz) {
	ULONG n;
};

FIXTURE_VARIANT_ADD(sz, n1) { .n = 1 };
FIXTURE_VARIANT_ADD(sz, n31) { .n = 31 };
FIXTURE_VARIANT_ADD(sz, n32) { .n = 32 };
FIXTURE_VARIANT_ADD(sz, n33) { .n = 33 };
FIXTURE_VARIANT_ADD(sz, n1024) { .n = 1024 };
FIXTURE_VARIANT_ADD(sz, n1025) { .n = 1025 };
FIXTURE_VARIANT_ADD(sz, n3000) { .n = 3000 };

FIXTURE_SETUP(sz)
{
	int i;

	ASSERT_EQ(NO_ERROR, reg_in(PROTO_A, 1, 0, NULL, &self->a, NULL));
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_B, 1, 0, NULL, &self->b, NULL));
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_A, 1, 1, NULL, &self->a2, NULL));
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_B, 1, 1, NULL, &self->b2, NULL));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(NO_ERROR, add_nh(self->a, 0, i + 1, i + 1,
					   &self->na[i]));
		ASSERT_EQ(NO_ERROR, add_nh(self->a2, 0, i + 1, i + 1,
					   &self->na2[i]));
	}
}

FIXTURE_TEARDOWN(sz)
{
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b2));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a2));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/*
 * Entry i by i % 4: 0 a new route; 1 a new route worse than the one B
 * already has; 2 an update of the route A already has (metric 20 -> 10);
 * 3 a new route with neighbour and two next hops.  Every third entry
 * takes no handle.  @nh are the owner's three next hops.
 */
static void sz_entry(struct abatch *b, ULONG i, RTM_NEXTHOP_HANDLE *nh)
{
	ab_set(b, i, pfx(i), i % 4 == 3 ? nh[i % 3] : NULL, 10, i % 3 != 0);
	if (i % 4 == 3) {
		rnh(&b->rb[i], nh[i % 3]);
		rnh(&b->rb[i], nh[(i + 1) % 3]);
	}
}

static DWORD sz_documented_flags(ULONG i)
{
	switch (i % 4) {
	case 1:
		return RTM_ROUTE_CHANGE_NEW;
	case 2:
		return RTM_ROUTE_CHANGE_BEST;
	default:
		return RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST;
	}
}

/* The routes B has (1) and A has (2) before the batch, in one table. */
static void sz_world(struct __test_metadata *_metadata, RTM_ENTITY_HANDLE a,
		     RTM_ENTITY_HANDLE b, ULONG n)
{
	ULONG i;

	for (i = 0; i < n; i++) {
		if (i % 4 == 1)
			ASSERT_EQ(NO_ERROR, add_plain(b, pfx(i), 5));
		if (i % 4 == 2)
			ASSERT_EQ(NO_ERROR, add_plain(a, pfx(i), 20));
	}
}

TEST_F_TIMEOUT(sz, add_and_delete_as_single_calls, 300)
{
	ULONG n = variant->n, i, processed = 0xdead, nwant = 0, nnew = 0;
	long long r0, n0, d0;
	RTM_EXT_DELETE_ROUTE *de;
	RTM_ROUTE_HANDLE *h, *pre, hh;
	DWORD *cf1, *dcf1;
	struct abatch b, b2;
	RTM_NET_ADDRESS addr;
	route_buf out;
	dest_buf db;

	ASSERT_EQ(0, ab_init(&b, n));
	ASSERT_EQ(0, ab_init(&b2, n));
	cf1 = calloc(n, sizeof(*cf1));
	dcf1 = calloc(n, sizeof(*dcf1));
	h = calloc(n, sizeof(*h));
	pre = calloc(n, sizeof(*pre));
	de = calloc(n, sizeof(*de));
	ASSERT_TRUE(cf1 && dcf1 && h && pre && de);

	/* The same world in both tables. */
	sz_world(_metadata, self->a, self->b, n);
	sz_world(_metadata, self->a2, self->b2, n);
	for (i = 0; i < n; i++)
		if (i % 4 == 2)
			pre[i] = route_of(self->a, self->a, pfx(i));

	/* Instance 1: the single calls, in order. */
	for (i = 0; i < n; i++) {
		sz_entry(&b2, i, self->na2);
		ASSERT_EQ(NO_ERROR, ab_single(self->a2, &b2.e[i], &hh,
					      &cf1[i]));
		if (hh)
			ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a2, 1, &hh));
	}

	/* Instance 0: one batch. */
	for (i = 0; i < n; i++) {
		sz_entry(&b, i, self->na);
		nwant += b.e[i].WantHandle;
		nnew += i % 4 != 2;
	}
	r0 = refs();
	n0 = nroutes();
	d0 = ndests();
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, n, b.e, &processed));
	EXPECT_EQ(n, processed);
	EXPECT_EQ(r0 + nwant, refs());
	EXPECT_EQ(n0 + nnew, nroutes());
	/* New dests: entries 0 and 3 (mod 4). */
	EXPECT_EQ(d0 + (n + 3) / 4 + n / 4, ndests());

	for (i = 0; i < n; i++) {
		RTM_EXT_ADD_ROUTE *e = &b.e[i];
		RTM_ENTITY_HANDLE owner;

		ASSERT_EQ(NO_ERROR, e->Status) TH_LOG("entry %u", i);
		EXPECT_EQ(cf1[i], e->ChangeFlags) TH_LOG("entry %u", i);
		EXPECT_EQ(sz_documented_flags(i), e->ChangeFlags);
		if (!e->WantHandle) {
			EXPECT_EQ(NULL, e->RouteHandle);
			h[i] = route_of(self->a, self->a, pfx(i));
		} else {
			h[i] = e->RouteHandle;
			if (i % 4 == 2)
				EXPECT_EQ(pre[i], h[i]);
		}
		ASSERT_NE(NULL, h[i]) TH_LOG("entry %u", i);

		memset(&out, 0xee, sizeof(out));
		memset(&addr, 0xee, sizeof(addr));
		ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, h[i], &out.i,
						    &addr));
		EXPECT_TRUE(same_addr(&b.d[i], &addr));
		EXPECT_EQ(RTM_ROUTE_STATE_CREATED, out.i.State);
		EXPECT_EQ(self->a, out.i.RouteOwner);
		EXPECT_EQ(10, out.i.PrefInfo.Metric);
		EXPECT_EQ(10, out.i.PrefInfo.Preference);
		EXPECT_EQ(b.rb[i].i.Neighbour, out.i.Neighbour);
		EXPECT_EQ(b.rb[i].i.NextHopsList.NumNextHops,
			  out.i.NextHopsList.NumNextHops);
		if (i % 4 == 3 && out.i.NextHopsList.NumNextHops == 2) {
			EXPECT_EQ(self->na[i % 3],
				  out.i.NextHopsList.NextHops[0]);
			EXPECT_EQ(self->na[(i + 1) % 3],
				  out.i.NextHopsList.NextHops[1]);
		}
		EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));

		ASSERT_EQ(NO_ERROR,
			  RtmGetExactMatchDestination(self->a, &b.d[i],
						      RTM_BEST_PROTOCOL,
						      RTM_VIEW_MASK_UCAST,
						      &db.i));
		owner = i % 4 == 1 ? self->b : self->a;
		EXPECT_EQ(i % 4 == 1 ? 2 : 1, db.i.ViewInfo[0].NumRoutes);
		EXPECT_EQ(owner, db.i.ViewInfo[0].Owner);
		EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.i));
	}
	EXPECT_EQ(NO_ERROR, release_all(self->a, pre, n));

	/*
	 * Delete every route of A in one batch; instance 1 deletes them
	 * with single calls.  Each consumes the one reference in h[].
	 */
	for (i = 0; i < n; i++) {
		hh = route_of(self->a2, self->a2, pfx(i));
		ASSERT_NE(NULL, hh);
		ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a2, hh,
							 &dcf1[i]));
		del_set(&de[i], h[i]);
	}
	n0 = nroutes();
	processed = 0xdead;
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, n, de,
						     &processed));
	EXPECT_EQ(n, processed);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(NO_ERROR, de[i].Status) TH_LOG("entry %u", i);
		EXPECT_EQ(dcf1[i], de[i].ChangeFlags) TH_LOG("entry %u", i);
		EXPECT_EQ(i % 4 == 1 ? 0 : RTM_ROUTE_CHANGE_BEST,
			  de[i].ChangeFlags);
	}
	/* pre[] (entries 2 mod 4) was released above. */
	EXPECT_EQ(r0 - (n + 1) / 4, refs());
	EXPECT_EQ(n0 - n, nroutes());
	/* Only B's routes are left. */
	for (i = 0; i < n; i++)
		EXPECT_EQ(i % 4 == 1 ? 1 : 0, nroutes_on(self->a, pfx(i)));

	free(cf1);
	free(dcf1);
	free(h);
	free(pre);
	free(de);
	ab_fini(&b);
	ab_fini(&b2);
}

/* ====================================================================== */
/* RtmExtAddRoutesToDest                                                  */
/* ====================================================================== */

TEST_F(bt, want_handle_holds_one_reference_per_entry)
{
	long long r0 = refs(), n0 = nroutes();
	RTM_ROUTE_HANDLE hs[40], h;
	ULONG i, processed = 0;
	struct abatch b;

	ASSERT_EQ(0, ab_init(&b, 40));
	/* Entry 2j adds pfx(j); entry 2j + 1 repeats it: no change. */
	for (i = 0; i < 40; i++)
		ab_set(&b, i, pfx(i / 2), NULL, 10, TRUE);
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 40, b.e,
						  &processed));
	EXPECT_EQ(40, processed);
	for (i = 0; i < 40; i++) {
		EXPECT_EQ(NO_ERROR, b.e[i].Status);
		EXPECT_EQ(i % 2 ? 0 : RTM_ROUTE_CHANGE_NEW |
			  RTM_ROUTE_CHANGE_BEST, b.e[i].ChangeFlags);
		ASSERT_NE(NULL, b.e[i].RouteHandle);
		if (i % 2)
			EXPECT_EQ(b.e[i - 1].RouteHandle, b.e[i].RouteHandle);
		EXPECT_EQ(RTM_VIEW_MASK_UCAST,
			  best_in(self->a, b.e[i].RouteHandle));
		hs[i] = b.e[i].RouteHandle;
	}
	EXPECT_EQ(r0 + 40, refs());
	EXPECT_EQ(n0 + 20, nroutes());
	/* Each handle is a reference of its own. */
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 40, hs));
	EXPECT_EQ(r0, refs());
	h = b.e[0].RouteHandle;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &h));
	/* Releasing does not delete. */
	EXPECT_EQ(n0 + 20, nroutes());
	ab_fini(&b);
}

TEST_F(bt, update_by_route_handle)
{
	RTM_ROUTE_HANDLE h[3];
	long long r0, n0;
	ULONG i, processed = 0;
	struct abatch b;
	route_buf rb;

	for (i = 0; i < 3; i++) {
		rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
		ASSERT_EQ(NO_ERROR, add1(self->a, pfx(i), &rb, &h[i], NULL));
	}
	/* B's route is the best on pfx(2). */
	ASSERT_EQ(NO_ERROR, add_plain(self->b, pfx(2), 1));
	r0 = refs();
	n0 = nroutes();

	ASSERT_EQ(0, ab_init(&b, 5));
	/* The best route's metric, DestAddress NULL: BEST. */
	ab_set(&b, 0, pfx(0), NULL, 20, FALSE);
	b.e[0].DestAddress = NULL;
	b.e[0].RouteHandle = h[0];
	/* A prefix that is not the route's: refused, nothing changes. */
	ab_set(&b, 1, pfx(0), NULL, 99, FALSE);
	b.e[1].RouteHandle = h[1];
	b.e[1].ChangeFlags = POISON_FLAGS;
	/* Not the best route; NEW on input is ignored by handle: 0. */
	ab_set(&b, 2, pfx(2), NULL, 30, FALSE);
	b.e[2].RouteHandle = h[2];
	b.e[2].ChangeFlags = RTM_ROUTE_CHANGE_NEW;
	/* Nothing changes: 0. */
	ab_set(&b, 3, pfx(1), NULL, 10, FALSE);
	b.e[3].DestAddress = NULL;
	b.e[3].RouteHandle = h[1];
	/* The route entry 0 changed, again: BEST. */
	ab_set(&b, 4, pfx(0), NULL, 25, FALSE);
	b.e[4].RouteHandle = h[0];
	b.e[4].ChangeFlags = RTM_ROUTE_CHANGE_BEST;

	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 5, b.e,
						  &processed));
	EXPECT_EQ(5, processed);
	EXPECT_EQ(NO_ERROR, b.e[0].Status);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, b.e[0].ChangeFlags);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, b.e[1].Status);
	EXPECT_EQ(POISON_FLAGS, b.e[1].ChangeFlags);
	EXPECT_EQ(NO_ERROR, b.e[2].Status);
	EXPECT_EQ(0, b.e[2].ChangeFlags);
	EXPECT_EQ(NO_ERROR, b.e[3].Status);
	EXPECT_EQ(0, b.e[3].ChangeFlags);
	EXPECT_EQ(NO_ERROR, b.e[4].Status);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, b.e[4].ChangeFlags);
	/* RouteHandle is an input here: it does not move. */
	EXPECT_EQ(h[0], b.e[0].RouteHandle);
	EXPECT_EQ(h[1], b.e[1].RouteHandle);
	EXPECT_EQ(h[2], b.e[2].RouteHandle);
	EXPECT_EQ(h[1], b.e[3].RouteHandle);
	EXPECT_EQ(h[0], b.e[4].RouteHandle);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(25, metric_of(self->a, h[0]));
	EXPECT_EQ(10, metric_of(self->a, h[1]));
	EXPECT_EQ(30, metric_of(self->a, h[2]));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 3, h));
	ab_fini(&b);
}

TEST_F(bt, change_first_and_new_selectors)
{
	RTM_ROUTE_HANDLE r1, r2, rbh, hs[5];
	RTM_NET_ADDRESS d = pfx(0);
	ULONG i, processed = 0;
	struct abatch b;
	route_buf rb, out;
	long long n0;

	/* A: r1 (neighbour na0, metric 20), r2 (na1, 10); B's is best. */
	rinit(&rb, self->na[0], 20, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, d, &rb, &r1, NULL));
	rinit(&rb, self->na[1], 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, d, &rb, &r2, NULL));
	rinit(&rb, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->b, d, &rb, &rbh, NULL));
	n0 = nroutes();

	ASSERT_EQ(0, ab_init(&b, 5));
	/* FIRST: A's best-ranked route r2, neighbour replaced: 0. */
	ab_set(&b, 0, d, self->na[2], 5, TRUE);
	b.e[0].ChangeFlags = RTM_ROUTE_CHANGE_FIRST;
	/* NEW: a new route even with r1's neighbour. */
	ab_set(&b, 1, d, self->na[0], 30, TRUE);
	b.e[1].ChangeFlags = RTM_ROUTE_CHANGE_NEW;
	/* NEW wins over FIRST. */
	ab_set(&b, 2, d, NULL, 40, TRUE);
	b.e[2].ChangeFlags = RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_FIRST;
	/* FIRST again (BEST on input is dropped): r2 as entry 0 left it. */
	ab_set(&b, 3, d, self->na[1], 6, TRUE);
	b.e[3].ChangeFlags = RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_BEST;
	/* No selector: by neighbour na0, r1 ranks before entry 1's route. */
	ab_set(&b, 4, d, self->na[0], 20, TRUE);

	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 5, b.e,
						  &processed));
	EXPECT_EQ(5, processed);
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(NO_ERROR, b.e[i].Status);
		hs[i] = b.e[i].RouteHandle;
	}
	EXPECT_EQ(r2, hs[0]);
	EXPECT_EQ(0, b.e[0].ChangeFlags);
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, b.e[1].ChangeFlags);
	EXPECT_NE(r1, hs[1]);
	EXPECT_NE(r2, hs[1]);
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, b.e[2].ChangeFlags);
	EXPECT_NE(hs[1], hs[2]);
	EXPECT_NE(r1, hs[2]);
	EXPECT_NE(r2, hs[2]);
	EXPECT_EQ(r2, hs[3]);
	EXPECT_EQ(0, b.e[3].ChangeFlags);
	EXPECT_EQ(r1, hs[4]);
	EXPECT_EQ(0, b.e[4].ChangeFlags);
	EXPECT_EQ(n0 + 2, nroutes());
	EXPECT_EQ(5, nroutes_on(self->a, d));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, rbh));

	memset(&out, 0, sizeof(out));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a, r2, &out.i, NULL));
	EXPECT_EQ(self->na[1], out.i.Neighbour);
	EXPECT_EQ(6, out.i.PrefInfo.Metric);
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a, &out.i));
	EXPECT_EQ(30, metric_of(self->a, hs[1]));
	EXPECT_EQ(40, metric_of(self->a, hs[2]));
	EXPECT_EQ(20, metric_of(self->a, r1));

	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 5, hs));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r1));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r2));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &rbh));
	ab_fini(&b);
}

/*
 * Valid entries among invalid ones, across several kernel and library
 * chunks: each invalid entry gets exactly the status of the single call
 * (made first: a failing call changes nothing) and leaves RouteHandle and
 * ChangeFlags alone; its neighbours succeed.
 */
enum mixed_kind {
	MX_VALID_WANT, MX_NULL_INFO, MX_VALID, MX_TTL0, MX_FAMILY, MX_NUMBITS,
	MX_TOO_MANY_NH, MX_FOREIGN_NH, MX_HANDLE_AND_WANT, MX_OTHERS_LIST,
	MX_STALE_HANDLE, MX_NO_DEST, MX_OTHERS_ROUTE, MX_NO_VIEWS,
	MX_FOREIGN_NEIGHBOUR, MX_FORGED_LIST, MX_VALID_NH_TTL, MX_KINDS
};

static const DWORD mixed_status[MX_KINDS] = {
	[MX_NULL_INFO] = ERROR_INVALID_PARAMETER,
	[MX_TTL0] = ERROR_INVALID_PARAMETER,
	[MX_FAMILY] = ERROR_INVALID_PARAMETER,
	[MX_NUMBITS] = ERROR_INVALID_PARAMETER,
	[MX_TOO_MANY_NH] = ERROR_INVALID_PARAMETER,
	[MX_FOREIGN_NH] = ERROR_INVALID_PARAMETER,
	[MX_HANDLE_AND_WANT] = ERROR_INVALID_PARAMETER,
	[MX_OTHERS_LIST] = ERROR_INVALID_HANDLE,
	[MX_STALE_HANDLE] = ERROR_INVALID_HANDLE,
	[MX_NO_DEST] = ERROR_INVALID_PARAMETER,
	[MX_OTHERS_ROUTE] = ERROR_ACCESS_DENIED,
	[MX_NO_VIEWS] = ERROR_INVALID_PARAMETER,
	[MX_FOREIGN_NEIGHBOUR] = ERROR_INVALID_PARAMETER,
	[MX_FORGED_LIST] = ERROR_INVALID_HANDLE,
};

#define MX_N	612

TEST_F_TIMEOUT(bt, mixed_valid_and_invalid_entries, 120)
{
	RTM_ROUTE_HANDLE ha, hb, stale, hh, hs[MX_N];
	UINT max = self->pa.MaxNextHopsInRoute, j;
	ULONG i, processed = 0, nvalid = 0, nwant = 0, nh = 0;
	RTM_ROUTE_LIST_HANDLE lb = NULL;
	long long r0, n0, d0;
	DWORD single[MX_N], cf;
	struct abatch b;
	route_buf rb;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, rtm_test_v4(10, 250, 0, 0, 16), &rb,
				 &ha, NULL));
	ASSERT_EQ(NO_ERROR, add1(self->b, rtm_test_v4(10, 251, 0, 0, 16), &rb,
				 &hb, NULL));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &hb));
	ASSERT_EQ(NO_ERROR, add1(self->a, rtm_test_v4(10, 252, 0, 0, 16), &rb,
				 &stale, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, stale, NULL));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));

	ASSERT_EQ(0, ab_init(&b, MX_N));
	for (i = 0; i < MX_N; i++) {
		enum mixed_kind k = i % MX_KINDS;
		RTM_EXT_ADD_ROUTE *e = &b.e[i];

		ab_set(&b, i, pfx(i), NULL, 10, k == MX_VALID_WANT ||
		       k == MX_VALID_NH_TTL || k == MX_OTHERS_LIST);
		e->ChangeFlags = POISON_FLAGS;
		switch (k) {
		case MX_NULL_INFO:
			e->RouteInfo = NULL;
			break;
		case MX_TTL0:
			e->TimeToLive = 0;
			break;
		case MX_FAMILY:
			b.d[i].AddressFamily = AF_INET6;
			break;
		case MX_NUMBITS:
			b.d[i].NumBits = 33;
			break;
		case MX_TOO_MANY_NH:
			for (j = 0; j <= max; j++)
				rnh(&b.rb[i], self->na[0]);
			break;
		case MX_FOREIGN_NH:
			rnh(&b.rb[i], self->na[0]);
			rnh(&b.rb[i], self->nb);
			break;
		case MX_HANDLE_AND_WANT:
			e->RouteHandle = ha;
			e->WantHandle = TRUE;
			break;
		case MX_OTHERS_LIST:
			e->RouteListHandle = lb;
			break;
		case MX_STALE_HANDLE:
			e->RouteHandle = stale;
			e->DestAddress = NULL;
			break;
		case MX_NO_DEST:
			e->DestAddress = NULL;
			break;
		case MX_OTHERS_ROUTE:
			e->RouteHandle = hb;
			e->DestAddress = NULL;
			break;
		case MX_NO_VIEWS:
			b.rb[i].i.BelongsToViews = 0;
			break;
		case MX_FOREIGN_NEIGHBOUR:
			b.rb[i].i.Neighbour = self->nb;
			break;
		case MX_FORGED_LIST:
			e->RouteListHandle = FORGED_LIST;
			break;
		case MX_VALID_NH_TTL:
			rnh(&b.rb[i], self->na[i % 3]);
			e->TimeToLive = 3600000;
			break;
		default:
			break;
		}
	}

	/* The single calls: each fails and changes nothing. */
	r0 = refs();
	n0 = nroutes();
	d0 = ndests();
	for (i = 0; i < MX_N; i++) {
		enum mixed_kind k = i % MX_KINDS;

		single[i] = NO_ERROR;
		if (!mixed_status[k] || k == MX_HANDLE_AND_WANT)
			continue;	/* no single call says "both" */
		single[i] = ab_single(self->a, &b.e[i], &hh, &cf);
		EXPECT_EQ(mixed_status[k], single[i]) TH_LOG("entry %u", i);
		EXPECT_EQ(b.e[i].RouteHandle, hh);
	}
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(d0, ndests());

	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, MX_N, b.e,
						  &processed));
	EXPECT_EQ(MX_N, processed);
	for (i = 0; i < MX_N; i++) {
		enum mixed_kind k = i % MX_KINDS;
		RTM_EXT_ADD_ROUTE *e = &b.e[i];

		if (mixed_status[k]) {
			EXPECT_EQ(mixed_status[k], e->Status)
				TH_LOG("entry %u kind %d", i, k);
			if (k != MX_HANDLE_AND_WANT)
				EXPECT_EQ(single[i], e->Status);
			EXPECT_EQ(POISON_FLAGS, e->ChangeFlags);
			EXPECT_EQ(k == MX_HANDLE_AND_WANT ? ha :
				  k == MX_STALE_HANDLE ? stale :
				  k == MX_OTHERS_ROUTE ? hb : NULL,
				  e->RouteHandle);
			if (e->DestAddress && k != MX_HANDLE_AND_WANT &&
			    k != MX_FAMILY && k != MX_NUMBITS)
				EXPECT_EQ(0, nroutes_on(self->a, pfx(i)));
			continue;
		}
		nvalid++;
		EXPECT_EQ(NO_ERROR, e->Status) TH_LOG("entry %u kind %d", i, k);
		EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST,
			  e->ChangeFlags);
		EXPECT_EQ(1, nroutes_on(self->a, pfx(i)));
		if (!e->WantHandle) {
			EXPECT_EQ(NULL, e->RouteHandle);
			continue;
		}
		nwant++;
		ASSERT_NE(NULL, e->RouteHandle);
		hs[nh++] = e->RouteHandle;
		if (k == MX_VALID_NH_TTL) {
			route_buf out;

			ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(self->a,
							    e->RouteHandle,
							    &out.i, NULL));
			EXPECT_EQ(1, out.i.NextHopsList.NumNextHops);
			EXPECT_EQ(self->na[i % 3],
				  out.i.NextHopsList.NextHops[0]);
			EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(self->a,
								&out.i));
		}
	}
	EXPECT_EQ(r0 + nwant, refs());
	EXPECT_EQ(n0 + nvalid, nroutes());
	EXPECT_EQ(d0 + nvalid, ndests());
	/* ha and hb were not touched. */
	EXPECT_EQ(10, metric_of(self->a, ha));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, hb));

	EXPECT_EQ(NO_ERROR, release_all(self->a, hs, nh));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &ha));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &hb));
	hh = stale;
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &hh));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &hb));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
	ab_fini(&b);
}

TEST_F(bt, finite_ttl_entries_expire)
{
	RTM_ENTITY_HANDLE c;
	ULONG i, processed = 0;
	struct abatch b, ba;
	long long r0, n0, t0;
	RTM_ROUTE_HANDLE h;
	int found = 0;

	pthread_mutex_lock(&ev.mu);
	ev.n = 0;
	pthread_mutex_unlock(&ev.mu);
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_C, 1, 0, ev_cb, &c, NULL));
	r0 = refs();
	n0 = nroutes();

	/* C takes expiry events: three of its four routes expire. */
	ASSERT_EQ(0, ab_init(&b, 4));
	ab_set(&b, 0, pfx(0), NULL, 10, TRUE);
	b.e[0].TimeToLive = 500;
	ab_set(&b, 1, pfx(1), NULL, 10, FALSE);
	ab_set(&b, 2, pfx(2), NULL, 10, FALSE);
	b.e[2].TimeToLive = 500;
	ab_set(&b, 3, pfx(3), NULL, 10, FALSE);
	b.e[3].TimeToLive = 800;
	t0 = now_ms();
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(c, 4, b.e, NULL));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(NO_ERROR, b.e[i].Status);
	EXPECT_EQ(n0 + 4, nroutes());

	/* A takes none: its TTL route is deleted when it expires. */
	ASSERT_EQ(0, ab_init(&ba, 2));
	ab_set(&ba, 0, pfx(10), NULL, 10, FALSE);
	ba.e[0].TimeToLive = 500;
	ab_set(&ba, 1, pfx(11), NULL, 10, FALSE);
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 2, ba.e,
						  &processed));
	EXPECT_EQ(2, processed);
	EXPECT_EQ(NO_ERROR, ba.e[0].Status);
	EXPECT_EQ(NO_ERROR, ba.e[1].Status);
	EXPECT_EQ(1, nroutes_on(self->a, pfx(10)));

	ASSERT_EQ(3, ev_wait(3, 5000));
	for (i = 0; i < 3; i++) {
		EXPECT_LE(t0 + 400, ev.at[i]);
		found += ev.h[i] == b.e[0].RouteHandle;
	}
	EXPECT_EQ(1, found);
	/* The INFINITE one does not expire. */
	EXPECT_EQ(3, ev_wait(4, 300));
	EXPECT_TRUE(wait_no_route(c, pfx(0), 3000));
	EXPECT_TRUE(wait_no_route(c, pfx(2), 3000));
	EXPECT_TRUE(wait_no_route(c, pfx(3), 3000));
	EXPECT_TRUE(wait_no_route(self->a, pfx(10), 3000));
	EXPECT_EQ(1, nroutes_on(c, pfx(1)));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(11)));
	/* pfx(0)'s route is deleted but held: the handle of entry 0. */
	for (i = 0; i < 100 && nroutes() != n0 + 3; i++)
		usleep(20000);
	EXPECT_EQ(n0 + 3, nroutes());
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(c, b.e[0].RouteHandle));
	h = b.e[0].RouteHandle;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(c, 1, &h));
	for (i = 0; i < 100 && refs() != r0; i++)
		usleep(20000);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0 + 2, nroutes());
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	ab_fini(&b);
	ab_fini(&ba);
}

TEST_F(bt, route_list_entries_land_in_the_list)
{
	RTM_ROUTE_LIST_HANDLE l1 = NULL, lb = NULL;
	RTM_ROUTE_HANDLE got[8], hs[6];
	ULONG i, processed = 0, nh = 0;
	struct abatch b;
	int n;

	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->a, &l1));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteList(self->b, &lb));
	ASSERT_EQ(0, ab_init(&b, 6));
	for (i = 0; i < 5; i++) {
		ab_set(&b, i, pfx(i), NULL, 10, TRUE);
		b.e[i].RouteListHandle = i == 1 ? NULL : i == 3 ? lb : l1;
	}
	/* An update of entry 1's route moves it to the list's tail. */
	ab_set(&b, 5, pfx(1), NULL, 10, TRUE);
	b.e[5].RouteListHandle = l1;
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 6, b.e,
						  &processed));
	EXPECT_EQ(6, processed);
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(i == 3 ? ERROR_INVALID_HANDLE : NO_ERROR,
			  b.e[i].Status);
		if (b.e[i].Status == NO_ERROR)
			hs[nh++] = b.e[i].RouteHandle;
	}
	EXPECT_EQ(NULL, b.e[3].RouteHandle);
	EXPECT_EQ(0, nroutes_on(self->a, pfx(3)));
	EXPECT_EQ(b.e[1].RouteHandle, b.e[5].RouteHandle);
	EXPECT_EQ(0, b.e[5].ChangeFlags);

	n = list_contents(self->a, l1, got, 8);
	ASSERT_EQ(4, n);
	EXPECT_EQ(b.e[0].RouteHandle, got[0]);
	EXPECT_EQ(b.e[2].RouteHandle, got[1]);
	EXPECT_EQ(b.e[4].RouteHandle, got[2]);
	EXPECT_EQ(b.e[1].RouteHandle, got[3]);
	EXPECT_EQ(0, list_contents(self->b, lb, got, 8));

	EXPECT_EQ(NO_ERROR, release_all(self->a, hs, nh));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->a, l1));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteList(self->b, lb));
	ab_fini(&b);
}

/*
 * Change notification sees a batch as it sees the single adds
 * (notify_test): pending in the order of the first change, coalesced,
 * classified per entry, other views not reported.
 */
TEST_F(bt, change_notification_as_single_adds)
{
	RTM_NOTIFY_HANDLE nall = NULL, nbest = NULL;
	RTM_NET_ADDRESS got[8];
	ULONG i, processed = 0;
	struct abatch b;

	ASSERT_EQ(NO_ERROR, add_plain(self->b, pfx(1), 5));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nall));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&nbest));
	EXPECT_EQ(0, drain(self->a, nall, got, 8));
	EXPECT_EQ(0, drain(self->a, nbest, got, 8));

	ASSERT_EQ(0, ab_init(&b, 6));
	ab_set(&b, 0, pfx(3), NULL, 5, FALSE);		/* new: BEST */
	ab_set(&b, 1, pfx(1), self->nb, 10, FALSE);	/* worse: ALL only */
	ab_set(&b, 2, pfx(2), NULL, 5, FALSE);		/* new: BEST */
	ab_set(&b, 3, pfx(3), NULL, 7, FALSE);		/* coalesced */
	ab_set(&b, 4, pfx(4), NULL, 5, FALSE);		/* other view */
	b.rb[4].i.BelongsToViews = RTM_VIEW_MASK_MCAST;
	ab_set(&b, 5, pfx(1), NULL, 5, FALSE);		/* unchanged */
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->b, 6, b.e,
						  &processed));
	EXPECT_EQ(6, processed);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(NO_ERROR, b.e[i].Status);
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST,
		  b.e[0].ChangeFlags);
	EXPECT_EQ(RTM_ROUTE_CHANGE_NEW, b.e[1].ChangeFlags);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, b.e[3].ChangeFlags);
	EXPECT_EQ(0, b.e[5].ChangeFlags);

	ASSERT_EQ(3, drain(self->a, nall, got, 8));
	EXPECT_TRUE(same_addr(&b.d[0], &got[0]));
	EXPECT_TRUE(same_addr(&b.d[1], &got[1]));
	EXPECT_TRUE(same_addr(&b.d[2], &got[2]));
	ASSERT_EQ(2, drain(self->a, nbest, got, 8));
	EXPECT_TRUE(same_addr(&b.d[0], &got[0]));
	EXPECT_TRUE(same_addr(&b.d[2], &got[1]));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a,
								 nall));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a,
								 nbest));
	ab_fini(&b);
}

/* ====================================================================== */
/* RtmExtDeleteRoutesToDest                                               */
/* ====================================================================== */

/* @n routes of A to pfx(0..n-1), added by batch; handles in @h. */
static void add_n(struct __test_metadata *_metadata, RTM_ENTITY_HANDLE reg,
		  ULONG n, RTM_ROUTE_HANDLE *h)
{
	struct abatch b;
	ULONG i;

	ASSERT_EQ(0, ab_init(&b, n));
	for (i = 0; i < n; i++)
		ab_set(&b, i, pfx(i), NULL, 10, TRUE);
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(reg, n, b.e, NULL));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(NO_ERROR, b.e[i].Status);
		h[i] = b.e[i].RouteHandle;
	}
	ab_fini(&b);
}

TEST_F(bt, delete_consumes_the_reference)
{
	RTM_EXT_DELETE_ROUTE de[100];
	RTM_ROUTE_HANDLE h[100], hh;
	long long r0, n0, d0;
	ULONG i, processed = 0;

	add_n(_metadata, self->a, 100, h);
	r0 = refs();
	n0 = nroutes();
	d0 = ndests();
	for (i = 0; i < 100; i++)
		del_set(&de[i], h[i]);
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 100, de,
						     &processed));
	EXPECT_EQ(100, processed);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(NO_ERROR, de[i].Status);
		EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, de[i].ChangeFlags);
	}
	EXPECT_EQ(r0 - 100, refs());
	EXPECT_EQ(n0 - 100, nroutes());
	EXPECT_EQ(d0 - 100, ndests());
	hh = h[0];
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseRoutes(self->a, 1, &hh));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmGetRouteInfo(self->a, h[99], NULL,
							NULL));
}

TEST_F(bt, delete_change_flags)
{
	RTM_ROUTE_HANDLE r[3];
	RTM_EXT_DELETE_ROUTE de[2];
	route_buf rb;
	int i;

	for (i = 0; i < 3; i++) {
		rinit(&rb, self->na[i], 10 * (i + 1), 10, RTM_VIEW_MASK_UCAST);
		ASSERT_EQ(NO_ERROR, add1(self->a, pfx(0), &rb, &r[i], NULL));
	}
	/* Not the best: 0; then the best: BEST, and r[1] takes over. */
	del_set(&de[0], r[2]);
	del_set(&de[1], r[0]);
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 2, de, NULL));
	EXPECT_EQ(NO_ERROR, de[0].Status);
	EXPECT_EQ(0, de[0].ChangeFlags);
	EXPECT_EQ(NO_ERROR, de[1].Status);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, de[1].ChangeFlags);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, r[1]));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(0)));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r[1]));
}

/*
 * The same route twice in one batch: the second entry gets what
 * RtmDeleteRouteToDest gives for a route already deleted.
 */
TEST_F(bt, delete_same_route_twice_in_one_batch)
{
	RTM_EXT_DELETE_ROUTE de[2];
	RTM_ROUTE_HANDLE h, h2;
	long long r0, n0;
	route_buf rb;

	/* One reference: consumed by the first entry. */
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, pfx(0), &rb, &h, NULL));
	r0 = refs();
	n0 = nroutes();
	del_set(&de[0], h);
	del_set(&de[1], h);
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 2, de, NULL));
	EXPECT_EQ(NO_ERROR, de[0].Status);
	EXPECT_EQ(RTM_ROUTE_CHANGE_BEST, de[0].ChangeFlags);
	EXPECT_EQ(RtmDeleteRouteToDest(self->a, h, NULL), de[1].Status);
	EXPECT_EQ(ERROR_INVALID_HANDLE, de[1].Status);
	EXPECT_EQ(POISON_FLAGS, de[1].ChangeFlags);
	EXPECT_EQ(r0 - 1, refs());
	EXPECT_EQ(n0 - 1, nroutes());

	/* Two references: the second entry finds the route deleted. */
	ASSERT_EQ(NO_ERROR, add1(self->a, pfx(1), &rb, &h, NULL));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &h));
	r0 = refs();
	n0 = nroutes();
	del_set(&de[0], h);
	del_set(&de[1], h);
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 2, de, NULL));
	EXPECT_EQ(NO_ERROR, de[0].Status);
	EXPECT_EQ(RtmDeleteRouteToDest(self->a, h, NULL), de[1].Status);
	EXPECT_EQ(ERROR_NOT_FOUND, de[1].Status);
	EXPECT_EQ(POISON_FLAGS, de[1].ChangeFlags);
	/* The failed entry consumed nothing: one reference is left. */
	EXPECT_EQ(r0 - 1, refs());
	/* Deleted, and kept by that reference. */
	EXPECT_EQ(n0, nroutes());
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->a, h));
	EXPECT_EQ(0, nroutes_on(self->a, pfx(1)));
	h2 = h;
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h2));
	EXPECT_EQ(r0 - 2, refs());
	EXPECT_EQ(n0 - 1, nroutes());
}

#define DX_N	300

TEST_F(bt, delete_mixed_valid_and_invalid_entries)
{
	RTM_ROUTE_HANDLE own[DX_N], hb, noref, hh;
	RTM_EXT_DELETE_ROUTE de[DX_N];
	DWORD single[DX_N], want;
	long long r0, n0;
	ULONG i, processed = 0, nvalid = 0;
	route_buf rb;

	add_n(_metadata, self->a, DX_N, own);
	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->b, rtm_test_v4(10, 251, 0, 0, 16), &rb,
				 &hb, NULL));
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, &hb));
	ASSERT_EQ(NO_ERROR, add1(self->a, rtm_test_v4(10, 252, 0, 0, 16), &rb,
				 &noref, NULL));
	hh = noref;
	ASSERT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &hh));
	for (i = 0; i < DX_N; i++) {
		/* Kind 6: B has a better route, deleting A's is no change. */
		if (i % 7 == 6)
			ASSERT_EQ(NO_ERROR, add_plain(self->b, pfx(i), 1));
		switch (i % 7) {
		case 1:
			del_set(&de[i], NULL);
			break;
		case 2:
			del_set(&de[i], hb);
			break;
		case 3:
			del_set(&de[i], noref);
			break;
		case 4:
			del_set(&de[i], FORGED_ROUTE);
			break;
		case 5:
			del_set(&de[i], self->na[0]);
			break;
		default:
			del_set(&de[i], own[i]);
			break;
		}
	}
	r0 = refs();
	n0 = nroutes();
	/* The single calls of the failing entries change nothing. */
	for (i = 0; i < DX_N; i++)
		single[i] = i % 7 == 0 || i % 7 == 6 ? NO_ERROR :
			    RtmDeleteRouteToDest(self->a, de[i].RouteHandle,
						 NULL);
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(n0, nroutes());

	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, DX_N, de,
						     &processed));
	EXPECT_EQ(DX_N, processed);
	for (i = 0; i < DX_N; i++) {
		switch (i % 7) {
		case 0:
		case 6:
			nvalid++;
			EXPECT_EQ(NO_ERROR, de[i].Status) TH_LOG("entry %u", i);
			EXPECT_EQ(i % 7 ? 0 : RTM_ROUTE_CHANGE_BEST,
				  de[i].ChangeFlags);
			EXPECT_EQ(i % 7 ? 1 : 0, nroutes_on(self->a, pfx(i)));
			continue;
		case 2:
			want = ERROR_ACCESS_DENIED;
			break;
		default:
			want = ERROR_INVALID_HANDLE;
			break;
		}
		EXPECT_EQ(want, de[i].Status) TH_LOG("entry %u", i);
		EXPECT_EQ(single[i], de[i].Status);
		EXPECT_EQ(POISON_FLAGS, de[i].ChangeFlags);
		/* The route itself stays, with its reference. */
		if (i % 7 != 1)
			EXPECT_EQ(1, nroutes_on(self->a, pfx(i)));
	}
	EXPECT_EQ(r0 - nvalid, refs());
	EXPECT_EQ(n0 - nvalid, nroutes());
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, hb));
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, noref));
	for (i = 0; i < DX_N; i++)
		if (i % 7 && i % 7 != 6)
			EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1,
							     &own[i]));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &hb));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &hb));
}

/* The lock holder's own writes fail, entry by entry (lock_test). */
TEST_F(bt, lock_holder_entries_fail_others_succeed)
{
	RTM_EXT_DELETE_ROUTE de[3];
	RTM_ROUTE_HANDLE h[3];
	RTM_DEST_HANDLE dh;
	struct abatch b;
	ULONG i;

	add_n(_metadata, self->a, 3, h);
	dh = dest_of(self->a, pfx(1));
	ASSERT_NE(NULL, dh);
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));

	ASSERT_EQ(0, ab_init(&b, 3));
	ab_set(&b, 0, pfx(0), self->na[0], 10, FALSE);
	ab_set(&b, 1, pfx(1), self->na[0], 10, FALSE);
	ab_set(&b, 2, pfx(2), self->na[0], 10, FALSE);
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 3, b.e, NULL));
	EXPECT_EQ(NO_ERROR, b.e[0].Status);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, b.e[1].Status);
	EXPECT_EQ(NO_ERROR, b.e[2].Status);
	EXPECT_EQ(2, nroutes_on(self->a, pfx(0)));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(1)));

	for (i = 0; i < 3; i++)
		del_set(&de[i], h[i]);
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 3, de, NULL));
	EXPECT_EQ(NO_ERROR, de[0].Status);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, de[1].Status);
	EXPECT_EQ(RtmDeleteRouteToDest(self->a, h[1], NULL), de[1].Status);
	EXPECT_EQ(NO_ERROR, de[2].Status);
	EXPECT_EQ(1, nroutes_on(self->a, pfx(1)));

	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->a, h[1], NULL));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, dh));
	ab_fini(&b);
}

/* ====================================================================== */
/* Arguments                                                              */
/* ====================================================================== */

TEST_F(bt, count_zero_or_null_entries_invalid_parameter)
{
	RTM_EXT_ADD_ROUTE e;
	RTM_EXT_DELETE_ROUTE de;
	struct rtm_stats st = stats();
	RTM_NET_ADDRESS d = pfx(0);
	route_buf rb;
	ULONG processed;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	memset(&e, 0, sizeof(e));
	e.DestAddress = &d;
	e.RouteInfo = &rb.i;
	e.TimeToLive = INFINITE;
	del_set(&de, FORGED_ROUTE);
	processed = 0xdead;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmExtAddRoutesToDest(self->a, 0, &e, &processed));
	EXPECT_EQ(0, processed);
	processed = 0xdead;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmExtAddRoutesToDest(self->a, 1, NULL, &processed));
	EXPECT_EQ(0, processed);
	processed = 0xdead;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmExtDeleteRoutesToDest(self->a, 0, &de, &processed));
	EXPECT_EQ(0, processed);
	processed = 0xdead;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmExtDeleteRoutesToDest(self->a, 1, NULL, &processed));
	EXPECT_EQ(0, processed);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmExtAddRoutesToDest(self->a, 0, NULL, NULL));
	EXPECT_EQ(st.routes, stats().routes);
	EXPECT_EQ(st.handle_refs, stats().handle_refs);
	/* The same entry with Count 1 and Processed NULL works. */
	EXPECT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 1, &e, NULL));
	EXPECT_EQ(NO_ERROR, e.Status);
	EXPECT_EQ(st.routes + 1, stats().routes);
}

/* Library chunks of entries the library refuses: no call, every status. */
TEST_F(bt, every_entry_refused_by_the_library)
{
	RTM_EXT_DELETE_ROUTE de[300];
	struct rtm_stats st = stats();
	ULONG i, processed = 0;
	struct abatch b;

	ASSERT_EQ(0, ab_init(&b, 300));
	for (i = 0; i < 300; i++) {
		ab_set(&b, i, pfx(i), NULL, 10, TRUE);
		if (i % 2)
			b.e[i].RouteInfo = NULL;
		else
			b.e[i].TimeToLive = 0;
		del_set(&de[i], NULL);
	}
	ASSERT_EQ(NO_ERROR, RtmExtAddRoutesToDest(self->a, 300, b.e,
						  &processed));
	EXPECT_EQ(300, processed);
	processed = 0;
	ASSERT_EQ(NO_ERROR, RtmExtDeleteRoutesToDest(self->a, 300, de,
						     &processed));
	EXPECT_EQ(300, processed);
	for (i = 0; i < 300; i++) {
		EXPECT_EQ(ERROR_INVALID_PARAMETER, b.e[i].Status);
		EXPECT_EQ(NULL, b.e[i].RouteHandle);
		EXPECT_EQ(ERROR_INVALID_HANDLE, de[i].Status);
		EXPECT_EQ(POISON_FLAGS, de[i].ChangeFlags);
	}
	EXPECT_EQ(st.routes, stats().routes);
	EXPECT_EQ(st.handle_refs, stats().handle_refs);
	ab_fini(&b);
}

TEST_F(bt, bad_registration_handle)
{
	RTM_ENTITY_HANDLE gone, bad[3];
	RTM_EXT_DELETE_ROUTE de;
	RTM_ROUTE_HANDLE h;
	struct rtm_stats st;
	ULONG processed;
	struct abatch b;
	int i;

	add_n(_metadata, self->a, 1, &h);
	ASSERT_EQ(NO_ERROR, reg_in(PROTO_A, 2, 0, NULL, &gone, NULL));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(gone));
	bad[0] = NULL;
	bad[1] = JUNK_HANDLE;
	bad[2] = gone;
	ASSERT_EQ(0, ab_init(&b, 1));
	st = stats();
	for (i = 0; i < 3; i++) {
		ab_set(&b, 0, pfx(1), NULL, 10, TRUE);
		processed = 0xdead;
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmExtAddRoutesToDest(bad[i], 1, b.e, &processed));
		EXPECT_EQ(0, processed);
		EXPECT_EQ(NULL, b.e[0].RouteHandle);
		del_set(&de, h);
		processed = 0xdead;
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmExtDeleteRoutesToDest(bad[i], 1, &de, &processed));
		EXPECT_EQ(0, processed);
		/* The handle is checked before the arguments. */
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmExtAddRoutesToDest(bad[i], 0, NULL, NULL));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmExtDeleteRoutesToDest(bad[i], 0, NULL, NULL));
	}
	EXPECT_EQ(st.routes, stats().routes);
	EXPECT_EQ(st.handle_refs, stats().handle_refs);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, best_in(self->a, h));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &h));
	ab_fini(&b);
}

/* ====================================================================== */
/* Another process's destination lock                                     */
/* ====================================================================== */

/*
 * The child registers C; on each "g" it runs one batch: adds to pfx(1),
 * pfx(0) (locked by the parent) and pfx(2); then deletes the pfx(2),
 * pfx(0) and pfx(1) routes; it writes a byte after each batch.
 */
static void batch_writer_child(int go, int done)
{
	RTM_EXT_DELETE_ROUTE de[3];
	RTM_ENTITY_HANDLE c = NULL;
	ULONG processed = 0, i;
	struct abatch b;
	char x = 0;

	CHILD_CHECK(reg_in(PROTO_C, 1, 0, NULL, &c, NULL) == NO_ERROR);
	CHILD_CHECK(ab_init(&b, 3) == 0);
	ab_set(&b, 0, pfx(1), NULL, 5, TRUE);
	ab_set(&b, 1, pfx(0), NULL, 5, TRUE);
	ab_set(&b, 2, pfx(2), NULL, 5, TRUE);
	CHILD_CHECK(write(done, "r", 1) == 1);
	CHILD_CHECK(read(go, &x, 1) == 1);
	CHILD_CHECK(RtmExtAddRoutesToDest(c, 3, b.e, &processed) == NO_ERROR);
	CHILD_CHECK(processed == 3);
	for (i = 0; i < 3; i++)
		CHILD_CHECK(b.e[i].Status == NO_ERROR);
	CHILD_CHECK(write(done, "a", 1) == 1);
	CHILD_CHECK(read(go, &x, 1) == 1);
	del_set(&de[0], b.e[2].RouteHandle);
	del_set(&de[1], b.e[1].RouteHandle);
	del_set(&de[2], b.e[0].RouteHandle);
	CHILD_CHECK(RtmExtDeleteRoutesToDest(c, 3, de, &processed) ==
		    NO_ERROR);
	CHILD_CHECK(processed == 3);
	for (i = 0; i < 3; i++)
		CHILD_CHECK(de[i].Status == NO_ERROR);
	CHILD_CHECK(write(done, "d", 1) == 1);
	CHILD_CHECK(read(go, &x, 1) == 1);
	CHILD_CHECK(RtmDeregisterEntity(c) == NO_ERROR);
	_exit(0);
}

TEST_F_TIMEOUT(bt, batch_waits_for_other_process_lock, 60)
{
	int go[2], done[2];
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	route_buf rb;
	long long n0;
	char x = 0;
	pid_t pid;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, pfx(0), &rb, &r, NULL));
	dh = dest_of(self->a, pfx(0));
	ASSERT_NE(NULL, dh);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(go[1]);
		close(done[0]);
		batch_writer_child(go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('r', x);
	n0 = nroutes();

	/* Adds: the entry before the locked destination is done, as a
	 * single call before it would be; the rest waits. */
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, readable(done[0], 500));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(1)));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(0)));
	EXPECT_EQ(0, nroutes_on(self->a, pfx(2)));
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	ASSERT_EQ(1, readable(done[0], 5000));
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('a', x);
	EXPECT_EQ(n0 + 3, nroutes());
	EXPECT_EQ(2, nroutes_on(self->a, pfx(0)));

	/* Deletes: likewise. */
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, readable(done[0], 500));
	EXPECT_EQ(0, nroutes_on(self->a, pfx(2)));
	EXPECT_EQ(2, nroutes_on(self->a, pfx(0)));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(1)));
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	ASSERT_EQ(1, readable(done[0], 5000));
	ASSERT_EQ(1, read(done[0], &x, 1));
	EXPECT_EQ('d', x);
	EXPECT_EQ(n0, nroutes());

	ASSERT_EQ(1, write(go[1], "g", 1));
	expect_child_ok(_metadata, pid);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, dh));
	close(go[1]);
	close(done[0]);
}

/* A batch blocked on a lock, killed: its client leaves nothing behind. */
TEST_F_TIMEOUT(bt, batch_killed_while_waiting_leaves_nothing, 60)
{
	struct rtm_stats st0, st;
	int go[2], done[2], status, i;
	RTM_ROUTE_HANDLE r;
	RTM_DEST_HANDLE dh;
	route_buf rb;
	char x = 0;
	pid_t pid;

	rinit(&rb, NULL, 10, 10, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, add1(self->a, pfx(0), &rb, &r, NULL));
	dh = dest_of(self->a, pfx(0));
	ASSERT_NE(NULL, dh);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	st0 = stats();
	pid = fork_child(_metadata);
	if (pid == 0) {
		close(go[1]);
		close(done[0]);
		batch_writer_child(go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	ASSERT_EQ(1, read(done[0], &x, 1));
	ASSERT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, TRUE));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, readable(done[0], 500));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(1)));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	for (i = 0; i < 100; i++) {
		st = stats();
		if (st.routes == st0.routes && st.handle_refs == st0.handle_refs
		    && st.registrations == st0.registrations)
			break;
		usleep(20000);
	}
	EXPECT_EQ(st0.routes, st.routes);
	EXPECT_EQ(st0.dests, st.dests);
	EXPECT_EQ(st0.handle_refs, st.handle_refs);
	EXPECT_EQ(st0.registrations, st.registrations);
	EXPECT_EQ(0, nroutes_on(self->a, pfx(1)));
	EXPECT_EQ(NO_ERROR, RtmLockDestination(self->a, dh, TRUE, FALSE));
	EXPECT_EQ(1, nroutes_on(self->a, pfx(0)));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &r));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, dh));
	close(go[1]);
	close(done[0]);
}

TEST_HARNESS_MAIN
