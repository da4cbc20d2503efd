import { defineRule } from './rule';

export const webhookEventsRequired = defineRule({
  code: 'webhook-events-required',
  severity: 'error',
  description: 'An enabled webhook needs at least one event.',
  check(spec, report) {
    const webhook = spec.source?.webhook;
    if (webhook?.enabled === true && (webhook.events ?? []).length === 0) {
      report({
        path: 'source.webhook.events',
        message: 'source.webhook.events must not be empty when webhook is enabled',
        anchors: ['source.webhook.enabled'],
      });
    }
  },
});
