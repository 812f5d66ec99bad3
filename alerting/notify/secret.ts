import { readSecret, SecretError } from '../../util/secret.js';
import type { SecretOrInline } from '../config/types.js';
import { NotifyError } from './types.js';

/**
 * notifySecret reads a receiver's secret at send time (so a rotated file takes effect without a
 * reload). A file or variable that cannot be read is a permanent NotifyError naming the
 * integration and field, and where the secret should be; never the secret itself.
 */
export function notifySecret(s: SecretOrInline, integration: string, field: string, env: NodeJS.ProcessEnv): string {
  if ('inline' in s) return s.inline;
  try {
    return readSecret(s, env);
  } catch (err) {
    if (err instanceof SecretError) throw new NotifyError('secret', `${integration}: ${field}: ${err.message}`, { retryable: false });
    throw err;
  }
}
