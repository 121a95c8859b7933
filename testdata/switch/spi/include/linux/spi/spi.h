/* synthetic spi.h for the switch tests (after phase one); written for unembed, not kernel code */
#ifndef __FIXTURE_SPI_H
#define __FIXTURE_SPI_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/slab.h>

/**
 * struct spi_controller - a bus controller, as its driver sees it
 * @dev: the controller's place in the driver model
 * @list: on the core's list of registered controllers
 * @bus_num: number of the bus
 * @add_lock: held while devices are added
 * @devm_allocated: the controller belongs to devres
 * @pcpu_statistics: message and transfer counters
 */
struct spi_controller {
	struct device	dev;
	struct list_head list;
	s16			bus_num;
	struct mutex		add_lock;
	bool			devm_allocated;
	void __percpu		*pcpu_statistics;
};
#define to_spi_controller(d) container_of(d, struct spi_controller, dev)

#define spi_controller_dev(ctlr) (&(ctlr)->dev)

static inline void *spi_controller_get_devdata(struct spi_controller *ctlr)
{
	return dev_get_drvdata(spi_controller_dev(ctlr));
}

static inline struct spi_controller *spi_controller_get(struct spi_controller *ctlr)
{
	if (!ctlr || !get_device(spi_controller_dev(ctlr)))
		return NULL;
	return ctlr;
}

static inline void spi_controller_put(struct spi_controller *ctlr)
{
	if (ctlr)
		put_device(spi_controller_dev(ctlr));
}

struct spi_controller *acpi_spi_find_controller_by_adev(struct acpi_device *adev);

#endif
