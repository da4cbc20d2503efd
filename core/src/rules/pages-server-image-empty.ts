import { isSetButBlank } from './checks';
import { defineRule } from './rule';

export const pagesServerImageEmpty = defineRule({
  code: 'pages-server-image-empty',
  severity: 'error',
  description: 'pages.server_image must not be empty when set.',
  check(spec, report) {
    if (isSetButBlank(spec.pages?.server_image)) {
      report({ path: 'pages.server_image', message: 'pages.server_image must not be empty' });
    }
  },
});
