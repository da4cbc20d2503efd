import { testRule } from '../../test/rule-tester';
import { tlsRequiresIngressHost } from './tls-requires-ingress-host';

const error = [
  { path: 'services.ingress_host', message: 'services.tls.enabled requires services.ingress_host' },
];

testRule(tlsRequiresIngressHost, {
  valid: [
    {},
    { services: { tls: { enabled: false } } },
    { services: { ingress_host: 'a.example.com', tls: { enabled: true, secret_name: 's' } } },
  ],
  invalid: [
    { spec: { services: { tls: { enabled: true, secret_name: 's' } } }, errors: error },
    { spec: { services: { ingress_host: '  ', tls: { enabled: true, secret_name: 's' } } }, errors: error },
  ],
});
