import { LabelsBuilder, METRIC_NAME, type Labels } from '../../model/labels.js';
import { compileAnchoredRegex } from '../../model/regex.js';
import { PromQLError } from '../errors.js';
import type { Sample, Vector } from '../value.js';
import type { InstantFunction } from './types.js';
import { stringArg, vectorArg } from './args.js';

/**
 * label_replace and label_join, with Prometheus's validation, messages and name handling: the
 * output keeps each sample's dropName, except that writing `__name__` cancels it (the sample now
 * carries a name the user chose). Both fail when two output samples end up with the same labels.
 */

export const ERR_SAME_LABELSET = 'vector cannot contain metrics with the same labelset';

/**
 * isValidLabelName is Prometheus 3's UTF-8 label name rule: non-empty, valid UTF-8. A JS string
 * is invalid UTF-8 exactly when it holds a lone surrogate (how a parser should represent an
 * invalid byte such as "\xff").
 */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && !LONE_SURROGATE.test(name);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const labelReplace: InstantFunction = (args, ctx) => {
  const vec = vectorArg(args, 0);
  const dst = stringArg(args, 1);
  const replacement = stringArg(args, 2);
  const src = stringArg(args, 3);
  const regexSource = stringArg(args, 4);
  let regex: RegExp;
  try {
    regex = compileAnchoredRegex(regexSource);
  } catch {
    throw new PromQLError('execution', `invalid regular expression in label_replace(): ${regexSource}`);
  }
  if (!isValidLabelName(dst)) throw new PromQLError('execution', `invalid destination label name in label_replace(): ${dst}`);

  const builder = new LabelsBuilder();
  const out: Vector = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i]!;
    const match = regex.exec(s.metric.get(src));
    if (match === null) {
      out[i] = s;
      continue;
    }
    const value = expandTemplate(replacement, match);
    out[i] = withLabel(builder, s, dst, value, ctx.t);
  }
  checkUnique(out);
  return out;
};

export const labelJoin: InstantFunction = (args, ctx) => {
  const vec = vectorArg(args, 0);
  const dst = stringArg(args, 1);
  const separator = stringArg(args, 2);
  const srcLabels: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const src = stringArg(args, i);
    if (!isValidLabelName(src)) throw new PromQLError('execution', `invalid source label name in label_join(): ${src}`);
    srcLabels.push(src);
  }
  if (!isValidLabelName(dst)) throw new PromQLError('execution', `invalid destination label name in label_join(): ${dst}`);

  const builder = new LabelsBuilder();
  const out: Vector = new Array(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i]!;
    let value = '';
    for (let j = 0; j < srcLabels.length; j++) {
      if (j > 0) value += separator;
      value += s.metric.get(srcLabels[j]!);
    }
    out[i] = withLabel(builder, s, dst, value, ctx.t);
  }
  checkUnique(out);
  return out;
};

/** withLabel copies `s` with label `name` set to `value` ("" deletes it). */
function withLabel(builder: LabelsBuilder, s: Sample, name: string, value: string, t: number): Sample {
  const metric: Labels = builder.reset(s.metric).set(name, value).labels();
  const out: Sample = { metric, t, v: s.v };
  if (name !== METRIC_NAME && s.dropName === true) out.dropName = true;
  return out;
}

function checkUnique(vec: Vector): void {
  if (vec.length < 2) return;
  const seen = new Set<string>();
  for (const s of vec) {
    const key = s.metric.key;
    if (seen.has(key)) throw new PromQLError('execution', ERR_SAME_LABELSET);
    seen.add(key);
  }
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * expandTemplate is Go's Regexp.ExpandString: `$1`, `${1}`, `$name`, `${name}` insert a group (an
 * unknown or unmatched one inserts nothing), `$$` is a literal `$`, and a `$` not followed by a
 * valid reference is kept as is. A bare reference takes the longest run of letters, digits and `_`,
 * so `$1x` names the group "1x".
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const nameStart = j;
    while (j < template.length) {
      const cp = template.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!NAME_CHAR.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name.length === 0 || (brace && template[j] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    out += groupValue(name, match);
  }
  return out + template.slice(i);
}

function groupValue(name: string, match: RegExpExecArray): string {
  let num = -1;
  if (/^\d+$/.test(name) && !(name[0] === '0' && name.length > 1) && name.length <= 8) num = Number(name);
  if (num >= 0) return match[num] ?? '';
  return match.groups?.[name] ?? '';
}
