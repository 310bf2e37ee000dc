/*
 * rtmv2.h - public C API of librtm, a Linux re-implementation of the
 * Microsoft Routing Table Manager version 2 (RTMv2) API.
 *
 * "#include <rtmv2.h>" on its own is enough to compile a Windows RTMv2
 * client on LP64 Linux (C11 or later, or C++11 or later).  The header
 * provides:
 *
 *   - the Win32 base types the API is written in, with their *Windows*
 *     sizes (ULONG and LONG are 32-bit, not the LP64 "long"), unless the
 *     including program defines RTM_NO_WIN32_TYPES (it must then supply
 *     identical definitions itself) or a Windows/Wine <windef.h> was
 *     included first;
 *   - the Win32 error codes returned by the API;
 *   - every RTMv2 type, structure, constant and macro, with the values and
 *     LP64 layouts of the project specification (api-entities-routes.md and
 *     api-enums-notify-concepts.md);
 *   - the prototypes of the 57 RTMv2 functions.
 *
 * Where the specification marks the public Windows header as defective and
 * gives a "Proposed:" correction, this header follows the correction:
 *
 *   - RTM_SIZE_OF_ROUTE_INFO(n) is
 *     FIELD_OFFSET(RTM_ROUTE_INFO, NextHopsList.NextHops) + n handles
 *     (56 + 8n on LP64; the Windows macro is one handle short);
 *   - RTM_ROUTE_FLAGS_ONES_SUBNET_BC, used but never defined by the Windows
 *     header, is defined as an alias of RTM_ROUTE_FLAGS_ONES_SUBNETBC so that
 *     RTM_ROUTE_FLAGS_SUBNET_BCAST and RTM_ROUTE_FLAGS_ANY_BCAST compile;
 *   - the RTM_IPV4_* SET/GET macros copy the 4 address bytes with memcpy()
 *     (AddrBits is not 4-byte aligned, and a ULONG * store breaks strict
 *     aliasing); each expands to one compound statement;
 *   - RTM_IPV4_MASK_FROM_LEN has no trailing semicolon and shifts an
 *     unsigned constant; RTM_CHECK_NTH_BIT tests an unsigned bit;
 *   - DEST_TYPE, ROUTE_TYPE and NEXTHOP_TYPE (absent from the Windows
 *     header) are defined as 1, 2 and 3 for source compatibility.
 *
 * Address families are the Linux ones from <sys/socket.h>: AF_INET is 2 as
 * on Windows, AF_INET6 is 10 (Windows uses 23).
 *
 * Only LP64 user space is supported.
 */
#ifndef __ROUTING_RTMv2_H__
#define __ROUTING_RTMv2_H__

#include <stddef.h>      /* offsetof, size_t, NULL */
#include <stdint.h>      /* fixed-width integer types */
#include <string.h>      /* memcpy, used by the RTM_IPV4_* macros */
#include <sys/socket.h>  /* AF_INET, AF_INET6 */
#include <arpa/inet.h>   /* htonl, ntohl, used by the RTM_IPV4_* macros */

/* ------------------------------------------------------------------------ */
/* Win32 base types (Windows sizes)                                          */
/* ------------------------------------------------------------------------ */

/*
 * Skipped as a whole when the program defines RTM_NO_WIN32_TYPES or when a
 * Windows-style <windef.h> (MinGW: _WINDEF_, Wine: __WINE_WINDEF_H) was
 * included first.  Each name is additionally skipped if it already exists as
 * a macro.  A typedef repeated with the same type is valid C11 and C++, so
 * another header declaring e.g. "typedef uint32_t DWORD;" does not clash; a
 * conflicting earlier typedef (e.g. "typedef unsigned long ULONG;") is a
 * compile error on purpose, because the structure layouts depend on these
 * widths.
 */
#if !defined(RTM_NO_WIN32_TYPES) && !defined(_WINDEF_) && \
    !defined(__WINE_WINDEF_H)

#ifndef UCHAR
typedef uint8_t UCHAR;
#endif
#ifndef USHORT
typedef uint16_t USHORT;
#endif
#ifndef INT
typedef int INT;
#endif
#ifndef UINT
typedef unsigned int UINT;
#endif
#ifndef DWORD
typedef uint32_t DWORD;
#endif
#ifndef ULONG
typedef uint32_t ULONG;          /* 32-bit, NOT unsigned long */
#endif
#ifndef LONG
typedef int32_t LONG;            /* 32-bit, NOT long */
#endif
#ifndef ULONGLONG
typedef uint64_t ULONGLONG;
#endif
#ifndef BOOL
typedef int BOOL;
#endif
#ifndef WINBOOL
typedef int WINBOOL;
#endif
#ifndef PVOID
typedef void *PVOID;
#endif
#ifndef HANDLE
typedef void *HANDLE;
#endif
#ifndef PBOOL
typedef BOOL *PBOOL;
#endif
#ifndef PUINT
typedef UINT *PUINT;
#endif
#ifndef PULONG
typedef ULONG *PULONG;
#endif
#ifndef PDWORD
typedef DWORD *PDWORD;
#endif

/* 100-ns intervals since 1601-01-01 00:00 UTC; size 8, alignment 4. */
#if !defined(_FILETIME_) && !defined(FILETIME)
#define _FILETIME_
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME;
#endif

#endif /* Win32 base types */

#ifndef VOID
#define VOID void
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#ifndef INFINITE
#define INFINITE 0xFFFFFFFFu
#endif

#ifndef WINAPI
#define WINAPI
#endif

#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field) offsetof(type, field)
#endif

/*
 * Markers for the anonymous union/struct in RTM_ENTITY_ID (C11 and C++
 * anonymous members).  With GCC-compatible compilers they expand to
 * __extension__ so that g++ -pedantic accepts the anonymous struct.
 */
#ifndef __C89_NAMELESS
#if defined(__GNUC__)
#define __C89_NAMELESS __extension__
#else
#define __C89_NAMELESS
#endif
#endif
#ifndef __C89_NAMELESSUNION
#define __C89_NAMELESSUNION __C89_NAMELESS
#endif
#ifndef __C89_NAMELESSSTRUCT
#define __C89_NAMELESSSTRUCT __C89_NAMELESS
#endif

/* ------------------------------------------------------------------------ */
/* Win32 error codes used by the API (returned as DWORD)                     */
/* ------------------------------------------------------------------------ */

/*
 * Plain non-negative int constants: they compare warning-free with a DWORD
 * (and with an int) under -Wsign-compare, and work in #if and case labels.
 */
#ifndef NO_ERROR
#define NO_ERROR 0
#endif
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0
#endif
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE 6
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8
#endif
#ifndef ERROR_INVALID_DATA
#define ERROR_INVALID_DATA 13
#endif
#ifndef ERROR_NOT_SUPPORTED
#define ERROR_NOT_SUPPORTED 50
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122
#endif
#ifndef ERROR_ALREADY_EXISTS
#define ERROR_ALREADY_EXISTS 183
#endif
#ifndef ERROR_NO_MORE_ITEMS
#define ERROR_NO_MORE_ITEMS 259
#endif
#ifndef ERROR_NOT_FOUND
#define ERROR_NOT_FOUND 1168
#endif
#ifndef ERROR_NO_SYSTEM_RESOURCES
#define ERROR_NO_SYSTEM_RESOURCES 1450
#endif
#ifndef ERROR_TIMEOUT
#define ERROR_TIMEOUT 1460
#endif
#ifndef ERROR_BAD_CONFIGURATION
#define ERROR_BAD_CONFIGURATION 1610
#endif

/* ------------------------------------------------------------------------ */
/* Well-known protocol ids (RFC 1354 ipForwardProto values, as on Windows)   */
/* ------------------------------------------------------------------------ */

/* Values for RTM_ENTITY_ID.EntityProtocolId. */
#ifndef PROTO_IP_OTHER
#define PROTO_IP_OTHER 1
#endif
#ifndef PROTO_IP_LOCAL
#define PROTO_IP_LOCAL 2
#endif
#ifndef PROTO_IP_NETMGMT
#define PROTO_IP_NETMGMT 3
#endif
#ifndef PROTO_IP_ICMP
#define PROTO_IP_ICMP 4
#endif
#ifndef PROTO_IP_RIP
#define PROTO_IP_RIP 8
#endif
#ifndef PROTO_IP_OSPF
#define PROTO_IP_OSPF 13
#endif
#ifndef PROTO_IP_BGP
#define PROTO_IP_BGP 14
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Views                                                                      */
/* ------------------------------------------------------------------------ */

#define RTM_MAX_ADDRESS_SIZE 16

#define RTM_MAX_VIEWS 32

#define RTM_VIEW_ID_UCAST 0
#define RTM_VIEW_ID_MCAST 1

#define RTM_VIEW_MASK_SIZE  0x20
#define RTM_VIEW_MASK_NONE  0x00000000
#define RTM_VIEW_MASK_ANY   0x00000000
#define RTM_VIEW_MASK_UCAST 0x00000001
#define RTM_VIEW_MASK_MCAST 0x00000002
#define RTM_VIEW_MASK_ALL   0xFFFFFFFF

typedef INT   RTM_VIEW_ID,  *PRTM_VIEW_ID;
typedef DWORD RTM_VIEW_SET, *PRTM_VIEW_SET;

/* ------------------------------------------------------------------------ */
/* Registration profile                                                      */
/* ------------------------------------------------------------------------ */

/* size 16, align 4 */
typedef struct _RTM_REGN_PROFILE {
    UINT         MaxNextHopsInRoute;   /*  0: max equal-cost next hops per route */
    UINT         MaxHandlesInEnum;     /*  4: max items per enum/changes call    */
    RTM_VIEW_SET ViewsSupported;       /*  8: views of this table                */
    UINT         NumberOfViews;        /* 12: bits set in ViewsSupported         */
} RTM_REGN_PROFILE, *PRTM_REGN_PROFILE;

/* ------------------------------------------------------------------------ */
/* Handles                                                                    */
/* ------------------------------------------------------------------------ */

typedef HANDLE RTM_ENTITY_HANDLE,     *PRTM_ENTITY_HANDLE,
               RTM_DEST_HANDLE,       *PRTM_DEST_HANDLE,
               RTM_ROUTE_HANDLE,      *PRTM_ROUTE_HANDLE,
               RTM_NEXTHOP_HANDLE,    *PRTM_NEXTHOP_HANDLE,
               RTM_ENUM_HANDLE,       *PRTM_ENUM_HANDLE,
               RTM_ROUTE_LIST_HANDLE, *PRTM_ROUTE_LIST_HANDLE,
               RTM_NOTIFY_HANDLE,     *PRTM_NOTIFY_HANDLE;

/* ------------------------------------------------------------------------ */
/* Network addresses                                                          */
/* ------------------------------------------------------------------------ */

/* size 20, align 2 */
typedef struct _RTM_NET_ADDRESS {
    USHORT AddressFamily;                   /* 0: AF_INET, AF_INET6        */
    USHORT NumBits;                         /* 2: prefix length in bits    */
    UCHAR  AddrBits[RTM_MAX_ADDRESS_SIZE];  /* 4: network byte order       */
} RTM_NET_ADDRESS, *PRTM_NET_ADDRESS;

/*
 * IPv4 helpers.  Addr and Mask are IPv4 values in network byte order held in
 * a 32-bit integer (ULONG/DWORD); Len is a prefix length (0..32).
 *
 * The SET/GET macros each expand to one compound statement ({ ... }); do not
 * use them as the body of an if that has an else branch.
 */
#define RTM_IPV4_MAKE_NET_ADDRESS(NetAddress, Addr, Len) \
        RTM_IPV4_SET_ADDR_AND_LEN(NetAddress, Addr, Len)

/* Helper of RTM_IPV4_LEN_FROM_MASK: a statement, not an expression. */
#define RTM_CHECK_NTH_BIT(Value, N, Len)                                  \
        if ((Value) & (1u << (N)))                                        \
        {                                                                 \
            (Len) += (N); (Value) <<= (N);                                \
        }

/* Statement: sets Len to the length of the contiguous network-order Mask. */
#define RTM_IPV4_LEN_FROM_MASK(Len, Mask)                                 \
        {                                                                 \
            ULONG RtmV2Temp_ = ntohl(Mask);                               \
                                                                          \
            (Len) = 0;                                                    \
                                                                          \
            RTM_CHECK_NTH_BIT(RtmV2Temp_, 16, (Len));                     \
            RTM_CHECK_NTH_BIT(RtmV2Temp_, 8, (Len));                      \
            RTM_CHECK_NTH_BIT(RtmV2Temp_, 4, (Len));                      \
                                                                          \
            while (RtmV2Temp_)                                            \
            {                                                             \
                (Len) += 1; RtmV2Temp_ <<= 1;                             \
            }                                                             \
        }

/* Expression: network-order mask for a prefix length Len (0..32). */
#define RTM_IPV4_MASK_FROM_LEN(Len)                                       \
        ((Len) ? htonl(0xFFFFFFFFu << (32 - (Len))) : 0u)

#define RTM_IPV4_SET_ADDR_AND_LEN(NetAddress, Addr, Len)                  \
        {                                                                 \
            ULONG RtmV2Addr_ = (Addr);                                    \
            (NetAddress)->AddressFamily = AF_INET;                        \
            (NetAddress)->NumBits = (USHORT) (Len);                       \
            memcpy((NetAddress)->AddrBits, &RtmV2Addr_, sizeof(ULONG));   \
        }

#define RTM_IPV4_GET_ADDR_AND_LEN(Addr, Len, NetAddress)                  \
        {                                                                 \
            ULONG RtmV2Addr_;                                             \
            (Len) = (NetAddress)->NumBits;                                \
            memcpy(&RtmV2Addr_, (NetAddress)->AddrBits, sizeof(ULONG));   \
            (Addr) = RtmV2Addr_;                                          \
        }

#define RTM_IPV4_SET_ADDR_AND_MASK(NetAddress, Addr, Mask)                \
        {                                                                 \
            ULONG RtmV2Addr_ = (Addr);                                    \
            (NetAddress)->AddressFamily = AF_INET;                        \
            memcpy((NetAddress)->AddrBits, &RtmV2Addr_, sizeof(ULONG));   \
            RTM_IPV4_LEN_FROM_MASK((NetAddress)->NumBits, (Mask))         \
        }

#define RTM_IPV4_GET_ADDR_AND_MASK(Addr, Mask, NetAddress)                \
        {                                                                 \
            ULONG RtmV2Addr_;                                             \
            memcpy(&RtmV2Addr_, (NetAddress)->AddrBits, sizeof(ULONG));   \
            (Addr) = RtmV2Addr_;                                          \
            (Mask) = RTM_IPV4_MASK_FROM_LEN((NetAddress)->NumBits);       \
        }

/* ------------------------------------------------------------------------ */
/* Preference, next-hop list, destination and route information              */
/* ------------------------------------------------------------------------ */

/* size 8, align 4 */
typedef struct _RTM_PREF_INFO {
    ULONG Metric;       /* 0: protocol-specific cost           */
    ULONG Preference;   /* 4: administrative preference (1 best) */
} RTM_PREF_INFO, *PRTM_PREF_INFO;

/* size 16, align 8 */
typedef struct _RTM_NEXTHOP_LIST {
    USHORT             NumNextHops;   /* 0 */
    RTM_NEXTHOP_HANDLE NextHops[1];   /* 8: variable length */
} RTM_NEXTHOP_LIST, *PRTM_NEXTHOP_LIST;

/* sizeof 88 (one ViewInfo element), align 8 */
typedef struct _RTM_DEST_INFO {
    RTM_DEST_HANDLE  DestHandle;      /*  0 */
    RTM_NET_ADDRESS  DestAddress;     /*  8 */
    FILETIME         LastChanged;     /* 28 */
    RTM_VIEW_SET     BelongsToViews;  /* 36 */
    UINT             NumberOfViews;   /* 40: ViewInfo elements that follow */
    struct {                          /* element size 40 */
        RTM_VIEW_ID       ViewId;     /* +0  */
        UINT              NumRoutes;  /* +4  */
        RTM_ROUTE_HANDLE  Route;      /* +8  */
        RTM_ENTITY_HANDLE Owner;      /* +16 */
        DWORD             DestFlags;  /* +24 */
        RTM_ROUTE_HANDLE  HoldRoute;  /* +32 */
    } ViewInfo[1];                    /* 48: variable length */
} RTM_DEST_INFO, *PRTM_DEST_INFO;

/* 48 on LP64 */
#define RTM_BASIC_DEST_INFO_SIZE  FIELD_OFFSET(RTM_DEST_INFO, ViewInfo)
/* 40 on LP64 */
#define RTM_DEST_VIEW_INFO_SIZE   (sizeof(RTM_DEST_INFO) - RTM_BASIC_DEST_INFO_SIZE)
/* 48 + 40 * NumViews on LP64 */
#define RTM_SIZE_OF_DEST_INFO(NumViews)                                   \
        (RTM_BASIC_DEST_INFO_SIZE + (NumViews) * RTM_DEST_VIEW_INFO_SIZE)

/* Defined for source compatibility; the RTM never sets these (spec 2.5). */
#define RTM_DEST_FLAG_NATURAL_NET   0x01
#define RTM_DEST_FLAG_FWD_ENGIN_ADD 0x02
#define RTM_DEST_FLAG_DONT_FORWARD  0x04

/* sizeof 64 (one next hop), align 8 */
typedef struct _RTM_ROUTE_INFO {
    RTM_DEST_HANDLE    DestHandle;          /*  0: set by RTM */
    RTM_ENTITY_HANDLE  RouteOwner;          /*  8: set by RTM */
    RTM_NEXTHOP_HANDLE Neighbour;           /* 16: NULL for link-state */
    UCHAR              State;               /* 24: RTM_ROUTE_STATE_*, set by RTM */
    UCHAR              Flags1;              /* 25: RTMv1 compatibility */
    USHORT             Flags;               /* 26: RTM_ROUTE_FLAGS_* */
    RTM_PREF_INFO      PrefInfo;            /* 28 */
    RTM_VIEW_SET       BelongsToViews;      /* 36 */
    PVOID              EntitySpecificInfo;  /* 40: private to the owner */
    RTM_NEXTHOP_LIST   NextHopsList;        /* 48: NumNextHops @48, NextHops @56 */
} RTM_ROUTE_INFO, *PRTM_ROUTE_INFO;

/* 48 on LP64 (unchanged from Windows) */
#define RTM_BASIC_ROUTE_INFO_SIZE                                         \
        FIELD_OFFSET(RTM_ROUTE_INFO, NextHopsList.NumNextHops)
/*
 * 56 + 8 * NumHops on LP64.  Corrected (spec "Proposed"): the Windows
 * definition, RTM_BASIC_ROUTE_INFO_SIZE + NumHops * handle size, is one
 * handle short because NextHops starts after NumNextHops and its padding.
 */
#define RTM_SIZE_OF_ROUTE_INFO(NumHops)                                   \
        (FIELD_OFFSET(RTM_ROUTE_INFO, NextHopsList.NextHops) +            \
         (NumHops) * sizeof(RTM_NEXTHOP_HANDLE))

#define RTM_ROUTE_STATE_CREATED  0
#define RTM_ROUTE_STATE_DELETING 1
#define RTM_ROUTE_STATE_DELETED  2

/* Forwarding flags */
#define RTM_ROUTE_FLAGS_MARTIAN        0x0001
#define RTM_ROUTE_FLAGS_BLACKHOLE      0x0002
#define RTM_ROUTE_FLAGS_DISCARD        0x0004
#define RTM_ROUTE_FLAGS_INACTIVE       0x0008

/* Unicast flags */
#define RTM_ROUTE_FLAGS_LOCAL          0x0010
#define RTM_ROUTE_FLAGS_REMOTE         0x0020
#define RTM_ROUTE_FLAGS_MYSELF         0x0040

#define RTM_ROUTE_FLAGS_LOOPBACK       0x0080

/* Multicast flags */
#define RTM_ROUTE_FLAGS_MCAST          0x0100
#define RTM_ROUTE_FLAGS_LOCAL_MCAST    0x0200

/* Broadcast flags */
#define RTM_ROUTE_FLAGS_LIMITED_BC     0x0400

#define RTM_ROUTE_FLAGS_ZEROS_NETBC    0x1000
#define RTM_ROUTE_FLAGS_ZEROS_SUBNETBC 0x2000
#define RTM_ROUTE_FLAGS_ONES_NETBC     0x4000
#define RTM_ROUTE_FLAGS_ONES_SUBNETBC  0x8000

/* Alias of the name the Windows header uses without defining it (0x8000). */
#define RTM_ROUTE_FLAGS_ONES_SUBNET_BC RTM_ROUTE_FLAGS_ONES_SUBNETBC

/* Groups */
#define RTM_ROUTE_FLAGS_FORWARDING                                        \
        (RTM_ROUTE_FLAGS_MARTIAN | RTM_ROUTE_FLAGS_BLACKHOLE |            \
         RTM_ROUTE_FLAGS_DISCARD | RTM_ROUTE_FLAGS_INACTIVE)      /* 0x000F */

#define RTM_ROUTE_FLAGS_ANY_UNICAST                                       \
        (RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_REMOTE |                 \
         RTM_ROUTE_FLAGS_MYSELF)                                  /* 0x0070 */

#define RTM_ROUTE_FLAGS_ANY_MCAST                                         \
        (RTM_ROUTE_FLAGS_MCAST | RTM_ROUTE_FLAGS_LOCAL_MCAST)     /* 0x0300 */

#define RTM_ROUTE_FLAGS_SUBNET_BCAST                                      \
        (RTM_ROUTE_FLAGS_ONES_SUBNETBC |                                  \
         RTM_ROUTE_FLAGS_ZEROS_SUBNETBC)                          /* 0xA000 */

#define RTM_ROUTE_FLAGS_NET_BCAST                                         \
        (RTM_ROUTE_FLAGS_ONES_NETBC | RTM_ROUTE_FLAGS_ZEROS_NETBC) /* 0x5000 */

#define RTM_ROUTE_FLAGS_ANY_BCAST                                         \
        (RTM_ROUTE_FLAGS_LIMITED_BC | RTM_ROUTE_FLAGS_ONES_NETBC |        \
         RTM_ROUTE_FLAGS_ONES_SUBNETBC | RTM_ROUTE_FLAGS_ZEROS_NETBC |    \
         RTM_ROUTE_FLAGS_ZEROS_SUBNETBC)                          /* 0xF400 */

/* ------------------------------------------------------------------------ */
/* Next hops                                                                  */
/* ------------------------------------------------------------------------ */

/* size 56, align 8 */
typedef struct _RTM_NEXTHOP_INFO {
    RTM_NET_ADDRESS   NextHopAddress;      /*  0: key, with InterfaceIndex */
    RTM_ENTITY_HANDLE NextHopOwner;        /* 24: set by RTM */
    ULONG             InterfaceIndex;      /* 32: key */
    USHORT            State;               /* 36: RTM_NEXTHOP_STATE_*, set by RTM */
    USHORT            Flags;               /* 38: RTM_NEXTHOP_FLAGS_* */
    PVOID             EntitySpecificInfo;  /* 40: private to the owner */
    RTM_DEST_HANDLE   RemoteNextHop;       /* 48: set by RTM for remote next hops */
} RTM_NEXTHOP_INFO, *PRTM_NEXTHOP_INFO;

#define RTM_NEXTHOP_STATE_CREATED 0
#define RTM_NEXTHOP_STATE_DELETED 1

#define RTM_NEXTHOP_FLAGS_REMOTE  0x0001
#define RTM_NEXTHOP_FLAGS_DOWN    0x0002   /* reserved */

/* ------------------------------------------------------------------------ */
/* Entities                                                                   */
/* ------------------------------------------------------------------------ */

/* size 8, align 8 */
typedef struct _RTM_ENTITY_ID {
    __C89_NAMELESSUNION union {
        __C89_NAMELESSSTRUCT struct {
            ULONG EntityProtocolId;   /* 0 */
            ULONG EntityInstanceId;   /* 4 */
        };
        ULONGLONG EntityId;           /* 0: both halves as one value */
    };
} RTM_ENTITY_ID, *PRTM_ENTITY_ID;

/* size 16, align 8 */
typedef struct _RTM_ENTITY_INFO {
    USHORT        RtmInstanceId;   /* 0 */
    USHORT        AddressFamily;   /* 2 */
    RTM_ENTITY_ID EntityId;        /* 8 */
} RTM_ENTITY_INFO, *PRTM_ENTITY_INFO;

/* ------------------------------------------------------------------------ */
/* Events                                                                     */
/* ------------------------------------------------------------------------ */

typedef enum _RTM_EVENT_TYPE {
    RTM_ENTITY_REGISTERED   = 0,
    RTM_ENTITY_DEREGISTERED = 1,
    RTM_ROUTE_EXPIRED       = 2,
    RTM_CHANGE_NOTIFICATION = 3
} RTM_EVENT_TYPE, *PRTM_EVENT_TYPE;

typedef DWORD (WINAPI *_EVENT_CALLBACK)(RTM_ENTITY_HANDLE RtmRegHandle,
                                        RTM_EVENT_TYPE    EventType,
                                        PVOID             Context1,
                                        PVOID             Context2);

typedef _EVENT_CALLBACK RTM_EVENT_CALLBACK, *PRTM_EVENT_CALLBACK;

/* ------------------------------------------------------------------------ */
/* Entity methods                                                             */
/* ------------------------------------------------------------------------ */

#define METHOD_TYPE_ALL_METHODS     0xFFFFFFFF

/* RIPv2 methods */
#define METHOD_RIP2_NEIGHBOUR_ADDR  0x00000001
#define METHOD_RIP2_OUTBOUND_INTF   0x00000002
#define METHOD_RIP2_ROUTE_TAG       0x00000004
#define METHOD_RIP2_ROUTE_TIMESTAMP 0x00000008

/* OSPF methods */
#define METHOD_OSPF_ROUTE_TYPE      0x00000001
#define METHOD_OSPF_ROUTE_METRIC    0x00000002
#define METHOD_OSPF_LSDB_TYPE       0x00000004
#define METHOD_OSPF_ROUTE_TAG       0x00000008
#define METHOD_OSPF_ROUTE_AREA      0x00000010
#define METHOD_OSPF_FWD_ADDRESS     0x00000020

/* BGP4 methods */
#define METHOD_BGP4_AS_PATH         0x00000001
#define METHOD_BGP4_PEER_ID         0x00000002
#define METHOD_BGP4_PA_ORIGIN       0x00000004
#define METHOD_BGP4_NEXTHOP_ATTR    0x00000008

typedef DWORD RTM_ENTITY_METHOD_TYPE, *PRTM_ENTITY_METHOD_TYPE;

/* size 12, align 4 */
typedef struct _RTM_ENTITY_METHOD_INPUT {
    RTM_ENTITY_METHOD_TYPE MethodType;    /* 0 */
    UINT                   InputSize;     /* 4 */
    UCHAR                  InputData[1];  /* 8: variable length */
} RTM_ENTITY_METHOD_INPUT, *PRTM_ENTITY_METHOD_INPUT;

/* size 16, align 4 */
typedef struct _RTM_ENTITY_METHOD_OUTPUT {
    RTM_ENTITY_METHOD_TYPE MethodType;     /*  0 */
    DWORD                  MethodStatus;   /*  4 */
    UINT                   OutputSize;     /*  8 */
    UCHAR                  OutputData[1];  /* 12: variable length */
} RTM_ENTITY_METHOD_OUTPUT, *PRTM_ENTITY_METHOD_OUTPUT;

typedef VOID (WINAPI *_ENTITY_METHOD)(RTM_ENTITY_HANDLE         CallerHandle,
                                      RTM_ENTITY_HANDLE         CalleeHandle,
                                      RTM_ENTITY_METHOD_INPUT  *Input,
                                      RTM_ENTITY_METHOD_OUTPUT *Output);

typedef _ENTITY_METHOD RTM_ENTITY_EXPORT_METHOD, *PRTM_ENTITY_EXPORT_METHOD;

/* size 16, align 8 */
typedef struct _RTM_ENTITY_EXPORT_METHODS {
    UINT                     NumMethods;  /* 0 */
    RTM_ENTITY_EXPORT_METHOD Methods[1];  /* 8: variable length */
} RTM_ENTITY_EXPORT_METHODS, *PRTM_ENTITY_EXPORT_METHODS;

/* RtmBlockMethods BlockingFlag */
#define RTM_RESUME_METHODS 0
#define RTM_BLOCK_METHODS  1

/* RtmBlockMethods TargetType (not in the Windows header; spec part 1, 4.4) */
#ifndef DEST_TYPE
#define DEST_TYPE    1
#endif
#ifndef ROUTE_TYPE
#define ROUTE_TYPE   2
#endif
#ifndef NEXTHOP_TYPE
#define NEXTHOP_TYPE 3
#endif

/* ------------------------------------------------------------------------ */
/* Change, match, enumeration and notification flags                         */
/* ------------------------------------------------------------------------ */

typedef DWORD RTM_ROUTE_CHANGE_FLAGS, *PRTM_ROUTE_CHANGE_FLAGS;

#define RTM_ROUTE_CHANGE_FIRST 0x01
#define RTM_ROUTE_CHANGE_NEW   0x02
#define RTM_ROUTE_CHANGE_BEST  0x00010000

typedef DWORD RTM_NEXTHOP_CHANGE_FLAGS, *PRTM_NEXTHOP_CHANGE_FLAGS;

#define RTM_NEXTHOP_CHANGE_NEW 0x01

typedef DWORD RTM_MATCH_FLAGS, *PRTM_MATCH_FLAGS;

#define RTM_MATCH_NONE      0x00000000
#define RTM_MATCH_OWNER     0x00000001
#define RTM_MATCH_NEIGHBOUR 0x00000002
#define RTM_MATCH_PREF      0x00000004
#define RTM_MATCH_NEXTHOP   0x00000008
#define RTM_MATCH_INTERFACE 0x00000010
#define RTM_MATCH_FULL      0x0000FFFF

/* ProtocolId selectors */
#define RTM_BEST_PROTOCOL ((ULONG) 0)
#define RTM_THIS_PROTOCOL ((ULONG) ~0u)

typedef DWORD RTM_ENUM_FLAGS, *PRTM_ENUM_FLAGS;

#define RTM_ENUM_START      0x00000000
#define RTM_ENUM_NEXT       0x00000001
#define RTM_ENUM_RANGE      0x00000002

#define RTM_ENUM_ALL_DESTS  0x00000000
#define RTM_ENUM_OWN_DESTS  0x01000000

#define RTM_ENUM_ALL_ROUTES 0x00000000
#define RTM_ENUM_OWN_ROUTES 0x00010000

typedef DWORD RTM_NOTIFY_FLAGS, *PRTM_NOTIFY_FLAGS;

#define RTM_NUM_CHANGE_TYPES 3

#define RTM_CHANGE_TYPE_ALL        0x0001
#define RTM_CHANGE_TYPE_BEST       0x0002
#define RTM_CHANGE_TYPE_FORWARDING 0x0004

#define RTM_NOTIFY_ONLY_MARKED_DESTS 0x00010000

/* ------------------------------------------------------------------------ */
/* Functions                                                                  */
/* ------------------------------------------------------------------------ */

/* Entity registration and discovery */

DWORD WINAPI RtmRegisterEntity(
    PRTM_ENTITY_INFO           RtmEntityInfo,
    PRTM_ENTITY_EXPORT_METHODS ExportMethods,
    RTM_EVENT_CALLBACK         EventCallback,
    BOOL                       ReserveOpaquePointer,
    PRTM_REGN_PROFILE          RtmRegProfile,
    PRTM_ENTITY_HANDLE         RtmRegHandle);

DWORD WINAPI RtmDeregisterEntity(
    RTM_ENTITY_HANDLE RtmRegHandle);

DWORD WINAPI RtmGetRegisteredEntities(
    RTM_ENTITY_HANDLE  RtmRegHandle,
    PUINT              NumEntities,
    PRTM_ENTITY_HANDLE EntityHandles,
    PRTM_ENTITY_INFO   EntityInfos);

DWORD WINAPI RtmReleaseEntities(
    RTM_ENTITY_HANDLE  RtmRegHandle,
    UINT               NumEntities,
    PRTM_ENTITY_HANDLE EntityHandles);

DWORD WINAPI RtmGetEntityInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENTITY_HANDLE EntityHandle,
    PRTM_ENTITY_INFO  EntityInfo);

DWORD WINAPI RtmReleaseEntityInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_ENTITY_INFO  EntityInfo);

/* Entity methods */

DWORD WINAPI RtmGetEntityMethods(
    RTM_ENTITY_HANDLE         RtmRegHandle,
    RTM_ENTITY_HANDLE         EntityHandle,
    PUINT                     NumMethods,
    PRTM_ENTITY_EXPORT_METHOD ExptMethods);

DWORD WINAPI RtmInvokeMethod(
    RTM_ENTITY_HANDLE         RtmRegHandle,
    RTM_ENTITY_HANDLE         EntityHandle,
    PRTM_ENTITY_METHOD_INPUT  Input,
    PUINT                     OutputSize,
    PRTM_ENTITY_METHOD_OUTPUT Output);

DWORD WINAPI RtmBlockMethods(
    RTM_ENTITY_HANDLE RtmRegHandle,
    HANDLE            TargetHandle,
    UCHAR             TargetType,
    DWORD             BlockingFlag);

/* Reading information by handle */

DWORD WINAPI RtmGetDestInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    ULONG             ProtocolId,
    RTM_VIEW_SET      TargetViews,
    PRTM_DEST_INFO    DestInfo);

DWORD WINAPI RtmReleaseDestInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_DEST_INFO    DestInfo);

DWORD WINAPI RtmGetRouteInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ROUTE_HANDLE  RouteHandle,
    PRTM_ROUTE_INFO   RouteInfo,
    PRTM_NET_ADDRESS  DestAddress);

DWORD WINAPI RtmReleaseRouteInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_ROUTE_INFO   RouteInfo);

DWORD WINAPI RtmGetNextHopInfo(
    RTM_ENTITY_HANDLE  RtmRegHandle,
    RTM_NEXTHOP_HANDLE NextHopHandle,
    PRTM_NEXTHOP_INFO  NextHopInfo);

DWORD WINAPI RtmReleaseNextHopInfo(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_NEXTHOP_INFO NextHopInfo);

/* Adding, updating and deleting routes; hold-down */

DWORD WINAPI RtmAddRouteToDest(
    RTM_ENTITY_HANDLE       RtmRegHandle,
    PRTM_ROUTE_HANDLE       RouteHandle,
    PRTM_NET_ADDRESS        DestAddress,
    PRTM_ROUTE_INFO         RouteInfo,
    ULONG                   TimeToLive,
    RTM_ROUTE_LIST_HANDLE   RouteListHandle,
    RTM_NOTIFY_FLAGS        NotifyType,
    RTM_NOTIFY_HANDLE       NotifyHandle,
    PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);

DWORD WINAPI RtmDeleteRouteToDest(
    RTM_ENTITY_HANDLE       RtmRegHandle,
    RTM_ROUTE_HANDLE        RouteHandle,
    PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);

DWORD WINAPI RtmHoldDestination(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    RTM_VIEW_SET      TargetViews,
    ULONG             HoldTime);

/* Direct (in-place) route access */

DWORD WINAPI RtmGetRoutePointer(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ROUTE_HANDLE  RouteHandle,
    PRTM_ROUTE_INFO  *RoutePointer);

DWORD WINAPI RtmLockRoute(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ROUTE_HANDLE  RouteHandle,
    BOOL              Exclusive,
    BOOL              LockRoute,
    PRTM_ROUTE_INFO  *RoutePointer);

DWORD WINAPI RtmUpdateAndUnlockRoute(
    RTM_ENTITY_HANDLE       RtmRegHandle,
    RTM_ROUTE_HANDLE        RouteHandle,
    ULONG                   TimeToLive,
    RTM_ROUTE_LIST_HANDLE   RouteListHandle,
    RTM_NOTIFY_FLAGS        NotifyType,
    RTM_NOTIFY_HANDLE       NotifyHandle,
    PRTM_ROUTE_CHANGE_FLAGS ChangeFlags);

/* Searching the table */

DWORD WINAPI RtmGetExactMatchDestination(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_NET_ADDRESS  DestAddress,
    ULONG             ProtocolId,
    RTM_VIEW_SET      TargetViews,
    PRTM_DEST_INFO    DestInfo);

DWORD WINAPI RtmGetMostSpecificDestination(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_NET_ADDRESS  DestAddress,
    ULONG             ProtocolId,
    RTM_VIEW_SET      TargetViews,
    PRTM_DEST_INFO    DestInfo);

DWORD WINAPI RtmGetLessSpecificDestination(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    ULONG             ProtocolId,
    RTM_VIEW_SET      TargetViews,
    PRTM_DEST_INFO    DestInfo);

DWORD WINAPI RtmGetExactMatchRoute(
    RTM_ENTITY_HANDLE RtmRegHandle,
    PRTM_NET_ADDRESS  DestAddress,
    RTM_MATCH_FLAGS   MatchingFlags,
    PRTM_ROUTE_INFO   RouteInfo,
    ULONG             InterfaceIndex,
    RTM_VIEW_SET      TargetViews,
    PRTM_ROUTE_HANDLE RouteHandle);

DWORD WINAPI RtmIsBestRoute(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ROUTE_HANDLE  RouteHandle,
    PRTM_VIEW_SET     BestInViews);

/* Next hops */

DWORD WINAPI RtmAddNextHop(
    RTM_ENTITY_HANDLE         RtmRegHandle,
    PRTM_NEXTHOP_INFO         NextHopInfo,
    PRTM_NEXTHOP_HANDLE       NextHopHandle,
    PRTM_NEXTHOP_CHANGE_FLAGS ChangeFlags);

DWORD WINAPI RtmFindNextHop(
    RTM_ENTITY_HANDLE    RtmRegHandle,
    PRTM_NEXTHOP_INFO    NextHopInfo,
    PRTM_NEXTHOP_HANDLE  NextHopHandle,
    PRTM_NEXTHOP_INFO   *NextHopPointer);

DWORD WINAPI RtmDeleteNextHop(
    RTM_ENTITY_HANDLE  RtmRegHandle,
    RTM_NEXTHOP_HANDLE NextHopHandle,
    PRTM_NEXTHOP_INFO  NextHopInfo);

DWORD WINAPI RtmGetNextHopPointer(
    RTM_ENTITY_HANDLE   RtmRegHandle,
    RTM_NEXTHOP_HANDLE  NextHopHandle,
    PRTM_NEXTHOP_INFO  *NextHopPointer);

DWORD WINAPI RtmLockNextHop(
    RTM_ENTITY_HANDLE   RtmRegHandle,
    RTM_NEXTHOP_HANDLE  NextHopHandle,
    BOOL                Exclusive,
    BOOL                LockNextHop,
    PRTM_NEXTHOP_INFO  *NextHopPointer);

/* Destination locks and opaque pointers */

DWORD WINAPI RtmLockDestination(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    BOOL              Exclusive,
    BOOL              LockDest);

DWORD WINAPI RtmGetOpaqueInformationPointer(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    PVOID            *OpaqueInfoPointer);

/* Explicit references */

DWORD WINAPI RtmReferenceHandles(
    RTM_ENTITY_HANDLE RtmRegHandle,
    UINT              NumHandles,
    HANDLE           *RtmHandles);

/* Enumerations */

DWORD WINAPI RtmCreateDestEnum(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_VIEW_SET      TargetViews,
    RTM_ENUM_FLAGS    EnumFlags,
    PRTM_NET_ADDRESS  NetAddress,
    ULONG             ProtocolId,
    PRTM_ENUM_HANDLE  RtmEnumHandle);

DWORD WINAPI RtmGetEnumDests(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENUM_HANDLE   EnumHandle,
    PUINT             NumDests,
    PRTM_DEST_INFO    DestInfos);

DWORD WINAPI RtmReleaseDests(
    RTM_ENTITY_HANDLE RtmRegHandle,
    UINT              NumDests,
    PRTM_DEST_INFO    DestInfos);

DWORD WINAPI RtmCreateRouteEnum(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_DEST_HANDLE   DestHandle,
    RTM_VIEW_SET      TargetViews,
    RTM_ENUM_FLAGS    EnumFlags,
    PRTM_NET_ADDRESS  StartDest,
    RTM_MATCH_FLAGS   MatchingFlags,
    PRTM_ROUTE_INFO   CriteriaRoute,
    ULONG             CriteriaInterface,
    PRTM_ENUM_HANDLE  RtmEnumHandle);

DWORD WINAPI RtmGetEnumRoutes(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENUM_HANDLE   EnumHandle,
    PUINT             NumRoutes,
    PRTM_ROUTE_HANDLE RouteHandles);

DWORD WINAPI RtmReleaseRoutes(
    RTM_ENTITY_HANDLE RtmRegHandle,
    UINT              NumRoutes,
    PRTM_ROUTE_HANDLE RouteHandles);

DWORD WINAPI RtmCreateNextHopEnum(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENUM_FLAGS    EnumFlags,
    PRTM_NET_ADDRESS  NetAddress,
    PRTM_ENUM_HANDLE  RtmEnumHandle);

DWORD WINAPI RtmGetEnumNextHops(
    RTM_ENTITY_HANDLE   RtmRegHandle,
    RTM_ENUM_HANDLE     EnumHandle,
    PUINT               NumNextHops,
    PRTM_NEXTHOP_HANDLE NextHopHandles);

DWORD WINAPI RtmReleaseNextHops(
    RTM_ENTITY_HANDLE   RtmRegHandle,
    UINT                NumNextHops,
    PRTM_NEXTHOP_HANDLE NextHopHandles);

DWORD WINAPI RtmDeleteEnumHandle(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENUM_HANDLE   EnumHandle);

/* Change notification */

DWORD WINAPI RtmRegisterForChangeNotification(
    RTM_ENTITY_HANDLE  RtmRegHandle,
    RTM_VIEW_SET       TargetViews,
    RTM_NOTIFY_FLAGS   NotifyFlags,
    PVOID              NotifyContext,
    PRTM_NOTIFY_HANDLE NotifyHandle);

DWORD WINAPI RtmGetChangedDests(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    PUINT             NumDests,
    PRTM_DEST_INFO    ChangedDests);

DWORD WINAPI RtmReleaseChangedDests(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    UINT              NumDests,
    PRTM_DEST_INFO    ChangedDests);

DWORD WINAPI RtmIgnoreChangedDests(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    UINT              NumDests,
    PRTM_DEST_HANDLE  ChangedDests);

DWORD WINAPI RtmGetChangeStatus(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    RTM_DEST_HANDLE   DestHandle,
    PBOOL             ChangeStatus);

DWORD WINAPI RtmMarkDestForChangeNotification(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    RTM_DEST_HANDLE   DestHandle,
    BOOL              MarkDest);

DWORD WINAPI RtmIsMarkedForChangeNotification(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle,
    RTM_DEST_HANDLE   DestHandle,
    PBOOL             DestMarked);

DWORD WINAPI RtmDeregisterFromChangeNotification(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_NOTIFY_HANDLE NotifyHandle);

/* Route lists */

DWORD WINAPI RtmCreateRouteList(
    RTM_ENTITY_HANDLE      RtmRegHandle,
    PRTM_ROUTE_LIST_HANDLE RouteListHandle);

DWORD WINAPI RtmInsertInRouteList(
    RTM_ENTITY_HANDLE     RtmRegHandle,
    RTM_ROUTE_LIST_HANDLE RouteListHandle,
    UINT                  NumRoutes,
    PRTM_ROUTE_HANDLE     RouteHandles);

DWORD WINAPI RtmCreateRouteListEnum(
    RTM_ENTITY_HANDLE     RtmRegHandle,
    RTM_ROUTE_LIST_HANDLE RouteListHandle,
    PRTM_ENUM_HANDLE      RtmEnumHandle);

DWORD WINAPI RtmGetListEnumRoutes(
    RTM_ENTITY_HANDLE RtmRegHandle,
    RTM_ENUM_HANDLE   EnumHandle,
    PUINT             NumRoutes,
    PRTM_ROUTE_HANDLE RouteHandles);

DWORD WINAPI RtmDeleteRouteList(
    RTM_ENTITY_HANDLE     RtmRegHandle,
    RTM_ROUTE_LIST_HANDLE RouteListHandle);

#ifdef __cplusplus
}
#endif

#endif /* __ROUTING_RTMv2_H__ */
