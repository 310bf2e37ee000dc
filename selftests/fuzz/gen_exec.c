// SPDX-License-Identifier: GPL-2.0
/*
 * gen_exec.c - rtm-fuzz: executor threads, for the calls that wait
 * (INVOKE waits for its callee, whom the main thread may have to answer)
 * and for calls that race the main thread on the same file (the kernel
 * lets a file's calls run concurrently; librtm's event thread does).
 *
 * The main thread prepares a job in an idle executor's own buffer (its
 * argument structs and arrays: the kernel writes nowhere else), hands it
 * over and, at the next turn of its loop after the job is over, counts its
 * calls and runs its done() (exec_reap()).  A job's run() makes syscalls
 * only: the random numbers, the pools and the statistics belong to the
 * main thread.  Executors live as long as their process; at its exit they
 * are killed in whatever call they are in (every wait of the module is
 * killable).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "fuzz.h"

#define NEXEC	4		/* executor threads per process */

enum { J_IDLE, J_READY, J_BUSY, J_DONE };

static struct job jobs[NEXEC];
static pthread_mutex_t jmu = PTHREAD_MUTEX_INITIALIZER;
static int ndone;		/* jobs in J_DONE */

static void *executor(void *arg)
{
	struct job *j = arg;

	for (;;) {
		pthread_mutex_lock(&jmu);
		while (j->state != J_READY)
			pthread_cond_wait(&j->cv, &jmu);
		j->state = J_BUSY;
		pthread_mutex_unlock(&jmu);
		j->run(j);
		pthread_mutex_lock(&jmu);
		j->state = J_DONE;
		__atomic_add_fetch(&ndone, 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&jmu);
	}
	return NULL;
}

int exec_start(void)
{
	int i;

	for (i = 0; i < NEXEC; i++) {
		struct job *j = &jobs[i];

		j->buf = mmap(NULL, JOB_BUF, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (j->buf == MAP_FAILED)
			return -1;
		pthread_cond_init(&j->cv, NULL);
		if (pthread_create(&j->tid, NULL, executor, j))
			return -1;
	}
	return 0;
}

/* One ioctl of a job, on its executor: recorded for exec_reap(). */
int job_ioctl(struct job *j, int ci, uint64_t arg, int place)
{
	uint64_t t0 = now_ns();
	int ret, err;

	ret = ioctl(j->fd, cmds[ci].cmd, (unsigned long)arg);
	err = ret < 0 ? errno : ret > 0 ? NERR - 1 : 0;
	if (j->n < JREC) {
		j->rec[j->n].ci = ci;
		j->rec[j->n].place = place;
		j->rec[j->n].err = err;
		j->rec[j->n].ns = now_ns() - t0;
		j->n++;
	}
	return err;
}

/* Count the finished jobs' calls and finish them (main thread). */
void exec_reap(void)
{
	int i, k;

	if (!__atomic_load_n(&ndone, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&jmu);
	for (i = 0; i < NEXEC; i++) {
		struct job *j = &jobs[i];

		if (j->state != J_DONE)
			continue;
		for (k = 0; k < j->n; k++)
			account(j->rec[k].ci, j->s, cmds[j->rec[k].ci].cmd,
				j->rec[k].place, j->rec[k].err,
				opt.timing ? j->rec[k].ns : 0);
		if (j->done)
			j->done(j);
		j->state = J_IDLE;
		__atomic_sub_fetch(&ndone, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&jmu);
}

/*
 * Is a job of file @s in flight?  Its calls hold the file's semaphore for
 * reading, so REGISTER and DEREGISTER (for writing) on that file would
 * wait for them; an INVOKE waits up to its timeout.
 */
int exec_busy(int s)
{
	int i, busy = 0;

	pthread_mutex_lock(&jmu);
	for (i = 0; i < NEXEC; i++)
		busy |= jobs[i].s == s && (jobs[i].state == J_READY ||
					   jobs[i].state == J_BUSY);
	pthread_mutex_unlock(&jmu);
	return busy;
}

/* An idle executor's job, cleared but for its buffer, or NULL. */
struct job *exec_idle(void)
{
	struct job *j = NULL;
	int i;

	pthread_mutex_lock(&jmu);
	for (i = 0; i < NEXEC && !j; i++)
		if (jobs[i].state == J_IDLE)
			j = &jobs[i];
	if (j) {
		j->run = NULL;
		j->done = NULL;
		j->n = 0;
		j->arg = 0;
		j->place = P_OK;
		j->count = 0;
		j->s = -1;
	}
	pthread_mutex_unlock(&jmu);
	return j;
}

/* Hand @j over to its executor: file @s, @j->run and @j->done set. */
void exec_submit(struct job *j, int s)
{
	j->s = s;
	j->fd = slots[s].fd;
	pthread_mutex_lock(&jmu);
	j->state = J_READY;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&jmu);
}
