// Child process for the crash test: creates keys one by one and prints each
// acknowledged revision, until the parent kills it with SIGKILL.
// Usage: node --import tsx crash-writer.ts <db-file> <count>
import { SqliteStore } from '../sqlite-store.ts';

const [path, count] = process.argv.slice(2);
const store = await SqliteStore.open(path!);
for (let i = 0; i < Number(count); i++) {
  const kv = await store.create(`/crash/${i}`, `value ${i}`);
  process.stdout.write(`${kv.modRevision}\n`);
}
// Stay alive: the parent kills us after the last line.
setInterval(() => {}, 1000);
