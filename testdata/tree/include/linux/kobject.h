/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_KOBJECT_H
#define _LINUX_KOBJECT_H

#include <linux/types.h>

struct kobject {
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	unsigned int state_in_sysfs:1;
};

int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name);
void sysfs_remove_link(struct kobject *kobj, const char *name);

#endif /* _LINUX_KOBJECT_H */
