// Cluster IPs and node ports for Services, allocated as the API server does
// at create time. Each allocated IP or port is a key in the store
// (/registry/ranges/...), so two concurrent creates can never get the same
// one: creating the key is the compare-and-set. Keys whose Service is gone
// (a crash between allocation and the Service write) are released by repair().

import type { Store } from '../../store/types.ts';
import { StoreError } from '../../store/errors.ts';
import type { FieldError } from '../../api/field-error.ts';
import { isObject, type KObject } from './object.ts';

export const SERVICE_CIDR = { base: [10, 96, 0, 0] as const, size: 1 << 16 };
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

const IP_PREFIX = '/registry/ranges/serviceips/';
const PORT_PREFIX = '/registry/ranges/servicenodeports/';
const SERVICES_PREFIX = '/registry/core/services/';

function ipAt(offset: number): string {
  const b = SERVICE_CIDR.base;
  const n = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) + offset;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The offset of a canonically written IPv4 address in the range, or undefined. */
function offsetOf(ip: string): number | undefined {
  if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(ip)) return undefined;
  const p = ip.split('.').map(Number);
  if (p.some((x) => x > 255)) return undefined;
  const b = SERVICE_CIDR.base;
  const n = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
  const base = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  return n >= base && n < base + SERVICE_CIDR.size ? n - base : undefined;
}

export class AllocationError extends Error {
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => e.detail).join('; '));
  }
}

type Spec = Record<string, unknown> & { ports?: Record<string, unknown>[] };

function specOf(svc: KObject): Spec {
  if (!isObject(svc.spec)) svc.spec = {};
  return svc.spec as Spec;
}

function wantsNodePorts(spec: Spec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function wantsClusterIp(spec: Spec): boolean {
  return spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
}

function nodePortsOf(spec: Spec): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number' && p !== 0);
}

/**
 * The allocations of one write attempt. Keys it claimed are released by
 * rollback() when the write fails or loses a race; keys the object gives up
 * are released by commit() only once the write has succeeded, so a failed
 * write never leaves the stored object with addresses nobody owns.
 */
export class Allocation {
  readonly claimed: string[] = [];
  readonly dropped: string[] = [];

  constructor(private readonly store: Store) {}

  async commit(): Promise<void> {
    for (const k of this.dropped) await this.store.delete(k).catch(() => {});
  }

  async rollback(): Promise<void> {
    for (const k of this.claimed) await this.store.delete(k).catch(() => {});
  }
}

export class ServiceAllocator {
  constructor(private readonly store: Store) {}

  /** Fills spec.clusterIP(s) and node ports of a new Service. */
  async allocate(svc: KObject, owner: string): Promise<Allocation> {
    const spec = specOf(svc);
    const tx = new Allocation(this.store);
    try {
      if (spec.type !== 'ExternalName' && spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      if (wantsClusterIp(spec)) await this.allocateIp(spec, owner, tx);
      await this.allocateNodePorts(spec, owner, tx);
    } catch (e) {
      await tx.rollback();
      throw e;
    }
    return tx;
  }

  /**
   * On update, before validation: what the user left out of an update keeps
   * what was allocated (cluster IPs, and the node port of each port that
   * still needs one), as Kubernetes does for `kubectl apply`.
   */
  carryOver(svc: KObject, old: KObject): void {
    const spec = specOf(svc);
    const oldSpec = specOf(old);
    if (spec.type !== 'ExternalName') {
      for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies'] as const) if (spec[f] === undefined && oldSpec[f] !== undefined) spec[f] = oldSpec[f];
    }
    if (!wantsNodePorts(spec)) return;
    for (const p of spec.ports ?? []) {
      if (p.nodePort !== undefined) continue;
      const prev = (oldSpec.ports ?? []).find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (typeof prev?.nodePort === 'number') p.nodePort = prev.nodePort;
    }
  }

  /** On update, after validation: the cluster IP and node ports follow the Service's type and ports. */
  async reallocate(svc: KObject, old: KObject, owner: string): Promise<Allocation> {
    const spec = specOf(svc);
    const oldSpec = specOf(old);
    const tx = new Allocation(this.store);
    try {
      const oldIp = typeof oldSpec.clusterIP === 'string' && oldSpec.clusterIP && oldSpec.clusterIP !== 'None' ? oldSpec.clusterIP : undefined;
      if (!wantsClusterIp(spec)) {
        if (oldIp) tx.dropped.push(IP_PREFIX + oldIp);
        if (spec.type === 'ExternalName') {
          delete spec.clusterIP;
          delete spec.clusterIPs;
        }
      } else if (!oldIp || spec.clusterIP !== oldIp) {
        if (oldIp) tx.dropped.push(IP_PREFIX + oldIp);
        await this.allocateIp(spec, owner, tx);
      }
      if (!wantsNodePorts(spec)) for (const p of spec.ports ?? []) delete p.nodePort;
      else await this.allocateNodePorts(spec, owner, tx);
      const kept = new Set(nodePortsOf(spec));
      for (const p of nodePortsOf(oldSpec)) if (!kept.has(p)) tx.dropped.push(PORT_PREFIX + p);
    } catch (e) {
      await tx.rollback();
      throw e;
    }
    return tx;
  }

  /** Frees everything a deleted Service held. */
  async release(svc: KObject): Promise<void> {
    const spec = specOf(svc);
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' && spec.clusterIP) await this.store.delete(IP_PREFIX + spec.clusterIP).catch(() => {});
    for (const p of nodePortsOf(spec)) await this.store.delete(PORT_PREFIX + p).catch(() => {});
  }

  /** Releases allocations whose Service no longer exists. */
  async repair(): Promise<void> {
    const services = await this.store.list(SERVICES_PREFIX);
    const owners = new Set(services.items.map((kv) => kv.key));
    for (const prefix of [IP_PREFIX, PORT_PREFIX]) {
      const allocations = await this.store.list(prefix);
      for (const kv of allocations.items) if (!owners.has(kv.value)) await this.store.delete(kv.key, kv.modRevision).catch(() => {});
    }
  }

  /** Claims key for owner: 'new' if this call took it, 'owned' if owner already held it, 'taken' if someone else does. */
  private async claim(key: string, owner: string): Promise<'new' | 'owned' | 'taken'> {
    try {
      await this.store.create(key, owner);
      return 'new';
    } catch (e) {
      if (e instanceof StoreError && e.code === 'KeyExists') return (await this.store.get(key))?.value === owner ? 'owned' : 'taken';
      throw e;
    }
  }

  /** Claims key; a key the owner already holds counts only where it is named explicitly (never for a free pick). */
  private async take(key: string, owner: string, tx: Allocation, allowOwned: boolean): Promise<boolean> {
    const r = await this.claim(key, owner);
    if (r === 'new') tx.claimed.push(key);
    return r === 'new' || (allowOwned && r === 'owned');
  }

  private async allocateIp(spec: Spec, owner: string, tx: Allocation): Promise<void> {
    const wanted = typeof spec.clusterIP === 'string' && spec.clusterIP ? spec.clusterIP : undefined;
    let ip: string | undefined;
    if (wanted) {
      const offset = offsetOf(wanted);
      // The range's network and broadcast addresses are never handed out.
      if (offset === undefined || offset === 0 || offset === SERVICE_CIDR.size - 1) {
        throw new AllocationError([
          {
            type: 'FieldValueInvalid',
            field: 'spec.clusterIPs',
            value: [wanted],
            detail: `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR.base.join('.')}/16`,
          },
        ]);
      }
      if (!(await this.take(IP_PREFIX + wanted, owner, tx, true))) {
        throw new AllocationError([{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [wanted], detail: `failed to allocate IP ${wanted}: provided IP is already allocated` }]);
      }
      ip = wanted;
    } else {
      // Offsets 0 (network), 1 (the `kubernetes` Service) and the broadcast address are never picked.
      const span = SERVICE_CIDR.size - 3;
      const start = Math.floor(Math.random() * span);
      for (let i = 0; i < span && !ip; i++) {
        const candidate = ipAt(2 + ((start + i) % span));
        if (await this.take(IP_PREFIX + candidate, owner, tx, false)) ip = candidate;
      }
      if (!ip) throw new AllocationError([{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [], detail: 'failed to allocate a serviceIP: range is full' }]);
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies ??= ['IPv4'];
  }

  /** Gives every port of a Service that needs node ports one: the one it names, or a free one. */
  private async allocateNodePorts(spec: Spec, owner: string, tx: Allocation): Promise<void> {
    if (!wantsNodePorts(spec)) return;
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
        if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
          throw new AllocationError([
            {
              type: 'FieldValueInvalid',
              field: `spec.ports[${i}].nodePort`,
              value: p.nodePort,
              detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
            },
          ]);
        }
        if (!(await this.take(PORT_PREFIX + p.nodePort, owner, tx, true))) {
          throw new AllocationError([{ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: 'provided port is already allocated' }]);
        }
        continue;
      }
      const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
      const start = Math.floor(Math.random() * span);
      let got: number | undefined;
      for (let k = 0; k < span && got === undefined; k++) {
        const port = NODE_PORT_RANGE.min + ((start + k) % span);
        if (await this.take(PORT_PREFIX + port, owner, tx, false)) got = port;
      }
      if (got === undefined) throw new AllocationError([{ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: 0, detail: 'range is full' }]);
      p.nodePort = got;
    }
  }
}
