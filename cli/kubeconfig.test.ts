import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kubeconfigYaml } from './kubeconfig.ts';

test('the kubeconfig is valid YAML with the cluster, user and context', () => {
  const doc = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', caCert: '-----BEGIN CERTIFICATE-----\nabc\n', token: 't:o"k' }));
  assert.equal(doc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), '-----BEGIN CERTIFICATE-----\nabc\n');
  assert.equal(doc.users[0].user.token, 't:o"k');
  assert.equal(doc['current-context'], 'skiff');
  assert.equal(doc.contexts[0].context.user, doc.users[0].name);
});
