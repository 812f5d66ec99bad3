import { describe, expect, it } from 'vitest';
import { smtpError } from '../../../../alerting/receivers/email/errors.js';

// The error shapes nodemailer 10.6 gives, as measured against smtp-server (reference §4).
describe('smtpError', () => {
  const cases: [string, object, string, boolean][] = [
    ['451 on DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA', message: 'Message failed: 451 try later' }, 'smtp_451', true],
    ['554 on DATA', { code: 'EMESSAGE', responseCode: 554, command: 'DATA', message: 'Message failed: 554 spam' }, 'smtp_554', false],
    ['550 on RCPT', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', rejected: ['x@y'], message: 'Can\'t send mail - all recipients were rejected' }, 'smtp_550', false],
    ['450 on RCPT (mailbox busy)', { code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO', message: 'busy' }, 'smtp_450', true],
    ['421 greeting', { code: 'EPROTOCOL', responseCode: 421, command: 'CONN', message: 'Invalid greeting' }, 'smtp_421', true],
    ['535 on AUTH', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', message: 'Invalid login' }, 'smtp_535', false],
    ['server down', { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' }, 'network', true],
    ['connection dropped', { code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'network', true],
    ['greeting timeout', { code: 'ETIMEDOUT', message: 'Greeting never received' }, 'network', true],
    ['STARTTLS refused', { code: 'ETLS', responseCode: 500, command: 'STARTTLS', message: 'Error upgrading connection with STARTTLS: 500' }, 'tls', false],
    ['no recipients', { code: 'EENVELOPE', message: 'No recipients defined' }, 'envelope', false],
    ['aborted', { code: 'EABORT', name: 'AbortError', message: 'This operation was aborted' }, 'aborted', true],
    ['unknown', new Error('something odd'), 'smtp', false],
  ];
  for (const [name, err, code, retryable] of cases) {
    it(name, () => {
      const e = smtpError(err, []);
      expect([e.code, e.retryable]).toEqual([code, retryable]);
    });
  }

  it('cuts the secrets, plain and base64, out of the message', () => {
    const pw = 'hunter2-very-secret';
    const e = smtpError({ code: 'EAUTH', responseCode: 535, message: `Invalid login: 535 ${pw} ${Buffer.from(pw).toString('base64')}` }, [pw]);
    expect(e.message).not.toContain(pw);
    expect(e.message).not.toContain(Buffer.from(pw).toString('base64'));
    expect(e.message).toContain('<secret>');
  });
});
