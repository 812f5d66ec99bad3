import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { dirname, resolve } from 'node:path';
import { DurationError, parseDuration } from './duration.js';
import { closest } from './suggest.js';

/** SourceIssue is one problem in a YAML file, pointing at the exact node. Line and column are 1-based. */
export interface SourceIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** path is the field path, such as `scrape_configs[0].scrape_interval`. */
  readonly path: string;
  readonly message: string;
}

/** formatIssue renders `file:line:column: path: message`. */
export function formatIssue(i: SourceIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.path === '' ? '' : i.path + ': '}${i.message}`;
}

/** SourceError carries every issue found in one file; the message lists them all, one per line. */
export class SourceError extends Error {
  constructor(readonly issues: readonly SourceIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'SourceError';
  }
}

class Context {
  readonly issues: SourceIssue[] = [];
  readonly warnings: SourceIssue[] = [];
  text: string | undefined;
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  report(offset: number, path: string, message: string): void {
    const { line, col } = this.lines.linePos(offset);
    this.issues.push({ file: this.file, line, column: col, path, message });
  }
}

/**
 * readYaml parses one YAML document and hands its root to `decode`, which reads it through Field
 * accessors. Every problem is collected with its position; if any was found, readYaml throws a
 * SourceError listing them all, so a user fixes a file in one pass.
 */
export function readYaml<T>(file: string, text: string, decode: (root: Field) => T, warnings?: SourceIssue[]): T {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const ctx = new Context(file, lines);
  ctx.text = text;
  for (const err of doc.errors) ctx.report(err.pos[0], '', err.message.split('\n')[0]!);
  if (ctx.issues.length > 0) throw new SourceError(ctx.issues);
  const result = decode(new Field(ctx, (doc.contents as YamlNode | null) ?? null, '', 0));
  warnings?.push(...ctx.warnings);
  if (ctx.issues.length > 0) throw new SourceError(ctx.issues);
  return result;
}

/**
 * readYamlAll parses a file holding one or more YAML documents (separated by `---`) and hands each
 * non-empty root to `decode` with its 0-based index. Problems from every document are collected and
 * thrown together as one SourceError, as readYaml does.
 */
export function readYamlAll<T>(
  file: string,
  text: string,
  decode: (root: Field, index: number) => T | undefined,
  warnings?: SourceIssue[],
): T[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const ctx = new Context(file, lines);
  ctx.text = text;
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) for (const err of doc.errors) ctx.report(err.pos[0], '', err.message.split('\n')[0]!);
  if (!Array.isArray(docs)) ctx.report(0, '', 'not a YAML stream');
  if (ctx.issues.length > 0) throw new SourceError(ctx.issues);
  const out: T[] = [];
  list.forEach((doc, i) => {
    const root = new Field(ctx, (doc.contents as YamlNode | null) ?? null, '', doc.range?.[0] ?? 0);
    if (!root.present) return;
    const v = decode(root, i);
    if (v !== undefined) out.push(v);
  });
  warnings?.push(...ctx.warnings);
  if (ctx.issues.length > 0) throw new SourceError(ctx.issues);
  return out;
}

/**
 * Field is one value in the document (or a missing one), with its path. Accessors return the
 * decoded value, or undefined after recording an issue; a missing field returns undefined quietly.
 */
export class Field {
  constructor(
    private readonly ctx: Context,
    readonly node: YamlNode | null,
    readonly path: string,
    private readonly fallbackOffset: number,
  ) {}

  get present(): boolean {
    return this.node !== null && !(isScalar(this.node) && this.node.value === null);
  }

  get offset(): number {
    return this.node?.range?.[0] ?? this.fallbackOffset;
  }

  /** file is the path of the YAML file this field is in. */
  get file(): string {
    return this.ctx.file;
  }

  /** position is the 1-based line and column of `offset` (default: this field's start) in the file. */
  position(offset = this.offset): { line: number; column: number } {
    const { line, col } = this.ctx.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * valueOffset maps an index into this scalar's string value back to an offset in the file, for
   * errors inside embedded languages (a PromQL expression in a rule): exact for plain, quoted
   * (escapes and folded lines walked from the raw text) and block scalars.
   */
  valueOffset(index: number): number {
    const node = this.node;
    if (node === null || !isScalar(node) || typeof node.value !== 'string') return this.offset;
    const start = node.range?.[0] ?? this.offset;
    const type = node.type;
    if (type === 'PLAIN' || type === undefined) return start + index;
    if ((type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') && this.ctx.text !== undefined) {
      // An escape (`\"`, `''`) or a folded line is one character of the value but several in the file.
      const end = node.range?.[1] ?? start;
      return walkQuoted(this.ctx.text, start, end, index, type === 'QUOTE_DOUBLE' ? doubleQuotedStep : singleQuotedStep);
    }
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      // Find the index-th character of the value in the block's lines (after the header line).
      const text = this.ctx.text;
      if (text === undefined) return start;
      let pos = text.indexOf('\n', start) + 1;
      const firstLine = text.slice(pos).match(/^ */)?.[0].length ?? 0;
      let remaining = index;
      while (pos > 0 && pos < text.length) {
        const end = text.indexOf('\n', pos);
        const lineEnd = end < 0 ? text.length : end;
        const content = pos + Math.min(firstLine, lineEnd - pos);
        if (remaining <= lineEnd - content) return content + remaining;
        remaining -= lineEnd - content + 1;
        pos = lineEnd + 1;
      }
      return start;
    }
    return start;
  }

  /** fail records an issue at this field. */
  fail(message: string): undefined {
    this.ctx.report(this.offset, this.path, message);
    return undefined;
  }

  /** failAt records an issue at a file offset inside this field (see valueOffset). */
  failAt(offset: number, message: string): undefined {
    this.ctx.report(offset, this.path, message);
    return undefined;
  }

  /** warn is like fail but the issue is a warning: see SourceIssue.severity and readYaml's options. */
  warn(message: string, offset = this.offset): void {
    const { line, col } = this.ctx.lines.linePos(offset);
    this.ctx.warnings.push({ file: this.ctx.file, line, column: col, path: this.path, message });
  }

  /** raw is the scalar value for messages: the value a user wrote. */
  private shown(): string {
    if (this.node === null) return 'nothing';
    if (isScalar(this.node)) return JSON.stringify(this.node.value);
    if (isMap(this.node)) return 'a mapping';
    if (isSeq(this.node)) return 'a list';
    return 'a value';
  }

  /** expected records "got X, expected Y". */
  expected(what: string): undefined {
    return this.fail(`got ${this.shown()}, expected ${what}`);
  }

  required(): this | undefined {
    if (!this.present) return this.fail('is required') as undefined;
    return this;
  }

  string(): string | undefined {
    if (!this.present) return undefined;
    if (isScalar(this.node) && typeof this.node.value === 'string') return this.node.value;
    // Numbers and booleans written where a string is wanted are taken as text, as Go's YAML does.
    if (isScalar(this.node) && (typeof this.node.value === 'number' || typeof this.node.value === 'boolean')) {
      return String(this.node.source ?? this.node.value);
    }
    return this.expected('a string');
  }

  /** filePath reads a path; a relative one is taken relative to the YAML file's directory, as Prometheus does. */
  filePath(): string | undefined {
    const s = this.string();
    if (s === undefined) return undefined;
    if (s === '') return this.expected('a file path');
    return resolve(dirname(this.ctx.file), s);
  }

  bool(): boolean | undefined {
    if (!this.present) return undefined;
    if (isScalar(this.node) && typeof this.node.value === 'boolean') return this.node.value;
    return this.expected('true or false');
  }

  number(): number | undefined {
    if (!this.present) return undefined;
    if (isScalar(this.node) && typeof this.node.value === 'number') return this.node.value;
    return this.expected('a number');
  }

  int(opts: { min?: number } = {}): number | undefined {
    const n = this.number();
    if (n === undefined) return undefined;
    if (!Number.isSafeInteger(n)) return this.expected('an integer');
    if (opts.min !== undefined && n < opts.min) return this.expected(`an integer >= ${opts.min}`);
    return n;
  }

  duration(): number | undefined {
    const s = this.string();
    if (s === undefined) return undefined;
    try {
      return parseDuration(s);
    } catch (err) {
      if (err instanceof DurationError) return this.expected('a duration such as 30s, 5m or 1h30m');
      throw err;
    }
  }

  /** byteSize reads `512MB`, `1KiB`, `100` (bytes), as Prometheus's body_size_limit does. */
  byteSize(): number | undefined {
    const s = this.string();
    if (s === undefined) return undefined;
    const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/i.exec(s.trim());
    if (m === null) return this.expected('a size such as 0, 512KB or 10MiB');
    const units: Record<string, number> = {
      b: 1,
      kb: 1024,
      mb: 1024 ** 2,
      gb: 1024 ** 3,
      tb: 1024 ** 4,
      kib: 1024,
      mib: 1024 ** 2,
      gib: 1024 ** 3,
      tib: 1024 ** 4,
    };
    return Math.floor(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]!);
  }

  /** oneOf reads a string that must be one of `choices`. */
  oneOf<C extends string>(choices: readonly C[]): C | undefined {
    const s = this.string();
    if (s === undefined) return undefined;
    if ((choices as readonly string[]).includes(s)) return s as C;
    return this.expected(`one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }

  /** list decodes each item of a sequence with `item`; items that fail are left out. */
  list<T>(item: (f: Field) => T | undefined): T[] | undefined {
    if (!this.present) return undefined;
    if (!isSeq(this.node)) return this.expected('a list');
    const out: T[] = [];
    this.node.items.forEach((n, i) => {
      const v = item(new Field(this.ctx, n as YamlNode, `${this.path}[${i}]`, this.offset));
      if (v !== undefined) out.push(v);
    });
    return out;
  }

  /** entries reads a mapping with arbitrary keys as [key, field] pairs, in file order. */
  entries(): [string, Field][] | undefined {
    if (!this.present) return undefined;
    if (!isMap(this.node)) return this.expected('a mapping');
    const out: [string, Field][] = [];
    for (const pair of this.node.items as Pair<YamlNode, YamlNode>[]) {
      const key = this.keyOf(pair);
      if (key !== undefined) out.push([key, this.child(pair, key)]);
    }
    return out;
  }

  /** stringMap reads a mapping of strings to strings, such as labels. */
  stringMap(): Record<string, string> | undefined {
    const entries = this.entries();
    if (entries === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [key, f] of entries) {
      const v = f.string();
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /**
   * object opens a mapping whose keys must all be in `known`: an unknown key is an error (often a
   * typo), never silently ignored.
   */
  object(known: readonly string[]): ObjectReader | undefined {
    if (!this.present) return undefined;
    if (!isMap(this.node)) return this.expected('a mapping');
    const fields = new Map<string, Field>();
    for (const pair of this.node.items as Pair<YamlNode, YamlNode>[]) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      if (!known.includes(key)) {
        const suggestion = closest(key, known);
        const keyField = new Field(this.ctx, pair.key, this.join(key), this.offset);
        keyField.fail(`unknown field ${JSON.stringify(key)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}`);
        continue;
      }
      fields.set(key, this.child(pair, key));
    }
    return new ObjectReader(this, fields);
  }

  private keyOf(pair: Pair<YamlNode, YamlNode>): string | undefined {
    if (isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number')) {
      return String(pair.key.value);
    }
    new Field(this.ctx, pair.key, this.path, this.offset).fail('keys must be strings');
    return undefined;
  }

  private child(pair: Pair<YamlNode, YamlNode>, key: string | undefined): Field {
    const keyOffset = pair.key?.range?.[0] ?? this.offset;
    return new Field(this.ctx, pair.value ?? null, this.join(key ?? '?'), keyOffset);
  }

  join(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** missing makes a Field for an absent key, positioned at this mapping. */
  missing(key: string): Field {
    return new Field(this.ctx, null, this.join(key), this.offset);
  }
}

/** ObjectReader gives the fields of a mapping by key; absent keys give a missing Field. */
export class ObjectReader {
  constructor(
    readonly field: Field,
    private readonly fields: Map<string, Field>,
  ) {}

  get(key: string): Field {
    return this.fields.get(key) ?? this.field.missing(key);
  }

  has(key: string): boolean {
    return this.fields.get(key)?.present ?? false;
  }

  /** require reports every listed key that is absent. */
  require(...keys: string[]): boolean {
    let ok = true;
    for (const k of keys) {
      if (!this.has(k)) {
        this.field.fail(`field ${JSON.stringify(k)} is required`);
        ok = false;
      }
    }
    return ok;
  }
}

/** A step reads one value character at raw[i] of a quoted scalar and returns how many raw characters it took. */
type QuotedStep = (text: string, i: number) => number;

function walkQuoted(text: string, start: number, end: number, index: number, step: QuotedStep): number {
  let i = start + 1;
  for (let v = 0; v < index && i < end - 1; v++) i += step(text, i);
  return Math.min(i, Math.max(start, end - 1));
}

const doubleQuotedStep: QuotedStep = (text, i) => {
  if (text[i] === '\\') {
    const e = text[i + 1];
    if (e === 'x') return 4;
    if (e === 'u') return 6;
    if (e === 'U') return 10;
    return 2;
  }
  return lineFold(text, i) ?? 1;
};

const singleQuotedStep: QuotedStep = (text, i) => {
  if (text[i] === "'" && text[i + 1] === "'") return 2;
  return lineFold(text, i) ?? 1;
};

/** lineFold: a line break inside a quoted scalar and the next line's indentation read as one space. */
function lineFold(text: string, i: number): number | undefined {
  if (text[i] !== '\n') return undefined;
  let j = i + 1;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return j - i;
}
