// Models the API documents need beyond the kinds themselves: the list kind
// of each resource, the PATCH body and the watch event.

import { model, p, t, typeMeta, type Model } from '../schema/dsl.ts';
import { ListMeta } from '../schema/meta.ts';
import { RESOURCES, type ResourceInfo } from '../kinds.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const Patch: Model = model(
  `${META}Patch`,
  'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  {},
);

const groupVersions = [...new Map(RESOURCES.map((r) => [`${r.group}/${r.version}`, r])).values()];

export const WatchEvent: Model = model(
  `${META}WatchEvent`,
  'Event represents a single event to a watched resource.',
  {
    type: p(undefined, t.string(), 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', { required: true }),
    object: p(
      undefined,
      t.any(),
      'The object: its new state for ADDED and MODIFIED, its last state for DELETED, a Status for ERROR.',
      { required: true },
    ),
  },
  { gvk: groupVersions.map((r) => ({ group: r.group, version: r.version, kind: 'WatchEvent' })) },
);

const lists = new WeakMap<Model, Model>();

/** "<Kind>List" of a resource: items and list metadata. */
export function listModel(r: ResourceInfo): Model {
  let m = lists.get(r.model);
  if (!m) {
    const item = r.model;
    m = model(
      `${item.name}List`,
      `${r.listKind} is a list of ${r.kind} objects.`,
      {
        ...typeMeta(),
        metadata: p(1, t.ref(() => ListMeta), 'Standard list metadata.'),
        items: p(2, t.array(t.ref(() => item)), `The ${r.kind} objects.`, { required: true }),
      },
      { gvk: [{ group: r.group, version: r.version, kind: r.listKind }] },
    );
    lists.set(r.model, m);
  }
  return m;
}
