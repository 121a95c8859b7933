// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: configuration written as a chained assignment (as in
 * flexcop-i2c.c) is not wrapped in a setter, which would take an assignment
 * as its argument: every link becomes a member write, flagged for phase two;
 * a value that starts on the next line joins the setter's line.
 */
#include <linux/i2c.h>
#include <linux/platform_device.h>

struct sorrel_i2c {
	struct device *dev;
	struct i2c_adapter adap[3];
};

static int sorrel_init(struct sorrel_i2c *priv)
{
	priv->adap[0].dev.parent =
		priv->adap[1].dev.parent =
		priv->adap[2].dev.parent = priv->dev;

	return i2c_add_adapter(&priv->adap[0]);
}

static int sorrel_probe(struct platform_device *pdev, struct sorrel_i2c *priv)
{
	priv->adap[1].dev.parent =
		&pdev->dev;

	return i2c_add_adapter(&priv->adap[1]);
}
