/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rtm: the ioctl ABI of /dev/rtm, the in-kernel RTMv2 routing table manager.
 *
 * One open file of /dev/rtm is one RTMv2 registration (entity).  The file is
 * opened, then RTM_IOC_REGISTER makes it an entity of one table, identified
 * by (network namespace of the opener, RtmInstanceId, address family).
 * Closing the file (or the death of the process) deregisters the entity and
 * releases everything it held.
 *
 * Rules every command follows (Documentation/rtm.rst, "ABI"):
 *  - arguments are fixed-size structs of __u16/__u32/__u64 with explicit
 *    padding, identical on 32- and 64-bit user space;
 *  - user pointers travel as __u64, arrays as pointer + count, and counts
 *    are capped (RTM_MAX_BATCH, the profile's limits);
 *  - every "reserved" field must be zero and every flags word rejects
 *    unknown bits with -EINVAL;
 *  - handles are opaque __u64 values, never kernel addresses.  A handle
 *    names one object for every registration of its table; a stale handle
 *    never names a newer object.
 *
 * Errors are negative errnos; librtm maps them one to one onto Win32 codes:
 *   -ESTALE  ERROR_INVALID_HANDLE       -EACCES     ERROR_ACCESS_DENIED
 *   -ENOMEM  ERROR_NOT_ENOUGH_MEMORY    -EINVAL     ERROR_INVALID_PARAMETER
 *   -ENOBUFS ERROR_INSUFFICIENT_BUFFER  -EEXIST     ERROR_ALREADY_EXISTS
 *   -ENOENT  ERROR_NOT_FOUND            -ENOSPC     ERROR_NO_SYSTEM_RESOURCES
 *   -EBADMSG ERROR_INVALID_DATA         -EOPNOTSUPP ERROR_NOT_SUPPORTED
 *   -EFAULT  ERROR_INVALID_PARAMETER (a bad user pointer)
 *   -ETIMEDOUT ERROR_TIMEOUT (a method call into another process)
 *   -EBADFD  ERROR_INVALID_HANDLE (the file is not, or no longer, registered)
 *   -EALREADY, -ENOTTY (unknown command or wrong argument size) and any
 *            other errno: ERROR_INVALID_PARAMETER
 */
#ifndef _UAPI_LINUX_RTM_H
#define _UAPI_LINUX_RTM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define RTM_DEVICE_NAME		"rtm"

#define RTM_ABI_MAJOR		1	/* incompatible changes */
#define RTM_ABI_MINOR		2	/* compatible additions */

#define RTM_MAX_ADDR_BYTES	16
#define RTM_UAPI_VIEWS		2	/* ViewInfo slots carried per dest */
#define RTM_MAX_BATCH		1024	/* cap on any array in one call */
#define RTM_MAX_METHODS		32

/* Handle kinds, kept in bits 60..63 of every handle value. */
enum rtm_handle_type {
	RTM_HT_NONE	= 0,
	RTM_HT_ENTITY	= 1,
	RTM_HT_DEST	= 2,
	RTM_HT_ROUTE	= 3,
	RTM_HT_NEXTHOP	= 4,
	RTM_HT_ENUM	= 5,
	RTM_HT_NOTIFY	= 6,
	RTM_HT_LIST	= 7,
	RTM_HT_MAX
};

#define RTM_HANDLE_TYPE(h)	((__u32)((__u64)(h) >> 60))

/*
 * A prefix: family, length in bits and the address in network byte order.
 * The kernel clears every bit past @bits before storing or comparing it.
 */
struct rtm_addr {
	__u16 family;		/* AF_INET (2) or AF_INET6 (10) */
	__u16 bits;		/* prefix length, <= 32 or 128 */
	__u32 reserved;		/* must be zero */
	__u8  addr[RTM_MAX_ADDR_BYTES];
};

/*
 * RTM_IOC_VERSION: any file, registered or not.  librtm refuses a module
 * whose @major differs from its own RTM_ABI_MAJOR.
 */
struct rtm_version {
	__u32 major;		/* out */
	__u32 minor;		/* out */
	__u64 features;		/* out: feature bits, none defined yet */
};

/* The profile handed out at registration (RTM_REGN_PROFILE). */
struct rtm_profile {
	__u32 max_nexthops;	/* MaxNextHopsInRoute */
	__u32 max_enum;		/* MaxHandlesInEnum */
	__u32 views;		/* ViewsSupported */
	__u32 num_views;	/* NumberOfViews */
};

#define RTM_REG_RESERVE_OPAQUE	0x1	/* ReserveOpaquePointer = TRUE */
#define RTM_REG_EVENTS		0x2	/* an event callback was supplied */
#define RTM_REG_FLAGS		(RTM_REG_RESERVE_OPAQUE | RTM_REG_EVENTS)

/*
 * RTM_IOC_REGISTER: RtmRegisterEntity.  Turns this file into entity
 * @entity_id of table (netns, @instance, @family).  @methods points at
 * @num_methods (<= 32) opaque __u64 method values, kept for RtmGetEntity-
 * Methods.  Errors: -EEXIST (id already registered in that table), -ENOSPC
 * (no opaque slot or too many entities), -EINVAL, -EALREADY (this file is
 * already registered).
 */
struct rtm_register {
	__u16 instance;		/* in: RtmInstanceId */
	__u16 family;		/* in: AF_INET or AF_INET6 */
	__u32 flags;		/* in: RTM_REG_* */
	__u64 entity_id;	/* in: RTM_ENTITY_ID.EntityId */
	__u32 num_methods;	/* in */
	__u32 reserved;		/* must be zero */
	__u64 methods;		/* in: user pointer to __u64[num_methods] */
	__u64 handle;		/* out: the registration (entity) handle */
	struct rtm_profile profile;	/* out */
};

/* One entry of an RTM_ENTITY_INFO array. */
struct rtm_entity_rec {
	__u16 instance;
	__u16 family;
	__u32 reserved;
	__u64 entity_id;
};

/*
 * RTM_IOC_GET_ENTITIES: RtmGetRegisteredEntities.  @count is the capacity
 * of each non-null array on input, the number of entities on output.  If
 * the arrays cannot take every entity, nothing is written, no reference is
 * taken, @count is the number needed and the call fails with -ENOBUFS;
 * the same capacity rule applies when both arrays are 0.
 * Every handle written carries a reference for the caller.
 */
struct rtm_get_entities {
	__u32 count;		/* in/out */
	__u32 reserved;
	__u64 handles;		/* out: __u64[count] or 0 */
	__u64 infos;		/* out: struct rtm_entity_rec[count] or 0 */
};

/*
 * RTM_IOC_ENTITY_INFO: RtmGetEntityInfo of any entity of the caller's
 * table, live or deregistered but still referenced.  No reference taken.
 */
struct rtm_entity_info {
	__u64 handle;		/* in */
	struct rtm_entity_rec info;	/* out */
};

/* One handle with the kind the caller expects it to be. */
struct rtm_handle_ref {
	__u64 handle;
	__u32 type;		/* enum rtm_handle_type; 0 = any object kind */
	__u32 reserved;
};

/*
 * RTM_IOC_RELEASE: gives back one reference per entry.  Entries whose
 * handle is 0 are skipped.  Every valid entry is released; an entry that
 * names no live object of the expected kind in the caller's table, or on
 * which the caller holds no reference, is counted in @invalid.
 * RTM_IOC_REFERENCE: takes one reference per entry, all or nothing: any
 * invalid entry (a 0 handle included) fails the call with -ESTALE.
 */
struct rtm_handles {
	__u32 count;		/* in: <= RTM_MAX_BATCH */
	__u32 invalid;		/* out (RELEASE) */
	__u64 refs;		/* in: struct rtm_handle_ref[count] */
};

#define RTM_NH_WANT_HANDLE	0x1	/* return the handle with a reference */
#define RTM_NH_BY_HANDLE	0x2	/* @handle names the next hop */

/*
 * A next hop (RTM_NEXTHOP_INFO).  Input of RTM_IOC_ADD_NEXTHOP uses
 * @addr, @ifindex, @flags and @esi; the rest is set by the kernel.
 */
struct rtm_nexthop_rec {
	struct rtm_addr addr;	/* identity, with @ifindex */
	__u64 owner;		/* out (referenced by NEXTHOP_INFO) */
	__u32 ifindex;
	__u16 state;		/* out: RTM_NEXTHOP_STATE_* */
	__u16 flags;		/* RTM_NEXTHOP_FLAGS_* */
	__u64 esi;		/* EntitySpecificInfo, opaque */
	__u64 remote;		/* out: RemoteNextHop dest handle or 0 */
};

/*
 * RTM_IOC_ADD_NEXTHOP: RtmAddNextHop.  With RTM_NH_BY_HANDLE the next hop
 * @handle names is updated (the caller must own it, -EACCES otherwise;
 * its identity must equal @rec's, -EINVAL otherwise).  Otherwise the
 * caller's next hop with @rec's identity is found or created; with
 * RTM_NH_WANT_HANDLE its handle is returned with a new reference.
 */
struct rtm_add_nexthop {
	__u32 flags;		/* in: RTM_NH_WANT_HANDLE | RTM_NH_BY_HANDLE */
	__u32 change_flags;	/* out: RTM_NEXTHOP_CHANGE_NEW or 0 */
	__u64 handle;		/* in/out */
	struct rtm_nexthop_rec rec;	/* in */
};

/*
 * RTM_IOC_FIND_NEXTHOP: RtmFindNextHop in the caller's own next hops.
 * Returns the record (no references inside it) and, with
 * RTM_NH_WANT_HANDLE, the handle with a new reference (else @handle is 0).
 * -ENOENT if none.
 * RTM_IOC_DELETE_NEXTHOP: RtmDeleteNextHop, by handle (RTM_NH_BY_HANDLE,
 * the caller's reference is consumed on success) or by identity.
 */
struct rtm_find_nexthop {
	__u32 flags;		/* in: RTM_NH_WANT_HANDLE / RTM_NH_BY_HANDLE */
	__u32 reserved;
	__u64 handle;		/* in (delete by handle) / out (find) */
	struct rtm_nexthop_rec rec;	/* in: identity; out: contents */
};

/*
 * RTM_IOC_NEXTHOP_INFO: RtmGetNextHopInfo.  @rec.owner and a non-zero
 * @rec.remote carry a reference for the caller.
 */
struct rtm_nexthop_info {
	__u64 handle;		/* in */
	struct rtm_nexthop_rec rec;	/* out */
};

/*
 * A route (RTM_ROUTE_INFO).  @nexthops points at a user array of __u64
 * handles: on input @num_nexthops of them are read; on output the array
 * must hold the profile's max_nexthops and @num_nexthops are written.
 */
struct rtm_route_rec {
	__u64 dest;		/* out */
	__u64 owner;		/* out */
	__u64 neighbour;	/* next hop handle or 0 */
	__u64 esi;		/* EntitySpecificInfo, opaque */
	__u32 metric;
	__u32 preference;	/* 0 on add: the protocol's default */
	__u32 views;		/* BelongsToViews */
	__u16 flags;		/* RTM_ROUTE_FLAGS_* */
	__u8  flags1;
	__u8  state;		/* out: RTM_ROUTE_STATE_* */
	__u32 num_nexthops;
	__u32 reserved;
	__u64 nexthops;		/* user pointer to __u64[] */
};

#define RTM_RT_BY_HANDLE	0x1	/* mode (a): @handle names the route */
#define RTM_RT_WANT_HANDLE	0x2	/* mode (b): return handle + reference */
#define RTM_RT_HAVE_DEST	0x4	/* @dest_addr is given */
#define RTM_RT_FLAGS		0x7

/*
 * RTM_IOC_ADD_ROUTE: RtmAddRouteToDest.  @change_flags is the input
 * RTM_ROUTE_CHANGE_FIRST / RTM_ROUTE_CHANGE_NEW selector (ignored with
 * RTM_RT_BY_HANDLE) and the output RTM_ROUTE_CHANGE_NEW / _BEST flags.
 * @ttl is in milliseconds, 0xffffffff for never; 0 is -EINVAL.
 * @list is a route-list handle or 0.
 */
struct rtm_add_route {
	__u32 flags;		/* in: RTM_RT_* */
	__u32 change_flags;	/* in/out */
	__u64 handle;		/* in (BY_HANDLE) / out (WANT_HANDLE) */
	struct rtm_addr dest_addr;	/* in */
	__u32 ttl;		/* in */
	__u32 reserved;
	__u64 list;		/* in: route list handle or 0 */
	struct rtm_route_rec rec;	/* in */
};

/*
 * RTM_IOC_DELETE_ROUTE: RtmDeleteRouteToDest.  Consumes the caller's
 * reference on @handle on success only.  -EACCES if not the owner,
 * -ENOENT if the route is no longer in the table.
 */
struct rtm_delete_route {
	__u64 handle;		/* in */
	__u32 change_flags;	/* out */
	__u32 reserved;
};

/*
 * RTM_IOC_ADD_ROUTES, RTM_IOC_DELETE_ROUTES (ABI 1.2, a Linux extension):
 * @count (1..RTM_MAX_BATCH) RTM_IOC_ADD_ROUTE or RTM_IOC_DELETE_ROUTE
 * calls in one.  @entries points at @count struct rtm_add_route or struct
 * rtm_delete_route; each is processed in array order exactly as the single
 * call would process it, and its outputs (change_flags, handle) are
 * written back in place; its result, 0 or a negative errno of the single
 * call, goes to @status[i] (__s32).  One entry's failure does not stop the
 * others.  @done (out) counts the entries processed: all of them when the
 * call returns 0; on an error return (-EFAULT, -ENOMEM, -EINTR) the first
 * @done entries were processed and have their results.
 */
struct rtm_route_batch {
	__u32 count;		/* in */
	__u32 done;		/* out */
	__u64 entries;		/* in: user pointer to the entries (in/out) */
	__u64 status;		/* in: user pointer to __s32[count] (out) */
	__u32 flags;		/* in: none defined, 0 */
	__u32 reserved;
};

#define RTM_RI_WANT_INFO	0x1
#define RTM_RI_WANT_ADDR	0x2

/*
 * RTM_IOC_ROUTE_INFO: RtmGetRouteInfo of any route of the caller's table,
 * deleted ones included (their @state says so).  With RTM_RI_WANT_INFO,
 * @rec is filled and its dest, owner, non-zero neighbour and every next hop
 * carry a reference for the caller.
 */
struct rtm_route_info {
	__u64 handle;		/* in */
	__u32 flags;		/* in: RTM_RI_* */
	__u32 reserved;
	struct rtm_route_rec rec;	/* out (rec.nexthops: in) */
	struct rtm_addr addr;	/* out */
};

/* RTM_IOC_IS_BEST: RtmIsBestRoute. */
struct rtm_is_best {
	__u64 handle;		/* in */
	__u32 views;		/* out */
	__u32 reserved;
};

/* One per-view element of a destination (RTM_DEST_INFO.ViewInfo). */
struct rtm_view_rec {
	__u32 view_id;
	__u32 num_routes;
	__u64 route;
	__u64 owner;
	__u32 dest_flags;
	__u32 reserved;
	__u64 hold_route;
};

/* A destination (RTM_DEST_INFO). */
struct rtm_dest_rec {
	__u64 dest;
	struct rtm_addr addr;
	__u64 last_changed;	/* FILETIME: 100 ns since 1601-01-01 UTC */
	__u32 belongs;		/* BelongsToViews */
	__u32 num_views;	/* elements of @views used */
	struct rtm_view_rec views[RTM_UAPI_VIEWS];
};

enum rtm_dest_query_op {
	RTM_DQ_HANDLE = 0,	/* RtmGetDestInfo(@handle) */
	RTM_DQ_EXACT,		/* RtmGetExactMatchDestination(@addr) */
	RTM_DQ_LONGEST,		/* RtmGetMostSpecificDestination(@addr) */
	RTM_DQ_LESS,		/* RtmGetLessSpecificDestination(@handle) */
	RTM_DQ_MAX
};

/*
 * RTM_IOC_DEST_QUERY: fills @rec as RtmGetDestInfo does; @rec.dest and
 * every non-zero route, owner and hold_route carry a reference.
 * @views is the TargetViews mask (0: no per-view data; 0xffffffff: all
 * supported views); @protocol selects the reported route.
 */
struct rtm_dest_query {
	__u32 op;		/* in: enum rtm_dest_query_op */
	__u32 protocol;		/* in: RTM_BEST_PROTOCOL, ~0 or an id */
	__u32 views;		/* in */
	__u32 reserved;
	__u64 handle;		/* in (HANDLE, LESS) */
	struct rtm_addr addr;	/* in (EXACT, LONGEST) */
	struct rtm_dest_rec rec;	/* out */
};

#define RTM_MATCH_ALL_BITS	0x1f	/* OWNER..INTERFACE; others ignored */
#define RTM_RM_WANT_HANDLE	0x1

/*
 * RTM_IOC_ROUTE_MATCH: RtmGetExactMatchRoute.  @crit holds the criteria
 * (owner, neighbour, metric/preference, next hops); on success @crit is
 * overwritten with the route found (references as RTM_IOC_ROUTE_INFO) and,
 * with RTM_RM_WANT_HANDLE, @handle carries one more reference.
 */
struct rtm_route_match {
	struct rtm_addr addr;	/* in */
	__u32 match;		/* in: RTM_MATCH_* */
	__u32 ifindex;		/* in */
	__u32 views;		/* in */
	__u32 flags;		/* in: RTM_RM_WANT_HANDLE */
	__u64 handle;		/* out */
	struct rtm_route_rec crit;	/* in/out */
};

enum rtm_enum_kind {
	RTM_ENUM_KIND_DEST = 1,
	RTM_ENUM_KIND_ROUTE,
	RTM_ENUM_KIND_NEXTHOP,
	RTM_ENUM_KIND_LIST,		/* @dest holds the route list handle */
	RTM_ENUM_KIND_MAX
};

#define RTM_EC_HAVE_ADDR	0x1	/* @addr is given */

/*
 * RTM_IOC_ENUM_CREATE: RtmCreateDestEnum / RtmCreateRouteEnum /
 * RtmCreateNextHopEnum.  @enum_flags are the RTM_ENUM_* flags of the call,
 * @dest a destination handle (route enumerations) or 0, @crit the
 * criteria route and @ifindex the CriteriaInterface.  The enumeration
 * belongs to this registration and holds no references.
 */
struct rtm_enum_create {
	__u32 kind;		/* in: enum rtm_enum_kind */
	__u32 flags;		/* in: RTM_EC_* */
	__u32 enum_flags;	/* in */
	__u32 views;		/* in: TargetViews */
	__u32 protocol;		/* in: ProtocolId (dest enumerations) */
	__u32 match;		/* in: MatchingFlags (route enumerations) */
	__u32 ifindex;		/* in: CriteriaInterface */
	__u32 reserved;
	__u64 dest;		/* in */
	struct rtm_addr addr;	/* in */
	struct rtm_route_rec crit;	/* in */
	__u64 handle;		/* out */
};

#define RTM_EG_END	0x1	/* out: the enumeration is exhausted */

/*
 * RTM_IOC_ENUM_GET: the next batch of an enumeration.  @count is the
 * capacity of @buf on input (<= the profile's max_enum, else -EINVAL) and
 * the number of items written on output; @buf is __u64[] (routes, next
 * hops) or struct rtm_dest_rec[] (destinations).  RTM_EG_END in @status
 * means fewer items than asked remained (ERROR_NO_MORE_ITEMS).  Every
 * handle written carries a reference.
 */
struct rtm_enum_get {
	__u64 handle;		/* in */
	__u32 kind;		/* in: must match the enumeration */
	__u32 count;		/* in/out */
	__u64 buf;		/* in: user pointer */
	__u32 status;		/* out: RTM_EG_END */
	__u32 reserved;
};

/* RTM_IOC_ENUM_DELETE: RtmDeleteEnumHandle. */
struct rtm_enum_delete {
	__u64 handle;
};

/*
 * RTM_IOC_STATS: module-wide counters, on any file.  Tests use them to
 * prove that a dead client left nothing behind.
 */
struct rtm_stats {
	__u64 tables;
	__u64 registrations;
	__u64 entities;		/* entity objects, live or referenced */
	__u64 dests;
	__u64 routes;
	__u64 nexthops;
	__u64 enums;
	__u64 handle_refs;	/* references held by registrations */
	__u64 injected;		/* allocations failed by fault injection */
	__u64 reserved[7];
};

/*
 * Events, read(2) from the registration's file in whole records; poll(2)
 * says POLLIN when one is queued.  Queues are bounded: change
 * notifications are edge-triggered (one pending event per notification
 * registration, the changed-destination bits keep the rest), a route has
 * at most one expiry event pending, and entity events past the bound are
 * dropped and counted in the next event's @lost.  Events marked "1 ref"
 * carry one reference booked to the reader: librtm gives it back after
 * the callback (entity events) or hands it to the callback (expiry).
 */
enum rtm_event_type {
	RTM_EV_ENTITY_REGISTERED = 0,	/* @handle: entity (1 ref), @info */
	RTM_EV_ENTITY_DEREGISTERED = 1,	/* @handle: entity (1 ref), @info */
	RTM_EV_ROUTE_EXPIRED = 2,	/* @handle: route (1 ref) */
	RTM_EV_CHANGE_NOTIFICATION = 3,	/* @handle: notify, @context */
	RTM_EV_METHOD_CALL = 4,		/* @context: call id, @handle: caller */
	RTM_EV_MAX
};

struct rtm_event {
	__u32 type;		/* enum rtm_event_type */
	__u32 lost;		/* entity events dropped before this one */
	__u64 handle;
	__u64 context;
	struct rtm_entity_rec info;
	__u64 reserved[3];
};

#define RTM_NOTIFY_TYPES	0x7	/* RTM_CHANGE_TYPE_ALL|BEST|FORWARDING */
#define RTM_NOTIFY_MARKED	0x00010000	/* RTM_NOTIFY_ONLY_MARKED_DESTS */
#define RTM_MAX_NOTIFY		32	/* notification registrations per table */

/*
 * RTM_IOC_NOTIFY_REGISTER: RtmRegisterForChangeNotification.  -ENOSPC
 * past RTM_MAX_NOTIFY in the table, -EOPNOTSUPP for an unsupported view.
 */
struct rtm_notify_register {
	__u32 views;		/* in: TargetViews (0: all, no ViewInfo) */
	__u32 flags;		/* in: change types | RTM_NOTIFY_MARKED */
	__u64 context;		/* in: NotifyContext, returned in events */
	__u64 handle;		/* out */
};

enum rtm_notify_op {
	RTM_NO_DEREGISTER = 0,	/* RtmDeregisterFromChangeNotification */
	RTM_NO_IGNORE,		/* RtmIgnoreChangedDests(@dests[@count]) */
	RTM_NO_STATUS,		/* RtmGetChangeStatus(@dest) -> @result */
	RTM_NO_MARK,		/* RtmMarkDestForChangeNotification(@dest, 1) */
	RTM_NO_UNMARK,		/* ... (@dest, 0) */
	RTM_NO_IS_MARKED,	/* RtmIsMarkedForChangeNotification -> @result */
	RTM_NO_CHECK,		/* is @handle ours (deregistered ones too)? */
	RTM_NO_MAX
};

/* RTM_IOC_NOTIFY_OP: the other change-notification calls. */
struct rtm_notify_op_arg {
	__u64 handle;		/* in: notification handle */
	__u32 op;		/* in: enum rtm_notify_op */
	__u32 count;		/* in: IGNORE: entries of @dests */
	__u64 dest;		/* in: dest handle, or user pointer (IGNORE) */
	__u32 result;		/* out: STATUS, IS_MARKED */
	__u32 reserved;
};

/*
 * RTM_IOC_NOTIFY_GET: RtmGetChangedDests.  Takes up to @count dests off
 * the pending set and writes their current state (struct rtm_dest_rec[],
 * references for the caller); RTM_EG_END in @status when the set is now
 * empty, which re-arms the edge-triggered event.
 */
struct rtm_notify_get {
	__u64 handle;		/* in */
	__u32 count;		/* in/out */
	__u32 status;		/* out: RTM_EG_END */
	__u64 buf;		/* in: user pointer */
};

/* RTM_IOC_HOLD_DEST: RtmHoldDestination. */
struct rtm_hold_dest {
	__u64 dest;		/* in */
	__u32 views;		/* in: 0 means all supported views */
	__u32 hold_ms;		/* in: > 0 */
};

enum rtm_lock_kind {
	RTM_LK_DEST = 1,
	RTM_LK_ROUTE,
	RTM_LK_NEXTHOP,
	RTM_LK_MAX
};

#define RTM_LK_EXCLUSIVE	0x1	/* Exclusive = TRUE */
#define RTM_LK_UNLOCK		0x2	/* LockXxx = FALSE */
#define RTM_LK_COMMIT		0x4	/* next hop unlock: apply @nh edits */
#define RTM_LK_FLAGS		0x7

/*
 * RTM_IOC_LOCK: RtmLockDestination, RtmLockRoute and RtmLockNextHop.
 * Locks belong to the calling thread of this registration; other clients
 * wait (killable) for the destination or next hop until it is unlocked,
 * and a dying process's locks are released.  Locking a route or next hop
 * returns its record (@route, or @nh; values only, no references).
 */
struct rtm_lock {
	__u32 kind;		/* in: enum rtm_lock_kind */
	__u32 flags;		/* in: RTM_LK_* */
	__u64 handle;		/* in */
	struct rtm_route_rec route;	/* out (ROUTE lock) */
	struct rtm_nexthop_rec nh;	/* out (NEXTHOP lock) / in (COMMIT) */
};

/*
 * RTM_IOC_PEEK: the owner's read of its own route or next hop without
 * references (RtmGetRoutePointer, RtmGetNextHopPointer).
 */
struct rtm_peek {
	__u32 kind;		/* in: RTM_LK_ROUTE or RTM_LK_NEXTHOP */
	__u32 reserved;
	__u64 handle;		/* in */
	struct rtm_route_rec route;	/* out */
	struct rtm_nexthop_rec nh;	/* out */
};

/*
 * RTM_IOC_UPDATE_ROUTE: RtmUpdateAndUnlockRoute.  @rec holds the owner's
 * edits of Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo and
 * NextHopsList; the caller must hold the route's exclusive lock.
 */
struct rtm_update_route {
	__u64 handle;		/* in */
	__u32 ttl;		/* in: ms, 0xffffffff never */
	__u32 change_flags;	/* out */
	__u64 list;		/* in: route list handle or 0 */
	struct rtm_route_rec rec;	/* in */
};

enum rtm_opaque_op {
	RTM_OP_GET = 0,		/* check the caller has a slot */
	RTM_OP_SET,		/* the caller's cell is now non-NULL */
	RTM_OP_CLEAR,		/* the caller's cell is now NULL */
	RTM_OP_MAX
};

/*
 * RTM_IOC_OPAQUE: RtmGetOpaqueInformationPointer support.  The cells live
 * in the process; the kernel only knows which are non-NULL (a destination
 * with one stays in the table).  -ENOENT if the caller reserved no slot.
 */
struct rtm_opaque {
	__u64 dest;		/* in */
	__u32 op;		/* in: enum rtm_opaque_op */
	__u32 slot;		/* out */
};

enum rtm_list_op {
	RTM_LO_CREATE = 0,	/* RtmCreateRouteList -> @handle */
	RTM_LO_DELETE,		/* RtmDeleteRouteList(@handle) */
	RTM_LO_INSERT,		/* RtmInsertInRouteList(@handle or 0, routes) */
	RTM_LO_MAX
};

/* RTM_IOC_ROUTE_LIST: route lists; list enumerations use RTM_IOC_ENUM_*. */
struct rtm_route_list {
	__u32 op;		/* in: enum rtm_list_op */
	__u32 count;		/* in: INSERT: entries of @routes */
	__u64 handle;		/* in/out */
	__u64 routes;		/* in: user pointer to __u64[count] */
};

/*
 * RTM_IOC_EXPIRE_DONE: the owner's callback returned ERROR_NOT_SUPPORTED
 * for RTM_EV_ROUTE_EXPIRED: delete the route unless its timer was re-armed
 * meanwhile, and consume the event's reference either way.
 */
struct rtm_expire_done {
	__u64 handle;		/* in */
	__u32 change_flags;	/* out */
	__u32 reserved;
};

/* RTM_IOC_GET_METHODS: RtmGetEntityMethods (opaque method values). */
struct rtm_get_methods {
	__u64 entity;		/* in */
	__u32 count;		/* in: capacity; out: number written/exported */
	__u32 reserved;
	__u64 buf;		/* in: user pointer to __u64[count] */
};

/*
 * RTM_IOC_INVOKE: RtmInvokeMethod on an entity of another process.  The
 * call is queued to the callee (RTM_EV_METHOD_CALL), which fetches the
 * input with RTM_IOC_METHOD_INPUT and answers with RTM_IOC_METHOD_REPLY;
 * the caller waits (killable) up to @timeout_ms.  -ESTALE when the callee
 * dies or deregisters, -ETIMEDOUT on timeout.
 */
struct rtm_invoke {
	__u64 entity;		/* in: callee */
	__u32 in_size;		/* in: bytes at @in, <= RTM_METHOD_MAX_IO */
	__u32 out_size;		/* in: capacity of @out; out: bytes written */
	__u64 in;		/* in: user pointer */
	__u64 out;		/* in: user pointer */
	__u32 timeout_ms;	/* in: 0 = the module's default */
	__u32 reserved;
};

#define RTM_METHOD_MAX_IO	(64 * 1024)	/* input or output bytes */

/* RTM_IOC_METHOD_INPUT: the callee reads a queued call. */
struct rtm_method_input {
	__u64 call;		/* in: RTM_EV_METHOD_CALL @context */
	__u64 caller;		/* out: caller entity handle */
	__u32 in_size;		/* in: capacity; out: size of the input */
	__u32 out_cap;		/* out: capacity of the caller's output */
	__u64 in;		/* in: user pointer */
};

/* RTM_IOC_METHOD_REPLY: the callee answers a call. */
struct rtm_method_reply {
	__u64 call;		/* in */
	__u32 out_size;		/* in: bytes at @out, <= out_cap */
	__u32 reserved;
	__u64 out;		/* in: user pointer */
};

/* RTM_IOC_BLOCK_METHODS: RtmBlockMethods for the caller's own methods. */
struct rtm_block_methods {
	__u32 block;		/* in: RTM_BLOCK_METHODS (1) or RESUME (0) */
	__u32 reserved;
};

#define RTM_IOC_MAGIC	0xE2

#define RTM_IOC_VERSION		_IOR(RTM_IOC_MAGIC, 0x00, struct rtm_version)
#define RTM_IOC_REGISTER	_IOWR(RTM_IOC_MAGIC, 0x01, struct rtm_register)
#define RTM_IOC_DEREGISTER	_IO(RTM_IOC_MAGIC, 0x02)
#define RTM_IOC_GET_ENTITIES	_IOWR(RTM_IOC_MAGIC, 0x03, struct rtm_get_entities)
#define RTM_IOC_ENTITY_INFO	_IOWR(RTM_IOC_MAGIC, 0x04, struct rtm_entity_info)
#define RTM_IOC_RELEASE		_IOWR(RTM_IOC_MAGIC, 0x05, struct rtm_handles)
#define RTM_IOC_REFERENCE	_IOWR(RTM_IOC_MAGIC, 0x06, struct rtm_handles)
#define RTM_IOC_ADD_NEXTHOP	_IOWR(RTM_IOC_MAGIC, 0x07, struct rtm_add_nexthop)
#define RTM_IOC_FIND_NEXTHOP	_IOWR(RTM_IOC_MAGIC, 0x08, struct rtm_find_nexthop)
#define RTM_IOC_DELETE_NEXTHOP	_IOWR(RTM_IOC_MAGIC, 0x09, struct rtm_find_nexthop)
#define RTM_IOC_NEXTHOP_INFO	_IOWR(RTM_IOC_MAGIC, 0x0a, struct rtm_nexthop_info)
#define RTM_IOC_ADD_ROUTE	_IOWR(RTM_IOC_MAGIC, 0x0b, struct rtm_add_route)
#define RTM_IOC_DELETE_ROUTE	_IOWR(RTM_IOC_MAGIC, 0x0c, struct rtm_delete_route)
#define RTM_IOC_ROUTE_INFO	_IOWR(RTM_IOC_MAGIC, 0x0d, struct rtm_route_info)
#define RTM_IOC_IS_BEST		_IOWR(RTM_IOC_MAGIC, 0x0e, struct rtm_is_best)
#define RTM_IOC_DEST_QUERY	_IOWR(RTM_IOC_MAGIC, 0x0f, struct rtm_dest_query)
#define RTM_IOC_ROUTE_MATCH	_IOWR(RTM_IOC_MAGIC, 0x10, struct rtm_route_match)
#define RTM_IOC_ENUM_CREATE	_IOWR(RTM_IOC_MAGIC, 0x11, struct rtm_enum_create)
#define RTM_IOC_ENUM_GET	_IOWR(RTM_IOC_MAGIC, 0x12, struct rtm_enum_get)
#define RTM_IOC_ENUM_DELETE	_IOW(RTM_IOC_MAGIC, 0x13, struct rtm_enum_delete)
#define RTM_IOC_STATS		_IOR(RTM_IOC_MAGIC, 0x14, struct rtm_stats)
#define RTM_IOC_NOTIFY_REGISTER	_IOWR(RTM_IOC_MAGIC, 0x15, struct rtm_notify_register)
#define RTM_IOC_NOTIFY_OP	_IOWR(RTM_IOC_MAGIC, 0x16, struct rtm_notify_op_arg)
#define RTM_IOC_NOTIFY_GET	_IOWR(RTM_IOC_MAGIC, 0x17, struct rtm_notify_get)
#define RTM_IOC_HOLD_DEST	_IOW(RTM_IOC_MAGIC, 0x18, struct rtm_hold_dest)
#define RTM_IOC_LOCK		_IOWR(RTM_IOC_MAGIC, 0x19, struct rtm_lock)
#define RTM_IOC_PEEK		_IOWR(RTM_IOC_MAGIC, 0x1a, struct rtm_peek)
#define RTM_IOC_UPDATE_ROUTE	_IOWR(RTM_IOC_MAGIC, 0x1b, struct rtm_update_route)
#define RTM_IOC_OPAQUE		_IOWR(RTM_IOC_MAGIC, 0x1c, struct rtm_opaque)
#define RTM_IOC_ROUTE_LIST	_IOWR(RTM_IOC_MAGIC, 0x1d, struct rtm_route_list)
#define RTM_IOC_EXPIRE_DONE	_IOWR(RTM_IOC_MAGIC, 0x1e, struct rtm_expire_done)
#define RTM_IOC_GET_METHODS	_IOWR(RTM_IOC_MAGIC, 0x1f, struct rtm_get_methods)
#define RTM_IOC_INVOKE		_IOWR(RTM_IOC_MAGIC, 0x20, struct rtm_invoke)
#define RTM_IOC_METHOD_INPUT	_IOWR(RTM_IOC_MAGIC, 0x21, struct rtm_method_input)
#define RTM_IOC_METHOD_REPLY	_IOW(RTM_IOC_MAGIC, 0x22, struct rtm_method_reply)
#define RTM_IOC_BLOCK_METHODS	_IOW(RTM_IOC_MAGIC, 0x23, struct rtm_block_methods)
#define RTM_IOC_ADD_ROUTES	_IOWR(RTM_IOC_MAGIC, 0x24, struct rtm_route_batch)
#define RTM_IOC_DELETE_ROUTES	_IOWR(RTM_IOC_MAGIC, 0x25, struct rtm_route_batch)

#endif /* _UAPI_LINUX_RTM_H */
