/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in for the bit-banging algorithm's interface, written for
 * unembed's example tree. Not kernel source.
 */
#ifndef _LINUX_I2C_ALGO_BIT_H
#define _LINUX_I2C_ALGO_BIT_H

#include <linux/i2c.h>

struct i2c_algo_bit_data {
	void *data;
	void (*setsda)(void *data, int state);
	void (*setscl)(void *data, int state);
	int (*getsda)(void *data);
	int (*getscl)(void *data);
	int udelay;
	int timeout;
};

int i2c_bit_add_bus(struct i2c_adapter *adap);
int i2c_bit_add_numbered_bus(struct i2c_adapter *adap);

#endif /* _LINUX_I2C_ALGO_BIT_H */
