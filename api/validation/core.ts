// core/v1 Namespace, Node, ServiceAccount and Endpoints (pkg/apis/core/validation).

import type { EndpointAddress, EndpointPort, Endpoints, Namespace, Node, ServiceAccount, Taint } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-error.ts';
import { PROTOCOLS } from './container.ts';
import { isValidPortNum } from './formats.ts';
import { isValidCidr, isValidIp, parseCidr, validateNonSpecialIp } from './ip.ts';
import { validateLabelName } from './labels.ts';
import { isDns1123Label, isQualifiedName, isValidLabelValue, nameIsDnsLabel, nameIsDnsSubdomain } from './names.ts';
import { validateFinalizerName, validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';
import { validateResourceQuantityValue } from './resources.ts';
import { validateTaintEffect } from './scheduling.ts';

/** On update (the finalize subresource included) finalizer errors point at the entry. */
export function validateNamespace(ns: Namespace, old?: Namespace): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(ns.metadata, old.metadata) : validateObjectMeta(ns.metadata, { namespaced: false, nameFn: nameIsDnsLabel });
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    const path = old ? index('spec.finalizers', i) : 'spec.finalizers';
    errs.push(...validateFinalizerName(f, path), ...validateKubeFinalizerName(f, path));
  });
  return errs;
}

export function validateServiceAccount(sa: ServiceAccount, old?: ServiceAccount): FieldError[] {
  const errs = validateObjectMeta(sa.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  return old ? [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...errs] : errs;
}

function validateNodeTaints(taints: Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key, child(p, 'key')));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length > 0) errs.push(invalid(child(p, 'value'), t.value ?? '', msgs.join(';')));
    errs.push(...validateTaintEffect(t.effect, false, child(p, 'effect')));
    const k = `${t.effect}\u0000${t.key}`;
    if (seen.has(k)) errs.push({ ...duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(k);
  });
  return errs;
}

export function validateNode(node: Node, old?: Node): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(node.metadata, old.metadata) : validateObjectMeta(node.metadata, { namespaced: false, nameFn: nameIsDnsSubdomain });
  // Upstream reports taints under metadata.
  errs.push(...validateNodeTaints(node.spec?.taints ?? [], 'metadata.taints'));
  for (const field of ['capacity', 'allocatable'] as const) {
    for (const [name, q] of Object.entries(node.status?.[field] ?? {})) {
      errs.push(...validateResourceQuantityValue(name, q, `status.${field}.${name}`));
    }
  }
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => errs.push(...isValidCidr(index('spec.podCIDRs', i), c)));
  if (cidrs.length > 1) {
    const families = cidrs.map((c) => parseCidr(c)?.ip.family);
    if (cidrs.length > 2 || families[0] === families[1]) errs.push(invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(index('spec.podCIDRs', i), c));
      seen.add(c);
    });
  }
  if (old) {
    const oldCidrs = old.spec?.podCIDRs ?? [];
    if (oldCidrs.length > 0 && (oldCidrs.length !== cidrs.length || oldCidrs.some((c, i) => c !== cidrs[i]))) {
      errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    const oldProvider = old.spec?.providerID;
    if (oldProvider && oldProvider !== node.spec?.providerID) {
      errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
    const seen = new Set<string>();
    (node.status?.addresses ?? []).forEach((a, i) => {
      const k = `${a.type}\u0000${a.address}`;
      if (seen.has(k)) errs.push(duplicate(index('status.addresses', i), a));
      seen.add(k);
    });
  }
  return errs;
}

function validateEndpointAddress(addr: EndpointAddress, path: string): FieldError[] {
  const errs = isValidIp(child(path, 'ip'), addr.ip);
  if (addr.hostname) errs.push(...isDns1123Label(addr.hostname).map((msg) => invalid(child(path, 'hostname'), addr.hostname, msg)));
  if (addr.nodeName !== undefined) {
    errs.push(...nameIsDnsSubdomain(addr.nodeName, false).map((msg) => invalid(child(path, 'nodeName'), addr.nodeName, msg)));
  }
  errs.push(...validateNonSpecialIp(child(path, 'ip'), addr.ip));
  return errs;
}

function validateEndpointPort(port: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(required(child(path, 'name')));
  else if (port.name) errs.push(...isDns1123Label(port.name).map((msg) => invalid(child(path, 'name'), port.name, msg)));
  errs.push(...isValidPortNum(port.port).map((msg) => invalid(child(path, 'port'), port.port, msg)));
  if (!port.protocol) errs.push(required(child(path, 'protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  if (port.appProtocol !== undefined) {
    errs.push(...isQualifiedName(port.appProtocol).map((msg) => invalid(child(path, 'appProtocol'), port.appProtocol, msg)));
  }
  return errs;
}

export function validateEndpoints(ep: Endpoints, old?: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  if (old) errs.unshift(...validateObjectMetaUpdate(ep.metadata, old.metadata));
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = index('subsets', i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(p, 'addresses'), j))));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(p, 'notReadyAddresses'), j))));
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => errs.push(...validateEndpointPort(port, ports.length > 1, index(child(p, 'ports'), j))));
  });
  return errs;
}
