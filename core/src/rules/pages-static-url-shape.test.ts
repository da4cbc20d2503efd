import { testRule } from '../../test/rule-tester';
import { pagesStaticUrlShape } from './pages-static-url-shape';

const error = [{ path: 'pages.static_url', message: "pages.static_url must start and end with '/'" }];

testRule(pagesStaticUrlShape, {
  valid: [{}, { pages: { static_url: '/static/' } }, { pages: { static_url: '/' } }],
  invalid: [
    { spec: { pages: { static_url: 'static/' } }, errors: error },
    { spec: { pages: { static_url: '/static' } }, errors: error },
    { spec: { pages: { static_url: '' } }, errors: error },
  ],
});
