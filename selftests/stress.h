/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stress.h - what the parts of the stress test share: the worker's model
 * (registrations, the references it holds, the structures it keeps), the
 * calls and return codes it counts, the checking macros, and the hooks by
 * which stress_test.c (the killer, the worker loop and the calls of issue
 * 3) drives the files of the later calls:
 *
 *   stress_events.c   the event callback, route expiry (short TimeToLive)
 *                     and hold-down;
 *   stress_notify.c   change notification;
 *   stress_locks.c    route, next-hop and destination locks, pointers,
 *                     opaque pointers;
 *   stress_lists.c    route lists;
 *   stress_methods.c  entity methods across processes.
 */
#ifndef STRESS_H
#define STRESS_H

#include <rtmv2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rtm.h>

#define MAX_WORKERS	32
#define NREGS		4		/* registrations per worker */
#define REG_TIMER	3		/* the one with short TimeToLives */
#define NNHID		24		/* next-hop identities per registration */
#define MAPSZ		8192		/* reference map slots (power of 2) */
#define MAXPEND		12		/* structures kept unreleased */
#define MAX_NH		32		/* >= any MaxNextHopsInRoute */
#define STATUS_VIOLATION 3

/* ------------------------------------------------------------------ */
/* Calls and return codes                                              */
/* ------------------------------------------------------------------ */

enum call {
	C_REGISTER, C_DEREGISTER, C_GETENTS, C_RELENTS, C_ENTINFO,
	C_RELENTINFO, C_ADDNH, C_FINDNH, C_DELNH, C_NHINFO, C_RELNHINFO,
	C_ADDRT, C_DELRT, C_RTINFO, C_RELRTINFO, C_ISBEST, C_EXACTRT,
	C_EXACTDEST, C_MOSTSPEC, C_LESSSPEC, C_DESTINFO, C_RELDESTINFO,
	C_CDENUM, C_GETDESTS, C_RELDESTS, C_CRENUM, C_GETROUTES, C_RELROUTES,
	C_CNENUM, C_GETNHS, C_RELNHS, C_DELENUM, C_REFHANDLES,
	/* the later calls */
	C_REGNOTIFY, C_GETCHANGED, C_RELCHANGED, C_IGNCHANGED, C_CHGSTATUS,
	C_MARKDEST, C_ISMARKED, C_DEREGNOTIFY, C_HOLDDEST, C_ROUTEPTR,
	C_LOCKROUTE, C_UPDUNLOCK, C_NHPTR, C_LOCKNH, C_LOCKDEST, C_OPAQUE,
	C_CRLIST, C_INSLIST, C_CRLISTENUM, C_GETLISTROUTES, C_DELLIST,
	C_GETMETHODS, C_INVOKE, C_BLOCKMETHODS,
	C_MAX
};

enum code {
	K_OK, K_IH, K_NEM, K_IP, K_AD, K_NF, K_NMI, K_IB, K_AE, K_NSR,
	K_NSUP, K_TIMEOUT, K_OTHER, K_MAX
};

#define A_OK	(1u << K_OK)
#define A_IH	(1u << K_IH)
#define A_NEM	(1u << K_NEM)
#define A_IP	(1u << K_IP)
#define A_AD	(1u << K_AD)
#define A_NF	(1u << K_NF)
#define A_NMI	(1u << K_NMI)
#define A_IB	(1u << K_IB)
#define A_AE	(1u << K_AE)
#define A_NSR	(1u << K_NSR)
#define A_NSUP	(1u << K_NSUP)
#define A_TO	(1u << K_TIMEOUT)

/*
 * What the checks of the later calls saw happen, besides return codes:
 * printed at the end so that a reader sees the semantics were exercised.
 */
enum sem {
	SEM_EV_REGISTERED, SEM_EV_DEREGISTERED, SEM_EV_EXPIRED, SEM_EV_CHANGE,
	SEM_EXP_DELETE, SEM_EXP_KEEP, SEM_EXP_REFRESH, SEM_EXP_GONE,
	SEM_EXP_STAYED, SEM_TTL_EARLY_OK, SEM_HOLD_STARTED, SEM_HOLD_ENDED,
	SEM_MARK_KEPT, SEM_CELL_KEPT, SEM_OWN_CHANGE, SEM_OWN_CHANGE_GOT,
	SEM_CHANGE_EVENT, SEM_LOCK_COMMIT, SEM_LOCK_DISCARD, SEM_LOCK_OWN_WRITE,
	SEM_NH_COMMIT, SEM_LIST_MATCH, SEM_INVOKE_LOCAL, SEM_INVOKE_REMOTE,
	SEM_RELEASE_DEAD_NOTIFY,
	SEM_MAX
};

extern const char *const call_name[C_MAX];
extern const char *const code_name[K_MAX];
extern const char *const sem_name[SEM_MAX];

/* ------------------------------------------------------------------ */
/* State shared between the killer and the workers                     */
/* ------------------------------------------------------------------ */

enum phase { PH_RUN, PH_DRAIN, PH_CLEAN, PH_EXIT };
enum wstate { WS_NONE, WS_RUNNING, WS_DRAINED, WS_CLEANED };

struct slot_shm {
	volatile int state;
	volatile int live_regs;
	uint64_t ops;
	uint64_t violations;
	uint64_t ambiguous;	/* multi-chunk releases failed with NEM */
	uint64_t partial;	/* ... proven to have released part */
	uint64_t codes[C_MAX][K_MAX];
	uint64_t sem[SEM_MAX];
	uint64_t expiry_late_ms;	/* worst deadline -> expiry seen */
};

struct shm {
	volatile int phase;
	int nworkers;
	double slack_ms;	/* how late a timer or an event may be */
	struct slot_shm slot[MAX_WORKERS];
};

extern struct shm *S;

/* ------------------------------------------------------------------ */
/* The worker's model                                                  */
/* ------------------------------------------------------------------ */

#define F_OWN		0x1	/* route / next hop owned by this registration */
#define F_FOREIGN	0x2	/* ... owned by another entity */
#define F_DELETED	0x4	/* own object this registration deleted */
#define F_UNCERTAIN	0x8	/* cnt is an upper bound (ambiguous release) */

struct href {
	uint64_t h;
	int32_t cnt;
	int32_t pcnt;		/* of which held by kept structures */
	uint8_t kind;		/* RTM_HT_* */
	uint8_t flags;
	int16_t pfx;		/* route: index of its dest prefix, or -1 */
};

enum ptype { P_DEST1, P_DESTS, P_ROUTEINFO, P_NHINFO, P_ROUTES, P_NHS,
	     P_ENTS, P_CHANGED };

struct pend {
	int type;
	unsigned int n;
	void *buf;
	void *aux;		/* P_CHANGED: the notification handle */
};

struct enm {
	RTM_ENUM_HANDLE h;
	int kind;		/* RTM_ENUM_KIND_* */
	bool ended;
	bool have_last;
	bool range;
	bool next;
	DWORD views;
	RTM_NET_ADDRESS last;	/* last dest returned (order check) */
	RTM_NET_ADDRESS rng;	/* RANGE prefix / NEXT start */
	unsigned int nseen;
	uint64_t *seen;		/* route handles returned */
};

struct nhid {
	int exists;		/* 0 no, 1 yes, 2 unknown (after NEM) */
	uint64_t h;		/* handle of the live object if known */
};

#define MAXENUMS	6	/* enumerations kept open */

/* A route record with room for every next hop a route may have. */
typedef union {
	RTM_ROUTE_INFO ri;
	char b[RTM_SIZE_OF_ROUTE_INFO(MAX_NH)];
} route_buf;

struct reg {
	int idx;
	bool live;
	bool cb;		/* registered with the event callback */
	bool opaque;		/* ... with ReserveOpaquePointer */
	RTM_ENTITY_HANDLE h;
	RTM_REGN_PROFILE prof;
	RTM_ENTITY_INFO info;
	size_t dstride;		/* RTM_SIZE_OF_DEST_INFO(NumberOfViews) */
	size_t rsize;		/* RTM_SIZE_OF_ROUTE_INFO(MaxNextHops) */
	struct href *map;
	unsigned int mapused;
	long held;		/* sum of cnt */
	struct nhid nh[NNHID];
	struct pend pend[MAXPEND];
	unsigned int npend;
	struct enm en[MAXENUMS];
	unsigned int nen;
	unsigned int own_routes;	/* own route handles held, alive */
};

struct worker {
	int slot;
	unsigned int inc;
	uint64_t seed;
	bool faults;
	bool trace;
	uint64_t op;
	struct reg r[NREGS];
	struct slot_shm *sh;
	int registering;	/* index being registered, or -1 (atomic) */
};

extern struct worker W;
extern const ULONG protos[4];

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

__attribute__((noreturn, format(printf, 3, 4)))
void violation(const char *file, int line, const char *fmt, ...);
DWORD check_rc(const char *file, int line, int call, DWORD rc,
	       unsigned int allowed, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#define VIOL(...) violation(__FILE__, __LINE__, __VA_ARGS__)
#define EXPECT(cond, ...) do { if (!(cond)) VIOL(__VA_ARGS__); } while (0)
#define CHK(call, rc, allowed, ...) \
	check_rc(__FILE__, __LINE__, call, rc, allowed, __VA_ARGS__)

/* Count a semantic check that passed (any thread). */
static inline void sem_count(int what)
{
	__atomic_fetch_add(&W.sh->sem[what], 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ */
/* Helpers of stress_test.c                                            */
/* ------------------------------------------------------------------ */

/* The worker's random numbers (main thread only). */
uint64_t splitmix(uint64_t *s);
unsigned int rnd(unsigned int n);
bool chance(unsigned int percent);
double now_ms(void);
void *xmalloc(size_t n);

/* Addresses: the shared pool of prefixes. */
#define NPFX_ADDR	(3 * 8 * 4)
#define NPFX_LEN	8
#define NPFX		(NPFX_ADDR * NPFX_LEN)
void prefix(const struct reg *r, int idx, RTM_NET_ADDRESS *a);
int rnd_prefix(void);
int addr_cmp(const RTM_NET_ADDRESS *a, const RTM_NET_ADDRESS *b);
const char *fmt_addr(const RTM_NET_ADDRESS *a, char *buf);
#define A(a) fmt_addr((a), (char[64]){ 0 })
#define H(h) ((unsigned long long)(uintptr_t)(h))

/* References held. */
struct href *map_find(struct reg *r, uint64_t h, bool create);
struct href *ref_add(struct reg *r, const void *hp, int kind);
void ref_sub(struct reg *r, const void *hp);
struct href *pick_held(struct reg *r, int kind, unsigned int want,
		       unsigned int avoid);
struct href *pick_free(struct reg *r, int kind, unsigned int want,
		       unsigned int avoid);

/* Structures holding references. */
RTM_DEST_INFO *dest_at(struct reg *r, void *buf, unsigned int i);
void pend_book(struct reg *r, const struct pend *p);
bool pend_release(struct reg *r, unsigned int i);
void pend_keep(struct reg *r, int type, unsigned int n, void *buf);
void check_dest(struct reg *r, const RTM_DEST_INFO *d, DWORD views,
		const char *what);
void check_route(struct reg *r, const RTM_ROUTE_INFO *ri, struct href *e,
		 const char *what);

/* The handle an add by destination returned: our route on prefix @pfx. */
struct href *book_own_route(struct reg *r, RTM_ROUTE_HANDLE h, int pfx);

/* Give back one reference the map holds (RtmReleaseRoutes / DestInfo). */
void release_route(struct reg *r, uint64_t h);
void release_dest(struct reg *r, uint64_t h);

/* Destinations by address, with TargetViews 0 (kept structures). */
RTM_DEST_HANDLE dest_lookup(struct reg *r, const RTM_NET_ADDRESS *addr,
			    DWORD *rcp);
bool dest_addr(struct reg *r, RTM_DEST_HANDLE h, RTM_NET_ADDRESS *a);

/* Registrations. */
void do_register(int idx);
void do_deregister(struct reg *r);
void drain(struct reg *r);
void clean(struct reg *r);

/* ------------------------------------------------------------------ */
/* Hooks into the files of the later calls                             */
/* ------------------------------------------------------------------ */

/* stress_events.c */
extern double slack_ms;		/* S->slack_ms, in the worker */
DWORD WINAPI stress_callback(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type,
			     PVOID c1, PVOID c2);
void events_start(void);
void events_reset(struct reg *r);
void events_poll(void);
void events_drain(struct reg *r);
void timer_op(struct reg *r);
void op_hold(struct reg *r);

/* stress_notify.c */
void notify_reset(struct reg *r);
void notify_drain(struct reg *r);
void notify_poll(struct reg *r);
bool notify_event(int idx, RTM_NOTIFY_HANDLE h, void *context);
void op_notify(struct reg *r);

/* stress_locks.c */
void locks_reset(struct reg *r);
void locks_drain(struct reg *r);
void op_route_lock(struct reg *r);
void op_nexthop_lock(struct reg *r);
void op_dest_lock(struct reg *r);

/* stress_lists.c */
void lists_reset(struct reg *r);
void lists_drain(struct reg *r);
void lists_route_deleted(struct reg *r, uint64_t h);
void lists_route_moved(struct reg *r, uint64_t h, RTM_ROUTE_LIST_HANDLE l);
RTM_ROUTE_LIST_HANDLE lists_pick(struct reg *r);
void op_list(struct reg *r);

/* stress_methods.c */
PRTM_ENTITY_EXPORT_METHODS methods_export(int slot, int idx);
void op_method(struct reg *r);

#endif /* STRESS_H */
