// SPDX-License-Identifier: GPL-2.0
#include "gamma.h"

int gamma_i2c_register(struct gamma_dev *dev, int i)
{
	dev->i2c_adap[i].algo = &gamma_algo;
	dev->i2c_adap[i].dev.parent = dev->parent;
	dev_dbg(&dev->i2c_adap[i].dev, "adding\n");
	return i2c_add_adapter(&dev->i2c_adap[i]);
}
