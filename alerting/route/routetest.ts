import { Labels } from '../../model/labels.js';
import { formatDuration } from '../../util/duration.js';
import { MatcherParseError, parseMatcher } from '../config/matchers.js';
import { formatMatchingTree } from './tree.js';
import type { Route } from './types.js';

/** LabelArgError is a command-line label that is not `name=value`. */
export class LabelArgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelArgError';
  }
}

/**
 * parseLabelArgs reads `name=value` arguments as amtool 0.25 does: each is parsed as one matcher
 * (so values may be quoted, with `\"`, `\n` and `\\` escapes) and must use `=`; a later name wins.
 * An empty value is an absent label.
 */
export function parseLabelArgs(args: readonly string[]): Labels {
  const pairs: [string, string][] = [];
  for (const arg of args) {
    let m;
    try {
      m = parseMatcher(arg);
    } catch (err) {
      if (err instanceof MatcherParseError) throw new LabelArgError(`Failed to parse labels: ${err.message}`);
      throw err;
    }
    if (m.type !== '=') throw new LabelArgError(`Failed to parse labels: labels must be specified as key=value pairs (got ${JSON.stringify(arg)})`);
    pairs.push([m.name, m.value]);
  }
  return Labels.from(pairs);
}

/** RouteTestResult is what `route-test` prints on standard output and whether the check passed. */
export interface RouteTestResult {
  readonly receivers: string[];
  readonly routes: Route[];
  readonly stdout: string;
  readonly verified: boolean;
}

export const VERIFY_MISMATCH = 'WARNING: Expected receivers did not match resolved receivers.\n';

/**
 * routeTest routes `labels` through the tree and renders amtool 0.25's `config routes test`
 * standard output: with `tree`, "Matching routes:", the matching tree and a blank line; then the
 * receivers of the matched routes joined by commas, in tree order with duplicates; then, when
 * `verify` is set and differs from that line, the mismatch warning.
 */
export function routeTest(root: Route, labels: Labels, opts: { readonly tree?: boolean; readonly verify?: string } = {}): RouteTestResult {
  const routes = root.match(labels);
  const receivers = routes.map((r) => r.opts.receiver);
  let stdout = opts.tree === true ? `Matching routes:\n${formatMatchingTree(root, labels)}\n\n` : '';
  const line = receivers.join(',');
  stdout += `${line}\n`;
  const verified = opts.verify === undefined || opts.verify === '' || opts.verify === line;
  if (!verified) stdout += VERIFY_MISMATCH;
  return { receivers, routes, stdout, verified };
}

/** routeJSON is one matched route as `route-test --json` prints it; durations as in the config. */
export function routeJSON(r: Route): Record<string, unknown> {
  return {
    receiver: r.opts.receiver,
    key: r.key,
    groupBy: r.opts.groupBy,
    groupByAll: r.opts.groupByAll,
    groupWait: formatDuration(r.opts.groupWait),
    groupInterval: formatDuration(r.opts.groupInterval),
    repeatInterval: formatDuration(r.opts.repeatInterval),
    muteTimeIntervals: r.opts.muteTimeIntervals,
    activeTimeIntervals: r.opts.activeTimeIntervals,
    continue: r.continue,
  };
}
