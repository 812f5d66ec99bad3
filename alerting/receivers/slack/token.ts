import type { SecretOrInline } from '../../config/types.js';
import { NotifyError } from '../../notify/types.js';
import { describeSecret, readSecret, SecretError } from '../../../util/secret.js';

/**
 * readToken reads the bot token for one notify, so a rotated token file takes effect at the next
 * notification without a reload. An unreadable file is retryable (a rotation may be replacing
 * it); a missing token or an unset variable is permanent. Errors name where the token comes
 * from, never what it is.
 */
export function readToken(ref: SecretOrInline | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (ref === undefined) {
    throw new NotifyError('not_authed', 'slack: no bot token configured (token_file, token_env or http_config.authorization)', { retryable: false });
  }
  if ('inline' in ref) return ref.inline.trim();
  try {
    const token = readSecret(ref, env);
    if (token === '') throw new SecretError(`${describeSecret(ref)} is empty`);
    return token;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new NotifyError('token_unreadable', `slack: cannot read the bot token: ${message}`, { retryable: 'file' in ref });
  }
}
