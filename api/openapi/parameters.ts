// Path and query parameters of resource operations, rendered for v3
// ({schema: {type}}) or v2 ({type}). kubectl decides whether the server
// supports server-side field validation by finding `fieldValidation` among
// the parameters of the PATCH operation of the object's kind.

type ParamType = 'string' | 'integer' | 'boolean';

interface Param {
  in: 'path' | 'query';
  type: ParamType;
  description: string;
}

const PARAMS = {
  name: { in: 'path', type: 'string', description: 'name of the object' },
  namespace: { in: 'path', type: 'string', description: 'object name and auth scope, such as for teams and projects' },
  pretty: { in: 'query', type: 'string', description: "If 'true', then the output is pretty printed." },
  allowWatchBookmarks: {
    in: 'query',
    type: 'boolean',
    description: 'allowWatchBookmarks requests watch events with type "BOOKMARK"; servers may send them at their discretion.',
  },
  continue: { in: 'query', type: 'string', description: 'The continue token of a previous paginated list response, to fetch the next chunk.' },
  fieldSelector: { in: 'query', type: 'string', description: 'A selector to restrict the list of returned objects by their fields. Defaults to everything.' },
  labelSelector: { in: 'query', type: 'string', description: 'A selector to restrict the list of returned objects by their labels. Defaults to everything.' },
  limit: { in: 'query', type: 'integer', description: 'Maximum number of items to return; the list metadata then carries a continue token if more exist.' },
  resourceVersion: { in: 'query', type: 'string', description: 'Constrains which resource versions the request may be served from; for watches, where to start.' },
  resourceVersionMatch: { in: 'query', type: 'string', description: 'How resourceVersion applies to list calls: Exact or NotOlderThan.' },
  sendInitialEvents: {
    in: 'query',
    type: 'boolean',
    description: 'With watch=true, begin the stream with synthetic events for the current objects, then a bookmark.',
  },
  timeoutSeconds: { in: 'query', type: 'integer', description: 'Timeout for the list/watch call.' },
  watch: { in: 'query', type: 'boolean', description: 'Watch for changes to the described resources and return them as a stream of events.' },
  dryRun: {
    in: 'query',
    type: 'string',
    description: 'When present, indicates that modifications should not be persisted. The only valid value is All.',
  },
  fieldManager: { in: 'query', type: 'string', description: 'A name associated with the actor or entity that is making these changes.' },
  fieldValidation: {
    in: 'query',
    type: 'string',
    description:
      'How the server handles unknown or duplicate fields in the request body: Ignore (drop them), Warn (drop them and send a warning per field) or Strict (fail the request).',
  },
  force: { in: 'query', type: 'boolean', description: 'Force an apply request to take ownership of conflicting fields. Only for apply patches.' },
  gracePeriodSeconds: { in: 'query', type: 'integer', description: 'Seconds before the object should be deleted; zero means delete immediately.' },
  ignoreStoreReadErrorWithClusterBreakingPotential: {
    in: 'query',
    type: 'boolean',
    description: 'Force an unsafe deletion of an object that cannot be read from storage.',
  },
  orphanDependents: { in: 'query', type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
  propagationPolicy: { in: 'query', type: 'string', description: 'Whether and how garbage collection is performed: Orphan, Background or Foreground.' },
} satisfies Record<string, Param>;

export type ParamName = keyof typeof PARAMS;

export const LIST_QUERY: readonly ParamName[] = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
];
export const WRITE_QUERY: readonly ParamName[] = ['dryRun', 'fieldManager', 'fieldValidation'];
export const PATCH_QUERY: readonly ParamName[] = ['dryRun', 'fieldManager', 'fieldValidation', 'force'];
export const DELETE_QUERY: readonly ParamName[] = [
  'dryRun',
  'gracePeriodSeconds',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'orphanDependents',
  'propagationPolicy',
];
export const DELETE_COLLECTION_QUERY: readonly ParamName[] = [
  ...DELETE_QUERY,
  ...LIST_QUERY.filter((p) => p !== 'allowWatchBookmarks' && p !== 'watch'),
].sort();

export function renderParam(name: ParamName, v: 2 | 3): Record<string, unknown> {
  const p: Param = PARAMS[name];
  const out: Record<string, unknown> = { description: p.description, in: p.in, name };
  if (p.in === 'path') out.required = true;
  if (v === 3) out.schema = { type: p.type, uniqueItems: true };
  else Object.assign(out, { type: p.type, uniqueItems: true });
  return out;
}
