// Recognising API errors by their HTTP code and status cause, whichever
// Client raised them (the in-process one throws ApiError; any other carries
// the same `code` and `details`).

interface ErrorLike {
  code?: unknown;
  details?: { causes?: { reason?: string }[] };
}

function codeOf(e: unknown): number | undefined {
  const c = (e as ErrorLike | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

export const isNotFound = (e: unknown): boolean => codeOf(e) === 404;
export const isConflict = (e: unknown): boolean => codeOf(e) === 409 && (e as { reason?: string }).reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown): boolean => codeOf(e) === 409 && (e as { reason?: string }).reason === 'AlreadyExists';

/** The namespace is being deleted: every create in it fails, and that is nobody's fault. */
export function isNamespaceTerminating(e: unknown): boolean {
  return (e as ErrorLike | null)?.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
