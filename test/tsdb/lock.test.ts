import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTSDB, TSDBError } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';

describe('data directory lock', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses a directory held by another running process', async () => {
    const dir = fresh();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'lock'), `${holder.pid}\n`);
      const err = await openTSDB({ dir, clock: new VirtualClock(0) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TSDBError);
      expect((err as TSDBError).code).toBe('locked');
      expect((err as Error).message).toBe(`data directory ${dir} is in use by process ${holder.pid}; stop it first, or read it through its HTTP API`);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that died, and releases it on close', async () => {
    const dir = fresh();
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(join(dir, 'lock'), `${gone.pid}\n`);
    const db = await openTSDB({ dir, clock: new VirtualClock(0) });
    expect(existsSync(join(dir, 'lock'))).toBe(true);
    await db.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});
