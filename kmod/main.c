// SPDX-License-Identifier: GPL-2.0
/*
 * rtm: the RTMv2 routing table manager, in the kernel.
 *
 * /dev/rtm is a misc device; each open file is one registration (struct
 * rtm_reg).  This file holds the module parameters, the file operations,
 * the ioctl dispatch and the module-wide counters.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/poll.h>
#include <linux/nsproxy.h>
#include <net/net_namespace.h>
#include "rtm.h"

unsigned int rtm_max_nexthops = 8;
module_param_named(max_nexthops, rtm_max_nexthops, uint, 0444);
MODULE_PARM_DESC(max_nexthops, "MaxNextHopsInRoute of the profile (1-32)");

unsigned int rtm_max_enum = 64;
module_param_named(max_enum, rtm_max_enum, uint, 0444);
MODULE_PARM_DESC(max_enum, "MaxHandlesInEnum of the profile (1-1024)");

unsigned int rtm_max_refs = 1 << 20;
module_param_named(max_refs, rtm_max_refs, uint, 0444);
MODULE_PARM_DESC(max_refs, "references one registration may hold");

unsigned int rtm_max_enums = 256;
module_param_named(max_enums, rtm_max_enums, uint, 0444);
MODULE_PARM_DESC(max_enums, "open enumerations per registration");

unsigned int rtm_max_entities = 1024;
module_param_named(max_entities, rtm_max_entities, uint, 0444);
MODULE_PARM_DESC(max_entities, "registrations per table");

unsigned int rtm_opaque_slots = 8;
module_param_named(opaque_slots, rtm_opaque_slots, uint, 0444);
MODULE_PARM_DESC(opaque_slots, "opaque pointer slots per table (0-32)");

unsigned int rtm_default_preference = 100;
module_param_named(default_preference, rtm_default_preference, uint, 0444);
MODULE_PARM_DESC(default_preference,
		 "preference of a route added with Preference 0 whose protocol has no entry in protocol_preference");

unsigned int rtm_max_events = 4096;
module_param_named(max_events, rtm_max_events, uint, 0444);
MODULE_PARM_DESC(max_events, "queued entity events per registration");

unsigned int rtm_max_hold_ms = 300000;
module_param_named(max_hold_ms, rtm_max_hold_ms, uint, 0444);
MODULE_PARM_DESC(max_hold_ms, "cap of RtmHoldDestination's HoldTime (ms)");

unsigned int rtm_method_timeout_ms = 5000;
module_param_named(method_timeout_ms, rtm_method_timeout_ms, uint, 0444);
MODULE_PARM_DESC(method_timeout_ms,
		 "default wait for a method call into another process (ms)");

/* Pairs "protocol id, preference": the policy table of spec 2.7. */
static unsigned int rtm_proto_pref[64];
static int rtm_proto_pref_n;
module_param_array_named(protocol_preference, rtm_proto_pref, uint,
			 &rtm_proto_pref_n, 0444);
MODULE_PARM_DESC(protocol_preference,
		 "protocol,preference,... defaults for routes added with Preference 0");

u32 rtm_protocol_preference(u32 protocol)
{
	int i;

	for (i = 0; i + 1 < rtm_proto_pref_n; i += 2)
		if (rtm_proto_pref[i] == protocol)
			return rtm_proto_pref[i + 1];
	return rtm_default_preference;
}

DEFINE_PER_CPU(struct rtm_counters, rtm_counters);

s64 rtm_counter_read(enum rtm_counter c)
{
	s64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(rtm_counters, cpu).c[c];
	return sum;
}

struct workqueue_struct *rtm_wq;

static int rtm_open(struct inode *inode, struct file *file)
{
	struct rtm_reg *reg = rtm_kzalloc(sizeof(*reg));

	if (!reg)
		return -ENOMEM;
	init_rwsem(&reg->sem);
	rtm_refs_init(&reg->refs);
	mutex_init(&reg->enum_lock);
	INIT_LIST_HEAD(&reg->enums);
	INIT_LIST_HEAD(&reg->notifies);
	INIT_LIST_HEAD(&reg->locks);
	INIT_LIST_HEAD(&reg->lists);
	refcount_set(&reg->ref, 1);
	rtm_events_init(reg);
	rtm_methods_init(reg);
	reg->net = get_net(current->nsproxy->net_ns);
	file->private_data = reg;
	return nonseekable_open(inode, file);
}

/* Closing the file, or the death of its process, deregisters. */
static int rtm_release(struct inode *inode, struct file *file)
{
	struct rtm_reg *reg = file->private_data;

	rtm_reg_teardown(reg);
	rtm_reg_put(reg);
	return 0;
}

/* The file's reference, and those of callers waiting on its methods. */
void rtm_reg_put(struct rtm_reg *reg)
{
	if (!refcount_dec_and_test(&reg->ref))
		return;
	/* Teardown dropped every booked reference. */
	WARN_ON_ONCE(reg->refs.tab);
	put_net(reg->net);
	mutex_destroy(&reg->enum_lock);
	kfree(reg);
}

static long rtm_stats(void __user *arg)
{
	struct rtm_stats st = {
		.tables = rtm_counter_read(RTM_C_TABLES),
		.registrations = rtm_counter_read(RTM_C_REGS),
		.entities = rtm_counter_read(RTM_C_ENTITIES),
		.dests = rtm_counter_read(RTM_C_DESTS),
		.routes = rtm_counter_read(RTM_C_ROUTES),
		.nexthops = rtm_counter_read(RTM_C_NEXTHOPS),
		.enums = rtm_counter_read(RTM_C_ENUMS),
		.handle_refs = rtm_counter_read(RTM_C_REFS),
		.injected = rtm_counter_read(RTM_C_INJECTED),
	};

	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long rtm_version(void __user *arg)
{
	struct rtm_version v = {
		.major = RTM_ABI_MAJOR,
		.minor = RTM_ABI_MINOR,
		.features = 0,
	};

	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

typedef long (*rtm_handler)(struct rtm_reg *reg, void __user *arg);

/* Commands that need a registered file; the number encodes the size. */
static const struct {
	unsigned int cmd;
	rtm_handler fn;
} rtm_cmds[] = {
	{ RTM_IOC_GET_ENTITIES,		rtm_ioc_get_entities },
	{ RTM_IOC_ENTITY_INFO,		rtm_ioc_entity_info },
	{ RTM_IOC_RELEASE,		rtm_ioc_release },
	{ RTM_IOC_REFERENCE,		rtm_ioc_reference },
	{ RTM_IOC_ADD_NEXTHOP,		rtm_ioc_add_nexthop },
	{ RTM_IOC_FIND_NEXTHOP,		rtm_ioc_find_nexthop },
	{ RTM_IOC_DELETE_NEXTHOP,	rtm_ioc_delete_nexthop },
	{ RTM_IOC_NEXTHOP_INFO,		rtm_ioc_nexthop_info },
	{ RTM_IOC_ADD_ROUTE,		rtm_ioc_add_route },
	{ RTM_IOC_DELETE_ROUTE,		rtm_ioc_delete_route },
	{ RTM_IOC_ROUTE_INFO,		rtm_ioc_route_info },
	{ RTM_IOC_IS_BEST,		rtm_ioc_is_best },
	{ RTM_IOC_DEST_QUERY,		rtm_ioc_dest_query },
	{ RTM_IOC_ROUTE_MATCH,		rtm_ioc_route_match },
	{ RTM_IOC_ENUM_CREATE,		rtm_ioc_enum_create },
	{ RTM_IOC_ENUM_GET,		rtm_ioc_enum_get },
	{ RTM_IOC_ENUM_DELETE,		rtm_ioc_enum_delete },
	{ RTM_IOC_NOTIFY_REGISTER,	rtm_ioc_notify_register },
	{ RTM_IOC_NOTIFY_OP,		rtm_ioc_notify_op },
	{ RTM_IOC_NOTIFY_GET,		rtm_ioc_notify_get },
	{ RTM_IOC_HOLD_DEST,		rtm_ioc_hold_dest },
	{ RTM_IOC_EXPIRE_DONE,		rtm_ioc_expire_done },
	{ RTM_IOC_LOCK,			rtm_ioc_lock },
	{ RTM_IOC_PEEK,			rtm_ioc_peek },
	{ RTM_IOC_UPDATE_ROUTE,		rtm_ioc_update_route },
	{ RTM_IOC_OPAQUE,		rtm_ioc_opaque },
	{ RTM_IOC_ROUTE_LIST,		rtm_ioc_route_list },
	{ RTM_IOC_GET_METHODS,		rtm_ioc_get_methods },
	{ RTM_IOC_INVOKE,		rtm_ioc_invoke },
	{ RTM_IOC_METHOD_INPUT,		rtm_ioc_method_input },
	{ RTM_IOC_METHOD_REPLY,		rtm_ioc_method_reply },
	{ RTM_IOC_BLOCK_METHODS,	rtm_ioc_block_methods },
	{ RTM_IOC_ADD_ROUTES,		rtm_ioc_add_routes },
	{ RTM_IOC_DELETE_ROUTES,	rtm_ioc_delete_routes },
};

/*
 * A command changes the table before it writes its reply.  Check first
 * that the argument can be read and written back, so that an argument in
 * read-only or unmapped memory fails with -EFAULT and changes nothing.
 */
static long rtm_probe_arg(unsigned int cmd, void __user *argp)
{
	u8 buf[192];
	size_t size = _IOC_SIZE(cmd);

	BUILD_BUG_ON(sizeof(struct rtm_dest_query) > sizeof(buf));
	BUILD_BUG_ON(sizeof(struct rtm_enum_create) > sizeof(buf));
	BUILD_BUG_ON(sizeof(struct rtm_add_route) > sizeof(buf));
	if (!(_IOC_DIR(cmd) & _IOC_READ) || WARN_ON_ONCE(size > sizeof(buf)))
		return 0;
	if (copy_from_user(buf, argp, size) || copy_to_user(argp, buf, size))
		return -EFAULT;
	return 0;
}

static long rtm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct rtm_reg *reg = file->private_data;
	void __user *argp = (void __user *)arg;
	unsigned int i;
	long ret;

	switch (cmd) {
	case RTM_IOC_VERSION:
		return rtm_version(argp);
	case RTM_IOC_STATS:
		return rtm_stats(argp);
	case RTM_IOC_REGISTER:
		down_write(&reg->sem);
		if (reg->entity || reg->dead)
			ret = -EALREADY;
		else
			ret = rtm_ioc_register(reg, argp);
		up_write(&reg->sem);
		return ret;
	case RTM_IOC_DEREGISTER:
		down_write(&reg->sem);
		if (!reg->entity || reg->dead) {
			ret = -EBADFD;
		} else {
			rtm_reg_teardown(reg);
			ret = 0;
		}
		up_write(&reg->sem);
		return ret;
	}
	for (i = 0; i < ARRAY_SIZE(rtm_cmds); i++)
		if (rtm_cmds[i].cmd == cmd)
			break;
	if (i == ARRAY_SIZE(rtm_cmds))
		return -ENOTTY;
	ret = rtm_probe_arg(cmd, argp);
	if (ret)
		return ret;
	down_read(&reg->sem);
	if (!reg->entity || reg->dead)
		ret = -EBADFD;
	else
		ret = rtm_cmds[i].fn(reg, argp);
	up_read(&reg->sem);
	return ret;
}

static ssize_t rtm_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	return rtm_events_read(file->private_data, buf, len,
			       file->f_flags & O_NONBLOCK);
}

static __poll_t rtm_poll(struct file *file, poll_table *wait)
{
	return rtm_events_poll(file->private_data, file, wait);
}

static const struct file_operations rtm_fops = {
	.owner		= THIS_MODULE,
	.open		= rtm_open,
	.release	= rtm_release,
	.read		= rtm_read,
	.poll		= rtm_poll,
	.unlocked_ioctl	= rtm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= no_llseek,
};

static struct miscdevice rtm_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= RTM_DEVICE_NAME,
	.fops	= &rtm_fops,
	.mode	= 0666,
};

static struct dentry *rtm_debugfs;

static int rtm_stats_show(struct seq_file *m, void *v)
{
	static const char * const names[RTM_C_MAX] = {
		"tables", "registrations", "entities", "dests", "routes",
		"nexthops", "enums", "handle_refs", "injected",
	};
	int i;

	for (i = 0; i < RTM_C_INJECTED; i++)
		seq_printf(m, "%s %lld\n", names[i],
			   rtm_counter_read(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rtm_stats);

static int rtm_injected_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lld\n", rtm_counter_read(RTM_C_INJECTED));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rtm_injected);

static int __init rtm_init(void)
{
	int ret;

	if (!rtm_max_nexthops || rtm_max_nexthops > RTM_MAX_NEXTHOPS_LIMIT ||
	    !rtm_max_enum || rtm_max_enum > RTM_MAX_BATCH ||
	    rtm_opaque_slots > RTM_MAX_OPAQUE_SLOTS || !rtm_max_entities ||
	    rtm_max_entities > RTM_MAX_BATCH || !rtm_max_refs ||
	    (rtm_proto_pref_n & 1)) {
		pr_err("rtm: invalid module parameters\n");
		return -EINVAL;
	}
	ret = rtm_caches_init();
	if (ret)
		return ret;
	ret = -ENOMEM;
	rtm_wq = alloc_workqueue("rtm", 0, 0);
	if (!rtm_wq)
		goto out_caches;
	ret = misc_register(&rtm_misc);
	if (ret)
		goto out_wq;
	rtm_debugfs = debugfs_create_dir("rtm", NULL);
	debugfs_create_file("stats", 0444, rtm_debugfs, NULL, &rtm_stats_fops);
	debugfs_create_file("injected", 0444, rtm_debugfs, NULL,
			    &rtm_injected_fops);
	rtm_fault_init(rtm_debugfs);
	rtm_check_init(rtm_debugfs);
	return 0;
out_wq:
	destroy_workqueue(rtm_wq);
out_caches:
	rtm_caches_exit();
	return ret;
}

static void __exit rtm_exit(void)
{
	debugfs_remove_recursive(rtm_debugfs);
	misc_deregister(&rtm_misc);
	rtm_tables_exit();
	destroy_workqueue(rtm_wq);
	/* Objects are freed after a grace period: wait for all of them. */
	rcu_barrier();
	rtm_handles_exit();
	rtm_caches_exit();
}

module_init(rtm_init);
module_exit(rtm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RTMv2 routing table manager behind /dev/rtm");
