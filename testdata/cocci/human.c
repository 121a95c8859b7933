// SPDX-License-Identifier: GPL-2.0-only
/* Fixture for unembed's Coccinelle tests: forms that are reported, never rewritten. */
#include <linux/i2c.h>

static struct i2c_adapter baz_static = {
	.name = "baz",
	.dev = {
		.parent = NULL,
	},
};

static struct i2c_adapter baz_designated = {
	.dev.parent = NULL,
	.nr = 2,
};

struct baz_bus {
	int id;
	struct i2c_adapter adap;
};

static struct baz_bus baz_nested = {
	.adap = {
		.dev.of_node = NULL,
	},
};

static int baz_sizes(struct i2c_adapter *adap)
{
	struct device copy = adap->dev;

	return sizeof(adap->dev) + offsetof(struct i2c_adapter, dev) + copy.id;
}

static void baz_fine(struct i2c_adapter *adap)
{
	put_device(&adap->dev);
}
