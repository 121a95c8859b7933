/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emberly I2C controller: definitions shared by the core and the platform
 * glue. Synthetic example written for unembed.
 */
#ifndef _I2C_EMBERLY_H
#define _I2C_EMBERLY_H

#include <linux/i2c.h>
#include <linux/completion.h>

#define EMBERLY_CON		0x00
#define EMBERLY_TAR		0x04
#define EMBERLY_DATA_CMD	0x10
#define EMBERLY_STATUS		0x70
#define EMBERLY_STATUS_ACTIVITY	BIT(0)

struct emberly_i2c {
	struct device *dev;
	void __iomem *base;
	u32 speed;
	int irq;
	struct completion cmd_complete;
	int cmd_err;
	struct i2c_adapter adapter;
};

#define emberly_dbg(i2c, fmt, ...) \
	dev_dbg(&(i2c)->adapter.dev, fmt, ##__VA_ARGS__) /* site: macro */

static inline struct emberly_i2c *to_emberly(struct i2c_adapter *adap)
{
	return container_of(adap, struct emberly_i2c, adapter);
}

static inline struct device *emberly_adap_dev(struct emberly_i2c *i2c)
{
	return &i2c->adapter.dev; /* site: address-of */
}

int emberly_i2c_probe(struct emberly_i2c *i2c);
void emberly_i2c_remove(struct emberly_i2c *i2c);

#endif /* _I2C_EMBERLY_H */
