/*
 * opaque.c - opaque pointer slots (spec part 1, 11.2 and 2.10 P2; part 2,
 * 2.14).
 *
 * The slot reserved at registration (ReserveOpaquePointer) is, in every
 * destination, a pointer-sized cell private to the entity.  Its value is
 * a pointer of the owning process, so the cells live here: per
 * registration, one struct lrtm_opaque_cell per destination handle, kept
 * in a shadow store (shadow.c) so that its address is stable for the life
 * of the registration and freed with it.  The kernel only accounts for the
 * slot and needs to know which cells are non-NULL (a destination with one
 * stays in the table, 2.6): RtmLockDestination's exclusive unlock tells it
 * when a cell changed between NULL and non-NULL (RTM_IOC_OPAQUE SET /
 * CLEAR), which is when the documented protocol writes cells.  At
 * deregistration the kernel clears the registration's cells itself.
 */
#include "internal.h"

DWORD WINAPI RtmGetOpaqueInformationPointer(RTM_ENTITY_HANDLE RtmRegHandle,
					    RTM_DEST_HANDLE DestHandle,
					    PVOID *OpaqueInfoPointer)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_opaque_cell *cell;
	struct rtm_opaque arg;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!OpaqueInfoPointer)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!DestHandle)
		goto out;
	/* Validates the destination; -ENOENT if no slot was reserved. */
	memset(&arg, 0, sizeof(arg));
	arg.dest = lrtm_h2u(DestHandle);
	arg.op = RTM_OP_GET;
	err = lrtm_ioctl(reg->fd, RTM_IOC_OPAQUE, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	pthread_mutex_lock(&reg->opaque_cells.lock);
	cell = lrtm_shadow_get(&reg->opaque_cells, arg.dest);
	pthread_mutex_unlock(&reg->opaque_cells.lock);
	if (!cell) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	*OpaqueInfoPointer = &cell->value;
out:
	lrtm_reg_put(reg);
	return ret;
}

void lrtm_opaque_sync(struct lrtm_reg *reg, uint64_t dest)
{
	struct lrtm_opaque_cell *cell;
	struct rtm_opaque arg;
	bool set;

	if (!reg->reserve_opaque)
		return;
	pthread_mutex_lock(&reg->opaque_cells.lock);
	cell = lrtm_shadow_find(&reg->opaque_cells, dest);
	set = cell && cell->value;
	if (!cell || set == cell->told_set) {
		pthread_mutex_unlock(&reg->opaque_cells.lock);
		return;
	}
	pthread_mutex_unlock(&reg->opaque_cells.lock);
	memset(&arg, 0, sizeof(arg));
	arg.dest = dest;
	arg.op = set ? RTM_OP_SET : RTM_OP_CLEAR;
	if (lrtm_ioctl(reg->fd, RTM_IOC_OPAQUE, &arg))
		return;		/* told next time */
	pthread_mutex_lock(&reg->opaque_cells.lock);
	cell->told_set = set;
	pthread_mutex_unlock(&reg->opaque_cells.lock);
}
