// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - /dev/rtm without librtm: the null ioctl (the floor under every
 * call, so the yardstick of per-call costs) and the module's counters
 * (the only outside view of how far a cleanup has got).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/rtm.h>

#include "bench.h"

int dev_open(void)
{
	int fd = open("/dev/" RTM_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("/dev/" RTM_DEVICE_NAME ": cannot open (module not loaded?)");
	return fd;
}

double dev_null_ioctl_ns(int fd, long calls)
{
	struct rtm_version v;
	uint64_t t0, t1;
	long i;

	/* A warm-up round first: page faults, caches. */
	for (i = 0; i < 1000; i++)
		if (ioctl(fd, RTM_IOC_VERSION, &v))
			die("RTM_IOC_VERSION failed");
	t0 = now_ns();
	for (i = 0; i < calls; i++)
		if (ioctl(fd, RTM_IOC_VERSION, &v))
			die("RTM_IOC_VERSION failed");
	t1 = now_ns();
	return (double)(t1 - t0) / (double)calls;
}

static void stats(int fd, struct rtm_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (ioctl(fd, RTM_IOC_STATS, s))
		die("RTM_IOC_STATS failed");
}

uint64_t dev_routes(int fd)
{
	struct rtm_stats s;

	stats(fd, &s);
	return s.routes;
}

uint64_t dev_dests(int fd)
{
	struct rtm_stats s;

	stats(fd, &s);
	return s.dests;
}
