// `node generate-pki.mjs DIR`: issues what DIR's PKI lacks: the CA (kept if
// present) and the API server's serving certificate. Run by pki.ts in a
// child process.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueCert } from './issue.ts';
import { servingSans } from './pki.ts';

export async function generatePki(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (n: string) => join(dir, n);
  if (!existsSync(p('ca.crt')) || !existsSync(p('ca.key'))) {
    const ca = await createCa();
    writeFileSync(p('ca.key'), ca.key, { mode: 0o600 });
    writeFileSync(p('ca.crt'), ca.cert, { mode: 0o644 });
  }
  const ca = { cert: readFileSync(p('ca.crt'), 'utf8'), key: readFileSync(p('ca.key'), 'utf8') };
  const leaf = await issueCert(ca, 'skiff-apiserver', servingSans());
  writeFileSync(p('apiserver.key'), leaf.key, { mode: 0o600 });
  writeFileSync(p('apiserver.crt'), leaf.cert, { mode: 0o644 });
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: generate-pki DIR');
  process.exit(2);
}
generatePki(dir).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
