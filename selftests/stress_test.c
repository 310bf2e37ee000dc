// SPDX-License-Identifier: GPL-2.0
/*
 * stress_test - several processes hammer shared tables with random
 * sequences of the entity, next-hop, route, lookup, enumeration and
 * reference calls (the 33 of issue 3), and of the calls of issue 4, while
 * a killer SIGKILLs them at random moments and restarts them.
 *
 * Workers (forked, one per slot) each hold four registrations: instance 0
 * AF_INET, instance 0 AF_INET6 and instance 1 AF_INET, and the timer
 * registration (instance 0 AF_INET again), with fixed entity ids per slot,
 * so a restarted worker re-registers the ids its killed predecessor used.
 * They add, update and delete next hops and routes (all modes and change
 * flags), read them back, look destinations up, leave enumerations
 * half-read, release (rightly and deliberately wrongly), reference
 * handles, list entities and deregister / re-register.  The address space
 * is a few hundred prefixes, so workers collide on the same destinations.
 *
 * The later calls live in stress_*.c (see stress.h): change notification,
 * the event callback (half the registrations have one), route expiry with
 * TimeToLives of 200 ms - 3 s (the timer registration), hold-downs of
 * 200 ms - 2 s, route, next-hop and destination locks and pointers, opaque
 * cells, route lists and entity methods invoked across processes.
 * Worker 0 is killed rarely, so that it lives to see TimeToLives,
 * hold-downs and notifications through; the others live a few hundred
 * milliseconds.
 *
 * Every return code is checked against what the spec allows for that call
 * in that situation.  Each worker keeps a model of what it holds: the
 * references it was given (per handle), its next-hop identities, its own
 * routes and whether it deleted them, its open enumerations.  A code or an
 * output the spec does not allow is printed with the call, its arguments
 * and the seeds, and the worker exits with status 3 (a kill is SIGKILL).
 *
 * The parent is the killer.  Then, with every worker alive:
 *   drain    each worker releases exactly what its model says it holds,
 *            deletes its enumerations, notifications and opaque cells
 *            (and the timer registration its routes): once the events in
 *            flight are delivered the module must book no reference and
 *            no enumeration (RTM_IOC_STATS);
 *   clean    each worker deletes its routes and next hops: once the
 *            hold-downs end no route, next hop or destination may be left;
 *   exit     each worker deregisters and exits: every counter is 0.
 * /sys/kernel/debug/rtm/check is read during the run and at the end.
 *
 * Environment (defaults for CI):
 *   RTM_STRESS_SEED      master seed (default: time based; always printed)
 *   RTM_STRESS_WORKERS   worker processes (6)
 *   RTM_STRESS_SECONDS   minimum run time of the killer (40)
 *   RTM_STRESS_KILLS     minimum number of kills (1000)
 *   RTM_STRESS_MAX_SECONDS  hard bound on the killer: fail if the kills
 *                        are not reached by then (max(4 x SECONDS, +120))
 *   RTM_STRESS_FAULTS=1  fault-injection mode: ERROR_NOT_ENOUGH_MEMORY is
 *                        an accepted outcome of every call that may make
 *                        the module allocate
 *   RTM_STRESS_SLACK_MS  how late an expiry, a hold-down's end or an event
 *                        may be (8000; 20000 on the debug kernel, the one
 *                        with /sys/kernel/debug/rtm/fail)
 * A worker's operation sequence depends only on (seed, slot, incarnation);
 * the interleaving and the kill moments depend on timing.
 *
 * Output: TAP ("ok N - ..."), then "# ..." statistics: return codes per
 * call and the semantic checks of the later calls that passed.
 */
#include <rtmv2.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/rtm.h>

#include "stress.h"

#define ENUM_SEEN	1024		/* route handles remembered per enum */
#define HELD_CAP	1500		/* references a registration keeps */
#define RETRY_MAX	100000		/* ERROR_NOT_ENOUGH_MEMORY retries */

#define CHECK_PATH	"/sys/kernel/debug/rtm/check"
#define FAIL_PATH	"/sys/kernel/debug/rtm/fail"

/* ------------------------------------------------------------------ */
/* Calls and return codes                                              */
/* ------------------------------------------------------------------ */

const char *const call_name[C_MAX] = {
	"RtmRegisterEntity", "RtmDeregisterEntity", "RtmGetRegisteredEntities",
	"RtmReleaseEntities", "RtmGetEntityInfo", "RtmReleaseEntityInfo",
	"RtmAddNextHop", "RtmFindNextHop", "RtmDeleteNextHop",
	"RtmGetNextHopInfo", "RtmReleaseNextHopInfo", "RtmAddRouteToDest",
	"RtmDeleteRouteToDest", "RtmGetRouteInfo", "RtmReleaseRouteInfo",
	"RtmIsBestRoute", "RtmGetExactMatchRoute",
	"RtmGetExactMatchDestination", "RtmGetMostSpecificDestination",
	"RtmGetLessSpecificDestination", "RtmGetDestInfo",
	"RtmReleaseDestInfo", "RtmCreateDestEnum", "RtmGetEnumDests",
	"RtmReleaseDests", "RtmCreateRouteEnum", "RtmGetEnumRoutes",
	"RtmReleaseRoutes", "RtmCreateNextHopEnum", "RtmGetEnumNextHops",
	"RtmReleaseNextHops", "RtmDeleteEnumHandle", "RtmReferenceHandles",
	"RtmRegisterForChangeNotification", "RtmGetChangedDests",
	"RtmReleaseChangedDests", "RtmIgnoreChangedDests",
	"RtmGetChangeStatus", "RtmMarkDestForChangeNotification",
	"RtmIsMarkedForChangeNotification",
	"RtmDeregisterFromChangeNotification", "RtmHoldDestination",
	"RtmGetRoutePointer", "RtmLockRoute", "RtmUpdateAndUnlockRoute",
	"RtmGetNextHopPointer", "RtmLockNextHop", "RtmLockDestination",
	"RtmGetOpaqueInformationPointer", "RtmCreateRouteList",
	"RtmInsertInRouteList", "RtmCreateRouteListEnum",
	"RtmGetListEnumRoutes", "RtmDeleteRouteList", "RtmGetEntityMethods",
	"RtmInvokeMethod", "RtmBlockMethods",
};

/*
 * Calls that may make the module allocate, hence fail with
 * ERROR_NOT_ENOUGH_MEMORY under fault injection.  Deleting a route, a
 * next hop or an enumeration, deregistering, IsBestRoute and
 * GetEntityInfo allocate nothing; every release copies its handle array
 * in (RTM_IOC_RELEASE), every call that hands out handles books them.
 * Of the later calls: the notification registration, its batches and
 * ignore lists, in-place commits (a timer), route lists, their
 * enumerations and inserts (handle arrays) and relayed method calls
 * allocate; status, marks, hold marks, pointers (librtm's own memory),
 * opaque cells, list deletion, method lists and blocking do not.  Taking
 * a lock allocates its record, giving it back does not: the lock calls
 * add ERROR_NOT_ENOUGH_MEMORY themselves when they lock.
 */
static const bool call_allocs[C_MAX] = {
	[C_REGISTER] = true, [C_GETENTS] = true, [C_RELENTS] = true,
	[C_ADDNH] = true, [C_FINDNH] = true, [C_NHINFO] = true,
	[C_RELNHINFO] = true, [C_ADDRT] = true, [C_RTINFO] = true,
	[C_RELRTINFO] = true, [C_EXACTRT] = true, [C_EXACTDEST] = true,
	[C_MOSTSPEC] = true, [C_LESSSPEC] = true, [C_DESTINFO] = true,
	[C_RELDESTINFO] = true, [C_CDENUM] = true, [C_GETDESTS] = true,
	[C_RELDESTS] = true, [C_CRENUM] = true, [C_GETROUTES] = true,
	[C_RELROUTES] = true, [C_CNENUM] = true, [C_GETNHS] = true,
	[C_RELNHS] = true, [C_REFHANDLES] = true,
	[C_REGNOTIFY] = true, [C_GETCHANGED] = true, [C_RELCHANGED] = true,
	[C_IGNCHANGED] = true, [C_UPDUNLOCK] = true, [C_CRLIST] = true,
	[C_INSLIST] = true, [C_CRLISTENUM] = true, [C_GETLISTROUTES] = true,
	[C_INVOKE] = true,
};

const char *const code_name[K_MAX] = {
	"NO_ERROR", "INVALID_HANDLE", "NOT_ENOUGH_MEMORY", "INVALID_PARAMETER",
	"ACCESS_DENIED", "NOT_FOUND", "NO_MORE_ITEMS", "INSUFFICIENT_BUFFER",
	"ALREADY_EXISTS", "NO_SYSTEM_RESOURCES", "NOT_SUPPORTED", "TIMEOUT",
	"other",
};

const char *const sem_name[SEM_MAX] = {
	[SEM_EV_REGISTERED] = "RTM_ENTITY_REGISTERED callbacks checked",
	[SEM_EV_DEREGISTERED] = "RTM_ENTITY_DEREGISTERED callbacks checked",
	[SEM_EV_EXPIRED] = "RTM_ROUTE_EXPIRED callbacks checked",
	[SEM_EV_CHANGE] = "RTM_CHANGE_NOTIFICATION callbacks checked",
	[SEM_EXP_DELETE] = "expired routes the callback let RTM delete",
	[SEM_EXP_KEEP] = "expired routes the callback kept",
	[SEM_EXP_REFRESH] = "expired routes the callback refreshed",
	[SEM_EXP_GONE] = "expired routes verified deleted after their TTL",
	[SEM_EXP_STAYED] = "routes verified alive (kept, INFINITE, early)",
	[SEM_TTL_EARLY_OK] = "deletes before the TTL that had to succeed",
	[SEM_HOLD_STARTED] = "own deletions verified held down (HoldRoute)",
	[SEM_HOLD_ENDED] = "hold-downs verified ended (route DELETED)",
	[SEM_MARK_KEPT] = "marked destinations verified kept in the table",
	[SEM_CELL_KEPT] = "opaque cells verified keeping their destination",
	[SEM_OWN_CHANGE] = "own changes verified pending (RtmGetChangeStatus)",
	[SEM_OWN_CHANGE_GOT] = "own changes verified returned by a drain",
	[SEM_CHANGE_EVENT] = "change callbacks verified after own changes",
	[SEM_LOCK_COMMIT] = "in-place updates verified committed",
	[SEM_LOCK_DISCARD] = "unlocks without commit verified discarded",
	[SEM_LOCK_OWN_WRITE] = "lock holder's own writes refused",
	[SEM_NH_COMMIT] = "next-hop lock commits verified",
	[SEM_LIST_MATCH] = "route lists verified equal to the model",
	[SEM_INVOKE_LOCAL] = "in-process method calls verified",
	[SEM_INVOKE_REMOTE] = "relayed method calls verified",
	[SEM_RELEASE_DEAD_NOTIFY] = "batches released after deregistration",
};

static int code_idx(DWORD rc)
{
	switch (rc) {
	case NO_ERROR: return K_OK;
	case ERROR_INVALID_HANDLE: return K_IH;
	case ERROR_NOT_ENOUGH_MEMORY: return K_NEM;
	case ERROR_INVALID_PARAMETER: return K_IP;
	case ERROR_ACCESS_DENIED: return K_AD;
	case ERROR_NOT_FOUND: return K_NF;
	case ERROR_NO_MORE_ITEMS: return K_NMI;
	case ERROR_INSUFFICIENT_BUFFER: return K_IB;
	case ERROR_ALREADY_EXISTS: return K_AE;
	case ERROR_NO_SYSTEM_RESOURCES: return K_NSR;
	case ERROR_NOT_SUPPORTED: return K_NSUP;
	case ERROR_TIMEOUT: return K_TIMEOUT;
	default: return K_OTHER;
	}
}

/* ------------------------------------------------------------------ */
/* State shared between the killer and the workers                     */
/* ------------------------------------------------------------------ */

struct shm *S;

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng;

unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)(splitmix(&rng) % n) : 0;
}

bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------------ */
/* The worker's model                                                  */
/* ------------------------------------------------------------------ */

struct worker W;

/*
 * Instance 0 AF_INET, instance 0 AF_INET6, instance 1 AF_INET, and the
 * timer registration: instance 0 AF_INET again, another entity id.
 */
static const USHORT reg_instance[NREGS] = { 0, 0, 1, 0 };
static const USHORT reg_family[NREGS] = { AF_INET, AF_INET6, AF_INET,
					  AF_INET };
const ULONG protos[4] = { PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP,
			  PROTO_IP_OTHER };

/* ------------------------------------------------------------------ */
/* Violations                                                          */
/* ------------------------------------------------------------------ */

void violation(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr,
		"# VIOLATION worker %d incarnation %u seed 0x%016" PRIx64
		" op %" PRIu64 " (%s:%d): %s\n",
		W.slot, W.inc, W.seed, W.op, file, line, msg);
	__atomic_fetch_add(&W.sh->violations, 1, __ATOMIC_RELAXED);
	_exit(STATUS_VIOLATION);
}

static void allowed_str(unsigned int allowed, char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = 0;
	for (k = 0; k < K_MAX && n < len; k++)
		if (allowed & (1u << k))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      code_name[k]);
}

/*
 * Count the code of one call and check it against the codes the spec
 * allows for it in the situation the caller describes.  The event thread
 * checks its calls too, hence the atomic counts.
 */
DWORD check_rc(const char *file, int line, int call, DWORD rc,
	       unsigned int allowed, const char *fmt, ...)
{
	int k = code_idx(rc);

	__atomic_fetch_add(&W.sh->codes[call][k], 1, __ATOMIC_RELAXED);
	if (W.faults && call_allocs[call])
		allowed |= A_NEM;
	if (W.trace) {
		char what[512];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		fprintf(stderr, "# trace %d.%u op %" PRIu64 ": %s(%s) = %s\n",
			W.slot, W.inc, W.op, call_name[call], what,
			code_name[k]);
	}
	if (!(allowed & (1u << k))) {
		char what[512], al[256];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		allowed_str(allowed, al, sizeof(al));
		violation(file, line, "%s(%s) returned %s (%u); allowed: %s",
			  call_name[call], what, code_name[k], rc, al);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */
/* ------------------------------------------------------------------ */

static unsigned int addr_bits(const struct reg *r)
{
	return r->info.AddressFamily == AF_INET ? 32 : 128;
}

static void canon(RTM_NET_ADDRESS *a)
{
	unsigned int i;

	for (i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) {
		unsigned int lo = i * 8;

		if (a->NumBits <= lo)
			a->AddrBits[i] = 0;
		else if (a->NumBits < lo + 8)
			a->AddrBits[i] &= (uint8_t)(0xff << (lo + 8 - a->NumBits));
	}
}

static bool is_canon(const RTM_NET_ADDRESS *a)
{
	RTM_NET_ADDRESS c = *a;

	canon(&c);
	return !memcmp(c.AddrBits, a->AddrBits, RTM_MAX_ADDRESS_SIZE);
}

/* The bytes that carry the variable part of our address space. */
static void base_addr(const struct reg *r, RTM_NET_ADDRESS *a, unsigned int b,
		      unsigned int c, unsigned int d)
{
	memset(a, 0, sizeof(*a));
	a->AddressFamily = r->info.AddressFamily;
	if (r->info.AddressFamily == AF_INET) {
		a->AddrBits[0] = 10;
		a->AddrBits[1] = b;
		a->AddrBits[2] = c;
		a->AddrBits[3] = d;
	} else {
		a->AddrBits[0] = 0x20;
		a->AddrBits[1] = 0x01;
		a->AddrBits[2] = 0x0d;
		a->AddrBits[3] = 0xb8;
		a->AddrBits[4] = b;
		a->AddrBits[5] = c;
		a->AddrBits[6] = d;
	}
}

/*
 * A prefix of the shared pool: 3 x 8 x 4 base addresses and a handful of
 * lengths, about 300 prefixes per table.  @idx (0..NPFX-1) names it.
 */

void prefix(const struct reg *r, int idx, RTM_NET_ADDRESS *a)
{
	static const unsigned int len4[NPFX_LEN] = { 0, 8, 12, 16, 20, 24,
						     28, 32 };
	static const unsigned int len6[NPFX_LEN] = { 0, 16, 32, 40, 48, 52,
						     56, 128 };
	unsigned int ai = idx % NPFX_ADDR, li = idx / NPFX_ADDR;

	base_addr(r, a, ai % 3, (ai / 3 % 8) * 32, (ai / 24) * 64);
	a->NumBits = r->info.AddressFamily == AF_INET ? len4[li] : len6[li];
	canon(a);
}

/* Lengths 0 and 8/16 are rare: most prefixes are long. */
int rnd_prefix(void)
{
	static const unsigned int w[NPFX_LEN] = { 1, 2, 3, 6, 10, 14, 14, 14 };
	unsigned int i, t = rnd(64);

	for (i = 0; i < NPFX_LEN - 1 && t >= w[i]; i++)
		t -= w[i];
	return (int)(i * NPFX_ADDR + rnd(NPFX_ADDR));
}

/* A host address inside the pool (for most-specific lookups). */
static void rnd_host(const struct reg *r, RTM_NET_ADDRESS *a)
{
	base_addr(r, a, rnd(3), rnd(8) * 32 + rnd(32), rnd(256));
	a->NumBits = addr_bits(r);
}

/*
 * Next-hop identity @i: address and interface index.  Identities 0..7
 * are remote-capable addresses inside the route pool, so a REMOTE next
 * hop gets a RemoteNextHop destination; the rest are link-local ones.
 */
static void nh_ident(const struct reg *r, int i, RTM_NEXTHOP_INFO *ni)
{
	memset(ni, 0, sizeof(*ni));
	if (i < 8) {
		base_addr(r, &ni->NextHopAddress, i % 3, (i % 8) * 32 + 1,
			  (unsigned int)i + 1);
	} else {
		ni->NextHopAddress.AddressFamily = r->info.AddressFamily;
		if (r->info.AddressFamily == AF_INET) {
			ni->NextHopAddress.AddrBits[0] = 192;
			ni->NextHopAddress.AddrBits[1] = 168;
			ni->NextHopAddress.AddrBits[3] = (UCHAR)(i % 8 + 1);
		} else {
			ni->NextHopAddress.AddrBits[0] = 0xfe;
			ni->NextHopAddress.AddrBits[1] = 0x80;
			ni->NextHopAddress.AddrBits[15] = (UCHAR)(i % 8 + 1);
		}
	}
	ni->NextHopAddress.NumBits = addr_bits(r);
	ni->InterfaceIndex = (ULONG)(i / 8 + 1);
}

static int nh_ident_of(const struct reg *r, const RTM_NEXTHOP_INFO *ni)
{
	RTM_NEXTHOP_INFO x;
	int i;

	for (i = 0; i < NNHID; i++) {
		nh_ident(r, i, &x);
		if (x.InterfaceIndex == ni->InterfaceIndex &&
		    x.NextHopAddress.NumBits == ni->NextHopAddress.NumBits &&
		    !memcmp(x.NextHopAddress.AddrBits,
			    ni->NextHopAddress.AddrBits, RTM_MAX_ADDRESS_SIZE))
			return i;
	}
	return -1;
}

static bool covers(const RTM_NET_ADDRESS *p, const RTM_NET_ADDRESS *a,
		   unsigned int abits)
{
	RTM_NET_ADDRESS c = *a;

	if (p->NumBits > abits)
		return false;
	c.NumBits = p->NumBits;
	canon(&c);
	return !memcmp(c.AddrBits, p->AddrBits, RTM_MAX_ADDRESS_SIZE);
}

/* Destination order (spec part 2, 2.16): address, then length. */
int addr_cmp(const RTM_NET_ADDRESS *a, const RTM_NET_ADDRESS *b)
{
	int c = memcmp(a->AddrBits, b->AddrBits, RTM_MAX_ADDRESS_SIZE);

	if (c)
		return c;
	return (int)a->NumBits - (int)b->NumBits;
}

const char *fmt_addr(const RTM_NET_ADDRESS *a, char *buf)
{
	if (a->AddressFamily == AF_INET)
		sprintf(buf, "%u.%u.%u.%u/%u", a->AddrBits[0], a->AddrBits[1],
			a->AddrBits[2], a->AddrBits[3], a->NumBits);
	else
		sprintf(buf, "%x:%x:%x:%x::/%u",
			a->AddrBits[0] << 8 | a->AddrBits[1],
			a->AddrBits[2] << 8 | a->AddrBits[3],
			a->AddrBits[4] << 8 | a->AddrBits[5],
			a->AddrBits[6] << 8 | a->AddrBits[7], a->NumBits);
	return buf;
}


/* ------------------------------------------------------------------ */
/* References held: the map                                            */
/* ------------------------------------------------------------------ */

struct href *map_find(struct reg *r, uint64_t h, bool create)
{
	unsigned int i = (unsigned int)(h * 0x9e3779b97f4a7c15ULL >> 40) &
			 (MAPSZ - 1);

	for (;; i = (i + 1) & (MAPSZ - 1)) {
		struct href *e = &r->map[i];

		if (e->h == h)
			return e;
		if (!e->h) {
			if (!create)
				return NULL;
			e->h = h;
			e->pfx = -1;
			r->mapused++;
			return e;
		}
	}
}

/* Forget entries that hold nothing once the map gets crowded. */
static void map_compact(struct reg *r)
{
	struct href *old = r->map;
	unsigned int i;

	if (r->mapused < MAPSZ / 2)
		return;
	r->map = calloc(MAPSZ, sizeof(*r->map));
	if (!r->map)
		VIOL("out of memory in the test");
	r->mapused = 0;
	for (i = 0; i < MAPSZ; i++) {
		if (!old[i].h || (!old[i].cnt && !(old[i].flags & F_UNCERTAIN)))
			continue;
		*map_find(r, old[i].h, true) = old[i];
	}
	free(old);
	if (r->mapused > MAPSZ * 3 / 4)
		VIOL("reference map full (%u entries)", r->mapused);
}

static const char *const kind_name[] = { "none", "entity", "dest", "route",
					 "nexthop", "enum" };

/* A handle the module gave us, with the reference it carries. */
struct href *ref_add(struct reg *r, const void *hp, int kind)
{
	uint64_t h = (uint64_t)(uintptr_t)hp;
	struct href *e;

	EXPECT(h, "a NULL %s handle was handed out", kind_name[kind]);
	/* uapi/linux/rtm.h: the kind is in bits 60..63 of every handle. */
	EXPECT(RTM_HANDLE_TYPE(h) == (unsigned int)kind,
	       "handle %#llx handed out as a %s has kind bits %u", H(h),
	       kind_name[kind], RTM_HANDLE_TYPE(h));
	map_compact(r);
	e = map_find(r, h, true);
	EXPECT(!e->kind || e->kind == kind, "handle %#llx seen as %s and %s",
	       H(h), kind_name[e->kind], kind_name[kind]);
	e->kind = (uint8_t)kind;
	e->cnt++;
	r->held++;
	return e;
}

/* One reference the module took back (a successful release). */
void ref_sub(struct reg *r, const void *hp)
{
	uint64_t h = (uint64_t)(uintptr_t)hp;
	struct href *e = map_find(r, h, false);

	EXPECT(e && e->cnt > 0,
	       "the module accepted the release of %#llx, of which this "
	       "registration holds no reference", H(h));
	e->cnt--;
	r->held--;
}

static long held_of(struct reg *r, const void *hp)
{
	struct href *e = map_find(r, (uint64_t)(uintptr_t)hp, false);

	return e ? e->cnt : 0;
}

/*
 * A handle of @kind this registration holds (not uncertain), satisfying
 * @want / @avoid flags; NULL if none.
 */
struct href *pick_held(struct reg *r, int kind, unsigned int want,
			      unsigned int avoid)
{
	unsigned int i, start = rnd(MAPSZ);

	for (i = 0; i < MAPSZ; i++) {
		struct href *e = &r->map[(start + i) & (MAPSZ - 1)];

		if (e->h && e->cnt > 0 && e->kind == kind &&
		    (e->flags & want) == want && !(e->flags & avoid) &&
		    !(e->flags & F_UNCERTAIN))
			return e;
	}
	return NULL;
}

/*
 * The same, with a reference that no kept structure accounts for: one a
 * consuming call (RtmDeleteRouteToDest, RtmDeleteNextHop) may use up
 * without making a structure's later release a double release.
 */
struct href *pick_free(struct reg *r, int kind, unsigned int want,
			      unsigned int avoid)
{
	unsigned int i, start = rnd(MAPSZ);

	for (i = 0; i < MAPSZ; i++) {
		struct href *e = &r->map[(start + i) & (MAPSZ - 1)];

		if (e->h && e->cnt > e->pcnt && e->kind == kind &&
		    (e->flags & want) == want && !(e->flags & avoid) &&
		    !(e->flags & F_UNCERTAIN))
			return e;
	}
	return NULL;
}

/* A handle of @kind this registration holds no reference on. */
static struct href *pick_unheld(struct reg *r, int kind)
{
	unsigned int i, start = rnd(MAPSZ);

	for (i = 0; i < MAPSZ; i++) {
		struct href *e = &r->map[(start + i) & (MAPSZ - 1)];

		if (e->h && !e->cnt && e->kind == kind &&
		    !(e->flags & F_UNCERTAIN))
			return e;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Structures holding references                                       */
/* ------------------------------------------------------------------ */

RTM_DEST_INFO *dest_at(struct reg *r, void *buf, unsigned int i)
{
	return (RTM_DEST_INFO *)((char *)buf + i * r->dstride);
}

/* Every handle of a structure, with its kind; returns the count. */
static unsigned int pend_handles(struct reg *r, const struct pend *p,
				 uint64_t *h, int *k, unsigned int max)
{
	unsigned int n = 0, i, v;

#define PUT(x, kind) do {						\
		if ((x) && n < max) {					\
			h[n] = (uint64_t)(uintptr_t)(x);		\
			k[n++] = (kind);				\
		}							\
	} while (0)
	switch (p->type) {
	case P_DEST1:
	case P_DESTS:
	case P_CHANGED:
		for (i = 0; i < p->n; i++) {
			RTM_DEST_INFO *d = dest_at(r, p->buf, i);

			PUT(d->DestHandle, RTM_HT_DEST);
			for (v = 0; v < d->NumberOfViews; v++) {
				PUT(d->ViewInfo[v].Route, RTM_HT_ROUTE);
				PUT(d->ViewInfo[v].Owner, RTM_HT_ENTITY);
				PUT(d->ViewInfo[v].HoldRoute, RTM_HT_ROUTE);
			}
		}
		break;
	case P_ROUTEINFO: {
		RTM_ROUTE_INFO *ri = p->buf;

		PUT(ri->DestHandle, RTM_HT_DEST);
		PUT(ri->RouteOwner, RTM_HT_ENTITY);
		PUT(ri->Neighbour, RTM_HT_NEXTHOP);
		for (i = 0; i < ri->NextHopsList.NumNextHops; i++)
			PUT(ri->NextHopsList.NextHops[i], RTM_HT_NEXTHOP);
		break;
	}
	case P_NHINFO: {
		RTM_NEXTHOP_INFO *ni = p->buf;

		PUT(ni->NextHopOwner, RTM_HT_ENTITY);
		PUT(ni->RemoteNextHop, RTM_HT_DEST);
		break;
	}
	case P_ROUTES:
	case P_NHS:
	case P_ENTS:
		for (i = 0; i < p->n; i++)
			PUT(((HANDLE *)p->buf)[i], p->type == P_ROUTES ?
			    RTM_HT_ROUTE : p->type == P_NHS ? RTM_HT_NEXTHOP :
			    RTM_HT_ENTITY);
		break;
	}
#undef PUT
	return n;
}

/* The handles of a structure just received: book them in the map. */
void pend_book(struct reg *r, const struct pend *p)
{
	uint64_t h[MAX_NH * 4 + 64 * 8];
	int k[MAX_NH * 4 + 64 * 8];
	unsigned int i, n = pend_handles(r, p, h, k, sizeof(h) / sizeof(h[0]));

	for (i = 0; i < n; i++)
		ref_add(r, (void *)(uintptr_t)h[i], k[i])->pcnt++;
}

static DWORD pend_release_call(struct reg *r, struct pend *p, int *call)
{
	switch (p->type) {
	case P_DEST1:
		if (chance(20)) {	/* spec part 2, 3.3: accepted too */
			*call = C_RELDESTS;
			return RtmReleaseDests(r->h, 1, p->buf);
		}
		*call = C_RELDESTINFO;
		return RtmReleaseDestInfo(r->h, p->buf);
	case P_DESTS:
		*call = C_RELDESTS;
		return RtmReleaseDests(r->h, p->n, p->buf);
	case P_CHANGED:
		*call = C_RELCHANGED;
		return RtmReleaseChangedDests(r->h, p->aux, p->n, p->buf);
	case P_ROUTEINFO:
		*call = C_RELRTINFO;
		return RtmReleaseRouteInfo(r->h, p->buf);
	case P_NHINFO:
		*call = C_RELNHINFO;
		return RtmReleaseNextHopInfo(r->h, p->buf);
	case P_ROUTES:
		*call = C_RELROUTES;
		return RtmReleaseRoutes(r->h, p->n, p->buf);
	case P_NHS:
		*call = C_RELNHS;
		return RtmReleaseNextHops(r->h, p->n, p->buf);
	default:
		*call = C_RELENTS;
		return RtmReleaseEntities(r->h, p->n, p->buf);
	}
}

/*
 * Release structure @i.  librtm sends at most 128 handles per
 * RTM_IOC_RELEASE; a release of more that fails with
 * ERROR_NOT_ENOUGH_MEMORY may have given back some of them, so those
 * counts become upper bounds (F_UNCERTAIN), resolved at the drain.
 * Returns false if the structure is still held (retry later).
 */
bool pend_release(struct reg *r, unsigned int i)
{
	struct pend *p = &r->pend[i];
	uint64_t h[MAX_NH * 4 + 64 * 8];
	int k[MAX_NH * 4 + 64 * 8], call;
	unsigned int j, n = pend_handles(r, p, h, k, sizeof(h) / sizeof(h[0]));
	unsigned int allowed = A_OK;
	DWORD rc;

	/* A count that is only an upper bound may already be 0. */
	for (j = 0; j < n; j++)
		if (map_find(r, h[j], false)->flags & F_UNCERTAIN)
			allowed |= A_IH;
	rc = pend_release_call(r, p, &call);
	{
		char hl[200];
		size_t o = 0;

		hl[0] = 0;
		for (j = 0; j < n && j < 6; j++)
			o += snprintf(hl + o, sizeof(hl) - o, " %#llx(%d)",
				      (unsigned long long)h[j],
				      map_find(r, h[j], false)->cnt);
		CHK(call, rc, allowed, "type %d, %u structures, %u handles "
		    "held:%s", p->type, p->n, n, hl);
	}
	if (rc == ERROR_NOT_ENOUGH_MEMORY && n <= 128)
		return false;
	if (rc) {
		/* Some, none or all given back: upper bounds from now on. */
		if (rc == ERROR_NOT_ENOUGH_MEMORY)
			W.sh->ambiguous++;
		for (j = 0; j < n; j++) {
			struct href *e = map_find(r, h[j], false);

			e->flags |= F_UNCERTAIN;
			e->pcnt--;
		}
	} else {
		for (j = 0; j < n; j++) {
			map_find(r, h[j], false)->pcnt--;
			ref_sub(r, (void *)(uintptr_t)h[j]);
		}
	}
	free(p->buf);
	r->pend[i] = r->pend[--r->npend];
	return true;
}

/* Keep a structure unreleased for a while, or release it now. */
void pend_keep(struct reg *r, int type, unsigned int n, void *buf)
{
	struct pend p = { .type = type, .n = n, .buf = buf };

	pend_book(r, &p);
	r->pend[r->npend++] = p;
	if (r->npend == MAXPEND || chance(40))
		pend_release(r, r->npend - 1);
}

void *xmalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		VIOL("out of memory in the test");
	return p;
}

/* ------------------------------------------------------------------ */
/* Output checks                                                       */
/* ------------------------------------------------------------------ */

static unsigned int views_of(DWORD views)
{
	if (views == RTM_VIEW_MASK_ALL)
		return RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
	return views;
}

void check_dest(struct reg *r, const RTM_DEST_INFO *d, DWORD views,
		       const char *what)
{
	unsigned int want = views_of(views), v, n = 0, bit;

	EXPECT(d->DestHandle, "%s: DestHandle NULL", what);
	EXPECT(d->DestAddress.AddressFamily == r->info.AddressFamily &&
	       d->DestAddress.NumBits <= addr_bits(r) &&
	       is_canon(&d->DestAddress), "%s: bad DestAddress %s", what,
	       A(&d->DestAddress));
	EXPECT(!(d->BelongsToViews & ~3u), "%s: BelongsToViews %#x", what,
	       d->BelongsToViews);
	EXPECT(d->NumberOfViews == (unsigned int)__builtin_popcount(want),
	       "%s: NumberOfViews %u for TargetViews %#x", what,
	       d->NumberOfViews, views);
	for (bit = 0; bit < 2; bit++) {
		if (!(want & (1u << bit)))
			continue;
		v = n++;
		EXPECT(d->ViewInfo[v].ViewId == (RTM_VIEW_ID)bit,
		       "%s: ViewInfo[%u].ViewId %d, expected %u", what, v,
		       d->ViewInfo[v].ViewId, bit);
		EXPECT(!d->ViewInfo[v].Route == !d->ViewInfo[v].Owner,
		       "%s: ViewInfo[%u] Route %#llx with Owner %#llx", what, v,
		       H(d->ViewInfo[v].Route), H(d->ViewInfo[v].Owner));
		EXPECT(d->ViewInfo[v].Route || !d->ViewInfo[v].DestFlags,
		       "%s: ViewInfo[%u] DestFlags %#x without a route", what,
		       v, d->ViewInfo[v].DestFlags);
		/* A hold-down route is never the best one (part 1, 7.3). */
		EXPECT(!d->ViewInfo[v].HoldRoute ||
		       d->ViewInfo[v].HoldRoute != d->ViewInfo[v].Route,
		       "%s: ViewInfo[%u] HoldRoute %#llx is also the best",
		       what, v, H(d->ViewInfo[v].HoldRoute));
	}
}

void check_route(struct reg *r, const RTM_ROUTE_INFO *ri,
			struct href *e, const char *what)
{
	bool own = ri->RouteOwner == r->h;

	EXPECT(ri->DestHandle && ri->RouteOwner, "%s: DestHandle %#llx "
	       "RouteOwner %#llx", what, H(ri->DestHandle), H(ri->RouteOwner));
	EXPECT(ri->State <= RTM_ROUTE_STATE_DELETED, "%s: State %u", what,
	       ri->State);
	EXPECT(ri->BelongsToViews >= 1 && ri->BelongsToViews <= 3,
	       "%s: BelongsToViews %#x", what, ri->BelongsToViews);
	EXPECT(ri->NextHopsList.NumNextHops <= r->prof.MaxNextHopsInRoute,
	       "%s: %u next hops", what, ri->NextHopsList.NumNextHops);
	EXPECT(ri->PrefInfo.Preference, "%s: Preference 0 stored", what);
	if (!e)
		return;
	if (own) {
		EXPECT(!(e->flags & F_FOREIGN), "%s: route %#llx seen owned "
		       "by another entity before", what, H(e->h));
		e->flags |= F_OWN;
		/*
		 * Held down (DELETING) while a hold-down keeps it; the timer
		 * registration's routes expire behind its back.
		 */
		if (e->flags & F_DELETED)
			EXPECT(ri->State == RTM_ROUTE_STATE_DELETED ||
			       ri->State == RTM_ROUTE_STATE_DELETING,
			       "%s: own route %#llx deleted, State %u", what,
			       H(e->h), ri->State);
		else if (r->idx != REG_TIMER)
			EXPECT(ri->State == RTM_ROUTE_STATE_CREATED,
			       "%s: own route %#llx never deleted, State %u",
			       what, H(e->h), ri->State);
	} else {
		EXPECT(!(e->flags & F_OWN), "%s: own route %#llx now owned by "
		       "%#llx", what, H(e->h), H(ri->RouteOwner));
		e->flags |= F_FOREIGN;
	}
}

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

static void reg_reset(struct reg *r)
{
	unsigned int i;

	for (i = 0; i < r->npend; i++)
		free(r->pend[i].buf);
	for (i = 0; i < r->nen; i++)
		free(r->en[i].seen);
	free(r->map);
	memset(r, 0, sizeof(*r));
}

static void reg_setup(struct reg *r, int idx)
{
	reg_reset(r);
	r->idx = idx;
	r->map = xmalloc(MAPSZ * sizeof(*r->map));
	r->info.RtmInstanceId = reg_instance[idx];
	r->info.AddressFamily = reg_family[idx];
	r->info.EntityId.EntityProtocolId = protos[W.slot % 4];
	r->info.EntityId.EntityInstanceId =
		(idx == REG_TIMER ? 2000 : 1000) + (ULONG)W.slot;
	/* The old registration is gone: no callback of it runs now. */
	events_reset(r);
	notify_reset(r);
	locks_reset(r);
	lists_reset(r);
}

static void count_live(void)
{
	int i, n = 0;

	for (i = 0; i < NREGS; i++)
		n += W.r[i].live;
	W.sh->live_regs = n;
}

/*
 * Register @idx.  The previous holder of this entity id (this process,
 * or a killed predecessor that was reaped) has deregistered: its close
 * ran before its exit was reported, so ERROR_ALREADY_EXISTS is wrong.
 *
 * Half the registrations (70 % of the timer registration's) get the
 * event callback; each exports the methods stress_methods.c gives its
 * (slot, index).  An opaque slot is reserved now and then by at most
 * eight registrations of a table (opaque_slots): six of index 0..2, two
 * of the timer registration's table.
 */
void do_register(int idx)
{
	struct reg *r = &W.r[idx];
	RTM_ENTITY_HANDLE old = r->h;
	bool cb, opaque;
	DWORD rc;

	reg_setup(r, idx);
	cb = chance(idx == REG_TIMER ? 70 : 50);
	opaque = idx == REG_TIMER ? W.slot < 2 && chance(50)
				  : W.slot < 6 && chance(20);
	__atomic_store_n(&W.registering, idx, __ATOMIC_SEQ_CST);
	do {
		rc = RtmRegisterEntity(&r->info, methods_export(W.slot, idx),
				       cb ? stress_callback : NULL, opaque,
				       &r->prof, &r->h);
		CHK(C_REGISTER, rc, A_OK, "instance %u family %u id %#llx",
		    r->info.RtmInstanceId, r->info.AddressFamily,
		    (unsigned long long)r->info.EntityId.EntityId);
	} while (rc);
	r->cb = cb;
	r->opaque = opaque;
	__atomic_store_n(&W.registering, -1, __ATOMIC_SEQ_CST);
	EXPECT(r->h && r->h != old, "new registration handle %#llx (old %#llx)",
	       H(r->h), H(old));
	EXPECT(r->prof.MaxNextHopsInRoute >= 1 &&
	       r->prof.MaxNextHopsInRoute <= MAX_NH &&
	       r->prof.MaxHandlesInEnum >= 1 &&
	       r->prof.MaxHandlesInEnum <= 1024 &&
	       r->prof.ViewsSupported == 3 && r->prof.NumberOfViews == 2,
	       "profile %u %u %#x %u", r->prof.MaxNextHopsInRoute,
	       r->prof.MaxHandlesInEnum, r->prof.ViewsSupported,
	       r->prof.NumberOfViews);
	r->dstride = RTM_SIZE_OF_DEST_INFO(r->prof.NumberOfViews);
	r->rsize = RTM_SIZE_OF_ROUTE_INFO(r->prof.MaxNextHopsInRoute);
	r->live = true;
	count_live();
}

void do_deregister(struct reg *r)
{
	RTM_ENTITY_HANDLE h = r->h;
	UINT n = 0;
	DWORD rc;

	rc = RtmDeregisterEntity(h);
	CHK(C_DEREGISTER, rc, A_OK, "%#llx", H(h));
	r->live = false;
	count_live();
	/* The handle is gone for good (spec 3.2). */
	rc = RtmGetRegisteredEntities(h, &n, NULL, NULL);
	CHK(C_GETENTS, rc, A_IH, "deregistered %#llx", H(h));
}

/* ------------------------------------------------------------------ */
/* Next hops                                                           */
/* ------------------------------------------------------------------ */

static void op_add_nexthop(struct reg *r)
{
	int id = (int)rnd(NNHID), mode = (int)rnd(4);
	struct nhid *m = &r->nh[id];
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	RTM_NEXTHOP_HANDLE h = NULL;
	RTM_NEXTHOP_INFO ni;
	struct href *e;
	unsigned int allowed = A_OK;
	DWORD rc;

	nh_ident(r, id, &ni);
	ni.Flags = (id < 8 && chance(60)) ? RTM_NEXTHOP_FLAGS_REMOTE : 0;
	ni.EntitySpecificInfo = (PVOID)(uintptr_t)splitmix(&rng);
	ni.NextHopOwner = (RTM_ENTITY_HANDLE)(uintptr_t)0x1234; /* ignored */
	if (mode == 3) {
		/* By handle: one of ours (live or deleted), or a foreign one. */
		e = pick_held(r, RTM_HT_NEXTHOP, 0, 0);
		if (!e)
			return;
		h = (HANDLE)(uintptr_t)e->h;
		if (e->flags & F_FOREIGN)
			allowed = A_AD;
		else if (e->flags & F_DELETED)
			allowed = A_IH;
		else if (!(e->flags & F_OWN))
			/*
			 * Owner unknown: ours (perhaps deleted by identity
			 * before we knew this handle) or another's.
			 */
			allowed = A_AD | A_IP | A_OK | A_IH;
		else if (!r->nh[id].h)
			allowed = A_IP | A_OK;	/* its identity unknown */
		else if (r->nh[id].h != e->h)
			allowed = A_IP;		/* identity differs */
		rc = RtmAddNextHop(r->h, &ni, &h, &cf);
		CHK(C_ADDNH, rc, allowed, "by handle %#llx (flags %#x), "
		    "identity %d %s if %u", H(e->h), e->flags, id,
		    A(&ni.NextHopAddress), ni.InterfaceIndex);
		EXPECT(h == (HANDLE)(uintptr_t)e->h, "handle changed");
		if (rc == ERROR_ACCESS_DENIED)
			e->flags |= F_FOREIGN;
		if (!rc) {
			EXPECT(cf == 0, "update by handle: ChangeFlags %#x", cf);
			e->flags |= F_OWN;
			m->exists = 1;
			m->h = e->h;
		}
		return;
	}
	rc = RtmAddNextHop(r->h, &ni, mode == 0 ? NULL : &h,
			   mode == 2 ? NULL : &cf);
	CHK(C_ADDNH, rc, A_OK, "identity %d %s if %u, mode %d", id,
	    A(&ni.NextHopAddress), ni.InterfaceIndex, mode);
	if (rc) {
		if (m->exists != 1) {
			m->exists = 2;	/* a failed add may have created it */
			m->h = 0;
		}
		return;
	}
	if (mode != 2) {
		if (m->exists == 0)
			EXPECT(cf == RTM_NEXTHOP_CHANGE_NEW,
			       "new next hop %d: ChangeFlags %#x", id, cf);
		else if (m->exists == 1)
			EXPECT(cf == 0, "existing next hop %d: ChangeFlags %#x",
			       id, cf);
		else
			EXPECT(cf <= RTM_NEXTHOP_CHANGE_NEW, "ChangeFlags %#x",
			       cf);
	}
	m->exists = 1;
	if (mode != 0) {
		EXPECT(!m->h || m->h == (uint64_t)(uintptr_t)h,
		       "next hop %d: handle %#llx, before %#llx", id, H(h),
		       (unsigned long long)m->h);
		m->h = (uint64_t)(uintptr_t)h;
		e = ref_add(r, h, RTM_HT_NEXTHOP);
		EXPECT(!(e->flags & (F_FOREIGN | F_DELETED)),
		       "next hop %#llx flags %#x", H(h), e->flags);
		e->flags |= F_OWN;
	}
}

static void op_find_nexthop(struct reg *r)
{
	int id = (int)rnd(NNHID), mode = (int)rnd(4), i;
	struct nhid *m;

	/* Mostly one that exists. */
	for (i = 0; i < 8 && r->nh[id].exists != 1 && chance(80); i++)
		id = (int)rnd(NNHID);
	m = &r->nh[id];
	RTM_NEXTHOP_INFO ni, *ptr = NULL;
	RTM_NEXTHOP_HANDLE h = NULL;
	unsigned int allowed;
	struct href *e;
	DWORD rc;

	nh_ident(r, id, &ni);
	allowed = m->exists == 1 ? A_OK : m->exists == 0 ? A_NF : A_OK | A_NF;
	rc = RtmFindNextHop(r->h, &ni, (mode & 1) ? &h : NULL,
			    (mode & 2) ? &ptr : NULL);
	CHK(C_FINDNH, rc, allowed, "identity %d %s if %u (model %d)", id,
	    A(&ni.NextHopAddress), ni.InterfaceIndex, m->exists);
	if (rc == ERROR_NOT_FOUND) {
		m->exists = 0;
		m->h = 0;
	}
	if (rc)
		return;
	m->exists = 1;
	if (ptr)
		EXPECT(ptr->InterfaceIndex == ni.InterfaceIndex &&
		       !addr_cmp(&ptr->NextHopAddress, &ni.NextHopAddress) &&
		       ptr->NextHopOwner == r->h &&
		       ptr->State == RTM_NEXTHOP_STATE_CREATED,
		       "NextHopPointer of %d: %s if %u owner %#llx state %u", id,
		       A(&ptr->NextHopAddress), ptr->InterfaceIndex,
		       H(ptr->NextHopOwner), ptr->State);
	if (h) {
		EXPECT(!m->h || m->h == (uint64_t)(uintptr_t)h,
		       "next hop %d: handle %#llx, before %#llx", id, H(h),
		       (unsigned long long)m->h);
		m->h = (uint64_t)(uintptr_t)h;
		e = ref_add(r, h, RTM_HT_NEXTHOP);
		EXPECT(!(e->flags & (F_FOREIGN | F_DELETED)), "found next hop "
		       "%#llx flags %#x", H(h), e->flags);
		e->flags |= F_OWN;
	}
}

static void nh_deleted(struct reg *r, int id)
{
	struct href *e;

	if (r->nh[id].h) {
		e = map_find(r, r->nh[id].h, false);
		if (e)
			e->flags |= F_DELETED;
	}
	r->nh[id].exists = 0;
	r->nh[id].h = 0;
}

static void nexthop_info(struct reg *r, struct href *e, bool keep);

static void op_delete_nexthop(struct reg *r)
{
	RTM_NEXTHOP_INFO ni;
	struct href *e;
	unsigned int allowed;
	int id;
	DWORD rc;

	if (chance(50)) {
		id = (int)rnd(NNHID);
		nh_ident(r, id, &ni);
		allowed = r->nh[id].exists == 1 ? A_OK :
			  r->nh[id].exists == 0 ? A_NF : A_OK | A_NF;
		rc = RtmDeleteNextHop(r->h, NULL, &ni);
		CHK(C_DELNH, rc, allowed, "identity %d (model %d)", id,
		    r->nh[id].exists);
		if (!rc || rc == ERROR_NOT_FOUND)
			nh_deleted(r, id);
		return;
	}
	e = pick_free(r, RTM_HT_NEXTHOP, 0, 0);
	if (!e)
		return;
	if (!(e->flags & (F_OWN | F_FOREIGN))) {
		/* Learn its owner (and identity) first. */
		if (r->npend < MAXPEND)
			nexthop_info(r, e, false);
		return;
	}
	if (e->flags & F_FOREIGN)
		allowed = A_AD;
	else if (e->flags & F_DELETED)
		allowed = A_NF;
	else
		allowed = A_OK;
	rc = RtmDeleteNextHop(r->h, (HANDLE)(uintptr_t)e->h, NULL);
	CHK(C_DELNH, rc, allowed, "handle %#llx flags %#x", H(e->h), e->flags);
	if (rc)
		return;
	/* Consumed our reference. */
	for (id = 0; id < NNHID; id++)
		if (r->nh[id].h == e->h)
			nh_deleted(r, id);
	e->flags |= F_DELETED;
	ref_sub(r, (void *)(uintptr_t)e->h);
}

/* Read a next hop we hold; learn who owns it. */
static void nexthop_info(struct reg *r, struct href *e, bool keep)
{
	RTM_NEXTHOP_INFO *ni = xmalloc(sizeof(*ni));
	DWORD rc;
	int id;

	rc = RtmGetNextHopInfo(r->h, (HANDLE)(uintptr_t)e->h, ni);
	CHK(C_NHINFO, rc, A_OK, "held next hop %#llx", H(e->h));
	if (rc) {
		free(ni);
		return;
	}
	EXPECT(ni->NextHopOwner && ni->State <= RTM_NEXTHOP_STATE_DELETED &&
	       ni->NextHopAddress.AddressFamily == r->info.AddressFamily &&
	       (!ni->RemoteNextHop ||
		(ni->Flags & RTM_NEXTHOP_FLAGS_REMOTE)),
	       "next hop %#llx: owner %#llx state %u family %u remote %#llx "
	       "flags %#x", H(e->h), H(ni->NextHopOwner), ni->State,
	       ni->NextHopAddress.AddressFamily, H(ni->RemoteNextHop),
	       ni->Flags);
	if (ni->NextHopOwner == r->h) {
		EXPECT(!(e->flags & F_FOREIGN), "next hop %#llx owner changed",
		       H(e->h));
		e->flags |= F_OWN;
		id = nh_ident_of(r, ni);
		EXPECT(id >= 0, "own next hop %#llx with a foreign identity "
		       "%s", H(e->h), A(&ni->NextHopAddress));
		if (e->flags & F_DELETED) {
			EXPECT(ni->State == RTM_NEXTHOP_STATE_DELETED,
			       "deleted own next hop %#llx: State %u", H(e->h),
			       ni->State);
		} else if (ni->State == RTM_NEXTHOP_STATE_CREATED) {
			EXPECT(r->nh[id].exists != 0 && (!r->nh[id].h ||
			       r->nh[id].h == e->h), "own next hop %d: live "
			       "%#llx, model %d %#llx", id, H(e->h),
			       r->nh[id].exists,
			       (unsigned long long)r->nh[id].h);
			r->nh[id].exists = 1;
			r->nh[id].h = e->h;
		} else {
			/* Deleted by identity before we knew its handle. */
			EXPECT(r->nh[id].h != e->h, "own next hop %d %#llx "
			       "deleted behind the model", id, H(e->h));
			e->flags |= F_DELETED;
		}
	} else {
		EXPECT(!(e->flags & F_OWN), "own next hop %#llx now owned by "
		       "%#llx", H(e->h), H(ni->NextHopOwner));
		e->flags |= F_FOREIGN;
	}
	if (keep) {
		pend_keep(r, P_NHINFO, 1, ni);
	} else {
		struct pend p = { .type = P_NHINFO, .n = 1, .buf = ni };

		pend_book(r, &p);
		r->pend[r->npend++] = p;
		pend_release(r, r->npend - 1);
	}
}

static void op_nexthop_info(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_NEXTHOP, 0, 0);

	if (e && r->npend < MAXPEND)
		nexthop_info(r, e, true);
}

/* ------------------------------------------------------------------ */
/* Routes                                                              */
/* ------------------------------------------------------------------ */

/* A next hop for a route: ours and live (or, rarely, a bad one). */
static HANDLE route_nh(struct reg *r, bool *bad)
{
	struct href *e;
	int i, id;

	if (chance(3)) {
		e = pick_held(r, RTM_HT_NEXTHOP, F_DELETED, 0);
		if (!e)
			e = pick_held(r, RTM_HT_NEXTHOP, F_FOREIGN, 0);
		if (e) {
			*bad = true;
			return (HANDLE)(uintptr_t)e->h;
		}
	}
	for (i = 0; i < 4; i++) {
		id = (int)rnd(NNHID);
		if (r->nh[id].exists == 1 && r->nh[id].h)
			return (HANDLE)(uintptr_t)r->nh[id].h;
	}
	return NULL;
}

/* The handle an add by destination returned: our route on prefix @pfx. */
struct href *book_own_route(struct reg *r, RTM_ROUTE_HANDLE h, int pfx)
{
	struct href *e = ref_add(r, h, RTM_HT_ROUTE);
	RTM_NET_ADDRESS was, dest;

	EXPECT(!(e->flags & (F_FOREIGN | F_DELETED)),
	       "route %#llx returned by an add has flags %#x", H(h), e->flags);
	e->flags |= F_OWN;
	if (e->pfx >= 0) {
		prefix(r, e->pfx, &was);
		prefix(r, pfx, &dest);
		EXPECT(!addr_cmp(&was, &dest), "route %#llx was on %s, "
		       "returned by an add on %s", H(h), A(&was), A(&dest));
	}
	e->pfx = (int16_t)pfx;
	return e;
}

static void op_add_route(struct reg *r)
{
	union {
		RTM_ROUTE_INFO ri;
		char b[RTM_SIZE_OF_ROUTE_INFO(MAX_NH)];
	} u;
	RTM_ROUTE_INFO *ri = &u.ri;
	RTM_ROUTE_CHANGE_FLAGS cf = 0, cfin;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS dest;
	struct href *e = NULL;
	unsigned int allowed = A_OK, i, n;
	int mode = (int)rnd(10), pfx = rnd_prefix();
	bool bad = false, dest_given = true;
	/*
	 * Finite lifetimes arm (and every update, delete and teardown
	 * cancels) the expiry timer, but never expire during a run: an
	 * owner without a callback loses expired routes (spec part 2,
	 * 2.11), which the model does not follow.
	 */
	ULONG ttl = chance(50) ? INFINITE : 3600000 + rnd(100000);
	DWORD rc;

	memset(&u, 0, sizeof(u));
	prefix(r, pfx, &dest);
	ri->Neighbour = chance(40) ? route_nh(r, &bad) : NULL;
	n = rnd(r->prof.MaxNextHopsInRoute < 3 ? r->prof.MaxNextHopsInRoute + 1
						: 4);
	for (i = 0; i < n; i++) {
		HANDLE x = route_nh(r, &bad);
		unsigned int j;

		for (j = 0; j < ri->NextHopsList.NumNextHops; j++)
			if (ri->NextHopsList.NextHops[j] == x)
				x = NULL;
		if (x)
			ri->NextHopsList.NextHops[ri->NextHopsList.NumNextHops++] = x;
	}
	ri->PrefInfo.Metric = rnd(4);
	ri->PrefInfo.Preference = chance(30) ? 0 : 1 + rnd(3);
	ri->BelongsToViews = 1 + rnd(3);
	ri->Flags = chance(15) ? RTM_ROUTE_FLAGS_INACTIVE :
		    (USHORT)(rnd(2) ? RTM_ROUTE_FLAGS_LOCAL : 0);
	ri->Flags1 = (UCHAR)rnd(4);
	ri->EntitySpecificInfo = (PVOID)(uintptr_t)splitmix(&rng);
	ri->State = RTM_ROUTE_STATE_DELETED;	/* ignored on input */
	if (chance(2)) {		/* invalid on purpose */
		if (rnd(2))
			ri->BelongsToViews = 0;
		else
			ttl = 0;
		bad = true;
	}
	cfin = rnd(3) == 0 ? 0 : rnd(2) ? RTM_ROUTE_CHANGE_FIRST :
	       RTM_ROUTE_CHANGE_NEW;
	if (mode < 2) {
		/* (a): update a route by its handle. */
		e = pick_held(r, RTM_HT_ROUTE, 0, 0);
		if (!e)
			return;
		h = (HANDLE)(uintptr_t)e->h;
		if (e->flags & F_FOREIGN)
			allowed = A_AD;
		else if (e->flags & F_DELETED)
			allowed = A_IH;
		else if (!(e->flags & F_OWN))
			allowed = A_AD | A_OK;	/* owner unknown */
		if ((e->flags & F_OWN) && e->pfx >= 0 && chance(50)) {
			RTM_NET_ADDRESS own;

			prefix(r, e->pfx, &own);
			if (chance(90) || !addr_cmp(&own, &dest))
				dest = own;
			else if (allowed == A_OK)
				bad = true;	/* not its destination */
		} else {
			dest_given = false;
		}
		/* Argument errors may be found before the handle's. */
		if (bad)
			allowed = A_IP | (allowed & ~A_OK);
		cf = cfin;
		rc = RtmAddRouteToDest(r->h, &h, dest_given ? &dest : NULL, ri,
				       ttl, NULL, 0, NULL, &cf);
		CHK(C_ADDRT, rc, allowed, "mode a, handle %#llx (flags %#x "
		    "pfx %d), dest %s, views %#x ttl %u nh %u nb %#llx",
		    H(e->h), e->flags, e->pfx,
		    dest_given ? A(&dest) : "NULL", ri->BelongsToViews, ttl,
		    ri->NextHopsList.NumNextHops, H(ri->Neighbour));
		EXPECT(h == (HANDLE)(uintptr_t)e->h, "mode a changed the handle");
		if (rc == ERROR_ACCESS_DENIED)
			e->flags |= F_FOREIGN;
		if (!rc) {
			EXPECT(!(cf & ~RTM_ROUTE_CHANGE_BEST),
			       "mode a update: ChangeFlags %#x", cf);
			e->flags |= F_OWN;
		}
		return;
	}
	if (bad)
		allowed = A_IP;
	cf = cfin;
	rc = RtmAddRouteToDest(r->h, mode < 7 ? &h : NULL, &dest, ri, ttl, NULL,
			       0, NULL, chance(5) && !cfin ? NULL : &cf);
	CHK(C_ADDRT, rc, allowed, "mode %c, dest %s, change %#x, views %#x "
	    "ttl %u nh %u nb %#llx", mode < 7 ? 'b' : 'c', A(&dest), cfin,
	    ri->BelongsToViews, ttl, ri->NextHopsList.NumNextHops,
	    H(ri->Neighbour));
	if (rc)
		return;
	EXPECT(!(cf & ~(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST)),
	       "ChangeFlags %#x", cf);
	if (cfin == RTM_ROUTE_CHANGE_NEW)
		EXPECT(cf & RTM_ROUTE_CHANGE_NEW, "CHANGE_NEW add: ChangeFlags "
		       "%#x", cf);
	if (cf & RTM_ROUTE_CHANGE_NEW)
		r->own_routes++;
	if (mode < 7)
		book_own_route(r, h, pfx);
}

static void op_delete_route(struct reg *r)
{
	RTM_ROUTE_CHANGE_FLAGS cf = 0xdead;
	struct href *e;
	unsigned int allowed;
	DWORD rc;

	e = pick_free(r, RTM_HT_ROUTE, chance(80) ? F_OWN : 0, 0);
	if (!e)
		return;
	if (e->flags & F_FOREIGN)
		allowed = A_AD;
	else if (e->flags & F_DELETED)
		allowed = A_NF;
	else if (e->flags & F_OWN)
		allowed = A_OK;
	else
		allowed = A_OK | A_AD;
	rc = RtmDeleteRouteToDest(r->h, (HANDLE)(uintptr_t)e->h,
				  chance(10) ? NULL : &cf);
	CHK(C_DELRT, rc, allowed, "handle %#llx flags %#x", H(e->h), e->flags);
	if (rc)
		return;
	EXPECT(cf == 0xdead || !(cf & ~RTM_ROUTE_CHANGE_BEST),
	       "delete: ChangeFlags %#x", cf);
	e->flags |= F_OWN | F_DELETED;
	lists_route_deleted(r, e->h);
	ref_sub(r, (void *)(uintptr_t)e->h);	/* consumed */
	if (r->own_routes)
		r->own_routes--;
}

static void op_route_info(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_ROUTE, 0, 0);
	RTM_NET_ADDRESS addr;
	RTM_ROUTE_INFO *ri;
	int what = (int)rnd(4);
	DWORD rc;

	if (!e || r->npend >= MAXPEND)
		return;
	ri = xmalloc(r->rsize);
	rc = RtmGetRouteInfo(r->h, (HANDLE)(uintptr_t)e->h,
			     (what & 1) ? ri : NULL, (what & 2) ? &addr : NULL);
	CHK(C_RTINFO, rc, A_OK, "held route %#llx, outputs %d", H(e->h), what);
	if (rc || !(what & 1)) {
		free(ri);
		return;
	}
	check_route(r, ri, e, "RtmGetRouteInfo");
	if ((what & 2) && (e->flags & F_OWN) && e->pfx >= 0) {
		RTM_NET_ADDRESS p;

		prefix(r, e->pfx, &p);
		EXPECT(!addr_cmp(&p, &addr), "own route %#llx: dest %s, "
		       "added on %s", H(e->h), A(&addr), A(&p));
	}
	if ((what & 2) && (e->flags & F_OWN) && e->pfx < 0) {
		int i;

		for (i = 0; i < NPFX; i++) {
			RTM_NET_ADDRESS p;

			prefix(r, i, &p);
			if (!addr_cmp(&p, &addr)) {
				e->pfx = (int16_t)i;
				break;
			}
		}
	}
	pend_keep(r, P_ROUTEINFO, 1, ri);
}

static void op_is_best(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_ROUTE, 0, 0);
	RTM_VIEW_SET v = 0xdead;
	DWORD rc;

	if (!e)
		return;
	rc = RtmIsBestRoute(r->h, (HANDLE)(uintptr_t)e->h, &v);
	CHK(C_ISBEST, rc, A_OK, "held route %#llx", H(e->h));
	if (rc)
		return;
	EXPECT(!(v & ~3u), "BestInViews %#x", v);
	if (e->flags & F_DELETED)
		EXPECT(!v, "deleted route best in %#x", v);
}

static void op_exact_route(struct reg *r)
{
	union {
		RTM_ROUTE_INFO ri;
		char b[RTM_SIZE_OF_ROUTE_INFO(MAX_NH)];
	} u, crit;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS dest;
	RTM_MATCH_FLAGS match = 0;
	struct href *e;
	DWORD views = rnd(4), rc;
	ULONG ifindex = 1 + rnd(3);
	bool want_h = chance(50);
	unsigned int i, j;

	if (r->npend >= MAXPEND)
		return;
	memset(&u, 0, sizeof(u));
	prefix(r, rnd_prefix(), &dest);
	if (chance(40)) {
		match |= RTM_MATCH_OWNER;
		e = chance(70) ? NULL : pick_held(r, RTM_HT_ENTITY, 0, 0);
		u.ri.RouteOwner = e ? (HANDLE)(uintptr_t)e->h : r->h;
	}
	if (chance(20)) {
		match |= RTM_MATCH_NEIGHBOUR;
		e = pick_held(r, RTM_HT_NEXTHOP, 0, 0);
		u.ri.Neighbour = e ? (HANDLE)(uintptr_t)e->h : NULL;
	}
	if (chance(20)) {
		match |= RTM_MATCH_PREF;
		u.ri.PrefInfo.Metric = rnd(4);
		u.ri.PrefInfo.Preference = 1 + rnd(3);
	}
	if (chance(20)) {
		match |= RTM_MATCH_NEXTHOP;
		e = pick_held(r, RTM_HT_NEXTHOP, 0, 0);
		if (e) {
			u.ri.NextHopsList.NumNextHops = 1;
			u.ri.NextHopsList.NextHops[0] = (HANDLE)(uintptr_t)e->h;
		}
	}
	if (chance(15))
		match |= RTM_MATCH_INTERFACE;
	if (chance(5))
		match = RTM_MATCH_FULL;
	crit = u;
	rc = RtmGetExactMatchRoute(r->h, &dest, match, &u.ri, ifindex, views,
				   want_h ? &h : NULL);
	CHK(C_EXACTRT, rc, A_OK | A_NF, "dest %s match %#x views %#x",
	    A(&dest), match, views);
	if (rc)
		return;
	check_route(r, &u.ri, NULL, "RtmGetExactMatchRoute");
	EXPECT(u.ri.State == RTM_ROUTE_STATE_CREATED, "matched a route in "
	       "state %u", u.ri.State);
	if (views)
		EXPECT(u.ri.BelongsToViews & views, "views %#x, route in %#x",
		       views, u.ri.BelongsToViews);
	if (match & RTM_MATCH_OWNER)
		EXPECT(u.ri.RouteOwner == crit.ri.RouteOwner, "owner %#llx, "
		       "asked %#llx", H(u.ri.RouteOwner),
		       H(crit.ri.RouteOwner));
	if (match & RTM_MATCH_NEIGHBOUR)
		EXPECT(u.ri.Neighbour == crit.ri.Neighbour, "neighbour %#llx, "
		       "asked %#llx", H(u.ri.Neighbour), H(crit.ri.Neighbour));
	if (match & RTM_MATCH_PREF)
		EXPECT(u.ri.PrefInfo.Metric == crit.ri.PrefInfo.Metric &&
		       u.ri.PrefInfo.Preference == crit.ri.PrefInfo.Preference,
		       "pref %u/%u, asked %u/%u", u.ri.PrefInfo.Preference,
		       u.ri.PrefInfo.Metric, crit.ri.PrefInfo.Preference,
		       crit.ri.PrefInfo.Metric);
	if (match & RTM_MATCH_NEXTHOP) {
		for (i = 0; i < crit.ri.NextHopsList.NumNextHops; i++) {
			for (j = 0; j < u.ri.NextHopsList.NumNextHops; j++)
				if (u.ri.NextHopsList.NextHops[j] ==
				    crit.ri.NextHopsList.NextHops[i])
					break;
			EXPECT(j < u.ri.NextHopsList.NumNextHops,
			       "next hop %#llx not in the matched route",
			       H(crit.ri.NextHopsList.NextHops[i]));
		}
	}
	{
		RTM_ROUTE_INFO *copy = xmalloc(r->rsize);

		memcpy(copy, &u.ri, r->rsize);
		pend_keep(r, P_ROUTEINFO, 1, copy);
	}
	if (h) {
		e = ref_add(r, h, RTM_HT_ROUTE);
		if (u.ri.RouteOwner == r->h)
			e->flags |= F_OWN;
		EXPECT(!(e->flags & F_DELETED), "matched a route we deleted");
		if (u.ri.RouteOwner != r->h)
			e->flags |= F_FOREIGN;
	}
}

/* ------------------------------------------------------------------ */
/* Destinations                                                        */
/* ------------------------------------------------------------------ */

static DWORD rnd_views(void)
{
	static const DWORD v[] = { 0, 1, 2, 3, RTM_VIEW_MASK_ALL };

	return v[rnd(5)];
}

static ULONG rnd_protocol(void)
{
	switch (rnd(4)) {
	case 0: return RTM_BEST_PROTOCOL;
	case 1: return RTM_THIS_PROTOCOL;
	default: return protos[rnd(4)];
	}
}

static void op_dest_query(struct reg *r)
{
	RTM_DEST_INFO *d;
	RTM_NET_ADDRESS a, from;
	struct href *e = NULL;
	DWORD views = rnd_views(), rc;
	ULONG proto = rnd_protocol();
	int q = (int)rnd(4), call;
	unsigned int allowed = A_OK | A_NF;

	if (r->npend + 2 > MAXPEND)
		return;
	d = xmalloc(r->dstride);
	memset(&from, 0, sizeof(from));
	switch (q) {
	case 0:
		call = C_EXACTDEST;
		prefix(r, rnd_prefix(), &a);
		rc = RtmGetExactMatchDestination(r->h, &a, proto, views, d);
		break;
	case 1:
		call = C_MOSTSPEC;
		if (chance(50))
			rnd_host(r, &a);
		else
			prefix(r, rnd_prefix(), &a);
		rc = RtmGetMostSpecificDestination(r->h, &a, proto, views, d);
		break;
	default:
		e = pick_held(r, RTM_HT_DEST, 0, 0);
		if (!e) {
			free(d);
			return;
		}
		call = q == 2 ? C_LESSSPEC : C_DESTINFO;
		if (q == 2)
			rc = RtmGetLessSpecificDestination(r->h,
				(HANDLE)(uintptr_t)e->h, proto, views, d);
		else
			rc = RtmGetDestInfo(r->h, (HANDLE)(uintptr_t)e->h, proto,
					    views, d);
		if (q == 3)
			allowed = A_OK;
		memset(&a, 0, sizeof(a));
		break;
	}
	CHK(call, rc, allowed, "addr %s dest %#llx protocol %#x views %#x",
	    A(&a), H(e ? e->h : 0), proto, views);
	if (rc) {
		free(d);
		return;
	}
	check_dest(r, d, views, call_name[call]);
	if (q == 0)
		EXPECT(!addr_cmp(&a, &d->DestAddress), "exact match of %s gave "
		       "%s", A(&a), A(&d->DestAddress));
	if (q == 1)
		EXPECT(covers(&d->DestAddress, &a, a.NumBits), "most specific "
		       "of %s gave %s", A(&a), A(&d->DestAddress));
	if (q == 3 && e->cnt > 0 && chance(50)) {
		/* Less specific from it: covers it with a shorter prefix. */
		RTM_DEST_INFO *l = xmalloc(r->dstride);

		from = d->DestAddress;
		rc = RtmGetLessSpecificDestination(r->h, d->DestHandle, proto,
						   views, l);
		CHK(C_LESSSPEC, rc, A_OK | A_NF, "from %s", A(&from));
		if (!rc) {
			check_dest(r, l, views, "RtmGetLessSpecificDestination");
			EXPECT(l->DestAddress.NumBits < from.NumBits &&
			       covers(&l->DestAddress, &from, from.NumBits),
			       "less specific of %s gave %s", A(&from),
			       A(&l->DestAddress));
			pend_keep(r, P_DEST1, 1, l);
		} else {
			free(l);
		}
	}
	pend_keep(r, P_DEST1, 1, d);
}

/*
 * Exact match of @addr with TargetViews 0 (destinations without routes
 * too); its handle, or NULL.  The caller has room for one structure.
 */
RTM_DEST_HANDLE dest_lookup(struct reg *r, const RTM_NET_ADDRESS *addr,
			    DWORD *rcp)
{
	RTM_DEST_INFO *d = xmalloc(r->dstride);
	RTM_DEST_HANDLE h;
	DWORD rc;

	rc = RtmGetExactMatchDestination(r->h, (PRTM_NET_ADDRESS)addr,
					 RTM_BEST_PROTOCOL, 0, d);
	CHK(C_EXACTDEST, rc, A_OK | A_NF, "%s, views 0", A(addr));
	*rcp = rc;
	if (rc) {
		free(d);
		return NULL;
	}
	check_dest(r, d, 0, "RtmGetExactMatchDestination");
	h = d->DestHandle;
	pend_keep(r, P_DEST1, 1, d);
	return h;
}

/* The address of a destination we hold (RtmGetDestInfo, no views). */
bool dest_addr(struct reg *r, RTM_DEST_HANDLE h, RTM_NET_ADDRESS *a)
{
	RTM_DEST_INFO *d = xmalloc(r->dstride);
	DWORD rc;

	rc = RtmGetDestInfo(r->h, h, RTM_BEST_PROTOCOL, 0, d);
	CHK(C_DESTINFO, rc, A_OK, "held dest %#llx", H(h));
	if (rc) {
		free(d);
		return false;
	}
	*a = d->DestAddress;
	pend_keep(r, P_DEST1, 1, d);
	return true;
}

/* Give back one reference on a destination handle (Appendix A). */
void release_dest(struct reg *r, uint64_t h)
{
	RTM_DEST_INFO d;
	DWORD rc;

	memset(&d, 0, sizeof(d));
	d.DestHandle = (HANDLE)(uintptr_t)h;
	do {
		rc = RtmReleaseDestInfo(r->h, &d);
		CHK(C_RELDESTINFO, rc, A_OK, "held dest %#llx", H(h));
	} while (rc);
	ref_sub(r, d.DestHandle);
}

/* ------------------------------------------------------------------ */
/* Enumerations                                                        */
/* ------------------------------------------------------------------ */

static void enum_forget(struct reg *r, unsigned int i)
{
	free(r->en[i].seen);
	r->en[i] = r->en[--r->nen];
}

static void enum_delete(struct reg *r, unsigned int i)
{
	RTM_ENUM_HANDLE h = r->en[i].h;
	DWORD rc;

	rc = RtmDeleteEnumHandle(r->h, h);
	CHK(C_DELENUM, rc, A_OK, "enum %#llx", H(h));
	enum_forget(r, i);
	if (chance(10)) {
		rc = RtmDeleteEnumHandle(r->h, h);
		CHK(C_DELENUM, rc, A_IH, "deleted enum %#llx", H(h));
	}
}

static void op_enum_create(struct reg *r)
{
	union {
		RTM_ROUTE_INFO ri;
		char b[RTM_SIZE_OF_ROUTE_INFO(MAX_NH)];
	} crit;
	struct enm en;
	RTM_ENUM_FLAGS flags = 0;
	RTM_MATCH_FLAGS match = 0;
	struct href *e;
	HANDLE dest = NULL;
	DWORD views = rnd(4), rc;
	int kind = 1 + (int)rnd(3), call;

	if (r->nen == MAXENUMS)
		return;
	memset(&en, 0, sizeof(en));
	memset(&crit, 0, sizeof(crit));
	switch (rnd(3)) {
	case 1:
		flags = RTM_ENUM_NEXT;
		break;
	case 2:
		flags = RTM_ENUM_RANGE;
		en.range = true;
		break;
	}
	if (flags)
		prefix(r, rnd_prefix(), &en.rng);
	if (kind == RTM_ENUM_KIND_DEST) {
		if (chance(20))
			flags |= RTM_ENUM_OWN_DESTS;
		call = C_CDENUM;
		rc = RtmCreateDestEnum(r->h, views, flags,
				       (flags & 3) ? &en.rng : NULL,
				       rnd_protocol(), &en.h);
	} else if (kind == RTM_ENUM_KIND_ROUTE) {
		if (chance(30))
			flags |= RTM_ENUM_OWN_ROUTES;
		if (chance(20)) {
			e = pick_held(r, RTM_HT_DEST, 0, 0);
			dest = e ? (HANDLE)(uintptr_t)e->h : NULL;
		}
		if (chance(20)) {
			match |= RTM_MATCH_OWNER;
			crit.ri.RouteOwner = r->h;
		}
		if (chance(10)) {
			match |= RTM_MATCH_PREF;
			crit.ri.PrefInfo.Preference = 1 + rnd(3);
			crit.ri.PrefInfo.Metric = rnd(4);
		}
		if (chance(10))
			match |= RTM_MATCH_INTERFACE;
		if (chance(10)) {
			match |= RTM_MATCH_NEXTHOP;
			e = pick_held(r, RTM_HT_NEXTHOP, 0, 0);
			if (e) {
				crit.ri.NextHopsList.NumNextHops = 1;
				crit.ri.NextHopsList.NextHops[0] =
					(HANDLE)(uintptr_t)e->h;
			}
		}
		call = C_CRENUM;
		rc = RtmCreateRouteEnum(r->h, dest, views, flags,
					(flags & 3) ? &en.rng : NULL, match,
					match ? &crit.ri : NULL, 1 + rnd(3),
					&en.h);
		if (dest)
			en.range = false;
	} else {
		call = C_CNENUM;
		rc = RtmCreateNextHopEnum(r->h, flags,
					  (flags & 3) ? &en.rng : NULL, &en.h);
	}
	CHK(call, rc, A_OK, "flags %#x views %#x match %#x dest %#llx start %s",
	    flags, views, match, H(dest), A(&en.rng));
	if (rc)
		return;
	EXPECT(en.h && RTM_HANDLE_TYPE((uint64_t)(uintptr_t)en.h) ==
	       RTM_HT_ENUM, "enum handle %#llx", H(en.h));
	en.kind = kind;
	en.views = views;
	en.next = (flags & RTM_ENUM_NEXT) && !dest;
	if (kind == RTM_ENUM_KIND_ROUTE)
		en.seen = xmalloc(ENUM_SEEN * sizeof(uint64_t));
	r->en[r->nen++] = en;
}

/* Own routes of an enumeration batch that we may delete at once. */
static void enum_routes_batch(struct reg *r, struct enm *en, HANDLE *h,
			      unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		struct href *e = ref_add(r, h[i], RTM_HT_ROUTE);

		e->pcnt++;
		/* With RTM_VIEW_MASK_ANY, hold-down routes come last. */
		EXPECT(!(e->flags & F_DELETED) || !en->views, "enumeration "
		       "of views %#x returned route %#llx after we deleted it",
		       en->views, H(h[i]));
		for (j = 0; j < en->nseen; j++)
			EXPECT(en->seen[j] != (uint64_t)(uintptr_t)h[i],
			       "enumeration returned route %#llx twice",
			       H(h[i]));
		if (en->nseen < ENUM_SEEN)
			en->seen[en->nseen++] = (uint64_t)(uintptr_t)h[i];
	}
}

static void op_enum_get(struct reg *r)
{
	unsigned int i = rnd(r->nen), j, want, n, max = r->prof.MaxHandlesInEnum;
	struct enm *en = &r->en[i];
	void *buf;
	DWORD rc;
	int call;
	bool over = chance(3);

	if (!r->nen)
		return;
	if (en->ended && chance(50)) {
		enum_delete(r, i);
		return;
	}
	if (r->npend >= MAXPEND)
		return;
	want = over ? max + 1 : 1 + rnd(chance(30) ? max : 8);
	n = want;
	if (en->kind == RTM_ENUM_KIND_DEST) {
		call = C_GETDESTS;
		buf = xmalloc(r->dstride * (want + 1));
		if (chance(3)) {
			n = 1;
			rc = RtmGetEnumRoutes(r->h, en->h, &n, buf);
			CHK(C_GETROUTES, rc, A_IH, "dest enum %#llx", H(en->h));
			EXPECT(!n, "%u items on error", n);
			n = want;
		}
		rc = RtmGetEnumDests(r->h, en->h, &n, buf);
	} else {
		buf = xmalloc(sizeof(HANDLE) * (want + 1));
		if (en->kind == RTM_ENUM_KIND_ROUTE) {
			call = C_GETROUTES;
			rc = RtmGetEnumRoutes(r->h, en->h, &n, buf);
		} else {
			call = C_GETNHS;
			rc = RtmGetEnumNextHops(r->h, en->h, &n, buf);
		}
	}
	CHK(call, rc, over ? A_IP : en->ended ? A_NMI : A_OK | A_NMI,
	    "enum %#llx kind %d, %u asked (max %u)", H(en->h), en->kind, want,
	    max);
	if (rc && rc != ERROR_NO_MORE_ITEMS) {
		EXPECT(!n, "%u items with error %u", n, rc);
		free(buf);
		return;
	}
	if (rc == NO_ERROR)
		EXPECT(n == want, "NO_ERROR with %u of %u items", n, want);
	else
		EXPECT(n < want && (!en->ended || !n),
		       "NO_MORE_ITEMS with %u of %u items (ended %d)", n, want,
		       en->ended);
	if (rc == ERROR_NO_MORE_ITEMS)
		en->ended = true;
	if (!n) {
		free(buf);
		return;
	}
	if (en->kind == RTM_ENUM_KIND_DEST) {
		for (j = 0; j < n; j++) {
			RTM_DEST_INFO *d = dest_at(r, buf, j);

			check_dest(r, d, en->views, "RtmGetEnumDests");
			/* NEXT is inclusive (spec part 2, 3.1). */
			if (en->next)
				EXPECT(addr_cmp(&en->rng, &d->DestAddress) <= 0,
				       "dest %s before the start %s",
				       A(&d->DestAddress), A(&en->rng));
			if (en->have_last)
				EXPECT(addr_cmp(&en->last, &d->DestAddress) < 0,
				       "dest %s after %s", A(&d->DestAddress),
				       A(&en->last));
			if (en->range)
				EXPECT(covers(&en->rng, &d->DestAddress,
					      d->DestAddress.NumBits),
				       "dest %s outside range %s",
				       A(&d->DestAddress), A(&en->rng));
			en->last = d->DestAddress;
			en->have_last = true;
		}
		pend_keep(r, P_DESTS, n, buf);
	} else if (en->kind == RTM_ENUM_KIND_ROUTE) {
		struct pend p = { .type = P_ROUTES, .n = n, .buf = buf };

		enum_routes_batch(r, en, buf, n);
		r->pend[r->npend++] = p;
		if (chance(40))
			pend_release(r, r->npend - 1);
	} else {
		struct pend p = { .type = P_NHS, .n = n, .buf = buf };

		pend_book(r, &p);
		r->pend[r->npend++] = p;
		/* Read some of them: who owns them, in address order. */
		if (chance(30))
			for (j = 0; j < n && j < 8; j++)
				if (r->npend < MAXPEND)
					nexthop_info(r, map_find(r,
						(uint64_t)(uintptr_t)
						((HANDLE *)buf)[j], false),
						false);
		if (chance(40))
			pend_release(r, r->npend - 1);
	}
}

/* ------------------------------------------------------------------ */
/* Releases and references                                             */
/* ------------------------------------------------------------------ */

static void op_release(struct reg *r)
{
	if (r->npend)
		pend_release(r, rnd(r->npend));
}

static int release_fn_call(int kind)
{
	return kind == RTM_HT_ROUTE ? C_RELROUTES :
	       kind == RTM_HT_NEXTHOP ? C_RELNHS : C_RELENTS;
}

static DWORD release_fn(struct reg *r, int kind, UINT n, HANDLE *h)
{
	if (kind == RTM_HT_ROUTE)
		return RtmReleaseRoutes(r->h, n, h);
	if (kind == RTM_HT_NEXTHOP)
		return RtmReleaseNextHops(r->h, n, h);
	return RtmReleaseEntities(r->h, n, h);
}

void release_route(struct reg *r, uint64_t h)
{
	HANDLE x = (HANDLE)(uintptr_t)h;
	DWORD rc;

	do {
		rc = RtmReleaseRoutes(r->h, 1, &x);
		CHK(C_RELROUTES, rc, A_OK, "held route %#llx (%ld held)", H(h),
		    (long)map_find(r, h, false)->cnt);
	} while (rc);
	ref_sub(r, x);
}

/* Releases that must fail with ERROR_INVALID_HANDLE. */
static void op_wrong_release(struct reg *r)
{
	static const int kinds[] = { RTM_HT_ROUTE, RTM_HT_NEXTHOP,
				     RTM_HT_ENTITY };
	int kind = kinds[rnd(3)], other = kinds[rnd(3)];
	struct href *bad, *good;
	HANDLE h[3];
	DWORD rc;

	/*
	 * While a callback runs, its event's reference is booked to the
	 * registration: releasing an "unheld" entity (or, for the timer
	 * registration, route) handle could take that one.
	 */
	if (r->cb && (kind == RTM_HT_ENTITY ||
		      (r->idx == REG_TIMER && kind == RTM_HT_ROUTE)))
		kind = RTM_HT_NEXTHOP;
	switch (rnd(4)) {
	case 0:	/* a handle we hold nothing on (any more) */
		bad = pick_unheld(r, kind);
		if (!bad)
			return;
		h[0] = (HANDLE)(uintptr_t)bad->h;
		rc = release_fn(r, kind, 1, h);
		CHK(release_fn_call(kind), rc, A_IH, "unheld %#llx", H(bad->h));
		break;
	case 1:	/* a held handle released as another kind */
		if (kind == other)
			return;
		good = pick_held(r, other, 0, 0);
		if (!good)
			return;
		h[0] = (HANDLE)(uintptr_t)good->h;
		rc = release_fn(r, kind, 1, h);
		CHK(release_fn_call(kind), rc, A_IH, "%s %#llx as a %s",
		    kind_name[other], H(good->h), kind_name[kind]);
		break;
	case 2:	/* valid + invalid: the valid one is still released */
		good = pick_free(r, kind, 0, 0);
		bad = pick_unheld(r, kind);
		if (!good || !bad)
			return;
		h[0] = NULL;
		h[1] = (HANDLE)(uintptr_t)good->h;
		h[2] = (HANDLE)(uintptr_t)bad->h;
		rc = release_fn(r, kind, 3, h);
		CHK(release_fn_call(kind), rc, A_IH, "held %#llx + unheld %#llx",
		    H(good->h), H(bad->h));
		if (rc != ERROR_INVALID_HANDLE)
			break;
		ref_sub(r, h[1]);
		if (!good->cnt) {
			rc = release_fn(r, kind, 1, &h[1]);
			CHK(release_fn_call(kind), rc, A_IH, "released %#llx "
			    "again", H(good->h));
		}
		break;
	default: /* our own registration handle: never obtained */
		if (held_of(r, r->h))
			return;
		h[0] = r->h;
		rc = RtmReleaseEntities(r->h, 1, h);
		CHK(C_RELENTS, rc, A_IH, "own registration handle %#llx",
		    H(r->h));
		break;
	}
}

static void op_reference(struct reg *r)
{
	static const int kinds[] = { RTM_HT_ROUTE, RTM_HT_NEXTHOP,
				     RTM_HT_ENTITY, RTM_HT_DEST };
	HANDLE h[8];
	int k[8];
	unsigned int n = 1 + rnd(6), i, got = 0;
	struct href *e;
	DWORD rc;

	if (r->npend + n > MAXPEND)
		return;
	for (i = 0; i < n; i++) {
		k[got] = kinds[rnd(4)];
		e = pick_held(r, k[got], 0, 0);
		if (e)
			h[got++] = (HANDLE)(uintptr_t)e->h;
	}
	if (!got)
		return;
	if (chance(10)) {
		/* A NULL element, or an enumeration handle: all refused. */
		if (r->nen && rnd(2))
			h[rnd(got)] = r->en[rnd(r->nen)].h;
		else
			h[rnd(got)] = NULL;
		rc = RtmReferenceHandles(r->h, got, h);
		CHK(C_REFHANDLES, rc, A_IH, "%u handles, one bad", got);
		return;
	}
	rc = RtmReferenceHandles(r->h, got, h);
	CHK(C_REFHANDLES, rc, A_OK, "%u held handles", got);
	if (rc)
		return;
	for (i = 0; i < got; i++)
		ref_add(r, h[i], k[i])->pcnt++;
	/* Give them back as their kinds say (Appendix A). */
	for (i = 0; i < got; i++) {
		if (k[i] == RTM_HT_DEST) {
			RTM_DEST_INFO *d = xmalloc(r->dstride);

			d->DestHandle = h[i];
			d->NumberOfViews = 0;
			r->pend[r->npend++] = (struct pend){ P_DEST1, 1, d, NULL };
		} else {
			HANDLE *one = xmalloc(sizeof(HANDLE));

			one[0] = h[i];
			r->pend[r->npend++] = (struct pend){
				k[i] == RTM_HT_ROUTE ? P_ROUTES :
				k[i] == RTM_HT_NEXTHOP ? P_NHS : P_ENTS, 1, one,
				NULL };
		}
		if (chance(50))
			pend_release(r, r->npend - 1);
	}
}

/* ------------------------------------------------------------------ */
/* Entities                                                            */
/* ------------------------------------------------------------------ */

static void op_entities(struct reg *r)
{
	UINT n = 0, cap, i;
	RTM_ENTITY_HANDLE *h;
	RTM_ENTITY_INFO *inf;
	bool want_h = chance(70), me = false;
	DWORD rc;

	if (r->npend >= MAXPEND)
		return;
	rc = RtmGetRegisteredEntities(r->h, &n, NULL, NULL);
	CHK(C_GETENTS, rc, A_IB, "count only");
	if (rc)
		EXPECT(rc != ERROR_INSUFFICIENT_BUFFER || n >= 1,
		       "%u entities with us registered", n);
	if (rc != ERROR_INSUFFICIENT_BUFFER)
		return;
	cap = n + rnd(4);
	h = xmalloc((cap + 1) * sizeof(*h));
	inf = xmalloc((cap + 1) * sizeof(*inf));
	n = cap;
	rc = RtmGetRegisteredEntities(r->h, &n, want_h ? h : NULL, inf);
	CHK(C_GETENTS, rc, A_OK | A_IB, "capacity %u", cap);
	if (rc) {
		if (rc == ERROR_INSUFFICIENT_BUFFER)
			EXPECT(n > cap && !h[0], "INSUFFICIENT_BUFFER: need %u "
			       "of %u, h[0] %#llx", n, cap, H(h[0]));
		free(h);
		free(inf);
		return;
	}
	EXPECT(n >= 1 && n <= cap, "%u entities, capacity %u", n, cap);
	for (i = 0; i < n; i++) {
		EXPECT(inf[i].RtmInstanceId == r->info.RtmInstanceId &&
		       inf[i].AddressFamily == r->info.AddressFamily,
		       "entity %u of another table: %u/%u", i,
		       inf[i].RtmInstanceId, inf[i].AddressFamily);
		if (inf[i].EntityId.EntityId == r->info.EntityId.EntityId) {
			me = true;
			if (want_h)
				EXPECT(h[i] == r->h, "our entity listed with "
				       "%#llx, registered as %#llx", H(h[i]),
				       H(r->h));
		}
	}
	EXPECT(me, "our entity is not listed among %u", n);
	free(inf);
	if (!want_h) {
		free(h);
		return;
	}
	pend_keep(r, P_ENTS, n, h);
}

static void op_entity_info(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_ENTITY, 0, 0);
	RTM_ENTITY_HANDLE h = e ? (HANDLE)(uintptr_t)e->h : r->h;
	RTM_ENTITY_INFO inf;
	DWORD rc;

	memset(&inf, 0xa5, sizeof(inf));
	rc = RtmGetEntityInfo(r->h, h, &inf);
	CHK(C_ENTINFO, rc, A_OK, "entity %#llx", H(h));
	if (rc)
		return;
	EXPECT(inf.RtmInstanceId == r->info.RtmInstanceId &&
	       inf.AddressFamily == r->info.AddressFamily,
	       "entity %#llx of table %u/%u", H(h), inf.RtmInstanceId,
	       inf.AddressFamily);
	if (h == r->h)
		EXPECT(inf.EntityId.EntityId == r->info.EntityId.EntityId,
		       "own entity id %#llx",
		       (unsigned long long)inf.EntityId.EntityId);
	rc = RtmReleaseEntityInfo(r->h, &inf);
	CHK(C_RELENTINFO, rc, A_OK, "entity %#llx", H(h));
}

static void op_duplicate_register(struct reg *r)
{
	RTM_REGN_PROFILE p;
	RTM_ENTITY_HANDLE h = NULL;
	DWORD rc;

	rc = RtmRegisterEntity(&r->info, NULL, NULL, FALSE, &p, &h);
	CHK(C_REGISTER, rc, A_AE, "id %#llx registered as %#llx",
	    (unsigned long long)r->info.EntityId.EntityId, H(r->h));
	EXPECT(!h, "a failed registration returned %#llx", H(h));
}

/* ------------------------------------------------------------------ */
/* Drain and clean-up                                                   */
/* ------------------------------------------------------------------ */

/*
 * Give back exactly what the model says this registration holds; each
 * release must succeed.  An uncertain count (ambiguous release) is
 * resolved by releasing one at a time until ERROR_INVALID_HANDLE: if
 * fewer than the model's upper bound remain, the failed release did give
 * back some references.
 */
void drain(struct reg *r)
{
	unsigned int i;
	DWORD rc;

	/* What the later calls keep: cells, marks, lists, live timers. */
	events_drain(r);
	notify_drain(r);
	locks_drain(r);
	lists_drain(r);
	while (r->nen)
		enum_delete(r, r->nen - 1);
	for (i = 0; r->npend && i < RETRY_MAX; i++)
		pend_release(r, r->npend - 1);
	EXPECT(!r->npend, "structures still held after %u tries", i);
	for (i = 0; i < MAPSZ; i++) {
		struct href *e = &r->map[i];
		HANDLE h = (HANDLE)(uintptr_t)e->h;
		long left = 0;
		unsigned int tries = 0;

		if (!e->h || !e->cnt)
			continue;
		while (e->cnt > 0 && tries < RETRY_MAX) {
			tries++;
			if (e->kind == RTM_HT_DEST) {
				RTM_DEST_INFO d = { .DestHandle = h };

				rc = RtmReleaseDestInfo(r->h, &d);
				CHK(C_RELDESTINFO, rc, (e->flags & F_UNCERTAIN) ?
				    A_OK | A_IH : A_OK, "drain dest %#llx (%d "
				    "held, flags %#x)", H(h), e->cnt, e->flags);
			} else {
				rc = release_fn(r, e->kind, 1, &h);
				CHK(release_fn_call(e->kind), rc,
				    (e->flags & F_UNCERTAIN) ? A_OK | A_IH : A_OK,
				    "drain %s %#llx (%d held, flags %#x)",
				    kind_name[e->kind], H(h), e->cnt, e->flags);
			}
			if (rc == ERROR_NOT_ENOUGH_MEMORY)
				continue;
			if (rc == ERROR_INVALID_HANDLE) {
				left = e->cnt;
				r->held -= e->cnt;
				e->cnt = 0;
				break;
			}
			e->cnt--;
			r->held--;
		}
		EXPECT(!e->cnt, "could not release %#llx", H(h));
		if (left) {
			W.sh->partial++;
			fprintf(stderr, "# worker %d seed 0x%016" PRIx64 ": an "
				"RtmRelease* that failed with "
				"ERROR_NOT_ENOUGH_MEMORY had given back %ld "
				"reference(s) on %s %#llx\n", W.slot, W.seed,
				left, kind_name[e->kind], H(h));
		}
		e->flags &= ~F_UNCERTAIN;
	}
	r->own_routes = 0;
	EXPECT(!r->held, "%ld references left in the model", r->held);
}

/*
 * Delete every route and next hop of the registration.  The enumeration
 * (TargetViews 0) returns held-down routes too, and the timer
 * registration's routes may expire meanwhile: ERROR_NOT_FOUND.  The
 * timer registration has no next hops.
 */
void clean(struct reg *r)
{
	RTM_ENUM_HANDLE en = NULL;
	HANDLE h[64];
	UINT n;
	DWORD rc;
	unsigned int i, tries;
	int id;

	do {
		rc = RtmCreateRouteEnum(r->h, NULL, 0, RTM_ENUM_OWN_ROUTES,
					NULL, 0, NULL, 0, &en);
		CHK(C_CRENUM, rc, A_OK, "own routes");
	} while (rc);
	for (tries = 0; tries < RETRY_MAX; tries++) {
		n = r->prof.MaxHandlesInEnum < 64 ? r->prof.MaxHandlesInEnum
						  : 64;
		rc = RtmGetEnumRoutes(r->h, en, &n, h);
		CHK(C_GETROUTES, rc, A_OK | A_NMI, "own routes");
		if (rc == ERROR_NOT_ENOUGH_MEMORY)
			continue;
		for (i = 0; i < n; i++) {
			RTM_ROUTE_CHANGE_FLAGS cf;
			DWORD rd = RtmDeleteRouteToDest(r->h, h[i], &cf);

			CHK(C_DELRT, rd, A_OK | A_NF, "clean-up: own route "
			    "%#llx", H(h[i]));
			if (rd != ERROR_NOT_FOUND) {
				lists_route_deleted(r, (uint64_t)(uintptr_t)h[i]);
				continue;
			}
			do {	/* gone: the enumeration's reference */
				rd = RtmReleaseRoutes(r->h, 1, &h[i]);
				CHK(C_RELROUTES, rd, A_OK, "clean-up: expired "
				    "route %#llx", H(h[i]));
			} while (rd);
		}
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
	}
	rc = RtmDeleteEnumHandle(r->h, en);
	CHK(C_DELENUM, rc, A_OK, "own routes enum");
	for (id = 0; id < NNHID && r->idx != REG_TIMER; id++) {
		RTM_NEXTHOP_INFO ni;

		nh_ident(r, id, &ni);
		rc = RtmDeleteNextHop(r->h, NULL, &ni);
		CHK(C_DELNH, rc, r->nh[id].exists == 1 ? A_OK :
		    r->nh[id].exists == 0 ? A_NF : A_OK | A_NF,
		    "clean-up: identity %d (model %d)", id, r->nh[id].exists);
		nh_deleted(r, id);
	}
}

/* ------------------------------------------------------------------ */
/* The worker                                                          */
/* ------------------------------------------------------------------ */

/*
 * One operation.  Index 0..2 run the calls of issue 3 (t < 1000) and the
 * later ones (t >= 1000, about a fifth); the timer registration runs
 * only the later calls, in its own mix (stress_events.c).
 */
static void one_op(void)
{
	int idx = chance(12) ? REG_TIMER : (int)rnd(REG_TIMER);
	struct reg *r = &W.r[idx];
	unsigned int t;

	events_poll();
	if (!r->live) {
		do_register(idx);
		return;
	}
	/* Keep the state bounded: give back, or delete, when it grows. */
	if (r->held > HELD_CAP || r->npend >= MAXPEND) {
		if (r->npend)
			op_release(r);
		else
			op_wrong_release(r);
		if (r->held > HELD_CAP * 2 && r->nen)
			enum_delete(r, rnd(r->nen));
		return;
	}
	notify_poll(r);
	if (idx == REG_TIMER) {
		timer_op(r);
		return;
	}
	t = rnd(1250);
	if (t < 80)
		op_add_nexthop(r);
	else if (t < 120)
		op_find_nexthop(r);
	else if (t < 150)
		op_delete_nexthop(r);
	else if (t < 180)
		op_nexthop_info(r);
	else if (t < 380)
		op_add_route(r);
	else if (t < 380 + (r->own_routes > 100 ? 150 : 70))
		op_delete_route(r);
	else if (t < 520)
		op_route_info(r);
	else if (t < 550)
		op_is_best(r);
	else if (t < 590)
		op_exact_route(r);
	else if (t < 690)
		op_dest_query(r);
	else if (t < 730)
		op_enum_create(r);
	else if (t < 840)
		op_enum_get(r);
	else if (t < 920)
		op_release(r);
	else if (t < 940)
		op_wrong_release(r);
	else if (t < 965)
		op_reference(r);
	else if (t < 980)
		op_entities(r);
	else if (t < 990)
		op_entity_info(r);
	else if (t < 994)
		op_duplicate_register(r);
	else if (t < 997) {
		if (chance(50))
			drain(r);
		do_deregister(r);
	}
	else if (t < 1000)
		;
	else if (t < 1065)
		op_notify(r);
	else if (t < 1075)
		op_hold(r);
	else if (t < 1120)
		op_route_lock(r);
	else if (t < 1140)
		op_nexthop_lock(r);
	else if (t < 1165)
		op_dest_lock(r);
	else if (t < 1215)
		op_list(r);
	else
		op_method(r);
}

static void wait_phase(int phase)
{
	while (S->phase < phase)
		usleep(2000);
}

static void __attribute__((noreturn)) worker(int slot, unsigned int inc,
					     uint64_t seed, bool faults)
{
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	/* The killer must not wait for CPU behind six busy workers. */
	if (nice(10) < 0)
		perror("nice");
	memset(&W, 0, sizeof(W));
	W.slot = slot;
	W.inc = inc;
	W.seed = seed;
	W.faults = faults;
	W.sh = &S->slot[slot];
	W.trace = getenv("RTM_STRESS_TRACE") &&
		  strtol(getenv("RTM_STRESS_TRACE"), NULL, 0) == slot;
	W.registering = -1;
	rng = seed;
	events_start();
	for (i = 0; i < NREGS; i++)
		do_register(i);
	W.sh->state = WS_RUNNING;
	while (S->phase == PH_RUN) {
		W.op++;
		one_op();
		W.sh->ops++;
	}
	for (i = 0; i < NREGS; i++) {
		if (!W.r[i].live)
			do_register(i);
		drain(&W.r[i]);
	}
	W.sh->state = WS_DRAINED;
	wait_phase(PH_CLEAN);
	for (i = 0; i < NREGS; i++) {
		clean(&W.r[i]);
		drain(&W.r[i]);
	}
	W.sh->state = WS_CLEANED;
	wait_phase(PH_EXIT);
	for (i = 0; i < NREGS; i++)
		do_deregister(&W.r[i]);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The killer                                                          */
/* ------------------------------------------------------------------ */

static struct {
	int n;
	pid_t pid[MAX_WORKERS];
	unsigned int inc[MAX_WORKERS];
	uint64_t seed;
	bool faults;
	unsigned long kills, restarts, selfexits, violators;
	double reap_sum, reap_max;	/* SIGKILL -> reaped, seconds */
} K;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t worker_seed(int slot, unsigned int inc)
{
	uint64_t s = K.seed ^ ((uint64_t)slot << 48) ^ ((uint64_t)inc << 20);

	return splitmix(&s);
}

static void start_worker(int slot)
{
	unsigned int inc = K.inc[slot]++;
	uint64_t seed = worker_seed(slot, inc);
	pid_t pid;

	S->slot[slot].state = WS_NONE;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid)
		worker(slot, inc, seed, K.faults);
	K.pid[slot] = pid;
}

/* A worker ended: how?  Returns true if it was our SIGKILL. */
static bool account_exit(int slot, int status, bool killed_it)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && killed_it)
		return true;
	if (WIFEXITED(status) && WEXITSTATUS(status) == STATUS_VIOLATION) {
		K.violators++;
	} else {
		K.selfexits++;
		printf("# worker %d (incarnation %u) ended unexpectedly: %s %d\n",
		       slot, K.inc[slot] - 1,
		       WIFSIGNALED(status) ? "signal" : "exit status",
		       WIFSIGNALED(status) ? WTERMSIG(status) :
		       WEXITSTATUS(status));
	}
	return false;
}

static void reap_nohang(bool restart)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < K.n; i++) {
			if (K.pid[i] != pid)
				continue;
			K.pid[i] = 0;
			account_exit(i, status, false);
			if (restart) {
				start_worker(i);
				K.restarts++;
			}
		}
	}
}

/* Under fault injection even the open may fail: try again. */
static int read_stats(struct rtm_stats *st)
{
	int fd = -1, ret, i;

	memset(st, 0xff, sizeof(*st));
	for (i = 0; i < 10000 && fd < 0; i++) {
		fd = open("/dev/rtm", O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno != ENOMEM)
			break;
	}
	if (fd < 0) {
		printf("# cannot open /dev/rtm: %s\n", strerror(errno));
		return -1;
	}
	ret = ioctl(fd, RTM_IOC_STATS, st);
	close(fd);
	return ret;
}

static void print_stats(const char *when, const struct rtm_stats *st)
{
	printf("# %s: tables %llu registrations %llu entities %llu dests %llu "
	       "routes %llu nexthops %llu enums %llu handle_refs %llu "
	       "injected %llu\n", when, (unsigned long long)st->tables,
	       (unsigned long long)st->registrations,
	       (unsigned long long)st->entities,
	       (unsigned long long)st->dests, (unsigned long long)st->routes,
	       (unsigned long long)st->nexthops, (unsigned long long)st->enums,
	       (unsigned long long)st->handle_refs,
	       (unsigned long long)st->injected);
}

/*
 * Read the consistency checker: its "errors N" line, and the summary
 * line for the log.  Returns N, or -1 if it cannot be read.
 */
static long read_check(char *summary, size_t len, bool print_errors)
{
	char line[512];
	long errors = -1;
	FILE *f = fopen(CHECK_PATH, "r");

	if (summary)
		summary[0] = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "errors ", 7))
			errors = strtol(line + 7, NULL, 10);
		else if (!strncmp(line, "checked ", 8) && summary)
			snprintf(summary, len, "%.200s", line);
		else if (print_errors)
			printf("# check: %s", line);
	}
	fclose(f);
	if (summary && summary[0])
		summary[strcspn(summary, "\n")] = 0;
	return errors;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static int tap_n;
static int tap_failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

/* Wait until every worker reports @state (or one dies). */
static bool wait_state(int state, double timeout)
{
	double t0 = now_s();
	int i, done;

	for (;;) {
		reap_nohang(false);
		done = 0;
		for (i = 0; i < K.n; i++)
			if (!K.pid[i] || S->slot[i].state == state)
				done++;
		if (done == K.n)
			break;
		if (now_s() - t0 > timeout)
			return false;
		usleep(5000);
	}
	for (i = 0; i < K.n; i++)
		if (!K.pid[i])
			return false;
	return true;
}

static bool stats_zero(const struct rtm_stats *st)
{
	return !st->tables && !st->registrations && !st->entities &&
	       !st->dests && !st->routes && !st->nexthops && !st->enums &&
	       !st->handle_refs;
}

int main(void)
{
	unsigned long seconds, kills_min, max_seconds, checks = 0,
		      check_bad = 0;
	uint64_t ops = 0, viol = 0, ambiguous = 0, partial = 0;
	double t0, t_run, t_drain, t_clean, t_exit, next_check, next_print;
	struct rtm_stats st;
	long errors;
	char summary[256];
	int i, c, k, status;
	bool ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	K.seed = env_ul("RTM_STRESS_SEED", 0);
	if (!getenv("RTM_STRESS_SEED")) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		K.seed = (uint64_t)ts.tv_sec * 1000000007ULL ^
			 (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
	}
	K.n = (int)env_ul("RTM_STRESS_WORKERS", 6);
	if (K.n < 1 || K.n > MAX_WORKERS)
		K.n = 6;
	seconds = env_ul("RTM_STRESS_SECONDS", 40);
	kills_min = env_ul("RTM_STRESS_KILLS", 1000);
	max_seconds = env_ul("RTM_STRESS_MAX_SECONDS",
			     seconds * 4 > seconds + 120 ? seconds * 4
							 : seconds + 120);
	K.faults = env_ul("RTM_STRESS_FAULTS", 0) != 0;
	/*
	 * The debug kernel (the one with the module's fault injection) runs
	 * everything 20-100 times slower: timers and events are later.
	 */
	slack_ms = (double)env_ul("RTM_STRESS_SLACK_MS",
				  access(FAIL_PATH, F_OK) ? 8000 : 20000);
	rng = K.seed ^ 0x6b696c6c6572ULL;	/* the killer's own stream */

	printf("TAP version 13\n1..7\n");
	printf("# rtm stress: RTM_STRESS_SEED=0x%016" PRIx64 " workers %d, "
	       "at least %lu s and %lu kills (hard bound %lu s), faults %d, "
	       "slack %.0f ms\n", K.seed, K.n, seconds, kills_min,
	       max_seconds, K.faults, slack_ms);
	if (read_stats(&st)) {
		printf("# cannot read RTM_IOC_STATS from /dev/rtm: %s\n",
		       strerror(errno));
		for (i = 0; i < 7; i++)
			tap(false, "rtm module present");
		printf("# 0 passed, 7 failed\n");
		return 1;
	}
	print_stats("before", &st);

	S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (S == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(S, 0, sizeof(*S));
	S->nworkers = K.n;
	S->slack_ms = slack_ms;
	S->phase = PH_RUN;
	for (i = 0; i < K.n; i++)
		start_worker(i);

	/* ---- the run: kill and restart ---- */
	t0 = now_s();
	next_check = t0 + 1;
	next_print = t0 + 5;
	for (;;) {
		double el = now_s() - t0, mean;
		long us;

		if (K.kills >= kills_min && el >= seconds)
			break;
		if (el >= max_seconds)
			break;
		/* Pace: the kills by 80 % of the run, then keep going. */
		if (K.kills < kills_min)
			mean = (seconds * 0.8 - el) * 1e6 /
			       (double)(kills_min - K.kills);
		else
			mean = 40000;
		if (mean < 500)
			mean = 500;
		if (mean > 200000)
			mean = 200000;
		us = (long)rnd((unsigned int)(2 * mean));
		if (us)
			usleep((useconds_t)us);
		reap_nohang(true);
		k = (int)rnd((unsigned int)K.n);
		/*
		 * Worker 0 is the elder: spared 63 times in 64, it lives ten
		 * seconds or so, long enough to see TimeToLives expire,
		 * hold-downs end and notifications arrive (the others live a
		 * few hundred milliseconds).
		 */
		if (k == 0 && K.n > 1 && rnd(64))
			k = 1 + (int)rnd((unsigned int)K.n - 1);
		if (K.pid[k] > 0 && kills_min) {
			pid_t pid = K.pid[k];
			double tk = now_s();

			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			tk = now_s() - tk;
			K.reap_sum += tk;
			if (tk > K.reap_max)
				K.reap_max = tk;
			K.pid[k] = 0;
			if (account_exit(k, status, true))
				K.kills++;
			start_worker(k);
			K.restarts++;
		}
		if (now_s() >= next_check) {
			errors = read_check(summary, sizeof(summary), true);
			checks++;
			if (errors != 0) {
				check_bad++;
				printf("# checker during the run: errors %ld "
				       "(%s)\n", errors, summary);
			}
			next_check = now_s() + 2;
		}
		if (now_s() >= next_print) {
			for (ops = 0, i = 0; i < K.n; i++)
				ops += S->slot[i].ops;
			read_stats(&st);
			printf("# t=%.0fs kills %lu ops %" PRIu64 " dests %llu "
			       "routes %llu nexthops %llu refs %llu enums %llu "
			       "injected %llu\n", now_s() - t0, K.kills, ops,
			       (unsigned long long)st.dests,
			       (unsigned long long)st.routes,
			       (unsigned long long)st.nexthops,
			       (unsigned long long)st.handle_refs,
			       (unsigned long long)st.enums,
			       (unsigned long long)st.injected);
			next_print = now_s() + 5;
		}
	}
	t_run = now_s() - t0;
	errors = read_check(summary, sizeof(summary), true);
	checks++;
	if (errors != 0)
		check_bad++;
	printf("# checker with the tables populated: errors %ld, %s\n",
	       errors, summary);

	/* ---- drain: every reference given back, still registered ---- */
	t0 = now_s();
	S->phase = PH_DRAIN;
	ok = wait_state(WS_DRAINED, 600);
	t_drain = now_s() - t0;
	/*
	 * An entity or expiry event carries a reference booked to its
	 * receiver until librtm's event thread has run the callback: the
	 * events still in flight (the last restarts, expiries before the
	 * drain) settle within moments.
	 */
	for (c = 0; c < 500; c++) {
		read_stats(&st);
		if (!st.handle_refs && !st.enums)
			break;
		usleep(10000);
	}
	printf("# drained: %.2f s until no reference was booked\n",
	       now_s() - t0 - t_drain);
	print_stats("drained", &st);
	{
		unsigned long regs = 0;

		for (i = 0; i < K.n; i++)
			regs += (unsigned long)S->slot[i].live_regs;
		tap(ok && !st.handle_refs && !st.enums &&
		    st.registrations == regs,
		    "drained: the module books no reference and no enumeration "
		    "once the workers gave back what they hold (handle_refs "
		    "%llu, enums %llu, registrations %llu of %lu)",
		    (unsigned long long)st.handle_refs,
		    (unsigned long long)st.enums,
		    (unsigned long long)st.registrations, regs);
	}

	/* ---- clean: routes and next hops deleted ---- */
	t0 = now_s();
	S->phase = PH_CLEAN;
	ok = wait_state(WS_CLEANED, 600);
	t_clean = now_s() - t0;
	/*
	 * A deletion in a destination marked with RtmHoldDestination keeps
	 * the route (DELETING) and its destination for the hold time, at
	 * most MAX_HOLD_MS (2 s) in this test: wait for the hold-downs.
	 */
	for (c = 0; c < 500; c++) {
		read_stats(&st);
		if (!st.routes && !st.dests && !st.handle_refs)
			break;
		usleep(10000);
	}
	printf("# cleaned: %.2f s until the last hold-down ended\n",
	       now_s() - t0 - t_clean);
	print_stats("cleaned", &st);
	tap(ok && !st.routes && !st.nexthops && !st.dests && !st.handle_refs,
	    "cleaned: no route, next hop or destination left (routes %llu, "
	    "nexthops %llu, dests %llu)", (unsigned long long)st.routes,
	    (unsigned long long)st.nexthops, (unsigned long long)st.dests);

	/* ---- exit: deregister, reap, everything back to 0 ---- */
	t0 = now_s();
	S->phase = PH_EXIT;
	for (i = 0; i < K.n; i++) {
		if (K.pid[i] <= 0)
			continue;
		while (waitpid(K.pid[i], &status, 0) < 0 && errno == EINTR)
			;
		K.pid[i] = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			account_exit(i, status, false);
	}
	reap_nohang(false);
	for (c = 0; c < 500; c++) {
		read_stats(&st);
		if (stats_zero(&st))
			break;
		usleep(10000);
	}
	t_exit = now_s() - t0;
	print_stats("after", &st);
	ok = waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;

	for (i = 0; i < K.n; i++) {
		viol += S->slot[i].violations;
		ambiguous += S->slot[i].ambiguous;
		partial += S->slot[i].partial;
	}
	for (ops = 0, i = 0; i < K.n; i++)
		ops += S->slot[i].ops;

	tap(!viol && !K.violators && !K.selfexits,
	    "workers saw only return codes and outputs the spec allows "
	    "(%" PRIu64 " operations, %" PRIu64 " violations, %lu unexpected "
	    "exits)", ops, viol, K.selfexits);
	tap(!partial, "no failed release gave back references (%" PRIu64
	    " releases of more than 128 handles failed with "
	    "ERROR_NOT_ENOUGH_MEMORY, %" PRIu64 " proven partial)", ambiguous,
	    partial);
	tap(K.kills >= kills_min, "%lu kills (at least %lu) in %.1f s "
	    "(bound %lu s)", K.kills, kills_min, t_run, max_seconds);
	tap(ok && stats_zero(&st), "every worker gone, every counter of "
	    "RTM_IOC_STATS back to 0");
	errors = read_check(summary, sizeof(summary), true);
	tap(!check_bad && errors == 0, "consistency checker: errors 0 in %lu "
	    "reads during the run and at the end (last: errors %ld, %s)",
	    checks, errors, summary);

	printf("# phases: run %.1f s, drain %.1f s, clean %.1f s, exit %.1f s\n",
	       t_run, t_drain, t_clean, t_exit);
	printf("# kills %lu, restarts %lu, operations %" PRIu64 ", injected "
	       "allocation failures %llu\n", K.kills, K.restarts, ops,
	       (unsigned long long)st.injected);
	printf("# SIGKILL to reaped (teardown of the victim): mean %.1f ms, "
	       "max %.1f ms\n", K.kills ? K.reap_sum * 1e3 / K.kills : 0.0,
	       K.reap_max * 1e3);
	printf("# return codes per call:\n");
	for (c = 0; c < C_MAX; c++) {
		char line[512];
		size_t n = 0;
		uint64_t tot = 0;

		for (k = 0; k < K_MAX; k++) {
			uint64_t v = 0;

			for (i = 0; i < K.n; i++)
				v += S->slot[i].codes[c][k];
			tot += v;
			if (v)
				n += snprintf(line + n, sizeof(line) - n, " %s %" PRIu64,
					      code_name[k], v);
		}
		printf("#   %-30s %8" PRIu64 ":%s\n", call_name[c], tot,
		       n ? line : " never called");
	}
	printf("# semantic checks of the later calls (all workers):\n");
	for (c = 0; c < SEM_MAX; c++) {
		uint64_t v = 0;

		for (i = 0; i < K.n; i++)
			v += S->slot[i].sem[c];
		printf("#   %-52s %8" PRIu64 "\n", sem_name[c], v);
	}
	{
		uint64_t late = 0;

		for (i = 0; i < K.n; i++)
			if (S->slot[i].expiry_late_ms > late)
				late = S->slot[i].expiry_late_ms;
		printf("# latest RTM_ROUTE_EXPIRED callback: %" PRIu64 " ms "
		       "after the TimeToLive\n", late);
	}
	printf("# RTM_STRESS_SEED=0x%016" PRIx64 "\n", K.seed);
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}
