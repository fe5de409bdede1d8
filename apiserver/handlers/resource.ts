// REST verbs on resources and their status/finalize subresources.

import { groupVersion } from '../../api/kinds.ts';
import { managerOptions } from '../apply/request-options.ts';
import type { OptionsKind } from '../apply/request-options.ts';
import { ApiError, errors } from '../errors.ts';
import { readBody, mediaType } from '../http/body.ts';
import { addWarnings, sendJson, sendText } from '../http/respond.ts';
import { applyPatch, isApplyPatch, SUPPORTED_PATCH_TYPES } from '../patch/index.ts';
import { listObjects } from '../registry/list-watch.ts';
import { isObject, type KObject } from '../registry/object.ts';
import type { DeleteOptions, WriteManager } from '../registry/registry.ts';
import { dryRunOf, intParam, type RequestContext } from './context.ts';
import { checkObject, decodeBody, decodeBodyWithText, expectedOf, fieldValidationOf } from './decode-object.ts';
import { predicateOf } from './predicate.ts';
import { applyWith } from './apply.ts';
import { handleScale } from './scale.ts';
import { includeObjectOf, TABLE_CONTENT_TYPE, toTable, wantsTable } from './table.ts';
import { handleWatch } from './watch.ts';

export async function handleResource(ctx: RequestContext): Promise<void> {
  const { rr } = ctx;
  if (rr.subresource === 'scale') return handleScale(ctx);
  if (rr.subresource === 'status' || rr.subresource === 'finalize') return handleSubresource(ctx, rr.subresource);
  if (rr.subresource) throw errors.pathNotFound();
  switch (rr.verb) {
    case 'get':
      return get(ctx);
    case 'list':
      return list(ctx);
    case 'watch':
      return handleWatch(ctx);
    case 'create':
      return create(ctx);
    case 'update':
      return update(ctx);
    case 'patch':
      return patch(ctx);
    case 'delete':
      return remove(ctx);
    case 'deletecollection':
      return removeCollection(ctx);
  }
}

function respondObject(ctx: RequestContext, code: number, obj: KObject, warnings: string[] = []): void {
  addWarnings(ctx.res, warnings);
  if (wantsTable(ctx.req.headers.accept)) {
    const t = toTable(ctx.info, [obj], { resourceVersion: obj.metadata.resourceVersion }, { now: ctx.server.now(), includeObject: includeObjectOf(ctx.query) });
    sendJson(ctx.res, code, t, TABLE_CONTENT_TYPE);
    return;
  }
  sendJson(ctx.res, code, obj);
}

async function get(ctx: RequestContext): Promise<void> {
  const obj = await ctx.server.registry.get(ctx.info, ctx.rr.namespace, ctx.rr.name!);
  respondObject(ctx, 200, obj);
}

async function list(ctx: RequestContext): Promise<void> {
  const { info, query, rr } = ctx;
  const table = wantsTable(ctx.req.headers.accept);
  const result = await listObjects(ctx.server.store, info, {
    namespace: rr.namespace,
    predicate: predicateOf(info, query),
    limit: intParam(query, 'limit'),
    continue: query.get('continue') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
    raw: !table,
  });
  const meta = {
    resourceVersion: result.resourceVersion,
    ...(result.continue ? { continue: result.continue } : {}),
    ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
  };
  if (table) {
    sendJson(ctx.res, 200, toTable(info, result.items, meta, { now: ctx.server.now(), includeObject: includeObjectOf(query) }), TABLE_CONTENT_TYPE);
    return;
  }
  if (result.rawItems) {
    // The stored JSON spliced into the list: no parse and re-serialisation of every object.
    const head = JSON.stringify({ kind: info.listKind, apiVersion: groupVersion(info), metadata: meta }).slice(0, -1);
    sendText(ctx.res, 200, `${head},"items":[${result.rawItems.join(',')}]}`);
    return;
  }
  sendJson(ctx.res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata: meta, items: result.items });
}

async function decodeRequestObject(ctx: RequestContext): Promise<{ object: KObject; warnings: string[] }> {
  const body = await readBody(ctx.req);
  const { value, json } = decodeBodyWithText(body, ctx.req.headers['content-type']);
  return checkObject(value, expectedOf(ctx.info), fieldValidationOf(ctx.query), json);
}

/** The manager an update-type write (create, PUT, non-apply PATCH) is recorded under: fieldManager, or the User-Agent's product. */
function updateManager(ctx: RequestContext, kind: OptionsKind): WriteManager {
  return { operation: 'Update', name: managerOptions(ctx.query, ctx.req.headers['user-agent'], kind).manager };
}

async function create(ctx: RequestContext): Promise<void> {
  if (ctx.rr.name) throw errors.methodNotAllowed('create');
  const manager = updateManager(ctx, 'CreateOptions');
  const { object, warnings } = await decodeRequestObject(ctx);
  const created = await ctx.server.registry.create(ctx.info, ctx.rr.namespace, object, { dryRun: dryRunOf(ctx.query), manager });
  respondObject(ctx, 201, created, warnings);
}

async function update(ctx: RequestContext): Promise<void> {
  if (!ctx.rr.name) throw errors.methodNotAllowed('update');
  const manager = updateManager(ctx, 'UpdateOptions');
  const { object, warnings } = await decodeRequestObject(ctx);
  const updated = await ctx.server.registry.update(ctx.info, ctx.rr.namespace, ctx.rr.name, object, { dryRun: dryRunOf(ctx.query), manager });
  respondObject(ctx, 200, updated, warnings);
}

/** Applies a JSON, merge or strategic merge patch; a resourceVersion in the patch is a precondition. */
async function patchWith(ctx: RequestContext, subresource?: 'status'): Promise<{ object: KObject; warnings: string[] }> {
  const type = mediaType(ctx.req.headers['content-type']);
  if (isApplyPatch(type) || !SUPPORTED_PATCH_TYPES.includes(type)) throw errors.unsupportedMediaType(type, SUPPORTED_PATCH_TYPES);
  const manager = updateManager(ctx, 'PatchOptions');
  const body = await readBody(ctx.req);
  const validation = fieldValidationOf(ctx.query);
  let warnings: string[] = [];
  const object = await ctx.server.registry.guaranteedUpdate(
    ctx.info,
    ctx.rr.namespace,
    ctx.rr.name!,
    { dryRun: dryRunOf(ctx.query), manager },
    (current) => {
      const patched = applyPatch(type, current, body, ctx.info.model);
      const checked = checkObject(patched, expectedOf(ctx.info), validation);
      warnings = checked.warnings;
      const rv = checked.object.metadata.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw errors.conflict(ctx.info, ctx.rr.name!);
      return checked.object;
    },
    undefined,
    subresource,
  );
  return { object, warnings };
}

async function patch(ctx: RequestContext): Promise<void> {
  if (!ctx.rr.name) throw errors.methodNotAllowed('patch');
  if (isApplyPatch(mediaType(ctx.req.headers['content-type']))) {
    const { object, created, warnings } = await applyWith(ctx);
    return respondObject(ctx, created ? 201 : 200, object, warnings);
  }
  const { object, warnings } = await patchWith(ctx);
  respondObject(ctx, 200, object, warnings);
}

async function handleSubresource(ctx: RequestContext, sub: 'status' | 'finalize'): Promise<void> {
  const { rr, info } = ctx;
  if (!info.subresources.includes(sub) || !rr.name) throw errors.pathNotFound();
  switch (rr.verb) {
    case 'get':
      if (sub === 'finalize') throw errors.methodNotAllowed('get');
      return get(ctx);
    case 'update': {
      const manager = updateManager(ctx, 'UpdateOptions');
      const { object, warnings } = await decodeRequestObject(ctx);
      const updated = await ctx.server.registry.update(info, rr.namespace, rr.name, object, { dryRun: dryRunOf(ctx.query), subresource: sub, manager });
      return respondObject(ctx, 200, updated, warnings);
    }
    case 'patch': {
      if (sub === 'finalize') throw errors.methodNotAllowed('patch');
      const { object, warnings } = isApplyPatch(mediaType(ctx.req.headers['content-type'])) ? await applyWith(ctx, 'status') : await patchWith(ctx, 'status');
      return respondObject(ctx, 200, object, warnings);
    }
    default:
      throw errors.methodNotAllowed(rr.verb);
  }
}

/** DeleteOptions come in the body (kubectl) or as query parameters (curl, older clients). */
async function deleteOptionsOf(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  let opts: Record<string, unknown> = {};
  if (body.length) {
    const v = decodeBody(body, ctx.req.headers['content-type'] || 'application/json');
    if (!isObject(v)) throw errors.badRequest('the body of a delete request must be a DeleteOptions object');
    opts = v;
  }
  const q = ctx.query;
  const grace = opts.gracePeriodSeconds ?? intParam(q, 'gracePeriodSeconds');
  const policy = opts.propagationPolicy ?? q.get('propagationPolicy') ?? (opts.orphanDependents === true || q.get('orphanDependents') === 'true' ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== null && !['Orphan', 'Background', 'Foreground'].includes(policy as string)) {
    throw errors.invalid('', 'DeleteOptions', '', [
      { type: 'FieldValueNotSupported', field: 'propagationPolicy', value: policy, supported: ['Foreground', 'Background', 'Orphan'], detail: '' },
    ]);
  }
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace))) throw errors.badRequest('gracePeriodSeconds must be an integer');
  const dryRun = Array.isArray(opts.dryRun) ? opts.dryRun : [];
  for (const v of dryRun) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${String(v)}`);
  const pre = isObject(opts.preconditions) ? opts.preconditions : {};
  return {
    gracePeriodSeconds: (grace as number | null | undefined) ?? undefined,
    propagationPolicy: (policy as DeleteOptions['propagationPolicy']) ?? undefined,
    preconditions: { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined },
    dryRun: dryRun.length > 0 || dryRunOf(q),
  };
}

async function remove(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptionsOf(ctx);
  const { object, deleted } = await ctx.server.registry.delete(ctx.info, ctx.rr.namespace, ctx.rr.name!, opts);
  respondObject(ctx, deleted ? 200 : 202, object);
}

async function removeCollection(ctx: RequestContext): Promise<void> {
  if (!ctx.info.verbs.includes('deletecollection')) throw errors.methodNotAllowed('deletecollection');
  const opts = await deleteOptionsOf(ctx);
  const { info, rr, query } = ctx;
  const result = await listObjects(ctx.server.store, info, { namespace: rr.namespace, predicate: predicateOf(info, query) });
  const items: KObject[] = [];
  for (const obj of result.items) {
    try {
      items.push((await ctx.server.registry.delete(info, obj.metadata.namespace, obj.metadata.name!, opts)).object);
    } catch (e) {
      // Gone in the meantime: someone else deleted it, which is what we wanted.
      if (!(e instanceof Error && 'reason' in e && (e as { reason: string }).reason === 'NotFound')) throw e;
    }
  }
  sendJson(ctx.res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata: { resourceVersion: result.resourceVersion }, items });
}
