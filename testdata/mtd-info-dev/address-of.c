// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture: `&mtd->dev` and `&priv->mtd.dev` become mtd_info_dev().
 */
#include <linux/mtd/mtd.h>
#include <linux/platform_device.h>

struct hazel_flash {
	void __iomem *base;
	struct mtd_info mtd;
};

static int hazel_read(struct mtd_info *mtd, u64 from, size_t len, size_t *retlen, u8 *buf)
{
	if (from + len > mtd->size) {
		dev_err(&mtd->dev, "read past the end\n");
		return -EINVAL;
	}
	*retlen = 0;

	return 0;
}

static int hazel_register(struct hazel_flash *hf)
{
	int ret;

	ret = mtd_device_register(&hf->mtd, NULL, 0);
	if (!ret)
		dev_info(&hf->mtd.dev, "%s ready\n", dev_name(&hf->mtd.dev));

	return ret;
}
