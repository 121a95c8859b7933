// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: receivers in parentheses, dereferenced or cast: `&(adap)->dev`,
 * `(&priv->adapter)->dev.parent`, `&(*adap).dev`, a cast from void *, the
 * embedded device itself in parentheses: `(adap->dev).of_node`.
 */
#include <linux/i2c.h>

struct lime_i2c {
	struct device *dev;
	struct i2c_adapter adapter;
};

static void lime_timeout(void *data)
{
	dev_warn(&((struct i2c_adapter *)data)->dev, "transfer timed out\n");
	if (((struct i2c_adapter *)data)->dev.parent)
		put_device(((struct i2c_adapter *)data)->dev.parent);
}

static void lime_report(struct i2c_adapter *adap)
{
	dev_info(&(adap)->dev, "bus %d\n", adap->nr);
	dev_dbg(&(*adap).dev, "timeout %d\n", adap->timeout);
	if ((adap->dev).of_node && (adap->dev).parent)
		(adap->dev).groups = NULL;
}

static void lime_setup(struct lime_i2c *priv)
{
	(&priv->adapter)->dev.parent = priv->dev;
	if (!(&priv->adapter)->dev.of_node)
		dev_dbg(priv->dev, "no OF node\n");
}
