// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: the old `struct spi_master` name of the controller, through
 * locals, members and spi->master.
 */
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

struct cedar_spi {
	struct spi_master *master;
	void __iomem *regs;
};

static int cedar_setup(struct spi_device *spi)
{
	dev_dbg(&spi->master->dev, "setup cs%u\n", spi->chip_select);

	return 0;
}

static int cedar_probe(struct platform_device *pdev)
{
	struct spi_master *master;
	struct cedar_spi *cs;
	int ret;

	master = spi_alloc_master(&pdev->dev, sizeof(*cs));
	if (!master)
		return -ENOMEM;

	cs = spi_master_get_devdata(master);
	cs->master = master;
	master->dev.of_node = pdev->dev.of_node;
	master->setup = cedar_setup;

	ret = spi_register_master(master);
	if (ret) {
		spi_master_put(master);
		return ret;
	}
	dev_info(&cs->master->dev, "Cedar SPI registered\n");

	return 0;
}
