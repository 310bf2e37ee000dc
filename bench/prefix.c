// SPDX-License-Identifier: GPL-2.0
/*
 * prefix.c - the prefix tables of data/ (one "PREFIX/LEN ASN" a line),
 * and random addresses inside them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "bench.h"

/* The file, or "gzip -dc FILE" for a ".gz" name (quoted for sh). */
static FILE *open_table(const char *path, int *is_pipe)
{
	size_t n = strlen(path);
	char *cmd, *p;
	FILE *f;

	*is_pipe = n > 3 && strcmp(path + n - 3, ".gz") == 0;
	if (!*is_pipe) {
		f = fopen(path, "r");
		if (!f)
			die("%s: cannot open", path);
		return f;
	}
	cmd = xcalloc(1, sizeof("gzip -dc ''") + 4 * n);
	p = cmd + sprintf(cmd, "gzip -dc '");
	for (const char *s = path; *s; s++)
		p += *s == '\'' ? sprintf(p, "'\\''") : sprintf(p, "%c", *s);
	strcpy(p, "'");
	f = popen(cmd, "r");
	if (!f)
		die("popen(%s) failed", cmd);
	free(cmd);
	return f;
}

static void clear_host_bits(struct prefix *p, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		int keep = (int)p->len - 8 * i;

		if (keep <= 0)
			p->addr[i] = 0;
		else if (keep < 8)
			p->addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

static int cmp_prefix(const void *a, const void *b)
{
	const struct prefix *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, sizeof(x->addr));

	return c ? c : (int)x->len - (int)y->len;
}

/* Keeps max of the n prefixes, evenly spread over the (sorted) table. */
static size_t sample(struct prefix *p, size_t n, size_t max)
{
	size_t i, k = 0;

	if (!max || max >= n)
		return n;
	for (i = 0; i < n; i++)
		if ((i + 1) * max / n > i * max / n)
			p[k++] = p[i];
	return k;
}

void ptable_read(struct ptable *t, const char *path, int family, size_t max)
{
	size_t n = 0, cap = 0, lineno = 0, linecap = 0, i, k;
	char *line = NULL, addr[INET6_ADDRSTRLEN];
	struct prefix *p = NULL;
	int is_pipe, st;
	unsigned int len;
	FILE *f;

	memset(t, 0, sizeof(*t));
	t->path = path;
	t->family = family;
	t->bytes = family == AF_INET ? 4 : 16;
	f = open_table(path, &is_pipe);
	while (getline(&line, &linecap, f) != -1) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			p = xrealloc(p, cap, sizeof(*p));
		}
		memset(&p[n], 0, sizeof(p[n]));
		if (sscanf(line, "%45[0-9a-fA-F.:]/%u", addr, &len) != 2 ||
		    len > 8u * t->bytes ||
		    inet_pton(family, addr, p[n].addr) != 1)
			die("%s:%zu: not an IPv%d \"PREFIX/LEN ASN\" line", path,
			    lineno, family == AF_INET ? 4 : 6);
		p[n].len = (uint8_t)len;
		clear_host_bits(&p[n], t->bytes);
		n++;
	}
	free(line);
	st = is_pipe ? pclose(f) : fclose(f);
	if (is_pipe && (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)))
		die("gzip -dc %s failed", path);
	if (!n)
		die("%s: no prefixes", path);
	t->in_file = n;

	qsort(p, n, sizeof(*p), cmp_prefix);
	for (i = k = 0; i < n; i++)
		if (!k || cmp_prefix(&p[k - 1], &p[i]))
			p[k++] = p[i];
	t->n = sample(p, k, max);
	t->p = p;
}

/* xorshift64*: fixed seed, the same addresses on every run. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

uint8_t *ptable_random_addrs(const struct ptable *t, size_t n)
{
	uint8_t *out = xcalloc(n, (size_t)t->bytes);
	uint64_t seed = 0x5eed2026u;

	for (size_t i = 0; i < n; i++) {
		const struct prefix *p = &t->p[rnd(&seed) % t->n];
		uint8_t *a = out + i * (size_t)t->bytes;

		/* The prefix's bits, then random host bits. */
		for (int b = 0; b < t->bytes; b++) {
			int keep = (int)p->len - 8 * b;
			uint8_t r = (uint8_t)rnd(&seed);

			if (keep >= 8)
				a[b] = p->addr[b];
			else if (keep <= 0)
				a[b] = r;
			else
				a[b] = (uint8_t)(p->addr[b] |
						 (r & (0xff >> keep)));
		}
	}
	return out;
}
