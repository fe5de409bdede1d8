// Which fields a write through an endpoint can own (upstream's "reset
// fields" of each strategy): the main resource of a kind with a status
// subresource never owns status (the registry resets it), a namespace's
// spec.finalizers belong to its finalize subresource, and a subresource
// write owns only what that subresource changes. Owned sets and diffs are
// filtered through the scope, so fields the registry would reset neither
// conflict nor change hands.

import { FieldSet } from './field-set.ts';
import { fieldElement } from './path-element.ts';
import type { Path } from './path-element.ts';

export interface OwnershipScope {
  filter(set: FieldSet): FieldSet;
}

export type Subresource = 'status' | 'scale' | 'finalize';

const STATUS: Path = [fieldElement('status')];
const SPEC_FINALIZERS: Path = [fieldElement('spec'), fieldElement('finalizers')];
const SUBRESOURCE_FIELDS: Record<Subresource, Path> = {
  status: STATUS,
  scale: [fieldElement('spec'), fieldElement('replicas')],
  finalize: SPEC_FINALIZERS,
};

export function ownershipScope(resource: { group: string; resource: string; subresources: readonly string[] }, subresource?: Subresource): OwnershipScope {
  if (subresource) {
    const prefix = SUBRESOURCE_FIELDS[subresource];
    return { filter: (set) => set.onlyUnder(prefix) };
  }
  const excluded = new FieldSet();
  if (resource.subresources.includes('status')) excluded.insert(STATUS);
  if (resource.group === '' && resource.resource === 'namespaces') excluded.insert(SPEC_FINALIZERS);
  return { filter: (set) => (excluded.isEmpty() ? set : set.recursiveDifference(excluded)) };
}
