import { testRule } from '../../test/rule-tester';
import { pluginOverlappingWasmDir } from './plugin-overlapping-wasm-dir';

const plugins = (...dirs: string[]) => ({
  plugins: dirs.map((wasm_dir, i) => ({ name: `p${i}`, wasm_dir, plugin_type: 'HttpMiddleware' as const })),
});

testRule(pluginOverlappingWasmDir, {
  valid: [
    {},
    plugins('/var/lib/dentdelion/a', '/var/lib/dentdelion/ab'),
    plugins('/var/lib/dentdelion/a', '/var/lib/dentdelion/a'),
  ],
  invalid: [
    {
      spec: plugins('/var/lib/dentdelion/a', '/var/lib/dentdelion/a/b'),
      errors: [
        {
          path: 'plugins[1].wasm_dir',
          message:
            "spec.plugins contains overlapping wasm_dir mount paths '/var/lib/dentdelion/a' and '/var/lib/dentdelion/a/b'",
        },
      ],
    },
  ],
});
