// SPDX-License-Identifier: GPL-2.0
/*
 * Corvid four-channel I2C controller.
 *
 * Synthetic example written for unembed: an array of adapters in the
 * private data, numbered adapters, a lock annotation on a helper.
 */

#include <linux/delay.h>
#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#define CORVID_NR_BUSES		4
#define CORVID_CHAN_BASE(ch)	((ch) * 0x40)
#define CORVID_CHAN_CTRL	0x00
#define CORVID_CHAN_STATUS	0x04
#define CORVID_STATUS_BUSY	BIT(0)

struct corvid_i2c {
	struct device *dev;
	void __iomem *base;
	struct mutex lock;
	unsigned int nr_buses;
	struct i2c_adapter adap[CORVID_NR_BUSES];
};

static int corvid_wait_idle(struct corvid_i2c *priv, unsigned int ch)
	__must_hold(&priv->lock)
{
	void __iomem *reg = priv->base + CORVID_CHAN_BASE(ch) + CORVID_CHAN_STATUS;
	int tries = 100;

	while (readl(reg) & CORVID_STATUS_BUSY) {
		if (!--tries) {
			dev_err(&priv->adap[ch].dev, "bus stuck busy\n"); /* site: address-of */
			return -ETIMEDOUT;
		}
		udelay(10);
	}

	return 0;
}

static int corvid_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct corvid_i2c *priv = i2c_get_adapdata(adap);
	unsigned int ch = adap - priv->adap;
	int ret;

	mutex_lock(&priv->lock);
	ret = corvid_wait_idle(priv, ch);
	if (!ret)
		writel(msgs[0].addr, priv->base + CORVID_CHAN_BASE(ch) + CORVID_CHAN_CTRL);
	mutex_unlock(&priv->lock);

	return ret ? ret : num;
}

static u32 corvid_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm corvid_algo = {
	.xfer		= corvid_xfer,
	.functionality	= corvid_func,
};

static int corvid_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct corvid_i2c *priv;
	unsigned int i;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->dev = dev;
	mutex_init(&priv->lock);
	priv->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->base))
		return PTR_ERR(priv->base);

	if (of_property_read_u32(dev->of_node, "corvid,nr-buses", &priv->nr_buses))
		priv->nr_buses = CORVID_NR_BUSES;
	priv->nr_buses = min(priv->nr_buses, CORVID_NR_BUSES);

	for (i = 0; i < priv->nr_buses; i++) {
		struct i2c_adapter *adap = &priv->adap[i];

		adap->owner = THIS_MODULE;
		adap->algo = &corvid_algo;
		adap->nr = pdev->id < 0 ? -1 : pdev->id * CORVID_NR_BUSES + i;
		priv->adap[i].dev.parent = dev; /* site: config-before-register */
		priv->adap[i].dev.of_node = dev->of_node; /* site: config-before-register */
		snprintf(adap->name, sizeof(adap->name), "Corvid I2C channel %u", i);
		i2c_set_adapdata(adap, priv);

		ret = i2c_add_numbered_adapter(adap);
		if (ret) {
			dev_err(dev, "failed to add channel %u: %d\n", i, ret);
			goto err_del;
		}
		dev_dbg(&adap->dev, "channel %u ready\n", i); /* site: address-of */
	}

	platform_set_drvdata(pdev, priv);

	return 0;

err_del:
	while (i--)
		i2c_del_adapter(&priv->adap[i]);
	return ret;
}

static void corvid_remove(struct platform_device *pdev)
{
	struct corvid_i2c *priv = platform_get_drvdata(pdev);
	unsigned int i;

	for (i = 0; i < priv->nr_buses; i++)
		i2c_del_adapter(&priv->adap[i]);
}

static const struct of_device_id corvid_of_match[] = {
	{ .compatible = "corvid,quad-i2c" },
	{ }
};
MODULE_DEVICE_TABLE(of, corvid_of_match);

static struct platform_driver corvid_driver = {
	.probe = corvid_probe,
	.remove = corvid_remove,
	.driver = {
		.name = "corvid-i2c",
		.of_match_table = corvid_of_match,
	},
};
module_platform_driver(corvid_driver);

MODULE_DESCRIPTION("Corvid quad I2C controller driver (unembed example)");
MODULE_LICENSE("GPL");
