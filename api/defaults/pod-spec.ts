// Defaults of pod specs (core/v1 SetDefaults_PodSpec), of pod templates in
// workloads, and of Pods themselves (SetDefaults_Pod, which templates do not get).

import type { Container, Pod, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { defaultContainer } from './container.ts';
import { defaultVolume } from './volumes.ts';

export interface PodSpecDefaultsOptions {
  /**
   * Whether an unset restartPolicy becomes Always. Job templates keep it unset:
   * their validation requires OnFailure or Never.
   */
  restartPolicy: boolean;
}

export function defaultPodSpec(spec: PodSpec, opts: PodSpecDefaultsOptions): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  if (opts.restartPolicy) spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1 keeps the deprecated serviceAccount field as a mirror of serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** The pod template of a workload (always present in Go, so created when missing). */
export function defaultPodTemplate(owner: { template?: PodTemplateSpec }, opts: PodSpecDefaultsOptions): void {
  owner.template ??= {};
  owner.template.spec ??= { containers: [] };
  defaultPodSpec(owner.template.spec, opts);
}

// Requests default to limits, container by container.
function requestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || !c.resources) return;
  c.resources.requests ??= {};
  for (const [name, q] of Object.entries(limits)) c.resources.requests[name] ??= q;
}

export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  defaultPodSpec(spec, { restartPolicy: true });
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) requestsFromLimits(c);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    // With host networking every container port is a host port.
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}
