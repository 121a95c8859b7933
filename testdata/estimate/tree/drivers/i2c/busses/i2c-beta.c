// SPDX-License-Identifier: GPL-2.0
/* Synthetic driver: a static adapter. */
#include <linux/i2c.h>

static struct i2c_adapter beta_adapter = {
	.algo = &beta_algo,
};

static ssize_t beta_show(struct device *dev, char *buf)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);

	return sprintf(buf, "%p\n", adap);
}

static int beta_probe(struct platform_device *pdev)
{
	struct device copy = beta_adapter.dev;

	beta_adapter.dev.parent = &pdev->dev;
	return i2c_add_adapter(&beta_adapter);
}
