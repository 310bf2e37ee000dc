/* SPDX-License-Identifier: GPL-2.0 */
/*
 * client.h - the RTMv2 side of rtm-bench: entities (entity.c), loading
 * and deleting routes (load.c), enumerations (enum.c), lookups
 * (lookup.c), the bystanders (probe.c) and the entity processes that
 * run them (worker.c).
 *
 * Each entity lives in a process of its own (a worker), so that one can
 * be killed while the others keep their routes, and so that readers and
 * writers really run in parallel on the VM's CPUs.
 */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <sys/types.h>
#include <rtmv2.h>
#include <rtm_ext.h>

#include "bench.h"

/* ---- entity.c ------------------------------------------------------- */

struct entity {
	const struct ptable *t;	/* its routes: one per prefix of t */
	int id;			/* instance id; preference and metric */
	RTM_ENTITY_HANDLE h;
	RTM_REGN_PROFILE prof;
	RTM_NEXTHOP_HANDLE nh;	/* its one next hop, also the Neighbour */
};

/* Ends the process unless rc is NO_ERROR. */
void check(const char *function, DWORD rc);
/*
 * Registers entity (protocol, id) in instance 0 for t's family, with
 * one next hop.  Every entity has its own preference and metric, so
 * that destinations carrying several routes rank them.
 */
void entity_register(struct entity *e, const struct ptable *t,
		     ULONG protocol, int id);
void entity_route_info(const struct entity *e, RTM_ROUTE_INFO *ri);
void entity_dest(const struct entity *e, size_t i, RTM_NET_ADDRESS *a);
void entity_addr(const struct entity *e, const uint8_t *addr,
		 RTM_NET_ADDRESS *a);

/* ---- load.c: returns the seconds the timed part took --------------- */

double load_single(struct entity *e);
double load_batch(struct entity *e);
double delete_single(struct entity *e, RTM_ROUTE_HANDLE *rh, size_t n);
double delete_batch(struct entity *e, RTM_ROUTE_HANDLE *rh, size_t n);

/* ---- enum.c ----------------------------------------------------------- */

/* Enumerates every route of the table, releasing each batch. */
double enum_release_all(struct entity *e, size_t *routes);
/* Handles (one reference each) of e's own routes, by enumeration. */
size_t own_routes(struct entity *e, RTM_ROUTE_HANDLE **out);

/* ---- lookup.c ------------------------------------------------------- */

struct lookups {
	const uint8_t *addrs;	/* random addresses, t->bytes each */
	size_t n;
};

struct lookup_result {
	uint64_t calls;
	double secs;		/* lookups and their releases */
	double call_secs;	/* the RtmGetMostSpecificDestination calls */
};

void lookups_run(struct entity *e, const struct lookups *l, double secs,
		 struct lookup_result *r);

/* ---- probe.c: bystanders ------------------------------------------- */

struct probe_result {
	uint64_t calls[2];	/* [0] before the kill, [1] during cleanup */
	uint32_t max_ns[2];
	uint32_t p99_ns[2];
	double mean_ns[2];
	uint64_t over_10ms[2];	/* calls that took longer than 10 ms */
};

/*
 * Runs until *phase is 2, filing each call's latency under *phase (0 or
 * 1).  Adds and deletes a route of its own (writers take the table
 * mutex) and looks an address up.
 */
void probe_run(struct entity *e, const struct lookups *l,
	       const volatile int *phase, struct probe_result *r);

/* Adds and deletes routes of its own until *phase is 2; calls made. */
uint64_t churn_run(struct entity *e, const volatile int *phase);

/* A CPU-bound loop for secs seconds, or until *phase is 2 if secs is 0. */
uint64_t spin_run(double secs, const volatile int *phase);

/* ---- worker.c: entity processes --------------------------------------- */

enum worker_op {
	W_LOAD,			/* single adds of every prefix */
	W_LOAD_BATCH,		/* the batch extension */
	W_DELETE,		/* every own route, single deletes */
	W_DELETE_BATCH,
	W_ENUM,			/* enumerate + release the whole table */
	W_LOOKUP,		/* lookups for secs seconds */
	W_CHURN,		/* writes until the phase is 2 */
	W_PROBE,		/* latency probe until the phase is 2 */
	W_SPIN,			/* CPU-bound loop for secs, or until phase 2 */
	W_QUIT,			/* deregister and exit */
};

struct worker_result {
	uint64_t n;		/* routes, calls */
	double v[10];		/* the op's figures, see worker.c */
};

struct worker {
	pid_t pid;
	int to, from;		/* command and result pipes */
	int id;
	const char *name;
};

/* Shared by every process: the phase of churn and probe runs. */
extern volatile int *bench_phase;

void workers_init(void);
void worker_start(struct worker *w, const char *name, const struct ptable *t,
		  ULONG protocol, int id, const struct lookups *l);
void worker_send(struct worker *w, enum worker_op op, double secs);
void worker_wait(struct worker *w, struct worker_result *r);
void worker_do(struct worker *w, enum worker_op op, double secs,
	       struct worker_result *r);
void worker_quit(struct worker *w);	/* waits for the exit */

#endif /* BENCH_CLIENT_H */
