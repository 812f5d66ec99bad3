import { describe, expect, it } from 'vitest';
import { combineProviders } from '../../../collectors/discovery/combine.js';
import type { TargetGroup, TargetProvider } from '../../../collectors/discovery/provider.js';
import { Labels } from '../../../model/labels.js';

/** manual is a provider the test drives by hand. */
function manual(): TargetProvider & { push(groups: TargetGroup[]): void; subscribed: number } {
  const subs = new Set<(g: readonly TargetGroup[]) => void>();
  return {
    subscribed: 0,
    subscribe(fn) {
      subs.add(fn);
      this.subscribed = subs.size;
      return () => {
        subs.delete(fn);
        this.subscribed = subs.size;
      };
    },
    push(groups) {
      for (const s of subs) s(groups);
    },
  };
}

const group = (source: string, address: string): TargetGroup => ({ source, targets: [Labels.from({ __address__: address })], labels: Labels.EMPTY });

describe('combineProviders', () => {
  it("sends every provider's current groups together, sources kept apart", () => {
    const a = manual();
    const b = manual();
    const seen: (readonly TargetGroup[])[] = [];
    const stop = combineProviders([a, b]).subscribe((g) => seen.push(g));
    a.push([group('static/0', 'h:1')]);
    b.push([group('pod/ns/p', '10.0.0.1:80')]);
    b.push([]);
    expect(seen.map((g) => g.map((x) => x.source))).toEqual([['0/static/0'], ['0/static/0', '1/pod/ns/p'], ['0/static/0']]);
    stop();
    expect([a.subscribed, b.subscribed]).toEqual([0, 0]);
  });

  it('is the provider itself when there is only one', () => {
    const a = manual();
    expect(combineProviders([a])).toBe(a);
  });
});
