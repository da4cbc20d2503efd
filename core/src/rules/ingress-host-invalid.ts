import { ingressHostProblem, isBlank } from './checks';
import { defineRule } from './rule';

// The operator enforces the same check at reconcile time (render/checks.ts); here it reaches the CLI and the
// editor too, so `http://app.example.com` or a wildcard is caught before anything is deployed.
export const ingressHostInvalid = defineRule({
  code: 'ingress-host-invalid',
  severity: 'error',
  description:
    'services.ingress_host must be a DNS host name (no scheme, port, path, wildcard or IP address).',
  check(spec, report) {
    const host = spec.services?.ingress_host;
    if (host === undefined || isBlank(host)) return;
    const problem = ingressHostProblem(host);
    if (problem) report({ path: 'services.ingress_host', message: problem });
  },
});
