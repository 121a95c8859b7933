// The SPI subsystem switch, step one: struct spi_controller stops embedding its struct device.
// The SPI core already allocates the controller (spi_alloc_host() and friends) and frees it in
// the device's release callback, so it can allocate the device at the same time, in a
// core-owned struct spi_controller_device that points back to the controller; the release
// callback frees both, so every lifetime stays what it is (no revocation needed yet). Step two
// (spi-revoke.ts) follows: the controller gets its own reference count and is revoked at
// unregistration under SRCU, as I2C adapters are; see docs/design.md.
import type { TransformDefinition } from '../transform.js';
import { AnchorError, editFunction, editStruct, insertBeforeFunction, replaceAll } from './cedit.js';
import type { PatchPlan } from './plan.js';
import { spiRevokePlans } from './spi-revoke.js';

/** `&OBJ->dev` or `spi_controller_dev(OBJ)` */
function devPtr(t: TransformDefinition, obj: string): string {
  return `(?:&${obj}->${t.member}|${t.accessor}\\(${obj}\\))`;
}

function editHeader(text: string, t: TransformDefinition): string {
  const file = t.header;
  text = editStruct(text, file, t.struct, [{
    what: `'struct device ${t.member};' member`,
    find: new RegExp(`\\tstruct device\\s+${t.member};[^\\n]*`),
    replace: `\tstruct device\t\t*${t.member};\t/* owned by the SPI core */`,
  }]);
  return replaceAll(text, file, file, [{
    what: `#define ${t.converter}()`,
    find: new RegExp(`^#\\s*define\\s+${t.converter}\\(\\w+\\)[^\\n]*(?:\\\\\\n[^\\n]*)*`, 'm'),
    replace: `struct ${t.struct} *${t.converter}(const struct device *dev);`,
  }, {
    what: `#define ${t.accessor}()`,
    find: new RegExp(`^#\\s*define\\s+${t.accessor}\\((\\w+)\\)\\s+\\(&\\(\\1\\)->${t.member}\\)`, 'm'),
    replace: `#define ${t.accessor}($1) (($1)->${t.member})`,
  }]);
}

const BLOCK = `/*
 * The controller's struct device is allocated by the core with the controller
 * and points back to it; its release callback frees both.
 */
struct spi_controller_device {
	struct device dev;
	struct spi_controller *ctlr;
};

static struct spi_controller_device *
to_spi_controller_device(const struct device *dev)
{
	return container_of(dev, struct spi_controller_device, dev);
}

/**
 * to_spi_controller() - the controller of a controller's device
 * @dev: a device of the spi_master or spi_slave class
 *
 * Return: the controller; it lives as long as its device.
 */
struct spi_controller *to_spi_controller(const struct device *dev)
{
	return to_spi_controller_device(dev)->ctlr;
}
EXPORT_SYMBOL_GPL(to_spi_controller);
`;

function editCore(text: string, t: TransformDefinition): string {
  const file = 'drivers/spi/spi.c';
  text = insertBeforeFunction(text, file, 'spi_controller_release', BLOCK);
  text = editFunction(text, file, 'spi_controller_release', [{
    what: "'kfree(ctlr);'", find: /\n(\t)kfree\(ctlr\);\n/,
    replace: '\n$1kfree(ctlr);\n$1kfree(to_spi_controller_device(dev));\n',
  }]);
  text = editFunction(text, file, '__spi_alloc_controller', [
    {
      what: "'struct spi_controller *ctlr;' declaration", find: /\n(\tstruct spi_controller\s+\*ctlr;)\n/,
      replace: '\n$1\n\tstruct spi_controller_device *cdev;\n',
    },
    {
      what: 'the kzalloc() of the controller and its NULL check',
      find: /\n(\tctlr = kzalloc\([^;]*\);\n\tif \(!ctlr\)\n\t\treturn NULL;\n)/,
      replace: '\n$1\tcdev = kzalloc(sizeof(*cdev), GFP_KERNEL);\n\tif (!cdev) {\n\t\tkfree(ctlr);\n\t\treturn NULL;\n\t}\n'
        + `\tcdev->ctlr = ctlr;\n\tctlr->${t.member} = &cdev->dev;\n`,
    },
    {
      what: 'the error path of spi_alloc_pcpu_stats()',
      find: /(\n\tif \(!ctlr->pcpu_statistics\) \{\n\t\tkfree\(ctlr\);\n)/,
      replace: '$1\t\tkfree(cdev);\n',
    },
    {
      what: `device_initialize() of the controller's device`,
      find: new RegExp(`\\n\\tdevice_initialize\\(${devPtr(t, 'ctlr')}\\);\\n`),
      replace: (m) => m[0],
    },
  ]);
  // phase one leaves the container_of() of a macro spread over continuation lines to a human
  text = replaceAll(text, file, file, [{
    what: `container_of(dev, struct ${t.struct}, ${t.member}) over continuation lines`,
    find: new RegExp(`container_of\\((\\w+),[ \\t]*(?:\\\\\\n[ \\t]*)?struct ${t.struct}, ${t.member}\\)`),
    replace: `${t.converter}($1)`,
    count: 'optional',
  }]);
  if (/container_of\([^)]*struct spi_controller, dev\)/.test(text)) {
    throw new AnchorError(file, 'container_of(..., struct spi_controller, dev)', 'still there: phase one not applied');
  }
  return text;
}

export function spiSwitchPlan(t: TransformDefinition): PatchPlan[] {
  return [...spiStepOne(t), ...spiRevokePlans(t)];
}

function spiStepOne(t: TransformDefinition): PatchPlan[] {
  return [{
    subject: 'spi: Allocate the struct device of a controller separately',
    body: `struct spi_controller embeds its struct device. The SPI core allocates
the controller, with its driver's data appended, and frees it in the
device's release callback, so the controller lives as long as the last
reference to its device, whoever holds it.

Make the device a separate object that the core allocates together with
the controller, in a core-owned struct spi_controller_device that points
back to the controller, and that the release callback frees with it.
struct spi_controller now holds a pointer to it; spi_controller_dev()
returns it, and to_spi_controller() becomes a function that follows the
back-pointer. Every lifetime stays the same: this only separates the
types, so that a later change can free the controller and its driver
data when the driver unregisters it, and revoke the device's way back to
it, as the I2C core does for adapters.`,
    edits: [
      { file: t.header, edit: (s) => editHeader(s, t) },
      { file: 'drivers/spi/spi.c', edit: (s) => editCore(s, t) },
    ],
  }];
}
