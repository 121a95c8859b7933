// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: members of the adapter's device, read (`adap->dev.parent`), taken
 * by address (`&adap->dev.kobj`) and written when they are no configuration
 * with a setter (`adap->dev.groups`).
 */
#include <linux/i2c.h>
#include <linux/kobject.h>
#include <linux/of.h>

struct medlar_i2c {
	struct device *dev;
	struct device_node *np;
	struct i2c_adapter adap;
};

static const struct attribute_group *medlar_groups[] = {
	NULL
};

static bool medlar_is_child(struct i2c_adapter *adap, struct device *dev)
{
	return adap->dev.parent == dev;
}

static int medlar_link(struct medlar_i2c *priv)
{
	struct i2c_adapter *adap = &priv->adap;

	if (!priv->adap.dev.of_node)
		priv->np = NULL;
	else
		priv->np = of_node_get(adap->dev.of_node);

	return sysfs_create_link(&adap->dev.kobj, &priv->dev->kobj, "controller");
}

static void medlar_init(struct medlar_i2c *priv)
{
	priv->adap.dev.groups = medlar_groups;
}
