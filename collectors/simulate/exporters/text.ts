/** Pairs are label names and values in the order an exporter writes them. */
export type Pairs = readonly (readonly [string, string])[];

/**
 * TextBody builds a Prometheus text-format (0.0.4) body line by line. Exporters differ in what
 * they print first (HELP or TYPE), in label order and in number format, so each renderer passes
 * labels in its exporter's order (or as text from labelText, computed once) and values already
 * formatted.
 */
export class TextBody {
  private text = '';

  constructor(private readonly typeFirst = false) {}

  /** family writes the HELP and TYPE lines of a family (TYPE first for RabbitMQ's prometheus.erl). */
  family(name: string, help: string, type: 'counter' | 'gauge' | 'histogram' | 'untyped'): this {
    const helpLine = `# HELP ${name} ${escapeHelp(help)}\n`;
    const typeLine = `# TYPE ${name} ${type}\n`;
    this.text += this.typeFirst ? typeLine + helpLine : helpLine + typeLine;
    return this;
  }

  /** sample writes one sample line; `labels` is labelText's output or pairs, kept in the order given. */
  sample(name: string, labels: string | Pairs, value: string): this {
    this.text += `${name}${typeof labels === 'string' ? labels : labelText(labels)} ${value}\n`;
    return this;
  }

  toString(): string {
    return this.text;
  }
}

/** labelText renders `{a="1",b="2"}` (or nothing for no labels), escaping values. */
export function labelText(labels: Pairs): string {
  if (labels.length === 0) return '';
  let text = '{';
  for (let i = 0; i < labels.length; i++) {
    const [n, v] = labels[i]!;
    text += `${i === 0 ? '' : ','}${n}="${escapeLabelValue(v)}"`;
  }
  return text + '}';
}

function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** sortedLabels returns the pairs sorted by name, as Python's prometheus_client writes them. */
export function sortedLabels(labels: Pairs): (readonly [string, string])[] {
  return [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
