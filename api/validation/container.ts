// Containers of a pod spec: names, images, ports, env, mounts, probes,
// lifecycle hooks, resources and security context (pkg/apis/core/validation).

import type { Container, ContainerPort, LifecycleHandler, Probe, SecurityContext, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-error.ts';
import { validateEnv, validateEnvFrom } from './env.ts';
import { isHttpHeaderName, isValidGroupId, isValidPortName, isValidPortNum, isValidUserId } from './formats.ts';
import { validateNonnegativeField } from './object-meta.ts';
import { isDns1123Label } from './names.ts';
import { child, index } from './path.ts';
import { validateResourceRequirements } from './resources.ts';
import { validateLocalDescendingPath } from './volumes.ts';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

/** An IntOrString port: a number in 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg));
  return isValidPortName(port ?? '').map((msg) => invalid(path, port ?? '', msg));
}

function validateContainerPorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const idx = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...msgs.map((msg) => invalid(child(idx, 'name'), port.name, msg)));
      else if (names.has(port.name)) errs.push(duplicate(child(idx, 'name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(child(idx, 'containerPort')));
    else errs.push(...isValidPortNum(port.containerPort).map((msg) => invalid(child(idx, 'containerPort'), port.containerPort, msg)));
    if (port.hostPort) errs.push(...isValidPortNum(port.hostPort).map((msg) => invalid(child(idx, 'hostPort'), port.hostPort, msg)));
    if (!port.protocol) errs.push(required(child(idx, 'protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(idx, 'protocol'), port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const idx = index(path, i);
    if (!m.name) errs.push(required(child(idx, 'name')));
    // Upstream reports field.NotFound here; field-error.ts has no such type, so it is an Invalid "not found".
    if (!volumes.has(m.name)) errs.push(invalid(child(idx, 'name'), m.name, 'not found'));
    if (!m.mountPath) errs.push(required(child(idx, 'mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(invalid(child(idx, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(path, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(invalid(child(idx, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, child(path, 'subPathExpr')));
    }
    if (m.mountPropagation !== undefined) {
      const p = child(path, 'mountPropagation');
      if (!MOUNT_PROPAGATIONS.includes(m.mountPropagation)) errs.push(notSupported(p, m.mountPropagation, MOUNT_PROPAGATIONS));
      if (m.mountPropagation === 'Bidirectional' && !ctr.securityContext?.privileged) {
        errs.push(forbidden(p, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
  });
  return errs;
}

type Handler = {
  exec?: LifecycleHandler['exec'];
  httpGet?: LifecycleHandler['httpGet'];
  tcpSocket?: LifecycleHandler['tcpSocket'];
  grpc?: Probe['grpc'];
  sleep?: LifecycleHandler['sleep'];
};

function validateHandler(h: Handler, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const once = (name: keyof Handler, check: () => FieldError[]) => {
    if (h[name] === undefined || h[name] === null) return;
    if (n > 0) {
      errs.push(forbidden(child(path, name), 'may not specify more than 1 handler type'));
      return;
    }
    n++;
    errs.push(...check());
  };
  once('exec', () => ((h.exec?.command ?? []).length === 0 ? [required(child(path, 'exec', 'command'))] : []));
  once('httpGet', () => {
    const g = h.httpGet!;
    const p = child(path, 'httpGet');
    const out: FieldError[] = [];
    if (!g.path) out.push(required(child(p, 'path')));
    out.push(...validatePortNumOrName(g.port, child(p, 'port')));
    if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') out.push(notSupported(child(p, 'scheme'), g.scheme ?? '', ['HTTP', 'HTTPS']));
    for (const header of g.httpHeaders ?? []) out.push(...isHttpHeaderName(header.name).map((msg) => invalid(child(p, 'httpHeaders'), header.name, msg)));
    return out;
  });
  once('tcpSocket', () => validatePortNumOrName(h.tcpSocket?.port, child(path, 'tcpSocket', 'port')));
  once('grpc', () => validatePortNumOrName(h.grpc?.port ?? 0, child(path, 'grpc', 'port')));
  once('sleep', () => {
    const s = h.sleep!.seconds;
    if (gracePeriod !== undefined && (s <= 0 || s > gracePeriod)) {
      return [
        invalid(
          child(path, 'sleep'),
          s,
          `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
        ),
      ];
    }
    return [];
  });
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

function validateProbe(probe: Probe | undefined, kind: ProbeKind, gracePeriod: number | undefined, path: string): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(
    { exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc },
    gracePeriod,
    path,
  );
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegativeField(probe[f], child(path, f)));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readinessProbe' && probe.successThreshold !== 1) {
    errs.push(invalid(child(path, 'successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  }
  if (kind === 'readinessProbe' && probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycleAndProbes(ctr: Container, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ctr.lifecycle?.postStart) errs.push(...validateHandler(ctr.lifecycle.postStart, gracePeriod, child(path, 'lifecycle', 'postStart')));
  if (ctr.lifecycle?.preStop) errs.push(...validateHandler(ctr.lifecycle.preStop, gracePeriod, child(path, 'lifecycle', 'preStop')));
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    errs.push(...validateProbe(ctr[kind], kind, gracePeriod, child(path, kind)));
  }
  return errs;
}

export function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) errs.push(...isValidUserId(sc.runAsUser).map((msg) => invalid(child(path, 'runAsUser'), sc.runAsUser, msg)));
  if (sc.runAsGroup !== undefined) errs.push(...isValidGroupId(sc.runAsGroup).map((msg) => invalid(child(path, 'runAsGroup'), sc.runAsGroup, msg)));
  if (sc.procMount !== undefined && sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
    errs.push(notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
  }
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if ((sc.capabilities?.add ?? []).includes('CAP_SYS_ADMIN')) {
      errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

/** The checks every kind of container shares. */
function validateContainerCommon(ctr: Container, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  if (!ctr.name) errs.push(required(namePath));
  else errs.push(...isDns1123Label(ctr.name).map((msg) => invalid(namePath, ctr.name, msg)));
  if (!ctr.image) errs.push(required(child(path, 'image')));
  const tmp = ctr.terminationMessagePolicy;
  if (!tmp) errs.push(required(child(path, 'terminationMessagePolicy')));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(ctr.ports, child(path, 'ports')));
  errs.push(...validateEnv(ctr.env, child(path, 'env')));
  errs.push(...validateEnvFrom(ctr.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, ctr, child(path, 'volumeMounts')));
  const pull = ctr.imagePullPolicy;
  if (!pull) errs.push(required(child(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(child(path, 'imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(ctr.resources, child(path, 'resources')));
  errs.push(...validateSecurityContext(ctr.securityContext, child(path, 'securityContext')));
  return errs;
}

function checkHostPortConflicts(containers: Container[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    (ctr.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const k = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(k)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      else seen.add(k);
    });
  });
  return errs;
}

export function validateContainers(containers: Container[] | undefined, volumes: Set<string>, gracePeriod: number | undefined, path: string): FieldError[] {
  const list = containers ?? [];
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((ctr, i) => {
    const idx = index(path, i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    if (names.has(ctr.name)) errs.push(duplicate(child(idx, 'name'), ctr.name));
    else names.add(ctr.name);
    errs.push(...validateLifecycleAndProbes(ctr, gracePeriod, idx));
    if (ctr.restartPolicy !== undefined) errs.push(forbidden(child(idx, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

export function validateInitContainers(
  containers: Container[] | undefined,
  regular: Container[] | undefined,
  volumes: Set<string>,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (containers ?? []).forEach((ctr, i) => {
    const idx = index(path, i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    let restartAlways = false;
    if (ctr.restartPolicy !== undefined) {
      if (ctr.restartPolicy !== 'Always') errs.push(notSupported(child(idx, 'restartPolicy'), ctr.restartPolicy, ['Always']));
      restartAlways = ctr.restartPolicy === 'Always';
    }
    if (names.has(ctr.name)) errs.push(duplicate(child(idx, 'name'), ctr.name));
    else if (ctr.name) names.add(ctr.name);
    errs.push(...checkHostPortConflicts([ctr], path));
    if (restartAlways) {
      errs.push(...validateLifecycleAndProbes(ctr, gracePeriod, idx));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (ctr[f]) errs.push(forbidden(child(idx, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}
