// Swagger 2.0: one JSON document for every group-version, for clients that
// ask /openapi/v2 for JSON. Same operations, parameters (fieldValidation on
// create, update and patch) and extensions as the v3 documents.

import type { Model } from '../schema/dsl.ts';
import { RESOURCES } from '../kinds.ts';
import { BEARER_TOKEN, INFO, PATCH_TYPES, RESPONSE_TYPES, STREAM_TYPES } from './media.ts';
import { operationModels, resourcePaths, type Operation } from './operations.ts';
import { renderParam } from './parameters.ts';
import { V2, type Schema } from './schema.ts';
import { componentSchemas } from './v3.ts';

const ref = (model: Model): Schema => ({ $ref: V2.ref(model.name) });

function renderOperation(op: Operation): Schema {
  const parameters = op.query.map((p) => renderParam(p, 2));
  if (op.body) parameters.unshift({ in: 'body', name: 'body', required: op.body.required, schema: ref(op.body.model) });
  const out: Schema = {
    consumes: op.body?.patch ? PATCH_TYPES : ['*/*'],
    description: op.description,
    operationId: op.operationId,
    produces: op.stream ? [...RESPONSE_TYPES, ...STREAM_TYPES] : RESPONSE_TYPES,
    schemes: ['https'],
    tags: [op.tag],
  };
  if (parameters.length) out.parameters = parameters;
  out.responses = {
    ...Object.fromEntries(op.responses.map((r) => [r.code, { description: r.description, schema: ref(r.model) }])),
    '401': { description: 'Unauthorized' },
  };
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function build(): Schema {
  const items = RESOURCES.flatMap(resourcePaths);
  const paths: Schema = {};
  for (const item of items) {
    const entry: Schema = { parameters: item.params.map((p) => renderParam(p, 2)) };
    for (const op of item.operations) entry[op.method] = renderOperation(op);
    paths[item.path] = entry;
  }
  return {
    swagger: '2.0',
    info: INFO,
    paths,
    definitions: componentSchemas(operationModels(items), 2),
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: BEARER_TOKEN },
  };
}

let document: Schema | undefined;

/** /openapi/v2 as JSON, built once. Shared: do not mutate. */
export function openapiV2(): Schema {
  document ??= build();
  return document;
}
