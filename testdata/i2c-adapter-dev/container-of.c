// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: container_of() from the embedded device back to the adapter
 * becomes to_i2c_adapter(); to_i2c_adapter() itself and container_of() of
 * other structs stay.
 */
#include <linux/i2c.h>
#include <linux/kobject.h>

static struct i2c_adapter *sloe_dev_to_adap(struct device *d)
{
	return container_of(d, struct i2c_adapter, dev);
}

static ssize_t sloe_speed_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct i2c_adapter *adap = container_of(dev, struct i2c_adapter, dev);
	struct i2c_adapter *again = to_i2c_adapter(dev);

	return sysfs_emit(buf, "%d %d\n", adap->nr, again->timeout);
}

static void *sloe_drvdata(struct device *dev)
{
	if (dev->type == &i2c_adapter_type)
		return i2c_get_adapdata(container_of(dev, struct i2c_adapter, dev));

	return i2c_get_clientdata(container_of(dev, struct i2c_client, dev));
}

static struct i2c_adapter *sloe_kobj_to_adap(struct kobject *kobj)
{
	/* unembed: human */
	return container_of(kobj, struct i2c_adapter, dev.kobj);
}
