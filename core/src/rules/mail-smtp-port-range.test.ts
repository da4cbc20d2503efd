import { testRule } from '../../test/rule-tester';
import { mailSmtpPortRange } from './mail-smtp-port-range';

const message = 'mail.smtp_port must be between 1 and 65535';

testRule(mailSmtpPortRange, {
  valid: [{}, { mail: { smtp_host: 'smtp' } }, { mail: { smtp_port: 1 } }, { mail: { smtp_port: 65535 } }],
  invalid: [
    { spec: { mail: { smtp_port: 0 } }, errors: [{ path: 'mail.smtp_port', message }] },
    { spec: { mail: { smtp_port: 65536 } }, errors: [{ path: 'mail.smtp_port', message }] },
  ],
});
