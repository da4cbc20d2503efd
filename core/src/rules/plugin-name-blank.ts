import { isBlank } from './checks';
import { defineRule } from './rule';

export const pluginNameBlank = defineRule({
  code: 'plugin-name-blank',
  severity: 'error',
  description: 'Every plugin needs a name.',
  check(spec, report) {
    (spec.plugins ?? []).forEach((plugin, i) => {
      if (isBlank(plugin.name))
        report({ path: `plugins[${i}].name`, message: 'plugins[].name must be non-empty' });
    });
  },
});
