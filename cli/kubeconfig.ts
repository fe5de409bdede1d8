// The admin kubeconfig the server writes to its data directory.

import { writeFileSync, renameSync } from 'node:fs';
import { stringify } from 'yaml';

export function kubeconfigYaml(opts: { server: string; caCert: string; token: string; name?: string }): string {
  const name = opts.name ?? 'skiff';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': Buffer.from(opts.caCert).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Written atomically with mode 0600: it holds the admin credential. */
export function writeKubeconfig(path: string, yaml: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, yaml, { mode: 0o600 });
  renameSync(tmp, path);
}
