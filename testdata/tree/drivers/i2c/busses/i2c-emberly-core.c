// SPDX-License-Identifier: GPL-2.0
/*
 * Emberly I2C controller: the bus side.
 *
 * Synthetic example written for unembed: the adapter is set up in a helper
 * called from probe, which already prints through the adapter's device
 * before the adapter is registered.
 */

#include <linux/delay.h>
#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/module.h>

#include "i2c-emberly.h"

static int emberly_wait_idle(struct emberly_i2c *i2c)
{
	int tries = 20;

	while (readl(i2c->base + EMBERLY_STATUS) & EMBERLY_STATUS_ACTIVITY) {
		if (!--tries)
			return -ETIMEDOUT;
		usleep_range(25, 250);
	}

	return 0;
}

static int emberly_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct emberly_i2c *i2c = to_emberly(adap);
	int ret;

	emberly_dbg(i2c, "%s: %d messages\n", __func__, num);

	ret = emberly_wait_idle(i2c);
	if (ret) {
		dev_err(emberly_adap_dev(i2c), "controller stays busy\n");
		return ret;
	}

	reinit_completion(&i2c->cmd_complete);
	writel(msgs[0].addr, i2c->base + EMBERLY_TAR);
	if (!wait_for_completion_timeout(&i2c->cmd_complete, adap->timeout))
		return -ETIMEDOUT;

	return i2c->cmd_err ? i2c->cmd_err : num;
}

static u32 emberly_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm emberly_algo = {
	.xfer		= emberly_xfer,
	.functionality	= emberly_func,
};

static void emberly_setup_adapter(struct emberly_i2c *i2c)
{
	struct i2c_adapter *adap = &i2c->adapter;

	adap->owner = THIS_MODULE;
	adap->algo = &emberly_algo;
	adap->retries = 3;
	adap->dev.parent = i2c->dev; /* site: config-before-register */
	device_set_node(&adap->dev, dev_fwnode(i2c->dev)); /* site: config-before-register */
	snprintf(adap->name, sizeof(adap->name), "Emberly I2C adapter");
	i2c_set_adapdata(adap, i2c);

	dev_info(&adap->dev, "bus speed %u Hz\n", i2c->speed); /* site: address-of */
}

int emberly_i2c_probe(struct emberly_i2c *i2c)
{
	int ret;

	init_completion(&i2c->cmd_complete);
	writel(0, i2c->base + EMBERLY_CON);

	emberly_setup_adapter(i2c);

	ret = i2c_add_numbered_adapter(&i2c->adapter);
	if (ret)
		dev_err(i2c->dev, "failure adding adapter: %d\n", ret);

	return ret;
}

void emberly_i2c_remove(struct emberly_i2c *i2c)
{
	i2c_del_adapter(&i2c->adapter);
	writel(0, i2c->base + EMBERLY_CON);
}
