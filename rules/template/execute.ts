import type { AlertTemplateData, ExpandRequest } from '../eval/context.js';
import type { QueryFn } from '../model.js';
import type { ChainOperand, Command, FieldOperand, FunctionOperand, Node, NumberOperand, Operand, Pipeline, Pos, Template, VariableOperand } from './ast.js';
import { builtinFunctions, FuncError, type ParamType, prometheusFunctions, type TemplateFunc } from './functions.js';
import { formatValue } from './gofmt.js';
import { durationString, formatTime, timeString } from './gotime.js';
import { GO_BUILTIN_FUNCTIONS, parseTemplate, PROMETHEUS_TEMPLATE_FUNCTIONS, TemplateParseError } from './parse.js';
import { GoDuration, GoHTML, GoInt, GoMap, GoSlice, GoStruct, GoTime, type GoValue, stringMap, truth, typeName } from './value.js';

/** ALERT_DATA_TYPE is the Go type of Prometheus's alert template data, as error messages print it. */
export const ALERT_DATA_TYPE = 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }';

/** alertTemplateData is Prometheus's AlertTemplateData as a template value. */
export function alertTemplateData(d: AlertTemplateData): GoStruct {
  return new GoStruct(
    ALERT_DATA_TYPE,
    new Map<string, GoValue>([
      ['Labels', stringMap(d.labels)],
      ['ExternalLabels', stringMap(d.externalLabels)],
      ['ExternalURL', d.externalURL],
      ['Value', d.value],
    ]),
    false,
  );
}

/** TemplateExecError is a template that failed while running; its message is Prometheus's. */
export class TemplateExecError extends Error {
  readonly code = 'template_exec';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

export interface ExecuteOptions {
  /** data is `.` (and `$`) when the template starts. */
  readonly data: GoValue;
  readonly queryFn?: QueryFn;
  /** timestampMs is when `query` evaluates, and what `now` returns. */
  readonly timestampMs: number;
  readonly externalURL: string;
  /**
   * functions are added to Prometheus's and Go's, and win over them by name: Alertmanager's
   * functions for notification templates. The text may call them (they are known at parse time).
   */
  readonly functions?: ReadonlyMap<string, TemplateFunc>;
  /**
   * library holds the templates `{{template "x"}}` may call when the text itself does not define
   * `x`: the first of them that defines `x` wins (the config's template files, then Alertmanager's
   * default templates). Parse them with the same functions; an error inside one of their
   * templates points into that template's text.
   */
  readonly library?: readonly Template[];
  /**
   * escapeHTML: every action's output is HTML-escaped unless it is template.HTML (safeHtml), as
   * html/template does in element content and quoted attributes. For HTML email bodies.
   */
  readonly escapeHTML?: boolean;
}

/** functionNames is what the parser may call: Go's builtins, Prometheus's functions and the extra ones. */
export function functionNames(extra?: ReadonlyMap<string, TemplateFunc>): string[] {
  return [...GO_BUILTIN_FUNCTIONS, ...PROMETHEUS_TEMPLATE_FUNCTIONS, ...(extra?.keys() ?? [])];
}

const parsed = new Map<string, Template>();
const MAX_CACHED = 10_000;

/**
 * expandText is Prometheus's Expander.Expand: it parses `text` as template `name` and runs it.
 * It throws TemplateExecError with Prometheus's message: `error parsing template NAME: ...` or
 * `error executing template NAME: template: NAME:LINE:COL: executing "NAME" at <...>: ...`.
 * Parsed templates are cached by name and text, since a rule's templates run at every evaluation.
 */
export async function expandText(text: string, name: string, opts: ExecuteOptions): Promise<string> {
  // Which functions exist decides whether a text parses, so the extra names are part of the key.
  const cacheKey = opts.functions === undefined ? `${name}\u0000${text}` : `${name}\u0000${text}\u0000${[...opts.functions.keys()].join(',')}`;
  let tmpl = parsed.get(cacheKey);
  if (tmpl === undefined) {
    try {
      tmpl = parseTemplate(text, opts.functions === undefined ? { name, variables: [] } : { name, variables: [], functions: functionNames(opts.functions) });
    } catch (err) {
      if (err instanceof TemplateParseError) throw new TemplateExecError(`error parsing template ${name}: ${err.message}`);
      throw err;
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(cacheKey, tmpl);
  }
  let own = prometheusFunctions({ queryFn: opts.queryFn, timestampMs: opts.timestampMs, externalURL: opts.externalURL });
  if (opts.functions !== undefined) own = new Map([...own, ...opts.functions]);
  const funcs = new FuncTable(own);
  const out: string[] = [];
  const scope: Scope = { main: tmpl, library: opts.library ?? [], escapeHTML: opts.escapeHTML === true };
  const state = new State(tmpl, funcs, out, [{ name: '$', value: opts.data }], 0, scope);
  try {
    await state.walkList(opts.data, tmpl.root);
  } catch (err) {
    if (err instanceof ExecFailure) throw new TemplateExecError(`error executing template ${name}: ${err.message}`);
    if (err instanceof LoopSignal) throw new TemplateExecError(`error executing template ${name}: template: ${name}: ${err.kind} outside range`);
    throw err;
  }
  return out.join('');
}

/** expandTemplate is the TemplateExpander the rule evaluator uses for alert labels and annotations. */
export function expandTemplate(text: string, request: ExpandRequest): Promise<string> {
  return expandText(text, request.name, {
    data: alertTemplateData(request.data),
    queryFn: request.queryFn,
    timestampMs: request.timestampMs,
    externalURL: request.externalURL,
  });
}

/** BUILTINS are Go's predefined functions; they hold no state, so one table serves every expansion. */
const BUILTINS = builtinFunctions();

/** FuncTable looks a name up in the expansion's Prometheus functions, then in Go's builtins. */
class FuncTable {
  constructor(private readonly own: ReadonlyMap<string, TemplateFunc>) {}
  get(name: string): TemplateFunc | undefined {
    return this.own.get(name) ?? BUILTINS.get(name);
  }
}

/**
 * Scope is what every template of one execution shares: the text's own definitions (which win),
 * the library's, and how actions print.
 */
interface Scope {
  readonly main: Template;
  readonly library: readonly Template[];
  readonly escapeHTML: boolean;
}

/** htmlEscape is html/template's escaping of text in element content. */
function htmlEscape(s: string): string {
  return s.replace(/[&'<>"+\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '+': '&#43;', '\0': '\uFFFD' })[c]!);
}

/** ExecFailure carries Go's ExecError text up to expandText. */
class ExecFailure extends Error {}

class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

interface Variable {
  readonly name: string;
  value: GoValue;
}

/** At is the node an error points at: its position and Go's String() of it. */
interface At {
  readonly pos: Pos;
  readonly text: string;
}

const MAX_DEPTH = 100_000;

/** State is one execution of a template, as Go's text/template exec state. */
class State {
  private at: At | undefined;

  constructor(
    private readonly tmpl: Template,
    private readonly funcs: FuncTable,
    private readonly out: string[],
    private vars: Variable[],
    private readonly depth: number,
    private readonly scope: Scope,
  ) {}

  private setAt(pos: Pos, text: string): void {
    this.at = { pos, text };
  }

  private errorf(message: string): never {
    const name = this.tmpl.name;
    if (this.at === undefined) throw new ExecFailure(`template: ${name}: ${message}`);
    const before = new TextEncoder().encode(this.tmpl.text.slice(0, this.at.pos.start));
    let line = 1;
    let lastNewline = -1;
    before.forEach((b, i) => {
      if (b === 10) {
        line++;
        lastNewline = i;
      }
    });
    const col = lastNewline < 0 ? before.length : before.length - lastNewline - 1;
    throw new ExecFailure(`template: ${name}:${line}:${col}: executing ${JSON.stringify(name)} at <${this.at.text}>: ${message}`);
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars = this.vars.slice(0, mark);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  async walkList(dot: GoValue, list: readonly Node[]): Promise<void> {
    for (const node of list) await this.walk(dot, node);
  }

  private async walk(dot: GoValue, node: Node): Promise<void> {
    switch (node.kind) {
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const val = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.setAt(node.pos, `{{${pipeString(node.pipe)}}}`);
          const text = val === undefined ? '<no value>' : formatValue(val);
          this.out.push(this.scope.escapeHTML && !(val instanceof GoHTML) ? htmlEscape(text) : text);
        }
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.mark();
        const val = await this.evalPipeline(dot, node.pipe);
        if (truth(val)) await this.walkList(node.kind === 'with' ? val : dot, node.list);
        else if (node.elseList !== undefined) await this.walkList(dot, node.elseList);
        this.pop(mark);
        return;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'template': {
        this.setAt(node.pos, `{{template ${JSON.stringify(node.name)}${node.pipe === undefined ? '' : ' ' + pipeString(node.pipe)}}}`);
        let owner = this.scope.main;
        let body = owner.defines.get(node.name);
        for (let i = 0; body === undefined && i < this.scope.library.length; i++) {
          owner = this.scope.library[i]!;
          body = owner.defines.get(node.name);
        }
        if (body === undefined) this.errorf(`template ${JSON.stringify(node.name)} not defined`);
        if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
        const newDot = node.pipe === undefined ? null : await this.evalPipeline(dot, node.pipe);
        const inner = new State(owner, this.funcs, this.out, [{ name: '$', value: newDot }], this.depth + 1, this.scope);
        await inner.walkList(newDot, body);
        return;
      }
      case 'break':
      case 'continue':
        throw new LoopSignal(node.kind);
    }
  }

  private async walkRange(dot: GoValue, node: Extract<Node, { kind: 'range' }>): Promise<void> {
    this.setAt(node.pos, `{{range ${pipeString(node.pipe)}}}`);
    const outer = this.mark();
    const val = await this.evalPipeline(dot, node.pipe);
    const mark = this.mark();
    const decl = node.pipe.decl;
    const one = async (index: GoValue, elem: GoValue): Promise<boolean> => {
      if (decl.length > 0) {
        if (node.pipe.isAssign) this.setVar(decl[0]!, decl.length > 1 ? index : elem);
        else this.vars[this.vars.length - 1]!.value = elem;
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar(decl[1]!, elem);
        else this.vars[this.vars.length - 2]!.value = index;
      }
      try {
        await this.walkList(elem, node.list);
      } catch (err) {
        if (!(err instanceof LoopSignal)) throw err;
        if (err.kind === 'break') return false;
      } finally {
        this.pop(mark);
      }
      return true;
    };
    let ran = false;
    if (val instanceof GoSlice) {
      for (let i = 0; i < val.items.length; i++) {
        ran = true;
        if (!(await one(new GoInt(i), val.items[i]))) break;
      }
    } else if (val instanceof GoMap) {
      for (const [k, v] of [...val.entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        ran = true;
        if (!(await one(k, v))) break;
      }
    } else if (val instanceof GoInt) {
      for (let i = 0; i < val.v; i++) {
        ran = true;
        if (!(await one(new GoInt(i), new GoInt(i)))) break;
      }
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${formatValue(val)}`);
    }
    if (!ran && node.elseList !== undefined) await this.walkList(dot, node.elseList);
    this.pop(outer);
  }

  private async evalPipeline(dot: GoValue, pipe: Pipeline): Promise<GoValue> {
    this.setAt(pipe.pos, pipeString(pipe));
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = await this.evalCommand(dot, cmd, value);
    const result = value === MISSING ? undefined : value;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private notAFunction(args: readonly Operand[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${operandString(args[0]!)}`);
  }

  private async evalCommand(dot: GoValue, cmd: Command, final: Final): Promise<GoValue> {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'function':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.setAt(first.pos, operandString(first));
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.value;
    }
  }

  private idealConstant(n: NumberOperand): GoValue {
    this.setAt(n.pos, n.text);
    return n.isInt ? new GoInt(n.value) : n.value;
  }

  private evalFieldNode(dot: GoValue, field: FieldOperand, args: readonly Operand[] | null, final: Final): Promise<GoValue> {
    this.setAt(field.pos, operandString(field));
    return this.evalFieldChain(dot, dot, field, field.path, args, final);
  }

  private async evalChainNode(dot: GoValue, chain: ChainOperand, args: readonly Operand[] | null, final: Final): Promise<GoValue> {
    this.setAt(chain.pos, operandString(chain));
    if (chain.operand.kind === 'nil') this.errorf(`indirection through explicit nil in ${operandString(chain)}`);
    const receiver = await this.evalArg(dot, undefined, chain.operand);
    return this.evalFieldChain(dot, receiver, chain, chain.path, args, final);
  }

  private evalVariableNode(dot: GoValue, v: VariableOperand, args: readonly Operand[] | null, final: Final): Promise<GoValue> | GoValue {
    this.setAt(v.pos, operandString(v));
    const value = this.varValue(v.name);
    if (v.path.length === 0) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.path, args, final);
  }

  private async evalFieldChain(dot: GoValue, receiver: GoValue, node: Operand, idents: readonly string[], args: readonly Operand[] | null, final: Final): Promise<GoValue> {
    for (let i = 0; i < idents.length - 1; i++) receiver = await this.evalField(dot, idents[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, idents[idents.length - 1]!, node, args, final, receiver);
  }

  private async evalField(dot: GoValue, field: string, node: Operand, args: readonly Operand[] | null, final: Final, receiver: GoValue): Promise<GoValue> {
    if (receiver === undefined || receiver === null) return undefined;
    const method = methodOf(receiver, field);
    if (method !== undefined) return this.evalCall(dot, method, node, field, args, final);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      if (receiver.fields.has(field)) {
        if (hasArgs) this.errorf(`${field} has arguments but cannot be invoked as function`);
        return receiver.fields.get(field);
      }
    } else if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${field} is not a method but has arguments`);
      const v = receiver.entries.get(field);
      // missingkey=zero: a missing key reads as the element type's zero value.
      return v !== undefined ? v : receiver.elem === 'string' ? '' : null;
    }
    this.errorf(`can't evaluate field ${field} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, node: FunctionOperand, cmd: Command | FunctionOperand, args: readonly Operand[] | null, final: Final): Promise<GoValue> {
    this.setAt(node.pos, node.name);
    const f = this.funcs.get(node.name);
    if (f === undefined) this.errorf(`${JSON.stringify(node.name)} is not a defined function`);
    const at: At = 'args' in cmd ? { pos: cmd.pos, text: commandString(cmd) } : { pos: cmd.pos, text: cmd.name };
    return this.evalCall(dot, f, at, node.name, args, final);
  }

  private async evalCall(dot: GoValue, f: TemplateFunc, node: At | Operand, name: string, argsIn: readonly Operand[] | null, final: Final): Promise<GoValue> {
    const args = argsIn === null ? [] : argsIn.slice(1);
    const numIn = args.length + (final === MISSING ? 0 : 1);
    let numFixed = args.length;
    if (f.variadic !== undefined) {
      numFixed = f.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${f.params.length} got ${args.length}`);
    } else if (numIn !== f.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${f.params.length} got ${numIn}`);
    }
    // and/or evaluate their arguments lazily and return the deciding argument itself.
    if (name === 'and' || name === 'or') {
      let v: GoValue = undefined;
      for (const a of args) {
        v = await this.evalArg(dot, 'any', a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(await this.evalArg(dot, f.params[i]!, args[i]!));
    if (f.variadic !== undefined) for (; i < args.length; i++) argv.push(await this.evalArg(dot, f.variadic, args[i]!));
    if (final !== MISSING) {
      let t: ParamType;
      if (f.variadic !== undefined) t = numIn - 1 < numFixed ? f.params[numIn - 1]! : f.variadic;
      else t = f.params[f.params.length - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return await f.call(argv);
    } catch (err) {
      if (!(err instanceof FuncError) && !(err instanceof Error)) throw err;
      if (err instanceof ExecFailure || err instanceof TemplateExecError) throw err;
      if ('kind' in node) this.setAt(node.pos, operandString(node));
      else this.setAt(node.pos, node.text);
      this.errorf(`error calling ${name}: ${err.message}`);
    }
  }

  private validateType(value: GoValue, typ: ParamType | undefined): GoValue {
    if (value === undefined) {
      if (typ === undefined) return undefined;
      if (typ === 'any' || typ === 'template.queryResult' || typ === '*template.sample') return null;
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === 'any') return value;
    const actual = value === null ? 'interface {}' : typeName(value);
    if (actual === typ) return value;
    if (value instanceof GoStruct && value.pointer && `*${value.typeName}` === typ) return value;
    this.errorf(`wrong type for value; expected ${typ}; got ${actual}`);
  }

  private async evalArg(dot: GoValue, typ: ParamType | undefined, n: Operand): Promise<GoValue> {
    this.setAt(n.pos, operandString(n));
    switch (n.kind) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === undefined || typ === 'any' || typ === 'template.queryResult' || typ === '*template.sample') return null;
        return this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(await this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(await this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(await this.evalPipeline(dot, n.pipe), typ);
      case 'function':
        return this.validateType(await this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(await this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        return this.errorf(`expected bool; found ${operandString(n)}`);
      case 'string':
        if (n.kind === 'string') return n.value;
        return this.errorf(`expected string; found ${operandString(n)}`);
      case 'float64':
        if (n.kind === 'number') return n.value;
        return this.errorf(`expected float; found ${operandString(n)}`);
      case 'int':
        if (n.kind === 'number' && n.isInt) return new GoInt(n.value);
        return this.errorf(`expected integer; found ${operandString(n)}`);
      case undefined:
      case 'any':
        if (n.kind === 'bool' || n.kind === 'string') return n.value;
        return this.idealConstant(n);
      default:
        return this.errorf(`can't handle ${operandString(n)} for arg of type ${typ}`);
    }
  }
}

/** methodOf returns the method `name` of a value (time.Time, time.Duration, or a named type's GoMethods), as Go's reflection finds it. */
function methodOf(v: GoValue, name: string): TemplateFunc | undefined {
  if ((v instanceof GoMap || v instanceof GoSlice || v instanceof GoStruct) && v.methods !== undefined) return v.methods.get(name);
  if (v instanceof GoTime) {
    const d = () => new Date(v.ms);
    const methods: Record<string, TemplateFunc> = {
      Format: { params: ['string'], call: ([layout]) => formatTime(v, layout as string) },
      String: { params: [], call: () => timeString(v) },
      Unix: { params: [], call: () => new GoInt(Math.floor(v.ms / 1000), 'int64') },
      UnixMilli: { params: [], call: () => new GoInt(v.ms, 'int64') },
      UTC: { params: [], call: () => new GoTime(v.ms, v.nsRemainder, false) },
      Year: { params: [], call: () => new GoInt(d().getUTCFullYear()) },
      Day: { params: [], call: () => new GoInt(d().getUTCDate()) },
      Hour: { params: [], call: () => new GoInt(d().getUTCHours()) },
      Minute: { params: [], call: () => new GoInt(d().getUTCMinutes()) },
      Second: { params: [], call: () => new GoInt(d().getUTCSeconds()) },
    };
    return methods[name];
  }
  if (v instanceof GoDuration) {
    const methods: Record<string, TemplateFunc> = {
      String: { params: [], call: () => durationString(v) },
      Seconds: { params: [], call: () => v.ns / 1e9 },
      Minutes: { params: [], call: () => v.ns / 60e9 },
      Hours: { params: [], call: () => v.ns / 3600e9 },
      Milliseconds: { params: [], call: () => new GoInt(Math.trunc(v.ns / 1e6), 'int64') },
    };
    return methods[name];
  }
  return undefined;
}

/** operandString is Go's Node.String() of an operand. */
function operandString(o: Operand): string {
  switch (o.kind) {
    case 'field':
      return '.' + o.path.join('.');
    case 'variable':
      return o.name + o.path.map((p) => '.' + p).join('');
    case 'dot':
      return '.';
    case 'function':
      return o.name;
    case 'string':
      return o.quoted;
    case 'number':
      return o.text;
    case 'bool':
      return o.value ? 'true' : 'false';
    case 'nil':
      return 'nil';
    case 'chain':
      return (o.operand.kind === 'pipe' ? `(${pipeString(o.operand.pipe)})` : operandString(o.operand)) + '.' + o.path.join('.');
    case 'pipe':
      return pipeString(o.pipe);
  }
}

function commandString(c: Command): string {
  return c.args.map((a) => (a.kind === 'pipe' ? `(${pipeString(a.pipe)})` : operandString(a))).join(' ');
}

function pipeString(p: Pipeline): string {
  const decl = p.decl.length > 0 ? p.decl.join(', ') + (p.isAssign ? ' = ' : ' := ') : '';
  return decl + p.cmds.map(commandString).join(' | ');
}
