// SPDX-License-Identifier: GPL-2.0
/*
 * gen_lock.c - rtm-fuzz: locks held across calls (LOCK), the owner's
 * reads (PEEK), in-place updates (UPDATE_ROUTE) and opaque slots (OPAQUE).
 *
 * A lock makes the writers of every other registration wait, those of
 * this process's other files too, which would wait for ever: one thread
 * makes all the calls.  So no lock is held from one generator to the
 * next.  A session takes one lock, makes a few calls that never wait
 * (PEEK; a relock or an unlock in the other mode, which fail; a write by
 * the holder, refused; UPDATE_ROUTE, or a committing unlock of a next hop,
 * which release it) and gives it back, or closes the file holding it.
 * Only the first LOCK of a session may wait, for another process's
 * session, which itself never waits.  The calls of a session flip no
 * random bytes: a flipped handle could take a second lock, and two
 * processes each waiting for the other's lock would hang.
 */
#include <string.h>
#include "fuzz.h"

#define ROUTE_CHANGE_BEST	0x00010000U

/* The lock a session holds. */
struct held {
	uint32_t kind;
	uint32_t excl;		/* RTM_LK_EXCLUSIVE or 0 */
	uint64_t h;
	uint64_t dest;		/* a route's destination (from the reply) */
	int on;
};

/*
 * One LOCK call of file @s, no bytes flipped; *@reply gets the reply if
 * it could be read.  @bad_pml: misplaced argument or next-hop array.
 */
static int lock_call(int s, uint32_t kind, uint32_t flags, uint64_t h,
		     const struct rtm_nexthop_rec *nh, struct rtm_lock *reply,
		     unsigned int bad_pml)
{
	struct callctx c = { .ci = C_LOCK, .s = s };
	struct rtm_lock l;
	int ret;

	memset(&l, 0, sizeof(l));
	l.kind = kind;
	l.flags = flags;
	l.handle = h;
	if (nh)
		l.nh = *nh;
	/* Room for any route's next hops (up to 32). */
	l.route.nexthops = put_nested(NULL, 0, 32 * 8, pick_place(bad_pml),
				      NULL);
	ret = call_raw(&c, &l, sizeof(l), bad_pml);
	if (!ret && reply && c.back)
		memcpy(reply, c.back, sizeof(*reply));
	else if (reply)
		memset(reply, 0, sizeof(*reply));
	return ret;
}

/* The owner's records must name the owner. */
static void check_owner(int s, uint32_t kind, const struct rtm_route_rec *r,
			const struct rtm_nexthop_rec *nh, const char *what)
{
	uint64_t owner = kind == RTM_LK_ROUTE ? r->owner : nh->owner;

	if (slots[s].state != S_REG || kind == RTM_LK_DEST)
		return;
	if (owner != slots[s].ent)
		anomaly("%s of kind %u: owner %#llx, the caller is %#llx",
			what, kind, (unsigned long long)owner,
			(unsigned long long)slots[s].ent);
	if (kind == RTM_LK_ROUTE && (RTM_HANDLE_TYPE(r->dest) != RTM_HT_DEST ||
				     r->num_nexthops > slots[s].max_nh))
		anomaly("%s: route dest %#llx, %u next hops", what,
			(unsigned long long)r->dest, r->num_nexthops);
}

/* Give the session's lock back, by the route's dest if need be. */
static void unlock(int s, struct held *hd)
{
	if (!hd->on)
		return;
	hd->on = 0;
	if (!lock_call(s, hd->kind, hd->excl | RTM_LK_UNLOCK, hd->h, NULL,
		       NULL, 0))
		return;
	if (hd->dest && !lock_call(s, RTM_LK_DEST, hd->excl | RTM_LK_UNLOCK,
				   hd->dest, NULL, NULL, 0))
		return;
	/*
	 * The lock keeps its object (a dest, a next hop), so its handle
	 * stays valid; a route's may not, and then only its dest can say.
	 */
	if (hd->kind != RTM_LK_ROUTE || hd->dest)
		anomaly("the holder cannot give back its lock of %#llx "
			"(kind %u)", (unsigned long long)hd->h, hd->kind);
	slot_reopen(s, 1);	/* the close gives it back */
}

/* An in-place update of route @h of file @s (its dest's lock or not). */
static void gen_update(int s, uint64_t h, struct rtm_update_route *u)
{
	uint64_t nh[40];
	uint32_t n;

	memset(u, 0, sizeof(*u));
	u->handle = h;
	u->ttl = gen_ttl();
	u->list = gen_list(s);
	u->rec.neighbour = pct(60) ? 0 : pick_mine(T_NEXTHOP, s, F_MINE, NULL);
	u->rec.esi = rnd64();
	u->rec.metric = gen_metric();
	u->rec.preference = gen_pref();
	u->rec.views = gen_views();
	n = pct(40) ? 0 : 1 + rn(slots[s].max_nh);
	n = gen_nexthops(s, nh, n, 1);
	u->rec.num_nexthops = n;
	if (FZ(40))
		u->rec.num_nexthops = edge_count(slots[s].max_nh);
	u->rec.nexthops = put_nested(nh, n * 8, 0, pick_place(50), NULL);
	if (FZ(20))
		u->ttl = 0;
	if (FZ(20))
		u->rec.reserved = rnd32();
	if (FZ(30)) {		/* ignored: not writable in place */
		u->rec.flags = rnd32();
		u->rec.flags1 = rnd32();
		u->rec.state = rnd32();
		u->rec.dest = rnd64();
		u->rec.owner = rnd64();
	}
	if (FZ(20))
		u->change_flags = rnd32();
}

/* UPDATE_ROUTE of file @s; 0 if it went through (the lock is released). */
static int update_route(int s, uint64_t h)
{
	struct callctx c = { .ci = C_UPDATE_ROUTE, .s = s };
	struct rtm_update_route u, *r;

	gen_update(s, h, &u);
	if (call(&c, &u, sizeof(u)))
		return -1;
	r = c.back;
	if (r && (r->change_flags & ~ROUTE_CHANGE_BEST))
		anomaly("UPDATE_ROUTE change flags %#x", r->change_flags);
	return 0;
}

/* PEEK of file @s; the owner's own objects mostly. */
static void peek(int s, uint32_t kind, uint64_t h)
{
	struct callctx c = { .ci = C_PEEK, .s = s };
	struct rtm_peek p, *r;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.handle = h;
	p.route.nexthops = put_nested(NULL, 0, 32 * 8, pick_place(50), NULL);
	if (FZ(20))
		p.reserved = rnd32();
	if (FZ(30)) {		/* outputs: overwritten */
		p.route.num_nexthops = rnd32();
		p.nh.owner = rnd64();
	}
	/* No random bytes: a flipped bit of a pointer could name our data. */
	if (call_raw(&c, &p, sizeof(p), 60) || !c.back)
		return;
	r = c.back;
	check_owner(s, kind, &r->route, &r->nh, "PEEK");
}

/* A committing unlock of a next hop: only Flags and the value change. */
static int commit_nexthop(int s, struct held *hd)
{
	struct rtm_nexthop_rec nh;

	memset(&nh, 0, sizeof(nh));
	nh.flags = pct(70) ? 0 : pct(70) ? 1 : rnd32();
	nh.esi = rnd64();
	if (FZ(50)) {		/* ignored */
		nh.ifindex = rnd32();
		nh.owner = rnd64();
	}
	return lock_call(s, RTM_LK_NEXTHOP, hd->excl | RTM_LK_UNLOCK |
			 RTM_LK_COMMIT, hd->h, &nh, NULL, 30);
}

/* The holder writes the route it locked: refused, never waited for. */
static void holder_write(int s, struct held *hd)
{
	struct callctx c = { .ci = C_ADD_ROUTE, .s = s };
	struct rtm_add_route a;

	memset(&a, 0, sizeof(a));
	a.flags = RTM_RT_BY_HANDLE;
	a.handle = hd->h;
	a.ttl = gen_ttl();
	a.rec.views = 1 + rn(3);
	a.rec.metric = gen_metric();
	a.rec.esi = rnd64();
	if (!call_raw(&c, &a, sizeof(a), 0))
		anomaly("the holder of the lock of its route's dest could "
			"update the route");
}

/*
 * A few calls while file @s holds @hd, then the lock goes back.  None of
 * them waits; each may fail.
 */
static void session(int s, struct held *hd)
{
	int steps = rn(4);

	st->lock_sessions++;
	if (pml(25)) {
		/* The close (teardown) gives the lock back. */
		st->lock_closed++;
		slot_reopen(s, 1);
		return;
	}
	while (hd->on && steps--) {
		switch (rn(5)) {
		case 0:	/* not recursive, whatever the mode */
			if (!lock_call(s, hd->kind, rn(2) ? hd->excl :
				       hd->excl ^ RTM_LK_EXCLUSIVE, hd->h, NULL,
				       NULL, 30))
				anomaly("the holder of a lock (kind %u) took "
					"it again", hd->kind);
			break;
		case 1:	/* unlock in the other mode */
			if (!lock_call(s, hd->kind, (hd->excl ^
				       RTM_LK_EXCLUSIVE) | RTM_LK_UNLOCK,
				       hd->h, NULL, NULL, 30)) {
				anomaly("a lock (kind %u) was given back in "
					"the other mode", hd->kind);
				hd->on = 0;
			}
			break;
		case 2:
			if (hd->kind == RTM_LK_DEST)
				peek(s, RTM_LK_ROUTE,
				     pick_mine(T_ROUTE, s, F_MINE, NULL));
			else
				peek(s, hd->kind, hd->h);
			break;
		case 3:
			if (hd->kind == RTM_LK_ROUTE)
				holder_write(s, hd);
			break;
		default:
			if (hd->kind == RTM_LK_ROUTE && hd->excl &&
			    !update_route(s, hd->h))
				hd->on = 0;
			else if (hd->kind == RTM_LK_NEXTHOP &&
				 !commit_nexthop(s, hd))
				hd->on = 0;
			break;
		}
	}
	unlock(s, hd);
}

void g_lock(struct callctx *c)
{
	struct rtm_lock l, *r;
	struct held hd;
	uint32_t w = rn(100);

	memset(&l, 0, sizeof(l));
	if (w < 35) {
		l.kind = RTM_LK_DEST;
		l.handle = pick(T_DEST, c->s, NULL);
	} else if (w < 75) {
		l.kind = RTM_LK_ROUTE;
		l.handle = pick_mine(T_ROUTE, c->s, F_MINE | F_REF, NULL);
	} else {
		l.kind = RTM_LK_NEXTHOP;
		l.handle = pick_mine(T_NEXTHOP, c->s, F_MINE, NULL);
	}
	l.flags = pct(60) ? RTM_LK_EXCLUSIVE : 0;
	if (FZ(60))	/* unlock of nothing, commit without unlock, ... */
		l.flags = rnd32() & (pct(70) ? RTM_LK_FLAGS : ~0U);
	if (FZ(30))
		l.kind = pct(50) ? (pct(50) ? 0 : RTM_LK_MAX + rn(3)) : rnd32();
	l.route.nexthops = put_nested(NULL, 0, 32 * 8, pick_place(50), NULL);
	if (FZ(30)) {		/* outputs: overwritten */
		l.route.num_nexthops = rnd32();
		l.route.owner = rnd64();
		l.nh.esi = rnd64();
	}
	if (call_raw(c, &l, sizeof(l), 60))
		return;
	if (l.flags & RTM_LK_UNLOCK) {
		anomaly("unlock (kind %u, flags %#x) of a lock never taken",
			l.kind, l.flags);
		return;
	}
	r = c->back;
	if (r)
		check_owner(c->s, l.kind, &r->route, &r->nh, "LOCK");
	memset(&hd, 0, sizeof(hd));
	hd.kind = l.kind;
	hd.excl = l.flags & RTM_LK_EXCLUSIVE;
	hd.h = l.handle;
	hd.dest = r && l.kind == RTM_LK_ROUTE ? r->route.dest : 0;
	hd.on = 1;
	session(c->s, &hd);
}

void g_peek(struct callctx *c)
{
	uint32_t kind = pct(60) ? RTM_LK_ROUTE : RTM_LK_NEXTHOP;
	uint64_t h = kind == RTM_LK_ROUTE ?
		     pick_mine(T_ROUTE, c->s, F_MINE, NULL) :
		     pick_mine(T_NEXTHOP, c->s, F_MINE, NULL);

	if (FZ(30))
		kind = pct(50) ? RTM_LK_DEST : rnd32();
	peek(c->s, kind, h);
}

void g_update_route(struct callctx *c)
{
	struct hent *e = pool_pick(T_ROUTE, c->s, F_MINE | F_REF, F_GONE);
	struct rtm_lock reply;
	struct held hd;

	if (!e || pct(15)) {
		/* Without the lock: refused (no lock outlives a session). */
		if (!update_route(c->s, e ? e->h : pick(T_ROUTE, c->s, NULL)))
			anomaly("UPDATE_ROUTE without the lock went through");
		return;
	}
	memset(&hd, 0, sizeof(hd));
	hd.kind = RTM_LK_ROUTE;
	hd.excl = RTM_LK_EXCLUSIVE;
	hd.h = e->h;
	if (lock_call(c->s, RTM_LK_ROUTE, RTM_LK_EXCLUSIVE, hd.h, NULL, &reply,
		      0))
		return;
	hd.dest = reply.route.dest;
	hd.on = 1;
	st->lock_sessions++;
	if (!update_route(c->s, hd.h))
		hd.on = 0;
	unlock(c->s, &hd);
}

void g_opaque(struct callctx *c)
{
	struct rtm_opaque o, *r;
	int s, i;

	/* Mostly a file with a slot (else ENOENT). */
	for (i = 0; pct(85) && i < 2 * NSLOT; i++) {
		s = rn(NSLOT);
		if (slots[s].opaque && slots[s].state == S_REG) {
			c->s = s;
			break;
		}
	}
	memset(&o, 0, sizeof(o));
	o.dest = pick(T_DEST, c->s, NULL);
	o.op = rn(RTM_OP_MAX);
	if (FZ(30))
		o.op = pct(50) ? RTM_OP_MAX + rn(4) : rnd32();
	if (FZ(20))
		o.slot = rnd32();	/* output */
	if (call(c, &o, sizeof(o)) || !c->back)
		return;
	r = c->back;
	if (r->slot >= 32)
		anomaly("OPAQUE slot %u", r->slot);
}
