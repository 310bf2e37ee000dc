/*
 * notify.c - change notification (spec part 2, 2.17 and 3.11-3.18).
 *
 * A notification registration lives in the kernel, which keeps each
 * destination's changed and marked bits and queues one edge-triggered
 * RTM_EV_CHANGE_NOTIFICATION when the pending set becomes non-empty.
 * Every call here is one ioctl: RTM_IOC_NOTIFY_REGISTER,
 * RTM_IOC_NOTIFY_GET (RtmGetChangedDests, filled like RtmGetEnumDests),
 * and RTM_IOC_NOTIFY_OP for the rest.
 *
 * The library remembers the notification handles each registration
 * holds, under the registration's callback lock: the event thread calls
 * back only for those, so no callback for a notification registration
 * starts after RtmDeregisterFromChangeNotification has returned (3.18),
 * and a registration made while its callback runs elsewhere is known
 * before its first event can be delivered.
 */
#include <errno.h>

#include "internal.h"

bool lrtm_notify_live(struct lrtm_reg *reg, uint64_t h)
{
	unsigned int i;

	for (i = 0; i < reg->num_notify; i++)
		if (reg->notify[i] == h)
			return true;
	return false;
}

static void notify_forget(struct lrtm_reg *reg, uint64_t h)
{
	unsigned int i;

	for (i = 0; i < reg->num_notify; i++) {
		if (reg->notify[i] == h) {
			reg->notify[i] = reg->notify[--reg->num_notify];
			return;
		}
	}
}

static int notify_op(struct lrtm_reg *reg, RTM_NOTIFY_HANDLE NotifyHandle,
		     uint32_t op, uint64_t dest, uint32_t count,
		     uint32_t *result)
{
	struct rtm_notify_op_arg arg;
	int err;

	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(NotifyHandle);
	arg.op = op;
	arg.dest = dest;
	arg.count = count;
	err = lrtm_ioctl(reg->fd, RTM_IOC_NOTIFY_OP, &arg);
	if (!err && result)
		*result = arg.result;
	return err;
}

/*
 * Forbidden inside an RTM_CHANGE_NOTIFICATION callback (spec 3.11).  The
 * registration is made with the callback lock held (unless this thread
 * runs one of the registration's callbacks and so holds it already), so
 * that the event thread cannot see the new handle's first event before
 * the handle is on the registration's list.
 */
DWORD WINAPI RtmRegisterForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
					      RTM_VIEW_SET TargetViews,
					      RTM_NOTIFY_FLAGS NotifyFlags,
					      PVOID NotifyContext,
					      PRTM_NOTIFY_HANDLE NotifyHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_notify_register arg;
	DWORD ret;
	bool taken;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (lrtm_cb.type == RTM_CHANGE_NOTIFICATION || !NotifyHandle)
		goto out;
	if (!(NotifyFlags & RTM_NOTIFY_TYPES) ||
	    (NotifyFlags & ~(RTM_NOTIFY_TYPES | RTM_NOTIFY_MARKED)))
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.views = TargetViews;
	arg.flags = NotifyFlags;
	arg.context = lrtm_h2u(NotifyContext);

	taken = lrtm_cb_lock(reg);
	err = lrtm_ioctl(reg->fd, RTM_IOC_NOTIFY_REGISTER, &arg);
	ret = lrtm_win32_error(err);
	if (!err) {
		if (reg->num_notify < RTM_MAX_NOTIFY) {
			reg->notify[reg->num_notify++] = arg.handle;
		} else {
			/* More than the table allows: a kernel bug. */
			notify_op(reg, lrtm_u2h(arg.handle),
				  RTM_NO_DEREGISTER, 0, 0, NULL);
			ret = ERROR_NO_SYSTEM_RESOURCES;
		}
	}
	lrtm_cb_unlock(reg, taken);
	if (!ret)
		*NotifyHandle = lrtm_u2h(arg.handle);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Batches follow the enumeration rules (spec part 2, 2.16, 3.12): the
 * kernel's RTM_EG_END (the pending set is now empty, which also re-arms
 * the callback) is ERROR_NO_MORE_ITEMS together with the items returned.
 */
DWORD WINAPI RtmGetChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_NOTIFY_HANDLE NotifyHandle,
				PUINT NumDests, PRTM_DEST_INFO ChangedDests)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_dest_rec *recs;
	struct rtm_notify_get arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	if (!lrtm_batch_check(reg, NotifyHandle, NumDests, ChangedDests,
			      &ret))
		goto out;
	recs = calloc(*NumDests, sizeof(*recs));
	if (!recs) {
		*NumDests = 0;
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	memset(&arg, 0, sizeof(arg));
	arg.handle = lrtm_h2u(NotifyHandle);
	arg.count = *NumDests;
	arg.buf = (uint64_t)(uintptr_t)recs;
	err = lrtm_ioctl(reg->fd, RTM_IOC_NOTIFY_GET, &arg);
	if (!err && arg.count > *NumDests)
		err = EINVAL;	/* never overrun the caller */
	if (err) {
		*NumDests = 0;
		ret = lrtm_win32_error(err);
	} else {
		lrtm_dests_out(reg, recs, arg.count, ChangedDests);
		*NumDests = arg.count;
		ret = (arg.status & RTM_EG_END) ? ERROR_NO_MORE_ITEMS
						: NO_ERROR;
	}
	free(recs);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * The same references as RtmReleaseDests; the notification handle must
 * be one of the caller's, deregistered ones included (spec 3.13, 3.18).
 */
DWORD WINAPI RtmReleaseChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
				    RTM_NOTIFY_HANDLE NotifyHandle,
				    UINT NumDests, PRTM_DEST_INFO ChangedDests)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (NumDests && !ChangedDests)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!NotifyHandle)
		goto out;
	err = notify_op(reg, NotifyHandle, RTM_NO_CHECK, 0, 0, NULL);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	ret = lrtm_release_dest_array(reg, NumDests, ChangedDests);
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * Destination handles, not infos; they are not consumed.  Arrays longer
 * than one ioctl takes go in several calls.
 */
DWORD WINAPI RtmIgnoreChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
				   RTM_NOTIFY_HANDLE NotifyHandle,
				   UINT NumDests, PRTM_DEST_HANDLE ChangedDests)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t buf[LRTM_RELBUF_CAP];
	UINT done = 0, n, i;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (NumDests && !ChangedDests)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!NotifyHandle)
		goto out;
	do {
		n = NumDests - done;
		if (n > LRTM_RELBUF_CAP)
			n = LRTM_RELBUF_CAP;
		for (i = 0; i < n; i++)
			buf[i] = lrtm_h2u(ChangedDests[done + i]);
		err = notify_op(reg, NotifyHandle, RTM_NO_IGNORE,
				n ? (uint64_t)(uintptr_t)buf : 0, n, NULL);
		done += n;
	} while (!err && done < NumDests);
	ret = lrtm_win32_error(err);
out:
	lrtm_reg_put(reg);
	return ret;
}

/* RtmGetChangeStatus and RtmIsMarkedForChangeNotification. */
static DWORD notify_query(RTM_ENTITY_HANDLE RtmRegHandle,
			  RTM_NOTIFY_HANDLE NotifyHandle,
			  RTM_DEST_HANDLE DestHandle, uint32_t op,
			  PBOOL Answer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint32_t result = 0;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!Answer)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!NotifyHandle || !DestHandle)
		goto out;
	err = notify_op(reg, NotifyHandle, op, lrtm_h2u(DestHandle), 0,
			&result);
	ret = lrtm_win32_error(err);
	if (!err)
		*Answer = result ? TRUE : FALSE;
out:
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmGetChangeStatus(RTM_ENTITY_HANDLE RtmRegHandle,
				RTM_NOTIFY_HANDLE NotifyHandle,
				RTM_DEST_HANDLE DestHandle, PBOOL ChangeStatus)
{
	return notify_query(RtmRegHandle, NotifyHandle, DestHandle,
			    RTM_NO_STATUS, ChangeStatus);
}

DWORD WINAPI RtmIsMarkedForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
					      RTM_NOTIFY_HANDLE NotifyHandle,
					      RTM_DEST_HANDLE DestHandle,
					      PBOOL DestMarked)
{
	return notify_query(RtmRegHandle, NotifyHandle, DestHandle,
			    RTM_NO_IS_MARKED, DestMarked);
}

DWORD WINAPI RtmMarkDestForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
					      RTM_NOTIFY_HANDLE NotifyHandle,
					      RTM_DEST_HANDLE DestHandle,
					      BOOL MarkDest)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (NotifyHandle && DestHandle)
		ret = lrtm_win32_error(notify_op(reg, NotifyHandle,
				MarkDest ? RTM_NO_MARK : RTM_NO_UNMARK,
				lrtm_h2u(DestHandle), 0, NULL));
	lrtm_reg_put(reg);
	return ret;
}

/*
 * A callback of this registration that is running is waited for (the
 * callback lock), unless the call comes from inside it (spec 3.18).
 */
DWORD WINAPI RtmDeregisterFromChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
						 RTM_NOTIFY_HANDLE NotifyHandle)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	DWORD ret;
	bool taken;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_HANDLE;
	if (!NotifyHandle)
		goto out;
	taken = lrtm_cb_lock(reg);
	err = notify_op(reg, NotifyHandle, RTM_NO_DEREGISTER, 0, 0, NULL);
	if (!err)
		notify_forget(reg, lrtm_h2u(NotifyHandle));
	lrtm_cb_unlock(reg, taken);
	ret = lrtm_win32_error(err);
out:
	lrtm_reg_put(reg);
	return ret;
}
