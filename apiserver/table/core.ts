// `kubectl get` for the kinds whose columns are counts or one field:
// configmaps, secrets, serviceaccounts, namespaces, leases.

import type { ConfigMap, Namespace, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { AGE, column, NAME } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer } from './types.ts';

const count = (map: Readonly<Record<string, unknown>> | undefined): number => Object.keys(map ?? {}).length;

export const configmaps: Printer = {
  columns: [NAME, column('Data', 'string', DOC['ConfigMap.data']), AGE],
  print: (cm: ConfigMap, now) => ({
    cells: [cm.metadata?.name ?? '', count(cm.data) + count(cm.binaryData), since(cm.metadata?.creationTimestamp, now)],
  }),
};

export const secrets: Printer = {
  columns: [NAME, column('Type', 'string', DOC['Secret.type']), column('Data', 'string', DOC['Secret.data']), AGE],
  // stringData is written into data; a key in both counts once.
  print: (s: Secret, now) => ({
    cells: [
      s.metadata?.name ?? '',
      s.type ?? '',
      new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]).size,
      since(s.metadata?.creationTimestamp, now),
    ],
  }),
};

export const serviceaccounts: Printer = {
  columns: [NAME, column('Secrets', 'string', DOC['ServiceAccount.secrets']), AGE],
  print: (sa: ServiceAccount, now) => ({
    cells: [sa.metadata?.name ?? '', sa.secrets?.length ?? 0, since(sa.metadata?.creationTimestamp, now)],
  }),
};

export const namespaces: Printer = {
  columns: [NAME, column('Status', 'string', 'The status of the namespace'), AGE],
  print: (ns: Namespace, now) => ({
    cells: [ns.metadata?.name ?? '', ns.status?.phase ?? '', since(ns.metadata?.creationTimestamp, now)],
  }),
};

export const leases: Printer = {
  columns: [NAME, column('Holder', 'string', DOC['LeaseSpec.holderIdentity']), AGE],
  print: (lease: Lease, now) => ({
    cells: [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', since(lease.metadata?.creationTimestamp, now)],
  }),
};
