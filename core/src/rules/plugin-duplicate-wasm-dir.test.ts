import { testRule } from '../../test/rule-tester';
import { pluginDuplicateWasmDir } from './plugin-duplicate-wasm-dir';

const plugins = (...dirs: string[]) => ({
  plugins: dirs.map((wasm_dir, i) => ({ name: `p${i}`, wasm_dir, plugin_type: 'HttpMiddleware' as const })),
});

testRule(pluginDuplicateWasmDir, {
  valid: [{}, plugins('/var/lib/dentdelion/a', '/var/lib/dentdelion/b')],
  invalid: [
    {
      spec: plugins('/var/lib/dentdelion/a', ' /var/lib/dentdelion/a '),
      errors: [
        {
          path: 'plugins[1].wasm_dir',
          message: "spec.plugins contains entries with duplicate wasm_dir '/var/lib/dentdelion/a'",
        },
      ],
    },
  ],
});
