// A container's environment as the kubelet builds it
// (makeEnvironmentVariables): the Service variables (service-env.ts), then
// envFrom sources (invalid keys skipped with an event), then env in order,
// each `value` $(VAR)-expanded against what came before (the container's
// own variables first, then the Service ones); a container's own variable
// replaces a Service variable of the same name. valueFrom from ConfigMaps,
// Secrets and the downward API.
// A missing required source is a CreateContainerConfigError with the
// kubelet's message.

import type { KObject } from '../../client/types.ts';
import type { Container, PodSpec } from '../pod-types.ts';
import { expand } from './expand.ts';
import { fieldRefValue, resourceFieldValue, type PodRuntimeInfo } from './field-ref.ts';
import { serviceEnvVars } from './service-env.ts';

/** ConfigMaps and Secrets of the pod's namespace; undefined when not found. */
export interface ObjectSource {
  configMap(namespace: string, name: string): Promise<KObject | undefined>;
  secret(namespace: string, name: string): Promise<KObject | undefined>;
  /** Every Service the node knows (all namespaces), for the Service variables; without it there are none. */
  services?(): KObject[] | Promise<KObject[]>;
}

/** A container cannot be configured: its waiting state says CreateContainerConfigError with this message. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

export interface EnvWarning {
  reason: string;
  message: string;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isEnvVarName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** The Data of a ConfigMap, or the decoded Data of a Secret. */
export function configMapData(cm: KObject): Record<string, string> {
  return (cm.data as Record<string, string> | undefined) ?? {};
}

export function secretData(s: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((s.data as Record<string, string> | undefined) ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((s.stringData as Record<string, string> | undefined) ?? {})) out[k] = v;
  return out;
}

export async function resolveEnv(
  pod: KObject,
  container: Container,
  info: PodRuntimeInfo,
  source: ObjectSource,
): Promise<{ env: { name: string; value: string }[]; warnings: EnvWarning[] }> {
  const ns = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  const warnings: EnvWarning[] = [];

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string>;
    let kind: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name;
      kind = 'configMap';
      const cm = await source.configMap(ns, name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      data = configMapData(cm);
    } else if (from.secretRef) {
      name = from.secretRef.name;
      kind = 'secret';
      const s = await source.secret(ns, name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      data = secretData(s);
    } else continue;
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      const key = prefix + k;
      if (!isEnvVarName(key)) {
        invalid.push(key);
        continue;
      }
      env.set(key, v);
    }
    if (invalid.length) {
      invalid.sort();
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.join(', ')}] from the EnvFrom ${kind} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const svcEnv = source.services ? serviceEnvVars(await source.services(), ns, (pod.spec as { enableServiceLinks?: boolean } | undefined)?.enableServiceLinks !== false) : new Map<string, string>();
  const lookup = (n: string): string | undefined => env.get(n) ?? svcEnv.get(n);
  for (const e of container.env ?? []) {
    let value: string | undefined;
    if (e.value !== undefined && !e.valueFrom) value = expand(e.value, lookup);
    else if (e.valueFrom?.fieldRef) value = fieldRefValue(pod, e.valueFrom.fieldRef, info);
    else if (e.valueFrom?.resourceFieldRef) value = resourceFieldValue(pod.spec as PodSpec, container, e.valueFrom.resourceFieldRef, info);
    else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const cm = await source.configMap(ns, ref.name);
      if (!cm) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`configmap "${ref.name}" not found`);
      }
      value = configMapData(cm)[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`);
      }
    } else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const s = await source.secret(ns, ref.name);
      if (!s) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`secret "${ref.name}" not found`);
      }
      value = secretData(s)[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
      }
    } else value = '';
    env.set(e.name, value);
  }
  const own = [...env].map(([name, value]) => ({ name, value }));
  const links = [...svcEnv].filter(([name]) => !env.has(name)).map(([name, value]) => ({ name, value }));
  return { env: [...links, ...own], warnings };
}

/** command and args with $(VAR) expanded against the container's environment. */
export function expandCommand(container: Container, env: { name: string; value: string }[]): { command: string[]; args: string[] } {
  const m = new Map(env.map((e) => [e.name, e.value]));
  const lookup = (n: string): string | undefined => m.get(n);
  return {
    command: (container.command ?? []).map((s) => expand(s, lookup)),
    args: (container.args ?? []).map((s) => expand(s, lookup)),
  };
}
