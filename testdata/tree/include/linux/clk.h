/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_CLK_H
#define _LINUX_CLK_H

struct clk;
struct device;

struct clk *devm_clk_get_enabled(struct device *dev, const char *id);
unsigned long clk_get_rate(struct clk *clk);

#endif /* _LINUX_CLK_H */
