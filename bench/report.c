// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the figures: collected as they are measured, printed at the
 * end as one table (figure, value, unit, reference, ratio, target, met?)
 * and as JSON between marker lines, which bench/run-bench cuts out of the
 * VM's output into build/bench/.  Targets are reported, never enforced:
 * the exit status is about errors only.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define MAX_FIGS	64
#define MAX_ENV		24

struct figure {
	const char *key, *name, *unit, *ref_name, *op;
	double value, ref, goal;
	enum target_on on;
};

static struct figure figs[MAX_FIGS];
static int nfigs;
static struct {
	const char *key;
	char val[256];
} envs[MAX_ENV];
static int nenvs;

static double ratio(const struct figure *f)
{
	return f->ref > 0 ? f->value / f->ref : NAN;
}

/* 1 met, 0 not met, -1 no target or nothing to compare. */
static int met(const struct figure *f)
{
	double x = f->on == ON_RATIO ? ratio(f) : f->value;

	if (f->on == ON_NONE || isnan(x))
		return -1;
	if (!strcmp(f->op, "<="))
		return x <= f->goal;
	if (!strcmp(f->op, ">="))
		return x >= f->goal;
	return x < f->goal;
}

static const char *num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 100 || (v == floor(v) && fabs(v) < 1e15))
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

void fig(const char *key, const char *name, double value, const char *unit,
	 double ref, const char *ref_name,
	 enum target_on on, const char *op, double goal)
{
	struct figure *f;
	char v[32], r[32], g[32];

	if (nfigs == MAX_FIGS)
		die("too many figures");
	f = &figs[nfigs++];
	*f = (struct figure){ key, name, unit, ref_name, op, value, ref, goal,
			      on };
	/* Also now, in the progress stream. */
	printf("  = %s: %s %s", name, num(value, v, sizeof(v)), unit);
	if (ref > 0)
		printf(" (%sx %s)", num(ratio(f), r, sizeof(r)), ref_name);
	if (on != ON_NONE)
		printf(", target %s %s%s: %s", op, num(goal, g, sizeof(g)),
		       on == ON_RATIO ? "x" : "",
		       met(f) > 0 ? "met" : met(f) == 0 ? "NOT met" : "-");
	putchar('\n');
	fflush(stdout);
}

void env_set(const char *key, const char *fmt, ...)
{
	va_list ap;

	if (nenvs == MAX_ENV)
		die("too many environment entries");
	envs[nenvs].key = key;
	va_start(ap, fmt);
	vsnprintf(envs[nenvs].val, sizeof(envs[nenvs].val), fmt, ap);
	va_end(ap);
	nenvs++;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_num(double v)
{
	if (isnan(v) || isinf(v))
		printf("null");
	else
		printf("%.6g", v);
}

static void print_json(void)
{
	int i, m;

	printf("RTM-BENCH-JSON-BEGIN\n{\n  \"environment\": {");
	for (i = 0; i < nenvs; i++) {
		printf("%s\n    ", i ? "," : "");
		json_str(envs[i].key);
		printf(": ");
		json_str(envs[i].val);
	}
	printf("\n  },\n  \"figures\": [");
	for (i = 0; i < nfigs; i++) {
		const struct figure *f = &figs[i];

		printf("%s\n    {\"key\": ", i ? "," : "");
		json_str(f->key);
		printf(", \"name\": ");
		json_str(f->name);
		printf(", \"value\": ");
		json_num(f->value);
		printf(", \"unit\": ");
		json_str(f->unit);
		printf(", \"reference\": ");
		if (f->ref > 0) {
			json_str(f->ref_name);
			printf(", \"reference_value\": ");
			json_num(f->ref);
			printf(", \"ratio\": ");
			json_num(ratio(f));
		} else {
			printf("null, \"reference_value\": null, "
			       "\"ratio\": null");
		}
		printf(", \"target\": ");
		if (f->on == ON_NONE) {
			printf("null");
		} else {
			printf("{\"on\": \"%s\", \"op\": \"%s\", \"goal\": ",
			       f->on == ON_RATIO ? "ratio" : "value", f->op);
			json_num(f->goal);
			printf("}");
		}
		m = met(f);
		printf(", \"met\": %s}",
		       m < 0 ? "null" : m ? "true" : "false");
	}
	printf("\n  ]\n}\nRTM-BENCH-JSON-END\n");
}

void report_print(void)
{
	char v[32], r[32], g[48], ref[64], line[256];
	int i, m, n_met = 0, n_targets = 0;
	size_t n;

	printf("\n");
	for (i = 0; i < nenvs; i++)
		printf("%-14s %s\n", envs[i].key, envs[i].val);
	printf("\n%-46s %10s %-9s %-30s %7s %-12s %s\n", "figure", "value",
	       "unit", "reference", "ratio", "target", "met?");
	for (i = 0; i < 124; i++)
		putchar('-');
	putchar('\n');
	for (i = 0; i < nfigs; i++) {
		const struct figure *f = &figs[i];

		ref[0] = g[0] = '\0';
		if (f->ref > 0)
			snprintf(ref, sizeof(ref), "%s %s", f->ref_name,
				 num(f->ref, r, sizeof(r)));
		if (f->on != ON_NONE)
			snprintf(g, sizeof(g), "%s %s%s", f->op,
				 num(f->goal, r, sizeof(r)),
				 f->on == ON_RATIO ? "x" : "");
		m = met(f);
		n_targets += m >= 0;
		n_met += m > 0;
		snprintf(line, sizeof(line), "%-46s %10s %-9s %-30s %7s %-12s %s",
			 f->name, num(f->value, v, sizeof(v)), f->unit, ref,
			 f->ref > 0 ? num(ratio(f), r, sizeof(r)) : "", g,
			 m < 0 ? "" : m ? "yes" : "NO");
		/* No padding left at the end of a line. */
		for (n = strlen(line); n && line[n - 1] == ' '; n--)
			line[n - 1] = '\0';
		puts(line);
	}
	printf("\n%d of %d targets met\n\n", n_met, n_targets);
	print_json();
	fflush(stdout);
}
