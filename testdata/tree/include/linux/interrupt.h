/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/device.h>

typedef int irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQ_NONE	0
#define IRQ_HANDLED	1
#define IRQF_SHARED	0x00000080
#define IRQF_ONESHOT	0x00002000

int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
		     unsigned long irqflags, const char *devname, void *dev_id);
int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id);

#endif /* _LINUX_INTERRUPT_H */
