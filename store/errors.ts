// Store errors carry stable codes; the API server maps them to Status bodies
// (KeyExists -> 409 AlreadyExists, Conflict -> 409 Conflict, KeyNotFound -> 404,
// Compacted -> 410 Expired).

export class StoreError extends Error {
  constructor(
    readonly code: 'KeyExists' | 'Conflict' | 'KeyNotFound' | 'Compacted' | 'Closed',
    message: string,
  ) {
    super(message);
    this.name = `StoreError(${code})`;
  }
}

export class KeyExistsError extends StoreError {
  constructor(readonly key: string) {
    super('KeyExists', `key exists: ${key}`);
  }
}

export class ConflictError extends StoreError {
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('Conflict', `revision mismatch on ${key}: expected ${expected}, found ${actual}`);
  }
}

export class KeyNotFoundError extends StoreError {
  constructor(readonly key: string) {
    super('KeyNotFound', `key not found: ${key}`);
  }
}

export class CompactedError extends StoreError {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super('Compacted', `revision ${requested} has been compacted (oldest available ${compacted})`);
  }
}

export class StoreClosedError extends StoreError {
  constructor() {
    super('Closed', 'store is closed');
  }
}
