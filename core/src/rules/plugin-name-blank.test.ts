import { testRule } from '../../test/rule-tester';
import { pluginNameBlank } from './plugin-name-blank';

const plugin = (name: string) => ({
  name,
  wasm_dir: '/var/lib/dentdelion/x',
  plugin_type: 'HttpMiddleware' as const,
});

testRule(pluginNameBlank, {
  valid: [{}, { plugins: [plugin('auth')] }],
  invalid: [
    {
      spec: { plugins: [plugin('auth'), plugin(' ')] },
      errors: [{ path: 'plugins[1].name', message: 'plugins[].name must be non-empty' }],
    },
  ],
});
