/**
 * NODE_FLAGS are the Node.js options vigil runs with. Every launcher passes them: the `vigil`
 * bin's shebang (cli/main.ts), the container's entrypoint (deploy/Dockerfile), `npm start` and
 * `npm run vigil` (test/cli/node-flags.test.ts keeps these in step), and through this constant
 * the alerting bench and the tests that run vigil as a process. V8 reads them at start: they
 * cannot be set from inside the process (v8.setFlagsFromString then trips a V8 check).
 *
 * `--single-threaded-gc`: V8 collects on the main thread instead of handing scavenges, marking
 * and sweeping to helper threads. vigil's heap is small (tens of MB for tens of thousands of
 * alerts) and its pauses short; the helpers' coordination then costs more CPU than it saves in
 * pause time, and on the shared nodes vigil runs on, the helpers compete with the main thread for
 * the same cores. Measured with `npm run bench -- alerting`: about 8% less CPU per alert, the same
 * delivery times. A process started as plain `node dist/cli/main.js` still works, with V8's
 * default (parallel) collector.
 */
export const NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
