// Registers this node and keeps it alive: creates (or takes over) the Node,
// renews its Lease in kube-node-lease every 10 s (the heartbeat the node
// lifecycle controller reads), and rewrites Node status when it changes or
// at least once a minute. Missing runtime capabilities become one Warning
// event on the Node. The Node's spec.podCIDR is this node's pod range (the
// first /24 of the cluster's pod CIDR), set once as the node IPAM
// controller would.

import { ApiError } from '../../apiserver/errors.ts';
import type { EventRecorder } from '../../client/events.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import type { Clock } from '../clock.ts';
import type { RuntimeCapabilities } from '../runtimes/types.ts';
import { machineFacts, nodeLabels, nodeObject, nodeStatus, nodeStatusChanged, type MachineFacts } from './node-status.ts';
import { rfc3339 } from '../../api/time.ts';
import { nodePodCidr } from '../../network/pod/cidr.ts';
import { DEFAULT_CLUSTER_NETWORK } from '../../network/types.ts';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;
export const STATUS_CHECK_MS = 10_000;
export const STATUS_REPORT_MS = 60_000;

export interface NodeManagerOptions {
  nodeName: string;
  dataDir: string;
  kubeletPort: number;
  skiffVersion: string;
  clock: Clock;
  recorder: EventRecorder;
  log: (msg: string, err?: unknown) => void;
  /** This node's pod range (default: the first /24 of DEFAULT_CLUSTER_NETWORK's pod CIDR). */
  podCIDR?: string;
}

const isCode = (e: unknown, code: number): boolean => e instanceof ApiError && e.code === code;

/** RFC 3339 with microseconds, as MicroTime is serialised. */
function microTime(d: Date): string {
  return rfc3339(d, 6);
}

export class NodeManager {
  private node?: KObject;
  private lastReport = 0;
  private cancelLease?: () => void;
  private cancelStatus?: () => void;
  private stopped = false;
  /** The node's allocatable, for resourceFieldRef defaults. */
  allocatable: Record<string, string> = {};

  constructor(
    private readonly client: Client,
    private readonly opts: NodeManagerOptions,
  ) {}

  async start(capabilities: RuntimeCapabilities): Promise<void> {
    await this.register();
    // A missing lease namespace must not keep pods from running: the renewal loop retries.
    await this.renewLease().catch((e) => this.opts.log('node lease: create failed', e));
    await this.updateStatus(true);
    const missing = [!capabilities.limits && 'limits', !capabilities.mounts && 'mounts'].filter(Boolean);
    if (missing.length && this.node) {
      const notes = capabilities.notes.length ? `: ${capabilities.notes.join('; ')}` : '';
      this.opts.recorder.event(this.node, 'Warning', 'RuntimeCapabilitiesMissing', `container runtime cannot enforce ${missing.join(', ')}${notes}`);
    }
    this.scheduleLease();
    this.scheduleStatus();
  }

  stop(): void {
    this.stopped = true;
    this.cancelLease?.();
    this.cancelStatus?.();
  }

  private facts(): MachineFacts {
    return machineFacts(this.opts.dataDir);
  }

  private async register(): Promise<void> {
    const facts = this.facts();
    const podCIDR = this.opts.podCIDR ?? nodePodCidr(DEFAULT_CLUSTER_NETWORK.podCidr);
    const want = nodeObject(this.opts.nodeName, facts, podCIDR);
    try {
      this.node = await this.client.create(R.nodes, undefined, want);
      this.opts.recorder.event(this.node, 'Normal', 'Starting', 'Starting kubelet.');
    } catch (e) {
      if (!isCode(e, 409)) throw e;
      // Already registered (an earlier agent): take it over, keeping what others set, refreshing our labels.
      const current = await this.client.get(R.nodes, undefined, this.opts.nodeName);
      const labels = { ...(current.metadata.labels ?? {}), ...nodeLabels(this.opts.nodeName, facts) };
      const spec = (current.spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] };
      // podCIDR is set once (the API refuses a change): an older Node without it gets it now; one with another keeps it.
      const newSpec = spec.podCIDRs?.length ? spec : { ...spec, podCIDR, podCIDRs: [podCIDR] };
      if (spec.podCIDR && spec.podCIDR !== podCIDR) this.opts.log(`node ${this.opts.nodeName}: spec.podCIDR is ${spec.podCIDR}, pods get addresses from ${podCIDR}`);
      const same = JSON.stringify(labels) === JSON.stringify(current.metadata.labels ?? {}) && newSpec === spec;
      this.node = same ? current : await this.client.update(R.nodes, { ...current, metadata: { ...current.metadata, labels }, spec: newSpec });
      this.opts.recorder.event(this.node, 'Normal', 'Starting', 'Starting kubelet.');
    }
  }

  private scheduleLease(): void {
    if (this.stopped) return;
    this.cancelLease = this.opts.clock.after(LEASE_RENEW_MS, () => {
      void this.renewLease()
        .catch((e) => this.opts.log('node lease: renew failed', e))
        .finally(() => this.scheduleLease());
    });
  }

  private scheduleStatus(): void {
    if (this.stopped) return;
    this.cancelStatus = this.opts.clock.after(STATUS_CHECK_MS, () => {
      void this.updateStatus(false)
        .catch((e) => this.opts.log('node status: update failed', e))
        .finally(() => this.scheduleStatus());
    });
  }

  async renewLease(): Promise<void> {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    const name = this.opts.nodeName;
    try {
      const lease = await this.client.get(R.leases, LEASE_NAMESPACE, name);
      await this.client.update(R.leases, { ...lease, spec: { ...(lease.spec as object), holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) } });
    } catch (e) {
      if (!isCode(e, 404)) throw e;
      await this.client.create(R.leases, LEASE_NAMESPACE, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: LEASE_NAMESPACE,
          ...(this.node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: this.node.metadata.uid! }] } : {}),
        },
        spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
      });
    }
  }

  /** "Node x status is now: NodeReady" and the like, for each condition that changed. */
  private recordTransitions(old: Record<string, unknown> | undefined, status: Record<string, unknown>): void {
    type C = { type: string; status: string; reason: string };
    const before = (old?.conditions as C[] | undefined) ?? [];
    for (const c of status.conditions as C[]) {
      if (before.find((b) => b.type === c.type)?.status === c.status) continue;
      const reason = c.type === 'Ready' ? (c.status === 'True' ? 'NodeReady' : 'NodeNotReady') : c.reason.replace(/^Kubelet/, 'Node');
      this.opts.recorder.event(this.node!, 'Normal', reason, `Node ${this.opts.nodeName} status is now: ${reason}`);
    }
  }

  async updateStatus(force: boolean): Promise<void> {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.client.get(R.nodes, undefined, this.opts.nodeName);
      const old = current.status as Record<string, unknown> | undefined;
      const status = nodeStatus({ nodeName: this.opts.nodeName, facts: this.facts(), now, skiffVersion: this.opts.skiffVersion, kubeletPort: this.opts.kubeletPort, old });
      this.allocatable = status.allocatable as Record<string, string>;
      const due = force || now.getTime() - this.lastReport >= STATUS_REPORT_MS;
      if (!due && !nodeStatusChanged(old, status)) return;
      try {
        this.node = await this.client.updateStatus(R.nodes, { ...current, status });
        this.lastReport = now.getTime();
        this.recordTransitions(old, status);
        return;
      } catch (e) {
        if (!isCode(e, 409)) throw e;
      }
    }
  }
}

