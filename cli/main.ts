#!/usr/bin/env -S node --single-threaded-gc
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A stopped `run` may leave keep-alive sockets or SDK timers behind; it is done, so exit.
    if (process.argv[2] === 'run') process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`vigil: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
