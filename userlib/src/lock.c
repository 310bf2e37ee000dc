/*
 * lock.c - destination, route and next-hop locks, and the in-place route
 * update (spec part 1, 2.9, 8.2, 8.3, 10.5, 11.1).
 *
 * Locks are held in the kernel (RTM_IOC_LOCK), on behalf of the calling
 * thread of the registration, and released if the process dies; the
 * kernel enforces the misuse rules of 2.9 (re-locking, unlocking what the
 * thread does not hold, mode mismatch).  The library adds what only the
 * process can do, and remembers per thread which locks it holds for that:
 *
 *   - route and next-hop locks refresh the object's shadow from the
 *     record the lock returns and hand out its address; an exclusive
 *     lock pins the shadow while the owner edits it;
 *   - RtmUpdateAndUnlockRoute sends the shadow's writable fields
 *     (Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo,
 *     NextHopsList) with RTM_IOC_UPDATE_ROUTE, which commits and unlocks;
 *     an unlock without commit discards the edits (the shadow is read
 *     back from the kernel);
 *   - the exclusive unlock of a next hop commits the shadow's Flags and
 *     EntitySpecificInfo (RTM_LK_COMMIT), then reads it back, reverting
 *     any edit of the fields the owner may not change (10.5);
 *   - the exclusive unlock of a destination tells the kernel whether the
 *     registration's opaque cell there is now NULL or not (opaque.c);
 *   - while a thread holds an exclusive route lock, its RtmReference-
 *     Handles and RtmReleaseNextHops calls on next-hop handles belong to
 *     the in-place protocol (8.3 Proposed) and are not sent: the kernel
 *     reconciles the route's next-hop references with the committed
 *     lists, so the net effect is the one the protocol intends.
 */
#include <errno.h>
#include "internal.h"

/*
 * A thread holds one lock at a time in a correct program (2.9: nothing
 * but the unlock may be called meanwhile); the table leaves room for
 * programs that hold a few.
 */
#define MAX_HELD 32

struct held {
	struct lrtm_reg *reg;
	uint32_t kind;			/* RTM_LK_DEST, _ROUTE, _NEXTHOP */
	bool exclusive;
	uint64_t handle;
};

static __thread struct held held[MAX_HELD];
static __thread unsigned int nheld;
/* Next-hop reference calls absorbed by the in-place protocol (debug). */
static __thread unsigned long booked_refs, booked_releases;

static struct held *held_find(struct lrtm_reg *reg, uint32_t kind,
			      uint64_t h)
{
	unsigned int i;

	for (i = 0; i < nheld; i++)
		if (held[i].reg == reg && held[i].kind == kind &&
		    held[i].handle == h)
			return &held[i];
	return NULL;
}

static void held_add(struct lrtm_reg *reg, uint32_t kind, bool excl,
		     uint64_t h)
{
	held[nheld].reg = reg;
	held[nheld].kind = kind;
	held[nheld].exclusive = excl;
	held[nheld].handle = h;
	nheld++;
}

static void held_del(struct lrtm_reg *reg, uint32_t kind, uint64_t h)
{
	struct held *e = held_find(reg, kind, h);

	if (e)
		*e = held[--nheld];
}

bool lrtm_lock_books_nexthops(struct lrtm_reg *reg)
{
	unsigned int i;

	for (i = 0; i < nheld; i++)
		if (held[i].reg == reg && held[i].kind == RTM_LK_ROUTE &&
		    held[i].exclusive)
			return true;
	return false;
}

void lrtm_lock_book(UINT referenced, UINT released)
{
	booked_refs += referenced;
	booked_releases += released;
}

void lrtm_lock_forget_all(void)
{
	nheld = 0;
	booked_refs = 0;
	booked_releases = 0;
}

static int lock_ioctl(struct lrtm_reg *reg, uint32_t kind, uint32_t flags,
		      uint64_t h, uint64_t *nh, struct rtm_lock *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->kind = kind;
	arg->flags = flags;
	arg->handle = h;
	arg->route.nexthops = (uint64_t)(uintptr_t)nh;
	return lrtm_ioctl(reg->fd, RTM_IOC_LOCK, arg);
}

/* Gives back a lock just taken when the library cannot go on. */
static void undo_lock(struct lrtm_reg *reg, uint32_t kind, uint32_t flags,
		      uint64_t h)
{
	struct rtm_lock arg;

	lock_ioctl(reg, kind, (flags & RTM_LK_EXCLUSIVE) | RTM_LK_UNLOCK, h,
		   NULL, &arg);
}

static void shadow_pin(struct lrtm_shadow_tab *tab, uint64_t h, bool *ok)
{
	pthread_mutex_lock(&tab->lock);
	*ok = lrtm_shadow_pin(tab, h);
	pthread_mutex_unlock(&tab->lock);
}

static void shadow_unpin(struct lrtm_shadow_tab *tab, uint64_t h)
{
	pthread_mutex_lock(&tab->lock);
	lrtm_shadow_unpin(tab, h);
	pthread_mutex_unlock(&tab->lock);
}

DWORD WINAPI RtmLockRoute(RTM_ENTITY_HANDLE RtmRegHandle,
			  RTM_ROUTE_HANDLE RouteHandle, BOOL Exclusive,
			  BOOL LockRoute, PRTM_ROUTE_INFO *RoutePointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t h = lrtm_h2u(RouteHandle);
	uint32_t flags = Exclusive ? RTM_LK_EXCLUSIVE : 0;
	RTM_ROUTE_INFO *s = NULL;
	struct lrtm_u64buf nh;
	struct rtm_lock arg;
	bool pinned = true;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (!h)
		goto out;
	if (!LockRoute) {
		err = lock_ioctl(reg, RTM_LK_ROUTE, flags | RTM_LK_UNLOCK, h,
				 NULL, &arg);
		ret = lrtm_win32_error(err);
		if (err)
			goto out;
		held_del(reg, RTM_LK_ROUTE, h);
		if (Exclusive) {
			/* Uncommitted edits are discarded (8.3). */
			shadow_unpin(&reg->route_shadows, h);
			lrtm_route_peek(reg, h, &s);
		}
		goto out;
	}

	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (nheld == MAX_HELD || !lrtm_nh_buf_init(&nh, reg))
		goto out;
	err = lock_ioctl(reg, RTM_LK_ROUTE, flags, h, nh.p, &arg);
	ret = lrtm_win32_error(err);
	if (!err) {
		s = lrtm_route_shadow(reg, h, &arg.route, nh.p);
		if (s && Exclusive)
			shadow_pin(&reg->route_shadows, h, &pinned);
		if (!s || !pinned) {
			undo_lock(reg, RTM_LK_ROUTE, flags, h);
			ret = ERROR_NOT_ENOUGH_MEMORY;
		} else {
			held_add(reg, RTM_LK_ROUTE, Exclusive, h);
			if (RoutePointer)
				*RoutePointer = s;
		}
	}
	lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The shadow is what the owner edited; a route without one was never
 * locked by this process (every lock makes it), so the call cannot hold
 * the exclusive lock.  The kernel still says why first: another owner's
 * route is ERROR_ACCESS_DENIED, a bad handle ERROR_INVALID_HANDLE (spec
 * 8.3); otherwise ERROR_INVALID_PARAMETER.  On failure the route stays
 * locked and the edits stay in the shadow.
 */
static DWORD no_shadow_error(struct lrtm_reg *reg, uint64_t h)
{
	struct rtm_peek p;
	int err;

	memset(&p, 0, sizeof(p));
	p.kind = RTM_LK_ROUTE;
	p.handle = h;
	err = lrtm_ioctl(reg->fd, RTM_IOC_PEEK, &p);
	if (err == EACCES || err == ESTALE)
		return lrtm_win32_error(err);
	return ERROR_INVALID_PARAMETER;
}

DWORD WINAPI RtmUpdateAndUnlockRoute(RTM_ENTITY_HANDLE RtmRegHandle,
				     RTM_ROUTE_HANDLE RouteHandle,
				     ULONG TimeToLive,
				     RTM_ROUTE_LIST_HANDLE RouteListHandle,
				     RTM_NOTIFY_FLAGS NotifyType,
				     RTM_NOTIFY_HANDLE NotifyHandle,
				     PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t h = lrtm_h2u(RouteHandle);
	struct rtm_update_route arg;
	const RTM_ROUTE_INFO *s;
	struct lrtm_u64buf nh;
	DWORD ret;
	int err;

	/* Reserved (8.3): ignored. */
	(void)NotifyType;
	(void)NotifyHandle;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!TimeToLive)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!h)
		goto out;
	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (!lrtm_nh_buf_init(&nh, reg))
		goto out;
	memset(&arg, 0, sizeof(arg));
	pthread_mutex_lock(&reg->route_shadows.lock);
	s = lrtm_shadow_find(&reg->route_shadows, h);
	/* Too many next hops for the profile: ERROR_INVALID_PARAMETER. */
	ret = s ? lrtm_route_in(reg, s, nh.p, &arg.rec)
		: ERROR_INVALID_PARAMETER;
	pthread_mutex_unlock(&reg->route_shadows.lock);
	if (!s)
		ret = no_shadow_error(reg, h);
	if (ret)
		goto out_nh;
	arg.handle = h;
	arg.ttl = TimeToLive;
	arg.list = lrtm_h2u(RouteListHandle);
	err = lrtm_ioctl(reg->fd, RTM_IOC_UPDATE_ROUTE, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out_nh;
	held_del(reg, RTM_LK_ROUTE, h);
	shadow_unpin(&reg->route_shadows, h);
	if (ChangeFlags)
		*ChangeFlags = arg.change_flags;
out_nh:
	lrtm_u64buf_fini(&nh);
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmLockNextHop(RTM_ENTITY_HANDLE RtmRegHandle,
			    RTM_NEXTHOP_HANDLE NextHopHandle, BOOL Exclusive,
			    BOOL LockNextHop, PRTM_NEXTHOP_INFO *NextHopPointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t h = lrtm_h2u(NextHopHandle);
	uint32_t flags = Exclusive ? RTM_LK_EXCLUSIVE : 0;
	struct lrtm_shadow_tab *tab;
	RTM_NEXTHOP_INFO *s;
	struct rtm_lock arg;
	bool pinned = true;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	tab = &reg->nexthop_shadows;
	ret = ERROR_INVALID_HANDLE;
	if (!h)
		goto out;
	if (!LockNextHop) {
		flags |= RTM_LK_UNLOCK;
		memset(&arg, 0, sizeof(arg));
		if (Exclusive) {
			/* Changes take effect at unlock (10.5). */
			pthread_mutex_lock(&tab->lock);
			s = lrtm_shadow_find(tab, h);
			if (s) {
				lrtm_nexthop_in(s, &arg.nh);
				flags |= RTM_LK_COMMIT;
			}
			pthread_mutex_unlock(&tab->lock);
		}
		arg.kind = RTM_LK_NEXTHOP;
		arg.flags = flags;
		arg.handle = h;
		err = lrtm_ioctl(reg->fd, RTM_IOC_LOCK, &arg);
		ret = lrtm_win32_error(err);
		if (err)
			goto out;
		held_del(reg, RTM_LK_NEXTHOP, h);
		if (Exclusive) {
			shadow_unpin(tab, h);
			lrtm_nexthop_peek(reg, h, &s);
		}
		goto out;
	}

	ret = ERROR_NOT_ENOUGH_MEMORY;
	if (nheld == MAX_HELD)
		goto out;
	err = lock_ioctl(reg, RTM_LK_NEXTHOP, flags, h, NULL, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	s = lrtm_nexthop_shadow(reg, h, &arg.nh);
	if (s && Exclusive)
		shadow_pin(tab, h, &pinned);
	if (!s || !pinned) {
		undo_lock(reg, RTM_LK_NEXTHOP, flags, h);
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	held_add(reg, RTM_LK_NEXTHOP, Exclusive, h);
	if (NextHopPointer)
		*NextHopPointer = s;
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Any entity may lock any destination (11.1).  The opaque cell is
 * reported before the unlock, while the lock still keeps other threads of
 * the registration away from it.
 */
DWORD WINAPI RtmLockDestination(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_DEST_HANDLE DestHandle, BOOL Exclusive,
				BOOL LockDest)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t h = lrtm_h2u(DestHandle);
	uint32_t flags = Exclusive ? RTM_LK_EXCLUSIVE : 0;
	struct rtm_lock arg;
	struct held *e;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (!h)
		goto out;
	if (LockDest) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
		if (nheld == MAX_HELD)
			goto out;
		err = lock_ioctl(reg, RTM_LK_DEST, flags, h, NULL, &arg);
		ret = lrtm_win32_error(err);
		if (!err)
			held_add(reg, RTM_LK_DEST, Exclusive, h);
		goto out;
	}
	e = held_find(reg, RTM_LK_DEST, h);
	if (Exclusive && e && e->exclusive)
		lrtm_opaque_sync(reg, h);
	err = lock_ioctl(reg, RTM_LK_DEST, flags | RTM_LK_UNLOCK, h, NULL,
			 &arg);
	ret = lrtm_win32_error(err);
	if (!err)
		held_del(reg, RTM_LK_DEST, h);
out:
	lrtm_reg_put(reg);
	return ret;
}
