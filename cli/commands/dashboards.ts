import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildDashboards, type GeneratedDashboard } from '../../dashboards/catalog.js';
import { formatFinding, type Finding } from '../../dashboards/lint/finding.js';
import { lintDashboard } from '../../dashboards/lint/lint.js';
import type { LintDashboard } from '../../dashboards/lint/model.js';
import { FORMATS, type Format, outputFiles } from '../../dashboards/output/files.js';
import { GrafanaClient } from '../../dashboards/push/client.js';
import { type PushItem, pushDashboards } from '../../dashboards/push/push.js';
import { validateDashboardSchema } from '../../dashboards/schema/validate.js';
import { expandRulePaths } from '../../rules/load/files.js';
import { checkRuleFiles } from '../../rules/load/loader.js';
import type { SLO } from '../../rules/model.js';
import { formatIssue } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, stringFlag, UsageError } from '../command.js';

const GENERATE_USAGE = `Usage: vigil dashboards --rules PATH... --out DIR [--format json|configmap|provisioning|v2] [--json]

Builds vigil's Grafana dashboards and writes them into DIR: the AI platform overview, model
serving, GPU fleet, queues and cost dashboards, an overview of every SLO, and one dashboard per
SLO found in the rule files (files, directories or globs, as 'vigil compile' reads them; more
paths may follow the flags). Output is deterministic: the same rules give the same bytes.

  json          UID.json: classic dashboard JSON, for the HTTP API (default)
  configmap     UID.configmap.yaml: ConfigMaps for the Grafana sidecar, labelled
                grafana_dashboard: "1" and annotated grafana_folder (the chart also needs
                sidecar.dashboards.folderAnnotation: grafana_folder and
                provider.foldersFromFilesStructure: true)
  provisioning  vigil.yaml, a dashboard provider for /etc/grafana/provisioning/dashboards/, and
                FOLDER/UID.json for the directory it reads (--provisioning-path, default
                /var/lib/grafana/dashboards/vigil)
  v2            UID.v2.json: dashboard.grafana.app/v2 Dashboard resources (Grafana 12+)

Flags:
  --rules PATH           rule files with SLOs (repeatable)
  --out DIR              directory to write into (created if missing)
  --format F             json (default), configmap, provisioning or v2
  --namespace NS         metadata.namespace of the ConfigMaps (configmap format)
  --provisioning-path P  the directory the provider reads (provisioning format)
  --json                 print what was written as JSON
  -h, --help             show this help`;

const LINT_USAGE = `Usage: vigil dashboards lint [--schema] [--json] FILE|DIR...

Checks classic Grafana dashboard JSON files, generated or hand-made (a DIR is searched for
*.json; an API export {"dashboard": ...} is read too): the rules of grafana/dashboard-linter
(one "datasource" variable labelled "Data Source", variables refreshed on time change and valid
label_values() queries, panels on the $datasource variable with a title, a description and a
unit, every panel with a query, rates over [$__rate_interval], counters never used without rate,
editable false), unique panel ids (panels in collapsed rows included), gridPos inside 24 columns
and no overlaps, every $variable defined, a legend on time series and calcs on stats, and every
query parsed and type-checked by vigil's PromQL parser after substituting $__rate_interval,
$__interval, $__range, $var, \${var} and \${var:format}. Prints one line per finding:

  FILE: panel "TITLE": REASON [RULE]

Flags:
  --schema      also validate against the JSON Schema of @grafana/schema's Dashboard type
  --json        print {"files": [{"file", "title", "findings": [{rule, panel, panelId, target,
                message}]}], "findings": N} instead
  -h, --help    show this help`;

const PUSH_USAGE = `Usage: vigil dashboards push --grafana-url URL [--token-env NAME | --token-file PATH]
                             (--rules PATH... | [--folder TITLE] FILE|DIR...) [--json]

Creates the dashboards' folders in Grafana (uid vigil-FOLDER, unless they exist) and saves each
dashboard with POST /api/dashboards/db and overwrite. With --rules it pushes the dashboards
'vigil dashboards' builds from those rule files; otherwise the classic JSON files given, into
--folder (default "AI platform"). The service-account token comes from the environment
variable GRAFANA_TOKEN (or --token-env NAME) or from --token-file; it is never printed. Grafana's
refusals are told in plain words (401 bad token, 403 missing permission, 412 version conflict,
...); a bad token or an unreachable Grafana stops the push, any other failure skips that
dashboard. Progress goes to standard error.

Flags:
  --grafana-url URL   Grafana's base URL, such as https://grafana.example.com
  --token-env NAME    environment variable holding the token (default GRAFANA_TOKEN)
  --token-file PATH   file holding the token (instead of the environment)
  --rules PATH        rule files with SLOs (repeatable)
  --folder TITLE      folder for FILE arguments (default "AI platform")
  --message TEXT      the version message Grafana records
  --json              print the outcome as JSON
  -h, --help          show this help`;

const USAGE = `${GENERATE_USAGE}

Subcommands:
  vigil dashboards lint    check dashboard JSON files (see below)
  vigil dashboards push    save the dashboards into a Grafana (see below)

Exit codes: 0 done (no findings), 1 lint findings, a failed push or unreadable rules,
2 bad command line.

${LINT_USAGE}

${PUSH_USAGE}
`;

/** FLAGS_OF says which flags each form takes; the command parses their union, then checks. */
const FLAGS_OF: Record<'generate' | 'lint' | 'push', readonly string[]> = {
  generate: ['rules', 'out', 'format', 'namespace', 'provisioning-path', 'json'],
  lint: ['schema', 'json'],
  push: ['grafana-url', 'token-env', 'token-file', 'rules', 'folder', 'message', 'json'],
};

const DEFAULT_TOKEN_ENV = 'GRAFANA_TOKEN';
const PLATFORM_FOLDER_DEFAULT = 'AI platform';
/** PROGRESS_FROM is how many items make a command report progress on standard error. */
const PROGRESS_FROM = 5;

export const dashboardsCommand: Command = {
  name: 'dashboards',
  summary: 'build Grafana dashboards from the rule files, lint dashboard JSON, push dashboards to Grafana',
  usage: USAGE,
  options: {
    rules: { type: 'string', multiple: true },
    out: { type: 'string' },
    format: { type: 'string' },
    namespace: { type: 'string' },
    'provisioning-path': { type: 'string' },
    json: { type: 'boolean', default: false },
    schema: { type: 'boolean', default: false },
    'grafana-url': { type: 'string' },
    'token-env': { type: 'string' },
    'token-file': { type: 'string' },
    folder: { type: 'string' },
    message: { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const sub = positionals[0] === 'lint' || positionals[0] === 'push' ? positionals[0] : 'generate';
    const args = sub === 'generate' ? positionals : positionals.slice(1);
    for (const [flag, v] of Object.entries(values)) {
      if (v === undefined || v === false || flag === 'help' || FLAGS_OF[sub].includes(flag)) continue;
      throw new UsageError(`--${flag} is not a flag of 'vigil dashboards${sub === 'generate' ? '' : ` ${sub}`}'`);
    }
    if (sub === 'lint') return lint(args, values, io);
    if (sub === 'push') return push(args, values, io);
    return generate(args, values, io);
  },
};

function rulePaths(values: Record<string, unknown>, extra: readonly string[]): string[] {
  const rules = values['rules'];
  return [...(Array.isArray(rules) ? (rules as string[]) : []), ...extra];
}

/** loadSLOs reads the SLOs of the rule files, or prints the errors and returns undefined. */
function loadSLOs(paths: readonly string[], io: IO): SLO[] | undefined {
  const { files, problems } = expandRulePaths(paths);
  const r = checkRuleFiles(files);
  for (const w of r.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  const errors = [...problems.map((p) => `${p.path}: ${p.message}`), ...r.errors.map(formatIssue)];
  if (errors.length > 0) {
    for (const e of errors) io.stderr(e + '\n');
    io.stderr(`dashboards: ${errors.length} error${errors.length === 1 ? '' : 's'} in the rule files; nothing done\n`);
    return undefined;
  }
  return [...r.ruleSet.slos];
}

async function generate(extra: readonly string[], values: Record<string, unknown>, io: IO): Promise<number> {
  const paths = rulePaths(values, extra);
  if (paths.length === 0) throw new UsageError('--rules PATH is required (rule files with the SLOs)');
  const out = stringFlag(values, 'out');
  if (out === undefined || out === '') throw new UsageError('--out DIR is required');
  const format = stringFlag(values, 'format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const slos = loadSLOs(paths, io);
  if (slos === undefined) return EXIT_FAILURE;
  const dashboards = buildDashboards(slos);
  const namespace = stringFlag(values, 'namespace');
  const provisioningPath = stringFlag(values, 'provisioning-path');
  const files = outputFiles(dashboards, format as Format, { ...(namespace === undefined ? {} : { namespace }), ...(provisioningPath === undefined ? {} : { provisioningPath }) });
  try {
    for (const [i, f] of files.entries()) {
      const target = join(out, f.path);
      if (files.length >= PROGRESS_FROM) io.stderr(`writing [${i + 1}/${files.length}] ${target}\n`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
  } catch (err) {
    io.stderr(`dashboards: cannot write into ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT_FAILURE;
  }
  if (values['json'] === true) {
    io.stdout(JSON.stringify({ format, dashboards: dashboards.map((d) => ({ uid: d.uid, title: d.title, folder: d.folder })), files: files.map((f) => join(out, f.path)) }, null, 2) + '\n');
  } else {
    io.stdout(`wrote ${files.length} files (${dashboards.length} dashboards, ${slos.length} SLOs, format ${format}) into ${out}\n`);
  }
  return EXIT_OK;
}

/** jsonFiles expands FILE|DIR arguments: a directory gives its *.json files, recursively, sorted. */
function jsonFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    if (!statSync(path).isDirectory()) {
      out.push(path);
      return;
    }
    for (const name of readdirSync(path).sort()) {
      const p = join(path, name);
      if (statSync(p).isDirectory() || name.endsWith('.json')) walk(p);
    }
  };
  for (const a of args) {
    try {
      walk(a);
    } catch (err) {
      throw new UsageError(`cannot read ${a}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return out;
}

/** readDashboard reads a classic dashboard, unwrapping the API's {"dashboard": ...} export form. */
function readDashboard(file: string): { dashboard: LintDashboard & Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'not a dashboard: expected a JSON object' };
  const obj = parsed as Record<string, unknown>;
  if (obj['kind'] === 'Dashboard' && typeof obj['apiVersion'] === 'string') return { error: `a ${obj['apiVersion']} resource: lint reads classic dashboard JSON (generate it with --format json)` };
  const inner = obj['dashboard'];
  const d = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : obj;
  return { dashboard: d as LintDashboard & Record<string, unknown> };
}

async function lint(args: readonly string[], values: Record<string, unknown>, io: IO): Promise<number> {
  if (args.length === 0) throw new UsageError('expected at least one dashboard FILE or DIR');
  const files = jsonFiles(args);
  const report: { file: string; title: string; findings: Finding[] }[] = [];
  for (const [i, file] of files.entries()) {
    if (files.length >= PROGRESS_FROM) io.stderr(`linting [${i + 1}/${files.length}] ${file}\n`);
    const r = readDashboard(file);
    if ('error' in r) {
      report.push({ file, title: '', findings: [{ rule: 'dashboard-json', message: r.error }] });
      continue;
    }
    const findings = lintDashboard(r.dashboard);
    if (values['schema'] === true) for (const p of validateDashboardSchema(r.dashboard).slice(0, 10)) findings.push({ rule: 'schema-rule', message: `${p.path}: ${p.message}` });
    report.push({ file, title: typeof r.dashboard.title === 'string' ? r.dashboard.title : file, findings });
  }
  const total = report.reduce((n, f) => n + f.findings.length, 0);
  if (values['json'] === true) io.stdout(JSON.stringify({ files: report, findings: total }, null, 2) + '\n');
  else {
    let text = '';
    for (const f of report) for (const finding of f.findings) text += `${f.file}: ${formatFinding(finding, f.title)}\n`;
    io.stdout(text);
    io.stderr(`${files.length} dashboard${files.length === 1 ? '' : 's'}, ${total} finding${total === 1 ? '' : 's'}\n`);
  }
  return total === 0 ? EXIT_OK : EXIT_FAILURE;
}

/** readToken reads the service-account token from --token-file or the environment; it is never printed. */
function readToken(values: Record<string, unknown>): string {
  const file = stringFlag(values, 'token-file');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --token-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    const token = text.trim();
    if (token === '') throw new UsageError(`--token-file ${file} is empty`);
    return token;
  }
  const name = stringFlag(values, 'token-env') ?? DEFAULT_TOKEN_ENV;
  const token = process.env[name]?.trim() ?? '';
  if (token === '') throw new UsageError(`no Grafana token: set the environment variable ${name} to a service-account token (or use --token-file PATH)`);
  return token;
}

async function push(args: readonly string[], values: Record<string, unknown>, io: IO): Promise<number> {
  const url = stringFlag(values, 'grafana-url');
  if (url === undefined || url === '') throw new UsageError('--grafana-url URL is required');
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--grafana-url must be an http or https URL, got ${JSON.stringify(url)}`);
  const rules = rulePaths(values, []);
  if (rules.length > 0 && args.length > 0) throw new UsageError('give either --rules PATH or dashboard FILEs, not both');
  if (rules.length === 0 && args.length === 0) throw new UsageError('expected --rules PATH or dashboard FILE|DIR arguments');
  const token = readToken(values);

  let items: PushItem[];
  if (rules.length > 0) {
    const slos = loadSLOs(rules, io);
    if (slos === undefined) return EXIT_FAILURE;
    items = buildDashboards(slos).map((d: GeneratedDashboard) => ({ folder: d.folder, json: d.json as unknown as Record<string, unknown> }));
  } else {
    const folder = stringFlag(values, 'folder') ?? PLATFORM_FOLDER_DEFAULT;
    items = [];
    for (const file of jsonFiles(args)) {
      const r = readDashboard(file);
      if ('error' in r) {
        io.stderr(`dashboards push: ${file}: ${r.error}\n`);
        return EXIT_FAILURE;
      }
      items.push({ folder, json: r.dashboard });
    }
  }
  const report = await pushDashboards(new GrafanaClient(url, token), items, (line) => io.stderr(line + '\n'), stringFlag(values, 'message'));
  const failed = report.results.filter((r) => 'error' in r);
  if (values['json'] === true) io.stdout(JSON.stringify(report, null, 2) + '\n');
  else {
    let text = '';
    for (const r of report.results) text += 'error' in r ? `failed ${r.uid}: ${r.error}\n` : `pushed ${r.uid} to folder ${JSON.stringify(r.folder)}: version ${r.saved.version} ${r.saved.url}\n`;
    io.stdout(text);
  }
  if (report.stopped !== undefined) io.stderr(`dashboards push: stopped: ${report.stopped}\n`);
  if (report.stopped === undefined && failed.length > 0) io.stderr(`dashboards push: ${failed.length} of ${items.length} dashboards failed\n`);
  return report.stopped === undefined && failed.length === 0 ? EXIT_OK : EXIT_FAILURE;
}
