// REST verbs on resources and their status/finalize subresources.

import { groupVersion } from '../../api/kinds.ts';
import { applyConfiguration, assertApplyType } from '../apply/field-manager.ts';
import { managerOptions } from '../apply/request-options.ts';
import type { OptionsKind } from '../apply/request-options.ts';
import { ownershipScope } from '../apply/scope.ts';
import { ApiError, errors } from '../errors.ts';
import { readBody, mediaType, parseText } from '../http/body.ts';
import { addWarnings, sendJson, sendText } from '../http/respond.ts';
import { applyPatch, isApplyPatch, SUPPORTED_PATCH_TYPES } from '../patch/index.ts';
import { listObjects } from '../registry/list-watch.ts';
import { isObject, timestamp, type KObject } from '../registry/object.ts';
import type { DeleteOptions, WriteManager } from '../registry/registry.ts';
import { dryRunOf, intParam, type RequestContext } from './context.ts';
import { checkObject, decodeBody, decodeBodyWithText, expectedOf, fieldValidationOf, type FieldValidation } from './decode-object.ts';
import { predicateOf } from './predicate.ts';
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

/** The applied configuration in an apply patch body (YAML, or JSON which kubectl sends), structurally checked. */
async function decodeApplyConfig(ctx: RequestContext, validation: FieldValidation): Promise<{ config: KObject; warnings: string[] }> {
  const body = await readBody(ctx.req);
  let value: unknown;
  let json: string | undefined;
  try {
    value = JSON.parse(body.toString('utf8'));
    json = body.toString('utf8');
  } catch {
    value = body.length ? parseText(body, 'application/apply-patch+yaml') : {};
  }
  if (!isObject(value)) throw errors.badRequest(`error decoding YAML: the applied configuration must be an object`);
  assertApplyType(value, { apiVersion: groupVersion(ctx.info), kind: ctx.info.kind });
  const { object, warnings } = checkObject(value, expectedOf(ctx.info), validation, json);
  return { config: object, warnings };
}

/** Upstream's checkName: the object a patch produces must keep the name and namespace of the URL. */
function checkName(ctx: RequestContext, obj: KObject): void {
  const { name, namespace } = ctx.rr;
  const objName = obj.metadata.name ?? '';
  if (objName !== name) throw errors.badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  const objNamespace = obj.metadata.namespace;
  if (namespace && objNamespace && objNamespace !== namespace) {
    throw errors.badRequest(`the namespace of the object (${objNamespace}) does not match the namespace on the URL (${namespace})`);
  }
}

/**
 * Server-side apply (application/apply-patch+yaml): merges the configuration
 * into the object, or creates the object when it does not exist (the main
 * resource only), recording field ownership (../apply/).
 */
async function applyWith(ctx: RequestContext, subresource?: 'status'): Promise<{ object: KObject; created: boolean; warnings: string[] }> {
  const { info, rr, server } = ctx;
  const { manager, force } = managerOptions(ctx.query, ctx.req.headers['user-agent'], 'PatchOptions', true);
  const dryRun = dryRunOf(ctx.query);
  const { config, warnings } = await decodeApplyConfig(ctx, fieldValidationOf(ctx.query));
  const ownership = {
    model: info.model,
    apiVersion: groupVersion(info),
    kind: info.kind,
    subresource,
    scope: ownershipScope(info, subresource),
    now: timestamp(server.now()),
  };
  const apply = (live: KObject | undefined): KObject => {
    const rv = config.metadata.resourceVersion;
    if (rv && rv !== live?.metadata.resourceVersion) throw errors.conflict(info, rr.name!);
    const out = applyConfiguration(ownership, { live, config, manager, force });
    checkName(ctx, out);
    return out;
  };
  const opts = { dryRun, manager: { operation: 'Apply' } as const };
  for (let attempt = 0; ; attempt++) {
    try {
      const object = await server.registry.guaranteedUpdate(info, rr.namespace, rr.name!, opts, apply, undefined, subresource);
      return { object, created: false, warnings };
    } catch (e) {
      if (subresource || !(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
    try {
      const object = await server.registry.create(info, rr.namespace, apply(undefined), opts);
      return { object, created: true, warnings };
    } catch (e) {
      // Created by someone else in the meantime: apply to theirs.
      if (attempt < 3 && e instanceof ApiError && e.reason === 'AlreadyExists') continue;
      throw e;
    }
  }
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
