import type { ProjectSpecInput } from '../crd/schema';
import { isSetButBlank } from './checks';
import { defineRule } from './rule';

type Source = NonNullable<ProjectSpecInput['source']>;

/** Optional source strings that must not be empty when given, in the original's order. */
const FIELDS: Array<[string, (s: Source) => string | undefined]> = [
  ['source.branch', (s) => s.branch],
  ['source.credentials_secret', (s) => s.credentials_secret],
  ['source.build.dockerfile', (s) => s.build?.dockerfile],
  ['source.build.context', (s) => s.build?.context],
  ['source.build.registry', (s) => s.build?.registry],
  ['source.webhook.secret_ref', (s) => s.webhook?.secret_ref],
  ['source.preview.ttl', (s) => s.preview?.ttl],
  ['source.preview.url_template', (s) => s.preview?.url_template],
];

export const sourceValueEmpty = defineRule({
  code: 'source-value-empty',
  severity: 'error',
  description:
    'Optional source settings (branch, credentials, build paths, webhook secret, preview ttl/url) must not be empty when given.',
  check(spec, report) {
    const source = spec.source;
    if (!source) return;
    for (const [path, get] of FIELDS) {
      if (isSetButBlank(get(source))) report({ path, message: `${path} must be non-empty when specified` });
    }
  },
});
