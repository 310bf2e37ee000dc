/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the parts of rtm-bench share that needs no RTMv2 type:
 * clocks and errors (sys.c), the prefix tables (prefix.c), the kernel FIB
 * reference (fib.c), /dev/rtm without librtm (dev.c) and the figure table
 * (report.c).  The RTMv2 side is in client.h: fib.c includes the
 * rtnetlink headers, whose RTM_* names are best kept away from rtmv2.h's.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- sys.c -------------------------------------------------------------- */

double now(void);			/* CLOCK_MONOTONIC, seconds */
uint64_t now_ns(void);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A progress line on stdout, flushed at once: the run is long. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A string that lives until the end: figure names, keys. */
char *strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);
/* /proc/meminfo Slab: (SReclaimable + SUnreclaim), in bytes. */
long long slab_bytes(void);
/*
 * Slab once RCU-deferred frees of earlier phases have run: a baseline
 * taken too early would credit the next phase with memory the previous
 * one is still giving back, and a timed phase would share the CPUs with
 * those frees.
 */
long long slab_settled(void);
/* Elements (sorted in place) at the p-th quantile, 0 <= p <= 1. */
uint32_t quantile_u32(uint32_t *v, size_t n, double p);

/* ---- prefix.c ----------------------------------------------------------- */

struct prefix {
	uint8_t len;
	uint8_t addr[16];	/* network byte order, host bits cleared */
};

struct ptable {
	const char *path;
	int family;		/* AF_INET or AF_INET6 */
	int bytes;		/* 4 or 16 */
	size_t n;
	size_t in_file;		/* lines read, before de-duplication */
	struct prefix *p;
};

/*
 * Reads "PREFIX/LEN ASN" lines (".gz" through gzip -dc), clears host bits
 * and drops duplicates, so that every client (FIB and rtm) gets the same
 * set of distinct destinations.  max > 0 keeps an evenly spread sample of
 * max prefixes (quick runs).
 */
void ptable_read(struct ptable *t, const char *path, int family, size_t max);

/*
 * n addresses (bytes each) chosen at random inside random prefixes of t:
 * every lookup ends on a destination, as a forwarding lookup of a full
 * table mostly does.  Fixed seed: the same addresses on every run.
 */
uint8_t *ptable_random_addrs(const struct ptable *t, size_t n);

/* ---- dev.c: /dev/rtm below librtm ------------------------------------- */

int dev_open(void);
/* ns per RTM_IOC_VERSION, the cheapest ioctl of the module. */
double dev_null_ioctl_ns(int fd, long calls);
uint64_t dev_routes(int fd);		/* RTM_IOC_STATS routes */
uint64_t dev_dests(int fd);		/* RTM_IOC_STATS dests */

/* ---- fib.c: the kernel FIB reference ---------------------------------- */

struct fib_result {
	size_t routes;		/* counted in the table after the load */
	double add_secs;
	double del_secs;
	long long slab;		/* bytes, loaded minus empty */
};

/* Loads t into FIB table 100 by batched rtnetlink, counts it, flushes it. */
void fib_bench(const struct ptable *t, struct fib_result *r);

/* ---- report.c ----------------------------------------------------------- */

enum target_on { ON_NONE, ON_VALUE, ON_RATIO };

/*
 * One figure of the final table.  ref/ref_name: what it is compared with
 * (ratio = value / ref); ref 0: no reference.  The target, if any, is
 * "ratio op goal" or "value op goal", op one of "<=", ">=", "<".
 */
void fig(const char *key, const char *name, double value, const char *unit,
	 double ref, const char *ref_name,
	 enum target_on on, const char *op, double goal);
/* Also a line in the environment block of the table and of the JSON. */
void env_set(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The table to stdout, then the JSON between marker lines. */
void report_print(void);

#endif /* BENCH_H */
