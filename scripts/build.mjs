// Bundles the skiff CLI into dist/skiff.mjs, and the certificate generator it
// runs in a child process into dist/generate-pki.mjs (our code only;
// packages stay in node_modules); and compiles the process runtime's shim
// into dist/skiff-shim with the machine's C compiler.
import { build } from 'esbuild';
import { compileShim } from '../agent/runtimes/process/shim/compile.mjs';

await build({
  entryPoints: { skiff: 'cli/main.ts', 'generate-pki': 'apiserver/tls/generate-pki.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

try {
  compileShim('dist/skiff-shim');
} catch (err) {
  console.error(`build: ${err.message}`);
  process.exit(1);
}
