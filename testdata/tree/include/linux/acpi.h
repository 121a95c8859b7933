/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_ACPI_H
#define _LINUX_ACPI_H

#include <linux/device.h>

struct acpi_device {
	int device_type;
	struct fwnode_handle fwnode;
	struct device dev;
};

struct acpi_device_id {
	u8 id[16];
	unsigned long driver_data;
};

struct acpi_device *to_acpi_device_node(const struct fwnode_handle *fwnode);
void set_primary_fwnode(struct device *dev, struct fwnode_handle *fwnode);

#define ACPI_COMPANION(dev)		to_acpi_device_node((dev)->fwnode)
#define ACPI_COMPANION_SET(dev, adev)	set_primary_fwnode(dev, (adev) ? \
					&((struct acpi_device *)(adev))->fwnode : NULL)
#define ACPI_PTR(_ptr)			(_ptr)

#endif /* _LINUX_ACPI_H */
