/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in for the SPI core's interface, written for unembed's
 * example tree: only what the example drivers need. Not kernel source.
 */
#ifndef __LINUX_SPI_H
#define __LINUX_SPI_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/of.h>

struct spi_controller;
struct spi_transfer;
struct spi_message;

struct spi_device {
	struct device dev;
	struct spi_controller *controller;
	struct spi_controller *master;	/* compatibility layer */
	u32 max_speed_hz;
	u8 chip_select;
	u8 bits_per_word;
	u32 mode;
#define SPI_CPHA	BIT(0)
#define SPI_CPOL	BIT(1)
#define SPI_CS_HIGH	BIT(2)
	int irq;
	void *controller_state;
	char modalias[32];
};
#define to_spi_device(__dev) container_of(__dev, struct spi_device, dev)

static inline void *spi_get_ctldata(const struct spi_device *spi)
{
	return spi->controller_state;
}

static inline void spi_set_ctldata(struct spi_device *spi, void *state)
{
	spi->controller_state = state;
}

struct spi_transfer {
	const void *tx_buf;
	void *rx_buf;
	unsigned int len;
	u32 speed_hz;
	u8 bits_per_word;
};

struct spi_controller {
	struct device dev;

	struct list_head list;
	s16 bus_num;
	u16 num_chipselect;
	u16 dma_alignment;
	u32 mode_bits;
	u32 bits_per_word_mask;
#define SPI_BPW_MASK(bits) BIT((bits) - 1)
	u32 min_speed_hz;
	u32 max_speed_hz;
	u16 flags;
#define SPI_CONTROLLER_HALF_DUPLEX	BIT(0)
	bool target;
	struct mutex io_mutex;

	int (*setup)(struct spi_device *spi);
	void (*cleanup)(struct spi_device *spi);
	void (*set_cs)(struct spi_device *spi, bool enable);
	int (*transfer_one)(struct spi_controller *ctlr, struct spi_device *spi,
			    struct spi_transfer *transfer);
	void (*handle_err)(struct spi_controller *ctlr, struct spi_message *message);
	bool use_gpio_descriptors;
};

static inline void *spi_controller_get_devdata(struct spi_controller *ctlr)
{
	return dev_get_drvdata(&ctlr->dev); /* site: core */
}

static inline void spi_controller_set_devdata(struct spi_controller *ctlr, void *data)
{
	dev_set_drvdata(&ctlr->dev, data); /* site: core */
}

static inline struct spi_controller *spi_controller_get(struct spi_controller *ctlr)
{
	if (!ctlr || !get_device(&ctlr->dev)) /* site: core */
		return NULL;
	return ctlr;
}

static inline void spi_controller_put(struct spi_controller *ctlr)
{
	if (ctlr)
		put_device(&ctlr->dev); /* site: core */
}

void spi_finalize_current_transfer(struct spi_controller *ctlr);

struct spi_controller *__spi_alloc_controller(struct device *host, unsigned int size,
					      bool target);

static inline struct spi_controller *spi_alloc_host(struct device *dev, unsigned int size)
{
	return __spi_alloc_controller(dev, size, false);
}

static inline struct spi_controller *spi_alloc_master(struct device *host, unsigned int size)
{
	return __spi_alloc_controller(host, size, false);
}

struct spi_controller *__devm_spi_alloc_controller(struct device *dev, unsigned int size,
						   bool target);

static inline struct spi_controller *devm_spi_alloc_host(struct device *dev, unsigned int size)
{
	return __devm_spi_alloc_controller(dev, size, false);
}

int spi_register_controller(struct spi_controller *ctlr);
int devm_spi_register_controller(struct device *dev, struct spi_controller *ctlr);
void spi_unregister_controller(struct spi_controller *ctlr);

/* Compatibility layer: the old names of the controller API */
#define spi_master			spi_controller
#define spi_master_get_devdata(_ctlr)	spi_controller_get_devdata(_ctlr)
#define spi_master_set_devdata(_ctlr, _data)	\
	spi_controller_set_devdata(_ctlr, _data)
#define spi_master_get(_ctlr)		spi_controller_get(_ctlr)
#define spi_master_put(_ctlr)		spi_controller_put(_ctlr)
#define spi_register_master(_ctlr)	spi_register_controller(_ctlr)
#define devm_spi_register_master(_dev, _ctlr) \
	devm_spi_register_controller(_dev, _ctlr)
#define spi_unregister_master(_ctlr)	spi_unregister_controller(_ctlr)

struct spi_driver {
	int (*probe)(struct spi_device *spi);
	void (*remove)(struct spi_device *spi);
	struct device_driver driver;
};

#endif /* __LINUX_SPI_H */
