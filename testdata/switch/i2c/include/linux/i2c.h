/* synthetic i2c.h for the switch tests */
#ifndef FIXTURE_I2C_H
#define FIXTURE_I2C_H

struct i2c_algorithm;

/*
 * A bus segment and the algorithm that drives it.
 */
struct i2c_adapter {
	const struct i2c_algorithm *algo;
	void *algo_data;
	int retries;
	struct device dev;		/* the adapter device */
	int nr;
	char name[48];
	struct completion dev_released;
	struct list_head userspace_clients;
};
#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)

/**
 * i2c_adapter_dev() - get the struct device of a struct i2c_adapter
 * @adap: the struct i2c_adapter
 *
 * This macro keeps the constness of its argument.
 *
 * Return: the struct device of @adap.
 */
#define i2c_adapter_dev(adap) (&(adap)->dev)

static inline void i2c_adapter_set_parent(struct i2c_adapter *adap, struct device *parent)
{
	adap->dev.parent = parent;
}

static inline void i2c_adapter_set_of_node(struct i2c_adapter *adap, struct device_node *np)
{
	adap->dev.of_node = np;
}

static inline void i2c_adapter_set_fwnode(struct i2c_adapter *adap, struct fwnode_handle *fwnode)
{
	adap->dev.fwnode = fwnode;
}

static inline void i2c_adapter_set_node(struct i2c_adapter *adap, struct fwnode_handle *fwnode)
{
	device_set_node(&adap->dev, fwnode);
}

static inline void i2c_adapter_set_acpi_companion(struct i2c_adapter *adap, struct acpi_device *adev)
{
	ACPI_COMPANION_SET(&adap->dev, adev);
}

static inline void i2c_adapter_set_of_node_from_dev(struct i2c_adapter *adap, const struct device *dev)
{
	device_set_of_node_from_dev(&adap->dev, dev);
}

static inline void i2c_adapter_use_parent_companion(struct i2c_adapter *adap)
{
	acpi_use_parent_companion(&adap->dev);
}

static inline struct device *i2c_adapter_parent(const struct i2c_adapter *adap)
{
	return adap->dev.parent;
}

static inline void *i2c_get_adapdata(const struct i2c_adapter *adap)
{
	return dev_get_drvdata(i2c_adapter_dev(adap));
}

static inline void i2c_set_adapdata(struct i2c_adapter *adap, void *data)
{
	dev_set_drvdata(i2c_adapter_dev(adap), data);
}

#endif
