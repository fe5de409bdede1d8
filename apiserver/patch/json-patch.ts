// JSON Patch (RFC 6902, application/json-patch+json), applied with
// fast-json-patch and answering like Kubernetes, which applies it with
// gopkg.in/evanphx/json-patch.v4 (staging/.../endpoints/handlers/patch.go):
//   - a body that is not a list of objects: 400 BadRequest (json.Unmarshal's error);
//   - more than 10000 operations: 413 RequestEntityTooLarge;
//   - an operation that cannot be applied (unknown op, missing path or value,
//     failed test, index out of range): 422 Invalid, with Kubernetes' generic
//     message ("the server rejected our request due to an error in our
//     request"); our detail goes into the Status cause;
//   - `replace` of a member an object lacks adds it, as evanphx v4 does,
//     where RFC 6902 would fail (kubectl rollout undo replaces
//     /metadata/annotations).

import type { Operation } from 'fast-json-patch';
import { isObject, jsonKind, own } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { PatchError } from './patch-error.ts';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

// Loaded on first use: JSON patches are rare (kubectl rollout undo, scripts)
// and an idle server should not carry the library (nor node:module).
const require = (id: string): unknown => process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);
let library: typeof import('fast-json-patch') | undefined;
const lib = () => (library ??= require('fast-json-patch') as typeof import('fast-json-patch'));

const OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies the operations to a copy of `doc` and returns it. All operations
 * are checked before any is applied, and a failure leaves `doc` untouched.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  // A `null` body decodes to an empty patch, as in Go.
  if (ops === null) return structuredClone(doc);
  if (!Array.isArray(ops)) throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  const bad = ops.findIndex((op) => !isObject(op));
  if (bad >= 0) throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(ops[bad])} into Go value of type jsonpatch.Operation`);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw PatchError.tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  const operations = structuredClone(ops as JsonObject[]);
  operations.forEach(checkOperation);
  let current = structuredClone(doc);
  (operations as unknown as Operation[]).forEach((op, index) => {
    current = applyOperation(current, op, index);
  });
  return current;
}

function checkOperation(op: JsonObject, index: number): void {
  const kind = own(op, 'op');
  if (typeof kind !== 'string' || !OPERATIONS.has(kind)) throw PatchError.invalid(`Unexpected kind: ${typeof kind === 'string' ? kind : 'unknown'}`);
  const from = own(op, 'from');
  const path = own(op, 'path');
  if (kind === 'move' && typeof from === 'string' && typeof path === 'string' && path.startsWith(`${from}/`)) {
    throw PatchError.invalid(`move operation does not apply: "from" ${from} is a proper prefix of "path" ${path}`);
  }
  try {
    lib().validator(op as unknown as Operation, index);
  } catch (e) {
    throw asPatchError(e, op as unknown as Operation);
  }
}

function applyOperation(doc: unknown, op: Operation, index: number): unknown {
  try {
    return lib().applyOperation(doc, lenientReplace(doc, op), true, true, true, index).newDocument;
  } catch (e) {
    throw asPatchError(e, op);
  }
}

/** `replace` of a member missing from an existing object becomes `add` (evanphx/json-patch v4). */
function lenientReplace(doc: unknown, op: Operation): Operation {
  if (op.op !== 'replace' || op.path === '') return op;
  const tokens = op.path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const member = tokens.pop()!;
  let parent: unknown = doc;
  for (const token of tokens) {
    if (isObject(parent)) parent = own(parent, token);
    else if (Array.isArray(parent) && /^(0|[1-9][0-9]*)$/.test(token)) parent = parent[Number(token)];
    else return op;
  }
  return isObject(parent) && !Object.hasOwn(parent, member) ? { op: 'add', path: op.path, value: op.value } : op;
}

/** A fast-json-patch error as a 422, worded as evanphx/json-patch words it; other errors are returned as they are. */
function asPatchError(e: unknown, op: Operation): unknown {
  if (e instanceof TypeError && e.message.startsWith('JSON-Patch:')) {
    return PatchError.invalid(`modifying __proto__ or constructor/prototype is not allowed: ${op.path}`);
  }
  if (e instanceof lib().JsonPatchError) return PatchError.invalid(detail(e.name, op));
  // Anything else the library trips over (e.g. moving a value into its own child) is still the patch's fault.
  return PatchError.invalid(`${op.op} operation does not apply: ${e instanceof Error ? e.message : String(e)}`);
}

function detail(name: string, op: Operation): string {
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${op.path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${op.op} operation does not apply: doc is missing path: ${op.path}: missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op.op} operation does not apply: doc is missing from path: ${'from' in op ? op.from : ''}: missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `Unable to access invalid index: ${op.path}: invalid index referenced`;
    case 'OPERATION_PATH_INVALID':
      return `${op.op} operation failed to decode path: ${JSON.stringify(op.path)}`;
    case 'OPERATION_FROM_REQUIRED':
      return `${op.op} operation failed to decode from: missing value`;
    case 'OPERATION_VALUE_REQUIRED':
    case 'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED':
      return `${op.op} operation is missing its value: ${op.path}`;
    default:
      return `${op.op} operation failed: ${name}`;
  }
}
