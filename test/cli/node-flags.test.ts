import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../cli/node-flags.js';

// Every launcher of vigil passes the same Node.js options (cli/node-flags.ts says why).

describe('NODE_FLAGS', () => {
  it('are in the bin shebang, the source and the build alike', () => {
    const shebang = `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`;
    expect(readFileSync('cli/main.ts', 'utf8').split('\n')[0]).toBe(shebang);
    expect(readFileSync('dist/cli/main.js', 'utf8').split('\n')[0]).toBe(shebang);
  });

  it('are in the container entrypoint', () => {
    const line = readFileSync('deploy/Dockerfile', 'utf8').split('\n').find((l) => l.startsWith('ENTRYPOINT '));
    expect(JSON.parse(line!.slice('ENTRYPOINT '.length))).toEqual(['node', ...NODE_FLAGS, '/app/dist/cli/main.js']);
  });

  it('are in npm start and npm run vigil', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toContain(`node ${NODE_FLAGS.join(' ')} dist/cli/main.js demo`);
    expect(pkg.scripts['vigil']).toMatch(new RegExp(`node ${NODE_FLAGS.join(' ')} dist/cli/main\\.js$`));
  });

  it('are options this Node.js accepts', () => {
    const r = spawnSync(process.execPath, [...NODE_FLAGS, 'dist/cli/main.js', '--help'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('run');
  });
});
