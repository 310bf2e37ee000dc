/*
 * dest.c - destinations (spec part 1, 6.1, 6.2, 9.1-9.3).
 *
 * The four functions that fill one RTM_DEST_INFO are the same ioctl,
 * RTM_IOC_DEST_QUERY, with a different op: by handle, exact prefix,
 * longest match, next less specific.  The kernel record carries up to
 * RTM_UAPI_VIEWS per-view elements; exactly rec.num_views of them are
 * copied out, because the caller's buffer is sized for the views it
 * asked for (RTM_SIZE_OF_DEST_INFO(n)), not for sizeof(RTM_DEST_INFO).
 */
#include "internal.h"

static DWORD dest_query(RTM_ENTITY_HANDLE RtmRegHandle, uint32_t op,
			RTM_DEST_HANDLE DestHandle,
			const RTM_NET_ADDRESS *DestAddress, ULONG ProtocolId,
			RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_dest_query arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!DestInfo)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.op = op;
	arg.protocol = ProtocolId;
	arg.views = TargetViews;
	if (op == RTM_DQ_HANDLE || op == RTM_DQ_LESS) {
		ret = ERROR_INVALID_HANDLE;
		if (!DestHandle)
			goto out;
		arg.handle = lrtm_h2u(DestHandle);
	} else {
		if (!DestAddress)
			goto out;
		ret = lrtm_addr_in(reg, DestAddress, &arg.addr);
		if (ret)
			goto out;
	}
	err = lrtm_ioctl(reg->fd, RTM_IOC_DEST_QUERY, &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		lrtm_dest_out(&arg.rec, reg->profile.NumberOfViews, DestInfo);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetDestInfo(RTM_ENTITY_HANDLE RtmRegHandle,
			    RTM_DEST_HANDLE DestHandle, ULONG ProtocolId,
			    RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	return dest_query(RtmRegHandle, RTM_DQ_HANDLE, DestHandle, NULL,
			  ProtocolId, TargetViews, DestInfo);
}

DWORD WINAPI RtmGetExactMatchDestination(RTM_ENTITY_HANDLE RtmRegHandle,
					 PRTM_NET_ADDRESS DestAddress,
					 ULONG ProtocolId,
					 RTM_VIEW_SET TargetViews,
					 PRTM_DEST_INFO DestInfo)
{
	return dest_query(RtmRegHandle, RTM_DQ_EXACT, NULL, DestAddress,
			  ProtocolId, TargetViews, DestInfo);
}

DWORD WINAPI RtmGetMostSpecificDestination(RTM_ENTITY_HANDLE RtmRegHandle,
					   PRTM_NET_ADDRESS DestAddress,
					   ULONG ProtocolId,
					   RTM_VIEW_SET TargetViews,
					   PRTM_DEST_INFO DestInfo)
{
	return dest_query(RtmRegHandle, RTM_DQ_LONGEST, NULL, DestAddress,
			  ProtocolId, TargetViews, DestInfo);
}

DWORD WINAPI RtmGetLessSpecificDestination(RTM_ENTITY_HANDLE RtmRegHandle,
					   RTM_DEST_HANDLE DestHandle,
					   ULONG ProtocolId,
					   RTM_VIEW_SET TargetViews,
					   PRTM_DEST_INFO DestInfo)
{
	return dest_query(RtmRegHandle, RTM_DQ_LESS, DestHandle, NULL,
			  ProtocolId, TargetViews, DestInfo);
}

void lrtm_dest_info_release(struct lrtm_relbuf *b, const RTM_DEST_INFO *d)
{
	UINT i;

	lrtm_relbuf_add(b, d->DestHandle, RTM_HT_DEST);
	for (i = 0; i < d->NumberOfViews; i++) {
		lrtm_relbuf_add(b, d->ViewInfo[i].Route, RTM_HT_ROUTE);
		lrtm_relbuf_add(b, d->ViewInfo[i].Owner, RTM_HT_ENTITY);
		lrtm_relbuf_add(b, d->ViewInfo[i].HoldRoute, RTM_HT_ROUTE);
	}
}

/*
 * Gives back DestHandle and, for each of the first NumberOfViews
 * elements, Route, Owner and HoldRoute.  {DestHandle, NumberOfViews = 0}
 * is how a bare referenced destination handle is given back (spec 6.2).
 * More elements than the table has views cannot come from RTM: rejected
 * before anything is released.
 */
DWORD WINAPI RtmReleaseDestInfo(RTM_ENTITY_HANDLE RtmRegHandle,
				PRTM_DEST_INFO DestInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_relbuf b;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!DestInfo ||
	    DestInfo->NumberOfViews > reg->profile.NumberOfViews)
		goto out;
	lrtm_relbuf_init(&b, reg);
	lrtm_dest_info_release(&b, DestInfo);
	ret = lrtm_relbuf_finish(&b);
out:
	lrtm_reg_put(reg);
	return ret;
}
