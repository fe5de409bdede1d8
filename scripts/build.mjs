// Bundles the skiff CLI into dist/skiff.cjs, and the certificate generator it
// runs in a child process into dist/generate-pki.mjs (our code only;
// packages stay in node_modules); and compiles the process runtime's shim
// into dist/skiff-shim with the machine's C compiler.
//
// The CLI bundle is CommonJS, for memory (`skiff server` must idle small, see
// bench/run.ts): a CommonJS main module spares Node.js its ES module loader
// (18 more built-in modules, ~1.5 MB of resident memory), and esbuild turns a
// dynamic import() of our own code into a module evaluated on first use, so
// rarely used code (OpenAPI, tables, patches, protobuf, ...) costs nothing
// until a request needs it. import.meta.url is the bundle's own URL.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { compileShim } from '../agent/runtimes/process/shim/compile.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { skiff: 'cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__skiff_bundle_url' },
  banner: { js: 'const __skiff_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
});
asciiOnly('dist/skiff.cjs');

await build({
  ...common,
  entryPoints: { 'generate-pki': 'apiserver/tls/generate-pki.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
});

/**
 * V8 keeps a script's source for lazy compilation, as one byte per character
 * only if every character is Latin-1: one "µ" in a regular expression doubles
 * the bundle's resident size. esbuild escapes strings and identifiers but not
 * regular expression literals or comments; a \uXXXX escape means the same
 * character in both (and in strings, templates and identifiers), so escape
 * what is left (String.raw of non-ASCII text would see the escape: none here).
 * Lines are unchanged, so the source map stays valid but for columns on them.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const escaped = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) writeFileSync(file, escaped);
}

try {
  compileShim('dist/skiff-shim');
} catch (err) {
  console.error(`build: ${err.message}`);
  process.exit(1);
}
