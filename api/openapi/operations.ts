// The REST operations of a resource, independent of the OpenAPI dialect:
// collection (list, create, deletecollection), item (read, replace, patch,
// delete), the status and scale subresources, the all-namespaces list of a
// namespaced resource, and the (deprecated, still published) watch paths.

import type { GroupVersionKind, Model } from '../schema/dsl.ts';
import { DeleteOptions, Status } from '../schema/meta.ts';
import { Scale } from '../schema/autoscaling.ts';
import type { ResourceInfo } from '../kinds.ts';
import { listModel, Patch, WatchEvent } from './extra-models.ts';
import { gvPrefix, operationInfix, operationTag } from './names.ts';
import { DELETE_COLLECTION_QUERY, DELETE_QUERY, LIST_QUERY, PATCH_QUERY, WRITE_QUERY, type ParamName } from './parameters.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';

export interface Response {
  code: '200' | '201' | '202';
  description: string;
  model: Model;
}

export interface Operation {
  method: Method;
  operationId: string;
  description: string;
  action: Action;
  gvk: GroupVersionKind;
  query: readonly ParamName[];
  body?: { model: Model; patch: boolean; required: boolean };
  responses: Response[];
  /** Responses may also be watch streams. */
  stream: boolean;
  tag: string;
}

export interface PathItem {
  path: string;
  /** Path-level parameters: path parameters, then `pretty`. */
  params: ParamName[];
  operations: Operation[];
}

const ok = (model: Model): Response => ({ code: '200', description: 'OK', model });
const created = (model: Model): Response => ({ code: '201', description: 'Created', model });
const accepted = (model: Model): Response => ({ code: '202', description: 'Accepted', model });

const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

export function resourcePaths(r: ResourceInfo): PathItem[] {
  const base = gvPrefix(r);
  const ns = r.namespaced ? '/namespaces/{namespace}' : '';
  const scoped = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = '') => `${verb}${operationInfix(r)}${scoped}${r.kind}${suffix}`;
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const tag = operationTag(r);
  const op = (o: Omit<Operation, 'tag' | 'gvk' | 'stream'> & { gvk?: GroupVersionKind; stream?: boolean }): Operation => ({
    gvk,
    stream: false,
    tag,
    ...o,
  });
  const list = listModel(r);
  const nsParams: ParamName[] = r.namespaced ? ['namespace', 'pretty'] : ['pretty'];
  const itemParams: ParamName[] = ['name', ...nsParams];
  const collection = `${base}${ns}/${r.resource}`;
  const item = `${collection}/{name}`;

  /** read / replace / patch of the item or one of its subresources. */
  const readWrite = (suffix: string, what: string, model: Model, kind: GroupVersionKind): Operation[] => [
    op({ method: 'get', operationId: id('read', suffix), description: `read ${what}`, action: 'get', gvk: kind, query: [], responses: [ok(model)] }),
    op({
      method: 'put',
      operationId: id('replace', suffix),
      description: `replace ${what}`,
      action: 'put',
      gvk: kind,
      query: WRITE_QUERY,
      body: { model, patch: false, required: true },
      responses: [ok(model), created(model)],
    }),
    op({
      method: 'patch',
      operationId: id('patch', suffix),
      description: `partially update ${what}`,
      action: 'patch',
      gvk: kind,
      query: PATCH_QUERY,
      body: { model: Patch, patch: true, required: true },
      responses: [ok(model), created(model)],
    }),
  ];

  const paths: PathItem[] = [
    {
      path: collection,
      params: nsParams,
      operations: [
        op({
          method: 'get',
          operationId: id('list'),
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          query: LIST_QUERY,
          responses: [ok(list)],
          stream: true,
        }),
        op({
          method: 'post',
          operationId: id('create'),
          description: `create a ${r.kind}`,
          action: 'post',
          query: WRITE_QUERY,
          body: { model: r.model, patch: false, required: true },
          responses: [ok(r.model), created(r.model), accepted(r.model)],
        }),
        op({
          method: 'delete',
          operationId: `delete${operationInfix(r)}Collection${scoped}${r.kind}`,
          description: `delete collection of ${r.kind}`,
          action: 'deletecollection',
          query: DELETE_COLLECTION_QUERY,
          body: { model: DeleteOptions, patch: false, required: false },
          responses: [ok(Status)],
        }),
      ],
    },
    {
      path: item,
      params: itemParams,
      operations: [
        ...readWrite('', `the specified ${r.kind}`, r.model, gvk),
        op({
          method: 'delete',
          operationId: id('delete'),
          description: `delete a ${r.kind}`,
          action: 'delete',
          query: DELETE_QUERY,
          body: { model: DeleteOptions, patch: false, required: false },
          responses: [ok(Status), accepted(Status)],
        }),
      ],
    },
  ];
  if (r.subresources.includes('status')) {
    paths.push({ path: `${item}/status`, params: itemParams, operations: readWrite('Status', `status of the specified ${r.kind}`, r.model, gvk) });
  }
  if (r.subresources.includes('scale')) {
    paths.push({ path: `${item}/scale`, params: itemParams, operations: readWrite('Scale', `scale of the specified ${r.kind}`, Scale, SCALE_GVK) });
  }
  const watch = (path: string, params: ParamName[], operationId: string, action: Action, what: string): PathItem => ({
    path,
    params,
    operations: [op({ method: 'get', operationId, description: `watch ${what}`, action, query: LIST_QUERY, responses: [ok(WatchEvent)], stream: true })],
  });
  if (r.namespaced) {
    paths.push({
      path: `${base}/${r.resource}`,
      params: ['pretty'],
      operations: [
        op({
          method: 'get',
          operationId: `list${operationInfix(r)}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          query: LIST_QUERY,
          responses: [ok(list)],
          stream: true,
        }),
      ],
    });
    paths.push(watch(`${base}/watch/${r.resource}`, ['pretty'], `watch${operationInfix(r)}${r.kind}ListForAllNamespaces`, 'watchlist', `individual changes to a list of ${r.kind}`));
  }
  paths.push(watch(`${base}/watch${ns}/${r.resource}`, nsParams, id('watch', 'List'), 'watchlist', `individual changes to a list of ${r.kind}`));
  paths.push(watch(`${base}/watch${ns}/${r.resource}/{name}`, itemParams, id('watch'), 'watch', `changes to an object of kind ${r.kind}`));
  return paths;
}

/** Every model an operation reads or returns. */
export function operationModels(paths: readonly PathItem[]): Model[] {
  return paths.flatMap((p) => p.operations.flatMap((o) => [...(o.body ? [o.body.model] : []), ...o.responses.map((r) => r.model)]));
}
