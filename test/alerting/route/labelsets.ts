import type { RouteConfig } from '../../../alerting/config/types.js';
import { mulberry32 } from '../../support/prng.js';

/**
 * Label sets for differential routing tests, from a seeded PRNG over a small alphabet: the label
 * names and values a config's matchers use (and near misses of them: a letter added before or
 * after, upper case), values that stress matching (empty, newlines, quotes, commas, spaces), and
 * a label no route names. A label a route names is absent three times in ten, others more often.
 */

const COMMON_VALUES = [
  '', 'x', 'xy', 'x\ny', '\n', 'a100', 'h100', 'h100-80gb', 'H100', 'gpudown', 'GPUXid', 'DCGMTemp', '500', '5x0',
  '/api/v1', 'C:\\temp', 'say "hi"', 'disk full, please act', 'eu-west-1', 'us-east-1', 'gpu-a', 'gpu-', 'llama3',
  'mistral', 'ml-inference', 'ml-', ' spaced ', 'prod', 'staging', 'dev', 'info', 'critical', 'warning', 'page',
  'bronze', 'gold', 'ml', 'infra', '1', '2', 'é', 'a|b', 'Watchdog', 'webhook', 'db-main', 'eu', 'inference', 'training',
];

/** Values with a newline, where Alertmanager's `.` (compiled without the s flag) stops matching. */
const NEWLINE_VALUES = ['x\ny', 'x\n', '\ny', '\n', 'prod\n', 'ml\nx'];

const PLAIN_ALTERNATION = /^[^\\^$.|?*+()[\]{}]+(\|[^\\^$.|?*+()[\]{}]*)*$/;

/** alphabet collects, per label name, the values the routing tree's matchers mention. */
export function alphabet(route: RouteConfig): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const walk = (r: RouteConfig): void => {
    for (const m of r.matchers) {
      const values = out.get(m.name) ?? new Set<string>();
      out.set(m.name, values);
      // match_re values come anchored, as Alertmanager keeps them: ^(?:re)$.
      const re = /^\^\(\?:([\s\S]*)\)\$$/.exec(m.value)?.[1] ?? m.value;
      const literal = m.type === '=' || m.type === '!=' ? [m.value] : PLAIN_ALTERNATION.test(re) ? re.split('|') : prefixSamples(re);
      for (const v of literal) {
        values.add(v);
        if (v !== '') values.add(`${v}x`).add(`x${v}`).add(v.toUpperCase());
      }
    }
    r.routes.forEach(walk);
  };
  walk(route);
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** prefixSamples gives values that `prefix.*` or `prefix.+` matches. */
function prefixSamples(re: string): string[] {
  const m = /^([^\\^$.|?*+()[\]{}]+)\.([*+])$/.exec(re);
  if (m === null) return [];
  return m[2] === '*' ? [m[1]!, `${m[1]}1`] : [`${m[1]}1`];
}

/** formatLabelArg writes one label as amtool reads it: bare when that is unambiguous, else quoted. */
export function formatLabelArg(name: string, value: string, bare: boolean): string {
  if (value === '') return bare ? `${name}=` : `${name}=""`;
  if (bare && /^[A-Za-z0-9_.:/-]+$/.test(value)) return `${name}=${value}`;
  return `${name}="${value.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c))}"`;
}

/** labelSets returns `count` argument lists (name=value strings) drawn with `seed`. */
export function labelSets(route: RouteConfig, count: number, seed: number): string[][] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const known = alphabet(route);
  const names = [...new Set([...known.keys(), 'alertname', 'other'])].sort();
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const args: string[] = [];
    for (const name of names) {
      const own = known.get(name) ?? [];
      if (rnd() < (own.length > 0 ? 0.3 : 0.6)) continue;
      const r = rnd();
      const value = r < 0.08 ? pick(NEWLINE_VALUES) : own.length > 0 && r < 0.8 ? pick(own) : pick(COMMON_VALUES);
      args.push(formatLabelArg(name, value, rnd() < 0.5));
    }
    if (args.length > 0 && rnd() < 0.05) {
      // The same name again, later: the later value wins.
      const name = pick(names);
      args.push(formatLabelArg(name, pick(COMMON_VALUES), false));
    }
    out.push(args);
  }
  return out;
}
