/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_PLATFORM_DEVICE_H
#define _LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
};

struct platform_device {
	const char *name;
	int id;
	struct device dev;
	u32 num_resources;
	struct resource *resource;
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	void (*remove)(struct platform_device *pdev);
	struct device_driver driver;
};

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

int platform_get_irq(struct platform_device *pdev, unsigned int num);
void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev, unsigned int index);
int platform_device_register(struct platform_device *pdev);
void platform_device_unregister(struct platform_device *pdev);
#define PLATFORM_DEVID_AUTO	(-2)

struct platform_device *platform_device_register_data(struct device *parent, const char *name,
						      int id, const void *data, size_t size);
int platform_driver_register(struct platform_driver *drv);
void platform_driver_unregister(struct platform_driver *drv);

#define module_platform_driver(__platform_driver)				\
static int __init __platform_driver##_init(void)				\
{										\
	return platform_driver_register(&(__platform_driver));			\
}										\
module_init(__platform_driver##_init);						\
static void __exit __platform_driver##_exit(void)				\
{										\
	platform_driver_unregister(&(__platform_driver));			\
}										\
module_exit(__platform_driver##_exit)

#endif /* _LINUX_PLATFORM_DEVICE_H */
