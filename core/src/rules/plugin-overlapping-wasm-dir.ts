import { defineRule } from './rule';

const components = (dir: string) =>
  dir
    .trim()
    .split('/')
    .filter((s) => s !== '' && s !== '.');

export const pluginOverlappingWasmDir = defineRule({
  code: 'plugin-overlapping-wasm-dir',
  severity: 'error',
  description: 'No plugin wasm_dir may contain another (mount paths would overlap).',
  check(spec, report) {
    const dirs = (spec.plugins ?? []).map((p) => ({ raw: p.wasm_dir.trim(), parts: components(p.wasm_dir) }));
    for (let i = 0; i < dirs.length; i++) {
      for (let j = i + 1; j < dirs.length; j++) {
        const a = dirs[i]!;
        const b = dirs[j]!;
        if (a.parts.length === b.parts.length) continue; // equal paths are the duplicate rule's business
        const [short, long] = a.parts.length < b.parts.length ? [a, b] : [b, a];
        if (short.parts.every((part, k) => long.parts[k] === part)) {
          report({
            path: `plugins[${j}].wasm_dir`,
            message: `spec.plugins contains overlapping wasm_dir mount paths '${a.raw}' and '${b.raw}'`,
          });
        }
      }
    }
  },
});
