/*
 * internal.h - what the files of librtm share and clients never see.
 *
 * librtm is a thin translator: each RTMv2 call validates what it can
 * cheaply, converts its Windows-shaped arguments into the fixed-size
 * records of <linux/rtm.h>, issues one ioctl on the registration's file
 * and converts the answer back.  The kernel validates everything again;
 * the library never trusts itself to be the only check.
 *
 * Every exported function follows the same skeleton:
 *
 *	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
 *	if (!reg)
 *		return ERROR_INVALID_HANDLE;
 *	...checks, conversion, lrtm_ioctl(reg->fd, ...)...
 *	lrtm_reg_put(reg);
 *
 * The get/put pair pins the registration (and so its fd) for the length
 * of the call, which is what makes RtmDeregisterEntity safe against
 * concurrent calls on the same handle (registry.c).
 *
 * Internal symbols are prefixed lrtm_ so that they cannot collide with a
 * client's own names when librtm.a is linked statically; librtm.so
 * exports only the Rtm* API (see the visibility pragma below).
 */
#ifndef LRTM_INTERNAL_H
#define LRTM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The library is built with -fvisibility=hidden: whatever rtmv2.h
 * declares (the 57 Rtm* functions) and rtm_ext.h's RtmExt* are exported from librtm.so, and
 * everything else, the lrtm_* internals included, is not.
 */
#pragma GCC visibility push(default)
#include <rtmv2.h>
#include <rtm_ext.h>
#pragma GCC visibility pop
#include <linux/rtm.h>

/* ------------------------------------------------------------------ */
/* Handles: kernel __u64 values <-> Windows pointer-sized handles.     */
/* ------------------------------------------------------------------ */

/*
 * Only LP64 user space is supported (spec part 2, section 1), so a
 * handle value always fits a pointer; the assertion keeps it that way.
 */
_Static_assert(sizeof(void *) == sizeof(uint64_t), "librtm needs LP64");

static inline uint64_t lrtm_h2u(const void *h)
{
	return (uint64_t)(uintptr_t)h;
}

static inline void *lrtm_u2h(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* ------------------------------------------------------------------ */
/* Shadow records (shadow.c).                                           */
/* ------------------------------------------------------------------ */

struct lrtm_shadow_chunk;
struct lrtm_reg;

/*
 * A per-registration set of library-owned records keyed by handle value.
 * A record never moves and is never freed before the table itself, so a
 * pointer handed to the client stays valid for the life of the
 * registration (spec 2.10 P1).  Route shadows serve RtmGetRoutePointer,
 * RtmLockRoute and RTM_ROUTE_EXPIRED's Context2; next-hop shadows
 * RtmFindNextHop's NextHopPointer, RtmGetNextHopPointer and
 * RtmLockNextHop; the same store keeps the opaque cells (opaque.c).
 */
struct lrtm_shadow_tab {
	pthread_mutex_t lock;
	size_t elem_size;		/* bytes per record, 16-aligned */
	struct lrtm_shadow_chunk *chunks;	/* newest first */
	size_t chunk_room;		/* free records in chunks */
	uint64_t *keys;			/* open addressing, 0 = empty */
	void **vals;
	size_t cap;			/* power of two, or 0 */
	size_t count;
	uint64_t *pins;			/* pinned handles (with repeats) */
	size_t npins, pins_cap;
};

void lrtm_shadow_init(struct lrtm_shadow_tab *tab, size_t elem_size);
/* Also accepts a zeroed table that was never initialised. */
void lrtm_shadow_destroy(struct lrtm_shadow_tab *tab);
/* With tab->lock held: the record for @handle, created zeroed if new. */
void *lrtm_shadow_get(struct lrtm_shadow_tab *tab, uint64_t handle);
/* Does @p point at the start of one of @tab's records?  Takes the lock. */
bool lrtm_shadow_owns(struct lrtm_shadow_tab *tab, const void *p);

enum lrtm_shadow_kind {
	LRTM_SHADOW_NEXTHOP,		/* RTM_NEXTHOP_INFO */
	LRTM_SHADOW_ROUTE,		/* RTM_ROUTE_INFO */
};
/* Is @p a shadow record of that kind of any registration of the process? */
bool lrtm_is_shadow(struct lrtm_reg *reg, const void *p,
		    enum lrtm_shadow_kind kind);
/* With tab->lock held: the record for @handle if there is one, or NULL. */
void *lrtm_shadow_find(struct lrtm_shadow_tab *tab, uint64_t handle);
/*
 * With tab->lock held: a pinned record is being edited by its owner under
 * an exclusive lock, and refreshes from the kernel must leave it alone
 * (the owner's edits are what the commit sends).  Pins nest.
 */
bool lrtm_shadow_pin(struct lrtm_shadow_tab *tab, uint64_t handle);
void lrtm_shadow_unpin(struct lrtm_shadow_tab *tab, uint64_t handle);
bool lrtm_shadow_pinned(const struct lrtm_shadow_tab *tab, uint64_t handle);

/* ------------------------------------------------------------------ */
/* Registrations (registry.c).                                          */
/* ------------------------------------------------------------------ */

/*
 * One RtmRegisterEntity: one open file of /dev/rtm.  Everything the
 * library must remember about it lives here; the kernel knows the rest.
 */
struct lrtm_reg {
	uint64_t handle;	/* kernel entity handle = RtmRegHandle */
	int fd;			/* the registration's /dev/rtm file */

	/*
	 * Pins: 1 while published in the map, +1 per call in progress
	 * and +1 for the event thread while it polls the fd.
	 * The fd is closed and the record freed when it drops to 0.
	 */
	atomic_uint users;
	atomic_bool deregistering;	/* first RtmDeregisterEntity won */
	struct lrtm_reg *next;	/* hash or pending chain, map lock */

	RTM_REGN_PROFILE profile;	/* constant for the registration */
	RTM_ENTITY_INFO info;		/* instance, family, entity id */
	BOOL reserve_opaque;

	/*
	 * The event thread reads events from @fd and calls @callback;
	 * RtmInvokeMethod runs @methods directly when the callee is a
	 * registration of this process, and the event thread runs them for
	 * calls relayed from other processes (spec 2.10 P3, P4).  The kernel
	 * only holds the method pointers as opaque u64 values for
	 * RtmGetEntityMethods.
	 */
	RTM_EVENT_CALLBACK callback;
	UINT num_methods;
	RTM_ENTITY_EXPORT_METHOD methods[RTM_MAX_METHODS];

	/*
	 * Callbacks (event.c).  @cb_lock is held while a callback of this
	 * registration runs, which serialises them and lets
	 * RtmDeregisterEntity and RtmDeregisterFromChangeNotification wait
	 * for the running one.  Under it: @cb_closed (no callback starts any
	 * more) and the notification handles this registration made
	 * (events of other ones, e.g. deregistered meanwhile, are dropped).
	 */
	pthread_mutex_t cb_lock;
	bool cb_closed;
	unsigned int num_notify;
	uint64_t notify[RTM_MAX_NOTIFY];
	/* Event thread bookkeeping, under the event thread's lock. */
	bool ev_polled;			/* in its epoll set, holding a pin */
	bool ev_gone;			/* to be dropped from it */

	/*
	 * Methods (method.c), under @m_lock: blocked by RtmBlockMethods
	 * (and by which thread), closed by RtmDeregisterEntity, the
	 * invocations running now, and the relayed calls that arrived while
	 * blocked (run by the event thread at resume).
	 */
	pthread_mutex_t m_lock;
	pthread_cond_t m_cond;
	bool m_blocked;
	bool m_closed;
	pthread_t m_blocker;
	struct lrtm_mcall *m_calls;
	struct lrtm_mdeferred *m_deferred;	/* FIFO */
	struct lrtm_mdeferred **m_deferred_tail;

	struct lrtm_shadow_tab nexthop_shadows;	/* RTM_NEXTHOP_INFO */
	/* RTM_SIZE_OF_ROUTE_INFO(MaxNextHopsInRoute) each */
	struct lrtm_shadow_tab route_shadows;
	/* struct lrtm_opaque_cell per destination handle (opaque.c) */
	struct lrtm_shadow_tab opaque_cells;
};

/* Pins the live registration named by @h; NULL if there is none. */
struct lrtm_reg *lrtm_reg_get(const void *h);
void lrtm_reg_put(struct lrtm_reg *reg);
/* A new record holding one pin (the map's), not yet published. */
struct lrtm_reg *lrtm_reg_alloc(void);
/* open()s the registration's file; 0 or an errno. */
int lrtm_reg_open(struct lrtm_reg *reg, const char *path, int flags);
/* Frees a record that was never published (closes its fd if open). */
void lrtm_reg_discard(struct lrtm_reg *reg);
/* Makes @reg findable; false if its handle value is already mapped. */
bool lrtm_reg_publish(struct lrtm_reg *reg);
/* Makes @reg unfindable and drops the map's pin (idempotent). */
void lrtm_reg_unpublish(struct lrtm_reg *reg);
/* Installs the fork handler (once per process). */
void lrtm_registry_init(void);
/* Calls @fn on every published registration until it returns true. */
bool lrtm_reg_any(bool (*fn)(struct lrtm_reg *, const void *),
		  const void *arg);

/* ------------------------------------------------------------------ */
/* Errors and the ioctl wrapper (errors.c).                             */
/* ------------------------------------------------------------------ */

/* 0 or a positive errno; EINTR/ERESTART are retried inside. */
int lrtm_ioctl(int fd, unsigned long cmd, void *arg);
/* The single errno -> Win32 translation of the library. */
DWORD lrtm_win32_error(int err);

/* ------------------------------------------------------------------ */
/* Conversions between API structures and uapi records (convert.c).     */
/* ------------------------------------------------------------------ */

/* ERROR_INVALID_PARAMETER for a wrong family or NumBits (spec 2.5). */
DWORD lrtm_addr_in(const struct lrtm_reg *reg, const RTM_NET_ADDRESS *in,
		   struct rtm_addr *out);
void lrtm_addr_out(const struct rtm_addr *in, RTM_NET_ADDRESS *out);

void lrtm_nexthop_in(const RTM_NEXTHOP_INFO *in,
		     struct rtm_nexthop_rec *out);
void lrtm_nexthop_out(const struct rtm_nexthop_rec *in,
		      RTM_NEXTHOP_INFO *out);

/*
 * @out->nexthops is set to @nh, which receives the next-hop handles of
 * @in; ERROR_INVALID_PARAMETER if @in has more than the profile allows.
 */
DWORD lrtm_route_in(const struct lrtm_reg *reg, const RTM_ROUTE_INFO *in,
		    uint64_t *nh, struct rtm_route_rec *out);
void lrtm_route_out(const struct lrtm_reg *reg,
		    const struct rtm_route_rec *in, const uint64_t *nh,
		    RTM_ROUTE_INFO *out);

/* Writes exactly min(in->num_views, @max_views) ViewInfo elements. */
void lrtm_dest_out(const struct rtm_dest_rec *in, UINT max_views,
		   RTM_DEST_INFO *out);

/* Byte distance between elements of an RTM_DEST_INFO array (spec 2.4). */
static inline size_t lrtm_dest_stride(const struct lrtm_reg *reg)
{
	return RTM_SIZE_OF_DEST_INFO(reg->profile.NumberOfViews);
}

/*
 * A scratch array of __u64 handles for one call: on the stack when small
 * (the default profile allows 8 next hops and 64 enumeration items),
 * from the heap otherwise.
 */
#define LRTM_U64BUF_STACK 64
struct lrtm_u64buf {
	uint64_t *p;
	uint64_t stack[LRTM_U64BUF_STACK];
};

static inline bool lrtm_u64buf_init(struct lrtm_u64buf *b, size_t n)
{
	if (n <= LRTM_U64BUF_STACK) {
		b->p = b->stack;
		return true;
	}
	b->p = malloc(n * sizeof(uint64_t));
	return b->p != NULL;
}

static inline void lrtm_u64buf_fini(struct lrtm_u64buf *b)
{
	if (b->p != b->stack)
		free(b->p);
}

/* ------------------------------------------------------------------ */
/* Reference release batches (release.c).                               */
/* ------------------------------------------------------------------ */

/*
 * Collects handle references to give back and sends them with
 * RTM_IOC_RELEASE in chunks (each at most RTM_MAX_BATCH entries).  NULL
 * handles are skipped.  The result is ERROR_INVALID_HANDLE if the kernel
 * counted any entry invalid (the valid ones are still released).
 */
#define LRTM_RELBUF_CAP 128
_Static_assert(LRTM_RELBUF_CAP <= RTM_MAX_BATCH, "release chunk too big");

struct lrtm_relbuf {
	struct lrtm_reg *reg;
	unsigned int n;
	uint32_t invalid;
	int err;			/* first hard ioctl failure */
	struct rtm_handle_ref refs[LRTM_RELBUF_CAP];
};

void lrtm_relbuf_init(struct lrtm_relbuf *b, struct lrtm_reg *reg);
void lrtm_relbuf_add(struct lrtm_relbuf *b, const void *h, uint32_t type);
DWORD lrtm_relbuf_finish(struct lrtm_relbuf *b);

/* Queues the references of one RTM_DEST_INFO (dest.c). */
void lrtm_dest_info_release(struct lrtm_relbuf *b, const RTM_DEST_INFO *d);

/* Gives back one reference per handle of @h[0..n-1] with @type. */
DWORD lrtm_release_array(struct lrtm_reg *reg, UINT n, const HANDLE *h,
			 uint32_t type);
/* RtmReleaseDests / RtmReleaseChangedDests: elements at the dest stride. */
DWORD lrtm_release_dest_array(struct lrtm_reg *reg, UINT n,
			      const RTM_DEST_INFO *infos);

/* ------------------------------------------------------------------ */
/* Enumeration batches (enum.c), shared with notify.c and list.c.       */
/* ------------------------------------------------------------------ */

/*
 * The checks every get-batch call shares (spec part 2, 2.16).  Returns
 * true when the call must go to the kernel for *Num items; otherwise *ret
 * is the answer and *Num has been set.
 */
bool lrtm_batch_check(struct lrtm_reg *reg, const void *handle, PUINT Num,
		      const void *buf, DWORD *ret);
/* Converts @n kernel dest records into the caller's array (2.4 stride). */
void lrtm_dests_out(struct lrtm_reg *reg, const struct rtm_dest_rec *recs,
		    UINT n, RTM_DEST_INFO *out);

/* ------------------------------------------------------------------ */
/* Events and callbacks (event.c).                                      */
/* ------------------------------------------------------------------ */

/*
 * What the calling thread is doing for the library: -1, or the
 * RTM_EVENT_TYPE of the callback it is running (for the forbidden calls
 * of spec part 1, 5.1) and that callback's registration.
 */
struct lrtm_cb_ctx {
	int type;
	struct lrtm_reg *reg;
};
extern __thread struct lrtm_cb_ctx lrtm_cb;

/* Inside an RTM_ENTITY_REGISTERED / _DEREGISTERED callback? */
static inline bool lrtm_in_entity_event(void)
{
	return lrtm_cb.type == RTM_ENTITY_REGISTERED ||
	       lrtm_cb.type == RTM_ENTITY_DEREGISTERED;
}

/*
 * Takes @reg's callback lock (waiting for a running callback), unless
 * the calling thread is running one of @reg's callbacks and so holds it
 * already.  Returns whether it was taken (to pass to lrtm_cb_unlock).
 */
bool lrtm_cb_lock(struct lrtm_reg *reg);
void lrtm_cb_unlock(struct lrtm_reg *reg, bool taken);

/*
 * Polls @reg's fd from the process's event thread (started on first
 * use).  0 or an errno.  Needed by registrations with a callback or
 * exported methods.
 */
int lrtm_event_add(struct lrtm_reg *reg);
/* After deregistration: the event thread lets go of @reg. */
void lrtm_event_forget(struct lrtm_reg *reg);
/* Wakes the event thread to run deferred method calls. */
void lrtm_event_kick(void);

/* Is @h a notification handle @reg made and still has?  cb_lock held. */
bool lrtm_notify_live(struct lrtm_reg *reg, uint64_t h);

/* ------------------------------------------------------------------ */
/* Methods (method.c).                                                  */
/* ------------------------------------------------------------------ */

/* One invocation running a registration's methods (on a caller's stack). */
struct lrtm_mcall {
	pthread_t thread;
	struct lrtm_mcall *next;
};

/*
 * Runs the methods @in selects, packing records into @out (spec part 1,
 * 4.1, 4.3): returns the bytes used.
 */
UINT lrtm_methods_run(struct lrtm_reg *callee, RTM_ENTITY_HANDLE caller,
		      RTM_ENTITY_METHOD_INPUT *in, void *out, UINT out_cap);
/* The event thread's part of a relayed call (RTM_EV_METHOD_CALL). */
void lrtm_methods_relayed(struct lrtm_reg *reg, uint64_t call,
			  uint64_t caller);
/* The event thread runs the calls deferred while @reg was blocked. */
void lrtm_methods_run_deferred(struct lrtm_reg *reg);
/*
 * RtmDeregisterEntity: refuse new invocations, wake the blocked ones and
 * wait for the running ones (other than the calling thread's).
 * lrtm_methods_reopen undoes it if deregistration fails.
 */
void lrtm_methods_close(struct lrtm_reg *reg);
void lrtm_methods_reopen(struct lrtm_reg *reg);
/* Frees the deferred calls (m_lock held, or the record unreachable). */
void lrtm_methods_free_deferred(struct lrtm_reg *reg);

/* ------------------------------------------------------------------ */
/* Pointers and locks (pointer.c, lock.c, opaque.c).                    */
/* ------------------------------------------------------------------ */

/* Scratch for a route's next-hop handles, sized for any route. */
static inline bool lrtm_nh_buf_init(struct lrtm_u64buf *nh,
				    const struct lrtm_reg *reg)
{
	UINT n = reg->profile.MaxNextHopsInRoute;

	return lrtm_u64buf_init(nh, n ? n : 1);
}

/*
 * Refreshes (creating it if needed) the shadow of route @h from @rec /
 * @nh, unless it is pinned; returns it, or NULL without memory.
 */
RTM_ROUTE_INFO *lrtm_route_shadow(struct lrtm_reg *reg, uint64_t h,
				  const struct rtm_route_rec *rec,
				  const uint64_t *nh);
RTM_NEXTHOP_INFO *lrtm_nexthop_shadow(struct lrtm_reg *reg, uint64_t h,
				      const struct rtm_nexthop_rec *rec);
/*
 * RTM_IOC_PEEK of route @h into its shadow; 0 or an errno (ENOMEM if
 * the shadow could not be made).  *@out receives the shadow.
 */
int lrtm_route_peek(struct lrtm_reg *reg, uint64_t h, RTM_ROUTE_INFO **out);
int lrtm_nexthop_peek(struct lrtm_reg *reg, uint64_t h,
		      RTM_NEXTHOP_INFO **out);

/*
 * In-place route protocol (spec part 1, 8.3 Proposed): while the calling
 * thread holds an exclusive route lock of @reg, its next-hop reference
 * calls belong to the locked route; they are counted here and not sent
 * (the kernel reconciles the route's references at commit).
 */
bool lrtm_lock_books_nexthops(struct lrtm_reg *reg);
void lrtm_lock_book(UINT referenced, UINT released);
/* fork(): the child's thread holds no lock. */
void lrtm_lock_forget_all(void);

/* A registration's cell for one destination (opaque.c). */
struct lrtm_opaque_cell {
	void *value;		/* the client's pointer-sized cell */
	bool told_set;		/* what the kernel was last told */
};
/* At the exclusive unlock of @dest: tells the kernel if the cell changed. */
void lrtm_opaque_sync(struct lrtm_reg *reg, uint64_t dest);

#endif /* LRTM_INTERNAL_H */
