import { readFileSync } from 'node:fs';
import type { ObjectReader } from './yamlreader.js';

/** SecretRef names where a secret lives: a file or an environment variable, never the config itself. */
export type SecretRef = { readonly file: string } | { readonly env: string };

/**
 * decodeSecretRef reads `<key>_file` or `<key>_env` from a config mapping. The secret itself is
 * read later, when needed, so rotating the file takes effect without a reload.
 */
export function decodeSecretRef(o: ObjectReader, key: string): SecretRef | undefined {
  const file = o.get(`${key}_file`).filePath();
  const env = o.get(`${key}_env`).string();
  if (file !== undefined && env !== undefined) {
    o.get(`${key}_env`).fail(`at most one of ${key}_file and ${key}_env may be set`);
    return undefined;
  }
  if (file !== undefined) return { file };
  if (env !== undefined) return { env };
  return undefined;
}

/** SecretError says which file or variable could not be read, never what it holds. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

/** readSecret returns the secret, trimmed of surrounding whitespace (files usually end in a newline). */
export function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined || v === '') throw new SecretError(`environment variable ${ref.env} is not set`);
    return v.trim();
  }
  try {
    return readFileSync(ref.file, 'utf8').trim();
  } catch (err) {
    throw new SecretError(`cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** describeSecret is how a secret may appear in logs and errors: where it comes from, not its value. */
export function describeSecret(ref: SecretRef): string {
  return 'env' in ref ? `$${ref.env}` : ref.file;
}
