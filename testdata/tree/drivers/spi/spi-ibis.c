// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ibis SPI controller.
 *
 * Synthetic example written for unembed: spi_alloc_host() with an explicit
 * error path, a firmware node set on the controller's device, and sysfs
 * attributes on that device.
 */

#include <linux/device.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

#define IBIS_CTRL		0x00
#define IBIS_DATA		0x04
#define IBIS_CTRL_ENABLE	BIT(31)

struct ibis_spi {
	void __iomem *base;
	unsigned long xfers;
};

static ssize_t xfers_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct spi_controller *ctlr = container_of(dev, struct spi_controller, dev); /* site: conversion */
	struct ibis_spi *ibis = spi_controller_get_devdata(ctlr);

	return sysfs_emit(buf, "%lu\n", ibis->xfers);
}
static DEVICE_ATTR_RO(xfers);

static int ibis_transfer_one(struct spi_controller *ctlr, struct spi_device *spi,
			     struct spi_transfer *t)
{
	struct ibis_spi *ibis = spi_controller_get_devdata(ctlr);
	const u8 *tx = t->tx_buf;
	unsigned int i;

	for (i = 0; i < t->len; i++)
		writel(tx ? tx[i] : 0xff, ibis->base + IBIS_DATA);
	ibis->xfers++;

	return 0;
}

static int ibis_probe(struct platform_device *pdev)
{
	struct spi_controller *ctlr;
	struct ibis_spi *ibis;
	int ret;

	ctlr = spi_alloc_host(&pdev->dev, sizeof(*ibis));
	if (!ctlr)
		return -ENOMEM;

	ibis = spi_controller_get_devdata(ctlr);
	ibis->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(ibis->base)) {
		ret = PTR_ERR(ibis->base);
		goto err_put;
	}

	device_set_node(&ctlr->dev, dev_fwnode(&pdev->dev)); /* site: config-before-register */
	ctlr->bus_num = -1;
	ctlr->num_chipselect = 1;
	ctlr->flags = SPI_CONTROLLER_HALF_DUPLEX;
	ctlr->transfer_one = ibis_transfer_one;
	platform_set_drvdata(pdev, ctlr);

	writel(IBIS_CTRL_ENABLE, ibis->base + IBIS_CTRL);
	ret = spi_register_controller(ctlr);
	if (ret) {
		dev_err(&pdev->dev, "failed to register controller: %d\n", ret);
		goto err_put;
	}

	ret = device_create_file(&ctlr->dev, &dev_attr_xfers); /* site: address-of */
	if (ret)
		dev_warn(ctlr->dev.parent, "no statistics in sysfs\n"); /* site: member-read */

	return 0;

err_put:
	spi_controller_put(ctlr);
	return ret;
}

static void ibis_remove(struct platform_device *pdev)
{
	struct spi_controller *ctlr = platform_get_drvdata(pdev);
	struct ibis_spi *ibis = spi_controller_get_devdata(ctlr);

	device_remove_file(&ctlr->dev, &dev_attr_xfers); /* site: address-of */
	spi_unregister_controller(ctlr);
	writel(0, ibis->base + IBIS_CTRL);
}

static struct platform_driver ibis_driver = {
	.probe = ibis_probe,
	.remove = ibis_remove,
	.driver = {
		.name = "ibis-spi",
	},
};
module_platform_driver(ibis_driver);

MODULE_DESCRIPTION("Ibis SPI controller driver (unembed example)");
MODULE_LICENSE("GPL");
