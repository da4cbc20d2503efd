import { isPort } from './checks';
import { defineRule } from './rule';

export const mailSmtpPortRange = defineRule({
  code: 'mail-smtp-port-range',
  severity: 'error',
  description: 'mail.smtp_port must be a TCP port (1..65535).',
  check(spec, report) {
    const port = spec.mail?.smtp_port;
    if (port !== undefined && !isPort(port)) {
      report({ path: 'mail.smtp_port', message: 'mail.smtp_port must be between 1 and 65535' });
    }
  },
});
