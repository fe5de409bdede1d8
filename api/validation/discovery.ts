// discovery.k8s.io/v1 EndpointSlice (pkg/apis/discovery/validation).

import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, invalid, notSupported, required } from '../field-error.ts';
import type { FieldErrorType } from '../field-error.ts';
import { PROTOCOLS } from './container.ts';
import { isValidIpv4Address, isValidIpv6Address, validateNonSpecialIp } from './ip.ts';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

function tooMany(field: string, actual: number, max: number): FieldError {
  const type: FieldErrorType = 'FieldValueTooMany';
  return { type, field, value: actual, detail: `must have at most ${max} items` };
}

/** A fully qualified domain name: a DNS subdomain of at least two labels, optionally ending in '.'. */
function validateFqdn(path: string, name: string): FieldError[] {
  if (!name) return [required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const msgs = isDns1123Subdomain(n);
  if (msgs.length > 0) return [invalid(path, n, msgs.join(','))];
  if (n.split('.').length < 2) return [invalid(path, n, 'should be a domain with at least two segments separated by dots')];
  for (const label of n.split('.')) {
    const l = isDns1123Label(label);
    if (l.length > 0) return [invalid(path, label, l.join(','))];
  }
  return [];
}

export function validateEndpointSlice(slice: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(slice.metadata, old.metadata) : [];
  errs.push(...validateObjectMeta(slice.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain }));
  const addressType = slice.addressType;
  if (!addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  if (old) errs.push(...validateImmutableField(addressType, old.addressType, 'addressType'));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) {
    errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  } else {
    endpoints.forEach((ep, i) => {
      const p = index('endpoints', i);
      const addrPath = child(p, 'addresses');
      const addresses = ep.addresses ?? [];
      if (addresses.length === 0) errs.push(required(addrPath, 'must contain at least 1 address'));
      else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addrPath, addresses.length, MAX_ADDRESSES));
      addresses.forEach((a, j) => {
        const ap = index(addrPath, j);
        if (addressType === 'IPv4' || addressType === 'IPv6') {
          const e = addressType === 'IPv4' ? isValidIpv4Address(ap, a) : isValidIpv6Address(ap, a);
          errs.push(...(e.length > 0 ? e : validateNonSpecialIp(ap, a)));
        } else if (addressType === 'FQDN') {
          errs.push(...validateFqdn(ap, a));
        }
      });
      if (ep.nodeName !== undefined) errs.push(...nameIsDnsSubdomain(ep.nodeName, false).map((msg) => invalid(child(p, 'nodeName'), ep.nodeName, msg)));
      if (ep.hostname !== undefined) errs.push(...isDns1123Label(ep.hostname).map((msg) => invalid(child(p, 'hostname'), ep.hostname, msg)));
    });
  }
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) {
    errs.push(tooMany('ports', ports.length, MAX_PORTS));
    return errs;
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = port.name ?? '';
    if (name) errs.push(...isDns1123Label(name).map((msg) => invalid(child(p, 'name'), name, msg)));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    names.add(name);
    if (port.protocol === undefined) errs.push(required(child(p, 'protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
    if (port.appProtocol !== undefined) {
      errs.push(...isQualifiedName(port.appProtocol).map((msg) => invalid(child(p, 'appProtocol'), port.appProtocol, msg)));
    }
  });
  return errs;
}
