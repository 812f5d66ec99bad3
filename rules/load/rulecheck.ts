import { isValidLabelName, isValidMetricName } from '../../model/labels.js';
import { DurationError, parseDuration } from '../../util/duration.js';
import type { Field } from '../../util/yamlreader.js';
import type { SourceRef } from '../model.js';
import { parseTemplate, TemplateParseError } from '../template/parse.js';
import type { DecodeContext } from './kinds.js';

/** TemplateCheck says values are an alert's templates: which alert, and how to point into them. */
export interface TemplateCheck {
  readonly alertName: string;
  readonly ctx: DecodeContext;
}

/**
 * Checks shared by every format that holds Prometheus rules (rule-group files, PrometheusRule
 * resources, vigil's AlertRule and RecordingRule), with Prometheus's rulefmt messages.
 */

/** sourceOf is the SourceRef of a field, for the model's `source`. */
export function sourceOf(f: Field): SourceRef {
  const { line, column } = f.position();
  return { file: f.file, line, column, path: f.path };
}

/** promDuration reads a Prometheus duration (`5m`, `1h30m`), failing with Prometheus's message. */
export function promDuration(f: Field): number | undefined {
  const s = f.string();
  if (s === undefined) return undefined;
  try {
    return parseDuration(s);
  } catch (err) {
    if (err instanceof DurationError) return f.fail(`not a valid duration string: ${JSON.stringify(s)}`);
    throw err;
  }
}

/** checkRecordName validates a recording rule's metric name. */
export function checkRecordName(f: Field, name: string): boolean {
  let ok = true;
  if (!isValidMetricName(name)) {
    f.fail(`invalid recording rule name: ${name}`);
    ok = false;
  }
  if (name.includes('{') || name.includes('}')) {
    f.fail(`braces present in the recording rule name; should it be in expr?: ${name}`);
    ok = false;
  }
  return ok;
}

/**
 * decodeLabels reads a labels mapping: names must be valid label names other than `__name__`.
 * With `templates`, values are alert templates and must parse (Prometheus templates only an
 * alerting rule's labels).
 */
export function decodeLabels(f: Field, templates?: TemplateCheck): Record<string, string> | undefined {
  return decodeStringMap(f, 'label', templates);
}

/** decodeAnnotations reads annotations: valid label names as keys, and templates as values when `templates` is given. */
export function decodeAnnotations(f: Field, templates?: TemplateCheck): Record<string, string> | undefined {
  return decodeStringMap(f, 'annotation', templates);
}

function decodeStringMap(f: Field, what: 'label' | 'annotation', templates: TemplateCheck | undefined): Record<string, string> | undefined {
  const entries = f.entries();
  if (entries === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    const v = value.string();
    if (!isValidLabelName(key) || (what === 'label' && key === '__name__')) {
      value.fail(`invalid ${what} name: ${key}`);
      continue;
    }
    if (v === undefined) {
      // An empty value (`key:`) is the empty string in Go's YAML.
      if (!value.present) out[key] = '';
      continue;
    }
    if (templates !== undefined) checkTemplate(value, v, templates, `${what} ${JSON.stringify(key)}`);
    out[key] = v;
  }
  return out;
}

/**
 * checkTemplate parses `text` as Prometheus parses an alert's label and annotation templates, and
 * reports a failure at the position of the fault inside the value, with Prometheus's message
 * (`annotation "summary": template: __alert_X:1: function "humanise" not defined`).
 */
export function checkTemplate(f: Field, text: string, templates: TemplateCheck, prefix: string): boolean {
  try {
    parseTemplate(text, { name: `__alert_${templates.alertName}` });
    return true;
  } catch (err) {
    if (!(err instanceof TemplateParseError)) throw err;
    // An error at the end (unexpected EOF) points just past the last character.
    const index = Math.min(err.offset, text.trimEnd().length);
    f.failAt(templates.ctx.valueOffset(f, index), `${prefix}: ${err.message}`);
    return false;
  }
}
