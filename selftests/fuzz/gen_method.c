// SPDX-License-Identifier: GPL-2.0
/*
 * gen_method.c - rtm-fuzz: entity methods across files and processes
 * (GET_METHODS, INVOKE, METHOD_INPUT, METHOD_REPLY, BLOCK_METHODS).
 *
 * INVOKE waits until the callee answers, so one thread cannot both call
 * and answer: INVOKEs are made by the executor threads (gen_exec.c).  The
 * main thread prepares a call in an idle executor's buffer (the callee:
 * another file of the process, a file of the other process, the caller's
 * own file, a stale or mutated handle; input and output sizes; timeouts
 * of 5 ms to 2 s, now and then the module's default; bad pointers) and
 * hands it over.  When every executor is busy it sends an INVOKE that
 * fails at once (bad sizes, reserved field, input pointer), or now and
 * then one with a 1-4 ms timeout.  Every input starts with a token, which
 * the callee checks.
 *
 * The callee side is the main thread.  The RTM_EV_METHOD_CALL records
 * gen_events.c reads are answered at once (METHOD_INPUT, METHOD_REPLY,
 * with ids, sizes and pointers mutated now and then), kept for the
 * METHOD_INPUT and METHOD_REPLY generators, ignored (the caller times
 * out), or the callee's file is closed mid-call.  BLOCK_METHODS blocks a
 * file's methods for a while (callers wait, or time out) and resumes them.
 */
#include <errno.h>
#include <string.h>
#include "fuzz.h"

#define IO_MAX	RTM_METHOD_MAX_IO
#define NPCALL	32			/* calls to our files we remember */
#define TOKEN	0x217a7a7566727472ULL	/* "rtrfuzz!" */

/* A call queued to one of our files, known from its event. */
struct pcall {
	int used;
	int s;			/* the callee file */
	int fetched;
	uint64_t id;
	uint64_t caller;
	uint32_t in_size;
	uint32_t out_cap;
};

static struct pcall pcalls[NPCALL];

/* ---- the caller side --------------------------------------------- */

/* The job's buffer: the argument (2 pages), then the input, the output. */
#define J_ARG(j)	((j)->buf)
#define J_IN(j)		((j)->buf + 2 * PAGE)
#define J_OUT(j)	((j)->buf + 2 * PAGE + IO_MAX + PAGE)

static void invoke_run(struct job *j)
{
	job_ioctl(j, C_INVOKE, j->arg, j->place);
}

/* Main thread: the INVOKE is over. */
static void invoke_done(struct job *j)
{
	const struct rtm_invoke *sent = (void *)(J_ARG(j) + PAGE);
	const struct rtm_invoke *r = (void *)J_ARG(j);
	uint32_t cap = sent->out_size < IO_MAX ? sent->out_size : IO_MAX;

	if (j->n != 1 || j->rec[0].err)
		return;
	st->invoke_answered++;
	if (j->place == P_OK && r->out_size > cap)
		anomaly("INVOKE wrote %u output bytes into %u", r->out_size,
			cap);
}

/* An entity for file @s to call: mostly one of this process's files. */
static uint64_t pick_callee(int s)
{
	uint32_t w = rn(100);
	struct hent *e;
	int i, o;

	if (w < 50) {
		for (i = 0; i < 2 * NSLOT; i++) {
			o = rn(NSLOT);
			if (slots[o].state == S_REG &&
			    slots[o].instance == slots[s].instance &&
			    slots[o].family == slots[s].family)
				return slots[o].ent;
		}
	}
	/* Harvested: the other process's entities, and ours. */
	if (w < 85 && (e = pool_pick(T_ENTITY, s, 0, 0)))
		return e->h;
	return pick(T_ENTITY, s, NULL);
}

/* The input of a call: the token, then a pattern. */
static void fill_input(uint8_t *p, size_t n)
{
	uint64_t t = TOKEN;
	size_t i;

	memcpy(p, &t, 8);
	for (i = 8; i < n && i < 64; i++)
		p[i] = i;
}

static void gen_invoke(int s, struct rtm_invoke *iv, int quick)
{
	memset(iv, 0, sizeof(*iv));
	iv->entity = pick_callee(s);
	iv->in_size = pct(90) ? 8 + rn(249) : 8 + rn(IO_MAX - 7);
	iv->out_size = pct(70) ? rn(257) : pct(50) ? IO_MAX : rn(IO_MAX + 1);
	iv->timeout_ms = quick ? 1 + rn(4) : pct(80) ? 5 + rn(96) :
			 pct(95) ? 100 + rn(1901) : 0;
	if (FZ(30))	/* clamped by the kernel */
		iv->out_size = pct(50) ? ~0U : rnd32();
	if (FZ(20))
		iv->reserved = rnd32();
	if (FZ(30))
		iv->in_size = pct(40) ? rn(8) : pct(50) ? IO_MAX + 1 + rn(9) :
			      rnd32();
}

static int job_kind(int k)
{
	switch (k) {
	case P_RO:
	case P_SPILL_RO:
		return P_MISALIGNED;
	case P_SPILL_HOLE:
		return P_HOLE;
	}
	return k;
}

/* A user buffer of @n bytes at a place of kind @k, in @mine if writable. */
static uint64_t job_place(uint8_t *mine, int k, const void *src, size_t n)
{
	if (k == P_OK)
		return (uintptr_t)mine;
	if (k == P_MISALIGNED) {
		uint8_t *p = mine + 1 + rn(7);

		if (src)
			memcpy(p, src, n);
		return (uintptr_t)p;
	}
	return bad_place(&nest_area, k, src, n);
}

static void submit(struct job *j, int s)
{
	struct rtm_invoke iv;
	size_t in_n;

	gen_invoke(s, &iv, 0);
	in_n = iv.in_size <= IO_MAX ? iv.in_size : 64;
	if (in_n < 8)
		in_n = 8;
	fill_input(J_IN(j), in_n);
	/*
	 * Bad places the kernel can read or write are shared with the main
	 * thread, which goes on meanwhile: an executor gets only those it
	 * can neither read nor write (the input must keep its token).
	 */
	iv.in = job_place(J_IN(j), job_kind(pick_place(30)), J_IN(j), in_n);
	iv.out = job_place(J_OUT(j), job_kind(pick_place(30)), NULL,
			   IO_MAX < iv.out_size ? IO_MAX : iv.out_size);
	memcpy(J_ARG(j) + PAGE, &iv, sizeof(iv));	/* what was sent */
	j->place = pick_place(40);
	if (j->place == P_SPILL_RO)	/* the probe would write back there */
		j->place = P_SPILL_HOLE;
	if (j->place == P_OK || j->place == P_MISALIGNED) {
		j->arg = (uintptr_t)J_ARG(j) +
			 (j->place == P_OK ? 0 : 1 + rn(7));
		memcpy((void *)(uintptr_t)j->arg, &iv, sizeof(iv));
	} else {
		j->arg = bad_place(&arg_area, j->place, &iv, sizeof(iv));
	}
	j->run = invoke_run;
	j->done = invoke_done;
	exec_submit(j, s);
}

void g_invoke(struct callctx *c)
{
	static const uint8_t unreadable[] = { P_NULL, P_HOLE, P_NONE, P_KERNEL };
	struct job *j = exec_idle();
	struct rtm_invoke iv, *r;
	uint32_t n, bad_in = 0;
	uint64_t in[8];

	if (j && slots[c->s].fd >= 0) {
		submit(j, c->s);
		return;
	}
	/*
	 * Every executor busy: a call that fails before it is queued, or
	 * now and then a real one with a 1-4 ms timeout.
	 */
	gen_invoke(c->s, &iv, 1);
	if (!pct(3)) {
		switch (rn(4)) {
		case 0: iv.in_size = rn(8); break;
		case 1: iv.in_size = IO_MAX + 1 + rn(1000); break;
		case 2: iv.reserved = 1 + rn(1000); break;
		default: bad_in = 1; break;
		}
	}
	fill_input((uint8_t *)in, sizeof(in));
	n = iv.in_size <= IO_MAX ? iv.in_size : 0;
	if (bad_in)
		iv.in = bad_place(&nest_area, unreadable[rn(sizeof(unreadable))],
				  NULL, n);
	else
		iv.in = put_nested(in, n < sizeof(in) ? n : sizeof(in), n,
				   pick_place(30), NULL);
	iv.out = put_nested(NULL, 0, IO_MAX, pick_place(30), NULL);
	/* No random bytes: a flipped bit of @out could name our own data. */
	if (call_raw(c, &iv, sizeof(iv), 40))
		return;
	st->invoke_answered++;
	r = c->back;
	n = iv.out_size < IO_MAX ? iv.out_size : IO_MAX;
	if (r && r->out_size > n)
		anomaly("INVOKE wrote %u output bytes into %u", r->out_size, n);
}

/* ---- the callee side --------------------------------------------- */

static struct pcall *pcall_new(int s, uint64_t id, uint64_t caller)
{
	struct pcall *pc = NULL;
	int i;

	for (i = 0; i < NPCALL && !pc; i++)
		if (!pcalls[i].used)
			pc = &pcalls[i];
	if (!pc)	/* forget one: its caller times out */
		pc = &pcalls[rn(NPCALL)];
	memset(pc, 0, sizeof(*pc));
	pc->used = 1;
	pc->s = s;
	pc->id = id;
	pc->caller = caller;
	return pc;
}

static struct pcall *pcall_any(void)
{
	int i, k = rn(NPCALL);

	for (i = 0; i < NPCALL; i++)
		if (pcalls[(k + i) % NPCALL].used)
			return &pcalls[(k + i) % NPCALL];
	return NULL;
}

void method_slot_closed(int s)
{
	int i;

	for (i = 0; i < NPCALL; i++)
		if (pcalls[i].s == s)
			pcalls[i].used = 0;
}

static uint64_t mutate_id(uint64_t id)
{
	struct pcall *o;

	switch (rn(6)) {
	case 0: return id + 1;
	case 1: return id - 1;
	case 2: return 0;
	case 3: return rnd64();
	case 4: return (o = pcall_any()) ? o->id : id ^ 1;	/* another's */
	default: return id ^ 1ULL << rn(64);
	}
}

/* METHOD_INPUT of call @pc: 0, ENOBUFS (sizes known), or an errno. */
static int fetch_input(struct pcall *pc)
{
	struct callctx c = { .ci = C_METHOD_INPUT, .s = pc->s };
	struct rtm_method_input mi, *r;
	uint8_t *in = NULL;
	uint64_t token;
	int ret;

	memset(&mi, 0, sizeof(mi));
	mi.call = FZ(60) ? mutate_id(pc->id) : pc->id;
	mi.in_size = pct(80) ? IO_MAX : pct(50) && pc->fetched ? pc->in_size :
		     rn(300);
	if (FZ(30))
		mi.in_size = edge_count(IO_MAX);
	/* Room for the most the kernel writes, whatever the capacity. */
	mi.in = put_nested(NULL, 0, IO_MAX, pick_place(50), (void **)&in);
	if (FZ(20)) {		/* outputs */
		mi.caller = rnd64();
		mi.out_cap = rnd32();
	}
	/* No random bytes: a flipped bit of @in could name our own data. */
	ret = call_raw(&c, &mi, sizeof(mi), 60);
	r = c.back;
	if ((ret && ret != ENOBUFS) || !r)
		return ret;
	if (r->in_size < 8 || r->in_size > IO_MAX || r->out_cap > IO_MAX ||
	    RTM_HANDLE_TYPE(r->caller) != RTM_HT_ENTITY)
		anomaly("METHOD_INPUT: input %u bytes, output %u, caller %#llx",
			r->in_size, r->out_cap, (unsigned long long)r->caller);
	if (!ret && in) {
		memcpy(&token, in, 8);
		if (token != TOKEN)
			anomaly("METHOD_INPUT: the input does not start with "
				"the caller's token (%#llx)",
				(unsigned long long)token);
	}
	if (mi.call == pc->id && pc->used) {	/* not a made-up id */
		if (r->caller != pc->caller)
			anomaly("METHOD_INPUT: caller %#llx, the event said "
				"%#llx", (unsigned long long)r->caller,
				(unsigned long long)pc->caller);
		pc->fetched = 1;
		pc->in_size = r->in_size;
		pc->out_cap = r->out_cap;
	}
	return ret;
}

/* METHOD_REPLY of call @pc; the call is done with if it is answered. */
static int send_reply(struct pcall *pc)
{
	struct callctx c = { .ci = C_METHOD_REPLY, .s = pc->s };
	uint32_t cap = pc->fetched ? pc->out_cap : 256;
	struct rtm_method_reply mr;
	uint64_t pat[8];
	int ret;

	memset(&mr, 0, sizeof(mr));
	mr.call = FZ(60) ? mutate_id(pc->id) : pc->id;
	mr.out_size = pct(50) ? rn((cap < 64 ? cap : 64) + 1) : rn(cap + 1);
	if (FZ(60))	/* past the caller's room, past the cap: EINVAL */
		mr.out_size = pct(50) ? cap + 1 + rn(64) :
			      pct(50) ? IO_MAX + 1 : rnd32();
	fill_input((uint8_t *)pat, sizeof(pat));
	/* The kernel reads out_size bytes (<= IO_MAX): all of them ours. */
	mr.out = put_nested(pat, sizeof(pat), IO_MAX, pick_place(50), NULL);
	if (FZ(20))
		mr.reserved = rnd32();
	ret = call(&c, &mr, sizeof(mr));
	if (mr.call == pc->id && (!ret || ret == ESTALE))
		pc->used = 0;	/* answered, or its caller is gone */
	return ret;
}

/* What librtm's event thread does: fetch the input, answer. */
static void answer(struct pcall *pc)
{
	if (pct(90))
		fetch_input(pc);
	send_reply(pc);
}

void method_call_seen(int s, uint64_t id, uint64_t caller)
{
	struct pcall *pc = pcall_new(s, id, caller);
	uint32_t w = rn(100);

	st->calls_seen++;
	if (w < 60) {
		answer(pc);
	} else if (w < 85) {
		/* Later, by g_method_input / g_method_reply. */
	} else if (w < 95) {
		pc->used = 0;	/* never answered: the caller times out */
	} else {
		/* The callee goes away with the call pending. */
		slot_close_later(s);
		st->callee_closed++;
	}
}

/* A pending call to one of our files, or a made-up one on file @s. */
static struct pcall *pcall_or_fake(int s, struct pcall *fake)
{
	struct pcall *pc = pcall_any();

	if (pc && !FZ(100))
		return pc;
	memset(fake, 0, sizeof(*fake));
	fake->s = s;
	fake->id = pct(50) ? rn(1000) : rnd64();
	return fake;
}

void g_method_input(struct callctx *c)
{
	struct pcall fake;

	fetch_input(pcall_or_fake(c->s, &fake));
}

void g_method_reply(struct callctx *c)
{
	struct pcall fake;

	send_reply(pcall_or_fake(c->s, &fake));
}

void g_block_methods(struct callctx *c)
{
	struct rtm_block_methods bm;
	int s, b = -1;

	for (s = 0; s < NSLOT; s++)
		if (slots[s].blocked && slots[s].state == S_REG)
			b = s;
	memset(&bm, 0, sizeof(bm));
	if (b >= 0 && pct(70)) {
		c->s = b;	/* resume it */
		bm.block = 0;
	} else {
		bm.block = pct(40);
	}
	if (FZ(40))
		bm.block = pct(50) ? 2 + rn(10) : rnd32();
	if (FZ(20))
		bm.reserved = rnd32();
	if (!call(c, &bm, sizeof(bm)) && bm.block <= 1)
		slots[c->s].blocked = bm.block;
}

void g_get_methods(struct callctx *c)
{
	struct rtm_get_methods gm, *r;
	int ret;

	memset(&gm, 0, sizeof(gm));
	gm.entity = pick_callee(c->s);
	gm.count = pct(30) ? 0 : pct(50) ? RTM_MAX_METHODS :
		   rn(RTM_MAX_METHODS + 1);
	if (FZ(40))
		gm.count = edge_count(RTM_MAX_METHODS);
	/* Room for the most an entity has, whatever the count. */
	gm.buf = put_nested(NULL, 0, RTM_MAX_METHODS * 8, pick_place(50),
			    NULL);
	if (FZ(20))
		gm.reserved = rnd32();
	/* No random bytes: a flipped bit of @buf could name our own data. */
	ret = call_raw(c, &gm, sizeof(gm), 60);
	if ((ret && ret != ENOBUFS) || !c->back)
		return;
	r = c->back;
	if (r->count > RTM_MAX_METHODS)
		anomaly("GET_METHODS count %u", r->count);
}

uint32_t gen_methods(uint64_t *m)
{
	uint32_t i, n;

	if (pct(60))
		return 0;
	n = 1 + rn(RTM_MAX_METHODS);
	for (i = 0; i < n; i++)
		m[i] = rnd64();
	return n;
}
