// SPDX-License-Identifier: GPL-2.0
/*
 * Emberly I2C controller: the platform glue.
 *
 * Synthetic example written for unembed: the private struct comes from the
 * local header, the adapter's device is reached through its helper.
 */

#include <linux/acpi.h>
#include <linux/i2c.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "i2c-emberly.h"

static irqreturn_t emberly_isr(int irq, void *dev_id)
{
	struct emberly_i2c *i2c = dev_id;
	u32 stat = readl(i2c->base + EMBERLY_STATUS);

	if (!stat)
		return IRQ_NONE;

	i2c->cmd_err = stat & 0x2 ? -ENXIO : 0;
	complete(&i2c->cmd_complete);

	return IRQ_HANDLED;
}

static int emberly_plat_probe(struct platform_device *pdev)
{
	struct emberly_i2c *i2c;
	int ret;

	i2c = devm_kzalloc(&pdev->dev, sizeof(*i2c), GFP_KERNEL);
	if (!i2c)
		return -ENOMEM;

	i2c->dev = &pdev->dev;
	i2c->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(i2c->base))
		return PTR_ERR(i2c->base);

	if (of_property_read_u32(pdev->dev.of_node, "clock-frequency", &i2c->speed))
		i2c->speed = 400000;
	i2c->adapter.nr = pdev->id;

	i2c->irq = platform_get_irq(pdev, 0);
	if (i2c->irq < 0)
		return i2c->irq;

	ret = devm_request_irq(&pdev->dev, i2c->irq, emberly_isr, IRQF_SHARED,
			       dev_name(&pdev->dev), i2c);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, i2c);

	return emberly_i2c_probe(i2c);
}

static void emberly_plat_remove(struct platform_device *pdev)
{
	struct emberly_i2c *i2c = platform_get_drvdata(pdev);

	dev_dbg(emberly_adap_dev(i2c), "removing\n");
	emberly_i2c_remove(i2c);
}

static const struct of_device_id emberly_of_match[] = {
	{ .compatible = "emberly,i2c" },
	{ }
};
MODULE_DEVICE_TABLE(of, emberly_of_match);

static const struct acpi_device_id emberly_acpi_match[] = {
	{ "EMBR0001", 0 },
	{ }
};
MODULE_DEVICE_TABLE(acpi, emberly_acpi_match);

static struct platform_driver emberly_platform_driver = {
	.probe = emberly_plat_probe,
	.remove = emberly_plat_remove,
	.driver = {
		.name = "i2c-emberly",
		.of_match_table = emberly_of_match,
		.acpi_match_table = ACPI_PTR(emberly_acpi_match),
	},
};
module_platform_driver(emberly_platform_driver);

MODULE_DESCRIPTION("Emberly I2C controller platform driver (unembed example)");
MODULE_LICENSE("GPL");
