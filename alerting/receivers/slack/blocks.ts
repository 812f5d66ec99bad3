import { truncate } from './mrkdwn.js';

/**
 * The Block Kit subset vigil's messages use, and Slack's limits on it (characters, as
 * UTF-16 units, which never undercounts Slack's own count). A message over a limit is refused
 * whole (`invalid_blocks`, `msg_blocks_too_long`), so the constructors truncate to the limit
 * rather than trust their input.
 */

export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji: true;
}

export interface Mrkdwn {
  readonly type: 'mrkdwn';
  readonly text: string;
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainText;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly text: Mrkdwn;
}

export interface ContextBlock {
  readonly type: 'context';
  readonly elements: readonly Mrkdwn[];
}

export type Block = HeaderBlock | SectionBlock | ContextBlock;

/** SLACK_LIMITS are Slack's documented caps, plus the observed cumulative one (bolt-js#2509). */
export const SLACK_LIMITS = {
  /** blocks per message. */
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  contextElements: 10,
  /**
   * blocksChars: vigil's cap on `JSON.stringify(blocks).length`. Slack refuses a message with
   * `msg_blocks_too_long` at about 13k characters of block text plus some container overhead;
   * 12k of JSON stays under that however Slack counts.
   */
  blocksChars: 12_000,
  /** text: top-level `text` (Slack truncates beyond 40k; vigil keeps the fallback short). */
  text: 3000,
} as const;

/** header is a header block; the text is plain (Slack shows `&` and `<` as typed) and cut at 150. */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText) || '-', emoji: true } };
}

/** section is a mrkdwn section, cut at `max` (at most 3000); the caller escapes alert values. */
export function section(mrkdwn: string, max: number = SLACK_LIMITS.sectionText): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, Math.min(max, SLACK_LIMITS.sectionText)) } };
}

/** context is a context block of mrkdwn elements (empty ones dropped, at most 10, each cut at 3000). */
export function context(...mrkdwn: string[]): ContextBlock {
  const elements = mrkdwn
    .filter((t) => t !== '')
    .slice(0, SLACK_LIMITS.contextElements)
    .map((t): Mrkdwn => ({ type: 'mrkdwn', text: truncate(t, SLACK_LIMITS.sectionText) }));
  return { type: 'context', elements };
}

/** size is what a block adds to the blocks' JSON length (with its separating comma). */
export function size(block: Block): number {
  return JSON.stringify(block).length + 1;
}
