/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H

#include <linux/types.h>

struct completion {
	unsigned int done;
	struct list_head wait;
};

void init_completion(struct completion *x);
void reinit_completion(struct completion *x);
void complete(struct completion *x);
void wait_for_completion(struct completion *x);
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);

#endif /* _LINUX_COMPLETION_H */
