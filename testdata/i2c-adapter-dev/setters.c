// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: configuration of the adapter's device before registration goes
 * through the setters: parent, of_node, fwnode, device_set_node(),
 * ACPI_COMPANION_SET(), device_set_of_node_from_dev().
 */
#include <linux/acpi.h>
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

struct rowan_i2c {
	struct device *dev;
	struct i2c_adapter adap;
};

static void rowan_set_firmware_node(struct i2c_adapter *adap, struct device *dev)
{
	if (dev->of_node)
		adap->dev.of_node = of_node_get(dev->of_node);
	else if (ACPI_COMPANION(dev))
		ACPI_COMPANION_SET(&adap->dev, ACPI_COMPANION(dev));
	else
		adap->dev.fwnode = dev_fwnode(dev);
}

static int rowan_probe(struct platform_device *pdev)
{
	struct rowan_i2c *priv;
	struct i2c_adapter *adap;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->dev = &pdev->dev;
	adap = &priv->adap;
	adap->owner = THIS_MODULE;
	adap->dev.parent = &pdev->dev;
	rowan_set_firmware_node(adap, &pdev->dev);
	i2c_set_adapdata(adap, priv);

	return i2c_add_adapter(adap);
}

static int rowan_probe_child(struct rowan_i2c *priv, struct device *parent)
{
	priv->adap.dev.parent = parent;
	device_set_node(&priv->adap.dev, dev_fwnode(parent));

	return i2c_add_adapter(&priv->adap);
}

static int rowan_probe_sibling(struct rowan_i2c *priv, struct device *sibling)
{
	priv->adap.dev.parent = priv->dev;
	device_set_of_node_from_dev(&priv->adap.dev, sibling);

	return i2c_add_adapter(&priv->adap);
}
