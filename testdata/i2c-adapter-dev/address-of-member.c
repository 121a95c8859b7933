// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: `&priv->adap.dev` where the adapter is embedded in private data
 * or is a static object: the accessor takes the adapter's address.
 */
#include <linux/i2c.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>

struct quince_i2c {
	struct device *dev;
	int irq;
	struct i2c_adapter adap;
};

static struct i2c_adapter quince_legacy_adap;

static irqreturn_t quince_isr(int irq, void *dev_id)
{
	struct quince_i2c *priv = dev_id;

	dev_warn(&priv->adap.dev, "spurious interrupt %d\n", irq);

	return IRQ_HANDLED;
}

static int quince_register(struct quince_i2c *priv)
{
	int ret;

	ret = i2c_add_adapter(&priv->adap);
	if (ret)
		return ret;

	dev_info(priv->dev, "registered %s\n", dev_name(&priv->adap.dev));
	if (quince_legacy_adap.nr >= 0)
		dev_info(&quince_legacy_adap.dev, "legacy bus still present\n");

	return 0;
}
