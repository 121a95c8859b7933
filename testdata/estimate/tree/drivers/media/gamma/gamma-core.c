// SPDX-License-Identifier: GPL-2.0
#include "gamma.h"

static int gamma_probe(struct device *parent)
{
	struct gamma_dev *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	dev->parent = parent;
	return gamma_i2c_register(dev, 0);
}
