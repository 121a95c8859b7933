/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/list.h>

struct mutex {
	long owner;
	struct list_head wait_list;
};

#define DEFINE_MUTEX(name) \
	struct mutex name = { .wait_list = LIST_HEAD_INIT(name.wait_list) }

void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

#endif /* _LINUX_MUTEX_H */
