// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - bystanders: a client that keeps calling while something else
 * happens in the table, i.e. the writer of the "lookups with a writer"
 * figure (churn_run) and the latency probe of the cleanup figure
 * (probe_run); and a CPU-bound loop that calls nothing (spin_run), the
 * control that tells rtm's own contention from the host's: the VM's two
 * vCPUs are threads of a shared host.
 *
 * Both add a route of their own to an existing destination and delete it
 * again: a route add or delete takes the table mutex, the lock a cleanup
 * holds, so a writer is what a long cleanup would stall.
 */
#include <stdlib.h>

#include "client.h"

/* Adds e's route to destination i and deletes it; 2 calls. */
static void add_delete(struct entity *e, const RTM_ROUTE_INFO *ri, size_t i,
		       uint64_t lat[2])
{
	RTM_ROUTE_HANDLE rh = NULL;
	RTM_NET_ADDRESS dest;
	uint64_t t0, t1, t2;

	entity_dest(e, i % e->t->n, &dest);
	t0 = now_ns();
	check("RtmAddRouteToDest",
	      RtmAddRouteToDest(e->h, &rh, &dest, (PRTM_ROUTE_INFO)ri,
				INFINITE, NULL, 0, NULL, NULL));
	t1 = now_ns();
	check("RtmDeleteRouteToDest", RtmDeleteRouteToDest(e->h, rh, NULL));
	t2 = now_ns();
	lat[0] = t1 - t0;
	lat[1] = t2 - t1;
}

uint64_t churn_run(struct entity *e, const volatile int *phase)
{
	RTM_ROUTE_INFO ri;
	uint64_t calls = 0, lat[2];

	entity_route_info(e, &ri);
	for (size_t i = 0; *phase != 2; i++) {
		add_delete(e, &ri, i, lat);
		calls += 2;
	}
	return calls;
}

uint64_t spin_run(double secs, const volatile int *phase)
{
	uint64_t loops = 0, end = now_ns() + (uint64_t)(secs * 1e9);
	volatile uint64_t x = 1;

	for (;;) {
		for (int i = 0; i < 4096; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		loops += 4096;
		if (secs > 0 ? now_ns() >= end : *phase == 2)
			return loops;
	}
}

struct samples {
	uint32_t *v;
	size_t n, cap;
	double sum;
	uint64_t over_10ms;
};

static void file_sample(struct samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1 << 16;
		s->v = xrealloc(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	s->sum += (double)ns;
	s->over_10ms += ns > 10000000;
}

/*
 * A call is filed under the phase seen when it returns: a call that
 * started just before the kill and was held up by the cleanup counts
 * as a call during the cleanup.
 */
void probe_run(struct entity *e, const struct lookups *l,
	       const volatile int *phase, struct probe_result *r)
{
	size_t stride = RTM_SIZE_OF_DEST_INFO(e->prof.NumberOfViews);
	RTM_DEST_INFO *d = xcalloc(1, stride);
	struct samples s[2] = { { 0 }, { 0 } };
	RTM_NET_ADDRESS a;
	RTM_ROUTE_INFO ri;
	uint64_t lat[4], t0;
	int ph;

	entity_route_info(e, &ri);
	for (size_t i = 0;; i++) {
		add_delete(e, &ri, i, lat);
		entity_addr(e, l->addrs + (i % l->n) * (size_t)e->t->bytes,
			    &a);
		t0 = now_ns();
		check("RtmGetMostSpecificDestination",
		      RtmGetMostSpecificDestination(e->h, &a,
						    RTM_BEST_PROTOCOL,
						    RTM_VIEW_MASK_UCAST, d));
		lat[2] = now_ns() - t0;
		t0 = now_ns();
		check("RtmReleaseDestInfo", RtmReleaseDestInfo(e->h, d));
		lat[3] = now_ns() - t0;
		ph = *phase;
		if (ph == 2)
			break;
		for (int k = 0; k < 4; k++)
			file_sample(&s[ph], lat[k]);
	}
	for (int k = 0; k < 2; k++) {
		r->calls[k] = s[k].n;
		r->mean_ns[k] = s[k].n ? s[k].sum / (double)s[k].n : 0;
		r->p99_ns[k] = quantile_u32(s[k].v, s[k].n, 0.99);
		r->max_ns[k] = s[k].n ? s[k].v[s[k].n - 1] : 0;
		r->over_10ms[k] = s[k].over_10ms;
		free(s[k].v);
	}
	free(d);
}
