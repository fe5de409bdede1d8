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

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Kubernetes timestamps: RFC 3339 with second precision, UTC. */
export function timestamp(d: Date): string {
  return rfc3339(d);
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
  const bytes = randomBytes(5);
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
