// SPDX-License-Identifier: GPL-2.0
/*
 * reference.c - the yardsticks, measured first, on an idle table: the
 * kernel FIB loaded and flushed with the same prefixes, and the cheapest
 * call /dev/rtm answers.  The IPv4 FIB is loaded once more at the very
 * end: the VM's speed follows the host's load, and the two loads show how
 * far it drifted during the run.
 */
#include "phase.h"

static void fib_figures(const char *fam, const struct ptable *t,
			struct fib_result *r)
{
	say("FIB: loading %zu IPv%s prefixes into table 100 (rtnetlink, "
	    "batched), counting, flushing", t->n, fam);
	fib_bench(t, r);
	fig(strfmt("fib.v%s.add", fam), strfmt("FIB add, IPv%s", fam),
	    (double)t->n / r->add_secs, "routes/s", 0, NULL, ON_NONE, NULL, 0);
	fig(strfmt("fib.v%s.delete", fam), strfmt("FIB delete, IPv%s", fam),
	    (double)t->n / r->del_secs, "routes/s", 0, NULL, ON_NONE, NULL, 0);
	fig(strfmt("fib.v%s.memory", fam),
	    strfmt("FIB slab per route, IPv%s", fam),
	    (double)r->slab / (double)t->n, "B", 0, NULL, ON_NONE, NULL, 0);
}

void phase_reference(struct bench *b)
{
	fib_figures("4", &b->v4, &b->fib4);
	fib_figures("6", &b->v6, &b->fib6);

	say("null ioctl: RTM_IOC_VERSION in a loop");
	b->null_ns = dev_null_ioctl_ns(b->fd, b->quick ? 50000 : 200000);
	fig("null_ioctl", "null ioctl (RTM_IOC_VERSION)", b->null_ns, "ns", 0,
	    NULL, ON_NONE, NULL, 0);
}

void phase_drift(struct bench *b)
{
	struct fib_result r;

	say("FIB: the IPv4 table once more, to see the drift since the start");
	fib_bench(&b->v4, &r);
	fig("fib.v4.add.end", "FIB add, IPv4, again at the end",
	    (double)b->v4.n / r.add_secs, "routes/s",
	    (double)b->v4.n / b->fib4.add_secs, "at the start", ON_NONE, NULL,
	    0);
}
