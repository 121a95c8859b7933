/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic stand-in written for unembed's example tree: only the basic
 * types the example drivers use. Not kernel source.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed short s16;
typedef signed int s32;
typedef unsigned long size_t;
typedef long ssize_t;
typedef _Bool bool;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;
typedef u64 resource_size_t;

#define NULL ((void *)0)
#define true 1
#define false 0

struct list_head {
	struct list_head *next, *prev;
};

#endif /* _LINUX_TYPES_H */
