// SPDX-License-Identifier: GPL-2.0
/*
 * cleanup.c - the end of the IPv4 entities.  The last loader is killed
 * with SIGKILL while a bystander (the probe) adds, deletes and looks up
 * in a loop: the module cleans the dead entity's routes up in chunks
 * under the table mutex, and the bystander's slowest calls show how long
 * it was kept waiting.  The cleanup is over when the module's route
 * counter has dropped by the entity's routes.  Then the others
 * deregister, one at a time, with RtmDeregisterEntity.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "phase.h"

#define CLEANUP_LIMIT_SECS	1800

/* Seconds from SIGKILL until rtm has dropped the victim's routes. */
static double kill_and_wait(struct bench *b, struct worker *victim)
{
	uint64_t before = dev_routes(b->fd);
	/* The probe's own route may be there before and gone after. */
	uint64_t goal = before - b->v4.n + 1;
	double t0;
	int st;

	*bench_phase = 1;
	t0 = now();
	if (kill(victim->pid, SIGKILL))
		die("kill: %s", strerror(errno));
	while (dev_routes(b->fd) > goal) {
		if (now() - t0 > CLEANUP_LIMIT_SECS)
			die("the killed entity's routes are still there after "
			    "%d s", CLEANUP_LIMIT_SECS);
		usleep(1000);
	}
	t0 = now() - t0;
	*bench_phase = 2;
	if (waitpid(victim->pid, &st, 0) != victim->pid)
		die("waitpid: %s", strerror(errno));
	close(victim->to);
	close(victim->from);
	return t0;
}

/* Figures for the first (most routes per destination) and the last. */
static void deregister_all(struct bench *b)
{
	int first = b->loaders;
	double t0;

	while (b->loaders) {
		struct worker *l = &b->load[--b->loaders];
		int per_dest = b->loaders + 1;

		say("rtm: entity %d deregisters (%d route%s per destination)",
		    l->id, per_dest, per_dest == 1 ? "" : "s");
		t0 = now();
		worker_quit(l);
		t0 = now() - t0;
		if (per_dest == first || per_dest == 1)
			fig(strfmt("rtm.v4.deregister.%d", per_dest),
			    strfmt("RtmDeregisterEntity, %d route%s/dest",
				   per_dest, per_dest == 1 ? "" : "s"),
			    (double)b->v4.n / t0, "routes/s",
			    (double)b->v4.n / b->fib4.del_secs, "FIB delete",
			    ON_NONE, NULL, 0);
	}
	expect_routes(b, 0, "after every entity deregistered");
}

void phase_kill(struct bench *b)
{
	struct worker *victim = &b->load[b->loaders - 1], p;
	double base = b->quick ? 1 : 3, secs;
	struct worker_result r;

	worker_start(&p, "probe", &b->v4, PROTO_PROBE, 1, &b->l4);
	say("rtm: a bystander adds, deletes and looks up in a loop; after "
	    "%.0f s entity %d (%zu routes, %d routes per destination) is "
	    "killed", base, victim->id, b->v4.n, b->loaders);
	*bench_phase = 0;
	worker_send(&p, W_PROBE, 0);
	usleep((useconds_t)(base * 1e6));
	secs = kill_and_wait(b, victim);
	worker_wait(&p, &r);
	*bench_phase = 0;
	b->loaders--;
	expect_routes(b, (uint64_t)b->loaders * b->v4.n, "after the cleanup");

	fig("rtm.kill.cleanup", strfmt("cleanup of a killed entity, %zu routes",
					b->v4.n),
	    secs, "s", 0, NULL, ON_NONE, NULL, 0);
	fig("rtm.kill.max", "  bystander's longest call meanwhile",
	    r.v[3] / 1e6, "ms", r.v[2] / 1e6, "before the kill", ON_VALUE,
	    "<=", 10);
	fig("rtm.kill.p99", "  bystander's p99 call meanwhile", r.v[5] / 1e6,
	    "ms", r.v[4] / 1e6, "before the kill", ON_NONE, NULL, 0);
	fig("rtm.kill.calls", "  bystander's calls meanwhile", r.v[1], "calls",
	    0, NULL, ON_NONE, NULL, 0);
	fig("rtm.kill.over10", "  of which longer than 10 ms", r.v[9], "calls",
	    0, NULL, ON_NONE, NULL, 0);
	fig("rtm.kill.over10.before", "  calls longer than 10 ms before the "
	    "kill", r.v[8], "calls", 0, NULL, ON_NONE, NULL, 0);
	worker_quit(&p);

	deregister_all(b);
}
