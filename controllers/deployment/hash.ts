// The pod-template-hash: which ReplicaSet belongs to which pod template.
// Kubernetes hashes the Go struct dump of the template with FNV-32a (plus
// the collisionCount, to step around a collision) and encodes the decimal
// value of the hash in a vowel-free alphabet, so that it is a safe label
// value and never spells a word. Skiff hashes a canonical JSON form instead
// (same hash function, same encoding): the value differs from Kubernetes'
// but is just as stable. Templates are compared the way Go's semantic
// equality compares the structs after a JSON round trip: null, "" and empty
// maps and lists are the same as absent (kubectl rollout undo sends
// `creationTimestamp: null` and `resources: {}`), and the hash label itself
// is ignored.

export const HASH_LABEL = 'pod-template-hash';

/** k8s.io/apimachinery/pkg/util/rand alphanums: no vowels, no 0, 1, 3 (no words, no look-alikes). */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits, over bytes. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The value with null, "", {} and [] removed at every depth; undefined when nothing is left. */
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v)) {
    // Elements keep their place: an empty struct in a list is still an element, and "" a value.
    const items = v.map((x) => (x !== null && typeof x === 'object' ? (normalize(x) ?? {}) : x));
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

interface Template {
  metadata?: { labels?: Record<string, string> } & Record<string, unknown>;
  [k: string]: unknown;
}

function withoutHashLabel(t: Template | undefined): Template {
  const copy: Template = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

/** controller.ComputeHash: FNV-32a of the template, then the collisionCount as 8 little-endian bytes, encoded safely. */
export function computeHash(template: Template | undefined, collisionCount?: number): string {
  const text = JSON.stringify(normalize(template ?? {}) ?? {});
  let h = fnv32a(new TextEncoder().encode(text));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** EqualIgnoreHash: the two templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: Template | undefined, b: Template | undefined): boolean {
  return JSON.stringify(normalize(withoutHashLabel(a)) ?? {}) === JSON.stringify(normalize(withoutHashLabel(b)) ?? {});
}
