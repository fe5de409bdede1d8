// Server-side printing: the Table kube-apiserver returns when kubectl asks
// for `as=Table`. Columns and cells follow pkg/printers/internalversion; the
// server always prints the wide columns (priority 1) and kubectl hides them
// unless `-o wide`.
//
// Each row carries its object as the request asks with `includeObject`:
// Metadata (the default, and what `kubectl get` gets: it sends no
// includeObject unless sorting with --sort-by, which asks for Object) gives a
// PartialObjectMetadata, Object the object itself, None a null object.

import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { deployments, replicasets } from './apps.ts';
import { cronjobs, jobs } from './batch.ts';
import { AGE, NAME } from './columns.ts';
import { configmaps, leases, namespaces, secrets, serviceaccounts } from './core.ts';
import { since } from './duration.ts';
import { events } from './events.ts';
import { horizontalpodautoscalers } from './hpa.ts';
import { ingressclasses, ingresses } from './networking.ts';
import { nodes } from './nodes.ts';
import { pods } from './pods.ts';
import { endpoints, endpointslices, services } from './services.ts';
import type { ColumnDefinition, Printer, TableRow } from './types.ts';

export type { ColumnDefinition, TableRow, TableRowCondition } from './types.ts';

export type IncludeObject = 'Object' | 'Metadata' | 'None';

// Keyed by "group/resource" ("" for core); every version of a resource prints alike.
const PRINTERS: Record<string, Printer> = {
  '/pods': pods,
  '/configmaps': configmaps,
  '/secrets': secrets,
  '/services': services,
  '/endpoints': endpoints,
  '/events': events,
  '/serviceaccounts': serviceaccounts,
  '/namespaces': namespaces,
  '/nodes': nodes,
  'apps/deployments': deployments,
  'apps/replicasets': replicasets,
  'batch/jobs': jobs,
  'batch/cronjobs': cronjobs,
  'networking.k8s.io/ingresses': ingresses,
  'networking.k8s.io/ingressclasses': ingressclasses,
  'coordination.k8s.io/leases': leases,
  'autoscaling/horizontalpodautoscalers': horizontalpodautoscalers,
  'events.k8s.io/events': events,
  'discovery.k8s.io/endpointslices': endpointslices,
};

/** Any other resource: its name and age. */
const NAME_AND_AGE: Printer = {
  columns: [NAME, AGE],
  print: (obj: { metadata?: ObjectMeta }, now) => ({ cells: [obj.metadata?.name ?? '', since(obj.metadata?.creationTimestamp, now)] }),
};

function rowObject(obj: { metadata?: ObjectMeta }, include: IncludeObject): unknown {
  switch (include) {
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    case 'None':
      return null;
  }
}

/** The columns and rows of a Table of objects (stored JSON) of group/resource. */
export function printTable(
  group: string,
  resource: string,
  objects: readonly object[],
  opts: { now: Date; includeObject: IncludeObject },
): { columnDefinitions: ColumnDefinition[]; rows: TableRow[] } {
  const printer = PRINTERS[`${group}/${resource}`] ?? NAME_AND_AGE;
  const print = printer.print as (obj: object, now: Date) => ReturnType<Printer['print']>;
  return {
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((obj) => {
      const { cells, conditions } = print(obj, opts.now);
      return { cells, ...(conditions ? { conditions } : {}), object: rowObject(obj, opts.includeObject) };
    }),
  };
}
