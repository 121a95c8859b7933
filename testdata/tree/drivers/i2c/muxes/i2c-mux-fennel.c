// SPDX-License-Identifier: GPL-2.0
/*
 * Fennel register-controlled I2C multiplexer.
 *
 * Synthetic example written for unembed: child adapters parented to the
 * upstream adapter's device, a list of channels walked with an iterator.
 */

#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#define FENNEL_MAX_CHANS	8
#define FENNEL_SEL		0x00
#define FENNEL_SEL_NONE		0xff

struct fennel_mux;

struct fennel_chan {
	struct fennel_mux *mux;
	u32 chan_id;
	struct list_head node;
	struct i2c_adapter adap;
};

struct fennel_mux {
	struct device *dev;
	struct i2c_adapter *parent;
	void __iomem *sel;
	int last_chan;
	struct list_head channels;
};

static int fennel_select(struct fennel_mux *mux, u32 chan_id)
{
	if (mux->last_chan == chan_id)
		return 0;

	writel(chan_id, mux->sel + FENNEL_SEL);
	mux->last_chan = chan_id;
	dev_dbg(&mux->parent->dev, "selected channel %u\n", chan_id); /* site: address-of */

	return 0;
}

static int fennel_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct fennel_chan *chan = i2c_get_adapdata(adap);
	struct fennel_mux *mux = chan->mux;
	struct i2c_adapter *parent = mux->parent;
	int ret;

	i2c_lock_bus(parent, I2C_LOCK_SEGMENT);
	ret = fennel_select(mux, chan->chan_id);
	if (ret >= 0)
		ret = __i2c_transfer(parent, msgs, num);
	i2c_unlock_bus(parent, I2C_LOCK_SEGMENT);

	return ret;
}

static u32 fennel_func(struct i2c_adapter *adap)
{
	struct fennel_chan *chan = i2c_get_adapdata(adap);
	struct i2c_adapter *parent = chan->mux->parent;

	return parent->algo->functionality(parent);
}

static const struct i2c_algorithm fennel_algo = {
	.xfer		= fennel_xfer,
	.functionality	= fennel_func,
};

static int fennel_add_chan(struct fennel_mux *mux, struct device_node *np, u32 chan_id)
{
	struct i2c_adapter *parent = mux->parent;
	struct fennel_chan *chan;
	int ret;

	chan = devm_kzalloc(mux->dev, sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return -ENOMEM;

	chan->mux = mux;
	chan->chan_id = chan_id;
	snprintf(chan->adap.name, sizeof(chan->adap.name), "i2c-%d-mux (chan_id %u)",
		 i2c_adapter_id(parent), chan_id);
	chan->adap.owner = THIS_MODULE;
	chan->adap.algo = &fennel_algo;
	chan->adap.retries = parent->retries;
	chan->adap.timeout = parent->timeout;
	chan->adap.dev.parent = &parent->dev; /* site: config-before-register address-of */
	chan->adap.dev.of_node = np; /* site: config-before-register */
	i2c_set_adapdata(&chan->adap, chan);

	ret = i2c_add_adapter(&chan->adap);
	if (ret) {
		dev_err(&parent->dev, /* site: address-of */
			"failed to add mux-adapter %u (error=%d)\n", chan_id, ret);
		return ret;
	}

	if (sysfs_create_link(&chan->adap.dev.kobj, &mux->dev->kobj, "mux_device")) /* site: member-read */
		dev_warn(mux->dev, "can't create symlink to mux device\n");

	list_add_tail(&chan->node, &mux->channels);
	dev_info(&parent->dev, "added multiplexed i2c bus %d\n", /* site: address-of */
		 i2c_adapter_id(&chan->adap));

	return 0;
}

static void fennel_del_chans(struct fennel_mux *mux)
{
	struct fennel_chan *chan;

	list_for_each_entry(chan, &mux->channels, node) {
		sysfs_remove_link(&chan->adap.dev.kobj, "mux_device"); /* site: member-read */
		i2c_del_adapter(&chan->adap);
	}
}

static int fennel_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	struct device_node *parent_np, *child;
	struct fennel_mux *mux;
	u32 chan_id;
	int ret;

	mux = devm_kzalloc(&pdev->dev, sizeof(*mux), GFP_KERNEL);
	if (!mux)
		return -ENOMEM;

	mux->dev = &pdev->dev;
	mux->last_chan = FENNEL_SEL_NONE;
	INIT_LIST_HEAD(&mux->channels);
	mux->sel = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(mux->sel))
		return PTR_ERR(mux->sel);

	parent_np = of_parse_phandle(np, "i2c-parent", 0);
	if (!parent_np)
		return -ENODEV;
	mux->parent = of_get_i2c_adapter_by_node(parent_np);
	of_node_put(parent_np);
	if (!mux->parent)
		return -EPROBE_DEFER;

	for_each_available_child_of_node(np, child) {
		if (of_property_read_u32(child, "reg", &chan_id) || chan_id >= FENNEL_MAX_CHANS)
			continue;
		ret = fennel_add_chan(mux, child, chan_id);
		if (ret) {
			of_node_put(child);
			goto err_del;
		}
	}

	platform_set_drvdata(pdev, mux);

	return 0;

err_del:
	fennel_del_chans(mux);
	i2c_put_adapter(mux->parent);
	return ret;
}

static void fennel_remove(struct platform_device *pdev)
{
	struct fennel_mux *mux = platform_get_drvdata(pdev);

	fennel_del_chans(mux);
	i2c_put_adapter(mux->parent);
}

static const struct of_device_id fennel_of_match[] = {
	{ .compatible = "fennel,i2c-mux", },
	{ }
};
MODULE_DEVICE_TABLE(of, fennel_of_match);

static struct platform_driver fennel_driver = {
	.probe	= fennel_probe,
	.remove	= fennel_remove,
	.driver	= {
		.name	= "i2c-mux-fennel",
		.of_match_table = fennel_of_match,
	},
};
module_platform_driver(fennel_driver);

MODULE_DESCRIPTION("Fennel I2C multiplexer driver (unembed example)");
MODULE_LICENSE("GPL v2");
