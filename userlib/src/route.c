/*
 * route.c - routes (spec part 1, 6.3, 6.4, 7.1, 7.2, 9.4, 9.5).
 *
 * Routes cross the ioctl boundary as struct rtm_route_rec plus a
 * separate __u64 array of next-hop handles.  On input the array holds
 * the route's NumNextHops handles; on output the kernel may write up to
 * the profile's MaxNextHopsInRoute, so output arrays are always sized
 * for that.
 */
#include "internal.h"

/*
 * Modes (spec 7.1): *RouteHandle non-NULL updates that route (a);
 * *RouteHandle NULL finds-or-creates and returns a referenced handle (b);
 * RouteHandle NULL does the same without a handle (c).
 */
DWORD WINAPI RtmAddRouteToDest(RTM_ENTITY_HANDLE RtmRegHandle,
			       PRTM_ROUTE_HANDLE RouteHandle,
			       PRTM_NET_ADDRESS DestAddress,
			       PRTM_ROUTE_INFO RouteInfo,
			       ULONG TimeToLive,
			       RTM_ROUTE_LIST_HANDLE RouteListHandle,
			       RTM_NOTIFY_FLAGS NotifyType,
			       RTM_NOTIFY_HANDLE NotifyHandle,
			       PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	bool by_handle = RouteHandle && *RouteHandle;
	struct rtm_add_route arg;
	struct lrtm_u64buf nh;
	DWORD ret;
	int err;

	/* Reserved for future use; ignored (spec 7.1, Proposed). */
	(void)NotifyType;
	(void)NotifyHandle;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RouteInfo || TimeToLive == 0)
		goto out;
	/* DestAddress may be left out only when the handle names the route. */
	if (!DestAddress && !by_handle)
		goto out;
	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (!lrtm_nh_buf_init(&nh, reg))
		goto out;

	memset(&arg, 0, sizeof(arg));
	ret = lrtm_route_in(reg, RouteInfo, nh.p, &arg.rec);
	if (ret)
		goto out_nh;
	if (DestAddress) {
		ret = lrtm_addr_in(reg, DestAddress, &arg.dest_addr);
		if (ret)
			goto out_nh;
		arg.flags |= RTM_RT_HAVE_DEST;
	}
	if (by_handle) {
		arg.flags |= RTM_RT_BY_HANDLE;
		arg.handle = lrtm_h2u(*RouteHandle);
	} else {
		if (RouteHandle)
			arg.flags |= RTM_RT_WANT_HANDLE;
		/*
		 * The input selector (spec 7.1): only FIRST and NEW mean
		 * something; other bits, e.g. a BEST left over from the
		 * previous call's output, are dropped.  NULL is input 0.
		 */
		if (ChangeFlags)
			arg.change_flags = *ChangeFlags &
				(RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW);
	}
	arg.ttl = TimeToLive;
	arg.list = lrtm_h2u(RouteListHandle);

	err = lrtm_ioctl(reg->fd, RTM_IOC_ADD_ROUTE, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out_nh;
	if (arg.flags & RTM_RT_WANT_HANDLE)
		*RouteHandle = lrtm_u2h(arg.handle);
	if (ChangeFlags)
		*ChangeFlags = arg.change_flags;
out_nh:
	lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}

/* Consumes the caller's reference on success only (spec 7.2). */
DWORD WINAPI RtmDeleteRouteToDest(RTM_ENTITY_HANDLE RtmRegHandle,
				  RTM_ROUTE_HANDLE RouteHandle,
				  PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_delete_route arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (!RouteHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(RouteHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_DELETE_ROUTE, &arg);
	ret = lrtm_win32_error(err);
	if (!err && ChangeFlags)
		*ChangeFlags = arg.change_flags;
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Both outputs are optional; with both NULL the call only validates the
 * handle (spec 6.3), which the kernel does for flags = 0.
 */
DWORD WINAPI RtmGetRouteInfo(RTM_ENTITY_HANDLE RtmRegHandle,
			     RTM_ROUTE_HANDLE RouteHandle,
			     PRTM_ROUTE_INFO RouteInfo,
			     PRTM_NET_ADDRESS DestAddress)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_route_info arg;
	struct lrtm_u64buf nh;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (!RouteHandle)
		goto out;
	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (!lrtm_nh_buf_init(&nh, reg))
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(RouteHandle);
	if (RouteInfo) {
		arg.flags |= RTM_RI_WANT_INFO;
		arg.rec.nexthops = (uint64_t)(uintptr_t)nh.p;
	}
	if (DestAddress)
		arg.flags |= RTM_RI_WANT_ADDR;
	err = lrtm_ioctl(reg->fd, RTM_IOC_ROUTE_INFO, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out_nh;
	if (RouteInfo)
		lrtm_route_out(reg, &arg.rec, nh.p, RouteInfo);
	if (DestAddress)
		lrtm_addr_out(&arg.addr, DestAddress);
out_nh:
	lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Gives back DestHandle, RouteOwner, Neighbour and every next hop.  A
 * NumNextHops the profile does not allow cannot come from RTM: the
 * structure is rejected before anything is released.  A route shadow
 * (RtmGetRoutePointer, RtmLockRoute, RTM_ROUTE_EXPIRED's Context2) holds
 * no references: accepted, nothing released (spec 6.4).
 */
DWORD WINAPI RtmReleaseRouteInfo(RTM_ENTITY_HANDLE RtmRegHandle,
				 PRTM_ROUTE_INFO RouteInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_relbuf b;
	DWORD ret;
	UINT i;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RouteInfo)
		goto out;
	ret = NO_ERROR;
	if (lrtm_is_shadow(reg, RouteInfo, LRTM_SHADOW_ROUTE))
		goto out;
	ret = ERROR_INVALID_PARAMETER;
	if (RouteInfo->NextHopsList.NumNextHops >
	    reg->profile.MaxNextHopsInRoute)
		goto out;
	lrtm_relbuf_init(&b, reg);
	lrtm_relbuf_add(&b, RouteInfo->DestHandle, RTM_HT_DEST);
	lrtm_relbuf_add(&b, RouteInfo->RouteOwner, RTM_HT_ENTITY);
	lrtm_relbuf_add(&b, RouteInfo->Neighbour, RTM_HT_NEXTHOP);
	for (i = 0; i < RouteInfo->NextHopsList.NumNextHops; i++)
		lrtm_relbuf_add(&b, RouteInfo->NextHopsList.NextHops[i],
				RTM_HT_NEXTHOP);
	ret = lrtm_relbuf_finish(&b);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmIsBestRoute(RTM_ENTITY_HANDLE RtmRegHandle,
			    RTM_ROUTE_HANDLE RouteHandle,
			    PRTM_VIEW_SET BestInViews)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_is_best arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!BestInViews)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!RouteHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(RouteHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_IS_BEST, &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		*BestInViews = arg.views;
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The criteria come from RouteInfo, but only the fields the matching
 * flags select are sent (a caller need not initialise the others), and
 * only the bits RTM defines (spec 9.4: "bits other than 0x1F are
 * ignored", so RTM_MATCH_FULL means all five).  The next-hop array
 * carries the criteria in and the found route's next hops out, so it is
 * sized for the profile's maximum.
 */
DWORD WINAPI RtmGetExactMatchRoute(RTM_ENTITY_HANDLE RtmRegHandle,
				   PRTM_NET_ADDRESS DestAddress,
				   RTM_MATCH_FLAGS MatchingFlags,
				   PRTM_ROUTE_INFO RouteInfo,
				   ULONG InterfaceIndex,
				   RTM_VIEW_SET TargetViews,
				   PRTM_ROUTE_HANDLE RouteHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD match = MatchingFlags & RTM_MATCH_ALL_BITS;
	struct rtm_route_match arg;
	struct lrtm_u64buf nh;
	DWORD ret;
	UINT i;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!DestAddress || !RouteInfo)
		goto out;
	if ((match & RTM_MATCH_NEXTHOP) &&
	    RouteInfo->NextHopsList.NumNextHops >
	    reg->profile.MaxNextHopsInRoute)
		goto out;
	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (!lrtm_nh_buf_init(&nh, reg))
		goto out;

	memset(&arg, 0, sizeof(arg));
	ret = lrtm_addr_in(reg, DestAddress, &arg.addr);
	if (ret)
		goto out_nh;
	arg.match = match;
	arg.ifindex = InterfaceIndex;
	arg.views = TargetViews;
	if (RouteHandle)
		arg.flags = RTM_RM_WANT_HANDLE;
	if (match & RTM_MATCH_OWNER)
		arg.crit.owner = lrtm_h2u(RouteInfo->RouteOwner);
	if (match & RTM_MATCH_NEIGHBOUR)
		arg.crit.neighbour = lrtm_h2u(RouteInfo->Neighbour);
	if (match & RTM_MATCH_PREF) {
		arg.crit.metric = RouteInfo->PrefInfo.Metric;
		arg.crit.preference = RouteInfo->PrefInfo.Preference;
	}
	if (match & RTM_MATCH_NEXTHOP) {
		arg.crit.num_nexthops = RouteInfo->NextHopsList.NumNextHops;
		for (i = 0; i < arg.crit.num_nexthops; i++)
			nh.p[i] = lrtm_h2u(
				RouteInfo->NextHopsList.NextHops[i]);
	}
	arg.crit.nexthops = (uint64_t)(uintptr_t)nh.p;

	err = lrtm_ioctl(reg->fd, RTM_IOC_ROUTE_MATCH, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out_nh;
	lrtm_route_out(reg, &arg.crit, nh.p, RouteInfo);
	if (RouteHandle)
		*RouteHandle = lrtm_u2h(arg.handle);
out_nh:
	lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}
