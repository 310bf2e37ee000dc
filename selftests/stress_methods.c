// SPDX-License-Identifier: GPL-2.0
/*
 * stress_methods.c - entity methods in the stress test (spec part 1,
 * 2.10 P4, 4.1-4.4; part 2, 2.13, 4.9, 4.11).
 *
 * Registration @idx of worker @slot exports the first (slot + idx) % 5 of
 * four methods (none for some): echo (a header naming the callee's slot,
 * the caller and the callee as the method saw them, then the input),
 * sleep (the milliseconds in the first input bytes, so that callees are
 * killed in the middle of calls), status (MethodStatus 0x1000 + slot) and
 * greedy (uses all the room).  Workers are forks of one static binary,
 * so a method's address is the same in every process.
 *
 * A worker looks up the methods of entities it holds (its own too) and
 * invokes them: within the process they run directly and must succeed;
 * in another process they are relayed by the kernel to the callee's
 * event thread, and may fail with ERROR_INVALID_HANDLE (the callee died
 * or deregistered, perhaps while blocked or mid-call) or ERROR_TIMEOUT.
 * Whenever a call succeeds its output is checked record by record against
 * what the callee's methods write (spec 4.3: ascending bits, 8-byte
 * aligned records, running stops when a header does not fit).  Blocking
 * and resuming its methods around a short sleep holds relayed callers
 * back.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include <string.h>
#include <unistd.h>

#include "stress.h"

#define NMETH		4
#define MAGIC		0x6d657468u
#define IN_HDR		offsetof(RTM_ENTITY_METHOD_INPUT, InputData)
#define OUT_HDR		offsetof(RTM_ENTITY_METHOD_OUTPUT, OutputData)
#define MAX_SLEEP_MS	40
#define POISON		((void *)(uintptr_t)0x5a5a5a5a)

struct echo_hdr {
	uint32_t magic;
	uint32_t slot;
	uint64_t caller;
	uint64_t callee;
};

static VOID WINAPI m_echo(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
			  RTM_ENTITY_METHOD_INPUT *in,
			  RTM_ENTITY_METHOD_OUTPUT *out)
{
	struct echo_hdr hd = { MAGIC, (uint32_t)W.slot,
			       (uint64_t)(uintptr_t)caller,
			       (uint64_t)(uintptr_t)callee };
	UINT n = (UINT)sizeof(hd) + in->InputSize;

	if (out->OutputSize < sizeof(hd)) {
		out->OutputSize = 0;
		out->MethodStatus = ERROR_INSUFFICIENT_BUFFER;
		return;
	}
	if (n > out->OutputSize)
		n = out->OutputSize;
	memcpy(out->OutputData, &hd, sizeof(hd));
	memcpy(out->OutputData + sizeof(hd), in->InputData, n - sizeof(hd));
	out->OutputSize = n;
}

static VOID WINAPI m_sleep(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee,
			   RTM_ENTITY_METHOD_INPUT *in,
			   RTM_ENTITY_METHOD_OUTPUT *out)
{
	uint32_t ms = 0, magic = MAGIC;

	if (in->InputSize >= sizeof(ms))
		memcpy(&ms, in->InputData, sizeof(ms));
	usleep((ms % (MAX_SLEEP_MS + 1)) * 1000);
	if (out->OutputSize < sizeof(magic)) {
		out->OutputSize = 0;
		return;
	}
	memcpy(out->OutputData, &magic, sizeof(magic));
	out->OutputSize = sizeof(magic);
}

static VOID WINAPI m_status(RTM_ENTITY_HANDLE caller,
			    RTM_ENTITY_HANDLE callee,
			    RTM_ENTITY_METHOD_INPUT *in,
			    RTM_ENTITY_METHOD_OUTPUT *out)
{
	out->OutputSize = 0;
	out->MethodStatus = 0x1000 + (DWORD)W.slot;
}

static VOID WINAPI m_greedy(RTM_ENTITY_HANDLE caller,
			    RTM_ENTITY_HANDLE callee,
			    RTM_ENTITY_METHOD_INPUT *in,
			    RTM_ENTITY_METHOD_OUTPUT *out)
{
	out->MethodStatus = 7;	/* OutputSize untouched: all of it */
}

static const RTM_ENTITY_EXPORT_METHOD methods[NMETH] = {
	m_echo, m_sleep, m_status, m_greedy,
};

static unsigned int nmeth(int slot, int idx)
{
	return (unsigned int)(slot + idx) % (NMETH + 1);
}

PRTM_ENTITY_EXPORT_METHODS methods_export(int slot, int idx)
{
	static union {
		RTM_ENTITY_EXPORT_METHODS m;
		char b[sizeof(RTM_ENTITY_EXPORT_METHODS) +
		       NMETH * sizeof(RTM_ENTITY_EXPORT_METHOD)];
	} ex[NREGS];
	unsigned int n = nmeth(slot, idx);

	if (!n)
		return NULL;
	ex[idx].m.NumMethods = n;
	/* Methods[] is declared with one element: copy bytes. */
	memcpy(ex[idx].b + offsetof(RTM_ENTITY_EXPORT_METHODS, Methods),
	       methods, n * sizeof(methods[0]));
	return &ex[idx].m;
}

/* ------------------------------------------------------------------ */

struct target {
	RTM_ENTITY_HANDLE h;
	bool local;		/* a live registration of this process */
	bool other_table;	/* ... of another table */
	bool known;		/* a stress entity: slot and index known */
	int slot, idx;
};

/* Slot and index of a worker's entity from its id; false if not one. */
static bool whose(const struct reg *r, const RTM_ENTITY_INFO *inf, int *slot,
		  int *idx)
{
	ULONG inst = inf->EntityId.EntityInstanceId;

	if (inst >= 2000 && inst < 2000 + MAX_WORKERS) {
		*slot = (int)(inst - 2000);
		*idx = REG_TIMER;
	} else if (inst >= 1000 && inst < 1000 + MAX_WORKERS) {
		*slot = (int)(inst - 1000);
		*idx = r->idx == REG_TIMER ? 0 : r->idx;
	} else {
		return false;
	}
	return inf->EntityId.EntityProtocolId == protos[*slot % 4];
}

static bool pick_target(struct reg *r, struct target *t)
{
	struct href *e;
	RTM_ENTITY_INFO inf;
	int i;
	DWORD rc;

	memset(t, 0, sizeof(*t));
	if (chance(30)) {
		/* One of ours: this one, the other of its table, another. */
		i = (int)rnd(NREGS);
		if (!W.r[i].live)
			return false;
		t->h = W.r[i].h;
		t->local = true;
		t->other_table = W.r[i].info.RtmInstanceId !=
				 r->info.RtmInstanceId ||
				 W.r[i].info.AddressFamily !=
				 r->info.AddressFamily;
		t->known = true;
		t->slot = W.slot;
		t->idx = i;
		return true;
	}
	e = pick_held(r, RTM_HT_ENTITY, 0, 0);
	if (!e)
		return false;
	t->h = (HANDLE)(uintptr_t)e->h;
	for (i = 0; i < NREGS; i++)
		t->local |= W.r[i].live && W.r[i].h == t->h;
	rc = RtmGetEntityInfo(r->h, t->h, &inf);
	CHK(C_ENTINFO, rc, A_OK, "held entity %#llx", H(t->h));
	if (!rc)
		t->known = whose(r, &inf, &t->slot, &t->idx);
	return true;
}

static void get_methods(struct reg *r, const struct target *t)
{
	RTM_ENTITY_EXPORT_METHOD m[NMETH + 1];
	unsigned int allowed = t->other_table ? A_IH : t->local ? A_OK
							      : A_OK | A_IH;
	unsigned int want = t->known ? nmeth(t->slot, t->idx) : 0, i;
	UINT n = 0, cap;
	DWORD rc;

	rc = RtmGetEntityMethods(r->h, t->h, &n, NULL);
	CHK(C_GETMETHODS, rc, allowed, "entity %#llx, count", H(t->h));
	if (!rc && t->known)
		EXPECT(n == want, "entity %#llx (worker %d index %d) exports "
		       "%u methods, RtmGetEntityMethods says %u", H(t->h),
		       t->slot, t->idx, want, n);
	for (i = 0; i <= NMETH; i++)
		m[i] = POISON;
	cap = n = 1 + rnd(NMETH);
	rc = RtmGetEntityMethods(r->h, t->h, &n, m);
	if (allowed & A_OK)
		allowed |= A_IB;
	CHK(C_GETMETHODS, rc, allowed, "entity %#llx, room for %u", H(t->h),
	    cap);
	if ((rc && rc != ERROR_INSUFFICIENT_BUFFER) || !t->known)
		return;
	EXPECT(rc ? want > cap && n == cap : want <= cap && n == want,
	       "entity %#llx exports %u methods: %u of room %u, code %u",
	       H(t->h), want, n, cap, rc);
	for (i = 0; i < n; i++)
		EXPECT(m[i] == methods[i], "method %u of %#llx is %p, "
		       "exported %p", i, H(t->h), (void *)m[i],
		       (void *)methods[i]);
	EXPECT(m[n] == POISON, "RtmGetEntityMethods wrote past %u", n);
}

/* What the callee's methods write into a buffer of @cap bytes (4.3). */
static void check_output(struct reg *r, const struct target *t, DWORD select,
			 const RTM_ENTITY_METHOD_INPUT *in, const void *out,
			 UINT cap, UINT size)
{
	unsigned int i, n = nmeth(t->slot, t->idx);
	size_t off, end = 0;

	for (i = 0; i < n; i++) {
		const RTM_ENTITY_METHOD_OUTPUT *rec;
		DWORD bit = (DWORD)1 << i, status = NO_ERROR;
		UINT avail, used = 0;

		if (!(select & bit))
			continue;
		off = (end + 7) & ~(size_t)7;
		if (off > cap || cap - off < OUT_HDR)
			break;
		avail = (UINT)(cap - off - OUT_HDR);
		switch (i) {
		case 0:
			if (avail < sizeof(struct echo_hdr))
				status = ERROR_INSUFFICIENT_BUFFER;
			else
				used = avail < sizeof(struct echo_hdr) +
					       in->InputSize ? avail :
				       (UINT)sizeof(struct echo_hdr) +
				       in->InputSize;
			break;
		case 1:
			used = avail >= 4 ? 4 : 0;
			break;
		case 2:
			status = 0x1000 + (DWORD)t->slot;
			break;
		default:
			used = avail;
			status = 7;
			break;
		}
		rec = (const void *)((const char *)out + off);
		EXPECT(off + OUT_HDR + used <= size && rec->MethodType == bit &&
		       rec->MethodStatus == status && rec->OutputSize == used,
		       "method bit %#x of %#llx at %zu: type %#x status %#x "
		       "size %u, expected status %#x size %u (total %u)", bit,
		       H(t->h), off, rec->MethodType, rec->MethodStatus,
		       rec->OutputSize, status, used, size);
		if (i == 0 && used) {
			struct echo_hdr hd;

			memcpy(&hd, rec->OutputData, sizeof(hd));
			EXPECT(hd.magic == MAGIC && hd.slot == (uint32_t)t->slot
			       && hd.caller == (uint64_t)(uintptr_t)r->h &&
			       hd.callee == (uint64_t)(uintptr_t)t->h &&
			       !memcmp(rec->OutputData + sizeof(hd),
				       in->InputData, used - sizeof(hd)),
			       "echo of %#llx: slot %u caller %#llx callee "
			       "%#llx, expected %d %#llx %#llx", H(t->h),
			       hd.slot, (unsigned long long)hd.caller,
			       (unsigned long long)hd.callee, t->slot,
			       H(r->h), H(t->h));
		}
		end = off + OUT_HDR + used;
	}
	EXPECT(size == end, "%#llx: output of %u bytes, the methods wrote %zu",
	       H(t->h), size, end);
}

static void invoke(struct reg *r, const struct target *t)
{
	union {
		RTM_ENTITY_METHOD_INPUT i;
		unsigned char b[IN_HDR + 32];
	} in;
	union {
		RTM_ENTITY_METHOD_OUTPUT o;
		uint64_t align;
		unsigned char b[512];
	} out;
	unsigned int allowed, k = rnd(100);
	DWORD select = chance(10) ? METHOD_TYPE_ALL_METHODS :
		       rnd(16) | (chance(10) ? 0x200 : 0);
	uint32_t ms = chance(30) ? rnd(MAX_SLEEP_MS) : 0;
	UINT size = chance(20) ? rnd(64) : 256 + rnd(256), cap = size, i;
	DWORD rc;

	memset(&in, 0, sizeof(in));
	in.i.MethodType = select;
	in.i.InputSize = 4 + rnd(16);
	memcpy(in.i.InputData, &ms, sizeof(ms));
	for (i = 4; i < in.i.InputSize; i++)
		in.i.InputData[i] = (UCHAR)rnd(256);
	memset(&out, 0xee, sizeof(out));
	if (k < 3) {
		rc = RtmInvokeMethod(r->h, t->h, NULL, &size, &out.o);
		CHK(C_INVOKE, rc, A_IP, "NULL Input");
		return;
	}
	/*
	 * Another process's entity may be gone; it answers at once
	 * otherwise (its methods sleep 40 ms at most, block 20 ms), and one
	 * that exports nothing has nothing to run (4.3): no ERROR_TIMEOUT,
	 * unless the callee's reply failed for memory (fault injection).
	 */
	allowed = t->other_table ? A_IH : t->local ? A_OK :
		  A_OK | A_IH | (W.faults ? A_TO : 0);
	rc = RtmInvokeMethod(r->h, t->h, &in.i, &size, &out.o);
	CHK(C_INVOKE, rc, allowed, "entity %#llx (worker %d index %d) bits "
	    "%#x, room %u", H(t->h), t->slot, t->idx, select, cap);
	if (rc) {
		EXPECT(size == cap, "a failed call set OutputSize %u", size);
		return;
	}
	if (!t->known)
		return;
	check_output(r, t, select, &in.i, &out, cap, size);
	sem_count(t->local ? SEM_INVOKE_LOCAL : SEM_INVOKE_REMOTE);
}

/* Hold relayed callers back for a moment. */
static void block(struct reg *r)
{
	DWORD rc;

	if (chance(5)) {
		rc = RtmBlockMethods(r->h, NULL, 0, 2);
		CHK(C_BLOCKMETHODS, rc, A_IP, "BlockingFlag 2");
		return;
	}
	rc = RtmBlockMethods(r->h, NULL, 0, RTM_BLOCK_METHODS);
	CHK(C_BLOCKMETHODS, rc, A_OK, "block");
	usleep(rnd(20000));
	rc = RtmBlockMethods(r->h, NULL, chance(50) ? ROUTE_TYPE : 0,
			     RTM_RESUME_METHODS);
	CHK(C_BLOCKMETHODS, rc, A_OK, "resume");
}

void op_method(struct reg *r)
{
	struct target t;

	if (chance(15)) {
		block(r);
		return;
	}
	if (!pick_target(r, &t))
		return;
	if (chance(35))
		get_methods(r, &t);
	else
		invoke(r, &t);
}
