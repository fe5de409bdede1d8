// Defaults of a container (core/v1 SetDefaults_Container, _Probe, _HTTPGetAction,
// the declarative port protocol and the downward-API field selector version).

import type { Container, EnvVar, HTTPGetAction, Lifecycle, Probe } from 'kubernetes-types/core/v1.js';

/**
 * The pull policy Kubernetes picks for an image: Always for ":latest" or an
 * image with neither tag nor digest, IfNotPresent otherwise.
 */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  // An unparseable reference has no tag (upstream ignores the parse error).
  if (image === '') return 'IfNotPresent';
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? withoutDigest.slice(colon + 1) : at >= 0 ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(action: HTTPGetAction | undefined): void {
  if (!action) return;
  action.path ||= '/';
  action.scheme ||= 'HTTP';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  defaultHttpGet(probe.httpGet);
}

function defaultLifecycle(lifecycle: Lifecycle | undefined): void {
  defaultHttpGet(lifecycle?.postStart?.httpGet);
  defaultHttpGet(lifecycle?.preStop?.httpGet);
}

export function defaultEnv(env: EnvVar[] | undefined): void {
  for (const ev of env ?? []) {
    const ref = ev.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
  }
}

export function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= imagePullPolicyFor(c.image ?? '');
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  defaultEnv(c.env);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycle(c.lifecycle);
}
