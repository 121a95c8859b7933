// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: the parent of the MTD device is set with mtd_set_dev_parent()
 * before registration.
 */
#include <linux/mtd/mtd.h>
#include <linux/platform_device.h>

struct juniper_flash {
	struct mtd_info mtd;
	struct mtd_info boot;
};

static int juniper_add(struct mtd_info *mtd, struct device *dev)
{
	mtd->dev.parent = dev;

	return mtd_device_register(mtd, NULL, 0);
}

static int juniper_probe(struct platform_device *pdev)
{
	struct juniper_flash *jf;
	int ret;

	jf = devm_kzalloc(&pdev->dev, sizeof(*jf), GFP_KERNEL);
	if (!jf)
		return -ENOMEM;

	jf->mtd.name = "juniper";
	jf->mtd.type = MTD_NORFLASH;
	jf->mtd.dev.parent = &pdev->dev;
	ret = mtd_device_register(&jf->mtd, NULL, 0);
	if (ret)
		return ret;

	jf->boot.name = "juniper-boot";
	return juniper_add(&jf->boot, &pdev->dev);
}
