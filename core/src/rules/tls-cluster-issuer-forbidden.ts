import { defineRule } from './rule';

export const CLUSTER_ISSUER_MESSAGE =
  'services.tls.cluster_issuer is not supported; use services.tls.issuer with a namespace-scoped Issuer';

export const tlsClusterIssuerForbidden = defineRule({
  code: 'tls-cluster-issuer-forbidden',
  severity: 'error',
  description: 'ClusterIssuers are not allowed (tenant safety); use a namespace-scoped Issuer.',
  check(spec, report) {
    if (spec.services?.tls?.cluster_issuer !== undefined) {
      report({ path: 'services.tls.cluster_issuer', message: CLUSTER_ISSUER_MESSAGE });
    }
  },
});
