// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: a rewrite that pushes a line past 100 columns; the call is
 * broken after its last argument that still fits, the rest aligned with
 * the open parenthesis (tabs, then spaces). Commas in strings do not count.
 */
#include <linux/i2c.h>
#include <linux/interrupt.h>
#include <linux/io.h>

struct olive_i2c {
	void __iomem *base;
	int irq;
	struct i2c_adapter adap;
};

static irqreturn_t olive_isr(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int olive_wait(struct olive_i2c *priv)
{
	int tries;
	u32 st;

	for (tries = 0; tries < 10; tries++) {
		st = readl(priv->base);
		if (!(st & BIT(0)))
			return 0;
	}
	if (st & BIT(1))
		dev_err(&priv->adap.dev, "bus busy after %d retries, status %#x\n", tries, st);

	return -ETIMEDOUT;
}

static int olive_irq_init(struct olive_i2c *priv)
{
	int ret;

	ret = devm_request_irq(&priv->adap.dev, priv->irq, olive_isr, IRQF_SHARED, "olive", priv);
	if (ret)
		return ret;

	return olive_wait(priv);
}
