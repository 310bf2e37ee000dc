/*
 * hold.c - hold-down (spec part 1, 7.3; part 2, 2.10).
 *
 * RtmHoldDestination only marks the destination in the kernel, which
 * keeps the hold time, starts the hold-down when the last route of a
 * marked view goes, and ends it with its timers.  Any entity of the table
 * may call it; no reference moves.
 */
#include "internal.h"

DWORD WINAPI RtmHoldDestination(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_DEST_HANDLE DestHandle,
				RTM_VIEW_SET TargetViews, ULONG HoldTime)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_hold_dest arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!HoldTime)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!DestHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.dest = lrtm_h2u(DestHandle);
	arg.views = TargetViews;	/* 0: every supported view */
	arg.hold_ms = HoldTime;
	ret = lrtm_win32_error(lrtm_ioctl(reg->fd, RTM_IOC_HOLD_DEST, &arg));
out:
	lrtm_reg_put(reg);
	return ret;
}
