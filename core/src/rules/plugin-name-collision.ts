import { sanitizePluginName } from './checks';
import { defineRule } from './rule';

export const pluginNameCollision = defineRule({
  code: 'plugin-name-collision',
  severity: 'error',
  description: 'Plugin names must stay unique after sanitizing (they name the pod Volume).',
  check(spec, report) {
    const seen = new Set<string>();
    const reported = new Set<string>();
    (spec.plugins ?? []).forEach((plugin, i) => {
      const suffix = sanitizePluginName(plugin.name);
      if (seen.has(suffix) && !reported.has(suffix)) {
        reported.add(suffix);
        report({
          path: `plugins[${i}].name`,
          message: `spec.plugins contains entries whose sanitized name collides on Volume suffix '${suffix}'`,
        });
      }
      seen.add(suffix);
    });
  },
});
