/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_FWNODE_H
#define _LINUX_FWNODE_H

#include <linux/types.h>

struct fwnode_operations;

struct fwnode_handle {
	struct fwnode_handle *secondary;
	const struct fwnode_operations *ops;
	u8 flags;
};

#endif /* _LINUX_FWNODE_H */
