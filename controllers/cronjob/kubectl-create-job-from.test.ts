// End to end with the real kubectl: `kubectl create job --from=cronjob/report
// manual-1` against the real API server (in this process, so the Job and
// CronJob controllers can run beside it over the same registry). The Job
// controller runs the manual Job; the CronJob controller neither adopts it
// into status.active nor deletes it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findResource } from '../../api/kinds.ts';
import { startApiServer, type ApiServer } from '../../apiserver/server.ts';
import { loadOrCreatePki } from '../../apiserver/tls/pki.ts';
import { kubeconfigYaml } from '../../cli/kubeconfig.ts';
import { EventRecorder } from '../../client/events.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { openStore } from '../../store/index.ts';
import type { Store } from '../../store/types.ts';
import { run } from '../../test/harness.ts';
import { JobController } from '../job/job-controller.ts';
import { finishPod, podsOfJob, until } from '../job/test-fixture.ts';
import { CronJobController } from './cronjob-controller.ts';

describe('kubectl create job --from=cronjob/...', () => {
  let dir: string;
  let store: Store;
  let api: ApiServer;
  let informers: InformerFactory;
  let controllers: { stop(): void }[] = [];
  let env: Record<string, string>;
  const kubectl = async (...args: string[]) => {
    const r = await run('kubectl', args, { env });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-from-'));
    store = await openStore(dir);
    const pki = loadOrCreatePki(join(dir, 'pki'));
    api = await startApiServer({ store, host: '127.0.0.1', port: 0, tls: { cert: pki.serverCert, key: pki.serverKey }, tokens: new Map([['t0ken', 'admin']]), log: () => {} });
    api.setReady(true);
    await api.registry.create(findResource('', 'v1', 'namespaces')!, undefined, { metadata: { name: 'default' } });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: `https://127.0.0.1:${api.port}`, caCert: pki.caCert, token: 't0ken' }));
    env = { KUBECONFIG: kubeconfig, HOME: dir };
    const client = new LocalClient(api.registry, 'controllers');
    informers = new InformerFactory(client);
    const recorder = new EventRecorder(client, { component: 'controllers' });
    const jobs = new JobController(client, informers, { recorder });
    const cronJobs = new CronJobController(client, informers, { recorder });
    controllers = [jobs, cronJobs];
    await jobs.start();
    await cronJobs.start();
  });

  after(async () => {
    for (const c of controllers) c.stop();
    informers?.stop();
    await api?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the manual Job from the jobTemplate and keeps it out of the CronJob’s active runs', async () => {
    await kubectl('create', 'cronjob', 'report', '--image=busybox', '--schedule=0 0 1 1 *', '--', 'date');
    assert.match(await kubectl('create', 'job', '--from=cronjob/report', 'manual-1'), /job.batch\/manual-1 created/);

    const job = JSON.parse(await kubectl('get', 'job', 'manual-1', '-o', 'json'));
    const cj = JSON.parse(await kubectl('get', 'cronjob', 'report', '-o', 'json'));
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: cj.metadata.uid, controller: true }]);
    assert.deepEqual(job.spec.selector.matchLabels, { 'batch.kubernetes.io/controller-uid': job.metadata.uid });
    assert.equal(job.spec.template.spec.containers[0].image, 'busybox');

    const client = new LocalClient(api.registry, 'kubelet');
    await until('the manual Job’s pod', async () => (await podsOfJob(client, 'manual-1')).length === 1, 20_000);
    await finishPod(client, (await podsOfJob(client, 'manual-1'))[0], 'Succeeded', new Date());
    await until('Complete', async () => (await kubectl('get', 'job', 'manual-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Complete")].status}')) === 'True', 20_000);
    await until('lastSuccessfulTime', async () => JSON.parse(await kubectl('get', 'cronjob', 'report', '-o', 'json')).status?.lastSuccessfulTime !== undefined, 20_000);
    const after = JSON.parse(await kubectl('get', 'cronjob', 'report', '-o', 'json'));
    assert.equal(after.status.active, undefined);
    assert.equal(after.status.lastScheduleTime, undefined);
    assert.match(await kubectl('get', 'jobs', '-o', 'name'), /^job.batch\/manual-1\n$/);
  });
});
