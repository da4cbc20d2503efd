import { isSetButBlank } from './checks';
import { defineRule } from './rule';

export const pagesStaticRootEmpty = defineRule({
  code: 'pages-static-root-empty',
  severity: 'error',
  description: 'pages.static_root must not be empty when set.',
  check(spec, report) {
    if (isSetButBlank(spec.pages?.static_root)) {
      report({ path: 'pages.static_root', message: 'pages.static_root must not be empty' });
    }
  },
});
