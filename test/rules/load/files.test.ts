import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandRulePaths, glob } from '../../../rules/load/files.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-files-'));
  for (const f of ['a.yml', 'b.yaml', 'notes.txt', 'sub/c.yml', 'sub/deeper/d.yaml', 'other/e.yml', 'x1.yml', 'x2.yml', 'xa.yml']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'groups: []\n');
  }
  // A ConfigMap mount: files are links into a hidden ..data directory.
  mkdirSync(join(dir, 'cm', '..2026_01_01', ''), { recursive: true });
  writeFileSync(join(dir, 'cm', '..2026_01_01', 'rules.yaml'), 'groups: []\n');
  symlinkSync('..2026_01_01', join(dir, 'cm', '..data'));
  symlinkSync(join('..data', 'rules.yaml'), join(dir, 'cm', 'rules.yaml'));
});

describe('expandRulePaths', () => {
  it('keeps files as named, in order, each once', () => {
    const r = expandRulePaths(['b.yaml', 'a.yml', './b.yaml', 'notes.txt'], { cwd: dir });
    expect(r).toEqual({ files: ['b.yaml', 'a.yml', 'notes.txt'], problems: [] });
  });

  it('reads a directory recursively for *.yaml and *.yml, sorted, skipping hidden entries', () => {
    expect(expandRulePaths(['sub', 'cm'], { cwd: dir }).files).toEqual(['sub/c.yml', 'sub/deeper/d.yaml', 'cm/rules.yaml']);
    expect(expandRulePaths(['.'], { cwd: dir }).files).toEqual([
      'a.yml',
      'b.yaml',
      'cm/rules.yaml',
      'other/e.yml',
      'sub/c.yml',
      'sub/deeper/d.yaml',
      'x1.yml',
      'x2.yml',
      'xa.yml',
    ]);
  });

  it('matches globs as Go filepath.Glob: *, ?, classes, in any component', () => {
    expect(expandRulePaths(['x?.yml'], { cwd: dir }).files).toEqual(['x1.yml', 'x2.yml', 'xa.yml']);
    expect(expandRulePaths(['x[0-9].yml'], { cwd: dir }).files).toEqual(['x1.yml', 'x2.yml']);
    expect(expandRulePaths(['x[^0-9].yml'], { cwd: dir }).files).toEqual(['xa.yml']);
    expect(expandRulePaths(['*/*.yml'], { cwd: dir }).files).toEqual(['other/e.yml', 'sub/c.yml']);
    expect(expandRulePaths(['s*'], { cwd: dir }).files).toEqual(['sub/c.yml', 'sub/deeper/d.yaml']);
    expect(glob(join(dir, '*.yaml'), '/')).toEqual([join(dir, 'b.yaml')]);
  });

  it('reports a missing path and an unmatched or malformed pattern', () => {
    expect(expandRulePaths(['missing.yml', 'nothing*.yml', 'bad[.yml'], { cwd: dir }).problems).toEqual([
      { path: 'missing.yml', message: 'cannot read rule file: ENOENT' },
      { path: 'nothing*.yml', message: 'no file matches this pattern' },
      { path: 'bad[.yml', message: 'syntax error in pattern' },
    ]);
  });

  it('accepts an unmatched pattern when asked, as Prometheus rule_files does', () => {
    expect(expandRulePaths(['nothing*.yml'], { cwd: dir, allowEmptyGlob: true })).toEqual({ files: [], problems: [] });
  });
});
