import { defineRule } from './rule';

export const pluginDuplicateWasmDir = defineRule({
  code: 'plugin-duplicate-wasm-dir',
  severity: 'error',
  description: 'Two plugins must not mount the same wasm_dir.',
  check(spec, report) {
    const seen = new Set<string>();
    const reported = new Set<string>();
    (spec.plugins ?? []).forEach((plugin, i) => {
      const dir = plugin.wasm_dir.trim();
      if (seen.has(dir) && !reported.has(dir)) {
        reported.add(dir);
        report({
          path: `plugins[${i}].wasm_dir`,
          message: `spec.plugins contains entries with duplicate wasm_dir '${dir}'`,
        });
      }
      seen.add(dir);
    });
  },
});
