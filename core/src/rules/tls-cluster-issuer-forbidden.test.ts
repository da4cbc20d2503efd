import { testRule } from '../../test/rule-tester';
import { CLUSTER_ISSUER_MESSAGE, tlsClusterIssuerForbidden } from './tls-cluster-issuer-forbidden';

testRule(tlsClusterIssuerForbidden, {
  valid: [{}, { services: { tls: { issuer: 'letsencrypt-ns' } } }],
  invalid: [
    {
      spec: { services: { tls: { cluster_issuer: 'letsencrypt' } } },
      errors: [{ path: 'services.tls.cluster_issuer', message: CLUSTER_ISSUER_MESSAGE }],
    },
    {
      spec: { services: { tls: { cluster_issuer: '' } } },
      errors: [{ path: 'services.tls.cluster_issuer', message: CLUSTER_ISSUER_MESSAGE }],
    },
  ],
});
