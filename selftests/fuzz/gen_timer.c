// SPDX-License-Identifier: GPL-2.0
/*
 * gen_timer.c - rtm-fuzz: route TimeToLive, hold-down (HOLD_DEST) and the
 * owner's answer to an expiry (EXPIRE_DONE).
 *
 * Times are short, so that the table's timers fire during the run, also
 * after the files that armed them were closed: a third of the TTLs given
 * to ADD_ROUTE and UPDATE_ROUTE are 10 ms to 2 s (a few 1 to 9 ms), and
 * hold times are 1 ms to 2 s.  Hold times never go higher, and a call that
 * asks for more is otherwise invalid: a hold-down outlives its files, and
 * the end of the run waits for the module's counters to reach zero.  Now
 * and then a hold is followed at once by the deletion of one of the
 * file's own routes of that destination, so that hold-downs start.
 *
 * The reference of an expiry event (gen_events.c) is given back, kept, or
 * consumed by EXPIRE_DONE, which is also sent for routes that did not
 * expire (they are deleted), routes of other files and stale handles.
 */
#include <string.h>
#include "fuzz.h"

#define ROUTE_CHANGE_BEST	0x00010000U
#define HOLD_MAX_MS		2000

uint32_t gen_ttl(void)
{
	uint32_t r = rn(100);

	if (r < 45)
		return 0xffffffffU;		/* never */
	if (r < 75)
		return 10 + rn(1991);		/* 10 ms - 2 s */
	if (r < 85)
		return 1 + rn(9);		/* at once */
	return 2000 + rn(98000);		/* during the run, maybe */
}

static uint32_t gen_hold_ms(void)
{
	return pct(85) ? 10 + rn(HOLD_MAX_MS - 9) : 1 + rn(9);
}

/* @s gave back its reference on route @h (the call consumed it). */
static void ref_consumed(int s, uint64_t h, struct hent *e)
{
	if (!e || e->slot != s || e->h != h || !(e->flags & F_REF))
		e = pool_find(T_ROUTE, s, h);
	if (e && (e->flags & F_REF))
		kill_entry(e);
	handle_gone(s, T_ROUTE, h);
}

/*
 * Hold the destination of one of @s's own routes, then delete that route:
 * if it was the last of a marked view, its hold-down starts.
 */
static void hold_then_delete(int s)
{
	struct hent *e = pool_pick(T_ROUTE, s, F_MINE | F_REF, F_GONE);
	struct rtm_dest_query q, *qr;
	struct rtm_delete_route d;
	struct rtm_hold_dest h;
	uint64_t p, rh;
	void *back;

	if (!e || !e->addr.family)
		return;
	rh = e->h;	/* harvesting may reuse the entry */
	memset(&q, 0, sizeof(q));
	q.op = RTM_DQ_EXACT;
	q.views = 3;
	q.addr = e->addr;
	p = put_arg(&q, sizeof(q), P_OK, &back);
	if (xioctl(C_DEST_QUERY, s, RTM_IOC_DEST_QUERY, p, P_OK))
		return;
	qr = back;
	harvest_dest(s, &qr->rec);
	memset(&h, 0, sizeof(h));
	h.dest = qr->rec.dest;
	h.views = rn(4);
	h.hold_ms = gen_hold_ms();
	p = put_arg(&h, sizeof(h), P_OK, &back);
	if (xioctl(C_HOLD_DEST, s, RTM_IOC_HOLD_DEST, p, P_OK))
		return;
	st->hold_combos++;
	memset(&d, 0, sizeof(d));
	d.handle = rh;
	p = put_arg(&d, sizeof(d), P_OK, &back);
	if (xioctl(C_DELETE_ROUTE, s, RTM_IOC_DELETE_ROUTE, p, P_OK))
		return;
	ref_consumed(s, d.handle, e);
	/* Did a hold-down start?  The dest says so (and is harvested). */
	q.op = RTM_DQ_HANDLE;
	q.handle = h.dest;
	memset(&q.rec, 0, sizeof(q.rec));
	p = put_arg(&q, sizeof(q), P_OK, &back);
	if (xioctl(C_DEST_QUERY, s, RTM_IOC_DEST_QUERY, p, P_OK))
		return;
	qr = back;
	harvest_dest(s, &qr->rec);
	if ((qr->rec.num_views > 0 && qr->rec.views[0].hold_route) ||
	    (qr->rec.num_views > 1 && qr->rec.views[1].hold_route))
		st->holds_seen++;
}

void g_hold_dest(struct callctx *c)
{
	struct rtm_hold_dest h;

	if (pct(25)) {
		hold_then_delete(c->s);
		return;
	}
	memset(&h, 0, sizeof(h));
	h.dest = pick(T_DEST, c->s, NULL);
	h.views = rn(4);
	h.hold_ms = gen_hold_ms();
	if (FZ(40))
		h.views = rnd32() | 4;			/* EINVAL */
	if (FZ(30))
		h.hold_ms = 0;				/* EINVAL */
	/* Long holds only in calls that are invalid anyway. */
	if ((h.views & ~3U) && pct(50))
		h.hold_ms = pct(50) ? ~0U : HOLD_MAX_MS + rnd32() % 1000000;
	/* No random bytes: one in the hold time would outlive the run. */
	call_raw(c, &h, sizeof(h), 60);
}

void g_expire_done(struct callctx *c)
{
	struct rtm_expire_done ed, *r;
	struct hent *e = NULL;
	uint32_t w = rn(100);

	memset(&ed, 0, sizeof(ed));
	if (w < 55)
		e = pool_pick(T_ROUTE, c->s, F_REF | F_MINE | F_EXPIRED, 0);
	if (!e && w < 80)	/* one that did not expire: deleted */
		e = pool_pick(T_ROUTE, c->s, F_REF | F_MINE, F_GONE);
	ed.handle = e ? e->h : pick(T_ROUTE, c->s, &e);	/* fake ones */
	if (FZ(30))
		ed.reserved = rnd32();
	if (FZ(20))
		ed.change_flags = rnd32();
	if (call(c, &ed, sizeof(ed)))
		return;
	ref_consumed(c->s, ed.handle, e);
	r = c->back;
	if (r && (r->change_flags & ~ROUTE_CHANGE_BEST))
		anomaly("EXPIRE_DONE change flags %#x", r->change_flags);
}

/* RTM_EV_ROUTE_EXPIRED on @s: the event's reference is ours. */
void route_expired(int s, uint64_t h)
{
	struct hent *e = pool_add(T_ROUTE, h, s, F_REF | F_MINE | F_EXPIRED);
	struct rtm_expire_done ed;
	uint32_t w = rn(100);
	void *back;
	uint64_t p;

	if (w < 35) {
		/* The callback said ERROR_NOT_SUPPORTED: delete it. */
		memset(&ed, 0, sizeof(ed));
		ed.handle = h;
		p = put_arg(&ed, sizeof(ed), P_OK, &back);
		if (!xioctl(C_EXPIRE_DONE, s, RTM_IOC_EXPIRE_DONE, p, P_OK))
			ref_consumed(s, h, e);
	} else if (w < 60) {
		/* The callback kept the route: give the reference back. */
		kill_entry(e);
		pend_push(s, h, RTM_HT_ROUTE);
		st->ev_released++;
	}
	/* Else kept: EXPIRE_DONE, re-armed by ADD_ROUTE, or the close. */
}
