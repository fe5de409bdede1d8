// Child process for the crash test: creates /crash/0, /crash/1, ... without
// end, printing each acknowledged revision, until the parent kills it.
// Usage: node --import tsx crash-writer.ts <db-file>
import { SqliteStore } from '../sqlite-store.ts';

const store = await SqliteStore.open(process.argv[2]!);
for (let i = 0; ; i++) {
  const kv = await store.create(`/crash/${i}`, `value ${i}`);
  process.stdout.write(`${i} ${kv.modRevision}\n`);
}
