// The skiff command. Arguments are parsed with node:util's parseArgs: the
// command line is small, and a CLI library would cost the long-running server
// memory for nothing.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { startControlPlane } from './control-plane.ts';

const USAGE = `usage: skiff <command> [options]

commands:
  server    run the control plane (API server, store, controllers) in the foreground
            --data-dir DIR    state, certificates and the admin kubeconfig (default ~/.skiff, or $SKIFF_DATA_DIR)
            --api-port PORT   HTTPS port of the API server (default 6443; 0 picks a free one)
            --host ADDRESS    address the API server listens on (default 127.0.0.1)
            --node-name NAME  name of this machine's node (default: the host name)
            --no-agent        run the control plane only, no node agent on this machine
  killall   stop every pod process the node agent of a data dir started (run it with the server stopped)
            --data-dir DIR    as for server
  version   print the version
`;

function fail(message: string): never {
  console.error(`skiff: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) fail(`--api-port must be a port number (0-65535), not "${v}"`);
  return n;
}

async function server(args: string[]): Promise<void> {
  let values: { 'data-dir'?: string; 'api-port'?: string; host?: string; 'node-name'?: string; 'no-agent'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        'api-port': { type: 'string' },
        host: { type: 'string' },
        'node-name': { type: 'string' },
        'no-agent': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const dataDir = values['data-dir'] ?? process.env.SKIFF_DATA_DIR ?? join(homedir(), '.skiff');
  const host = values.host ?? '127.0.0.1';
  const nodeName = values['node-name'];
  if (nodeName !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(nodeName)) {
    fail(`--node-name must be a lower-case DNS name (RFC 1123), not "${nodeName}"`);
  }
  const cp = await startControlPlane({ dataDir, apiPort: port(values['api-port'] ?? '6443'), host, agent: !values['no-agent'], nodeName });
  // bin/skiff kept V8's compilers off for start-up; serving code needs them.
  setFlagsFromString('--opt --sparkplug');
  console.error(`skiff: API server listening on https://${host}:${cp.port}`);
  console.error(`skiff: export KUBECONFIG=${cp.kubeconfigPath}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`skiff: ${signal}, stopping`);
    await cp.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function killallCommand(args: string[]): Promise<void> {
  let values: { 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } }, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  const dataDir = values['data-dir'] ?? process.env.SKIFF_DATA_DIR ?? join(homedir(), '.skiff');
  const { killall } = await import('./killall.ts');
  const n = await killall(dataDir);
  console.error(`skiff: stopped the processes of ${n} pod${n === 1 ? '' : 's'}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server':
      return server(rest);
    case 'killall':
      return killallCommand(rest);
    case 'version':
    case '--version':
      console.log('skiff 0.1.0');
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      fail(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`skiff: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
