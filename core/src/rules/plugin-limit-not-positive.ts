import { defineRule } from './rule';

export const pluginLimitNotPositive = defineRule({
  code: 'plugin-limit-not-positive',
  severity: 'error',
  description: 'Plugin memory_limit_mb and timeout_ms must be > 0 when set.',
  check(spec, report) {
    (spec.plugins ?? []).forEach((plugin, i) => {
      for (const key of ['memory_limit_mb', 'timeout_ms'] as const) {
        const value = plugin[key];
        if (value !== undefined && value <= 0)
          report({ path: `plugins[${i}].${key}`, message: `plugins[].${key} must be > 0` });
      }
    });
  },
});
