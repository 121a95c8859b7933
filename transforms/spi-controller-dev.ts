// Hide every access to the struct device embedded in struct spi_controller (alias spi_master).
// The SPI core allocates the controller, and its device, in spi_alloc_host() and friends, so
// the device exists before registration: configuration goes through the accessor, no setters.
import { standardRules, type TransformDefinition } from '../src/transform.js';

const definition: TransformDefinition = {
  id: 'spi-controller-dev',
  subsystem: 'spi',
  title: 'Make use of spi_controller_dev() accessor',
  structs: ['spi_controller', 'spi_master'],
  struct: 'spi_controller',
  member: 'dev',
  memberType: 'struct device',
  header: 'include/linux/spi/spi.h',
  accessor: 'spi_controller_dev',
  converter: 'to_spi_controller',
  converterAliases: ['to_spi_master'],
  objectName: 'ctlr',
  deviceCreatedAt: 'allocation',
  setters: [],
  configMembers: ['parent', 'of_node', 'fwnode'],
  registration: ['spi_register_controller', 'devm_spi_register_controller', 'spi_register_master',
    'devm_spi_register_master', 'spi_bitbang_start'],
  unregistration: ['spi_unregister_controller', 'spi_unregister_master', 'spi_bitbang_stop'],
  coreAllocators: ['spi_alloc_host', 'spi_alloc_target', 'devm_spi_alloc_host', 'devm_spi_alloc_target',
    'spi_alloc_master', 'spi_alloc_slave', 'devm_spi_alloc_master', 'devm_spi_alloc_slave',
    '__spi_alloc_controller', '__devm_spi_alloc_controller', 'spi_controller_get'],
  coreFiles: ['drivers/spi/spi.c', 'drivers/spi/spidev.c', 'drivers/spi/spi-mem.c', 'include/linux/spi/spi.h',
    'include/linux/spi/spi-mem.h'],
  rules: [],
};
definition.rules = standardRules(definition);
export default definition;
