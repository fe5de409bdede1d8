// Small helpers over plain Kubernetes objects (JSON as stored and served).

import { randomBytes, randomUUID } from 'node:crypto';
import { rfc3339 } from '../../api/time.ts';

/** Any stored object: apiVersion, kind, metadata, and whatever else its kind carries. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  finalizers?: string[];
  managedFields?: unknown[];
  selfLink?: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A deep copy. Objects here are JSON data (decoded bodies, stored objects,
 * what components build), which a plain recursive copy handles several times
 * faster than structuredClone; anything else (a Date, a Map, a class
 * instance, a function) goes to structuredClone, which copies or refuses it.
 */
export function clone<T>(v: T): T {
  return cloneValue(v) as T;
}

function cloneValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return typeof v === 'function' || typeof v === 'symbol' ? structuredClone(v) : v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneValue(v[i]);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = cloneValue((v as Record<string, unknown>)[k]);
    // An own "__proto__" (JSON.parse makes one) stays a property: an assignment would set the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

/** Kubernetes timestamps: RFC 3339 with second precision, UTC. */
export function timestamp(d: Date): string {
  return rfc3339(d);
}

let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * n random bytes from a buffer filled 4 KiB at a time (as randomUUID does),
 * sparing a system call per generated name. For names, not for secrets.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(Math.max(4096, n));
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

export function newUid(): string {
  return randomUUID();
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, capped at 63 characters of base as upstream does. */
export function generateName(base: string): string {
  const max = 63 - 5;
  const prefix = base.length > max ? base.slice(0, max) : base;
  const bytes = pooledRandomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += ALPHANUMS[b % ALPHANUMS.length];
  return prefix + suffix;
}

/** Deep equality of JSON values, treating key order as irrelevant. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
