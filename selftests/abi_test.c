// SPDX-License-Identifier: GPL-2.0
/*
 * abi_test - the raw ioctl ABI of /dev/rtm (uapi/linux/rtm.h), without
 * librtm: every validation failure of every command.
 *
 *  - command numbers: unknown numbers, a wrong size or direction encoded
 *    in a known number (-ENOTTY), commands on a file that is not (or no
 *    longer) registered (-EBADFD), REGISTER twice (-EALREADY);
 *  - argument structs: NULL or unmapped (-EFAULT), an output into a
 *    read-only page (-EFAULT), every reserved field and every unknown
 *    flag bit (-EINVAL), counts over their cap, nested user pointers;
 *  - handles: zero, forged (random, generation, slot or type bits
 *    changed), of the wrong kind, of another table (-ESTALE), of another
 *    registration;
 *  - addresses: family, length, reserved field (-EINVAL);
 *  - the batches RTM_IOC_ADD_ROUTES / RTM_IOC_DELETE_ROUTES (minor 2):
 *    the header, the entry and status arrays (a fault in a later chunk
 *    stops after the chunks done), every per-entry error as the single
 *    command's.
 *
 * After a failing call the module's counters must be unchanged: nothing
 * created, nothing referenced, nothing released.
 *
 * The world every fixture starts from (struct world):
 *   fd   entity A (8, 1) of table (instance 0, AF_INET): next hop nh
 *        10.0.0.1/32 if 1, route rt on 10/8 via nh, dest dst (10/8),
 *        route enumeration en, destination enumeration den;
 *   fd2  entity B (13, 1) of the same table: nh2 10.0.0.2/32, rt2 on 11/8,
 *        dst2 (11/8), en2;
 *   fdo  entity A of another table (instance 1): nho, rto, dsto, eno;
 *   ufd  an open, unregistered file.
 * Every handle above is held (one reference) by the file that made it.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define ENT_A		(8ULL | 1ULL << 32)
#define ENT_B		(13ULL | 1ULL << 32)
#define PAGE		4096
#define TYPE_SHIFT	60
#define TYPE_MASK	(0xfULL << TYPE_SHIFT)

/* ioctl() as an errno: 0 on success. */
static int xio(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static int dev_open(void)
{
	return open("/dev/rtm", O_RDWR | O_CLOEXEC);
}

static struct rtm_addr v4(unsigned int a, unsigned int b, unsigned int c,
			  unsigned int d, unsigned int bits)
{
	struct rtm_addr r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.bits = bits;
	r.addr[0] = a;
	r.addr[1] = b;
	r.addr[2] = c;
	r.addr[3] = d;
	return r;
}

static int do_register(int fd, uint16_t instance, uint16_t family,
		       uint64_t id, uint32_t flags, struct rtm_register *out)
{
	struct rtm_register r;
	int err;

	memset(&r, 0, sizeof(r));
	r.instance = instance;
	r.family = family;
	r.entity_id = id;
	r.flags = flags;
	err = xio(fd, RTM_IOC_REGISTER, &r);
	if (!err && out)
		*out = r;
	return err;
}

/* A registered file, or -1. */
static int open_reg(uint16_t instance, uint64_t id, struct rtm_register *out)
{
	int fd = dev_open();

	if (fd < 0)
		return -1;
	if (do_register(fd, instance, AF_INET, id, 0, out)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void nh_rec(struct rtm_nexthop_rec *rec, struct rtm_addr a,
		   uint32_t ifindex)
{
	memset(rec, 0, sizeof(*rec));
	rec->addr = a;
	rec->ifindex = ifindex;
}

/* Add (or find) a next hop; its handle comes back with a reference. */
static int add_nh(int fd, struct rtm_addr a, uint32_t ifindex, uint64_t *h)
{
	struct rtm_add_nexthop an;
	int err;

	memset(&an, 0, sizeof(an));
	an.flags = RTM_NH_WANT_HANDLE;
	nh_rec(&an.rec, a, ifindex);
	err = xio(fd, RTM_IOC_ADD_NEXTHOP, &an);
	if (!err)
		*h = an.handle;
	return err;
}

/* A route add argument: new route on @d, unicast, preference 10. */
static void route_arg(struct rtm_add_route *ar, struct rtm_addr d,
		      uint64_t *nhs, uint32_t nnh)
{
	memset(ar, 0, sizeof(*ar));
	ar->flags = RTM_RT_HAVE_DEST | RTM_RT_WANT_HANDLE;
	ar->change_flags = 0x02;	/* RTM_ROUTE_CHANGE_NEW */
	ar->dest_addr = d;
	ar->ttl = 0xffffffff;
	ar->rec.preference = 10;
	ar->rec.metric = 1;
	ar->rec.views = 1;
	ar->rec.num_nexthops = nnh;
	ar->rec.nexthops = (uint64_t)(uintptr_t)nhs;
}

static int add_route(int fd, struct rtm_addr d, uint64_t nh, uint64_t *h)
{
	struct rtm_add_route ar;
	int err;

	route_arg(&ar, d, &nh, nh ? 1 : 0);
	err = xio(fd, RTM_IOC_ADD_ROUTE, &ar);
	if (!err)
		*h = ar.handle;
	return err;
}

/*
 * RTM_IOC_ADD_ROUTES or RTM_IOC_DELETE_ROUTES of @count entries at
 * @entries, statuses to @status; *done (optional) gets the header's done.
 */
static int batch(int fd, unsigned long cmd, void *entries, int32_t *status,
		 uint32_t count, uint32_t *done)
{
	struct rtm_route_batch b;
	int err;

	memset(&b, 0, sizeof(b));
	b.count = count;
	b.done = 0xdead;	/* output only */
	b.entries = (uint64_t)(uintptr_t)entries;
	b.status = (uint64_t)(uintptr_t)status;
	err = xio(fd, cmd, &b);
	if (done)
		*done = b.done;
	return err;
}

/* A batch of the one entry at @entry, as an errno: the call's or the entry's. */
static int batch1(int fd, unsigned long cmd, void *entry)
{
	int32_t st = 0x5a5a5a5a;
	uint32_t done = 0;
	int err = batch(fd, cmd, entry, &st, 1, &done);

	if (err)
		return err;
	return done == 1 && st <= 0 ? -st : EPROTO;
}

/* The dest of prefix @d, with a reference. */
static int get_dest(int fd, struct rtm_addr d, uint64_t *h)
{
	struct rtm_dest_query q;
	int err;

	memset(&q, 0, sizeof(q));
	q.op = RTM_DQ_EXACT;
	q.addr = d;
	err = xio(fd, RTM_IOC_DEST_QUERY, &q);
	if (!err)
		*h = q.rec.dest;
	return err;
}

static int enum_create(int fd, uint32_t kind, uint64_t *h)
{
	struct rtm_enum_create c;
	int err;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	err = xio(fd, RTM_IOC_ENUM_CREATE, &c);
	if (!err)
		*h = c.handle;
	return err;
}

/* RELEASE or REFERENCE of @n entries; *invalid gets the invalid count. */
static int handles_op(int fd, unsigned long cmd, struct rtm_handle_ref *refs,
		      uint32_t n, uint32_t *invalid)
{
	struct rtm_handles hs;
	int err;

	memset(&hs, 0, sizeof(hs));
	hs.count = n;
	hs.refs = (uint64_t)(uintptr_t)refs;
	hs.invalid = 0xdead;
	err = xio(fd, cmd, &hs);
	if (invalid)
		*invalid = hs.invalid;
	return err;
}

static int release1(int fd, uint64_t h, uint32_t type, uint32_t *invalid)
{
	struct rtm_handle_ref r = { .handle = h, .type = type };

	return handles_op(fd, RTM_IOC_RELEASE, &r, 1, invalid);
}

static int reference1(int fd, uint64_t h, uint32_t type)
{
	struct rtm_handle_ref r = { .handle = h, .type = type };

	return handles_op(fd, RTM_IOC_REFERENCE, &r, 1, NULL);
}

static struct rtm_stats stats(void)
{
	struct rtm_stats st;

	memset(&st, 0xff, sizeof(st));
	rtm_test_stats(&st);
	return st;
}

/* Every counter unchanged since @st0. */
#define EXPECT_STATS(st0) do {						\
	struct rtm_stats s1_ = stats();					\
	EXPECT_EQ((st0).tables, s1_.tables);				\
	EXPECT_EQ((st0).registrations, s1_.registrations);		\
	EXPECT_EQ((st0).entities, s1_.entities);			\
	EXPECT_EQ((st0).dests, s1_.dests);				\
	EXPECT_EQ((st0).routes, s1_.routes);				\
	EXPECT_EQ((st0).nexthops, s1_.nexthops);			\
	EXPECT_EQ((st0).enums, s1_.enums);				\
	EXPECT_EQ((st0).handle_refs, s1_.handle_refs);			\
} while (0)

/* A module parameter from sysfs, or -1. */
static long param(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/rtm/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* A page holding a copy of @src, then made read-only. */
static void *ro_copy(const void *src, size_t len)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, src, len);
	if (mprotect(p, PAGE, PROT_READ)) {
		munmap(p, PAGE);
		return NULL;
	}
	return p;
}

/* An address that was mapped and no longer is. */
static void *unmapped_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, PAGE);
	return p;
}

/*
 * A pointer @len bytes before the end of a mapped page whose next page is
 * not mapped: an array starting there runs into the hole.
 */
static void *edge_of_mapping(size_t len)
{
	size_t pages = (len + PAGE - 1) / PAGE;
	char *m = mmap(NULL, (pages + 1) * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	munmap(m + pages * PAGE, PAGE);
	return m + pages * PAGE - len;
}

static uint64_t retype(uint64_t h, uint32_t type)
{
	return (h & ~TYPE_MASK) | (uint64_t)type << TYPE_SHIFT;
}

struct world {
	int fd, fd2, fdo, ufd;
	struct rtm_register ra, rb, ro;
	uint64_t ent, ent2, ento;
	uint64_t nh, nh2, nho;
	uint64_t rt, rt2, rto;
	uint64_t dst, dst2, dsto;
	uint64_t en, en2, eno, den;
	void *unmapped;
	uint32_t max_nh, max_enum;
	struct rtm_stats st0;
};

static int world_setup(struct world *w)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->fd = w->fd2 = w->fdo = w->ufd = -1;
	w->fd = open_reg(0, ENT_A, &w->ra);
	w->fd2 = open_reg(0, ENT_B, &w->rb);
	w->fdo = open_reg(1, ENT_A, &w->ro);
	w->ufd = dev_open();
	w->unmapped = unmapped_page();
	if (w->fd < 0 || w->fd2 < 0 || w->fdo < 0 || w->ufd < 0 ||
	    !w->unmapped)
		return -1;
	w->ent = w->ra.handle;
	w->ent2 = w->rb.handle;
	w->ento = w->ro.handle;
	w->max_nh = w->ra.profile.max_nexthops;
	w->max_enum = w->ra.profile.max_enum;
	err = add_nh(w->fd, v4(10, 0, 0, 1, 32), 1, &w->nh) ?:
	      add_nh(w->fd2, v4(10, 0, 0, 2, 32), 2, &w->nh2) ?:
	      add_nh(w->fdo, v4(10, 0, 0, 1, 32), 1, &w->nho) ?:
	      add_route(w->fd, v4(10, 0, 0, 0, 8), w->nh, &w->rt) ?:
	      add_route(w->fd2, v4(11, 0, 0, 0, 8), w->nh2, &w->rt2) ?:
	      add_route(w->fdo, v4(10, 0, 0, 0, 8), w->nho, &w->rto) ?:
	      get_dest(w->fd, v4(10, 0, 0, 0, 8), &w->dst) ?:
	      get_dest(w->fd2, v4(11, 0, 0, 0, 8), &w->dst2) ?:
	      get_dest(w->fdo, v4(10, 0, 0, 0, 8), &w->dsto) ?:
	      enum_create(w->fd, RTM_ENUM_KIND_ROUTE, &w->en) ?:
	      enum_create(w->fd2, RTM_ENUM_KIND_ROUTE, &w->en2) ?:
	      enum_create(w->fdo, RTM_ENUM_KIND_ROUTE, &w->eno) ?:
	      enum_create(w->fd, RTM_ENUM_KIND_DEST, &w->den);
	w->st0 = stats();
	return err;
}

static void world_teardown(struct world *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->fd2 >= 0)
		close(w->fd2);
	if (w->fdo >= 0)
		close(w->fdo);
	if (w->ufd >= 0)
		close(w->ufd);
}

/* ====================================================================== */
/* Per-command checks: size, direction, registration state, bad arg       */
/* ====================================================================== */

FIXTURE(cmd) {
	struct world w;
	uint64_t buf[PAGE / 8];
};

FIXTURE_VARIANT(cmd) {
	unsigned long cmd;
	int unreg_err;		/* on an unregistered file, zeroed argument */
	int dead_err;		/* after DEREGISTER */
	bool no_arg;		/* DEREGISTER reads no argument */
};

FIXTURE_VARIANT_ADD(cmd, version) {
	.cmd = RTM_IOC_VERSION, .unreg_err = 0, .dead_err = 0 };
/* A zeroed rtm_register names family 0. */
FIXTURE_VARIANT_ADD(cmd, register) {
	.cmd = RTM_IOC_REGISTER, .unreg_err = EINVAL, .dead_err = EALREADY };
FIXTURE_VARIANT_ADD(cmd, deregister) {
	.cmd = RTM_IOC_DEREGISTER, .unreg_err = EBADFD, .dead_err = EBADFD,
	.no_arg = true };
FIXTURE_VARIANT_ADD(cmd, get_entities) {
	.cmd = RTM_IOC_GET_ENTITIES, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, entity_info) {
	.cmd = RTM_IOC_ENTITY_INFO, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, release) {
	.cmd = RTM_IOC_RELEASE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, reference) {
	.cmd = RTM_IOC_REFERENCE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, add_nexthop) {
	.cmd = RTM_IOC_ADD_NEXTHOP, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, find_nexthop) {
	.cmd = RTM_IOC_FIND_NEXTHOP, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, delete_nexthop) {
	.cmd = RTM_IOC_DELETE_NEXTHOP, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, nexthop_info) {
	.cmd = RTM_IOC_NEXTHOP_INFO, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, add_route) {
	.cmd = RTM_IOC_ADD_ROUTE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, delete_route) {
	.cmd = RTM_IOC_DELETE_ROUTE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, route_info) {
	.cmd = RTM_IOC_ROUTE_INFO, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, is_best) {
	.cmd = RTM_IOC_IS_BEST, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, dest_query) {
	.cmd = RTM_IOC_DEST_QUERY, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, route_match) {
	.cmd = RTM_IOC_ROUTE_MATCH, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, enum_create) {
	.cmd = RTM_IOC_ENUM_CREATE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, enum_get) {
	.cmd = RTM_IOC_ENUM_GET, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, enum_delete) {
	.cmd = RTM_IOC_ENUM_DELETE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, stats) {
	.cmd = RTM_IOC_STATS, .unreg_err = 0, .dead_err = 0 };
FIXTURE_VARIANT_ADD(cmd, notify_register) {
	.cmd = RTM_IOC_NOTIFY_REGISTER, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, notify_op) {
	.cmd = RTM_IOC_NOTIFY_OP, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, notify_get) {
	.cmd = RTM_IOC_NOTIFY_GET, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, hold_dest) {
	.cmd = RTM_IOC_HOLD_DEST, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, lock) {
	.cmd = RTM_IOC_LOCK, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, peek) {
	.cmd = RTM_IOC_PEEK, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, update_route) {
	.cmd = RTM_IOC_UPDATE_ROUTE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, opaque) {
	.cmd = RTM_IOC_OPAQUE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, route_list) {
	.cmd = RTM_IOC_ROUTE_LIST, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, expire_done) {
	.cmd = RTM_IOC_EXPIRE_DONE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, get_methods) {
	.cmd = RTM_IOC_GET_METHODS, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, invoke) {
	.cmd = RTM_IOC_INVOKE, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, method_input) {
	.cmd = RTM_IOC_METHOD_INPUT, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, method_reply) {
	.cmd = RTM_IOC_METHOD_REPLY, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, block_methods) {
	.cmd = RTM_IOC_BLOCK_METHODS, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, add_routes) {
	.cmd = RTM_IOC_ADD_ROUTES, .unreg_err = EBADFD, .dead_err = EBADFD };
FIXTURE_VARIANT_ADD(cmd, delete_routes) {
	.cmd = RTM_IOC_DELETE_ROUTES, .unreg_err = EBADFD, .dead_err = EBADFD };

FIXTURE_SETUP(cmd)
{
	ASSERT_EQ(0, world_setup(&self->w));
	memset(self->buf, 0, sizeof(self->buf));
}

FIXTURE_TEARDOWN(cmd)
{
	world_teardown(&self->w);
}

static unsigned long resize(unsigned long cmd, long delta)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd),
		    _IOC_SIZE(cmd) + delta);
}

/* The command's number with another size: -ENOTTY, on any file. */
TEST_F(cmd, size_larger_is_enotty)
{
	unsigned long c = resize(variant->cmd, 8);

	EXPECT_EQ(-1, ioctl(self->w.fd, c, self->buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(ENOTTY, xio(self->w.ufd, c, self->buf));
	EXPECT_EQ(ENOTTY, xio(self->w.fd, resize(variant->cmd, 1024),
			      self->buf));
	EXPECT_STATS(self->w.st0);
}

TEST_F(cmd, size_smaller_is_enotty)
{
	long d = _IOC_SIZE(variant->cmd) >= 8 ? -8 : 4;
	unsigned long c = resize(variant->cmd, d);

	EXPECT_EQ(-1, ioctl(self->w.fd, c, self->buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(ENOTTY, xio(self->w.ufd, c, self->buf));
	if (_IOC_SIZE(variant->cmd) > 1)
		EXPECT_EQ(ENOTTY, xio(self->w.fd, resize(variant->cmd, -1),
				      self->buf));
	EXPECT_STATS(self->w.st0);
}

/* The same number and size with another direction: -ENOTTY. */
TEST_F(cmd, direction_changed_is_enotty)
{
	unsigned long c = variant->cmd;
	unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
				_IOC_READ | _IOC_WRITE };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		unsigned long o = _IOC(dirs[i], _IOC_TYPE(c), _IOC_NR(c),
				       _IOC_SIZE(c));

		if (o == c)
			continue;
		EXPECT_EQ(ENOTTY, xio(self->w.fd, o, self->buf));
		EXPECT_EQ(ENOTTY, xio(self->w.ufd, o, self->buf));
	}
	EXPECT_STATS(self->w.st0);
}

/* Another magic with the command's number and size: -ENOTTY. */
TEST_F(cmd, other_magic_is_enotty)
{
	unsigned long c = variant->cmd;
	unsigned long o = _IOC(_IOC_DIR(c), 0xE3, _IOC_NR(c), _IOC_SIZE(c));

	EXPECT_EQ(ENOTTY, xio(self->w.fd, o, self->buf));
	o = _IOC(_IOC_DIR(c), 0xE1, _IOC_NR(c), _IOC_SIZE(c));
	EXPECT_EQ(ENOTTY, xio(self->w.ufd, o, self->buf));
	EXPECT_STATS(self->w.st0);
}

TEST_F(cmd, on_unregistered_file)
{
	EXPECT_EQ(variant->unreg_err, xio(self->w.ufd, variant->cmd,
					  self->buf));
	EXPECT_STATS(self->w.st0);
}

TEST_F(cmd, after_deregister)
{
	struct rtm_stats st;
	int fd = open_reg(3, ENT_A, NULL);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xio(fd, RTM_IOC_DEREGISTER, NULL));
	st = stats();
	EXPECT_EQ(variant->dead_err, xio(fd, variant->cmd, self->buf));
	EXPECT_STATS(st);
	close(fd);
}

/*
 * NULL as the argument: -EFAULT (REGISTER: on an unregistered file).
 * DEREGISTER reads no argument: whatever it is, the file deregisters.
 */
TEST_F(cmd, null_arg_is_efault)
{
	int fd = variant->cmd == RTM_IOC_REGISTER ? self->w.ufd : self->w.fd;

	if (variant->no_arg) {
		EXPECT_EQ(0, xio(fd, variant->cmd, NULL));
		EXPECT_EQ(self->w.st0.registrations - 1,
			  stats().registrations);
		return;
	}
	EXPECT_EQ(EFAULT, xio(fd, variant->cmd, NULL));
	EXPECT_STATS(self->w.st0);
	/* The file is still usable. */
	if (variant->cmd == RTM_IOC_REGISTER)
		EXPECT_EQ(0, do_register(fd, 0, AF_INET, 77, 0, NULL));
}

TEST_F(cmd, unmapped_arg_is_efault)
{
	int fd = variant->cmd == RTM_IOC_REGISTER ? self->w.ufd : self->w.fd;

	if (variant->no_arg) {
		EXPECT_EQ(0, xio(fd, variant->cmd, self->w.unmapped));
		EXPECT_EQ(self->w.st0.registrations - 1,
			  stats().registrations);
		return;
	}
	EXPECT_EQ(EFAULT, xio(fd, variant->cmd, self->w.unmapped));
	EXPECT_EQ(EFAULT, xio(fd, variant->cmd, (void *)-4096L));
	EXPECT_STATS(self->w.st0);
}

/* ====================================================================== */
/* Module-wide commands and the registration state machine                */
/* ====================================================================== */

FIXTURE(abi) {
	struct world w;
};

FIXTURE_SETUP(abi)
{
	ASSERT_EQ(0, world_setup(&self->w));
}

FIXTURE_TEARDOWN(abi)
{
	world_teardown(&self->w);
}

TEST_F(abi, unknown_command_numbers)
{
	unsigned long cmds[] = {
		/* 0x26 is the first number after RTM_IOC_DELETE_ROUTES. */
		_IO(RTM_IOC_MAGIC, 0x26),
		_IOWR(RTM_IOC_MAGIC, 0x26, struct rtm_version),
		_IOW(RTM_IOC_MAGIC, 0x26, struct rtm_block_methods),
		_IOWR(RTM_IOC_MAGIC, 0x26, struct rtm_route_batch),
		_IOWR(RTM_IOC_MAGIC, 0x27, struct rtm_enum_get),
		_IOWR(RTM_IOC_MAGIC, 0x3f, struct rtm_invoke),
		/* Known numbers with another struct's size. */
		_IO(RTM_IOC_MAGIC, 0x15),
		_IOWR(RTM_IOC_MAGIC, 0x19, struct rtm_version),
		_IOW(RTM_IOC_MAGIC, 0x23, struct rtm_hold_dest),
		_IOWR(RTM_IOC_MAGIC, 0x24, struct rtm_version),
		_IOWR(RTM_IOC_MAGIC, 0x25, struct rtm_add_route),
		_IOR(RTM_IOC_MAGIC, 0x40, struct rtm_stats),
		_IOW(RTM_IOC_MAGIC, 0xff, uint64_t),
		_IO(RTM_IOC_MAGIC, 0xff),
		_IOR('T', 0x00, struct rtm_version),
		0,
		0xffffffffUL,
	};
	uint64_t buf[PAGE / 8] = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(ENOTTY, xio(self->w.fd, cmds[i], buf));
		EXPECT_EQ(ENOTTY, xio(self->w.ufd, cmds[i], buf));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, version_reports_abi_major)
{
	struct rtm_version v;

	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, xio(self->w.ufd, RTM_IOC_VERSION, &v));
	EXPECT_EQ(RTM_ABI_MAJOR, v.major);
	EXPECT_EQ(RTM_ABI_MINOR, v.minor);
	/*
	 * Minor 1 added the commands 0x15-0x23, minor 2 the batches 0x24
	 * and 0x25 (compatible additions).
	 */
	EXPECT_LE(2, v.minor);
	EXPECT_EQ(0, v.features);
	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_VERSION, &v));
	EXPECT_EQ(RTM_ABI_MAJOR, v.major);
}

TEST_F(abi, version_and_stats_readonly_output)
{
	char zero[8] = { 0 };
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_VERSION, ro));
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_STATS, ro));
	munmap(ro, PAGE);
}

/* STATS works on an unregistered file and counts what exists. */
TEST_F(abi, stats_without_registering)
{
	struct rtm_stats st, st1;
	int fd;

	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, xio(self->w.ufd, RTM_IOC_STATS, &st));
	EXPECT_EQ(2, st.tables);
	EXPECT_EQ(3, st.registrations);
	EXPECT_EQ(3, st.entities);
	/* 10/8 and 11/8 in table 0, 10/8 in table 1. */
	EXPECT_EQ(3, st.dests);
	EXPECT_EQ(3, st.routes);
	EXPECT_EQ(3, st.nexthops);
	EXPECT_EQ(4, st.enums);
	/* Each file holds its next hop, route and dest. */
	EXPECT_EQ(9, st.handle_refs);
	EXPECT_EQ(0, st.reserved[0]);
	EXPECT_EQ(0, st.reserved[6]);

	fd = open_reg(5, ENT_A, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xio(self->w.ufd, RTM_IOC_STATS, &st1));
	EXPECT_EQ(st.tables + 1, st1.tables);
	EXPECT_EQ(st.registrations + 1, st1.registrations);
	EXPECT_EQ(st.entities + 1, st1.entities);
	close(fd);
	ASSERT_EQ(0, xio(self->w.ufd, RTM_IOC_STATS, &st1));
	EXPECT_EQ(st.tables, st1.tables);
	EXPECT_EQ(st.registrations, st1.registrations);
}

TEST_F(abi, register_twice_is_ealready)
{
	struct rtm_entity_info ei;

	EXPECT_EQ(EALREADY, do_register(self->w.fd, 0, AF_INET, 99, 0, NULL));
	EXPECT_EQ(EALREADY, do_register(self->w.fd, 0, AF_INET, ENT_A, 0,
					NULL));
	EXPECT_EQ(EALREADY, do_register(self->w.fd, 2, AF_INET6, 99, 0, NULL));
	EXPECT_STATS(self->w.st0);
	/* The first registration is untouched. */
	memset(&ei, 0, sizeof(ei));
	ei.handle = self->w.ent;
	ASSERT_EQ(0, xio(self->w.fd2, RTM_IOC_ENTITY_INFO, &ei));
	EXPECT_EQ(ENT_A, ei.info.entity_id);
	EXPECT_EQ(0, reference1(self->w.fd, self->w.rt, RTM_HT_ROUTE));
}

/* A file registers once: after DEREGISTER it stays unusable. */
TEST_F(abi, deregistered_file_cannot_register_again)
{
	int fd = open_reg(0, 55, NULL);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xio(fd, RTM_IOC_DEREGISTER, NULL));
	EXPECT_EQ(EALREADY, do_register(fd, 0, AF_INET, 56, 0, NULL));
	EXPECT_EQ(EBADFD, xio(fd, RTM_IOC_DEREGISTER, NULL));
	EXPECT_STATS(self->w.st0);
	close(fd);
	/* The id is free again. */
	fd = open_reg(0, 55, NULL);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST_F(abi, deregister_unregistered_is_ebadfd)
{
	EXPECT_EQ(EBADFD, xio(self->w.ufd, RTM_IOC_DEREGISTER, NULL));
	EXPECT_EQ(0, do_register(self->w.ufd, 0, AF_INET, 57, 0, NULL));
	EXPECT_EQ(0, xio(self->w.ufd, RTM_IOC_DEREGISTER, NULL));
	EXPECT_EQ(EBADFD, xio(self->w.ufd, RTM_IOC_DEREGISTER, NULL));
	EXPECT_STATS(self->w.st0);
}

/* DEREGISTER drops everything the file held. */
TEST_F(abi, deregister_releases_everything)
{
	struct rtm_stats st = self->w.st0;

	ASSERT_EQ(0, xio(self->w.fdo, RTM_IOC_DEREGISTER, NULL));
	st.tables--;
	st.registrations--;
	st.entities--;
	st.dests--;
	st.routes--;
	st.nexthops--;
	st.enums--;
	st.handle_refs -= 3;
	EXPECT_STATS(st);
	close(self->w.fdo);
	self->w.fdo = -1;
	EXPECT_STATS(st);
}

TEST_F(abi, register_unknown_flags)
{
	uint32_t bad[] = { 0x4, 0x8, 0x100, 0x80000000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(EINVAL, do_register(self->w.ufd, 0, AF_INET, 60,
					      bad[i], NULL));
	EXPECT_STATS(self->w.st0);
	/* Known flags are accepted on the same file. */
	EXPECT_EQ(0, do_register(self->w.ufd, 0, AF_INET, 60, RTM_REG_FLAGS,
				 NULL));
}

TEST_F(abi, register_reserved_nonzero)
{
	struct rtm_register r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.entity_id = 61;
	r.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	r.reserved = 0x80000000;
	EXPECT_EQ(EINVAL, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	EXPECT_STATS(self->w.st0);
	r.reserved = 0;
	EXPECT_EQ(0, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
}

TEST_F(abi, register_bad_family)
{
	uint16_t bad[] = { 0, 1, 23, AF_INET6 + 1, 0xffff };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(EINVAL, do_register(self->w.ufd, 0, bad[i], 62, 0,
					      NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, do_register(self->w.ufd, 0, AF_INET6, 62, 0, NULL));
}

TEST_F(abi, register_num_methods_over_cap)
{
	uint64_t methods[RTM_MAX_METHODS + 1] = { 0 };
	struct rtm_register r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.entity_id = 63;
	r.methods = (uint64_t)(uintptr_t)methods;
	r.num_methods = RTM_MAX_METHODS + 1;
	EXPECT_EQ(EBADMSG, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	r.num_methods = 0xffffffff;
	EXPECT_EQ(EBADMSG, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	EXPECT_STATS(self->w.st0);
	r.num_methods = RTM_MAX_METHODS;
	EXPECT_EQ(0, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
}

TEST_F(abi, register_methods_bad_pointer)
{
	uint64_t *edge = edge_of_mapping(sizeof(uint64_t));
	uint64_t methods[2] = { 1, 2 };
	struct rtm_register r;

	ASSERT_NE(NULL, edge);
	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.entity_id = 64;
	r.num_methods = 2;
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	r.methods = (uint64_t)(uintptr_t)self->w.unmapped;
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	/* The second method lies past the end of the mapping. */
	r.methods = (uint64_t)(uintptr_t)edge;
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
	EXPECT_STATS(self->w.st0);
	r.methods = (uint64_t)(uintptr_t)methods;
	EXPECT_EQ(0, xio(self->w.ufd, RTM_IOC_REGISTER, &r));
}

TEST_F(abi, register_duplicate_id_is_eexist)
{
	int fd;

	EXPECT_EQ(EEXIST, do_register(self->w.ufd, 0, AF_INET, ENT_A, 0, NULL));
	EXPECT_EQ(EEXIST, do_register(self->w.ufd, 0, AF_INET, ENT_B, 0, NULL));
	EXPECT_EQ(EEXIST, do_register(self->w.ufd, 1, AF_INET, ENT_A, 0, NULL));
	EXPECT_STATS(self->w.st0);
	/* The same id in another family's table is another entity. */
	EXPECT_EQ(0, do_register(self->w.ufd, 0, AF_INET6, ENT_A, 0, NULL));
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, do_register(fd, 2, AF_INET, ENT_A, 0, NULL));
	close(fd);
}

/* Every opaque slot taken: the next RESERVE_OPAQUE is -ENOSPC. */
TEST_F(abi, register_opaque_slots_exhausted)
{
	long slots = param("opaque_slots");
	int fds[40], fd, i;
	struct rtm_stats st;

	ASSERT_LT(0, slots);
	ASSERT_GE(32, slots);
	for (i = 0; i < slots; i++) {
		fds[i] = dev_open();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, do_register(fds[i], 7, AF_INET, 100 + i,
					 RTM_REG_RESERVE_OPAQUE, NULL));
	}
	st = stats();
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOSPC, do_register(fd, 7, AF_INET, 99,
				      RTM_REG_RESERVE_OPAQUE, NULL));
	EXPECT_STATS(st);
	/* Without a slot it registers; a freed slot can be taken again. */
	EXPECT_EQ(0, do_register(fd, 7, AF_INET, 99, 0, NULL));
	close(fds[0]);
	fds[0] = dev_open();
	EXPECT_EQ(0, do_register(fds[0], 7, AF_INET, 98,
				 RTM_REG_RESERVE_OPAQUE, NULL));
	for (i = 0; i < slots; i++)
		close(fds[i]);
	close(fd);
}

/* A table takes at most max_entities registrations: then -ENOSPC. */
TEST_F_TIMEOUT(abi, register_max_entities, 120)
{
	long max = param("max_entities");
	struct rlimit rl = { 4096, 4096 };
	struct rtm_stats st;
	int *fds, fd, i;

	ASSERT_LT(0, max);
	ASSERT_GE(2048, max);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	fds = calloc(max, sizeof(int));
	ASSERT_NE(NULL, fds);
	for (i = 0; i < max; i++) {
		fds[i] = dev_open();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, do_register(fds[i], 8, AF_INET, 1000 + i, 0,
					 NULL));
	}
	st = stats();
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOSPC, do_register(fd, 8, AF_INET, 999, 0, NULL));
	EXPECT_STATS(st);
	/* Other tables are not affected; a freed place can be taken. */
	EXPECT_EQ(0, do_register(self->w.ufd, 9, AF_INET, 999, 0, NULL));
	close(fds[0]);
	EXPECT_EQ(0, do_register(fd, 8, AF_INET, 999, 0, NULL));
	for (i = 1; i < max; i++)
		close(fds[i]);
	close(fd);
	free(fds);
}

/* The profile cannot be written back: the registration is undone. */
TEST_F(abi, register_readonly_output)
{
	struct rtm_register r, *ro;
	struct rtm_stats st = self->w.st0;
	int fd;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.instance = 4;
	r.entity_id = 65;
	ro = ro_copy(&r, sizeof(r));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.ufd, RTM_IOC_REGISTER, ro));
	EXPECT_STATS(st);
	/* The id is not taken. */
	fd = open_reg(4, 65, NULL);
	EXPECT_LE(0, fd);
	close(fd);
	munmap(ro, PAGE);
}

/* ---------------------------------------------------------------------- */
/* GET_ENTITIES, ENTITY_INFO                                               */
/* ---------------------------------------------------------------------- */

static int get_entities(int fd, uint32_t count, void *handles, void *infos,
			uint32_t *out)
{
	struct rtm_get_entities ge;
	int err;

	memset(&ge, 0, sizeof(ge));
	ge.count = count;
	ge.handles = (uint64_t)(uintptr_t)handles;
	ge.infos = (uint64_t)(uintptr_t)infos;
	err = xio(fd, RTM_IOC_GET_ENTITIES, &ge);
	if (out)
		*out = ge.count;
	return err;
}

TEST_F(abi, get_entities_reserved_nonzero)
{
	struct rtm_get_entities ge;
	uint64_t h[8];

	memset(&ge, 0, sizeof(ge));
	ge.count = 8;
	ge.handles = (uint64_t)(uintptr_t)h;
	ge.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_GET_ENTITIES, &ge));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, get_entities_too_small_is_enobufs)
{
	uint64_t h[8];
	struct rtm_entity_rec rec[8];
	uint32_t n = 0;

	memset(h, 0x5a, sizeof(h));
	EXPECT_EQ(ENOBUFS, get_entities(self->w.fd, 1, h, rec, &n));
	EXPECT_EQ(2, n);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, h[0]);
	EXPECT_EQ(ENOBUFS, get_entities(self->w.fd, 0, NULL, NULL, &n));
	EXPECT_EQ(2, n);
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, get_entities(self->w.fd, 2, h, rec, &n));
	EXPECT_EQ(2, n);
	EXPECT_EQ(self->w.ent, h[0]);
	EXPECT_EQ(self->w.ent2, h[1]);
}

/* No array wanted: the count only, no reference. */
TEST_F(abi, get_entities_without_arrays)
{
	uint32_t n = 0;

	EXPECT_EQ(0, get_entities(self->w.fd, 100, NULL, NULL, &n));
	EXPECT_EQ(2, n);
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, get_entities_bad_arrays_are_efault)
{
	struct rtm_entity_rec rec[8];
	uint64_t h[8], zero[8] = { 0 };
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, get_entities(self->w.fd, 8, self->w.unmapped, rec,
				       NULL));
	EXPECT_EQ(EFAULT, get_entities(self->w.fd, 8, h, self->w.unmapped,
				       NULL));
	EXPECT_EQ(EFAULT, get_entities(self->w.fd, 8, ro, NULL, NULL));
	EXPECT_EQ(EFAULT, get_entities(self->w.fd, 8, h, ro, NULL));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, get_entities_readonly_arg)
{
	struct rtm_get_entities ge, *ro;
	uint64_t h[8];

	memset(&ge, 0, sizeof(ge));
	ge.count = 8;
	ge.handles = (uint64_t)(uintptr_t)h;
	ro = ro_copy(&ge, sizeof(ge));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_GET_ENTITIES, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, entity_info_readonly_arg)
{
	struct rtm_entity_info ei, *ro;

	memset(&ei, 0, sizeof(ei));
	ei.handle = self->w.ent2;
	ro = ro_copy(&ei, sizeof(ei));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENTITY_INFO, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

/* ---------------------------------------------------------------------- */
/* RELEASE and REFERENCE                                                   */
/* ---------------------------------------------------------------------- */

TEST_F(abi, release_count_over_cap)
{
	struct rtm_handle_ref *refs = calloc(RTM_MAX_BATCH + 1, sizeof(*refs));
	uint32_t inv;

	ASSERT_NE(NULL, refs);
	refs[0].handle = self->w.rt;
	refs[0].type = RTM_HT_ROUTE;
	EXPECT_EQ(EINVAL, handles_op(self->w.fd, RTM_IOC_RELEASE, refs,
				     RTM_MAX_BATCH + 1, NULL));
	EXPECT_EQ(EINVAL, handles_op(self->w.fd, RTM_IOC_RELEASE, refs,
				     0xffffffff, NULL));
	EXPECT_STATS(self->w.st0);
	/* The cap itself is accepted: the route's reference goes. */
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_RELEASE, refs,
				RTM_MAX_BATCH, &inv));
	EXPECT_EQ(0, inv);
	EXPECT_EQ(self->w.st0.handle_refs - 1, stats().handle_refs);
	free(refs);
}

TEST_F(abi, reference_count_over_cap)
{
	struct rtm_handle_ref *refs = calloc(RTM_MAX_BATCH + 1, sizeof(*refs));
	unsigned int i;

	ASSERT_NE(NULL, refs);
	for (i = 0; i <= RTM_MAX_BATCH; i++) {
		refs[i].handle = self->w.rt;
		refs[i].type = RTM_HT_ROUTE;
	}
	EXPECT_EQ(EINVAL, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs,
				     RTM_MAX_BATCH + 1, NULL));
	EXPECT_EQ(EINVAL, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs,
				     0x80000000, NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs,
				RTM_MAX_BATCH, NULL));
	EXPECT_EQ(self->w.st0.handle_refs + RTM_MAX_BATCH,
		  stats().handle_refs);
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_RELEASE, refs,
				RTM_MAX_BATCH, NULL));
	EXPECT_STATS(self->w.st0);
	free(refs);
}

TEST_F(abi, release_and_reference_bad_array_pointer)
{
	unsigned long cmds[] = { RTM_IOC_RELEASE, RTM_IOC_REFERENCE };
	struct rtm_handle_ref *edge = edge_of_mapping(sizeof(*edge));
	unsigned int i;

	ASSERT_NE(NULL, edge);
	/* The second entry lies past the end of the mapping. */
	edge->handle = self->w.rt;
	edge->type = RTM_HT_ROUTE;
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(EFAULT, handles_op(self->w.fd, cmds[i], NULL, 1,
					     NULL));
		EXPECT_EQ(EFAULT, handles_op(self->w.fd, cmds[i],
					     self->w.unmapped, 3, NULL));
		EXPECT_EQ(EFAULT, handles_op(self->w.fd, cmds[i], edge, 2,
					     NULL));
	}
	EXPECT_STATS(self->w.st0);
	/* A count of 0 reads nothing. */
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_RELEASE, NULL, 0, NULL));
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_REFERENCE, NULL, 0, NULL));
	EXPECT_STATS(self->w.st0);
}

/* A bad entry anywhere fails the whole call before anything is done. */
TEST_F(abi, release_and_reference_entry_reserved)
{
	struct rtm_handle_ref refs[3];
	unsigned long cmds[] = { RTM_IOC_RELEASE, RTM_IOC_REFERENCE };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		memset(refs, 0, sizeof(refs));
		refs[0].handle = self->w.rt;
		refs[1].handle = self->w.nh;
		refs[2].handle = self->w.dst;
		refs[2].reserved = 1;
		EXPECT_EQ(EINVAL, handles_op(self->w.fd, cmds[i], refs, 3,
					     NULL));
		refs[2].reserved = 0;
		refs[0].reserved = 0x80000000;
		EXPECT_EQ(EINVAL, handles_op(self->w.fd, cmds[i], refs, 3,
					     NULL));
		/* Even on a 0 (skipped) handle. */
		refs[0].reserved = 0;
		refs[1].handle = 0;
		refs[1].reserved = 2;
		EXPECT_EQ(EINVAL, handles_op(self->w.fd, cmds[i], refs, 3,
					     NULL));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, release_and_reference_type_above_nexthop)
{
	uint32_t bad[] = { RTM_HT_ENUM, RTM_HT_NOTIFY, RTM_HT_LIST,
			   RTM_HT_MAX, 15, 0x80000000, 0xffffffff };
	unsigned long cmds[] = { RTM_IOC_RELEASE, RTM_IOC_REFERENCE };
	struct rtm_handle_ref refs[2];
	unsigned int i, c;

	for (c = 0; c < 2; c++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(refs, 0, sizeof(refs));
			refs[0].handle = self->w.rt;
			refs[0].type = RTM_HT_ROUTE;
			refs[1].handle = self->w.en;
			refs[1].type = bad[i];
			EXPECT_EQ(EINVAL, handles_op(self->w.fd, cmds[c], refs,
						     2, NULL));
		}
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, release_twice_counts_invalid)
{
	uint32_t inv = 99;

	EXPECT_EQ(0, release1(self->w.fd, self->w.nh, RTM_HT_NEXTHOP, &inv));
	EXPECT_EQ(0, inv);
	EXPECT_EQ(self->w.st0.handle_refs - 1, stats().handle_refs);
	EXPECT_EQ(0, release1(self->w.fd, self->w.nh, RTM_HT_NEXTHOP, &inv));
	EXPECT_EQ(1, inv);
	EXPECT_EQ(self->w.st0.handle_refs - 1, stats().handle_refs);
}

/* Valid entries go, invalid ones are counted, 0 handles skipped. */
TEST_F(abi, release_mixed_batch)
{
	struct rtm_handle_ref refs[7];
	uint32_t inv = 99;

	memset(refs, 0, sizeof(refs));
	refs[0].handle = self->w.rt;			/* valid, typed */
	refs[0].type = RTM_HT_ROUTE;
	refs[1].handle = 0;				/* skipped */
	refs[2].handle = self->w.nh;			/* wrong type */
	refs[2].type = RTM_HT_ROUTE;
	refs[3].handle = self->w.dst;			/* valid, any type */
	refs[4].handle = self->w.rt2;			/* fd2's reference */
	refs[5].handle = 0x3000000000abcdefULL;		/* forged */
	refs[6].handle = self->w.rt;			/* released above */
	EXPECT_EQ(0, handles_op(self->w.fd, RTM_IOC_RELEASE, refs, 7, &inv));
	EXPECT_EQ(4, inv);
	EXPECT_EQ(self->w.st0.handle_refs - 2, stats().handle_refs);
	/* The next hop was kept. */
	EXPECT_EQ(0, release1(self->w.fd, self->w.nh, RTM_HT_NEXTHOP, &inv));
	EXPECT_EQ(0, inv);
}

TEST_F(abi, release_of_another_registrations_reference)
{
	uint32_t inv = 0;

	/* fd2 holds rt2; fd holds nothing on it. */
	EXPECT_EQ(0, release1(self->w.fd, self->w.rt2, RTM_HT_ROUTE, &inv));
	EXPECT_EQ(1, inv);
	EXPECT_EQ(0, release1(self->w.fd, self->w.ent2, RTM_HT_ENTITY, &inv));
	EXPECT_EQ(1, inv);
	EXPECT_EQ(0, release1(self->w.fd, self->w.nh2, 0, &inv));
	EXPECT_EQ(1, inv);
	EXPECT_STATS(self->w.st0);
	/* fd2 still has its references. */
	EXPECT_EQ(0, release1(self->w.fd2, self->w.rt2, RTM_HT_ROUTE, &inv));
	EXPECT_EQ(0, inv);
	/* Once fd references it, fd can release it. */
	EXPECT_EQ(0, reference1(self->w.fd, self->w.nh2, RTM_HT_NEXTHOP));
	EXPECT_EQ(0, release1(self->w.fd, self->w.nh2, RTM_HT_NEXTHOP, &inv));
	EXPECT_EQ(0, inv);
	EXPECT_EQ(self->w.st0.handle_refs - 1, stats().handle_refs);
}

/* The counts cannot be written back: nothing may be released. */
TEST_F(abi, release_readonly_arg)
{
	struct rtm_handle_ref ref = { .handle = self->w.rt,
				      .type = RTM_HT_ROUTE };
	struct rtm_handles hs, *ro;

	memset(&hs, 0, sizeof(hs));
	hs.count = 1;
	hs.refs = (uint64_t)(uintptr_t)&ref;
	ro = ro_copy(&hs, sizeof(hs));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_RELEASE, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

/* REFERENCE is all or nothing; a 0 handle is invalid. */
TEST_F(abi, reference_zero_handle_takes_nothing)
{
	struct rtm_handle_ref refs[3];

	memset(refs, 0, sizeof(refs));
	refs[0].handle = self->w.rt;
	refs[1].handle = self->w.nh;
	refs[2].handle = 0;
	EXPECT_EQ(ESTALE, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs, 3,
				     NULL));
	EXPECT_EQ(ESTALE, reference1(self->w.fd, 0, 0));
	EXPECT_EQ(ESTALE, reference1(self->w.fd, 0, RTM_HT_DEST));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, reference_invalid_entry_takes_nothing)
{
	struct rtm_handle_ref refs[3];

	memset(refs, 0, sizeof(refs));
	refs[0].handle = self->w.rt;
	refs[1].handle = self->w.nh;
	refs[2].handle = self->w.rto;		/* another table */
	EXPECT_EQ(ESTALE, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs, 3,
				     NULL));
	refs[2].handle = self->w.dst;
	refs[2].type = RTM_HT_ROUTE;		/* wrong kind */
	EXPECT_EQ(ESTALE, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs, 3,
				     NULL));
	refs[2].type = 0;
	refs[2].handle = self->w.en;		/* not referenceable */
	EXPECT_EQ(ESTALE, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs, 3,
				     NULL));
	EXPECT_STATS(self->w.st0);
}

/* A query may name any live object of the table (another's included). */
TEST_F(abi, reference_object_of_another_registration)
{
	struct rtm_handle_ref refs[3];

	memset(refs, 0, sizeof(refs));
	refs[0].handle = self->w.rt2;
	refs[1].handle = self->w.ent2;
	refs[1].type = RTM_HT_ENTITY;
	refs[2].handle = self->w.dst2;
	ASSERT_EQ(0, handles_op(self->w.fd, RTM_IOC_REFERENCE, refs, 3, NULL));
	EXPECT_EQ(self->w.st0.handle_refs + 3, stats().handle_refs);
	ASSERT_EQ(0, handles_op(self->w.fd, RTM_IOC_RELEASE, refs, 3, NULL));
	EXPECT_STATS(self->w.st0);
}

/* A registration holds at most max_refs references: then -ENOSPC. */
TEST_F_TIMEOUT(abi, reference_beyond_max_refs, 600)
{
	long max = param("max_refs");
	struct rtm_handle_ref *refs;
	struct rtm_stats st;
	uint64_t nh;
	long held;
	int fd;

	ASSERT_LT(0, max);
	ASSERT_GE(1L << 22, max);
	fd = open_reg(6, ENT_A, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_nh(fd, v4(1, 1, 1, 1, 32), 1, &nh));
	refs = calloc(RTM_MAX_BATCH, sizeof(*refs));
	ASSERT_NE(NULL, refs);
	for (held = 0; held < RTM_MAX_BATCH; held++)
		refs[held].handle = nh;
	/* The add's reference, then full batches up to max - 1. */
	held = 1;
	while (held + RTM_MAX_BATCH <= max - 1) {
		ASSERT_EQ(0, handles_op(fd, RTM_IOC_REFERENCE, refs,
					RTM_MAX_BATCH, NULL));
		held += RTM_MAX_BATCH;
	}
	if (held < max - 1)
		ASSERT_EQ(0, handles_op(fd, RTM_IOC_REFERENCE, refs,
					max - 1 - held, NULL));
	held = max - 1;
	st = stats();
	/* Two do not fit: neither is taken. */
	EXPECT_EQ(ENOSPC, handles_op(fd, RTM_IOC_REFERENCE, refs, 2, NULL));
	EXPECT_STATS(st);
	EXPECT_EQ(0, handles_op(fd, RTM_IOC_REFERENCE, refs, 1, NULL));
	EXPECT_EQ(st.handle_refs + 1, stats().handle_refs);
	st = stats();
	EXPECT_EQ(ENOSPC, handles_op(fd, RTM_IOC_REFERENCE, refs, 1, NULL));
	EXPECT_STATS(st);
	/* Closing the file gives every one of them back. */
	close(fd);
	EXPECT_STATS(self->w.st0);
	free(refs);
}

/* ---------------------------------------------------------------------- */
/* Next hops                                                               */
/* ---------------------------------------------------------------------- */

static void add_nh_arg(struct rtm_add_nexthop *an, uint32_t flags,
		       uint64_t handle, struct rtm_addr a, uint32_t ifindex)
{
	memset(an, 0, sizeof(*an));
	an->flags = flags;
	an->handle = handle;
	nh_rec(&an->rec, a, ifindex);
}

TEST_F(abi, add_nexthop_unknown_flags)
{
	uint32_t bad[] = { 0x4, 0x8, 0x80000000, 0xffffffff };
	struct rtm_add_nexthop an;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		add_nh_arg(&an, bad[i], 0, v4(10, 0, 0, 9, 32), 9);
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	}
	/* WANT_HANDLE and BY_HANDLE together. */
	add_nh_arg(&an, RTM_NH_WANT_HANDLE | RTM_NH_BY_HANDLE, self->w.nh,
		   v4(10, 0, 0, 1, 32), 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_nexthop_by_handle_of_another_owner)
{
	struct rtm_add_nexthop an;

	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh2, v4(10, 0, 0, 2, 32), 2);
	EXPECT_EQ(EACCES, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	EXPECT_STATS(self->w.st0);
}

/* BY_HANDLE: the identity given must be the next hop's. */
TEST_F(abi, add_nexthop_by_handle_identity_differs)
{
	struct rtm_add_nexthop an;

	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh, v4(10, 0, 0, 1, 32), 2);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh, v4(10, 0, 0, 3, 32), 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh, v4(10, 0, 0, 1, 31), 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	EXPECT_STATS(self->w.st0);
	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh, v4(10, 0, 0, 1, 32), 1);
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
}

TEST_F(abi, add_nexthop_by_handle_deleted)
{
	struct rtm_add_nexthop an;
	struct rtm_find_nexthop f;

	/* Keep a second reference, then delete with the first. */
	ASSERT_EQ(0, reference1(self->w.fd, self->w.nh, RTM_HT_NEXTHOP));
	memset(&f, 0, sizeof(f));
	f.flags = RTM_NH_BY_HANDLE;
	f.handle = self->w.nh;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	add_nh_arg(&an, RTM_NH_BY_HANDLE, self->w.nh, v4(10, 0, 0, 1, 32), 1);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, &an));
	/* The deleted next hop lives on: the route still uses it. */
	EXPECT_EQ(self->w.st0.nexthops, stats().nexthops);
}

TEST_F(abi, add_nexthop_readonly_arg)
{
	struct rtm_add_nexthop an, *ro;

	add_nh_arg(&an, RTM_NH_WANT_HANDLE, 0, v4(10, 0, 0, 9, 32), 9);
	ro = ro_copy(&an, sizeof(an));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ADD_NEXTHOP, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

static void find_arg(struct rtm_find_nexthop *f, uint32_t flags,
		     struct rtm_addr a, uint32_t ifindex)
{
	memset(f, 0, sizeof(*f));
	f->flags = flags;
	nh_rec(&f->rec, a, ifindex);
}

TEST_F(abi, find_nexthop_unknown_flags)
{
	uint32_t bad[] = { RTM_NH_BY_HANDLE, 0x4, 0x80000000 };
	struct rtm_find_nexthop f;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		find_arg(&f, bad[i], v4(10, 0, 0, 1, 32), 1);
		f.handle = self->w.nh;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_FIND_NEXTHOP, &f));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, find_nexthop_reserved_nonzero)
{
	struct rtm_find_nexthop f;

	find_arg(&f, RTM_NH_WANT_HANDLE, v4(10, 0, 0, 1, 32), 1);
	f.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_FIND_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, find_nexthop_not_found)
{
	struct rtm_find_nexthop f;

	find_arg(&f, RTM_NH_WANT_HANDLE, v4(10, 0, 0, 1, 32), 2);
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_FIND_NEXTHOP, &f));
	/* Only the caller's own next hops are searched. */
	find_arg(&f, RTM_NH_WANT_HANDLE, v4(10, 0, 0, 2, 32), 2);
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_FIND_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, find_nexthop_readonly_arg)
{
	struct rtm_find_nexthop f, *ro;

	find_arg(&f, RTM_NH_WANT_HANDLE, v4(10, 0, 0, 1, 32), 1);
	ro = ro_copy(&f, sizeof(f));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_FIND_NEXTHOP, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, delete_nexthop_unknown_flags)
{
	uint32_t bad[] = { RTM_NH_WANT_HANDLE, 0x4, 0x80000000 };
	struct rtm_find_nexthop f;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		find_arg(&f, bad[i], v4(10, 0, 0, 1, 32), 1);
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	}
	find_arg(&f, RTM_NH_BY_HANDLE | RTM_NH_WANT_HANDLE,
		 v4(10, 0, 0, 1, 32), 1);
	f.handle = self->w.nh;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, delete_nexthop_reserved_nonzero)
{
	struct rtm_find_nexthop f;

	find_arg(&f, RTM_NH_BY_HANDLE, v4(10, 0, 0, 1, 32), 1);
	f.handle = self->w.nh;
	f.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	find_arg(&f, 0, v4(10, 0, 0, 1, 32), 1);
	f.reserved = 0x10;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, delete_nexthop_not_found)
{
	struct rtm_find_nexthop f;

	find_arg(&f, 0, v4(10, 0, 0, 1, 32), 7);
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	/* Another entity's next hop is not the caller's to find. */
	find_arg(&f, 0, v4(10, 0, 0, 2, 32), 2);
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
}

/* By handle: the call consumes a reference the caller must hold. */
TEST_F(abi, delete_nexthop_by_handle_not_held_or_not_owned)
{
	struct rtm_find_nexthop f;

	find_arg(&f, RTM_NH_BY_HANDLE, v4(0, 0, 0, 0, 0), 0);
	f.handle = self->w.nh2;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_STATS(self->w.st0);
	ASSERT_EQ(0, reference1(self->w.fd, self->w.nh2, RTM_HT_NEXTHOP));
	EXPECT_EQ(EACCES, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_EQ(self->w.st0.handle_refs + 1, stats().handle_refs);
	/* Deleted: a second delete finds no reference to consume. */
	f.handle = self->w.nh;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_EQ(self->w.st0.handle_refs, stats().handle_refs);
}

TEST_F(abi, nexthop_info_readonly_arg)
{
	struct rtm_nexthop_info ni, *ro;

	memset(&ni, 0, sizeof(ni));
	ni.handle = self->w.nh2;
	ro = ro_copy(&ni, sizeof(ni));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_NEXTHOP_INFO, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

/* ---------------------------------------------------------------------- */
/* Routes                                                                  */
/* ---------------------------------------------------------------------- */

TEST_F(abi, add_route_unknown_flags)
{
	uint32_t bad[] = { 0x8, 0x10, 0x80000000, 0xffffffff };
	struct rtm_add_route ar;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
		ar.flags |= bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_by_handle_and_want_handle)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(10, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_BY_HANDLE | RTM_RT_WANT_HANDLE | RTM_RT_HAVE_DEST;
	ar.handle = self->w.rt;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	ar.flags = RTM_RT_BY_HANDLE | RTM_RT_WANT_HANDLE;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_reserved_and_output_fields)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.rec.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	/* Fields only the kernel sets must be zero on input. */
	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.rec.state = 2;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.rec.dest = self->w.dst;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.rec.owner = self->w.ent;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_without_dest_or_handle)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_WANT_HANDLE;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	ar.flags = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_unknown_change_flags)
{
	uint32_t bad[] = { 0x4, 0x100, 0x20000, 0x80000000 };
	struct rtm_add_route ar;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
		ar.change_flags = bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_ttl_zero)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.ttl = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	/* In update mode too. */
	route_arg(&ar, v4(10, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_BY_HANDLE;
	ar.handle = self->w.rt;
	ar.ttl = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
	ar.ttl = 1000000;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
}

TEST_F(abi, add_route_bad_views)
{
	uint32_t bad[] = { 0, 0x4, 0x5, 0x80000000, 0xffffffff };
	struct rtm_add_route ar;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
		ar.rec.views = bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_too_many_nexthops)
{
	uint64_t nhs[64];
	struct rtm_add_route ar;
	unsigned int i;

	ASSERT_GT(64, self->w.max_nh);
	for (i = 0; i < 64; i++)
		nhs[i] = self->w.nh;
	route_arg(&ar, v4(12, 0, 0, 0, 8), nhs, self->w.max_nh + 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), nhs, 0xffffffff);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_nexthops_bad_pointer)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 1);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), self->w.unmapped, 1);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

/* Next hops must be live next hops of the caller, each listed once. */
TEST_F(abi, add_route_bad_nexthop_handles)
{
	uint64_t bad[] = {
		0, 0x4000000000abcdefULL, self->w.nh2, self->w.nho,
		self->w.rt, self->w.nh ^ (1ULL << 32),
	};
	uint64_t two[2] = { self->w.nh, self->w.nh };
	struct rtm_add_route ar;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_arg(&ar, v4(12, 0, 0, 0, 8), &bad[i], 1);
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
		/* As the neighbour. */
		route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
		ar.rec.neighbour = bad[i];
		if (bad[i])
			EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE,
					      &ar));
	}
	route_arg(&ar, v4(12, 0, 0, 0, 8), two, 2);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_deleted_nexthop)
{
	struct rtm_find_nexthop f;
	struct rtm_stats st;
	struct rtm_add_route ar;
	uint64_t nh;

	ASSERT_EQ(0, add_nh(self->w.fd, v4(10, 0, 0, 7, 32), 7, &nh));
	ASSERT_EQ(0, reference1(self->w.fd, nh, RTM_HT_NEXTHOP));
	find_arg(&f, RTM_NH_BY_HANDLE, v4(0, 0, 0, 0, 0), 0);
	f.handle = nh;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	st = stats();
	route_arg(&ar, v4(12, 0, 0, 0, 8), &nh, 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.rec.neighbour = nh;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(st);
}

/* A forged list handle, or an enumeration handle: not a list. */
TEST_F(abi, add_route_list_handle)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(12, 0, 0, 0, 8), NULL, 0);
	ar.list = 0x7000000000000001ULL;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	ar.list = self->w.en;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, add_route_by_handle_not_owned_deleted_or_moved)
{
	struct rtm_delete_route dr;
	struct rtm_add_route ar;

	/* Another entity's route. */
	route_arg(&ar, v4(11, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_BY_HANDLE;
	ar.handle = self->w.rt2;
	EXPECT_EQ(EACCES, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	/* A dest that is not the route's. */
	ar.flags = RTM_RT_BY_HANDLE | RTM_RT_HAVE_DEST;
	ar.handle = self->w.rt;
	ar.dest_addr = v4(11, 0, 0, 0, 8);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	ar.dest_addr = v4(10, 0, 0, 0, 9);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_STATS(self->w.st0);
	/* A deleted route. */
	ASSERT_EQ(0, reference1(self->w.fd, self->w.rt, RTM_HT_ROUTE));
	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	ar.flags = RTM_RT_BY_HANDLE;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ADD_ROUTE, &ar));
	EXPECT_EQ(self->w.st0.routes, stats().routes);
}

TEST_F(abi, add_route_readonly_arg)
{
	struct rtm_add_route ar, *ro;
	uint64_t nh = self->w.nh;

	route_arg(&ar, v4(12, 0, 0, 0, 8), &nh, 1);
	ro = ro_copy(&ar, sizeof(ar));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ADD_ROUTE, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, delete_route_reserved_nonzero)
{
	struct rtm_delete_route dr;

	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt;
	dr.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, delete_route_not_held_not_owned_deleted)
{
	struct rtm_delete_route dr;

	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt2;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_STATS(self->w.st0);
	ASSERT_EQ(0, reference1(self->w.fd, self->w.rt2, RTM_HT_ROUTE));
	EXPECT_EQ(EACCES, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_EQ(self->w.st0.handle_refs + 1, stats().handle_refs);
	EXPECT_EQ(self->w.st0.routes, stats().routes);
	/* Deleted while a second reference is held: -ENOENT, kept. */
	ASSERT_EQ(0, reference1(self->w.fd, self->w.rt, RTM_HT_ROUTE));
	dr.handle = self->w.rt;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_EQ(self->w.st0.handle_refs + 1, stats().handle_refs);
}

TEST_F(abi, delete_route_readonly_arg)
{
	struct rtm_delete_route dr, *ro;

	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt;
	ro = ro_copy(&dr, sizeof(dr));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

static void route_info_arg(struct rtm_route_info *ri, uint64_t h,
			   uint32_t flags, void *nhs)
{
	memset(ri, 0, sizeof(*ri));
	ri->handle = h;
	ri->flags = flags;
	ri->rec.nexthops = (uint64_t)(uintptr_t)nhs;
}

TEST_F(abi, route_info_unknown_flags_and_reserved)
{
	uint32_t bad[] = { 0x4, 0x8, 0x80000000 };
	struct rtm_route_info ri;
	uint64_t nhs[64];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO | bad[i], nhs);
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	}
	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO, nhs);
	ri.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	EXPECT_STATS(self->w.st0);
}

/* The next-hop output array must be writable: else no reference. */
TEST_F(abi, route_info_bad_nexthop_array)
{
	uint64_t zero[64] = { 0 };
	struct rtm_route_info ri;
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO, NULL);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO, self->w.unmapped);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	EXPECT_STATS(self->w.st0);
	/* Without WANT_INFO the array is not used. */
	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_ADDR, NULL);
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ROUTE_INFO, &ri));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, route_info_readonly_arg)
{
	struct rtm_route_info ri, *ro;
	uint64_t nhs[64];

	route_info_arg(&ri, self->w.rt, RTM_RI_WANT_INFO | RTM_RI_WANT_ADDR,
		       nhs);
	ro = ro_copy(&ri, sizeof(ri));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_INFO, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, is_best_reserved_and_readonly)
{
	struct rtm_is_best ib, *ro;

	memset(&ib, 0, sizeof(ib));
	ib.handle = self->w.rt;
	ib.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_IS_BEST, &ib));
	ib.reserved = 0;
	ro = ro_copy(&ib, sizeof(ib));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_IS_BEST, ro));
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_IS_BEST, &ib));
	EXPECT_EQ(1, ib.views);
	munmap(ro, PAGE);
}

/* ---------------------------------------------------------------------- */
/* Destination queries and exact route match                              */
/* ---------------------------------------------------------------------- */

static void dq_arg(struct rtm_dest_query *q, uint32_t op, uint64_t h,
		   struct rtm_addr a)
{
	memset(q, 0, sizeof(*q));
	q->op = op;
	q->handle = h;
	q->addr = a;
	q->views = 0xffffffff;
}

TEST_F(abi, dest_query_op_out_of_range)
{
	uint32_t bad[] = { RTM_DQ_MAX, 5, 0x80000000, 0xffffffff };
	struct rtm_dest_query q;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dq_arg(&q, bad[i], self->w.dst, v4(10, 0, 0, 0, 8));
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, dest_query_reserved_and_views)
{
	uint32_t bad[] = { 0x4, 0x7, 0x80000000, 0xfffffffe };
	struct rtm_dest_query q;
	unsigned int i;

	dq_arg(&q, RTM_DQ_EXACT, 0, v4(10, 0, 0, 0, 8));
	q.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dq_arg(&q, RTM_DQ_EXACT, 0, v4(10, 0, 0, 0, 8));
		q.views = bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
		dq_arg(&q, RTM_DQ_HANDLE, self->w.dst, v4(0, 0, 0, 0, 0));
		q.views = bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, dest_query_not_found)
{
	struct rtm_dest_query q;

	dq_arg(&q, RTM_DQ_EXACT, 0, v4(10, 0, 0, 0, 16));
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	dq_arg(&q, RTM_DQ_LONGEST, 0, v4(12, 0, 0, 1, 32));
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	dq_arg(&q, RTM_DQ_LESS, self->w.dst, v4(0, 0, 0, 0, 0));
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	/* With views: the route of 10/8 is unicast only. */
	dq_arg(&q, RTM_DQ_EXACT, 0, v4(10, 0, 0, 0, 8));
	q.views = 2;
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DEST_QUERY, &q));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, dest_query_readonly_arg)
{
	struct rtm_dest_query q, *ro;

	dq_arg(&q, RTM_DQ_EXACT, 0, v4(10, 0, 0, 0, 8));
	ro = ro_copy(&q, sizeof(q));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_DEST_QUERY, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

static void rm_arg(struct rtm_route_match *m, struct rtm_addr a,
		   uint32_t match, void *nhs, uint32_t nnh)
{
	memset(m, 0, sizeof(*m));
	m->addr = a;
	m->match = match;
	m->flags = RTM_RM_WANT_HANDLE;
	m->crit.nexthops = (uint64_t)(uintptr_t)nhs;
	m->crit.num_nexthops = nnh;
}

TEST_F(abi, route_match_unknown_flags_reserved_views)
{
	uint32_t bad[] = { 0x2, 0x4, 0x80000000 };
	struct rtm_route_match m;
	uint64_t nhs[64];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rm_arg(&m, v4(10, 0, 0, 0, 8), 0, nhs, 0);
		m.flags |= bad[i];
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	}
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, nhs, 0);
	m.crit.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, nhs, 0);
	m.views = 0x4;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, route_match_nexthop_criteria)
{
	struct rtm_route_match m;
	uint64_t nhs[64];
	unsigned int i;

	for (i = 0; i < 64; i++)
		nhs[i] = self->w.nh;
	rm_arg(&m, v4(10, 0, 0, 0, 8), RTM_MATCH_NEXTHOP, nhs,
	       self->w.max_nh + 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), RTM_MATCH_NEXTHOP, NULL, 1);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), RTM_MATCH_NEXTHOP, self->w.unmapped, 1);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	EXPECT_STATS(self->w.st0);
	/* Without NEXTHOP the criteria count is not read. */
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, nhs, 0xffffffff);
	m.flags = 0;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	EXPECT_EQ(1, m.crit.num_nexthops);
	EXPECT_EQ(self->w.nh, nhs[0]);
}

TEST_F(abi, route_match_not_found)
{
	struct rtm_route_match m;
	uint64_t nhs[64];

	rm_arg(&m, v4(12, 0, 0, 0, 8), 0, nhs, 0);
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), RTM_MATCH_OWNER, nhs, 0);
	m.crit.owner = self->w.ent2;
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	EXPECT_STATS(self->w.st0);
}

/* The found route's next hops need a writable array: else no reference. */
TEST_F(abi, route_match_bad_output_array)
{
	uint64_t zero[64] = { 0 };
	struct rtm_route_match m;
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, NULL, 0);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, self->w.unmapped, 0);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, ro, 0);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, &m));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

TEST_F(abi, route_match_readonly_arg)
{
	struct rtm_route_match m, *ro;
	uint64_t nhs[64];

	rm_arg(&m, v4(10, 0, 0, 0, 8), 0, nhs, 0);
	ro = ro_copy(&m, sizeof(m));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ROUTE_MATCH, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

/* ---------------------------------------------------------------------- */
/* Enumerations                                                            */
/* ---------------------------------------------------------------------- */

static void ec_arg(struct rtm_enum_create *c, uint32_t kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
}

TEST_F(abi, enum_create_bad_kind)
{
	uint32_t bad[] = { 0, RTM_ENUM_KIND_MAX, 7, 0x80000000, 0xffffffff };
	struct rtm_enum_create c;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ec_arg(&c, bad[i]);
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, enum_create_unknown_flags_and_reserved)
{
	uint32_t k;
	struct rtm_enum_create c;

	for (k = RTM_ENUM_KIND_DEST; k < RTM_ENUM_KIND_MAX; k++) {
		ec_arg(&c, k);
		c.flags = 0x2;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
		c.flags = 0x80000000;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
		ec_arg(&c, k);
		c.reserved = 1;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
		ec_arg(&c, k);
		c.crit.reserved = 1;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
		/* The output handle must come in as 0. */
		ec_arg(&c, k);
		c.handle = self->w.en;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	}
	EXPECT_STATS(self->w.st0);
}

/* Allowed: dests 0x3 | OWN_DESTS; routes 0x3 | OWN_ROUTES; hops 0x3. */
TEST_F(abi, enum_create_unknown_enum_flags)
{
	struct {
		uint32_t kind, flags;
	} bad[] = {
		{ RTM_ENUM_KIND_DEST, 0x4 },
		{ RTM_ENUM_KIND_DEST, 0x00010000 },
		{ RTM_ENUM_KIND_DEST, 0x80000000 },
		{ RTM_ENUM_KIND_ROUTE, 0x4 },
		{ RTM_ENUM_KIND_ROUTE, 0x01000000 },
		{ RTM_ENUM_KIND_ROUTE, 0x00020000 },
		{ RTM_ENUM_KIND_NEXTHOP, 0x4 },
		{ RTM_ENUM_KIND_NEXTHOP, 0x01000000 },
		{ RTM_ENUM_KIND_NEXTHOP, 0x00010000 },
	};
	struct rtm_enum_create c;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ec_arg(&c, bad[i].kind);
		c.enum_flags = bad[i].flags;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, enum_create_next_and_range_together)
{
	struct rtm_enum_create c;
	uint32_t k;

	for (k = RTM_ENUM_KIND_DEST; k < RTM_ENUM_KIND_MAX; k++) {
		ec_arg(&c, k);
		c.flags = RTM_EC_HAVE_ADDR;
		c.addr = v4(10, 0, 0, 0, 8);
		c.enum_flags = 0x3;
		EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, enum_create_range_without_address)
{
	struct rtm_enum_create c;
	uint32_t k, f;

	for (k = RTM_ENUM_KIND_DEST; k < RTM_ENUM_KIND_MAX; k++) {
		for (f = 1; f <= 2; f++) {
			ec_arg(&c, k);
			c.enum_flags = f;
			EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE,
					      &c));
		}
	}
	EXPECT_STATS(self->w.st0);
	/* A route enumeration of one dest needs none. */
	ec_arg(&c, RTM_ENUM_KIND_ROUTE);
	c.enum_flags = 1;
	c.dest = self->w.dst;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
}

TEST_F(abi, enum_create_dest_handle_for_other_kinds)
{
	struct rtm_enum_create c;

	ec_arg(&c, RTM_ENUM_KIND_DEST);
	c.dest = self->w.dst;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	ec_arg(&c, RTM_ENUM_KIND_NEXTHOP);
	c.dest = self->w.dst;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, enum_create_unsupported_views)
{
	uint32_t bad[] = { 0x4, 0x7, 0x80000000, 0xfffffffe };
	struct rtm_enum_create c;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ec_arg(&c, RTM_ENUM_KIND_DEST);
		c.views = bad[i];
		EXPECT_EQ(EOPNOTSUPP, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
		ec_arg(&c, RTM_ENUM_KIND_ROUTE);
		c.views = bad[i];
		EXPECT_EQ(EOPNOTSUPP, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	}
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, enum_create_nexthop_criteria)
{
	struct rtm_enum_create c;
	uint64_t nhs[64];
	unsigned int i;

	for (i = 0; i < 64; i++)
		nhs[i] = self->w.nh;
	ec_arg(&c, RTM_ENUM_KIND_ROUTE);
	c.match = RTM_MATCH_NEXTHOP;
	c.crit.nexthops = (uint64_t)(uintptr_t)nhs;
	c.crit.num_nexthops = self->w.max_nh + 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.crit.num_nexthops = 0xffffffff;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.crit.num_nexthops = 1;
	c.crit.nexthops = 0;
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.crit.nexthops = (uint64_t)(uintptr_t)self->w.unmapped;
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	EXPECT_STATS(self->w.st0);
	c.crit.nexthops = (uint64_t)(uintptr_t)nhs;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
}

TEST_F(abi, enum_create_beyond_max_enums)
{
	long max = param("max_enums");
	struct rtm_stats st;
	uint64_t h;
	long i;

	ASSERT_LT(2, max);
	ASSERT_GE(4096, max);
	/* fd already has two. */
	for (i = 2; i < max; i++)
		ASSERT_EQ(0, enum_create(self->w.fd, RTM_ENUM_KIND_NEXTHOP, &h));
	st = stats();
	EXPECT_EQ(ENOSPC, enum_create(self->w.fd, RTM_ENUM_KIND_DEST, &h));
	EXPECT_STATS(st);
	/* The limit is per registration. */
	EXPECT_EQ(0, enum_create(self->w.fd2, RTM_ENUM_KIND_DEST, &h));
	/* A deleted one frees a place. */
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_DELETE, &self->w.en));
	EXPECT_EQ(0, enum_create(self->w.fd, RTM_ENUM_KIND_DEST, &h));
}

TEST_F(abi, enum_create_readonly_arg)
{
	struct rtm_enum_create c, *ro;

	ec_arg(&c, RTM_ENUM_KIND_DEST);
	ro = ro_copy(&c, sizeof(c));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_CREATE, ro));
	EXPECT_STATS(self->w.st0);
	munmap(ro, PAGE);
}

static void eg_arg(struct rtm_enum_get *g, uint64_t h, uint32_t kind,
		   uint32_t count, void *buf)
{
	memset(g, 0, sizeof(*g));
	g->handle = h;
	g->kind = kind;
	g->count = count;
	g->buf = (uint64_t)(uintptr_t)buf;
}

/* The first route of fd's route enumeration is rt: nothing consumed. */
#define EXPECT_CURSOR_AT_START(w) do {					\
	struct rtm_enum_get g_;						\
	uint64_t b_[2] = { 0 };						\
	eg_arg(&g_, (w).en, RTM_ENUM_KIND_ROUTE, 1, b_);		\
	EXPECT_EQ(0, xio((w).fd, RTM_IOC_ENUM_GET, &g_));		\
	EXPECT_EQ(1, g_.count);						\
	EXPECT_EQ((w).rt, b_[0]);					\
	EXPECT_EQ(0, release1((w).fd, b_[0], RTM_HT_ROUTE, NULL));	\
} while (0)

TEST_F(abi, enum_get_reserved_and_count_over_max)
{
	struct rtm_enum_get g;
	uint64_t *buf = calloc(RTM_MAX_BATCH + 1, sizeof(uint64_t));

	ASSERT_NE(NULL, buf);
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 1, buf);
	g.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, self->w.max_enum + 1, buf);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 0xffffffff, buf);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_STATS(self->w.st0);
	EXPECT_CURSOR_AT_START(self->w);
	free(buf);
}

TEST_F(abi, enum_get_kind_mismatch)
{
	struct rtm_enum_get g;
	uint64_t buf[2 * sizeof(struct rtm_dest_rec)];

	eg_arg(&g, self->w.en, RTM_ENUM_KIND_DEST, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_NEXTHOP, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, 0, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.den, RTM_ENUM_KIND_ROUTE, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_STATS(self->w.st0);
	EXPECT_CURSOR_AT_START(self->w);
}

TEST_F(abi, enum_get_bad_buffer)
{
	uint64_t zero[64] = { 0 };
	struct rtm_enum_get g;
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 1, NULL);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 2, self->w.unmapped);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 2, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, self->w.den, RTM_ENUM_KIND_DEST, 1, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_STATS(self->w.st0);
	EXPECT_CURSOR_AT_START(self->w);
	munmap(ro, PAGE);
}

/* The count cannot be written back: no reference, cursor unmoved. */
TEST_F(abi, enum_get_readonly_arg)
{
	struct rtm_enum_get g, *ro;
	uint64_t buf[4];

	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 1, buf);
	ro = ro_copy(&g, sizeof(g));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ENUM_GET, ro));
	EXPECT_STATS(self->w.st0);
	EXPECT_CURSOR_AT_START(self->w);
	munmap(ro, PAGE);
}

TEST_F(abi, enum_of_another_registration)
{
	struct rtm_enum_delete ed = { .handle = self->w.en2 };
	struct rtm_enum_get g;
	uint64_t buf[4];

	eg_arg(&g, self->w.en2, RTM_ENUM_KIND_ROUTE, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_DELETE, &ed));
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, xio(self->w.fd2, RTM_IOC_ENUM_DELETE, &ed));
}

TEST_F(abi, enum_deleted_handle)
{
	struct rtm_enum_delete ed = { .handle = self->w.en };
	struct rtm_enum_get g;
	uint64_t buf[4];

	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_DELETE, &ed));
	EXPECT_EQ(self->w.st0.enums - 1, stats().enums);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_DELETE, &ed));
	eg_arg(&g, self->w.en, RTM_ENUM_KIND_ROUTE, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_EQ(self->w.st0.enums - 1, stats().enums);
}

/* ---------------------------------------------------------------------- */
/* Addresses of an IPv6 table                                              */
/* ---------------------------------------------------------------------- */

TEST_F(abi, ipv6_table_addresses)
{
	struct rtm_add_nexthop an;
	struct rtm_addr a;
	struct rtm_stats st;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_register(fd, 0, AF_INET6, ENT_A, 0, NULL));
	st = stats();
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.bits = 129;
	a.addr[0] = 0x20;
	add_nh_arg(&an, 0, 0, a, 1);
	EXPECT_EQ(EINVAL, xio(fd, RTM_IOC_ADD_NEXTHOP, &an));
	a.bits = 128;
	a.family = AF_INET;
	add_nh_arg(&an, 0, 0, a, 1);
	EXPECT_EQ(EINVAL, xio(fd, RTM_IOC_ADD_NEXTHOP, &an));
	a.family = AF_INET6;
	a.reserved = 1;
	add_nh_arg(&an, 0, 0, a, 1);
	EXPECT_EQ(EINVAL, xio(fd, RTM_IOC_ADD_NEXTHOP, &an));
	EXPECT_STATS(st);
	a.reserved = 0;
	add_nh_arg(&an, 0, 0, a, 1);
	EXPECT_EQ(0, xio(fd, RTM_IOC_ADD_NEXTHOP, &an));
	close(fd);
}

/* ====================================================================== */
/* Handles: every command that takes one, every way to get it wrong       */
/* ====================================================================== */

FIXTURE(handle) {
	struct world w;
};

typedef int (*handle_call)(struct world *w, uint64_t h);

FIXTURE_VARIANT(handle) {
	handle_call call;
	uint32_t type;		/* the kind the command expects */
	int valid_err;		/* with the right handle */
	int zero_err;		/* with 0 */
};

static int hc_entity_info(struct world *w, uint64_t h)
{
	struct rtm_entity_info ei = { .handle = h };

	return xio(w->fd, RTM_IOC_ENTITY_INFO, &ei);
}

static int hc_nexthop_info(struct world *w, uint64_t h)
{
	struct rtm_nexthop_info ni = { .handle = h };

	return xio(w->fd, RTM_IOC_NEXTHOP_INFO, &ni);
}

static int hc_add_nexthop(struct world *w, uint64_t h)
{
	struct rtm_add_nexthop an;

	add_nh_arg(&an, RTM_NH_BY_HANDLE, h, v4(10, 0, 0, 1, 32), 1);
	return xio(w->fd, RTM_IOC_ADD_NEXTHOP, &an);
}

static int hc_delete_nexthop(struct world *w, uint64_t h)
{
	struct rtm_find_nexthop f;

	find_arg(&f, RTM_NH_BY_HANDLE, v4(10, 0, 0, 1, 32), 1);
	f.handle = h;
	return xio(w->fd, RTM_IOC_DELETE_NEXTHOP, &f);
}

static int hc_add_route(struct world *w, uint64_t h)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(10, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_BY_HANDLE;
	ar.handle = h;
	return xio(w->fd, RTM_IOC_ADD_ROUTE, &ar);
}

static int hc_delete_route(struct world *w, uint64_t h)
{
	struct rtm_delete_route dr = { .handle = h };

	return xio(w->fd, RTM_IOC_DELETE_ROUTE, &dr);
}

static int hc_route_info(struct world *w, uint64_t h)
{
	struct rtm_route_info ri;

	route_info_arg(&ri, h, RTM_RI_WANT_ADDR, NULL);
	return xio(w->fd, RTM_IOC_ROUTE_INFO, &ri);
}

static int hc_is_best(struct world *w, uint64_t h)
{
	struct rtm_is_best ib = { .handle = h };

	return xio(w->fd, RTM_IOC_IS_BEST, &ib);
}

static int hc_dest_info(struct world *w, uint64_t h)
{
	struct rtm_dest_query q;

	dq_arg(&q, RTM_DQ_HANDLE, h, v4(0, 0, 0, 0, 0));
	return xio(w->fd, RTM_IOC_DEST_QUERY, &q);
}

static int hc_dest_less(struct world *w, uint64_t h)
{
	struct rtm_dest_query q;

	dq_arg(&q, RTM_DQ_LESS, h, v4(0, 0, 0, 0, 0));
	return xio(w->fd, RTM_IOC_DEST_QUERY, &q);
}

static int hc_enum_create(struct world *w, uint64_t h)
{
	struct rtm_enum_create c;

	ec_arg(&c, RTM_ENUM_KIND_ROUTE);
	c.dest = h;
	return xio(w->fd, RTM_IOC_ENUM_CREATE, &c);
}

static int hc_enum_get(struct world *w, uint64_t h)
{
	struct rtm_enum_get g;
	uint64_t buf[4];

	eg_arg(&g, h, RTM_ENUM_KIND_ROUTE, 1, buf);
	return xio(w->fd, RTM_IOC_ENUM_GET, &g);
}

static int hc_enum_delete(struct world *w, uint64_t h)
{
	struct rtm_enum_delete ed = { .handle = h };

	return xio(w->fd, RTM_IOC_ENUM_DELETE, &ed);
}

static int hc_reference(struct world *w, uint64_t h)
{
	return reference1(w->fd, h, RTM_HT_ROUTE);
}

static int hc_reference_dest(struct world *w, uint64_t h)
{
	return reference1(w->fd, h, RTM_HT_DEST);
}

/* RELEASE reports bad entries in its count: one bad entry is ESTALE. */
static int hc_release(struct world *w, uint64_t h)
{
	uint32_t inv = 0;
	int err = release1(w->fd, h, RTM_HT_NEXTHOP, &inv);

	return err ? err : inv == 1 ? ESTALE : inv ? EPROTO : 0;
}

static int hc_add_routes(struct world *w, uint64_t h)
{
	struct rtm_add_route ar;

	route_arg(&ar, v4(10, 0, 0, 0, 8), NULL, 0);
	ar.flags = RTM_RT_BY_HANDLE;
	ar.handle = h;
	return batch1(w->fd, RTM_IOC_ADD_ROUTES, &ar);
}

static int hc_delete_routes(struct world *w, uint64_t h)
{
	struct rtm_delete_route dr = { .handle = h };

	return batch1(w->fd, RTM_IOC_DELETE_ROUTES, &dr);
}

FIXTURE_VARIANT_ADD(handle, entity_info) {
	.call = hc_entity_info, .type = RTM_HT_ENTITY, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, nexthop_info) {
	.call = hc_nexthop_info, .type = RTM_HT_NEXTHOP, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, add_nexthop) {
	.call = hc_add_nexthop, .type = RTM_HT_NEXTHOP, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, delete_nexthop) {
	.call = hc_delete_nexthop, .type = RTM_HT_NEXTHOP, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, add_route) {
	.call = hc_add_route, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, delete_route) {
	.call = hc_delete_route, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, add_routes) {
	.call = hc_add_routes, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, delete_routes) {
	.call = hc_delete_routes, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, route_info) {
	.call = hc_route_info, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, is_best) {
	.call = hc_is_best, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, dest_info) {
	.call = hc_dest_info, .type = RTM_HT_DEST, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, dest_less_specific) {
	.call = hc_dest_less, .type = RTM_HT_DEST, .valid_err = ENOENT,
	.zero_err = ESTALE };
/* dest 0 asks for the routes of every destination. */
FIXTURE_VARIANT_ADD(handle, enum_create_one_dest) {
	.call = hc_enum_create, .type = RTM_HT_DEST, .zero_err = 0 };
FIXTURE_VARIANT_ADD(handle, enum_get) {
	.call = hc_enum_get, .type = RTM_HT_ENUM, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, enum_delete) {
	.call = hc_enum_delete, .type = RTM_HT_ENUM, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, reference_route) {
	.call = hc_reference, .type = RTM_HT_ROUTE, .zero_err = ESTALE };
FIXTURE_VARIANT_ADD(handle, reference_dest) {
	.call = hc_reference_dest, .type = RTM_HT_DEST, .zero_err = ESTALE };
/* A 0 entry is skipped by RELEASE. */
FIXTURE_VARIANT_ADD(handle, release_nexthop) {
	.call = hc_release, .type = RTM_HT_NEXTHOP, .zero_err = 0 };

FIXTURE_SETUP(handle)
{
	ASSERT_EQ(0, world_setup(&self->w));
}

FIXTURE_TEARDOWN(handle)
{
	world_teardown(&self->w);
}

/* A valid handle of the expected kind, held by fd. */
static uint64_t valid_of(struct world *w, uint32_t type)
{
	switch (type) {
	case RTM_HT_ENTITY:
		return w->ent;
	case RTM_HT_DEST:
		return w->dst;
	case RTM_HT_ROUTE:
		return w->rt;
	case RTM_HT_NEXTHOP:
		return w->nh;
	default:
		return w->en;
	}
}

/* A valid handle of another kind. */
static uint64_t other_kind_of(struct world *w, uint32_t type)
{
	switch (type) {
	case RTM_HT_ENTITY:
		return w->nh;
	case RTM_HT_DEST:
		return w->rt;
	case RTM_HT_ROUTE:
		return w->dst;
	case RTM_HT_NEXTHOP:
		return w->rt;
	default:
		return w->rt;
	}
}

/* The same kind of object in another table (enum: another file's). */
static uint64_t other_table_of(struct world *w, uint32_t type)
{
	switch (type) {
	case RTM_HT_ENTITY:
		return w->ento;
	case RTM_HT_DEST:
		return w->dsto;
	case RTM_HT_ROUTE:
		return w->rto;
	case RTM_HT_NEXTHOP:
		return w->nho;
	default:
		return w->eno;
	}
}

#define EXPECT_HANDLE_REJECTED(h) do {					\
	EXPECT_EQ(ESTALE, variant->call(&self->w, (h)));		\
	EXPECT_STATS(self->w.st0);					\
} while (0)

TEST_F(handle, valid)
{
	EXPECT_EQ(variant->valid_err,
		  variant->call(&self->w, valid_of(&self->w, variant->type)));
}

TEST_F(handle, zero)
{
	EXPECT_EQ(variant->zero_err, variant->call(&self->w, 0));
	if (variant->zero_err)
		EXPECT_STATS(self->w.st0);
}

TEST_F(handle, random_values)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = 0; i < 64; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Half of them with the expected kind in the type bits. */
		EXPECT_HANDLE_REJECTED(i & 1 ? retype(x, variant->type) : x);
	}
	EXPECT_HANDLE_REJECTED(~0ULL);
	EXPECT_HANDLE_REJECTED(retype(0, variant->type));
	EXPECT_HANDLE_REJECTED(retype(0xffffffffULL, variant->type));
}

TEST_F(handle, generation_changed)
{
	uint64_t h = valid_of(&self->w, variant->type);

	EXPECT_HANDLE_REJECTED(h ^ (1ULL << 32));
	EXPECT_HANDLE_REJECTED(h ^ (1ULL << 59));
	EXPECT_HANDLE_REJECTED(h ^ (0x0fffffffULL << 32));
}

TEST_F(handle, slot_changed)
{
	uint64_t h = valid_of(&self->w, variant->type);

	EXPECT_HANDLE_REJECTED(h + 0x1000000);
	EXPECT_HANDLE_REJECTED(h | 0xffffffffULL);
	EXPECT_HANDLE_REJECTED(h & ~0xffffffffULL);
}

/* The right object with other type bits. */
TEST_F(handle, type_bits_changed)
{
	uint64_t h = valid_of(&self->w, variant->type);
	uint32_t t;

	for (t = 0; t < 16; t++)
		if (t != variant->type)
			EXPECT_HANDLE_REJECTED(retype(h, t));
}

/* Another kind of object with the expected type bits. */
TEST_F(handle, other_object_retyped)
{
	EXPECT_HANDLE_REJECTED(retype(other_kind_of(&self->w, variant->type),
				      variant->type));
}

TEST_F(handle, wrong_kind)
{
	EXPECT_HANDLE_REJECTED(other_kind_of(&self->w, variant->type));
}

TEST_F(handle, other_table)
{
	EXPECT_HANDLE_REJECTED(other_table_of(&self->w, variant->type));
}

/* The handle of an object that was freed. */
TEST_F(handle, object_freed)
{
	struct world *w = &self->w;
	struct rtm_find_nexthop f;
	struct rtm_register r;
	uint64_t old = 0, rh;
	int fd;

	switch (variant->type) {
	case RTM_HT_ENTITY:
		fd = open_reg(0, 4242, &r);
		ASSERT_LE(0, fd);
		old = r.handle;
		close(fd);
		break;
	case RTM_HT_NEXTHOP:
		ASSERT_EQ(0, add_nh(w->fd, v4(10, 9, 9, 9, 32), 9, &old));
		find_arg(&f, RTM_NH_BY_HANDLE, v4(0, 0, 0, 0, 0), 0);
		f.handle = old;
		ASSERT_EQ(0, xio(w->fd, RTM_IOC_DELETE_NEXTHOP, &f));
		break;
	case RTM_HT_ROUTE:
		ASSERT_EQ(0, add_route(w->fd, v4(12, 0, 0, 0, 8), 0, &old));
		ASSERT_EQ(0, hc_delete_route(w, old));
		break;
	case RTM_HT_DEST:
		ASSERT_EQ(0, add_route(w->fd, v4(12, 0, 0, 0, 8), 0, &rh));
		ASSERT_EQ(0, get_dest(w->fd, v4(12, 0, 0, 0, 8), &old));
		ASSERT_EQ(0, hc_delete_route(w, rh));
		ASSERT_EQ(0, release1(w->fd, old, RTM_HT_DEST, NULL));
		break;
	default:
		ASSERT_EQ(0, enum_create(w->fd, RTM_ENUM_KIND_DEST, &old));
		ASSERT_EQ(0, hc_enum_delete(w, old));
		break;
	}
	ASSERT_NE(0, old);
	/* Everything made above is gone again. */
	EXPECT_STATS(self->w.st0);
	EXPECT_HANDLE_REJECTED(old);
}

/* ====================================================================== */
/* Addresses: every command that takes one                                */
/* ====================================================================== */

FIXTURE(addr) {
	struct world w;
};

typedef int (*addr_call)(struct world *w, struct rtm_addr a);

FIXTURE_VARIANT(addr) {
	addr_call call;
	struct rtm_addr good;	/* accepted by @call */
};

static int ac_add_nexthop(struct world *w, struct rtm_addr a)
{
	struct rtm_add_nexthop an;

	add_nh_arg(&an, 0, 0, a, 1);
	return xio(w->fd, RTM_IOC_ADD_NEXTHOP, &an);
}

static int ac_find_nexthop(struct world *w, struct rtm_addr a)
{
	struct rtm_find_nexthop f;

	find_arg(&f, 0, a, 1);
	return xio(w->fd, RTM_IOC_FIND_NEXTHOP, &f);
}

static int ac_delete_nexthop(struct world *w, struct rtm_addr a)
{
	struct rtm_find_nexthop f;

	find_arg(&f, 0, a, 1);
	return xio(w->fd, RTM_IOC_DELETE_NEXTHOP, &f);
}

/*
 * fd's route rt on @a: found by (dest, owner, no neighbour), or named by
 * its handle (with the dest, which must be the route's).
 */
static void ac_route_arg(struct rtm_add_route *ar, struct world *w,
			 struct rtm_addr a, bool by_handle)
{
	route_arg(ar, a, NULL, 0);
	if (by_handle) {
		ar->flags = RTM_RT_HAVE_DEST | RTM_RT_BY_HANDLE;
		ar->handle = w->rt;
	} else {
		ar->flags = RTM_RT_HAVE_DEST;
		ar->change_flags = 0;
	}
}

static int ac_add_route(struct world *w, struct rtm_addr a)
{
	struct rtm_add_route ar;

	ac_route_arg(&ar, w, a, false);
	return xio(w->fd, RTM_IOC_ADD_ROUTE, &ar);
}

static int ac_update_route(struct world *w, struct rtm_addr a)
{
	struct rtm_add_route ar;

	ac_route_arg(&ar, w, a, true);
	return xio(w->fd, RTM_IOC_ADD_ROUTE, &ar);
}

/* The same as one-entry batches. */
static int ac_add_routes(struct world *w, struct rtm_addr a)
{
	struct rtm_add_route ar;

	ac_route_arg(&ar, w, a, false);
	return batch1(w->fd, RTM_IOC_ADD_ROUTES, &ar);
}

static int ac_update_routes(struct world *w, struct rtm_addr a)
{
	struct rtm_add_route ar;

	ac_route_arg(&ar, w, a, true);
	return batch1(w->fd, RTM_IOC_ADD_ROUTES, &ar);
}

static int ac_dest_exact(struct world *w, struct rtm_addr a)
{
	struct rtm_dest_query q;

	dq_arg(&q, RTM_DQ_EXACT, 0, a);
	return xio(w->fd, RTM_IOC_DEST_QUERY, &q);
}

static int ac_dest_longest(struct world *w, struct rtm_addr a)
{
	struct rtm_dest_query q;

	dq_arg(&q, RTM_DQ_LONGEST, 0, a);
	return xio(w->fd, RTM_IOC_DEST_QUERY, &q);
}

static int ac_route_match(struct world *w, struct rtm_addr a)
{
	struct rtm_route_match m;
	uint64_t nhs[64];

	rm_arg(&m, a, 0, nhs, 0);
	return xio(w->fd, RTM_IOC_ROUTE_MATCH, &m);
}

static int ac_enum(struct world *w, struct rtm_addr a, uint32_t kind,
		   uint32_t enum_flags)
{
	struct rtm_enum_create c;

	ec_arg(&c, kind);
	c.flags = RTM_EC_HAVE_ADDR;
	c.enum_flags = enum_flags;
	c.addr = a;
	return xio(w->fd, RTM_IOC_ENUM_CREATE, &c);
}

static int ac_enum_dest(struct world *w, struct rtm_addr a)
{
	return ac_enum(w, a, RTM_ENUM_KIND_DEST, 0x2);	/* RANGE */
}

static int ac_enum_route(struct world *w, struct rtm_addr a)
{
	return ac_enum(w, a, RTM_ENUM_KIND_ROUTE, 0x1);	/* NEXT */
}

static int ac_enum_nexthop(struct world *w, struct rtm_addr a)
{
	return ac_enum(w, a, RTM_ENUM_KIND_NEXTHOP, 0x1);
}

/* 10.0.0.1/32 is fd's next hop; 10/8 the dest of fd's route rt. */
#define HOST { .family = AF_INET, .bits = 32, .addr = { 10, 0, 0, 1 } }
#define NET8 { .family = AF_INET, .bits = 8, .addr = { 10 } }

FIXTURE_VARIANT_ADD(addr, add_nexthop) { ac_add_nexthop, HOST };
FIXTURE_VARIANT_ADD(addr, find_nexthop) { ac_find_nexthop, HOST };
FIXTURE_VARIANT_ADD(addr, delete_nexthop) { ac_delete_nexthop, HOST };
FIXTURE_VARIANT_ADD(addr, add_route) { ac_add_route, NET8 };
FIXTURE_VARIANT_ADD(addr, update_route_with_dest) { ac_update_route, NET8 };
FIXTURE_VARIANT_ADD(addr, add_routes) { ac_add_routes, NET8 };
FIXTURE_VARIANT_ADD(addr, update_routes_with_dest) { ac_update_routes, NET8 };
FIXTURE_VARIANT_ADD(addr, dest_exact) { ac_dest_exact, NET8 };
FIXTURE_VARIANT_ADD(addr, dest_longest) { ac_dest_longest, HOST };
FIXTURE_VARIANT_ADD(addr, route_match) { ac_route_match, NET8 };
FIXTURE_VARIANT_ADD(addr, enum_dest_range) { ac_enum_dest, NET8 };
FIXTURE_VARIANT_ADD(addr, enum_route_next) { ac_enum_route, NET8 };
FIXTURE_VARIANT_ADD(addr, enum_nexthop_next) { ac_enum_nexthop, HOST };

FIXTURE_SETUP(addr)
{
	ASSERT_EQ(0, world_setup(&self->w));
}

FIXTURE_TEARDOWN(addr)
{
	world_teardown(&self->w);
}

#define EXPECT_ADDR_REJECTED(a) do {					\
	EXPECT_EQ(EINVAL, variant->call(&self->w, (a)));		\
	EXPECT_STATS(self->w.st0);					\
} while (0)

TEST_F(addr, valid)
{
	EXPECT_EQ(0, variant->call(&self->w, variant->good));
}

/* Bits past the length are cleared, not rejected (spec part 1, 2.5). */
TEST_F(addr, bits_past_length_ignored)
{
	struct rtm_addr a = variant->good;

	/* Bytes past the 4 of an IPv4 address, and within the prefix. */
	a.addr[15] = 0xff;
	if (a.bits <= 8)
		a.addr[1] = 0xff;
	EXPECT_EQ(0, variant->call(&self->w, a));
}

TEST_F(addr, family_of_other_table)
{
	struct rtm_addr a = variant->good;

	a.family = AF_INET6;
	EXPECT_ADDR_REJECTED(a);
}

TEST_F(addr, family_unknown)
{
	uint16_t bad[] = { 0, 1, 23, 0xffff };
	struct rtm_addr a = variant->good;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.family = bad[i];
		EXPECT_ADDR_REJECTED(a);
	}
}

TEST_F(addr, bits_over_32)
{
	uint16_t bad[] = { 33, 64, 128, 129, 0xffff };
	struct rtm_addr a = variant->good;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.bits = bad[i];
		EXPECT_ADDR_REJECTED(a);
	}
}

TEST_F(addr, reserved_nonzero)
{
	uint32_t bad[] = { 1, 0x100, 0x80000000 };
	struct rtm_addr a = variant->good;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.reserved = bad[i];
		EXPECT_ADDR_REJECTED(a);
	}
}

/* ====================================================================== */
/* Commands of ABI minor 1: notification, hold, locks, pointers, opaque,  */
/* route lists, methods                                                   */
/* ====================================================================== */

static int lock_op(int fd, uint32_t kind, uint32_t flags, uint64_t h,
		   uint64_t *nhs, struct rtm_lock *out)
{
	struct rtm_lock l;
	int err;

	memset(&l, 0, sizeof(l));
	l.kind = kind;
	l.flags = flags;
	l.handle = h;
	l.route.nexthops = (uint64_t)(uintptr_t)nhs;
	err = xio(fd, RTM_IOC_LOCK, &l);
	if (out)
		*out = l;
	return err;
}

/* @fd's exclusive lock of dst can be taken and given back. */
#define EXPECT_DEST_UNLOCKED(w) do {					\
	EXPECT_EQ(0, lock_op((w).fd, RTM_LK_DEST, RTM_LK_EXCLUSIVE,	\
			     (w).dst, NULL, NULL));			\
	EXPECT_EQ(0, lock_op((w).fd, RTM_LK_DEST,			\
			     RTM_LK_EXCLUSIVE | RTM_LK_UNLOCK,		\
			     (w).dst, NULL, NULL));			\
} while (0)

TEST_F(abi, lock_bad_kind_and_flags)
{
	uint32_t kinds[] = { 0, RTM_LK_MAX, 0x80000000, 0xffffffff };
	uint64_t nhs[64];
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		EXPECT_EQ(EINVAL, lock_op(self->w.fd, kinds[i], 0, self->w.dst,
					  nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_DEST, 0x8, self->w.dst,
				  nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_DEST, 0x80000000,
				  self->w.dst, nhs, NULL));
	/* COMMIT only on the unlock of a next hop. */
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_DEST,
				  RTM_LK_COMMIT | RTM_LK_UNLOCK, self->w.dst,
				  nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_ROUTE,
				  RTM_LK_COMMIT | RTM_LK_UNLOCK |
				  RTM_LK_EXCLUSIVE, self->w.rt, nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_NEXTHOP,
				  RTM_LK_COMMIT | RTM_LK_EXCLUSIVE,
				  self->w.nh, nhs, NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_DEST_UNLOCKED(self->w);
}

TEST_F(abi, lock_bad_handles_and_not_owner)
{
	uint64_t nhs[64];

	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_DEST, 0, 0, nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_DEST, 0,
				  0x2000000f0fedcba1ULL, nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_DEST, 0, self->w.rt,
				  nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_DEST, 0, self->w.dsto,
				  nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_ROUTE, 0, self->w.dst,
				  nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_ROUTE, 0, self->w.rto,
				  nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_NEXTHOP, 0, self->w.nho,
				  nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_NEXTHOP, 0,
				  retype(self->w.nh, RTM_HT_ROUTE), nhs,
				  NULL));
	EXPECT_EQ(EACCES, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
				  self->w.rt2, nhs, NULL));
	EXPECT_EQ(EACCES, lock_op(self->w.fd, RTM_LK_NEXTHOP, 0, self->w.nh2,
				  nhs, NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_DEST_UNLOCKED(self->w);
}

/* A route lock returns the record by value: no reference. */
TEST_F(abi, lock_route_returns_record)
{
	struct rtm_lock l;
	uint64_t nhs[64] = { 0 };

	ASSERT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
			     self->w.rt, nhs, &l));
	EXPECT_EQ(self->w.dst, l.route.dest);
	EXPECT_EQ(self->w.ent, l.route.owner);
	EXPECT_EQ(1, l.route.num_nexthops);
	EXPECT_EQ(self->w.nh, nhs[0]);
	EXPECT_EQ((uint64_t)(uintptr_t)nhs, l.route.nexthops);
	EXPECT_STATS(self->w.st0);
	/* Re-lock, mode mismatch: -EINVAL. */
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
				  self->w.rt, nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_DEST, 0, self->w.dst,
				  nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_UNLOCK,
				  self->w.rt, nhs, NULL));
	/* The route lock is the destination's lock. */
	EXPECT_EQ(0, lock_op(self->w.fd, RTM_LK_DEST,
			     RTM_LK_EXCLUSIVE | RTM_LK_UNLOCK, self->w.dst,
			     nhs, NULL));
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_ROUTE,
				  RTM_LK_EXCLUSIVE | RTM_LK_UNLOCK,
				  self->w.rt, nhs, NULL));
}

/* The next-hop array cannot be written: -EFAULT and nothing stays locked. */
TEST_F(abi, lock_route_bad_nexthop_array)
{
	EXPECT_EQ(EFAULT, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
				  self->w.rt, self->w.unmapped, NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_DEST_UNLOCKED(self->w);
}

/* The same with a read-only array and a shared lock. */
TEST_F(abi, lock_route_readonly_nexthop_array)
{
	uint64_t zero[8] = { 0 };
	void *ro = ro_copy(zero, sizeof(zero));

	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, lock_op(self->w.fd, RTM_LK_ROUTE, 0, self->w.rt, ro,
				  NULL));
	EXPECT_STATS(self->w.st0);
	EXPECT_DEST_UNLOCKED(self->w);
	munmap(ro, PAGE);
}

TEST_F(abi, lock_deleted_nexthop_is_enoent)
{
	struct rtm_find_nexthop f;
	uint64_t h = 0;

	ASSERT_EQ(0, add_nh(self->w.fd, v4(10, 0, 0, 9, 32), 9, &h));
	ASSERT_EQ(0, reference1(self->w.fd, h, RTM_HT_NEXTHOP));
	memset(&f, 0, sizeof(f));
	f.flags = RTM_NH_BY_HANDLE;
	f.handle = h;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	EXPECT_EQ(ENOENT, lock_op(self->w.fd, RTM_LK_NEXTHOP,
				  RTM_LK_EXCLUSIVE, h, NULL, NULL));
	EXPECT_EQ(ENOENT, lock_op(self->w.fd, RTM_LK_NEXTHOP, 0, h, NULL,
				  NULL));
	EXPECT_EQ(0, release1(self->w.fd, h, RTM_HT_NEXTHOP, NULL));
	EXPECT_STATS(self->w.st0);
}

static int peek(int fd, uint32_t kind, uint64_t h, uint64_t *nhs,
		struct rtm_peek *out)
{
	struct rtm_peek p;
	int err;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.handle = h;
	p.route.nexthops = (uint64_t)(uintptr_t)nhs;
	err = xio(fd, RTM_IOC_PEEK, &p);
	if (out)
		*out = p;
	return err;
}

TEST_F(abi, peek_reserved_kind_and_handles)
{
	uint64_t nhs[64];
	struct rtm_peek p;

	memset(&p, 0, sizeof(p));
	p.kind = RTM_LK_NEXTHOP;
	p.handle = self->w.nh;
	p.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_PEEK, &p));
	EXPECT_EQ(EINVAL, peek(self->w.fd, RTM_LK_DEST, self->w.dst, nhs,
			       NULL));
	EXPECT_EQ(EINVAL, peek(self->w.fd, 0, self->w.nh, nhs, NULL));
	EXPECT_EQ(EINVAL, peek(self->w.fd, RTM_LK_MAX, self->w.nh, nhs, NULL));
	EXPECT_EQ(ESTALE, peek(self->w.fd, RTM_LK_ROUTE, self->w.nh, nhs,
			       NULL));
	EXPECT_EQ(ESTALE, peek(self->w.fd, RTM_LK_ROUTE, self->w.rto, nhs,
			       NULL));
	EXPECT_EQ(ESTALE, peek(self->w.fd, RTM_LK_NEXTHOP, 0, nhs, NULL));
	EXPECT_EQ(EACCES, peek(self->w.fd, RTM_LK_ROUTE, self->w.rt2, nhs,
			       NULL));
	EXPECT_EQ(EACCES, peek(self->w.fd, RTM_LK_NEXTHOP, self->w.nh2, nhs,
			       NULL));
	EXPECT_EQ(EFAULT, peek(self->w.fd, RTM_LK_ROUTE, self->w.rt,
			       self->w.unmapped, NULL));
	EXPECT_STATS(self->w.st0);
	/* The owner's peek: values, no reference. */
	ASSERT_EQ(0, peek(self->w.fd, RTM_LK_NEXTHOP, self->w.nh, nhs, &p));
	EXPECT_EQ(1, p.nh.ifindex);
	EXPECT_EQ(self->w.ent, p.nh.owner);
	ASSERT_EQ(0, peek(self->w.fd, RTM_LK_ROUTE, self->w.rt, nhs, &p));
	EXPECT_EQ(1, p.route.num_nexthops);
	EXPECT_EQ(self->w.nh, nhs[0]);
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, peek_deleted_route_is_estale)
{
	struct rtm_delete_route dr;
	uint64_t h = 0, nhs[64];

	ASSERT_EQ(0, add_route(self->w.fd, v4(12, 0, 0, 0, 8), self->w.nh,
			       &h));
	ASSERT_EQ(0, reference1(self->w.fd, h, RTM_HT_ROUTE));
	memset(&dr, 0, sizeof(dr));
	dr.handle = h;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &dr));
	EXPECT_EQ(ESTALE, peek(self->w.fd, RTM_LK_ROUTE, h, nhs, NULL));
	EXPECT_EQ(ESTALE, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
				  h, nhs, NULL));
	EXPECT_EQ(0, release1(self->w.fd, h, RTM_HT_ROUTE, NULL));
}

static void upd_arg(struct rtm_update_route *u, uint64_t h, uint64_t *nhs,
		    uint32_t nnh)
{
	memset(u, 0, sizeof(*u));
	u->handle = h;
	u->ttl = 0xffffffff;
	u->rec.preference = 10;
	u->rec.metric = 2;
	u->rec.views = 1;
	u->rec.num_nexthops = nnh;
	u->rec.nexthops = (uint64_t)(uintptr_t)nhs;
}

TEST_F(abi, update_route_validation_keeps_lock)
{
	struct rtm_update_route u;
	uint64_t nhs[64] = { 0 };

	nhs[0] = self->w.nh;
	/* Without the exclusive lock. */
	upd_arg(&u, self->w.rt, nhs, 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	ASSERT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE, 0, self->w.rt, nhs,
			     NULL));
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	ASSERT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_UNLOCK,
			     self->w.rt, nhs, NULL));

	ASSERT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
			     self->w.rt, nhs, NULL));
	nhs[0] = self->w.nh;
	upd_arg(&u, self->w.rt, nhs, 1);
	u.ttl = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	upd_arg(&u, self->w.rt, nhs, 1);
	u.rec.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	upd_arg(&u, self->w.rt, nhs, 1);
	u.rec.views = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	u.rec.views = 0x4;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	upd_arg(&u, self->w.rt, nhs, self->w.max_nh + 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	upd_arg(&u, self->w.rt, self->w.unmapped, 1);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	/* Next hops of another owner, forged or repeated. */
	nhs[0] = self->w.nh2;
	upd_arg(&u, self->w.rt, nhs, 1);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	nhs[0] = 0x4000000f0fedcba1ULL;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	nhs[0] = self->w.nh;
	upd_arg(&u, self->w.rt, nhs, 1);
	u.rec.neighbour = self->w.nh2;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	/* A bad list, a bad route. */
	upd_arg(&u, self->w.rt, nhs, 1);
	u.list = 0x7000000000000001ULL;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	upd_arg(&u, self->w.rto, nhs, 0);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	EXPECT_STATS(self->w.st0);
	/* Still locked: the unlock succeeds once. */
	EXPECT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE,
			     RTM_LK_EXCLUSIVE | RTM_LK_UNLOCK, self->w.rt, nhs,
			     NULL));
	EXPECT_DEST_UNLOCKED(self->w);
}

TEST_F(abi, update_route_not_owner_is_eacces)
{
	struct rtm_update_route u;

	upd_arg(&u, self->w.rt, NULL, 0);
	EXPECT_EQ(EACCES, xio(self->w.fd2, RTM_IOC_UPDATE_ROUTE, &u));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, update_route_commits_and_unlocks)
{
	struct rtm_update_route u;
	struct rtm_peek p;
	uint64_t nhs[64] = { 0 };

	ASSERT_EQ(0, lock_op(self->w.fd, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE,
			     self->w.rt, nhs, NULL));
	upd_arg(&u, self->w.rt, nhs, 1);
	u.rec.metric = 77;
	u.change_flags = 0xdead;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_UPDATE_ROUTE, &u));
	EXPECT_EQ(0x00010000, u.change_flags);	/* RTM_ROUTE_CHANGE_BEST */
	ASSERT_EQ(0, peek(self->w.fd, RTM_LK_ROUTE, self->w.rt, nhs, &p));
	EXPECT_EQ(77, p.route.metric);
	EXPECT_EQ(1, p.route.num_nexthops);
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(EINVAL, lock_op(self->w.fd, RTM_LK_ROUTE,
				  RTM_LK_EXCLUSIVE | RTM_LK_UNLOCK,
				  self->w.rt, nhs, NULL));
	EXPECT_DEST_UNLOCKED(self->w);
}

static int opaque_op(int fd, uint64_t dest, uint32_t op, uint32_t *slot)
{
	struct rtm_opaque o;
	int err;

	memset(&o, 0, sizeof(o));
	o.dest = dest;
	o.op = op;
	o.slot = 0xdead;
	err = xio(fd, RTM_IOC_OPAQUE, &o);
	if (slot)
		*slot = o.slot;
	return err;
}

TEST_F(abi, opaque_ops)
{
	struct rtm_register r;
	uint32_t slot = 0;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, opaque_op(self->w.fd, self->w.dst, RTM_OP_MAX,
				    NULL));
	EXPECT_EQ(EINVAL, opaque_op(self->w.fd, self->w.dst, 0xffffffff,
				    NULL));
	/* No slot reserved. */
	EXPECT_EQ(ENOENT, opaque_op(self->w.fd, self->w.dst, RTM_OP_GET,
				    NULL));
	EXPECT_EQ(ENOENT, opaque_op(self->w.fd, self->w.dst, RTM_OP_SET,
				    NULL));
	ASSERT_EQ(0, do_register(fd, 0, AF_INET, 77, RTM_REG_RESERVE_OPAQUE,
				 &r));
	EXPECT_EQ(ESTALE, opaque_op(fd, 0, RTM_OP_GET, NULL));
	EXPECT_EQ(ESTALE, opaque_op(fd, self->w.dsto, RTM_OP_GET, NULL));
	EXPECT_EQ(ESTALE, opaque_op(fd, self->w.rt, RTM_OP_GET, NULL));
	ASSERT_EQ(0, opaque_op(fd, self->w.dst, RTM_OP_GET, &slot));
	EXPECT_GT(8, slot);
	EXPECT_EQ(0, opaque_op(fd, self->w.dst, RTM_OP_SET, NULL));
	EXPECT_EQ(0, opaque_op(fd, self->w.dst, RTM_OP_CLEAR, NULL));
	close(fd);
	EXPECT_STATS(self->w.st0);
}

static int rlist(int fd, uint32_t op, uint64_t *h, uint32_t count,
		 void *routes)
{
	struct rtm_route_list rl;
	int err;

	memset(&rl, 0, sizeof(rl));
	rl.op = op;
	rl.count = count;
	rl.handle = h ? *h : 0;
	rl.routes = (uint64_t)(uintptr_t)routes;
	err = xio(fd, RTM_IOC_ROUTE_LIST, &rl);
	if (!err && h)
		*h = rl.handle;
	return err;
}

TEST_F(abi, route_list_ops)
{
	uint64_t l = 0, l2 = 0, forged = 0x7000000000000001ULL, zero = 0;
	uint64_t routes[2];

	EXPECT_EQ(EINVAL, rlist(self->w.fd, RTM_LO_MAX, &zero, 0, NULL));
	EXPECT_EQ(EINVAL, rlist(self->w.fd, 0xffffffff, &zero, 0, NULL));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_DELETE, &zero, 0, NULL));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_DELETE, &forged, 0, NULL));
	ASSERT_EQ(0, rlist(self->w.fd, RTM_LO_CREATE, &l, 0, NULL));
	EXPECT_EQ(RTM_HT_LIST, RTM_HANDLE_TYPE(l));
	ASSERT_EQ(0, rlist(self->w.fd2, RTM_LO_CREATE, &l2, 0, NULL));
	EXPECT_STATS(self->w.st0);

	routes[0] = self->w.rt;
	EXPECT_EQ(EINVAL, rlist(self->w.fd, RTM_LO_INSERT, &l,
				RTM_MAX_BATCH + 1, routes));
	EXPECT_EQ(EFAULT, rlist(self->w.fd, RTM_LO_INSERT, &l, 1, NULL));
	EXPECT_EQ(EFAULT, rlist(self->w.fd, RTM_LO_INSERT, &l, 1,
				self->w.unmapped));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_INSERT, &l2, 1, routes));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_DELETE, &l2, 0, NULL));
	routes[1] = self->w.rt2;
	EXPECT_EQ(EACCES, rlist(self->w.fd, RTM_LO_INSERT, &l, 2, routes));
	routes[1] = self->w.rto;
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_INSERT, &l, 2, routes));
	routes[1] = self->w.dst;
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_INSERT, &l, 2, routes));
	EXPECT_EQ(0, rlist(self->w.fd, RTM_LO_INSERT, &l, 1, routes));
	EXPECT_EQ(0, rlist(self->w.fd, RTM_LO_INSERT, &zero, 1, routes));
	EXPECT_STATS(self->w.st0);

	EXPECT_EQ(0, rlist(self->w.fd, RTM_LO_DELETE, &l, 0, NULL));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_DELETE, &l, 0, NULL));
	EXPECT_EQ(ESTALE, rlist(self->w.fd, RTM_LO_INSERT, &l, 1, routes));
	EXPECT_EQ(0, rlist(self->w.fd2, RTM_LO_DELETE, &l2, 0, NULL));
}

TEST_F(abi, enum_create_list_kind)
{
	uint64_t l = 0, l2 = 0, buf[4];
	struct rtm_enum_create c;
	struct rtm_enum_get g;

	ASSERT_EQ(0, rlist(self->w.fd, RTM_LO_CREATE, &l, 0, NULL));
	ASSERT_EQ(0, rlist(self->w.fd2, RTM_LO_CREATE, &l2, 0, NULL));
	ec_arg(&c, RTM_ENUM_KIND_LIST);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.dest = l;
	c.views = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	ec_arg(&c, RTM_ENUM_KIND_LIST);
	c.dest = l;
	c.enum_flags = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	ec_arg(&c, RTM_ENUM_KIND_LIST);
	c.dest = l;
	c.flags = RTM_EC_HAVE_ADDR;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	ec_arg(&c, RTM_ENUM_KIND_LIST);
	c.dest = l;
	c.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	ec_arg(&c, RTM_ENUM_KIND_LIST);
	c.dest = self->w.dst;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.dest = l2;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	c.dest = 0x7000000000000001ULL;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	EXPECT_EQ(self->w.st0.enums, stats().enums);

	ec_arg(&c, RTM_ENUM_KIND_LIST);
	c.dest = l;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_CREATE, &c));
	EXPECT_EQ(self->w.st0.enums + 1, stats().enums);
	eg_arg(&g, c.handle, RTM_ENUM_KIND_ROUTE, 1, buf);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, c.handle, RTM_ENUM_KIND_LIST, self->w.max_enum + 1, buf);
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	eg_arg(&g, c.handle, RTM_ENUM_KIND_LIST, 4, buf);
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_GET, &g));
	EXPECT_EQ(0, g.count);
	/* Fewer than asked: RTM_EG_END (librtm still never reports the end). */
	EXPECT_EQ(RTM_EG_END, g.status);
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_ENUM_DELETE,
			 &(struct rtm_enum_delete){ .handle = c.handle }));
	EXPECT_EQ(0, rlist(self->w.fd, RTM_LO_DELETE, &l, 0, NULL));
	EXPECT_EQ(0, rlist(self->w.fd2, RTM_LO_DELETE, &l2, 0, NULL));
	EXPECT_STATS(self->w.st0);
}

static int notify_reg(int fd, uint32_t views, uint32_t flags, uint64_t *h)
{
	struct rtm_notify_register nr;
	int err;

	memset(&nr, 0, sizeof(nr));
	nr.views = views;
	nr.flags = flags;
	err = xio(fd, RTM_IOC_NOTIFY_REGISTER, &nr);
	if (!err && h)
		*h = nr.handle;
	return err;
}

static int notify_op(int fd, uint64_t h, uint32_t op, uint32_t count,
		     uint64_t dest, uint32_t reserved)
{
	struct rtm_notify_op_arg o;

	memset(&o, 0, sizeof(o));
	o.handle = h;
	o.op = op;
	o.count = count;
	o.dest = dest;
	o.reserved = reserved;
	return xio(fd, RTM_IOC_NOTIFY_OP, &o);
}

TEST_F(abi, notify_register_validation)
{
	uint64_t h = 0;

	EXPECT_EQ(EINVAL, notify_reg(self->w.fd, 1, 0, NULL));
	EXPECT_EQ(EINVAL, notify_reg(self->w.fd, 1, RTM_NOTIFY_MARKED, NULL));
	EXPECT_EQ(EINVAL, notify_reg(self->w.fd, 1, 0x8, NULL));
	EXPECT_EQ(EINVAL, notify_reg(self->w.fd, 1, 0x1 | 0x20000, NULL));
	EXPECT_EQ(EINVAL, notify_reg(self->w.fd, 1, 0x1 | 0x80000000, NULL));
	EXPECT_EQ(EOPNOTSUPP, notify_reg(self->w.fd, 0x4, 0x1, NULL));
	EXPECT_EQ(EOPNOTSUPP, notify_reg(self->w.fd, 0x80000001, 0x1, NULL));
	ASSERT_EQ(0, notify_reg(self->w.fd, 0xffffffff,
				0x7 | RTM_NOTIFY_MARKED, &h));
	EXPECT_EQ(RTM_HT_NOTIFY, RTM_HANDLE_TYPE(h));
	EXPECT_EQ(0, notify_op(self->w.fd, h, RTM_NO_DEREGISTER, 0, 0, 0));
	EXPECT_EQ(ESTALE, notify_op(self->w.fd, h, RTM_NO_DEREGISTER, 0, 0,
				    0));
}

TEST_F(abi, notify_op_and_get_validation)
{
	struct rtm_notify_get ng;
	uint64_t h = 0, h2 = 0, buf[64];

	ASSERT_EQ(0, notify_reg(self->w.fd, 1, 0x1, &h));
	ASSERT_EQ(0, notify_reg(self->w.fd2, 1, 0x1, &h2));
	EXPECT_EQ(EINVAL, notify_op(self->w.fd, h, RTM_NO_MAX, 0, 0, 0));
	EXPECT_EQ(EINVAL, notify_op(self->w.fd, h, 0xffffffff, 0, 0, 0));
	EXPECT_EQ(EINVAL, notify_op(self->w.fd, h, RTM_NO_STATUS, 0,
				    self->w.dst, 1));
	EXPECT_EQ(ESTALE, notify_op(self->w.fd, 0, RTM_NO_STATUS, 0,
				    self->w.dst, 0));
	EXPECT_EQ(ESTALE, notify_op(self->w.fd, h2, RTM_NO_STATUS, 0,
				    self->w.dst, 0));
	EXPECT_EQ(ESTALE, notify_op(self->w.fd, self->w.en, RTM_NO_STATUS, 0,
				    self->w.dst, 0));
	EXPECT_EQ(ESTALE, notify_op(self->w.fd, h, RTM_NO_STATUS, 0,
				    self->w.dsto, 0));
	EXPECT_EQ(EINVAL, notify_op(self->w.fd, h, RTM_NO_IGNORE,
				    RTM_MAX_BATCH + 1,
				    (uint64_t)(uintptr_t)buf, 0));
	EXPECT_EQ(EFAULT, notify_op(self->w.fd, h, RTM_NO_IGNORE, 2,
				    (uint64_t)(uintptr_t)self->w.unmapped,
				    0));

	memset(&ng, 0, sizeof(ng));
	ng.handle = h;
	ng.count = self->w.max_enum + 1;
	ng.buf = (uint64_t)(uintptr_t)buf;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_NOTIFY_GET, &ng));
	ng.count = 1;
	ng.handle = h2;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_NOTIFY_GET, &ng));
	ng.handle = 0x6000000f0fedcba1ULL;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_NOTIFY_GET, &ng));
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, notify_op(self->w.fd, h, RTM_NO_DEREGISTER, 0, 0, 0));
	EXPECT_EQ(0, notify_op(self->w.fd2, h2, RTM_NO_DEREGISTER, 0, 0, 0));
}

TEST_F(abi, hold_dest_validation)
{
	struct rtm_hold_dest hd;

	memset(&hd, 0, sizeof(hd));
	hd.dest = self->w.dst;
	hd.hold_ms = 0;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_HOLD_DEST, &hd));
	hd.hold_ms = 1000;
	hd.views = 0x4;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_HOLD_DEST, &hd));
	hd.views = 0;
	hd.dest = self->w.dsto;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_HOLD_DEST, &hd));
	hd.dest = self->w.rt;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_HOLD_DEST, &hd));
	hd.dest = 0;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_HOLD_DEST, &hd));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, expire_done_validation)
{
	struct rtm_expire_done ed;

	memset(&ed, 0, sizeof(ed));
	ed.handle = self->w.rt;
	ed.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_EXPIRE_DONE, &ed));
	ed.reserved = 0;
	ed.handle = 0x3000000f0fedcba1ULL;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_EXPIRE_DONE, &ed));
	/* A route on which the caller holds no reference. */
	ed.handle = self->w.rt2;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_EXPIRE_DONE, &ed));
	ed.handle = self->w.rto;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_EXPIRE_DONE, &ed));
	EXPECT_STATS(self->w.st0);
}

/* A file registered as entity 55 exporting three opaque method values. */
static int open_with_methods(struct rtm_register *out)
{
	static const uint64_t m[3] = { 0x11, 0x22, 0x33 };
	struct rtm_register r;
	int fd = dev_open();

	if (fd < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.entity_id = 55;
	r.num_methods = 3;
	r.methods = (uint64_t)(uintptr_t)m;
	if (xio(fd, RTM_IOC_REGISTER, &r)) {
		close(fd);
		return -1;
	}
	*out = r;
	return fd;
}

TEST_F(abi, get_methods_validation)
{
	struct rtm_get_methods gm;
	struct rtm_register r;
	uint64_t buf[4] = { 0 };
	int fd = open_with_methods(&r);

	ASSERT_LE(0, fd);
	memset(&gm, 0, sizeof(gm));
	gm.entity = r.handle;
	gm.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	gm.reserved = 0;
	gm.entity = self->w.ento;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	gm.entity = retype(r.handle, RTM_HT_ROUTE);
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	/* Count only. */
	gm.entity = r.handle;
	gm.count = 0;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	EXPECT_EQ(3, gm.count);
	/* Short array: the first ones, -ENOBUFS. */
	gm.count = 2;
	gm.buf = (uint64_t)(uintptr_t)buf;
	EXPECT_EQ(ENOBUFS, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	EXPECT_EQ(2, gm.count);
	EXPECT_EQ(0x11, buf[0]);
	EXPECT_EQ(0x22, buf[1]);
	EXPECT_EQ(0, buf[2]);
	gm.count = 4;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	EXPECT_EQ(3, gm.count);
	EXPECT_EQ(0x33, buf[2]);
	gm.count = 3;
	gm.buf = (uint64_t)(uintptr_t)self->w.unmapped;
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	/* A deregistered entity. */
	ASSERT_EQ(0, reference1(self->w.fd, r.handle, RTM_HT_ENTITY));
	close(fd);
	gm.count = 0;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_GET_METHODS, &gm));
	EXPECT_EQ(0, release1(self->w.fd, r.handle, RTM_HT_ENTITY, NULL));
	EXPECT_STATS(self->w.st0);
}

static void inv_arg(struct rtm_invoke *iv, uint64_t ent, void *in,
		    uint32_t in_size, void *out, uint32_t out_size)
{
	memset(iv, 0, sizeof(*iv));
	iv->entity = ent;
	iv->in = (uint64_t)(uintptr_t)in;
	iv->in_size = in_size;
	iv->out = (uint64_t)(uintptr_t)out;
	iv->out_size = out_size;
	iv->timeout_ms = 200;
}

TEST_F(abi, invoke_validation)
{
	uint32_t in[4] = { 1, 0, 0, 0 };
	struct rtm_invoke iv;
	uint8_t out[64];

	inv_arg(&iv, self->w.ent2, in, 8, out, sizeof(out));
	iv.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ent2, in, 7, out, sizeof(out));
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ent2, in, 0, out, sizeof(out));
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ent2, in, RTM_METHOD_MAX_IO + 1, out,
		sizeof(out));
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, 0x1000000f0fedcba1ULL, in, 8, out, sizeof(out));
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ento, in, 8, out, sizeof(out));
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ent2, NULL, 8, out, sizeof(out));
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	inv_arg(&iv, self->w.ent2, self->w.unmapped, 8, out, sizeof(out));
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	EXPECT_STATS(self->w.st0);
}

/*
 * Registers the fixture's unregistered file as a callee exporting one
 * method (bit 0); its handle.  Nobody reads its events here.
 */
static uint64_t method_callee(int fd)
{
	uint64_t methods[1] = { 1 };
	struct rtm_register r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.entity_id = 65;
	r.num_methods = 1;
	r.methods = (uint64_t)(uintptr_t)methods;
	return xio(fd, RTM_IOC_REGISTER, &r) ? 0 : r.handle;
}

/*
 * The callee never answers: the call times out after @timeout_ms.  (A
 * selection of no exported method is answered at once: fd2 exports none.)
 */
TEST_F(abi, invoke_unanswered_times_out)
{
	uint32_t in[2] = { 1, 0 };
	struct rtm_invoke iv;
	struct rtm_stats st;
	uint8_t out[64];
	uint64_t callee;

	callee = method_callee(self->w.ufd);
	ASSERT_NE(0, callee);
	st = stats();
	inv_arg(&iv, callee, in, 8, out, sizeof(out));
	iv.timeout_ms = 300;
	EXPECT_EQ(ETIMEDOUT, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	EXPECT_STATS(st);
	inv_arg(&iv, self->w.ent2, in, 8, out, sizeof(out));
	iv.timeout_ms = 300;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	EXPECT_EQ(0, iv.out_size);
	EXPECT_STATS(st);
}

TEST_F(abi, method_input_and_reply_validation)
{
	struct rtm_method_input mi;
	struct rtm_method_reply mr;
	uint8_t buf[16];

	memset(&mi, 0, sizeof(mi));
	mi.call = 0x7fffffffffffULL;
	mi.in_size = sizeof(buf);
	mi.in = (uint64_t)(uintptr_t)buf;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_METHOD_INPUT, &mi));
	memset(&mr, 0, sizeof(mr));
	mr.call = 0x7fffffffffffULL;
	mr.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_METHOD_REPLY, &mr));
	mr.reserved = 0;
	mr.out_size = RTM_METHOD_MAX_IO + 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_METHOD_REPLY, &mr));
	mr.out_size = 8;
	mr.out = (uint64_t)(uintptr_t)self->w.unmapped;
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_METHOD_REPLY, &mr));
	mr.out = (uint64_t)(uintptr_t)buf;
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_METHOD_REPLY, &mr));
	EXPECT_STATS(self->w.st0);
}

TEST_F(abi, block_methods_validation)
{
	struct rtm_block_methods bm;

	memset(&bm, 0, sizeof(bm));
	bm.block = 2;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	bm.block = 0xffffffff;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	bm.block = 1;
	bm.reserved = 1;
	EXPECT_EQ(EINVAL, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	bm.reserved = 0;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	bm.block = 0;
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
	EXPECT_EQ(0, xio(self->w.fd, RTM_IOC_BLOCK_METHODS, &bm));
}

/* A callee blocked past the caller's timeout: -ETIMEDOUT, no hang. */
TEST_F(abi, invoke_blocked_callee_times_out)
{
	struct rtm_block_methods bm = { .block = 1 };
	uint32_t in[2] = { 1, 0 };
	struct rtm_invoke iv;
	struct rtm_stats st;
	uint8_t out[64];
	uint64_t callee;

	callee = method_callee(self->w.ufd);
	ASSERT_NE(0, callee);
	st = stats();
	ASSERT_EQ(0, xio(self->w.ufd, RTM_IOC_BLOCK_METHODS, &bm));
	inv_arg(&iv, callee, in, 8, out, sizeof(out));
	iv.timeout_ms = 300;
	EXPECT_EQ(ETIMEDOUT, xio(self->w.fd, RTM_IOC_INVOKE, &iv));
	EXPECT_STATS(st);
}

/* ====================================================================== */
/* Batches of ABI minor 2: RTM_IOC_ADD_ROUTES, RTM_IOC_DELETE_ROUTES      */
/* ====================================================================== */

#define CF_NEW		0x2		/* RTM_ROUTE_CHANGE_NEW */
#define CF_BEST		0x10000		/* RTM_ROUTE_CHANGE_BEST */
#define ST_POISON	0x5a5a5a5a

/* Route i of a batch goes to 20.(i / 256).(i % 256).0/24. */
static struct rtm_addr bpfx(unsigned int i)
{
	return v4(20, i / 256, i % 256, 0, 24);
}

/* @n new routes on bpfx(@first...) with handles; statuses poisoned. */
static void add_entries(struct rtm_add_route *ar, int32_t *st,
			unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		route_arg(&ar[i], bpfx(first + i), NULL, 0);
		if (st)
			st[i] = ST_POISON;
	}
}

/* Delete entries for the handles the add entries @ar got back. */
static void del_entries(struct rtm_delete_route *dr, int32_t *st,
			const struct rtm_add_route *ar, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(&dr[i], 0, sizeof(dr[i]));
		dr[i].handle = ar[i].handle;
		if (st)
			st[i] = ST_POISON;
	}
}

/* Is there a dest (so a live route) on @a? */
static int has_dest(int fd, struct rtm_addr a)
{
	uint64_t h;

	if (get_dest(fd, a, &h))
		return 0;
	release1(fd, h, RTM_HT_DEST, NULL);
	return 1;
}

static int all_poison(const int32_t *st, unsigned int n)
{
	while (n--)
		if (st[n] != ST_POISON)
			return 0;
	return 1;
}

TEST_F(abi, batch_header_count_flags_reserved)
{
	static const unsigned long cmds[] = {
		RTM_IOC_ADD_ROUTES, RTM_IOC_DELETE_ROUTES,
	};
	static const struct { uint32_t count, flags, reserved; } bad[] = {
		{ 0, 0, 0 },
		{ RTM_MAX_BATCH + 1, 0, 0 },
		{ 0x80000000, 0, 0 },
		{ 0xffffffff, 0, 0 },
		{ 2, 1, 0 },
		{ 2, 0x80000000, 0 },
		{ 2, 0xffffffff, 0 },
		{ 2, 0, 1 },
		{ 2, 0, 0x80000000 },
	};
	struct rtm_delete_route dr[2];
	struct rtm_add_route ar[2];
	struct rtm_route_batch b;
	unsigned int c, i;
	int32_t st[2];

	add_entries(ar, NULL, 0, 2);
	memset(dr, 0, sizeof(dr));
	dr[0].handle = self->w.rt;
	dr[1].handle = self->w.rt2;
	for (c = 0; c < 2; c++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(&b, 0, sizeof(b));
			b.count = bad[i].count;
			b.flags = bad[i].flags;
			b.reserved = bad[i].reserved;
			b.entries = (uint64_t)(uintptr_t)(c ? (void *)dr :
							  (void *)ar);
			b.status = (uint64_t)(uintptr_t)st;
			st[0] = st[1] = ST_POISON;
			EXPECT_EQ(EINVAL, xio(self->w.fd, cmds[c], &b))
				TH_LOG("cmd %u case %u", c, i);
			EXPECT_TRUE(all_poison(st, 2));
		}
	}
	EXPECT_STATS(self->w.st0);
	EXPECT_EQ(0, ar[0].handle);
}

/* RTM_MAX_BATCH entries are accepted; done is output only. */
TEST_F_TIMEOUT(abi, batch_of_max_entries, 120)
{
	struct rtm_add_route *ar = calloc(RTM_MAX_BATCH, sizeof(*ar));
	struct rtm_delete_route *dr = calloc(RTM_MAX_BATCH, sizeof(*dr));
	int32_t *st = calloc(RTM_MAX_BATCH, sizeof(*st));
	uint32_t done = 0;
	unsigned int i;

	ASSERT_TRUE(ar && dr && st);
	add_entries(ar, st, 0, RTM_MAX_BATCH);
	ASSERT_EQ(0, batch(self->w.fd, RTM_IOC_ADD_ROUTES, ar, st,
			   RTM_MAX_BATCH, &done));
	EXPECT_EQ(RTM_MAX_BATCH, done);
	for (i = 0; i < RTM_MAX_BATCH; i++) {
		ASSERT_EQ(0, st[i]) TH_LOG("entry %u", i);
		ASSERT_NE(0, ar[i].handle);
		EXPECT_EQ(CF_NEW | CF_BEST, ar[i].change_flags);
	}
	EXPECT_EQ(self->w.st0.routes + RTM_MAX_BATCH, stats().routes);
	EXPECT_EQ(self->w.st0.handle_refs + RTM_MAX_BATCH,
		  stats().handle_refs);

	del_entries(dr, st, ar, RTM_MAX_BATCH);
	ASSERT_EQ(0, batch(self->w.fd, RTM_IOC_DELETE_ROUTES, dr, st,
			   RTM_MAX_BATCH, &done));
	EXPECT_EQ(RTM_MAX_BATCH, done);
	for (i = 0; i < RTM_MAX_BATCH; i++) {
		ASSERT_EQ(0, st[i]) TH_LOG("entry %u", i);
		EXPECT_EQ(CF_BEST, dr[i].change_flags);
	}
	EXPECT_STATS(self->w.st0);
	free(ar);
	free(dr);
	free(st);
}

/* NULL, unmapped, kernel or read-only entries: -EFAULT, nothing done. */
TEST_F(abi, batch_bad_entries_pointer)
{
	struct rtm_delete_route dr[2], *rod;
	struct rtm_add_route ar[2], *roa;
	void *bad[] = { NULL, self->w.unmapped, (void *)-4096L };
	uint32_t done;
	unsigned int i;
	int32_t st[2];

	add_entries(ar, st, 0, 2);
	memset(dr, 0, sizeof(dr));
	dr[0].handle = self->w.rt;
	dr[1].handle = self->w.nh;
	roa = ro_copy(ar, sizeof(ar));
	rod = ro_copy(dr, sizeof(dr));
	ASSERT_NE(NULL, roa);
	ASSERT_NE(NULL, rod);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_ADD_ROUTES, bad[i],
					st, 2, &done));
		EXPECT_EQ(0, done);
		EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_DELETE_ROUTES,
					bad[i], st, 2, &done));
		EXPECT_EQ(0, done);
	}
	EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_ADD_ROUTES, roa, st, 2,
				&done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_DELETE_ROUTES, rod, st, 2,
				&done));
	EXPECT_EQ(0, done);
	EXPECT_TRUE(all_poison(st, 2));
	EXPECT_STATS(self->w.st0);
	EXPECT_FALSE(has_dest(self->w.fd, bpfx(0)));
	munmap(roa, PAGE);
	munmap(rod, PAGE);
}

/* NULL, unmapped, kernel or read-only statuses: -EFAULT, nothing done. */
TEST_F(abi, batch_bad_status_pointer)
{
	int32_t poison[2] = { ST_POISON, ST_POISON };
	int32_t *ro = ro_copy(poison, sizeof(poison));
	int32_t *bad[] = { NULL, self->w.unmapped, (int32_t *)-4096L, ro };
	struct rtm_delete_route dr[2];
	struct rtm_add_route ar[2];
	uint32_t done;
	unsigned int i;

	ASSERT_NE(NULL, ro);
	add_entries(ar, NULL, 0, 2);
	memset(dr, 0, sizeof(dr));
	dr[0].handle = self->w.rt;
	dr[1].handle = self->w.rt;
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_ADD_ROUTES, ar,
					bad[i], 2, &done));
		EXPECT_EQ(0, done);
		EXPECT_EQ(EFAULT, batch(self->w.fd, RTM_IOC_DELETE_ROUTES, dr,
					bad[i], 2, &done));
		EXPECT_EQ(0, done);
	}
	/* No entry was written back either. */
	EXPECT_EQ(0, ar[0].handle);
	EXPECT_EQ(0, ar[1].handle);
	EXPECT_STATS(self->w.st0);
	EXPECT_TRUE(has_dest(self->w.fd, v4(10, 0, 0, 0, 8)));
	munmap(ro, PAGE);
}

/* The header itself read-only: -EFAULT before anything is done. */
TEST_F(abi, batch_readonly_header)
{
	struct rtm_route_batch b, *ro;
	struct rtm_delete_route dr;
	struct rtm_add_route ar;
	int32_t st = ST_POISON;

	add_entries(&ar, NULL, 0, 1);
	memset(&b, 0, sizeof(b));
	b.count = 1;
	b.entries = (uint64_t)(uintptr_t)&ar;
	b.status = (uint64_t)(uintptr_t)&st;
	ro = ro_copy(&b, sizeof(b));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_ADD_ROUTES, ro));
	munmap(ro, PAGE);
	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt;
	b.entries = (uint64_t)(uintptr_t)&dr;
	ro = ro_copy(&b, sizeof(b));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(EFAULT, xio(self->w.fd, RTM_IOC_DELETE_ROUTES, ro));
	munmap(ro, PAGE);
	EXPECT_EQ(ST_POISON, st);
	EXPECT_EQ(0, ar.handle);
	EXPECT_STATS(self->w.st0);
}

/*
 * A fault in the first chunk of 32 changes nothing; a fault in a later
 * one stops after the chunks before it: -EFAULT, done 32, their routes
 * added (or deleted) with their outputs, the later entries untouched.
 * @which 0: the status array runs into a hole after 40 entries; 1: the
 * entry array does.
 */
static void chunk_fault(struct __test_metadata *_metadata, struct world *w,
			int which)
{
	struct rtm_add_route *ar = calloc(64, sizeof(*ar)), *ea;
	struct rtm_delete_route *dr = calloc(64, sizeof(*dr)), *ed;
	int32_t *st = calloc(64, sizeof(*st)), *es;
	uint32_t done = 0xdead;
	unsigned int i;

	ASSERT_TRUE(ar && dr && st);
	es = edge_of_mapping(40 * sizeof(*es));
	ea = edge_of_mapping(40 * sizeof(*ea));
	ed = edge_of_mapping(40 * sizeof(*ed));
	ASSERT_TRUE(es && ea && ed);

	/* In the first chunk: nothing changes. */
	add_entries(ea + 20, es + 20, 0, 20);
	add_entries(ar, st, 0, 30);
	EXPECT_EQ(EFAULT, which ?
		  batch(w->fd, RTM_IOC_ADD_ROUTES, ea + 20, st, 30, &done) :
		  batch(w->fd, RTM_IOC_ADD_ROUTES, ar, es + 20, 30, &done));
	EXPECT_EQ(0, done);
	EXPECT_STATS(w->st0);
	EXPECT_TRUE(all_poison(which ? st : es + 20, 20));

	/* In the second chunk. */
	add_entries(ea, es, 0, 40);
	add_entries(ar, st, 0, 64);
	EXPECT_EQ(EFAULT, which ?
		  batch(w->fd, RTM_IOC_ADD_ROUTES, ea, st, 64, &done) :
		  batch(w->fd, RTM_IOC_ADD_ROUTES, ar, es, 64, &done));
	EXPECT_EQ(32, done);
	if (which)
		memcpy(ar, ea, 40 * sizeof(*ar));
	else
		memcpy(st, es, 40 * sizeof(*st));
	for (i = 0; i < 40; i++) {
		if (i < 32) {
			EXPECT_EQ(0, st[i]) TH_LOG("entry %u", i);
			EXPECT_NE(0, ar[i].handle);
			EXPECT_EQ(CF_NEW | CF_BEST, ar[i].change_flags);
		} else {
			EXPECT_EQ(ST_POISON, st[i]) TH_LOG("entry %u", i);
			EXPECT_EQ(0, ar[i].handle);
		}
		EXPECT_EQ(i < 32, has_dest(w->fd, bpfx(i))) TH_LOG("%u", i);
	}
	EXPECT_EQ(w->st0.routes + 32, stats().routes);
	EXPECT_EQ(w->st0.handle_refs + 32, stats().handle_refs);

	/* The other 32, with good arrays. */
	add_entries(ar + 32, st + 32, 32, 32);
	ASSERT_EQ(0, batch(w->fd, RTM_IOC_ADD_ROUTES, ar + 32, st + 32, 32,
			   &done));
	EXPECT_EQ(32, done);

	/* Deletes: in the first chunk nothing changes... */
	del_entries(ed + 20, es + 20, ar, 20);
	del_entries(dr, st, ar, 64);
	EXPECT_EQ(EFAULT, which ?
		  batch(w->fd, RTM_IOC_DELETE_ROUTES, ed + 20, st, 30, &done) :
		  batch(w->fd, RTM_IOC_DELETE_ROUTES, dr, es + 20, 30, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(w->st0.routes + 64, stats().routes);
	EXPECT_EQ(w->st0.handle_refs + 64, stats().handle_refs);

	/* ... in the second, the first 32 are deleted. */
	del_entries(ed, es, ar, 40);
	del_entries(dr, st, ar, 64);
	EXPECT_EQ(EFAULT, which ?
		  batch(w->fd, RTM_IOC_DELETE_ROUTES, ed, st, 64, &done) :
		  batch(w->fd, RTM_IOC_DELETE_ROUTES, dr, es, 64, &done));
	EXPECT_EQ(32, done);
	if (which)
		memcpy(dr, ed, 40 * sizeof(*dr));
	else
		memcpy(st, es, 40 * sizeof(*st));
	for (i = 0; i < 40; i++) {
		EXPECT_EQ(i < 32 ? 0 : ST_POISON, st[i]) TH_LOG("entry %u", i);
		EXPECT_EQ(i < 32 ? CF_BEST : 0, dr[i].change_flags);
		EXPECT_EQ(i >= 32, has_dest(w->fd, bpfx(i))) TH_LOG("%u", i);
	}
	EXPECT_EQ(w->st0.routes + 32, stats().routes);
	EXPECT_EQ(w->st0.handle_refs + 32, stats().handle_refs);

	/* The rest goes with a good batch. */
	del_entries(dr + 32, st + 32, ar + 32, 32);
	ASSERT_EQ(0, batch(w->fd, RTM_IOC_DELETE_ROUTES, dr + 32, st + 32, 32,
			   &done));
	for (i = 32; i < 64; i++)
		EXPECT_EQ(0, st[i]);
	EXPECT_STATS(w->st0);
	free(ar);
	free(dr);
	free(st);
}

TEST_F(abi, batch_status_fault_in_later_chunk)
{
	chunk_fault(_metadata, &self->w, 0);
}

TEST_F(abi, batch_entries_fault_in_later_chunk)
{
	chunk_fault(_metadata, &self->w, 1);
}

TEST_F(abi, batch_on_unregistered_file)
{
	struct rtm_delete_route dr;
	struct rtm_add_route ar;
	int32_t st = ST_POISON;
	uint32_t done;

	add_entries(&ar, NULL, 0, 1);
	memset(&dr, 0, sizeof(dr));
	dr.handle = self->w.rt;
	EXPECT_EQ(EBADFD, batch(self->w.ufd, RTM_IOC_ADD_ROUTES, &ar, &st, 1,
				&done));
	EXPECT_EQ(EBADFD, batch(self->w.ufd, RTM_IOC_DELETE_ROUTES, &dr, &st,
				1, &done));
	EXPECT_EQ(ST_POISON, st);
	EXPECT_EQ(0, ar.handle);
	EXPECT_STATS(self->w.st0);
}

/*
 * Each invalid entry fails with the errno RTM_IOC_ADD_ROUTE gives for the
 * same argument (which changes nothing), is not written back, and leaves
 * the valid entry after it alone.
 */
#define AE_KINDS 28

static int bad_add_entry(struct world *w, unsigned int k,
			 struct rtm_add_route *ar, uint64_t *nhs,
			 uint64_t gone_nh)
{
	route_arg(ar, bpfx(100 + k), NULL, 0);
	switch (k) {
	case 0:
		ar->flags |= 0x8;
		return EINVAL;
	case 1:
		ar->flags |= RTM_RT_BY_HANDLE;
		ar->handle = w->rt;
		return EINVAL;
	case 2:
		ar->reserved = 1;
		return EINVAL;
	case 3:
		ar->rec.reserved = 1;
		return EINVAL;
	case 4:
		ar->rec.state = 2;
		return EINVAL;
	case 5:
		ar->rec.dest = w->dst;
		return EINVAL;
	case 6:
		ar->rec.owner = w->ent;
		return EINVAL;
	case 7:
		ar->flags = RTM_RT_WANT_HANDLE;
		return EINVAL;
	case 8:
		ar->change_flags = 0x4;
		return EINVAL;
	case 9:
		ar->ttl = 0;
		return EINVAL;
	case 10:
		ar->rec.views = 0;
		return EINVAL;
	case 11:
		ar->rec.views = 0x4;
		return EINVAL;
	case 12:
		ar->rec.num_nexthops = w->max_nh + 1;
		ar->rec.nexthops = (uint64_t)(uintptr_t)nhs;
		return EINVAL;
	case 13:
		ar->rec.num_nexthops = 1;
		return EFAULT;
	case 14:
		ar->rec.num_nexthops = 1;
		ar->rec.nexthops = (uint64_t)(uintptr_t)w->unmapped;
		return EFAULT;
	case 15:
		ar->rec.num_nexthops = 1;
		ar->rec.nexthops = (uint64_t)(uintptr_t)&nhs[63];  /* nh2 */
		return EINVAL;
	case 16:
		ar->rec.num_nexthops = 1;
		ar->rec.nexthops = (uint64_t)(uintptr_t)&nhs[62];  /* nho */
		return EINVAL;
	case 17:
		ar->rec.num_nexthops = 2;
		ar->rec.nexthops = (uint64_t)(uintptr_t)nhs;	/* nh, nh */
		return EINVAL;
	case 18:
		ar->rec.neighbour = w->nh2;
		return EINVAL;
	case 19:
		ar->list = 0x7000000000000001ULL;
		return ESTALE;
	case 20:
		ar->list = w->en;
		return ESTALE;
	case 21:
		ar->flags = RTM_RT_BY_HANDLE;
		ar->handle = w->rt2;
		return EACCES;
	case 22:
		ar->flags = RTM_RT_BY_HANDLE | RTM_RT_HAVE_DEST;
		ar->handle = w->rt;
		ar->dest_addr = v4(11, 0, 0, 0, 8);
		return EINVAL;
	case 23:
		ar->flags = RTM_RT_BY_HANDLE;
		ar->handle = 0x3000000f0fedcba1ULL;
		return ESTALE;
	case 24:
		ar->dest_addr.family = AF_INET6;
		return EINVAL;
	case 25:
		ar->dest_addr.bits = 33;
		return EINVAL;
	case 26:
		ar->dest_addr.reserved = 1;
		return EINVAL;
	default:
		ar->rec.neighbour = gone_nh;
		return EINVAL;
	}
}

TEST_F(abi, add_routes_entry_errors_as_single_command)
{
	struct rtm_add_route ar[2 * AE_KINDS], orig[2 * AE_KINDS], one;
	struct rtm_delete_route dr[AE_KINDS];
	int32_t st[2 * AE_KINDS];
	int want[AE_KINDS], single;
	struct rtm_find_nexthop f;
	struct rtm_stats st1;
	uint64_t nhs[64], gone;
	unsigned int i, k;
	uint32_t done;

	/* A deleted next hop fd still references. */
	ASSERT_EQ(0, add_nh(self->w.fd, v4(10, 0, 0, 7, 32), 7, &gone));
	ASSERT_EQ(0, reference1(self->w.fd, gone, RTM_HT_NEXTHOP));
	find_arg(&f, RTM_NH_BY_HANDLE, v4(0, 0, 0, 0, 0), 0);
	f.handle = gone;
	ASSERT_EQ(0, xio(self->w.fd, RTM_IOC_DELETE_NEXTHOP, &f));
	for (i = 0; i < 64; i++)
		nhs[i] = self->w.nh;
	nhs[62] = self->w.nho;
	nhs[63] = self->w.nh2;
	ASSERT_GT(62, self->w.max_nh);

	/* Entry 2k is bad in way k, entry 2k + 1 a good one. */
	st1 = stats();
	for (k = 0; k < AE_KINDS; k++) {
		want[k] = bad_add_entry(&self->w, k, &ar[2 * k], nhs, gone);
		one = ar[2 * k];
		single = xio(self->w.fd, RTM_IOC_ADD_ROUTE, &one);
		EXPECT_EQ(want[k], single) TH_LOG("kind %u", k);
		route_arg(&ar[2 * k + 1], bpfx(k), NULL, 0);
		st[2 * k] = st[2 * k + 1] = ST_POISON;
	}
	EXPECT_STATS(st1);
	memcpy(orig, ar, sizeof(ar));

	ASSERT_EQ(0, batch(self->w.fd, RTM_IOC_ADD_ROUTES, ar, st,
			   2 * AE_KINDS, &done));
	EXPECT_EQ(2 * AE_KINDS, done);
	for (k = 0; k < AE_KINDS; k++) {
		EXPECT_EQ(-want[k], st[2 * k]) TH_LOG("kind %u", k);
		/* A failed entry has no outputs. */
		EXPECT_EQ(0, memcmp(&orig[2 * k], &ar[2 * k], sizeof(ar[0])))
			TH_LOG("kind %u", k);
		EXPECT_FALSE(has_dest(self->w.fd, bpfx(100 + k)));
		EXPECT_EQ(0, st[2 * k + 1]) TH_LOG("kind %u", k);
		EXPECT_NE(0, ar[2 * k + 1].handle);
		EXPECT_EQ(CF_NEW | CF_BEST, ar[2 * k + 1].change_flags);
		EXPECT_TRUE(has_dest(self->w.fd, bpfx(k)));
		memset(&dr[k], 0, sizeof(dr[k]));
		dr[k].handle = ar[2 * k + 1].handle;
	}
	EXPECT_EQ(st1.routes + AE_KINDS, stats().routes);
	EXPECT_EQ(st1.handle_refs + AE_KINDS, stats().handle_refs);

	ASSERT_EQ(0, batch(self->w.fd, RTM_IOC_DELETE_ROUTES, dr, st,
			   AE_KINDS, &done));
	for (k = 0; k < AE_KINDS; k++)
		EXPECT_EQ(0, st[k]);
	EXPECT_STATS(st1);
}

/*
 * Deletes: each entry as RTM_IOC_DELETE_ROUTE would do it at its place in
 * the array; a failed entry is not written back.
 */
TEST_F(abi, delete_routes_entry_errors_as_single_command)
{
	struct rtm_delete_route dr[14], orig[14], one;
	uint64_t r1, r2, noref;
	struct rtm_stats st1;
	unsigned int i;
	int32_t st[14];
	uint32_t done;
	int want[14];

	ASSERT_EQ(0, add_route(self->w.fd, bpfx(0), 0, &r1));
	ASSERT_EQ(0, add_route(self->w.fd, bpfx(1), 0, &r2));
	ASSERT_EQ(0, reference1(self->w.fd, r2, RTM_HT_ROUTE));
	ASSERT_EQ(0, add_route(self->w.fd, bpfx(2), 0, &noref));
	ASSERT_EQ(0, release1(self->w.fd, noref, RTM_HT_ROUTE, NULL));
	ASSERT_EQ(0, reference1(self->w.fd, self->w.rt2, RTM_HT_ROUTE));
	memset(dr, 0, sizeof(dr));
	dr[0].handle = r1;
	dr[0].reserved = 1;		want[0] = EINVAL;
	dr[1].handle = 0;		want[1] = ESTALE;
	dr[2].handle = self->w.rt2;	want[2] = EACCES;
	dr[3].handle = noref;		want[3] = ESTALE;
	dr[4].handle = 0x3000000f0fedcba1ULL; want[4] = ESTALE;
	dr[5].handle = self->w.nh;	want[5] = ESTALE;
	dr[6].handle = self->w.dst;	want[6] = ESTALE;
	dr[7].handle = self->w.rto;	want[7] = ESTALE;
	dr[8].handle = self->w.nh2;	want[8] = ESTALE;
	/* The failures above change nothing; the singles say so first. */
	st1 = stats();
	for (i = 0; i < 9; i++) {
		one = dr[i];
		EXPECT_EQ(want[i], xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &one))
			TH_LOG("entry %u", i);
	}
	EXPECT_STATS(st1);
	/* change_flags is output only. */
	dr[9].handle = r1;		want[9] = 0;
	dr[9].change_flags = 0xffffffff;
	/* The reference was consumed by entry 9. */
	dr[10].handle = r1;		want[10] = ESTALE;
	/* Two references: the route is gone, the second one stays. */
	dr[11].handle = r2;		want[11] = 0;
	dr[12].handle = r2;		want[12] = ENOENT;
	dr[12].change_flags = 0x5555;
	dr[13].handle = self->w.rt;	want[13] = 0;
	for (i = 0; i < 14; i++)
		st[i] = ST_POISON;
	memcpy(orig, dr, sizeof(dr));

	ASSERT_EQ(0, batch(self->w.fd, RTM_IOC_DELETE_ROUTES, dr, st, 14,
			   &done));
	EXPECT_EQ(14, done);
	for (i = 0; i < 14; i++) {
		EXPECT_EQ(-want[i], st[i]) TH_LOG("entry %u", i);
		if (want[i])
			EXPECT_EQ(0, memcmp(&orig[i], &dr[i], sizeof(dr[0])))
				TH_LOG("entry %u", i);
	}
	EXPECT_EQ(CF_BEST, dr[9].change_flags);
	EXPECT_EQ(CF_BEST, dr[11].change_flags);
	EXPECT_EQ(CF_BEST, dr[13].change_flags);
	/* Entries 10 and 12 as the single command would see them now. */
	one = orig[10];
	EXPECT_EQ(ESTALE, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &one));
	one = orig[12];
	EXPECT_EQ(ENOENT, xio(self->w.fd, RTM_IOC_DELETE_ROUTE, &one));
	/* r1, rt gone; r2 deleted but held once; rt2 held once more. */
	EXPECT_EQ(st1.routes - 2, stats().routes);
	EXPECT_EQ(st1.handle_refs - 3, stats().handle_refs);
	EXPECT_FALSE(has_dest(self->w.fd, bpfx(0)));
	EXPECT_FALSE(has_dest(self->w.fd, bpfx(1)));
	EXPECT_TRUE(has_dest(self->w.fd, bpfx(2)));
	EXPECT_EQ(0, release1(self->w.fd, r2, RTM_HT_ROUTE, NULL));
	EXPECT_EQ(st1.routes - 3, stats().routes);
}

TEST_HARNESS_MAIN
