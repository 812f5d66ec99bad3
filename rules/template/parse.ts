import type {
  Command,
  Node,
  NumberOperand,
  Operand,
  Pipeline,
  Pos,
  StringOperand,
  Template,
} from './ast.js';
import { goQuote, unquoteString } from '../../promql/strings.js';
import { describeToken, lex, type Token, type TokenType } from './lex.js';

export type {
  BoolOperand,
  BreakNode,
  ChainOperand,
  Command,
  ContinueNode,
  DotOperand,
  FieldOperand,
  FunctionOperand,
  IfNode,
  NilOperand,
  Node,
  NumberOperand,
  Operand,
  Pipeline,
  PipeOperand,
  Pos,
  RangeNode,
  StringOperand,
  Template,
  TemplateCallNode,
  TextNode,
  VariableOperand,
  WithNode,
  ActionNode,
} from './ast.js';

/** GO_BUILTIN_FUNCTIONS are text/template's predefined functions, available in every template. */
export const GO_BUILTIN_FUNCTIONS: readonly string[] = [
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
];

/**
 * PROMETHEUS_TEMPLATE_FUNCTIONS are the functions Prometheus adds for alert and console templates
 * (template/template.go). Some are newer than Prometheus 2.42 (toDuration, now, urlUnescape).
 */
export const PROMETHEUS_TEMPLATE_FUNCTIONS: readonly string[] = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'pathPrefix',
  'externalURL',
  'parseDuration',
  'stripPort',
  'stripDomain',
  'toTime',
  'toDuration',
  'now',
  'urlUnescape',
];

/**
 * ALERT_TEMPLATE_VARIABLES are what Prometheus declares before an alert's label or annotation
 * template (`{{$labels := .Labels}}` and so on), so templates may use them without declaring them.
 */
export const ALERT_TEMPLATE_VARIABLES: readonly string[] = ['$labels', '$externalLabels', '$externalURL', '$value'];

/** ERR_TEMPLATE_PARSE is TemplateParseError's stable code. */
export const ERR_TEMPLATE_PARSE = 'template_parse';

/**
 * TemplateParseError is a template that does not parse. Its message reads as Go's
 * (`template: __alert_X:1: function "humanise" not defined`); offset is the 0-based position in
 * the template text of the token where parsing stopped, for pointing into a YAML file.
 */
export class TemplateParseError extends Error {
  readonly code = ERR_TEMPLATE_PARSE;
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`template: ${templateName}:${line}: ${reason}`);
    this.name = 'TemplateParseError';
  }
}

export interface ParseTemplateOptions {
  /** name is the template's name in messages; Prometheus names an alert's templates `__alert_<alertname>`. */
  readonly name?: string;
  /** functions are the known function names; default Go's builtins plus Prometheus's functions. */
  readonly functions?: Iterable<string>;
  /** variables are declared before the text (besides `$`); default ALERT_TEMPLATE_VARIABLES. */
  readonly variables?: readonly string[];
}

const DEFAULT_FUNCTIONS: ReadonlySet<string> = new Set([...GO_BUILTIN_FUNCTIONS, ...PROMETHEUS_TEMPLATE_FUNCTIONS]);

/**
 * parseTemplate parses a Go text/template as Prometheus parses alert templates, with the same
 * checks at parse time as Go's text/template: balanced actions and control structures, known
 * functions, declared variables. It throws TemplateParseError at the first problem, as Go does.
 */
export function parseTemplate(text: string, opts: ParseTemplateOptions = {}): Template {
  const functions = opts.functions === undefined ? DEFAULT_FUNCTIONS : new Set(opts.functions);
  const parser = new Parser(text, opts.name ?? 'template', functions, ['$', ...(opts.variables ?? ALERT_TEMPLATE_VARIABLES)]);
  return parser.parseTemplate();
}

/** A pseudo node for `{{end}}` and `{{else}}`, which end an item list. */
interface Terminator {
  readonly kind: 'end' | 'else';
  readonly pos: Pos;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** seen is the furthest token index read so far: Go reports the line of the last token lexed. */
  private seen = 0;
  private vars: string[];
  private rangeDepth = 0;
  private actionStart: number | undefined;
  private readonly defines = new Map<string, readonly Node[]>();

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly functions: ReadonlySet<string>,
    topVars: readonly string[],
  ) {
    this.tokens = lex(text);
    this.vars = [...topVars];
  }

  parseTemplate(): Template {
    const root: Node[] = [];
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.index;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.index = save;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.fail(`unexpected {{${n.kind}}}`);
      root.push(n as Node);
    }
    return { name: this.name, text: this.text, root, defines: this.defines };
  }

  // Tokens.

  private token(i: number): Token {
    // The lexer always ends with an 'eof' or 'error' token; reading past it repeats it.
    const t = this.tokens[Math.min(i, this.tokens.length - 1)]!;
    if (i > this.seen) this.seen = Math.min(i, this.tokens.length - 1);
    return t;
  }

  private next(): Token {
    const t = this.token(this.index);
    if (this.index < this.tokens.length - 1) this.index++;
    else this.index = this.tokens.length;
    return t;
  }

  private peek(): Token {
    return this.token(Math.min(this.index, this.tokens.length - 1));
  }

  private backup(): void {
    this.index--;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  /** peekNonSpace skips spaces (they stay consumed, as in Go) and returns the next token unread. */
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  // Errors.

  private lineAt(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) line++;
    return line;
  }

  private fail(reason: string, at?: Token): never {
    const t = at ?? this.tokens[Math.min(this.seen, this.tokens.length - 1)]!;
    throw new TemplateParseError(this.name, this.lineAt(t.start), t.start, reason);
  }

  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionStart !== undefined && this.lineAt(this.actionStart) !== this.lineAt(t.start)) {
        extra = ` in action started at ${this.name}:${this.lineAt(this.actionStart)}`;
        if (t.value.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.fail(`${t.value}${extra}`, t);
    }
    this.fail(`unexpected ${describeToken(t)} in ${context}`, t);
  }

  // Lists and actions.

  private parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString') this.unexpected(nameToken, context);
    const name = this.unquote(nameToken);
    this.expect('rightDelim', context);
    const outer = this.vars;
    this.vars = ['$'];
    const { list, next } = this.itemList();
    this.vars = outer;
    if (next.kind !== 'end') this.fail(`unexpected {{${next.kind}}} in ${context}`);
    this.addDefinition(name, list);
  }

  private addDefinition(name: string, list: readonly Node[]): void {
    const existing = this.defines.get(name);
    if (existing !== undefined && !isEmpty(existing) && !isEmpty(list)) {
      this.fail(`template: multiple definition of template ${goQuote(name)}`);
    }
    if (existing === undefined || isEmpty(existing)) this.defines.set(name, list);
  }

  private itemList(): { list: Node[]; next: Terminator } {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return { list, next: n as Terminator };
      list.push(n as Node);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node | Terminator {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { kind: 'text', text: t.value, pos: { start: t.start, end: t.end } };
      case 'leftDelim': {
        const outer = this.actionStart;
        this.actionStart = t.start;
        try {
          return this.action(t);
        } finally {
          this.actionStart = outer;
        }
      }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(open: Token): Node | Terminator {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block':
        return this.blockControl(open);
      case 'break':
      case 'continue': {
        const close = this.nextNonSpace();
        if (close.type !== 'rightDelim') this.unexpected(close, `{{${t.type}}}`);
        if (this.rangeDepth === 0) this.fail(`{{${t.type}}} outside {{range}}`, t);
        return { kind: t.type, pos: { start: open.start, end: close.end } };
      }
      case 'else':
        return this.elseControl(open);
      case 'end': {
        const close = this.expect('rightDelim', 'end');
        return { kind: 'end', pos: { start: open.start, end: close.end } };
      }
      case 'if':
      case 'range':
      case 'with':
        return this.control(t.type, open);
      case 'template':
        return this.templateControl(open);
      default:
        break;
    }
    this.backup();
    const pipe = this.pipeline('command', 'rightDelim');
    return { kind: 'action', pipe, pos: { start: open.start, end: this.token(this.index - 1).end } };
  }

  private control(kind: 'if' | 'range' | 'with', open: Token): Node {
    const depth = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const body = this.itemList();
    const list = body.list;
    let next = body.next;
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | undefined;
    if (next.kind === 'else') {
      const chained = this.peek().type;
      if ((kind === 'if' && chained === 'if') || (kind === 'with' && chained === 'with')) {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` with a single {{end}}.
        const inner = this.next();
        elseList = [this.control(kind, inner)];
      } else {
        const rest = this.itemList();
        elseList = rest.list;
        next = rest.next;
        if (next.kind !== 'end') this.fail(`expected end; found {{${next.kind}}}`);
      }
    }
    this.vars.length = depth;
    return { kind, pipe, list, elseList, pos: { start: open.start, end: this.token(this.index - 1).end } };
  }

  private elseControl(open: Token): Terminator {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: { start: open.start, end: peek.start } };
    const close = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: { start: open.start, end: close.end } };
  }

  private templateControl(open: Token): Node {
    const context = 'template clause';
    const name = this.templateName(this.nextNonSpace(), context);
    let pipe: Pipeline | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { kind: 'template', name, pipe, pos: { start: open.start, end: this.token(this.index - 1).end } };
  }

  private blockControl(open: Token): Node {
    const context = 'block clause';
    const name = this.templateName(this.nextNonSpace(), context);
    const pipe = this.pipeline(context, 'rightDelim');
    const end = this.token(this.index - 1).end;
    const outerVars = this.vars;
    const outerDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, next } = this.itemList();
    this.vars = outerVars;
    this.rangeDepth = outerDepth;
    if (next.kind !== 'end') this.fail(`unexpected {{${next.kind}}} in ${context}`);
    this.addDefinition(name, list);
    return { kind: 'template', name, pipe, pos: { start: open.start, end } };
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquote(t);
  }

  // Pipelines, commands and operands.

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipeline {
    const first = this.peekNonSpace();
    const decl: string[] = [];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.index;
      this.next();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        isAssign = next.type === 'assign';
        this.nextNonSpace();
        decl.push(v.value);
        this.vars.push(v.value);
        break;
      }
      if (next.type === 'char' && next.value === ',') {
        this.nextNonSpace();
        decl.push(v.value);
        this.vars.push(v.value);
        if (context === 'range' && decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.index = save;
      break;
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        if (cmds.length === 0) this.fail(`missing value for ${context}`);
        cmds.slice(1).forEach((c, i) => {
          const k = c.args[0]!.kind;
          if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
            this.fail(`non executable command in pipeline stage ${i + 2}`);
          }
        });
        return { decl, isAssign, cmds, pos: { start: first.start, end: t.start } };
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private command(): Command {
    const start = this.peekNonSpace().start;
    const args: Operand[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (args.length === 0) this.fail('empty command');
    return { args, pos: { start, end: args[args.length - 1]!.pos.end } };
  }

  private operand(): Operand | undefined {
    const term = this.term();
    if (term === undefined) return undefined;
    if (this.peek().type !== 'field') return term;
    const path: string[] = [];
    let end = term.pos.end;
    while (this.peek().type === 'field') {
      const f = this.next();
      path.push(f.value.slice(1));
      end = f.end;
    }
    const pos = { start: term.pos.start, end };
    switch (term.kind) {
      case 'field':
        return { kind: 'field', path: [...term.path, ...path], pos };
      case 'variable':
        return { kind: 'variable', name: term.name, path: [...term.path, ...path], pos };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.fail(`unexpected . after term ${goQuote(operandText(this.text, term))}`);
      default:
        return { kind: 'chain', operand: term, path, pos };
    }
  }

  private term(): Operand | undefined {
    const t = this.nextNonSpace();
    const pos = { start: t.start, end: t.end };
    switch (t.type) {
      case 'identifier':
        if (!this.functions.has(t.value)) this.fail(`function ${goQuote(t.value)} not defined`, t);
        return { kind: 'function', name: t.value, pos };
      case 'dot':
        return { kind: 'dot', pos };
      case 'nil':
        return { kind: 'nil', pos };
      case 'variable': {
        const [name, ...path] = t.value.split('.');
        if (!this.vars.includes(name!)) this.fail(`undefined variable ${goQuote(name!)}`, t);
        return { kind: 'variable', name: name!, path, pos };
      }
      case 'field':
        return { kind: 'field', path: t.value.slice(1).split('.'), pos };
      case 'bool':
        return { kind: 'bool', value: t.value === 'true', pos };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(t);
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        return { kind: 'pipe', pipe, pos: { start: t.start, end: this.token(this.index - 1).end } };
      }
      case 'string':
      case 'rawString':
        return { kind: 'string', quoted: t.value, value: this.unquote(t), pos } satisfies StringOperand;
      default:
        this.backup();
        return undefined;
    }
  }

  private number(t: Token): NumberOperand {
    const pos = { start: t.start, end: t.end };
    if (t.type === 'charConstant') {
      const v = unquoteString(t.value, true);
      if (v === undefined || [...v].length !== 1) this.fail(`malformed character constant: ${t.value}`, t);
      return { kind: 'number', text: t.value, value: v.codePointAt(0)!, isInt: true, pos };
    }
    if (t.type === 'complex' || t.value.endsWith('i')) this.fail(`complex numbers are not supported: ${t.value}`, t);
    const v = parseGoNumber(t.value);
    if (v === undefined) this.fail(`illegal number syntax: ${goQuote(t.value)}`, t);
    return { kind: 'number', text: t.value, value: v.value, isInt: v.isInt, pos };
  }

  private unquote(t: Token): string {
    const s = unquoteString(t.value);
    if (s === undefined) this.fail('invalid syntax', t);
    return s;
  }
}

function isEmpty(list: readonly Node[]): boolean {
  return list.every((n) => n.kind === 'text' && n.text.trim() === '');
}

function operandText(text: string, o: Operand): string {
  return text.slice(o.pos.start, o.pos.end);
}

/** parseGoNumber reads a Go integer or float literal (with _ separators, 0x/0o/0b prefixes). */
function parseGoNumber(text: string): { value: number; isInt: boolean } | undefined {
  const s = text.replace(/_/g, '');
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) {
    const neg = s.startsWith('-');
    const body = s.replace(/^[+-]/, '');
    let v: number;
    if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
    else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
    else if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
    else if (/^0[0-7]+$/.test(body)) v = parseInt(body.slice(1), 8);
    else v = parseInt(body, 10);
    return { value: neg ? -v : v, isInt: true };
  }
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return { value: Number(s), isInt: false };
  if (/^[+-]?0[xX]/.test(s)) {
    const v = Number.parseFloat(s); // hex floats are rare enough to leave approximate
    return Number.isNaN(v) ? undefined : { value: v, isInt: false };
  }
  return undefined;
}
