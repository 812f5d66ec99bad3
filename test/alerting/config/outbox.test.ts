import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { formatIssue, SourceError } from '../../../util/yamlreader.js';

// outbox_configs (vigil-only): decoding, defaults and errors with file:line:column.

const load = (text: string) => loadAlertingConfig('/etc/vigil/am.yml', text);

function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

const receiver = (entry: string, global = '') => `${global}route:\n  receiver: a\nreceivers:\n  - name: a\n    outbox_configs:\n${entry}`;

describe('outbox_configs', () => {
  it('resolves the directory against the config file and applies the defaults', () => {
    const { config, warnings } = load(receiver('      - directory: outbox\n'));
    expect(warnings).toEqual([]);
    expect(config.receivers[0]!.outbox).toEqual([
      { position: { line: 6, column: 9 }, sendResolved: true, directory: '/etc/vigil/outbox', to: 'oncall@example.com', from: 'vigil@example.com', html: undefined, text: undefined, headers: new Map() },
    ]);
    expect(config.receivers[0]!.console).toEqual([]);
  });

  it('takes from global.smtp_from, and every option of its own', () => {
    const { config } = load(
      receiver(
        "      - directory: /var/mail/vigil\n        send_resolved: false\n        to: ml-oncall@example.com\n        headers: {subject: 'ALERT {{ .Status }}'}\n        text: '{{ .Status }}'\n        html: ''\n",
        'global:\n  smtp_from: alerts@example.org\n',
      ),
    );
    const o = config.receivers[0]!.outbox[0]!;
    expect(o).toMatchObject({ sendResolved: false, directory: '/var/mail/vigil', to: 'ml-oncall@example.com', from: 'alerts@example.org', text: '{{ .Status }}', html: '' });
    expect([...o.headers]).toEqual([['Subject', 'ALERT {{ .Status }}']]);
  });

  it('needs a directory, and says where', () => {
    expect(errorsOf(receiver('      - to: a@example.com\n'))).toEqual(['/etc/vigil/am.yml:6:9: receivers[0].outbox_configs[0]: field "directory" is required']);
  });

  it('refuses unknown keys and two spellings of one header', () => {
    const errors = errorsOf(receiver('      - directory: o\n        smarthost: localhost:25\n        headers: {subject: a, Subject: b}\n'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^\/etc\/vigil\/am\.yml:7:9: receivers\[0\]\.outbox_configs\[0\]\.smarthost: unknown (key|field)/);
    expect(errors[1]).toBe('/etc/vigil/am.yml:8:40: receivers[0].outbox_configs[0].headers.Subject: duplicate header "Subject" in outbox config');
  });
});
