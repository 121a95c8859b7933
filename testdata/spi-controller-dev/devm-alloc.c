// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: controllers obtained from devm_spi_alloc_host(), in an
 * assignment and in an initialised declaration, used right away.
 */
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

struct dogwood_spi {
	void __iomem *base;
};

static int dogwood_probe(struct platform_device *pdev)
{
	struct spi_controller *host;

	host = devm_spi_alloc_host(&pdev->dev, sizeof(struct dogwood_spi));
	if (!host)
		return -ENOMEM;

	dev_dbg(&host->dev, "allocated\n");
	host->num_chipselect = 1;

	return devm_spi_register_controller(&pdev->dev, host);
}

static int dogwood_probe_second(struct platform_device *pdev)
{
	struct spi_controller *host = devm_spi_alloc_host(&pdev->dev, 0);

	if (!host)
		return -ENOMEM;

	host->dev.of_node = pdev->dev.of_node;
	dev_dbg(&host->dev, "second controller\n");

	return devm_spi_register_controller(&pdev->dev, host);
}
