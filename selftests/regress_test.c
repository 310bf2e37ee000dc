// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for bugs the stress test found, one test each, so that
 * they fail deterministically instead of by chance in a seeded run.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

static long long refs(void)
{
	struct rtm_stats st;

	return rtm_test_stats(&st) ? -1 : (long long)st.handle_refs;
}

typedef union {
	RTM_DEST_INFO di;
	char b[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

/*
 * A unicast route enumeration must not return a route deleted after the
 * cursor entered its destination, even when that route became the view's
 * hold-down route: hold-down routes are listed by RTM_VIEW_MASK_ANY
 * enumerations only.
 */
TEST(enum_skips_route_that_became_hold_down)
{
	RTM_ENTITY_HANDLE a = NULL, b = NULL;
	RTM_ROUTE_HANDLE ra = NULL, rb = NULL, got[2];
	RTM_NET_ADDRESS d = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_ENUM_HANDLE en = NULL;
	RTM_ROUTE_INFO ri;
	HANDLE keep;
	dest_buf db;
	UINT n;

	ASSERT_EQ(NO_ERROR, rtm_test_register(8, 1, AF_INET, &a, NULL));
	ASSERT_EQ(NO_ERROR, rtm_test_register(13, 1, AF_INET, &b, NULL));
	memset(&ri, 0, sizeof(ri));
	ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	ri.PrefInfo.Preference = 10;
	ri.PrefInfo.Metric = 1;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(a, &ra, &d, &ri, INFINITE, NULL,
					      0, NULL, NULL));
	ri.PrefInfo.Metric = 2;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(b, &rb, &d, &ri, INFINITE, NULL,
					      0, NULL, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetExactMatchDestination(a, &d,
			RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.di));
	ASSERT_EQ(NO_ERROR, RtmCreateRouteEnum(a, db.di.DestHandle,
			RTM_VIEW_MASK_UCAST, 0, NULL, 0, NULL, 0, &en));
	n = 1;
	ASSERT_EQ(NO_ERROR, RtmGetEnumRoutes(a, en, &n, got));
	ASSERT_EQ(1, n);
	EXPECT_EQ(ra, got[0]);
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(a, n, got));
	ASSERT_EQ(NO_ERROR, RtmHoldDestination(a, db.di.DestHandle,
					       RTM_VIEW_MASK_UCAST, 2000));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(a, ra, NULL));
	keep = rb;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(b, 1, &keep));
	ASSERT_EQ(NO_ERROR, RtmDeleteRouteToDest(b, rb, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetRouteInfo(b, rb, &ri, NULL));
	EXPECT_EQ(RTM_ROUTE_STATE_DELETING, ri.State);	/* held down */
	EXPECT_EQ(NO_ERROR, RtmReleaseRouteInfo(b, &ri));
	n = 1;
	RtmGetEnumRoutes(a, en, &n, got);
	EXPECT_EQ(0, n);
	if (n)
		RtmReleaseRoutes(a, n, got);
	EXPECT_EQ(NO_ERROR, RtmDeleteEnumHandle(a, en));
	EXPECT_EQ(NO_ERROR, RtmReleaseDestInfo(a, &db.di));
	EXPECT_EQ(NO_ERROR, RtmReleaseRoutes(b, 1, &rb));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(b));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
}

/*
 * Batches got before RtmDeregisterFromChangeNotification are released
 * with the old handle (spec part 2, 3.18 Proposed), also when 16 other
 * registrations came and went after it was registered: dead handles are
 * forgotten in deregistration order, not registration order.
 */
TEST(changed_dests_released_after_many_deregistrations)
{
	RTM_NET_ADDRESS d = rtm_test_v4(10, 1, 0, 0, 16);
	RTM_NOTIFY_HANDLE x = NULL, y;
	long long r0 = refs();
	RTM_ENTITY_HANDLE a;
	RTM_ROUTE_INFO ri;
	dest_buf db;
	UINT n = 1;
	int i;

	ASSERT_EQ(NO_ERROR, rtm_test_register(8, 1, AF_INET, &a, NULL));
	ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &x));
	for (i = 0; i < 16; i++) {
		y = NULL;
		ASSERT_EQ(NO_ERROR, RtmRegisterForChangeNotification(a,
			RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &y));
		ASSERT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(a, y));
	}
	memset(&ri, 0, sizeof(ri));
	ri.PrefInfo.Preference = 10;
	ri.BelongsToViews = RTM_VIEW_MASK_UCAST;
	ASSERT_EQ(NO_ERROR, RtmAddRouteToDest(a, NULL, &d, &ri, INFINITE,
					      NULL, 0, NULL, NULL));
	ASSERT_EQ(NO_ERROR, RtmGetChangedDests(a, x, &n, &db.di));
	ASSERT_EQ(1, n);
	ASSERT_EQ(NO_ERROR, RtmDeregisterFromChangeNotification(a, x));
	EXPECT_EQ(NO_ERROR, RtmReleaseChangedDests(a, x, n, &db.di));
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
	EXPECT_EQ(r0, refs());
}

static DWORD WINAPI quiet_cb(RTM_ENTITY_HANDLE r, RTM_EVENT_TYPE t, PVOID a,
			     PVOID b)
{
	return NO_ERROR;
}

/*
 * A method call on another process's entity that exports no methods is
 * NO_ERROR with no output (spec part 1, 4.3 Proposed), at once, whether
 * or not the callee has an event callback (without one, librtm does not
 * read its events, and the call used to time out).
 */
static void invoke_no_methods(struct __test_metadata *_metadata, int with_cb)
{
	union { RTM_ENTITY_METHOD_INPUT i; char b[64]; } in;
	union { RTM_ENTITY_METHOD_OUTPUT o; char b[256]; } out;
	RTM_ENTITY_HANDLE a, c = NULL;
	UINT size = sizeof(out);
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;
	uint64_t v = 0;
	int pfd[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		memset(&ei, 0, sizeof(ei));
		ei.AddressFamily = AF_INET;
		ei.EntityId.EntityProtocolId = 30;
		ei.EntityId.EntityInstanceId = 1;
		if (RtmRegisterEntity(&ei, NULL, with_cb ? quiet_cb : NULL,
				      FALSE, &p, &c))
			_exit(1);
		v = (uint64_t)(uintptr_t)c;
		if (write(pfd[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(v), read(pfd[0], &v, sizeof(v)));
	ASSERT_EQ(NO_ERROR, rtm_test_register(8, 1, AF_INET, &a, NULL));
	memset(&in, 0, sizeof(in));
	in.i.MethodType = 0x1;
	in.i.InputSize = 1;
	/* Not ERROR_TIMEOUT, which an unanswered relayed call gives. */
	EXPECT_EQ(NO_ERROR, RtmInvokeMethod(a, (RTM_ENTITY_HANDLE)(uintptr_t)v,
					    &in.i, &size, &out.o));
	EXPECT_EQ(0, size);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(pfd[0]);
	close(pfd[1]);
	EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(a));
}

TEST(invoke_callee_without_methods_with_callback)
{
	invoke_no_methods(_metadata, 1);
}

TEST(invoke_callee_without_methods_without_callback)
{
	invoke_no_methods(_metadata, 0);
}

TEST_HARNESS_MAIN
