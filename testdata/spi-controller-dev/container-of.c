// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: container_of() from the controller's device back to the
 * controller becomes to_spi_controller(), also under the spi_master name;
 * to_spi_device() stays.
 */
#include <linux/spi/spi.h>

static ssize_t elm_stats_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct spi_controller *ctlr = container_of(dev, struct spi_controller, dev);

	return sysfs_emit(buf, "%u\n", ctlr->num_chipselect);
}

static ssize_t elm_legacy_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct spi_master *master = container_of(dev, struct spi_master, dev);

	return sysfs_emit(buf, "%d\n", master->bus_num);
}

static ssize_t elm_cs_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct spi_device *spi = to_spi_device(dev);

	return sysfs_emit(buf, "%u\n", spi->chip_select);
}
