// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The batch extension (rtm_ext.h): many RtmAddRouteToDest or
 * RtmDeleteRouteToDest in one RTM_IOC_ADD_ROUTES / RTM_IOC_DELETE_ROUTES.
 *
 * Each entry is checked and converted exactly as the single call does it;
 * an entry the library itself rejects never reaches the kernel and gets
 * the single call's status.  The rest go down in chunks of at most
 * LRTM_BATCH entries, so memory stays bounded whatever Count is.
 */
#include "internal.h"

#define LRTM_BATCH 256
_Static_assert(LRTM_BATCH <= RTM_MAX_BATCH, "batch chunk too big");
_Static_assert(RTM_EXT_MAX_BATCH == RTM_MAX_BATCH, "rtm_ext.h out of date");

/* Scratch of one chunk: kernel entries, their statuses and next hops. */
struct add_chunk {
	struct rtm_add_route arg[LRTM_BATCH];
	int32_t status[LRTM_BATCH];
	ULONG idx[LRTM_BATCH];		/* arg[k] is Entries[idx[k]] */
	uint64_t *nh;			/* LRTM_BATCH * max next hops */
	unsigned int max_nh;
};

/* The checks and conversion of RtmAddRouteToDest, into @arg. */
static DWORD add_entry_in(struct lrtm_reg *reg, const RTM_EXT_ADD_ROUTE *e,
			  uint64_t *nh, struct rtm_add_route *arg)
{
	bool by_handle = e->RouteHandle != NULL;
	DWORD ret;

	if (!e->RouteInfo || e->TimeToLive == 0)
		return ERROR_INVALID_PARAMETER;
	if (!e->DestAddress && !by_handle)
		return ERROR_INVALID_PARAMETER;
	if (by_handle && e->WantHandle)
		return ERROR_INVALID_PARAMETER;
	memset(arg, 0, sizeof(*arg));
	ret = lrtm_route_in(reg, e->RouteInfo, nh, &arg->rec);
	if (ret)
		return ret;
	if (e->DestAddress) {
		ret = lrtm_addr_in(reg, e->DestAddress, &arg->dest_addr);
		if (ret)
			return ret;
		arg->flags |= RTM_RT_HAVE_DEST;
	}
	if (by_handle) {
		arg->flags |= RTM_RT_BY_HANDLE;
		arg->handle = lrtm_h2u(e->RouteHandle);
	} else {
		if (e->WantHandle)
			arg->flags |= RTM_RT_WANT_HANDLE;
		/* The input selector: FIRST and NEW only (spec 7.1). */
		arg->change_flags = e->ChangeFlags &
			(RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW);
	}
	arg->ttl = e->TimeToLive;
	arg->list = lrtm_h2u(e->RouteListHandle);
	return NO_ERROR;
}

/*
 * Sends @n entries (struct rtm_add_route or rtm_delete_route) at
 * @entries with statuses to @status.  Returns the number processed;
 * *@err is 0 or the errno that stopped the call.
 */
static unsigned int batch_ioctl(struct lrtm_reg *reg, unsigned long cmd,
				void *entries, int32_t *status,
				unsigned int n, int *err)
{
	struct rtm_route_batch b = {
		.count = n,
		.entries = (uint64_t)(uintptr_t)entries,
		.status = (uint64_t)(uintptr_t)status,
	};

	*err = lrtm_ioctl(reg->fd, cmd, &b);
	if (!*err)
		return n;
	/* The header was not written back on -EFAULT before any chunk. */
	return b.done <= n ? b.done : 0;
}

static DWORD add_chunk(struct lrtm_reg *reg, struct add_chunk *c,
		       PRTM_EXT_ADD_ROUTE e, ULONG count)
{
	unsigned int k = 0, done, i;
	int err;

	for (i = 0; i < count; i++) {
		uint64_t *nh = c->nh + (size_t)k * c->max_nh;

		e[i].Status = add_entry_in(reg, &e[i], nh, &c->arg[k]);
		if (e[i].Status == NO_ERROR)
			c->idx[k++] = i;
	}
	if (!k)
		return NO_ERROR;
	done = batch_ioctl(reg, RTM_IOC_ADD_ROUTES, c->arg, c->status, k,
			   &err);
	for (i = 0; i < k; i++) {
		PRTM_EXT_ADD_ROUTE x = &e[c->idx[i]];

		if (i >= done) {
			x->Status = lrtm_win32_error(err);
			continue;
		}
		x->Status = lrtm_win32_error(-c->status[i]);
		if (x->Status != NO_ERROR)
			continue;
		if (c->arg[i].flags & RTM_RT_WANT_HANDLE)
			x->RouteHandle = lrtm_u2h(c->arg[i].handle);
		x->ChangeFlags = c->arg[i].change_flags;
	}
	return done == k ? NO_ERROR : lrtm_win32_error(err);
}

DWORD WINAPI RtmExtAddRoutesToDest(RTM_ENTITY_HANDLE RtmRegHandle,
				   ULONG Count, PRTM_EXT_ADD_ROUTE Entries,
				   PULONG Processed)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct add_chunk *c = NULL;
	ULONG done = 0, n;
	DWORD ret;

	if (Processed)
		*Processed = 0;
	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!Count || !Entries)
		goto out;
	ret = ERROR_NOT_ENOUGH_MEMORY;
	c = malloc(sizeof(*c));
	if (!c)
		goto out;
	c->max_nh = reg->profile.MaxNextHopsInRoute ?
		    reg->profile.MaxNextHopsInRoute : 1;
	c->nh = calloc((size_t)LRTM_BATCH * c->max_nh, sizeof(uint64_t));
	if (!c->nh)
		goto out;
	ret = NO_ERROR;
	while (done < Count && ret == NO_ERROR) {
		n = Count - done < LRTM_BATCH ? Count - done : LRTM_BATCH;
		ret = add_chunk(reg, c, Entries + done, n);
		if (ret == NO_ERROR)
			done += n;
	}
	if (Processed)
		*Processed = done;
out:
	if (c)
		free(c->nh);
	free(c);
	lrtm_reg_put(reg);
	return ret;
}

DWORD WINAPI RtmExtDeleteRoutesToDest(RTM_ENTITY_HANDLE RtmRegHandle,
				      ULONG Count,
				      PRTM_EXT_DELETE_ROUTE Entries,
				      PULONG Processed)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_delete_route arg[LRTM_BATCH];
	int32_t status[LRTM_BATCH];
	ULONG idx[LRTM_BATCH];
	unsigned int k, i, got;
	ULONG done = 0, n;
	DWORD ret;
	int err;

	if (Processed)
		*Processed = 0;
	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!Count || !Entries)
		goto out;
	ret = NO_ERROR;
	while (done < Count && ret == NO_ERROR) {
		PRTM_EXT_DELETE_ROUTE e = Entries + done;

		n = Count - done < LRTM_BATCH ? Count - done : LRTM_BATCH;
		for (i = k = 0; i < n; i++) {
			/* RtmDeleteRouteToDest's check of a NULL handle. */
			e[i].Status = e[i].RouteHandle ? NO_ERROR :
						      ERROR_INVALID_HANDLE;
			if (!e[i].RouteHandle)
				continue;
			memset(&arg[k], 0, sizeof(arg[k]));
			arg[k].handle = lrtm_h2u(e[i].RouteHandle);
			idx[k++] = i;
		}
		got = k ? batch_ioctl(reg, RTM_IOC_DELETE_ROUTES, arg, status,
				      k, &err) : 0;
		for (i = 0; i < k; i++) {
			PRTM_EXT_DELETE_ROUTE x = &e[idx[i]];

			if (i >= got) {
				x->Status = lrtm_win32_error(err);
				continue;
			}
			x->Status = lrtm_win32_error(-status[i]);
			if (x->Status == NO_ERROR)
				x->ChangeFlags = arg[i].change_flags;
		}
		if (got < k)
			ret = lrtm_win32_error(err);
		else
			done += n;
	}
	if (Processed)
		*Processed = done;
out:
	lrtm_reg_put(reg);
	return ret;
}
