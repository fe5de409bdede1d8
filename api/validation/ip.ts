// IP and CIDR checks with upstream's messages (apimachinery util/validation/ip.go,
// core ValidateNonSpecialIP). Parsing is "sloppy" like k8s.io/utils/net.ParseIPSloppy:
// IPv4 octets may carry leading zeros (read as decimal).

import type { FieldError } from '../field-error.ts';
import { invalid } from '../field-error.ts';

export interface ParsedIp {
  family: 4 | 6;
  /** 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 for IPv6. */
  bytes: number[];
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(s: string): number[] | undefined {
  let head = s;
  let tailV4: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tailV4 = v4;
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const double = head.indexOf('::');
  if (double !== head.lastIndexOf('::') && double >= 0) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      const n = parseInt(g, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  let bytes: number[];
  if (double >= 0) {
    const left = groupsOf(head.slice(0, double));
    const right = groupsOf(head.slice(double + 2));
    if (!left || !right) return undefined;
    const missing = 16 - left.length - right.length - tailV4.length;
    if (missing < 2) return undefined;
    bytes = [...left, ...new Array<number>(missing).fill(0), ...right, ...tailV4];
  } else {
    const all = groupsOf(head);
    if (!all) return undefined;
    bytes = [...all, ...tailV4];
  }
  return bytes.length === 16 ? bytes : undefined;
}

export function parseIp(value: string): ParsedIp | undefined {
  if (value.includes(':')) {
    const bytes = parseIpv6(value);
    if (!bytes) return undefined;
    const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
  }
  const bytes = parseIpv4(value);
  return bytes ? { family: 4, bytes } : undefined;
}

export function isValidIp(path: string, value: string): FieldError[] {
  return parseIp(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isValidIpv4Address(path: string, value: string): FieldError[] {
  return parseIp(value)?.family === 4 ? [] : [invalid(path, value, 'must be a valid IPv4 address')];
}

export function isValidIpv6Address(path: string, value: string): FieldError[] {
  const ip = value.includes(':') ? parseIpv6(value) : undefined;
  return ip ? [] : [invalid(path, value, 'must be a valid IPv6 address')];
}

export function parseCidr(value: string): { ip: ParsedIp; prefix: number } | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const max = value.slice(0, slash).includes(':') ? 128 : 32;
  return prefix <= max ? { ip, prefix } : undefined;
}

export function isValidCidr(path: string, value: string): FieldError[] {
  return parseCidr(value) ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** Endpoints, EndpointSlices and external IPs may not be unspecified, loopback or link-local. */
export function validateNonSpecialIp(path: string, value: string): FieldError[] {
  const ip = parseIp(value);
  if (!ip) return [invalid(path, value, 'must be a valid IP address')];
  const b = ip.bytes;
  const errs: FieldError[] = [];
  if (b.every((x) => x === 0)) errs.push(invalid(path, value, `may not be unspecified (${value})`));
  const loopback = ip.family === 4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocal = ip.family === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
  if (linkLocal) errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const linkLocalMulticast = ip.family === 4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02;
  if (linkLocalMulticast) errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
