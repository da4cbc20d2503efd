import { testRule } from '../../test/rule-tester';
import { sourceValueEmpty } from './source-value-empty';

const repo = 'https://github.com/acme/orders';

testRule(sourceValueEmpty, {
  valid: [
    {},
    { source: { repository: repo } },
    {
      source: {
        repository: repo,
        branch: 'main',
        credentials_secret: 'orders-git-credentials',
        build: { dockerfile: 'Dockerfile', context: '.', registry: 'ghcr.io/acme' },
        webhook: { secret_ref: 'hook' },
        preview: { ttl: '72h', url_template: '{app}.example.com' },
      },
    },
  ],
  invalid: [
    {
      spec: {
        source: {
          repository: repo,
          branch: '',
          credentials_secret: ' ',
          build: { dockerfile: '', context: '', registry: '' },
          webhook: { secret_ref: '' },
          preview: { ttl: '', url_template: '' },
        },
      },
      errors: [
        'source.branch',
        'source.credentials_secret',
        'source.build.dockerfile',
        'source.build.context',
        'source.build.registry',
        'source.webhook.secret_ref',
        'source.preview.ttl',
        'source.preview.url_template',
      ].map((path) => ({ path, message: `${path} must be non-empty when specified` })),
    },
  ],
});
