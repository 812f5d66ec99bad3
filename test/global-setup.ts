import { execFileSync } from 'node:child_process';

// Child-process tests (crash recovery, the CLI) run the compiled `vigil`; build it once per run.
// VIGIL_SKIP_BUILD=1 skips it when iterating on in-process tests.
export default function setup(): void {
  if (process.env['VIGIL_SKIP_BUILD'] === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
