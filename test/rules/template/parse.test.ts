import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ActionNode, IfNode, RangeNode, TextNode } from '../../../rules/template/ast.js';
import { parseTemplate, TemplateParseError } from '../../../rules/template/parse.js';
import { promtoolCheckRules } from '../load/promtool.js';

/**
 * Cases recorded from promtool 2.42 (`promtool check rules`, which parses every alert template as
 * Prometheus does with Go 1.19's text/template): `error` is what vigil must say, null for a template
 * that parses. Three cases differ on purpose (`why`): vigil follows current Prometheus there.
 */
interface Case {
  readonly text: string;
  readonly error: string | null;
  readonly promtool?: string | null;
  readonly why?: string;
}
const cases = JSON.parse(readFileSync('test/rules/template/testdata/go-template-cases.json', 'utf8')) as Case[];

function parseError(text: string, name = '__alert_T'): string | null {
  try {
    parseTemplate(text, { name });
    return null;
  } catch (err) {
    if (err instanceof TemplateParseError) return err.message;
    throw err;
  }
}

describe('parseTemplate against recorded promtool answers', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expect(parseError(c.text)).toBe(c.error);
  });

  it('covers successes and failures', () => {
    expect(cases.filter((c) => c.error === null).length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.error !== null).length).toBeGreaterThan(60);
  });

  it('agrees with promtool 2.42 today on every case (the recording is the oracle speaking)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tpl-'));
    const groups = cases.map((c, i) => ({ name: `g${i}`, rules: [{ alert: `T${i}`, expr: 'up', annotations: { a: c.text } }] }));
    writeFileSync(join(dir, 'rules.yml'), stringify({ groups }));
    const res = promtoolCheckRules(['rules.yml'], { cwd: dir });
    const got = new Map<number, string>();
    for (const m of res.output.matchAll(/group "g(\d+)", rule 1, "T\d+": annotation "a": (.*)/g)) {
      got.set(Number(m[1]), m[2]!.replace(/__alert_T\d+/g, '__alert_T'));
    }
    cases.forEach((c, i) => {
      const want = c.why === undefined ? c.error : (c.promtool ?? null);
      expect(got.get(i) ?? null, JSON.stringify(c.text)).toBe(want);
    });
  });
});

describe('parseTemplate trees', () => {
  it('builds pipelines of commands with variables, fields and functions', () => {
    const t = parseTemplate('{{ $labels.job | printf "%s!" }} at {{ .Value }}');
    expect(t.root.map((n) => n.kind)).toEqual(['action', 'text', 'action']);
    const a = t.root[0] as ActionNode;
    expect(a.pipe.cmds).toHaveLength(2);
    expect(a.pipe.cmds[0]!.args[0]).toMatchObject({ kind: 'variable', name: '$labels', path: ['job'] });
    expect(a.pipe.cmds[1]!.args.map((x) => x.kind)).toEqual(['function', 'string']);
    expect(a.pipe.cmds[1]!.args[1]).toMatchObject({ value: '%s!', quoted: '"%s!"' });
    expect((t.root[2] as ActionNode).pipe.cmds[0]!.args[0]).toMatchObject({ kind: 'field', path: ['Value'] });
    expect(a.pos).toEqual({ start: 0, end: 32 });
  });

  it('turns {{else if}} into a nested if in the else list', () => {
    const t = parseTemplate('{{ if gt $value 10.0 }}high{{ else if gt $value 1.0 }}mid{{ else }}low{{ end }}');
    const n = t.root[0] as IfNode;
    expect(n.kind).toBe('if');
    expect((n.list[0] as TextNode).text).toBe('high');
    const inner = n.elseList?.[0] as IfNode;
    expect(inner.kind).toBe('if');
    expect((inner.list[0] as TextNode).text).toBe('mid');
    expect((inner.elseList?.[0] as TextNode).text).toBe('low');
    expect(n.pipe.cmds[0]!.args[2]).toMatchObject({ kind: 'number', value: 10, isInt: false });
  });

  it('scopes range variables to the range', () => {
    const t = parseTemplate('{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}');
    const r = t.root[0] as RangeNode;
    expect(r.pipe.decl).toEqual(['$k', '$v']);
    expect(r.pipe.isAssign).toBe(false);
    expect(parseError('{{ range $k, $v := $labels }}{{ end }}{{ $k }}')).toBe('template: __alert_T:1: undefined variable "$k"');
  });

  it('trims text around {{- and -}} and drops comments', () => {
    const t = parseTemplate('a  \n {{- $value -}} \n b{{/* note */}}c');
    expect(t.root.filter((n) => n.kind === 'text').map((n) => (n as TextNode).text)).toEqual(['a', 'b', 'c']);
  });

  it('collects {{define}} and {{block}} bodies, with their own variable scope', () => {
    const t = parseTemplate('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" $value }}{{ block "y" . }}y{{ end }}');
    expect([...t.defines.keys()]).toEqual(['x', 'y']);
    expect(t.root.map((n) => n.kind)).toEqual(['template', 'template']);
    expect(parseError('{{ define "x" }}{{ $value }}{{ end }}')).toBe('template: __alert_T:1: undefined variable "$value"');
  });

  it('reads numbers and characters as Go does', () => {
    const t = parseTemplate('{{ printf "%v %v %v %v %v" 0x1F 1_000 0o17 1e3 \'a\' }}');
    const args = (t.root[0] as ActionNode).pipe.cmds[0]!.args.slice(2);
    expect(args.map((a) => (a.kind === 'number' ? [a.value, a.isInt] : undefined))).toEqual([
      [31, true],
      [1000, true],
      [15, true],
      [1000, false],
      [97, true],
    ]);
  });

  it('knows only the functions and variables it is given', () => {
    expect(() => parseTemplate('{{ humanize $value }}', { functions: ['printf'] })).toThrow('function "humanize" not defined');
    expect(() => parseTemplate('{{ $labels }}', { variables: [] })).toThrow('undefined variable "$labels"');
    expect(parseTemplate('{{ $x }}', { variables: ['$x'], functions: [] }).root).toHaveLength(1);
  });

  it('reports where parsing stopped, as an offset into the text and a line', () => {
    const err = (() => {
      try {
        parseTemplate('line one\n{{ $value | humanise }}', { name: '__alert_X' });
      } catch (e) {
        return e as TemplateParseError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TemplateParseError);
    expect(err?.code).toBe('template_parse');
    expect(err?.message).toBe('template: __alert_X:2: function "humanise" not defined');
    expect(err?.offset).toBe(21);
    expect(err?.line).toBe(2);
  });
});
