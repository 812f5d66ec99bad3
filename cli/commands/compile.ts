import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { checkRuleFiles } from '../../rules/load/loader.js';
import { expandRulePaths } from '../../rules/load/files.js';
import type { RuleGroup, SLO } from '../../rules/model.js';
import { formatPrometheusRule, kubernetesName } from '../../rules/output/prometheusrule.js';
import { formatRuleFile } from '../../rules/output/promfile.js';
import { generateUnitTests } from '../../rules/output/unittest.js';
import { compileSLOs } from '../../rules/slo/compile.js';
import { SLOCompileError } from '../../rules/slo/errors.js';
import { formatIssue, type SourceIssue } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, stringFlag, UsageError } from '../command.js';

const FORMATS = ['prometheus', 'prometheusrule'] as const;
type Format = (typeof FORMATS)[number];

/** PROGRESS_FROM is how many input files make compile report progress on standard error. */
const PROGRESS_FROM = 10;

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile SLOs and rule files into Prometheus rule files or PrometheusRule resources',
  usage: `Usage: vigil compile --out DIR [--format prometheus|prometheusrule] [--with-tests] [--json] PATH...

Loads the rule files named by PATH (files; directories, read recursively for *.yaml and *.yml;
or globs), compiles every SLO (vigil/v1 SLO, Sloth prometheus/v1 and PrometheusServiceLevel,
OpenSLO) into one rule group of recording and alerting rules, and writes one file per input file
into DIR, named after it:

  prometheus       STEM.rules.yml: a Prometheus rule file (groups:) for Prometheus, Thanos Ruler,
                   Mimir or vigil itself (default)
  prometheusrule   STEM.prometheusrule.yaml: a PrometheusRule resource for the Prometheus Operator

The file holds the input's plain rule groups (Prometheus groups, vigil AlertRule and
RecordingRule) followed by one group per SLO. Output is deterministic: the same input always
gives the same bytes. It prints one line per file written.

With --with-tests (prometheus format only) it also writes STEM.test.yml, promtool unit tests that
prove each SLO's burn-rate alerts fire on a synthetic total outage and stay silent on healthy
traffic; run them with 'promtool test rules' or 'vigil test'.

Exit codes: 0 written, 1 a rule file has errors or a file could not be written, 2 bad command line.

Flags:
  --out DIR       directory to write into (created if missing)
  --format F      prometheus (default) or prometheusrule
  --with-tests    also write promtool unit tests for each SLO
  --json          print what was written as JSON on standard output
  -h, --help      show this help
`,
  options: {
    out: { type: 'string' },
    format: { type: 'string', default: 'prometheus' },
    'with-tests': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run({ values, positionals }, io: IO) {
    if (positionals.length === 0) throw new UsageError('expected at least one PATH (a rule file, directory or glob)');
    const out = stringFlag(values, 'out');
    if (out === undefined || out === '') throw new UsageError('--out DIR is required');
    const format = stringFlag(values, 'format') ?? 'prometheus';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    const withTests = values['with-tests'] === true;
    if (withTests && format !== 'prometheus') throw new UsageError('--with-tests needs --format prometheus (promtool reads rule files, not PrometheusRule resources)');
    return compileFiles(positionals, { out, format: format as Format, withTests, json: values['json'] === true }, io);
  },
};

interface CompileOptions {
  readonly out: string;
  readonly format: Format;
  readonly withTests: boolean;
  readonly json: boolean;
}

/** WrittenFile is one line of the report. */
interface WrittenFile {
  readonly input: string;
  readonly output: string;
  readonly slos: number;
  readonly groups: number;
  readonly rules: number;
  readonly tests?: { readonly file: string; readonly count: number; readonly skipped: readonly { slo: string; reason: string }[] };
}

interface LoadedFile {
  readonly file: string;
  readonly groups: readonly RuleGroup[];
  readonly slos: readonly SLO[];
}

async function compileFiles(paths: readonly string[], opts: CompileOptions, io: IO): Promise<number> {
  const { files, problems } = expandRulePaths(paths);
  const errors: SourceIssue[] = problems.map((p) => ({ file: p.path, line: 1, column: 1, path: '', message: p.message }));
  const warnings: SourceIssue[] = [];
  const loaded: LoadedFile[] = [];
  files.forEach((file, i) => {
    if (files.length >= PROGRESS_FROM) io.stderr(`loading [${i + 1}/${files.length}] ${file}\n`);
    const r = checkRuleFiles([file]);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    loaded.push({ file, groups: r.ruleSet.groups, slos: r.ruleSet.slos });
  });
  for (const w of warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  if (errors.length > 0) {
    for (const e of errors) io.stderr(formatIssue(e) + '\n');
    io.stderr(`compile: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing written\n`);
    return EXIT_FAILURE;
  }

  // One compile over every SLO, so the same SLO in two files is caught before anything is written.
  let compiled: RuleGroup[];
  try {
    compiled = compileSLOs(loaded.flatMap((l) => l.slos));
  } catch (err) {
    if (err instanceof SLOCompileError) {
      io.stderr(`compile: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  const outputs = planOutputs(loaded, opts.format);
  const clash = findClash(outputs);
  if (clash !== undefined) {
    io.stderr(`compile: ${clash}\n`);
    return EXIT_FAILURE;
  }

  const written: WrittenFile[] = [];
  let next = 0;
  try {
    mkdirSync(opts.out, { recursive: true });
    for (const [i, l] of loaded.entries()) {
      const sloGroups = compiled.slice(next, next + l.slos.length);
      next += l.slos.length;
      const groups = [...l.groups, ...sloGroups];
      if (groups.length === 0) {
        io.stderr(`skipped ${l.file}: no rules or SLOs\n`);
        continue;
      }
      const { stem, output } = outputs[i]!;
      const source = basename(l.file);
      const text = opts.format === 'prometheus' ? formatRuleFile(groups, source) : formatPrometheusRule(groups, { name: kubernetesName(stem) }, source);
      const target = join(opts.out, output);
      if (loaded.length >= PROGRESS_FROM) io.stderr(`writing [${i + 1}/${loaded.length}] ${target}\n`);
      writeFileSync(target, text);
      const entry: WrittenFile = { input: l.file, output: target, slos: l.slos.length, groups: groups.length, rules: groups.reduce((n, g) => n + g.rules.length, 0) };
      if (opts.withTests && l.slos.length > 0) {
        const t = await generateUnitTests(l.slos, groups, output, source);
        const skipped = t.skipped.map((s) => ({ slo: `${s.slo.service}/${s.slo.name}`, reason: s.reason }));
        for (const s of skipped) io.stderr(`no test for SLO ${s.slo} in ${l.file}: ${s.reason}\n`);
        if (t.text !== undefined) {
          const testFile = join(opts.out, `${stem}.test.yml`);
          writeFileSync(testFile, t.text);
          written.push({ ...entry, tests: { file: testFile, count: t.tests, skipped } });
          continue;
        }
      }
      written.push(entry);
    }
  } catch (err) {
    io.stderr(`compile: cannot write into ${opts.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT_FAILURE;
  }

  if (opts.json) io.stdout(JSON.stringify({ files: written, warnings }, null, 2) + '\n');
  else {
    let text = '';
    for (const w of written) {
      text += `wrote ${w.output} (${plural(w.slos, 'SLO')}, ${plural(w.groups, 'group')}, ${plural(w.rules, 'rule')}) from ${w.input}\n`;
      if (w.tests !== undefined) text += `wrote ${w.tests.file} (${plural(w.tests.count, 'test')})\n`;
    }
    io.stdout(text);
  }
  return EXIT_OK;
}

/** planOutputs names each input's output file after the input: `vllm.yaml` → `vllm.rules.yml`. */
function planOutputs(loaded: readonly LoadedFile[], format: Format): { stem: string; output: string }[] {
  return loaded.map((l) => {
    const stem = basename(l.file, extname(l.file));
    return { stem, output: format === 'prometheus' ? `${stem}.rules.yml` : `${stem}.prometheusrule.yaml` };
  });
}

function findClash(outputs: readonly { output: string }[]): string | undefined {
  const seen = new Set<string>();
  for (const o of outputs) {
    if (seen.has(o.output)) return `two input files would both be written to ${o.output}; compile them into different --out directories`;
    seen.add(o.output);
  }
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
