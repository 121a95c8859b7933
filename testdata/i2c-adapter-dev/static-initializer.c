// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: static adapters configured by designated initialisers and
 * registered in this file: the designator goes, the setter is called just
 * before the registration.
 */
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static struct platform_device banana_pdev = {
	.name	= "banana-board",
	.id	= -1,
};

static int banana_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	return num;
}

static const struct i2c_algorithm banana_algo = {
	.xfer	= banana_xfer,
};

static struct i2c_adapter banana_adap = {
	.owner		= THIS_MODULE,
	.algo		= &banana_algo,
	.name		= "Banana board I2C",
	.dev.parent	= &banana_pdev.dev,
};

static struct i2c_adapter banana_ddc = {
	.owner		= THIS_MODULE,
	.algo		= &banana_algo,
	.name		= "Banana board DDC",
	.dev = {
		.parent	= &banana_pdev.dev,
	},
};

static int __init banana_init(void)
{
	int ret;

	ret = platform_device_register(&banana_pdev);
	if (ret)
		return ret;

	ret = i2c_add_adapter(&banana_adap);
	if (ret)
		goto err_pdev;

	ret = i2c_add_adapter(&banana_ddc);
	if (ret)
		goto err_adap;

	return 0;

err_adap:
	i2c_del_adapter(&banana_adap);
err_pdev:
	platform_device_unregister(&banana_pdev);
	return ret;
}
module_init(banana_init);
