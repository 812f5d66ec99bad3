import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vigilCli } from '../support/cli.js';

// The broken-rule corpus: every file under testdata/broken is a rule file with mistakes SREs make,
// and NAME.yml.expected is exactly what `vigil check NAME.yml` prints: every error (and warning)
// with file:line:column, field path and message. Paths are relative to the repository root, where
// the tests run.
const DIR = 'test/rules/testdata/broken';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();

describe('vigil check on the broken-rule corpus', () => {
  it('holds at least 30 broken files, each with its expected output', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    const expected = readdirSync(DIR).filter((f) => f.endsWith('.expected'));
    expect(expected.sort()).toEqual(files.map((f) => `${f}.expected`));
  });

  it.each(files)('%s', async (name) => {
    const path = join(DIR, name);
    const want = readFileSync(`${path}.expected`, 'utf8');
    const res = await vigilCli(['check', path]);
    expect(res.stdout).toBe(want);
    expect(res.code).toBe(1);
    const lines = want.split('\n').filter((l) => l !== '');
    expect(lines.some((l) => !l.startsWith('warning: '))).toBe(true);
    for (const line of lines) expect(line).toMatch(new RegExp(`^(warning: )?${path.replace(/\./g, '\\.')}:\\d+:\\d+: `));
  });
});
