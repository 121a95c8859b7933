// synthetic spi.c for the switch tests (after phase one); written for unembed, not kernel code
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>

static LIST_HEAD(spi_controller_list);
static DEFINE_MUTEX(board_lock);

static void spi_device_release(struct device *dev)
{
	struct spi_device *spi = to_spi_device(dev);

	spi_controller_put(spi->controller);
	kfree(spi);
}

static ssize_t spi_stat_emit(void __percpu *stat, char *buf, size_t off)
{
	return sysfs_emit(buf, "%zu\n", off);
}

/* phase one leaves this container_of() to a human: it spans a continuation */
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

#define SPI_STATISTICS_SHOW(field)					\
static ssize_t spi_statistics_##field##_show(void __percpu *stat,	\
					    char *buf)			\
{									\
	return spi_stat_emit(stat, buf, 0);				\
}									\
SPI_STATISTICS_ATTRS(field, __stringify(field))

SPI_STATISTICS_SHOW(messages);
SPI_STATISTICS_SHOW(errors);

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
	spi->dev.parent = spi_controller_dev(ctlr);
	spi->dev.release = spi_device_release;
	device_initialize(&spi->dev);
	return spi;
}

static void spi_controller_release(struct device *dev)
{
	struct spi_controller *ctlr;

	ctlr = to_spi_controller(dev);

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
	struct spi_controller *ctlr = to_spi_controller(dev);

	return sysfs_emit(buf, "%d\n", ctlr->bus_num);
}

static ssize_t slave_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct spi_controller *ctlr = to_spi_controller(dev);
	struct spi_device *spi;

	spi = spi_alloc_device(ctlr);
	if (!spi)
		return -ENOMEM;
	return count;
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
 * __spi_alloc_controller - a controller with @size bytes for its driver
 * @dev: the parent
 * @size: bytes of driver data
 * @slave: a target controller
 *
 * Free it with spi_controller_put() when registering it fails.
 *
 * Return: the controller, or NULL.
 */
struct spi_controller *__spi_alloc_controller(struct device *dev,
					      unsigned int size, bool slave)
{
	struct spi_controller	*ctlr;
	size_t ctlr_size = ALIGN(sizeof(*ctlr), dma_get_cache_alignment());

	ctlr = kzalloc(size + ctlr_size, GFP_KERNEL);
	if (!ctlr)
		return NULL;

	ctlr->pcpu_statistics = spi_alloc_pcpu_stats(NULL);
	if (!ctlr->pcpu_statistics) {
		kfree(ctlr);
		return NULL;
	}

	device_initialize(spi_controller_dev(ctlr));
	spi_controller_dev(ctlr)->class = slave ? &spi_slave_class : &spi_master_class;
	spi_controller_dev(ctlr)->parent = dev;
	return ctlr;
}

static void devm_spi_release_controller(struct device *dev, void *res)
{
	spi_controller_put(*(struct spi_controller **)res);
}

/**
 * __devm_spi_alloc_controller - __spi_alloc_controller() that devres puts
 * @dev: the parent, whose unbinding puts the controller
 * @size: bytes of driver data
 * @slave: a target controller
 *
 * Return: the controller, or NULL.
 */
struct spi_controller *__devm_spi_alloc_controller(struct device *dev,
						   unsigned int size,
						   bool slave)
{
	struct spi_controller **res, *ctlr;

	res = devres_alloc(devm_spi_release_controller, sizeof(*res), GFP_KERNEL);
	if (!res)
		return NULL;
	ctlr = __spi_alloc_controller(dev, size, slave);
	if (!ctlr) {
		devres_free(res);
		return NULL;
	}
	ctlr->devm_allocated = true;
	*res = ctlr;
	devres_add(dev, res);
	return ctlr;
}

/**
 * spi_unregister_controller - take a controller off the bus
 * @ctlr: the controller
 *
 * Drops the driver's reference unless devres holds it.
 */
void spi_unregister_controller(struct spi_controller *ctlr)
{
	mutex_lock(&ctlr->add_lock);

	mutex_lock(&board_lock);
	list_del(&ctlr->list);
	mutex_unlock(&board_lock);

	device_del(spi_controller_dev(ctlr));

	mutex_unlock(&ctlr->add_lock);

	if (!ctlr->devm_allocated)
		put_device(spi_controller_dev(ctlr));
}

static struct spi_controller *of_find_spi_controller_by_node(struct device_node *node)
{
	struct device *dev;

	dev = class_find_device_by_of_node(&spi_master_class, node);
	if (!dev)
		return NULL;

	return to_spi_controller(dev);
}

static int of_spi_notify(struct notifier_block *nb, unsigned long action,
			 void *arg)
{
	struct of_reconfig_data *rd = arg;
	struct spi_controller *ctlr;
	struct spi_device *spi;

	ctlr = of_find_spi_controller_by_node(rd->dn->parent);
	if (!ctlr)
		return NOTIFY_OK;
	spi = spi_alloc_device(ctlr);
	put_device(spi_controller_dev(ctlr));
	if (spi)
		put_device(&spi->dev);
	return NOTIFY_OK;
}

struct spi_controller *acpi_spi_find_controller_by_adev(struct acpi_device *adev)
{
	struct device *dev;

	dev = class_find_device(&spi_master_class, NULL, adev, spi_acpi_match);
	if (!dev)
		return NULL;

	return to_spi_controller(dev);
}

static int acpi_spi_notify(struct notifier_block *nb, unsigned long value,
			   void *arg)
{
	struct spi_controller *ctlr;

	ctlr = acpi_spi_find_controller_by_adev(arg);
	if (!ctlr)
		return NOTIFY_OK;
	spi_alloc_device(ctlr);
	put_device(spi_controller_dev(ctlr));
	return NOTIFY_OK;
}
