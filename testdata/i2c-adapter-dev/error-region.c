// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: sites where tree-sitter-c alone sees no C: inside iterator
 * macros used as loop heads, and in functions carrying sparse annotations.
 */
#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mutex.h>

struct pear_chan {
	struct list_head node;
	unsigned int id;
	struct i2c_adapter adap;
};

struct pear {
	void __iomem *base;
	struct mutex lock;
	struct list_head chans;
};

#define pear_for_each_chan(chan, pear) \
	list_for_each_entry(chan, &(pear)->chans, node)

static void pear_reset_all(struct pear *pear)
	__must_hold(&pear->lock)
{
	struct pear_chan *chan;

	list_for_each_entry(chan, &pear->chans, node) {
		writel(0, pear->base + chan->id * 4);
		dev_dbg(&chan->adap.dev, "channel reset\n");
	}
}

static void __iomem *pear_chan_regs(struct pear *pear, struct pear_chan *chan)
{
	dev_dbg(&chan->adap.dev, "regs at offset %#x\n", chan->id * 4);

	return pear->base + chan->id * 4;
}

static void pear_remove_all(struct pear *pear)
{
	struct pear_chan *chan;

	pear_for_each_chan(chan, pear) {
		if (chan->adap.dev.parent)
			i2c_del_adapter(&chan->adap);
	}
}
