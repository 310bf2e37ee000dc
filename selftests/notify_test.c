// SPDX-License-Identifier: GPL-2.0
/*
 * notify_test - change notification (spec part 2, 2.17, 3.11-3.18; part 1,
 * 2.8 change classification, 5.1 RTM_CHANGE_NOTIFICATION).
 *
 * Registration and its return codes, ALL / BEST / FORWARDING
 * classification, coalescing and order of the pending set, the end rule
 * of RtmGetChangedDests and its references, ignore / status / marks, the
 * edge-triggered callback, foreign and forged handles, and a "RIP" and an
 * "OSPF" process notified of each other's best-route changes.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/rtm.h>

#define PROTO_RIP	8
#define PROTO_OSPF	13
#define MAXV		2
#define MAXD		16

typedef union {
	RTM_DEST_INFO di;
	char buf[RTM_SIZE_OF_DEST_INFO(MAXV)];
} dest_buf;

#define NTH(arr, i) ((PRTM_DEST_INFO)((char *)(arr) + (i) * RTM_SIZE_OF_DEST_INFO(MAXV)))

static long long refs(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return -1;
	return st.handle_refs;
}

static long long ndests(void)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return -1;
	return st.dests;
}

/* ---- event recording ------------------------------------------------ */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int nchange;		/* RTM_CHANGE_NOTIFICATION callbacks */
	PVOID c1, c2;		/* of the last one */
	RTM_ENTITY_HANDLE reg;	/* RtmRegHandle of the last one */
	int try_register;	/* call RtmRegisterForChangeNotification */
	DWORD reg_ret;
} ev = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static DWORD WINAPI ev_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE t,
			  PVOID c1, PVOID c2)
{
	RTM_NOTIFY_HANDLE nh = NULL;

	if (t != RTM_CHANGE_NOTIFICATION)
		return NO_ERROR;
	pthread_mutex_lock(&ev.mu);
	ev.nchange++;
	ev.c1 = c1;
	ev.c2 = c2;
	ev.reg = reg;
	if (ev.try_register) {
		ev.reg_ret = RtmRegisterForChangeNotification(reg,
				RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL,
				NULL, &nh);
		if (ev.reg_ret == NO_ERROR)
			RtmDeregisterFromChangeNotification(reg, nh);
	}
	pthread_cond_broadcast(&ev.cv);
	pthread_mutex_unlock(&ev.mu);
	return NO_ERROR;
}

static void ev_reset(void)
{
	pthread_mutex_lock(&ev.mu);
	ev.nchange = 0;
	ev.c1 = ev.c2 = NULL;
	ev.reg = NULL;
	ev.try_register = 0;
	ev.reg_ret = 0xdead;
	pthread_mutex_unlock(&ev.mu);
}

/* Waits up to @ms for at least @n callbacks; returns the count. */
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
	while (ev.nchange < n)
		if (pthread_cond_timedwait(&ev.cv, &ev.mu, &ts) == ETIMEDOUT)
			break;
	c = ev.nchange;
	pthread_mutex_unlock(&ev.mu);
	return c;
}

/* ---- helpers -------------------------------------------------------- */

static DWORD reg_cb(ULONG proto, ULONG inst, RTM_EVENT_CALLBACK cb,
		    RTM_ENTITY_HANDLE *h, RTM_REGN_PROFILE *prof)
{
	RTM_ENTITY_INFO ei;

	memset(&ei, 0, sizeof(ei));
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = proto;
	ei.EntityId.EntityInstanceId = inst;
	return RtmRegisterEntity(&ei, NULL, cb, FALSE, prof, h);
}

/* Adds or updates (identity: dest + owner + NULL neighbour) a route. */
static DWORD add(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d, ULONG pref,
		 ULONG metric, USHORT flags, RTM_ROUTE_HANDLE *h)
{
	RTM_ROUTE_INFO ri;
	DWORD cf = 0;

	memset(&ri, 0, sizeof(ri));
	ri.PrefInfo.Preference = pref;
	ri.PrefInfo.Metric = metric;
	ri.Flags = flags;
	ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	if (h)
		*h = NULL;
	return RtmAddRouteToDest(reg, h, &d, &ri, INFINITE, NULL, 0, NULL,
				 &cf);
}

/* Gives back a bare destination handle (part 1, 6.2 Proposed). */
static DWORD put_dest(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE h)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	db.di.DestHandle = h;
	db.di.NumberOfViews = 0;
	return RtmReleaseDestInfo(reg, &db.di);
}

/* The caller's route on @d: a referenced handle, via the dest info. */
static DWORD my_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d,
		      RTM_ROUTE_HANDLE *out)
{
	union {
		RTM_ROUTE_INFO ri;
		char buf[RTM_SIZE_OF_ROUTE_INFO(8)];
	} rb;
	DWORD ret;

	*out = NULL;
	memset(&rb, 0, sizeof(rb));
	rb.ri.RouteOwner = reg;
	ret = RtmGetExactMatchRoute(reg, &d, RTM_MATCH_OWNER, &rb.ri, 0,
				    RTM_VIEW_MASK_ANY, out);
	if (ret == NO_ERROR)
		RtmReleaseRouteInfo(reg, &rb.ri);
	return ret;
}

static DWORD del_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d)
{
	RTM_ROUTE_HANDLE h;
	DWORD ret = my_route(reg, d, &h);

	if (ret != NO_ERROR)
		return ret;
	ret = RtmDeleteRouteToDest(reg, h, NULL);
	if (ret != NO_ERROR)
		RtmReleaseRoutes(reg, 1, &h);
	return ret;
}

static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d,
			       RTM_VIEW_SET views)
{
	dest_buf db;
	RTM_DEST_HANDLE h;

	if (RtmGetExactMatchDestination(reg, &d, RTM_BEST_PROTOCOL, views,
					&db.di) != NO_ERROR)
		return NULL;
	h = db.di.DestHandle;
	RtmReferenceHandles(reg, 1, (HANDLE *)&h);
	RtmReleaseDestInfo(reg, &db.di);
	return h;
}

/*
 * Drains @nh: fills @addr (up to MAXD) with the prefixes returned in
 * order, @nroutes / @metric (of ViewInfo[0].Route, ~0 if none) and
 * @owner_proto (~0 if none).  Returns the count, or -1 on an error.
 */
struct chg {
	RTM_NET_ADDRESS addr;
	UINT nroutes;
	ULONG metric;
	ULONG owner_proto;
	UINT nviews;
	int route_null;
};

static int drain(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE nh,
		 struct chg *out)
{
	char arr[4 * RTM_SIZE_OF_DEST_INFO(MAXV)];
	int total = 0, i;
	DWORD ret;

	do {
		UINT n = 4;

		ret = RtmGetChangedDests(reg, nh, &n, (PRTM_DEST_INFO)arr);
		if (ret != NO_ERROR && ret != ERROR_NO_MORE_ITEMS)
			return -1;
		for (i = 0; i < (int)n; i++) {
			PRTM_DEST_INFO di = NTH(arr, i);
			struct chg c;

			memset(&c, 0, sizeof(c));
			c.addr = di->DestAddress;
			c.nviews = di->NumberOfViews;
			c.metric = ~0u;
			c.owner_proto = ~0u;
			c.route_null = 1;
			if (di->NumberOfViews) {
				c.nroutes = di->ViewInfo[0].NumRoutes;
				c.route_null = !di->ViewInfo[0].Route;
			}
			if (di->NumberOfViews && di->ViewInfo[0].Route) {
				RTM_ROUTE_INFO ri;

				if (RtmGetRouteInfo(reg, di->ViewInfo[0].Route,
						    &ri, NULL) == NO_ERROR) {
					c.metric = ri.PrefInfo.Metric;
					RtmReleaseRouteInfo(reg, &ri);
				}
			}
			if (di->NumberOfViews && di->ViewInfo[0].Owner) {
				RTM_ENTITY_INFO ei;

				if (RtmGetEntityInfo(reg, di->ViewInfo[0].Owner,
						     &ei) == NO_ERROR) {
					c.owner_proto =
						ei.EntityId.EntityProtocolId;
					RtmReleaseEntityInfo(reg, &ei);
				}
			}
			if (total < MAXD)
				out[total] = c;
			total++;
		}
		if (RtmReleaseChangedDests(reg, nh, n, (PRTM_DEST_INFO)arr)
		    != NO_ERROR)
			return -1;
	} while (ret == NO_ERROR);
	return total;
}

static int same(RTM_NET_ADDRESS a, RTM_NET_ADDRESS b)
{
	return a.NumBits == b.NumBits &&
	       !memcmp(a.AddrBits, b.AddrBits, 4);
}

/* ---- fixture: RIP (a) and OSPF (b) entities, no callbacks ---------- */

FIXTURE(nt) {
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE pa;
	RTM_NET_ADDRESS d1, d2, d3;
	long long r0, dests0;
};

FIXTURE_SETUP(nt)
{
	RTM_REGN_PROFILE pb;

	self->r0 = refs();
	self->dests0 = ndests();
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, NULL, &self->a, &self->pa));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 1, NULL, &self->b, &pb));
	ASSERT_EQ(0x3, self->pa.ViewsSupported);
	self->d1 = rtm_test_v4(10, 1, 0, 0, 16);
	self->d2 = rtm_test_v4(10, 2, 0, 0, 16);
	self->d3 = rtm_test_v4(10, 3, 0, 0, 16);
}

FIXTURE_TEARDOWN(nt)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ---- RtmRegisterForChangeNotification (3.11) ----------------------- */

/*
 * Two threads of one registration registering and deregistering at once:
 * the kernel's list of a file's registrations (with the dead ones it
 * keeps for their handles) must stay consistent.  It was edited without
 * a lock on deregistration: a double put, list corruption or a lockup
 * followed within a second.  Every call must succeed (the pair never
 * exceeds the 32 registrations of a table).
 */
struct churn_arg {
	int fd;
	int rounds;
	int failed;
};

/* Raw ioctls: librtm serialises a registration's notification calls. */
static void *notify_churn(void *p)
{
	struct churn_arg *c = p;
	int i;

	for (i = 0; i < c->rounds; i++) {
		struct rtm_notify_register nr = { .flags = RTM_CHANGE_TYPE_ALL };
		struct rtm_notify_op_arg op = { .op = RTM_NO_DEREGISTER };

		if (ioctl(c->fd, RTM_IOC_NOTIFY_REGISTER, &nr)) {
			c->failed++;
			continue;
		}
		op.handle = nr.handle;
		if (ioctl(c->fd, RTM_IOC_NOTIFY_OP, &op))
			c->failed++;
	}
	return NULL;
}

TEST(concurrent_register_deregister_in_one_registration)
{
	struct rtm_register r = {
		.instance = 7, .family = AF_INET, .entity_id = 1,
	};
	struct churn_arg c[2] = { { .rounds = 5000 }, { .rounds = 5000 } };
	long long r0 = refs();
	pthread_t t[2];
	int i, fd;

	fd = open("/dev/rtm", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RTM_IOC_REGISTER, &r));
	for (i = 0; i < 2; i++) {
		c[i].fd = fd;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, notify_churn, &c[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, c[0].failed);
	EXPECT_EQ(0, c[1].failed);
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(r0, refs());
}

TEST_F(nt, register_and_deregister)
{
	RTM_NOTIFY_HANDLE nh = NULL;
	struct chg c[MAXD];
	UINT n = 1;
	dest_buf db;

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_NE(NULL, nh);
	/* Starts empty: earlier changes are not replayed. */
	EXPECT_EQ(0, drain(self->a, nh, c));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	/* The handle is invalid afterwards. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetChangedDests(self->a, nh, &n, &db.di));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(self->r0, refs());
}

TEST_F(nt, register_bad_flags_invalid_parameter)
{
	RTM_NOTIFY_HANDLE nh = (RTM_NOTIFY_HANDLE)0x77;
	static const DWORD bad[] = {
		0, RTM_NOTIFY_ONLY_MARKED_DESTS, 0x8,
		RTM_CHANGE_TYPE_ALL | 0x8,
		RTM_CHANGE_TYPE_BEST | 0x20000,
		RTM_CHANGE_TYPE_ALL | 0x80000000,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  RtmRegisterForChangeNotification(self->a,
				RTM_VIEW_MASK_UCAST, bad[i], NULL, &nh));
		EXPECT_EQ((RTM_NOTIFY_HANDLE)0x77, nh);
	}
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmRegisterForChangeNotification((RTM_ENTITY_HANDLE)0x1234,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
}

TEST_F(nt, register_unsupported_view_not_supported)
{
	RTM_NOTIFY_HANDLE nh = (RTM_NOTIFY_HANDLE)0x77;

	EXPECT_EQ(ERROR_NOT_SUPPORTED,
		  RtmRegisterForChangeNotification(self->a, 0x4,
			RTM_CHANGE_TYPE_ALL, NULL, &nh));
	EXPECT_EQ(ERROR_NOT_SUPPORTED,
		  RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST | 0x4, RTM_CHANGE_TYPE_BEST,
			NULL, &nh));
	EXPECT_EQ((RTM_NOTIFY_HANDLE)0x77, nh);
}

TEST_F(nt, thirty_third_registration_no_system_resources)
{
	RTM_NOTIFY_HANDLE nh[33], extra = (RTM_NOTIFY_HANDLE)0x77;
	int i;

	/* All clients together: 16 on each entity. */
	for (i = 0; i < 32; i++)
		ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(
				i & 1 ? self->b : self->a, RTM_VIEW_MASK_UCAST,
				RTM_CHANGE_TYPE_ALL, NULL, &nh[i]));
	EXPECT_EQ(ERROR_NO_SYSTEM_RESOURCES,
		  RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&extra));
	EXPECT_EQ((RTM_NOTIFY_HANDLE)0x77, extra);
	EXPECT_EQ(ERROR_NO_SYSTEM_RESOURCES,
		  RtmRegisterForChangeNotification(self->b,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&extra));
	/* A freed slot can be reused. */
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->b,
								 nh[1]));
	EXPECT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&nh[1]));
	for (i = 0; i < 32; i++)
		EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(
				i & 1 && i != 1 ? self->b : self->a, nh[i]));
}

/* ---- classification (part 1, 2.8; part 2, 2.17) --------------------- */

FIXTURE(cls) {
	RTM_ENTITY_HANDLE a, b;
	RTM_NOTIFY_HANDLE all, best, fwd;
	RTM_NET_ADDRESS d;
	RTM_ROUTE_HANDLE ra;	/* a's route, the best */
};

FIXTURE_SETUP(cls)
{
	struct chg c[MAXD];
	RTM_REGN_PROFILE p;

	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, NULL, &self->a, &p));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 1, NULL, &self->b, &p));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL,
			&self->all));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&self->best));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_FORWARDING, NULL,
			&self->fwd));
	self->d = rtm_test_v4(10, 7, 0, 0, 16);
	ASSERT_EQ(NO_ERROR, add(self->a, self->d, 10, 5, 0, &self->ra));
	/* The first route is a change of every type. */
	ASSERT_EQ(1, drain(self->a, self->all, c));
	ASSERT_EQ(1, drain(self->a, self->best, c));
	ASSERT_EQ(1, drain(self->a, self->fwd, c));
}

FIXTURE_TEARDOWN(cls)
{
	RtmReleaseRoutes(self->a, 1, &self->ra);
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* Pending state of the three registrations as a bit mask ALL|BEST|FWD. */
static int pending3(FIXTURE_DATA(cls) *self)
{
	struct chg c[MAXD];
	int m = 0;

	if (drain(self->a, self->all, c) == 1)
		m |= RTM_CHANGE_TYPE_ALL;
	if (drain(self->a, self->best, c) == 1)
		m |= RTM_CHANGE_TYPE_BEST;
	if (drain(self->a, self->fwd, c) == 1)
		m |= RTM_CHANGE_TYPE_FORWARDING;
	return m;
}

TEST_F(cls, worse_route_is_all_not_best)
{
	EXPECT_EQ(NO_ERROR, add(self->b, self->d, 10, 50, 0, NULL));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL, pending3(self));
	/* Deleting it again: ALL only too. */
	EXPECT_EQ(NO_ERROR, del_route(self->b, self->d));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL, pending3(self));
}

TEST_F(cls, better_route_is_all_best_forwarding)
{
	EXPECT_EQ(NO_ERROR, add(self->b, self->d, 10, 1, 0, NULL));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST |
		  RTM_CHANGE_TYPE_FORWARDING, pending3(self));
}

TEST_F(cls, non_forwarding_flag_of_best_is_best_not_forwarding)
{
	EXPECT_EQ(NO_ERROR, add(self->a, self->d, 10, 5,
				RTM_ROUTE_FLAGS_LOCAL, NULL));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST, pending3(self));
}

TEST_F(cls, forwarding_flag_of_best_is_forwarding)
{
	EXPECT_EQ(NO_ERROR, add(self->a, self->d, 10, 5,
				RTM_ROUTE_FLAGS_DISCARD, NULL));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST |
		  RTM_CHANGE_TYPE_FORWARDING, pending3(self));
}

TEST_F(cls, metric_of_best_is_best_and_forwarding)
{
	EXPECT_EQ(NO_ERROR, add(self->a, self->d, 10, 6, 0, NULL));
	EXPECT_EQ(RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST |
		  RTM_CHANGE_TYPE_FORWARDING, pending3(self));
}

TEST_F(cls, unchanged_update_is_no_change)
{
	EXPECT_EQ(NO_ERROR, add(self->a, self->d, 10, 5, 0, NULL));
	EXPECT_EQ(0, pending3(self));
}

TEST_F(cls, other_view_not_reported)
{
	RTM_ROUTE_INFO ri;
	RTM_NET_ADDRESS d = rtm_test_v4(10, 8, 0, 0, 16);
	DWORD cf = 0;

	memset(&ri, 0, sizeof(ri));
	ri.PrefInfo.Preference = 10;
	ri.BelongsToViews = RTM_VIEW_MASK_MCAST;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(self->b, NULL, &d, &ri,
					      INFINITE, NULL, 0, NULL, &cf));
	EXPECT_EQ(0, pending3(self));
}

/* ---- RtmGetChangedDests (3.12) -------------------------------------- */

TEST_F(nt, changes_coalesced_with_current_state)
{
	RTM_NOTIFY_HANDLE nh;
	struct chg c[MAXD];

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL, &nh));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 6, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, self->d1, 10, 3, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, self->d1, 10, 4, 0, NULL));
	ASSERT_EQ(1, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d1, c[0].addr));
	EXPECT_EQ(1, c[0].nviews);
	EXPECT_EQ(2, c[0].nroutes);
	EXPECT_EQ(4, c[0].metric);
	EXPECT_EQ(PROTO_RIP, c[0].owner_proto);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(self->r0, refs());
}

TEST_F(nt, pending_order_is_first_change)
{
	RTM_NOTIFY_HANDLE nh;
	struct chg c[MAXD];

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d3, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d3, 10, 7, 0, NULL));
	ASSERT_EQ(3, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d3, c[0].addr));
	EXPECT_TRUE(same(self->d1, c[1].addr));
	EXPECT_TRUE(same(self->d2, c[2].addr));
	EXPECT_EQ(7, c[0].metric);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
}

TEST_F(nt, dest_that_lost_all_routes_reported)
{
	RTM_NOTIFY_HANDLE nh;
	dest_buf db;
	UINT n = 1;
	long long r1;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_ALL, RTM_CHANGE_TYPE_BEST, NULL, &nh));
	ASSERT_EQ(NO_ERROR, del_route(self->b, self->d1));
	r1 = refs();
	memset(&db, 0x5a, sizeof(db));
	EXPECT_EQ(NO_ERROR, RtmGetChangedDests(self->a, nh, &n, &db.di));
	ASSERT_EQ(1, n);
	EXPECT_NE(NULL, db.di.DestHandle);
	EXPECT_TRUE(same(self->d1, db.di.DestAddress));
	EXPECT_EQ(0, db.di.BelongsToViews);
	ASSERT_EQ(2, db.di.NumberOfViews);	/* VIEW_MASK_ALL = ucast+mcast */
	EXPECT_EQ(RTM_VIEW_ID_UCAST, db.di.ViewInfo[0].ViewId);
	EXPECT_EQ(RTM_VIEW_ID_MCAST, db.di.ViewInfo[1].ViewId);
	EXPECT_EQ(0, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, db.di.ViewInfo[0].Route);
	EXPECT_EQ(NULL, db.di.ViewInfo[0].Owner);
	EXPECT_EQ(NULL, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(NULL, db.di.ViewInfo[1].Route);
	/* Exactly one reference: the destination handle. */
	EXPECT_EQ(r1 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->a, nh, n, &db.di));
	EXPECT_EQ(r1, refs());
	EXPECT_EQ(self->dests0, ndests());
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->a, nh, &n, &db.di));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
}

TEST_F(nt, end_rule_and_capacity)
{
	char arr[3 * RTM_SIZE_OF_DEST_INFO(MAXV)];
	RTM_NOTIFY_HANDLE nh;
	UINT n;

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d3, 10, 5, 0, NULL));

	n = self->pa.MaxHandlesInEnum + 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetChangedDests(self->a, nh, NULL, (PRTM_DEST_INFO)arr));
	n = 1;
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetChangedDests(self->a, nh, &n, NULL));

	n = 2;
	EXPECT_EQ(NO_ERROR,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(2, n);
	EXPECT_TRUE(same(self->d1, NTH(arr, 0)->DestAddress));
	EXPECT_TRUE(same(self->d2, NTH(arr, 1)->DestAddress));
	EXPECT_EQ(NO_ERROR,
		  RtmReleaseChangedDests(self->a, nh, n, (PRTM_DEST_INFO)arr));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(1, n);
	EXPECT_TRUE(same(self->d3, NTH(arr, 0)->DestAddress));
	EXPECT_EQ(NO_ERROR,
		  RtmReleaseChangedDests(self->a, nh, n, (PRTM_DEST_INFO)arr));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(self->r0, refs());
}

TEST_F(nt, release_references_exact_and_after_deregister)
{
	char arr[3 * RTM_SIZE_OF_DEST_INFO(MAXV)];
	RTM_NOTIFY_HANDLE nh;
	long long r1;
	UINT n = 3;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_EQ(NO_ERROR, add(self->a, self->d1, 10, 9, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->a, self->d2, 10, 9, 0, NULL));
	r1 = refs();
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	ASSERT_EQ(2, n);
	/* Per dest: DestHandle, Route, Owner. */
	EXPECT_EQ(r1 + 6, refs());
	EXPECT_NE(NULL, NTH(arr, 0)->ViewInfo[0].Route);
	EXPECT_NE(NULL, NTH(arr, 0)->ViewInfo[0].Owner);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	/* Structures keep their references after deregistration... */
	EXPECT_EQ(r1 + 6, refs());
	/* ...and the old handle is accepted to release them. */
	EXPECT_EQ(NO_ERROR,
		  RtmReleaseChangedDests(self->a, nh, n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(r1, refs());
}

TEST_F(nt, release_with_foreign_notify_handle_invalid)
{
	char arr[2 * RTM_SIZE_OF_DEST_INFO(MAXV)];
	RTM_NOTIFY_HANDLE nh, nb;
	long long r1;
	UINT n = 2;

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->b,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nb));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	r1 = refs();
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->a, nh, &n, (PRTM_DEST_INFO)arr));
	ASSERT_EQ(1, n);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmReleaseChangedDests(self->a, nb, n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmReleaseChangedDests(self->a, (RTM_NOTIFY_HANDLE)0x4321,
					 n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmReleaseChangedDests(self->a, NULL, n,
					 (PRTM_DEST_INFO)arr));
	EXPECT_EQ(r1 + 3, refs());	/* nothing released */
	EXPECT_EQ(NO_ERROR,
		  RtmReleaseChangedDests(self->a, nh, n, (PRTM_DEST_INFO)arr));
	EXPECT_EQ(r1, refs());
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->b, nb));
}

/* ---- status, ignore (3.14, 3.15) ------------------------------------ */

TEST_F(nt, change_status_and_ignore)
{
	RTM_NOTIFY_HANDLE nh;
	RTM_DEST_HANDLE h1, h2;
	struct chg c[MAXD];
	BOOL st = 7;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 5, 0, NULL));
	h1 = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	h2 = dest_of(self->a, self->d2, RTM_VIEW_MASK_UCAST);
	ASSERT_NE(NULL, h1);
	ASSERT_NE(NULL, h2);
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h1, &st));
	EXPECT_EQ(FALSE, st);
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 6, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 6, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h1, &st));
	EXPECT_EQ(TRUE, st);
	st = 7;
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h2, &st));
	EXPECT_EQ(TRUE, st);

	/* Ignoring d1 takes it off; handles are not consumed. */
	EXPECT_EQ(NO_ERROR, RtmIgnoreChangedDests(self->a, nh, 1, &h1));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h1, &st));
	EXPECT_EQ(FALSE, st);
	/* Not pending: left alone. */
	EXPECT_EQ(NO_ERROR, RtmIgnoreChangedDests(self->a, nh, 1, &h1));
	ASSERT_EQ(1, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d2, c[0].addr));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h2, &st));
	EXPECT_EQ(FALSE, st);

	/* A later change makes it pending again. */
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 7, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h1, &st));
	EXPECT_EQ(TRUE, st);
	ASSERT_EQ(1, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d1, c[0].addr));

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetChangeStatus(self->a, nh, h1, NULL));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h2));
	EXPECT_EQ(self->r0, refs());
}

/* ---- marks (3.16, 3.17) --------------------------------------------- */

TEST_F(nt, only_marked_dests_notified)
{
	RTM_NOTIFY_HANDLE nh;
	RTM_DEST_HANDLE h1, h2;
	struct chg c[MAXD];
	BOOL m = 7;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 5, 0, NULL));
	h1 = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	h2 = dest_of(self->a, self->d2, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST,
			RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS,
			NULL, &nh));
	/* Initially nothing is marked. */
	EXPECT_EQ(NO_ERROR, RtmIsMarkedForChangeNotification(self->a, nh, h1,
							      &m));
	EXPECT_EQ(FALSE, m);
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 6, 0, NULL));
	EXPECT_EQ(0, drain(self->a, nh, c));

	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      TRUE));
	/* Idempotent. */
	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      TRUE));
	EXPECT_EQ(NO_ERROR, RtmIsMarkedForChangeNotification(self->a, nh, h1,
							      &m));
	EXPECT_EQ(TRUE, m);
	EXPECT_EQ(NO_ERROR, RtmIsMarkedForChangeNotification(self->a, nh, h2,
							      &m));
	EXPECT_EQ(FALSE, m);
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 7, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(self->b, self->d2, 10, 7, 0, NULL));
	ASSERT_EQ(1, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d1, c[0].addr));

	/* Unmarking also drops the pending change. */
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 8, 0, NULL));
	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      FALSE));
	EXPECT_EQ(NO_ERROR, RtmGetChangeStatus(self->a, nh, h1, &m));
	EXPECT_EQ(FALSE, m);
	EXPECT_EQ(0, drain(self->a, nh, c));
	EXPECT_EQ(NO_ERROR, RtmIsMarkedForChangeNotification(self->a, nh, h1,
							      &m));
	EXPECT_EQ(FALSE, m);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmIsMarkedForChangeNotification(self->a, nh, h1, NULL));

	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h2));
	EXPECT_EQ(self->r0, refs());
}

TEST_F(nt, marked_dest_kept_until_unmarked)
{
	RTM_NOTIFY_HANDLE nh;
	RTM_DEST_HANDLE h1, h1b;
	struct chg c[MAXD];
	dest_buf db;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	h1 = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	ASSERT_NE(NULL, h1);
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST,
			RTM_CHANGE_TYPE_BEST | RTM_NOTIFY_ONLY_MARKED_DESTS,
			NULL, &nh));
	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      TRUE));
	ASSERT_EQ(NO_ERROR, del_route(self->b, self->d1));
	/* The loss is reported... */
	ASSERT_EQ(1, drain(self->a, nh, c));
	EXPECT_TRUE(same(self->d1, c[0].addr));
	EXPECT_EQ(0, c[0].nroutes);
	EXPECT_TRUE(c[0].route_null);
	/* ...and the marked dest stays: found only with TargetViews 0. */
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d1,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d1,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(h1, db.di.DestHandle);
	EXPECT_EQ(0, db.di.NumberOfViews);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));

	/* A new route on the same prefix reuses the kept destination. */
	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	h1b = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	EXPECT_EQ(h1, h1b);
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1b));
	ASSERT_EQ(1, drain(self->a, nh, c));
	ASSERT_EQ(NO_ERROR, del_route(self->b, self->d1));
	ASSERT_EQ(1, drain(self->a, nh, c));

	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      FALSE));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d1,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1));
	EXPECT_EQ(self->r0, refs());
	EXPECT_EQ(self->dests0, ndests());
}

TEST_F(nt, deregister_drops_marks)
{
	RTM_NOTIFY_HANDLE nh;
	RTM_DEST_HANDLE h1;
	dest_buf db;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	h1 = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	EXPECT_EQ(NO_ERROR, RtmMarkDestForChangeNotification(self->a, nh, h1,
							      TRUE));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1));
	ASSERT_EQ(NO_ERROR, del_route(self->b, self->d1));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d1,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->a, nh));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d1,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(self->dests0, ndests());
	EXPECT_EQ(self->r0, refs());
}

/* ---- foreign and forged handles ------------------------------------- */

TEST_F(nt, foreign_and_forged_handles_invalid)
{
	RTM_NOTIFY_HANDLE nb, bad[3];
	RTM_DEST_HANDLE h1, forged_d = (RTM_DEST_HANDLE)0x7777;
	dest_buf db;
	BOOL x = 7;
	UINT n;
	int i;

	ASSERT_EQ(NO_ERROR, add(self->b, self->d1, 10, 5, 0, NULL));
	h1 = dest_of(self->a, self->d1, RTM_VIEW_MASK_UCAST);
	ASSERT_NE(NULL, h1);
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->b,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nb));
	bad[0] = nb;				/* another entity's */
	bad[1] = (RTM_NOTIFY_HANDLE)0x12345;	/* forged */
	bad[2] = (RTM_NOTIFY_HANDLE)h1;		/* a dest handle */
	for (i = 0; i < 3; i++) {
		n = 1;
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetChangedDests(self->a, bad[i], &n, &db.di));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmIgnoreChangedDests(self->a, bad[i], 1, &h1));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmGetChangeStatus(self->a, bad[i], h1, &x));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmMarkDestForChangeNotification(self->a, bad[i],
							   h1, TRUE));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmIsMarkedForChangeNotification(self->a, bad[i],
							   h1, &x));
		EXPECT_EQ(ERROR_INVALID_HANDLE,
			  RtmDeregisterFromChangeNotification(self->a,
							      bad[i]));
		EXPECT_EQ(7, x);
	}
	/* Forged destination handles with a valid notify handle. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetChangeStatus(self->b, nb, forged_d, &x));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmMarkDestForChangeNotification(self->b, nb, forged_d,
						   TRUE));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmIsMarkedForChangeNotification(self->b, nb, forged_d, &x));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmIgnoreChangedDests(self->b, nb, 1, &forged_d));
	EXPECT_EQ(7, x);
	/* Bad registration handle. */
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetChangeStatus((RTM_ENTITY_HANDLE)0x999, nb, h1, &x));
	/* b's own handle still works. */
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->b, nb));
	EXPECT_EQ(NO_ERROR, put_dest(self->a, h1));
}

/* ---- the edge-triggered callback (2.17, part 1 5.1) ----------------- */

TEST(callback_edge_triggered)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 11, 0, 0, 16);
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 12, 0, 0, 16);
	RTM_ENTITY_HANDLE a, b;
	RTM_REGN_PROFILE p;
	RTM_NOTIFY_HANDLE nh;
	struct chg c[MAXD];
	int ctx;

	ev_reset();
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 2, ev_cb, &a, &p));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 2, NULL, &b, &p));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, &ctx, &nh));
	EXPECT_EQ(0, ev_wait(1, 200));

	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 5, 0, NULL));
	EXPECT_EQ(1, ev_wait(1, 2000));
	EXPECT_EQ(nh, ev.c1);
	EXPECT_EQ(&ctx, ev.c2);
	EXPECT_EQ(a, ev.reg);
	/* More changes before draining: no further callback. */
	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 6, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(b, d2, 10, 6, 0, NULL));
	EXPECT_EQ(1, ev_wait(2, 300));
	/* Draining re-arms: the next change signals again. */
	EXPECT_EQ(2, drain(a, nh, c));
	EXPECT_EQ(1, ev_wait(2, 200));
	ASSERT_EQ(NO_ERROR, add(b, d2, 10, 7, 0, NULL));
	EXPECT_EQ(2, ev_wait(2, 2000));
	EXPECT_EQ(nh, ev.c1);
	ev_wait(0, 0);

	/* Not drained to the end: a partial get does not re-arm. */
	{
		dest_buf db;
		UINT n = 1;

		ASSERT_EQ(NO_ERROR, add(b, d1, 10, 8, 0, NULL));
		EXPECT_EQ(NO_ERROR, RtmGetChangedDests(a, nh, &n, &db.di));
		EXPECT_EQ(1, n);
		EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(a, nh, n, &db.di));
	}
	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 9, 0, NULL));
	EXPECT_EQ(2, ev_wait(3, 300));
	/* d2 was taken; d1 is pending once. */
	EXPECT_EQ(1, drain(a, nh, c));

	/* Ignoring the whole pending set re-arms too (3.14 Proposed). */
	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 10, 0, NULL));
	EXPECT_EQ(3, ev_wait(3, 2000));
	ev_wait(0, 0);
	{
		RTM_DEST_HANDLE h = dest_of(a, d1, RTM_VIEW_MASK_UCAST);

		EXPECT_EQ(NO_ERROR, RtmIgnoreChangedDests(a, nh, 1, &h));
		EXPECT_EQ(NO_ERROR, put_dest(a, h));
	}
	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 11, 0, NULL));
	EXPECT_EQ(4, ev_wait(4, 2000));
	EXPECT_EQ(1, drain(a, nh, c));

	/* After deregistration no callback. */
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(a, nh));
	ASSERT_EQ(NO_ERROR, add(b, d1, 10, 12, 0, NULL));
	EXPECT_EQ(4, ev_wait(5, 300));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(b));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
}

TEST(register_inside_change_callback_invalid)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 13, 0, 0, 16);
	RTM_ENTITY_HANDLE a;
	RTM_REGN_PROFILE p;
	RTM_NOTIFY_HANDLE nh, nh2;
	struct chg c[MAXD];

	ev_reset();
	ev.try_register = 1;
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 3, ev_cb, &a, &p));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh));
	ASSERT_EQ(NO_ERROR, add(a, d1, 10, 5, 0, NULL));	/* own change */
	ASSERT_EQ(1, ev_wait(1, 2000));
	pthread_mutex_lock(&ev.mu);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.reg_ret);
	pthread_mutex_unlock(&ev.mu);
	EXPECT_EQ(1, drain(a, nh, c));
	/* Outside the callback the same call works. */
	EXPECT_EQ(NO_ERROR, RtmRegisterForChangeNotification(a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &nh2));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(a, nh2));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(a, nh));
	ev.try_register = 0;
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
}

/* ---- RIP and OSPF processes on one table ---------------------------- */

#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# child %d: %s:%d: failed: %s\n",	\
			(int)getpid(), __FILE__, __LINE__, #cond);	\
		_exit(1);						\
	}								\
} while (0)

static int put_b(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

static char get_b(int fd)
{
	char c = 0;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	return c;
}

/*
 * OSPF (child): registers for BEST changes, then follows the script:
 *  1. sees RIP's d1 and d2 (in that order, owner RIP);
 *  2. makes several changes to d1 (better route, metric twice) and adds a
 *     worse route to d2;
 *  3. sees d2 (its own route became best after RIP deleted its own) and d3
 *     (lost all routes: NumRoutes 0, no route).
 */
static void ospf_child(int rd, int wr)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 21, 0, 0, 16);
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 22, 0, 0, 16);
	RTM_NET_ADDRESS d3 = rtm_test_v4(10, 23, 0, 0, 16);
	RTM_ENTITY_HANDLE o;
	RTM_REGN_PROFILE p;
	RTM_NOTIFY_HANDLE nh;
	struct chg c[MAXD];

	CHILD_CHECK(reg_cb(PROTO_OSPF, 1, NULL, &o, &p) == NO_ERROR);
	CHILD_CHECK(RtmRegisterForChangeNotification(o, RTM_VIEW_MASK_UCAST,
			RTM_CHANGE_TYPE_BEST, NULL, &nh) == NO_ERROR);
	CHILD_CHECK(put_b(wr, 'r') == 0);

	CHILD_CHECK(get_b(rd) == '1');		/* RIP added d1, d2, d3 */
	CHILD_CHECK(drain(o, nh, c) == 3);
	CHILD_CHECK(same(d1, c[0].addr) && same(d2, c[1].addr) &&
		    same(d3, c[2].addr));
	CHILD_CHECK(c[0].owner_proto == PROTO_RIP && c[0].metric == 5);

	CHILD_CHECK(add(o, d1, 5, 40, 0, NULL) == NO_ERROR);
	CHILD_CHECK(add(o, d1, 5, 30, 0, NULL) == NO_ERROR);
	CHILD_CHECK(add(o, d1, 5, 20, 0, NULL) == NO_ERROR);
	CHILD_CHECK(add(o, d2, 50, 1, 0, NULL) == NO_ERROR);	/* worse */
	/* Own changes are reported too: d1 once, d2 not at all. */
	CHILD_CHECK(drain(o, nh, c) == 1);
	CHILD_CHECK(same(d1, c[0].addr) && c[0].metric == 20 &&
		    c[0].owner_proto == PROTO_OSPF && c[0].nroutes == 2);
	CHILD_CHECK(put_b(wr, '2') == 0);

	CHILD_CHECK(get_b(rd) == '3');		/* RIP deleted d2 and d3 */
	CHILD_CHECK(drain(o, nh, c) == 2);
	CHILD_CHECK(same(d2, c[0].addr) && c[0].owner_proto == PROTO_OSPF &&
		    c[0].nroutes == 1 && c[0].metric == 1);
	CHILD_CHECK(same(d3, c[1].addr) && c[1].nroutes == 0 &&
		    c[1].route_null && c[1].owner_proto == ~0u);
	CHILD_CHECK(RtmDeregisterFromChangeNotification(o, nh) == NO_ERROR);
	CHILD_CHECK(RtmDeregisterEntity(o) == NO_ERROR);
	CHILD_CHECK(put_b(wr, '4') == 0);
	_exit(0);
}

TEST(rip_and_ospf_processes_notified)
{
	RTM_NET_ADDRESS d1 = rtm_test_v4(10, 21, 0, 0, 16);
	RTM_NET_ADDRESS d2 = rtm_test_v4(10, 22, 0, 0, 16);
	RTM_NET_ADDRESS d3 = rtm_test_v4(10, 23, 0, 0, 16);
	int to_c[2], to_p[2], status;
	long long r0 = refs(), dests0 = ndests();
	RTM_ENTITY_HANDLE r;
	RTM_REGN_PROFILE p;
	RTM_NOTIFY_HANDLE nh;
	struct chg c[MAXD];
	pid_t pid;
	int i1;

	ASSERT_EQ(0, pipe(to_c));
	ASSERT_EQ(0, pipe(to_p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(to_c[1]);
		close(to_p[0]);
		ospf_child(to_c[0], to_p[1]);
	}
	close(to_c[0]);
	close(to_p[1]);

	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, NULL, &r, &p));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(r,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL, &nh));
	ASSERT_EQ('r', get_b(to_p[0]));

	ASSERT_EQ(NO_ERROR, add(r, d1, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(r, d2, 10, 5, 0, NULL));
	ASSERT_EQ(NO_ERROR, add(r, d3, 10, 5, 0, NULL));
	EXPECT_EQ(3, drain(r, nh, c));
	ASSERT_EQ(0, put_b(to_c[1], '1'));

	ASSERT_EQ('2', get_b(to_p[0]));
	/* OSPF's three changes to d1 arrive once, with the final state. */
	ASSERT_EQ(1, drain(r, nh, c));
	EXPECT_TRUE(same(d1, c[0].addr));
	EXPECT_EQ(PROTO_OSPF, c[0].owner_proto);
	EXPECT_EQ(20, c[0].metric);
	EXPECT_EQ(2, c[0].nroutes);

	ASSERT_EQ(NO_ERROR, del_route(r, d2));
	ASSERT_EQ(NO_ERROR, del_route(r, d3));
	EXPECT_EQ(2, drain(r, nh, c));
	ASSERT_EQ(0, put_b(to_c[1], '3'));
	ASSERT_EQ('4', get_b(to_p[0]));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* OSPF's deregistration removed its routes: d1 best is RIP's again. */
	/* and d2, whose only route was OSPF's, lost all its routes. */
	ASSERT_EQ(2, drain(r, nh, c));
	i1 = same(d1, c[0].addr) ? 0 : 1;
	EXPECT_TRUE(same(d1, c[i1].addr));
	EXPECT_EQ(PROTO_RIP, c[i1].owner_proto);
	EXPECT_EQ(5, c[i1].metric);
	EXPECT_TRUE(same(d2, c[!i1].addr));
	EXPECT_EQ(0, c[!i1].nroutes);
	EXPECT_TRUE(c[!i1].route_null);
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(r, nh));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(r));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(dests0, ndests());
	close(to_c[1]);
	close(to_p[0]);
}

TEST_HARNESS_MAIN
