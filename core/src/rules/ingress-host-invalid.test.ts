import { testRule } from '../../test/rule-tester';
import { ingressHostInvalid } from './ingress-host-invalid';

const host = (ingress_host: string) => ({ services: { ingress_host } });
const notDns = (h: string) =>
  `services.ingress_host '${h}' is not a valid DNS host name; use letters, digits, '-' and '.' only, without scheme, port or path (e.g. app.example.com)`;

testRule(ingressHostInvalid, {
  valid: [
    {},
    host('app.example.com'),
    // Normalized the way the Ingress gets it: case and a trailing dot do not matter.
    host('App.Team.Example.COM.'),
    host('a-1.b2.example'),
    // Not an IP address (999 is no octet), so the API server takes it as a name.
    host('999.0.0.1'),
  ],
  invalid: [
    {
      spec: host('http://app.example.com'),
      errors: [{ path: 'services.ingress_host', message: notDns('http://app.example.com') }],
    },
    {
      spec: host('app.example.com:8443'),
      errors: [{ path: 'services.ingress_host', message: notDns('app.example.com:8443') }],
    },
    {
      spec: host('app.example.com/api'),
      errors: [{ path: 'services.ingress_host', message: notDns('app.example.com/api') }],
    },
    {
      spec: host('my_app.example.com'),
      errors: [{ path: 'services.ingress_host', message: notDns('my_app.example.com') }],
    },
    { spec: host('10.0.0.1'), errors: [{ path: 'services.ingress_host', message: notDns('10.0.0.1') }] },
    {
      spec: host(`${'a'.repeat(250)}.com`),
      errors: [{ path: 'services.ingress_host', message: notDns(`${'a'.repeat(250)}.com`) }],
    },
    {
      spec: host('*.example.com'),
      errors: [
        {
          path: 'services.ingress_host',
          message: "services.ingress_host '*.example.com' must not use Kubernetes wildcard host syntax",
        },
      ],
    },
  ],
});
