// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: `&ctlr->dev` through a pointer to the controller, also reached
 * through spi->controller.
 */
#include <linux/spi/spi.h>

struct alder_spi {
	void __iomem *base;
	u32 speed;
};

static int alder_transfer_one(struct spi_controller *ctlr, struct spi_device *spi,
			      struct spi_transfer *t)
{
	struct alder_spi *as = spi_controller_get_devdata(ctlr);

	if (t->speed_hz > as->speed) {
		dev_err(&ctlr->dev, "%u Hz is too fast\n", t->speed_hz);
		return -EINVAL;
	}
	dev_dbg(&ctlr->dev, "%s: %u\n", dev_name(&ctlr->dev), t->len);
	spi_finalize_current_transfer(ctlr);

	return 0;
}

static int alder_setup(struct spi_device *spi)
{
	if (spi->chip_select > 1) {
		dev_warn(&spi->controller->dev, "no cs%u\n", spi->chip_select);
		return -EINVAL;
	}

	return 0;
}
