// /openapi/v2 in protobuf (application/com.github.proto-openapi.spec.v2@v1.0+protobuf):
// the v2 document encoded as gnostic's openapi.v2.Document. kubectl 1.27 and
// 1.28 fetch it, in this encoding only, before `apply` / `create -f` with
// validation (and to find the patch strategy of fields); a 404 fails them.
// Vendor extensions travel as NamedAny {name, value: Any {yaml}}, with the
// value written as JSON (which is YAML).

import { ProtoWriter } from './proto-writer.ts';
import { openapiV2 } from './v2.ts';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** NamedAny entries for the x-* keys of an object. */
function extensions(w: ProtoWriter, field: number, o: Json): void {
  for (const [name, value] of Object.entries(o)) {
    if (name.startsWith('x-')) w.message(field, (n) => n.string(1, name).message(2, (a) => a.string(2, JSON.stringify(value))));
  }
}

function schema(w: ProtoWriter, s: Json): void {
  w.string(1, str(s.$ref)).string(2, str(s.format)).string(4, str(s.description));
  if (s.default !== undefined) w.message(5, (a) => a.string(2, JSON.stringify(s.default)));
  w.bool(16, s.uniqueItems === true);
  w.strings(19, strs(s.required));
  for (const e of list(s.enum)) w.message(20, (a) => a.string(2, JSON.stringify(e)));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    w.message(21, (ap) => ap.message(1, (x) => schema(x, obj(s.additionalProperties))));
  }
  if (typeof s.type === 'string') w.message(22, (t) => t.string(1, s.type as string));
  if (s.items) w.message(23, (it) => it.message(1, (x) => schema(x, obj(s.items))));
  for (const a of list(s.allOf)) w.message(24, (x) => schema(x, obj(a)));
  if (s.properties) {
    w.message(25, (ps) => {
      for (const [name, p] of Object.entries(obj(s.properties))) ps.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, obj(p))));
    });
  }
  extensions(w, 31, s);
}

function parameter(w: ProtoWriter, p: Json): void {
  w.message(1, (param) => {
    if (p.in === 'body') {
      param.message(1, (b) =>
        b
          .string(1, str(p.description))
          .string(2, str(p.name))
          .string(3, 'body')
          .bool(4, p.required === true)
          .message(5, (x) => schema(x, obj(p.schema))),
      );
      return;
    }
    // NonBodyParameter: query (3) or path (4) sub-schema; their type and uniqueItems numbers differ.
    const query = p.in === 'query';
    param.message(2, (nb) =>
      nb.message(query ? 3 : 4, (q) =>
        q
          .bool(1, p.required === true)
          .string(2, str(p.in))
          .string(3, str(p.description))
          .string(4, str(p.name))
          .string(query ? 6 : 5, str(p.type))
          .bool(query ? 20 : 19, p.uniqueItems === true),
      ),
    );
  });
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

function operation(w: ProtoWriter, op: Json): void {
  w.strings(1, strs(op.tags)).string(3, str(op.description)).string(5, str(op.operationId));
  w.strings(6, strs(op.produces)).strings(7, strs(op.consumes));
  for (const p of list(op.parameters)) w.message(8, (x) => parameter(x, obj(p)));
  w.message(9, (rs) => {
    for (const [code, r] of Object.entries(obj(op.responses))) {
      const resp = obj(r);
      rs.message(1, (n) =>
        n.string(1, code).message(2, (rv) =>
          rv.message(1, (x) => {
            x.string(1, str(resp.description));
            if (resp.schema) x.message(2, (si) => si.message(1, (s) => schema(s, obj(resp.schema))));
          }),
        ),
      );
    }
  });
  w.strings(10, strs(op.schemes));
  extensions(w, 13, op);
}

function document(d: Json): Uint8Array {
  const w = new ProtoWriter();
  const info = obj(d.info);
  w.string(1, str(d.swagger)).message(2, (i) => i.string(1, str(info.title)).string(2, str(info.version)));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(obj(d.paths))) {
      const pi = obj(item);
      paths.message(2, (n) =>
        n.string(1, path).message(2, (x) => {
          for (const [method, field] of Object.entries(METHODS)) if (pi[method]) x.message(field, (o) => operation(o, obj(pi[method])));
          for (const p of list(pi.parameters)) x.message(9, (y) => parameter(y, obj(p)));
        }),
      );
    }
  });
  w.message(9, (defs) => {
    for (const [name, s] of Object.entries(obj(d.definitions))) defs.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, obj(s))));
  });
  for (const req of list(d.security)) {
    w.message(12, (sr) => {
      for (const [name, scopes] of Object.entries(obj(req))) sr.message(1, (n) => n.string(1, name).message(2, (a) => a.strings(1, strs(scopes))));
    });
  }
  w.message(13, (sd) => {
    for (const [name, def] of Object.entries(obj(d.securityDefinitions))) {
      const k = obj(def);
      sd.message(1, (n) =>
        n.string(1, name).message(2, (item) =>
          item.message(2, (a) => a.string(1, str(k.type)).string(2, str(k.name)).string(3, str(k.in)).string(4, str(k.description))),
        ),
      );
    }
  });
  return w.finish();
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

let encoded: Uint8Array | undefined;

/** /openapi/v2 as protobuf, built once. */
export function openapiV2Protobuf(): Uint8Array {
  encoded ??= document(openapiV2());
  return encoded;
}
