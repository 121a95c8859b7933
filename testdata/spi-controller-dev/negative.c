// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: accesses that must stay: the SPI device's and the platform
 * device's `dev`, a `controller` member of another type.
 */
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

/* the display controller behind the SPI link, not an SPI controller */
struct fir_panel_controller {
	struct device dev;
	u32 id;
};

struct fir_panel {
	struct spi_device *spi;
	struct fir_panel_controller *controller;
};

static int fir_probe(struct spi_device *spi)
{
	struct fir_panel *panel;

	panel = devm_kzalloc(&spi->dev, sizeof(*panel), GFP_KERNEL);
	if (!panel)
		return -ENOMEM;

	panel->spi = spi;
	if (panel->controller)
		dev_info(&panel->controller->dev, "controller %u\n", panel->controller->id);
	dev_dbg(&spi->dev, "cs%u mode %#x\n", spi->chip_select, spi->mode);

	return 0;
}

static int fir_plat_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "parent %s\n", dev_name(pdev->dev.parent));

	return 0;
}
