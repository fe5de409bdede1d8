import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { imagePullPolicyFor } from './container.ts';
import { defaultPod, defaultPodSpec } from './pod-spec.ts';

test('pod spec defaults', () => {
  const spec: PodSpec = { containers: [{ name: 'app', image: 'nginx' }] };
  defaultPodSpec(spec, { restartPolicy: true });
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, undefined, 'only Pods get enableServiceLinks');
});

test('serviceAccount mirrors serviceAccountName', () => {
  const spec: PodSpec = { containers: [], serviceAccountName: 'builder' };
  defaultPodSpec(spec, { restartPolicy: true });
  assert.equal(spec.serviceAccount, 'builder');
  const legacy: PodSpec = { containers: [], serviceAccount: 'old' };
  defaultPodSpec(legacy, { restartPolicy: true });
  assert.equal(legacy.serviceAccountName, 'old');
});

test('job templates keep restartPolicy unset', () => {
  const spec: PodSpec = { containers: [] };
  defaultPodSpec(spec, { restartPolicy: false });
  assert.equal(spec.restartPolicy, undefined);
});

test('given values are kept', () => {
  const spec: PodSpec = { containers: [], restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, schedulerName: 'mine' };
  defaultPodSpec(spec, { restartPolicy: true });
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.dnsPolicy, 'Default');
  assert.equal(spec.terminationGracePeriodSeconds, 0);
  assert.equal(spec.schedulerName, 'mine');
});

test('image pull policy: Always for :latest or no tag, else IfNotPresent', () => {
  assert.equal(imagePullPolicyFor('nginx'), 'Always');
  assert.equal(imagePullPolicyFor('nginx:latest'), 'Always');
  assert.equal(imagePullPolicyFor('nginx:1.25'), 'IfNotPresent');
  assert.equal(imagePullPolicyFor('registry.local:5000/team/app'), 'Always');
  assert.equal(imagePullPolicyFor('registry.local:5000/team/app:v2'), 'IfNotPresent');
  assert.equal(imagePullPolicyFor('nginx@sha256:0123abcd'), 'IfNotPresent');
  assert.equal(imagePullPolicyFor('nginx:latest@sha256:0123abcd'), 'Always');
});

test('container defaults: pull policy, termination message, port protocol, probes, env field refs', () => {
  const spec: PodSpec = {
    containers: [
      {
        name: 'app',
        image: 'app:1',
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        env: [{ name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 3 },
        lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } },
      },
    ],
    initContainers: [{ name: 'init', image: 'busybox' }],
  };
  defaultPodSpec(spec, { restartPolicy: true });
  const c = spec.containers[0];
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.deepEqual(c.ports, [
    { containerPort: 80, protocol: 'TCP' },
    { containerPort: 53, protocol: 'UDP' },
  ]);
  assert.equal(c.env![0].valueFrom!.fieldRef!.apiVersion, 'v1');
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.readinessProbe!.periodSeconds, 3);
  assert.deepEqual(c.lifecycle!.preStop!.httpGet, { port: 80, path: '/quit', scheme: 'HTTP' });
  assert.equal(spec.initContainers![0].imagePullPolicy, 'Always');
});

test('volume defaults: emptyDir when no source, mode 420 for mounted files', () => {
  const spec: PodSpec = {
    containers: [],
    volumes: [
      { name: 'scratch' },
      { name: 'cfg', configMap: { name: 'c' } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'host', hostPath: { path: '/var/log' } },
    ],
  };
  defaultPodSpec(spec, { restartPolicy: true });
  const [scratch, cfg, sec, info, proj, host] = spec.volumes!;
  assert.deepEqual(scratch, { name: 'scratch', emptyDir: {} });
  assert.equal(cfg.configMap!.defaultMode, 420);
  assert.equal(sec.secret!.defaultMode, 0o400);
  assert.equal(info.downwardAPI!.defaultMode, 420);
  assert.equal(info.downwardAPI!.items![0].fieldRef!.apiVersion, 'v1');
  assert.equal(proj.projected!.defaultMode, 420);
  assert.equal(proj.projected!.sources![0].serviceAccountToken!.expirationSeconds, 3600);
  assert.equal(host.hostPath!.type, '');
});

test('pods also get enableServiceLinks, requests from limits and host ports on the host network', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      hostNetwork: true,
      containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: 9100 }], resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }],
    },
  };
  defaultPod(pod);
  assert.equal(pod.spec!.enableServiceLinks, true);
  assert.deepEqual(pod.spec!.containers[0].resources!.requests, { cpu: '500m', memory: '1Gi' });
  assert.equal(pod.spec!.containers[0].ports![0].hostPort, 9100);
  const again = structuredClone(pod);
  defaultPod(again);
  assert.deepEqual(again, pod);
});
