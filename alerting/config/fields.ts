import { isScalar } from 'yaml';
import { isValidLabelName } from '../../model/labels.js';
import type { Field } from '../../util/yamlreader.js';
import type { HostPort } from './types.js';

/**
 * Readers for the value kinds of Alertmanager's configuration, with the leniencies of the Go YAML
 * library (yaml.v2) Alertmanager reads it with, so that a file amtool accepts reads the same here.
 */

/** Ref is a name used somewhere (a receiver, a time interval), checked once everything is read. */
export interface Ref {
  readonly name: string;
  readonly field: Field;
}

/** DecodeContext collects the names a config uses, to check them against the ones it defines. */
export interface DecodeContext {
  readonly receiverDefs: Ref[];
  readonly receiverRefs: Ref[];
  readonly intervalRefs: Ref[];
  readonly fallbackRefs: (Ref & { readonly from: string })[];
}

// yaml.v2 reads YAML 1.1 booleans: an unquoted yes/no/on/off is a boolean there.
const YAML11_BOOLS: Record<string, boolean> = {
  y: true, Y: true, yes: true, Yes: true, YES: true, on: true, On: true, ON: true,
  n: false, N: false, no: false, No: false, NO: false, off: false, Off: false, OFF: false,
};

/** bool reads a boolean as yaml.v2 does: true/false and, unquoted, YAML 1.1's yes/no/on/off. */
export function bool(f: Field): boolean | undefined {
  if (!f.present) return undefined;
  const node = f.node;
  if (isScalar(node) && typeof node.value === 'string' && node.type === 'PLAIN') {
    const b = YAML11_BOOLS[node.value];
    if (b !== undefined) return b;
  }
  return f.bool();
}

/** stringList reads a list of strings; a missing field is undefined. */
export function stringList(f: Field): string[] | undefined {
  return f.list((item) => item.string());
}

/** checkLabelName records `message` unless `name` is a classic label name (Prometheus's LabelNameRE). */
export function checkLabelName(f: Field, name: string, message: string): boolean {
  if (isValidLabelName(name)) return true;
  f.fail(message);
  return false;
}

/**
 * httpURL reads an http or https URL with a host, as Alertmanager's URL type. `secret` keeps the
 * value out of the message (webhook URLs carry tokens).
 */
export function httpURL(f: Field, opts: { readonly secret?: boolean } = {}): string | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  const problem = urlProblem(s);
  if (problem === undefined) return s;
  return f.fail(opts.secret === true ? `${problem} (the value is not shown: it may hold a secret)` : `${problem}: ${JSON.stringify(s)}`);
}

/** urlProblem says why `s` is not an http(s) URL with a host, in Alertmanager's words, or undefined. */
export function urlProblem(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s)?.[1] ?? '';
    if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${JSON.stringify(scheme)} for URL`;
    return /^https?:\/\/(\/|$)/.test(s) ? 'missing host for URL' : 'invalid URL';
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${JSON.stringify(scheme)} for URL`;
  if (u.host === '') return 'missing host for URL';
  return undefined;
}

/**
 * hostPort reads `host:port` or `[v6addr]:port` as Go's net.SplitHostPort. vigil needs a numeric
 * port (Go would also take a service name such as `smtp`).
 */
export function hostPort(f: Field): HostPort | undefined {
  const s = f.string();
  if (s === undefined || s === '') return undefined;
  let host: string;
  let port: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return f.fail(`address ${s}: missing ']' in address`);
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (rest === '') return f.fail(`address ${s}: missing port in address`);
    if (!rest.startsWith(':') || rest.indexOf(':', 1) >= 0) return f.fail(`address ${s}: too many colons in address`);
    port = rest.slice(1);
  } else {
    const i = s.lastIndexOf(':');
    if (i < 0) return f.fail(`address ${s}: missing port in address`);
    host = s.slice(0, i);
    port = s.slice(i + 1);
    if (host.includes(':')) return f.fail(`address ${s}: too many colons in address`);
  }
  if (port === '') return f.fail(`address ${JSON.stringify(s)}: port cannot be empty`);
  if (!/^\d+$/.test(port) || Number(port) > 65535) return f.fail(`address ${JSON.stringify(s)}: the port must be a number from 0 to 65535`);
  return { host, port: Number(port) };
}
