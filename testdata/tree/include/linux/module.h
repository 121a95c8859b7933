/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

struct module;

extern struct module __this_module;
#define THIS_MODULE (&__this_module)

#define module_init(fn)			int init_module(void) { return fn(); }
#define module_exit(fn)			void cleanup_module(void) { fn(); }
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_DEVICE_TABLE(type, name)
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)

#endif /* _LINUX_MODULE_H */
