// SPDX-License-Identifier: GPL-2.0
/*
 * worker.c - entity processes.  Each worker registers one entity and then
 * runs the commands the main process sends it over a pipe, answering
 * each with a struct worker_result.  A worker is a separate process
 * because librtm's registrations belong to the process that made them,
 * because the cleanup figure needs an entity whose process can be killed,
 * and because parallel readers need parallel processes.
 *
 * Results, by command:
 *   W_LOAD, W_LOAD_BATCH     n routes, v[0] seconds
 *   W_DELETE, W_DELETE_BATCH n routes, v[0] seconds deleting,
 *                            v[1] seconds enumerating the handles first
 *   W_ENUM                   n routes, v[0] seconds
 *   W_LOOKUP                 n calls, v[0] seconds, v[1] seconds in calls
 *   W_CHURN                  n calls, v[0] seconds
 *   W_SPIN                   n loops, v[0] seconds
 *   W_PROBE                  v[0..1] calls, v[2..3] max ns, v[4..5] p99 ns,
 *                            v[6..7] mean ns, v[8..9] calls over 10 ms;
 *                            [0] before the kill, [1] during the cleanup
 *   W_QUIT                   v[0] seconds RtmDeregisterEntity took
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

volatile int *bench_phase;

struct command {
	int op;
	double secs;
};

void workers_init(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of the shared phase failed");
	bench_phase = p;
}

/* 0 at EOF, 1 when the whole object came; dies on a short read. */
static int read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("pipe read: %s", strerror(errno));
		if (n == 0) {
			if (got)
				die("pipe: short read");
			return 0;
		}
		got += (size_t)n;
	}
	return 1;
}

static void write_all(int fd, const void *buf, size_t len)
{
	size_t put = 0;

	while (put < len) {
		ssize_t n = write(fd, (const char *)buf + put, len - put);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("pipe write: %s", strerror(errno));
		put += (size_t)n;
	}
}

static void run_delete(struct entity *e, int batch, struct worker_result *r)
{
	RTM_ROUTE_HANDLE *rh;
	double t0 = now();

	r->n = own_routes(e, &rh);
	r->v[1] = now() - t0;
	r->v[0] = batch ? delete_batch(e, rh, r->n) :
			  delete_single(e, rh, r->n);
	free(rh);
}

static void run(struct entity *e, const struct lookups *l,
		const struct command *c, struct worker_result *r)
{
	struct lookup_result lr;
	struct probe_result pr;
	double t0;
	size_t n;

	switch (c->op) {
	case W_LOAD:
	case W_LOAD_BATCH:
		r->v[0] = c->op == W_LOAD ? load_single(e) : load_batch(e);
		r->n = e->t->n;
		break;
	case W_DELETE:
	case W_DELETE_BATCH:
		run_delete(e, c->op == W_DELETE_BATCH, r);
		break;
	case W_ENUM:
		r->v[0] = enum_release_all(e, &n);
		r->n = n;
		break;
	case W_LOOKUP:
		lookups_run(e, l, c->secs, &lr);
		r->n = lr.calls;
		r->v[0] = lr.secs;
		r->v[1] = lr.call_secs;
		break;
	case W_CHURN:
		t0 = now();
		r->n = churn_run(e, bench_phase);
		r->v[0] = now() - t0;
		break;
	case W_SPIN:
		t0 = now();
		r->n = spin_run(c->secs, bench_phase);
		r->v[0] = now() - t0;
		break;
	case W_PROBE:
		probe_run(e, l, bench_phase, &pr);
		for (int k = 0; k < 2; k++) {
			r->v[k] = (double)pr.calls[k];
			r->v[2 + k] = pr.max_ns[k];
			r->v[4 + k] = pr.p99_ns[k];
			r->v[6 + k] = pr.mean_ns[k];
			r->v[8 + k] = (double)pr.over_10ms[k];
		}
		break;
	case W_QUIT:
		t0 = now();
		check("RtmDeregisterEntity", RtmDeregisterEntity(e->h));
		r->v[0] = now() - t0;
		break;
	default:
		die("worker: unknown command %d", c->op);
	}
}

static void serve(int in, int out, const struct ptable *t, ULONG protocol,
		  int id, const struct lookups *l)
{
	struct worker_result r;
	struct command c;
	struct entity e;

	entity_register(&e, t, protocol, id);
	for (;;) {
		if (!read_all(in, &c, sizeof(c)))
			exit(0);
		memset(&r, 0, sizeof(r));
		run(&e, l, &c, &r);
		write_all(out, &r, sizeof(r));
		if (c.op == W_QUIT)
			exit(0);
	}
}

void worker_start(struct worker *w, const char *name, const struct ptable *t,
		  ULONG protocol, int id, const struct lookups *l)
{
	int to[2], from[2];

	if (pipe(to) || pipe(from))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	w->id = id;
	w->name = name;
	w->pid = fork();
	if (w->pid < 0)
		die("fork: %s", strerror(errno));
	if (w->pid == 0) {
		/* No worker outlives the benchmark. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(to[1]);
		close(from[0]);
		serve(to[0], from[1], t, protocol, id, l);
	}
	close(to[0]);
	close(from[1]);
	w->to = to[1];
	w->from = from[0];
}

void worker_send(struct worker *w, enum worker_op op, double secs)
{
	struct command c = { .op = op, .secs = secs };

	write_all(w->to, &c, sizeof(c));
}

void worker_wait(struct worker *w, struct worker_result *r)
{
	if (!read_all(w->from, r, sizeof(*r)))
		die("worker %s %d died", w->name, w->id);
}

void worker_do(struct worker *w, enum worker_op op, double secs,
	       struct worker_result *r)
{
	worker_send(w, op, secs);
	worker_wait(w, r);
}

void worker_quit(struct worker *w)
{
	struct worker_result r;
	int st;

	worker_do(w, W_QUIT, 0, &r);
	if (waitpid(w->pid, &st, 0) != w->pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		die("worker %s %d did not exit cleanly", w->name, w->id);
	close(w->to);
	close(w->from);
}
