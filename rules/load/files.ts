import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** RULE_FILE_EXTENSIONS are the files a directory contributes. */
const RULE_FILE_EXTENSIONS = ['.yaml', '.yml'];

/** PathProblem is a path or pattern that yields no rule file. */
export interface PathProblem {
  readonly path: string;
  readonly message: string;
}

export interface ExpandOptions {
  /** cwd anchors relative paths; default process.cwd(). */
  readonly cwd?: string;
  /**
   * allowEmptyGlob accepts a pattern that matches nothing, as Prometheus's `rule_files` does;
   * `vigil check` reports it instead, since checking nothing is almost always a typo.
   */
  readonly allowEmptyGlob?: boolean;
}

/**
 * expandRulePaths turns the paths a user names into rule files, in order, each once: a file is
 * itself; a directory is every *.yaml / *.yml file below it, recursively, in sorted order
 * (entries starting with '.' are skipped: Kubernetes mounts ConfigMaps through `..data` links, so
 * descending there would read every file twice); a pattern with `*`, `?` or `[...]` is matched as
 * Go's filepath.Glob does (Prometheus's `rule_files`), and a directory it matches is expanded.
 * Files keep the spelling the user gave (relative stays relative), since it prefixes messages.
 */
export function expandRulePaths(paths: readonly string[], opts: ExpandOptions = {}): { files: string[]; problems: PathProblem[] } {
  const cwd = opts.cwd ?? process.cwd();
  const files: string[] = [];
  const seen = new Set<string>();
  const problems: PathProblem[] = [];
  const add = (file: string): void => {
    const key = resolve(cwd, file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const path of paths) {
    if (hasMeta(path)) {
      const matches = glob(path, cwd);
      if (matches === undefined) problems.push({ path, message: 'syntax error in pattern' });
      else if (matches.length === 0 && opts.allowEmptyGlob !== true) problems.push({ path, message: 'no file matches this pattern' });
      else for (const m of matches) expandOne(m, cwd, add, problems);
      continue;
    }
    expandOne(path, cwd, add, problems);
  }
  return { files, problems };
}

function expandOne(path: string, cwd: string, add: (f: string) => void, problems: PathProblem[]): void {
  let isDir: boolean;
  try {
    isDir = statSync(resolve(cwd, path)).isDirectory();
  } catch (err) {
    problems.push({ path, message: `cannot read rule file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return;
  }
  if (!isDir) {
    add(path);
    return;
  }
  for (const f of walk(path, cwd)) add(f);
}

function walk(dir: string, cwd: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(resolve(cwd, dir), { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const name of entries) {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(resolve(cwd, path)); // follows symlinks, as a mounted ConfigMap needs
    } catch {
      continue;
    }
    if (stat.isDirectory()) out.push(...walk(path, cwd));
    else if (RULE_FILE_EXTENSIONS.some((ext) => name.endsWith(ext))) out.push(path);
  }
  return out;
}

function hasMeta(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * glob matches a pattern as Go's filepath.Glob: `*` any run of non-separator characters, `?` one,
 * `[...]` a class (`[^...]` negated, ranges `a-z`), `\` escapes; every path component may hold
 * metacharacters. Results are sorted within each directory. Undefined means a malformed pattern.
 */
export function glob(pattern: string, cwd: string): string[] | undefined {
  const absolute = isAbsolute(pattern);
  const parts = pattern.split('/');
  let bases: string[] = [absolute ? '/' : ''];
  const start = absolute ? 1 : 0;
  for (let i = start; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (part === '') continue;
    const next: string[] = [];
    if (!hasMeta(part)) {
      for (const b of bases) next.push(b === '' ? part : join(b, part));
    } else {
      const re = componentRegex(part);
      if (re === undefined) return undefined;
      for (const b of bases) {
        let names: string[];
        try {
          names = readdirSync(resolve(cwd, b === '' ? '.' : b)).sort();
        } catch {
          continue;
        }
        for (const n of names) if (re.test(n)) next.push(b === '' ? n : join(b, n));
      }
    }
    bases = last ? next : next.filter((b) => isDirectory(resolve(cwd, b)));
  }
  return bases.filter((b) => b !== '' && exists(resolve(cwd, b)));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function componentRegex(part: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      const n = part[++i];
      if (n === undefined) return undefined;
      re += escapeRe(n);
    } else if (ch === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) return undefined;
      let body = part.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      if (body === '') return undefined;
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\]/g, (c) => '\\' + c)}]`;
      i = close;
    } else re += escapeRe(ch);
  }
  try {
    return new RegExp(re + '$', 'u');
  } catch {
    return undefined;
  }
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
