/*
 * enum.c - destination, route, next-hop and route-list enumerations
 * (spec part 2, 2.16, 3.1-3.10 and 3.22).
 *
 * An enumeration is a kernel cursor owned by the registration; the
 * library creates it (RTM_IOC_ENUM_CREATE), pulls batches from it
 * (RTM_IOC_ENUM_GET) and deletes it (RTM_IOC_ENUM_DELETE).  Batch rules
 * (2.16, normative):
 *   - more than MaxHandlesInEnum asked: ERROR_INVALID_PARAMETER, 0 items;
 *   - 0 asked: NO_ERROR, 0 items, cursor untouched (no ioctl);
 *   - the kernel's RTM_EG_END: ERROR_NO_MORE_ITEMS *with* the items it
 *     returned, which the caller must release (route-list enumerations:
 *     NO_ERROR, the short batch says it, spec 3.22);
 *   - any other error: *Num = 0, nothing referenced.
 * Destination batches are written at a stride of
 * RTM_SIZE_OF_DEST_INFO(profile.NumberOfViews) (2.4).
 */
#include <errno.h>

#include "internal.h"

#define RANGE_FLAGS (RTM_ENUM_NEXT | RTM_ENUM_RANGE)

static DWORD enum_create(struct lrtm_reg *reg, struct rtm_enum_create *arg,
			 PRTM_ENUM_HANDLE RtmEnumHandle)
{
	int err = lrtm_ioctl(reg->fd, RTM_IOC_ENUM_CREATE, arg);

	if (!err)
		*RtmEnumHandle = lrtm_u2h(arg->handle);
	return lrtm_win32_error(err);
}

/*
 * The start address (NEXT) or covering prefix (RANGE).  With START it is
 * ignored (spec 3.1), so it is neither validated nor sent.
 */
static DWORD range_addr(struct lrtm_reg *reg, RTM_ENUM_FLAGS EnumFlags,
			const RTM_NET_ADDRESS *addr,
			struct rtm_enum_create *arg)
{
	DWORD ret;

	if (!(EnumFlags & RANGE_FLAGS))
		return NO_ERROR;
	if (!addr)
		return ERROR_INVALID_PARAMETER;
	ret = lrtm_addr_in(reg, addr, &arg->addr);
	if (!ret)
		arg->flags |= RTM_EC_HAVE_ADDR;
	return ret;
}

DWORD WINAPI RtmCreateDestEnum(RTM_ENTITY_HANDLE RtmRegHandle,
			       RTM_VIEW_SET TargetViews,
			       RTM_ENUM_FLAGS EnumFlags,
			       PRTM_NET_ADDRESS NetAddress, ULONG ProtocolId,
			       PRTM_ENUM_HANDLE RtmEnumHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_enum_create arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RtmEnumHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	ret = range_addr(reg, EnumFlags, NetAddress, &arg);
	if (ret)
		goto out;
	arg.kind = RTM_ENUM_KIND_DEST;
	arg.enum_flags = EnumFlags;
	arg.views = TargetViews;
	arg.protocol = ProtocolId;
	ret = enum_create(reg, &arg, RtmEnumHandle);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * With a DestHandle the range part of EnumFlags and StartDest are
 * ignored (spec 3.4), so StartDest is then neither required nor sent.
 * CriteriaRoute is required when a criterion that reads it is asked
 * for; only the fields those criteria read are sent.
 */
DWORD WINAPI RtmCreateRouteEnum(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_DEST_HANDLE DestHandle,
				RTM_VIEW_SET TargetViews,
				RTM_ENUM_FLAGS EnumFlags,
				PRTM_NET_ADDRESS StartDest,
				RTM_MATCH_FLAGS MatchingFlags,
				PRTM_ROUTE_INFO CriteriaRoute,
				ULONG CriteriaInterface,
				PRTM_ENUM_HANDLE RtmEnumHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD match = MatchingFlags & RTM_MATCH_ALL_BITS;
	struct rtm_enum_create arg;
	struct lrtm_u64buf nh;
	bool nh_used = false;
	DWORD ret;
	UINT i;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RtmEnumHandle)
		goto out;
	if ((match & (RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR |
		      RTM_MATCH_PREF | RTM_MATCH_NEXTHOP)) && !CriteriaRoute)
		goto out;
	memset(&arg, 0, sizeof(arg));
	if (DestHandle) {
		arg.dest = lrtm_h2u(DestHandle);
	} else {
		ret = range_addr(reg, EnumFlags, StartDest, &arg);
		if (ret)
			goto out;
	}
	arg.kind = RTM_ENUM_KIND_ROUTE;
	arg.enum_flags = EnumFlags;
	arg.views = TargetViews;
	arg.match = match;
	arg.ifindex = CriteriaInterface;
	if (match & RTM_MATCH_OWNER)
		arg.crit.owner = lrtm_h2u(CriteriaRoute->RouteOwner);
	if (match & RTM_MATCH_NEIGHBOUR)
		arg.crit.neighbour = lrtm_h2u(CriteriaRoute->Neighbour);
	if (match & RTM_MATCH_PREF) {
		arg.crit.metric = CriteriaRoute->PrefInfo.Metric;
		arg.crit.preference = CriteriaRoute->PrefInfo.Preference;
	}
	if (match & RTM_MATCH_NEXTHOP) {
		UINT n = CriteriaRoute->NextHopsList.NumNextHops;

		ret = ERROR_INVALID_PARAMETER;
		if (n > reg->profile.MaxNextHopsInRoute)
			goto out;
		ret = ERROR_NOT_ENOUGH_MEMORY;
		if (!lrtm_u64buf_init(&nh, n ? n : 1))
			goto out;
		nh_used = true;
		for (i = 0; i < n; i++)
			nh.p[i] = lrtm_h2u(
				CriteriaRoute->NextHopsList.NextHops[i]);
		arg.crit.num_nexthops = n;
		arg.crit.nexthops = (uint64_t)(uintptr_t)nh.p;
	}
	ret = enum_create(reg, &arg, RtmEnumHandle);
	if (nh_used)
		lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmCreateNextHopEnum(RTM_ENTITY_HANDLE RtmRegHandle,
				  RTM_ENUM_FLAGS EnumFlags,
				  PRTM_NET_ADDRESS NetAddress,
				  PRTM_ENUM_HANDLE RtmEnumHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_enum_create arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RtmEnumHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	ret = range_addr(reg, EnumFlags, NetAddress, &arg);
	if (ret)
		goto out;
	arg.kind = RTM_ENUM_KIND_NEXTHOP;
	arg.enum_flags = EnumFlags;
	ret = enum_create(reg, &arg, RtmEnumHandle);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The checks every get-batch call shares (enumerations, and
 * RtmGetChangedDests with a notification handle).  Returns true when the
 * call must go to the kernel for *Num items; otherwise *ret is the answer
 * and *Num has been set (0 on error, left 0 for a request of 0).
 */
bool lrtm_batch_check(struct lrtm_reg *reg, const void *handle, PUINT Num,
		      const void *buf, DWORD *ret)
{
	if (!Num) {
		*ret = ERROR_INVALID_PARAMETER;
		return false;
	}
	if (*Num > reg->profile.MaxHandlesInEnum) {
		*ret = ERROR_INVALID_PARAMETER;
	} else if (!handle) {
		*ret = ERROR_INVALID_HANDLE;
	} else if (*Num == 0) {
		*ret = NO_ERROR;
		return false;
	} else if (!buf) {
		*ret = ERROR_INVALID_PARAMETER;
	} else {
		return true;
	}
	*Num = 0;
	return false;
}

static int enum_get(struct lrtm_reg *reg, RTM_ENUM_HANDLE EnumHandle,
		    uint32_t kind, UINT want, void *buf,
		    struct rtm_enum_get *arg)
{
	int err;

	memset(arg, 0, sizeof(*arg));
	arg->handle = lrtm_h2u(EnumHandle);
	arg->kind = kind;
	arg->count = want;
	arg->buf = (uint64_t)(uintptr_t)buf;
	err = lrtm_ioctl(reg->fd, RTM_IOC_ENUM_GET, arg);
	/* More than asked would be a kernel bug; never overrun the caller. */
	if (!err && arg->count > want)
		err = EINVAL;
	return err;
}

static DWORD batch_result(const struct rtm_enum_get *arg, uint32_t kind)
{
	/* List enumerations end with a short batch, never an error (3.22). */
	if (kind == RTM_ENUM_KIND_LIST)
		return NO_ERROR;
	return (arg->status & RTM_EG_END) ? ERROR_NO_MORE_ITEMS : NO_ERROR;
}

void lrtm_dests_out(struct lrtm_reg *reg, const struct rtm_dest_rec *recs,
		    UINT n, RTM_DEST_INFO *out)
{
	size_t stride = lrtm_dest_stride(reg);
	UINT i;

	for (i = 0; i < n; i++)
		lrtm_dest_out(&recs[i], reg->profile.NumberOfViews,
			      (RTM_DEST_INFO *)((char *)out + i * stride));
}

static DWORD get_handles(RTM_ENTITY_HANDLE RtmRegHandle,
			 RTM_ENUM_HANDLE EnumHandle, PUINT Num, HANDLE *out,
			 uint32_t kind)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_enum_get arg;
	struct lrtm_u64buf buf;
	DWORD ret;
	UINT i;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (!lrtm_batch_check(reg, EnumHandle, Num, out, &ret))
		goto out;
	if (!lrtm_u64buf_init(&buf, *Num)) {
		*Num = 0;
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	err = enum_get(reg, EnumHandle, kind, *Num, buf.p, &arg);
	if (err) {
		*Num = 0;
		ret = lrtm_win32_error(err);
	} else {
		for (i = 0; i < arg.count; i++)
			out[i] = lrtm_u2h(buf.p[i]);
		*Num = arg.count;
		ret = batch_result(&arg, kind);
	}
	lrtm_u64buf_fini(&buf);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetEnumDests(RTM_ENTITY_HANDLE RtmRegHandle,
			     RTM_ENUM_HANDLE EnumHandle, PUINT NumDests,
			     PRTM_DEST_INFO DestInfos)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_dest_rec *recs;
	struct rtm_enum_get arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (!lrtm_batch_check(reg, EnumHandle, NumDests, DestInfos, &ret))
		goto out;
	recs = calloc(*NumDests, sizeof(*recs));
	if (!recs) {
		*NumDests = 0;
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	err = enum_get(reg, EnumHandle, RTM_ENUM_KIND_DEST, *NumDests, recs,
		       &arg);
	if (err) {
		*NumDests = 0;
		ret = lrtm_win32_error(err);
	} else {
		lrtm_dests_out(reg, recs, arg.count, DestInfos);
		*NumDests = arg.count;
		ret = batch_result(&arg, RTM_ENUM_KIND_DEST);
	}
	free(recs);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle,
			      RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
			      PRTM_ROUTE_HANDLE RouteHandles)
{
	return get_handles(RtmRegHandle, EnumHandle, NumRoutes, RouteHandles,
			   RTM_ENUM_KIND_ROUTE);
}

DWORD WINAPI RtmGetEnumNextHops(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_ENUM_HANDLE EnumHandle, PUINT NumNextHops,
				PRTM_NEXTHOP_HANDLE NextHopHandles)
{
	return get_handles(RtmRegHandle, EnumHandle, NumNextHops,
			   NextHopHandles, RTM_ENUM_KIND_NEXTHOP);
}

/* A route-list enumeration (list.c creates it). */
DWORD WINAPI RtmGetListEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle,
				  RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
				  PRTM_ROUTE_HANDLE RouteHandles)
{
	return get_handles(RtmRegHandle, EnumHandle, NumRoutes, RouteHandles,
			   RTM_ENUM_KIND_LIST);
}

/* Does not release the handles the enumeration returned (spec 3.10). */
DWORD WINAPI RtmDeleteEnumHandle(RTM_ENTITY_HANDLE RtmRegHandle,
				 RTM_ENUM_HANDLE EnumHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_enum_delete arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (EnumHandle) {
		memset(&arg, 0, sizeof(arg));
		arg.handle = lrtm_h2u(EnumHandle);
		ret = lrtm_win32_error(lrtm_ioctl(reg->fd,
						  RTM_IOC_ENUM_DELETE, &arg));
	}
	lrtm_reg_put(reg);
	return ret;
}
