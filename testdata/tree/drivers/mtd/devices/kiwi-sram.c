// SPDX-License-Identifier: GPL-2.0
/*
 * Battery-backed SRAM of Kiwi boards as an MTD device.
 *
 * Synthetic example written for unembed: the third transform's shape, an
 * mtd_info embedded in private data, its device's parent set before
 * mtd_device_register().
 */

#include <linux/io.h>
#include <linux/module.h>
#include <linux/mtd/mtd.h>
#include <linux/of.h>
#include <linux/platform_device.h>

struct kiwi_sram {
	void __iomem *base;
	struct mtd_info mtd;
};

static int kiwi_sram_read(struct mtd_info *mtd, u64 from, size_t len, size_t *retlen, u8 *buf)
{
	struct kiwi_sram *ks = mtd->priv;
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = readl(ks->base + from + i);
	*retlen = len;

	return 0;
}

static int kiwi_sram_write(struct mtd_info *mtd, u64 to, size_t len, size_t *retlen,
			   const u8 *buf)
{
	struct kiwi_sram *ks = mtd->priv;
	size_t i;

	for (i = 0; i < len; i++)
		writel(buf[i], ks->base + to + i);
	*retlen = len;
	dev_dbg(&mtd->dev, "wrote %zu bytes at %llu\n", len, to); /* site: address-of */

	return 0;
}

static int kiwi_sram_probe(struct platform_device *pdev)
{
	struct kiwi_sram *ks;
	u32 size;
	int ret;

	ks = devm_kzalloc(&pdev->dev, sizeof(*ks), GFP_KERNEL);
	if (!ks)
		return -ENOMEM;

	ks->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(ks->base))
		return PTR_ERR(ks->base);
	if (of_property_read_u32(pdev->dev.of_node, "kiwi,size", &size))
		size = 32 * 1024;

	ks->mtd.type = MTD_RAM;
	ks->mtd.flags = MTD_WRITEABLE;
	ks->mtd.size = size;
	ks->mtd.erasesize = 1;
	ks->mtd.writesize = 1;
	ks->mtd.owner = THIS_MODULE;
	ks->mtd.priv = ks;
	ks->mtd._read = kiwi_sram_read;
	ks->mtd._write = kiwi_sram_write;
	ks->mtd.dev.parent = &pdev->dev; /* site: config-before-register */
	mtd_set_of_node(&ks->mtd, pdev->dev.of_node);

	ret = mtd_device_register(&ks->mtd, NULL, 0);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, ks);
	dev_info(&ks->mtd.dev, "%u bytes of SRAM\n", size); /* site: address-of */

	return 0;
}

static void kiwi_sram_remove(struct platform_device *pdev)
{
	struct kiwi_sram *ks = platform_get_drvdata(pdev);

	mtd_device_unregister(&ks->mtd);
}

static const struct of_device_id kiwi_sram_of_match[] = {
	{ .compatible = "kiwi,sram" },
	{ }
};
MODULE_DEVICE_TABLE(of, kiwi_sram_of_match);

static struct platform_driver kiwi_sram_driver = {
	.probe = kiwi_sram_probe,
	.remove = kiwi_sram_remove,
	.driver = {
		.name = "kiwi-sram",
		.of_match_table = kiwi_sram_of_match,
	},
};
module_platform_driver(kiwi_sram_driver);

MODULE_DESCRIPTION("Kiwi battery-backed SRAM driver (unembed example)");
MODULE_LICENSE("GPL");
