// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: a driver macro whose body reaches the adapter's device; every
 * use in the file passes the private struct, so the body is rewritten and
 * the uses stay.
 */
#include <linux/i2c.h>

struct apricot_i2c {
	struct device *dev;
	u32 status;
	struct i2c_adapter adap;
};

#define APRICOT_ADAP_DEV(p)	(&(p)->adap.dev)

static void apricot_report(struct apricot_i2c *priv)
{
	if (priv->status)
		dev_err(APRICOT_ADAP_DEV(priv), "status %#x\n", priv->status);
	else
		dev_dbg(APRICOT_ADAP_DEV(priv), "idle\n");
}
