// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: sites in the branches of a conditional expression, and a
 * conditional expression as the receiver.
 */
#include <linux/i2c.h>

struct yuzu_i2c {
	bool use_aux;
	struct i2c_adapter main;
	struct i2c_adapter aux;
};

static void yuzu_report(struct yuzu_i2c *priv, int err)
{
	dev_err(priv->use_aux ? &priv->aux.dev : &priv->main.dev,
		"transfer error %d\n", err);
}

static struct device *yuzu_active_dev(struct yuzu_i2c *priv)
{
	return &(priv->use_aux ? &priv->aux : &priv->main)->dev;
}
