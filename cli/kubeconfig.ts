// The admin kubeconfig the server writes to its data directory. Written as
// YAML by hand: every value is a JSON string, which is a valid YAML scalar.

import { renameSync, writeFileSync } from 'node:fs';

export function kubeconfigYaml(opts: { server: string; caCert: string; token: string; name?: string }): string {
  const q = JSON.stringify;
  const name = opts.name ?? 'skiff';
  const user = `${name}-admin`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(name)}`,
    '  cluster:',
    `    server: ${q(opts.server)}`,
    `    certificate-authority-data: ${q(Buffer.from(opts.caCert).toString('base64'))}`,
    'users:',
    `- name: ${q(user)}`,
    '  user:',
    `    token: ${q(opts.token)}`,
    'contexts:',
    `- name: ${q(name)}`,
    '  context:',
    `    cluster: ${q(name)}`,
    `    user: ${q(user)}`,
    '    namespace: default',
    `current-context: ${q(name)}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** Written atomically with mode 0600: it holds the admin credential. */
export function writeKubeconfig(path: string, yaml: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, yaml, { mode: 0o600 });
  renameSync(tmp, path);
}
