/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#define EIO		5
#define ENXIO		6
#define EAGAIN		11
#define ENOMEM		12
#define EBUSY		16
#define ENODEV		19
#define EINVAL		22
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
#define EPROBE_DEFER	517

#define IS_ERR(ptr)	((unsigned long)(ptr) >= (unsigned long)-4095)
#define PTR_ERR(ptr)	((long)(ptr))
#define ERR_PTR(err)	((void *)(long)(err))

#endif /* _LINUX_ERRNO_H */
