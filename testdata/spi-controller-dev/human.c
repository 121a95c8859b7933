// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: the controller's device used by value, its size and offset:
 * reported for a human, never rewritten.
 */
#include <linux/spi/spi.h>

static size_t gum_sizes(struct spi_controller *ctlr, struct device *copy)
{
	size_t size;

	/* unembed: human */
	*copy = ctlr->dev;
	/* unembed: human */
	size = sizeof(ctlr->dev);
	/* unembed: human */
	size += offsetof(struct spi_controller, dev);

	return size;
}
