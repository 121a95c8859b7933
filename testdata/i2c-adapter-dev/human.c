// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: what is reported for a human and never rewritten: the device
 * used by value, its size and offset, and an initialiser of an adapter
 * that another file registers.
 */
#include <linux/i2c.h>
#include <linux/platform_device.h>

extern struct platform_device cherry_board_device;

/* registered by the board code, in another file */
struct i2c_adapter cherry_board_adap = {
	.name		= "Cherry board I2C",
	/* unembed: human */
	.dev.parent	= &cherry_board_device.dev,
};

static void cherry_snapshot(struct i2c_adapter *adap, struct device *saved)
{
	/* unembed: human */
	*saved = adap->dev;
}

static size_t cherry_sizes(void)
{
	size_t size;

	/* unembed: human */
	size = sizeof(cherry_board_adap.dev);
	/* unembed: human */
	size += offsetof(struct i2c_adapter, dev);

	return size;
}
