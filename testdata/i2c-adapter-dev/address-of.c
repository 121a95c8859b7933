// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: `&adap->dev` through a pointer to the adapter, as printk and
 * driver-model calls take it, also reached through client->adapter.
 */
#include <linux/i2c.h>
#include <linux/platform_device.h>

struct plum_i2c {
	void __iomem *base;
	struct i2c_adapter *adap;
};

static int plum_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	if (num > 2) {
		dev_err(&adap->dev, "%d messages, at most 2 supported\n", num);
		return -EOPNOTSUPP;
	}
	dev_dbg(&adap->dev, "%s: 0x%x\n", dev_name(&adap->dev), msgs->addr);

	return num;
}

static void plum_report(struct plum_i2c *plum)
{
	struct device *d = &plum->adap->dev;

	if (get_device(&plum->adap->dev)) {
		dev_info(d, "still referenced\n");
		put_device(&plum->adap->dev);
	}
}

static void plum_client_hello(struct i2c_client *client)
{
	dev_info(&client->adapter->dev, "client at 0x%02x\n", client->addr);
}
