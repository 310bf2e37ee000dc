// SPDX-License-Identifier: GPL-2.0
/*
 * gen_notify.c - rtm-fuzz: change notification (NOTIFY_REGISTER,
 * NOTIFY_OP, NOTIFY_GET).
 *
 * A file registers a few notifications (all, best or forwarding changes,
 * some only for marked destinations; views 0, one, both, all or bad), so
 * that the table's 32 fill up now and then (ENOSPC); the handles go to the
 * file's T_NOTIFY pool (F_REF: live, F_GONE: deregistered, still known to
 * RTM_NO_CHECK).  NOTIFY_OP marks, unmarks, ignores and asks about
 * destinations from the pool, and deregisters; NOTIFY_GET takes the
 * changed destinations (their references are harvested), mostly of a
 * registration whose RTM_EV_CHANGE_NOTIFICATION was read (F_SIGNAL),
 * until RTM_EG_END re-arms the event.  Churns register and deregister
 * in bursts on one file, now and then from three threads at once; and a
 * file about to be closed gets a fresh registration now and then, so that
 * changes race its teardown.
 */
#include <sched.h>
#include <string.h>
#include "fuzz.h"

#define CHANGE_TYPES	0x7U	/* RTM_CHANGE_TYPE_ALL | BEST | FORWARDING */
#define LIVE_PER_FILE	4	/* more than this: deregister one first */

static uint32_t gen_notify_views(void)
{
	static const uint32_t v[] = { 0, 0, 1, 2, 3, ~0U };

	if (FZ(40))
		return rnd32() | 4;	/* EOPNOTSUPP */
	return v[rn(sizeof(v) / sizeof(v[0]))];
}

static uint32_t live_count(int s)
{
	const struct pool *p = &pools[s][T_NOTIFY];
	uint32_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += (p->e[i].flags & (F_REF | F_DEAD)) == F_REF;
	return n;
}

static void deregistered(int s, uint64_t h)
{
	struct hent *e = pool_find(T_NOTIFY, s, h);

	if (e) {
		e->flags &= ~(F_REF | F_SIGNAL);
		e->flags |= F_GONE;
	}
}

/* A well-formed deregistration of one of @s's live notifications. */
static void deregister_one(int s)
{
	struct hent *e = pool_pick(T_NOTIFY, s, F_REF, 0);
	struct rtm_notify_op_arg op;
	void *back;
	uint64_t p;

	if (!e)
		return;
	memset(&op, 0, sizeof(op));
	op.handle = e->h;
	op.op = RTM_NO_DEREGISTER;
	p = put_arg(&op, sizeof(op), P_OK, &back);
	if (!xioctl(C_NOTIFY_OP, s, RTM_IOC_NOTIFY_OP, p, P_OK))
		deregistered(s, op.handle);
}

static void notify_churn(int s);

void g_notify_register(struct callctx *c)
{
	struct rtm_notify_register nr, *r;

	if (pct(opt.race ? 30 : 8)) {
		notify_churn(c->s);
		return;
	}
	if (live_count(c->s) >= LIVE_PER_FILE && pct(80))
		deregister_one(c->s);
	memset(&nr, 0, sizeof(nr));
	nr.views = gen_notify_views();
	nr.flags = 1 + rn(CHANGE_TYPES);
	if (pct(30))
		nr.flags |= RTM_NOTIFY_MARKED;
	if (FZ(40))
		nr.flags = pct(30) ? 0 : pct(50) ? nr.flags << 3 : rnd32();
	nr.context = rnd64();
	if (FZ(20))
		nr.handle = rnd64();
	if (call(c, &nr, sizeof(nr)) || !c->back)
		return;
	r = c->back;
	if (RTM_HANDLE_TYPE(r->handle) != RTM_HT_NOTIFY) {
		anomaly("NOTIFY_REGISTER returned handle %#llx",
			(unsigned long long)r->handle);
		return;
	}
	pool_add(T_NOTIFY, r->handle, c->s, F_REF | F_MINE);
}

/* The destinations of IGNORE: handles of the pool, some stale. */
static uint64_t put_dests(int s, uint32_t *count)
{
	uint64_t d[16];
	uint32_t i, n = rn(9);

	for (i = 0; i < n; i++)
		d[i] = pick(T_DEST, s, NULL);
	return put_handles(d, n, count);
}

void g_notify_op(struct callctx *c)
{
	struct rtm_notify_op_arg op, *r;
	struct hent *e = NULL;
	uint32_t w = rn(100);

	memset(&op, 0, sizeof(op));
	op.op = w < 10 ? RTM_NO_DEREGISTER : w < 28 ? RTM_NO_IGNORE :
		w < 43 ? RTM_NO_STATUS : w < 60 ? RTM_NO_MARK :
		w < 72 ? RTM_NO_UNMARK : w < 85 ? RTM_NO_IS_MARKED :
		RTM_NO_CHECK;
	if (op.op == RTM_NO_CHECK && pct(70) &&
	    (e = pool_pick(T_NOTIFY, c->s, F_MINE, 0)))
		op.handle = e->h;	/* deregistered ones too */
	else
		op.handle = pick_mine(T_NOTIFY, c->s, F_REF, &e);
	if (op.op == RTM_NO_IGNORE)
		op.dest = put_dests(c->s, &op.count);
	else if (op.op != RTM_NO_DEREGISTER && op.op != RTM_NO_CHECK)
		op.dest = pick(T_DEST, c->s, NULL);
	if (FZ(30))
		op.op = pct(50) ? RTM_NO_MAX + rn(4) : rnd32();
	if (FZ(20))
		op.reserved = rnd32();
	if (FZ(20))
		op.result = rnd32();
	if (FZ(20) && op.op != RTM_NO_IGNORE)
		op.count = edge_count(RTM_MAX_BATCH);
	if (call(c, &op, sizeof(op)))
		return;
	if (op.op == RTM_NO_DEREGISTER)
		deregistered(c->s, op.handle);
	r = c->back;
	if (r && (op.op == RTM_NO_STATUS || op.op == RTM_NO_IS_MARKED) &&
	    r->result > 1)
		anomaly("NOTIFY_OP %u result %u", op.op, r->result);
}

/*
 * Take the changed destinations of notification @h of file @s, @n
 * batches at most, until the set is empty: what librtm's callback does.
 */
static void drain(int s, struct hent *e, int n)
{
	struct rtm_notify_get ng, *r;
	uint32_t max = slots[s].max_enum;
	struct rtm_dest_rec *recs;
	uint32_t i;
	void *back;
	uint64_t p;

	while (n--) {
		memset(&ng, 0, sizeof(ng));
		ng.handle = e->h;
		ng.count = max;
		ng.buf = put_nested(NULL, 0, max * sizeof(*recs), P_OK,
				    (void **)&recs);
		p = put_arg(&ng, sizeof(ng), P_OK, &back);
		if (xioctl(C_NOTIFY_GET, s, RTM_IOC_NOTIFY_GET, p, P_OK))
			return;
		r = back;
		for (i = 0; i < r->count && i < max; i++)
			harvest_dest(s, &recs[i]);
		if (r->status & RTM_EG_END) {
			e->flags &= ~F_SIGNAL;
			return;
		}
	}
}

void notify_signalled(int s, uint64_t h)
{
	struct hent *e = pool_find(T_NOTIFY, s, h);

	/* Ours, or one the pool forgot (it stays live until the close). */
	if (!e && !(e = pool_add(T_NOTIFY, h, s, F_REF | F_MINE)))
		return;
	e->flags |= F_SIGNAL;
	if (pct(50))
		drain(s, e, 1 + rn(4));
}

void g_notify_get(struct callctx *c)
{
	uint32_t max = slots[c->s].max_enum, i, cnt;
	struct rtm_notify_get ng, *r;
	struct rtm_dest_rec *recs = NULL;
	struct hent *e = NULL;

	memset(&ng, 0, sizeof(ng));
	if (pct(60) && (e = pool_pick(T_NOTIFY, c->s, F_REF | F_SIGNAL, 0)))
		ng.handle = e->h;
	else
		ng.handle = pick_mine(T_NOTIFY, c->s, F_REF, &e);
	cnt = pct(50) ? max : pct(95) ? 1 + rn(max) : 0;
	if (FZ(50))
		cnt = edge_count(max);
	ng.count = cnt;
	/* Room for the most the kernel writes, whatever the count became. */
	ng.buf = put_nested(NULL, 0, max * sizeof(*recs), pick_place(50),
			    (void **)&recs);
	if (FZ(20))
		ng.status = rnd32();
	/* No random bytes: a flipped bit of @buf could name our own data. */
	if (call_raw(c, &ng, sizeof(ng), 60) || !c->back)
		return;
	r = c->back;
	if (r->count > ng.count || r->count > max) {
		anomaly("NOTIFY_GET of %u returned %u", ng.count, r->count);
		return;
	}
	for (i = 0; recs && i < r->count; i++) {
		if (RTM_HANDLE_TYPE(recs[i].dest) != RTM_HT_DEST ||
		    recs[i].num_views > RTM_UAPI_VIEWS)
			anomaly("NOTIFY_GET record: dest %#llx, %u views",
				(unsigned long long)recs[i].dest,
				recs[i].num_views);
		harvest_dest(c->s, &recs[i]);
	}
	if (e && e->h == ng.handle && (r->status & RTM_EG_END))
		e->flags &= ~F_SIGNAL;
}

/* ---- churn: register and deregister, from one thread or three ------- */

/*
 * Deregistered handles stay known to their file (RTM_NO_CHECK) until 16
 * are dead; each deregistration then forgets the oldest.  A churn runs
 * through that on one file from the main thread; with -R, two executors
 * churn the same file at the same time (the kernel lets a file's calls run
 * concurrently, librtm's event thread and the application's do).  That is
 * off by default: the module forgets dead handles without a lock and two
 * threads doing so oops it (README.md, "Known kernel bugs").
 */
#define CHURN_ROUNDS	20
#define RACE_ROUNDS	300	/* at most 3 calls each: fits a job's JREC */

typedef int (*ioc_fn)(void *ctx, int ci, uint64_t arg);

static int main_ioc(void *ctx, int ci, uint64_t arg)
{
	return xioctl(ci, *(int *)ctx, cmds[ci].cmd, arg, P_OK);
}

static int job_ioc(void *ctx, int ci, uint64_t arg)
{
	return job_ioctl(ctx, ci, arg, P_OK);
}

/* @rounds of register, deregister (and check): no RNG, any thread. */
static void churn(ioc_fn ioc, void *ctx, uint8_t *buf, uint32_t rounds)
{
	struct rtm_notify_register *nr = (void *)buf;
	struct rtm_notify_op_arg *op = (void *)(buf + 256);
	uint32_t r;

	for (r = 0; r < rounds; r++) {
		memset(nr, 0, sizeof(*nr));
		nr->flags = 1 + r % CHANGE_TYPES;
		nr->views = r % 4;
		nr->context = r;
		if (ioc(ctx, C_NOTIFY_REGISTER, (uintptr_t)nr))
			continue;
		memset(op, 0, sizeof(*op));
		op->handle = nr->handle;
		op->op = RTM_NO_DEREGISTER;
		ioc(ctx, C_NOTIFY_OP, (uintptr_t)op);
		if (r % 4 == 3) {
			op->op = RTM_NO_CHECK;	/* dead, maybe forgotten */
			ioc(ctx, C_NOTIFY_OP, (uintptr_t)op);
		}
	}
}

static void churn_run(struct job *j)
{
	churn(job_ioc, j, j->buf, j->count);
}

static void notify_churn(int s)
{
	struct job *j;
	int k, raced = 0;

	st->churns++;
	for (k = 0; opt.race && k < 2 && (j = exec_idle()); k++) {
		j->count = RACE_ROUNDS - rn(8);
		j->run = churn_run;
		exec_submit(j, s);
		raced = 1;
	}
	st->churn_races += raced;
	if (raced)
		sched_yield();	/* let them start */
	churn(main_ioc, &s, scratch + SCRATCH_SIZE - PAGE,
	      (raced ? RACE_ROUNDS : CHURN_ROUNDS) - rn(4));
}

void notify_arm(int s)
{
	struct rtm_notify_register nr, *r;
	void *back;
	uint64_t p;

	if (slots[s].state != S_REG || slots[s].fd < 0 || !pct(50))
		return;
	memset(&nr, 0, sizeof(nr));
	nr.flags = CHANGE_TYPES;	/* every change, every view */
	nr.context = rnd64();
	p = put_arg(&nr, sizeof(nr), P_OK, &back);
	if (xioctl(C_NOTIFY_REGISTER, s, RTM_IOC_NOTIFY_REGISTER, p, P_OK))
		return;
	r = back;
	pool_add(T_NOTIFY, r->handle, s, F_REF | F_MINE);
}
