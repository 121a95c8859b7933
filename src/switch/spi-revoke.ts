// The SPI subsystem switch, step two: the controller (with its driver data) is freed when its
// last reference goes, no longer when its device's does, and spi_unregister_controller() revokes
// the device's way back to it under SRCU, as the I2C switch does for adapters. Every path from
// the device to the controller either pins it in an SRCU read section or takes a counted
// reference to the controller under it, and fails once it is revoked.
//
// The edits run on the tree as step one (spi.ts) left it; every anchor is the text step one or
// phase one wrote, so a tree without them stops with an AnchorError naming the file and anchor.
import type { TransformDefinition } from '../transform.js';
import {
  AnchorError, addInclude, editFunction, editStruct, findFunction, insertBeforeFunction,
  replaceAll, replaceFunction, wrapAllRevocable, type Replace, type RevocableSpec,
} from './cedit.js';
import type { PatchPlan } from './plan.js';

const CORE = 'drivers/spi/spi.c';
const SPIDEV = 'drivers/spi/spidev.c';
const TABLETS = 'drivers/platform/x86/x86-android-tablets/core.c';
const MGB4 = 'drivers/media/pci/mgb4/mgb4_core.c';
const ENTER = 'spi_controller_dev_enter';
const EXIT = 'spi_controller_dev_exit';
const GET_BY_DEV = 'spi_controller_get_by_dev';

/** `&OBJ->dev` or `spi_controller_dev(OBJ)` */
function devPtr(t: TransformDefinition, obj: string): string {
  return `(?:&${obj}->${t.member}|${t.accessor}\\(${obj}\\))`;
}

/** Edit the comment above a function (kernel-doc), not the function. */
function editDoc(text: string, file: string, fn: string, edits: Replace[]): string {
  const f = findFunction(text, file, fn);
  if (f.docStart === f.start) throw new AnchorError(file, `the comment above ${fn}()`);
  return text.slice(0, f.docStart) + replaceAll(text.slice(f.docStart, f.start), file, `the comment above ${fn}()`, edits)
    + text.slice(f.start);
}

/** Display width of a line, tabs at 8 columns. */
function width(s: string): number {
  let w = 0;
  for (const c of s) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

/** Lines of a macro body, each ended by a backslash aligned at column 72 as the kernel does. */
function macroLines(lines: string[]): string {
  return lines.map((l) => {
    let s = l;
    if (width(s) >= 72) return `${s} \\`;
    while (width(s) < 72) s += '\t';
    return `${s}\\`;
  }).join('\n');
}

// ---------------------------------------------------------------------------------------------
// 1. spi.c: the lookups' references are dropped with spi_controller_put() (no change yet)

function editLookupCallers(text: string, t: TransformDefinition): string {
  const put = { find: new RegExp(`put_device\\(${devPtr(t, 'ctlr')}\\);`), replace: 'spi_controller_put(ctlr);' };
  text = editFunction(text, CORE, 'of_spi_notify', [{
    ...put, what: 'put_device() of the controller found by of_find_spi_controller_by_node()', count: 'all',
  }]);
  if (/put_device\(/.test(text.slice(findFunction(text, CORE, 'of_spi_notify').start,
    findFunction(text, CORE, 'of_spi_notify').end).replace(/put_device\(&spi->dev\)/g, ''))) {
    throw new AnchorError(CORE, 'of_spi_notify()', 'puts a device other than the controller\'s or the SPI device\'s');
  }
  return editFunction(text, CORE, 'acpi_spi_notify', [{
    ...put, what: 'put_device() of the controller found by acpi_spi_find_controller_by_adev()',
  }]);
}

// ---------------------------------------------------------------------------------------------
// 2. x86-android-tablets: the one caller of acpi_spi_find_controller_by_adev() outside the core

function editTablets(text: string, t: TransformDefinition): string {
  return editFunction(text, TABLETS, 'x86_instantiate_spi_dev', [
    {
      what: "'acpi_status status;' declaration",
      find: /\n(\tacpi_status\s+status;)\n/,
      replace: '\n$1\n\tint ret = 0;\n',
    },
    {
      what: 'spi_new_device(), put_device() of the controller, then dev_err_probe() on it',
      find: new RegExp(`\\n\\t(spi_devs\\[idx\\] = spi_new_device\\((\\w+), &board_info\\);)\\n`
        + `\\tput_device\\(${devPtr(t, '\\2')}\\);\\n`
        + `\\tif \\(!spi_devs\\[idx\\]\\)\\n\\t\\treturn dev_err_probe\\(${devPtr(t, '\\2')}, -ENOMEM,\\n`
        + '\\t+ *("creating SPI-device %d\\\\n", idx)\\);\\n\\n\\treturn 0;\\n'),
      replace: (m) => `\n\t${m[1]}\n\tif (!spi_devs[idx])\n\t\tret = dev_err_probe(${t.accessor}(${m[2]}), -ENOMEM,\n`
        + `\t\t\t\t    ${m[3]});\n\tspi_controller_put(${m[2]});\n\n\treturn ret;\n`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// 7. mgb4: the one driver that finds a controller by its device (device_find_child())

function editMgb4(text: string, t: TransformDefinition): string {
  text = editFunction(text, MGB4, 'get_spi_adap', [
    {
      what: "'struct device *dev;' declaration",
      find: /^\{\n\tstruct device \*dev;\n/m,
      replace: `{\n\tstruct ${t.struct} *ctlr;\n\tstruct device *dev;\n`,
    },
    {
      what: `'return dev ? ${t.converter}(dev) : NULL;'`,
      find: new RegExp(`\\n\\treturn dev \\? ${t.converter}\\(dev\\) : NULL;\\n\\}$`),
      replace: '\tif (!dev)\n\t\treturn NULL;\n\n\t/* the device\'s reference does not keep the controller: take one */\n'
        + `\tctlr = ${GET_BY_DEV}(dev);\n\tput_device(dev);\n\treturn ctlr;\n}`,
    },
  ]);
  return editFunction(text, MGB4, 'init_spi', [{
    what: 'put_device() of the controller found by get_spi_adap()',
    find: new RegExp(`\\n\\tput_device\\(${devPtr(t, 'ctlr')}\\);\\n`),
    replace: '\n\tspi_controller_put(ctlr);\n',
  }]);
}

// ---------------------------------------------------------------------------------------------
// 3. the lifetime change: include/linux/spi/spi.h

function editHeader(text: string, t: TransformDefinition): string {
  const file = t.header;
  text = addInclude(text, file, 'linux/kref.h');
  // the member, documented in the struct's kernel-doc when it has one, else on its line
  const st = text.search(/^struct spi_controller \{/m);
  if (st < 0) throw new AnchorError(file, 'struct spi_controller definition');
  const kdoc = /\/\*\*\n(?: \*[^\n]*\n)* \*\/\n$/.exec(text.slice(0, st));
  if (kdoc) {
    const dev = /\n( \* @dev: [^\n]*\n(?: \*\t[^\n]*\n)*)/.exec(kdoc[0]);
    if (!dev) throw new AnchorError(file, "'@dev:' in the kernel-doc of struct spi_controller");
    const at = kdoc.index + dev.index + 1 + dev[1].length;
    text = `${text.slice(0, at)} * @refcount: references to the controller (spi_controller_get()); the\n`
      + ' *\tlast one frees it and its driver data, whatever holds its @dev\n'
      + text.slice(at);
  }
  text = editStruct(text, file, t.struct, [{
    what: `'struct device *${t.member};' member (step one)`,
    find: new RegExp(`\\n(\\tstruct device\\s+\\*${t.member};[^\\n]*)\\n`),
    replace: kdoc ? '\n$1\n\tstruct kref\t\trefcount;\n' : '\n$1\n\tstruct kref\t\trefcount;\t/* see spi_controller_get() */\n',
  }]);
  // the references count the controller, not its device
  const get = findFunction(text, file, 'spi_controller_get');
  if (!/get_device\(/.test(text.slice(get.bodyOpen, get.end))) {
    throw new AnchorError(file, 'get_device() in spi_controller_get()');
  }
  text = replaceFunction(text, file, 'spi_controller_get',
    `${get.head}spi_controller_get(${get.params})\n{\n\tif (!ctlr)\n\t\treturn NULL;\n`
    + '\tkref_get(&ctlr->refcount);\n\treturn ctlr;\n}', true);
  const put = findFunction(text, file, 'spi_controller_put');
  if (!/put_device\(/.test(text.slice(put.bodyOpen, put.end))) {
    throw new AnchorError(file, 'put_device() in spi_controller_put()');
  }
  text = replaceFunction(text, file, 'spi_controller_put', 'void spi_controller_put(struct spi_controller *ctlr);', true);
  return replaceAll(text, file, file, [{
    what: `'struct ${t.struct} *${t.converter}(const struct device *dev);' (step one)`,
    find: new RegExp(`^struct ${t.struct} \\*${t.converter}\\(const struct device \\*dev\\);$`, 'm'),
    replace: [
      `struct ${t.struct} *${t.converter}(const struct device *dev);`,
      `struct ${t.struct} *${ENTER}(struct device *dev, int *idx);`,
      `void ${EXIT}(struct device *dev, int idx);`,
      `struct ${t.struct} *${GET_BY_DEV}(struct device *dev);`,
    ].join('\n'),
  }]);
}

// ---------------------------------------------------------------------------------------------
// 3. the lifetime change: drivers/spi/spi.c

const DEVICE_COMMENT = `/*
 * The controller's struct device is allocated by the core with the controller,
 * which holds a reference to it. The device reaches the controller only through
 * @ctlr, which spi_unregister_controller() clears: code that starts from the
 * device reads it inside an SRCU read section of @srcu and fails once it is
 * NULL. The controller and its driver data are freed when the last reference
 * to the controller goes (spi_controller_put()), the device when its own last
 * reference goes, possibly later.
 */`;

const TO_CONTROLLER = `/**
 * to_spi_controller() - the controller of a controller's device
 * @dev: a device of the spi_master or spi_slave class
 *
 * Does not pin the controller: for code that runs while the controller is
 * registered (its driver; the device's sysfs attributes, which
 * spi_unregister_controller() removes before it revokes the controller).
 * Code that may run later uses spi_controller_dev_enter() or
 * spi_controller_get_by_dev() instead.
 *
 * Return: the controller, or NULL once it has been revoked.
 */
struct spi_controller *to_spi_controller(const struct device *dev)
{
	return rcu_dereference_raw(to_spi_controller_device(dev)->ctlr);
}`;

const RELEASE = `/* The device's release: its controller is gone, or was revoked before it */
static void spi_controller_release(struct device *dev)
{
	struct spi_controller_device *cdev = to_spi_controller_device(dev);

	cleanup_srcu_struct(&cdev->srcu);
	kfree(cdev);
}

/*
 * Cut the device's way back to the controller, then wait for the code inside
 * an SRCU read section to leave it: afterwards, nothing that starts from the
 * device reaches the controller.
 */
static void spi_controller_revoke(struct spi_controller *ctlr)
{
	struct spi_controller_device *cdev;

	cdev = to_spi_controller_device(spi_controller_dev(ctlr));
	if (!rcu_access_pointer(cdev->ctlr))
		return;
	rcu_assign_pointer(cdev->ctlr, NULL);
	synchronize_srcu(&cdev->srcu);
}

/* The last reference to the controller is gone: free it and its driver data */
static void spi_controller_free(struct kref *ref)
{
	struct spi_controller *ctlr;

	ctlr = container_of(ref, struct spi_controller, refcount);
	/* spi_unregister_controller() did, unless it was never registered */
	spi_controller_revoke(ctlr);
	free_percpu(ctlr->pcpu_statistics);
	put_device(spi_controller_dev(ctlr));
	kfree(ctlr);
}

/**
 * spi_controller_put() - drop a reference to a controller
 * @ctlr: the controller, or NULL
 *
 * The last reference frees the controller and its driver data. The one that
 * __spi_alloc_controller() gives its caller is dropped by
 * spi_unregister_controller(), or, for devm_spi_alloc_host() and friends,
 * when the device that allocated it is unbound.
 */
void spi_controller_put(struct spi_controller *ctlr)
{
	if (ctlr)
		kref_put(&ctlr->refcount, spi_controller_free);
}
EXPORT_SYMBOL_GPL(spi_controller_put);`;

const PIN = `static bool spi_is_controller_device(const struct device *dev)
{
	if (!dev)
		return false;
	if (IS_ENABLED(CONFIG_SPI_SLAVE) && dev->class == &spi_slave_class)
		return true;
	return dev->class == &spi_master_class;
}

/**
 * spi_controller_dev_enter() - pin the controller of a controller's device
 * @dev: the controller's device; any other device (or NULL) has no controller
 * @idx: where to keep the SRCU index for spi_controller_dev_exit()
 *
 * Until spi_controller_dev_exit(), spi_unregister_controller() waits and the
 * controller stays valid. Always pair with spi_controller_dev_exit(), whatever
 * the return value. The section may sleep; it must not unregister the
 * controller it pins.
 *
 * Return: the controller, or NULL when it has been unregistered.
 */
struct spi_controller *spi_controller_dev_enter(struct device *dev, int *idx)
{
	struct spi_controller_device *cdev;

	if (!spi_is_controller_device(dev)) {
		*idx = -1;
		return NULL;
	}
	cdev = to_spi_controller_device(dev);
	*idx = srcu_read_lock(&cdev->srcu);
	return srcu_dereference(cdev->ctlr, &cdev->srcu);
}
EXPORT_SYMBOL_GPL(spi_controller_dev_enter);

/**
 * spi_controller_dev_exit() - leave the section of spi_controller_dev_enter()
 * @dev: the device given to spi_controller_dev_enter()
 * @idx: the index it stored
 */
void spi_controller_dev_exit(struct device *dev, int idx)
{
	if (idx >= 0)
		srcu_read_unlock(&to_spi_controller_device(dev)->srcu, idx);
}
EXPORT_SYMBOL_GPL(spi_controller_dev_exit);

/**
 * spi_controller_get_by_dev() - a reference to the controller of a device
 * @dev: the controller's device, which the caller holds
 *
 * For code that found the device, such as the class lookups: a reference to
 * the device does not keep the controller. The reference keeps the
 * controller's memory, not its registration; drop it with
 * spi_controller_put().
 *
 * Return: the controller, or NULL once it has been unregistered.
 */
struct spi_controller *spi_controller_get_by_dev(struct device *dev)
{
	struct spi_controller *ctlr;
	int idx;

	ctlr = spi_controller_dev_enter(dev, &idx);
	if (ctlr && !kref_get_unless_zero(&ctlr->refcount))
		ctlr = NULL;
	spi_controller_dev_exit(dev, idx);
	return ctlr;
}
EXPORT_SYMBOL_GPL(spi_controller_get_by_dev);`;

/** A class lookup returns a reference to the controller, under the revocation check. */
function lookupEdits(fn: string): Replace[] {
  return [{
    what: "'struct device *dev;' declaration",
    find: /^\{\n\tstruct device \*dev;\n/m,
    replace: '{\n\tstruct spi_controller *ctlr;\n\tstruct device *dev;\n',
  }, {
    what: `'return to_spi_controller(dev);' at the end of ${fn}() (step one)`,
    find: /\n(?:\t\/\* Reference got in class_find_device \*\/\n)?\treturn to_spi_controller\(dev\);\n\}$/,
    replace: '\n\t/* the device\'s reference does not keep the controller: take one */\n'
      + `\tctlr = ${GET_BY_DEV}(dev);\n\tput_device(dev);\n\treturn ctlr;\n}`,
  }];
}

function editCore(text: string, t: TransformDefinition): string {
  text = addInclude(text, CORE, 'linux/srcu.h');
  // the step-one block: the back-pointer becomes revocable
  text = replaceAll(text, CORE, CORE, [{
    what: 'the comment and struct spi_controller_device (step one)',
    find: /\/\*\n \* The controller's struct device is allocated by the core with the controller\n(?: \*[^\n]*\n)*? \*\/\nstruct spi_controller_device \{\n\tstruct device dev;\n\tstruct spi_controller \*ctlr;\n\};/,
    replace: `${DEVICE_COMMENT}\nstruct spi_controller_device {\n\tstruct device dev;\n\tstruct spi_controller __rcu *ctlr;\n`
      + '\tstruct srcu_struct srcu;\n};',
  }]);
  const conv = findFunction(text, CORE, t.converter);
  if (!/to_spi_controller_device\(dev\)->ctlr;/.test(text.slice(conv.bodyOpen, conv.end))) {
    throw new AnchorError(CORE, `${t.converter}() returning to_spi_controller_device(dev)->ctlr (step one)`);
  }
  text = replaceFunction(text, CORE, t.converter, TO_CONTROLLER);
  // the device's release frees the device only; the controller has its own reference count
  const rel = findFunction(text, CORE, 'spi_controller_release');
  if (!/kfree\(to_spi_controller_device\(dev\)\);/.test(text.slice(rel.bodyOpen, rel.end))) {
    throw new AnchorError(CORE, 'kfree(to_spi_controller_device(dev)) in spi_controller_release() (step one)');
  }
  text = replaceFunction(text, CORE, 'spi_controller_release', RELEASE);
  text = insertBeforeFunction(text, CORE, '__spi_alloc_controller', `${PIN}\n`);

  text = editFunction(text, CORE, '__spi_alloc_controller', [
    {
      what: `'cdev->ctlr = ctlr; ctlr->${t.member} = &cdev->dev;' (step one)`,
      find: new RegExp(`\\n\\tcdev->ctlr = ctlr;\\n\\tctlr->${t.member} = &cdev->dev;\\n`),
      replace: '\n\tif (init_srcu_struct(&cdev->srcu)) {\n\t\tkfree(cdev);\n\t\tkfree(ctlr);\n\t\treturn NULL;\n\t}\n'
        + `\tRCU_INIT_POINTER(cdev->ctlr, ctlr);\n\tctlr->${t.member} = &cdev->dev;\n`
        + '\t/* the caller\'s reference: see spi_controller_put() */\n\tkref_init(&ctlr->refcount);\n',
    },
    {
      what: 'kfree(cdev) in the error path of spi_alloc_pcpu_stats() (step one)',
      find: /\n\t\tkfree\(ctlr\);\n\t\tkfree\(cdev\);\n/,
      replace: '\n\t\tkfree(ctlr);\n\t\tcleanup_srcu_struct(&cdev->srcu);\n\t\tkfree(cdev);\n',
    },
  ]);
  text = editDoc(text, CORE, '__spi_alloc_controller', [{
    what: "the 'Return:' line", find: /\n( \* Return: )/,
    replace: '\n * The controller and its driver data are freed when the last reference to\n'
      + ' * the controller is dropped: the caller\'s (spi_controller_put(), or\n'
      + ' * spi_unregister_controller()) and those of its SPI devices. Its struct\n'
      + ' * device may live on, but no longer leads to the controller.\n *\n$1',
  }]);
  text = editDoc(text, CORE, '__devm_spi_alloc_controller', [{
    what: "the 'Return:' line", find: /\n( \* Return: )/,
    replace: '\n * The reference released when @dev is unbound is normally the last one: the\n'
      + ' * controller and its driver data are freed then, and nothing may use them\n'
      + ' * afterwards.\n *\n$1',
  }]);

  // unregistration revokes, then drops the driver's reference to the controller
  const un = findFunction(text, CORE, 'spi_unregister_controller');
  const unText = text.slice(un.bodyOpen, un.end);
  const listDel = unText.indexOf('list_del(&ctlr->list);');
  const devDel = unText.search(new RegExp(`device_del\\(${devPtr(t, 'ctlr')}\\);`));
  if (listDel < 0 || devDel < 0 || listDel > devDel) {
    throw new AnchorError(CORE, 'list_del(&ctlr->list) then device_del() in spi_unregister_controller()');
  }
  text = editFunction(text, CORE, 'spi_unregister_controller', [
    {
      what: 'mutex_unlock(&ctlr->add_lock) after device_del()',
      find: new RegExp(`(\\n\\tdevice_del\\(${devPtr(t, 'ctlr')}\\);\\n[\\s\\S]*?`
        + '\\n(?:\\tif \\(IS_ENABLED\\(CONFIG_SPI_DYNAMIC\\)\\)\\n\\t)?\\tmutex_unlock\\(&ctlr->add_lock\\);\\n)'),
      replace: '$1\n\t/*\n\t * Nothing finds the controller any more (it is off the controller list\n'
        + '\t * and its class) and its sysfs attributes are gone: cut the way back\n'
        + '\t * from its device, and wait for the code on it. Not under add_lock,\n'
        + '\t * which that code may take to add a device.\n\t */\n\tspi_controller_revoke(ctlr);\n',
    },
    {
      what: "'if (!ctlr->devm_allocated) put_device(...)'",
      find: new RegExp(`\\n\\tif \\(!ctlr->devm_allocated\\)\\n\\t\\tput_device\\(${devPtr(t, 'ctlr')}\\);\\n`),
      replace: '\n\tif (!ctlr->devm_allocated)\n\t\tspi_controller_put(ctlr);\n',
    },
    {
      // the 6.12 comment; a tree without it gets none
      what: 'the comment on releasing the last reference',
      find: /\n\t\/\*\n\t \* Release the last reference on the controller if its driver\n\t \* has not yet been converted to devm_spi_alloc_master\/slave\(\)\.\n\t \*\/\n/,
      replace: '\n\t/*\n\t * Drop the driver\'s reference if it did not allocate the controller\n'
        + '\t * with devm_spi_alloc_host/target(): this frees the controller and\n'
        + '\t * its driver data, unless the driver took another reference.\n\t */\n',
      count: 'optional',
    },
  ]);
  text = editDoc(text, CORE, 'spi_unregister_controller', [{
    what: 'the end of the comment', find: /\n \*\/\n$/,
    replace: '\n *\n * Unless the controller was allocated with devm_spi_alloc_host() or\n'
      + ' * devm_spi_alloc_target(), the reference dropped is its driver\'s: the\n'
      + ' * controller and its driver data may be freed when this returns.\n */\n',
  }]);

  // the class lookups return a reference to the controller, taken under the revocation check
  text = editFunction(text, CORE, 'of_find_spi_controller_by_node', lookupEdits('of_find_spi_controller_by_node'));
  text = editFunction(text, CORE, 'acpi_spi_find_controller_by_adev', lookupEdits('acpi_spi_find_controller_by_adev'));
  const acpi = findFunction(text, CORE, 'acpi_spi_find_controller_by_adev');
  if (acpi.docStart !== acpi.start) {
    throw new AnchorError(CORE, 'acpi_spi_find_controller_by_adev()', 'already has a comment');
  }
  text = `${text.slice(0, acpi.start)}/**
 * acpi_spi_find_controller_by_adev - the SPI controller of an ACPI device
 * @adev: the ACPI companion of the controller's parent device
 *
 * Return: the controller, with a reference to drop with spi_controller_put(),
 * or NULL when there is none or it is being unregistered.
 */
${text.slice(acpi.start)}`;
  return text;
}

/**
 * spidev's open files reach the controller only through spidev->spi, which spidev_remove()
 * clears under spi_lock (and device_list_lock) when spi_unregister_controller() unregisters
 * the SPI device, before the controller is revoked; every file operation reads it under the
 * same lock and fails with -ESHUTDOWN once it is NULL. The switch relies on that: check it.
 */
function checkSpidev(text: string): string {
  const fnBody = (fn: string): string => {
    const f = findFunction(text, SPIDEV, fn);
    return text.slice(f.bodyOpen, f.end);
  };
  const need = (fn: string, re: RegExp, what: string): void => {
    if (!re.test(fnBody(fn))) throw new AnchorError(SPIDEV, `${what} in ${fn}()`);
  };
  need('spidev_remove', /mutex_lock\(&spidev->spi_lock\);\n\tspidev->spi = NULL;\n\tmutex_unlock\(&spidev->spi_lock\);/,
    'spidev->spi = NULL under spi_lock');
  need('spidev_remove', /mutex_lock\(&device_list_lock\);[\s\S]*spidev->spi = NULL;[\s\S]*mutex_unlock\(&device_list_lock\);/,
    'spidev->spi = NULL under device_list_lock');
  for (const fn of ['spidev_read', 'spidev_write']) {
    need(fn, /-ESHUTDOWN;[\s\S]*mutex_lock\(&spidev->spi_lock\);[\s\S]*if \(spidev->spi == NULL\)[\s\S]*mutex_unlock\(&spidev->spi_lock\);/,
      'spidev->spi checked under spi_lock (-ESHUTDOWN)');
  }
  for (const fn of ['spidev_ioctl', 'spidev_compat_ioc_message']) {
    need(fn, /mutex_lock\(&spidev->spi_lock\);\n\tspi = spi_dev_get\(spidev->spi\);\n\tif \(spi == NULL\) \{\n\t\tmutex_unlock\(&spidev->spi_lock\);\n\t\treturn -ESHUTDOWN;/,
      'spidev->spi checked under spi_lock (-ESHUTDOWN)');
    need(fn, /spi_dev_put\(spi\);\n\tmutex_unlock\(&spidev->spi_lock\);/, 'spi_lock held until spi_dev_put()');
  }
  need('spidev_release', /mutex_lock\(&device_list_lock\);[\s\S]*dofree = \(spidev->spi == NULL\);[\s\S]*mutex_unlock\(&device_list_lock\);/,
    'spidev->spi checked under device_list_lock');
  return text;
}

// ---------------------------------------------------------------------------------------------
// 4. the sysfs attributes of the controller's device

const STATS = `/*
 * The statistics of a controller's device, or NULL once the controller is
 * revoked; valid until spi_controller_dev_exit(dev, *idx).
 */
static struct spi_statistics __percpu *
spi_controller_dev_stats(struct device *dev, int *idx)
{
	struct spi_controller *ctlr = spi_controller_dev_enter(dev, idx);

	return ctlr ? ctlr->pcpu_statistics : NULL;
}
`;

function editAttributes(text: string, t: TransformDefinition): string {
  const start = text.search(/^#define SPI_STATISTICS_ATTRS\(field, file\)/m);
  if (start < 0) throw new AnchorError(CORE, '#define SPI_STATISTICS_ATTRS(field, file)');
  // the macro ends with its first line that has no continuation
  let end = start;
  for (;;) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) throw new AnchorError(CORE, 'end of SPI_STATISTICS_ATTRS()');
    end = nl + 1;
    if (text[nl - 1] !== '\\') break;
  }
  const body = `\n${macroLines([
    '{',
    '\tstruct spi_statistics __percpu *stat;',
    '\tssize_t ret = -ENODEV;',
    '\tint idx;',
    '',
    '\tstat = spi_controller_dev_stats(dev, &idx);',
    '\tif (stat)',
    '\t\tret = spi_statistics_##field##_show(stat, buf);',
    `\t${EXIT}(dev, idx);`,
    '\treturn ret;',
    '}',
  ])}\n`;
  const macro = replaceAll(text.slice(start, end), CORE, 'SPI_STATISTICS_ATTRS()', [{
    what: `the body of spi_controller_##field##_show(): ${t.converter}(dev) and its pcpu_statistics (step one)`,
    find: new RegExp(`\\n\\{[ \\t]*\\\\\\n\\tstruct ${t.struct} \\*ctlr = ${t.converter}\\(dev\\);[ \\t]*\\\\\\n`
      + '\\treturn spi_statistics_##field##_show\\(ctlr->pcpu_statistics, buf\\);[ \\t]*\\\\\\n\\}[ \\t]*\\\\\\n'),
    replace: body,
  }]);
  // the helper goes above the macro and the comment that introduces it
  const above = /\/\*(?:(?!\*\/)[^])*\*\/\n$/.exec(text.slice(0, start));
  const at = above ? above.index : start;
  text = `${text.slice(0, at)}${STATS}\n${text.slice(at, start)}${macro}${text.slice(end)}`;
  // slave_show()/slave_store() (CONFIG_SPI_SLAVE): the wrappers stay inside the #ifdef
  const spec = (fn: string, why: string): RevocableSpec => ({ fn, dev: '$1', fail: '-ENODEV', enter: ENTER, exit: EXIT, why });
  return wrapAllRevocable(text, CORE, [
    spec('slave_show', 'sysfs: show the target\'s device only while the controller is there'),
    spec('slave_store', 'sysfs: replace the target\'s device only while the controller is there'),
  ]);
}

// ---------------------------------------------------------------------------------------------
// 5. spi_alloc_device(): the reference of a new SPI device, under the revocation check

function editAllocDevice(text: string, t: TransformDefinition): string {
  return editFunction(text, CORE, 'spi_alloc_device', [{
    what: "'if (!spi_controller_get(ctlr)) return NULL;'",
    find: /\n\tif \(!spi_controller_get\(ctlr\)\)\n\t\treturn NULL;\n/,
    replace: '\n\t/* no new device on a controller that is being unregistered */\n'
      + `\tif (!ctlr || !${GET_BY_DEV}(${t.accessor}(ctlr)))\n\t\treturn NULL;\n`,
  }]);
}

export function spiRevokePlans(t: TransformDefinition): PatchPlan[] {
  return [
    {
      subject: 'spi: Drop the references of controller lookups with spi_controller_put()',
      body: `of_spi_notify() and acpi_spi_notify() find a controller by its firmware
node and drop the reference that the lookup took with put_device() on
the controller's device. That is what spi_controller_put() does, as long
as the controller lives as long as its device.

Use spi_controller_put(), so that the lookups can return a reference to
the controller itself once it no longer lives as long as its device. No
functional change.`,
      edits: [{ file: CORE, edit: (s) => editLookupCallers(s, t) }],
    },
    {
      subject: 'platform/x86: x86-android-tablets: Put the SPI controller, not its device',
      body: `x86_instantiate_spi_dev() drops the reference that
acpi_spi_find_controller_by_adev() took with put_device() on the
controller's device, then passes that device to dev_err_probe() when
spi_new_device() failed.

Drop it with spi_controller_put(), which is the same today and stays
right once the lookup returns a reference to the controller itself, and
only after the controller's last use. No functional change.`,
      edits: [{ file: TABLETS, edit: (s) => editTablets(s, t) }],
    },
    {
      subject: 'spi: Decouple the lifetime of a controller from its struct device',
      body: `The SPI core frees a controller, with its driver's data, in the release
callback of the controller's struct device: anything holding a reference
to the device (an open sysfs file, a class lookup, an SPI device) keeps
the driver's data allocated after the driver has unbound, and can reach
it through the device.

Give the controller a reference count of its own. spi_controller_get()
and spi_controller_put() count the controller; the reference that
__spi_alloc_controller() returns is dropped as before by
spi_unregister_controller(), or at unbind for devm_spi_alloc_host(), and
the last one frees the controller and its driver data. The controller
holds a reference to its device, whose release callback now frees only
the device.

The device reaches the controller through a back-pointer that
spi_unregister_controller() clears once the device is deleted, waiting
with synchronize_srcu() for the code inside an SRCU read section.
to_spi_controller() returns NULL after that. spi_controller_dev_enter()
and spi_controller_dev_exit() pin the controller of a device, and
spi_controller_get_by_dev() takes a reference to it, or fails once it is
revoked: of_find_spi_controller_by_node() and
acpi_spi_find_controller_by_adev() now return a reference to the
controller, dropped with spi_controller_put(), or NULL when it is being
unregistered. The SPI devices keep their reference to the controller, so
spidev_release() stays as it is; spidev's file operations already fail
once spidev_remove() has cleared their SPI device.

Drivers must not use their controller or its driver data after dropping
their last reference to it; a reference to its device does not keep it.`,
      edits: [
        { file: t.header, edit: (s) => editHeader(s, t) },
        { file: CORE, edit: (s) => editCore(s, t) },
        { file: SPIDEV, edit: checkSpidev, check: true },
      ],
    },
    {
      subject: 'spi: Check the controller is still there in its sysfs attributes',
      body: `The statistics attributes of a controller's device and the slave
attribute of a target controller follow the device back to the
controller. spi_unregister_controller() removes them before it revokes
the controller, so they cannot see it go today.

Read the controller inside the SRCU read section of
spi_controller_dev_enter() anyway, and return -ENODEV once it is
revoked, so that these attributes stay correct whatever removes them
and whenever the controller goes.`,
      edits: [{ file: CORE, edit: (s) => editAttributes(s, t) }],
    },
    {
      subject: 'spi: Refuse new devices on a controller being unregistered',
      body: `spi_alloc_device() takes a reference to the controller for the new SPI
device, which keeps the controller, and its driver data, until the SPI
device is released. A caller that found the controller by its firmware
node or in sysfs while it was being unregistered would get an SPI device
that keeps a controller nobody can use any more.

Take the reference with spi_controller_get_by_dev(), which fails once
spi_unregister_controller() has revoked the controller: spi_alloc_device()
returns NULL, as when it is out of memory, and spi_new_device() with it.`,
      edits: [{ file: CORE, edit: (s) => editAllocDevice(s, t) }],
    },
    {
      subject: 'media: mgb4: Hold a reference to the SPI controller, not to its device',
      body: `get_spi_adap() finds the controller of the xilinx_spi platform device
that init_spi() registered, and init_spi() keeps a reference to the
controller's device until spi_new_device() is done with it. Now that the
SPI core frees a controller with its last controller reference, a
reference to its device no longer keeps it: the xilinx_spi driver
unbinding in between would leave init_spi() with a freed controller.

Take a reference to the controller with spi_controller_get_by_dev(),
which fails once the controller is unregistered, and drop it with
spi_controller_put().`,
      edits: [{ file: MGB4, edit: (s) => editMgb4(s, t) }],
    },
  ];
}
