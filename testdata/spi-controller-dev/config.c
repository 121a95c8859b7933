// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: SPI has no setters: the core allocates the controller's device,
 * so configuration is written through the accessor.
 */
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

static int birch_probe(struct platform_device *pdev)
{
	struct spi_controller *ctlr;
	struct device_node *np = pdev->dev.of_node;

	ctlr = spi_alloc_host(&pdev->dev, 0);
	if (!ctlr)
		return -ENOMEM;

	ctlr->dev.of_node = np;
	if (!np)
		device_set_node(&ctlr->dev, dev_fwnode(&pdev->dev));
	if (ctlr->dev.parent != &pdev->dev)
		dev_warn(&pdev->dev, "unexpected parent\n");
	ctlr->num_chipselect = 2;

	return spi_register_controller(ctlr);
}
