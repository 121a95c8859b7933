// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tiny I2C core for unembed's example tree: adapter registration and
 * lookup, in the shape of the real one but much shorter. Synthetic code.
 */

#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static DEFINE_MUTEX(core_lock);
static int __i2c_first_dynamic_bus_num = 16;
static struct i2c_adapter *i2c_adapters[64];

const struct bus_type i2c_bus_type = {
	.name		= "i2c",
};

static void i2c_adapter_dev_release(struct device *dev)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev); /* site: core */

	complete(&adap->dev_released);
}

const struct device_type i2c_adapter_type = {
	.name		= "i2c_adapter",
	.release	= i2c_adapter_dev_release,
};

struct i2c_adapter *i2c_verify_adapter(struct device *dev)
{
	return (dev->type == &i2c_adapter_type)
			? to_i2c_adapter(dev) /* site: core */
			: NULL;
}

static int i2c_register_adapter(struct i2c_adapter *adap)
{
	int res;

	if (WARN_ON(!adap->name[0]))
		return -EINVAL;
	if (!adap->algo) {
		pr_err("adapter '%s': no algo supplied!\n", adap->name);
		return -EINVAL;
	}

	mutex_init(&adap->bus_lock);
	mutex_init(&adap->userspace_clients_lock);
	INIT_LIST_HEAD(&adap->userspace_clients);

	if (adap->timeout == 0)
		adap->timeout = 100;

	dev_set_name(&adap->dev, "i2c-%d", adap->nr); /* site: core */
	adap->dev.bus = &i2c_bus_type; /* site: core */
	adap->dev.type = &i2c_adapter_type; /* site: core */
	init_completion(&adap->dev_released);
	res = device_register(&adap->dev); /* site: core */
	if (res) {
		pr_err("adapter '%s': can't register device (%d)\n", adap->name, res);
		put_device(&adap->dev); /* site: core */
		return res;
	}

	dev_dbg(&adap->dev, "adapter [%s] registered\n", adap->name); /* site: core */
	return 0;
}

static int __i2c_add_numbered_adapter(struct i2c_adapter *adap)
{
	if (adap->nr < 0 || adap->nr >= ARRAY_SIZE(i2c_adapters))
		return -EINVAL;

	mutex_lock(&core_lock);
	if (i2c_adapters[adap->nr]) {
		mutex_unlock(&core_lock);
		return -EBUSY;
	}
	i2c_adapters[adap->nr] = adap;
	mutex_unlock(&core_lock);

	return i2c_register_adapter(adap);
}

int i2c_add_adapter(struct i2c_adapter *adapter)
{
	struct device *dev = &adapter->dev; /* site: core */
	u32 id;

	if (dev->of_node) {
		if (!of_property_read_u32(dev->of_node, "linux,i2c-bus", &id)) {
			adapter->nr = id;
			return __i2c_add_numbered_adapter(adapter);
		}
	}

	mutex_lock(&core_lock);
	for (id = __i2c_first_dynamic_bus_num; id < ARRAY_SIZE(i2c_adapters); id++)
		if (!i2c_adapters[id])
			break;
	mutex_unlock(&core_lock);
	if (id == ARRAY_SIZE(i2c_adapters))
		return -EBUSY;
	adapter->nr = id;

	return __i2c_add_numbered_adapter(adapter);
}
EXPORT_SYMBOL(i2c_add_adapter);

int i2c_add_numbered_adapter(struct i2c_adapter *adap)
{
	if (adap->nr == -1)
		return i2c_add_adapter(adap);

	return __i2c_add_numbered_adapter(adap);
}
EXPORT_SYMBOL_GPL(i2c_add_numbered_adapter);

void i2c_del_adapter(struct i2c_adapter *adap)
{
	mutex_lock(&core_lock);
	if (i2c_adapters[adap->nr] != adap) {
		mutex_unlock(&core_lock);
		pr_debug("attempting to delete unregistered adapter [%s]\n", adap->name);
		return;
	}
	i2c_adapters[adap->nr] = NULL;
	mutex_unlock(&core_lock);

	dev_dbg(&adap->dev, "adapter [%s] unregistered\n", adap->name); /* site: core */

	/* wait until the last reference to the device is gone */
	init_completion(&adap->dev_released);
	device_unregister(&adap->dev); /* site: core */
	wait_for_completion(&adap->dev_released);

	/* the driver may add this adapter again: start from a clean device */
	memset(&adap->dev, 0, sizeof(adap->dev)); /* site: core core */
	adap->nr = -1;
}
EXPORT_SYMBOL(i2c_del_adapter);

static void devm_i2c_del_adapter(void *adapter)
{
	i2c_del_adapter(adapter);
}

int devm_i2c_add_adapter(struct device *dev, struct i2c_adapter *adapter)
{
	int ret;

	ret = i2c_add_adapter(adapter);
	if (ret)
		return ret;

	return devm_add_action_or_reset(dev, devm_i2c_del_adapter, adapter);
}
EXPORT_SYMBOL_GPL(devm_i2c_add_adapter);

struct i2c_adapter *i2c_get_adapter(int nr)
{
	struct i2c_adapter *adapter;

	if (nr < 0 || nr >= ARRAY_SIZE(i2c_adapters))
		return NULL;

	mutex_lock(&core_lock);
	adapter = i2c_adapters[nr];
	if (adapter && !get_device(&adapter->dev)) /* site: core */
		adapter = NULL;
	mutex_unlock(&core_lock);

	return adapter;
}
EXPORT_SYMBOL(i2c_get_adapter);

void i2c_put_adapter(struct i2c_adapter *adap)
{
	if (!adap)
		return;

	put_device(&adap->dev); /* site: core */
}
EXPORT_SYMBOL(i2c_put_adapter);

MODULE_AUTHOR("Example Author <author@example.org>");
MODULE_DESCRIPTION("I2C-Bus main module (unembed example)");
MODULE_LICENSE("GPL");
