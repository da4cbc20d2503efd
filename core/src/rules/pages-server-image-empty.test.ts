import { testRule } from '../../test/rule-tester';
import { pagesServerImageEmpty } from './pages-server-image-empty';

testRule(pagesServerImageEmpty, {
  valid: [{}, { pages: { server_image: 'nginx:1' } }],
  invalid: [
    {
      spec: { pages: { server_image: ' ' } },
      errors: [{ path: 'pages.server_image', message: 'pages.server_image must not be empty' }],
    },
  ],
});
