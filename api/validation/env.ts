// Container environment (env, envFrom) and the downward-API field selectors
// shared with downwardAPI volumes. pkg/apis/core/validation.

import type { EnvFromSource, EnvVar, ObjectFieldSelector, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { invalid, notSupported, required } from '../field-error.ts';
import { isConfigMapKey, isEnvVarName } from './formats.ts';
import { isQualifiedName, nameIsDnsSubdomain } from './names.ts';
import { child, index } from './path.ts';
import { formatQuantity, parseQuantityWithFormat } from './quantity.ts';

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
// Every field label the v1 downward API knows (pods.ConvertDownwardAPIFieldLabel).
const KNOWN_FIELD_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const MEMORY_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);
const MEMORY_DIVISORS_TEXT = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

/** "metadata.labels['app']" -> ["metadata.labels", "app"] */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

export function validateObjectFieldSelector(fs: ObjectFieldSelector, allowed: readonly string[], path: string): FieldError[] {
  if (!fs.apiVersion) return [required(child(path, 'apiVersion'))];
  if (!fs.fieldPath) return [required(child(path, 'fieldPath'))];
  const sub = splitSubscript(fs.fieldPath);
  let conversionError: string | undefined;
  if (fs.apiVersion !== 'v1') conversionError = `unsupported pod version: ${fs.apiVersion}`;
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') conversionError = `field label does not support subscript: ${fs.fieldPath}`;
  else if (!sub && !KNOWN_FIELD_LABELS.has(fs.fieldPath) && fs.fieldPath !== 'spec.host') conversionError = `field label not supported: ${fs.fieldPath}`;
  if (conversionError) return [invalid(child(path, 'fieldPath'), fs.fieldPath, `error converting fieldPath: ${conversionError}`)];
  if (sub) {
    const name = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return isQualifiedName(name).map((msg) => invalid(path, name, msg));
  }
  const internal = fs.fieldPath === 'spec.host' ? 'spec.nodeName' : fs.fieldPath;
  return allowed.includes(internal) ? [] : [notSupported(child(path, 'fieldPath'), internal, [...allowed].sort())];
}

export function validateResourceFieldSelector(fs: ResourceFieldSelector, inVolume: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (inVolume && !fs.containerName) errs.push(required(child(path, 'containerName')));
  else if (!fs.resource) errs.push(required(child(path, 'resource')));
  else if (!RESOURCE_FIELDS.includes(fs.resource) && !/^(requests|limits)\.hugepages-/.test(fs.resource)) {
    errs.push(notSupported(child(path, 'resource'), fs.resource, RESOURCE_FIELDS));
  }
  if (fs.divisor !== undefined) {
    const q = parseQuantityWithFormat(fs.divisor);
    const d = q ? formatQuantity(q.value, q.format) : String(fs.divisor);
    const r = fs.resource ?? '';
    const divisorPath = child(path, 'divisor');
    if ((r === 'limits.cpu' || r === 'requests.cpu') && d !== '1m' && d !== '1') {
      errs.push(invalid(divisorPath, r, "only divisor's values 1m and 1 are supported with the cpu resource"));
    } else if ((r === 'limits.memory' || r === 'requests.memory') && !MEMORY_DIVISORS.has(d)) {
      errs.push(invalid(divisorPath, r, `only divisor's values ${MEMORY_DIVISORS_TEXT} are supported with the memory resource`));
    } else if ((r === 'limits.ephemeral-storage' || r === 'requests.ephemeral-storage') && !MEMORY_DIVISORS.has(d)) {
      errs.push(invalid(divisorPath, r, `only divisor's values ${MEMORY_DIVISORS_TEXT} are supported with the local ephemeral storage resource`));
    } else if (/^(requests|limits)\.hugepages-/.test(r) && !MEMORY_DIVISORS.has(d)) {
      errs.push(invalid(divisorPath, r, `only divisor's values ${MEMORY_DIVISORS_TEXT} are supported with the hugepages resource`));
    }
  }
  return errs;
}

function validateKeySelector(ref: { name?: string; key: string }, path: string): FieldError[] {
  const errs = nameIsDnsSubdomain(ref.name ?? '', false).map((msg) => invalid(child(path, 'name'), ref.name ?? '', msg));
  if (!ref.key) errs.push(required(child(path, 'key')));
  else errs.push(...isConfigMapKey(ref.key).map((msg) => invalid(child(path, 'key'), ref.key, msg)));
  return errs;
}

function validateValueFrom(ev: EnvVar, path: string): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (from.fieldRef) {
    n++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, ENV_FIELD_PATHS, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    n++;
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, false, child(path, 'resourceFieldRef')));
  }
  if (from.configMapKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.configMapKeyRef, child(path, 'configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.secretKeyRef, child(path, 'secretKeyRef')));
  }
  if (n === 0) errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnv(vars: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const idx = index(path, i);
    if (!ev.name) errs.push(required(child(idx, 'name')));
    else errs.push(...isEnvVarName(ev.name).map((msg) => invalid(child(idx, 'name'), ev.name, msg)));
    errs.push(...validateValueFrom(ev, child(idx, 'valueFrom')));
  });
  return errs;
}

export function validateEnvFrom(sources: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((src, i) => {
    const idx = index(path, i);
    if (src.prefix) errs.push(...isEnvVarName(src.prefix).map((msg) => invalid(child(idx, 'prefix'), src.prefix, msg)));
    let n = 0;
    for (const [field, ref] of [
      ['configMapRef', src.configMapRef],
      ['secretRef', src.secretRef],
    ] as const) {
      if (!ref) continue;
      n++;
      const namePath = child(idx, field, 'name');
      if (!ref.name) errs.push(required(namePath));
      else errs.push(...nameIsDnsSubdomain(ref.name, true).map((msg) => invalid(namePath, ref.name, msg)));
    }
    if (n === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
