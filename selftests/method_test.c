// SPDX-License-Identifier: GPL-2.0
/*
 * method_test - entity methods: RtmRegisterEntity with exported methods,
 * RtmGetEntityMethods, RtmInvokeMethod and RtmBlockMethods, within one
 * process and across processes (spec part 1: 2.10 P4, 4.1-4.4; part 2:
 * 2.13, 4.9, 4.11).
 *
 * The callee entity exports four methods:
 *   bit 0 m_echo:  output = the input bytes followed by '!', status 0;
 *   bit 1 m_pid:   output = getpid() of the running process (4 bytes),
 *                  status 0x1234;
 *   bit 2 m_greedy: writes nothing, leaves OutputSize unchanged (deemed
 *                  to have used every available byte), status 7;
 *   bit 3 m_sleep: sleeps the number of milliseconds in its input, then
 *                  writes "zz".
 * Every method records, in this process, the order of calls and the
 * state of its record on entry.  Children of cross-process tests never
 * use the harness macros (CHILD_CHECK _exit()s non-zero instead).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "kselftest_harness.h"
#include "rtm_test.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#define PROTO_CALLER	8
#define PROTO_CALLEE	30
#define NMETH		4
#define OUT_HDR		offsetof(RTM_ENTITY_METHOD_OUTPUT, OutputData)
#define IN_HDR		offsetof(RTM_ENTITY_METHOD_INPUT, InputData)
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# child %d: %s:%d: failed: %s\n",	\
			(int)getpid(), __FILE__, __LINE__, #cond);	\
		_exit(1);						\
	}								\
} while (0)

/* What the methods saw on entry, in call order. */
struct seen {
	int method;
	RTM_ENTITY_HANDLE caller, callee;
	DWORD type, status;
	UINT size;
};
static struct seen seen[16];
static volatile int nseen;

static void note(int m, RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
		 RTM_ENTITY_METHOD_OUTPUT *o)
{
	int i = __atomic_fetch_add(&nseen, 1, __ATOMIC_SEQ_CST);

	if (i < 16) {
		seen[i].method = m;
		seen[i].caller = caller;
		seen[i].callee = callee;
		seen[i].type = o->MethodType;
		seen[i].status = o->MethodStatus;
		seen[i].size = o->OutputSize;
	}
}

static VOID m_echo(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
		   RTM_ENTITY_METHOD_INPUT *in, RTM_ENTITY_METHOD_OUTPUT *o)
{
	UINT n = in->InputSize + 1;

	note(0, caller, callee, o);
	if (n > o->OutputSize)
		n = o->OutputSize;
	if (n) {
		memcpy(o->OutputData, in->InputData, n - 1);
		o->OutputData[n - 1] = '!';
	}
	o->OutputSize = n;
	o->MethodStatus = NO_ERROR;
}

static VOID m_pid(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
		  RTM_ENTITY_METHOD_INPUT *in, RTM_ENTITY_METHOD_OUTPUT *o)
{
	int32_t pid = getpid();

	note(1, caller, callee, o);
	if (o->OutputSize < sizeof(pid)) {
		o->OutputSize = 0;
		o->MethodStatus = ERROR_INSUFFICIENT_BUFFER;
		return;
	}
	memcpy(o->OutputData, &pid, sizeof(pid));
	o->OutputSize = sizeof(pid);
	o->MethodStatus = 0x1234;
}

static VOID m_greedy(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
		     RTM_ENTITY_METHOD_INPUT *in, RTM_ENTITY_METHOD_OUTPUT *o)
{
	note(2, caller, callee, o);
	o->MethodStatus = 7;
}

static VOID m_sleep(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
		    RTM_ENTITY_METHOD_INPUT *in, RTM_ENTITY_METHOD_OUTPUT *o)
{
	uint32_t ms = 0;

	note(3, caller, callee, o);
	if (in->InputSize >= sizeof(ms))
		memcpy(&ms, in->InputData, sizeof(ms));
	usleep(ms * 1000);
	if (o->OutputSize >= 2) {
		memcpy(o->OutputData, "zz", 2);
		o->OutputSize = 2;
	}
	o->MethodStatus = NO_ERROR;
}

static const RTM_ENTITY_EXPORT_METHOD all_methods[NMETH] = {
	m_echo, m_pid, m_greedy, m_sleep,
};

typedef union {
	RTM_ENTITY_EXPORT_METHODS m;
	unsigned char b[sizeof(RTM_ENTITY_EXPORT_METHODS) +
			32 * sizeof(RTM_ENTITY_EXPORT_METHOD)];
} methods_buf;

/* Register (proto, inst) exporting the first @n methods (0: none). */
static DWORD reg_methods(ULONG proto, ULONG inst, UINT n,
			 RTM_ENTITY_HANDLE *h)
{
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;
	methods_buf mb;
	UINT i;

	memset(&ei, 0, sizeof(ei));
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = proto;
	ei.EntityId.EntityInstanceId = inst;
	memset(&mb, 0, sizeof(mb));
	mb.m.NumMethods = n;
	for (i = 0; i < n; i++)
		mb.m.Methods[i] = all_methods[i];
	return RtmRegisterEntity(&ei, n ? &mb.m : NULL, NULL, FALSE, &p, h);
}

/* An input record with @len bytes of @data. */
typedef union {
	RTM_ENTITY_METHOD_INPUT i;
	unsigned char b[64];
} input_buf;

static void mk_input(input_buf *ib, DWORD type, const void *data, UINT len)
{
	memset(ib, 0, sizeof(*ib));
	ib->i.MethodType = type;
	ib->i.InputSize = len;
	if (len)
		memcpy(ib->i.InputData, data, len);
}

typedef union {
	RTM_ENTITY_METHOD_OUTPUT o;
	uint64_t align;
	unsigned char b[512];
} output_buf;

static RTM_ENTITY_METHOD_OUTPUT *rec_at(output_buf *ob, size_t off)
{
	return (RTM_ENTITY_METHOD_OUTPUT *)(ob->b + off);
}

static long long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000LL +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static pid_t fork_child(struct __test_metadata *_metadata)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	return pid;
}

static void expect_child_ok(struct __test_metadata *_metadata, pid_t pid)
{
	int status = -1;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

FIXTURE(me) {
	RTM_ENTITY_HANDLE a;	/* caller, no methods */
	RTM_ENTITY_HANDLE b;	/* callee, four methods */
};

FIXTURE_SETUP(me)
{
	nseen = 0;
	ASSERT_EQ(NO_ERROR, reg_methods(PROTO_CALLER, 1, 0, &self->a));
	ASSERT_EQ(NO_ERROR, reg_methods(PROTO_CALLEE, 1, NMETH, &self->b));
}

FIXTURE_TEARDOWN(me)
{
	if (self->b)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	if (self->a)
		EXPECT_EQ(NO_ERROR, RtmDeregisterEntity(self->a));
}

/* ---------------------------------------------------------------------- */
/* RtmGetEntityMethods (4.2)                                               */
/* ---------------------------------------------------------------------- */

TEST_F(me, get_methods_count_only)
{
	long long r0 = (long long)0;
	struct rtm_stats st;
	UINT n = 0;

	ASSERT_EQ(0, rtm_test_stats(&st));
	r0 = (long long)st.handle_refs;
	EXPECT_EQ(NO_ERROR, RtmGetEntityMethods(self->a, self->b, &n, NULL));
	EXPECT_EQ(NMETH, n);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEntityMethods(self->a, self->a, &n, NULL));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, rtm_test_stats(&st));
	EXPECT_EQ(r0, (long long)st.handle_refs);
}

TEST_F(me, get_methods_all_in_export_order)
{
	RTM_ENTITY_EXPORT_METHOD m[8];
	UINT n = 8, i;

	memset(m, 0, sizeof(m));
	ASSERT_EQ(NO_ERROR, RtmGetEntityMethods(self->a, self->b, &n, m));
	ASSERT_EQ(NMETH, n);
	for (i = 0; i < NMETH; i++)
		EXPECT_EQ((void *)all_methods[i], (void *)m[i]);
	EXPECT_EQ(NULL, (void *)m[NMETH]);
	/* Exactly enough room. */
	n = NMETH;
	EXPECT_EQ(NO_ERROR, RtmGetEntityMethods(self->b, self->b, &n, m));
	EXPECT_EQ(NMETH, n);
}

TEST_F(me, get_methods_short_buffer_gives_first_ones)
{
	RTM_ENTITY_EXPORT_METHOD m[4] = { POISON, POISON, POISON, POISON };
	UINT n = 2;

	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  RtmGetEntityMethods(self->a, self->b, &n, m));
	EXPECT_EQ(2, n);
	EXPECT_EQ(&m_echo, m[0]);
	EXPECT_EQ(&m_pid, m[1]);
	EXPECT_EQ(POISON, (void *)m[2]);
}

TEST_F(me, get_methods_bad_arguments)
{
	RTM_ENTITY_EXPORT_METHOD m[4];
	RTM_ENTITY_HANDLE c = NULL, keep;
	UINT n = 4;

	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetEntityMethods(self->a, self->b, NULL, m));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmGetEntityMethods(self->a, self->b, &n, NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityMethods(NULL, self->b, &n, m));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityMethods(self->a, (RTM_ENTITY_HANDLE)(uintptr_t)
				      0x1000000f0fedcba1ULL, &n, m));
	/* A deregistered entity, still referenced by A. */
	ASSERT_EQ(NO_ERROR, reg_methods(PROTO_CALLEE, 2, 2, &c));
	keep = c;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	n = 4;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityMethods(self->a, keep, &n, m));
	EXPECT_EQ(4, n);
	n = 0;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityMethods(self->a, keep, &n, NULL));
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(self->a, 1, &keep));
}

/* ---------------------------------------------------------------------- */
/* RtmInvokeMethod in one process (4.1, 4.3)                               */
/* ---------------------------------------------------------------------- */

TEST_F(me, invoke_one_method)
{
	input_buf ib;
	output_buf ob;
	UINT size = sizeof(ob.b);

	memset(&ob, 0xee, sizeof(ob));
	mk_input(&ib, 0x1, "hello", 5);
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(OUT_HDR + 6, size);
	EXPECT_EQ(0x1, ob.o.MethodType);
	EXPECT_EQ(NO_ERROR, ob.o.MethodStatus);
	EXPECT_EQ(6, ob.o.OutputSize);
	EXPECT_EQ(0, memcmp(ob.o.OutputData, "hello!", 6));
	/* The method ran on entry with its bit, NO_ERROR, the space left. */
	ASSERT_EQ(1, nseen);
	EXPECT_EQ(0, seen[0].method);
	EXPECT_EQ(self->a, seen[0].caller);
	EXPECT_EQ(self->b, seen[0].callee);
	EXPECT_EQ(0x1, seen[0].type);
	EXPECT_EQ(NO_ERROR, seen[0].status);
	EXPECT_EQ(sizeof(ob.b) - OUT_HDR, seen[0].size);
}

/* Several bits: ascending order, one record each, 8-byte aligned. */
TEST_F(me, invoke_several_methods_packed_aligned)
{
	input_buf ib;
	output_buf ob;
	UINT size = 128;
	RTM_ENTITY_METHOD_OUTPUT *r;
	int32_t pid;

	memset(&ob, 0xee, sizeof(ob));
	/* Bits 2, 0 and 1, and bit 9 which names no method. */
	mk_input(&ib, 0x4 | 0x1 | 0x2 | 0x200, "ab", 2);
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	ASSERT_EQ(3, nseen);
	EXPECT_EQ(0, seen[0].method);
	EXPECT_EQ(1, seen[1].method);
	EXPECT_EQ(2, seen[2].method);

	/* m_echo at 0: 12 + 3 bytes. */
	r = rec_at(&ob, 0);
	EXPECT_EQ(0x1, r->MethodType);
	EXPECT_EQ(3, r->OutputSize);
	EXPECT_EQ(0, memcmp(r->OutputData, "ab!", 3));
	EXPECT_EQ(128 - OUT_HDR, seen[0].size);
	/* m_pid at 16 (15 rounded up to 8). */
	r = rec_at(&ob, 16);
	EXPECT_EQ(0x2, r->MethodType);
	EXPECT_EQ(0x1234, r->MethodStatus);
	EXPECT_EQ(4, r->OutputSize);
	memcpy(&pid, r->OutputData, 4);
	EXPECT_EQ(getpid(), pid);
	EXPECT_EQ(0x2, seen[1].type);
	EXPECT_EQ(NO_ERROR, seen[1].status);
	EXPECT_EQ(128 - 16 - OUT_HDR, seen[1].size);
	/* m_greedy at 32 (16 + 12 + 4): it used every byte left. */
	r = rec_at(&ob, 32);
	EXPECT_EQ(0x4, r->MethodType);
	EXPECT_EQ(7, r->MethodStatus);
	EXPECT_EQ(128 - 32 - OUT_HDR, r->OutputSize);
	EXPECT_EQ(128, size);
}

/* The next record header does not fit: that method and later ones skip. */
TEST_F(me, invoke_stops_when_buffer_too_small)
{
	input_buf ib;
	output_buf ob;
	UINT size;

	/* Room for echo's record (12 + 6), not for pid's header at 24. */
	mk_input(&ib, 0x1 | 0x2, "hello", 5);
	size = 30;
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(OUT_HDR + 6, size);
	EXPECT_EQ(1, nseen);

	/* ALL: greedy takes the rest, sleep's header cannot fit. */
	nseen = 0;
	mk_input(&ib, METHOD_TYPE_ALL_METHODS, "", 0);
	size = 100;
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(100, size);
	EXPECT_EQ(3, nseen);

	/* Not even one header: nothing runs. */
	nseen = 0;
	mk_input(&ib, 0x1, "x", 1);
	size = OUT_HDR - 1;
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(0, size);
	EXPECT_EQ(0, nseen);

	/* A header and no data byte: echo gets 0 bytes of room. */
	size = OUT_HDR;
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(OUT_HDR, size);
	EXPECT_EQ(1, nseen);
	EXPECT_EQ(0, seen[0].size);
	EXPECT_EQ(0, ob.o.OutputSize);
}

TEST_F(me, invoke_no_exported_bit_is_empty_success)
{
	input_buf ib;
	output_buf ob;
	UINT size = sizeof(ob.b);

	mk_input(&ib, 0x10 | 0x80000000, "x", 1);
	EXPECT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(0, size);
	EXPECT_EQ(0, nseen);
	/* An entity exporting nothing. */
	size = sizeof(ob.b);
	mk_input(&ib, METHOD_TYPE_ALL_METHODS, "x", 1);
	EXPECT_EQ(NO_ERROR, RtmInvokeMethod(self->b, self->a, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(0, size);
	EXPECT_EQ(0, nseen);
}

TEST_F(me, invoke_bad_arguments)
{
	RTM_ENTITY_HANDLE c = NULL, keep;
	input_buf ib;
	output_buf ob;
	UINT size = sizeof(ob.b);

	mk_input(&ib, 0x1, "x", 1);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInvokeMethod(NULL, self->b, &ib.i, &size, &ob.o));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInvokeMethod(self->a, NULL, &ib.i, &size, &ob.o));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInvokeMethod(self->a, (RTM_ENTITY_HANDLE)(uintptr_t)
				  0x1000000f0fedcba1ULL, &ib.i, &size, &ob.o));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmInvokeMethod(self->a, self->b, NULL, &size, &ob.o));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmInvokeMethod(self->a, self->b, &ib.i, NULL, &ob.o));
	EXPECT_EQ(sizeof(ob.b), size);
	/* A deregistered callee. */
	ASSERT_EQ(NO_ERROR, reg_methods(PROTO_CALLEE, 2, NMETH, &c));
	keep = c;
	ASSERT_EQ(NO_ERROR, RtmReferenceHandles(self->a, 1, (HANDLE *)&keep));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(c));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInvokeMethod(self->a, keep, &ib.i, &size, &ob.o));
	EXPECT_EQ(sizeof(ob.b), size);
	EXPECT_EQ(0, nseen);
	EXPECT_EQ(NO_ERROR, RtmReleaseEntities(self->a, 1, &keep));
}

/* ---------------------------------------------------------------------- */
/* RtmBlockMethods (4.4)                                                   */
/* ---------------------------------------------------------------------- */

TEST_F(me, block_methods_flag_values)
{
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmBlockMethods(self->b, NULL, 0, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  RtmBlockMethods(self->b, NULL, 0, 0xffffffff));
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmBlockMethods(NULL, NULL, 0, RTM_BLOCK_METHODS));
	/* A flag, not a counter: twice each is fine. */
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_RESUME_METHODS));
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_BLOCK_METHODS));
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_BLOCK_METHODS));
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_RESUME_METHODS));
	/* TargetHandle / TargetType are not interpreted. */
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, POISON, ROUTE_TYPE,
					    RTM_BLOCK_METHODS));
	EXPECT_EQ(NO_ERROR, RtmBlockMethods(self->b, POISON, DEST_TYPE,
					    RTM_RESUME_METHODS));
	{
		input_buf ib;
		output_buf ob;
		UINT size = sizeof(ob.b);

		/* One resume undoes two blocks: calls run. */
		mk_input(&ib, 0x1, "q", 1);
		EXPECT_EQ(NO_ERROR, RtmInvokeMethod(self->a, self->b, &ib.i,
						    &size, &ob.o));
		EXPECT_EQ(1, nseen);
	}
}

struct invoker {
	RTM_ENTITY_HANDLE caller, callee;
	input_buf ib;
	output_buf ob;
	UINT size;
	DWORD ret;
	volatile int done;
};

static void *invoke_thread(void *arg)
{
	struct invoker *v = arg;

	v->ret = RtmInvokeMethod(v->caller, v->callee, &v->ib.i, &v->size,
				 &v->ob.o);
	__atomic_store_n(&v->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int wait_done(struct invoker *v, int ms)
{
	while (ms > 0 && !__atomic_load_n(&v->done, __ATOMIC_SEQ_CST)) {
		usleep(10000);
		ms -= 10;
	}
	return __atomic_load_n(&v->done, __ATOMIC_SEQ_CST);
}

/* In one process: a call into a blocked entity waits for the resume. */
TEST_F(me, blocked_local_callee_waits_until_resumed)
{
	struct invoker v;
	pthread_t t;

	memset(&v, 0, sizeof(v));
	v.caller = self->a;
	v.callee = self->b;
	v.size = sizeof(v.ob.b);
	mk_input(&v.ib, 0x1, "hi", 2);
	ASSERT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_BLOCK_METHODS));
	ASSERT_EQ(0, pthread_create(&t, NULL, invoke_thread, &v));
	EXPECT_EQ(0, wait_done(&v, 400));
	EXPECT_EQ(0, nseen);
	ASSERT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_RESUME_METHODS));
	EXPECT_EQ(1, wait_done(&v, 5000));
	pthread_join(t, NULL);
	EXPECT_EQ(NO_ERROR, v.ret);
	EXPECT_EQ(OUT_HDR + 3, v.size);
	EXPECT_EQ(0, memcmp(v.ob.o.OutputData, "hi!", 3));
	EXPECT_EQ(1, nseen);
}

/* The blocked callee deregisters: the waiting call fails, no hang. */
TEST_F(me, blocked_callee_deregistering_fails_waiting_call)
{
	struct invoker v;
	pthread_t t;

	memset(&v, 0, sizeof(v));
	v.caller = self->a;
	v.callee = self->b;
	v.size = sizeof(v.ob.b);
	mk_input(&v.ib, 0x1, "hi", 2);
	ASSERT_EQ(NO_ERROR, RtmBlockMethods(self->b, NULL, 0,
					    RTM_BLOCK_METHODS));
	ASSERT_EQ(0, pthread_create(&t, NULL, invoke_thread, &v));
	EXPECT_EQ(0, wait_done(&v, 300));
	ASSERT_EQ(NO_ERROR, RtmDeregisterEntity(self->b));
	self->b = NULL;
	EXPECT_EQ(1, wait_done(&v, 5000));
	pthread_join(t, NULL);
	EXPECT_EQ(ERROR_INVALID_HANDLE, v.ret);
	EXPECT_EQ(sizeof(v.ob.b), v.size);
	EXPECT_EQ(0, nseen);
}

/* ---------------------------------------------------------------------- */
/* Across processes (2.10 P4)                                              */
/* ---------------------------------------------------------------------- */

static void put_u64(int fd, uint64_t v)
{
	CHILD_CHECK(write(fd, &v, sizeof(v)) == sizeof(v));
}

/*
 * The callee process: registers (PROTO_CALLEE, 5) with the four methods,
 * optionally blocks them, sends its handle, then obeys one-byte commands:
 * 'r' resume methods, 'q' deregister and exit.
 */
static void callee_child(int cmd, int out, int block)
{
	RTM_ENTITY_HANDLE c = NULL;
	char x;

	CHILD_CHECK(reg_methods(PROTO_CALLEE, 5, NMETH, &c) == NO_ERROR);
	if (block)
		CHILD_CHECK(RtmBlockMethods(c, NULL, 0, RTM_BLOCK_METHODS) ==
			    NO_ERROR);
	put_u64(out, (uint64_t)(uintptr_t)c);
	for (;;) {
		if (read(cmd, &x, 1) != 1)
			_exit(2);	/* the parent went away */
		if (x == 'r')
			CHILD_CHECK(RtmBlockMethods(c, NULL, 0,
						    RTM_RESUME_METHODS) ==
				    NO_ERROR);
		if (x == 'q')
			break;
	}
	CHILD_CHECK(RtmDeregisterEntity(c) == NO_ERROR);
	_exit(0);
}

struct remote {
	int cmd[2], out[2];
	pid_t pid;
	RTM_ENTITY_HANDLE h;
};

static void start_callee(struct __test_metadata *_metadata, struct remote *rm,
			 int block)
{
	uint64_t v = 0;

	ASSERT_EQ(0, pipe(rm->cmd));
	ASSERT_EQ(0, pipe(rm->out));
	rm->pid = fork_child(_metadata);
	if (rm->pid == 0) {
		close(rm->cmd[1]);
		close(rm->out[0]);
		callee_child(rm->cmd[0], rm->out[1], block);
	}
	close(rm->cmd[0]);
	close(rm->out[1]);
	ASSERT_EQ(sizeof(v), read(rm->out[0], &v, sizeof(v)));
	rm->h = (RTM_ENTITY_HANDLE)(uintptr_t)v;
}

static void stop_callee(struct __test_metadata *_metadata, struct remote *rm)
{
	ASSERT_EQ(1, write(rm->cmd[1], "q", 1));
	expect_child_ok(_metadata, rm->pid);
	close(rm->cmd[1]);
	close(rm->out[0]);
}

TEST_F(me, remote_get_methods_and_invoke)
{
	RTM_ENTITY_EXPORT_METHOD m[8];
	RTM_ENTITY_METHOD_OUTPUT *r;
	struct remote rm;
	input_buf ib;
	output_buf ob;
	UINT n, size;
	int32_t pid;

	start_callee(_metadata, &rm, 0);
	n = 0;
	EXPECT_EQ(NO_ERROR, RtmGetEntityMethods(self->a, rm.h, &n, NULL));
	EXPECT_EQ(NMETH, n);
	n = 8;
	EXPECT_EQ(NO_ERROR, RtmGetEntityMethods(self->a, rm.h, &n, m));
	EXPECT_EQ(NMETH, n);
	/* The callee's pointer values: same binary, same addresses. */
	EXPECT_EQ(&m_echo, m[0]);
	EXPECT_EQ(&m_sleep, m[3]);

	mk_input(&ib, 0x1 | 0x2, "remote", 6);
	size = sizeof(ob.b);
	memset(&ob, 0xee, sizeof(ob));
	ASSERT_EQ(NO_ERROR, RtmInvokeMethod(self->a, rm.h, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(24 + OUT_HDR + 4, size);
	r = rec_at(&ob, 0);
	EXPECT_EQ(0x1, r->MethodType);
	EXPECT_EQ(NO_ERROR, r->MethodStatus);
	EXPECT_EQ(7, r->OutputSize);
	EXPECT_EQ(0, memcmp(r->OutputData, "remote!", 7));
	r = rec_at(&ob, 24);
	EXPECT_EQ(0x2, r->MethodType);
	EXPECT_EQ(0x1234, r->MethodStatus);
	EXPECT_EQ(4, r->OutputSize);
	memcpy(&pid, r->OutputData, 4);
	/* It ran in the callee's process, not here. */
	EXPECT_EQ(rm.pid, pid);
	EXPECT_EQ(0, nseen);

	/* No selected bit exported: empty success across processes too. */
	mk_input(&ib, 0x100, "", 0);
	size = sizeof(ob.b);
	EXPECT_EQ(NO_ERROR, RtmInvokeMethod(self->a, rm.h, &ib.i, &size,
					    &ob.o));
	EXPECT_EQ(0, size);
	stop_callee(_metadata, &rm);

	/* The callee is gone. */
	size = sizeof(ob.b);
	mk_input(&ib, 0x1, "x", 1);
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmInvokeMethod(self->a, rm.h, &ib.i, &size, &ob.o));
	n = 0;
	EXPECT_EQ(ERROR_INVALID_HANDLE,
		  RtmGetEntityMethods(self->a, rm.h, &n, NULL));
}

/* The callee process is killed while its method runs: no hang. */
TEST_F(me, remote_callee_killed_mid_call)
{
	struct timespec t0;
	struct remote rm;
	struct invoker v;
	uint32_t ms = 20000;
	pthread_t t;
	int status;

	start_callee(_metadata, &rm, 0);
	memset(&v, 0, sizeof(v));
	v.caller = self->a;
	v.callee = rm.h;
	v.size = sizeof(v.ob.b);
	mk_input(&v.ib, 0x8, &ms, sizeof(ms));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, pthread_create(&t, NULL, invoke_thread, &v));
	EXPECT_EQ(0, wait_done(&v, 500));
	ASSERT_EQ(0, kill(rm.pid, SIGKILL));
	ASSERT_EQ(rm.pid, waitpid(rm.pid, &status, 0));
	EXPECT_EQ(1, wait_done(&v, 5000));
	pthread_join(t, NULL);
	EXPECT_EQ(ERROR_INVALID_HANDLE, v.ret);
	EXPECT_EQ(sizeof(v.ob.b), v.size);
	EXPECT_GT(10000, elapsed_ms(&t0));
	close(rm.cmd[1]);
	close(rm.out[0]);
}

/* A callee process that blocked its methods holds the caller back. */
TEST_F(me, remote_blocked_callee_waits_until_resumed)
{
	struct remote rm;
	struct invoker v;
	pthread_t t;
	int32_t pid;

	start_callee(_metadata, &rm, 1);
	memset(&v, 0, sizeof(v));
	v.caller = self->a;
	v.callee = rm.h;
	v.size = sizeof(v.ob.b);
	mk_input(&v.ib, 0x2, "", 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, invoke_thread, &v));
	EXPECT_EQ(0, wait_done(&v, 600));
	ASSERT_EQ(1, write(rm.cmd[1], "r", 1));
	EXPECT_EQ(1, wait_done(&v, 5000));
	pthread_join(t, NULL);
	EXPECT_EQ(NO_ERROR, v.ret);
	EXPECT_EQ(OUT_HDR + 4, v.size);
	EXPECT_EQ(0x2, v.ob.o.MethodType);
	memcpy(&pid, v.ob.o.OutputData, 4);
	EXPECT_EQ(rm.pid, pid);
	stop_callee(_metadata, &rm);
}

/* A blocked callee process that is killed: the waiting call fails. */
TEST_F(me, remote_blocked_callee_killed)
{
	struct remote rm;
	struct invoker v;
	pthread_t t;
	int status;

	start_callee(_metadata, &rm, 1);
	memset(&v, 0, sizeof(v));
	v.caller = self->a;
	v.callee = rm.h;
	v.size = sizeof(v.ob.b);
	mk_input(&v.ib, 0x1, "k", 1);
	ASSERT_EQ(0, pthread_create(&t, NULL, invoke_thread, &v));
	EXPECT_EQ(0, wait_done(&v, 400));
	ASSERT_EQ(0, kill(rm.pid, SIGKILL));
	ASSERT_EQ(rm.pid, waitpid(rm.pid, &status, 0));
	EXPECT_EQ(1, wait_done(&v, 5000));
	pthread_join(t, NULL);
	EXPECT_EQ(ERROR_INVALID_HANDLE, v.ret);
	close(rm.cmd[1]);
	close(rm.out[0]);
}

TEST_HARNESS_MAIN
