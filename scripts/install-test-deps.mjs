#!/usr/bin/env node
// Installs the real peers the test suite runs against, when they are missing: Debian packages
// Prometheus and promtool, Alertmanager and amtool, Redis (for BullMQ queues), kubectl (its built-in
// kustomize renders deploy/). Runs as `npm test`'s pretest step and from .ci/run.
import { execFileSync, spawnSync } from 'node:child_process';

const packages = [
  { deb: 'prometheus', commands: ['prometheus', 'promtool'] },
  { deb: 'prometheus-alertmanager', commands: ['prometheus-alertmanager', 'amtool'] },
  { deb: 'redis-server', commands: ['redis-server'] },
  { deb: 'kubernetes-client', commands: ['kubectl'] },
];

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = packages.filter((p) => !p.commands.every(has)).map((p) => p.deb);

if (missing.length === 0) process.exit(0);

const asRoot = process.getuid?.() === 0 ? [] : has('sudo') ? ['sudo', '-n'] : null;
if (asRoot === null) {
  console.error(`install-test-deps: missing Debian packages ${missing.join(', ')} and not root; install them first`);
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = [...asRoot, ...args];
  execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};
console.error(`install-test-deps: installing ${missing.join(', ')}`);
run(['apt-get', 'update', '-qq']);
// policy-rc.d-less containers have no init system; the packages' services are not wanted anyway.
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
