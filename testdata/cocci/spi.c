// SPDX-License-Identifier: GPL-2.0-only
/* Fixture for unembed's Coccinelle tests: an SPI controller driver. */
#include <linux/spi/spi.h>

struct bar_spi {
	void *base;
	struct spi_controller *host;
};

static struct spi_controller *bar_to_ctlr(struct device *dev)
{
	return container_of(dev, struct spi_controller, dev);
}

static struct spi_master *bar_to_master(struct device *dev)
{
	return container_of(dev, struct spi_master, dev);
}

static int bar_transfer_one(struct spi_device *spi)
{
	dev_dbg(&spi->controller->dev, "transfer for %s\n", dev_name(&spi->dev));
	return 0;
}

static void bar_old_style(struct spi_master *master)
{
	dev_warn(&master->dev, "old style\n");
}

static int bar_probe(struct platform_device *pdev)
{
	struct spi_controller *host;
	struct bar_spi *priv;

	host = devm_spi_alloc_host(&pdev->dev, sizeof(*priv));
	if (!host)
		return -ENOMEM;
	priv = spi_controller_get_devdata(host);
	priv->host = host;
	host->dev.of_node = pdev->dev.of_node;
	host->bus_num = -1;
	if (!host->dev.of_node)
		dev_info(&priv->host->dev, "no OF node\n");
	return devm_spi_register_controller(&pdev->dev, host);
}
