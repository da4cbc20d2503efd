import { expect, it } from 'vitest';
import { testRule } from '../../test/rule-tester';
import { sanitizePluginName } from './checks';
import { pluginNameCollision } from './plugin-name-collision';

const plugins = (...names: string[]) => ({
  plugins: names.map((name, i) => ({
    name,
    wasm_dir: `/var/lib/dentdelion/${i}`,
    plugin_type: 'HttpMiddleware' as const,
  })),
});

testRule(pluginNameCollision, {
  valid: [{}, plugins('auth', 'audit')],
  invalid: [
    {
      spec: plugins('my.plugin', 'my-plugin', 'My_Plugin'),
      errors: [
        {
          path: 'plugins[1].name',
          message: "spec.plugins contains entries whose sanitized name collides on Volume suffix 'my-plugin'",
        },
      ],
    },
    {
      spec: plugins('!!!', '???'),
      errors: [
        {
          path: 'plugins[1].name',
          message: "spec.plugins contains entries whose sanitized name collides on Volume suffix 'plugin'",
        },
      ],
    },
  ],
});

it('sanitizes like the original', () => {
  expect(sanitizePluginName('My.Plugin')).toBe('my-plugin');
  expect(sanitizePluginName('--x--')).toBe('x');
  expect(sanitizePluginName('')).toBe('plugin');
});
