// What the streaming server (agent/streaming/) asks of the agent for
// `kubectl logs`, `exec` and `port-forward`: which log files belong to a
// container instance, and exec/port-forward through the runtime. Errors are
// ApiErrors with the API server's messages, so the server can render them
// as the Kubernetes Status body.

import type { Duplex } from 'node:stream';
import { existsSync } from 'node:fs';
import { errors } from '../apiserver/errors.ts';
import { R } from '../client/resources.ts';
import type { KObject } from '../client/types.ts';
import type { PodSpec } from './pod-types.ts';
import type { ContainerStatus, ExecOptions, ExecSession, Runtime } from './runtimes/types.ts';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

export class AgentStreamingBackend {
  constructor(
    private readonly runtime: Runtime,
    private readonly getPod: (namespace: string, name: string) => KObject | undefined,
  ) {}

  private pod(namespace: string, name: string): KObject {
    const pod = this.getPod(namespace, name);
    if (!pod) throw errors.notFound(R.pods, name);
    return pod;
  }

  /** The container a request means: the named one, the only one, or the default-container annotation. */
  private containerName(pod: KObject, container: string | undefined): string {
    const spec = pod.spec as PodSpec;
    const names = spec.containers.map((c) => c.name);
    const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
    const name = pod.metadata.name!;
    if (container) {
      if (!all.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
      return container;
    }
    if (names.length === 1) return names[0];
    const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    if (annotated && all.includes(annotated)) return annotated;
    const inits = (spec.initContainers ?? []).map((c) => c.name);
    const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]${initPart}`);
  }

  private async instances(pod: KObject, container: string): Promise<ContainerStatus[]> {
    return (await this.runtime.listContainers({ podUid: pod.metadata.uid })).filter((c) => c.podUid === pod.metadata.uid && c.name === container).sort((a, b) => b.attempt - a.attempt);
  }

  async logFiles(namespace: string, podName: string, container: string | undefined, previous: boolean): Promise<{ container: string; files: string[]; running: boolean }> {
    const pod = this.pod(namespace, podName);
    const name = this.containerName(pod, container);
    const list = await this.instances(pod, name);
    const inst = previous ? list[1] : list[0];
    if (!inst) {
      if (previous) throw errors.badRequest(`previous terminated container ${JSON.stringify(name)} in pod ${JSON.stringify(podName)} not found`);
      type S = { name: string; state?: { waiting?: { reason?: string } } };
      const st = (pod.status ?? {}) as { containerStatuses?: S[]; initContainerStatuses?: S[] };
      const statuses = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])];
      const reason = statuses.find((s) => s.name === name)?.state?.waiting?.reason ?? 'ContainerCreating';
      throw errors.badRequest(`container ${JSON.stringify(name)} in pod ${JSON.stringify(podName)} is waiting to start: ${reason}`);
    }
    // The rotated generation first, then the current file.
    const files = [`${inst.logPath}.1`, inst.logPath].filter((f) => existsSync(f));
    return { container: name, files, running: !previous && inst.state === 'running' };
  }

  async exec(namespace: string, podName: string, container: string | undefined, opts: ExecOptions): Promise<ExecSession> {
    const pod = this.pod(namespace, podName);
    const name = this.containerName(pod, container);
    const inst = (await this.instances(pod, name))[0];
    if (!inst || inst.state !== 'running') throw errors.badRequest(`container ${name} is not running in pod ${podName}`);
    return this.runtime.exec(inst.id, opts);
  }

  async portForward(namespace: string, podName: string, port: number): Promise<Duplex> {
    const pod = this.pod(namespace, podName);
    const sandbox = (await this.runtime.listPodSandboxes()).find((s) => s.podUid === pod.metadata.uid);
    if (!sandbox) throw errors.badRequest(`pod ${podName} does not have a sandbox: it is not running`);
    return this.runtime.portForward(sandbox.id, port);
  }
}
