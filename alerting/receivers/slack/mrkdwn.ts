/**
 * Slack mrkdwn helpers. Slack parses `&`, `<` and `>` as control characters in every mrkdwn
 * text (`<!channel>` pings a channel, `<url|text>` is a link), so any value that comes from an
 * alert is escaped before it is placed in one: an annotation can neither ping anyone nor forge a
 * link. Formatting characters (`*`, `_`, `~`, backticks) have no escape in mrkdwn and are left.
 */

const ELLIPSIS = '…';

/** escape makes a value literal inside mrkdwn: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. */
export function escape(value: string): string {
  return value.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * safeURL returns the URL as it may stand inside `<...|...>`, or undefined when it is not an
 * absolute http(s) URL (a relative runbook path would become a broken link). Characters that
 * would end the link early are percent-encoded and `&` is escaped, as Slack asks.
 */
export function safeURL(url: string): string | undefined {
  const u = url.trim();
  if (!/^https?:\/\/[^\s/]/i.test(u)) return undefined;
  return u.replace(/[|<>\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).replace(/&/g, '&amp;');
}

/** link renders `<url|label>`, or the escaped label alone when the URL is not usable. */
export function link(url: string, label: string): string {
  const u = safeURL(url);
  const text = escape(label).replace(/\|/g, '¦');
  return u === undefined ? text : `<${u}|${text}>`;
}

/**
 * truncate shortens text to at most `max` UTF-16 units, ending in `…`. It never splits a
 * surrogate pair, an entity (`&amp;`) or a link / mention (`<...>`), so truncated mrkdwn still
 * renders; it works as well on plain text.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // a high surrogate whose pair would be cut off
  const open = text.lastIndexOf('<', cut - 1);
  const close = open < 0 ? -1 : text.indexOf('>', open);
  if (open >= 0 && (close < 0 || close >= cut)) cut = open;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp <= 5 && !text.slice(amp, cut).includes(';') && /^&(amp|lt|gt);/.test(text.slice(amp, amp + 5))) cut = amp;
  return text.slice(0, cut) + ELLIPSIS;
}
