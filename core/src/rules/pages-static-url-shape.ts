import { defineRule } from './rule';

export const pagesStaticUrlShape = defineRule({
  code: 'pages-static-url-shape',
  severity: 'error',
  description: "pages.static_url must start and end with '/'.",
  check(spec, report) {
    const url = spec.pages?.static_url;
    if (url !== undefined && !(url.startsWith('/') && url.endsWith('/'))) {
      report({ path: 'pages.static_url', message: "pages.static_url must start and end with '/'" });
    }
  },
});
