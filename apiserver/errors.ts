// API errors: classes with a stable reason and HTTP code, rendered in one
// place (toStatus) as the Kubernetes `Status` body that kubectl prints.

import { errorBody, errorString, type FieldError } from '../api/field-error.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = `ApiError(${reason})`;
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** What a resource is called in messages: plural (+ group), e.g. deployments.apps. */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export const errors = {
  badRequest: (message: string, causes?: StatusCause[]) => new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (r: ResourceRef, name: string, detail: string, causes?: StatusCause[]) =>
    new ApiError(403, 'Forbidden', `${qualified(r)} ${JSON.stringify(name)} is forbidden: ${detail}`, {
      name,
      group: r.group,
      kind: r.resource,
      ...(causes ? { causes } : {}),
    }),
  notFound: (r: ResourceRef, name: string) =>
    new ApiError(404, 'NotFound', `${qualified(r)} ${JSON.stringify(name)} not found`, { name, group: r.group, kind: r.resource }),
  /** A path that names no resource at all. */
  pathNotFound: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (r: ResourceRef, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualified(r)} ${JSON.stringify(name)} already exists`, { name, group: r.group, kind: r.resource }),
  conflict: (r: ResourceRef, name: string, detail = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} ${JSON.stringify(name)}: ${detail}`, {
      name,
      group: r.group,
      kind: r.resource,
    }),
  expired: (message: string) => new ApiError(410, 'Expired', message),
  gone: (message: string) => new ApiError(410, 'Gone', message),
  /** 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: ...` */
  invalid: (group: string, kind: string, name: string, errs: FieldError[]) => {
    const qk = group ? `${kind}.${group}` : kind;
    const list = errs.map(errorString);
    const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${qk} ${JSON.stringify(name)} is invalid: ${summary}`, {
      name,
      group,
      kind,
      causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    });
  },
  methodNotAllowed: (verb: string) => new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${verb})`),
  notAcceptable: (accepted: string) =>
    new ApiError(406, 'NotAcceptable', `the server was unable to respond with a content type that the client supports (${accepted})`),
  tooLarge: (limit: number) => new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  unsupportedMediaType: (type: string, accepted: readonly string[]) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      type ? { causes: [{ reason: 'UnsupportedMediaType', message: type }] } : undefined,
    ),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
};

export function successStatus(details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200, ...(details ? { details } : {}) };
}
