// The skiff command.

import { Command, InvalidArgumentError } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane } from './control-plane.ts';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

const program = new Command('skiff').description('A container orchestrator for small teams that speaks the Kubernetes API').version('0.1.0');

program
  .command('server')
  .description('run the control plane (API server, store, controllers) in the foreground')
  .option('--data-dir <dir>', 'where state, certificates and the admin kubeconfig live', process.env.SKIFF_DATA_DIR ?? join(homedir(), '.skiff'))
  .option('--api-port <port>', 'HTTPS port of the API server (0 picks a free one)', port, 6443)
  .option('--host <address>', 'address the API server listens on', '127.0.0.1')
  .action(async (opts: { dataDir: string; apiPort: number; host: string }) => {
    const cp = await startControlPlane({ dataDir: opts.dataDir, apiPort: opts.apiPort, host: opts.host });
    console.error(`skiff: API server listening on https://${opts.host}:${cp.port}`);
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
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`skiff: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
