// SPDX-License-Identifier: GPL-2.0-only
/* Fixture for unembed's Coccinelle tests: reads and writes of the adapter's parent. */
#include <linux/i2c.h>

struct quince_i2c {
	struct i2c_adapter adap;
	struct i2c_adapter aux[2];
	struct device **slot;
};

static int quince_init(struct i2c_adapter *adap, struct device *dev)
{
	dev_err(adap->dev.parent, "no registers\n");
	if (adap->dev.parent->of_node == dev->of_node)
		return 1;
	return adap->dev.parent == dev;
}

static void quince_reparent(struct quince_i2c *q, struct device *parent)
{
	*q->slot = q->aux[0].dev.parent;
	q->slot = &q->aux[1].dev.parent;
	q->adap.dev.parent = parent;
	dev_info(q->adap.dev.parent, "parent %s\n", dev_name(q->aux[1].dev.parent));
}

static void quince_client(struct i2c_client *client)
{
	dev_dbg(client->adapter->dev.parent, "client at 0x%02x\n", client->addr);
	dev_dbg(client->dev.parent, "hello\n");
}
