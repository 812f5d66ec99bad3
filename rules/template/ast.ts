/**
 * The syntax tree of a Go text/template, as Prometheus uses them in alert labels and annotations.
 * It follows Go's text/template/parse node types. Every node keeps its 0-based [start, end) offset
 * range in the template text, so an error can point at it (map it into YAML with
 * Field.valueOffset). parse.ts builds it; the template executor walks it.
 */

/** Pos is a 0-based [start, end) range in the template text. */
export interface Pos {
  readonly start: number;
  readonly end: number;
}

/** Template is one parsed template text: its top-level list and the templates it defines. */
export interface Template {
  /** name is the template's name, as used in error messages (`__alert_HighLatency`). */
  readonly name: string;
  readonly text: string;
  readonly root: readonly Node[];
  /** defines holds `{{define "x"}}...{{end}}` and `{{block "x" .}}...{{end}}` bodies by name. */
  readonly defines: ReadonlyMap<string, readonly Node[]>;
}

/** Node is one element of a template's list: text or an action. */
export type Node = TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateCallNode | BreakNode | ContinueNode;

/** TextNode is literal text, after `{{-` / `-}}` trimming. */
export interface TextNode {
  readonly kind: 'text';
  readonly text: string;
  readonly pos: Pos;
}

/** ActionNode is `{{pipeline}}`: its value is printed, unless the pipeline declares variables. */
export interface ActionNode {
  readonly kind: 'action';
  readonly pipe: Pipeline;
  readonly pos: Pos;
}

/**
 * IfNode, RangeNode and WithNode are the control structures. `{{else if x}}` (and `{{else with x}}`)
 * is an elseList holding one nested IfNode (WithNode), as Go's parser builds it.
 */
export interface IfNode {
  readonly kind: 'if';
  readonly pipe: Pipeline;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
  readonly pos: Pos;
}

export interface RangeNode {
  readonly kind: 'range';
  readonly pipe: Pipeline;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
  readonly pos: Pos;
}

export interface WithNode {
  readonly kind: 'with';
  readonly pipe: Pipeline;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
  readonly pos: Pos;
}

/** TemplateCallNode is `{{template "name" pipeline}}` (also what `{{block}}` leaves in place). */
export interface TemplateCallNode {
  readonly kind: 'template';
  readonly name: string;
  readonly pipe: Pipeline | undefined;
  readonly pos: Pos;
}

/** BreakNode and ContinueNode are `{{break}}` and `{{continue}}` inside a range. */
export interface BreakNode {
  readonly kind: 'break';
  readonly pos: Pos;
}

export interface ContinueNode {
  readonly kind: 'continue';
  readonly pos: Pos;
}

/**
 * Pipeline is `$x := cmd | cmd | ...`: commands whose output feeds the next command's last
 * argument. decl names the declared (`:=`) or assigned (`=`) variables, such as ['$i', '$v'].
 */
export interface Pipeline {
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
  readonly pos: Pos;
}

/** Command is one stage of a pipeline: a function call, or a single value. */
export interface Command {
  readonly args: readonly Operand[];
  readonly pos: Pos;
}

/** Operand is an argument of a command. */
export type Operand =
  | FieldOperand
  | VariableOperand
  | DotOperand
  | FunctionOperand
  | StringOperand
  | NumberOperand
  | BoolOperand
  | NilOperand
  | ChainOperand
  | PipeOperand;

/** FieldOperand is `.Labels.job`: path ['Labels', 'job'] from dot. */
export interface FieldOperand {
  readonly kind: 'field';
  readonly path: readonly string[];
  readonly pos: Pos;
}

/** VariableOperand is `$labels.job`: name '$labels', path ['job']. `$` alone is the template's data. */
export interface VariableOperand {
  readonly kind: 'variable';
  readonly name: string;
  readonly path: readonly string[];
  readonly pos: Pos;
}

/** DotOperand is `.`, the current data. */
export interface DotOperand {
  readonly kind: 'dot';
  readonly pos: Pos;
}

/** FunctionOperand is a function name such as `humanize` (known at parse time). */
export interface FunctionOperand {
  readonly kind: 'function';
  readonly name: string;
  readonly pos: Pos;
}

/** StringOperand is a quoted ("...") or raw (`...`) string; value is unquoted. */
export interface StringOperand {
  readonly kind: 'string';
  readonly quoted: string;
  readonly value: string;
  readonly pos: Pos;
}

/**
 * NumberOperand is a numeric or character constant as written. isInt says it is an integer
 * constant (Go gives it type int); otherwise it is a float64.
 */
export interface NumberOperand {
  readonly kind: 'number';
  readonly text: string;
  readonly value: number;
  readonly isInt: boolean;
  readonly pos: Pos;
}

export interface BoolOperand {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly pos: Pos;
}

export interface NilOperand {
  readonly kind: 'nil';
  readonly pos: Pos;
}

/** ChainOperand is a field access on a parenthesized value: `(index $x 0).Name`. */
export interface ChainOperand {
  readonly kind: 'chain';
  readonly operand: Operand;
  readonly path: readonly string[];
  readonly pos: Pos;
}

/** PipeOperand is a parenthesized pipeline used as a value: `(printf "%.2f" $value)`. */
export interface PipeOperand {
  readonly kind: 'pipe';
  readonly pipe: Pipeline;
  readonly pos: Pos;
}
