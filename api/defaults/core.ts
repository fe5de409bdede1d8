// Defaults of core/v1 Namespace, Secret, Endpoints and Node.

import type { Endpoints, Namespace, Node, Secret } from 'kubernetes-types/core/v1.js';

/**
 * Namespaces carry their name as the kubernetes.io/metadata.name label, start
 * Active, and get the "kubernetes" finalizer (the namespace controller removes
 * it once the contents are gone, so it is not re-added while deleting).
 */
export function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name;
  if (name && ns.metadata) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': name };
  if (!ns.metadata?.deletionTimestamp) {
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
  }
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}

/** Secrets are Opaque unless typed; stringData is write-only and merged into data (base64). */
export function defaultSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    secret.data ??= {};
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete secret.stringData;
  }
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) for (const port of ss.ports ?? []) port.protocol ||= 'TCP';
}

/** A node that reports capacity but no allocatable can allocate all of it. */
export function defaultNode(node: Node): void {
  if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
}
