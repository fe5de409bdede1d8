// The store component's entry point: the embedded SQLite store in a data
// directory, plus the interface and errors every backend shares.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

export * from './errors.ts';
export type * from './types.ts';
export { SqliteStore, type SqliteStoreOptions, type WriteStats } from './sqlite/sqlite-store.ts';

/** Opens (creating if needed) the store kept in `<dataDir>/state.db`. */
export async function openStore(dataDir: string): Promise<Store> {
  // Owner-only: the store holds Secrets.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  return SqliteStore.open(join(dataDir, 'state.db'));
}
