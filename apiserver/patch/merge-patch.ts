// JSON merge patch (RFC 7386, application/merge-patch+json): objects merge
// recursively, null removes a member, anything else replaces the target.

import { isObject, own, setKey } from './json-value.ts';

/** Applies `patch` to `target`; neither is modified and the result shares nothing with them. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(structuredClone(target), patch);
}

/** Merges into `target`, which is a private copy and may be changed. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setKey(result, key, mergeInto(own(result, key), value));
  }
  return result;
}
