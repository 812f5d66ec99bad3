import { goQuote } from '../../promql/strings.js';

/**
 * The lexer of Go's text/template (as of Go 1.19 and later: trim markers, newlines inside actions,
 * comments, break/continue), producing the tokens parse.ts reads. Token kinds and the way tokens
 * print in messages (`"}}"`, `<end>`, `EOF`) follow Go's lexer, so parse errors read as Go's do.
 */

export type TokenType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'comment'
  // Keywords.
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

/** Token is one lexical item: its type, its text and its 0-based [start, end) offsets. */
export interface Token {
  readonly type: TokenType;
  /** value is the token's text; for 'error' it is the error message. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const KEYWORDS: Readonly<Record<string, TokenType>> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set(Object.values(KEYWORDS));

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
/** TRIM_LEN is a trim marker plus the space beside it: `- ` or ` -`. */
const TRIM_LEN = 2;

/** describeToken renders a token for a message the way Go's item.String does. */
export function describeToken(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.value;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.value}>`;
  const chars = [...t.value];
  if (chars.length > 10) return `${goQuote(chars.slice(0, 10).join(''))}...`;
  return goQuote(t.value);
}

/** goRune is Go's %#U: `U+0023 '#'`. */
function goRune(ch: string): string {
  const c = ch.codePointAt(0)!;
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c >= 0x20 && c !== 0x7f ? `${hex} '${ch}'` : hex;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isAlphaNumeric(ch: string | undefined): boolean {
  return ch !== undefined && (ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch));
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return s[i] === '-' && isSpace(s[i + 1]);
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return isSpace(s[i]) && s[i + 1] === '-';
}

/**
 * lex splits a template into tokens. Like Go's lexer it stops at the first error, which it returns
 * as a final 'error' token; comments are dropped (they print nothing and hold nothing to check).
 */
export function lex(input: string): Token[] {
  return new Lexer(input).run();
}

/** State is a lexer state: it scans some input and returns the next state, undefined at the end. */
type State = ((this: Lexer) => State) | undefined;

class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly input: string) {}

  run(): Token[] {
    let state: State = this.lexText;
    while (state !== undefined) state = state.call(this);
    return this.tokens;
  }

  private emit(type: TokenType): void {
    this.tokens.push({ type, value: this.input.slice(this.start, this.pos), start: this.start, end: this.pos });
    this.start = this.pos;
  }

  private errorf(message: string): State {
    this.tokens.push({ type: 'error', value: message, start: this.start, end: this.pos });
    return undefined;
  }

  /** char is the character (code point) at `i`, or undefined at the end. */
  private char(i = this.pos): string | undefined {
    if (i >= this.input.length) return undefined;
    const c = this.input.codePointAt(i)!;
    return String.fromCodePoint(c);
  }

  private advance(): string | undefined {
    const ch = this.char();
    if (ch !== undefined) this.pos += ch.length;
    return ch;
  }

  private atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT, this.pos + TRIM_LEN)) return { delim: true, trim: true };
    if (this.input.startsWith(RIGHT, this.pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  private lexText(): State {
    const x = this.input.indexOf(LEFT, this.pos);
    if (x >= 0) {
      this.pos = x;
      let end = x;
      if (hasLeftTrimMarker(this.input, x + LEFT.length)) {
        while (end > this.start && isSpace(this.input[end - 1])) end--;
      }
      if (end > this.start) {
        const keep = this.pos;
        this.pos = end;
        this.emit('text');
        this.pos = keep;
      }
      this.start = this.pos;
      return this.lexLeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) this.emit('text');
    this.emit('eof');
    return undefined;
  }

  private lexLeftDelim(): State {
    this.pos += LEFT.length;
    const trim = hasLeftTrimMarker(this.input, this.pos);
    const after = trim ? TRIM_LEN : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + after)) {
      this.pos += after;
      this.start = this.pos;
      return this.lexComment;
    }
    this.emit('leftDelim');
    this.pos += after;
    this.start = this.pos;
    this.parenDepth = 0;
    return this.lexInsideAction;
  }

  private lexComment(): State {
    this.pos += LEFT_COMMENT.length;
    const x = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + RIGHT_COMMENT.length;
    const { delim, trim } = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    if (trim) this.pos += TRIM_LEN;
    this.pos += RIGHT.length;
    if (trim) while (isSpace(this.input[this.pos])) this.pos++;
    this.start = this.pos;
    return this.lexText;
  }

  private lexRightDelim(): State {
    const { trim } = this.atRightDelim();
    if (trim) {
      this.pos += TRIM_LEN;
      this.start = this.pos;
    }
    this.pos += RIGHT.length;
    this.emit('rightDelim');
    if (trim) {
      while (isSpace(this.input[this.pos])) this.pos++;
      this.start = this.pos;
    }
    return this.lexText;
  }

  private lexInsideAction(): State {
    if (this.atRightDelim().delim) {
      if (this.parenDepth === 0) return this.lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const ch = this.advance();
    if (ch === undefined) return this.errorf('unclosed action');
    if (isSpace(ch)) {
      this.pos -= ch.length;
      return this.lexSpace;
    }
    switch (ch) {
      case '=':
        this.emit('assign');
        break;
      case ':':
        if (this.advance() !== '=') return this.errorf('expected :=');
        this.emit('declare');
        break;
      case '|':
        this.emit('pipe');
        break;
      case '"':
        return this.lexQuote;
      case '`':
        return this.lexRawQuote;
      case '$':
        return this.lexVariable;
      case "'":
        return this.lexChar;
      case '(':
        this.emit('leftParen');
        this.parenDepth++;
        break;
      case ')':
        this.emit('rightParen');
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        break;
      default: {
        if (ch === '.') {
          const n = this.input[this.pos];
          if (n === undefined || n < '0' || n > '9') return this.lexField;
        }
        if (ch === '.' || ch === '+' || ch === '-' || (ch >= '0' && ch <= '9')) {
          this.pos -= ch.length;
          return this.lexNumber;
        }
        if (isAlphaNumeric(ch)) {
          this.pos -= ch.length;
          return this.lexIdentifier;
        }
        const c = ch.codePointAt(0)!;
        if (c <= 0x7f && c >= 0x20 && c !== 0x7f) {
          this.emit('char');
          break;
        }
        return this.errorf(`unrecognized character in action: ${goRune(ch)}`);
      }
    }
    return this.lexInsideAction;
  }

  private lexSpace(): State {
    let spaces = 0;
    while (isSpace(this.char())) {
      this.pos++;
      spaces++;
    }
    // A trim-marked closing delimiter starts with a space: ` -}}`.
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(RIGHT, this.pos - 1 + TRIM_LEN)) {
      this.pos--;
      if (spaces === 1) return this.lexRightDelim;
    }
    this.emit('space');
    return this.lexInsideAction;
  }

  private lexIdentifier(): State {
    while (isAlphaNumeric(this.char())) this.advance();
    const word = this.input.slice(this.start, this.pos);
    if (!this.atTerminator()) return this.errorf(`bad character ${goRune(this.char() ?? '')}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined) this.emit(kw);
    else if (word === 'true' || word === 'false') this.emit('bool');
    else this.emit('identifier');
    return this.lexInsideAction;
  }

  private lexField(): State {
    return this.lexFieldOrVariable('field');
  }

  private lexVariable(): State {
    if (this.atTerminator()) {
      this.emit('variable');
      return this.lexInsideAction;
    }
    return this.lexFieldOrVariable('variable');
  }

  private lexFieldOrVariable(type: 'field' | 'variable'): State {
    if (this.atTerminator()) {
      this.emit(type === 'variable' ? 'variable' : 'dot');
      return this.lexInsideAction;
    }
    while (isAlphaNumeric(this.char())) this.advance();
    if (!this.atTerminator()) return this.errorf(`bad character ${goRune(this.char() ?? '')}`);
    this.emit(type);
    return this.lexInsideAction;
  }

  /** atTerminator: what may follow an identifier. `.X.Y` splits in two; `$x+2` is an error. */
  private atTerminator(): boolean {
    const ch = this.char();
    if (ch === undefined || isSpace(ch)) return true;
    if ('.,|:()='.includes(ch)) return true;
    return this.input.startsWith(RIGHT[0]!, this.pos);
  }

  private lexChar(): State {
    for (;;) {
      const ch = this.advance();
      if (ch === '\\') {
        const n = this.advance();
        if (n !== undefined && n !== '\n') continue;
        return this.errorf('unterminated character constant');
      }
      if (ch === undefined || ch === '\n') return this.errorf('unterminated character constant');
      if (ch === "'") break;
    }
    this.emit('charConstant');
    return this.lexInsideAction;
  }

  private lexNumber(): State {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    const sign = this.char();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      this.emit('complex');
    } else {
      this.emit('number');
    }
    return this.lexInsideAction;
  }

  private accept(valid: string): boolean {
    const ch = this.char();
    if (ch !== undefined && valid.includes(ch)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.char())) {
      this.advance();
      return false;
    }
    return true;
  }

  private lexQuote(): State {
    for (;;) {
      const ch = this.advance();
      if (ch === '\\') {
        const n = this.advance();
        if (n !== undefined && n !== '\n') continue;
        return this.errorf('unterminated quoted string');
      }
      if (ch === undefined || ch === '\n') return this.errorf('unterminated quoted string');
      if (ch === '"') break;
    }
    this.emit('string');
    return this.lexInsideAction;
  }

  private lexRawQuote(): State {
    for (;;) {
      const ch = this.advance();
      if (ch === undefined) return this.errorf('unterminated raw quoted string');
      if (ch === '`') break;
    }
    this.emit('rawString');
    return this.lexInsideAction;
  }
}
