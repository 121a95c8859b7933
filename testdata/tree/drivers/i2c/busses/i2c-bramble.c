// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bramble I2C controller, described by device tree or ACPI.
 *
 * Synthetic example written for unembed: an adapter member named `adapter`,
 * firmware node set with device_set_node(), devm_i2c_add_adapter(), and
 * sysfs attributes attached to the adapter's own device.
 */

#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define BRAMBLE_CMD		0x00
#define BRAMBLE_STAT		0x04
#define BRAMBLE_ERRCNT		0x08

struct bramble_i2c {
	void __iomem *regs;
	u32 bus_freq;
	unsigned int errors;
	struct i2c_adapter adapter;
};

static ssize_t bus_freq_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct i2c_adapter *adap = container_of(dev, struct i2c_adapter, dev); /* site: conversion */
	struct bramble_i2c *priv = i2c_get_adapdata(adap);

	return sysfs_emit(buf, "%u\n", priv->bus_freq);
}
static DEVICE_ATTR_RO(bus_freq);

static ssize_t errors_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct bramble_i2c *priv = i2c_get_adapdata(to_i2c_adapter(dev)); /* site: conversion */

	return sysfs_emit(buf, "%u\n", priv->errors + readl(priv->regs + BRAMBLE_ERRCNT));
}
static DEVICE_ATTR_RO(errors);

static struct attribute *bramble_attrs[] = {
	&dev_attr_bus_freq.attr,
	&dev_attr_errors.attr,
	NULL
};

static const struct attribute_group bramble_group = {
	.attrs = bramble_attrs,
};

static const struct attribute_group *bramble_groups[] = {
	&bramble_group,
	NULL
};

static int bramble_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct bramble_i2c *priv = i2c_get_adapdata(adap);
	u32 stat;

	writel(msgs[0].addr, priv->regs + BRAMBLE_CMD);
	stat = readl(priv->regs + BRAMBLE_STAT);
	if (stat) {
		priv->errors++;
		dev_warn(&priv->adapter.dev, "bus error, status %#x\n", stat); /* site: address-of */
		return -EIO;
	}

	return num;
}

static u32 bramble_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C;
}

static const struct i2c_algorithm bramble_algo = {
	.xfer		= bramble_xfer,
	.functionality	= bramble_func,
};

static int bramble_probe(struct platform_device *pdev)
{
	struct bramble_i2c *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->regs))
		return PTR_ERR(priv->regs);

	if (of_property_read_u32(pdev->dev.of_node, "clock-frequency", &priv->bus_freq))
		priv->bus_freq = 100000;

	priv->adapter.owner = THIS_MODULE;
	priv->adapter.class = I2C_CLASS_DEPRECATED;
	priv->adapter.algo = &bramble_algo;
	priv->adapter.dev.parent = &pdev->dev; /* site: config-before-register */
	device_set_node(&priv->adapter.dev, dev_fwnode(&pdev->dev)); /* site: config-before-register */
	priv->adapter.dev.groups = bramble_groups; /* site: member-write */
	snprintf(priv->adapter.name, sizeof(priv->adapter.name), "bramble-i2c");
	i2c_set_adapdata(&priv->adapter, priv);

	ret = devm_i2c_add_adapter(&pdev->dev, &priv->adapter);
	if (ret)
		return ret;

	ret = sysfs_create_link(&priv->adapter.dev.kobj, &pdev->dev.kobj, "controller"); /* site: member-read */
	if (ret)
		dev_warn(&pdev->dev, "cannot link to the controller: %d\n", ret);

	if (!priv->adapter.dev.of_node) /* site: member-read */
		dev_info(&pdev->dev, "no device tree node, ACPI enumerated\n");

	platform_set_drvdata(pdev, priv);

	return 0;
}

static void bramble_remove(struct platform_device *pdev)
{
	struct bramble_i2c *priv = platform_get_drvdata(pdev);

	sysfs_remove_link(&priv->adapter.dev.kobj, "controller"); /* site: member-read */
}

static const struct of_device_id bramble_of_match[] = {
	{ .compatible = "bramble,i2c-v2" },
	{ }
};
MODULE_DEVICE_TABLE(of, bramble_of_match);

static struct platform_driver bramble_driver = {
	.probe = bramble_probe,
	.remove = bramble_remove,
	.driver = {
		.name = "bramble-i2c",
		.of_match_table = bramble_of_match,
	},
};
module_platform_driver(bramble_driver);

MODULE_DESCRIPTION("Bramble I2C controller driver (unembed example)");
MODULE_LICENSE("GPL v2");
