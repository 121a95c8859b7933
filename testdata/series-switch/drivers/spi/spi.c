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

static void spi_device_release(struct device *dev)
{
	struct spi_device *spi = to_spi_device(dev);

	spi_controller_put(spi->controller);
	kfree(spi);
}

/* per-controller counters in sysfs (phase one leaves the container_of() to a human) */
#define SPI_STATISTICS_ATTRS(field, file)				\
static ssize_t spi_controller_##field##_show(struct device *dev,	\
					     struct device_attribute *attr, \
					     char *buf)			\
{									\
	struct spi_controller *ctlr = container_of(dev,			\
					 struct spi_controller, dev);	\
	return spi_statistics_##field##_show(ctlr->pcpu_statistics, buf); \
}									\
static struct device_attribute dev_attr_spi_controller_##field = {	\
	.attr = { .name = file, .mode = 0444 },				\
	.show = spi_controller_##field##_show,				\
}

SPI_STATISTICS_ATTRS(messages, "messages");

struct spi_device *spi_alloc_device(struct spi_controller *ctlr)
{
	struct spi_device *spi;

	if (!spi_controller_get(ctlr))
		return NULL;

	spi = kzalloc(sizeof(*spi), GFP_KERNEL);
	if (!spi) {
		spi_controller_put(ctlr);
		return NULL;
	}
	spi->controller = ctlr;
	spi->dev.parent = &ctlr->dev;
	spi->dev.release = spi_device_release;
	device_initialize(&spi->dev);
	return spi;
}
EXPORT_SYMBOL_GPL(spi_alloc_device);

static void spi_controller_release(struct device *dev)
{
	struct spi_controller *ctlr;

	ctlr = container_of(dev, struct spi_controller, dev);
	free_percpu(ctlr->pcpu_statistics);
	kfree(ctlr);
}

static struct class spi_master_class = {
	.name		= "spi_master",
	.dev_release	= spi_controller_release,
};

#ifdef CONFIG_SPI_SLAVE
static ssize_t slave_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct spi_controller *ctlr = container_of(dev, struct spi_controller, dev);

	return sysfs_emit(buf, "%d\n", ctlr->bus_num);
}

static ssize_t slave_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct spi_controller *ctlr = container_of(dev, struct spi_controller, dev);

	return spi_alloc_device(ctlr) ? count : -ENOMEM;
}
static DEVICE_ATTR_RW(slave);

static struct class spi_slave_class = {
	.name		= "spi_slave",
	.dev_release	= spi_controller_release,
};
#else
extern struct class spi_slave_class;
#endif

/**
 * __spi_alloc_controller - a controller and @size bytes for its driver
 * @dev: the parent device
 * @size: bytes of driver data after the controller
 * @target: a target controller
 *
 * Return: the controller, or NULL.
 */
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
	ctlr->dev.class = target ? &spi_slave_class : &spi_master_class;
	ctlr->dev.parent = dev;
	spi_controller_set_devdata(ctlr, (void *)ctlr + ctlr_size);

	return ctlr;
}
EXPORT_SYMBOL_GPL(__spi_alloc_controller);

static void devm_spi_release_controller(void *ctlr)
{
	spi_controller_put(ctlr);
}

/**
 * __devm_spi_alloc_controller - __spi_alloc_controller() put by devres
 * @dev: the parent device, whose unbinding puts the controller
 * @size: bytes of driver data after the controller
 * @target: a target controller
 *
 * Return: the controller, or NULL.
 */
struct spi_controller *__devm_spi_alloc_controller(struct device *dev, unsigned int size,
						   bool target)
{
	struct spi_controller *ctlr;

	ctlr = __spi_alloc_controller(dev, size, target);
	if (!ctlr)
		return NULL;

	if (devm_add_action_or_reset(dev, devm_spi_release_controller, ctlr))
		return NULL;
	ctlr->devm_allocated = true;

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

/**
 * spi_unregister_controller - take a controller off the bus
 * @ctlr: the controller
 *
 * Drops the driver's reference, unless devres holds it.
 */
void spi_unregister_controller(struct spi_controller *ctlr)
{
	mutex_lock(&ctlr->add_lock);

	mutex_lock(&board_lock);
	list_del(&ctlr->list);
	mutex_unlock(&board_lock);

	device_del(&ctlr->dev);

	mutex_unlock(&ctlr->add_lock);

	if (!ctlr->devm_allocated)
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

static struct spi_controller *of_find_spi_controller_by_node(struct device_node *node)
{
	struct device *dev;

	dev = class_find_device_by_of_node(&spi_master_class, node);
	if (!dev)
		return NULL;

	return container_of(dev, struct spi_controller, dev);
}

static int of_spi_notify(struct notifier_block *nb, unsigned long action, void *arg)
{
	struct of_reconfig_data *rd = arg;
	struct spi_controller *ctlr;

	ctlr = of_find_spi_controller_by_node(rd->dn->parent);
	if (!ctlr)
		return NOTIFY_OK;
	spi_alloc_device(ctlr);
	put_device(&ctlr->dev);
	return NOTIFY_OK;
}

struct spi_controller *acpi_spi_find_controller_by_adev(struct acpi_device *adev)
{
	struct device *dev;

	dev = class_find_device(&spi_master_class, NULL, adev, spi_acpi_match);
	if (!dev)
		return NULL;

	return container_of(dev, struct spi_controller, dev);
}
EXPORT_SYMBOL_GPL(acpi_spi_find_controller_by_adev);

static int acpi_spi_notify(struct notifier_block *nb, unsigned long value, void *arg)
{
	struct spi_controller *ctlr;

	ctlr = acpi_spi_find_controller_by_adev(arg);
	if (!ctlr)
		return NOTIFY_OK;
	spi_alloc_device(ctlr);
	put_device(&ctlr->dev);
	return NOTIFY_OK;
}

MODULE_DESCRIPTION("SPI core (unembed example)");
MODULE_LICENSE("GPL");
