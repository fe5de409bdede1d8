// A label or field selector the API server cannot use: malformed, or naming a
// field the resource does not offer. Kubernetes answers it with 400 BadRequest
// and the message as given, e.g. "field label not supported: foo".

export class SelectorError extends Error {
  readonly code = 400;
  readonly reason = 'BadRequest';

  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}
