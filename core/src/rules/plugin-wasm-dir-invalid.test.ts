import { testRule } from '../../test/rule-tester';
import { pluginWasmDirInvalid } from './plugin-wasm-dir-invalid';

const plugin = (wasm_dir: string) => ({
  plugins: [{ name: 'p', wasm_dir, plugin_type: 'EventHandler' as const }],
});
const err = (message: string) => [{ path: 'plugins[0].wasm_dir', message }];

testRule(pluginWasmDirInvalid, {
  valid: [{}, plugin('/var/lib/dentdelion/auth'), plugin('/var/lib/dentdelion/a/b/')],
  invalid: [
    { spec: plugin(''), errors: err('plugins[].wasm_dir must be non-empty') },
    {
      spec: plugin('var/lib/dentdelion/a'),
      errors: err("plugins[].wasm_dir must be an absolute path (start with '/')"),
    },
    {
      spec: plugin('/var/lib/dentdelion/../etc'),
      errors: err("plugins[].wasm_dir must not contain '..' path components"),
    },
    { spec: plugin('/opt/plugins/a'), errors: err('plugins[].wasm_dir must be under /var/lib/dentdelion/') },
    {
      spec: plugin('/var/lib/dentdelion/'),
      errors: err('plugins[].wasm_dir must be under /var/lib/dentdelion/'),
    },
    {
      spec: plugin('/var/lib/dentdelion'),
      errors: err('plugins[].wasm_dir must be under /var/lib/dentdelion/'),
    },
  ],
});
