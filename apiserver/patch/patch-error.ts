// The errors a patch can fail with. PatchError is an ApiError, so the HTTP
// layer renders it as the Kubernetes Status body like any other API error.

import { ApiError } from '../errors.ts';
import type { StatusDetails, StatusReason } from '../errors.ts';

/** The message Kubernetes gives a 422 raised while applying a patch (NewGenericServerResponse). */
export const GENERIC_INVALID = 'the server rejected our request due to an error in our request';

export class PatchError extends ApiError {
  constructor(code: 400 | 413 | 415 | 422, reason: StatusReason, message: string, details?: StatusDetails) {
    super(code, reason, message, details);
    this.name = `PatchError(${reason})`;
  }

  /** 400 BadRequest: the patch is malformed (bad JSON, bad directive, missing merge key). */
  static badRequest(message: string): PatchError {
    return new PatchError(400, 'BadRequest', message);
  }

  /**
   * 422 Invalid: the patch is well formed but cannot be applied to this object
   * (a failed JSON Patch test, a missing path, a list of lists). Kubernetes
   * answers with the generic message only; the detail goes into a cause on
   * the field "patch" (as upstream's patch decoding errors do), which kubectl
   * prints after the message.
   */
  static invalid(detail: string): PatchError {
    return new PatchError(422, 'Invalid', GENERIC_INVALID, { causes: [{ reason: 'FieldValueInvalid', field: 'patch', message: detail }] });
  }

  /** 413 RequestEntityTooLarge, e.g. a JSON Patch with more than 10000 operations. */
  static tooLarge(detail: string): PatchError {
    return new PatchError(413, 'RequestEntityTooLarge', `Request entity too large: ${detail}`);
  }

  /** 415 UnsupportedMediaType, worded as Kubernetes' negotiation.NewUnsupportedMediaTypeError. */
  static unsupportedMediaType(accepted: readonly string[]): PatchError {
    return new PatchError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
}
