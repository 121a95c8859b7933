// SPDX-License-Identifier: GPL-2.0
/*
 * Bit-banged I2C buses of the Dingo evaluation board.
 *
 * Synthetic example written for unembed: static adapters whose designated
 * initialisers configure the embedded device, registered in this file, the
 * way old board drivers do it.
 */

#include <linux/i2c.h>
#include <linux/i2c-algo-bit.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define DINGO_GPIO_BASE		((void __iomem *)0xfe000000)
#define DINGO_GPIO_OUT		0x00
#define DINGO_GPIO_IN		0x04
#define DINGO_SDA(bus)		BIT(2 * (bus))
#define DINGO_SCL(bus)		BIT(2 * (bus) + 1)

static struct platform_device dingo_board_device = {
	.name	= "dingo-board",
	.id	= -1,
};

static void dingo_set(unsigned long bus, u32 mask, int state)
{
	u32 val = readl(DINGO_GPIO_BASE + DINGO_GPIO_OUT);

	writel(state ? val | mask : val & ~mask, DINGO_GPIO_BASE + DINGO_GPIO_OUT);
}

static void dingo_setsda(void *data, int state)
{
	dingo_set((unsigned long)data, DINGO_SDA((unsigned long)data), state);
}

static void dingo_setscl(void *data, int state)
{
	dingo_set((unsigned long)data, DINGO_SCL((unsigned long)data), state);
}

static int dingo_getsda(void *data)
{
	return !!(readl(DINGO_GPIO_BASE + DINGO_GPIO_IN) & DINGO_SDA((unsigned long)data));
}

static int dingo_getscl(void *data)
{
	return !!(readl(DINGO_GPIO_BASE + DINGO_GPIO_IN) & DINGO_SCL((unsigned long)data));
}

static struct i2c_algo_bit_data dingo_bit_data = {
	.data		= (void *)0,
	.setsda		= dingo_setsda,
	.setscl		= dingo_setscl,
	.getsda		= dingo_getsda,
	.getscl		= dingo_getscl,
	.udelay		= 10,
	.timeout	= 100,
};

static struct i2c_algo_bit_data dingo_ddc_bit_data = {
	.data		= (void *)1,
	.setsda		= dingo_setsda,
	.setscl		= dingo_setscl,
	.getsda		= dingo_getsda,
	.getscl		= dingo_getscl,
	.udelay		= 40,
	.timeout	= 100,
};

static struct i2c_adapter dingo_adapter = {
	.owner		= THIS_MODULE,
	.class		= I2C_CLASS_HWMON,
	.algo_data	= &dingo_bit_data,
	.name		= "Dingo board I2C",
	.dev.parent	= &dingo_board_device.dev, /* site: initializer */
};

static struct i2c_adapter dingo_ddc_adapter = {
	.owner		= THIS_MODULE,
	.algo_data	= &dingo_ddc_bit_data,
	.name		= "Dingo board DDC",
	.nr		= 1,
	.dev = { /* site: initializer */
		.parent	= &dingo_board_device.dev,
	},
};

static int __init dingo_i2c_init(void)
{
	int ret;

	ret = platform_device_register(&dingo_board_device);
	if (ret)
		return ret;

	device_set_of_node_from_dev(&dingo_adapter.dev, &dingo_board_device.dev); /* site: config-before-register */
	ret = i2c_bit_add_bus(&dingo_adapter);
	if (ret)
		goto err_board;

	ret = i2c_bit_add_numbered_bus(&dingo_ddc_adapter);
	if (ret)
		goto err_main;

	dev_info(&dingo_ddc_adapter.dev, "DDC bus ready\n"); /* site: address-of */
	return 0;

err_main:
	i2c_del_adapter(&dingo_adapter);
err_board:
	platform_device_unregister(&dingo_board_device);
	return ret;
}
module_init(dingo_i2c_init);

static void __exit dingo_i2c_exit(void)
{
	i2c_del_adapter(&dingo_ddc_adapter);
	i2c_del_adapter(&dingo_adapter);
	platform_device_unregister(&dingo_board_device);
}
module_exit(dingo_i2c_exit);

MODULE_DESCRIPTION("Dingo board bit-banged I2C buses (unembed example)");
MODULE_LICENSE("GPL");
