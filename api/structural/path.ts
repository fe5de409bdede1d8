// Paths into a JSON object, rendered the two ways Kubernetes prints them.
//
//   field.Path (validation causes, `field`):  spec.containers[0].env[1].name, metadata.labels[app]
//   strict decoding ("unknown field"):        spec.containers[0].env[1].name, metadata.labels.app
//
// They differ only for map keys.

export type Segment = { field: string } | { index: number } | { key: string };

export function fieldPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if ('index' in s) out += `[${s.index}]`;
    else if ('key' in s) out += `[${s.key}]`;
    else out += out ? `.${s.field}` : s.field;
  }
  return out;
}

export function strictPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if ('index' in s) out += `[${s.index}]`;
    else {
      const name = 'key' in s ? s.key : s.field;
      out += out ? `.${name}` : name;
    }
  }
  return out;
}

/** Parses a printed prefix such as "spec.template" or "items[2]" back into segments. */
export function parsePrefix(prefix: string | undefined): Segment[] {
  if (!prefix) return [];
  const out: Segment[] = [];
  for (const m of prefix.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push({ field: m[1] });
    else if (m[2] !== undefined) out.push({ index: Number(m[2]) });
    else out.push({ key: m[3] ?? '' });
  }
  return out;
}
