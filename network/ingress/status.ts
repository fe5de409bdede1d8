// What the ingress controller writes to the API: its IngressClass (created
// when missing, as the cluster's default class) and the
// status.loadBalancer.ingress of every Ingress it serves (through the status
// subresource, only when it differs). On one machine the address is the one
// the ingress listens on, as k3s's Traefik behind klipper-lb reports the
// node's address.

import { ApiError } from '../../apiserver/errors.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';

type Obj = Record<string, any>;

export const CONTROLLER_NAME = 'skiff.dev/ingress';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Creates the IngressClass if it does not exist; an existing one is left as its owner set it. */
export async function ensureIngressClass(client: Client, className: string): Promise<void> {
  try {
    await client.get(R.ingressclasses, undefined, className);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 404) throw e;
    try {
      await client.create(R.ingressclasses, undefined, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: className, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
        spec: { controller: CONTROLLER_NAME },
      } as KObject);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409) throw err;
    }
  }
}

/**
 * Whether an Ingress belongs to this controller: spec.ingressClassName names
 * the class, or (without one) the legacy annotation does, or neither is set
 * and the class is the cluster's default.
 */
export function servedBy(ing: KObject, className: string, ourClass: KObject | undefined): boolean {
  const named = (ing as Obj).spec?.ingressClassName;
  if (named) return named === className;
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy !== undefined) return legacy === className;
  return ourClass?.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** Writes status.loadBalancer.ingress = [{ip: address}] when it is not that already. */
export async function syncStatus(client: Client, ing: KObject, address: string): Promise<void> {
  const current: Obj[] = (ing as Obj).status?.loadBalancer?.ingress ?? [];
  if (current.length === 1 && current[0]!.ip === address && Object.keys(current[0]!).length === 1) return;
  await client.patch(R.ingresses, ing.metadata.namespace, ing.metadata.name!, 'merge', { status: { loadBalancer: { ingress: [{ ip: address }] } } }, 'status');
}
