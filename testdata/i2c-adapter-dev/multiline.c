// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: sites in statements spread over several lines. Continuation
 * lines aligned with a parenthesis that the rewrite moves follow it.
 */
#include <linux/i2c.h>
#include <linux/kobject.h>
#include <linux/of.h>

struct guava_i2c {
	struct device *dev;
	struct i2c_adapter adap;
};

static int guava_setup(struct guava_i2c *priv)
{
	struct i2c_adapter *adap = &priv->adap;
	int ret;

	adap->dev.of_node = of_get_child_by_name(priv->dev->of_node,
						 "i2c-bus");
	ret = i2c_add_adapter(adap);
	if (ret) {
		dev_err(priv->dev, "adapter %s failed: %d\n",
			dev_name(&priv->adap.dev), ret);
		return ret;
	}

	ret = sysfs_create_link(&priv->adap.dev.kobj,
				&priv->dev->kobj, "controller");
	if (ret)
		dev_warn(&adap->dev,
			 "no link to the controller (%d)\n", ret);

	return 0;
}
