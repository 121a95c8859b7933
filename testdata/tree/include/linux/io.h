/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>

u32 readl(const volatile void __iomem *addr);
void writel(u32 value, volatile void __iomem *addr);
u32 ioread32(const void __iomem *addr);
void iowrite32(u32 value, void __iomem *addr);

#endif /* _LINUX_IO_H */
