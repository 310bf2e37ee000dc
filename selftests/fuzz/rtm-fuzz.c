// SPDX-License-Identifier: GPL-2.0
/*
 * rtm-fuzz - an ABI fuzzer for /dev/rtm (uapi/linux/rtm.h, raw ioctls).
 *
 * Several processes (default 2, forked) each send a stream of ioctls on
 * several open files of /dev/rtm: registered ones (instance 0 and 1,
 * AF_INET and AF_INET6, so processes share tables) and unregistered ones.
 * Most calls are well-formed-ish structs of the 36 commands whose handles
 * come from a pool harvested from earlier replies, so that a good share
 * succeeds and the deep paths run; the rest is mutated: random flags,
 * counts (0, 1, cap, cap + 1, huge), reserved fields, handles (bits of
 * type, generation or slot flipped, released ones, ones of another file
 * or table, of another kind), random command numbers (nr, size, dir,
 * magic), and argument or nested pointers that are NULL, unmapped,
 * read-only, PROT_NONE, kernel, non-canonical, misaligned or straddling
 * the end of a mapping.  Files are closed with live state and re-opened
 * now and then.  This file holds the driver, the pools and the first 21
 * commands; gen_*.c the newer 15 (change notification, hold-down and
 * expiry, locks, route lists, methods) and the reads of events.
 *
 * The kernel only ever writes into this program's scratch buffers (no
 * pointer handed to it ever points at the program's own data), so the
 * program cannot be corrupted by a reply.
 *
 * Each process reads /sys/kernel/debug/rtm/check now and then while its
 * state is live.  At the end the parent waits for the children, then
 * checks that the module counters (RTM_IOC_STATS) are back to zero and
 * that the checker reports "errors 0", and prints TAP lines.
 *
 * Usage: rtm-fuzz [-s SEED] [-n N] [-p PROCS] [-t SECS] [-c EVERY]
 *                 [-F PROB] [-q] [-T] [-R]
 * Environment (options win): RTM_FUZZ_SEED, RTM_FUZZ_N, RTM_FUZZ_PROCS,
 * RTM_FUZZ_TIME.  See README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/fs.h>
#include <linux/rtm.h>
#include "fuzz.h"

#define DEV		"/dev/rtm"
#define CHECK_FILE	"/sys/kernel/debug/rtm/check"
#define FAIL_DIR	"/sys/kernel/debug/rtm/fail"
#define TOTAL_DEFAULT	1000000L

/* Values of the Windows header the module acts on (kmod/rtm.h). */
#define ROUTE_CHANGE_FIRST	0x01U
#define ROUTE_CHANGE_NEW	0x02U
#define ROUTE_CHANGE_BEST	0x00010000U
#define ROUTE_FLAGS_INACTIVE	0x0008
#define NEXTHOP_FLAGS_REMOTE	0x0001
#define ENUM_NEXT		0x00000001U
#define ENUM_RANGE		0x00000002U
#define ENUM_OWN_DESTS		0x01000000U
#define ENUM_OWN_ROUTES		0x00010000U

/* ---- commands ------------------------------------------------------- */

const struct cmd_desc cmds[C_MAX] = {
#define CMD(c, w)	[C_##c] = { #c, RTM_IOC_##c, w }
	CMD(VERSION, 8), CMD(REGISTER, 8),
	CMD(DEREGISTER, 2), CMD(GET_ENTITIES, 20),
	CMD(ENTITY_INFO, 25), CMD(RELEASE, 110),
	CMD(REFERENCE, 30), CMD(ADD_NEXTHOP, 70),
	CMD(FIND_NEXTHOP, 35), CMD(DELETE_NEXTHOP, 25),
	CMD(NEXTHOP_INFO, 35), CMD(ADD_ROUTE, 145),
	CMD(DELETE_ROUTE, 45), CMD(ROUTE_INFO, 55),
	CMD(IS_BEST, 25), CMD(DEST_QUERY, 70),
	CMD(ROUTE_MATCH, 40), CMD(ENUM_CREATE, 55),
	CMD(ENUM_GET, 100), CMD(ENUM_DELETE, 35),
	CMD(STATS, 8),
	CMD(NOTIFY_REGISTER, 6), CMD(NOTIFY_OP, 20),
	CMD(NOTIFY_GET, 15), CMD(HOLD_DEST, 10),
	CMD(LOCK, 20), CMD(PEEK, 12),
	CMD(UPDATE_ROUTE, 15), CMD(OPAQUE, 8),
	CMD(ROUTE_LIST, 25), CMD(EXPIRE_DONE, 10),
	CMD(GET_METHODS, 8), CMD(INVOKE, 12),
	CMD(METHOD_INPUT, 6), CMD(METHOD_REPLY, 8),
	CMD(BLOCK_METHODS, 4),
#undef CMD
	[C_RANDOM] = { "random-cmd", 0, 30 },
	[C_READ] = { "read", 0, 50 },	/* poll + read of events */
	[C_POLL] = { "poll", 0, 0 },	/* made by the reads only */
};

/* ---- options ------------------------------------------------------- */

struct fuzz_opts opt = { .procs = 2, .check_every = 100000, .fail_prob = -1 };

/* ---- random numbers: xoshiro256** ----------------------------------- */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rnd_seed(uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rnd64(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

uint32_t rnd32(void)
{
	return rnd64() >> 32;
}

/* Uniform in [0, n), n > 0. */
uint32_t rn(uint32_t n)
{
	return (uint32_t)(((rnd64() >> 32) * n) >> 32);
}

/* True with probability pct percent. */
int pct(unsigned int p)
{
	return rn(100) < p;
}

/* True with probability p per mille. */
int pml(unsigned int p)
{
	return rn(1000) < p;
}

/* A count around a cap: 0, 1, cap - 1, cap, cap + 1, huge, random. */
uint32_t edge_count(uint32_t cap)
{
	switch (rn(9)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return cap ? cap - 1 : 0;
	case 3: return cap;
	case 4: return cap + 1;
	case 5: return 0xffffffffU;
	case 6: return 0x80000000U | rn(16);
	case 7: return 1U << rn(32);
	default: return rnd32();
	}
}

/* ---- memory: scratch buffers and bad pointers ------------------------- */

/*
 * Argument structs go into @scratch, nested arrays into @nbuf (a bump
 * allocator reset for each call).  Bad places come from one reserved
 * area per use:
 *
 *	page 0       RW        (struct ending here spills into page 1)
 *	page 1..4    read-only view of a memfd, written through @ro_alias
 *	page 5       unmapped
 *	page 6       RW        (struct ending here spills into page 7)
 *	page 7       unmapped
 *	page 8       PROT_NONE
 */
uint8_t *scratch;
uint8_t *nbuf;
size_t nbuf_used;
struct area arg_area, nest_area;

static int area_init(struct area *a)
{
	int mfd = syscall(SYS_memfd_create, "rtm-fuzz", 0);
	uint8_t *p;

	if (mfd < 0 || ftruncate(mfd, RO_PAGES * PAGE))
		return -1;
	p = mmap(NULL, 9 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	a->base = p;
	a->ro = p + PAGE;
	a->hole = p + 5 * PAGE;
	a->rw2 = p + 6 * PAGE;
	a->hole2 = p + 7 * PAGE;
	a->none = p + 8 * PAGE;
	if (mmap(a->ro, RO_PAGES * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED,
		 mfd, 0) == MAP_FAILED)
		return -1;
	a->ro_alias = mmap(NULL, RO_PAGES * PAGE, PROT_READ | PROT_WRITE,
			   MAP_SHARED, mfd, 0);
	if (a->ro_alias == MAP_FAILED)
		return -1;
	close(mfd);
	if (munmap(a->hole, PAGE) || munmap(a->hole2, PAGE) ||
	    mprotect(a->none, PAGE, PROT_NONE))
		return -1;
	return 0;
}

static const char *const place_names[P_MAX] = {
	"ok", "null", "unmapped", "read-only", "spills-unmapped",
	"spills-read-only", "prot-none", "kernel", "non-canonical",
	"top-of-user", "low", "misaligned", "random",
};

/* Copy @n bytes of @src to user address @dst inside an area. */
static void area_write(struct area *a, uint8_t *dst, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t *d = dst + i;

		if (d >= a->base && d < a->ro)
			*d = s[i];
		else if (d >= a->ro && d < a->ro + RO_PAGES * PAGE)
			a->ro_alias[d - a->ro] = s[i];
		else if (d >= a->rw2 && d < a->hole2)
			*d = s[i];
	}
}

/*
 * A user pointer for @size bytes (@src, if not NULL, is what should be
 * there) in a bad place of kind @k; returns the address.
 */
uint64_t bad_place(struct area *a, int k, const void *src, size_t size)
{
	uint8_t *p;
	size_t before;

	switch (k) {
	case P_NULL:
		return 0;
	case P_HOLE:
		return (uintptr_t)(rn(2) ? a->hole : a->hole2) + rn(PAGE);
	case P_RO:
		if (size > RO_PAGES * PAGE)
			size = RO_PAGES * PAGE;
		p = a->ro + rn(RO_PAGES * PAGE - size + 1);
		break;
	case P_SPILL_HOLE:
	case P_SPILL_RO:
		/*
		 * @before bytes in the last RW page, the rest in the hole
		 * or in the read-only pages that follow it.
		 */
		before = size > 1 ? 1 + rn(size - 1 < PAGE ? size - 1 : PAGE) : 0;
		p = (k == P_SPILL_HOLE ? a->hole2 : a->ro) - before;
		break;
	case P_NONE:
		return (uintptr_t)a->none + rn(PAGE);
	case P_KERNEL:
		return 0xffff888000000000ULL + (rnd64() & 0xffffff8ULL);
	case P_NONCANON:
		return 0x0000800000000000ULL + (rnd64() & 0x7fffffffffff8ULL);
	case P_HIGH:
		return 0x00007ffffffff000ULL + rn(PAGE);
	case P_LOW:
		return rn(65536);
	default:
		/* Random, but never a user address: kernel or non-canonical. */
		return rnd64() | 1ULL << (47 + rn(17));
	}
	if (src)
		area_write(a, p, src, size);
	return (uintptr_t)p;
}

/* Pick the place kind: mostly fine, @bad_pml per mille bad. */
int pick_place(unsigned int bad_pml)
{
	static const uint8_t bad[] = {
		P_NULL, P_NULL, P_HOLE, P_HOLE, P_RO, P_RO, P_RO,
		P_SPILL_HOLE, P_SPILL_HOLE, P_SPILL_RO, P_SPILL_RO, P_NONE,
		P_KERNEL, P_NONCANON, P_HIGH, P_LOW, P_MISALIGNED,
		P_MISALIGNED, P_RANDOM,
	};

	if (!pml(bad_pml))
		return P_OK;
	return bad[rn(sizeof(bad))];
}

/*
 * The argument of a call: @size bytes of @src.  *@back is where the
 * reply can be read (in the scratch buffer), or NULL.
 */
uint64_t put_arg(const void *src, size_t size, int k, void **back)
{
	uint8_t *p;

	*back = NULL;
	if (k == P_OK || k == P_MISALIGNED) {
		p = scratch + (k == P_MISALIGNED ? 1 + rn(7) : 0);
		memcpy(p, src, size);
		if (k == P_OK)
			*back = p;	/* the reply is read when aligned only */
		return (uintptr_t)p;
	}
	return bad_place(&arg_area, k, src, size);
}

/*
 * A nested user array: @size bytes to read (@src) or @room bytes the
 * kernel may write.  *@back: where the data is, if readable.
 */
uint64_t put_nested(const void *src, size_t size, size_t room, int k,
		    void **back)
{
	size_t need = size > room ? size : room;
	uint8_t *p;

	if (back)
		*back = NULL;
	if (k == P_OK || k == P_MISALIGNED) {
		size_t off = (nbuf_used + 7) & ~7UL;

		if (k == P_MISALIGNED)
			off += 1 + rn(7);
		if (off + need > NBUF_SIZE)
			off = 0;	/* overlap: harmless, all ours */
		p = nbuf + off;
		nbuf_used = off + need;
		if (src)
			memcpy(p, src, size);
		if (back && k == P_OK)
			*back = p;
		return (uintptr_t)p;
	}
	return bad_place(&nest_area, k, src, size ? size : room);
}

/*
 * An array of @n handles that the kernel reads *@count of (<=
 * RTM_MAX_BATCH): *@count is @n, or now and then around the cap; the
 * room always covers a valid count (the handles past @n are 0, stale).
 */
uint64_t put_handles(const uint64_t *h, uint32_t n, uint32_t *count)
{
	*count = n;
	if (FZ(40))
		*count = edge_count(RTM_MAX_BATCH);
	return put_nested(h, n * 8, *count <= RTM_MAX_BATCH ? *count * 8 : 0,
			  pick_place(50), NULL);
}

/* ---- files (slots) and the handle pool ------------------------------ */

struct slot slots[NSLOT];

const uint32_t t_ht[T_MAX] = {
	RTM_HT_ENTITY, RTM_HT_DEST, RTM_HT_ROUTE, RTM_HT_NEXTHOP, RTM_HT_ENUM,
	RTM_HT_NOTIFY, RTM_HT_LIST,
};

/* Entries per file and kind. */
static const uint32_t pool_cap[T_MAX] = { 64, 256, 512, 128, 64, 16, 32 };

struct pool pools[NSLOT][T_MAX];

/* Handles given back or of closed files: "use a released handle". */
#define NGRAVE	256
static uint64_t grave[NGRAVE];
static unsigned int ngrave;

void bury(uint64_t h)
{
	if (h)
		grave[ngrave++ % NGRAVE] = h;
}

void kill_entry(struct hent *e)
{
	if (e && !(e->flags & F_DEAD)) {
		e->flags |= F_DEAD;
		bury(e->h);
	}
}

/* Drop the dead entries (between calls only: callers keep pointers). */
static void pools_compact(void)
{
	uint32_t i, j;
	int s, t;

	for (s = 0; s < NSLOT; s++) {
		for (t = 0; t < T_MAX; t++) {
			struct pool *p = &pools[s][t];

			for (i = j = 0; i < p->n; i++)
				if (!(p->e[i].flags & F_DEAD))
					p->e[j++] = p->e[i];
			p->n = j;
		}
	}
}

/* ---- call bookkeeping ------------------------------------------------ */

struct proc_stats *st;
int me;				/* process index */
uint64_t ncall;			/* calls made by this process */

#define NRING	32
static struct {
	uint64_t n;
	int ci;
	int slot;
	int place;
	unsigned long cmd;
	int err;
} ring[NRING];

void out(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(1, buf, n) < 0)
		return;
}

const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case EBADMSG: return "EBADMSG";
	case EOVERFLOW: return "EOVERFLOW";
	case EBADFD: return "EBADFD";
	case ENOBUFS: return "ENOBUFS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EALREADY: return "EALREADY";
	case ESTALE: return "ESTALE";
	case ENOSYS: return "ENOSYS";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	}
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

void dump_ring(void)
{
	unsigned int i;

	out("# [%d] last calls (oldest first):\n", me);
	for (i = 0; i < NRING; i++) {
		unsigned int j = (ncall + i) % NRING;

		if (!ring[j].n)
			continue;
		out("#   call %" PRIu64 ": %s cmd %#lx slot %d arg %s -> %s\n",
		    ring[j].n, cmds[ring[j].ci].name, ring[j].cmd, ring[j].slot,
		    place_names[ring[j].place], errname(ring[j].err));
	}
}

/* A reply that breaks a promise of the ABI: counted, the first printed. */
void anomaly(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (st->anomalies++ < 20)
		out("# [%d] anomaly after %" PRIu64 " calls (seed %" PRIu64
		    "): %s\n", me, ncall, opt.seed, buf);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Count one call (@err: 0 or an errno), in the stats and the ring. */
void account(int ci, int s, unsigned long cmd, int place, int err,
	     uint64_t ns)
{
	unsigned int r = ncall % NRING;

	st->ns[ci] += ns;
	ncall++;
	st->total = ncall;
	st->calls[ci]++;
	if (!err)
		st->ok[ci]++;
	else
		st->err[ci][err < NERR ? err : NERR - 1]++;
	ring[r].n = ncall;
	ring[r].ci = ci;
	ring[r].slot = s;
	ring[r].place = place;
	ring[r].cmd = cmd;
	ring[r].err = err;
}

/* One ioctl, counted.  Returns 0 or an errno. */
int xioctl(int ci, int s, unsigned long cmd, uint64_t arg, int place)
{
	uint64_t t0 = opt.timing ? now_ns() : 0;
	int ret, err;

	ret = ioctl(slots[s].fd, cmd, (unsigned long)arg);
	err = ret < 0 ? errno : 0;
	if (ret > 0)
		err = NERR - 1;	/* no command returns > 0 */
	account(ci, s, cmd, place, err, opt.timing ? now_ns() - t0 : 0);
	return err;
}

/* ---- the pool -------------------------------------------------------- */

void release_now(int s);

void pend_push(int s, uint64_t h, uint32_t type)
{
	struct slot *sl = &slots[s];

	if (sl->npend == NPEND)
		release_now(s);
	if (sl->npend < NPEND) {
		sl->pend[sl->npend] = h;
		sl->pend_type[sl->npend++] = type;
	}
}

/* Add a handle returned to file @s, with @flags (F_REF: a reference). */
struct hent *pool_add(int t, uint64_t h, int s, unsigned int flags)
{
	struct pool *p = &pools[s][t];
	struct hent *e;

	if (!h)
		return NULL;
	if (p->n < pool_cap[t]) {
		e = &p->e[p->n++];
	} else {
		/* Full: a victim, whose reference is given back. */
		e = &p->e[rn(p->n)];
		if ((e->flags & (F_REF | F_DEAD)) == F_REF && t < T_REFS)
			pend_push(s, e->h, t_ht[t]);
		bury(e->h);
	}
	memset(e, 0, sizeof(*e));
	e->h = h;
	e->slot = s;
	e->flags = flags;
	return e;
}

/*
 * A live entry of kind @t of file @s with all of @want and none of
 * @avoid in its flags, or NULL.
 */
struct hent *pool_pick(int t, int s, unsigned int want, unsigned int avoid)
{
	struct pool *p = &pools[s][t];
	struct hent *e;
	uint32_t i;
	int k;

	if (!p->n)
		return NULL;
	avoid |= F_DEAD;
	for (k = 0; k < 8; k++) {
		e = &p->e[rn(p->n)];
		if ((e->flags & want) == want && !(e->flags & avoid))
			return e;
	}
	if (!want)
		return NULL;
	/* Rare ones (our own among many harvested): look at them all. */
	for (i = 0, k = rn(p->n); i < p->n; i++) {
		e = &p->e[(k + i) % p->n];
		if ((e->flags & want) == want && !(e->flags & avoid))
			return e;
	}
	return NULL;
}

/* The live entry of file @s for handle @h, or NULL. */
struct hent *pool_find(int t, int s, uint64_t h)
{
	struct pool *p = &pools[s][t];
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (p->e[i].h == h && !(p->e[i].flags & F_DEAD))
			return &p->e[i];
	return NULL;
}

uint64_t grave_pick(void)
{
	return ngrave ? grave[rn(ngrave < NGRAVE ? ngrave : NGRAVE)] : 0;
}

/* A handle changed the ways a buggy or hostile client would. */
uint64_t mutate_handle(uint64_t h)
{
	switch (rn(12)) {
	case 0: return h ^ (1ULL << (60 + rn(4)));		/* type */
	case 1: return h ^ (1ULL << (32 + rn(28)));		/* generation */
	case 2: return h ^ (1ULL << rn(32));			/* slot */
	case 3: return h + 1;
	case 4: return h - 1;
	case 5: return (h & ~(0xfULL << 60)) | (uint64_t)rn(16) << 60;
	case 6: return h & 0xffffffffULL;			/* no type */
	case 7: return ngrave ? grave_pick() : h;
	case 8: return 0;
	case 9: return ~0ULL;
	case 10: return rnd64();
	default: return h ^ (rnd64() & 0x0fffffffffffffffULL);
	}
}

/*
 * A handle of kind @t for a call on file @s: mostly one @s got, else one
 * of another file (maybe of another table), a released one, one of
 * another kind, or a mutated one.  *@ep is the pool entry used as is, or
 * NULL.
 */
uint64_t pick(int t, int s, struct hent **ep)
{
	struct hent *e = NULL;
	uint32_t r = rn(1000);

	if (ep)
		*ep = NULL;
	if (r < 760) {
		e = pool_pick(t, s, 0, 0);
	} else if (r < 860) {
		e = pool_pick(t, rn(NSLOT), 0, 0);		/* any file */
	} else if (r < 900) {
		return grave_pick();				/* released */
	} else if (r < 930) {
		e = pool_pick(rn(T_MAX), rn(NSLOT), 0, 0);	/* any kind */
	} else if (r < 990) {
		e = pool_pick(t, rn(NSLOT), 0, 0);
		return mutate_handle(e ? e->h : grave_pick());
	} else {
		return pct(50) ? 0 : rnd64();
	}
	if (!e) {
		if (t == T_ENTITY)
			return slots[rn(NSLOT)].ent;
		return pct(50) ? grave_pick() : mutate_handle(grave_pick());
	}
	if (ep)
		*ep = e;
	return e->h;
}

/*
 * A handle of kind @t that file @s must own or hold (@want flags):
 * mostly such a one (0 if there is none), else what pick() gives.
 */
uint64_t pick_mine(int t, int s, unsigned int want, struct hent **ep)
{
	struct hent *e;

	if (ep)
		*ep = NULL;
	if (pml(980)) {
		e = pool_pick(t, s, want, F_GONE);
		if (ep)
			*ep = e;
		return e ? e->h : 0;
	}
	return pick(t, s, ep);
}

/* ---- addresses -------------------------------------------------------- */

static uint16_t pick_family(int s)
{
	uint16_t f = slots[s].family ? slots[s].family : AF_INET;

	if (FZ(20))
		return f == AF_INET ? AF_INET6 : AF_INET;
	if (FZ(3))
		return rn(3) ? rn(64) : rnd32();
	return f;
}

/*
 * A prefix of a small address space, so that objects collide: 10.b.c.d
 * or 2001:db8:b:c::d with a handful of values each.
 */
void gen_addr(struct rtm_addr *a, int s, int host)
{
	static const uint8_t lo[] = { 0, 1, 2, 3, 64, 128, 255 };
	static const uint8_t b4[] = { 0, 8, 16, 20, 24, 24, 24, 25, 28, 30,
				      31, 32, 32, 32, 32 };
	static const uint8_t b6[] = { 0, 16, 32, 48, 56, 64, 64, 64, 96, 112,
				      120, 127, 128, 128, 128 };

	memset(a, 0, sizeof(*a));
	a->family = pick_family(s);
	if (a->family == AF_INET6) {
		a->addr[0] = 0x20;
		a->addr[1] = 0x01;
		a->addr[2] = 0x0d;
		a->addr[3] = 0xb8;
		a->addr[5] = rn(2);
		a->addr[7] = rn(4);
		a->addr[15] = host ? 1 + rn(4) : lo[rn(sizeof(lo))];
		if (pct(10))
			a->addr[8] = rn(2) << 7;
		a->bits = host ? 128 : b6[rn(sizeof(b6))];
	} else {
		a->addr[0] = 10;
		a->addr[1] = rn(2);
		a->addr[2] = rn(4);
		a->addr[3] = host ? 1 + rn(4) : lo[rn(sizeof(lo))];
		a->bits = host ? 32 : b4[rn(sizeof(b4))];
	}
	if (!host && pct(5))
		a->bits = rn(a->family == AF_INET6 ? 129 : 33);
	if (FZ(15))	/* too long */
		a->bits = (a->family == AF_INET6 ? 129 : 33) + rn(200);
	if (FZ(10))
		a->reserved = rnd32();
	if (FZ(10)) {	/* anything at all */
		uint32_t i;

		for (i = 0; i < sizeof(a->addr); i++)
			a->addr[i] = rnd32();
	}
	if (FZ(5))
		a->bits = rnd32();
}

uint32_t gen_views(void)
{
	static const uint32_t v[] = { 1, 1, 1, 2, 3, 3, 3 };

	if (FZ(20))
		return rn(2) ? 0 : 1U << rn(32);
	if (FZ(10))
		return ~0U;
	return v[rn(sizeof(v) / sizeof(v[0]))];
}

/* TargetViews of a query: 0, the supported ones, all, or bad bits. */
uint32_t gen_target_views(void)
{
	if (FZ(30))
		return rnd32() | 4;
	switch (rn(5)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return 3;
	default: return ~0U;
	}
}

uint32_t gen_metric(void)
{
	static const uint32_t m[] = { 0, 1, 1, 2, 10, 100 };

	return FZ(50) ? rnd32() : m[rn(6)];
}

uint32_t gen_pref(void)
{
	static const uint32_t p[] = { 0, 0, 0, 1, 2, 100 };

	return FZ(50) ? rnd32() : p[rn(6)];
}

static uint32_t gen_protocol(int s)
{
	switch (rn(6)) {
	case 0: return 0;			/* RTM_BEST_PROTOCOL */
	case 1: return ~0U;			/* RTM_THIS_PROTOCOL */
	case 2: return (uint32_t)slots[s].ent_id;
	case 3: return 1 + rn(3);
	case 4: return rnd32();
	default: return (uint32_t)slots[rn(NSLOT)].ent_id;
	}
}

/*
 * Next hops for file @s (distinct, up to @n; its own ones if @mine) into
 * @out; returns the count.
 */
uint32_t gen_nexthops(int s, uint64_t *out, uint32_t n, int mine)
{
	uint32_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		uint64_t h = mine ? pick_mine(T_NEXTHOP, s, F_MINE, NULL) :
				    pick(T_NEXTHOP, s, NULL);

		if (!h && mine && !FZ(10))
			continue;	/* none of ours: fewer next hops */
		for (j = 0; j < k; j++)
			if (out[j] == h)
				break;
		if (j < k && !FZ(10))
			continue;	/* duplicates are an error: mostly not */
		out[k++] = h;
	}
	return k;
}

/* ---- registration and files ----------------------------------------- */

static uint64_t ent_counter;

static uint64_t new_entity_id(void)
{
	/* High half unique per process, low half (the protocol) small. */
	return ((uint64_t)(me + 1) << 24 | (++ent_counter & 0xffffff)) << 32 |
	       (1 + rn(3));
}

static void slot_registered(int s, const struct rtm_register *r)
{
	struct slot *sl = &slots[s];

	sl->state = S_REG;
	sl->instance = r->instance;
	sl->family = r->family;
	sl->ent = r->handle;
	sl->ent_id = r->entity_id;
	sl->opaque = !!(r->flags & RTM_REG_RESERVE_OPAQUE);
	sl->max_nh = r->profile.max_nexthops;
	sl->max_enum = r->profile.max_enum;
	if (sl->max_nh > 32)
		sl->max_nh = 32;
	if (sl->max_enum > RTM_MAX_BATCH)
		sl->max_enum = RTM_MAX_BATCH;
	pool_add(T_ENTITY, r->handle, s, F_MINE);	/* not a reference */
}

static void register_plain(int s)
{
	uint64_t methods[RTM_MAX_METHODS];
	struct rtm_register r;

	memset(&r, 0, sizeof(r));
	r.instance = pct(60) ? 0 : pct(90) ? 1 : 2;
	r.family = pct(55) ? AF_INET : AF_INET6;
	r.entity_id = new_entity_id();
	if (pct(10))
		r.flags = RTM_REG_RESERVE_OPAQUE;
	if (pct(50))	/* events: entity, expiry, change notification */
		r.flags |= RTM_REG_EVENTS;
	r.num_methods = gen_methods(methods);
	r.methods = (uintptr_t)methods;
	if (!xioctl(C_REGISTER, s, RTM_IOC_REGISTER, (uintptr_t)&r, P_OK))
		slot_registered(s, &r);
}

static void slot_open(int s)
{
	struct slot *sl = &slots[s];

	sl->fd = open(DEV, O_RDWR | O_CLOEXEC);
	sl->state = S_UNREG;
	sl->family = 0;
	sl->instance = 0;
	sl->ent = 0;
	sl->ent_id = 0;
	sl->max_nh = 8;
	sl->max_enum = 64;
	sl->opaque = 0;
	sl->nonblock = 0;
	sl->blocked = 0;
	sl->npend = 0;
}

/* Close a file with whatever it holds, and open a new one. */
void slot_reopen(int s, int do_register)
{
	struct slot *sl = &slots[s];
	int t;

	if (sl->fd >= 0)
		close(sl->fd);
	method_slot_closed(s);
	bury(sl->ent);
	/* Whatever the file held is gone with it. */
	for (t = 0; t < T_MAX; t++) {
		if (pools[s][t].n)
			bury(pools[s][t].e[rn(pools[s][t].n)].h);
		pools[s][t].n = 0;
	}
	slot_open(s);
	st->reopens++;
	if (sl->fd >= 0 && do_register)
		register_plain(s);
}

/*
 * Give back the pool victims of @s in one RELEASE.  This may run while a
 * reply is being harvested: it uses buffers of its own.
 */
void release_now(int s)
{
	static struct rtm_handle_ref refs[NPEND];
	struct slot *sl = &slots[s];
	struct rtm_handles h;
	int i;

	if (!sl->npend || sl->fd < 0)
		return;
	for (i = 0; i < sl->npend; i++) {
		refs[i].handle = sl->pend[i];
		refs[i].type = sl->pend_type[i];
		refs[i].reserved = 0;
	}
	memset(&h, 0, sizeof(h));
	h.count = sl->npend;
	h.refs = (uintptr_t)refs;
	xioctl(C_RELEASE, s, RTM_IOC_RELEASE, (uintptr_t)&h, P_OK);
	for (i = 0; i < sl->npend; i++)
		bury(sl->pend[i]);
	sl->npend = 0;
}

/* ---- the generators: one per command ------------------------------- */

/* The common tail: corrupt some bytes, place, call. */
int call(struct callctx *c, void *arg, size_t size)
{
	unsigned long cmd = cmds[c->ci].cmd;
	uint64_t p;

	if (size && FZ(15)) {	/* a few random bytes anywhere */
		int i, n = 1 + rn(3);

		for (i = 0; i < n; i++)
			((uint8_t *)arg)[rn(size)] ^= 1 << rn(8);
	}
	c->place = pick_place(60);
	p = put_arg(arg, size, c->place, &c->back);
	return xioctl(c->ci, c->s, cmd, p, c->place);
}

/* The same without the random bytes: @arg is sent as it is, or misplaced. */
int call_raw(struct callctx *c, void *arg, size_t size, unsigned int bad_pml)
{
	uint64_t p;

	c->place = pick_place(bad_pml);
	p = put_arg(arg, size, c->place, &c->back);
	return xioctl(c->ci, c->s, cmds[c->ci].cmd, p, c->place);
}

static void g_version(struct callctx *c)
{
	struct rtm_version v;

	memset(&v, 0, sizeof(v));
	call(c, &v, sizeof(v));
}

static void g_stats(struct callctx *c)
{
	struct rtm_stats v;

	memset(&v, 0, sizeof(v));
	call(c, &v, sizeof(v));
}

static void g_register(struct callctx *c)
{
	struct rtm_register r;
	uint64_t methods[RTM_MAX_METHODS + 8];
	uint32_t i, n;
	int k;

	/* Mostly a file that is not registered yet (slot 0 stays so). */
	if (pct(70)) {
		for (i = 0; i < NSLOT; i++) {
			int s = 1 + rn(NSLOT - 1);

			if (slots[s].state == S_UNREG && slots[s].fd >= 0) {
				c->s = s;
				break;
			}
		}
	}
	memset(&r, 0, sizeof(r));
	/* Not under an executor's call: it would wait for it (gen_exec.c). */
	if (exec_busy(c->s))
		return;
	r.instance = pct(60) ? 0 : pct(90) ? 1 : FZ(300) ? rnd32() : 2;
	r.family = pct(50) ? AF_INET : AF_INET6;
	if (FZ(60))
		r.family = rn(2) ? rn(64) : rnd32();
	r.entity_id = new_entity_id();
	if (FZ(100)) {	/* an id another file uses: -EEXIST if same table */
		int o = rn(NSLOT);

		r.entity_id = slots[o].ent_id;
		r.instance = slots[o].instance;
		r.family = slots[o].family;
	}
	r.flags = pct(15) ? RTM_REG_RESERVE_OPAQUE : 0;
	if (pct(40))
		r.flags |= RTM_REG_EVENTS;
	if (FZ(50))
		r.flags = rnd32();
	if (FZ(30))
		r.reserved = rnd32();
	n = pct(70) ? 0 : rn(RTM_MAX_METHODS + 1);
	if (FZ(50))
		n = edge_count(RTM_MAX_METHODS);
	for (i = 0; i < RTM_MAX_METHODS + 8; i++)
		methods[i] = rnd64();
	r.num_methods = n;
	k = pick_place(60);
	r.methods = put_nested(methods, (n < RTM_MAX_METHODS + 8 ? n : 8) * 8,
			       0, k, NULL);
	if (!n && pct(80))
		r.methods = 0;
	if (!call(c, &r, sizeof(r)) && c->back)
		slot_registered(c->s, c->back);
}

static void g_deregister(struct callctx *c)
{
	if (exec_busy(c->s))	/* see g_register() */
		return;
	c->place = pick_place(100);
	if (!xioctl(c->ci, c->s, RTM_IOC_DEREGISTER,
		    c->place == P_OK ? 0 :
		    bad_place(&arg_area, c->place, NULL, 8), c->place))
		slots[c->s].state = S_DEAD;
}

static void g_get_entities(struct callctx *c)
{
	struct rtm_get_entities g;
	uint64_t *hv = NULL;
	uint32_t i, cap;

	memset(&g, 0, sizeof(g));
	g.count = pct(75) ? RTM_MAX_BATCH : rn(8);
	if (FZ(150))
		g.count = edge_count(RTM_MAX_BATCH);
	cap = g.count < RTM_MAX_BATCH ? g.count : RTM_MAX_BATCH;
	if (pct(80))
		g.handles = put_nested(NULL, 0, cap * 8, pick_place(60),
				       (void **)&hv);
	if (pct(60))
		g.infos = put_nested(NULL, 0, cap * sizeof(struct rtm_entity_rec),
				     pick_place(60), NULL);
	if (FZ(20))
		g.reserved = rnd32();
	if (call(c, &g, sizeof(g)) || !c->back || !g.handles || !hv)
		return;
	/* The reply: count entities, each handle a reference. */
	g = *(struct rtm_get_entities *)c->back;
	for (i = 0; i < g.count && i < RTM_MAX_BATCH; i++)
		pool_add(T_ENTITY, hv[i], c->s, F_REF);
}

static void g_entity_info(struct callctx *c)
{
	struct rtm_entity_info ei;

	memset(&ei, 0, sizeof(ei));
	ei.handle = pct(30) ? slots[rn(NSLOT)].ent : pick(T_ENTITY, c->s, NULL);
	if (FZ(50))
		ei.info.entity_id = rnd64();
	call(c, &ei, sizeof(ei));
}

#define MAXREL	64

static void g_release(struct callctx *c, int reference)
{
	struct slot *sl = &slots[c->s];
	struct rtm_handle_ref refs[MAXREL];
	struct hent *ents[MAXREL];
	uint64_t pend_taken[MAXREL];
	uint8_t pend_type[MAXREL];
	struct rtm_handles h;
	uint32_t n, i, npt = 0, count;
	int k, ret, t;

	switch (rn(10)) {
	case 0: case 1: case 2: n = 1; break;
	case 3: case 4: case 5: case 6: n = 2 + rn(15); break;
	default: n = 17 + rn(MAXREL - 16); break;
	}
	if (reference && n > 8)
		n = 1 + rn(8);
	memset(refs, 0, sizeof(refs));
	memset(ents, 0, sizeof(ents));
	/* First what the pool gave up (RELEASE only). */
	while (!reference && npt < n && sl->npend) {
		sl->npend--;
		pend_taken[npt] = sl->pend[sl->npend];
		pend_type[npt] = sl->pend_type[sl->npend];
		refs[npt].handle = pend_taken[npt];
		refs[npt].type = pend_type[npt];
		npt++;
	}
	for (i = npt; i < n; i++) {
		t = rn(T_ENUM);	/* entity, dest, route or next hop */
		if (pct(85) && (ents[i] = pool_pick(t, c->s, F_REF, 0)))
			refs[i].handle = ents[i]->h;
		else
			refs[i].handle = pick(t, c->s, &ents[i]);
		refs[i].type = pct(80) ? t_ht[t] : 0;
		if (!reference && pct(3))
			refs[i].handle = 0;	/* skipped */
	}
	/* One bad entry fails the whole call: in a few calls only. */
	if (n > npt && FZ(60)) {
		i = npt + rn(n - npt);
		if (rn(3))
			refs[i].type = rn(2) ? 5 + rn(3) : rnd32();
		else
			refs[i].reserved = rnd32();
	}
	memset(&h, 0, sizeof(h));
	count = n;
	if (FZ(40))
		count = edge_count(RTM_MAX_BATCH);
	h.count = count;
	k = pick_place(50);
	if (count > MAXREL && count <= RTM_MAX_BATCH) {
		/* Room for the whole count: the tail is zero handles. */
		uint8_t *big = nbuf + NBUF_SIZE / 2;

		memset(big, 0, (size_t)count * sizeof(refs[0]));
		memcpy(big, refs, sizeof(refs));
		h.refs = k == P_OK ? (uintptr_t)big :
			 put_nested(big, (size_t)count * sizeof(refs[0]), 0, k,
				    NULL);
	} else {
		h.refs = put_nested(refs, n * sizeof(refs[0]), 0, k, NULL);
	}
	if (FZ(20))
		h.invalid = rnd32();
	ret = call(c, &h, sizeof(h));
	if (ret) {
		/* Nothing was released: keep what the pool gave up. */
		for (i = 0; i < npt; i++)
			pend_push(c->s, pend_taken[i], pend_type[i]);
		return;
	}
	for (i = 0; i < npt; i++) {
		if (i < count)
			bury(pend_taken[i]);
		else	/* past the count we gave: not released */
			pend_push(c->s, pend_taken[i], pend_type[i]);
	}
	for (i = npt; i < n && i < count; i++) {
		if (reference) {
			/* All or nothing: each entry is one more reference. */
			int tt;

			for (tt = 0; tt < T_ENUM; tt++)
				if (RTM_HANDLE_TYPE(refs[i].handle) == t_ht[tt])
					break;
			if (tt < T_ENUM)
				pool_add(tt, refs[i].handle, c->s, F_REF);
		} else if (ents[i] && ents[i]->slot == c->s &&
			   (ents[i]->flags & F_REF)) {
			kill_entry(ents[i]);
		}
	}
}

static void nh_identity(int s, struct rtm_nexthop_rec *rec)
{
	gen_addr(&rec->addr, s, pct(85));
	rec->ifindex = pct(90) ? rn(3) : rnd32();
}

static void nh_remember(struct hent *e, const struct rtm_nexthop_rec *rec)
{
	if (e) {
		e->addr = rec->addr;
		e->ifindex = rec->ifindex;
	}
}

/* Same prefix, as the module compares them (bits past the length cleared). */
static int same_prefix(const struct rtm_addr *a, const struct rtm_addr *b)
{
	unsigned int i, bits = a->bits;

	if (a->family != b->family || a->bits != b->bits || bits > 128)
		return 0;
	for (i = 0; i < bits / 8; i++)
		if (a->addr[i] != b->addr[i])
			return 0;
	return !(bits % 8) ||
	       !((a->addr[i] ^ b->addr[i]) & (0xff00 >> (bits % 8)));
}

/* Our next hops of that identity were deleted (they may be referenced). */
static void nh_gone(int s, const struct rtm_nexthop_rec *rec)
{
	struct pool *p = &pools[s][T_NEXTHOP];
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if ((p->e[i].flags & F_MINE) &&
		    p->e[i].ifindex == rec->ifindex &&
		    same_prefix(&p->e[i].addr, &rec->addr))
			p->e[i].flags |= F_GONE;
}

/* The object @h names was deleted: mark every entry of it in file @s. */
void handle_gone(int s, int t, uint64_t h)
{
	struct pool *p = &pools[s][t];
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (p->e[i].h == h)
			p->e[i].flags |= F_GONE;
}

static void nh_remember_to(const struct hent *e, struct rtm_nexthop_rec *rec)
{
	rec->addr = e->addr;
	rec->ifindex = e->ifindex;
}

static void g_add_nexthop(struct callctx *c)
{
	struct rtm_add_nexthop a;
	struct hent *e = NULL;
	struct rtm_add_nexthop *r;

	memset(&a, 0, sizeof(a));
	a.flags = pct(65) ? RTM_NH_WANT_HANDLE : 0;
	nh_identity(c->s, &a.rec);
	if (pct(15)) {
		/* Update by handle: identity must be the same. */
		a.flags = RTM_NH_BY_HANDLE;
		a.handle = pick_mine(T_NEXTHOP, c->s, F_MINE, &e);
		if (e && e->addr.family && pct(90))
			nh_remember_to(e, &a.rec);
	} else if (pct(30)) {
		/* An existing one of ours: an update. */
		e = pool_pick(T_NEXTHOP, c->s, F_MINE, F_GONE);
		if (e && e->addr.family)
			nh_remember_to(e, &a.rec);
	}
	a.rec.flags = pct(70) ? 0 : pct(70) ? NEXTHOP_FLAGS_REMOTE : rnd32();
	a.rec.esi = rnd64();
	if (FZ(40))
		a.flags = rnd32() & (FZ(500) ? 3 : ~0U);
	if (FZ(30))
		a.rec.owner = rnd64();
	if (FZ(30))
		a.rec.state = rnd32();
	if (FZ(30))
		a.rec.remote = rnd64();
	if (FZ(30))
		a.change_flags = rnd32();
	if (call(c, &a, sizeof(a)) || !c->back)
		return;
	r = c->back;
	if (a.flags & RTM_NH_WANT_HANDLE)
		nh_remember(pool_add(T_NEXTHOP, r->handle, c->s, F_REF | F_MINE),
			    &a.rec);
}

/* FIND_NEXTHOP, or DELETE_NEXTHOP if @del. */
static void g_find_nexthop(struct callctx *c, int del)
{
	struct rtm_find_nexthop f;
	struct rtm_find_nexthop *r;
	struct hent *e = NULL;

	memset(&f, 0, sizeof(f));
	nh_identity(c->s, &f.rec);
	if (pct(85) && (e = pool_pick(T_NEXTHOP, c->s, F_MINE, F_GONE)) &&
	    e->addr.family)
		nh_remember_to(e, &f.rec);
	if (del) {
		e = NULL;
		if (pct(60)) {
			f.flags = RTM_NH_BY_HANDLE;
			f.handle = pick_mine(T_NEXTHOP, c->s, F_MINE | F_REF, &e);
		}
	} else {
		f.flags = pct(60) ? RTM_NH_WANT_HANDLE : 0;
		if (FZ(30))
			f.handle = rnd64();
	}
	if (FZ(40))
		f.flags = rnd32() & (FZ(500) ? 3 : ~0U);
	if (FZ(30))
		f.reserved = rnd32();
	if (call(c, &f, sizeof(f)) || !c->back)
		return;
	r = c->back;
	if (del) {
		if (!(f.flags & RTM_NH_BY_HANDLE)) {
			nh_gone(c->s, &f.rec);
		} else {
			handle_gone(c->s, T_NEXTHOP, f.handle);
			/* The call consumed our reference. */
			if (e && e->h == f.handle && (e->flags & F_REF))
				kill_entry(e);
		}
		return;
	}
	if (f.flags & RTM_NH_WANT_HANDLE)
		nh_remember(pool_add(T_NEXTHOP, r->handle, c->s, F_REF | F_MINE),
			    &r->rec);
}

static void g_nexthop_info(struct callctx *c)
{
	struct rtm_nexthop_info ni;
	struct rtm_nexthop_info *r;

	memset(&ni, 0, sizeof(ni));
	ni.handle = pick(T_NEXTHOP, c->s, NULL);
	if (call(c, &ni, sizeof(ni)) || !c->back)
		return;
	r = c->back;
	pool_add(T_ENTITY, r->rec.owner, c->s, F_REF);
	pool_add(T_DEST, r->rec.remote, c->s, F_REF);
}

static void g_add_route(struct callctx *c)
{
	struct slot *sl = &slots[c->s];
	struct rtm_add_route a;
	struct rtm_add_route *r;
	uint64_t nh[40];
	struct hent *e = NULL;
	uint32_t n, mode = rn(100);

	memset(&a, 0, sizeof(a));
	gen_addr(&a.dest_addr, c->s, 0);
	if (mode < 50) {
		a.flags = RTM_RT_HAVE_DEST | RTM_RT_WANT_HANDLE;
	} else if (mode < 82) {
		a.flags = RTM_RT_HAVE_DEST;
	} else {
		a.flags = RTM_RT_BY_HANDLE;
		a.handle = pick_mine(T_ROUTE, c->s, F_MINE, &e);
		if (e && e->addr.family && pct(50)) {
			a.flags |= RTM_RT_HAVE_DEST;
			a.dest_addr = e->addr;
		}
	}
	switch (rn(10)) {
	case 0: a.change_flags = ROUTE_CHANGE_NEW; break;
	case 1: case 2: case 3: a.change_flags = ROUTE_CHANGE_FIRST; break;
	case 4: a.change_flags = ROUTE_CHANGE_BEST; break;
	default: a.change_flags = 0; break;
	}
	a.ttl = gen_ttl();
	a.list = gen_list(c->s);
	a.rec.neighbour = pct(50) ? 0 : pick_mine(T_NEXTHOP, c->s, F_MINE,
						  NULL);
	a.rec.esi = rnd64();
	a.rec.metric = gen_metric();
	a.rec.preference = gen_pref();
	a.rec.views = gen_views();
	a.rec.flags = pct(80) ? 0 : pct(50) ? ROUTE_FLAGS_INACTIVE : rnd32();
	a.rec.flags1 = rnd32();
	n = pct(40) ? 0 : pct(40) ? 1 : 2 + rn(sl->max_nh - 1);
	n = gen_nexthops(c->s, nh, n, 1);
	a.rec.num_nexthops = n;
	if (FZ(40))
		a.rec.num_nexthops = edge_count(sl->max_nh);
	a.rec.nexthops = put_nested(nh, n * 8, 0, pick_place(50), NULL);
	if (!a.rec.num_nexthops && pct(50))
		a.rec.nexthops = 0;
	/* The fields a caller must leave alone. */
	if (FZ(30))
		a.flags = rnd32() & (FZ(500) ? RTM_RT_FLAGS : ~0U);
	if (FZ(30))
		a.change_flags = rnd32();
	if (FZ(20))
		a.ttl = 0;
	if (FZ(20))
		a.reserved = rnd32();
	if (FZ(20))
		a.list = pct(50) ? rnd64() : pick(rn(T_MAX), c->s, NULL);
	if (FZ(20))
		a.rec.dest = pick(T_DEST, c->s, NULL);
	if (FZ(20))
		a.rec.owner = sl->ent;
	if (FZ(20))
		a.rec.state = 1 + rn(255);
	if (FZ(20))
		a.rec.reserved = rnd32();
	if (call(c, &a, sizeof(a)) || !c->back)
		return;
	r = c->back;
	if (a.flags & RTM_RT_WANT_HANDLE) {
		e = pool_add(T_ROUTE, r->handle, c->s, F_REF | F_MINE);
		if (e)
			e->addr = a.dest_addr;
	}
}

static void g_delete_route(struct callctx *c)
{
	struct rtm_delete_route d;
	struct hent *e = NULL;

	memset(&d, 0, sizeof(d));
	d.handle = pick_mine(T_ROUTE, c->s, F_MINE | F_REF, &e);
	if (FZ(20))
		d.reserved = rnd32();
	if (FZ(20))
		d.change_flags = rnd32();
	if (call(c, &d, sizeof(d)))
		return;
	handle_gone(c->s, T_ROUTE, d.handle);
	/* The call consumed our reference. */
	if (e && e->h == d.handle && (e->flags & F_REF))
		kill_entry(e);
}

/* Harvest a route record's references (ROUTE_INFO, ROUTE_MATCH). */
void harvest_route(int s, const struct rtm_route_rec *rec,
		   const uint64_t *nhv)
{
	uint32_t i;

	pool_add(T_DEST, rec->dest, s, F_REF);
	pool_add(T_ENTITY, rec->owner, s, F_REF);
	pool_add(T_NEXTHOP, rec->neighbour, s, F_REF);
	for (i = 0; nhv && i < rec->num_nexthops && i < 32; i++)
		pool_add(T_NEXTHOP, nhv[i], s, F_REF);
}

static void g_route_info(struct callctx *c)
{
	struct slot *sl = &slots[c->s];
	struct rtm_route_info ri;
	struct rtm_route_info *r;
	uint64_t *nhv = NULL;
	int k;

	memset(&ri, 0, sizeof(ri));
	ri.handle = pick(T_ROUTE, c->s, NULL);
	ri.flags = pct(80) ? RTM_RI_WANT_INFO | RTM_RI_WANT_ADDR :
		   rn(4);
	if (FZ(30))
		ri.flags = rnd32();
	if (FZ(20))
		ri.reserved = rnd32();
	k = pick_place(60);
	ri.rec.nexthops = put_nested(NULL, 0, sl->max_nh * 8, k,
				     (void **)&nhv);
	if (FZ(50))
		ri.rec.num_nexthops = rnd32();
	if (call(c, &ri, sizeof(ri)) || !c->back)
		return;
	r = c->back;
	if (ri.flags & RTM_RI_WANT_INFO)
		harvest_route(c->s, &r->rec, nhv);
}

static void g_is_best(struct callctx *c)
{
	struct rtm_is_best b;

	memset(&b, 0, sizeof(b));
	b.handle = pick(T_ROUTE, c->s, NULL);
	if (FZ(20))
		b.reserved = rnd32();
	call(c, &b, sizeof(b));
}

void harvest_dest(int s, const struct rtm_dest_rec *rec)
{
	uint32_t k;

	pool_add(T_DEST, rec->dest, s, F_REF);
	for (k = 0; k < rec->num_views && k < RTM_UAPI_VIEWS; k++) {
		pool_add(T_ROUTE, rec->views[k].route, s, F_REF);
		pool_add(T_ENTITY, rec->views[k].owner, s, F_REF);
		pool_add(T_ROUTE, rec->views[k].hold_route, s, F_REF);
	}
}

/* Mostly the dest of one of our routes, so that lookups find things. */
void gen_known_addr(struct rtm_addr *a, int s, unsigned int p)
{
	struct hent *e;

	if (pct(p) && (e = pool_pick(T_ROUTE, s, F_MINE, 0)) && e->addr.family)
		*a = e->addr;
	else
		gen_addr(a, s, 0);
}

static void g_dest_query(struct callctx *c)
{
	struct rtm_dest_query q;
	struct rtm_dest_query *r;

	memset(&q, 0, sizeof(q));
	q.op = rn(RTM_DQ_MAX);
	if (FZ(30))
		q.op = rn(2) ? RTM_DQ_MAX + rn(4) : rnd32();
	q.protocol = gen_protocol(c->s);
	q.views = gen_target_views();
	q.handle = pick(T_DEST, c->s, NULL);
	if (pct(20))
		gen_addr(&q.addr, c->s, 1);
	else
		gen_known_addr(&q.addr, c->s, 50);
	if (FZ(20))
		q.reserved = rnd32();
	if (FZ(20))
		q.rec.dest = rnd64();
	if (call(c, &q, sizeof(q)) || !c->back)
		return;
	r = c->back;
	harvest_dest(c->s, &r->rec);
}

/* Criteria of a route (ROUTE_MATCH, ENUM_CREATE). */
static void gen_crit(int s, struct rtm_route_rec *crit, uint64_t *nh,
		     uint32_t *n)
{
	crit->owner = pct(50) ? slots[s].ent : pick(T_ENTITY, s, NULL);
	crit->neighbour = pct(40) ? 0 : pick(T_NEXTHOP, s, NULL);
	crit->metric = gen_metric();
	crit->preference = gen_pref();
	crit->views = gen_views();
	*n = gen_nexthops(s, nh, rn(3), pct(50));
	crit->num_nexthops = *n;
	if (FZ(40))
		crit->num_nexthops = edge_count(slots[s].max_nh);
	if (FZ(20))
		crit->reserved = rnd32();
}

static uint32_t gen_match(void)
{
	if (FZ(100))
		return rnd32();
	return pct(30) ? 0 : rn(32);
}

static void g_route_match(struct callctx *c)
{
	struct slot *sl = &slots[c->s];
	struct rtm_route_match m;
	struct rtm_route_match *r;
	uint64_t nh[40], *nhv = NULL;
	uint32_t n;
	int k;

	memset(&m, 0, sizeof(m));
	gen_known_addr(&m.addr, c->s, 70);
	m.match = gen_match();
	m.ifindex = rn(3);
	m.views = gen_target_views();
	m.flags = pct(60) ? RTM_RM_WANT_HANDLE : 0;
	if (FZ(30))
		m.flags = rnd32();
	gen_crit(c->s, &m.crit, nh, &n);
	/* In: the criteria next hops; out: the route's (max_nh room). */
	k = pick_place(50);
	m.crit.nexthops = put_nested(nh, n * 8, sl->max_nh * 8, k,
				     (void **)&nhv);
	if (call(c, &m, sizeof(m)) || !c->back)
		return;
	r = c->back;
	harvest_route(c->s, &r->crit, nhv);
	if (m.flags & RTM_RM_WANT_HANDLE)
		pool_add(T_ROUTE, r->handle, c->s, F_REF);
}

static void g_enum_create(struct callctx *c)
{
	static const uint32_t allowed[] = {
		0, ENUM_NEXT | ENUM_RANGE | ENUM_OWN_DESTS,
		ENUM_NEXT | ENUM_RANGE | ENUM_OWN_ROUTES, ENUM_NEXT | ENUM_RANGE,
	};
	struct rtm_enum_create ec;
	struct rtm_enum_create *r;
	struct hent *e;
	uint64_t nh[40];
	uint32_t n, kind = 1 + rn(3);

	memset(&ec, 0, sizeof(ec));
	if (FZ(20))
		kind = rn(2) ? rn(8) : rnd32();
	ec.kind = kind;
	/* Start, NEXT or RANGE, plus the kind's own filter. */
	switch (rn(4)) {
	case 0: case 1: ec.enum_flags = 0; break;
	case 2: ec.enum_flags = ENUM_NEXT; break;
	default: ec.enum_flags = ENUM_RANGE; break;
	}
	if (kind < 4 && pct(25))
		ec.enum_flags |= allowed[kind] & ~(ENUM_NEXT | ENUM_RANGE);
	if (FZ(40))
		ec.enum_flags = rnd32();
	if (ec.enum_flags & (ENUM_NEXT | ENUM_RANGE) || pct(30)) {
		ec.flags = RTM_EC_HAVE_ADDR;
		gen_addr(&ec.addr, c->s, 0);
	}
	if (FZ(20))
		ec.flags = rnd32();
	ec.views = gen_target_views();
	ec.protocol = gen_protocol(c->s);
	ec.match = gen_match();
	ec.ifindex = rn(3);
	if (kind == RTM_ENUM_KIND_ROUTE && pct(40))
		ec.dest = pick(T_DEST, c->s, NULL);
	if (FZ(20))
		ec.dest = pick(rn(T_MAX), c->s, NULL);
	gen_crit(c->s, &ec.crit, nh, &n);
	ec.crit.nexthops = put_nested(nh, n * 8, 0, pick_place(50), NULL);
	if (FZ(20))
		ec.handle = pick(T_ENUM, c->s, NULL) | 1;
	if (FZ(20))
		ec.reserved = rnd32();
	if (pct(8))	/* a route list's routes (gen_list.c) */
		gen_list_enum(c->s, &ec);
	if (call(c, &ec, sizeof(ec)) || !c->back)
		return;
	r = c->back;
	e = pool_add(T_ENUM, r->handle, c->s, F_REF | F_MINE);
	if (e)
		e->kind = ec.kind;
}

static void g_enum_get(struct callctx *c)
{
	struct slot *sl = &slots[c->s];
	struct rtm_enum_get eg;
	struct rtm_enum_get *r;
	struct hent *e = NULL;
	size_t isize;
	uint32_t i, kind, cnt;
	void *buf = NULL;
	int tries;

	memset(&eg, 0, sizeof(eg));
	/* An open one of ours, not yet at its end if possible. */
	for (tries = 0; tries < 4; tries++) {
		eg.handle = pick_mine(T_ENUM, c->s, F_MINE | F_REF, &e);
		if (!e || !(e->flags & F_ENDED))
			break;
	}
	kind = e ? e->kind : 1 + rn(3);
	if (FZ(50))
		kind = 1 + rn(3);
	if (FZ(20))
		kind = rnd32();
	eg.kind = kind;
	cnt = pct(50) ? sl->max_enum : 1 + rn(sl->max_enum);
	if (FZ(60))
		cnt = edge_count(sl->max_enum);
	eg.count = cnt;
	/* The room the kernel may use: for the enumeration's real kind. */
	isize = sizeof(struct rtm_dest_rec);
	cnt = cnt < sl->max_enum ? cnt : sl->max_enum;
	eg.buf = put_nested(NULL, 0, cnt * isize, pick_place(50), &buf);
	if (FZ(20))
		eg.reserved = rnd32();
	if (FZ(20))
		eg.status = rnd32();
	if (call(c, &eg, sizeof(eg)) || !c->back)
		return;
	r = c->back;
	if (e && e->h == eg.handle && (r->status & RTM_EG_END))
		e->flags |= F_ENDED;
	if (!buf)
		return;
	for (i = 0; i < r->count && i < cnt; i++) {
		switch (eg.kind) {
		case RTM_ENUM_KIND_DEST:
			harvest_dest(c->s, (struct rtm_dest_rec *)buf + i);
			break;
		case RTM_ENUM_KIND_ROUTE:
		case RTM_ENUM_KIND_LIST:
			pool_add(T_ROUTE, ((uint64_t *)buf)[i], c->s, F_REF);
			break;
		case RTM_ENUM_KIND_NEXTHOP:
			pool_add(T_NEXTHOP, ((uint64_t *)buf)[i], c->s, F_REF);
			break;
		}
	}
}

static void g_enum_delete(struct callctx *c)
{
	struct rtm_enum_delete d;
	struct hent *e = NULL;
	int tries;

	/* Mostly one that reached its end. */
	for (tries = 0; tries < 3; tries++) {
		d.handle = pick_mine(T_ENUM, c->s, F_MINE | F_REF, &e);
		if (!e || (e->flags & F_ENDED))
			break;
	}
	if (!call(c, &d, sizeof(d)) && e && e->h == d.handle)
		kill_entry(e);
}

/* A command number that is not one of ours, or one of ours altered. */
static int vfs_cmd(unsigned long cmd)
{
	/* Generic ioctls the VFS handles before the driver: not ours. */
	return cmd == FIOCLEX || cmd == FIONCLEX || cmd == FIONBIO ||
	       cmd == FIOASYNC || cmd == FIFREEZE || cmd == FITHAW ||
	       cmd == FIOQSIZE || cmd == FIGETBSZ || cmd == FIONREAD;
}

static void g_random(struct callctx *c)
{
	unsigned long cmd, base = cmds[rn(C_RANDOM)].cmd;
	uint8_t junk[256];
	uint32_t i, size;
	uint64_t p;

	do {
		switch (rn(7)) {
		case 0:	/* our magic, any number */
			cmd = _IOC(rn(4), RTM_IOC_MAGIC, rn(2) ? rn(0x20) : rn(256),
				   rn(2) ? rn(256) : rn(1 << 14));
			break;
		case 1:	/* a real command with another size */
			size = _IOC_SIZE(base);
			size = rn(2) ? size + (rn(2) ? 8 : -8) : rn(1 << 14);
			cmd = _IOC(_IOC_DIR(base), RTM_IOC_MAGIC, _IOC_NR(base),
				   size & 0x3fff);
			break;
		case 2:	/* ... another direction */
			cmd = _IOC(rn(4), RTM_IOC_MAGIC, _IOC_NR(base),
				   _IOC_SIZE(base));
			break;
		case 3:	/* ... another magic */
			cmd = _IOC(_IOC_DIR(base), rn(256), _IOC_NR(base),
				   _IOC_SIZE(base));
			break;
		case 4:	/* ... one bit flipped */
			cmd = base ^ (1UL << rn(32));
			break;
		case 5:	/* the number alone */
			cmd = _IOC_NR(base) | (rn(2) ? RTM_IOC_MAGIC << 8 : 0);
			break;
		default:
			cmd = rnd32();
			break;
		}
		cmd &= 0xffffffffUL;
	} while (vfs_cmd(cmd));
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = rnd32();
	/*
	 * One of our commands after all: zeros, so that no nested pointer
	 * can name this program's own memory.
	 */
	for (i = 0; i < C_RANDOM; i++)
		if (cmd == cmds[i].cmd)
			break;
	if (i < C_RANDOM || pct(30))
		memset(junk, 0, sizeof(junk));
	c->place = pick_place(300);
	p = put_arg(junk, sizeof(junk), c->place, &c->back);
	/* The full 64 bits as the argument sometimes: random garbage. */
	if (FZ(50))
		p = rnd64() | 1ULL << (47 + rn(17));
	if (xioctl(C_RANDOM, c->s, cmd, p, c->place))
		return;
	/* A real command ran: whatever it did, the file is fresh again. */
	if (cmd == RTM_IOC_DEREGISTER)
		slots[c->s].state = S_DEAD;
	if (cmd == RTM_IOC_REGISTER)
		slot_reopen(c->s, 1);
}

/* ---- the checker ------------------------------------------------------ */

/*
 * "errors N" of the checker, -1 if it cannot be read.  Its first lines are
 * printed if @print or if it reports errors; the output may be long (one
 * line per violation): only its head and its tail are kept.
 */
static long read_check(int print)
{
	static char head[16384], tail[8192];
	ssize_t n, hlen = 0, tlen = 0;
	long errors = -1;
	char chunk[4096], *p, *q;
	int fd = open(CHECK_FILE, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		ssize_t h = n < (ssize_t)sizeof(head) - 1 - hlen ?
			    n : (ssize_t)sizeof(head) - 1 - hlen;

		memcpy(head + hlen, chunk, h);
		hlen += h;
		/* The tail: the last sizeof(tail) - 1 bytes read. */
		if (tlen + n > (ssize_t)sizeof(tail) - 1) {
			ssize_t drop = tlen + n - (sizeof(tail) - 1);

			if (drop > tlen)
				drop = tlen;
			memmove(tail, tail + drop, tlen - drop);
			tlen -= drop;
		}
		memcpy(tail + tlen, chunk, n);	/* chunk < tail: fits */
		tlen += n;
	}
	close(fd);
	head[hlen] = 0;
	tail[tlen] = 0;
	for (p = NULL, q = tail; (q = strstr(q, "errors ")); q++)
		p = q;
	if (p)
		errors = strtol(p + 7, NULL, 10);
	if (print || errors != 0) {
		char *line = head, *nl;
		int k = 0;

		while (line && *line && k++ < 40) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			out("#   check: %s\n", line);
			line = nl ? nl + 1 : NULL;
		}
		if (p)
			out("#   check: ... %s", p);
	}
	return errors;
}

static void check_now(const char *when)
{
	long e = read_check(0);

	st->checks++;
	if (e < 0) {
		st->check_unreadable++;
		return;
	}
	if (e > 0) {
		st->check_errors += e;
		out("# [%d] checker reports %ld errors %s (seed %" PRIu64
		    ", process %d, after %" PRIu64 " ioctls)\n", me, e, when,
		    opt.seed, me, ncall);
		dump_ring();
	}
}

/* ---- one process ------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_crash(int sig)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf),
			 "# [%d] rtm-fuzz crashed with signal %d after %" PRIu64
			 " ioctls (seed %" PRIu64 ")\n", me, sig, ncall, opt.seed);

	if (write(1, buf, n) < 0)
		_exit(128 + sig);
	dump_ring();
	_exit(128 + sig);
}

static unsigned int wsum;

static int pick_cmd(void)
{
	uint32_t r = rn(wsum);
	int i;

	for (i = 0; i < C_MAX; i++) {
		if (r < cmds[i].weight)
			return i;
		r -= cmds[i].weight;
	}
	return C_VERSION;
}

/* A slot for the next call: mostly a registered file. */
static int pick_slot(void)
{
	int i, s;

	if (pct(88)) {
		for (i = 0; i < 2 * NSLOT; i++) {
			s = rn(NSLOT);
			if (slots[s].fd >= 0 && slots[s].state == S_REG)
				return s;
		}
	}
	for (i = 0; i < 4 * NSLOT; i++) {
		s = rn(NSLOT);
		if (slots[s].fd >= 0)
			return s;
	}
	return -1;
}

static int child(int idx)
{
	double t0, deadline;
	uint64_t next_check, next_progress;
	int s, t;

	me = idx;
	rnd_seed(opt.seed + idx);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGILL, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGABRT, on_crash);

	/* Every buffer up front: nothing is mapped once the calls start. */
	scratch = mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	nbuf = mmap(NULL, NBUF_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (s = 0; s < NSLOT; s++)
		for (t = 0; t < T_MAX; t++)
			pools[s][t].e = calloc(pool_cap[t], sizeof(struct hent));
	if (scratch == MAP_FAILED || nbuf == MAP_FAILED ||
	    area_init(&arg_area) || area_init(&nest_area)) {
		out("# [%d] setup failed: %s\n", me, strerror(errno));
		st->setup_failed = 1;
		return 1;
	}
	for (s = 0; s < NSLOT; s++) {
		for (t = 0; t < T_MAX; t++) {
			if (!pools[s][t].e) {
				st->setup_failed = 1;
				return 1;
			}
		}
	}
	for (t = 0; t < C_MAX; t++)
		wsum += cmds[t].weight;

	/* Slot 0 unregistered; the others registered at random. */
	for (s = 0; s < NSLOT; s++) {
		slot_open(s);
		if (slots[s].fd < 0) {
			out("# [%d] cannot open %s: %s\n", me, DEV,
			    strerror(errno));
			st->setup_failed = 1;
			return 1;
		}
		if (s)
			register_plain(s);
	}
	if (exec_start()) {
		out("# [%d] cannot start the executor threads\n", me);
		st->setup_failed = 1;
		return 1;
	}

	t0 = now();
	deadline = opt.time_limit > 0 ? t0 + opt.time_limit : 0;
	next_check = opt.check_every > 0 ? (uint64_t)opt.check_every :
					   UINT64_MAX;
	next_progress = 100000;
	while (!opt.n || ncall < (uint64_t)opt.n) {
		struct callctx c;

		if ((ncall & 255) == 0 && deadline && now() > deadline) {
			st->timed_out = 1;
			break;
		}
		if (ncall >= next_check) {
			check_now("during the run");
			next_check += opt.check_every;
		}
		if (ncall >= next_progress) {
			if (!opt.quiet)
				out("# [%d] %" PRIu64 " ioctls, %.0f/s\n", me,
				    ncall, ncall / (now() - t0));
			next_progress += 100000;
		}
		/* Now and then a file closes with everything it holds. */
		if (pml(1)) {
			s = rn(NSLOT);
			notify_arm(s);
			slot_reopen(s, s ? pct(92) : pct(20));
			continue;
		}
		for (s = 0; s < NSLOT; s++)
			if (slots[s].fd < 0 ||
			    (slots[s].state == S_DEAD && pml(5)))
				slot_reopen(s, s && pct(80));
		exec_reap();	/* the executors' finished jobs */
		if ((ncall & 63) == 0)
			pools_compact();
		memset(&c, 0, sizeof(c));
		c.s = pick_slot();
		if (c.s < 0)
			continue;
		c.ci = pick_cmd();
		nbuf_used = 0;
		switch (c.ci) {
		case C_VERSION: g_version(&c); break;
		case C_REGISTER: g_register(&c); break;
		case C_DEREGISTER: g_deregister(&c); break;
		case C_GET_ENTITIES: g_get_entities(&c); break;
		case C_ENTITY_INFO: g_entity_info(&c); break;
		case C_RELEASE: g_release(&c, 0); break;
		case C_REFERENCE: g_release(&c, 1); break;
		case C_ADD_NEXTHOP: g_add_nexthop(&c); break;
		case C_FIND_NEXTHOP: g_find_nexthop(&c, 0); break;
		case C_DELETE_NEXTHOP: g_find_nexthop(&c, 1); break;
		case C_NEXTHOP_INFO: g_nexthop_info(&c); break;
		case C_ADD_ROUTE: g_add_route(&c); break;
		case C_DELETE_ROUTE: g_delete_route(&c); break;
		case C_ROUTE_INFO: g_route_info(&c); break;
		case C_IS_BEST: g_is_best(&c); break;
		case C_DEST_QUERY: g_dest_query(&c); break;
		case C_ROUTE_MATCH: g_route_match(&c); break;
		case C_ENUM_CREATE: g_enum_create(&c); break;
		case C_ENUM_GET: g_enum_get(&c); break;
		case C_ENUM_DELETE: g_enum_delete(&c); break;
		case C_STATS: g_stats(&c); break;
		case C_NOTIFY_REGISTER: g_notify_register(&c); break;
		case C_NOTIFY_OP: g_notify_op(&c); break;
		case C_NOTIFY_GET: g_notify_get(&c); break;
		case C_HOLD_DEST: g_hold_dest(&c); break;
		case C_LOCK: g_lock(&c); break;
		case C_PEEK: g_peek(&c); break;
		case C_UPDATE_ROUTE: g_update_route(&c); break;
		case C_OPAQUE: g_opaque(&c); break;
		case C_ROUTE_LIST: g_route_list(&c); break;
		case C_EXPIRE_DONE: g_expire_done(&c); break;
		case C_GET_METHODS: g_get_methods(&c); break;
		case C_INVOKE: g_invoke(&c); break;
		case C_METHOD_INPUT: g_method_input(&c); break;
		case C_METHOD_REPLY: g_method_reply(&c); break;
		case C_BLOCK_METHODS: g_block_methods(&c); break;
		case C_READ: g_read(&c); break;
		default: g_random(&c); break;
		}
		/* Method callees closed mid-call (gen_events.c). */
		slots_close_pending();
	}
	st->seconds = now() - t0;
	/* The checker while our state is still there, then close it all. */
	if (opt.check_every > 0)
		check_now("at the end of the run, state live");
	for (s = 0; s < NSLOT; s++)
		if (slots[s].fd >= 0)
			close(slots[s].fd);
	st->done = 1;
	return 0;
}

/* ---- the parent --------------------------------------------------------- */

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int fail_setup(int prob)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", prob);
	if (write_file(FAIL_DIR "/interval", "1") ||
	    write_file(FAIL_DIR "/times", prob ? "-1" : "0") ||
	    write_file(FAIL_DIR "/verbose", "0") ||
	    write_file(FAIL_DIR "/probability", v))
		return -1;
	return 0;
}

static int stats_read(struct rtm_stats *s)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, RTM_IOC_STATS, s);
	close(fd);
	return ret;
}

static int stats_zero(const struct rtm_stats *s)
{
	return !s->tables && !s->registrations && !s->entities && !s->dests &&
	       !s->routes && !s->nexthops && !s->enums && !s->handle_refs;
}

static void usage(const char *prog)
{
	out("usage: %s [-s SEED] [-n N] [-p PROCS] [-t SECS] [-c EVERY] "
	    "[-F PROB] [-q] [-T] [-R]\n"
	    "  -s SEED   seed (default: time-based; process i uses SEED + i)\n"
	    "  -n N      ioctls per process (default: %ld in total); 0: "
	    "until -t\n"
	    "  -p PROCS  processes (default 2)\n"
	    "  -t SECS   stop each process after SECS seconds\n"
	    "  -c EVERY  read the checker every EVERY ioctls per process "
	    "(default 100000; 0: only at the end)\n"
	    "  -F PROB   fail PROB%% of the module's allocations "
	    "(debugfs rtm/fail; debug kernel)\n"
	    "  -q        no progress lines\n"
	    "  -T        time the ioctls of each command\n"
	    "  -R        racing churns of change notifications on one file "
	    "from three threads\n            (oopses the module: a known bug, "
	    "see README.md)\n"
	    "environment: RTM_FUZZ_SEED, RTM_FUZZ_N, RTM_FUZZ_PROCS, "
	    "RTM_FUZZ_TIME\n", prog, TOTAL_DEFAULT);
}

static void print_summary(struct proc_stats *sum, double secs)
{
	uint64_t ok = 0;
	int i, e;

	out("# %-15s %9s %9s %6s %s %s\n", "command", "calls", "ok", "ok%",
	    opt.timing ? "  us/call" : "", "errors");
	for (i = 0; i < C_MAX; i++) {
		char line[1024], us[32] = "";
		int len = 0;

		ok += sum->ok[i];
		for (e = 1; e < NERR; e++) {
			if (!sum->err[i][e])
				continue;
			len += snprintf(line + len, sizeof(line) - len,
					" %s:%" PRIu64, e == NERR - 1 ? "other" :
					errname(e), sum->err[i][e]);
			if (len >= (int)sizeof(line) - 40)
				break;
		}
		line[len] = 0;
		if (opt.timing)
			snprintf(us, sizeof(us), " %8.1f", sum->calls[i] ?
				 sum->ns[i] / 1e3 / sum->calls[i] : 0.0);
		out("# %-15s %9" PRIu64 " %9" PRIu64 " %5.1f%%%s %s\n",
		    cmds[i].name, sum->calls[i], sum->ok[i],
		    sum->calls[i] ? 100.0 * sum->ok[i] / sum->calls[i] : 0.0,
		    us, line);
	}
	out("# total %" PRIu64 " calls (%" PRIu64 " ioctls, the rest read "
	    "and poll), %" PRIu64 " succeeded (%.1f%%), %" PRIu64
	    " files re-opened, in %.1f s: %.0f calls/s\n",
	    sum->total, sum->total - sum->calls[C_READ] - sum->calls[C_POLL],
	    ok, sum->total ? 100.0 * ok / sum->total : 0.0,
	    sum->reopens, secs, secs > 0 ? sum->total / secs : 0.0);
	out("# events read: entity-registered %" PRIu64 ", entity-deregistered %"
	    PRIu64 ", route-expired %" PRIu64 ", change-notification %" PRIu64
	    ", method-call %" PRIu64 ", unknown %" PRIu64 "; lost %" PRIu64
	    "\n", sum->events[RTM_EV_ENTITY_REGISTERED],
	    sum->events[RTM_EV_ENTITY_DEREGISTERED],
	    sum->events[RTM_EV_ROUTE_EXPIRED],
	    sum->events[RTM_EV_CHANGE_NOTIFICATION],
	    sum->events[RTM_EV_METHOD_CALL], sum->events[RTM_EV_MAX],
	    sum->ev_lost);
	out("# event references %" PRIu64 " (%" PRIu64 " given back at once, "
	    "the rest kept, released later or at close); invokes answered %"
	    PRIu64 ", callee files closed mid-call %" PRIu64 "; lock sessions %"
	    PRIu64 " (%" PRIu64 " closed holding the lock); hold-down tries %"
	    PRIu64 " (%" PRIu64 " seen started); notification churns %" PRIu64
	    " (%" PRIu64 " racing executors)\n", sum->ev_refs,
	    sum->ev_released, sum->invoke_answered, sum->callee_closed,
	    sum->lock_sessions, sum->lock_closed, sum->hold_combos,
	    sum->holds_seen, sum->churns, sum->churn_races);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

int main(int argc, char **argv)
{
	struct proc_stats *all, sum;
	struct rtm_stats rs0;
	int i, c, crashed = 0, failed = 0, nchecks = 0;
	long end_errors;
	pid_t *pids;
	double t0, secs, tl;
	uint64_t want, ok_total = 0;
	int seed_set = 0, n_set = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (getenv("RTM_FUZZ_SEED")) {
		opt.seed = env_u64("RTM_FUZZ_SEED", 0);
		seed_set = 1;
	}
	if (getenv("RTM_FUZZ_N")) {
		opt.n = env_u64("RTM_FUZZ_N", 0);
		n_set = 1;
	}
	opt.procs = env_u64("RTM_FUZZ_PROCS", 2);
	tl = getenv("RTM_FUZZ_TIME") ? atof(getenv("RTM_FUZZ_TIME")) : 0;
	opt.time_limit = tl;
	while ((c = getopt(argc, argv, "s:n:p:t:c:F:qTRh")) != -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seed_set = 1;
			break;
		case 'n': opt.n = strtol(optarg, NULL, 0); n_set = 1; break;
		case 'p': opt.procs = atoi(optarg); break;
		case 't': opt.time_limit = atof(optarg); break;
		case 'c': opt.check_every = strtol(optarg, NULL, 0); break;
		case 'F': opt.fail_prob = atoi(optarg); break;
		case 'q': opt.quiet = 1; break;
		case 'T': opt.timing = 1; break;
		case 'R': opt.race = 1; break;
		case 'h': usage(argv[0]); return 0;
		default: usage(argv[0]); return 2;
		}
	}
	if (opt.procs < 1 || opt.procs > 64 || opt.n < 0 ||
	    (opt.n == 0 && n_set && opt.time_limit <= 0) ||
	    opt.fail_prob > 100) {
		usage(argv[0]);
		return 2;
	}
	if (!seed_set) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = (uint64_t)ts.tv_sec * 1000003ULL ^ ts.tv_nsec ^
			   (uint64_t)getpid() << 20;
		opt.seed &= 0xffffffffffffULL;
	}
	if (!n_set)
		opt.n = (TOTAL_DEFAULT + opt.procs - 1) / opt.procs;
	want = (uint64_t)opt.n * opt.procs;

	out("TAP version 13\n");
	out("1..7\n");
	out("# rtm-fuzz: seed %" PRIu64 ", %d processes x %ld ioctls%s\n",
	    opt.seed, opt.procs, opt.n, opt.n ? "" : " (until the time limit)");
	out("# reproduce: rtm-fuzz -s %" PRIu64 " -p %d -n %ld%s%s\n",
	    opt.seed, opt.procs, opt.n, opt.fail_prob >= 0 ? " -F ..." : "",
	    opt.race ? " -R" : "");
	if (opt.time_limit > 0)
		out("# time limit %.0f s per process\n", opt.time_limit);

	if (stats_read(&rs0)) {
		out("# cannot use %s: %s\n", DEV, strerror(errno));
		out("not ok - %s usable\n", DEV);
		return 1;
	}
	if (!stats_zero(&rs0))
		out("# note: the module holds objects before the run\n");
	if (opt.fail_prob >= 0) {
		if (fail_setup(opt.fail_prob))
			out("# cannot set up %s: %s (no fault injection)\n",
			    FAIL_DIR, strerror(errno));
		else
			out("# failing %d%% of the module's allocations\n",
			    opt.fail_prob);
	}

	all = mmap(NULL, opt.procs * sizeof(*all), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(opt.procs, sizeof(*pids));
	if (all == MAP_FAILED || !pids) {
		out("not ok - setup: %s\n", strerror(errno));
		return 1;
	}
	memset(all, 0, opt.procs * sizeof(*all));
	t0 = now();
	for (i = 0; i < opt.procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			st = &all[i];
			_exit(child(i));
		}
		if (pids[i] < 0)
			out("# fork: %s\n", strerror(errno));
	}
	for (i = 0; i < opt.procs; i++) {
		int status;

		if (pids[i] <= 0) {
			crashed++;
			continue;
		}
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status)) {
			out("# process %d killed by signal %d (seed %" PRIu64
			    ")\n", i, WTERMSIG(status), opt.seed);
			crashed++;
		} else if (WEXITSTATUS(status) || !all[i].done) {
			out("# process %d exited with status %d\n", i,
			    WEXITSTATUS(status));
			crashed++;
		}
	}
	secs = now() - t0;
	if (opt.fail_prob >= 0)
		fail_setup(0);

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < opt.procs; i++) {
		int k, e;

		for (k = 0; k < C_MAX; k++) {
			sum.calls[k] += all[i].calls[k];
			sum.ok[k] += all[i].ok[k];
			sum.ns[k] += all[i].ns[k];
			for (e = 0; e < NERR; e++)
				sum.err[k][e] += all[i].err[k][e];
		}
		sum.total += all[i].total;
		sum.reopens += all[i].reopens;
		sum.checks += all[i].checks;
		sum.check_errors += all[i].check_errors;
		sum.check_unreadable += all[i].check_unreadable;
		for (k = 0; k <= RTM_EV_MAX; k++)
			sum.events[k] += all[i].events[k];
		sum.ev_lost += all[i].ev_lost;
		sum.ev_refs += all[i].ev_refs;
		sum.ev_released += all[i].ev_released;
		sum.invoke_answered += all[i].invoke_answered;
		sum.calls_seen += all[i].calls_seen;
		sum.churns += all[i].churns;
		sum.churn_races += all[i].churn_races;
		sum.callee_closed += all[i].callee_closed;
		sum.hold_combos += all[i].hold_combos;
		sum.holds_seen += all[i].holds_seen;
		sum.lock_sessions += all[i].lock_sessions;
		sum.lock_closed += all[i].lock_closed;
		sum.anomalies += all[i].anomalies;
		out("# process %d: %" PRIu64 " ioctls in %.1f s (%.0f/s)%s\n",
		    i, all[i].total, all[i].seconds,
		    all[i].seconds > 0 ? all[i].total / all[i].seconds : 0.0,
		    all[i].timed_out ? ", stopped by the time limit" : "");
	}
	print_summary(&sum, secs);
	for (i = 0; i < C_MAX; i++)
		ok_total += sum.ok[i];

	/* 1: the number of calls (ioctls, and reads and polls of events). */
	if (opt.n ? sum.total >= want : sum.total > 0) {
		out("ok - %" PRIu64 " calls sent (target %" PRIu64 ")\n",
		    sum.total, want);
	} else {
		out("not ok - %" PRIu64 " calls sent (target %" PRIu64 ")\n",
		    sum.total, want);
		failed++;
	}

	/* 2: no process crashed. */
	if (!crashed) {
		out("ok - %d processes exited normally\n", opt.procs);
	} else {
		out("not ok - %d of %d processes crashed or failed (seed %"
		    PRIu64 ")\n", crashed, opt.procs, opt.seed);
		failed++;
	}

	/* 3: every file is closed: nothing may be left. */
	{
		struct rtm_stats s;
		double until = now() + 10;	/* hold-downs: <= 2 s */
		int r;

		while ((r = stats_read(&s)) == 0 && !stats_zero(&s) &&
		       now() < until)
			usleep(50000);
		if (!r && stats_zero(&s)) {
			out("ok - module counters zero after close (%llu "
			    "injected failures)\n",
			    (unsigned long long)s.injected);
		} else {
			out("# counters: tables %llu registrations %llu "
			    "entities %llu dests %llu routes %llu nexthops "
			    "%llu enums %llu handle_refs %llu\n",
			    (unsigned long long)s.tables,
			    (unsigned long long)s.registrations,
			    (unsigned long long)s.entities,
			    (unsigned long long)s.dests,
			    (unsigned long long)s.routes,
			    (unsigned long long)s.nexthops,
			    (unsigned long long)s.enums,
			    (unsigned long long)s.handle_refs);
			out("not ok - module counters zero after close (seed %"
			    PRIu64 ")\n", opt.seed);
			failed++;
		}
	}

	/* 4: the checker, during the run and now. */
	end_errors = read_check(0);
	nchecks = sum.checks + 1;
	if (end_errors == 0 && !sum.check_errors && !sum.check_unreadable) {
		out("ok - consistency checker: errors 0 (%d reads, %" PRIu64
		    " with live state)\n", nchecks, sum.checks);
	} else {
		out("# checker: %" PRIu64 " errors during the run, %" PRIu64
		    " unreadable reads, %ld at the end\n", sum.check_errors,
		    sum.check_unreadable, end_errors);
		out("not ok - consistency checker: errors 0 (seed %" PRIu64
		    ")\n", opt.seed);
		failed++;
	}

	/*
	 * 5: the fuzzer itself reached the deep paths: a fifth of the calls
	 * succeeded, and route adds, enumeration batches and releases each
	 * succeeded at least once per 500 ioctls.
	 */
	{
		uint64_t need = sum.total / 500;
		int good = sum.total && ok_total * 5 >= sum.total &&
			   sum.ok[C_ADD_ROUTE] >= need &&
			   sum.ok[C_ENUM_GET] >= need &&
			   sum.ok[C_RELEASE] >= need;

		out("%s - deep paths reached: %.1f%% succeeded; ADD_ROUTE %"
		    PRIu64 ", ENUM_GET %" PRIu64 ", RELEASE %" PRIu64
		    " successes (>= %" PRIu64 " each)\n", good ? "ok" : "not ok",
		    sum.total ? 100.0 * ok_total / sum.total : 0.0,
		    sum.ok[C_ADD_ROUTE], sum.ok[C_ENUM_GET], sum.ok[C_RELEASE],
		    need);
		if (!good)
			failed++;
	}

	/* 6: events and method replies kept the ABI's promises. */
	if (!sum.anomalies) {
		uint64_t nev = 0;

		for (i = 0; i <= RTM_EV_MAX; i++)
			nev += sum.events[i];
		out("ok - replies well-formed: 0 anomalies (%" PRIu64
		    " events read, %" PRIu64 " invokes answered)\n", nev,
		    sum.invoke_answered);
	} else {
		out("not ok - replies well-formed: %" PRIu64 " anomalies (seed %"
		    PRIu64 ")\n", sum.anomalies, opt.seed);
		failed++;
	}

	/*
	 * 7: the newer commands reached their deep paths too: notification
	 * batches, locks, in-place updates, route lists, expiry answers,
	 * hold-downs, answered method calls and every kind of event, each at
	 * least once per 20,000 calls.
	 */
	{
		static const int deep[] = {
			C_NOTIFY_GET, C_LOCK, C_UPDATE_ROUTE, C_ROUTE_LIST,
			C_EXPIRE_DONE, C_HOLD_DEST, C_METHOD_REPLY, C_PEEK,
		};
		uint64_t need = sum.total / 20000, least = UINT64_MAX;
		const char *weakest = "none";
		char line[512];
		unsigned int k;

		for (k = 0; k < sizeof(deep) / sizeof(deep[0]); k++) {
			if (sum.ok[deep[k]] < least) {
				least = sum.ok[deep[k]];
				weakest = cmds[deep[k]].name;
			}
		}
		if (sum.invoke_answered < least) {
			least = sum.invoke_answered;
			weakest = "INVOKE answered";
		}
		for (k = 0; k < RTM_EV_MAX; k++) {
			static const char *const evn[RTM_EV_MAX] = {
				"entity-registered event",
				"entity-deregistered event",
				"route-expired event",
				"change-notification event",
				"method-call event",
			};

			if (sum.events[k] < least) {
				least = sum.events[k];
				weakest = evn[k];
			}
		}
		snprintf(line, sizeof(line), "NOTIFY_GET %" PRIu64
			 ", LOCK %" PRIu64 ", UPDATE_ROUTE %" PRIu64
			 ", ROUTE_LIST %" PRIu64 ", EXPIRE_DONE %" PRIu64
			 ", INVOKE answered %" PRIu64,
			 sum.ok[C_NOTIFY_GET], sum.ok[C_LOCK],
			 sum.ok[C_UPDATE_ROUTE], sum.ok[C_ROUTE_LIST],
			 sum.ok[C_EXPIRE_DONE], sum.invoke_answered);
		out("%s - newer commands' deep paths reached: %s; fewest: %s %"
		    PRIu64 " (>= %" PRIu64 ")\n", least >= need ? "ok" : "not ok",
		    line, weakest, least, need);
		if (least < need)
			failed++;
	}
	return failed ? 1 : 0;
}
