// Child process for the crash tests: creates /crash/0, /crash/1, ... without
// end, `concurrency` at a time (default 1), printing each acknowledged key's
// index and revision as soon as its write resolves, until the parent kills it.
// Usage: node --import tsx crash-writer.ts <db-file> [concurrency]
import { SqliteStore } from '../sqlite-store.ts';

const store = await SqliteStore.open(process.argv[2]!);
const concurrency = Number(process.argv[3] ?? 1);
let next = 0;
async function writer(): Promise<never> {
  for (;;) {
    const i = next++;
    const kv = await store.create(`/crash/${i}`, `value ${i}`);
    // Synchronous on a pipe: the line is out before the next write starts.
    process.stdout.write(`${i} ${kv.modRevision}\n`);
  }
}
await Promise.all(Array.from({ length: concurrency }, writer));
