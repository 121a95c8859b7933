// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: comments inside and after the rewritten expressions are kept
 * where they are.
 */
#include <linux/i2c.h>
#include <linux/platform_device.h>

struct nashi_i2c {
	struct device *dev;
	struct i2c_adapter adap;
};

static int nashi_probe(struct platform_device *pdev)
{
	struct nashi_i2c *priv;
	struct i2c_adapter *adap;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	adap = &priv->adap;
	adap->dev.parent = /* the controller, not the port */ &pdev->dev;
	priv->adap.dev.of_node = pdev->dev.of_node;	/* NULL on ACPI systems */
	device_set_node(&adap->dev, /* prefer the firmware node */
			dev_fwnode(&pdev->dev));
	dev_dbg(&adap->dev /* not yet registered */, "set up\n");

	return i2c_add_adapter(adap);
}
