import type { ObjectReader } from '../../util/yamlreader.js';
import type { SecretOrInline } from './types.js';

/**
 * secretKeys are the spellings of one secret: Alertmanager's `<key>` (inline) and `<key>_file`,
 * and vigil's `<key>_env`. A mapping's known keys list whichever of them it accepts.
 */
export function secretKeys(key: string): string[] {
  return [key, `${key}_file`, `${key}_env`];
}

/**
 * decodeSecret reads a secret written inline as `<key>`, or kept in `<key>_file` (a path, relative
 * to the config file) or `<key>_env` (an environment variable). At most one may be set. An inline
 * secret is accepted, as Alertmanager accepts it, with a warning; its value never appears in a
 * message. The file or variable is read when the secret is used, not here. `warnInline: false` is
 * for values Alertmanager keeps secret but vigil does not need to (a Slack Web API address).
 */
export function decodeSecret(o: ObjectReader, key: string, opts: { readonly warnInline?: boolean } = {}): SecretOrInline | undefined {
  const inlineField = o.get(key);
  const fileField = o.get(`${key}_file`);
  const envField = o.get(`${key}_env`);
  const set = [inlineField, fileField, envField].filter((f) => f.present);
  if (set.length > 1) {
    set[1]!.fail(`at most one of ${key}, ${key}_file and ${key}_env may be set`);
    return undefined;
  }
  if (fileField.present) {
    const file = fileField.filePath();
    return file === undefined ? undefined : { file };
  }
  if (envField.present) {
    const env = envField.string();
    if (env === undefined) return undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) return envField.expected('an environment variable name') as undefined;
    return { env };
  }
  if (!inlineField.present) return undefined;
  const inline = inlineField.string();
  if (inline === undefined || inline === '') return undefined;
  if (opts.warnInline !== false) inlineField.warn(`a secret written in the config file: put it in a file (${key}_file) or an environment variable (${key}_env)`);
  return { inline };
}
