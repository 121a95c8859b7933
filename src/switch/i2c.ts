// The I2C subsystem switch: struct i2c_adapter stops embedding its struct device. The core
// allocates the device (inside a core-owned struct i2c_adapter_device that points back to the
// adapter under SRCU) when the adapter is registered, and frees it in the release callback;
// i2c_del_adapter() revokes the back-pointer instead of waiting for the last reference.
//
// Every edit is anchored on the 6.12 sources after phase one (the anchors also accept the
// pre-phase-one spelling `&adap->dev` where that costs nothing). A missing anchor throws an
// AnchorError naming the file and what was looked for.
import type { TransformDefinition } from '../transform.js';
import {
  AnchorError, addInclude, callLines, editFunction, signature, editStruct, findFunction, insertAfterFunction,
  insertBeforeFunction, insertBeforeStruct, paramNames, renameToInner, replaceAll, replaceFunction, wrapRevocable,
  wrapAllRevocable as wrapAll, type RevocableSpec,
} from './cedit.js';
import type { PatchPlan } from './plan.js';

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `&OBJ->dev` or `i2c_adapter_dev(OBJ)`, OBJ captured (group 1 or 2) or given. */
function devPtr(t: TransformDefinition, obj = '(\\w+)'): string {
  return `(?:&${obj}->${t.member}|${t.accessor}\\(${obj}\\))`;
}
/** `OBJ->dev.F` or `i2c_adapter_dev(OBJ)->F` */
function devMember(t: TransformDefinition, obj: string, field: string): string {
  return `(?:${obj}->${t.member}\\.${field}|${t.accessor}\\(${obj}\\)->${field})`;
}

/** A field of the recorded configuration: what it is, who sets it, how the core applies it. */
interface CfgField {
  name: string;
  decl: string;
  /** C statement(s) applying it to `idev->dev` from `cfg` */
  apply: string;
}

const CFG_FIELDS: CfgField[] = [
  { name: 'parent', decl: 'struct device *parent', apply: 'idev->dev.parent = cfg->parent;' },
  { name: 'of_node', decl: 'struct device_node *of_node', apply: 'idev->dev.of_node = cfg->of_node;' },
  { name: 'fwnode', decl: 'struct fwnode_handle *fwnode', apply: 'idev->dev.fwnode = cfg->fwnode;' },
  {
    name: 'acpi_companion', decl: 'struct acpi_device *acpi_companion',
    apply: 'if (cfg->acpi_companion)\n\t\tACPI_COMPANION_SET(&idev->dev, cfg->acpi_companion);',
  },
  {
    name: 'of_node_from', decl: 'const struct device *of_node_from',
    apply: 'if (cfg->of_node_from)\n\t\tdevice_set_of_node_from_dev(&idev->dev, cfg->of_node_from);',
  },
  {
    name: 'use_parent_companion', decl: 'bool use_parent_companion',
    apply: 'if (cfg->use_parent_companion)\n\t\tacpi_use_parent_companion(&idev->dev);',
  },
];

/**
 * What each phase-one setter does after the switch: record its value. Keyed by the setter's
 * phase-one body (what it did to the embedded device), so a renamed helper still maps.
 */
const RECORD: { phaseOne: RegExp; body: (obj: string, param: string) => string }[] = [
  { phaseOne: /->dev\.parent = /, body: (o, p) => `${o}->devcfg.parent = ${p};` },
  { phaseOne: /->dev\.of_node = /, body: (o, p) => `${o}->devcfg.of_node = ${p};` },
  { phaseOne: /->dev\.fwnode = /, body: (o, p) => `${o}->devcfg.fwnode = ${p};` },
  {
    phaseOne: /^device_set_node\(/,
    body: (o, p) => `${o}->devcfg.fwnode = ${p};\n\t${o}->devcfg.of_node = to_of_node(${p});`,
  },
  { phaseOne: /^ACPI_COMPANION_SET\(/, body: (o, p) => `${o}->devcfg.acpi_companion = ${p};` },
  { phaseOne: /^device_set_of_node_from_dev\(/, body: (o, p) => `${o}->devcfg.of_node_from = ${p};` },
  { phaseOne: /^acpi_use_parent_companion\(/, body: (o) => `${o}->devcfg.use_parent_companion = true;` },
];

function cfgKdoc(t: TransformDefinition, setters: Map<string, string[]>): string {
  const lines = ['/**', ` * struct ${t.struct}_devcfg - configuration of the device of an adapter`];
  for (const f of CFG_FIELDS) {
    const by = setters.get(f.name) ?? [];
    const read = (t.getters ?? []).filter((g) => g.member === f.name).map((g) => `, read by ${g.helper}()`).join('');
    lines.push(` * @${f.name}: ${by.length ? `set by ${by.map((s) => `${s}()`).join(', ')}${read}` : 'unused'}`);
  }
  lines.push(' *',
    ' * The I2C core allocates the adapter\'s struct device when the adapter is',
    ' * registered, and applies this configuration to it then. Drivers set it with',
    ' * the i2c_adapter_set_*() helpers before registering the adapter.',
    ' */');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// include/linux/i2c.h

function editHeader(text: string, t: TransformDefinition): string {
  const file = t.header;
  const obj = t.objectName;
  // the setters now record; collect which field each one sets
  const setBy = new Map<string, string[]>();
  for (const s of t.setters) {
    const rec = RECORD.find((r) => r.phaseOne.test(s.phaseOneBody.trim()));
    if (!rec) throw new AnchorError(file, `setter ${s.helper}()`, `no phase-two body for '${s.phaseOneBody}'`);
    const f = findFunction(text, file, s.helper);
    const names = paramNames(f.params);
    const body = rec.body(names[0], names[1] ?? '');
    for (const m of body.matchAll(/devcfg\.(\w+)/g)) {
      const l = setBy.get(m[1]) ?? [];
      if (!l.includes(s.helper)) l.push(s.helper);
      setBy.set(m[1], l);
    }
    text = replaceFunction(text, file, s.helper,
      `${f.head}${s.helper}(${f.params})\n{\n\t${body}\n}`, true);
  }
  // the getters: the recorded value until the core creates the device, the device's after
  for (const g of t.getters ?? []) {
    if (!CFG_FIELDS.some((c) => c.name === g.member)) {
      throw new AnchorError(file, `getter ${g.helper}()`, `no recorded configuration for '${g.member}'`);
    }
    const f = findFunction(text, file, g.helper);
    const o = paramNames(f.params)[0] ?? obj;
    text = replaceFunction(text, file, g.helper, `${f.head}${g.helper}(${f.params})\n{\n`
      + `\t/* the device exists only between registration and deletion */\n`
      + `\treturn ${o}->${t.member} ? ${o}->${t.member}->${g.member} : ${o}->devcfg.${g.member};\n}`, true);
  }
  // the struct: a pointer instead of the embedded device, no completion, the recorded config
  text = editStruct(text, file, t.struct, [
    {
      what: `'struct device ${t.member};' member`,
      find: new RegExp(`\\tstruct device ${t.member};[^\\n]*`),
      replace: `\tstruct device *${t.member};\t\t/* owned by the I2C core */`,
    },
    { what: "'struct completion dev_released;' member", find: /\n\tstruct completion dev_released;[^\n]*/, replace: '' },
    {
      what: 'end of the struct',
      find: /\n\}$/,
      replace: `\n\n\t/* kept by the adapter, applied to @${t.member} by the core at registration */\n`
        + `\tstruct ${t.struct}_devcfg devcfg;\n\tvoid *adapdata;\n}`,
    },
  ]);
  const cfg = `${cfgKdoc(t, setBy)}\nstruct ${t.struct}_devcfg {\n${CFG_FIELDS.map((f) => `\t${f.decl};`).join('\n')}\n};\n`;
  text = insertBeforeStruct(text, file, t.struct, cfg);
  // the converter becomes a function; the revocation API next to it
  text = replaceAll(text, file, file, [{
    what: `#define ${t.converter}()`,
    find: new RegExp(`^#\\s*define\\s+${t.converter}\\(\\w+\\)[^\\n]*(?:\\\\\\n[^\\n]*)*`, 'm'),
    replace: [
      '',
      `struct ${t.struct} *${t.converter}(const struct device *dev);`,
      `struct ${t.struct} *${t.struct}_dev_enter(struct device *dev, int *idx);`,
      `void ${t.struct}_dev_exit(struct device *dev, int idx);`,
      'void i2c_put_adapter_dev(struct device *dev);',
    ].join('\n'),
  }, {
    what: `#define ${t.accessor}()`,
    find: new RegExp(`^#\\s*define\\s+${t.accessor}\\((\\w+)\\)\\s+\\(&\\(\\1\\)->${t.member}\\)`, 'm'),
    replace: `#define ${t.accessor}($1) ((${'$1'})->${t.member})`,
  }, {
    what: `return value in the kernel-doc of ${t.accessor}()`,
    find: new RegExp(` \\* Return: the struct device of @${obj}\\.`),
    replace: ` * Return: the struct device of @${obj}, allocated by the core when @${obj} is\n`
      + ` * registered; NULL before that and after @${obj} is deleted.`,
    count: 'optional',
  }, {
    what: `constness note in the kernel-doc of ${t.accessor}()`,
    find: / \* This macro keeps the constness of its argument\.\n/,
    replace: '',
    count: 'optional',
  }]);
  // the adapter's driver data is kept in the adapter: drivers set it before registration
  text = replaceFunction(text, file, 'i2c_get_adapdata',
    `static inline void *i2c_get_adapdata(const struct ${t.struct} *${obj})\n{\n\treturn ${obj}->adapdata;\n}`);
  text = replaceFunction(text, file, 'i2c_set_adapdata',
    `static inline void i2c_set_adapdata(struct ${t.struct} *${obj}, void *data)\n{\n\t${obj}->adapdata = data;\n`
    + `\tif (${obj}->${t.member})\n\t\tdev_set_drvdata(${obj}->${t.member}, data);\n}`);
  return text;
}

// ---------------------------------------------------------------------------------------------
// drivers/i2c/i2c-core-base.c

function coreBlock(): string {
  return `/*
 * The adapter's struct device belongs to the I2C core: it is allocated when the
 * adapter is registered and freed by its release callback when its last
 * reference is dropped, which may be after i2c_del_adapter() has returned and
 * the driver has freed the adapter. The device reaches the adapter only through
 * @adap, which i2c_del_adapter() clears: code that starts from the device
 * reads it inside an SRCU read section of @srcu, and fails once it is NULL.
 */
struct i2c_adapter_device {
	struct device dev;
	struct i2c_adapter __rcu *adap;
	struct srcu_struct srcu;
	struct module *owner;
};

static struct i2c_adapter_device *
to_i2c_adapter_device(const struct device *dev)
{
	return container_of(dev, struct i2c_adapter_device, dev);
}

static void i2c_adapter_dev_release(struct device *dev)
{
	struct i2c_adapter_device *idev = to_i2c_adapter_device(dev);

	cleanup_srcu_struct(&idev->srcu);
	kfree(idev);
}

/**
 * to_i2c_adapter() - the adapter of an adapter's device
 * @dev: a device of type i2c_adapter_type
 *
 * Does not pin the adapter: for code that runs while the adapter is registered
 * (its driver; the device's sysfs attributes and bus notifiers, which
 * i2c_del_adapter() drains before it revokes the adapter). Code that can run
 * later uses i2c_adapter_dev_enter() instead.
 *
 * Return: the adapter, or NULL once i2c_del_adapter() has revoked it.
 */
struct i2c_adapter *to_i2c_adapter(const struct device *dev)
{
	return rcu_dereference_raw(to_i2c_adapter_device(dev)->adap);
}
EXPORT_SYMBOL(to_i2c_adapter);

/**
 * i2c_adapter_dev_enter() - pin the adapter of an adapter's device
 * @dev: the adapter's device; any other device (or NULL) has no adapter
 * @idx: where to keep the SRCU index for i2c_adapter_dev_exit()
 *
 * Until i2c_adapter_dev_exit(), i2c_del_adapter() waits and the adapter stays
 * valid. Always pair with i2c_adapter_dev_exit(), whatever the return value.
 * The section may sleep; it must not delete the adapter it pins.
 *
 * Return: the adapter, or NULL when it has been deleted.
 */
struct i2c_adapter *i2c_adapter_dev_enter(struct device *dev, int *idx)
{
	struct i2c_adapter_device *idev;

	if (!dev || dev->type != &i2c_adapter_type) {
		*idx = -1;
		return NULL;
	}
	idev = to_i2c_adapter_device(dev);
	*idx = srcu_read_lock(&idev->srcu);
	return srcu_dereference(idev->adap, &idev->srcu);
}
EXPORT_SYMBOL(i2c_adapter_dev_enter);

/**
 * i2c_adapter_dev_exit() - leave the section entered by i2c_adapter_dev_enter()
 * @dev: the device given to i2c_adapter_dev_enter()
 * @idx: the index it returned
 */
void i2c_adapter_dev_exit(struct device *dev, int idx)
{
	if (idx >= 0)
		srcu_read_unlock(&to_i2c_adapter_device(dev)->srcu, idx);
}
EXPORT_SYMBOL(i2c_adapter_dev_exit);

/**
 * i2c_put_adapter_dev() - drop an i2c_get_adapter() reference by the device
 * @dev: i2c_adapter_dev() of an adapter returned by i2c_get_adapter()
 *
 * Unlike i2c_put_adapter(), this does not touch the adapter, so it can be
 * called after the adapter was deleted: keep the device, not the adapter, in
 * anything that may outlive the adapter.
 */
void i2c_put_adapter_dev(struct device *dev)
{
	struct i2c_adapter_device *idev;

	if (!dev)
		return;
	idev = to_i2c_adapter_device(dev);
	module_put(idev->owner);
	put_device(dev);
}
EXPORT_SYMBOL(i2c_put_adapter_dev);

/* The OF node the adapter's device will have, read before the device exists. */
static struct device_node *
i2c_adapter_devcfg_of_node(const struct i2c_adapter *adap)
{
	if (adap->devcfg.of_node_from)
		return adap->devcfg.of_node_from->of_node;
	return adap->devcfg.of_node;
}

/* Allocate the adapter's device, apply the configuration its driver recorded */
static int i2c_adapter_device_create(struct i2c_adapter *adap)
{
	const struct i2c_adapter_devcfg *cfg = &adap->devcfg;
	struct i2c_adapter_device *idev;
	int ret;

	idev = kzalloc(sizeof(*idev), GFP_KERNEL);
	if (!idev)
		return -ENOMEM;
	ret = init_srcu_struct(&idev->srcu);
	if (ret) {
		kfree(idev);
		return ret;
	}
	RCU_INIT_POINTER(idev->adap, adap);
	idev->owner = adap->owner;

	device_initialize(&idev->dev);
	idev->dev.bus = &i2c_bus_type;
	idev->dev.type = &i2c_adapter_type;
${CFG_FIELDS.map((f) => `\t${f.apply}`).join('\n')}
	dev_set_drvdata(&idev->dev, adap->adapdata);

	adap->dev = &idev->dev;
	return 0;
}

/*
 * Revoke the adapter: cut the device's way back to it, wait for the users in
 * an SRCU read section to leave, and drop the core's reference to the device.
 * The device is freed when its last user puts it; the adapter's memory is the
 * driver's again when this returns.
 */
static void i2c_adapter_device_destroy(struct i2c_adapter *adap)
{
	struct i2c_adapter_device *idev;

	if (!adap->dev)
		return;
	idev = to_i2c_adapter_device(adap->dev);
	rcu_assign_pointer(idev->adap, NULL);
	synchronize_srcu(&idev->srcu);
	adap->dev = NULL;
	put_device(&idev->dev);
}`;
}

const ENTER = 'i2c_adapter_dev_enter';
const EXIT = 'i2c_adapter_dev_exit';

function revocable(fn: string, dev: string, fail: string, why: string, setup?: string[]): RevocableSpec {
  return { fn, dev, fail, why, setup, enter: ENTER, exit: EXIT };
}

function editCore(text: string, t: TransformDefinition): string {
  const file = 'drivers/i2c/i2c-core-base.c';
  // the release callback completed dev_released: replaced by the core-owned device
  findFunction(text, file, 'i2c_adapter_dev_release');
  if (!/complete\(&\w+->dev_released\)/.test(text.slice(findFunction(text, file, 'i2c_adapter_dev_release').start))) {
    throw new AnchorError(file, 'complete(&adap->dev_released) in i2c_adapter_dev_release()');
  }
  text = replaceFunction(text, file, 'i2c_adapter_dev_release', coreBlock());
  text = addInclude(text, file, 'linux/srcu.h');

  text = editFunction(text, file, 'i2c_register_adapter', [
    {
      what: "'int res = -EINVAL;'",
      find: /\n\tint res = -EINVAL;\n/,
      replace: '\n\tint res = -EINVAL;\n\n\t/* The adapter\'s device belongs to the core: allocate it first */\n'
        + '\tres = i2c_adapter_device_create(adap);\n\tif (res)\n\t\tgoto out_list;\n\tres = -EINVAL;\n',
    },
    {
      what: 'bus, type and device_initialize() of the embedded device',
      find: new RegExp(`[ \\t]*${devMember(t, 'adap', 'bus')} = &i2c_bus_type;\\n[ \\t]*${devMember(t, 'adap', 'type')}`
        + ` = &i2c_adapter_type;\\n[ \\t]*device_initialize\\(${devPtr(t, 'adap')}\\);\\n\\n?`),
      replace: '',
    },
    {
      what: 'put_device() between init_completion() and wait_for_completion() of dev_released',
      find: new RegExp(`[ \\t]*init_completion\\(&adap->dev_released\\);\\n[ \\t]*put_device\\(${devPtr(t, 'adap')}\\);\\n`
        + '[ \\t]*wait_for_completion\\(&adap->dev_released\\);\\n'),
      replace: '',
    },
    { what: "'out_list:' label", find: /\nout_list:\n/, replace: '\nout_list:\n\ti2c_adapter_device_destroy(adap);\n' },
  ]);

  text = editFunction(text, file, 'i2c_add_adapter', [
    {
      what: "'struct device *dev = i2c_adapter_dev(adapter);'",
      find: new RegExp(`\\tstruct device \\*dev = ${devPtr(t, '(\\w+)')};`),
      replace: (m) => `\tstruct device_node *np = i2c_adapter_devcfg_of_node(${m[1] ?? m[2]});`,
    },
    { what: "'dev->of_node'", find: /\bdev->of_node\b/, replace: 'np', count: 'all' },
  ]);

  text = editFunction(text, file, 'i2c_del_adapter', [
    {
      what: 'device_unregister() between init_completion() and wait_for_completion() of dev_released',
      find: new RegExp('(?:[ \\t]*/\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?[ \\t]*init_completion\\(&adap->dev_released\\);\\n'
        + `[ \\t]*device_unregister\\(${devPtr(t, 'adap')}\\);\\n[ \\t]*wait_for_completion\\(&adap->dev_released\\);\\n`),
      replace: [
        '\t/*',
        '\t * Unregister the device, then revoke the adapter: this waits for the',
        '\t * users inside an SRCU read section (i2c-dev file operations, mux',
        '\t * children, bus iterators), not for the last reference to the device,',
        '\t * which open files and lookups may keep as long as they like.',
        '\t */',
        `\tdevice_del(${t.accessor}(adap));`,
        '\ti2c_adapter_device_destroy(adap);',
        '',
      ].join('\n'),
    },
    {
      what: 'memset() of the embedded device',
      find: new RegExp('\\n(?:[ \\t]*/\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?[ \\t]*memset\\('
        + `${devPtr(t, 'adap')}, 0, sizeof\\(adap->${t.member}\\)\\);\\n`),
      replace: '',
    },
  ]);

  // user-space entry points and bus iterators that reach the adapter from its device
  return wrapAll(text, file, [
    revocable('new_device_store', '$1', '-ENODEV', 'sysfs: instantiate a client only while the adapter is there'),
    revocable('delete_device_store', '$1', '-ENODEV', 'sysfs: delete a client only while the adapter is there'),
    revocable('__process_new_driver', '$1', '0', 'bus iteration: skip clients and adapters being deleted'),
    revocable('__process_removed_driver', '$1', '0', 'bus iteration: skip clients and adapters being deleted'),
  ]);
}

// ---------------------------------------------------------------------------------------------
// drivers/i2c/i2c-dev.c

function editI2cDev(text: string, t: TransformDefinition): string {
  const file = 'drivers/i2c/i2c-dev.c';
  text = editFunction(text, file, 'i2cdev_open', [{
    what: "'client->adapter = adap;'",
    find: /\n([ \t]*)client->adapter = adap;\n/,
    replace: '\n$1client->adapter = adap;\n$1/* the file keeps the adapter\'s device, which outlives the adapter */\n'
      + `$1client->dev.parent = ${t.accessor}(adap);\n`,
  }]);
  text = editFunction(text, file, 'i2cdev_release', [{
    what: "'i2c_put_adapter(client->adapter);'",
    find: 'i2c_put_adapter(client->adapter);',
    replace: 'i2c_put_adapter_dev(client->dev.parent);',
  }]);
  const fileOp = (fn: string): RevocableSpec => revocable(fn, 'client->dev.parent', '-ENODEV',
    'file operations fail with -ENODEV once the adapter is deleted', ['struct i2c_client *client = $1->private_data;']);
  text = wrapAll(text, file, [
    fileOp('i2cdev_read'), fileOp('i2cdev_write'), fileOp('i2cdev_ioctl'), fileOp('compat_i2cdev_ioctl'),
    revocable('i2cdev_attach_adapter', '$1', 'NOTIFY_DONE', 'only adapters that are still there get a /dev node'),
    revocable('i2cdev_detach_adapter', '$1', 'NOTIFY_DONE', 'an adapter already revoked has been detached'),
  ]);
  return text;
}

// ---------------------------------------------------------------------------------------------
// drivers/i2c/i2c-mux.c, include/linux/i2c-mux.h

function editMuxPrep(text: string, t: TransformDefinition): string {
  const file = 'drivers/i2c/i2c-mux.c';
  return editFunction(text, file, 'i2c_mux_add_adapter', [{
    what: 'acpi_preset_companion() of the mux adapter\'s device',
    find: /\n([ \t]*)if \(([^\n]*)\)\n[ \t]*acpi_preset_companion\((?:&(\w+)->(\w+)\.dev|i2c_adapter_dev\(&(\w+)->(\w+)\)),\s*([^,]+?),\s*(\w+)\);\n/,
    replace: (m) => {
      const o = m[3] ? `&${m[3]}->${m[4]}` : `&${m[5]}->${m[6]}`;
      const ind = `${m[1]}\t`;
      return `\n#ifdef CONFIG_ACPI\n${m[1]}if (${m[2]})\n${ind}${t.struct}_set_acpi_companion(${o},\n`
        + `${callLines(ind.length + 1, 'acpi_find_child_device(', [m[7], m[8], 'false'], '));')}\n#endif\n`;
    },
  }]);
}

function editMuxSwitch(text: string): string {
  const file = 'drivers/i2c/i2c-mux.c';
  return editFunction(text, file, 'i2c_mux_add_adapter', [{
    what: 'of_node_put() of the mux adapter\'s OF node after a failed registration',
    find: /of_node_put\((?:i2c_adapter_dev\(&(\w+)->(\w+)\)->of_node|(\w+)->(\w+)\.dev\.of_node)\);/,
    replace: (m) => `of_node_put(${m[1] ?? m[3]}->${m[2] ?? m[4]}.devcfg.of_node);`,
  }]);
}

/** The lock operations of the mux adapters, read from the lock_operations tables. */
function muxLockOps(text: string, file: string): { lock: string[]; trylock: string[]; unlock: string[] } {
  const out = { lock: [] as string[], trylock: [] as string[], unlock: [] as string[] };
  for (const m of text.matchAll(/\.(lock_bus|trylock_bus|unlock_bus)\s*=\s*(\w+)\s*,/g)) {
    const kind = m[1].replace('_bus', '') as 'lock' | 'trylock' | 'unlock';
    if (!out[kind].includes(m[2])) out[kind].push(m[2]);
  }
  if (!out.lock.length || !out.trylock.length || !out.unlock.length) {
    throw new AnchorError(file, 'struct i2c_lock_operations tables (.lock_bus, .trylock_bus, .unlock_bus)');
  }
  return out;
}

function editMuxRevocation(text: string, t: TransformDefinition): string {
  const file = 'drivers/i2c/i2c-mux.c';
  text = editStruct(text, file, 'i2c_mux_priv', [{
    what: 'end of struct i2c_mux_priv', find: /\n\}$/,
    replace: '\n\t/* the parent is pinned from lock_bus to unlock_bus */\n\tint parent_srcu_idx;\n\tbool parent_locked;\n}',
  }]);
  text = insertBeforeFunction(text, file, 'i2c_mux_alloc',
    'static void i2c_mux_put_parent_dev(void *dev)\n{\n\tput_device(dev);\n}\n');
  text = editFunction(text, file, 'i2c_mux_alloc', [{
    what: "'muxc->parent = parent;'",
    find: /\n([ \t]*)muxc->parent = parent;\n/,
    replace: (m) => `\n${m[1]}muxc->parent = parent;\n${m[1]}/* the parent's device outlives it: it tells whether it is there */\n`
      + `${m[1]}muxc->parent_dev = get_device(${t.accessor}(parent));\n`
      + `${callLines(m[1].length, 'if (devm_add_action_or_reset(', ['dev', 'i2c_mux_put_parent_dev', 'muxc->parent_dev'], '))')}\n`
      + `${m[1]}\treturn NULL;\n`,
  }]);
  const setup = ['struct i2c_mux_priv *priv = $1->algo_data;'];
  const dev = 'priv->muxc->parent_dev';
  for (const fn of ['__i2c_mux_master_xfer', 'i2c_mux_master_xfer', '__i2c_mux_smbus_xfer', 'i2c_mux_smbus_xfer']) {
    text = wrapRevocable(text, file, {
      ...revocable(fn, dev, '-ENODEV', 'transfers on a mux channel fail with -ENODEV once the parent is deleted', setup),
      fn,
    });
  }
  text = wrapRevocable(text, file, revocable('i2c_mux_functionality', dev, '0',
    'a mux channel whose parent is deleted can do nothing', setup));
  // the lock operations: pin the parent from lock to unlock, or lock the channel alone
  const ops = muxLockOps(text, file);
  const lockCode = (kind: 'lock' | 'trylock' | 'unlock', fn: string, inner: string, a: string, fl: string): string => {
    const head = `${signature(`static ${kind === 'trylock' ? 'int' : 'void'} `, fn,
      `struct i2c_adapter *${a}, unsigned int ${fl}`)}\n{\n`
      + `\tstruct i2c_mux_priv *priv = ${a}->algo_data;\n`;
    if (kind === 'lock') {
      return `/* lock the parent only while it is there, and keep it there until unlocked */\n${head}\tint idx;\n\n`
        + `\tif (${ENTER}(${dev}, &idx)) {\n\t\t${inner}(${a}, ${fl});\n\t\tpriv->parent_locked = true;\n\t} else {\n`
        + `${callLines(2, 'rt_mutex_lock_nested(', [`&${a}->bus_lock`, `i2c_adapter_depth(${a})`], ');')}\n`
        + '\t\tpriv->parent_locked = false;\n\t}\n'
        + '\tpriv->parent_srcu_idx = idx;\n}';
    }
    if (kind === 'trylock') {
      return `/* see the lock_bus operation */\n${head}\tint idx;\n\n`
        + `\tif (${ENTER}(${dev}, &idx)) {\n\t\tif (!${inner}(${a}, ${fl}))\n\t\t\tgoto fail;\n\t\tpriv->parent_locked = true;\n`
        + `\t} else {\n\t\tif (!rt_mutex_trylock(&${a}->bus_lock))\n\t\t\tgoto fail;\n\t\tpriv->parent_locked = false;\n\t}\n`
        + `\tpriv->parent_srcu_idx = idx;\n\treturn 1;\n\nfail:\n\t${EXIT}(${dev}, idx);\n\treturn 0;\n}`;
    }
    return `/* see the lock_bus operation */\n${head}\tint idx = priv->parent_srcu_idx;\n\n`
      + `\tif (priv->parent_locked)\n\t\t${inner}(${a}, ${fl});\n\telse\n\t\trt_mutex_unlock(&${a}->bus_lock);\n`
      + `\t${EXIT}(${dev}, idx);\n}`;
  };
  for (const kind of ['lock', 'trylock', 'unlock'] as const) {
    for (const fn of ops[kind]) {
      const r = renameToInner(text, file, fn);
      const names = paramNames(r.f.params);
      if (names.length !== 2) throw new AnchorError(file, `${fn}()`, 'expected (adapter, flags) parameters');
      text = insertAfterFunction(r.text, file, r.inner, lockCode(kind, fn, r.inner, names[0], names[1]));
    }
  }
  return text;
}

function editMuxHeader(text: string): string {
  const file = 'include/linux/i2c-mux.h';
  return editStruct(text, file, 'i2c_mux_core', [{
    what: "'struct i2c_adapter *parent;' member",
    find: /\n(\tstruct i2c_adapter \*parent;)\n/,
    replace: '\n$1\n\tstruct device *parent_dev;\t/* tells whether @parent is there */\n',
  }]);
}

// ---------------------------------------------------------------------------------------------
// the series

export function i2cSwitchPlan(t: TransformDefinition): PatchPlan[] {
  return [
    {
      subject: 'i2c: mux: Record the ACPI companion of a channel with a setter',
      body: `i2c_mux_add_adapter() gives each channel's adapter the ACPI companion
of the mux's child node with acpi_preset_companion() on the adapter's
struct device, before the adapter is registered. Once the I2C core
allocates that device at registration, it does not exist yet at this
point: record the companion with i2c_adapter_set_acpi_companion(), which
the core applies when it creates the device. No functional change.`,
      edits: [{ file: 'drivers/i2c/i2c-mux.c', edit: (s) => editMuxPrep(s, t) }],
    },
    {
      subject: 'i2c: core: Allocate and own the struct device of an adapter',
      body: `struct i2c_adapter embeds its struct device, while the adapter's memory
belongs to its driver, usually freed as soon as i2c_del_adapter()
returns. So i2c_del_adapter() waits on dev_released until the last
reference to the device is dropped: an open /dev/i2c-N, a sysfs reader or
a lookup holding the adapter blocks driver unbinding for as long as it
likes.

Let the core own the device instead. struct i2c_adapter now has a
pointer to a device that i2c_register_adapter() allocates, inside a
core-owned struct i2c_adapter_device that points back to the adapter
under SRCU, and that the device's release callback frees when the last
reference goes. The configuration that drivers recorded with the
i2c_adapter_set_*() helpers is kept in the adapter (struct
i2c_adapter_devcfg) and applied when the device is created; the
adapter's driver data lives in the adapter too. i2c_adapter_dev()
returns the core's device: NULL before registration and after deletion.

i2c_del_adapter() no longer waits for the last reference: it unregisters
the device, clears the back-pointer and waits with synchronize_srcu()
only for the code running inside an SRCU read section, then drops the
core's reference. dev_released goes away.

to_i2c_adapter() can no longer be container_of(): it becomes a function
that returns the adapter, or NULL once it has been revoked. It does not
pin the adapter and is meant for code that runs while the adapter is
registered. Code that may run later pins it with
i2c_adapter_dev_enter()/i2c_adapter_dev_exit() and fails cleanly when it
is gone: the new_device and delete_device sysfs attributes and the bus
iterators of the core do so here; i2c-dev and i2c-mux follow.
i2c_put_adapter_dev() drops a reference from i2c_get_adapter() by the
device, for holders that may outlive the adapter.

Drivers must not read the adapter's device before registering the
adapter, nor after deleting it, any more.`,
      edits: [
        { file: t.header, edit: (s) => editHeader(s, t) },
        { file: 'drivers/i2c/i2c-core-base.c', edit: (s) => editCore(s, t) },
        { file: 'drivers/i2c/i2c-mux.c', edit: (s) => editMuxSwitch(s) },
      ],
    },
    {
      subject: 'i2c: dev: Fail file operations once the adapter is deleted',
      body: `An open /dev/i2c-N keeps a reference to the adapter's device, which no
longer keeps the adapter: i2c_del_adapter() returns without waiting for
the file to be closed, and the driver frees the adapter.

Keep the adapter's device in the file (in the client's dev.parent, as
for a registered client), and run read, write, ioctl and compat_ioctl
inside the SRCU read section of i2c_adapter_dev_enter(): they return
-ENODEV once the adapter is gone, and i2c_del_adapter() waits only for
the operations in flight. release drops the reference by the device with
i2c_put_adapter_dev(). The bus notifiers and the bus iteration at module
load and unload skip adapters that are being deleted.`,
      edits: [{ file: 'drivers/i2c/i2c-dev.c', edit: (s) => editI2cDev(s, t) }],
    },
    {
      subject: 'i2c: mux: Check the parent adapter is still there',
      body: `A mux whose parent adapter was found by firmware node rather than being
its client (i2c-mux-gpio, i2c-mux-pinctrl, ...) can outlive the parent:
i2c_del_adapter() of the parent used to wait for the mux to drop its
reference, and returns at once now.

Keep a reference to the parent's device in struct i2c_mux_core and pin
the parent with i2c_adapter_dev_enter() in the transfer and
functionality callbacks of the channels, which fail with -ENODEV (no
functionality) once it is gone. The lock operations pin the parent from
lock_bus to unlock_bus, so that a locked segment cannot lose its parent
halfway; when the parent is already gone they lock the channel alone.`,
      edits: [
        { file: 'include/linux/i2c-mux.h', edit: (s) => editMuxHeader(s) },
        { file: 'drivers/i2c/i2c-mux.c', edit: (s) => editMuxRevocation(s, t) },
      ],
    },
  ];
}
