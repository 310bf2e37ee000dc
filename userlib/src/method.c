/*
 * method.c - entity methods (spec part 1, 4 and 2.10 P4; part 2, 2.13).
 *
 * Exported methods are function pointers, meaningful only in the process
 * that registered them.  RtmInvokeMethod therefore has two paths:
 *
 *   - the callee is a registration of this process: its methods run
 *     directly on the invoking thread;
 *   - otherwise the kernel relays the call (RTM_IOC_INVOKE): it queues an
 *     RTM_EV_METHOD_CALL on the callee's file, the callee's event thread
 *     fetches the input (RTM_IOC_METHOD_INPUT), runs the methods here
 *     and answers (RTM_IOC_METHOD_REPLY); the caller waits in the kernel,
 *     killable and bounded by a timeout (ERROR_TIMEOUT), and a callee that
 *     dies or deregisters gives ERROR_INVALID_HANDLE.
 *
 * Both paths run the methods with lrtm_methods_run(): each selected
 * method separately, in ascending bit order, each with its own record at
 * an 8-byte aligned offset of the output buffer, MethodType = its bit,
 * MethodStatus = NO_ERROR and OutputSize = the bytes left after its
 * header; the method lowers OutputSize to what it wrote.  Running stops
 * when the next header would not fit (spec 4.1, 4.3).
 *
 * Blocking (RtmBlockMethods) is a flag per registration.  The kernel
 * holds relayed calls back while it is set; the library holds back local
 * invocations (they wait, and fail with ERROR_INVALID_HANDLE if the
 * callee deregisters meanwhile) and relayed calls that were already
 * queued when the flag was set (the event thread defers them until the
 * resume).  Every running invocation, local or relayed, is on the
 * registration's m_calls list with its thread, so that blocking and
 * deregistration can wait for those of other threads.
 */
#include <errno.h>

#include "internal.h"

#define IN_HDR	offsetof(RTM_ENTITY_METHOD_INPUT, InputData)
#define OUT_HDR	offsetof(RTM_ENTITY_METHOD_OUTPUT, OutputData)

/* First try at fetching a relayed input; bigger ones are fetched again. */
#define IN_FIRST 256

/*
 * The most output a relayed call carries (the module's limit on method
 * input and output, 64 KiB).  A bigger caller buffer is only room to
 * spare, so the capacity passed down is capped to it.
 */
#define RELAY_OUT_MAX (64 * 1024)

/* A relayed call that arrived while methods were blocked. */
struct lrtm_mdeferred {
	struct lrtm_mdeferred *next;
	uint64_t call;
	uint64_t caller;
};

/* A relayed call's input, fetched from the kernel. */
struct relayed_in {
	uint64_t caller;
	uint32_t out_cap;
	uint32_t in_size;		/* bytes at @in */
	uint64_t in[];			/* RTM_ENTITY_METHOD_INPUT, aligned */
};

UINT lrtm_methods_run(struct lrtm_reg *callee, RTM_ENTITY_HANDLE caller,
		      RTM_ENTITY_METHOD_INPUT *in, void *out, UINT out_cap)
{
	DWORD select = in->MethodType;
	size_t off, end = 0;
	UINT i;

	for (i = 0; i < callee->num_methods; i++) {
		DWORD bit = (DWORD)1 << i;
		RTM_ENTITY_METHOD_OUTPUT *rec;
		UINT avail, used;

		if (!(select & bit))
			continue;
		off = (end + 7) & ~(size_t)7;
		if (off > out_cap || out_cap - off < OUT_HDR)
			break;
		rec = (RTM_ENTITY_METHOD_OUTPUT *)((char *)out + off);
		avail = (UINT)(out_cap - off - OUT_HDR);
		rec->MethodType = bit;
		rec->MethodStatus = NO_ERROR;
		rec->OutputSize = avail;
		callee->methods[i](caller, lrtm_u2h(callee->handle), in, rec);
		/* The record pairs this bit with its result, whatever the
		 * method did to the header; it cannot have used more. */
		rec->MethodType = bit;
		used = rec->OutputSize;
		if (used > avail)
			rec->OutputSize = used = avail;
		end = off + OUT_HDR + used;
	}
	return (UINT)end;
}

/* ------------------------------------------------------------------ */
/* Running invocations (m_lock held).                                   */
/* ------------------------------------------------------------------ */

static void call_begin(struct lrtm_reg *reg, struct lrtm_mcall *c)
{
	c->thread = pthread_self();
	c->next = reg->m_calls;
	reg->m_calls = c;
}

static void call_end(struct lrtm_reg *reg, struct lrtm_mcall *c)
{
	struct lrtm_mcall **pp;

	for (pp = &reg->m_calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_cond_broadcast(&reg->m_cond);
}

/* Is an invocation of @reg running on another thread than this one? */
static bool others_running(const struct lrtm_reg *reg)
{
	pthread_t self = pthread_self();
	const struct lrtm_mcall *c;

	for (c = reg->m_calls; c; c = c->next)
		if (!pthread_equal(c->thread, self))
			return true;
	return false;
}

void lrtm_methods_free_deferred(struct lrtm_reg *reg)
{
	struct lrtm_mdeferred *d, *next;

	for (d = reg->m_deferred; d; d = next) {
		next = d->next;
		free(d);
	}
	reg->m_deferred = NULL;
	reg->m_deferred_tail = &reg->m_deferred;
}

/*
 * The calls deferred now are failed by the kernel (ERROR_INVALID_HANDLE
 * for their callers) when the registration ends.
 */
void lrtm_methods_close(struct lrtm_reg *reg)
{
	pthread_mutex_lock(&reg->m_lock);
	reg->m_closed = true;
	pthread_cond_broadcast(&reg->m_cond);
	while (others_running(reg))
		pthread_cond_wait(&reg->m_cond, &reg->m_lock);
	lrtm_methods_free_deferred(reg);
	pthread_mutex_unlock(&reg->m_lock);
}

void lrtm_methods_reopen(struct lrtm_reg *reg)
{
	pthread_mutex_lock(&reg->m_lock);
	reg->m_closed = false;
	pthread_mutex_unlock(&reg->m_lock);
}

/* ------------------------------------------------------------------ */
/* Relayed calls: the callee's side, on the event thread.               */
/* ------------------------------------------------------------------ */

/*
 * Fetches the input of @call; NULL if the call is gone (the caller timed
 * out or died) or there is no memory (the caller then times out).  The
 * kernel keeps the input until the reply, so a buffer found too small is
 * simply fetched again with the size it says.
 */
static struct relayed_in *fetch(struct lrtm_reg *reg, uint64_t call,
				uint64_t caller)
{
	struct rtm_method_input arg;
	struct relayed_in *d;
	uint32_t room = IN_FIRST;
	int err, tries;

	for (tries = 0; tries < 2; tries++) {
		d = calloc(1, sizeof(*d) + room);
		if (!d)
			return NULL;
		memset(&arg, 0, sizeof(arg));
		arg.call = call;
		arg.in_size = room;
		arg.in = (uint64_t)(uintptr_t)d->in;
		err = lrtm_ioctl(reg->fd, RTM_IOC_METHOD_INPUT, &arg);
		if (!err && arg.in_size <= room)
			break;
		free(d);
		d = NULL;
		if ((err && err != ENOBUFS) || arg.in_size <= room)
			return NULL;
		room = arg.in_size;
	}
	if (!d)
		return NULL;
	d->caller = arg.caller ? arg.caller : caller;
	d->out_cap = arg.out_cap;
	d->in_size = arg.in_size;
	return d;
}

/*
 * Fetches, runs and answers one call; the call is on m_calls already, so
 * that RtmBlockMethods and RtmDeregisterEntity wait for it.  A call for
 * which no answer is sent is failed by the kernel (timeout, or -ESTALE at
 * deregistration).
 */
static void run_relayed(struct lrtm_reg *reg, uint64_t call, uint64_t caller)
{
	struct relayed_in *d = fetch(reg, call, caller);
	RTM_ENTITY_METHOD_INPUT *in;
	struct rtm_method_reply reply;
	void *out = NULL;
	UINT used = 0;

	if (!d)
		return;
	/*
	 * The input comes from another process: never let a method read
	 * past what arrived.  A record shorter than its header selects
	 * nothing (the buffer is zeroed and at least IN_FIRST long).
	 */
	in = (RTM_ENTITY_METHOD_INPUT *)d->in;
	if (d->in_size < IN_HDR)
		in->MethodType = 0;
	else if (in->InputSize > d->in_size - IN_HDR)
		in->InputSize = (UINT)(d->in_size - IN_HDR);
	if (d->out_cap)
		out = calloc(1, d->out_cap);
	if (out || !d->out_cap)
		used = lrtm_methods_run(reg, lrtm_u2h(d->caller), in, out,
					out ? d->out_cap : 0);
	memset(&reply, 0, sizeof(reply));
	reply.call = call;
	reply.out_size = used;
	reply.out = (uint64_t)(uintptr_t)out;
	lrtm_ioctl(reg->fd, RTM_IOC_METHOD_REPLY, &reply);
	free(out);
	free(d);
}

/*
 * Whether to run is decided under m_lock, before the input is fetched:
 * a call that arrived while methods are blocked (queued before the kernel
 * knew of the block) is deferred untouched until the resume, and a call
 * that runs is on m_calls before it is taken from the kernel.
 */
void lrtm_methods_relayed(struct lrtm_reg *reg, uint64_t call,
			  uint64_t caller)
{
	struct lrtm_mdeferred *d;
	struct lrtm_mcall c;

	pthread_mutex_lock(&reg->m_lock);
	if (reg->m_closed) {
		pthread_mutex_unlock(&reg->m_lock);
		return;
	}
	if (reg->m_blocked) {
		d = malloc(sizeof(*d));
		if (d) {		/* else the caller times out */
			d->next = NULL;
			d->call = call;
			d->caller = caller;
			*reg->m_deferred_tail = d;
			reg->m_deferred_tail = &d->next;
		}
		pthread_mutex_unlock(&reg->m_lock);
		return;
	}
	call_begin(reg, &c);
	pthread_mutex_unlock(&reg->m_lock);

	run_relayed(reg, call, caller);

	pthread_mutex_lock(&reg->m_lock);
	call_end(reg, &c);
	pthread_mutex_unlock(&reg->m_lock);
}

void lrtm_methods_run_deferred(struct lrtm_reg *reg)
{
	struct lrtm_mdeferred *d;
	struct lrtm_mcall c;

	for (;;) {
		pthread_mutex_lock(&reg->m_lock);
		d = reg->m_deferred;
		if (!d || reg->m_blocked || reg->m_closed) {
			pthread_mutex_unlock(&reg->m_lock);
			return;
		}
		reg->m_deferred = d->next;
		if (!reg->m_deferred)
			reg->m_deferred_tail = &reg->m_deferred;
		call_begin(reg, &c);
		pthread_mutex_unlock(&reg->m_lock);

		run_relayed(reg, d->call, d->caller);
		free(d);

		pthread_mutex_lock(&reg->m_lock);
		call_end(reg, &c);
		pthread_mutex_unlock(&reg->m_lock);
	}
}

/* ------------------------------------------------------------------ */
/* The API.                                                             */
/* ------------------------------------------------------------------ */

/*
 * Spec 4.2: a capacity of 0 asks for the count (NO_ERROR); a short
 * array receives the first methods and ERROR_INSUFFICIENT_BUFFER.  The
 * values are the callee process's pointers: callable only when the
 * callee is a registration of this process, and even then meant for
 * RtmInvokeMethod only.
 */
DWORD WINAPI RtmGetEntityMethods(RTM_ENTITY_HANDLE RtmRegHandle,
				 RTM_ENTITY_HANDLE EntityHandle,
				 PUINT NumMethods,
				 PRTM_ENTITY_EXPORT_METHOD ExptMethods)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	uint64_t buf[RTM_MAX_METHODS];
	struct rtm_get_methods arg;
	UINT cap, i, n;
	DWORD ret;
	int err;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!NumMethods || (*NumMethods && !ExptMethods))
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!EntityHandle)
		goto out;
	cap = *NumMethods;
	if (cap > RTM_MAX_METHODS)
		cap = RTM_MAX_METHODS;	/* nobody exports more */
	memset(buf, 0, sizeof(buf));
	memset(&arg, 0, sizeof(arg));
	arg.entity = lrtm_h2u(EntityHandle);
	arg.count = cap;
	arg.buf = cap ? (uint64_t)(uintptr_t)buf : 0;
	err = lrtm_ioctl(reg->fd, RTM_IOC_GET_METHODS, &arg);
	if (err && err != ENOBUFS) {
		ret = lrtm_win32_error(err);
		goto out;
	}
	if (!cap && !err) {
		*NumMethods = arg.count;	/* the count only */
		ret = NO_ERROR;
		goto out;
	}
	n = arg.count < cap ? arg.count : cap;
	for (i = 0; i < n; i++)
		ExptMethods[i] = (RTM_ENTITY_EXPORT_METHOD)(uintptr_t)buf[i];
	*NumMethods = n;
	ret = err ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
out:
	lrtm_reg_put(reg);
	return ret;
}

/* Same table: a handle of another table names nothing here (design). */
static bool same_table(const struct lrtm_reg *a, const struct lrtm_reg *b)
{
	return a->info.RtmInstanceId == b->info.RtmInstanceId &&
	       a->info.AddressFamily == b->info.AddressFamily;
}

/*
 * The callee is in this process: wait while it is blocked (unless this
 * very thread blocked it: it would wait for itself), then run.
 */
static DWORD invoke_local(struct lrtm_reg *caller, struct lrtm_reg *callee,
			  PRTM_ENTITY_METHOD_INPUT Input, PUINT OutputSize,
			  PRTM_ENTITY_METHOD_OUTPUT Output)
{
	pthread_t self = pthread_self();
	struct lrtm_mcall c;
	UINT used;

	pthread_mutex_lock(&callee->m_lock);
	while (callee->m_blocked && !callee->m_closed &&
	       !pthread_equal(callee->m_blocker, self))
		pthread_cond_wait(&callee->m_cond, &callee->m_lock);
	if (callee->m_closed || atomic_load(&callee->deregistering)) {
		pthread_mutex_unlock(&callee->m_lock);
		return ERROR_INVALID_HANDLE;
	}
	call_begin(callee, &c);
	pthread_mutex_unlock(&callee->m_lock);

	used = lrtm_methods_run(callee, lrtm_u2h(caller->handle), Input,
				Output, *OutputSize);

	pthread_mutex_lock(&callee->m_lock);
	call_end(callee, &c);
	pthread_mutex_unlock(&callee->m_lock);
	*OutputSize = used;
	return NO_ERROR;
}

static DWORD invoke_remote(struct lrtm_reg *reg,
			   RTM_ENTITY_HANDLE EntityHandle,
			   PRTM_ENTITY_METHOD_INPUT Input, PUINT OutputSize,
			   PRTM_ENTITY_METHOD_OUTPUT Output)
{
	struct rtm_invoke arg;
	int err;

	if (Input->InputSize > UINT32_MAX - IN_HDR)
		return ERROR_INVALID_PARAMETER;
	memset(&arg, 0, sizeof(arg));
	arg.entity = lrtm_h2u(EntityHandle);
	arg.in_size = (uint32_t)(IN_HDR + Input->InputSize);
	arg.out_size = *OutputSize < RELAY_OUT_MAX ? *OutputSize
						    : RELAY_OUT_MAX;
	arg.in = (uint64_t)(uintptr_t)Input;
	arg.out = (uint64_t)(uintptr_t)Output;
	err = lrtm_ioctl(reg->fd, RTM_IOC_INVOKE, &arg);
	if (err)
		return lrtm_win32_error(err);
	/* Never claim more than the caller's buffer (a kernel bug). */
	*OutputSize = arg.out_size <= *OutputSize ? arg.out_size : *OutputSize;
	return NO_ERROR;
}

DWORD WINAPI RtmInvokeMethod(RTM_ENTITY_HANDLE RtmRegHandle,
			     RTM_ENTITY_HANDLE EntityHandle,
			     PRTM_ENTITY_METHOD_INPUT Input,
			     PUINT OutputSize,
			     PRTM_ENTITY_METHOD_OUTPUT Output)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct lrtm_reg *callee;
	DWORD ret;

	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (!Input || !OutputSize || !Output)
		goto out;
	ret = ERROR_INVALID_HANDLE;
	if (!EntityHandle)
		goto out;
	callee = lrtm_reg_get(EntityHandle);
	if (callee) {
		ret = same_table(reg, callee) ?
		      invoke_local(reg, callee, Input, OutputSize, Output) :
		      ERROR_INVALID_HANDLE;
		lrtm_reg_put(callee);
	} else {
		ret = invoke_remote(reg, EntityHandle, Input, OutputSize,
				    Output);
	}
out:
	lrtm_reg_put(reg);
	return ret;
}

/*
 * TargetHandle and TargetType are not interpreted: every call acts on all
 * of the caller's methods (spec 4.4).  Blocking returns once every
 * invocation running on another thread has finished; the kernel is told
 * first so that no new relayed call is queued meanwhile.
 */
DWORD WINAPI RtmBlockMethods(RTM_ENTITY_HANDLE RtmRegHandle,
			     HANDLE TargetHandle, UCHAR TargetType,
			     DWORD BlockingFlag)
{
	struct lrtm_reg *reg = lrtm_reg_get(RtmRegHandle);
	struct rtm_block_methods arg;
	bool kick = false;
	DWORD ret;
	int err;

	(void)TargetHandle;
	(void)TargetType;
	if (!reg)
		return ERROR_INVALID_HANDLE;
	ret = ERROR_INVALID_PARAMETER;
	if (BlockingFlag != RTM_BLOCK_METHODS &&
	    BlockingFlag != RTM_RESUME_METHODS)
		goto out;
	memset(&arg, 0, sizeof(arg));
	arg.block = BlockingFlag;
	err = lrtm_ioctl(reg->fd, RTM_IOC_BLOCK_METHODS, &arg);
	ret = lrtm_win32_error(err);
	if (err)
		goto out;
	pthread_mutex_lock(&reg->m_lock);
	if (BlockingFlag == RTM_BLOCK_METHODS) {
		reg->m_blocked = true;
		reg->m_blocker = pthread_self();
		while (others_running(reg) && !reg->m_closed)
			pthread_cond_wait(&reg->m_cond, &reg->m_lock);
	} else {
		reg->m_blocked = false;
		pthread_cond_broadcast(&reg->m_cond);
		kick = reg->m_deferred != NULL;
	}
	pthread_mutex_unlock(&reg->m_lock);
	if (kick)
		lrtm_event_kick();
out:
	lrtm_reg_put(reg);
	return ret;
}
