import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertingConfig, ReceiverConfig } from '../../../alerting/config/types.js';
import type { Integration } from '../../../alerting/notify/types.js';
import type { Route } from '../../../alerting/route/types.js';
import { Alerting, type AlertingOptions } from '../../../alerting/service.js';
import { openAlertingDb, type AlertingDb } from '../../../alerting/state/db.js';
import { VirtualClock } from '../../../util/clock.js';
import { nopLogger } from '../../../util/log.js';

export function receiverConfig(name: string, over: Partial<ReceiverConfig> = {}): ReceiverConfig {
  return { position: { line: 1, column: 1 }, name, slack: [], email: [], webhook: [], console: [], outbox: [], fallback: undefined, rateLimit: undefined, ...over };
}

export function alertingConfig(receivers: ReceiverConfig[]): AlertingConfig {
  return {
    file: 'test.yml',
    global: {
      resolveTimeout: 300_000, smtpFrom: undefined, smtpSmarthost: undefined, smtpHello: 'localhost', smtpAuthUsername: undefined,
      smtpAuthPassword: undefined, smtpAuthIdentity: undefined, smtpAuthSecret: undefined, smtpRequireTLS: true, slackApiURL: undefined, externalURL: undefined,
    },
    route: { position: { line: 1, column: 1 }, receiver: receivers[0]!.name, groupBy: undefined, matchers: [], continue: false, groupWait: undefined, groupInterval: undefined, repeatInterval: undefined, muteTimeIntervals: [], activeTimeIntervals: [], routes: [] },
    receivers,
    inhibitRules: [],
    timeIntervals: new Map(),
    templates: [],
  };
}

export interface Harness {
  readonly clock: VirtualClock;
  readonly alerting: Alerting;
  readonly db: AlertingDb;
  readonly dir: string;
}

/**
 * startHarness runs the alerting service on a virtual clock with the given route and
 * integrations per receiver, no muting, and a database in a fresh temporary directory (or `dir`).
 */
export function startHarness(
  route: Route,
  integrations: Record<string, Integration[]>,
  over: Partial<AlertingOptions> & { dir?: string; clock?: VirtualClock; receivers?: ReceiverConfig[] } = {},
): Harness {
  const clock = over.clock ?? new VirtualClock(1_700_000_000_000);
  const dir = over.dir ?? mkdtempSync(join(tmpdir(), 'vigil-alerting-'));
  const db = openAlertingDb(dir);
  const receivers = over.receivers ?? Object.keys(integrations).map((n) => receiverConfig(n));
  const alerting = new Alerting({
    config: alertingConfig(receivers),
    route,
    db,
    clock,
    logger: nopLogger,
    integrations: (r) => integrations[r.name] ?? [],
    inhibitor: { mutes: () => false },
    silences: { mutes: () => false },
    intervalsActive: () => false,
    externalURL: 'http://vigil.test',
    random: () => 0.5,
    ...over,
  });
  alerting.start();
  return { clock, alerting, db, dir };
}

/**
 * step moves the harness's virtual time by `ms`, timer by timer, and after each lets every
 * notification in flight finish in real time (a receiver on loopback answers in real time).
 */
export async function step(h: Harness, ms: number): Promise<void> {
  const end = h.clock.now() + ms;
  while (h.clock.nextAt !== undefined && h.clock.nextAt <= end) {
    await h.clock.advanceTo(h.clock.nextAt);
    await h.alerting.quiet();
  }
  await h.clock.advanceTo(end);
  await h.alerting.quiet();
}
