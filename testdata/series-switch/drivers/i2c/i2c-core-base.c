// synthetic i2c-core-base.c for the series switch tests (before phase one)
#include <linux/i2c.h>
#include <linux/slab.h>

static void i2c_adapter_dev_release(struct device *dev)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);
	complete(&adap->dev_released);
}

static ssize_t
new_device_store(struct device *dev, struct device_attribute *attr,
		 const char *buf, size_t count)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);

	return fixture_new_client(adap, buf) ?: count;
}
static DEVICE_ATTR_WO(new_device);

static ssize_t
delete_device_store(struct device *dev, struct device_attribute *attr,
		    const char *buf, size_t count)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);

	return fixture_delete_client(adap, buf) ?: count;
}

static int i2c_register_adapter(struct i2c_adapter *adap)
{
	int res = -EINVAL;

	if (!adap->algo)
		goto out_list;

	res = dev_set_name(&adap->dev, "i2c-%d", adap->nr);
	if (res)
		goto out_list;

	adap->dev.bus = &i2c_bus_type;
	adap->dev.type = &i2c_adapter_type;
	device_initialize(&adap->dev);

	res = device_add(&adap->dev);
	if (res)
		goto err_put_adap;
	return 0;

err_put_adap:
	init_completion(&adap->dev_released);
	put_device(&adap->dev);
	wait_for_completion(&adap->dev_released);
out_list:
	fixture_free_nr(adap->nr);
	return res;
}

int i2c_add_adapter(struct i2c_adapter *adapter)
{
	struct device *dev = &adapter->dev;

	if (dev->of_node)
		adapter->nr = of_alias_get_id(dev->of_node, "i2c");
	return i2c_register_adapter(adapter);
}

void i2c_del_adapter(struct i2c_adapter *adap)
{
	fixture_remove_clients(adap);

	/* wait until all references to the device are gone */
	init_completion(&adap->dev_released);
	device_unregister(&adap->dev);
	wait_for_completion(&adap->dev_released);

	fixture_free_nr(adap->nr);

	/* Clear the device structure */
	memset(&adap->dev, 0, sizeof(adap->dev));
}

static int __process_new_driver(struct device *dev, void *data)
{
	if (dev->type != &i2c_adapter_type)
		return 0;
	return i2c_do_add_adapter(data, to_i2c_adapter(dev));
}

static int __process_removed_driver(struct device *dev, void *data)
{
	if (dev->type == &i2c_adapter_type)
		i2c_do_del_adapter(data, to_i2c_adapter(dev));
	return 0;
}
