/** LogFields are structured key/value pairs attached to a log line. */
export type LogFields = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Logger writes structured logs. Components receive one (never a global); `with` adds fields
 * such as `component` or `target` to every line it writes.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  /** format: json for machines, logfmt for terminals; defaults to logfmt on a TTY. */
  format?: 'json' | 'logfmt';
  write?: (line: string) => void;
  now?: () => number;
}

/** createLogger writes one line per record to stderr (or `write`). */
export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const format = options.format ?? (process.stderr.isTTY ? 'logfmt' : 'json');
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? Date.now;
  const log = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    const record: LogFields = { ts: new Date(now()).toISOString(), level, msg, ...base, ...fields };
    write(format === 'json' ? JSON.stringify(record, jsonReplacer) : toLogfmt(record));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    with: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** nopLogger discards everything; tests that do not look at logs use it. */
export const nopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  with: () => nopLogger,
};

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  return value;
}

function toLogfmt(record: LogFields): string {
  return Object.entries(record)
    .map(([k, v]) => {
      const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
      return `${k}=${/^[^\s"=]+$/.test(s ?? '') ? s : JSON.stringify(s)}`;
    })
    .join(' ');
}
