// SPDX-License-Identifier: GPL-2.0
/*
 * sys.c - clocks, errors, allocation and the kernel's slab counter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "rtm-bench[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

char *strfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die("out of memory (%zu x %zu bytes)", n, size);
	p = realloc(p, n * size);
	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

long long slab_bytes(void)
{
	long long rec = -1, unrec = -1, v;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo: cannot open");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SReclaimable: %lld kB", &v) == 1)
			rec = v;
		else if (sscanf(line, "SUnreclaim: %lld kB", &v) == 1)
			unrec = v;
	}
	fclose(f);
	if (rec < 0 || unrec < 0)
		die("/proc/meminfo: no SReclaimable/SUnreclaim");
	return (rec + unrec) * 1024;
}

long long slab_settled(void)
{
	long long prev = slab_bytes(), cur;
	int quiet = 0;

	/*
	 * Quiet (less than 256 KiB freed in half a second) twice in a row,
	 * or 60 s at most: after millions of deletes, TCG takes a while.
	 */
	for (int i = 0; i < 120 && quiet < 2; i++) {
		usleep(500000);
		cur = slab_bytes();
		quiet = prev - cur < 256 * 1024 ? quiet + 1 : 0;
		prev = cur;
	}
	return prev;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t quantile_u32(uint32_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}
