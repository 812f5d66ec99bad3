import type { TargetGroup, TargetProvider } from './provider.js';

/**
 * combineProviders is one scrape config's providers as one (static_configs next to
 * kubernetes_sd_configs, as Prometheus lets a job list several): each update carries every
 * provider's current groups, their sources prefixed so that two providers' groups never collide.
 * Unsubscribing unsubscribes from all.
 */
export function combineProviders(providers: readonly TargetProvider[]): TargetProvider {
  if (providers.length === 1) return providers[0]!;
  return {
    subscribe(onUpdate) {
      const latest: (readonly TargetGroup[])[] = providers.map(() => []);
      const emit = () => onUpdate(latest.flatMap((groups, i) => groups.map((g) => ({ ...g, source: `${i}/${g.source}` }))));
      const stops = providers.map((p, i) =>
        p.subscribe((groups) => {
          latest[i] = groups;
          emit();
        }),
      );
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
}
