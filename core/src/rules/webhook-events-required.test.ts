import { testRule } from '../../test/rule-tester';
import { webhookEventsRequired } from './webhook-events-required';

const repository = 'r';

testRule(webhookEventsRequired, {
  valid: [
    {},
    { source: { repository, webhook: { enabled: false } } },
    { source: { repository, webhook: { enabled: true, events: ['push'] } } },
  ],
  invalid: [
    {
      spec: { source: { repository, webhook: { enabled: true, events: [] } } },
      errors: [
        {
          path: 'source.webhook.events',
          message: 'source.webhook.events must not be empty when webhook is enabled',
        },
      ],
    },
    {
      spec: { source: { repository, webhook: { enabled: true } } },
      errors: [
        {
          path: 'source.webhook.events',
          message: 'source.webhook.events must not be empty when webhook is enabled',
        },
      ],
    },
  ],
});
