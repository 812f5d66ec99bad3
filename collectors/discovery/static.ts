import { Labels } from '../../model/labels.js';
import type { Field } from '../../util/yamlreader.js';
import type { TargetGroup, TargetProvider } from './provider.js';

/** StaticConfig is one `static_configs` entry: addresses and the labels they share. */
export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** decodeStaticConfigs reads `static_configs`; an address must be host:port (no scheme, no path). */
export function decodeStaticConfigs(field: Field): StaticConfig[] | undefined {
  return field.list((item) => {
    const o = item.object(['targets', 'labels']);
    if (o === undefined) return undefined;
    const targets =
      o.get('targets').list((t) => {
        const address = t.string();
        if (address === undefined) return undefined;
        if (!/^[^/\s]+:\d+$/.test(address) && !/^\[[0-9a-fA-F:.]+\]:\d+$/.test(address)) {
          return t.expected('a host:port address such as "127.0.0.1:9400" (no scheme, no path)');
        }
        return address;
      }) ?? [];
    return { targets, labels: o.get('labels').stringMap() ?? {} };
  });
}

/** staticProvider serves fixed target groups, one per `static_configs` entry. */
export function staticProvider(jobName: string, configs: readonly StaticConfig[]): TargetProvider {
  const groups: TargetGroup[] = configs.map((c, i) => ({
    source: `${jobName}/static/${i}`,
    targets: c.targets.map((address) => Labels.from({ __address__: address })),
    labels: Labels.from(c.labels),
  }));
  return {
    subscribe(onUpdate) {
      onUpdate(groups);
      return () => {};
    },
  };
}
