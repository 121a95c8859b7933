// What the kernel's C looks like to a parser that knows no macros: the annotations, iterator
// macros and declaration macros that make tree-sitter-c give up. In the spirit of Coccinelle's
// standard.h macro file, but applied as offset-preserving text rewrites (see normalize.ts).

/** Words that expand to nothing a type checker needs (sparse annotations, sections, attributes). */
export const ANNOTATIONS: readonly string[] = [
  '__iomem', '__rcu', '__user', '__force', '__percpu', '__kernel', '__safe', '__nocast',
  '__bitwise', '__must_check', '__init', '__exit', '__initdata', '__initconst', '__exitdata',
  '__devinit', '__devexit', '__devinitdata', '__devinitconst', '__used', '__cold', '__hot', '__pure', '__weak',
  '__always_inline', 'noinline', '__noinline', '__ro_after_init', '__read_mostly',
  '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__packed', '__noreturn', '__malloc', '__deprecated',
  '__visible', 'asmlinkage', 'notrace', '__sched', '__init_or_module', '__meminit',
  '__meminitdata', '__refdata', '__ref', '__nonstring', '__latent_entropy',
  '__randomize_layout', '__no_randomize_layout', '__naked', '__flatten', '__iomem_ptr',
  '__kprobes', '__irq_entry', '__noclone', '__no_kcsan', '__no_sanitize_address',
  '__attribute_const__', '__private', '__rcu_bh', '__percpu_rcu', '__le16',
  'fallthrough', '__initdata_or_module', '__ksym',
  'IOMEM', '__xipram', '__init_memblock', '__cpuinit', '__cpuexit', '__exit_call',
];

/** Annotations that take a parenthesised argument list: `__aligned(8)`, `__attribute__((x))`. */
export const ANNOTATIONS_WITH_ARGS: readonly string[] = [
  '__attribute__', '__attribute', '__aligned', '__acquires', '__releases', '__must_hold',
  '__counted_by', '__counted_by_le', '__counted_by_be', '__free', '__cleanup', '__printf',
  '__scanf', '__section', '__alloc_size', '__diagnose_as', '__cond_acquires',
  '__cond_releases', '__guarded_by', '__pt_guarded_by', '__assume_aligned',
];

/** Macros used like a loop head: `list_for_each_entry(pos, head, member) { … }`. */
export function isIteratorMacro(name: string): boolean {
  return /(^|_)for_each(_|$)/.test(name) || /^(scoped_guard|scoped_cond_guard|for_each)$/.test(name)
    || /_foreach(_|$)/.test(name);
}

/** Macros used like a declaration: `static DEFINE_MUTEX(lock);`, `DECLARE_BITMAP(b, 8);`. */
export function isDeclarationMacro(name: string): boolean {
  return /^(DEFINE|DECLARE)_[A-Z0-9_]+$/.test(name)
    || /^(LIST_HEAD|HLIST_HEAD|ATTRIBUTE_GROUPS|BIN_ATTRIBUTE_GROUPS|SIMPLE_DEV_PM_OPS)$/.test(name)
    || /^(UNIVERSAL_DEV_PM_OPS|DEVICE_ATTR\w*|DRIVER_ATTR\w*|BUS_ATTR\w*|CLASS_ATTR\w*)$/.test(name)
    || /^(SENSOR_DEVICE_ATTR\w*|IIO_\w*ATTR\w*|EXPORT_\w*PM_OPS|MODULE_\w+)$/.test(name);
}
