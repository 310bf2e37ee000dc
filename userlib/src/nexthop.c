/*
 * nexthop.c - next hops (spec part 1, 6.5, 6.6, 10.1-10.3).
 *
 * A next hop is identified, within its owner's set, by NextHopAddress +
 * InterfaceIndex.  RtmAddNextHop and RtmDeleteNextHop take either a
 * handle or that identity; the three handle modes of RtmAddNextHop map
 * onto RTM_NH_BY_HANDLE / RTM_NH_WANT_HANDLE / neither.
 *
 * RtmFindNextHop's NextHopPointer is a shadow record (shadow.c): one per
 * next hop per registration, refreshed on every call that returns it.
 */
#include "internal.h"

DWORD WINAPI RtmAddNextHop(RTM_ENTITY_HANDLE RtmRegHandle,
			   PRTM_NEXTHOP_INFO NextHopInfo,
			   PRTM_NEXTHOP_HANDLE NextHopHandle,
			   PRTM_NEXTHOP_CHANGE_FLAGS ChangeFlags)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_add_nexthop arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopInfo)
		goto out;
	memset(&arg, 0, sizeof(arg));
	ret = lrtm_addr_in(reg, &NextHopInfo->NextHopAddress, &arg.rec.addr);
	if (ret)
		goto out;
	lrtm_nexthop_in(NextHopInfo, &arg.rec);
	/* Update that one; add or find and return it; add or find. */
	if (NextHopHandle && *NextHopHandle) {
		arg.flags = RTM_NH_BY_HANDLE;
		arg.handle = lrtm_h2u(*NextHopHandle);
	} else if (NextHopHandle) {
		arg.flags = RTM_NH_WANT_HANDLE;
	}
	err = lrtm_ioctl(reg->fd, RTM_IOC_ADD_NEXTHOP, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	if (arg.flags & RTM_NH_WANT_HANDLE)
		*NextHopHandle = lrtm_u2h(arg.handle);
	/* ChangeFlags may be NULL (spec 10.1, Proposed). */
	if (ChangeFlags)
		*ChangeFlags = arg.change_flags;
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The shadow is keyed by the next hop's handle, so a pointer request
 * always asks the kernel for the handle; if the caller did not want the
 * handle itself, that reference is given straight back.  (The pointer is
 * then only safe while the caller holds a reference obtained elsewhere,
 * spec 10.2.)
 */
DWORD WINAPI RtmFindNextHop(RTM_ENTITY_HANDLE RtmRegHandle,
			    PRTM_NEXTHOP_INFO NextHopInfo,
			    PRTM_NEXTHOP_HANDLE NextHopHandle,
			    PRTM_NEXTHOP_INFO *NextHopPointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	RTM_NEXTHOP_INFO *shadow = NULL;
	struct rtm_find_nexthop arg;
	struct lrtm_relbuf b;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopInfo)
		goto out;
	memset(&arg, 0, sizeof(arg));
	ret = lrtm_addr_in(reg, &NextHopInfo->NextHopAddress, &arg.rec.addr);
	if (ret)
		goto out;
	lrtm_nexthop_in(NextHopInfo, &arg.rec);
	/* Only the identity is an input (spec 10.2). */
	arg.rec.flags = 0;
	arg.rec.esi = 0;
	if (NextHopHandle || NextHopPointer)
		arg.flags = RTM_NH_WANT_HANDLE;
	err = lrtm_ioctl(reg->fd, RTM_IOC_FIND_NEXTHOP, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;

	if (NextHopPointer)
		shadow = lrtm_nexthop_shadow(reg, arg.handle, &arg.rec);
	if (!NextHopHandle || (NextHopPointer && !shadow)) {
		/* Not wanted, or failing: give the reference back. */
		lrtm_relbuf_init(&b, reg);
		lrtm_relbuf_add(&b, lrtm_u2h(arg.handle), RTM_HT_NEXTHOP);
		lrtm_relbuf_finish(&b);
	}
	if (NextHopPointer && !shadow) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	if (NextHopHandle)
		*NextHopHandle = lrtm_u2h(arg.handle);
	if (NextHopPointer)
		*NextHopPointer = shadow;
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmDeleteNextHop(RTM_ENTITY_HANDLE RtmRegHandle,
			      RTM_NEXTHOP_HANDLE NextHopHandle,
			      PRTM_NEXTHOP_INFO NextHopInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_find_nexthop arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	memset(&arg, 0, sizeof(arg));
	if (NextHopHandle) {
		/* Both given: the handle wins (spec 10.3). */
		arg.flags = RTM_NH_BY_HANDLE;
		arg.handle = lrtm_h2u(NextHopHandle);
	} else if (NextHopInfo) {
		ret = lrtm_addr_in(reg, &NextHopInfo->NextHopAddress,
				   &arg.rec.addr);
		if (ret)
			goto out;
		lrtm_nexthop_in(NextHopInfo, &arg.rec);
		arg.rec.flags = 0;
		arg.rec.esi = 0;
	} else {
		ret = ERROR_INVALID_PARAMETER;
		goto out;
	}
	ret = lrtm_win32_error(lrtm_ioctl(reg->fd, RTM_IOC_DELETE_NEXTHOP,
					  &arg));
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetNextHopInfo(RTM_ENTITY_HANDLE RtmRegHandle,
			       RTM_NEXTHOP_HANDLE NextHopHandle,
			       PRTM_NEXTHOP_INFO NextHopInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_nexthop_info arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopInfo)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!NextHopHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(NextHopHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_NEXTHOP_INFO, &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		lrtm_nexthop_out(&arg.rec, NextHopInfo);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Gives back NextHopOwner and a non-NULL RemoteNextHop.  A shadow record
 * (from RtmFindNextHop, RtmGetNextHopPointer or RtmLockNextHop)
 * carries no references, so it is accepted and nothing is released
 * (spec 6.6).
 */
DWORD WINAPI RtmReleaseNextHopInfo(RTM_ENTITY_HANDLE RtmRegHandle,
				   PRTM_NEXTHOP_INFO NextHopInfo)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_relbuf b;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopInfo)
		goto out;
	ret = NO_ERROR;
	if (lrtm_is_shadow(reg, NextHopInfo, LRTM_SHADOW_NEXTHOP))
		goto out;
	lrtm_relbuf_init(&b, reg);
	lrtm_relbuf_add(&b, NextHopInfo->NextHopOwner, RTM_HT_ENTITY);
	lrtm_relbuf_add(&b, NextHopInfo->RemoteNextHop, RTM_HT_DEST);
	ret = lrtm_relbuf_finish(&b);
out:
	lrtm_reg_put(reg);
	return ret;
}
