/*
 * rtm-watch: a complete RTMv2 client, written as Windows RTMv2 code is,
 * that Documentation/porting.rst walks through.
 *
 * It registers as a RIP-like entity with an event callback, asks for
 * best-route changes, adds a next hop and a route with a TimeToLive,
 * and prints every best-route change it is told about until its own
 * route has expired and been removed, then cleans up and exits.
 *
 *   cc -I userlib/include tools/rtm-watch.c userlib/librtm.a -lpthread
 */
#include <rtmv2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static RTM_ENTITY_HANDLE reg;
static RTM_REGN_PROFILE profile;
static RTM_NOTIFY_HANDLE notify;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int expired, changes;

#define CHECK(call) do {						\
	DWORD rc_ = (call);						\
	if (rc_ != NO_ERROR) {						\
		fprintf(stderr, "%s failed: %u\n", #call, rc_);		\
		exit(1);						\
	}								\
} while (0)

static void print_dest(const RTM_DEST_INFO *di)
{
	ULONG addr;
	UINT len;
	unsigned char *b = (unsigned char *)&addr;

	RTM_IPV4_GET_ADDR_AND_LEN(addr, len, &di->DestAddress);
	printf("  %u.%u.%u.%u/%u: %u route(s), best %s\n", b[0], b[1], b[2],
	       b[3], len, di->ViewInfo[0].NumRoutes,
	       !di->ViewInfo[0].Route ? "none" :
	       di->ViewInfo[0].Owner == reg ? "ours" : "another entity's");
}

/* Drain the changed destinations, as the guide's sample does. */
static void drain_changes(void)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(profile.NumberOfViews);
	PRTM_DEST_INFO buf = calloc(profile.MaxHandlesInEnum, stride);
	DWORD rc;
	UINT n, i;

	do {
		n = profile.MaxHandlesInEnum;
		rc = RtmGetChangedDests(reg, notify, &n, buf);
		for (i = 0; i < n; i++)
			print_dest((PRTM_DEST_INFO)((char *)buf + i * stride));
		if (n)
			RtmReleaseChangedDests(reg, notify, n, buf);
		changes += n;
	} while (rc == NO_ERROR);
	free(buf);
}

/* Runs on librtm's event thread. */
static DWORD WINAPI on_event(RTM_ENTITY_HANDLE h, RTM_EVENT_TYPE type,
			     PVOID ctx1, PVOID ctx2)
{
	(void)h;
	(void)ctx2;
	switch (type) {
	case RTM_CHANGE_NOTIFICATION:
		printf("change notification (context %p)\n", ctx2);
		drain_changes();
		return NO_ERROR;
	case RTM_ROUTE_EXPIRED:
		printf("route %p expired: let RTM delete it\n", ctx1);
		pthread_mutex_lock(&lock);
		expired = 1;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&lock);
		return ERROR_NOT_SUPPORTED;	/* RTM deletes the route */
	case RTM_ENTITY_REGISTERED:
	case RTM_ENTITY_DEREGISTERED:
		printf("entity %p %sregistered\n", ctx1,
		       type == RTM_ENTITY_DEREGISTERED ? "de" : "");
		return NO_ERROR;
	}
	return NO_ERROR;
}

int main(void)
{
	RTM_ENTITY_INFO ei = { .RtmInstanceId = 0, .AddressFamily = AF_INET };
	RTM_NEXTHOP_INFO nhi;
	RTM_NEXTHOP_HANDLE nh = NULL;
	RTM_NET_ADDRESS dest;
	PRTM_ROUTE_INFO ri;
	DWORD cf = 0;

	ei.EntityId.EntityProtocolId = PROTO_IP_RIP;
	ei.EntityId.EntityInstanceId = 1;
	CHECK(RtmRegisterEntity(&ei, NULL, on_event, FALSE, &profile, &reg));
	CHECK(RtmRegisterForChangeNotification(reg, RTM_VIEW_MASK_UCAST,
					       RTM_CHANGE_TYPE_BEST,
					       (PVOID)0x1234, &notify));

	memset(&nhi, 0, sizeof(nhi));
	RTM_IPV4_MAKE_NET_ADDRESS(&nhi.NextHopAddress, htonl(0xc0000201), 32);
	nhi.InterfaceIndex = 1;
	CHECK(RtmAddNextHop(reg, &nhi, &nh, &cf));

	/* A route that lives 2 seconds unless refreshed (RIP's timeout). */
	ri = calloc(1, RTM_SIZE_OF_ROUTE_INFO(profile.MaxNextHopsInRoute));
	ri->PrefInfo.Preference = 120;
	ri->PrefInfo.Metric = 3;
	ri->BelongsToViews = RTM_VIEW_MASK_UCAST;
	ri->NextHopsList.NumNextHops = 1;
	ri->NextHopsList.NextHops[0] = nh;
	RTM_IPV4_MAKE_NET_ADDRESS(&dest, htonl(0x0a010000), 16);
	cf = 0;
	CHECK(RtmAddRouteToDest(reg, NULL, &dest, ri, 2000, NULL, 0, NULL,
				&cf));
	printf("added 10.1.0.0/16 with a 2 s TimeToLive\n");

	pthread_mutex_lock(&lock);
	while (!expired)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	sleep(1);	/* let the deletion's notification arrive */

	CHECK(RtmReleaseNextHops(reg, 1, &nh));
	CHECK(RtmDeregisterFromChangeNotification(reg, notify));
	CHECK(RtmDeregisterEntity(reg));
	free(ri);
	printf("%d destination change(s) seen; done\n", changes);
	return changes >= 2 ? 0 : 1;
}
