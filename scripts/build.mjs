// Bundles the skiff CLI into dist/skiff.mjs, and the certificate generator it
// runs in a child process into dist/generate-pki.mjs (our code only;
// packages stay in node_modules).
import { build } from 'esbuild';

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
