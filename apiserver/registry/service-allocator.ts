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

function inCidr(ip: string): boolean {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return false;
  const b = SERVICE_CIDR.base;
  const n = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
  const base = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  return n >= base && n < base + SERVICE_CIDR.size;
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
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

export class ServiceAllocator {
  constructor(private readonly store: Store) {}

  /** Fills spec.clusterIP(s) and node ports of a new Service; returns what to release if the create fails. */
  async allocate(svc: KObject, owner: string): Promise<() => Promise<void>> {
    const spec = specOf(svc);
    const taken: string[] = [];
    const release = async () => {
      for (const k of taken) await this.store.delete(k).catch(() => {});
    };
    try {
      if (spec.type !== 'ExternalName') {
        if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
        else {
          const ip = typeof spec.clusterIP === 'string' && spec.clusterIP ? spec.clusterIP : undefined;
          const got = await this.allocateIp(ip, owner);
          taken.push(IP_PREFIX + got);
          spec.clusterIP = got;
          spec.clusterIPs = [got];
          spec.ipFamilies ??= ['IPv4'];
        }
      }
      taken.push(...(await this.allocateNodePorts(spec, owner, new Set())));
    } catch (e) {
      await release();
      throw e;
    }
    return release;
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

  /** On update, after validation: node ports follow the Service type and ports. */
  async reallocate(svc: KObject, old: KObject, owner: string): Promise<void> {
    const spec = specOf(svc);
    const oldPorts = new Set((specOf(old).ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number'));
    if (!wantsNodePorts(spec)) for (const p of spec.ports ?? []) delete p.nodePort;
    else await this.allocateNodePorts(spec, owner, oldPorts);
    const kept = new Set((spec.ports ?? []).map((p) => p.nodePort));
    for (const p of oldPorts) if (!kept.has(p)) await this.store.delete(PORT_PREFIX + p).catch(() => {});
  }

  async release(svc: KObject): Promise<void> {
    const spec = specOf(svc);
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' && spec.clusterIP) await this.store.delete(IP_PREFIX + spec.clusterIP).catch(() => {});
    for (const p of spec.ports ?? []) if (typeof p.nodePort === 'number') await this.store.delete(PORT_PREFIX + p.nodePort).catch(() => {});
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

  private async claim(key: string, owner: string): Promise<boolean> {
    try {
      await this.store.create(key, owner);
      return true;
    } catch (e) {
      if (e instanceof StoreError && e.code === 'KeyExists') {
        const kv = await this.store.get(key);
        return kv?.value === owner;
      }
      throw e;
    }
  }

  private async allocateIp(wanted: string | undefined, owner: string): Promise<string> {
    if (wanted) {
      if (!inCidr(wanted)) {
        throw new AllocationError([
          { type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [wanted], detail: `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR.base.join('.')}/16` },
        ]);
      }
      if (!(await this.claim(IP_PREFIX + wanted, owner))) {
        throw new AllocationError([{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [wanted], detail: `failed to allocate IP ${wanted}: provided IP is already allocated` }]);
      }
      return wanted;
    }
    // Offsets 0 (network) and 1 (the `kubernetes` Service) are never handed out.
    const span = SERVICE_CIDR.size - 3;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const ip = ipAt(2 + ((start + i) % span));
      if (await this.claim(IP_PREFIX + ip, owner)) return ip;
    }
    throw new AllocationError([{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', value: [], detail: 'failed to allocate a serviceIP: range is full' }]);
  }

  /** Gives every port of a NodePort/LoadBalancer Service a node port; returns the keys it claimed. */
  private async allocateNodePorts(spec: Spec, owner: string, alreadyOwned: Set<number>): Promise<string[]> {
    if (!wantsNodePorts(spec)) return [];
    const claimed: string[] = [];
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
        if (alreadyOwned.has(p.nodePort)) continue;
        if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
          throw new AllocationError([
            { type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}` },
          ]);
        }
        if (!(await this.claim(PORT_PREFIX + p.nodePort, owner))) {
          throw new AllocationError([{ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: 'provided port is already allocated' }]);
        }
        claimed.push(PORT_PREFIX + p.nodePort);
        continue;
      }
      const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
      const start = Math.floor(Math.random() * span);
      let got: number | undefined;
      for (let k = 0; k < span && got === undefined; k++) {
        const port = NODE_PORT_RANGE.min + ((start + k) % span);
        if (await this.claim(PORT_PREFIX + port, owner)) got = port;
      }
      if (got === undefined) throw new AllocationError([{ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: 0, detail: 'range is full' }]);
      p.nodePort = got;
      claimed.push(PORT_PREFIX + got);
    }
    return claimed;
  }
}
