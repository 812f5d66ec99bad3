import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { NODE_FLAGS } from '../../cli/node-flags.js';

const MAIN = resolve('dist/cli/main.js');

/** VigilProcess is `vigil run` as a child process (the compiled build, with vigil's Node.js options), for crash and CLI tests. */
export interface VigilProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** logs holds everything written to stderr so far. */
  logs(): string;
  /** exited resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** startVigilProcess runs `vigil run --config FILE --listen 127.0.0.1:0` and waits until /-/ready is 200. */
export async function startVigilProcess(configFile: string, extraArgs: string[] = []): Promise<VigilProcess> {
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN, 'run', '--config', configFile, '--listen', '127.0.0.1:0', '--log-format', 'json', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((r) => child.once('exit', (code, signal) => r(code ?? signal ?? 'unknown')));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`vigil exited early: ${stderr}`);
    url ??= /metrics\s+(http:\/\/\S+)\/metrics/.exec(stdout)?.[1];
    if (url !== undefined) {
      const ready = await fetch(`${url}/-/ready`).then((r) => r.status === 200, () => false);
      if (ready) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vigil did not become ready:\n${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, logs: () => stderr, exited };
}
