import { testRule } from '../../test/rule-tester';
import { pluginLimitNotPositive } from './plugin-limit-not-positive';

const plugin = (limits: { memory_limit_mb?: number; timeout_ms?: number }) => ({
  plugins: [
    { name: 'p', wasm_dir: '/var/lib/dentdelion/p', plugin_type: 'GrpcInterceptor' as const, ...limits },
  ],
});

testRule(pluginLimitNotPositive, {
  valid: [{}, plugin({}), plugin({ memory_limit_mb: 64, timeout_ms: 100 })],
  invalid: [
    {
      spec: plugin({ memory_limit_mb: 0, timeout_ms: 0 }),
      errors: [
        { path: 'plugins[0].memory_limit_mb', message: 'plugins[].memory_limit_mb must be > 0' },
        { path: 'plugins[0].timeout_ms', message: 'plugins[].timeout_ms must be > 0' },
      ],
    },
  ],
});
