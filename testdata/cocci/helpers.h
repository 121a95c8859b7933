/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture for unembed's Coccinelle tests: helper definitions must not be rewritten. */
#ifndef _TEST_HELPERS_H
#define _TEST_HELPERS_H

#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)
#define foo_to_adap(d) container_of(d, struct i2c_adapter, dev)

static inline struct device *i2c_adapter_dev(struct i2c_adapter *adap)
{
	return &adap->dev;
}

static inline void *i2c_get_adapdata(struct i2c_adapter *adap)
{
	return dev_get_drvdata(&adap->dev);
}

#endif
