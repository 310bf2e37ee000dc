/*
 * unsupported.c - the RTMv2 functions librtm does not provide yet.
 *
 * They exist so that every RTMv2 client links; each returns
 * ERROR_NOT_SUPPORTED without looking at its arguments.  Issue 4 brings
 * entity methods, hold-down, direct route/next-hop access (shadow.c is
 * ready for it), destination locks and opaque pointers, change
 * notification and route lists, and removes them from here one by one.
 */
#include "internal.h"

DWORD WINAPI RtmGetEntityMethods(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ENTITY_HANDLE EntityHandle,
		PUINT NumMethods,
		PRTM_ENTITY_EXPORT_METHOD ExptMethods)
{
	(void)RtmRegHandle;
	(void)EntityHandle;
	(void)NumMethods;
	(void)ExptMethods;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmInvokeMethod(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ENTITY_HANDLE EntityHandle,
		PRTM_ENTITY_METHOD_INPUT Input,
		PUINT OutputSize,
		PRTM_ENTITY_METHOD_OUTPUT Output)
{
	(void)RtmRegHandle;
	(void)EntityHandle;
	(void)Input;
	(void)OutputSize;
	(void)Output;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmBlockMethods(RTM_ENTITY_HANDLE RtmRegHandle,
		HANDLE TargetHandle,
		UCHAR TargetType,
		DWORD BlockingFlag)
{
	(void)RtmRegHandle;
	(void)TargetHandle;
	(void)TargetType;
	(void)BlockingFlag;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmHoldDestination(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_DEST_HANDLE DestHandle,
		RTM_VIEW_SET TargetViews,
		ULONG HoldTime)
{
	(void)RtmRegHandle;
	(void)DestHandle;
	(void)TargetViews;
	(void)HoldTime;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetRoutePointer(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_HANDLE RouteHandle,
		PRTM_ROUTE_INFO *RoutePointer)
{
	(void)RtmRegHandle;
	(void)RouteHandle;
	(void)RoutePointer;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmLockRoute(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_HANDLE RouteHandle,
		BOOL Exclusive,
		BOOL LockRoute,
		PRTM_ROUTE_INFO *RoutePointer)
{
	(void)RtmRegHandle;
	(void)RouteHandle;
	(void)Exclusive;
	(void)LockRoute;
	(void)RoutePointer;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmUpdateAndUnlockRoute(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_HANDLE RouteHandle,
		ULONG TimeToLive,
		RTM_ROUTE_LIST_HANDLE RouteListHandle,
		RTM_NOTIFY_FLAGS NotifyType,
		RTM_NOTIFY_HANDLE NotifyHandle,
		PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	(void)RtmRegHandle;
	(void)RouteHandle;
	(void)TimeToLive;
	(void)RouteListHandle;
	(void)NotifyType;
	(void)NotifyHandle;
	(void)ChangeFlags;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetNextHopPointer(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NEXTHOP_HANDLE NextHopHandle,
		PRTM_NEXTHOP_INFO *NextHopPointer)
{
	(void)RtmRegHandle;
	(void)NextHopHandle;
	(void)NextHopPointer;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmLockNextHop(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NEXTHOP_HANDLE NextHopHandle,
		BOOL Exclusive,
		BOOL LockNextHop,
		PRTM_NEXTHOP_INFO *NextHopPointer)
{
	(void)RtmRegHandle;
	(void)NextHopHandle;
	(void)Exclusive;
	(void)LockNextHop;
	(void)NextHopPointer;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmLockDestination(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_DEST_HANDLE DestHandle,
		BOOL Exclusive,
		BOOL LockDest)
{
	(void)RtmRegHandle;
	(void)DestHandle;
	(void)Exclusive;
	(void)LockDest;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetOpaqueInformationPointer(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_DEST_HANDLE DestHandle,
		PVOID *OpaqueInfoPointer)
{
	(void)RtmRegHandle;
	(void)DestHandle;
	(void)OpaqueInfoPointer;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmRegisterForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_VIEW_SET TargetViews,
		RTM_NOTIFY_FLAGS NotifyFlags,
		PVOID NotifyContext,
		PRTM_NOTIFY_HANDLE NotifyHandle)
{
	(void)RtmRegHandle;
	(void)TargetViews;
	(void)NotifyFlags;
	(void)NotifyContext;
	(void)NotifyHandle;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		PUINT NumDests,
		PRTM_DEST_INFO ChangedDests)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)NumDests;
	(void)ChangedDests;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmReleaseChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		UINT NumDests,
		PRTM_DEST_INFO ChangedDests)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)NumDests;
	(void)ChangedDests;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmIgnoreChangedDests(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		UINT NumDests,
		PRTM_DEST_HANDLE ChangedDests)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)NumDests;
	(void)ChangedDests;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetChangeStatus(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		RTM_DEST_HANDLE DestHandle,
		PBOOL ChangeStatus)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)DestHandle;
	(void)ChangeStatus;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmMarkDestForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		RTM_DEST_HANDLE DestHandle,
		BOOL MarkDest)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)DestHandle;
	(void)MarkDest;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmIsMarkedForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle,
		RTM_DEST_HANDLE DestHandle,
		PBOOL DestMarked)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	(void)DestHandle;
	(void)DestMarked;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmDeregisterFromChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_NOTIFY_HANDLE NotifyHandle)
{
	(void)RtmRegHandle;
	(void)NotifyHandle;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmCreateRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
		PRTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	(void)RtmRegHandle;
	(void)RouteListHandle;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmInsertInRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_LIST_HANDLE RouteListHandle,
		UINT NumRoutes,
		PRTM_ROUTE_HANDLE RouteHandles)
{
	(void)RtmRegHandle;
	(void)RouteListHandle;
	(void)NumRoutes;
	(void)RouteHandles;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmCreateRouteListEnum(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_LIST_HANDLE RouteListHandle,
		PRTM_ENUM_HANDLE RtmEnumHandle)
{
	(void)RtmRegHandle;
	(void)RouteListHandle;
	(void)RtmEnumHandle;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmGetListEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ENUM_HANDLE EnumHandle,
		PUINT NumRoutes,
		PRTM_ROUTE_HANDLE RouteHandles)
{
	(void)RtmRegHandle;
	(void)EnumHandle;
	(void)NumRoutes;
	(void)RouteHandles;
	return ERROR_NOT_SUPPORTED;
}

DWORD WINAPI RtmDeleteRouteList(RTM_ENTITY_HANDLE RtmRegHandle,
		RTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	(void)RtmRegHandle;
	(void)RouteListHandle;
	return ERROR_NOT_SUPPORTED;
}
