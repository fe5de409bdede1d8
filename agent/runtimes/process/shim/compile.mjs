// Compiles the process runtime's shim (skiff-shim.c) with the machine's C
// compiler. Used by scripts/build.mjs (into dist/) and by the runtime's tests
// (into a temp dir), so both run the same binary.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const shimSource = join(dirname(fileURLToPath(import.meta.url)), 'skiff-shim.c');

/** Compiles the shim to `out`; throws an Error naming the missing compiler or the compiler's output. */
export function compileShim(out) {
  const cc = process.env.CC || 'cc';
  mkdirSync(dirname(out), { recursive: true });
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, shimSource], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (err.code === 'ENOENT') {
      throw new Error(`building the process runtime's shim needs a C compiler: "${cc}" was not found (install gcc, or set CC)`);
    }
    throw new Error(`compiling ${shimSource} failed:\n${err.stderr?.toString() ?? err.message}`);
  }
}
