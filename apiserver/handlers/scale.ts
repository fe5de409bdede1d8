// The scale subresource (autoscaling/v1 Scale) of Deployments and
// ReplicaSets: `kubectl scale` patches it, the HPA reads and writes it.

import { Scale } from '../../api/schema/autoscaling.ts';
import { selectorToString } from '../../api/selectors/label.ts';
import { managerOptions } from '../apply/request-options.ts';
import { errors } from '../errors.ts';
import { mediaType, readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { applyPatch, isApplyPatch, SUPPORTED_PATCH_TYPES } from '../patch/index.ts';
import { isObject, type KObject } from '../registry/object.ts';
import { dryRunOf, type RequestContext } from './context.ts';
import { checkObject, decodeBody, fieldValidationOf } from './decode-object.ts';

const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale', model: Scale };

export function scaleOf(obj: KObject): KObject {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const status = isObject(obj.status) ? obj.status : {};
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: isObject(spec.selector) ? selectorToString(spec.selector) : '',
    },
  };
}

export async function handleScale(ctx: RequestContext): Promise<void> {
  const { info, rr, server } = ctx;
  if (!info.subresources.includes('scale') || !rr.name) throw errors.pathNotFound();
  if (rr.verb === 'get') {
    sendJson(ctx.res, 200, scaleOf(await server.registry.get(info, rr.namespace, rr.name)));
    return;
  }
  if (rr.verb !== 'update' && rr.verb !== 'patch') throw errors.methodNotAllowed(rr.verb);
  const validation = fieldValidationOf(ctx.query);
  const body = await readBody(ctx.req);
  const type = mediaType(ctx.req.headers['content-type']);
  if (rr.verb === 'patch' && (isApplyPatch(type) || !SUPPORTED_PATCH_TYPES.includes(type))) throw errors.unsupportedMediaType(type, SUPPORTED_PATCH_TYPES);
  const decoded = rr.verb === 'update' ? decodeBody(body, ctx.req.headers['content-type']) : undefined;
  const { manager } = managerOptions(ctx.query, ctx.req.headers['user-agent'], rr.verb === 'update' ? 'UpdateOptions' : 'PatchOptions');
  const write = { dryRun: dryRunOf(ctx.query), manager: { operation: 'Update', name: manager, subresource: 'scale' } as const };
  const updated = await server.registry.guaranteedUpdate(info, rr.namespace, rr.name, write, (current) => {
    const scale = scaleOf(current);
    const desired = rr.verb === 'update' ? decoded : applyPatch(type, scale, body, Scale);
    const { object } = checkObject(desired, SCALE, validation);
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw errors.conflict(info, rr.name!);
    const replicas = isObject(object.spec) ? object.spec.replicas : undefined;
    if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('autoscaling', 'Scale', rr.name!, [
        { type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' },
      ]);
    }
    return { ...current, spec: { ...(isObject(current.spec) ? current.spec : {}), replicas: replicas ?? 0 } };
  });
  sendJson(ctx.res, 200, scaleOf(updated));
}
