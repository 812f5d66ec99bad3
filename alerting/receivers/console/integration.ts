import type { ConsoleConfig } from '../../config/types.js';
import { NotifyError, type Integration, type Notification } from '../../notify/types.js';
import { formatNotification } from './format.js';

/** ConsoleOutput is where the console writes: process.stdout, or any stream with a write method. */
export interface ConsoleOutput {
  write(chunk: string, callback?: (err?: Error | null) => void): unknown;
}

export interface ConsoleOptions {
  /** out is where lines go (default process.stdout). */
  readonly out?: ConsoleOutput;
}

/**
 * consoleIntegration is vigil's console receiver (for the demo and local runs): each notification
 * is written as readable lines (formatNotification) in one write, so concurrent groups do not
 * interleave. It resolves once the stream took the text; a failed write (a closed pipe) is a
 * permanent NotifyError, since writing again will not help.
 */
export function consoleIntegration(config: ConsoleConfig, index: number, opts: ConsoleOptions = {}): Integration {
  const out = opts.out ?? process.stdout;
  return {
    name: 'console',
    index,
    sendResolved: config.sendResolved,
    async notify(n: Notification, signal: AbortSignal): Promise<undefined> {
      if (signal.aborted) throw new NotifyError('aborted', 'console: notification aborted', { retryable: true });
      const text = formatNotification(n).join('\n') + '\n';
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error | null) => {
          if (err === undefined || err === null) resolve();
          else reject(new NotifyError('write', `console: cannot write: ${err.message}`, { retryable: false }));
        };
        try {
          out.write(text, done);
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)));
        }
      });
      return undefined;
    },
  };
}
