// SPDX-License-Identifier: GPL-2.0
/*
 * Jacana SPI controller.
 *
 * Synthetic example written for unembed: a driver that still uses the old
 * spi_master names.
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

#define JACANA_TX		0x00
#define JACANA_RX		0x04
#define JACANA_CS		0x08

struct jacana_spi {
	struct spi_master *master;
	void __iomem *regs;
	u32 cur_speed;
};

static int jacana_setup(struct spi_device *spi)
{
	struct jacana_spi *js = spi_master_get_devdata(spi->master);

	if (spi->max_speed_hz < 10000) {
		dev_err(&spi->master->dev, "cs%u: speed %u too low\n", /* site: address-of */
			spi->chip_select, spi->max_speed_hz);
		return -EINVAL;
	}
	js->cur_speed = spi->max_speed_hz;

	return 0;
}

static int jacana_transfer_one(struct spi_master *master, struct spi_device *spi,
			       struct spi_transfer *t)
{
	struct jacana_spi *js = spi_master_get_devdata(master);
	u8 *rx = t->rx_buf;
	unsigned int i;

	dev_dbg(&master->dev, "%u bytes at %u Hz\n", t->len, js->cur_speed); /* site: address-of */
	writel(BIT(spi->chip_select), js->regs + JACANA_CS);
	for (i = 0; i < t->len; i++) {
		writel(t->tx_buf ? ((const u8 *)t->tx_buf)[i] : 0, js->regs + JACANA_TX);
		if (rx)
			rx[i] = readl(js->regs + JACANA_RX);
	}
	writel(0, js->regs + JACANA_CS);

	return 0;
}

static int jacana_probe(struct platform_device *pdev)
{
	struct spi_master *master;
	struct jacana_spi *js;
	int ret;

	master = spi_alloc_master(&pdev->dev, sizeof(*js));
	if (!master)
		return -ENOMEM;

	js = spi_master_get_devdata(master);
	js->master = master;
	js->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(js->regs)) {
		ret = PTR_ERR(js->regs);
		goto err_put;
	}

	master->dev.of_node = pdev->dev.of_node; /* site: config-before-register */
	master->bus_num = pdev->id;
	master->num_chipselect = 2;
	master->setup = jacana_setup;
	master->transfer_one = jacana_transfer_one;
	platform_set_drvdata(pdev, js);

	ret = spi_register_master(master);
	if (ret)
		goto err_put;

	return 0;

err_put:
	spi_master_put(master);
	return ret;
}

static void jacana_remove(struct platform_device *pdev)
{
	struct jacana_spi *js = platform_get_drvdata(pdev);

	dev_dbg(&js->master->dev, "removing\n"); /* site: address-of */
	spi_unregister_master(js->master);
}

static const struct of_device_id jacana_of_match[] = {
	{ .compatible = "jacana,spi-v1" },
	{ }
};
MODULE_DEVICE_TABLE(of, jacana_of_match);

static struct platform_driver jacana_driver = {
	.probe = jacana_probe,
	.remove = jacana_remove,
	.driver = {
		.name = "jacana-spi",
		.of_match_table = of_match_ptr(jacana_of_match),
	},
};
module_platform_driver(jacana_driver);

MODULE_DESCRIPTION("Jacana SPI controller driver (unembed example)");
MODULE_LICENSE("GPL");
