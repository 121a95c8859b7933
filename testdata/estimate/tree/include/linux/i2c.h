/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in for the estimate tests: the helpers exist already, so no header patch. */
#ifndef _LINUX_I2C_H
#define _LINUX_I2C_H

struct device {
	struct device *parent;
	void *of_node;
};

struct i2c_adapter {
	const void *algo;
	struct device dev;
};

#define i2c_adapter_dev(adap) (&(adap)->dev)
#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)
#define i2c_adapter_set_parent(adap, p) ((adap)->dev.parent = (p))
#define i2c_adapter_set_of_node(adap, n) ((adap)->dev.of_node = (n))
#define i2c_adapter_set_fwnode(adap, n) do { } while (0)
#define i2c_adapter_set_node(adap, n) do { } while (0)
#define i2c_adapter_set_acpi_companion(adap, a) do { } while (0)
#define i2c_adapter_set_of_node_from_dev(adap, d) do { } while (0)
#define i2c_adapter_use_parent_companion(adap) do { } while (0)
#define i2c_adapter_parent(adap) ((adap)->dev.parent)

int i2c_add_adapter(struct i2c_adapter *adap);

#endif
