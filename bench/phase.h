/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phase.h - the phases of a run, in order, and what they hand on to each
 * other: the references later figures are divided by, and the loader
 * entities that stay alive from one phase to the next.
 *
 *   reference.c   kernel FIB (IPv4, IPv6) by rtnetlink; the null ioctl
 *   table.c       one entity and a whole table: adds, deletes, single
 *                 and batch; for IPv4 also enumeration and lookups
 *   scale.c       more entities on the same destinations, up to 10
 *   cleanup.c     one of them killed while a bystander keeps calling;
 *                 the others deregistered
 *   table.c       again, the IPv6 table
 *   reference.c   the IPv4 FIB again: how far the VM's speed drifted
 */
#ifndef BENCH_PHASE_H
#define BENCH_PHASE_H

#include "client.h"

#define MAX_ENTITIES	10

/* Entity ids: loaders are BGP 1..MAX_ENTITIES, the others one each. */
#define PROTO_LOADER	PROTO_IP_BGP
#define PROTO_READER	PROTO_IP_OTHER
#define PROTO_WRITER	PROTO_IP_RIP
#define PROTO_PROBE	PROTO_IP_OSPF

struct bench {
	/* options */
	const char *v4_path, *v6_path;
	size_t max_v4, max_v6;
	double secs;		/* each lookup measurement */
	int entities;		/* loaders of the scale phase, 3..10 */
	int quick;

	struct ptable v4, v6;
	struct lookups l4;	/* random IPv4 addresses */
	int fd;			/* /dev/rtm, for the counters */

	/* references */
	struct fib_result fib4, fib6;
	double null_ns;

	/* the IPv4 loaders; load[0] has its table loaded after table.c */
	struct worker load[MAX_ENTITIES];
	int loaders;		/* alive */
	long long slab_empty;	/* settled, before load[0]'s table */
	long long slab_one;	/* with load[0]'s table */
};

void phase_reference(struct bench *b);
void phase_one_entity(struct bench *b);
void phase_entities(struct bench *b);
void phase_kill(struct bench *b);
void phase_ipv6(struct bench *b);
void phase_drift(struct bench *b);

/* The routes rtm must hold now, or the run stops. */
void expect_routes(const struct bench *b, uint64_t routes, const char *when);

#endif /* BENCH_PHASE_H */
