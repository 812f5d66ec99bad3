import fs from 'node:fs';
import { join } from 'node:path';
import { TSDBError } from './errors.js';

/**
 * DirLock keeps two processes from writing one data directory: `<dir>/lock` holds the writer's
 * PID. A lock left by a process that no longer runs (a crash, SIGKILL) is taken over, so restarts
 * need no manual cleanup. The same process may open a directory again (tests reopen a store after
 * an unclean stop without exiting).
 */
export class DirLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string): DirLock {
    const file = join(dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return new DirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new TSDBError('bad_dir', `cannot lock data directory ${dir}: ${(err as Error).message}`, { cause: err });
        }
      }
      const holder = Number.parseInt(readOrEmpty(file), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
        throw new TSDBError('locked', `data directory ${dir} is in use by process ${holder}; stop it first, or read it through its HTTP API`);
      }
      // A stale lock (or our own): replace it.
      fs.rmSync(file, { force: true });
    }
    throw new TSDBError('locked', `data directory ${dir} is being locked by another process`);
  }

  release(): void {
    try {
      if (Number.parseInt(readOrEmpty(this.file), 10) === process.pid) fs.rmSync(this.file, { force: true });
    } catch {
      // Nothing to do: a lock that cannot be removed is stale once this process exits.
    }
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else; it is running.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
