// SPDX-License-Identifier: GPL-2.0
/* Synthetic driver: the adapter embedded in devm_kzalloc() data. */
#include <linux/i2c.h>

struct alpha_i2c {
	void *base;
	struct i2c_adapter adap;
};

static struct alpha_i2c *to_alpha(struct i2c_adapter *a)
{
	return container_of(a, struct alpha_i2c, adap);
}

static int alpha_probe(struct device *dev)
{
	struct alpha_i2c *priv;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	priv->adap.algo = &alpha_algo;
	priv->adap.dev.parent = dev;
	i2c_set_adapdata(&priv->adap, priv);
	dev_info(&priv->adap.dev, "probed\n");
	return i2c_add_adapter(&priv->adap);
}
