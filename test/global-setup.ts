import { execFileSync } from 'node:child_process';

// Child-process tests (crash recovery, the CLI) run the compiled `vigil`; build it once per run.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
