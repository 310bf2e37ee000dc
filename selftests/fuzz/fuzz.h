/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h: what rtm-fuzz.c (the driver, the pools, the first 21 commands)
 * shares with the generators of the newer commands (gen_*.c).  Every
 * function here runs on the main thread of a fuzzing process, but for
 * job_ioctl() and what a job's run() calls: the executor threads of
 * gen_exec.c make syscalls only.
 */
#ifndef RTM_FUZZ_H
#define RTM_FUZZ_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rtm.h>

#define PAGE		4096UL

/* ---- commands ------------------------------------------------------- */

enum {
	C_VERSION, C_REGISTER, C_DEREGISTER, C_GET_ENTITIES, C_ENTITY_INFO,
	C_RELEASE, C_REFERENCE, C_ADD_NEXTHOP, C_FIND_NEXTHOP,
	C_DELETE_NEXTHOP, C_NEXTHOP_INFO, C_ADD_ROUTE, C_DELETE_ROUTE,
	C_ROUTE_INFO, C_IS_BEST, C_DEST_QUERY, C_ROUTE_MATCH, C_ENUM_CREATE,
	C_ENUM_GET, C_ENUM_DELETE, C_STATS,
	/* the newer ones (0x15 - 0x23), gen_*.c */
	C_NOTIFY_REGISTER, C_NOTIFY_OP, C_NOTIFY_GET, C_HOLD_DEST, C_LOCK,
	C_PEEK, C_UPDATE_ROUTE, C_OPAQUE, C_ROUTE_LIST, C_EXPIRE_DONE,
	C_GET_METHODS, C_INVOKE, C_METHOD_INPUT, C_METHOD_REPLY,
	C_BLOCK_METHODS,
	C_RANDOM,		/* random command numbers */
	/* not ioctls: counted with them, never picked as a command number */
	C_READ,			/* read(2) of events */
	C_POLL,			/* poll(2) of the files */
	C_MAX
};

struct cmd_desc {
	const char *name;
	unsigned long cmd;	/* 0 for read and poll */
	unsigned int weight;	/* share of the calls, relative */
};

extern const struct cmd_desc cmds[C_MAX];

/* ---- results, shared between the processes --------------------------- */

/* errno values counted one by one; larger ones (and > 0 returns) in the last */
#define NERR	160

struct proc_stats {
	uint64_t calls[C_MAX];
	uint64_t ok[C_MAX];
	uint64_t ns[C_MAX];	/* time in the calls (-T) */
	uint64_t err[C_MAX][NERR];
	uint64_t total;
	uint64_t reopens;
	uint64_t checks;	/* checker reads during the run */
	uint64_t check_errors;	/* sum of "errors N" seen during the run */
	uint64_t check_unreadable;
	/* events read, by type (the last: unknown types) */
	uint64_t events[RTM_EV_MAX + 1];
	uint64_t ev_lost;	/* sum of the events' @lost */
	uint64_t ev_refs;	/* references delivered by events */
	uint64_t ev_released;	/* ... given back at once (RELEASE) */
	uint64_t invoke_answered;	/* INVOKE that got a reply */
	uint64_t calls_seen;	/* RTM_EV_METHOD_CALL read */
	uint64_t churns;	/* notification churns (register, deregister) */
	uint64_t churn_races;	/* ... with executors on the same file */
	uint64_t callee_closed;	/* callee files closed with a call pending */
	uint64_t hold_combos;	/* hold + delete of the last route */
	uint64_t holds_seen;	/* ... after which the dest had a hold-down */
	uint64_t lock_sessions;	/* locks held, then given back */
	uint64_t lock_closed;	/* files closed holding a lock */
	uint64_t anomalies;	/* replies that break the ABI's promises */
	double seconds;
	int done;
	int timed_out;
	int setup_failed;
};

extern struct proc_stats *st;

struct fuzz_opts {
	uint64_t seed;
	long n;			/* calls per process, 0: no limit */
	int procs;
	double time_limit;	/* seconds, 0: none */
	long check_every;	/* checker reads per process, every N calls */
	int fail_prob;		/* rtm/fail probability (percent), -1: off */
	int quiet;
	int timing;		/* -T: time each command */
	int race;		/* -R: racing churns (a known kernel bug) */
};

extern struct fuzz_opts opt;
extern int me;			/* process index */
extern uint64_t ncall;		/* calls made by this process */

void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *errname(int e);
void dump_ring(void);
/* A reply that breaks a promise of the ABI: counted, printed (a few). */
void anomaly(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- random numbers ---------------------------------------------------- */

uint64_t rnd64(void);
uint32_t rnd32(void);
uint32_t rn(uint32_t n);	/* uniform in [0, n), n > 0 */
int pct(unsigned int p);	/* true with probability p percent */
int pml(unsigned int p);	/* ... p per mille */
#define FZ(p) pml(p)		/* a "fuzz" decision, p per mille */
uint32_t edge_count(uint32_t cap);

/* ---- memory: scratch buffers and bad pointers ------------------------- */

#define SCRATCH_SIZE	(256 * 1024)
#define NBUF_SIZE	(512 * 1024)
#define RO_PAGES	4

struct area {
	uint8_t *base;		/* page 0 */
	uint8_t *ro;		/* page 1 */
	uint8_t *ro_alias;	/* RW view of the RO pages */
	uint8_t *hole;		/* page 5 */
	uint8_t *rw2;		/* page 6 */
	uint8_t *hole2;		/* page 7 */
	uint8_t *none;		/* page 8 */
};

extern uint8_t *scratch;
extern uint8_t *nbuf;
extern size_t nbuf_used;
extern struct area arg_area, nest_area;

enum place {
	P_OK, P_NULL, P_HOLE, P_RO, P_SPILL_HOLE, P_SPILL_RO, P_NONE,
	P_KERNEL, P_NONCANON, P_HIGH, P_LOW, P_MISALIGNED, P_RANDOM,
	P_MAX
};

uint64_t bad_place(struct area *a, int k, const void *src, size_t size);
int pick_place(unsigned int bad_pml);
uint64_t put_arg(const void *src, size_t size, int k, void **back);
uint64_t put_nested(const void *src, size_t size, size_t room, int k,
		    void **back);
uint64_t put_handles(const uint64_t *h, uint32_t n, uint32_t *count);

/* ---- files (slots) and the handle pool ------------------------------ */

#define NSLOT	8
#define NPEND	1024

enum { S_UNREG, S_REG, S_DEAD };

struct slot {
	int fd;
	int state;
	uint16_t instance;
	uint16_t family;
	uint64_t ent;		/* the registration's entity handle */
	uint64_t ent_id;
	uint32_t max_nh;
	uint32_t max_enum;
	int opaque;		/* registered with RTM_REG_RESERVE_OPAQUE */
	int nonblock;		/* O_NONBLOCK set (gen_events.c) */
	int blocked;		/* methods blocked (gen_method.c) */
	/* references to give back (pool victims) */
	int npend;
	uint64_t pend[NPEND];
	uint8_t pend_type[NPEND];
};

extern struct slot slots[NSLOT];

enum {
	T_ENTITY, T_DEST, T_ROUTE, T_NEXTHOP,	/* references */
	T_ENUM, T_NOTIFY, T_LIST,		/* the file's own objects */
	T_MAX
};

#define T_REFS	T_ENUM		/* kinds below it are references */

extern const uint32_t t_ht[T_MAX];

#define F_REF	0x01	/* one reference booked to the file (enum, notify, list: open) */
#define F_MINE	0x02	/* the file's entity owns it (it made it) */
#define F_DEAD	0x04	/* given back: compacted away soon */
#define F_GONE	0x08	/* deleted from the table, still referenced */
#define F_ENDED	0x10	/* enumeration: RTM_EG_END seen */
#define F_EXPIRED 0x20	/* route: its RTM_EV_ROUTE_EXPIRED was read */
#define F_SIGNAL 0x40	/* notification: its event was read */

/* One handle a file got, with what we know of it. */
struct hent {
	uint64_t h;
	uint8_t flags;
	uint8_t slot;
	uint8_t kind;		/* enumerations: the kind */
	uint32_t ifindex;	/* next hops: identity */
	struct rtm_addr addr;	/* next hops: identity; routes: dest */
};

struct pool {
	uint32_t n;
	struct hent *e;
};

extern struct pool pools[NSLOT][T_MAX];

void bury(uint64_t h);
uint64_t grave_pick(void);
void kill_entry(struct hent *e);
void pend_push(int s, uint64_t h, uint32_t type);
struct hent *pool_add(int t, uint64_t h, int s, unsigned int flags);
struct hent *pool_pick(int t, int s, unsigned int want, unsigned int avoid);
struct hent *pool_find(int t, int s, uint64_t h);
uint64_t mutate_handle(uint64_t h);
uint64_t pick(int t, int s, struct hent **ep);
uint64_t pick_mine(int t, int s, unsigned int want, struct hent **ep);
void handle_gone(int s, int t, uint64_t h);

void slot_reopen(int s, int do_register);
void release_now(int s);

/* ---- generators' common parts ----------------------------------------- */

struct callctx {
	int ci;
	int s;
	int place;
	void *back;
};

/* Corrupt a few bytes of @arg now and then, place it, call. */
int call(struct callctx *c, void *arg, size_t size);
/* Place @arg (bad places @bad_pml per mille) and call, bytes unchanged. */
int call_raw(struct callctx *c, void *arg, size_t size, unsigned int bad_pml);
/* One ioctl, counted: 0 or an errno. */
int xioctl(int ci, int s, unsigned long cmd, uint64_t arg, int place);
/* Count a call made elsewhere (read, poll, the method executors). */
void account(int ci, int s, unsigned long cmd, int place, int err,
	     uint64_t ns);
uint64_t now_ns(void);

void gen_addr(struct rtm_addr *a, int s, int host);
void gen_known_addr(struct rtm_addr *a, int s, unsigned int p);
uint32_t gen_views(void);
uint32_t gen_target_views(void);
uint32_t gen_metric(void);
uint32_t gen_pref(void);
uint32_t gen_nexthops(int s, uint64_t *out, uint32_t n, int mine);
void harvest_dest(int s, const struct rtm_dest_rec *rec);
void harvest_route(int s, const struct rtm_route_rec *rec, const uint64_t *nhv);

/* ---- gen_exec.c: executor threads, for calls that wait or race ------ */

#define JREC	1024				/* calls a job records */
#define JOB_BUF	(2 * PAGE + 2 * (RTM_METHOD_MAX_IO + PAGE))

struct job {
	int s;			/* the file */
	int fd;
	/* on the executor: syscalls only, into @buf (no RNG, no pools) */
	void (*run)(struct job *j);
	/* on the main thread, once it is over (may be NULL) */
	void (*done)(struct job *j);
	uint8_t *buf;		/* JOB_BUF bytes, the job's own */
	uint64_t arg;		/* a single call's argument */
	int place;		/* ... and its place */
	uint32_t count;		/* rounds (churn) */
	int n;			/* calls recorded by job_ioctl() */
	struct {
		int ci, place, err;
		uint64_t ns;
	} rec[JREC];
	/* gen_exec.c */
	pthread_t tid;
	pthread_cond_t cv;
	int state;
};

int exec_start(void);
struct job *exec_idle(void);		/* an idle executor's job, or NULL */
void exec_submit(struct job *j, int s);
void exec_reap(void);			/* count and finish the jobs done */
int exec_busy(int s);			/* a job of file @s in flight */
int job_ioctl(struct job *j, int ci, uint64_t arg, int place);

/* ---- gen_notify.c: change notification ------------------------------ */

void g_notify_register(struct callctx *c);
void g_notify_op(struct callctx *c);
void g_notify_get(struct callctx *c);
/* RTM_EV_CHANGE_NOTIFICATION read on file @s for notification @h. */
void notify_signalled(int s, uint64_t h);
/* Before file @s closes: a fresh (unsignalled) registration, now and then. */
void notify_arm(int s);

/* ---- gen_timer.c: TTLs, hold-down, expiry ------------------------------ */

uint32_t gen_ttl(void);
void g_hold_dest(struct callctx *c);
void g_expire_done(struct callctx *c);
/* RTM_EV_ROUTE_EXPIRED read on file @s: the owner's answer. */
void route_expired(int s, uint64_t h);

/* ---- gen_lock.c: locks, pointers, in-place updates, opaque slots ---- */

void g_lock(struct callctx *c);
void g_peek(struct callctx *c);
void g_update_route(struct callctx *c);
void g_opaque(struct callctx *c);

/* ---- gen_list.c: route lists ------------------------------------------ */

void g_route_list(struct callctx *c);
/* A route list of file @s for ADD_ROUTE / UPDATE_ROUTE: 0 mostly. */
uint64_t gen_list(int s);
/* Turn @ec into a list enumeration (RTM_ENUM_KIND_LIST) of file @s. */
void gen_list_enum(int s, struct rtm_enum_create *ec);

/* ---- gen_method.c: entity methods across files and processes -------- */

void g_get_methods(struct callctx *c);
void g_invoke(struct callctx *c);
void g_method_input(struct callctx *c);
void g_method_reply(struct callctx *c);
void g_block_methods(struct callctx *c);
/* RTM_EV_METHOD_CALL read on file @s. */
void method_call_seen(int s, uint64_t id, uint64_t caller);
void method_slot_closed(int s);
/* Methods of a new registration: fills @m, returns the count. */
uint32_t gen_methods(uint64_t *m);

/* ---- gen_events.c: read(2) and poll(2) of the files ------------------- */

void g_read(struct callctx *c);
/* Close file @s after the current call (method callee closed mid-call). */
void slot_close_later(int s);
void slots_close_pending(void);

#endif /* RTM_FUZZ_H */
