import { defineRule } from './rule';

export const PLUGIN_DIR_PREFIX = '/var/lib/dentdelion/';

/** The first problem of a plugin wasm_dir, in the original's order and words; undefined when valid. */
export function wasmDirProblem(dir: string): string | undefined {
  const trimmed = dir.trim();
  if (trimmed === '') return 'plugins[].wasm_dir must be non-empty';
  if (!trimmed.startsWith('/')) return "plugins[].wasm_dir must be an absolute path (start with '/')";
  if (trimmed.split('/').includes('..')) return "plugins[].wasm_dir must not contain '..' path components";
  // Strictly under the prefix: the prefix directory itself is rejected.
  const rest = trimmed.startsWith(PLUGIN_DIR_PREFIX)
    ? trimmed.slice(PLUGIN_DIR_PREFIX.length).replace(/\/+$/, '')
    : '';
  if (rest === '' || rest.split('/').every((s) => s === '' || s === '.')) {
    return `plugins[].wasm_dir must be under ${PLUGIN_DIR_PREFIX}`;
  }
  return undefined;
}

export const pluginWasmDirInvalid = defineRule({
  code: 'plugin-wasm-dir-invalid',
  severity: 'error',
  description: `Plugin wasm_dir must be an absolute path strictly under ${PLUGIN_DIR_PREFIX} without '..'.`,
  check(spec, report) {
    (spec.plugins ?? []).forEach((plugin, i) => {
      const problem = wasmDirProblem(plugin.wasm_dir);
      if (problem) report({ path: `plugins[${i}].wasm_dir`, message: problem });
    });
  },
});
