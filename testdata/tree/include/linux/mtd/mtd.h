/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in for the MTD interface, written for unembed's example
 * tree: only what the example drivers need. Not kernel source.
 */
#ifndef __MTD_MTD_H__
#define __MTD_MTD_H__

#include <linux/device.h>
#include <linux/of.h>

#define MTD_RAM			1
#define MTD_NORFLASH		3
#define MTD_WRITEABLE		0x400

struct mtd_partition;

struct mtd_info {
	u8 type;
	u32 flags;
	u64 size;
	u32 erasesize;
	u32 writesize;
	const char *name;
	int index;

	int (*_read)(struct mtd_info *mtd, u64 from, size_t len, size_t *retlen, u8 *buf);
	int (*_write)(struct mtd_info *mtd, u64 to, size_t len, size_t *retlen, const u8 *buf);

	struct module *owner;
	struct device dev;
	void *priv;
};

static inline void mtd_set_of_node(struct mtd_info *mtd, struct device_node *np)
{
	mtd->dev.of_node = np; /* site: core */
	if (!mtd->name && np)
		mtd->name = np->name;
}

static inline struct device_node *mtd_get_of_node(struct mtd_info *mtd)
{
	return mtd->dev.of_node; /* site: core */
}

int mtd_device_parse_register(struct mtd_info *mtd, const char * const *part_probe_types,
			      void *parser_data, const struct mtd_partition *defparts,
			      int defnr_parts);
#define mtd_device_register(master, parts, nr_parts)	\
	mtd_device_parse_register(master, NULL, NULL, parts, nr_parts)
int mtd_device_unregister(struct mtd_info *master);

#endif /* __MTD_MTD_H__ */
