// OpenAPI v3: one document per group-version (/openapi/v3/apis/apps/v1) and
// the root that lists them (/openapi/v3) with a content hash each. Documents
// are static, so each is built once per process.
//
// kubectl reads them to check that PATCH of a kind takes `fieldValidation`
// (then it validates on the server), for `explain` (schema found by
// x-kubernetes-group-version-kind, walked through properties/allOf/$ref/items)
// and for the patch strategy of each field in client-side apply.

import { createHash } from 'node:crypto';
import type { Model } from '../schema/dsl.ts';
import { RESOURCES } from '../kinds.ts';
import { collect } from './collect.ts';
import { BEARER_TOKEN, INFO, PATCH_TYPES, RESPONSE_TYPES, STREAM_TYPES } from './media.ts';
import { gvPath } from './names.ts';
import { operationModels, resourcePaths, type Operation, type PathItem } from './operations.ts';
import { renderParam } from './parameters.ts';
import { modelSchema, V2, V3, type Schema } from './schema.ts';
import { scalarSchema } from './scalars.ts';

function content(model: Model, types: readonly string[]): Schema {
  return Object.fromEntries(types.map((t) => [t, { schema: { $ref: V3.ref(model.name) } }]));
}

function renderOperation(op: Operation): Schema {
  const out: Schema = { description: op.description, operationId: op.operationId };
  if (op.query.length) out.parameters = op.query.map((p) => renderParam(p, 3));
  if (op.body) {
    out.requestBody = { content: content(op.body.model, op.body.patch ? PATCH_TYPES : ['*/*']), ...(op.body.required ? { required: true } : {}) };
  }
  const types = op.stream ? [...RESPONSE_TYPES, ...STREAM_TYPES] : RESPONSE_TYPES;
  out.responses = {
    ...Object.fromEntries(op.responses.map((r) => [r.code, { content: content(r.model, types), description: r.description }])),
    '401': { description: 'Unauthorized' },
  };
  out.tags = [op.tag];
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function renderPaths(items: readonly PathItem[]): Schema {
  const paths: Schema = {};
  for (const item of items) {
    const entry: Schema = { parameters: item.params.map((p) => renderParam(p, 3)) };
    for (const op of item.operations) entry[op.method] = renderOperation(op);
    paths[item.path] = entry;
  }
  return paths;
}

export function componentSchemas(roots: readonly Model[], v: 2 | 3): Schema {
  const reach = collect(roots);
  const dialect = v === 3 ? V3 : V2;
  const out: Schema = {};
  const names = [...reach.models.keys(), ...reach.scalars].sort();
  for (const name of names) {
    const m = reach.models.get(name);
    out[name] = m ? modelSchema(dialect, m) : scalarSchema(name, v);
  }
  return out;
}

function build(path: string): Schema | undefined {
  const resources = RESOURCES.filter((r) => gvPath(r) === path);
  if (!resources.length) return undefined;
  const items = resources.flatMap(resourcePaths);
  return {
    openapi: '3.0.0',
    info: INFO,
    paths: renderPaths(items),
    components: { schemas: componentSchemas(operationModels(items), 3), securitySchemes: { BearerToken: BEARER_TOKEN } },
    security: [{ BearerToken: [] }],
  };
}

interface Built {
  document: Schema;
  hash: string;
}

const built = new Map<string, Built | undefined>();

function get(path: string): Built | undefined {
  if (!built.has(path)) {
    const document = build(path);
    built.set(path, document && { document, hash: createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase() });
  }
  return built.get(path);
}

/** Group-version document paths in discovery order: "api/v1", "apis/apps/v1", ... */
export function groupVersionPaths(): string[] {
  return [...new Set(RESOURCES.map(gvPath))];
}

/** The OpenAPI v3 document of "api/v1" or "apis/<group>/<version>"; undefined if none. Shared: do not mutate. */
export function openapiV3Document(groupVersionPath: string): Schema | undefined {
  return get(groupVersionPath.replace(/^\/+|\/+$/g, ''))?.document;
}

/** /openapi/v3: each group-version document with its URL and content hash. */
export function openapiV3Root(baseUrl = ''): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const path of groupVersionPaths()) {
    const b = get(path);
    if (b) paths[path] = { serverRelativeURL: `${baseUrl}/openapi/v3/${path}?hash=${b.hash}` };
  }
  return { paths };
}
