/*
 * list.c - route lists (spec part 2, 2.12 and 3.19-3.23).
 *
 * A route list is a kernel object private to the registration that made
 * it: an ordered set of that registration's routes, holding no
 * references.  Creating, deleting and filling one is RTM_IOC_ROUTE_LIST;
 * walking it is an ordinary enumeration of kind RTM_ENUM_KIND_LIST (the
 * list handle travels in the enumeration's @dest), read by
 * RtmGetListEnumRoutes in enum.c and deleted by RtmDeleteEnumHandle.
 * RtmAddRouteToDest and RtmUpdateAndUnlockRoute pass their
 * RouteListHandle straight to the kernel.
 */
#include "internal.h"

static int list_op(struct lrtm_reg *reg, struct rtm_route_list *arg)
{
	return lrtm_ioctl(reg->fd, RTM_IOC_ROUTE_LIST, arg);
}

DWORD WINAPI RtmCreateRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
				PRTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_route_list arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RouteListHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.op = RTM_LO_CREATE;
	err = list_op(reg, &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		*RouteListHandle = lrtm_u2h(arg.handle);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The kernel checks every handle of one call before moving any route
 * (spec 3.20).  An array longer than one call takes (RTM_MAX_BATCH, the
 * cap on every array of the ABI) goes in several calls, each all or
 * nothing: a failure leaves the earlier chunks moved.  NumRoutes = 0
 * still asks the kernel, which validates the list handle.
 */
DWORD WINAPI RtmInsertInRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
				  RTM_ROUTE_LIST_HANDLE RouteListHandle,
				  UINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_route_list arg;
	uint64_t buf[LRTM_RELBUF_CAP];
	UINT done = 0, n, i;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (NumRoutes && !RouteHandles)
		goto out;
	do {
		n = NumRoutes - done;
		if (n > LRTM_RELBUF_CAP)
			n = LRTM_RELBUF_CAP;
		for (i = 0; i < n; i++)
			buf[i] = lrtm_h2u(RouteHandles[done + i]);
		memset(&arg, 0, sizeof(arg));
		arg.op = RTM_LO_INSERT;
		arg.handle = lrtm_h2u(RouteListHandle);	/* 0: off lists */
		arg.count = n;
		arg.routes = n ? (uint64_t)(uintptr_t)buf : 0;
		err = list_op(reg, &arg);
		done += n;
	} while (!err && done < NumRoutes);
	ret = lrtm_win32_error(err);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmCreateRouteListEnum(RTM_ENTITY_HANDLE RtmRegHandle,
				    RTM_ROUTE_LIST_HANDLE RouteListHandle,
				    PRTM_ENUM_HANDLE RtmEnumHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_enum_create arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RtmEnumHandle)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!RouteListHandle)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.kind = RTM_ENUM_KIND_LIST;
	arg.dest = lrtm_h2u(RouteListHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_ENUM_CREATE, &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		*RtmEnumHandle = lrtm_u2h(arg.handle);
out:
	lrtm_reg_put(reg);
	return ret;
}

/* The routes stay in the table; enumerations of the list stay valid. */
DWORD WINAPI RtmDeleteRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_route_list arg;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (RouteListHandle) {
		memset(&arg, 0, sizeof(arg));
		arg.op = RTM_LO_DELETE;
		arg.handle = lrtm_h2u(RouteListHandle);
		ret = lrtm_win32_error(list_op(reg, &arg));
	}
	lrtm_reg_put(reg);
	return ret;
}
