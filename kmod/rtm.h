/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtm internal interfaces: the object model shared by the files of the
 * module.  Documentation/rtm.rst describes the design; in short:
 *
 *  table      one per (netns, RtmInstanceId, family); its mutex serialises
 *             writers, lookups of the trie run under RCU
 *  entity     a registered client; one open file of /dev/rtm (struct
 *             rtm_reg) owns one entity object
 *  dest       a prefix in the table's trie, with its ranked routes and the
 *             best route of each view
 *  route      owned by an entity, on one dest, with referenced next hops
 *  nexthop    owned by an entity, kept in the table's ordered next-hop tree
 *  enum       a cursor of one registration
 *
 * Every object starts with struct rtm_obj: a refcount and its slot in the
 * global handle space (handle.c).  References held by user space are
 * booked per registration (struct rtm_reg.refs); references between
 * objects are plain refcounts.
 */
#ifndef _RTM_H
#define _RTM_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/xarray.h>
#include <linux/rcupdate.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/wait.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "../uapi/linux/rtm.h"

/* Values of the Windows header that the kernel acts on. */
#define RTM_VIEW_MASK_ALL		0xffffffffU
#define RTM_VIEWS_SUPPORTED		0x3U	/* unicast and multicast */
#define RTM_NUM_VIEWS			2
#define RTM_BEST_PROTOCOL		0U
#define RTM_THIS_PROTOCOL		0xffffffffU
#define RTM_ROUTE_CHANGE_FIRST		0x01U
#define RTM_ROUTE_CHANGE_NEW		0x02U
#define RTM_ROUTE_CHANGE_BEST		0x00010000U
#define RTM_NEXTHOP_CHANGE_NEW		0x01U
#define RTM_ROUTE_STATE_CREATED		0
#define RTM_ROUTE_STATE_DELETING	1
#define RTM_ROUTE_STATE_DELETED		2
#define RTM_NEXTHOP_STATE_CREATED	0
#define RTM_NEXTHOP_STATE_DELETED	1
#define RTM_NEXTHOP_FLAGS_REMOTE	0x0001
#define RTM_ROUTE_FLAGS_INACTIVE	0x0008
#define RTM_ROUTE_FLAGS_FORWARDING	0x000f
#define RTM_MATCH_OWNER			0x01U
#define RTM_MATCH_NEIGHBOUR		0x02U
#define RTM_MATCH_PREF			0x04U
#define RTM_MATCH_NEXTHOP		0x08U
#define RTM_MATCH_INTERFACE		0x10U
#define RTM_ENUM_NEXT			0x00000001U
#define RTM_ENUM_RANGE			0x00000002U
#define RTM_ENUM_OWN_DESTS		0x01000000U
#define RTM_ENUM_OWN_ROUTES		0x00010000U
#define RTM_INFINITE			0xffffffffU

#define RTM_MAX_NEXTHOPS_LIMIT		32	/* cap of the module parameter */
#define RTM_MAX_OPAQUE_SLOTS		32

/* Module parameters (main.c). */
extern unsigned int rtm_max_nexthops;
extern unsigned int rtm_max_enum;
extern unsigned int rtm_max_refs;
extern unsigned int rtm_max_enums;
extern unsigned int rtm_max_entities;
extern unsigned int rtm_opaque_slots;
extern unsigned int rtm_default_preference;
extern unsigned int rtm_max_events;
extern unsigned int rtm_max_hold_ms;
extern unsigned int rtm_method_timeout_ms;
u32 rtm_protocol_preference(u32 protocol);

/* Live-object counters (stats ioctl, debugfs). */
enum rtm_counter {
	RTM_C_TABLES,
	RTM_C_REGS,
	RTM_C_ENTITIES,
	RTM_C_DESTS,
	RTM_C_ROUTES,
	RTM_C_NEXTHOPS,
	RTM_C_ENUMS,
	RTM_C_REFS,
	RTM_C_INJECTED,		/* allocations failed on purpose */
	RTM_C_MAX
};

/*
 * Per CPU: every lookup books and releases references, and one shared
 * counter would bounce its cache line between the readers of all CPUs.
 */
struct rtm_counters {
	s64 c[RTM_C_MAX];
};

DECLARE_PER_CPU(struct rtm_counters, rtm_counters);
s64 rtm_counter_read(enum rtm_counter c);

static inline void rtm_count(enum rtm_counter c, long d)
{
	this_cpu_add(rtm_counters.c[c], d);
}

struct rtm_table;
struct rtm_reg;
struct file;
struct poll_table_struct;

/*
 * fault.c: every allocation of the module goes through these, so that
 * fault injection (debugfs rtm/fail, on kernels with FAULT_INJECTION)
 * fails the module's allocations and nothing else.  Everything a caller
 * can make the module allocate is charged to the caller's memcg.
 */
#ifdef CONFIG_FAULT_INJECTION
bool rtm_fail_alloc(void);
#else
static inline bool rtm_fail_alloc(void)
{
	return false;
}
#endif
struct dentry;
void rtm_fault_init(struct dentry *dir);

static inline void *rtm_kzalloc(size_t size)
{
	return rtm_fail_alloc() ? NULL : kzalloc(size, GFP_KERNEL_ACCOUNT);
}

static inline void *rtm_kmalloc_array(size_t n, size_t size)
{
	return rtm_fail_alloc() ? NULL :
	       kmalloc_array(n, size, GFP_KERNEL_ACCOUNT);
}

static inline void *rtm_kvcalloc(size_t n, size_t size)
{
	return rtm_fail_alloc() ? NULL : kvcalloc(n, size, GFP_KERNEL_ACCOUNT);
}

static inline void *rtm_memdup_user(const void __user *src, size_t len)
{
	return rtm_fail_alloc() ? ERR_PTR(-ENOMEM) : memdup_user(src, len);
}

static inline void *rtm_vmemdup_user(const void __user *src, size_t len)
{
	return rtm_fail_alloc() ? ERR_PTR(-ENOMEM) : vmemdup_user(src, len);
}

/* cache.c: slab caches of routes, dests and trie nodes */
extern struct kmem_cache *rtm_route_cache;
extern struct kmem_cache *rtm_dest_cache;
extern struct kmem_cache *rtm_tnode_cache;
int rtm_caches_init(void);
void rtm_caches_exit(void);

static inline void *rtm_cache_zalloc(struct kmem_cache *c)
{
	return rtm_fail_alloc() ? NULL : kmem_cache_zalloc(c, GFP_KERNEL);
}

/* handle.c: the common object header and the handle space */
struct rtm_obj {
	refcount_t ref;
	u32 id;			/* slot in the global xarray */
	u32 gen : 28;		/* wrap generation of the slot allocator */
	u32 type : 4;		/* enum rtm_handle_type */
	struct rcu_head rcu;
};

int rtm_obj_init(struct rtm_obj *obj, enum rtm_handle_type type);
void rtm_obj_publish(struct rtm_obj *obj);
struct rtm_obj *rtm_obj_get_slot(unsigned long id);
u64 rtm_obj_handle(const struct rtm_obj *obj);
struct rtm_obj *rtm_obj_get(u64 handle, enum rtm_handle_type type,
			    struct rtm_table *table);
static inline void rtm_obj_hold(struct rtm_obj *obj)
{
	refcount_inc(&obj->ref);
}

void rtm_obj_put(struct rtm_obj *obj);
struct rtm_table *rtm_obj_table(struct rtm_obj *obj);
void rtm_handles_exit(void);

/* Per-registration references (ref.c): slot -> count, hashed. */
struct rtm_refent;
struct rtm_refs {
	spinlock_t lock;		/* the fields below */
	unsigned int bits;		/* 2^bits slots, or no table */
	u32 used;
	struct rtm_refent *tab;
};

void rtm_refs_init(struct rtm_refs *rs);

int rtm_ref_book(struct rtm_reg *reg, struct rtm_obj *obj);
bool rtm_ref_held(struct rtm_reg *reg, struct rtm_obj *obj);
int rtm_ref_drop(struct rtm_reg *reg, struct rtm_obj *obj);
void rtm_ref_drop_all(struct rtm_reg *reg);

/*
 * A list of objects gathered (each with a temporary reference) while a
 * reply is built, booked to the caller only once the reply is complete.
 */
#define RTM_GRAB_INLINE	8	/* a dest query's reply: 1 + 3 per view */

struct rtm_grab {
	unsigned int n;
	unsigned int max;
	struct rtm_obj **objs;		/* inl, or allocated */
	struct rtm_obj *inl[RTM_GRAB_INLINE];
};

int rtm_grab_init(struct rtm_grab *g, unsigned int max);
void rtm_grab_add(struct rtm_grab *g, struct rtm_obj *obj);
int rtm_grab_commit(struct rtm_grab *g, struct rtm_reg *reg);
void rtm_grab_abort(struct rtm_grab *g);

/* trie.c: path-compressed binary trie of destinations */
struct rtm_tnode {
	struct rtm_tnode __rcu *child[2];
	struct rtm_tnode *parent;
	struct rtm_dest *dest;	/* NULL for a branch-only node */
	u8 key[RTM_MAX_ADDR_BYTES];
	u8 bits;
	u8 pad[7];
	struct rcu_head rcu;
};

struct rtm_trie {
	struct rtm_tnode __rcu *root;
	unsigned int addr_bits;	/* 32 or 128 */
};

struct rtm_tnode *rtm_trie_insert(struct rtm_trie *t, const u8 *key,
				  unsigned int bits);
struct rtm_tnode *rtm_trie_exact(struct rtm_trie *t, const u8 *key,
				 unsigned int bits);
void rtm_trie_remove(struct rtm_trie *t, struct rtm_tnode *n);
void rtm_tnode_free_rcu(struct rtm_tnode *n);
/*
 * The longest prefix of (@key, @bits) up to @max_bits with a route in
 * @views (0: any).
 */
struct rtm_dest *rtm_trie_longest(struct rtm_trie *t, const u8 *key,
				  unsigned int bits, unsigned int max_bits,
				  u32 views);
struct rtm_dest *rtm_trie_after(struct rtm_trie *t, const u8 *key,
				unsigned int bits, bool inclusive);
struct rtm_dest *rtm_trie_next(struct rtm_tnode *n);
bool rtm_prefix_covers(const u8 *pkey, unsigned int pbits,
		       const u8 *key, unsigned int bits);
int rtm_key_cmp(const u8 *a, unsigned int abits, const u8 *b,
		unsigned int bits);
void rtm_prefix_canon(u8 *key, unsigned int bits);

/* table.c */
struct rtm_table {
	struct list_head node;		/* rtm_tables */
	refcount_t ref;			/* one per entity object */
	struct net *net;
	u16 instance;
	u16 family;
	unsigned int addr_bits;
	struct mutex lock;		/* all writers */
	struct rtm_trie trie;
	struct list_head entities;	/* registered, in order */
	unsigned int nentities;
	unsigned long opaque_used;	/* bitmap of reserved slots */
	struct rb_root nexthops;	/* live next hops, ordered */
	u64 route_age;			/* creation order of routes */
	u64 entity_seq;			/* registration order */
	struct xarray locks;		/* slot -> lock record (lock.c) */
	wait_queue_head_t lock_wq;	/* writers waiting for an unlock */
	struct rb_root timers;		/* armed timers, by expiry (timer.c) */
	struct delayed_work timer_work;
	u64 timer_seq;
	struct work_struct free_work;	/* frees the table (table.c) */
	u32 notify_used;		/* bitmap of notify[] */
	struct rtm_notify *notify[RTM_MAX_NOTIFY];
};

struct rtm_table *rtm_table_get(struct net *net, u16 instance, u16 family);
void rtm_table_put(struct rtm_table *t);
void rtm_tables_exit(void);
void rtm_tables_for_each(void (*fn)(struct rtm_table *, void *), void *arg);
void rtm_check_init(struct dentry *dir);
int rtm_addr_from_user(struct rtm_table *t, const struct rtm_addr *ua,
		       u8 *key, unsigned int *bits);
void rtm_addr_to_user(struct rtm_table *t, const u8 *key, unsigned int bits,
		      struct rtm_addr *ua);
u64 rtm_filetime_now(void);

/* entity.c */
struct rtm_entity {
	struct rtm_obj obj;
	struct rtm_table *table;	/* reference */
	struct list_head node;		/* table->entities while registered */
	u64 entity_id;
	u64 seq;			/* registration order */
	bool registered;
	struct rtm_reg *reg;		/* the live registration, or NULL */
	int opaque_slot;		/* -1: none */
	u32 num_methods;
	u64 *methods;
};

static inline u32 rtm_entity_protocol(const struct rtm_entity *e)
{
	return (u32)e->entity_id;	/* EntityProtocolId: low half */
}

/* dest.c */
struct rtm_timer;

struct rtm_dest_view {
	struct rtm_route *best;
	struct rtm_route *hold;		/* reference, state DELETING */
	struct rtm_timer *hold_tm;
	u32 nroutes;
	u16 flags;			/* Flags of @best */
};

struct rtm_dest {
	struct rtm_obj obj;
	struct rtm_table *table;	/* alive while the dest is */
	struct rtm_tnode *tnode;	/* NULL once unlinked */
	seqcount_mutex_t seq;		/* readers of views and routes */
	struct list_head routes;	/* live routes, ranked */
	u64 last_changed;		/* FILETIME */
	u32 nroutes;
	u32 opaque_set;			/* slots holding a non-NULL value */
	u32 marks;			/* change-notification marks */
	u32 changed;			/* pending for notification i */
	u32 hold_ms;			/* the longest HoldTime asked since */
	u8 belongs;			/* union of the routes' views */
	u8 hold_views;			/* views marked by RtmHoldDestination */
	u8 bits;
	struct rtm_dest_view view[RTM_NUM_VIEWS];
	u8 key[RTM_MAX_ADDR_BYTES];
};

struct rtm_dest *rtm_dest_find_or_create(struct rtm_table *t, const u8 *key,
					 unsigned int bits);
void rtm_dest_unlink_if_unused(struct rtm_dest *d);
void rtm_dest_free_rcu(struct rtm_dest *d);
int rtm_dest_fill(struct rtm_reg *reg, struct rtm_dest *d, u32 protocol,
		  u32 views, struct rtm_dest_rec *rec, struct rtm_grab *g);
int rtm_views_check(u32 *views);
/* Searches with TargetViews != 0 only see dests with a route there. */
static inline bool rtm_dest_has_views(struct rtm_dest *d, u32 views)
{
	return !views || (READ_ONCE(d->belongs) & views);
}

/* Per-view change classification of one operation (spec part 1, 2.8). */
struct rtm_change {
	struct {
		struct rtm_route *best;
		u32 metric, pref;
		u16 flags;
		u16 nhgen;
	} before[RTM_NUM_VIEWS];
	u32 held;			/* views whose hold-down ended */
	u32 all;			/* views with an ALL-type change */
	u32 best;			/* ... BEST-type */
	u32 fwd;			/* ... FORWARDING-type */
};

void rtm_change_begin(struct rtm_dest *d, struct rtm_change *c);

/* timer.c */
extern struct workqueue_struct *rtm_wq;
struct rtm_timer *rtm_timer_alloc(void);
void rtm_timer_free(struct rtm_timer *tm);
void rtm_timer_route(struct rtm_route *r, u32 ttl, struct rtm_timer **spare);
void rtm_timer_route_cancel(struct rtm_route *r);
void rtm_timer_hold(struct rtm_route *r, unsigned int v, u32 ms,
		    struct rtm_timer *tm);
void rtm_timer_hold_cancel(struct rtm_dest *d, unsigned int v);
void rtm_timers_init(struct rtm_table *t);
void rtm_timers_flush(struct rtm_table *t, void *arg);

/* hold.c: hold-down and expiry of routes */
void rtm_route_expire_locked(struct rtm_route *r);
void rtm_hold_end_locked(struct rtm_dest *d, unsigned int v);
int rtm_hold_start_prepare(struct rtm_dest *d, struct rtm_route *r,
			   struct rtm_timer **tms);
void rtm_hold_start_locked(struct rtm_dest *d, struct rtm_route *r,
			   struct rtm_timer **tms, struct rtm_route **old);
void rtm_hold_release_replaced(struct rtm_dest *d, struct rtm_route **old);
long rtm_ioc_hold_dest(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_expire_done(struct rtm_reg *reg, void __user *arg);

/* notify.c */
struct rtm_notify;
void rtm_notify_change(struct rtm_dest *d, const struct rtm_change *c);
void rtm_notify_close_all(struct rtm_reg *reg);
void rtm_notify_destroy(struct rtm_notify *n);
struct rtm_table *rtm_notify_table(struct rtm_notify *n);
void rtm_change_end(struct rtm_dest *d, struct rtm_change *c, u32 touched);

/* route.c */
struct rtm_nexthop;
struct rtm_rlist;

/*
 * An enumeration's place in a route list: its node sits among the routes'
 * nodes, and mnode on the list's markers, which is how a walk tells it
 * from a route without a flag in every route.
 */
struct rtm_lnode {
	struct list_head node;
	struct list_head mnode;
};

/*
 * 136 bytes: a table holds millions, so fields are as narrow as their
 * values (views within RTM_VIEWS_SUPPORTED, at most 32 next hops).
 */
struct rtm_route {
	struct rtm_obj obj;
	struct rtm_dest *dest;		/* reference */
	struct rtm_entity *owner;	/* reference */
	struct rtm_nexthop *neighbour;	/* reference or NULL */
	struct list_head node;		/* dest->routes while live */
	u64 age;
	u64 esi;
	u32 metric;
	u32 pref;
	u16 flags;
	u16 nhgen;			/* bumped when the next hops change */
	u8 views;
	u8 flags1;
	u8 state;
	u8 nnh;
	struct rtm_timer *timer;	/* armed expiry, or NULL */
	struct list_head lnode;		/* on a route list, or empty */
	/* Next hops (references), read under the table mutex only. */
	union {
		struct rtm_nexthop *nh_one;	/* nnh <= 1 */
		struct rtm_nexthop **nh_arr;	/* nnh > 1 */
	};
};

static inline struct rtm_nexthop **rtm_route_nh(struct rtm_route *r)
{
	return r->nnh > 1 ? r->nh_arr : &r->nh_one;
}

/* One RtmAddRouteToDest in progress (route.c, batch.c). */
struct rtm_add_ctx {
	struct rtm_add_route a;		/* the argument; outputs go here */
	u8 key[RTM_MAX_ADDR_BYTES];
	unsigned int bits;
	u64 nhv[RTM_MAX_NEXTHOPS_LIMIT];
	/* the first a.rec.num_nexthops are held */
	struct rtm_nexthop *nh[RTM_MAX_NEXTHOPS_LIMIT];
	struct rtm_nexthop *neighbour;
	struct rtm_timer *tm;		/* preallocated expiry, if a TTL */
	struct rtm_rlist *list;		/* route list to move the route to */
	u32 pref;
	struct rtm_route *route;	/* the result, with a reference */
};

int rtm_route_add_prepare(struct rtm_reg *reg, struct rtm_add_ctx *x);
int rtm_route_add_locked(struct rtm_reg *reg, struct rtm_add_ctx *x);
int rtm_route_add_finish(struct rtm_reg *reg, struct rtm_add_ctx *x);
void rtm_route_add_fini(struct rtm_add_ctx *x);
int rtm_route_delete_prepare(struct rtm_reg *reg, struct rtm_delete_route *dr,
			     struct rtm_route **out);
int rtm_route_delete_one_locked(struct rtm_reg *reg, struct rtm_route *r,
				u32 *change_flags);
bool rtm_route_eligible(const struct rtm_route *r, unsigned int view);
void rtm_route_free_rcu(struct rtm_route *r);
void rtm_route_destroy(struct rtm_route *r);
int rtm_route_delete_locked(struct rtm_route *r, u32 *change_flags);
int rtm_route_commit(struct rtm_reg *reg, struct rtm_update_route *u);
bool rtm_route_matches(struct rtm_route *r, u32 match,
		       const struct rtm_route_rec *crit, const u64 *crit_nh,
		       u32 ifindex);

/* nexthop.c */
struct rtm_nexthop {
	struct rtm_obj obj;
	struct rtm_entity *owner;	/* reference */
	struct rb_node rb;		/* table->nexthops while live */
	struct rtm_dest *remote;	/* reference or NULL */
	u64 esi;
	u32 ifindex;
	u16 state;
	u16 flags;
	u8 key[RTM_MAX_ADDR_BYTES];
	u8 bits;
};

void rtm_nexthop_destroy(struct rtm_nexthop *nh);
void rtm_nexthop_rec_values(struct rtm_table *t, struct rtm_nexthop *nh,
			    struct rtm_nexthop_rec *rec);
void rtm_nexthop_delete_locked(struct rtm_nexthop *nh);
int rtm_nexthop_key_cmp(const struct rtm_nexthop *nh, const u8 *key,
			unsigned int bits, u32 ifindex, u64 owner_seq);
struct rtm_nexthop *rtm_nexthop_after(struct rtm_table *t, const u8 *key,
				      unsigned int bits, u32 ifindex,
				      u64 owner_seq, bool inclusive);

/* enum.c */
struct rtm_enum;
void rtm_enum_destroy(struct rtm_enum *e);
void rtm_enum_close_all(struct rtm_reg *reg);

/* main.c: one open file */
struct rtm_reg {
	struct rw_semaphore sem;	/* read: a call; write: (de)register */
	struct net *net;		/* reference, taken at open */
	struct rtm_entity *entity;	/* set by REGISTER */
	struct rtm_table *table;
	bool dead;
	struct rtm_refs refs;		/* references booked (ref.c) */
	atomic_t nrefs;
	struct mutex enum_lock;		/* protects enums and nenums */
	struct list_head enums;
	unsigned int nenums;
	struct rtm_profile profile;
	/* events (event.c) */
	bool want_events;		/* RTM_REG_EVENTS */
	bool ev_closed;			/* flushed at teardown: queue no more */
	spinlock_t ev_lock;		/* events, nevents, lost */
	struct list_head events;
	unsigned int nevents;
	u32 lost;
	wait_queue_head_t ev_wait;
	/* change-notification registrations of this file (notify.c) */
	struct list_head notifies;
	struct list_head locks;		/* lock holders (lock.c) */
	struct list_head lists;		/* route lists (list.c) */
	/* method calls into this registration (method.c) */
	spinlock_t call_lock;
	struct list_head calls;
	wait_queue_head_t call_wait;
	unsigned int inflight;
	bool blocked;
	bool calls_dead;
	refcount_t ref;			/* the file, callers waiting on it */
};

void rtm_reg_put(struct rtm_reg *reg);

/* lock.c */
int rtm_lock_wait(struct rtm_reg *reg, unsigned long id);
void rtm_lock_release_all(struct rtm_reg *reg);
bool rtm_lock_holds_excl(struct rtm_reg *reg, struct rtm_dest *d);
void rtm_lock_release_excl(struct rtm_reg *reg, struct rtm_dest *d);
void rtm_route_rec_values(struct rtm_route *r, struct rtm_route_rec *rec,
			  u64 *nhv);
void rtm_opaque_forget(struct rtm_table *t, int slot);
long rtm_ioc_lock(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_peek(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_update_route(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_opaque(struct rtm_reg *reg, void __user *arg);

/* list.c */
struct rtm_rlist;
struct rtm_table *rtm_list_table(struct rtm_rlist *l);
void rtm_list_destroy(struct rtm_rlist *l);
struct rtm_rlist *rtm_list_get(struct rtm_reg *reg, u64 handle);
void rtm_list_put(struct rtm_rlist *l);
void rtm_list_remove(struct rtm_route *r);
void rtm_list_move(struct rtm_route *r, struct rtm_rlist *l);
void rtm_list_close_all(struct rtm_reg *reg);
void rtm_list_enum_start(struct rtm_rlist *l, struct rtm_lnode *marker);
void rtm_list_enum_stop(struct rtm_lnode *marker);
unsigned int rtm_list_enum_next(struct rtm_rlist *l, struct rtm_lnode *marker,
				u64 *out, unsigned int count,
				struct rtm_grab *g);
long rtm_ioc_route_list(struct rtm_reg *reg, void __user *arg);

/* method.c */
void rtm_methods_init(struct rtm_reg *reg);
void rtm_methods_stop(struct rtm_reg *reg);
long rtm_ioc_get_methods(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_invoke(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_method_input(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_method_reply(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_block_methods(struct rtm_reg *reg, void __user *arg);

/* event.c */
void rtm_events_init(struct rtm_reg *reg);
int rtm_event_queue(struct rtm_reg *reg, const struct rtm_event *ev,
		    bool bounded);
void rtm_event_entity(struct rtm_table *t, struct rtm_entity *e, u32 type);
void rtm_events_flush(struct rtm_reg *reg);
ssize_t rtm_events_read(struct rtm_reg *reg, char __user *buf, size_t len,
			bool nonblock);
__poll_t rtm_events_poll(struct rtm_reg *reg, struct file *file,
			 struct poll_table_struct *wait);

/* ioctl handlers: each validates its own argument. */
long rtm_ioc_register(struct rtm_reg *reg, void __user *arg);
void rtm_reg_teardown(struct rtm_reg *reg);
long rtm_ioc_get_entities(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_entity_info(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_release(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_reference(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_add_nexthop(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_find_nexthop(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_delete_nexthop(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_nexthop_info(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_add_route(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_delete_route(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_route_info(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_is_best(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_dest_query(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_route_match(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_enum_create(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_enum_get(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_enum_delete(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_notify_register(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_notify_op(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_notify_get(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_add_routes(struct rtm_reg *reg, void __user *arg);
long rtm_ioc_delete_routes(struct rtm_reg *reg, void __user *arg);

static inline bool rtm_reserved_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

#endif /* _RTM_H */
