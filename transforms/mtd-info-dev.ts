// A third subsystem of the same shape, to show that one is a short definition: struct mtd_info
// embeds its struct device as `dev` too, and drivers embed mtd_info in their private data.
import { standardRules, type TransformDefinition } from '../src/transform.js';

const definition: TransformDefinition = {
  id: 'mtd-info-dev',
  subsystem: 'mtd',
  title: 'Make use of mtd_info_dev() accessor',
  structs: ['mtd_info'],
  struct: 'mtd_info',
  member: 'dev',
  memberType: 'struct device',
  header: 'include/linux/mtd/mtd.h',
  accessor: 'mtd_info_dev',
  converter: 'dev_to_mtd',
  converterAliases: [],
  objectName: 'mtd',
  deviceCreatedAt: 'registration',
  setters: [{
    member: 'parent', helper: 'mtd_set_dev_parent', params: 'struct device *parent',
    phaseOneBody: 'mtd->dev.parent = parent;', doc: 'set the parent device',
  }],
  configMembers: ['parent', 'of_node', 'fwnode'],
  registration: ['mtd_device_register', 'mtd_device_parse_register', 'add_mtd_device'],
  unregistration: ['mtd_device_unregister', 'del_mtd_device'],
  coreAllocators: ['get_mtd_device', 'get_mtd_device_nm', 'of_get_mtd_device_by_node'],
  coreFiles: ['drivers/mtd/mtdcore.c', 'drivers/mtd/mtdpart.c', 'drivers/mtd/mtdchar.c', 'include/linux/mtd/mtd.h'],
  rules: [],
};
definition.rules = standardRules(definition);
export default definition;
