// SPDX-License-Identifier: GPL-2.0
/*
 * A debug macro that reaches ->dev on its parameter, used with an i2c_client in a function that
 * mentions nothing about adapters and with an adapter elsewhere: the body must not be
 * rewritten, since one of its uses is not an adapter.
 */
#include <linux/i2c.h>

#define quail_dbg(obj, fmt, ...) dev_dbg(&obj->dev, fmt, ##__VA_ARGS__) /* unembed: human */

static int quail_probe(struct i2c_client *client)
{
	quail_dbg(client, "probing\n");
	return 0;
}

static int quail_detect(struct i2c_adapter *adap)
{
	quail_dbg(adap, "detecting\n");
	return 0;
}
