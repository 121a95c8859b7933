/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in written for unembed's example tree. Not kernel source.
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/types.h>

#define offsetof(TYPE, MEMBER)	__builtin_offsetof(TYPE, MEMBER)

#define container_of(ptr, type, member) ({			\
	void *__mptr = (void *)(ptr);				\
	((type *)(__mptr - offsetof(type, member))); })

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((a) - 1))
#define BIT(nr)			(1UL << (nr))
#define min(a, b)		((a) < (b) ? (a) : (b))

#define unlikely(x)		__builtin_expect(!!(x), 0)
#define WARN_ON(cond)		unlikely(cond)
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

int printk(const char *fmt, ...);
#define pr_err(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(fmt, ##__VA_ARGS__)

void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int sysfs_emit(char *buf, const char *fmt, ...);

#endif /* _LINUX_KERNEL_H */
