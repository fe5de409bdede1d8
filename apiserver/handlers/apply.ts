// Server-side apply (PATCH with application/apply-patch+yaml): the applied
// configuration is merged into the object, or creates it, with field
// ownership recorded in metadata.managedFields (see ../apply/README.md).

import { groupVersion } from '../../api/kinds.ts';
import { applyConfiguration, assertApplyType } from '../apply/field-manager.ts';
import { managerOptions } from '../apply/request-options.ts';
import { ownershipScope } from '../apply/scope.ts';
import { ApiError, errors } from '../errors.ts';
import { parseText, readBody } from '../http/body.ts';
import { isObject, timestamp, type KObject } from '../registry/object.ts';
import { dryRunOf, type RequestContext } from './context.ts';
import { checkObject, expectedOf, fieldValidationOf, type FieldValidation } from './decode-object.ts';

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
export async function applyWith(ctx: RequestContext, subresource?: 'status'): Promise<{ object: KObject; created: boolean; warnings: string[] }> {
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
