/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the rtm selftests: registering entities, building
 * prefixes, reading the module's counters.  Each test file includes this
 * after kselftest_harness.h.
 */
#ifndef RTM_TEST_H
#define RTM_TEST_H

#include <rtmv2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/rtm.h>

/* The 6.1 harness leaves parameters of its TEST() wrappers unused. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* Register entity (protocol, instance) of AF_INET table 0. */
static inline DWORD rtm_test_register(ULONG protocol, ULONG instance,
				      USHORT family, RTM_ENTITY_HANDLE *h,
				      RTM_REGN_PROFILE *prof)
{
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE p;

	memset(&ei, 0, sizeof(ei));
	ei.RtmInstanceId = 0;
	ei.AddressFamily = family;
	ei.EntityId.EntityProtocolId = protocol;
	ei.EntityId.EntityInstanceId = instance;
	return RtmRegisterEntity(&ei, NULL, NULL, FALSE, prof ? prof : &p, h);
}

/* An IPv4 prefix a.b.c.d/len. */
static inline RTM_NET_ADDRESS rtm_test_v4(unsigned a, unsigned b, unsigned c,
					  unsigned d, unsigned len)
{
	RTM_NET_ADDRESS n;
	ULONG addr = htonl(a << 24 | b << 16 | c << 8 | d);

	memset(&n, 0, sizeof(n));
	RTM_IPV4_MAKE_NET_ADDRESS(&n, addr, len);
	return n;
}

/* The module-wide counters (RTM_IOC_STATS works on any open file). */
static inline int rtm_test_stats(struct rtm_stats *st)
{
	int fd = open("/dev/rtm", O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, RTM_IOC_STATS, st);
	close(fd);
	return ret;
}

#endif /* RTM_TEST_H */
