// networking.k8s.io/v1 Ingress and IngressClass (pkg/apis/networking/validation).

import type { TypedLocalObjectReference } from 'kubernetes-types/core/v1.js';
import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressClassParametersReference } from 'kubernetes-types/networking/v1.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, notSupported, required, tooLong } from '../field-error.ts';
import { isDomainPrefixedPath, isValidPortName, isValidPortNum } from './formats.ts';
import { parseIp } from './ip.ts';
import { isDns1123Label, isDns1123Subdomain, isPathSegmentName, isWildcardDns1123Subdomain, nameIsDns1035Label, nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const MAX_CONTROLLER_LENGTH = 250;
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function validateTypedReference(ref: TypedLocalObjectReference, path: string, requireMsg = ''): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined) errs.push(...isDns1123Subdomain(ref.apiGroup).map((msg) => invalid(child(path, 'apiGroup'), ref.apiGroup, msg)));
  for (const f of ['kind', 'name'] as const) {
    if (!ref[f]) errs.push(required(child(path, f), requireMsg));
    else errs.push(...isPathSegmentName(ref[f]).map((msg) => invalid(child(path, f), ref[f], msg)));
  }
  return errs;
}

/**
 * A backend is a Service port or a resource reference. Service names are
 * DNS-1035 labels, except in Ingresses that already held DNS-1123 label names.
 */
function validateBackend(backend: IngressBackend, relaxedServiceNames: boolean, path: string): FieldError[] {
  if (backend.resource && backend.service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (backend.resource) return validateTypedReference(backend.resource, child(path, 'resource'));
  if (!backend.service) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const svc = backend.service;
  const namePath = child(path, 'service', 'name');
  if (!svc.name) errs.push(required(namePath));
  else {
    const check = relaxedServiceNames ? (n: string) => isDns1123Label(n) : (n: string) => nameIsDns1035Label(n, false);
    errs.push(...check(svc.name).map((msg) => invalid(namePath, svc.name, msg)));
  }
  const portName = svc.port?.name ?? '';
  const portNumber = svc.port?.number ?? 0;
  if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) errs.push(...isValidPortName(portName).map((msg) => invalid(child(path, 'service', 'port', 'name'), portName, msg)));
  else if (portNumber) errs.push(...isValidPortNum(portNumber).map((msg) => invalid(child(path, 'service', 'port', 'number'), portNumber, msg)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHttpPath(p: HTTPIngressPath, relaxed: boolean, path: string): FieldError[] {
  if (p.pathType === undefined) return [required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  const pathPath = child(path, 'path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(pathPath, value, 'must be an absolute path'));
      if (value) {
        for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(pathPath, value, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(pathPath, value, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(invalid(pathPath, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(p.backend ?? {}, relaxed, child(path, 'backend')));
  return errs;
}

function validateHost(host: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (parseIp(host)) errs.push(invalid(path, host, 'must be a DNS name, not an IP address'));
  const msgs = host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host);
  return [...errs, ...msgs.map((msg) => invalid(path, host, msg))];
}

function serviceNames(ing: Ingress | undefined): string[] {
  const spec = ing?.spec;
  const names = [spec?.defaultBackend?.service?.name];
  for (const rule of spec?.rules ?? []) for (const p of rule.http?.paths ?? []) names.push(p.backend?.service?.name);
  return names.filter((n): n is string => !!n);
}

export function validateIngress(ing: Ingress, old?: Ingress): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(ing.metadata, old.metadata) : [];
  errs.push(...validateObjectMeta(ing.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain }));
  // Keep accepting what an existing Ingress already stores.
  const relaxed = serviceNames(old).some((n) => isDns1123Label(n).length === 0 && nameIsDns1035Label(n, false).length > 0);
  const oldHasBadSecret = (old?.spec?.tls ?? []).some((t) => t.secretName && nameIsDnsSubdomain(t.secretName, false).length > 0);
  const spec = ing.spec ?? {};
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) errs.push(invalid('spec', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, relaxed, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = index('spec.rules', i);
    if (rule.host) errs.push(...validateHost(rule.host, child(p, 'host')));
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      if (paths.length === 0) errs.push(required(child(p, 'http', 'paths')));
      paths.forEach((hp, j) => errs.push(...validateHttpPath(hp, relaxed, index(child(p, 'http', 'paths'), j))));
    }
  });
  (spec.tls ?? []).forEach((tls, i) => {
    const p = index('spec.tls', i);
    (tls.hosts ?? []).forEach((host, j) => {
      const msgs = host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host);
      errs.push(...msgs.map((msg) => invalid(index(child(p, 'hosts'), j), host, msg)));
    });
    if (tls.secretName && !oldHasBadSecret) {
      errs.push(...nameIsDnsSubdomain(tls.secretName, false).map((msg) => invalid(child(p, 'secretName'), tls.secretName, msg)));
    }
  });
  if (spec.ingressClassName !== undefined) {
    errs.push(...nameIsDnsSubdomain(spec.ingressClassName, false).map((msg) => invalid('spec.ingressClassName', spec.ingressClassName, msg)));
  }
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (!old && annotation !== undefined && spec.ingressClassName !== undefined && annotation !== spec.ingressClassName) {
    errs.push(invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

function validateParameters(params: IngressClassParametersReference, path: string): FieldError[] {
  const errs = validateTypedReference(params, path);
  if (params.scope === undefined) return [...errs, required(child(path, 'scope'))];
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') return [...errs, notSupported(child(path, 'scope'), params.scope, ['Cluster', 'Namespace'])];
  if (params.scope === 'Namespace') {
    if (params.namespace === undefined) errs.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...isDns1123Label(params.namespace).map((msg) => invalid(child(path, 'namespace'), params.namespace, msg)));
  } else if (params.namespace !== undefined) {
    errs.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

export function validateIngressClass(ic: IngressClass, old?: IngressClass): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(ic.metadata, old.metadata) : [];
  if (old) errs.push(...validateImmutableField(ic.spec?.controller ?? '', old.spec?.controller ?? '', 'spec.controller'));
  errs.push(...validateObjectMeta(ic.metadata, { namespaced: false, nameFn: nameIsDnsSubdomain }));
  const controller = ic.spec?.controller ?? '';
  if (!controller) errs.push(required('spec.controller'));
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong('spec.controller', '', MAX_CONTROLLER_LENGTH));
    errs.push(...isDomainPrefixedPath('spec.controller', controller));
  }
  if (ic.spec?.parameters) errs.push(...validateParameters(ic.spec.parameters, 'spec.parameters'));
  return errs;
}
