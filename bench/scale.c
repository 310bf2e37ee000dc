// SPDX-License-Identifier: GPL-2.0
/*
 * scale.c - more entities on the same destinations: entities 2 and 3 add
 * the IPv4 table one route at a time (adds to destinations that exist
 * already), entities 4 up to --entities with the batch extension, each with a
 * preference and metric of its own, so that every destination ends up
 * with one ranked route per entity.  What an extra route costs, and
 * whether 10 full tables fit the guest.
 */
#include "phase.h"

#define MIB	(1024.0 * 1024.0)

/* Loader i (entity i + 1) starts and adds the table; seconds it took. */
static double add_entity(struct bench *b, int i, enum worker_op op)
{
	struct worker_result r;

	worker_start(&b->load[i], "loader", &b->v4, PROTO_LOADER, i + 1,
		     &b->l4);
	b->loaders++;
	worker_do(&b->load[i], op, 0, &r);
	return r.v[0];
}

void phase_entities(struct bench *b)
{
	double n = (double)b->v4.n, secs = 0;
	long long s3, sn;
	int i, e = b->entities;

	say("rtm: entities 2 and 3 add the same prefixes, RtmAddRouteToDest "
	    "per route (3 routes per destination)");
	for (i = 1; i < 3; i++)
		secs += add_entity(b, i, W_LOAD);
	s3 = slab_bytes();
	expect_routes(b, 3 * b->v4.n, "3 entities");
	fig("rtm.v4.add.existing", "rtm add to an existing dest, single",
	    2 * n / secs, "routes/s", n / b->fib4.add_secs, "FIB add", ON_NONE,
	    NULL, 0);
	fig("rtm.v4.memory.extra3", "rtm slab per extra route, 1->3 per dest",
	    (double)(s3 - b->slab_one) / (2 * n), "B", 0, NULL, ON_VALUE, "<=",
	    64);

	for (secs = 0; i < e; i++) {
		say("rtm: entity %d adds the same prefixes, by batch (%d routes "
		    "per destination)", i + 1, i + 1);
		secs += add_entity(b, i, W_LOAD_BATCH);
	}
	sn = slab_bytes();
	expect_routes(b, (uint64_t)e * b->v4.n, "all entities loaded");
	if (e > 3) {
		fig("rtm.v4.add.existing.batch",
		    "rtm add to an existing dest, batch", (e - 3) * n / secs,
		    "routes/s", n / b->fib4.add_secs, "FIB add", ON_NONE, NULL,
		    0);
		fig("rtm.v4.memory.extra",
		    strfmt("rtm slab per extra route, 3->%d per dest", e),
		    (double)(sn - s3) / ((e - 3) * n), "B", 0, NULL, ON_VALUE,
		    "<=", 64);
	}
	fig("rtm.v4.routes",
	    strfmt("routes held, %d entities x IPv4 table", e),
	    e * n, "routes", 0, NULL, ON_NONE, NULL, 0);
	fig("rtm.v4.memory.total",
	    strfmt("rtm slab, %d entities x IPv4 table", e),
	    (double)(sn - b->slab_empty) / MIB, "MiB",
	    (double)b->fib4.slab / MIB, "FIB, 1 table", ON_VALUE, "<", 1024);
}
