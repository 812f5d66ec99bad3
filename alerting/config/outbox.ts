import type { Field } from '../../util/yamlreader.js';
import { canonicalHeaderKey } from './email.js';
import { bool } from './fields.js';
import { type GlobalBlock, nonEmpty } from './global.js';
import type { OutboxConfig } from './types.js';

const KEYS = ['directory', 'send_resolved', 'to', 'from', 'headers', 'html', 'text'];

/** The addresses an outbox mail carries when the entry and global.smtp_from name none (RFC 2606's example domain). */
export const DEFAULT_OUTBOX_TO = 'oncall@example.com';
export const DEFAULT_OUTBOX_FROM = 'vigil@example.com';

/**
 * decodeOutbox reads an `outbox_configs` entry (vigil-only):
 *
 *   outbox_configs:
 *     - directory: outbox          # required; relative to this file's directory
 *       send_resolved: true        # default true, as console_configs
 *       to: oncall@example.com     # default oncall@example.com
 *       from: vigil@example.com    # default global.smtp_from, else vigil@example.com
 *       headers: {Subject: ...}    # html, text, headers: as in email_configs
 *
 * No smarthost is needed: nothing is sent. Header names are canonicalised as email_configs'
 * are, and two spellings of one header are an error.
 */
export function decodeOutbox(f: Field, global: GlobalBlock): OutboxConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  o.require('directory');
  const directory = o.get('directory').filePath();
  const headers = new Map<string, string>();
  for (const [name, field] of o.get('headers').entries() ?? []) {
    const key = canonicalHeaderKey(name);
    if (headers.has(key)) field.fail(`duplicate header ${JSON.stringify(key)} in outbox config`);
    const value = field.string();
    if (value !== undefined) headers.set(key, value);
  }
  if (directory === undefined) return undefined;
  return {
    position: f.position(),
    sendResolved: bool(o.get('send_resolved')) ?? true,
    directory,
    to: nonEmpty(o.get('to').string()) ?? DEFAULT_OUTBOX_TO,
    from: nonEmpty(o.get('from').string()) ?? global.config.smtpFrom ?? DEFAULT_OUTBOX_FROM,
    html: o.get('html').string(),
    text: o.get('text').string(),
    headers,
  };
}
