// SPDX-License-Identifier: GPL-2.0-only
/* Fixture for unembed's Coccinelle tests: the usual forms of an I2C bus driver. */
#include <linux/i2c.h>

struct foo_i2c {
	struct device *dev;
	void *base;
	struct i2c_adapter adap;
};

static struct i2c_adapter *foo_dev_to_adap(struct device *d)
{
	return container_of(d, struct i2c_adapter, dev);
}

static int foo_xfer(struct i2c_adapter *adap, int num)
{
	struct foo_i2c *priv = i2c_get_adapdata(adap);

	if (!num)
		dev_err(&adap->dev, "no messages (%d)\n", num);
	dev_dbg(priv->dev, "xfer\n");
	return num;
}

static void foo_client_hello(struct i2c_client *client)
{
	dev_info(&client->adapter->dev, "client at 0x%02x\n", client->addr);
	dev_info(&client->dev, "hello\n");
}

static int foo_probe(struct platform_device *pdev)
{
	struct foo_i2c *priv;
	struct i2c_adapter *adap;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = &pdev->dev;

	adap = &priv->adap;
	adap->nr = pdev->id;
	adap->dev.parent = &pdev->dev;
	adap->dev.of_node = pdev->dev.of_node;
	device_set_node(&adap->dev,
			dev_fwnode(&pdev->dev));
	ACPI_COMPANION_SET(&adap->dev, ACPI_COMPANION(&pdev->dev));
	i2c_set_adapdata(adap, priv);

	ret = i2c_add_adapter(adap);
	if (ret)
		return ret;

	dev_info(&priv->adap.dev, "registered as %s\n", dev_name(&adap->dev));
	if (priv->adap.dev.of_node)
		pm_runtime_enable(&pdev->dev);
	sysfs_create_link(&adap->dev.kobj, &pdev->dev.kobj, "foo");
	return 0;
}

static void foo_lvalue_setup(struct foo_i2c *priv, struct device *parent)
{
	priv->adap.dev.parent = parent;
	device_set_of_node_from_dev(&priv->adap.dev, parent);
}
