import { Redis } from 'ioredis';
import { type BullMQConfig, decodeBullMQConfigs } from '../../../collectors/bullmq/config.js';
import type { LogFields, Logger } from '../../../util/log.js';
import { readYaml } from '../../../util/yamlreader.js';

/** bullmqConfig decodes one `bullmq_configs` entry written as YAML lines under `- `. */
export function bullmqConfig(entry: string, file = '/tmp/vigil.yaml'): BullMQConfig {
  const text = `bullmq_configs:\n  - ${entry.trim().split('\n').join('\n    ')}\n`;
  return readYaml(file, text, (root) => decodeBullMQConfigs(root.object(['bullmq_configs'])!.get('bullmq_configs')))![0]!;
}

/**
 * producerRedis is a connection for the test's BullMQ producers and workers. BullMQ needs
 * `maxRetriesPerRequest: null` for workers' blocking commands; ESM code must hand BullMQ a client
 * instance rather than options.
 */
export function producerRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  redis.on('error', () => {}); // the tests stop Redis on purpose
  return redis;
}

export interface LogLine {
  level: string;
  msg: string;
  fields: LogFields;
}

/** captureLogger records info and above (and debug when asked) for assertions on what was logged. */
export function captureLogger(lines: LogLine[], debug = false): Logger {
  const make = (base: LogFields): Logger => ({
    debug: (msg, f) => {
      if (debug) lines.push({ level: 'debug', msg, fields: { ...base, ...f } });
    },
    info: (msg, f) => lines.push({ level: 'info', msg, fields: { ...base, ...f } }),
    warn: (msg, f) => lines.push({ level: 'warn', msg, fields: { ...base, ...f } }),
    error: (msg, f) => lines.push({ level: 'error', msg, fields: { ...base, ...f } }),
    with: (f) => make({ ...base, ...f }),
  });
  return make({});
}

/** Gate holds jobs in a worker's processor, so they stay active until the test opens it. */
export class Gate {
  private opened!: () => void;
  readonly wait = new Promise<void>((resolve) => (this.opened = resolve));
  open(): void {
    this.opened();
  }
}
