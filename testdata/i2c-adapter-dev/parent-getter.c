// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: reads of the adapter's parent go through i2c_adapter_parent(),
 * which works before registration and after deletion too; writes go through
 * the setter, or stay on i2c_adapter_dev() where they are no statement of
 * their own; `&adap->dev.parent` is no read. The phase-two reasons of what
 * is left are checked by test/phase-two.test.ts.
 */
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#define quince_dbg(q, fmt, ...) \
	dev_dbg((q)->adap.dev.parent, fmt, ##__VA_ARGS__)

struct quince_i2c {
	struct i2c_adapter adap;
	struct i2c_adapter aux[2];
	void __iomem *base;
};

static int quince_init_hw(struct quince_i2c *q)
{
	struct i2c_adapter *adap = &q->adap;

	if (!q->base) {
		dev_err(adap->dev.parent, "no registers\n");
		return -ENODEV;
	}
	quince_dbg(q, "init\n");
	dev_info(&adap->dev, "ready\n");
	return 0;
}

static bool quince_is_child(const struct i2c_adapter *adap, struct device *dev)
{
	return (adap->dev).parent == dev || adap->dev.parent->of_node == dev->of_node;
}

static void quince_reparent(struct quince_i2c *q, struct device **slot)
{
	*slot = q->aux[0].dev.parent;
	slot = &q->aux[1].dev.parent;
	q->aux[0].dev.parent = q->aux[1].dev.parent = q->adap.dev.parent;
}

static int quince_probe(struct platform_device *pdev)
{
	struct quince_i2c *q;
	int ret;

	q = devm_kzalloc(&pdev->dev, sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;

	q->adap.owner = THIS_MODULE;
	q->adap.dev.parent = &pdev->dev;
	q->adap.dev.of_node = pdev->dev.of_node;
	ret = quince_init_hw(q);
	if (ret)
		return ret;

	ret = i2c_add_adapter(&q->adap);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, q);
	return 0;
}

static void quince_remove(struct platform_device *pdev)
{
	struct quince_i2c *q = platform_get_drvdata(pdev);

	i2c_del_adapter(&q->adap);
	dev_info(q->adap.dev.parent, "removed\n");
	dev_dbg(&q->adap.dev, "gone\n");
	q->adap.dev.parent = NULL;
}

static struct i2c_adapter *quince_find(struct device *dev)
{
	return to_i2c_adapter(dev);
}
