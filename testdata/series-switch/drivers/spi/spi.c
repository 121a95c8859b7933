// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tiny SPI core for the series switch tests (testdata/series-switch): the
 * example tree's one, with per-CPU statistics allocated with the controller
 * and freed in its release callback, as the real one does. Synthetic code.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>

static DEFINE_MUTEX(board_lock);
static int spi_next_bus_num = 32768;

static void spi_controller_release(struct device *dev)
{
	struct spi_controller *ctlr;

	ctlr = container_of(dev, struct spi_controller, dev);
	free_percpu(ctlr->pcpu_statistics);
	kfree(ctlr);
}

static const struct class spi_controller_class = {
	.name		= "spi_master",
	.dev_release	= spi_controller_release,
};

struct spi_controller *__spi_alloc_controller(struct device *dev, unsigned int size,
					      bool target)
{
	struct spi_controller *ctlr;
	size_t ctlr_size = ALIGN(sizeof(*ctlr), 64);

	if (!dev)
		return NULL;

	ctlr = kzalloc(size + ctlr_size, GFP_KERNEL);
	if (!ctlr)
		return NULL;

	ctlr->pcpu_statistics = spi_alloc_pcpu_stats(NULL);
	if (!ctlr->pcpu_statistics) {
		kfree(ctlr);
		return NULL;
	}

	device_initialize(&ctlr->dev);
	INIT_LIST_HEAD(&ctlr->list);
	ctlr->bus_num = -1;
	ctlr->num_chipselect = 1;
	ctlr->target = target;
	ctlr->dev.class = &spi_controller_class;
	ctlr->dev.parent = dev;
	spi_controller_set_devdata(ctlr, (void *)ctlr + ctlr_size);

	return ctlr;
}
EXPORT_SYMBOL_GPL(__spi_alloc_controller);

static void devm_spi_release_controller(void *ctlr)
{
	spi_controller_put(ctlr);
}

struct spi_controller *__devm_spi_alloc_controller(struct device *dev, unsigned int size,
						   bool target)
{
	struct spi_controller *ctlr;

	ctlr = __spi_alloc_controller(dev, size, target);
	if (!ctlr)
		return NULL;

	if (devm_add_action_or_reset(dev, devm_spi_release_controller, ctlr))
		return NULL;

	return ctlr;
}
EXPORT_SYMBOL_GPL(__devm_spi_alloc_controller);

int spi_register_controller(struct spi_controller *ctlr)
{
	struct device *dev = ctlr->dev.parent;
	int status;

	if (!dev)
		return -ENODEV;
	if (ctlr->num_chipselect == 0)
		return -EINVAL;

	if (ctlr->bus_num < 0) {
		mutex_lock(&board_lock);
		ctlr->bus_num = spi_next_bus_num++;
		mutex_unlock(&board_lock);
	}

	dev_set_name(&ctlr->dev, "spi%u", ctlr->bus_num);
	status = device_add(&ctlr->dev);
	if (status < 0)
		return status;

	dev_dbg(dev, "registered %s %s\n", ctlr->target ? "target" : "host",
		dev_name(&ctlr->dev));
	return 0;
}
EXPORT_SYMBOL_GPL(spi_register_controller);

void spi_unregister_controller(struct spi_controller *ctlr)
{
	device_del(&ctlr->dev);
	put_device(&ctlr->dev);
}
EXPORT_SYMBOL_GPL(spi_unregister_controller);

static void devm_spi_unregister(void *ctlr)
{
	spi_unregister_controller(ctlr);
}

int devm_spi_register_controller(struct device *dev, struct spi_controller *ctlr)
{
	int ret;

	ret = spi_register_controller(ctlr);
	if (ret)
		return ret;

	return devm_add_action_or_reset(dev, devm_spi_unregister, ctlr);
}
EXPORT_SYMBOL_GPL(devm_spi_register_controller);

MODULE_DESCRIPTION("SPI core (unembed example)");
MODULE_LICENSE("GPL");
