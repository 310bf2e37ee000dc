// SPDX-License-Identifier: GPL-2.0
/*
 * expiry_test - events, route expiry and hold-down (spec part 1, 5.1, 7.1
 * TimeToLive, 7.3; part 2, 2.10, 2.11, 2.15).
 *
 * Entity registered/deregistered events with their Context arguments and
 * the calls forbidden inside them; a 2-second TimeToLive with no
 * callback, a callback that deletes (ERROR_NOT_SUPPORTED) and one that
 * keeps the route; refresh and INFINITE; RtmHoldDestination and the
 * hold-down route's life.  Time-based checks poll with a deadline.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define PROTO_RIP	8
#define PROTO_OSPF	13

typedef union {
	RTM_DEST_INFO di;
	char buf[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

static long long stat_of(int which)
{
	struct rtm_stats st;

	if (rtm_test_stats(&st))
		return -1;
	switch (which) {
	case 0: return st.handle_refs;
	case 1: return st.routes;
	case 2: return st.dests;
	default: return st.entities;
	}
}
#define refs()		stat_of(0)
#define nroutes()	stat_of(1)
#define ndests()	stat_of(2)

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- event recording ------------------------------------------------ */

#define MAXEV 16

struct rec {
	RTM_ENTITY_HANDLE to;		/* RtmRegHandle of the callback */
	RTM_EVENT_TYPE type;
	PVOID c1;
	RTM_ENTITY_INFO ei;		/* copy of Context2 (entity events) */
	RTM_ROUTE_INFO ri;		/* copy of Context2 (expiry) */
	DWORD ref_ret;			/* RtmReferenceHandles(c1) */
	DWORD forbidden[3];		/* register, deregister, get entities */
	DWORD release_ret;		/* RtmReleaseRoutes (expiry kept) */
	long long at;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	struct rec r[MAXEV];
	int keep_ref;			/* entity events: reference c1 */
	int try_forbidden;
	DWORD expire_ret;		/* what the expiry callback returns */
} ev = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static DWORD WINAPI ev_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE t,
			  PVOID c1, PVOID c2)
{
	struct rec r;
	DWORD ret = NO_ERROR;

	memset(&r, 0, sizeof(r));
	r.to = reg;
	r.type = t;
	r.c1 = c1;
	r.at = now_ms();
	r.ref_ret = r.release_ret = 0xdead;
	if (t == RTM_ENTITY_REGISTERED || t == RTM_ENTITY_DEREGISTERED) {
		if (c2)
			r.ei = *(PRTM_ENTITY_INFO)c2;
		if (ev.keep_ref) {
			HANDLE h = c1;

			r.ref_ret = RtmReferenceHandles(reg, 1, &h);
		}
		if (ev.try_forbidden) {
			RTM_ENTITY_INFO ei;
			RTM_REGN_PROFILE p;
			RTM_ENTITY_HANDLE h = NULL;
			UINT n = 4;
			RTM_ENTITY_HANDLE hs[4];

			memset(&ei, 0, sizeof(ei));
			ei.AddressFamily = AF_INET;
			ei.EntityId.EntityProtocolId = 99;
			r.forbidden[0] = RtmRegisterEntity(&ei, NULL, NULL,
							   FALSE, &p, &h);
			if (r.forbidden[0] == NO_ERROR)
				RtmDeregisterEntity(h);
			r.forbidden[1] = RtmDeregisterEntity(reg);
			r.forbidden[2] = RtmGetRegisteredEntities(reg, &n, hs,
								  NULL);
			if (r.forbidden[2] == NO_ERROR ||
			    r.forbidden[2] == ERROR_INSUFFICIENT_BUFFER)
				RtmReleaseEntities(reg, n, hs);
		}
	} else if (t == RTM_ROUTE_EXPIRED) {
		if (c2)
			r.ri = *(PRTM_ROUTE_INFO)c2;
		ret = ev.expire_ret;
		if (ret != ERROR_NOT_SUPPORTED) {
			RTM_ROUTE_HANDLE h = c1;

			r.release_ret = RtmReleaseRoutes(reg, 1, &h);
		}
	}
	pthread_mutex_lock(&ev.mu);
	if (ev.n < MAXEV)
		ev.r[ev.n] = r;
	ev.n++;
	pthread_cond_broadcast(&ev.cv);
	pthread_mutex_unlock(&ev.mu);
	return ret;
}

static void ev_reset(void)
{
	pthread_mutex_lock(&ev.mu);
	ev.n = 0;
	ev.keep_ref = 0;
	ev.try_forbidden = 0;
	ev.expire_ret = ERROR_NOT_SUPPORTED;
	pthread_mutex_unlock(&ev.mu);
}

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

/* ---- helpers -------------------------------------------------------- */

static DWORD reg_cb(ULONG proto, ULONG inst, RTM_EVENT_CALLBACK cb,
		    RTM_ENTITY_HANDLE *h)
{
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;

	memset(&ei, 0, sizeof(ei));
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = proto;
	ei.EntityId.EntityInstanceId = inst;
	return RtmRegisterEntity(&ei, NULL, cb, FALSE, &p, h);
}

static DWORD add_ttl(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d, ULONG metric,
		     ULONG ttl, RTM_ROUTE_HANDLE *h)
{
	RTM_ROUTE_INFO ri;
	DWORD cf = 0;

	memset(&ri, 0, sizeof(ri));
	ri.PrefInfo.Preference = 10;
	ri.PrefInfo.Metric = metric;
	ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	if (h)
		*h = NULL;
	return RtmAddRouteToDest(reg, h, &d, &ri, ttl, NULL, 0, NULL, &cf);
}

/* Does @d have a live route in the unicast view? */
static int present(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d)
{
	dest_buf db;
	int n;

	if (RtmGetExactMatchDestination(reg, &d, RTM_BEST_PROTOCOL,
					RTM_VIEW_MASK_UCAST, &db.di) != NO_ERROR)
		return 0;
	n = db.di.ViewInfo[0].NumRoutes;
	RtmReleaseDestInfo(reg, &db.di);
	return n;
}

/* Polls until @d has no route; returns the time it took, or -1. */
static long long wait_gone(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d,
			   long long t0, int deadline_ms)
{
	while (now_ms() - t0 < deadline_ms) {
		if (!present(reg, d))
			return now_ms() - t0;
		usleep(20000);
	}
	return -1;
}

static DWORD put_dest(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE h)
{
	dest_buf db;

	memset(&db, 0, sizeof(db));
	db.di.DestHandle = h;
	return RtmReleaseDestInfo(reg, &db.di);
}

static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS d)
{
	dest_buf db;
	RTM_DEST_HANDLE h;

	if (RtmGetExactMatchDestination(reg, &d, RTM_BEST_PROTOCOL,
					RTM_VIEW_MASK_ANY, &db.di) != NO_ERROR)
		return NULL;
	h = db.di.DestHandle;
	RtmReferenceHandles(reg, 1, (HANDLE *)&h);
	RtmReleaseDestInfo(reg, &db.di);
	return h;
}

static UCHAR state_of(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	RTM_ROUTE_INFO ri;
	UCHAR s;

	if (RtmGetRouteInfo(reg, h, &ri, NULL) != NO_ERROR)
		return 0xff;
	s = ri.State;
	RtmReleaseRouteInfo(reg, &ri);
	return s;
}

/* ---- entity events (part 1, 5.1; part 2, 2.15) ---------------------- */

TEST(entity_events_to_others_only)
{
	RTM_ENTITY_HANDLE a, b, c;
	long long r0 = refs();

	ev_reset();
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, ev_cb, &a));
	/* Not told about itself. */
	EXPECT_EQ(0, ev_wait(1, 300));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 7, NULL, &b));
	ASSERT_EQ(1, ev_wait(1, 2000));
	EXPECT_EQ(a, ev.r[0].to);
	EXPECT_EQ(RTM_ENTITY_REGISTERED, ev.r[0].type);
	EXPECT_EQ(b, ev.r[0].c1);
	EXPECT_EQ(PROTO_OSPF, ev.r[0].ei.EntityId.EntityProtocolId);
	EXPECT_EQ(7, ev.r[0].ei.EntityId.EntityInstanceId);
	EXPECT_EQ(AF_INET, ev.r[0].ei.AddressFamily);
	EXPECT_EQ(0, ev.r[0].ei.RtmInstanceId);

	/* c has a callback: a hears of c, c hears of nobody already there. */
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 8, ev_cb, &c));
	ASSERT_EQ(2, ev_wait(2, 2000));
	EXPECT_EQ(a, ev.r[1].to);
	EXPECT_EQ(c, ev.r[1].c1);
	EXPECT_EQ(2, ev_wait(3, 300));

	/* b leaves: a and c both hear it, with b's info. */
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(b));
	ASSERT_EQ(4, ev_wait(4, 2000));
	EXPECT_EQ(RTM_ENTITY_DEREGISTERED, ev.r[2].type);
	EXPECT_EQ(RTM_ENTITY_DEREGISTERED, ev.r[3].type);
	EXPECT_EQ(b, ev.r[2].c1);
	EXPECT_EQ(b, ev.r[3].c1);
	EXPECT_TRUE((ev.r[2].to == a && ev.r[3].to == c) ||
		    (ev.r[2].to == c && ev.r[3].to == a));
	EXPECT_EQ(7, ev.r[2].ei.EntityId.EntityInstanceId);
	EXPECT_EQ(7, ev.r[3].ei.EntityId.EntityInstanceId);

	/* c leaves: only a hears it, c is not told about itself. */
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	ASSERT_EQ(5, ev_wait(5, 2000));
	EXPECT_EQ(a, ev.r[4].to);
	EXPECT_EQ(c, ev.r[4].c1);
	EXPECT_EQ(5, ev_wait(6, 300));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	EXPECT_EQ(r0, refs());
}

TEST(entity_event_reference_kept_in_callback)
{
	RTM_ENTITY_HANDLE a, b, hb;
	RTM_ENTITY_INFO ei;
	long long r0 = refs(), e0 = stat_of(3);

	ev_reset();
	ev.keep_ref = 1;
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, ev_cb, &a));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 1, NULL, &b));
	ASSERT_EQ(1, ev_wait(1, 2000));
	EXPECT_EQ(NO_ERROR, ev.r[0].ref_ret);
	hb = ev.r[0].c1;
	/* The library drops its own event reference after the callback. */
	usleep(100000);
	EXPECT_EQ(r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(b));
	ASSERT_EQ(2, ev_wait(2, 2000));
	EXPECT_EQ(NO_ERROR, ev.r[1].ref_ret);
	usleep(100000);
	EXPECT_EQ(r0 + 2, refs());
	/* The kept handle still names b (deregistered but referenced). */
	EXPECT_EQ(NO_ERROR, RtmGetEntityInfo(a, hb, &ei));
	EXPECT_EQ(PROTO_OSPF, ei.EntityId.EntityProtocolId);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntityInfo(a, &ei));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hb));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(a, 1, &hb));
	EXPECT_EQ(ERROR_INVALID_HANDLE, RtmReleaseEntities(a, 1, &hb));
	EXPECT_EQ(r0, refs());
	EXPECT_EQ(e0 + 1, stat_of(3));	/* only a is left */
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	EXPECT_EQ(e0, stat_of(3));
}

TEST(forbidden_calls_in_entity_callback)
{
	RTM_ENTITY_HANDLE a, b;
	long long r0 = refs();

	ev_reset();
	ev.try_forbidden = 1;
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, ev_cb, &a));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 1, NULL, &b));
	ASSERT_EQ(1, ev_wait(1, 2000));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[0].forbidden[0]);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[0].forbidden[1]);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[0].forbidden[2]);
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(b));
	ASSERT_EQ(2, ev_wait(2, 2000));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[1].forbidden[0]);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[1].forbidden[1]);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, ev.r[1].forbidden[2]);
	ev.try_forbidden = 0;
	/* a is still registered (the forbidden deregistration failed). */
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	EXPECT_EQ(r0, refs());
}

/* ---- TimeToLive (part 1, 5.1, 7.1; part 2, 2.11) -------------------- */

FIXTURE(ttl) {
	RTM_ENTITY_HANDLE a;	/* no callback */
	RTM_ENTITY_HANDLE c;	/* with ev_cb */
	RTM_NET_ADDRESS d;
	long long r0, n0;
};

FIXTURE_SETUP(ttl)
{
	ev_reset();
	self->r0 = refs();
	self->n0 = nroutes();
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, NULL, &self->a));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 2, ev_cb, &self->c));
	self->d = rtm_test_v4(10, 40, 0, 0, 16);
}

FIXTURE_TEARDOWN(ttl)
{
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->c));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

TEST_F(ttl, zero_ttl_invalid_parameter)
{
	RTM_ROUTE_HANDLE h = NULL;

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  add_ttl(self->a, self->d, 5, 0, &h));
	EXPECT_EQ(NULL, h);
	EXPECT_EQ(self->n0, nroutes());
}

TEST_F(ttl, no_callback_route_deleted)
{
	long long t0 = now_ms(), t;

	ASSERT_EQ(NO_ERROR, add_ttl(self->a, self->d, 5, 2000, NULL));
	usleep(1200000);
	EXPECT_EQ(1, present(self->a, self->d));
	t = wait_gone(self->a, self->d, t0, 6000);
	EXPECT_GE(t, 1900);
	EXPECT_LT(t, 4000);
	EXPECT_EQ(self->n0, nroutes());
	EXPECT_EQ(self->r0, refs());
}

TEST_F(ttl, callback_not_supported_deletes)
{
	long long t0 = now_ms(), t;
	RTM_ROUTE_HANDLE h;

	ev.expire_ret = ERROR_NOT_SUPPORTED;
	ASSERT_EQ(NO_ERROR, add_ttl(self->c, self->d, 5, 2000, &h));
	ASSERT_EQ(1, ev_wait(1, 5000));
	t = ev.r[0].at - t0;
	EXPECT_GE(t, 1900);
	EXPECT_LT(t, 4000);
	EXPECT_EQ(RTM_ROUTE_EXPIRED, ev.r[0].type);
	EXPECT_EQ(self->c, ev.r[0].to);
	EXPECT_EQ(h, ev.r[0].c1);
	EXPECT_EQ(5, ev.r[0].ri.PrefInfo.Metric);
	EXPECT_EQ(self->c, ev.r[0].ri.RouteOwner);
	EXPECT_EQ(RTM_VIEW_MASK_UCAST, ev.r[0].ri.BelongsToViews);
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, ev.r[0].ri.State);
	EXPECT_LT(wait_gone(self->c, self->d, now_ms(), 1000), 1000);
	/* The event's reference was consumed; ours remains. */
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->c, h));
	EXPECT_EQ(self->r0 + 1, refs());
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->c, 1, &h));
	EXPECT_EQ(self->r0, refs());
	EXPECT_EQ(self->n0, nroutes());
	/* Only the owner is told: a has no callback, c got exactly one. */
	EXPECT_EQ(1, ev_wait(2, 300));
}

TEST_F(ttl, callback_no_error_keeps_route)
{
	RTM_ROUTE_HANDLE h;
	long long t0 = now_ms();

	ev.expire_ret = NO_ERROR;
	ASSERT_EQ(NO_ERROR, add_ttl(self->c, self->d, 6, 2000, &h));
	ASSERT_EQ(1, ev_wait(1, 5000));
	EXPECT_GE(ev.r[0].at - t0, 1900);
	EXPECT_EQ(h, ev.r[0].c1);
	EXPECT_EQ(6, ev.r[0].ri.PrefInfo.Metric);
	/* The callback released Context1 itself. */
	EXPECT_EQ(NO_ERROR, ev.r[0].release_ret);
	usleep(300000);
	EXPECT_EQ(1, present(self->c, self->d));
	EXPECT_EQ(RTM_ROUTE_STATE_CREATED, state_of(self->c, h));
	EXPECT_EQ(self->r0 + 1, refs());
	/* No timer any more: not told again. */
	EXPECT_EQ(1, ev_wait(2, 2500));
	EXPECT_EQ(1, present(self->c, self->d));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->c, h, NULL));
	EXPECT_EQ(self->r0, refs());
	EXPECT_EQ(self->n0, nroutes());
}

TEST_F(ttl, refresh_restarts_timer)
{
	long long t0 = now_ms(), t;

	ASSERT_EQ(NO_ERROR, add_ttl(self->a, self->d, 5, 2000, NULL));
	usleep(1000000);
	/* Re-added (same identity) with a new TTL, 3 s from now. */
	ASSERT_EQ(NO_ERROR, add_ttl(self->a, self->d, 5, 3000, NULL));
	while (now_ms() - t0 < 2600)
		usleep(50000);
	EXPECT_EQ(1, present(self->a, self->d));
	t = wait_gone(self->a, self->d, t0, 7000);
	EXPECT_GE(t, 3900);
	EXPECT_LT(t, 6000);
	EXPECT_EQ(self->n0, nroutes());
}

TEST_F(ttl, infinite_disarms)
{
	RTM_ROUTE_HANDLE h;
	long long t0 = now_ms();

	ASSERT_EQ(NO_ERROR, add_ttl(self->c, self->d, 5, 1000, &h));
	ASSERT_EQ(NO_ERROR, add_ttl(self->c, self->d, 5, INFINITE, NULL));
	while (now_ms() - t0 < 2000)
		usleep(50000);
	EXPECT_EQ(0, ev_wait(1, 10));
	EXPECT_EQ(1, present(self->c, self->d));
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->c, h, NULL));
	EXPECT_EQ(self->r0, refs());
}

/* ---- hold-down (part 1, 7.3; part 2, 2.10) -------------------------- */

FIXTURE(hd) {
	RTM_ENTITY_HANDLE a, b;
	RTM_NET_ADDRESS d;
	RTM_DEST_HANDLE dh;
	RTM_ROUTE_HANDLE r1;	/* a's route; kept referenced */
	long long r0, d0, n0;
};

FIXTURE_SETUP(hd)
{
	self->r0 = refs();
	self->d0 = ndests();
	self->n0 = nroutes();
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_RIP, 1, NULL, &self->a));
	ASSERT_EQ(NO_ERROR, reg_cb(PROTO_OSPF, 1, NULL, &self->b));
	self->d = rtm_test_v4(10, 50, 0, 0, 16);
	ASSERT_EQ(NO_ERROR, add_ttl(self->a, self->d, 5, INFINITE,
				    &self->r1));
	self->dh = dest_of(self->a, self->d);
	ASSERT_NE(NULL, self->dh);
}

FIXTURE_TEARDOWN(hd)
{
	EXPECT_EQ(NO_ERROR, put_dest(self->a, self->dh));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->a, 1, &self->r1));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* Deletes the route @h names, keeping the caller's reference. */
static DWORD del_keep(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	HANDLE x = h;
	DWORD ret = RtmReferenceHandles(reg, 1, &x);

	if (ret != NO_ERROR)
		return ret;
	ret = RtmDeleteRouteToDest(reg, h, NULL);
	if (ret != NO_ERROR)
		RtmReleaseRoutes(reg, 1, &h);
	return ret;
}

TEST_F(hd, hold_parameters)
{
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmHoldDestination(self->a, self->dh, RTM_VIEW_MASK_UCAST,
				     0));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmHoldDestination(self->a, (RTM_DEST_HANDLE)0x5555,
				     RTM_VIEW_MASK_UCAST, 1000));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmHoldDestination(self->a, (RTM_DEST_HANDLE)self->r1,
				     RTM_VIEW_MASK_UCAST, 1000));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmHoldDestination((RTM_ENTITY_HANDLE)0x999, self->dh,
				     RTM_VIEW_MASK_UCAST, 1000));
	/* Any entity may mark; no reference taken, no route change. */
	EXPECT_EQ(NO_ERROR, RtmHoldDestination(self->b, self->dh,
					       RTM_VIEW_MASK_UCAST, 1000));
	EXPECT_EQ(self->r0 + 2, refs());
	EXPECT_EQ(1, present(self->a, self->d));
}

TEST_F(hd, held_route_then_released)
{
	RTM_NOTIFY_HANDLE nbest, nfwd;
	RTM_ROUTE_HANDLE r2;
	dest_buf db;
	UINT n;
	long long t0, r1c;

	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->b,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
			&nbest));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(self->b,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_FORWARDING, NULL,
			&nfwd));
	EXPECT_EQ(NO_ERROR, RtmHoldDestination(self->a, self->dh,
					       RTM_VIEW_MASK_UCAST, 1500));
	ASSERT_EQ(NO_ERROR, del_keep(self->a, self->r1));
	t0 = now_ms();

	EXPECT_EQ(RTM_ROUTE_STATE_DELETING, state_of(self->a, self->r1));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	ASSERT_EQ(1, db.di.NumberOfViews);
	EXPECT_EQ(0, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NULL, db.di.ViewInfo[0].Route);
	EXPECT_EQ(self->r1, db.di.ViewInfo[0].HoldRoute);
	r1c = refs();
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	EXPECT_EQ(r1c - 2, refs());	/* DestHandle and HoldRoute */
	/* Found only with TargetViews 0. */
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(self->a, &self->d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(self->dh, db.di.DestHandle);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));

	/* The start of the hold is part of the deletion: both notified. */
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetChangedDests(self->b, nbest, &n, &db.di));
	EXPECT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->b, nbest, n,
						    &db.di));
	n = 1;
	EXPECT_EQ(NO_ERROR, RtmGetChangedDests(self->b, nfwd, &n, &db.di));
	EXPECT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->b, nfwd, n, &db.di));

	/* A new route during the hold is best; HoldRoute stays. */
	ASSERT_EQ(NO_ERROR, add_ttl(self->b, self->d, 9, INFINITE, &r2));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	EXPECT_EQ(1, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(r2, db.di.ViewInfo[0].Route);
	EXPECT_EQ(self->r1, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->b, nbest, &n, &db.di));
	EXPECT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->b, nbest, n,
						    &db.di));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->b, nfwd, &n, &db.di));
	EXPECT_EQ(1, n);
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->b, nfwd, n, &db.di));

	/* After the hold time: HoldRoute NULL, held route DELETED. */
	for (;;) {
		HANDLE hr;

		ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
		hr = db.di.ViewInfo[0].HoldRoute;
		EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
		if (!hr)
			break;
		ASSERT_LT(now_ms() - t0, 5000);
		usleep(20000);
	}
	EXPECT_GE(now_ms() - t0, 1400);
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->a, self->r1));
	/* A BEST-type change for the hold end, not a FORWARDING one. */
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->b, nbest, &n, &db.di));
	EXPECT_EQ(1, n);
	EXPECT_EQ(self->dh, db.di.DestHandle);
	EXPECT_EQ(r2, db.di.ViewInfo[0].Route);
	EXPECT_EQ(NULL, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(self->b, nbest, n,
						    &db.di));
	n = 2;
	EXPECT_EQ(ERROR_NO_MORE_ITEMS,
		  RtmGetChangedDests(self->b, nfwd, &n, &db.di));
	EXPECT_EQ(0, n);

	/* The mark was consumed: deleting r2 now holds nothing. */
	EXPECT_EQ(NO_ERROR, RtmDeleteRouteToDest(self->b, r2, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	EXPECT_EQ(NULL, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(0, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->b,
								 nbest));
	EXPECT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(self->b,
								 nfwd));
	EXPECT_EQ(self->r0 + 2, refs());	/* fixture's r1 and dh */
}

TEST_F(hd, second_hold_replaces_first)
{
	RTM_ROUTE_HANDLE r2;
	dest_buf db;
	long long t0;

	EXPECT_EQ(NO_ERROR, RtmHoldDestination(self->a, self->dh,
					       RTM_VIEW_MASK_UCAST, 1000));
	ASSERT_EQ(NO_ERROR, del_keep(self->a, self->r1));
	ASSERT_EQ(NO_ERROR, add_ttl(self->b, self->d, 9, INFINITE, &r2));
	/* Re-mark, then the route that arrived during the hold goes too. */
	EXPECT_EQ(NO_ERROR, RtmHoldDestination(self->b, self->dh,
					       RTM_VIEW_MASK_UCAST, 1000));
	ASSERT_EQ(NO_ERROR, del_keep(self->b, r2));
	t0 = now_ms();
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	EXPECT_EQ(r2, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(0, db.di.ViewInfo[0].NumRoutes);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->a, self->r1));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETING, state_of(self->b, r2));

	/* The new hold runs its own full time, then the dest goes away. */
	while (state_of(self->b, r2) == RTM_ROUTE_STATE_DELETING) {
		ASSERT_LT(now_ms() - t0, 4000);
		usleep(20000);
	}
	EXPECT_GE(now_ms() - t0, 900);
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->b, r2));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(self->b, 1, &r2));
	EXPECT_EQ(self->r0 + 2, refs());
}

TEST_F(hd, unmarked_view_not_held)
{
	dest_buf db;

	/* Marked for multicast only; the unicast route just goes. */
	EXPECT_EQ(NO_ERROR, RtmHoldDestination(self->a, self->dh,
					       RTM_VIEW_MASK_MCAST, 1000));
	ASSERT_EQ(NO_ERROR, del_keep(self->a, self->r1));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETED, state_of(self->a, self->r1));
	ASSERT_EQ(NO_ERROR, RtmGetDestInfo(self->a, self->dh,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	EXPECT_EQ(NULL, db.di.ViewInfo[0].HoldRoute);
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(self->a, &db.di));
	EXPECT_EQ(ERROR_NOT_FOUND,
		  RtmGetExactMatchDestination(self->a, &self->d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &db.di));
}

TEST_HARNESS_MAIN
