import { testRule } from '../../test/rule-tester';
import { tlsRequiresSecretName } from './tls-requires-secret-name';

const error = [
  {
    path: 'services.tls.secret_name',
    message: 'services.tls.secret_name is required when services.tls.enabled is true',
  },
];

testRule(tlsRequiresSecretName, {
  valid: [
    {},
    { services: { tls: { secret_name: '' } } },
    { services: { tls: { enabled: true, secret_name: 'tls' } } },
  ],
  invalid: [
    { spec: { services: { ingress_host: 'h', tls: { enabled: true } } }, errors: error },
    { spec: { services: { ingress_host: 'h', tls: { enabled: true, secret_name: '' } } }, errors: error },
  ],
});
