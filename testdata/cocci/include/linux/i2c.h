/* Minimal stand-in for the tests of unembed: only what spatch needs for types. */
#ifndef _TEST_LINUX_I2C_H
#define _TEST_LINUX_I2C_H

struct device;
struct device_node;

struct i2c_adapter {
	const char *name;
	int nr;
	struct device dev;
};

struct i2c_client {
	unsigned short addr;
	struct i2c_adapter *adapter;
	struct device dev;
};

#endif
