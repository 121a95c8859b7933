// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: accesses that only look like sites and must stay untouched:
 * other devices' `dev`, an `adapter` member of another type, members of
 * the adapter other than its device.
 */
#include <linux/i2c.h>
#include <linux/platform_device.h>

/* a power adapter, not an I2C adapter */
struct papaya_adapter {
	struct device dev;
	bool online;
};

struct papaya {
	struct i2c_client *client;
	struct papaya_adapter *adapter;
	struct device *dev;
};

static int papaya_probe(struct i2c_client *client)
{
	struct papaya *pp;

	pp = devm_kzalloc(&client->dev, sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;

	pp->client = client;
	pp->dev = &client->dev;
	if (pp->adapter && pp->adapter->online)
		dev_info(&pp->adapter->dev, "running on mains\n");
	dev_dbg(pp->dev, "bus %d\n", i2c_adapter_id(client->adapter));

	return 0;
}

static int papaya_plat_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	if (!pdev->dev.of_node)
		return -ENODEV;
	dev_info(dev, "parent %s\n", dev_name(pdev->dev.parent));

	return 0;
}

static void papaya_wait(struct i2c_adapter *adap)
{
	wait_for_completion(&adap->dev_released);
	adap->nr = -1;
}
