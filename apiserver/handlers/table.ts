// Server-side printing: when the client asks for `as=Table` (kubectl get),
// lists and watch events are answered with Kubernetes' Table rows.

import type { ResourceInfo } from '../../api/kinds.ts';
import { errors } from '../errors.ts';
import type { KObject } from '../registry/object.ts';
import { printTable } from '../table/index.ts';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((s) => s.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw errors.badRequest(`includeObject parameter unsupported: ${v}`);
}

export function toTable(
  info: ResourceInfo,
  objects: KObject[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  opts: { now: Date; includeObject: IncludeObject; noHeaders?: boolean },
) {
  const t = printTable(info.group, info.resource, objects, { now: opts.now, includeObject: opts.includeObject });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: opts.noHeaders ? [] : t.columnDefinitions,
    rows: t.rows,
  };
}
