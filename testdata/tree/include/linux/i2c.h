/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in for the I2C core's interface, written for unembed's
 * example tree: only what the example drivers need. Not kernel source.
 */
#ifndef _LINUX_I2C_H
#define _LINUX_I2C_H

#include <linux/device.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/of.h>

#define I2C_NAME_SIZE	20

extern const struct bus_type i2c_bus_type;
extern const struct device_type i2c_adapter_type;
extern const struct device_type i2c_client_type;

struct i2c_msg {
	u16 addr;
	u16 flags;
#define I2C_M_RD		0x0001
#define I2C_M_TEN		0x0010
	u16 len;
	u8 *buf;
};

struct i2c_adapter;
struct i2c_client;

struct i2c_algorithm {
	int (*xfer)(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);
	u32 (*functionality)(struct i2c_adapter *adap);
};

#define I2C_FUNC_I2C			0x00000001
#define I2C_FUNC_SMBUS_BYTE_DATA	0x00180000
#define I2C_FUNC_SMBUS_EMUL		0x0eff0008

#define I2C_CLASS_HWMON		(1 << 0)
#define I2C_CLASS_DEPRECATED	(1 << 8)

struct i2c_adapter {
	struct module *owner;
	unsigned int class;
	const struct i2c_algorithm *algo;
	void *algo_data;

	struct mutex bus_lock;

	int timeout;
	int retries;
	struct device dev;		/* the adapter's device */
	unsigned long locked_flags;

	int nr;
	char name[48];
	struct completion dev_released;

	struct mutex userspace_clients_lock;
	struct list_head userspace_clients;
};
#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev) /* site: macro */

struct i2c_client {
	unsigned short flags;
	unsigned short addr;
	char name[I2C_NAME_SIZE];
	struct i2c_adapter *adapter;
	struct device dev;
	int irq;
};
#define to_i2c_client(d) container_of(d, struct i2c_client, dev)

struct i2c_device_id {
	char name[I2C_NAME_SIZE];
	unsigned long driver_data;
};

struct i2c_driver {
	int (*probe)(struct i2c_client *client);
	void (*remove)(struct i2c_client *client);
	struct device_driver driver;
	const struct i2c_device_id *id_table;
};

static inline void *i2c_get_clientdata(const struct i2c_client *client)
{
	return dev_get_drvdata(&client->dev);
}

static inline void i2c_set_clientdata(struct i2c_client *client, void *data)
{
	dev_set_drvdata(&client->dev, data);
}

static inline void *i2c_get_adapdata(const struct i2c_adapter *adap)
{
	return dev_get_drvdata(&adap->dev); /* site: core */
}

static inline void i2c_set_adapdata(struct i2c_adapter *adap, void *data)
{
	dev_set_drvdata(&adap->dev, data); /* site: core */
}

static inline struct i2c_adapter *
i2c_parent_is_i2c_adapter(const struct i2c_adapter *adapter)
{
	struct device *parent = adapter->dev.parent; /* site: core */

	if (parent != NULL && parent->type == &i2c_adapter_type)
		return to_i2c_adapter(parent); /* site: core */
	return NULL;
}

static inline int i2c_adapter_id(struct i2c_adapter *adap)
{
	return adap->nr;
}

static inline u32 i2c_get_functionality(struct i2c_adapter *adap)
{
	return adap->algo->functionality(adap);
}

static inline int i2c_check_functionality(struct i2c_adapter *adap, u32 func)
{
	return (func & i2c_get_functionality(adap)) == func;
}

int i2c_add_adapter(struct i2c_adapter *adap);
int devm_i2c_add_adapter(struct device *dev, struct i2c_adapter *adapter);
int i2c_add_numbered_adapter(struct i2c_adapter *adap);
void i2c_del_adapter(struct i2c_adapter *adap);

struct i2c_adapter *i2c_verify_adapter(struct device *dev);
struct i2c_adapter *i2c_get_adapter(int nr);
void i2c_put_adapter(struct i2c_adapter *adap);
struct i2c_adapter *of_get_i2c_adapter_by_node(struct device_node *node);

void i2c_lock_bus(struct i2c_adapter *adapter, unsigned int flags);
void i2c_unlock_bus(struct i2c_adapter *adapter, unsigned int flags);
#define I2C_LOCK_ROOT_ADAPTER	BIT(0)
#define I2C_LOCK_SEGMENT	BIT(1)

int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);
int __i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);
int i2c_master_send(const struct i2c_client *client, const char *buf, int count);
int i2c_master_recv(const struct i2c_client *client, char *buf, int count);
s32 i2c_smbus_read_byte_data(const struct i2c_client *client, u8 command);
s32 i2c_smbus_write_byte_data(const struct i2c_client *client, u8 command, u8 value);
struct i2c_client *i2c_verify_client(struct device *dev);

int i2c_register_driver(struct module *owner, struct i2c_driver *driver);
void i2c_del_driver(struct i2c_driver *driver);

#define module_i2c_driver(__i2c_driver)					\
static int __init __i2c_driver##_init(void)				\
{									\
	return i2c_register_driver(THIS_MODULE, &(__i2c_driver));	\
}									\
module_init(__i2c_driver##_init);					\
static void __exit __i2c_driver##_exit(void)				\
{									\
	i2c_del_driver(&(__i2c_driver));				\
}									\
module_exit(__i2c_driver##_exit)

#endif /* _LINUX_I2C_H */
