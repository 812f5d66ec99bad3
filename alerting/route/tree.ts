import type { Labels } from '../../model/labels.js';
import { formatMatchers } from '../config/matchers.js';
import { matchesAll } from './route.js';
import type { Route } from './types.js';

/**
 * The ASCII trees amtool 0.25 prints (cli/routing.go over github.com/xlab/treeprint), byte for
 * byte: a "." root line, then one line per node with `├── ` or `└── ` after the ancestors'
 * `│` + two no-break spaces + space (or four spaces under a last child).
 */

/** TreeNode is one line of a tree and the lines under it. */
export interface TreeNode {
  readonly value: string;
  readonly children: readonly TreeNode[];
}

/** renderTree renders like treeprint's String(): ".\n" and one "\n"-terminated line per node. */
export function renderTree(nodes: readonly TreeNode[]): string {
  let out = '.\n';
  const walk = (list: readonly TreeNode[], prefix: string): void => {
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      out += `${prefix}${last ? '└── ' : '├── '}${n.value}\n`;
      walk(n.children, prefix + (last ? '    ' : '│\u00a0\u00a0 '));
    });
  };
  walk(nodes, '');
  return out;
}

/** routeSlug is a node's text: its matchers (or "default-route"), then `continue`, then the receiver. */
export function routeSlug(route: Route, opts: { readonly showContinue: boolean; readonly showReceiver: boolean }): string {
  let s = route.matchers.length === 0 ? 'default-route' : formatMatchers(route.matchers);
  if (route.continue && opts.showContinue) s += '  continue: true';
  if (opts.showReceiver) s += `  receiver: ${route.opts.receiver}`;
  return s;
}

/** formatRouteTree is the tree `amtool config routes show` prints after "Routing tree:". */
export function formatRouteTree(root: Route): string {
  const node = (r: Route): TreeNode => ({ value: routeSlug(r, { showContinue: true, showReceiver: true }), children: r.routes.map(node) });
  return renderTree([node(root)]);
}

/**
 * formatMatchingTree is the tree `amtool config routes test --tree` prints after "Matching
 * routes:": the path to every matched node, receivers shown on the nodes that matched (the ones
 * Route.match returns). Assumes the root's matchers match, as they do (the root has none).
 */
export function formatMatchingTree(root: Route, labels: Labels): string {
  const node = (r: Route): TreeNode => {
    const children: TreeNode[] = [];
    for (const child of r.routes) {
      if (!matchesAll(child.matchers, labels)) continue;
      children.push(node(child));
      if (!child.continue) break;
    }
    return { value: routeSlug(r, { showContinue: false, showReceiver: children.length === 0 }), children };
  };
  return renderTree([node(root)]);
}
