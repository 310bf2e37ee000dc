// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into the module's own allocations.
 *
 * On a kernel with CONFIG_FAULT_INJECTION every allocation of the module
 * first asks rtm_fail_alloc(), driven by the standard fault attributes in
 * /sys/kernel/debug/rtm/fail/ (probability, interval, times, task-filter,
 * ... see Documentation/fault-injection/fault-injection.rst).  Unlike
 * failslab it fails nothing outside the module, so a test can check that
 * every failing call returns ERROR_NOT_ENOUGH_MEMORY and leaves the table
 * consistent.  /sys/kernel/debug/rtm/injected counts the failures.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include "rtm.h"

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(rtm_fail_attr);

bool rtm_fail_alloc(void)
{
	if (!should_fail(&rtm_fail_attr, 1))
		return false;
	rtm_count(RTM_C_INJECTED, 1);
	return true;
}
#endif

void rtm_fault_init(struct dentry *dir)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail", dir, &rtm_fail_attr);
#endif
}
