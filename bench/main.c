// SPDX-License-Identifier: GPL-2.0
/*
 * rtm-bench - how fast and how big rtm is, next to the kernel's own FIB,
 * on the real prefix tables of data/.  Runs inside the test VM (bench/
 * run-bench boots it), with rtm.ko loaded, as root.
 *
 * Usage: rtm-bench --v4 FILE --v6 FILE [--quick] [--prefixes N]
 *                  [--prefixes6 N] [--secs S] [--entities N]
 *
 * The same options come from the environment as RTM_BENCH_QUICK=1,
 * RTM_BENCH_PREFIXES, RTM_BENCH_PREFIXES6, RTM_BENCH_SECS and
 * RTM_BENCH_ENTITIES (the command line wins).  RTM_BENCH_DATE,
 * RTM_BENCH_ACCEL, RTM_BENCH_HOST and RTM_BENCH_SOURCE describe the run
 * for the report (bench/run-bench sets them).
 *
 * The order of the phases is part of the method (see
 * Documentation/bench.rst): the FIB reference and the null ioctl first,
 * on an empty table; then rtm, one entity's IPv4 table (single adds,
 * enumeration, lookups, single deletes, batch adds and deletes), more
 * entities on the same destinations up to --entities, the kill of one of
 * them, the IPv6 table, and the IPv4 FIB once more (the drift of the
 * VM's speed over the run).  Prints progress as it goes, then the table
 * of figures and the JSON.  Exits 0 unless something failed: a missed
 * target is a result, not an error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include "phase.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s --v4 FILE --v6 FILE [--quick] [--prefixes N] "
		"[--prefixes6 N] [--secs S] [--entities N]\n", prog);
	exit(2);
}

static double env_num(const char *name, double def)
{
	const char *s = getenv(name);

	return s && *s ? atof(s) : def;
}

static void options(int argc, char **argv, struct bench *b)
{
	static const struct option longopts[] = {
		{ "v4", required_argument, NULL, '4' },
		{ "v6", required_argument, NULL, '6' },
		{ "quick", no_argument, NULL, 'q' },
		{ "prefixes", required_argument, NULL, 'n' },
		{ "prefixes6", required_argument, NULL, 'm' },
		{ "secs", required_argument, NULL, 's' },
		{ "entities", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(b, 0, sizeof(*b));
	b->quick = env_num("RTM_BENCH_QUICK", 0) != 0;
	/* A first pass for --quick alone, silent: the second one reports. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (c == 'q')
			b->quick = 1;
	opterr = 1;
	/* --quick changes the defaults; explicit sizes still win. */
	b->max_v4 = (size_t)env_num("RTM_BENCH_PREFIXES", b->quick ? 50000 : 0);
	b->max_v6 = (size_t)env_num("RTM_BENCH_PREFIXES6", b->quick ? 20000 : 0);
	b->secs = env_num("RTM_BENCH_SECS", b->quick ? 2 : 5);
	b->entities = (int)env_num("RTM_BENCH_ENTITIES", 10);
	optind = 0;	/* glibc: start over */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case '4': b->v4_path = optarg; break;
		case '6': b->v6_path = optarg; break;
		case 'q': break;
		case 'n': b->max_v4 = (size_t)atol(optarg); break;
		case 'm': b->max_v6 = (size_t)atol(optarg); break;
		case 's': b->secs = atof(optarg); break;
		case 'e': b->entities = atoi(optarg); break;
		default: usage(argv[0]);
		}
	}
	if (!b->v4_path || !b->v6_path || optind != argc || b->secs <= 0 ||
	    b->entities < 3 || b->entities > MAX_ENTITIES)
		usage(argv[0]);
}

static void first_line(const char *path, const char *prefix, char *out,
		       size_t len)
{
	char line[256];
	FILE *f = fopen(path, "r");

	snprintf(out, len, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, len, "%s", line + strlen(prefix));
		break;
	}
	fclose(f);
}

/* What the figures were measured on: they mean little without it. */
static void environment(const struct bench *b)
{
	char date[32], buf[160], mem[64], maxenum[16];
	const char *s = getenv("RTM_BENCH_DATE");
	struct utsname u;
	time_t t = time(NULL);

	if (!s || !*s) {
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		s = date;
	}
	env_set("date", "%s", s);
	uname(&u);
	env_set("kernel", "%s %s", u.release, u.machine);
	env_set("vcpus", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	s = getenv("RTM_BENCH_ACCEL");
	env_set("accel", "%s", s && *s ? s : "unknown");
	first_line("/proc/cpuinfo", "model name\t: ", buf, sizeof(buf));
	env_set("cpu", "%s", buf);
	first_line("/proc/meminfo", "MemTotal:", mem, sizeof(mem));
	env_set("guest memory", "%s", mem + strspn(mem, " "));
	s = getenv("RTM_BENCH_HOST");
	env_set("host", "%s", s && *s ? s : "unknown");
	s = getenv("RTM_BENCH_SOURCE");
	env_set("source", "%s", s && *s ? s : "unknown");
	first_line("/sys/module/rtm/parameters/max_enum", "", maxenum,
		   sizeof(maxenum));
	env_set("rtm", "MaxHandlesInEnum %s", maxenum);
	env_set("IPv4 table", "%zu prefixes (%zu lines of %s)", b->v4.n,
		b->v4.in_file, b->v4_path);
	env_set("IPv6 table", "%zu prefixes (%zu lines of %s)", b->v6.n,
		b->v6.in_file, b->v6_path);
	env_set("run", "%s, lookups %.0f s each, %d entities",
		b->quick ? "quick" : "full", b->secs, b->entities);
}

int main(int argc, char **argv)
{
	struct bench b;
	double t0 = now();

	setvbuf(stdout, NULL, _IOLBF, 0);
	options(argc, argv, &b);
	workers_init();

	say("rtm-bench: reading the prefix tables");
	ptable_read(&b.v4, b.v4_path, AF_INET, b.max_v4);
	ptable_read(&b.v6, b.v6_path, AF_INET6, b.max_v6);
	b.l4.n = 65536;
	b.l4.addrs = ptable_random_addrs(&b.v4, b.l4.n);
	b.fd = dev_open();
	environment(&b);
	say("rtm-bench: %zu IPv4 and %zu IPv6 prefixes", b.v4.n, b.v6.n);

	phase_reference(&b);
	phase_one_entity(&b);
	phase_entities(&b);
	phase_kill(&b);
	phase_ipv6(&b);
	phase_drift(&b);

	if (dev_routes(b.fd) || dev_dests(b.fd))
		die("rtm still holds %llu routes and %llu destinations after "
		    "every entity is gone",
		    (unsigned long long)dev_routes(b.fd),
		    (unsigned long long)dev_dests(b.fd));
	env_set("bench time", "%.0f s in the VM", now() - t0);
	report_print();
	return 0;
}
