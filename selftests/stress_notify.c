// SPDX-License-Identifier: GPL-2.0
/*
 * stress_notify.c - change notification in the stress test (spec part 2,
 * 2.17, 3.11-3.18; part 1, 5.1 RTM_CHANGE_NOTIFICATION).
 *
 * Each registration keeps up to MAXNOTIF notification registrations
 * (various views and change types, some RTM_NOTIFY_ONLY_MARKED_DESTS),
 * drains them in batches it keeps for a while (released with
 * RtmReleaseChangedDests, sometimes after the notification is gone),
 * ignores, queries and marks destinations, and checks:
 *
 *   - the batch rules (NO_ERROR full, ERROR_NO_MORE_ITEMS short), every
 *     destination once per batch, and only marked ones for a
 *     registration that asked for marked destinations only;
 *   - a new route of its own (an ALL-type change of both views) makes
 *     the destination pending (RtmGetChangeStatus TRUE) and a drain
 *     returns it; with an event callback, a RTM_CHANGE_NOTIFICATION
 *     arrives after the pending set became non-empty again;
 *   - a marked destination stays in the table whoever deletes its routes
 *     (found by an exact match with TargetViews 0), until unmarked; a
 *     mark that did not take means the destination had left the table;
 *   - a deregistered notification handle is invalid.
 *
 * The callback side (notify_event) only checks that the notification and
 * its context are ours, and counts.
 */
#include <stdlib.h>
#include <string.h>

#include "stress.h"

#define MAXNOTIF	2	/* per registration: 4 x 6 workers <= 32 */
#define NMARKED		6
#define CTX_MAGIC	0x5e0000u
#define FORGED_NOTIFY	((RTM_NOTIFY_HANDLE)(uintptr_t)0x6000000f0fedcba1ULL)
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

struct marked {
	RTM_DEST_HANDLE h;	/* kept alive by the mark, no reference */
	RTM_NET_ADDRESS addr;
};

struct notif {
	RTM_NOTIFY_HANDLE h;	/* NULL: free */
	DWORD views, flags;
	struct marked m[NMARKED];
	unsigned int nm;
	uint64_t seq;		/* registration order */
	uint64_t cnt_empty;	/* callbacks counted before the last re-arm */
	bool expect;		/* a callback must come (own change) */
	uint64_t expect_cnt;
	double expect_since;
};

static struct notif NT[NREGS][MAXNOTIF];
static uint64_t nseq;

/* What the callback sees: handle of each slot, and its count. */
static struct {
	RTM_NOTIFY_HANDLE h;
	int pending;		/* being registered: handle not known yet */
	uint64_t count;
} CB[NREGS][MAXNOTIF];

static void *ctx_of(int idx, int k)
{
	return (void *)(uintptr_t)(CTX_MAGIC | (unsigned int)idx << 8 |
				   (unsigned int)k);
}

static uint64_t cb_count(int idx, int k)
{
	return __atomic_load_n(&CB[idx][k].count, __ATOMIC_SEQ_CST);
}

void notify_reset(struct reg *r)
{
	memset(NT[r->idx], 0, sizeof(NT[r->idx]));
	memset(CB[r->idx], 0, sizeof(CB[r->idx]));
}

/* Event thread: is @h (with @context) a notification of @idx? */
bool notify_event(int idx, RTM_NOTIFY_HANDLE h, void *context)
{
	uintptr_t c = (uintptr_t)context;
	unsigned int ci = (c >> 8) & 0xff, k = c & 0xff;
	RTM_NOTIFY_HANDLE nh = POISON;
	RTM_ENTITY_HANDLE reg;
	DWORD rc;

	if ((c & ~(uintptr_t)0xffff) != CTX_MAGIC || ci != (unsigned int)idx ||
	    k >= MAXNOTIF)
		return false;
	if (__atomic_load_n(&CB[idx][k].h, __ATOMIC_SEQ_CST) != h &&
	    !__atomic_load_n(&CB[idx][k].pending, __ATOMIC_SEQ_CST))
		return false;
	__atomic_fetch_add(&CB[idx][k].count, 1, __ATOMIC_SEQ_CST);
	reg = __atomic_load_n(&W.r[idx].h, __ATOMIC_SEQ_CST);
	if (reg && (splitmix(&(uint64_t){ (uint64_t)(uintptr_t)h ^
					   cb_count(idx, k) }) & 31) == 0) {
		/* Forbidden inside this callback (3.11). */
		rc = RtmRegisterForChangeNotification(reg, RTM_VIEW_MASK_UCAST,
						      RTM_CHANGE_TYPE_ALL,
						      NULL, &nh);
		CHK(C_REGNOTIFY, rc, A_IP, "inside a change callback");
		EXPECT(nh == POISON, "a refused registration wrote %#llx",
		       H(nh));
	}
	return true;
}

/* ------------------------------------------------------------------ */

static struct notif *pick_notif(struct reg *r, int *k)
{
	unsigned int i, s = rnd(MAXNOTIF);

	for (i = 0; i < MAXNOTIF; i++) {
		struct notif *nt = &NT[r->idx][(s + i) % MAXNOTIF];

		if (nt->h) {
			*k = (int)((s + i) % MAXNOTIF);
			return nt;
		}
	}
	return NULL;
}

static bool is_marked(const struct notif *nt, RTM_DEST_HANDLE h)
{
	unsigned int i;

	for (i = 0; i < nt->nm; i++)
		if (nt->m[i].h == h)
			return true;
	return false;
}

static void n_register(struct reg *r)
{
	static const DWORD views[] = { 0, RTM_VIEW_MASK_UCAST,
				       RTM_VIEW_MASK_MCAST, 3,
				       RTM_VIEW_MASK_ALL };
	DWORD v = views[rnd(5)], flags = 1 + rnd(7);
	unsigned int allowed = A_OK, bad = rnd(100);
	RTM_NOTIFY_HANDLE h = POISON;
	struct notif *nt = NULL;
	int k;
	DWORD rc;

	for (k = 0; k < MAXNOTIF && !nt; k++)
		if (!NT[r->idx][k].h)
			nt = &NT[r->idx][k];
	if (!nt)
		return;
	k--;
	if (chance(25))
		flags |= RTM_NOTIFY_ONLY_MARKED_DESTS;
	if (bad < 3) {
		flags = rnd(2) ? 0 : RTM_NOTIFY_ONLY_MARKED_DESTS;
		allowed = A_IP;
	} else if (bad < 6) {
		flags |= 0x8;
		allowed = A_IP;
	} else if (bad < 9) {
		v = 0x4;
		allowed = A_NSUP;
	}
	/*
	 * 32 per table: the timer registration shares the table of index 0,
	 * so 4 x MAXNOTIF per worker there.
	 */
	if (allowed == A_OK && S->nworkers * 2 * MAXNOTIF > 32)
		allowed |= A_NSR;
	__atomic_store_n(&CB[r->idx][k].pending, 1, __ATOMIC_SEQ_CST);
	nt->cnt_empty = cb_count(r->idx, k);
	rc = RtmRegisterForChangeNotification(r->h, v, flags, ctx_of(r->idx, k),
					      &h);
	CHK(C_REGNOTIFY, rc, allowed, "views %#x flags %#x", v, flags);
	if (rc) {
		EXPECT(h == POISON, "a refused registration wrote %#llx", H(h));
		__atomic_store_n(&CB[r->idx][k].pending, 0, __ATOMIC_SEQ_CST);
		return;
	}
	EXPECT(h && RTM_HANDLE_TYPE((uint64_t)(uintptr_t)h) == RTM_HT_NOTIFY,
	       "notification handle %#llx", H(h));
	__atomic_store_n(&CB[r->idx][k].h, h, __ATOMIC_SEQ_CST);
	__atomic_store_n(&CB[r->idx][k].pending, 0, __ATOMIC_SEQ_CST);
	nt->h = h;
	nt->seq = ++nseq;
	nt->views = v;
	nt->flags = flags;
	nt->nm = 0;
	nt->expect = false;
}

/*
 * One batch of changed destinations, kept as a structure.  Returns 1 if
 * @want (a destination handle) was in it, -1 if the batch ended the
 * pending set without it, 0 otherwise.
 */
static int n_get(struct reg *r, struct notif *nt, int k, bool over,
		 RTM_DEST_HANDLE want)
{
	unsigned int max = r->prof.MaxHandlesInEnum, cap, i, j;
	struct pend p = { .type = P_CHANGED, .aux = nt->h };
	uint64_t before = cb_count(r->idx, k);
	int found = 0;
	void *buf;
	UINT n;
	DWORD rc;

	if (r->npend >= MAXPEND)
		return 0;
	cap = over ? max + 1 : 1 + rnd(max < 8 ? max : 8);
	buf = xmalloc(r->dstride * (cap + 1));
	n = cap;
	rc = RtmGetChangedDests(r->h, nt->h, &n, buf);
	CHK(C_GETCHANGED, rc, over ? A_IP : A_OK | A_NMI, "notification "
	    "%#llx (views %#x flags %#x), %u asked", H(nt->h), nt->views,
	    nt->flags, cap);
	if (rc && rc != ERROR_NO_MORE_ITEMS) {
		EXPECT(!n, "%u changed dests with error %u", n, rc);
		free(buf);
		return 0;
	}
	EXPECT(rc ? n < cap : n == cap, "%s with %u of %u changed dests",
	       rc ? "NO_MORE_ITEMS" : "NO_ERROR", n, cap);
	for (i = 0; i < n; i++) {
		RTM_DEST_INFO *d = dest_at(r, buf, i);

		check_dest(r, d, nt->views, "RtmGetChangedDests");
		for (j = 0; j < i; j++)
			EXPECT(dest_at(r, buf, j)->DestHandle != d->DestHandle,
			       "dest %#llx twice in one batch",
			       H(d->DestHandle));
		/* A failed allocation makes the kernel resync everything. */
		if ((nt->flags & RTM_NOTIFY_ONLY_MARKED_DESTS) && !W.faults)
			EXPECT(is_marked(nt, d->DestHandle), "unmarked dest "
			       "%#llx (%s) reported to a marked-only "
			       "notification", H(d->DestHandle),
			       A(&d->DestAddress));
		if (want && d->DestHandle == want)
			found = 1;
	}
	if (rc == ERROR_NO_MORE_ITEMS) {
		nt->cnt_empty = before;		/* re-armed */
		if (!found)
			found = -1;
	}
	if (!n) {
		free(buf);
		return found;
	}
	p.n = n;
	p.buf = buf;
	pend_book(r, &p);
	r->pend[r->npend++] = p;
	if (chance(40))
		pend_release(r, r->npend - 1);
	return found;
}

/* A destination this registration holds, or NULL. */
static RTM_DEST_HANDLE held_dest(struct reg *r)
{
	struct href *e = pick_held(r, RTM_HT_DEST, 0, 0);

	return e ? (RTM_DEST_HANDLE)(uintptr_t)e->h : NULL;
}

static void n_ignore(struct reg *r, struct notif *nt)
{
	RTM_DEST_HANDLE h[3];
	unsigned int n = 0, i, want = 1 + rnd(3);
	bool bad = chance(5);
	DWORD rc;

	for (i = 0; i < want; i++)
		if ((h[n] = held_dest(r)))
			n++;
	if (!n)
		return;
	if (bad)
		h[rnd(n)] = NULL;
	rc = RtmIgnoreChangedDests(r->h, nt->h, n, h);
	CHK(C_IGNCHANGED, rc, bad ? A_IH : A_OK, "notification %#llx, %u "
	    "dests%s", H(nt->h), n, bad ? ", one NULL" : "");
}

static void n_status(struct reg *r, struct notif *nt)
{
	RTM_DEST_HANDLE d = held_dest(r);
	BOOL b = 7;
	DWORD rc;

	if (!d)
		return;
	if (chance(3)) {
		rc = RtmGetChangeStatus(r->h, nt->h, d, NULL);
		CHK(C_CHGSTATUS, rc, A_IP, "NULL ChangeStatus");
		return;
	}
	rc = RtmGetChangeStatus(r->h, nt->h, d, &b);
	CHK(C_CHGSTATUS, rc, A_OK, "notification %#llx dest %#llx",
	    H(nt->h), H(d));
	if (!rc)
		EXPECT(b == TRUE || b == FALSE, "ChangeStatus %d", b);
}

static void n_unmark(struct reg *r, struct notif *nt, unsigned int i)
{
	RTM_DEST_HANDLE h = nt->m[i].h;
	BOOL m = 7;
	DWORD rc;

	rc = RtmMarkDestForChangeNotification(r->h, nt->h, h, FALSE);
	CHK(C_MARKDEST, rc, A_OK, "unmark %#llx", H(h));
	nt->m[i] = nt->m[--nt->nm];
	/* Unmarked now: the destination may go at once. */
	rc = RtmIsMarkedForChangeNotification(r->h, nt->h, h, &m);
	CHK(C_ISMARKED, rc, A_OK | A_IH, "unmarked %#llx", H(h));
	if (!rc)
		EXPECT(m == FALSE, "dest %#llx still marked (%d)", H(h), m);
}

static void n_mark(struct reg *r, struct notif *nt)
{
	RTM_NET_ADDRESS addr;
	RTM_DEST_HANDLE h, now;
	BOOL m = 7;
	DWORD rc;

	if (nt->nm && chance(40)) {
		n_unmark(r, nt, rnd(nt->nm));
		return;
	}
	h = held_dest(r);
	if (!h || is_marked(nt, h) || r->npend + 3 > MAXPEND ||
	    !dest_addr(r, h, &addr))
		return;
	rc = RtmMarkDestForChangeNotification(r->h, nt->h, h, TRUE);
	CHK(C_MARKDEST, rc, A_OK, "mark %#llx", H(h));
	rc = RtmIsMarkedForChangeNotification(r->h, nt->h, h, &m);
	CHK(C_ISMARKED, rc, A_OK, "marked %#llx", H(h));
	EXPECT(m == TRUE || m == FALSE, "DestMarked %d", m);
	if (m) {
		nt->m[nt->nm++] = (struct marked){ h, addr };
		if (nt->nm == NMARKED)
			n_unmark(r, nt, rnd(nt->nm));
		return;
	}
	/* Not marked: it was no longer in the table, and cannot be back. */
	now = dest_lookup(r, &addr, &rc);
	EXPECT(rc || now != h, "dest %#llx (%s) is in the table but the mark "
	       "did not take", H(h), A(&addr));
}

/* A marked destination is still the one in the table. */
static void n_kept(struct reg *r, struct notif *nt)
{
	struct marked *mk;
	RTM_DEST_HANDLE now;
	DWORD rc;

	if (!nt->nm || r->npend >= MAXPEND)
		return;
	mk = &nt->m[rnd(nt->nm)];
	now = dest_lookup(r, &mk->addr, &rc);
	if (rc == ERROR_NOT_ENOUGH_MEMORY)
		return;
	EXPECT(!rc && now == mk->h, "marked dest %#llx (%s) left the table: "
	       "lookup %s, dest %#llx", H(mk->h), A(&mk->addr),
	       code_name[rc ? (rc == ERROR_NOT_FOUND ? K_NF : K_OTHER) : K_OK],
	       H(now));
	sem_count(SEM_MARK_KEPT);
}

/*
 * A new route of ours on both views is an ALL-type change: its
 * destination is pending for an ALL-type notification that is not
 * limited to marked destinations, and a drain returns it.
 */
static void n_own_change(struct reg *r, struct notif *nt, int k)
{
	route_buf u;
	RTM_ROUTE_CHANGE_FLAGS cf = 0;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS dest;
	RTM_ROUTE_INFO *ri;
	RTM_DEST_HANDLE dh;
	int pfx = rnd_prefix(), i, found = 0;
	BOOL b = 7;
	DWORD rc;

	if (r->idx == REG_TIMER || !(nt->flags & RTM_CHANGE_TYPE_ALL) ||
	    (nt->flags & RTM_NOTIFY_ONLY_MARKED_DESTS) ||
	    r->npend + 2 > MAXPEND)
		return;
	memset(&u, 0, sizeof(u));
	prefix(r, pfx, &dest);
	u.ri.PrefInfo.Preference = 1 + rnd(3);
	u.ri.PrefInfo.Metric = rnd(4);
	u.ri.BelongsToViews = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
	u.ri.EntitySpecificInfo = (PVOID)(uintptr_t)splitmix(&(uint64_t){
		W.op });
	rc = RtmAddRouteToDest(r->h, &h, &dest, &u.ri, INFINITE, NULL, 0,
			       NULL, &cf);
	CHK(C_ADDRT, rc, A_OK, "own change on %s", A(&dest));
	if (rc)
		return;
	book_own_route(r, h, pfx);
	if (!(cf & RTM_ROUTE_CHANGE_NEW))
		return;		/* an update may change nothing */
	r->own_routes++;
	ri = xmalloc(r->rsize);
	rc = RtmGetRouteInfo(r->h, h, ri, NULL);
	CHK(C_RTINFO, rc, A_OK, "new route %#llx", H(h));
	if (rc) {
		free(ri);
		return;
	}
	/* Kept while we look: it holds the destination handle. */
	dh = ri->DestHandle;
	pend_book(r, &(struct pend){ P_ROUTEINFO, 1, ri, NULL });
	r->pend[r->npend++] = (struct pend){ P_ROUTEINFO, 1, ri, NULL };
	rc = RtmGetChangeStatus(r->h, nt->h, dh, &b);
	CHK(C_CHGSTATUS, rc, A_OK, "own new route's dest %#llx", H(dh));
	if (W.faults)
		return;	/* a failed queueing falls back to a resync */
	EXPECT(b == TRUE, "own new route %#llx on %s: dest %#llx not pending "
	       "for notification %#llx (views %#x flags %#x)", H(h),
	       A(&dest), H(dh), H(nt->h), nt->views, nt->flags);
	sem_count(SEM_OWN_CHANGE);
	if (r->cb && !nt->expect) {
		nt->expect = true;
		nt->expect_cnt = nt->cnt_empty;
		nt->expect_since = now_ms();
	}
	for (i = 0; i < 16 && !found && r->npend < MAXPEND; i++)
		found = n_get(r, nt, k, false, dh);
	EXPECT(found >= 0, "own change on %s (dest %#llx) pending, but not "
	       "returned before ERROR_NO_MORE_ITEMS", A(&dest), H(dh));
	if (found)
		sem_count(SEM_OWN_CHANGE_GOT);
}

/* Release kept batches of notifications deregistered earlier. */
static void release_dead_batches(struct reg *r)
{
	unsigned int i, k;
	bool live;

	for (i = 0; i < r->npend;) {
		struct pend *p = &r->pend[i];

		live = false;
		for (k = 0; k < MAXNOTIF; k++)
			live |= p->type == P_CHANGED &&
				NT[r->idx][k].h == p->aux;
		if (p->type == P_CHANGED && !live)
			pend_release(r, i);	/* moves the last one to i */
		else
			i++;
	}
}

static void n_deregister(struct reg *r, struct notif *nt, int k)
{
	RTM_NOTIFY_HANDLE h = nt->h;
	RTM_DEST_INFO *d;
	unsigned int i;
	UINT n = 1;
	DWORD rc;

	release_dead_batches(r);
	rc = RtmDeregisterFromChangeNotification(r->h, h);
	CHK(C_DEREGNOTIFY, rc, A_OK, "notification %#llx", H(h));
	__atomic_store_n(&CB[r->idx][k].h, NULL, __ATOMIC_SEQ_CST);
	memset(nt, 0, sizeof(*nt));
	/* Batches still held are released with the old handle later. */
	for (i = 0; i < r->npend; i++)
		if (r->pend[i].type == P_CHANGED && r->pend[i].aux == h)
			sem_count(SEM_RELEASE_DEAD_NOTIFY);
	d = xmalloc(r->dstride);
	rc = RtmGetChangedDests(r->h, h, &n, d);
	CHK(C_GETCHANGED, rc, A_IH, "deregistered notification %#llx", H(h));
	EXPECT(!n, "%u changed dests of a deregistered notification", n);
	free(d);
	if (chance(10)) {
		rc = RtmDeregisterFromChangeNotification(r->h, h);
		CHK(C_DEREGNOTIFY, rc, A_IH, "deregistered %#llx", H(h));
	}
}

/*
 * Mostly the youngest goes: an old notification outlives many short
 * ones, as a client's main one beside passing ones would.
 */
static void n_deregister_one(struct reg *r, struct notif *nt, int k)
{
	int j;

	if (chance(80)) {
		for (j = 0; j < MAXNOTIF; j++) {
			if (NT[r->idx][j].h && NT[r->idx][j].seq > nt->seq) {
				nt = &NT[r->idx][j];
				k = j;
			}
		}
	}
	n_deregister(r, nt, k);
}

/* Forged handles and handles of other kinds or tables. */
static void n_bad(struct reg *r)
{
	RTM_NOTIFY_HANDLE bad = FORGED_NOTIFY;
	RTM_DEST_HANDLE d = held_dest(r);
	struct notif *other;
	BOOL b = 7;
	int i, k;
	DWORD rc;

	if (!d)
		return;
	if (chance(50)) {
		bad = (RTM_NOTIFY_HANDLE)d;
	} else {
		/* A notification of one of our registrations elsewhere. */
		i = (r->idx + 1 + (int)rnd(NREGS - 1)) % NREGS;
		other = W.r[i].live ? pick_notif(&W.r[i], &k) : NULL;
		if (other)
			bad = other->h;
	}
	rc = RtmGetChangeStatus(r->h, bad, d, &b);
	CHK(C_CHGSTATUS, rc, A_IH, "notification %#llx", H(bad));
	rc = RtmMarkDestForChangeNotification(r->h, bad, d, TRUE);
	CHK(C_MARKDEST, rc, A_IH, "notification %#llx", H(bad));
	EXPECT(b == 7, "a failed RtmGetChangeStatus wrote %d", b);
}

void op_notify(struct reg *r)
{
	struct notif *nt;
	unsigned int t = rnd(100);
	int k = 0;

	nt = pick_notif(r, &k);
	if (!nt || t < 10) {
		n_register(r);
		return;
	}
	if (t < 34)
		n_get(r, nt, k, chance(3), NULL);
	else if (t < 40)
		n_ignore(r, nt);
	else if (t < 48)
		n_status(r, nt);
	else if (t < 62)
		n_mark(r, nt);
	else if (t < 68)
		n_kept(r, nt);
	else if (t < 88)
		n_own_change(r, nt, k);
	else if (t < 96)
		n_deregister_one(r, nt, k);
	else
		n_bad(r);
}

/* Callbacks that must have come by now (own changes). */
void notify_poll(struct reg *r)
{
	double now = now_ms();
	int k;

	for (k = 0; k < MAXNOTIF; k++) {
		struct notif *nt = &NT[r->idx][k];

		if (!nt->h || !nt->expect)
			continue;
		if (cb_count(r->idx, k) > nt->expect_cnt) {
			nt->expect = false;
			sem_count(SEM_CHANGE_EVENT);
			continue;
		}
		EXPECT(now < nt->expect_since + slack_ms, "no "
		       "RTM_CHANGE_NOTIFICATION for %#llx %.0f ms after an own "
		       "change made its pending set non-empty", H(nt->h),
		       now - nt->expect_since);
	}
}

/* Before a drain: batches given back, notifications (and marks) gone. */
void notify_drain(struct reg *r)
{
	unsigned int i;
	int k;

	for (i = 0; i < r->npend;) {
		if (r->pend[i].type == P_CHANGED)
			pend_release(r, i);
		else
			i++;
	}
	for (k = 0; k < MAXNOTIF; k++)
		if (NT[r->idx][k].h)
			n_deregister(r, &NT[r->idx][k], k);
}
