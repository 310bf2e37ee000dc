// SPDX-License-Identifier: GPL-2.0
/*
 * header_test - checks of the public librtm header <rtmv2.h>.
 *
 * Compile-time: the Win32 base type widths, every structure size, alignment
 * and field offset of the LP64 layouts in the specification (part 2,
 * section 4), the constant values (part 2, section 5; error codes, section
 * 7), the size macros (section 6.2) and the type of each of the 57 function
 * prototypes.
 *
 * Run time: the IPv4 helper macros (section 6.1) and the size macros.
 *
 * Declarations only: nothing here calls librtm or opens /dev/rtm, so the
 * test needs neither the library nor the kernel module.
 *
 * Build: cc -std=gnu11 -Wall -Wextra -Werror -I userlib/include \
 *           -I <kselftest harness dir> selftests/header_test.c
 */
/*
 * The 6.1 kselftest_harness.h leaves parameters unused (the signal handler
 * and the "variant" argument of every TEST() wrapper), which -Wextra
 * -Werror rejects; the generated wrappers live in this file, so the warning
 * is turned off for the whole file.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include "kselftest_harness.h"

#include <rtmv2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SA(expr) _Static_assert(expr, #expr)

#define SIZE_ALIGN(type, size, align) \
	SA(sizeof(type) == (size)); \
	SA(_Alignof(type) == (align))

#define OFF(type, field, off) SA(offsetof(type, field) == (off))

#define SAME_TYPE(a, b) __builtin_types_compatible_p(a, b)

/* ---------------------------------------------------------------------- */
/* Win32 base types (part 2, section 1)                                    */
/* ---------------------------------------------------------------------- */

SA(sizeof(UCHAR) == 1);
SA(sizeof(USHORT) == 2);
SA(sizeof(INT) == 4);
SA(sizeof(UINT) == 4);
SA(sizeof(DWORD) == 4);
SA(sizeof(ULONG) == 4);
SA(sizeof(LONG) == 4);
SA(sizeof(ULONGLONG) == 8);
SA(sizeof(BOOL) == 4);
SA(sizeof(WINBOOL) == 4);
SA(sizeof(PVOID) == 8);
SA(sizeof(HANDLE) == 8);
SIZE_ALIGN(FILETIME, 8, 4);
OFF(FILETIME, dwLowDateTime, 0);
OFF(FILETIME, dwHighDateTime, 4);

/* Signedness. */
SA((UCHAR)-1 > 0);
SA((USHORT)-1 > 0);
SA((INT)-1 < 0);
SA((UINT)-1 > 0);
SA((DWORD)-1 > 0);
SA((ULONG)-1 > 0);
SA((LONG)-1 < 0);
SA((ULONGLONG)-1 > 0);

/* ULONG must be the 32-bit type, never LP64 unsigned long. */
SA(SAME_TYPE(ULONG, uint32_t));
SA(!SAME_TYPE(ULONG, unsigned long));
SA(SAME_TYPE(DWORD, uint32_t));
SA(SAME_TYPE(LONG, int32_t));
SA(SAME_TYPE(BOOL, int));
SA(SAME_TYPE(WINBOOL, int));
SA(SAME_TYPE(HANDLE, void *));
SA(SAME_TYPE(PVOID, void *));
SA(SAME_TYPE(PBOOL, BOOL *));
SA(SAME_TYPE(PUINT, UINT *));
SA(SAME_TYPE(PULONG, ULONG *));
SA(SAME_TYPE(PDWORD, DWORD *));
SA(SAME_TYPE(PFILETIME, FILETIME *));

SA(TRUE == 1);
SA(FALSE == 0);
SA(INFINITE == 0xFFFFFFFFu);
SA(SAME_TYPE(__typeof__(INFINITE), unsigned int));
SA(FIELD_OFFSET(FILETIME, dwHighDateTime) == 4);

SA(AF_INET == 2);
SA(AF_INET6 == 10);	/* Linux value, not the Windows 23 */

/* ---------------------------------------------------------------------- */
/* Error codes (part 2, section 7)                                         */
/* ---------------------------------------------------------------------- */

SA(NO_ERROR == 0);
SA(ERROR_SUCCESS == 0);
SA(ERROR_FILE_NOT_FOUND == 2);
SA(ERROR_ACCESS_DENIED == 5);
SA(ERROR_INVALID_HANDLE == 6);
SA(ERROR_NOT_ENOUGH_MEMORY == 8);
SA(ERROR_INVALID_DATA == 13);
SA(ERROR_NOT_SUPPORTED == 50);
SA(ERROR_INVALID_PARAMETER == 87);
SA(ERROR_INSUFFICIENT_BUFFER == 122);
SA(ERROR_ALREADY_EXISTS == 183);
SA(ERROR_NO_MORE_ITEMS == 259);
SA(ERROR_NOT_FOUND == 1168);
SA(ERROR_NO_SYSTEM_RESOURCES == 1450);
SA(ERROR_TIMEOUT == 1460);
SA(ERROR_BAD_CONFIGURATION == 1610);

/* The error codes are usable by the preprocessor. */
#if NO_ERROR != 0 || ERROR_NO_MORE_ITEMS != 259 || ERROR_BAD_CONFIGURATION != 1610
#error "error codes not usable in #if"
#endif

/* Well-known protocol ids. */
SA(PROTO_IP_OTHER == 1);
SA(PROTO_IP_LOCAL == 2);
SA(PROTO_IP_NETMGMT == 3);
SA(PROTO_IP_ICMP == 4);
SA(PROTO_IP_RIP == 8);
SA(PROTO_IP_OSPF == 13);
SA(PROTO_IP_BGP == 14);

/* ---------------------------------------------------------------------- */
/* Scalar and handle typedefs (part 2, section 4.12)                       */
/* ---------------------------------------------------------------------- */

SA(SAME_TYPE(RTM_VIEW_ID, INT));
SA(SAME_TYPE(PRTM_VIEW_ID, INT *));
SA(SAME_TYPE(RTM_VIEW_SET, DWORD));
SA(SAME_TYPE(PRTM_VIEW_SET, DWORD *));
SA(SAME_TYPE(RTM_ENTITY_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_ENTITY_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_DEST_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_DEST_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_ROUTE_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_ROUTE_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_NEXTHOP_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_NEXTHOP_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_ENUM_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_ENUM_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_ROUTE_LIST_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_ROUTE_LIST_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_NOTIFY_HANDLE, HANDLE));
SA(SAME_TYPE(PRTM_NOTIFY_HANDLE, HANDLE *));
SA(SAME_TYPE(RTM_ROUTE_CHANGE_FLAGS, DWORD));
SA(SAME_TYPE(PRTM_ROUTE_CHANGE_FLAGS, DWORD *));
SA(SAME_TYPE(RTM_NEXTHOP_CHANGE_FLAGS, DWORD));
SA(SAME_TYPE(PRTM_NEXTHOP_CHANGE_FLAGS, DWORD *));
SA(SAME_TYPE(RTM_MATCH_FLAGS, DWORD));
SA(SAME_TYPE(PRTM_MATCH_FLAGS, DWORD *));
SA(SAME_TYPE(RTM_ENUM_FLAGS, DWORD));
SA(SAME_TYPE(PRTM_ENUM_FLAGS, DWORD *));
SA(SAME_TYPE(RTM_NOTIFY_FLAGS, DWORD));
SA(SAME_TYPE(PRTM_NOTIFY_FLAGS, DWORD *));
SA(SAME_TYPE(RTM_ENTITY_METHOD_TYPE, DWORD));
SA(SAME_TYPE(PRTM_ENTITY_METHOD_TYPE, DWORD *));

/* ---------------------------------------------------------------------- */
/* Structure layouts (part 2, section 4)                                   */
/* ---------------------------------------------------------------------- */

/* 4.1 */
SIZE_ALIGN(RTM_NET_ADDRESS, 20, 2);
OFF(RTM_NET_ADDRESS, AddressFamily, 0);
OFF(RTM_NET_ADDRESS, NumBits, 2);
OFF(RTM_NET_ADDRESS, AddrBits, 4);
SA(sizeof(((RTM_NET_ADDRESS *)0)->AddrBits) == RTM_MAX_ADDRESS_SIZE);
SA(SAME_TYPE(PRTM_NET_ADDRESS, RTM_NET_ADDRESS *));

/* 4.2 */
SIZE_ALIGN(RTM_PREF_INFO, 8, 4);
OFF(RTM_PREF_INFO, Metric, 0);
OFF(RTM_PREF_INFO, Preference, 4);
SA(SAME_TYPE(PRTM_PREF_INFO, RTM_PREF_INFO *));

/* 4.3 */
SIZE_ALIGN(RTM_NEXTHOP_LIST, 16, 8);
OFF(RTM_NEXTHOP_LIST, NumNextHops, 0);
OFF(RTM_NEXTHOP_LIST, NextHops, 8);
SA(SAME_TYPE(PRTM_NEXTHOP_LIST, RTM_NEXTHOP_LIST *));

/* 4.4 */
SIZE_ALIGN(RTM_DEST_INFO, 88, 8);
OFF(RTM_DEST_INFO, DestHandle, 0);
OFF(RTM_DEST_INFO, DestAddress, 8);
OFF(RTM_DEST_INFO, LastChanged, 28);
OFF(RTM_DEST_INFO, BelongsToViews, 36);
OFF(RTM_DEST_INFO, NumberOfViews, 40);
OFF(RTM_DEST_INFO, ViewInfo, 48);
SA(sizeof(((RTM_DEST_INFO *)0)->ViewInfo[0]) == 40);
OFF(RTM_DEST_INFO, ViewInfo[0].ViewId, 48 + 0);
OFF(RTM_DEST_INFO, ViewInfo[0].NumRoutes, 48 + 4);
OFF(RTM_DEST_INFO, ViewInfo[0].Route, 48 + 8);
OFF(RTM_DEST_INFO, ViewInfo[0].Owner, 48 + 16);
OFF(RTM_DEST_INFO, ViewInfo[0].DestFlags, 48 + 24);
OFF(RTM_DEST_INFO, ViewInfo[0].HoldRoute, 48 + 32);
OFF(RTM_DEST_INFO, ViewInfo[1].ViewId, 48 + 40);
SA(SAME_TYPE(__typeof__(((RTM_DEST_INFO *)0)->ViewInfo[0].ViewId), RTM_VIEW_ID));
SA(SAME_TYPE(__typeof__(((RTM_DEST_INFO *)0)->ViewInfo[0].Owner), RTM_ENTITY_HANDLE));
SA(SAME_TYPE(__typeof__(((RTM_DEST_INFO *)0)->LastChanged), FILETIME));
SA(SAME_TYPE(PRTM_DEST_INFO, RTM_DEST_INFO *));

/* 4.5 */
SIZE_ALIGN(RTM_ROUTE_INFO, 64, 8);
OFF(RTM_ROUTE_INFO, DestHandle, 0);
OFF(RTM_ROUTE_INFO, RouteOwner, 8);
OFF(RTM_ROUTE_INFO, Neighbour, 16);
OFF(RTM_ROUTE_INFO, State, 24);
OFF(RTM_ROUTE_INFO, Flags1, 25);
OFF(RTM_ROUTE_INFO, Flags, 26);
OFF(RTM_ROUTE_INFO, PrefInfo, 28);
OFF(RTM_ROUTE_INFO, PrefInfo.Metric, 28);
OFF(RTM_ROUTE_INFO, PrefInfo.Preference, 32);
OFF(RTM_ROUTE_INFO, BelongsToViews, 36);
OFF(RTM_ROUTE_INFO, EntitySpecificInfo, 40);
OFF(RTM_ROUTE_INFO, NextHopsList, 48);
OFF(RTM_ROUTE_INFO, NextHopsList.NumNextHops, 48);
OFF(RTM_ROUTE_INFO, NextHopsList.NextHops, 56);
SA(sizeof(((RTM_ROUTE_INFO *)0)->State) == 1);
SA(sizeof(((RTM_ROUTE_INFO *)0)->Flags1) == 1);
SA(sizeof(((RTM_ROUTE_INFO *)0)->Flags) == 2);
SA(SAME_TYPE(PRTM_ROUTE_INFO, RTM_ROUTE_INFO *));

/* 4.6 */
SIZE_ALIGN(RTM_NEXTHOP_INFO, 56, 8);
OFF(RTM_NEXTHOP_INFO, NextHopAddress, 0);
OFF(RTM_NEXTHOP_INFO, NextHopOwner, 24);
OFF(RTM_NEXTHOP_INFO, InterfaceIndex, 32);
OFF(RTM_NEXTHOP_INFO, State, 36);
OFF(RTM_NEXTHOP_INFO, Flags, 38);
OFF(RTM_NEXTHOP_INFO, EntitySpecificInfo, 40);
OFF(RTM_NEXTHOP_INFO, RemoteNextHop, 48);
SA(SAME_TYPE(PRTM_NEXTHOP_INFO, RTM_NEXTHOP_INFO *));

/* 4.7 (anonymous union and struct) */
SIZE_ALIGN(RTM_ENTITY_ID, 8, 8);
OFF(RTM_ENTITY_ID, EntityProtocolId, 0);
OFF(RTM_ENTITY_ID, EntityInstanceId, 4);
OFF(RTM_ENTITY_ID, EntityId, 0);
SA(SAME_TYPE(__typeof__(((RTM_ENTITY_ID *)0)->EntityProtocolId), ULONG));
SA(SAME_TYPE(__typeof__(((RTM_ENTITY_ID *)0)->EntityInstanceId), ULONG));
SA(SAME_TYPE(__typeof__(((RTM_ENTITY_ID *)0)->EntityId), ULONGLONG));
SA(SAME_TYPE(PRTM_ENTITY_ID, RTM_ENTITY_ID *));

/* 4.8 */
SIZE_ALIGN(RTM_ENTITY_INFO, 16, 8);
OFF(RTM_ENTITY_INFO, RtmInstanceId, 0);
OFF(RTM_ENTITY_INFO, AddressFamily, 2);
OFF(RTM_ENTITY_INFO, EntityId, 8);
SA(SAME_TYPE(PRTM_ENTITY_INFO, RTM_ENTITY_INFO *));

/* 4.9 */
SIZE_ALIGN(RTM_ENTITY_METHOD_INPUT, 12, 4);
OFF(RTM_ENTITY_METHOD_INPUT, MethodType, 0);
OFF(RTM_ENTITY_METHOD_INPUT, InputSize, 4);
OFF(RTM_ENTITY_METHOD_INPUT, InputData, 8);
SA(SAME_TYPE(PRTM_ENTITY_METHOD_INPUT, RTM_ENTITY_METHOD_INPUT *));

SIZE_ALIGN(RTM_ENTITY_METHOD_OUTPUT, 16, 4);
OFF(RTM_ENTITY_METHOD_OUTPUT, MethodType, 0);
OFF(RTM_ENTITY_METHOD_OUTPUT, MethodStatus, 4);
OFF(RTM_ENTITY_METHOD_OUTPUT, OutputSize, 8);
OFF(RTM_ENTITY_METHOD_OUTPUT, OutputData, 12);
SA(SAME_TYPE(PRTM_ENTITY_METHOD_OUTPUT, RTM_ENTITY_METHOD_OUTPUT *));

/* 4.10 */
SIZE_ALIGN(RTM_REGN_PROFILE, 16, 4);
OFF(RTM_REGN_PROFILE, MaxNextHopsInRoute, 0);
OFF(RTM_REGN_PROFILE, MaxHandlesInEnum, 4);
OFF(RTM_REGN_PROFILE, ViewsSupported, 8);
OFF(RTM_REGN_PROFILE, NumberOfViews, 12);
SA(SAME_TYPE(PRTM_REGN_PROFILE, RTM_REGN_PROFILE *));

/* 4.11 */
SIZE_ALIGN(RTM_ENTITY_EXPORT_METHODS, 16, 8);
OFF(RTM_ENTITY_EXPORT_METHODS, NumMethods, 0);
OFF(RTM_ENTITY_EXPORT_METHODS, Methods, 8);
SA(SAME_TYPE(PRTM_ENTITY_EXPORT_METHODS, RTM_ENTITY_EXPORT_METHODS *));

/* Callback types (part 1 sections 4.1 and 5.1, part 2 section 2.15). */
SA(SAME_TYPE(RTM_ENTITY_EXPORT_METHOD,
	     void (*)(RTM_ENTITY_HANDLE CallerHandle,
		      RTM_ENTITY_HANDLE CalleeHandle,
		      RTM_ENTITY_METHOD_INPUT *Input,
		      RTM_ENTITY_METHOD_OUTPUT *Output)));
SA(SAME_TYPE(_ENTITY_METHOD, RTM_ENTITY_EXPORT_METHOD));
SA(SAME_TYPE(PRTM_ENTITY_EXPORT_METHOD, RTM_ENTITY_EXPORT_METHOD *));
SA(SAME_TYPE(RTM_EVENT_CALLBACK,
	     DWORD (*)(RTM_ENTITY_HANDLE RtmRegHandle,
		       RTM_EVENT_TYPE EventType,
		       PVOID Context1,
		       PVOID Context2)));
SA(SAME_TYPE(_EVENT_CALLBACK, RTM_EVENT_CALLBACK));
SA(SAME_TYPE(PRTM_EVENT_CALLBACK, RTM_EVENT_CALLBACK *));

/* RTM_EVENT_TYPE: int-sized enum. */
SA(sizeof(RTM_EVENT_TYPE) == 4);
SA(SAME_TYPE(PRTM_EVENT_TYPE, RTM_EVENT_TYPE *));
SA(RTM_ENTITY_REGISTERED == 0);
SA(RTM_ENTITY_DEREGISTERED == 1);
SA(RTM_ROUTE_EXPIRED == 2);
SA(RTM_CHANGE_NOTIFICATION == 3);

/* ---------------------------------------------------------------------- */
/* Size macros (part 2, section 6.2, with the corrected ROUTE_INFO size)   */
/* ---------------------------------------------------------------------- */

SA(RTM_BASIC_DEST_INFO_SIZE == 48);
SA(RTM_DEST_VIEW_INFO_SIZE == 40);
SA(RTM_SIZE_OF_DEST_INFO(0) == 48);
SA(RTM_SIZE_OF_DEST_INFO(1) == 88);
SA(RTM_SIZE_OF_DEST_INFO(2) == 128);
SA(RTM_SIZE_OF_DEST_INFO(1) == sizeof(RTM_DEST_INFO));
SA(RTM_BASIC_ROUTE_INFO_SIZE == 48);
SA(RTM_SIZE_OF_ROUTE_INFO(0) == 56);
SA(RTM_SIZE_OF_ROUTE_INFO(1) == 64);
SA(RTM_SIZE_OF_ROUTE_INFO(1) == sizeof(RTM_ROUTE_INFO));
SA(RTM_SIZE_OF_ROUTE_INFO(8) == 120);

/* ---------------------------------------------------------------------- */
/* Constants (part 2, section 5)                                           */
/* ---------------------------------------------------------------------- */

/* 5.1 */
SA(RTM_MAX_ADDRESS_SIZE == 16);
SA(RTM_MAX_VIEWS == 32);
SA(RTM_VIEW_ID_UCAST == 0);
SA(RTM_VIEW_ID_MCAST == 1);
SA(RTM_VIEW_MASK_SIZE == 0x20);
SA(RTM_VIEW_MASK_NONE == 0);
SA(RTM_VIEW_MASK_ANY == 0);
SA(RTM_VIEW_MASK_UCAST == 0x1);
SA(RTM_VIEW_MASK_MCAST == 0x2);
SA(RTM_VIEW_MASK_ALL == 0xFFFFFFFFu);
SA(RTM_VIEW_MASK_UCAST == 1u << RTM_VIEW_ID_UCAST);
SA(RTM_VIEW_MASK_MCAST == 1u << RTM_VIEW_ID_MCAST);

/* 5.2 */
SA(RTM_DEST_FLAG_NATURAL_NET == 0x01);
SA(RTM_DEST_FLAG_FWD_ENGIN_ADD == 0x02);
SA(RTM_DEST_FLAG_DONT_FORWARD == 0x04);

/* 5.3 */
SA(RTM_ROUTE_STATE_CREATED == 0);
SA(RTM_ROUTE_STATE_DELETING == 1);
SA(RTM_ROUTE_STATE_DELETED == 2);
SA(RTM_ROUTE_FLAGS_MARTIAN == 0x0001);
SA(RTM_ROUTE_FLAGS_BLACKHOLE == 0x0002);
SA(RTM_ROUTE_FLAGS_DISCARD == 0x0004);
SA(RTM_ROUTE_FLAGS_INACTIVE == 0x0008);
SA(RTM_ROUTE_FLAGS_LOCAL == 0x0010);
SA(RTM_ROUTE_FLAGS_REMOTE == 0x0020);
SA(RTM_ROUTE_FLAGS_MYSELF == 0x0040);
SA(RTM_ROUTE_FLAGS_LOOPBACK == 0x0080);
SA(RTM_ROUTE_FLAGS_MCAST == 0x0100);
SA(RTM_ROUTE_FLAGS_LOCAL_MCAST == 0x0200);
SA(RTM_ROUTE_FLAGS_LIMITED_BC == 0x0400);
SA(RTM_ROUTE_FLAGS_ZEROS_NETBC == 0x1000);
SA(RTM_ROUTE_FLAGS_ZEROS_SUBNETBC == 0x2000);
SA(RTM_ROUTE_FLAGS_ONES_NETBC == 0x4000);
SA(RTM_ROUTE_FLAGS_ONES_SUBNETBC == 0x8000);
SA(RTM_ROUTE_FLAGS_ONES_SUBNET_BC == 0x8000);
SA(RTM_ROUTE_FLAGS_FORWARDING == 0x000F);
SA(RTM_ROUTE_FLAGS_ANY_UNICAST == 0x0070);
SA(RTM_ROUTE_FLAGS_ANY_MCAST == 0x0300);
SA(RTM_ROUTE_FLAGS_SUBNET_BCAST == 0xA000);
SA(RTM_ROUTE_FLAGS_NET_BCAST == 0x5000);
SA(RTM_ROUTE_FLAGS_ANY_BCAST == 0xF400);

/* 5.4 */
SA(RTM_ROUTE_CHANGE_FIRST == 0x01);
SA(RTM_ROUTE_CHANGE_NEW == 0x02);
SA(RTM_ROUTE_CHANGE_BEST == 0x00010000);

/* 5.5 */
SA(RTM_NEXTHOP_STATE_CREATED == 0);
SA(RTM_NEXTHOP_STATE_DELETED == 1);
SA(RTM_NEXTHOP_FLAGS_REMOTE == 0x0001);
SA(RTM_NEXTHOP_FLAGS_DOWN == 0x0002);
SA(RTM_NEXTHOP_CHANGE_NEW == 0x01);

/* 5.6 */
SA(RTM_MATCH_NONE == 0x00000000);
SA(RTM_MATCH_OWNER == 0x00000001);
SA(RTM_MATCH_NEIGHBOUR == 0x00000002);
SA(RTM_MATCH_PREF == 0x00000004);
SA(RTM_MATCH_NEXTHOP == 0x00000008);
SA(RTM_MATCH_INTERFACE == 0x00000010);
SA(RTM_MATCH_FULL == 0x0000FFFF);
SA(RTM_BEST_PROTOCOL == 0u);
SA(RTM_THIS_PROTOCOL == 0xFFFFFFFFu);
SA(SAME_TYPE(__typeof__(RTM_BEST_PROTOCOL), ULONG));
SA(SAME_TYPE(__typeof__(RTM_THIS_PROTOCOL), ULONG));

/* 5.7 */
SA(RTM_ENUM_START == 0x00000000);
SA(RTM_ENUM_NEXT == 0x00000001);
SA(RTM_ENUM_RANGE == 0x00000002);
SA(RTM_ENUM_ALL_DESTS == 0x00000000);
SA(RTM_ENUM_OWN_DESTS == 0x01000000);
SA(RTM_ENUM_ALL_ROUTES == 0x00000000);
SA(RTM_ENUM_OWN_ROUTES == 0x00010000);

/* 5.8 */
SA(RTM_NUM_CHANGE_TYPES == 3);
SA(RTM_CHANGE_TYPE_ALL == 0x0001);
SA(RTM_CHANGE_TYPE_BEST == 0x0002);
SA(RTM_CHANGE_TYPE_FORWARDING == 0x0004);
SA(RTM_NOTIFY_ONLY_MARKED_DESTS == 0x00010000);

/* 5.9 */
SA(METHOD_TYPE_ALL_METHODS == 0xFFFFFFFFu);
SA(METHOD_RIP2_NEIGHBOUR_ADDR == 0x00000001);
SA(METHOD_RIP2_OUTBOUND_INTF == 0x00000002);
SA(METHOD_RIP2_ROUTE_TAG == 0x00000004);
SA(METHOD_RIP2_ROUTE_TIMESTAMP == 0x00000008);
SA(METHOD_OSPF_ROUTE_TYPE == 0x00000001);
SA(METHOD_OSPF_ROUTE_METRIC == 0x00000002);
SA(METHOD_OSPF_LSDB_TYPE == 0x00000004);
SA(METHOD_OSPF_ROUTE_TAG == 0x00000008);
SA(METHOD_OSPF_ROUTE_AREA == 0x00000010);
SA(METHOD_OSPF_FWD_ADDRESS == 0x00000020);
SA(METHOD_BGP4_AS_PATH == 0x00000001);
SA(METHOD_BGP4_PEER_ID == 0x00000002);
SA(METHOD_BGP4_PA_ORIGIN == 0x00000004);
SA(METHOD_BGP4_NEXTHOP_ATTR == 0x00000008);
SA(RTM_RESUME_METHODS == 0);
SA(RTM_BLOCK_METHODS == 1);

/* RtmBlockMethods target types (part 1, section 4.4). */
SA(DEST_TYPE == 1);
SA(ROUTE_TYPE == 2);
SA(NEXTHOP_TYPE == 3);

/* ---------------------------------------------------------------------- */
/* Function prototypes: each has exactly the type given by the spec.       */
/* __typeof__ does not evaluate its operand, so nothing is linked.         */
/* ---------------------------------------------------------------------- */

#define PROTO(fn, ...) SA(SAME_TYPE(__typeof__(fn), DWORD (__VA_ARGS__)))

/* Part 1: entities, methods, information, routes, next hops, locks. */
PROTO(RtmRegisterEntity, PRTM_ENTITY_INFO RtmEntityInfo,
      PRTM_ENTITY_EXPORT_METHODS ExportMethods,
      RTM_EVENT_CALLBACK EventCallback, BOOL ReserveOpaquePointer,
      PRTM_REGN_PROFILE RtmRegProfile, PRTM_ENTITY_HANDLE RtmRegHandle);
PROTO(RtmDeregisterEntity, RTM_ENTITY_HANDLE RtmRegHandle);
PROTO(RtmGetRegisteredEntities, RTM_ENTITY_HANDLE RtmRegHandle,
      PUINT NumEntities, PRTM_ENTITY_HANDLE EntityHandles,
      PRTM_ENTITY_INFO EntityInfos);
PROTO(RtmReleaseEntities, RTM_ENTITY_HANDLE RtmRegHandle, UINT NumEntities,
      PRTM_ENTITY_HANDLE EntityHandles);
PROTO(RtmGetEntityInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENTITY_HANDLE EntityHandle, PRTM_ENTITY_INFO EntityInfo);
PROTO(RtmReleaseEntityInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_ENTITY_INFO EntityInfo);
PROTO(RtmGetEntityMethods, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENTITY_HANDLE EntityHandle, PUINT NumMethods,
      PRTM_ENTITY_EXPORT_METHOD ExptMethods);
PROTO(RtmInvokeMethod, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENTITY_HANDLE EntityHandle, PRTM_ENTITY_METHOD_INPUT Input,
      PUINT OutputSize, PRTM_ENTITY_METHOD_OUTPUT Output);
PROTO(RtmBlockMethods, RTM_ENTITY_HANDLE RtmRegHandle, HANDLE TargetHandle,
      UCHAR TargetType, DWORD BlockingFlag);
PROTO(RtmGetDestInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, ULONG ProtocolId, RTM_VIEW_SET TargetViews,
      PRTM_DEST_INFO DestInfo);
PROTO(RtmReleaseDestInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_DEST_INFO DestInfo);
PROTO(RtmGetRouteInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, PRTM_ROUTE_INFO RouteInfo,
      PRTM_NET_ADDRESS DestAddress);
PROTO(RtmReleaseRouteInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_ROUTE_INFO RouteInfo);
PROTO(RtmGetNextHopInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NEXTHOP_HANDLE NextHopHandle, PRTM_NEXTHOP_INFO NextHopInfo);
PROTO(RtmReleaseNextHopInfo, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NEXTHOP_INFO NextHopInfo);
PROTO(RtmAddRouteToDest, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_ROUTE_HANDLE RouteHandle, PRTM_NET_ADDRESS DestAddress,
      PRTM_ROUTE_INFO RouteInfo, ULONG TimeToLive,
      RTM_ROUTE_LIST_HANDLE RouteListHandle, RTM_NOTIFY_FLAGS NotifyType,
      RTM_NOTIFY_HANDLE NotifyHandle, PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);
PROTO(RtmDeleteRouteToDest, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);
PROTO(RtmHoldDestination, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, RTM_VIEW_SET TargetViews, ULONG HoldTime);
PROTO(RtmGetRoutePointer, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, PRTM_ROUTE_INFO *RoutePointer);
PROTO(RtmLockRoute, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, BOOL Exclusive, BOOL LockRoute,
      PRTM_ROUTE_INFO *RoutePointer);
PROTO(RtmUpdateAndUnlockRoute, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, ULONG TimeToLive,
      RTM_ROUTE_LIST_HANDLE RouteListHandle, RTM_NOTIFY_FLAGS NotifyType,
      RTM_NOTIFY_HANDLE NotifyHandle, PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);
PROTO(RtmGetExactMatchDestination, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NET_ADDRESS DestAddress, ULONG ProtocolId,
      RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo);
PROTO(RtmGetMostSpecificDestination, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NET_ADDRESS DestAddress, ULONG ProtocolId,
      RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo);
PROTO(RtmGetLessSpecificDestination, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, ULONG ProtocolId, RTM_VIEW_SET TargetViews,
      PRTM_DEST_INFO DestInfo);
PROTO(RtmGetExactMatchRoute, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NET_ADDRESS DestAddress, RTM_MATCH_FLAGS MatchingFlags,
      PRTM_ROUTE_INFO RouteInfo, ULONG InterfaceIndex,
      RTM_VIEW_SET TargetViews, PRTM_ROUTE_HANDLE RouteHandle);
PROTO(RtmIsBestRoute, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_HANDLE RouteHandle, PRTM_VIEW_SET BestInViews);
PROTO(RtmAddNextHop, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NEXTHOP_INFO NextHopInfo, PRTM_NEXTHOP_HANDLE NextHopHandle,
      PRTM_NEXTHOP_CHANGE_FLAGS ChangeFlags);
PROTO(RtmFindNextHop, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_NEXTHOP_INFO NextHopInfo, PRTM_NEXTHOP_HANDLE NextHopHandle,
      PRTM_NEXTHOP_INFO *NextHopPointer);
PROTO(RtmDeleteNextHop, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NEXTHOP_HANDLE NextHopHandle, PRTM_NEXTHOP_INFO NextHopInfo);
PROTO(RtmGetNextHopPointer, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NEXTHOP_HANDLE NextHopHandle, PRTM_NEXTHOP_INFO *NextHopPointer);
PROTO(RtmLockNextHop, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NEXTHOP_HANDLE NextHopHandle, BOOL Exclusive, BOOL LockNextHop,
      PRTM_NEXTHOP_INFO *NextHopPointer);
PROTO(RtmLockDestination, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, BOOL Exclusive, BOOL LockDest);
PROTO(RtmGetOpaqueInformationPointer, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, PVOID *OpaqueInfoPointer);
PROTO(RtmReferenceHandles, RTM_ENTITY_HANDLE RtmRegHandle, UINT NumHandles,
      HANDLE *RtmHandles);

/* Part 2: enumerations, change notification, route lists. */
PROTO(RtmCreateDestEnum, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_VIEW_SET TargetViews, RTM_ENUM_FLAGS EnumFlags,
      PRTM_NET_ADDRESS NetAddress, ULONG ProtocolId,
      PRTM_ENUM_HANDLE RtmEnumHandle);
PROTO(RtmGetEnumDests, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_HANDLE EnumHandle, PUINT NumDests, PRTM_DEST_INFO DestInfos);
PROTO(RtmReleaseDests, RTM_ENTITY_HANDLE RtmRegHandle, UINT NumDests,
      PRTM_DEST_INFO DestInfos);
PROTO(RtmCreateRouteEnum, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_DEST_HANDLE DestHandle, RTM_VIEW_SET TargetViews,
      RTM_ENUM_FLAGS EnumFlags, PRTM_NET_ADDRESS StartDest,
      RTM_MATCH_FLAGS MatchingFlags, PRTM_ROUTE_INFO CriteriaRoute,
      ULONG CriteriaInterface, PRTM_ENUM_HANDLE RtmEnumHandle);
PROTO(RtmGetEnumRoutes, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
      PRTM_ROUTE_HANDLE RouteHandles);
PROTO(RtmReleaseRoutes, RTM_ENTITY_HANDLE RtmRegHandle, UINT NumRoutes,
      PRTM_ROUTE_HANDLE RouteHandles);
PROTO(RtmCreateNextHopEnum, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_FLAGS EnumFlags, PRTM_NET_ADDRESS NetAddress,
      PRTM_ENUM_HANDLE RtmEnumHandle);
PROTO(RtmGetEnumNextHops, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_HANDLE EnumHandle, PUINT NumNextHops,
      PRTM_NEXTHOP_HANDLE NextHopHandles);
PROTO(RtmReleaseNextHops, RTM_ENTITY_HANDLE RtmRegHandle, UINT NumNextHops,
      PRTM_NEXTHOP_HANDLE NextHopHandles);
PROTO(RtmDeleteEnumHandle, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_HANDLE EnumHandle);
PROTO(RtmRegisterForChangeNotification, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_VIEW_SET TargetViews, RTM_NOTIFY_FLAGS NotifyFlags,
      PVOID NotifyContext, PRTM_NOTIFY_HANDLE NotifyHandle);
PROTO(RtmGetChangedDests, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, PUINT NumDests,
      PRTM_DEST_INFO ChangedDests);
PROTO(RtmReleaseChangedDests, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests,
      PRTM_DEST_INFO ChangedDests);
PROTO(RtmIgnoreChangedDests, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests,
      PRTM_DEST_HANDLE ChangedDests);
PROTO(RtmGetChangeStatus, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle,
      PBOOL ChangeStatus);
PROTO(RtmMarkDestForChangeNotification, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle,
      BOOL MarkDest);
PROTO(RtmIsMarkedForChangeNotification, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle,
      PBOOL DestMarked);
PROTO(RtmDeregisterFromChangeNotification, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_NOTIFY_HANDLE NotifyHandle);
PROTO(RtmCreateRouteList, RTM_ENTITY_HANDLE RtmRegHandle,
      PRTM_ROUTE_LIST_HANDLE RouteListHandle);
PROTO(RtmInsertInRouteList, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_LIST_HANDLE RouteListHandle, UINT NumRoutes,
      PRTM_ROUTE_HANDLE RouteHandles);
PROTO(RtmCreateRouteListEnum, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_LIST_HANDLE RouteListHandle, PRTM_ENUM_HANDLE RtmEnumHandle);
PROTO(RtmGetListEnumRoutes, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
      PRTM_ROUTE_HANDLE RouteHandles);
PROTO(RtmDeleteRouteList, RTM_ENTITY_HANDLE RtmRegHandle,
      RTM_ROUTE_LIST_HANDLE RouteListHandle);

/* ---------------------------------------------------------------------- */
/* Run-time tests                                                          */
/* ---------------------------------------------------------------------- */

/* Host-order IPv4 value -> network-order ULONG. */
static ULONG net(ULONG host)
{
	return htonl(host);
}

TEST(len_from_mask)
{
	static const struct {
		ULONG mask;	/* host order */
		USHORT len;
	} cases[] = {
		{ 0x00000000u, 0 },
		{ 0xFF000000u, 8 },
		{ 0xFFFFFF00u, 24 },
		{ 0xFFFFFFFEu, 31 },
		{ 0xFFFFFFFFu, 32 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		USHORT len = 0xBEEF;
		UINT ulen = 0xDEADBEEFu;

		RTM_IPV4_LEN_FROM_MASK(len, net(cases[i].mask));
		EXPECT_EQ(cases[i].len, len)
			TH_LOG("mask 0x%08x", (unsigned int)cases[i].mask);

		/* Len may be any integer lvalue. */
		RTM_IPV4_LEN_FROM_MASK(ulen, net(cases[i].mask));
		EXPECT_EQ((UINT)cases[i].len, ulen);
	}
}

TEST(mask_from_len)
{
	UINT len;
	ULONG m;
	UCHAR b[4];

	EXPECT_EQ(0u, RTM_IPV4_MASK_FROM_LEN(0));
	EXPECT_EQ(net(0x80000000u), RTM_IPV4_MASK_FROM_LEN(1));
	EXPECT_EQ(net(0xFFFFFF00u), RTM_IPV4_MASK_FROM_LEN(24));
	EXPECT_EQ(net(0xFFFFFFFFu), RTM_IPV4_MASK_FROM_LEN(32));

	/* An expression without a trailing semicolon: usable inside others. */
	EXPECT_EQ(net(0xFFFF0000u),
		  RTM_IPV4_MASK_FROM_LEN(16) & RTM_IPV4_MASK_FROM_LEN(24));

	/* Network byte order in memory: 255.255.255.0. */
	m = RTM_IPV4_MASK_FROM_LEN(24);
	memcpy(b, &m, sizeof(b));
	EXPECT_EQ(0xFF, b[0]);
	EXPECT_EQ(0xFF, b[1]);
	EXPECT_EQ(0xFF, b[2]);
	EXPECT_EQ(0x00, b[3]);

	/* Every length survives MASK_FROM_LEN followed by LEN_FROM_MASK. */
	for (len = 0; len <= 32; len++) {
		ULONG mask = RTM_IPV4_MASK_FROM_LEN(len);
		ULONG host = len ? 0xFFFFFFFFu << (32 - len) : 0u;
		UINT back = 99;

		EXPECT_EQ(net(host), mask) TH_LOG("len %u", len);
		RTM_IPV4_LEN_FROM_MASK(back, mask);
		EXPECT_EQ(len, back) TH_LOG("len %u", len);
	}
}

TEST(set_get_addr_and_len)
{
	RTM_NET_ADDRESS a;
	ULONG addr = net(0xC0A80100u);	/* 192.168.1.0 */
	ULONG got_addr = 0;
	UINT got_len = 0;
	unsigned long wide;
	USHORT len16 = 0;
	int i;

	memset(&a, 0xAA, sizeof(a));
	RTM_IPV4_SET_ADDR_AND_LEN(&a, addr, 24);
	EXPECT_EQ(AF_INET, a.AddressFamily);
	EXPECT_EQ(24, a.NumBits);
	EXPECT_EQ(192, a.AddrBits[0]);
	EXPECT_EQ(168, a.AddrBits[1]);
	EXPECT_EQ(1, a.AddrBits[2]);
	EXPECT_EQ(0, a.AddrBits[3]);
	/* Exactly 4 bytes written (a 64-bit ULONG would write 8). */
	for (i = 4; i < RTM_MAX_ADDRESS_SIZE; i++)
		EXPECT_EQ(0xAA, a.AddrBits[i]) TH_LOG("AddrBits[%d]", i);

	RTM_IPV4_GET_ADDR_AND_LEN(got_addr, got_len, &a);
	EXPECT_EQ(addr, got_addr);
	EXPECT_EQ(24u, got_len);

	/* MAKE_NET_ADDRESS is the same as SET_ADDR_AND_LEN. */
	memset(&a, 0, sizeof(a));
	RTM_IPV4_MAKE_NET_ADDRESS(&a, net(0x0A000000u), 8);
	EXPECT_EQ(AF_INET, a.AddressFamily);
	EXPECT_EQ(8, a.NumBits);
	EXPECT_EQ(10, a.AddrBits[0]);
	EXPECT_EQ(0, a.AddrBits[1]);

	/* The address may be read into a wider integer. */
	wide = ~0UL;
	RTM_IPV4_GET_ADDR_AND_LEN(wide, len16, &a);
	EXPECT_EQ((unsigned long)net(0x0A000000u), wide);
	EXPECT_EQ(8, len16);
}

TEST(set_get_addr_and_mask)
{
	static const ULONG masks[] = {
		0x00000000u, 0x80000000u, 0xFF000000u, 0xFFFF0000u,
		0xFFFFFF00u, 0xFFFFFFFEu, 0xFFFFFFFFu,
	};
	ULONG addr = net(0x0A010203u);	/* 10.1.2.3 */
	size_t i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		RTM_NET_ADDRESS a;
		ULONG got_addr, got_mask;
		int len = __builtin_popcount(masks[i]);

		memset(&a, 0x55, sizeof(a));
		RTM_IPV4_SET_ADDR_AND_MASK(&a, addr, net(masks[i]));
		EXPECT_EQ(AF_INET, a.AddressFamily);
		EXPECT_EQ(len, a.NumBits) TH_LOG("mask 0x%08x", masks[i]);
		EXPECT_EQ(10, a.AddrBits[0]);
		EXPECT_EQ(3, a.AddrBits[3]);
		EXPECT_EQ(0x55, a.AddrBits[4]);

		got_addr = 0;
		got_mask = 0x12345678u;
		RTM_IPV4_GET_ADDR_AND_MASK(got_addr, got_mask, &a);
		EXPECT_EQ(addr, got_addr);
		EXPECT_EQ(net(masks[i]), got_mask) TH_LOG("mask 0x%08x", masks[i]);
	}
}

/*
 * AddrBits is at offset 4 of a 2-aligned structure, so it is not always
 * 4-aligned; the macros must not rely on that (they use memcpy).
 */
TEST(misaligned_addr_bits)
{
	struct {
		USHORT pad;
		RTM_NET_ADDRESS a;
	} s;
	ULONG got_addr = 0, got_mask;
	USHORT got_len = 0;

	ASSERT_EQ(2u, offsetof(__typeof__(s), a));
	memset(&s, 0, sizeof(s));

	RTM_IPV4_SET_ADDR_AND_LEN(&s.a, net(0xC0000201u), 32);
	RTM_IPV4_GET_ADDR_AND_LEN(got_addr, got_len, &s.a);
	EXPECT_EQ(net(0xC0000201u), got_addr);
	EXPECT_EQ(32, got_len);

	got_addr = got_mask = 0;
	RTM_IPV4_SET_ADDR_AND_MASK(&s.a, net(0xAC100000u), net(0xFFF00000u));
	RTM_IPV4_GET_ADDR_AND_MASK(got_addr, got_mask, &s.a);
	EXPECT_EQ(12, s.a.NumBits);
	EXPECT_EQ(net(0xAC100000u), got_addr);
	EXPECT_EQ(net(0xFFF00000u), got_mask);
	EXPECT_EQ(0, s.pad);
}

TEST(size_of_route_info)
{
	size_t n;

	for (n = 0; n <= 64; n++)
		EXPECT_EQ(56 + 8 * n, RTM_SIZE_OF_ROUTE_INFO(n)) TH_LOG("n %zu", n);
	EXPECT_EQ((size_t)48, RTM_BASIC_ROUTE_INFO_SIZE);
}

TEST(size_of_dest_info)
{
	size_t n;

	for (n = 0; n <= RTM_MAX_VIEWS; n++)
		EXPECT_EQ(48 + 40 * n, RTM_SIZE_OF_DEST_INFO(n)) TH_LOG("n %zu", n);
	EXPECT_EQ((size_t)48, RTM_BASIC_DEST_INFO_SIZE);
	EXPECT_EQ((size_t)40, RTM_DEST_VIEW_INFO_SIZE);
}

/* A buffer of RTM_SIZE_OF_ROUTE_INFO(8) holds NextHops[0..7]. */
TEST(route_info_buffer_holds_all_next_hops)
{
	const size_t size = RTM_SIZE_OF_ROUTE_INFO(8);
	PRTM_ROUTE_INFO ri = malloc(size);
	char *end, *last_end;
	size_t i;

	ASSERT_NE(NULL, ri);
	memset(ri, 0, size);

	end = (char *)ri + size;
	last_end = (char *)&ri->NextHopsList.NextHops[7] +
		   sizeof(RTM_NEXTHOP_HANDLE);
	EXPECT_TRUE(last_end <= end);
	EXPECT_TRUE(last_end == end);

	/* The Windows formula would be one handle short. */
	EXPECT_TRUE((char *)ri + RTM_BASIC_ROUTE_INFO_SIZE +
		    8 * sizeof(RTM_NEXTHOP_HANDLE) < last_end);

	ri->NextHopsList.NumNextHops = 8;
	for (i = 0; i < 8; i++)
		ri->NextHopsList.NextHops[i] = (RTM_NEXTHOP_HANDLE)(uintptr_t)(i + 1);
	for (i = 0; i < 8; i++)
		EXPECT_EQ((uintptr_t)(i + 1),
			  (uintptr_t)ri->NextHopsList.NextHops[i]);
	free(ri);
}

/* A buffer of RTM_SIZE_OF_DEST_INFO(2) holds ViewInfo[0..1]. */
TEST(dest_info_buffer_holds_all_views)
{
	const size_t size = RTM_SIZE_OF_DEST_INFO(2);
	PRTM_DEST_INFO di = malloc(size);
	char *last_end;

	ASSERT_NE(NULL, di);
	memset(di, 0, size);
	last_end = (char *)&di->ViewInfo[1] + RTM_DEST_VIEW_INFO_SIZE;
	EXPECT_TRUE(last_end == (char *)di + size);

	di->NumberOfViews = 2;
	di->ViewInfo[0].ViewId = RTM_VIEW_ID_UCAST;
	di->ViewInfo[1].ViewId = RTM_VIEW_ID_MCAST;
	di->ViewInfo[1].HoldRoute = (RTM_ROUTE_HANDLE)(uintptr_t)0x1234;
	EXPECT_EQ(RTM_VIEW_ID_MCAST, di->ViewInfo[1].ViewId);
	EXPECT_EQ((uintptr_t)0x1234, (uintptr_t)di->ViewInfo[1].HoldRoute);
	free(di);
}

/* The two halves of RTM_ENTITY_ID overlay EntityId (little endian). */
TEST(entity_id_union)
{
	RTM_ENTITY_ID id;

	memset(&id, 0, sizeof(id));
	id.EntityProtocolId = PROTO_IP_RIP;
	id.EntityInstanceId = 1;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	EXPECT_EQ(((ULONGLONG)1 << 32) | PROTO_IP_RIP, id.EntityId);
#endif
	id.EntityId = 0;
	EXPECT_EQ(0u, id.EntityProtocolId);
	EXPECT_EQ(0u, id.EntityInstanceId);
}

/* Error codes compare warning-free (-Wsign-compare) with DWORD and int. */
TEST(error_codes_compare_with_dword)
{
	DWORD rc = 87;
	int irc = 259;

	EXPECT_TRUE(rc == ERROR_INVALID_PARAMETER);
	EXPECT_TRUE(ERROR_INVALID_PARAMETER == rc);
	EXPECT_TRUE(rc != NO_ERROR);
	EXPECT_TRUE(irc == ERROR_NO_MORE_ITEMS);
	EXPECT_EQ((DWORD)ERROR_INVALID_PARAMETER, rc);

	switch (rc) {
	case NO_ERROR:
	case ERROR_NOT_FOUND:
		EXPECT_TRUE(0);
		break;
	case ERROR_INVALID_PARAMETER:
		break;
	default:
		EXPECT_TRUE(0);
	}

	rc = RTM_THIS_PROTOCOL;
	EXPECT_EQ(0xFFFFFFFFu, rc);
	rc = INFINITE;
	EXPECT_EQ(0xFFFFFFFFu, rc);
}

TEST_HARNESS_MAIN
