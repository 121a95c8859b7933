// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: adapters inside arrays and nested structs
 * (`priv->bus[i].adap.dev.parent`), and arrays of adapter pointers.
 */
#include <linux/i2c.h>
#include <linux/of.h>

#define TAMARIND_NR_BUSES	4

struct tamarind_bus {
	unsigned int id;
	struct device_node *np;
	struct i2c_adapter adap;
};

struct tamarind {
	struct device *dev;
	struct tamarind_bus bus[TAMARIND_NR_BUSES];
	struct i2c_adapter *ext[2];
};

static int tamarind_add_buses(struct tamarind *priv)
{
	unsigned int i;
	int ret;

	for (i = 0; i < TAMARIND_NR_BUSES; i++) {
		priv->bus[i].adap.dev.parent = priv->dev;
		priv->bus[i].adap.dev.of_node = priv->bus[i].np;
		ret = i2c_add_adapter(&priv->bus[i].adap);
		if (ret) {
			dev_err(&priv->bus[i].adap.dev, "cannot add bus %u\n", i);
			return ret;
		}
	}

	return 0;
}

static void tamarind_show_ext(struct tamarind *priv)
{
	struct tamarind_bus *bus = &priv->bus[2];

	if (priv->ext[1]->dev.of_node)
		dev_info(&priv->ext[0]->dev, "external buses described in DT\n");
	if (bus->adap.dev.parent != priv->dev)
		dev_warn(priv->dev, "bus %u was reparented\n", bus->id);
}
