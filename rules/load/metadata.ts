import type { Field, ObjectReader } from '../../util/yamlreader.js';
import type { SourceRef } from '../model.js';
import { decodeLabels, sourceOf } from './rulecheck.js';

/** VIGIL_API_VERSION is the apiVersion of vigil's own rule-file kinds. */
export const VIGIL_API_VERSION = 'vigil/v1';

/** DocumentMetadata is a vigil/v1 document's `metadata`: its name and labels. */
export interface DocumentMetadata {
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * openDocument opens a vigil/v1 document's top level (`apiVersion`, `kind`, `metadata`, `spec`)
 * and its metadata (`name`, `labels`). `nameRequired` makes `metadata.name` required.
 */
export function openDocument(
  root: Field,
  nameRequired: boolean,
): { doc: ObjectReader; metadata: DocumentMetadata; spec: Field } | undefined {
  const doc = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (doc === undefined) return undefined;
  if (nameRequired) doc.require('metadata');
  doc.require('spec');
  const m = doc.get('metadata').object(['name', 'labels']);
  let name: string | undefined;
  if (m !== undefined) {
    if (nameRequired) m.require('name');
    const nameField = m.get('name');
    name = nameField.string();
    if (name === '') nameField.expected('a non-empty name');
  }
  const labels = m === undefined ? {} : (decodeLabels(m.get('labels')) ?? {});
  return { doc, metadata: { name: name === '' ? undefined : name, labels }, spec: doc.get('spec') };
}

/** decodeGroupRef reads `spec.group` and `spec.interval`: the group a rule document joins. */
export function decodeGroupRef(spec: ObjectReader, root: Field): { group: string | undefined; intervalMs: number | undefined; groupSource: SourceRef } {
  const g = spec.get('group');
  let group = g.string();
  if (group === '') {
    g.expected('a non-empty group name');
    group = undefined;
  }
  const i = spec.get('interval');
  let intervalMs = i.duration();
  if (intervalMs !== undefined && intervalMs <= 0) {
    i.expected('a duration greater than 0');
    intervalMs = undefined;
  }
  return { group, intervalMs, groupSource: sourceOf(spec.has('interval') ? i : spec.has('group') ? g : root) };
}
