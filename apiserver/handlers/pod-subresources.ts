// POST pods/{name}/binding (core/v1 Binding) and pods/{name}/eviction
// (policy/v1 or v1beta1 Eviction): decode and check the body, run the
// registry operation, answer 201 with a Status Success as Kubernetes does.
// Bodies come as JSON, YAML or protobuf (what client-go's typed clients,
// kube-scheduler's binder among them, send); kubectl drain sends JSON.

import { groupVersion } from '../../api/kinds.ts';
import { Binding } from '../../api/schema/core/pod.ts';
import type { Model } from '../../api/schema/dsl.ts';
import { managerOptions } from '../apply/request-options.ts';
import { errors } from '../errors.ts';
import { mediaType, PROTOBUF, readBody } from '../http/body.ts';
import { addWarnings, sendJson } from '../http/respond.ts';
import { decodeProtobufObject } from '../protobuf/index.ts';
import { isObject } from '../registry/object.ts';
import { bindPod } from '../registry/pod-binding.ts';
import { evictPod, Eviction } from '../registry/pod-eviction.ts';
import { dryRunOf, type RequestContext } from './context.ts';
import { checkObject, decodeBodyWithText, fieldValidationOf } from './decode-object.ts';

const BODY_MODELS: Model[] = [Binding, Eviction];

function resolveModel(apiVersion: string, kind: string): Model | undefined {
  return BODY_MODELS.find((m) => m.gvk?.some((g) => groupVersion(g) === apiVersion && g.kind === kind));
}

function decode(body: Buffer, contentType: string | undefined): { value: unknown; json?: string } {
  if (mediaType(contentType) !== PROTOBUF) return decodeBodyWithText(body, contentType);
  try {
    return { value: decodeProtobufObject(body, resolveModel) };
  } catch (e) {
    throw errors.badRequest(`failed to decode protobuf body: ${(e as Error).message}`);
  }
}

export async function handlePodSubresource(ctx: RequestContext): Promise<void> {
  const { rr, info, server } = ctx;
  const sub = rr.subresource;
  if (info.group !== '' || info.resource !== 'pods' || !rr.name || (sub !== 'binding' && sub !== 'eviction')) throw errors.pathNotFound();
  if (rr.verb !== 'create') throw errors.methodNotAllowed(rr.verb);
  const validation = fieldValidationOf(ctx.query);
  const dryRun = dryRunOf(ctx.query);
  const { value, json } = decode(await readBody(ctx.req), ctx.req.headers['content-type']);
  let expected = { group: '', version: 'v1', kind: 'Binding', model: Binding };
  if (sub === 'eviction') {
    // Both policy versions are accepted, as upstream's AcceptsGroupVersion allows.
    const v1beta1 = isObject(value) && value.apiVersion === 'policy/v1beta1';
    expected = { group: 'policy', version: v1beta1 ? 'v1beta1' : 'v1', kind: 'Eviction', model: Eviction };
  }
  const { object, warnings } = checkObject(value, expected, validation, json);
  const { manager } = managerOptions(ctx.query, ctx.req.headers['user-agent'], 'CreateOptions');
  const status =
    sub === 'binding'
      ? await bindPod(server.registry, rr.namespace, rr.name, object, { dryRun, now: server.now })
      : await evictPod(server.registry, rr.namespace, rr.name, object, { dryRun, now: server.now, manager });
  addWarnings(ctx.res, warnings);
  sendJson(ctx.res, 201, status);
}
