import { formatFloat } from './gofloat.js';
import { durationString, timeString } from './gotime.js';
import { GoDuration, GoHTML, GoInt, GoMap, GoSlice, GoStruct, GoTime, type GoValue, typeName } from './value.js';

/** formatValue is Go's `%v` of a value (fmt.Sprint of one operand). */
export function formatValue(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt) return String(v.v);
  if (v instanceof GoHTML) return v.s;
  if (v instanceof GoTime) return timeString(v);
  if (v instanceof GoDuration) return durationString(v);
  if (v instanceof GoMap) return `map[${[...v.entries].map(([k, x]) => `${k}:${formatValue(x)}`).join(' ')}]`;
  if (v instanceof GoSlice) return `[${v.items.map(formatValue).join(' ')}]`;
  if (v instanceof GoStruct) return `${v.pointer ? '&' : ''}{${[...v.fields.values()].map(formatValue).join(' ')}}`;
  return String(v);
}

function isStringKind(v: GoValue): boolean {
  return typeof v === 'string' || v instanceof GoHTML;
}

/** sprint is Go's fmt.Sprint: operands side by side, a space between two that are not strings. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringKind(a) && !isStringKind(args[i - 1]!)) out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** sprintln is Go's fmt.Sprintln: operands separated by spaces, then a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

/** goQuote is Go's strconv.Quote. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

/** sprintf is Go's fmt.Sprintf for the verbs templates use: %v %s %q %d %f %e %g %t %x %X %o %b %c %%, with flags, width and precision. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '+') spec.plus = true;
      else if (c === '-') spec.minus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return a instanceof GoInt ? a.v : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (m === null) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === '.') {
      i++;
      spec.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ') + ')';
  }
  return out;
}

function badVerb(v: GoValue, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  const fill = spec.width - [...s].length;
  if (fill <= 0) return s;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function signed(s: string, spec: Spec): string {
  if (s.startsWith('-') || s.startsWith('+')) return s;
  if (s === 'NaN') return spec.plus ? '+NaN' : spec.space ? ' NaN' : s;
  return spec.plus ? '+' + s : spec.space ? ' ' + s : s;
}

function formatArg(v: GoValue, verb: string, spec: Spec): string {
  switch (verb) {
    case 'v':
      if (typeof v === 'number') return pad(signed(formatFloat(v, 'g', spec.prec ?? -1), spec), spec, true);
      if (v instanceof GoInt) return pad(signed(String(v.v), spec), spec, true);
      return pad(formatValue(v), spec, false);
    case 's':
      if (isStringKind(v) || v instanceof GoTime || v instanceof GoDuration || v instanceof GoMap || v instanceof GoSlice || v instanceof GoStruct) {
        let s = formatValue(v);
        if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join('');
        return pad(s, spec, false);
      }
      return badVerb(v, verb);
    case 'q':
      if (isStringKind(v)) return pad(quoteGo(formatValue(v)), spec, false);
      if (v instanceof GoInt) return pad(`'${String.fromCodePoint(v.v)}'`, spec, false);
      return badVerb(v, verb);
    case 't':
      return typeof v === 'boolean' ? pad(String(v), spec, false) : badVerb(v, verb);
    case 'd':
    case 'o':
    case 'b':
    case 'c':
      if (!(v instanceof GoInt)) return badVerb(v, verb);
      if (verb === 'c') return pad(String.fromCodePoint(v.v), spec, false);
      return pad(signed(v.v.toString(verb === 'd' ? 10 : verb === 'o' ? 8 : 2), spec), spec, true);
    case 'x':
    case 'X': {
      let s: string;
      if (v instanceof GoInt) s = signed(v.v.toString(16), spec);
      else if (isStringKind(v)) s = [...new TextEncoder().encode(formatValue(v))].map((b) => b.toString(16).padStart(2, '0')).join('');
      else return badVerb(v, verb);
      return pad(verb === 'X' ? s.toUpperCase() : s, spec, true);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (typeof v !== 'number') return badVerb(v, verb);
      const f = verb === 'F' ? 'f' : (verb as 'e' | 'E' | 'f' | 'g' | 'G');
      const prec = spec.prec ?? (f === 'g' || f === 'G' ? -1 : 6);
      return pad(signed(formatFloat(v, f, prec), spec), spec, Number.isFinite(v));
    }
    default:
      return badVerb(v, verb);
  }
}
