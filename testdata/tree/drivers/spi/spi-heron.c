// SPDX-License-Identifier: GPL-2.0
/*
 * Heron SoC SPI controller.
 *
 * Synthetic example written for unembed: a controller allocated with
 * devm_spi_alloc_host(), its device configured and used for messages.
 */

#include <linux/clk.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

#define HERON_SPI_CFG		0x00
#define HERON_SPI_CS		0x04
#define HERON_SPI_TXDATA	0x08
#define HERON_SPI_RXDATA	0x0c
#define HERON_SPI_STAT		0x10
#define HERON_STAT_RXNE		BIT(0)

struct heron_spi {
	void __iomem *regs;
	struct clk *clk;
	u32 fifo_depth;
};

static void heron_spi_set_cs(struct spi_device *spi, bool enable)
{
	struct heron_spi *hs = spi_controller_get_devdata(spi->controller);

	writel(enable ? BIT(spi->chip_select) : 0, hs->regs + HERON_SPI_CS);
}

static int heron_spi_setup(struct spi_device *spi)
{
	if (spi->bits_per_word != 8) {
		dev_dbg(&spi->controller->dev, "unsupported word size %u\n", /* site: address-of */
			spi->bits_per_word);
		return -EINVAL;
	}

	return 0;
}

static int heron_spi_transfer_one(struct spi_controller *host, struct spi_device *spi,
				  struct spi_transfer *t)
{
	struct heron_spi *hs = spi_controller_get_devdata(host);
	const u8 *tx = t->tx_buf;
	u8 *rx = t->rx_buf;
	unsigned int i;
	int tries;

	for (i = 0; i < t->len; i++) {
		writel(tx ? tx[i] : 0, hs->regs + HERON_SPI_TXDATA);
		for (tries = 1000; tries; tries--)
			if (readl(hs->regs + HERON_SPI_STAT) & HERON_STAT_RXNE)
				break;
		if (!tries) {
			dev_err(&host->dev, "rx timeout at byte %u of %u\n", i, t->len); /* site: address-of */
			return -ETIMEDOUT;
		}
		if (rx)
			rx[i] = readl(hs->regs + HERON_SPI_RXDATA);
	}

	return 0;
}

static int heron_spi_probe(struct platform_device *pdev)
{
	struct spi_controller *host;
	struct heron_spi *hs;
	int ret;

	host = devm_spi_alloc_host(&pdev->dev, sizeof(*hs));
	if (!host)
		return -ENOMEM;

	hs = spi_controller_get_devdata(host);
	hs->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(hs->regs))
		return PTR_ERR(hs->regs);

	hs->clk = devm_clk_get_enabled(&pdev->dev, NULL);
	if (IS_ERR(hs->clk))
		return dev_err_probe(&pdev->dev, PTR_ERR(hs->clk), "no clock\n");

	host->dev.of_node = pdev->dev.of_node; /* site: config-before-register */
	host->bus_num = pdev->id;
	host->num_chipselect = 4;
	host->mode_bits = SPI_CPHA | SPI_CPOL;
	host->bits_per_word_mask = SPI_BPW_MASK(8);
	host->max_speed_hz = clk_get_rate(hs->clk) / 2;
	host->setup = heron_spi_setup;
	host->set_cs = heron_spi_set_cs;
	host->transfer_one = heron_spi_transfer_one;

	ret = devm_spi_register_controller(&pdev->dev, host);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot register controller\n");

	dev_info(&host->dev, "Heron SPI at %lu Hz\n", (unsigned long)host->max_speed_hz); /* site: address-of */

	return 0;
}

static const struct of_device_id heron_spi_of_match[] = {
	{ .compatible = "heron,spi" },
	{ }
};
MODULE_DEVICE_TABLE(of, heron_spi_of_match);

static struct platform_driver heron_spi_driver = {
	.probe = heron_spi_probe,
	.driver = {
		.name = "heron-spi",
		.of_match_table = heron_spi_of_match,
	},
};
module_platform_driver(heron_spi_driver);

MODULE_DESCRIPTION("Heron SoC SPI controller driver (unembed example)");
MODULE_LICENSE("GPL");
