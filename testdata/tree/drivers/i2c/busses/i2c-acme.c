// SPDX-License-Identifier: GPL-2.0
/*
 * I2C controller driver for the (made-up) Acme SoC family.
 *
 * Synthetic example written for unembed: the usual shape of a bus driver
 * whose adapter is embedded in devm_kzalloc()'d private data.
 */

#include <linux/acpi.h>
#include <linux/clk.h>
#include <linux/completion.h>
#include <linux/i2c.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#define ACME_I2C_CTRL		0x00
#define ACME_I2C_STATUS		0x04
#define ACME_I2C_DATA		0x08
#define ACME_I2C_ADDR		0x0c

#define ACME_CTRL_EN		BIT(0)
#define ACME_CTRL_START		BIT(1)
#define ACME_CTRL_STOP		BIT(2)
#define ACME_STATUS_DONE	BIT(0)
#define ACME_STATUS_NAK		BIT(1)

struct acme_i2c {
	struct device *dev;
	void __iomem *base;
	struct clk *clk;
	int irq;
	struct completion done;
	u32 status;
	struct i2c_adapter adap;
};

static irqreturn_t acme_i2c_isr(int irq, void *dev_id)
{
	struct acme_i2c *i2c = dev_id;

	i2c->status = readl(i2c->base + ACME_I2C_STATUS);
	if (!(i2c->status & ACME_STATUS_DONE))
		return IRQ_NONE;

	writel(i2c->status, i2c->base + ACME_I2C_STATUS);
	complete(&i2c->done);

	return IRQ_HANDLED;
}

static int acme_i2c_xfer_msg(struct acme_i2c *i2c, struct i2c_msg *msg)
{
	unsigned long left;

	reinit_completion(&i2c->done);
	writel(msg->addr << 1 | (msg->flags & I2C_M_RD), i2c->base + ACME_I2C_ADDR);
	writel(ACME_CTRL_EN | ACME_CTRL_START, i2c->base + ACME_I2C_CTRL);

	left = wait_for_completion_timeout(&i2c->done, i2c->adap.timeout);
	if (!left) {
		dev_err(&i2c->adap.dev, "transfer to 0x%02x timed out\n", msg->addr); /* site: address-of */
		return -ETIMEDOUT;
	}
	if (i2c->status & ACME_STATUS_NAK)
		return -ENXIO;

	return 0;
}

static int acme_i2c_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct acme_i2c *i2c = i2c_get_adapdata(adap);
	int i, ret = 0;

	for (i = 0; i < num; i++) {
		ret = acme_i2c_xfer_msg(i2c, &msgs[i]);
		if (ret) {
			dev_dbg(&adap->dev, "message %d of %d failed: %d\n", i, num, ret); /* site: address-of */
			break;
		}
	}
	writel(ACME_CTRL_EN | ACME_CTRL_STOP, i2c->base + ACME_I2C_CTRL);

	return ret ? ret : num;
}

static u32 acme_i2c_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm acme_i2c_algo = {
	.xfer		= acme_i2c_xfer,
	.functionality	= acme_i2c_func,
};

static int acme_i2c_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct acme_i2c *i2c;
	struct i2c_adapter *adap;
	int ret;

	i2c = devm_kzalloc(dev, sizeof(*i2c), GFP_KERNEL);
	if (!i2c)
		return -ENOMEM;

	i2c->dev = dev;
	i2c->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(i2c->base))
		return PTR_ERR(i2c->base);

	i2c->clk = devm_clk_get_enabled(dev, NULL);
	if (IS_ERR(i2c->clk))
		return dev_err_probe(dev, PTR_ERR(i2c->clk), "cannot get clock\n");

	i2c->irq = platform_get_irq(pdev, 0);
	if (i2c->irq < 0)
		return i2c->irq;

	init_completion(&i2c->done);
	ret = devm_request_irq(dev, i2c->irq, acme_i2c_isr, 0, pdev->name, i2c);
	if (ret)
		return ret;

	adap = &i2c->adap;
	adap->owner = THIS_MODULE;
	adap->algo = &acme_i2c_algo;
	adap->timeout = 100;
	adap->dev.parent = dev; /* site: config-before-register */
	adap->dev.of_node = dev->of_node; /* site: config-before-register */
	ACPI_COMPANION_SET(&adap->dev, ACPI_COMPANION(dev)); /* site: config-before-register */
	snprintf(adap->name, sizeof(adap->name), "Acme I2C at %p", i2c->base);
	i2c_set_adapdata(adap, i2c);

	ret = i2c_add_adapter(adap);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, i2c);
	dev_info(dev, "registered as %s\n", dev_name(&adap->dev)); /* site: address-of */

	return 0;
}

static void acme_i2c_remove(struct platform_device *pdev)
{
	struct acme_i2c *i2c = platform_get_drvdata(pdev);

	i2c_del_adapter(&i2c->adap);
	writel(0, i2c->base + ACME_I2C_CTRL);
}

static const struct of_device_id acme_i2c_of_match[] = {
	{ .compatible = "acme,soc-i2c" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_i2c_of_match);

static struct platform_driver acme_i2c_driver = {
	.probe = acme_i2c_probe,
	.remove = acme_i2c_remove,
	.driver = {
		.name = "acme-i2c",
		.of_match_table = acme_i2c_of_match,
	},
};
module_platform_driver(acme_i2c_driver);

MODULE_DESCRIPTION("Acme SoC I2C controller driver (unembed example)");
MODULE_LICENSE("GPL");
