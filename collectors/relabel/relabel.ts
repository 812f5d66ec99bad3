import { createHash } from 'node:crypto';
import { isValidLabelName, type Labels, LabelsBuilder } from '../../model/labels.js';
import type { RelabelConfig } from './config.js';

/**
 * relabel applies `configs` in order to `labels`, with Prometheus's semantics. It returns the new
 * label set, or undefined when a keep/drop step drops it.
 */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  if (configs.length === 0) return labels;
  const b = new LabelsBuilder(labels);
  for (const cfg of configs) {
    if (!relabelStep(b, cfg)) return undefined;
  }
  return b.labels();
}

/** relabelStep applies one step to `b` in place; false means the target or series is dropped. */
export function relabelStep(b: LabelsBuilder, cfg: RelabelConfig): boolean {
  const value = cfg.sourceLabels.map((n) => b.get(n)).join(cfg.separator);
  switch (cfg.action) {
    case 'drop':
      return !cfg.regex.test(value);
    case 'keep':
      return cfg.regex.test(value);
    case 'dropequal':
      return b.get(cfg.targetLabel) !== value;
    case 'keepequal':
      return b.get(cfg.targetLabel) === value;
    case 'replace': {
      const m = cfg.regex.exec(value);
      // Unlike other actions, replace with no match leaves the labels as they are.
      if (m === null) return true;
      const target = expand(cfg.targetLabel, m);
      if (!isValidLabelName(target)) return true;
      b.set(target, expand(cfg.replacement, m));
      return true;
    }
    case 'lowercase':
      b.set(cfg.targetLabel, value.toLowerCase());
      return true;
    case 'uppercase':
      b.set(cfg.targetLabel, value.toUpperCase());
      return true;
    case 'hashmod':
      b.set(cfg.targetLabel, String(hashmod(value, cfg.modulus)));
      return true;
    case 'labelmap':
      for (const name of b.names()) {
        const m = cfg.regex.exec(name);
        if (m !== null) b.set(expand(cfg.replacement, m), b.get(name));
      }
      return true;
    case 'labeldrop':
      for (const name of b.names()) if (cfg.regex.test(name)) b.del(name);
      return true;
    case 'labelkeep':
      for (const name of b.names()) if (!cfg.regex.test(name)) b.del(name);
      return true;
  }
}

/**
 * hashmod is Prometheus's: the MD5 of the value, its last eight bytes read big-endian as an
 * unsigned 64-bit integer, modulo `modulus`. Sharding configs copied from Prometheus then pick the
 * same shards in vigil.
 */
export function hashmod(value: string, modulus: number): number {
  const sum = createHash('md5').update(value).digest();
  return Number(sum.readBigUInt64BE(8) % BigInt(modulus));
}

/**
 * expand substitutes `$1`, `${1}`, `$name`, `${name}` and `$$` in a template, following Go's
 * regexp.Expand: a bare name is as long as possible, so `$1x` means group "1x" (empty).
 */
export function expand(template: string, m: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (next === '{') {
      const end = template.indexOf('}', i + 2);
      const inner = end < 0 ? '' : template.slice(i + 2, end);
      if (end < 0 || !/^\w+$/.test(inner)) {
        out += '$'; // not a valid reference: Go keeps the text as is
        continue;
      }
      name = inner;
      i = end;
    } else {
      const word = /^\w+/.exec(template.slice(i + 1));
      if (word === null) {
        out += '$';
        continue;
      }
      name = word[0];
      i += name.length;
    }
    out += groupValue(m, name);
  }
  return out;
}

function groupValue(m: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
  return m.groups?.[name] ?? '';
}
