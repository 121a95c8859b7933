/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic media driver: an array of adapters in kzalloc() data. */
#include <linux/i2c.h>

struct gamma_dev {
	struct device *parent;
	struct i2c_adapter i2c_adap[2];
};

int gamma_i2c_register(struct gamma_dev *dev, int i);
