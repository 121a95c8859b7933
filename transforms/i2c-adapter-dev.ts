// Hide every access to the struct device embedded in struct i2c_adapter behind helpers.
import { standardRules, type ConfigGetter, type ConfigSetter, type TransformDefinition } from '../src/transform.js';

const setters: ConfigSetter[] = [
  {
    member: 'parent', helper: 'i2c_adapter_set_parent', params: 'struct device *parent',
    phaseOneBody: 'adap->dev.parent = parent;',
    doc: 'set the parent device of the adapter\'s device',
  },
  {
    member: 'of_node', helper: 'i2c_adapter_set_of_node', params: 'struct device_node *np',
    phaseOneBody: 'adap->dev.of_node = np;',
    doc: 'set the device tree node of the adapter\'s device',
  },
  {
    member: 'fwnode', helper: 'i2c_adapter_set_fwnode', params: 'struct fwnode_handle *fwnode',
    phaseOneBody: 'adap->dev.fwnode = fwnode;',
    doc: 'set the firmware node of the adapter\'s device',
  },
  {
    call: 'device_set_node', helper: 'i2c_adapter_set_node', params: 'struct fwnode_handle *fwnode',
    phaseOneBody: 'device_set_node(&adap->dev, fwnode);',
    doc: 'set the firmware node (and OF node) of the adapter\'s device',
  },
  {
    call: 'ACPI_COMPANION_SET', helper: 'i2c_adapter_set_acpi_companion', params: 'struct acpi_device *adev',
    phaseOneBody: 'ACPI_COMPANION_SET(&adap->dev, adev);',
    doc: 'set the ACPI companion of the adapter\'s device',
  },
  {
    call: 'device_set_of_node_from_dev', helper: 'i2c_adapter_set_of_node_from_dev',
    params: 'const struct device *dev',
    phaseOneBody: 'device_set_of_node_from_dev(&adap->dev, dev);',
    doc: 'reuse the OF node of @dev for the adapter\'s device',
  },
  {
    call: 'acpi_use_parent_companion', helper: 'i2c_adapter_use_parent_companion', params: '',
    phaseOneBody: 'acpi_use_parent_companion(&adap->dev);',
    doc: 'give the adapter\'s device the ACPI companion of its parent',
  },
];

// Reads of the parent (dev_err(adap->dev.parent, ...)) need no device: after the switch the
// getter returns what i2c_adapter_set_parent() recorded until the core creates the device.
const getters: ConfigGetter[] = [
  {
    member: 'parent', helper: 'i2c_adapter_parent', returns: 'struct device *',
    phaseOneBody: 'return adap->dev.parent;',
    doc: 'get the parent device of the adapter\'s device',
  },
];

const definition: TransformDefinition = {
  id: 'i2c-adapter-dev',
  subsystem: 'i2c',
  title: 'Make use of i2c_adapter_dev() accessor',
  structs: ['i2c_adapter'],
  struct: 'i2c_adapter',
  member: 'dev',
  memberType: 'struct device',
  header: 'include/linux/i2c.h',
  accessor: 'i2c_adapter_dev',
  converter: 'to_i2c_adapter',
  converterAliases: [],
  objectName: 'adap',
  deviceCreatedAt: 'registration',
  setters,
  getters,
  configMembers: ['parent', 'of_node', 'fwnode'],
  registration: [
    'i2c_add_adapter', 'i2c_add_numbered_adapter', 'devm_i2c_add_adapter', 'i2c_bit_add_bus',
    'i2c_bit_add_numbered_bus', 'i2c_pca_add_bus', 'i2c_pca_add_numbered_bus',
  ],
  unregistration: ['i2c_del_adapter'],
  coreAllocators: ['i2c_get_adapter', 'i2c_verify_adapter', 'i2c_root_adapter', 'of_find_i2c_adapter_by_node',
    'of_get_i2c_adapter_by_node', 'i2c_acpi_find_adapter_by_handle'],
  coreFiles: ['drivers/i2c/i2c-core-*.c', 'drivers/i2c/i2c-core.h', 'drivers/i2c/i2c-dev.c', 'drivers/i2c/i2c-mux.c',
    'drivers/i2c/i2c-smbus.c', 'drivers/i2c/i2c-boardinfo.c', 'drivers/i2c/i2c-atr.c', 'include/linux/i2c.h',
    'include/linux/i2c-*.h'],
  rules: [],
};
definition.rules = standardRules(definition);
export default definition;
