// SPDX-License-Identifier: GPL-2.0
/*
 * gen_list.c - rtm-fuzz: route lists (ROUTE_LIST create, delete, insert;
 * routes moved to a list by ADD_ROUTE and UPDATE_ROUTE; list
 * enumerations, RTM_ENUM_KIND_LIST).
 *
 * A file keeps a few lists (T_LIST pool, F_REF while not deleted) and
 * moves its own routes between them, off them (list handle 0), or tries
 * with routes of other files (EACCES), deleted or stale ones (ESTALE),
 * counts past the cap and bad arrays.  Lists are deleted with routes on
 * them and with enumerations open on them, or left to the close.
 */
#include <string.h>
#include "fuzz.h"

#define LISTS_PER_FILE	6	/* more live ones: delete one instead */
#define MAXINS		64

static uint32_t live_lists(int s)
{
	const struct pool *p = &pools[s][T_LIST];
	uint32_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += (p->e[i].flags & (F_REF | F_DEAD)) == F_REF;
	return n;
}

/* A live list of @s mostly, else a stale, foreign or mutated handle. */
static uint64_t pick_list(int s, struct hent **ep)
{
	return pick_mine(T_LIST, s, F_REF, ep);
}

uint64_t gen_list(int s)
{
	struct hent *e;

	if (pct(88))
		return 0;
	e = pool_pick(T_LIST, s, F_REF, 0);
	if (e && pct(95))
		return e->h;
	return pct(50) ? 0 : pick(T_LIST, s, NULL);
}

void gen_list_enum(int s, struct rtm_enum_create *ec)
{
	ec->kind = RTM_ENUM_KIND_LIST;
	ec->dest = pick_list(s, NULL);
	ec->enum_flags = 0;
	ec->views = 0;
	ec->flags = 0;
	ec->handle = 0;
	ec->reserved = 0;
	switch (FZ(100) ? rn(5) : 5) {	/* each one is EINVAL */
	case 0: ec->enum_flags = 1U << rn(32); break;
	case 1: ec->views = 1 + rn(3); break;
	case 2: ec->flags = 1U << rn(32); break;
	case 3: ec->reserved = rnd32(); break;
	case 4: ec->dest = 0; break;
	}
}

/* The routes of INSERT: @s's own, now and then a bad one. */
static uint64_t put_routes(int s, uint32_t *count)
{
	uint64_t r[MAXINS];
	uint32_t i, n = rn(10) < 7 ? 1 + rn(4) : 5 + rn(MAXINS - 4);
	struct hent *e;

	for (i = 0; i < n; i++) {
		e = pool_pick(T_ROUTE, s, pct(80) ? F_MINE | F_REF : F_MINE,
			      F_GONE);
		r[i] = e ? e->h : pick(T_ROUTE, s, NULL);
	}
	if (n && FZ(80))	/* another's (EACCES), stale (ESTALE), ... */
		r[rn(n)] = pick(T_ROUTE, s, NULL);
	return put_handles(r, n, count);
}

void g_route_list(struct callctx *c)
{
	struct rtm_route_list rl, *r;
	struct hent *e = NULL;
	uint32_t w = rn(100);

	memset(&rl, 0, sizeof(rl));
	if (w < 20 && live_lists(c->s) >= LISTS_PER_FILE)
		w = 25;
	if (w < 20) {
		rl.op = RTM_LO_CREATE;
		if (FZ(30))	/* ignored */
			rl.handle = rnd64();
	} else if (w < 32) {
		rl.op = RTM_LO_DELETE;
		rl.handle = pick_list(c->s, &e);
	} else {
		rl.op = RTM_LO_INSERT;
		rl.handle = pct(85) ? pick_list(c->s, &e) :
			    pct(70) ? 0 : pick(T_LIST, c->s, NULL);
		rl.routes = put_routes(c->s, &rl.count);
	}
	if (FZ(30))
		rl.op = pct(50) ? RTM_LO_MAX + rn(4) : rnd32();
	if (call(c, &rl, sizeof(rl)))
		return;
	r = c->back;
	switch (rl.op) {
	case RTM_LO_CREATE:
		if (!r)
			break;
		if (RTM_HANDLE_TYPE(r->handle) != RTM_HT_LIST)
			anomaly("ROUTE_LIST create returned %#llx",
				(unsigned long long)r->handle);
		else
			pool_add(T_LIST, r->handle, c->s, F_REF | F_MINE);
		break;
	case RTM_LO_DELETE:
		if (!e || e->h != rl.handle || e->slot != c->s)
			e = pool_find(T_LIST, c->s, rl.handle);
		kill_entry(e);
		break;
	}
}
