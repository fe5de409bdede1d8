// Strategic merge patch (application/strategic-merge-patch+json), applied the
// way k8s.io/apimachinery/pkg/util/strategicpatch does it server side
// (StrategicMergeMapPatch), with the schema DSL in place of Go struct tags.
// README.md lists the directives; element-order.ts explains list ordering.

import type { Model, Type } from '../../api/schema/dsl.ts';
import { normalizeElementOrder, partitionByPresence } from './element-order.ts';
import type { KeyOf } from './element-order.ts';
import { isObject, jsonKind, own, setKey } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { fieldMeta, listMeta, rootType } from './patch-meta.ts';
import type { FieldMeta, ListMeta } from './patch-meta.ts';
import { PatchError } from './patch-error.ts';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

// Upstream's mergepatch error texts, where one exists.
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';

/** A field the patch removes: a null, or `$patch: delete` on a map the object does not have. */
const DROP = Symbol('drop');

/**
 * Applies a strategic merge patch to a JSON object and returns the result.
 * Neither input is modified, and the result shares nothing with them.
 * `model` describes the object; without one the patch acts as a JSON merge
 * patch (maps merge, lists are replaced), directives still apply.
 * Throws PatchError (400, or 422 for a list of lists).
 */
export function strategicMergePatch(original: unknown, patch: unknown, model: Model | undefined): JsonObject {
  if (!isObject(original)) throw new TypeError('strategicMergePatch: the original is not a JSON object');
  // Like upstream, a `null` body decodes to an empty patch.
  if (patch === null) return structuredClone(original);
  if (!isObject(patch)) throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(structuredClone(original), structuredClone(patch), rootType(model));
}

function mergeMap(original: JsonObject, patch: JsonObject, type: Type | undefined): JsonObject {
  if (Object.hasOwn(patch, PATCH)) return mapDirective(patch, type);
  const result: JsonObject = { ...original };
  applyRetainKeys(result, patch);
  const ordered = mergeOrderedLists(result, patch, type);
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || ordered.has(key)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deletions.push([directiveField(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST), value]);
      continue;
    }
    const merged = value === null ? DROP : mergeField(own(result, key), value, fieldMeta(type, key));
    if (merged === DROP) delete result[key];
    else setKey(result, key, merged);
  }
  for (const [field, values] of deletions) deleteFromPrimitiveList(result, field, values);
  return result;
}

/** `$patch` on a map: replace the map with the rest of the patch, or empty it. */
function mapDirective(patch: JsonObject, type: Type | undefined): JsonObject {
  const directive = patch[PATCH];
  if (directive === 'delete') return {};
  if (directive !== 'replace') throw PatchError.badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  const rest: JsonObject = { ...patch };
  delete rest[PATCH];
  return mergeMap({}, rest, type);
}

/** The value of a field after patching it with `patch` (not null); `current` is undefined when absent. */
function mergeField(current: unknown, patch: unknown, field: FieldMeta): unknown {
  if (isObject(patch)) {
    if (isObject(current) && !field.replace) return mergeMap(current, patch, field.type);
    return freshValue(patch, field.type);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(current) ? current : [], patch, field.type);
  return patch;
}

/**
 * A patch value for a field that has nothing to merge with: its directives are
 * applied to an empty value and its nulls dropped (upstream removeDirectives
 * and discardNullValuesFromPatch), so none of them reach the stored object.
 */
function freshValue(patch: unknown, type: Type | undefined): unknown {
  if (isObject(patch)) return own(patch, PATCH) === 'delete' ? DROP : mergeMap({}, patch, type);
  if (Array.isArray(patch)) return mergeList([], patch, type);
  return patch;
}

/** `$retainKeys: [...]`: keys of the map not listed are cleared; every key the patch sets must be listed. */
function applyRetainKeys(result: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const listed = patch[RETAIN_KEYS];
  if (!Array.isArray(listed)) throw PatchError.badRequest(BAD_RETAIN_KEYS);
  const retain = new Set(listed);
  for (const [key, value] of Object.entries(patch)) {
    if (key === RETAIN_KEYS || value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retain.has(key)) throw PatchError.badRequest(BAD_RETAIN_KEYS);
  }
  for (const key of Object.keys(result)) if (!retain.has(key)) delete result[key];
}

/** "$setElementOrder/containers" -> "containers". */
function directiveField(key: string, prefix: string, formatError: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw PatchError.badRequest(formatError);
  return key.slice(slash + 1);
}

/**
 * `$setElementOrder/<field>`: merges the field's list with the patch's list
 * and puts the result in the given order, server-only items interleaved by
 * their live position. Returns the fields done here, which the main loop skips.
 * The directive only means something for merge lists; elsewhere it is dropped.
 */
function mergeOrderedLists(result: JsonObject, patch: JsonObject, type: Type | undefined): Set<string> {
  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = directiveField(key, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    if (!Array.isArray(order)) throw PatchError.badRequest(BAD_SET_ELEMENT_ORDER);
    const { type: listType } = fieldMeta(type, field);
    const list = listMeta(listType);
    const patchList = own(patch, field);
    if (!list.merge || (patchList !== undefined && !Array.isArray(patchList))) continue;
    const keyOf = keyFunction(list);
    if (list.mergeKey) for (const entry of order) requireMergeKey(entry, list.mergeKey);
    if (patchList) checkOrderMatchesPatch(patchList, order, list, keyOf);
    const current = own(result, field);
    const live = Array.isArray(current) ? current : undefined;
    if (!live && !patchList) continue;
    const merged = patchList ? mergeList(live ?? [], patchList, listType) : live!;
    const [inOrder, serverOnly] = partitionByPresence(merged, order, keyOf);
    setKey(result, field, normalizeElementOrder(inOrder, serverOnly, order, live ?? [], keyOf));
    done.add(field);
  }
  return done;
}

/** The patch list's items (directives aside) must appear in the $setElementOrder list, in the same relative order. */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], list: ListMeta, keyOf: KeyOf): void {
  const items = patchList.filter((item) => !(isObject(item) && Object.hasOwn(item, PATCH)));
  let next = 0;
  for (const entry of order) {
    if (next === items.length) break;
    if (list.mergeKey) requireMergeKey(items[next], list.mergeKey);
    if (keyOf(items[next]) === keyOf(entry)) next++;
  }
  if (next < items.length) {
    throw PatchError.badRequest(
      `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}\n`,
    );
  }
}

/** `$deleteFromPrimitiveList/<field>: [...]` removes those values; ignored, as upstream, when either side is not a list. */
function deleteFromPrimitiveList(result: JsonObject, field: string, values: unknown): void {
  const list = own(result, field);
  if (!Array.isArray(list) || !Array.isArray(values)) return;
  const remove = new Set(values);
  setKey(result, field, list.filter((item) => !remove.has(item)));
}

function keyFunction(list: ListMeta): KeyOf {
  const mergeKey = list.mergeKey;
  return mergeKey ? (item) => (isObject(item) ? own(item, mergeKey) : undefined) : (item) => item;
}

/** The new value of a list field: merged when its strategy says so, otherwise the patch's list. */
function mergeList(current: unknown[], patch: unknown[], type: Type | undefined): unknown[] {
  const list = listMeta(type);
  if (!list.merge) return replaceList(patch, list.items);
  if (list.mergeKey) return mergeKeyedList(current, patch, list.mergeKey, list.items);
  return mergePrimitiveList(current, patch);
}

/** A list without merge strategy: the patch's items, with directive items dropped and directives inside applied. */
function replaceList(patch: unknown[], items: Type | undefined): unknown[] {
  return patch.filter((item) => !(isObject(item) && Object.hasOwn(item, PATCH))).map((item) => freshValue(item, items));
}

function requireMergeKey(item: unknown, mergeKey: string): JsonObject {
  if (!isObject(item)) throw PatchError.badRequest(`expected a map, but received a ${jsonKind(item)}`);
  if (!Object.hasOwn(item, mergeKey)) throw PatchError.badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  return item;
}

function checkNoListOfLists(items: unknown[]): void {
  if (items.some(Array.isArray)) throw PatchError.invalid('lists of lists are not supported');
}

/**
 * A merge list of objects: elements merge by merge key, new ones are added,
 * `{$patch: delete, <key>: v}` removes every element with that key and
 * `{$patch: replace}` makes the patch's other elements the whole list.
 */
function mergeKeyedList(current: unknown[], patch: unknown[], mergeKey: string, items: Type | undefined): unknown[] {
  checkNoListOfLists(current);
  checkNoListOfLists(patch);
  const keyOf: KeyOf = (item) => (isObject(item) ? own(item, mergeKey) : undefined);
  let live = current;
  let replace = false;
  const plain: JsonObject[] = [];
  for (const item of patch) {
    const element = isObject(item) && Object.hasOwn(item, PATCH) ? item : requireMergeKey(item, mergeKey);
    switch (own(element, PATCH)) {
      case undefined:
        plain.push(element);
        break;
      case 'delete': {
        const value = requireMergeKey(element, mergeKey)[mergeKey];
        live = live.filter((entry) => !(isObject(entry) && Object.hasOwn(entry, mergeKey) && entry[mergeKey] === value));
        break;
      }
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw PatchError.badRequest('merging lists cannot yet be specified in the patch');
      default:
        throw PatchError.badRequest(`unknown patch type: ${String(element[PATCH])} in map: ${JSON.stringify(element)}`);
    }
  }
  if (replace) return plain.map((element) => mergeMap({}, element, items));
  const merged = [...live];
  for (const element of plain) {
    const value = element[mergeKey];
    const at = merged.findIndex((entry) => isObject(entry) && Object.hasOwn(entry, mergeKey) && entry[mergeKey] === value);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, element, items);
    else merged.push(mergeMap({}, element, items));
  }
  const [fromPatch, serverOnly] = partitionByPresence(merged, plain, keyOf);
  return normalizeElementOrder(fromPatch, serverOnly, plain, live, keyOf);
}

/** A merge list of primitives (e.g. finalizers): a set union that keeps order. */
function mergePrimitiveList(current: unknown[], patch: unknown[]): unknown[] {
  const all = [...current, ...patch];
  checkNoListOfLists(all);
  if (all.some(isObject)) throw PatchError.badRequest('cannot merge lists without merge key for type map');
  if (new Set(all.map(jsonKind)).size > 1) throw PatchError.badRequest(`list element types are not identical: ${JSON.stringify(all)}`);
  const identity: KeyOf = (item) => item;
  const merged = [...new Set(all)];
  const [fromPatch, serverOnly] = partitionByPresence(merged, patch, identity);
  return normalizeElementOrder(fromPatch, serverOnly, patch, current, identity);
}
