import { isScalar } from 'yaml';
import type { Field } from '../../util/yamlreader.js';

/**
 * scalarOffset maps an index into a scalar's value to an offset in the file `text`, for errors
 * inside embedded languages (PromQL, templates). Field.valueOffset is exact for plain and block
 * scalars; quoted scalars with escapes (`\"`, `''`) are one character in the value but two or more
 * in the file, so they are walked here from the raw text.
 */
export function scalarOffset(field: Field, text: string, index: number): number {
  const node = field.node;
  if (node === null || !isScalar(node) || node.range === undefined || node.range === null) return field.valueOffset(index);
  const [start, end] = node.range;
  if (node.type === 'QUOTE_DOUBLE') return walkQuoted(text, start, end, index, doubleQuotedStep);
  if (node.type === 'QUOTE_SINGLE') return walkQuoted(text, start, end, index, singleQuotedStep);
  return field.valueOffset(index);
}

/** A step reads one value character at raw[i] and returns how many raw characters it took. */
type Step = (text: string, i: number) => number;

function walkQuoted(text: string, start: number, end: number, index: number, step: Step): number {
  let i = start + 1;
  for (let v = 0; v < index && i < end - 1; v++) i += step(text, i);
  return Math.min(i, Math.max(start, end - 1));
}

const doubleQuotedStep: Step = (text, i) => {
  const ch = text[i];
  if (ch === '\\') {
    const e = text[i + 1];
    if (e === 'x') return 4;
    if (e === 'u') return 6;
    if (e === 'U') return 10;
    return 2;
  }
  return lineFold(text, i) ?? 1;
};

const singleQuotedStep: Step = (text, i) => {
  if (text[i] === "'" && text[i + 1] === "'") return 2;
  return lineFold(text, i) ?? 1;
};

/** lineFold: a line break inside a quoted scalar and the next line's indentation are one space. */
function lineFold(text: string, i: number): number | undefined {
  if (text[i] !== '\n') return undefined;
  let j = i + 1;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return j - i;
}
