/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

void udelay(unsigned long usecs);
void usleep_range(unsigned long min, unsigned long max);
unsigned long msecs_to_jiffies(const unsigned int m);

#endif /* _LINUX_DELAY_H */
