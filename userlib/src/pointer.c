/*
 * pointer.c - direct pointers to routes and next hops (spec part 1, 8.1,
 * 10.4 and 2.10 P1).
 *
 * RtmGetRoutePointer and RtmGetNextHopPointer return the address of the
 * registration's shadow of the object (shadow.c), refreshed from the
 * kernel's record by RTM_IOC_PEEK, which only the owner may do (the
 * kernel answers -EACCES otherwise, and -ESTALE for a deleted route).
 * The same refresh serves RtmLockRoute / RtmLockNextHop (with the record
 * the lock returns), the expiry event's Context2 and RtmFindNextHop.  A
 * shadow pinned by an exclusive lock holder is not refreshed: it holds
 * the owner's uncommitted edits.
 */
#include <errno.h>

#include "internal.h"

RTM_ROUTE_INFO *lrtm_route_shadow(struct lrtm_reg *reg, uint64_t h,
				  const struct rtm_route_rec *rec,
				  const uint64_t *nh)
{
	struct lrtm_shadow_tab *tab = &reg->route_shadows;
	RTM_ROUTE_INFO *s;

	pthread_mutex_lock(&tab->lock);
	s = lrtm_shadow_get(tab, h);
	if (s && !lrtm_shadow_pinned(tab, h))
		lrtm_route_out(reg, rec, nh, s);
	pthread_mutex_unlock(&tab->lock);
	return s;
}

RTM_NEXTHOP_INFO *lrtm_nexthop_shadow(struct lrtm_reg *reg, uint64_t h,
				      const struct rtm_nexthop_rec *rec)
{
	struct lrtm_shadow_tab *tab = &reg->nexthop_shadows;
	RTM_NEXTHOP_INFO *s;

	pthread_mutex_lock(&tab->lock);
	s = lrtm_shadow_get(tab, h);
	if (s && !lrtm_shadow_pinned(tab, h))
		lrtm_nexthop_out(rec, s);
	pthread_mutex_unlock(&tab->lock);
	return s;
}

static int peek(struct lrtm_reg *reg, uint32_t kind, uint64_t h,
		uint64_t *nh, struct rtm_peek *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->kind = kind;
	arg->handle = h;
	arg->route.nexthops = (uint64_t)(uintptr_t)nh;
	return lrtm_ioctl(reg->fd, RTM_IOC_PEEK, arg);
}

int lrtm_route_peek(struct lrtm_reg *reg, uint64_t h, RTM_ROUTE_INFO **out)
{
	struct rtm_peek arg;
	struct lrtm_u64buf nh;
	RTM_ROUTE_INFO *s;
	int err;

	if (!lrtm_nh_buf_init(&nh, reg))
		return ENOMEM;
	err = peek(reg, RTM_LK_ROUTE, h, nh.p, &arg);
	if (!err) {
		s = lrtm_route_shadow(reg, h, &arg.route, nh.p);
		if (s)
			*out = s;
		else
			err = ENOMEM;
	}
	lrtm_u64buf_fini(&nh);
	return err;
}

int lrtm_nexthop_peek(struct lrtm_reg *reg, uint64_t h,
		      RTM_NEXTHOP_INFO **out)
{
	struct rtm_peek arg;
	RTM_NEXTHOP_INFO *s;
	int err;

	/* No next-hop array is read for a next hop; 0 is never written. */
	err = peek(reg, RTM_LK_NEXTHOP, h, NULL, &arg);
	if (err)
		return err;
	s = lrtm_nexthop_shadow(reg, h, &arg.nh);
	if (!s)
		return ENOMEM;
	*out = s;
	return 0;
}

DWORD WINAPI RtmGetRoutePointer(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_ROUTE_HANDLE RouteHandle,
				PRTM_ROUTE_INFO *RoutePointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	RTM_ROUTE_INFO *s;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!RoutePointer)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!RouteHandle)
		goto out;
	err = lrtm_route_peek(reg, lrtm_h2u(RouteHandle), &s);
	ret = lrtm_win32_error(err);
	if (!err)
		*RoutePointer = s;
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetNextHopPointer(RTM_ENTITY_HANDLE RtmRegHandle,
				  RTM_NEXTHOP_HANDLE NextHopHandle,
				  PRTM_NEXTHOP_INFO *NextHopPointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	RTM_NEXTHOP_INFO *s;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NextHopPointer)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!NextHopHandle)
		goto out;
	err = lrtm_nexthop_peek(reg, lrtm_h2u(NextHopHandle), &s);
	ret = lrtm_win32_error(err);
	if (!err)
		*NextHopPointer = s;
out:
	lrtm_reg_put(reg);
	return ret;
}
