// SPDX-License-Identifier: GPL-2.0
/*
 * Hoopoe ambient sensor, an I2C client device with a mains adapter monitor.
 *
 * Synthetic example written for unembed: a client driver that reaches its
 * bus adapter's device through client->adapter, next to accesses that only
 * look alike (its own struct with a member named `adapter`, a platform
 * device's `dev`), which are not sites.
 */

#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#define HOOPOE_REG_ID		0x00
#define HOOPOE_REG_LUX		0x02
#define HOOPOE_REG_PWR		0x04
#define HOOPOE_ID		0x5a

/* the mains adapter the sensor board is powered from: not an I2C adapter */
struct hoopoe_adapter {
	struct device dev;
	bool online;
	unsigned int millivolts;
};

struct hoopoe {
	struct i2c_client *client;
	struct hoopoe_adapter *adapter;
	struct platform_device *leds;
	struct device *dev;
};

static void hoopoe_adapter_release(struct device *dev)
{
	kfree(container_of(dev, struct hoopoe_adapter, dev));
}

static int hoopoe_add_power_adapter(struct hoopoe *hp)
{
	struct hoopoe_adapter *ad;
	s32 pwr;
	int ret;

	pwr = i2c_smbus_read_byte_data(hp->client, HOOPOE_REG_PWR);
	if (pwr < 0)
		return pwr;

	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return -ENOMEM;

	ad->online = pwr & 0x80;
	ad->millivolts = (pwr & 0x7f) * 100;
	device_initialize(&ad->dev);
	ad->dev.parent = hp->dev;
	ad->dev.release = hoopoe_adapter_release;
	dev_set_name(&ad->dev, "hoopoe-ac.%d", hp->client->addr);

	ret = device_add(&ad->dev);
	if (ret) {
		put_device(&ad->dev);
		return ret;
	}
	hp->adapter = ad;

	dev_info(&hp->adapter->dev, "mains adapter %s, %u mV\n",
		 hp->adapter->online ? "online" : "offline", hp->adapter->millivolts);

	return 0;
}

static int hoopoe_probe(struct i2c_client *client)
{
	struct device *parent = client->dev.parent;
	struct i2c_adapter *bus = to_i2c_adapter(parent); /* site: conversion */
	struct platform_device *pdev;
	struct hoopoe *hp;
	s32 id;
	int ret;

	if (!i2c_check_functionality(client->adapter, I2C_FUNC_SMBUS_BYTE_DATA)) {
		dev_err(&client->adapter->dev, "no SMBus byte data support\n"); /* site: address-of */
		return -EOPNOTSUPP;
	}

	id = i2c_smbus_read_byte_data(client, HOOPOE_REG_ID);
	if (id != HOOPOE_ID) {
		dev_dbg(&client->dev, "unexpected id %#x\n", id);
		return -ENODEV;
	}

	hp = devm_kzalloc(&client->dev, sizeof(*hp), GFP_KERNEL);
	if (!hp)
		return -ENOMEM;

	hp->client = client;
	hp->dev = &client->dev;
	i2c_set_clientdata(client, hp);

	if (!client->adapter->dev.of_node) /* site: member-read */
		dev_dbg(hp->dev, "bus %d has no DT node, using defaults\n", i2c_adapter_id(bus));

	ret = hoopoe_add_power_adapter(hp);
	if (ret)
		return ret;

	pdev = platform_device_register_data(&client->dev, "hoopoe-leds", PLATFORM_DEVID_AUTO,
					     NULL, 0);
	if (IS_ERR(pdev)) {
		device_unregister(&hp->adapter->dev);
		return PTR_ERR(pdev);
	}
	hp->leds = pdev;
	dev_dbg(&pdev->dev, "LED child registered\n");

	dev_info(hp->dev, "Hoopoe on %s at 0x%02x\n", dev_name(&bus->dev), client->addr); /* site: address-of */

	return 0;
}

static void hoopoe_remove(struct i2c_client *client)
{
	struct hoopoe *hp = i2c_get_clientdata(client);

	platform_device_unregister(hp->leds);
	device_unregister(&hp->adapter->dev);
}

static const struct i2c_device_id hoopoe_id[] = {
	{ "hoopoe", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, hoopoe_id);

static const struct of_device_id hoopoe_of_match[] = {
	{ .compatible = "hoopoe,als" },
	{ }
};
MODULE_DEVICE_TABLE(of, hoopoe_of_match);

static struct i2c_driver hoopoe_driver = {
	.driver = {
		.name = "hoopoe",
		.of_match_table = hoopoe_of_match,
	},
	.probe = hoopoe_probe,
	.remove = hoopoe_remove,
	.id_table = hoopoe_id,
};
module_i2c_driver(hoopoe_driver);

MODULE_DESCRIPTION("Hoopoe ambient sensor driver (unembed example)");
MODULE_LICENSE("GPL");
