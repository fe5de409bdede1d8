// Test fixture: a Registry over a fresh SqliteStore in a temp dir for each
// test, with the default namespace created and a fixed clock.

import { afterEach, beforeEach } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResource } from '../../api/kinds.ts';
import { SqliteStore } from '../../store/index.ts';
import { Registry } from './registry.ts';

export const FIXED_NOW = new Date('2024-05-01T10:00:00Z');

/** Registers the per-test setup and teardown; read store, registry and dir from the returned object inside tests. */
export function useTempRegistry(prefix: string): { store: SqliteStore; registry: Registry; dir: string } {
  const fixture = {} as { store: SqliteStore; registry: Registry; dir: string };
  beforeEach(async () => {
    fixture.dir = await mkdtemp(join(tmpdir(), `skiff-${prefix}-`));
    fixture.store = await SqliteStore.open(join(fixture.dir, 'state.db'));
    fixture.registry = new Registry(fixture.store, () => FIXED_NOW);
    await fixture.registry.create(findResource('', 'v1', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  });
  afterEach(async () => {
    await fixture.store.close();
    await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
