import { type FunctionAnnotation, formatAnnotation, mergeMonotonicity } from './functions/annotations.js';
import { locate, type PositionRange } from './errors.js';

/**
 * Annotations collects a query's warnings and infos ("PromQL warning: ... (1:5)"), each once, as
 * Prometheus's annotations.Annotations does (a set keyed by the final text). The position is the
 * 1-based line:column of the expression the annotation is about.
 */
export class Annotations {
  private readonly texts = new Map<string, 'warning' | 'info'>();
  /** monotonicity infos are merged across steps and series before they get their text. */
  private readonly merged = new Map<string, FunctionAnnotation>();

  constructor(private readonly query: string) {}

  position(pos: PositionRange): string {
    const { line, column } = locate(this.query, pos.start);
    return `${line}:${column}`;
  }

  /** add records an annotation about the expression at `pos`. */
  add(kind: 'warning' | 'info', message: string, pos: PositionRange): void {
    this.texts.set(`PromQL ${kind}: ${message} (${this.position(pos)})`, kind);
  }

  /** addFunction records a function's annotation; `pos` is the position of the argument it names. */
  addFunction(a: FunctionAnnotation, pos: PositionRange): void {
    const where = this.position(pos);
    if (a.monotonicity === undefined) {
      this.texts.set(formatAnnotation(a, where), a.kind);
      return;
    }
    const key = `${a.message}\u0000${where}`;
    const prev = this.merged.get(key);
    if (prev === undefined) this.merged.set(key, { ...a, monotonicity: { ...a.monotonicity } });
    else mergeMonotonicity(prev.monotonicity!, a.monotonicity);
  }

  result(): { warnings: string[]; infos: string[] } {
    const warnings: string[] = [];
    const infos: string[] = [];
    for (const [text, kind] of this.texts) (kind === 'warning' ? warnings : infos).push(text);
    for (const [key, a] of this.merged) {
      const text = formatAnnotation(a, key.slice(key.indexOf('\u0000') + 1));
      (a.kind === 'warning' ? warnings : infos).push(text);
    }
    return { warnings, infos };
  }
}
