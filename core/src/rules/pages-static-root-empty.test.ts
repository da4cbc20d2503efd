import { testRule } from '../../test/rule-tester';
import { pagesStaticRootEmpty } from './pages-static-root-empty';

testRule(pagesStaticRootEmpty, {
  valid: [{}, { pages: {} }, { pages: { static_root: '/app/static' } }],
  invalid: [
    {
      spec: { pages: { static_root: '' } },
      errors: [{ path: 'pages.static_root', message: 'pages.static_root must not be empty' }],
    },
  ],
});
