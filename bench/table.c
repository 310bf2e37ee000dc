// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - one entity and a whole table, every destination carrying one
 * route: single adds (and the memory they take), single deletes, then
 * the same adds and deletes through the batch extension.  For IPv4, while
 * the table is loaded: the enumeration of every route, and lookups by
 * one reader, two readers and one reader beside a writer.  Leaves the
 * IPv4 table loaded by entity 1 for scale.c.
 */
#include "phase.h"

void expect_routes(const struct bench *b, uint64_t routes, const char *when)
{
	uint64_t have = dev_routes(b->fd);

	if (have != routes)
		die("%s: rtm holds %llu routes, not %llu", when,
		    (unsigned long long)have, (unsigned long long)routes);
}

static double rate(const struct worker_result *r)
{
	return (double)r->n / r->v[0];
}

/*
 * w runs op (W_CHURN or W_SPIN) until told to stop while r1 looks up;
 * returns r1's rate, w's result in *wr.
 */
static double lookups_beside(struct bench *b, struct worker *r1,
			     struct worker *w, enum worker_op op,
			     struct worker_result *wr)
{
	struct worker_result a;

	*bench_phase = 0;
	worker_send(w, op, 0);
	worker_do(r1, W_LOOKUP, b->secs, &a);
	*bench_phase = 2;
	worker_wait(w, wr);
	*bench_phase = 0;
	return rate(&a);
}

/* op on both workers at once; the sum of their rates. */
static double both(struct bench *b, struct worker *r1, struct worker *r2,
		   enum worker_op op)
{
	struct worker_result a, c;

	worker_send(r1, op, b->secs);
	worker_send(r2, op, b->secs);
	worker_wait(r1, &a);
	worker_wait(r2, &c);
	return rate(&a) + rate(&c);
}

/*
 * Each figure that needs both vCPUs comes with a control that calls
 * nothing: 2 CPU-bound loops against 1, a CPU-bound loop beside the
 * reader.  On a busy host they show how much of the second vCPU the VM
 * really had.
 */
static void lookup_figures(struct bench *b, struct worker *r1,
			   struct worker *r2, struct worker *w)
{
	struct worker_result a, c;
	double one, two, spin;

	say("rtm: lookups of random addresses, 1 reader (pid %d), %.0f s",
	    (int)r1->pid, b->secs);
	worker_do(r1, W_LOOKUP, b->secs, &a);
	one = rate(&a);
	fig("rtm.v4.lookup.rtt", "RtmGetMostSpecificDestination round trip",
	    a.v[1] / (double)a.n * 1e9, "ns", b->null_ns, "null ioctl",
	    ON_RATIO, "<=", 1.5);
	fig("rtm.v4.lookup.one", "lookups + releases, 1 reader", one, "/s", 0,
	    NULL, ON_NONE, NULL, 0);

	say("control: a CPU-bound loop in 1 process, then in 2 at once");
	worker_do(r1, W_SPIN, b->secs, &a);
	spin = rate(&a) / 1e6;
	two = both(b, r1, r2, W_SPIN) / 1e6;
	fig("control.spin.two", "  control: CPU-bound loop, 2 processes",
	    two, "M/s", spin, "1 process", ON_NONE, NULL, 0);
	env_set("parallelism", "2 CPU-bound processes ran %.2fx as fast as 1 "
		"(2.00: two free host CPUs)%s", two / spin, two / spin < 1.8 ?
		"; the host was busy: the 2-reader and writer figures "
		"measure it too" : "");

	say("rtm: lookups, 2 readers at once (pids %d, %d)", (int)r1->pid,
	    (int)r2->pid);
	fig("rtm.v4.lookup.two", "lookups + releases, 2 readers",
	    both(b, r1, r2, W_LOOKUP), "/s", one, "1 reader", ON_RATIO, ">=",
	    1.7);

	say("rtm: lookups, 1 reader while a writer (pid %d) adds and deletes "
	    "routes", (int)w->pid);
	fig("rtm.v4.lookup.writer", "lookups + releases, 1 reader + writer",
	    lookups_beside(b, r1, w, W_CHURN, &c), "/s", one,
	    "1 reader alone", ON_RATIO, ">=", 0.8);
	fig("rtm.v4.lookup.writer_calls", "  the writer's adds + deletes",
	    rate(&c), "calls/s", 0, NULL, ON_NONE, NULL, 0);

	say("control: lookups, 1 reader beside a CPU-bound loop");
	fig("control.lookup.spin", "  control: 1 reader + CPU-bound loop",
	    lookups_beside(b, r1, w, W_SPIN, &c), "/s", one, "1 reader alone",
	    ON_NONE, NULL, 0);
}

/* The IPv4 table is loaded: enumeration and lookups. */
static void readers(struct bench *b)
{
	struct worker r1, r2, w;
	struct worker_result r;

	worker_start(&r1, "reader", &b->v4, PROTO_READER, 1, &b->l4);
	worker_start(&r2, "reader", &b->v4, PROTO_READER, 2, &b->l4);
	worker_start(&w, "writer", &b->v4, PROTO_WRITER, 1, &b->l4);

	say("rtm: enumerate every route, releasing each batch");
	worker_do(&r1, W_ENUM, 0, &r);
	if (r.n != b->v4.n)
		die("the enumeration returned %llu routes, not %zu",
		    (unsigned long long)r.n, b->v4.n);
	fig("rtm.v4.enum", "enumerate + release", rate(&r), "routes/s", 0,
	    NULL, ON_NONE, NULL, 0);
	fig("rtm.v4.enum.per_route", "enumerate + release, per route",
	    r.v[0] / (double)r.n * 1e9, "ns", b->null_ns, "null ioctl",
	    ON_RATIO, "<=", 0.1);

	lookup_figures(b, &r1, &r2, &w);
	worker_quit(&r1);
	worker_quit(&r2);
	worker_quit(&w);
}

/*
 * Entity l adds table t one route at a time, then (loaded() having run)
 * deletes it, then the same through the batch extension.  fam: "4" or
 * "6", for the keys and names.
 */
static void one_table(struct bench *b, struct worker *l,
		      const struct ptable *t, const struct fib_result *fib,
		      const char *fam, void (*loaded)(struct bench *))
{
	double n = (double)t->n, fib_add = n / fib->add_secs;
	double fib_del = n / fib->del_secs;
	struct worker_result r;
	long long s0, s1;

	s0 = slab_settled();
	say("rtm: entity 1 adds the IPv%s table, RtmAddRouteToDest per route",
	    fam);
	worker_do(l, W_LOAD, 0, &r);
	s1 = slab_bytes();
	expect_routes(b, t->n, "after the single adds");
	fig(strfmt("rtm.v%s.add.single", fam),
	    strfmt("rtm add, IPv%s, single", fam), rate(&r), "routes/s",
	    fib_add, "FIB add", ON_RATIO, ">=", 3);
	fig(strfmt("rtm.v%s.memory", fam),
	    strfmt("rtm slab per route, IPv%s, 1 route/dest", fam),
	    (double)(s1 - s0) / n, "B", (double)fib->slab / n, "FIB B/route",
	    ON_VALUE, "<=", 128);

	if (loaded)
		loaded(b);

	say("rtm: entity 1 deletes its routes, RtmDeleteRouteToDest per "
	    "route");
	worker_do(l, W_DELETE, 0, &r);
	expect_routes(b, 0, "after the single deletes");
	fig(strfmt("rtm.v%s.delete.single", fam),
	    strfmt("rtm delete, IPv%s, single", fam), rate(&r), "routes/s",
	    fib_del, "FIB delete", ON_NONE, NULL, 0);

	slab_settled();
	say("rtm: entity 1 adds the IPv%s table, RtmExtAddRoutesToDest", fam);
	worker_do(l, W_LOAD_BATCH, 0, &r);
	expect_routes(b, t->n, "after the batch adds");
	fig(strfmt("rtm.v%s.add.batch", fam),
	    strfmt("rtm add, IPv%s, batch", fam), rate(&r), "routes/s",
	    fib_add, "FIB add", ON_RATIO, ">=", 10);

	say("rtm: entity 1 deletes its routes, RtmExtDeleteRoutesToDest");
	worker_do(l, W_DELETE_BATCH, 0, &r);
	expect_routes(b, 0, "after the batch deletes");
	fig(strfmt("rtm.v%s.delete.batch", fam),
	    strfmt("rtm delete, IPv%s, batch", fam), rate(&r), "routes/s",
	    fib_del, "FIB delete", ON_NONE, NULL, 0);
}

void phase_one_entity(struct bench *b)
{
	struct worker *l = &b->load[0];
	struct worker_result r;

	worker_start(l, "loader", &b->v4, PROTO_LOADER, 1, &b->l4);
	b->loaders = 1;
	one_table(b, l, &b->v4, &b->fib4, "4", readers);

	b->slab_empty = slab_settled();
	say("rtm: entity 1 loads the IPv4 table again, for the next phases");
	worker_do(l, W_LOAD_BATCH, 0, &r);
	b->slab_one = slab_bytes();
	expect_routes(b, b->v4.n, "after the reload");
}

void phase_ipv6(struct bench *b)
{
	struct worker l;

	worker_start(&l, "loader", &b->v6, PROTO_LOADER, 1, NULL);
	one_table(b, &l, &b->v6, &b->fib6, "6", NULL);
	worker_quit(&l);
}
