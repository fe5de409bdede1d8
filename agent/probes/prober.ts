// Probe workers for one running container instance, as the kubelet's prober
// runs them: each probe ticks every periodSeconds on the agent's clock,
// skips until initialDelaySeconds after the container started, and flips
// its result only after successThreshold successes or failureThreshold
// failures in a row. A startup probe gates the other two; once it passes it
// stops. Every failed probe is an Unhealthy event; a liveness or startup
// result of failure asks the pod worker to restart the container.

import type { Clock } from '../clock.ts';
import type { Container, Probe } from '../pod-types.ts';
import type { Runtime } from '../runtimes/types.ts';
import { execAction, httpGetAction, resolvePort, tcpAction, type ActionResult } from './handlers.ts';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

const LABEL: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProbeHost {
  clock: Clock;
  runtime: Runtime;
  /** A probe failed (every failure: the Unhealthy event). */
  unhealthy(container: Container, message: string): void;
  /** A result changed: the pod worker re-syncs. */
  changed(): void;
}

export async function runProbe(probe: Probe, runtime: Runtime, containerId: string, container: Container, podIP: string): Promise<ActionResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) return await execAction(runtime, containerId, probe.exec.command ?? [], timeoutMs);
    if (probe.httpGet) return await httpGetAction(probe.httpGet, container, podIP, timeoutMs);
    if (probe.tcpSocket) return await tcpAction(probe.tcpSocket.host || podIP, resolvePort(probe.tcpSocket.port, container), timeoutMs);
    // The gRPC health protocol is not spoken (no gRPC library): a grpc probe passes when its port accepts a connection.
    if (probe.grpc) return await tcpAction(podIP, probe.grpc.port, timeoutMs);
    return { ok: true, output: '' };
  } catch (e) {
    return { ok: false, output: e instanceof Error ? e.message : String(e) };
  }
}

class ProbeWorker {
  result: boolean;
  private lastResult?: boolean;
  private run = 0;
  private cancel?: () => void;
  private stopped = false;
  /** After a liveness/startup failure, nothing more until the container is replaced. */
  onHold = false;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: Probe,
    private readonly owner: ContainerProbes,
  ) {
    // Liveness starts as success; readiness and startup as failure (not ready, not started).
    this.result = kind === 'liveness';
  }

  start(startedAt: number): void {
    const delay = Math.max(0, startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000 - this.owner.host.clock.now().getTime());
    this.schedule(delay);
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel = this.owner.host.clock.after(ms, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const period = (this.probe.periodSeconds ?? 10) * 1000;
    if (this.onHold || (this.kind !== 'startup' && !this.owner.started)) return this.schedule(period);
    if (this.kind === 'startup' && this.result) return;
    const r = await runProbe(this.probe, this.owner.host.runtime, this.owner.containerId, this.owner.container, this.owner.podIP);
    if (this.stopped) return;
    if (!r.ok) this.owner.host.unhealthy(this.owner.container, `${LABEL[this.kind]} probe failed: ${r.output}`);
    if (this.lastResult === r.ok) this.run++;
    else {
      this.lastResult = r.ok;
      this.run = 1;
    }
    const threshold = r.ok ? (this.probe.successThreshold ?? 1) : (this.probe.failureThreshold ?? 3);
    if (this.run >= threshold && this.result !== r.ok) {
      this.result = r.ok;
      if (!r.ok && this.kind !== 'readiness') {
        this.onHold = true;
        this.run = 0;
      }
      this.owner.host.changed();
    }
    this.schedule(period);
  }
}

/** The probes of one container instance. */
export class ContainerProbes {
  private readonly workers = new Map<ProbeKind, ProbeWorker>();

  constructor(
    readonly host: ProbeHost,
    readonly containerId: string,
    readonly container: Container,
    readonly podIP: string,
    startedAt: number,
    /** The container was already ready before an agent restart: readiness starts as ready. */
    wasReady = false,
  ) {
    const probes: [ProbeKind, Probe | undefined][] = [
      ['startup', container.startupProbe],
      ['liveness', container.livenessProbe],
      ['readiness', container.readinessProbe],
    ];
    for (const [kind, probe] of probes) {
      if (!probe) continue;
      const w = new ProbeWorker(kind, probe, this);
      if (wasReady && (kind === 'readiness' || kind === 'startup')) w.result = true;
      this.workers.set(kind, w);
      w.start(startedAt);
    }
  }

  /** No startup probe, or it passed. */
  get started(): boolean {
    return this.workers.get('startup')?.result ?? true;
  }

  get ready(): boolean {
    return this.started && (this.workers.get('readiness')?.result ?? true);
  }

  /** 'liveness' or 'startup' when that probe failed and the container must be restarted. */
  get failed(): 'liveness' | 'startup' | undefined {
    if (this.workers.get('startup')?.onHold) return 'startup';
    if (this.workers.get('liveness')?.onHold) return 'liveness';
    return undefined;
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
  }
}
