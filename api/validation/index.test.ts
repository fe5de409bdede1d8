import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../kinds.ts';
import { errorString } from '../field-error.ts';
import { applyDefaults } from '../defaults/index.ts';
import { validateObject } from './index.ts';

function check(group: string, kind: string, obj: any, namespaced = true): string[] {
  applyDefaults(group, kind, obj);
  return validateObject(group, kind, obj, { namespaced }).map(errorString);
}

test('a realistic Deployment is valid once defaulted', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', namespace: 'prod', labels: { app: 'shop', 'app.kubernetes.io/part-of': 'store' }, annotations: { 'skiff.dev/owner': 'team-a' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'shop' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'shop', version: 'v2.1.0' } },
        spec: {
          serviceAccountName: 'shop',
          initContainers: [{ name: 'migrate', image: 'registry.example.com/shop:2.1.0', command: ['./migrate', 'up'], envFrom: [{ secretRef: { name: 'db' } }] }],
          containers: [
            {
              name: 'shop',
              image: 'registry.example.com/shop:2.1.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'NODE_ENV', value: 'production' },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              ],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/live', port: 8080 }, initialDelaySeconds: 10 },
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
              securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false },
              volumeMounts: [
                { name: 'config', mountPath: '/app/config', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'shop-config', items: [{ key: 'app.yaml', path: 'app.yaml' }] } },
            { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
          ],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'shop' } } } },
              ],
            },
          },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'shop' } } }],
        },
      },
    },
  };
  assert.deepEqual(check('apps', 'Deployment', deployment), []);
});

test('a realistic Service is valid once defaulted', () => {
  const service = {
    metadata: { name: 'shop', namespace: 'prod' },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'shop' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 8443, nodePort: 30443 },
      ],
      sessionAffinity: 'ClientIP',
    },
  };
  assert.deepEqual(check('', 'Service', service), []);
});

test('a realistic Ingress is valid', () => {
  const ingress = {
    metadata: { name: 'shop', namespace: 'prod', annotations: { 'skiff.dev/acme': 'true' } },
    spec: {
      ingressClassName: 'skiff',
      tls: [{ hosts: ['shop.example.com', '*.shop.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } },
              { path: '/api/v1/health', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    },
  };
  assert.deepEqual(check('networking.k8s.io', 'Ingress', ingress), []);
});

test('a realistic CronJob is valid once defaulted', () => {
  const cronJob = {
    metadata: { name: 'db-backup', namespace: 'prod' },
    spec: {
      schedule: '30 2 * * *',
      timeZone: 'Europe/Amsterdam',
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          ttlSecondsAfterFinished: 86400,
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [{ name: 'backup', image: 'postgres:16', command: ['sh', '-c', 'pg_dump > /backup/db.sql'], volumeMounts: [{ name: 'backup', mountPath: '/backup' }] }],
              volumes: [{ name: 'backup', persistentVolumeClaim: { claimName: 'backups' } }],
            },
          },
        },
      },
    },
  };
  assert.deepEqual(check('batch', 'CronJob', cronJob), []);
});

test('a Job created by the server (uid assigned) gets a valid generated selector', () => {
  const job = {
    metadata: { name: 'migrate', namespace: 'prod', uid: '0a9f3c1e-1111-2222-3333-444455556666' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'shop:2.1.0' }] } } },
  };
  assert.deepEqual(check('batch', 'Job', job), []);
  const old = structuredClone(job);
  assert.deepEqual(validateObject('batch', 'Job', job, { namespaced: true, old }), []);
});

test('every served kind validates a minimal object without throwing', () => {
  for (const r of RESOURCES) {
    const obj: any = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'x', ...(r.namespaced ? { namespace: 'default' } : {}) } };
    const errs = check(r.group, r.kind, obj, r.namespaced);
    assert.ok(Array.isArray(errs), `${r.group}/${r.kind}`);
  }
});

test('kinds without rules of their own still get metadata checks', () => {
  assert.deepEqual(validateObject('example.com', 'Widget', { metadata: { name: 'Bad Name', namespace: 'd' } }, { namespaced: true }).map((e) => e.field), ['metadata.name']);
  assert.deepEqual(validateObject('', 'ConfigMap', { metadata: { name: 'ok', namespace: 'd' } }, { namespaced: true }), []);
});
