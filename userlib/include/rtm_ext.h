/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtm_ext.h - Linux extensions of librtm that Windows RTMv2 does not have.
 *
 * Batch calls: add, update or delete many routes with one ioctl.  Each
 * entry is processed exactly as the single-route call would process it
 * (same validation, same ranking, same change flags, same notifications),
 * in array order, and gets its own status; one entry's failure does not
 * stop the others.  The win is the cost of the crossing: one system call
 * and one hold of the table's writer lock per chunk of routes instead of
 * one per route.
 *
 * Include after rtmv2.h.
 */
#ifndef RTM_EXT_H
#define RTM_EXT_H

#include "rtmv2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Routes per ioctl; longer arrays are sent in several calls. */
#define RTM_EXT_MAX_BATCH 1024

/*
 * One RtmAddRouteToDest.  The fields are the parameters of that call:
 *   RouteHandle     in: non-NULL names the route to update (mode "by
 *                   handle", DestAddress may then be NULL); out: with
 *                   WantHandle, the new route's handle (a reference the
 *                   caller releases), as *RouteHandle of the single call
 *   WantHandle      TRUE: return the handle (RouteHandle NULL on input)
 *   DestAddress     the destination, or NULL with a RouteHandle
 *   RouteInfo       the route (not changed by the call)
 *   TimeToLive      milliseconds, INFINITE for never
 *   RouteListHandle a route list of the caller, or NULL
 *   ChangeFlags     in: RTM_ROUTE_CHANGE_FIRST/NEW selector; out: flags
 *   Status          out: the DWORD RtmAddRouteToDest would have returned
 */
typedef struct _RTM_EXT_ADD_ROUTE {
	RTM_ROUTE_HANDLE	RouteHandle;
	BOOL			WantHandle;
	PRTM_NET_ADDRESS	DestAddress;
	PRTM_ROUTE_INFO		RouteInfo;
	ULONG			TimeToLive;
	RTM_ROUTE_LIST_HANDLE	RouteListHandle;
	RTM_ROUTE_CHANGE_FLAGS	ChangeFlags;
	DWORD			Status;
} RTM_EXT_ADD_ROUTE, *PRTM_EXT_ADD_ROUTE;

/*
 * Adds or updates Count routes of the caller (entries as above).
 * Returns NO_ERROR when every entry was processed, whatever each Status
 * says; ERROR_INVALID_HANDLE for a bad RtmRegHandle;
 * ERROR_INVALID_PARAMETER for Count 0 or a NULL Entries; or the error that
 * stopped processing (e.g. ERROR_NOT_ENOUGH_MEMORY), in which case
 * *Processed (optional) tells how many leading entries have their Status.
 */
DWORD WINAPI RtmExtAddRoutesToDest(RTM_ENTITY_HANDLE RtmRegHandle,
				   ULONG Count, PRTM_EXT_ADD_ROUTE Entries,
				   PULONG Processed);

/*
 * One RtmDeleteRouteToDest.  The caller's reference on RouteHandle is
 * consumed only if Status is NO_ERROR, as with the single call.
 */
typedef struct _RTM_EXT_DELETE_ROUTE {
	RTM_ROUTE_HANDLE	RouteHandle;
	RTM_ROUTE_CHANGE_FLAGS	ChangeFlags;	/* out */
	DWORD			Status;		/* out */
} RTM_EXT_DELETE_ROUTE, *PRTM_EXT_DELETE_ROUTE;

/* Deletes Count routes; returns as RtmExtAddRoutesToDest. */
DWORD WINAPI RtmExtDeleteRoutesToDest(RTM_ENTITY_HANDLE RtmRegHandle,
				      ULONG Count,
				      PRTM_EXT_DELETE_ROUTE Entries,
				      PULONG Processed);

#ifdef __cplusplus
}
#endif

#endif /* RTM_EXT_H */
