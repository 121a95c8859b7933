/* SPDX-License-Identifier: GPL-2.0 */
/* Synthetic stand-in written for unembed's example tree. Not kernel source. */
#ifndef _LINUX_OF_H
#define _LINUX_OF_H

#include <linux/types.h>
#include <linux/fwnode.h>

struct device_node {
	const char *name;
	const char *full_name;
	struct fwnode_handle fwnode;
	struct device_node *parent;
	struct device_node *child;
	struct device_node *sibling;
};

struct of_device_id {
	char name[32];
	char type[32];
	char compatible[128];
	const void *data;
};

struct device_node *of_node_get(struct device_node *node);
void of_node_put(struct device_node *node);
struct device_node *of_get_next_available_child(const struct device_node *node,
						struct device_node *prev);
int of_property_read_u32(const struct device_node *np, const char *propname, u32 *out_value);
bool of_property_read_bool(const struct device_node *np, const char *propname);
struct device_node *of_get_child_by_name(const struct device_node *node, const char *name);
struct device_node *of_parse_phandle(const struct device_node *np, const char *phandle_name,
				     int index);

#define for_each_available_child_of_node(parent, child) \
	for (child = of_get_next_available_child(parent, NULL); child != NULL; \
	     child = of_get_next_available_child(parent, child))

#define of_fwnode_handle(node) (&(node)->fwnode)
#define of_match_ptr(_ptr)	(_ptr)

#endif /* _LINUX_OF_H */
