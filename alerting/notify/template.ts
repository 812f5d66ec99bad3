import { readFileSync } from 'node:fs';
import type { Template } from '../../rules/template/ast.js';
import { expandText, functionNames, TemplateExecError } from '../../rules/template/execute.js';
import { parseTemplate, TemplateParseError } from '../../rules/template/parse.js';
import type { TemplateData } from './data.js';
import { DEFAULT_TEMPLATES, DEFAULT_TEMPLATES_NAME } from './template-defaults.js';
import { goTemplateData } from './template-data.js';
import { alertmanagerFunctions } from './template-functions.js';

export { TemplateExecError } from '../../rules/template/execute.js';

/** FUNCTIONS are the extra functions notification templates may call (Alertmanager's and vigil's). */
const FUNCTIONS = alertmanagerFunctions();

function parseNotificationTemplate(text: string, name: string): Template {
  return parseTemplate(text, { name, variables: [], functions: functionNames(FUNCTIONS) });
}

/** DEFAULTS are vigil's default definitions, parsed once. */
const DEFAULTS: Template = parseNotificationTemplate(DEFAULT_TEMPLATES, DEFAULT_TEMPLATES_NAME);

/**
 * TemplateFiles are the parsed template files of an alerting config (`templates:`): their
 * definitions are callable from every notification template and win over vigil's defaults, so
 * a file may redefine `email.default.subject`. Earlier files win over later ones.
 */
export interface TemplateFiles {
  readonly templates: readonly Template[];
}

/** NO_TEMPLATE_FILES is a config without template files: vigil's defaults only. */
export const NO_TEMPLATE_FILES: TemplateFiles = { templates: [] };

/**
 * parseTemplateFiles parses template files' texts. It throws TemplateParseError naming the
 * file (Go's `template: FILE:LINE: ...`) at the first one that does not parse.
 */
export function parseTemplateFiles(files: readonly { readonly path: string; readonly text: string }[]): TemplateFiles {
  return { templates: files.map((f) => parseNotificationTemplate(f.text, f.path)) };
}

/** readTemplateFiles reads and parses template files by path (globs are expanded by the caller). */
export function readTemplateFiles(paths: readonly string[]): TemplateFiles {
  return parseTemplateFiles(paths.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
}

export interface RenderOptions {
  /** files: the config's template files (default none). */
  readonly files?: TemplateFiles;
  /**
   * html: escape every action's output as html/template does (safeHtml output excepted), for
   * an HTML part; Alertmanager renders `html` with html/template.
   */
  readonly html?: boolean;
  /** now is what Prometheus's `now` function returns, in ms (the notification's flush time). */
  readonly now?: number;
}

/**
 * renderTemplate renders a Go text/template against Alertmanager's notification data, as
 * Alertmanager renders config fields such as `headers.Subject`, `text` or `title`: `.Receiver`,
 * `.Status`, `.Alerts` (with `.Alerts.Firing` and `.Alerts.Resolved`), each alert's `.Status`
 * `.Labels` `.Annotations` `.StartsAt` `.EndsAt` `.GeneratorURL` `.Fingerprint`, and
 * `.GroupLabels` `.CommonLabels` `.CommonAnnotations` `.ExternalURL`; label maps have
 * `.SortedPairs`, `.Names`, `.Values` and `.Remove`. The text may call `{{ template "x" . }}` for
 * its own definitions, the config's template files and vigil's defaults (DEFAULT_TEMPLATES).
 *
 * Functions: Go's builtins, Prometheus's (toUpper, toLower, title, match, reReplaceAll,
 * safeHtml, humanize...) and Alertmanager's (join, stringSlice, trimSpace, date), plus vigil's
 * silenceURL. A missing map key reads as "" (missingkey=zero). It rejects with a
 * TemplateExecError whose message says which template failed and where (`error parsing
 * template NAME: ...` or `error executing template NAME: template: NAME:LINE:COL: ...`).
 */
export function renderTemplate(text: string, data: TemplateData, name = 'template', opts: RenderOptions = {}): Promise<string> {
  return expandText(text, name, {
    data: goTemplateData(data),
    timestampMs: opts.now ?? 0,
    externalURL: data.externalURL,
    functions: FUNCTIONS,
    library: [...(opts.files ?? NO_TEMPLATE_FILES).templates, DEFAULTS],
    escapeHTML: opts.html === true,
  });
}

/** isTemplateError says whether err came from a template that did not parse or run. */
export function isTemplateError(err: unknown): err is TemplateExecError | TemplateParseError {
  return err instanceof TemplateExecError || err instanceof TemplateParseError;
}
