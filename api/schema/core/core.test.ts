// Checks of the core/v1 and meta/v1 models: protobuf numbering, patch
// metadata, completeness against kubernetes-types, and realistic fixtures
// that must only use properties the models know.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { protoEmbeddings, type Model, type Type } from '../dsl.ts';
import * as meta from '../meta.ts';
import * as core from './index.ts';

const isModel = (v: unknown): v is Model =>
  typeof v === 'object' && v !== null && typeof (v as Model).name === 'string' && typeof (v as Model).properties === 'object';

const exportedModels: Model[] = [...Object.values(core), ...Object.values(meta)].filter(isModel);
const kinds = exportedModels.filter((m) => m.gvk && m.gvk.length > 0);

function refsOf(type: Type): Model[] {
  switch (type.kind) {
    case 'ref':
      return [type.model()];
    case 'array':
      return refsOf(type.items);
    case 'map':
      return refsOf(type.values);
    default:
      return [];
  }
}

/** Every model reachable from `roots`, by name. */
function reachable(roots: Model[]): Map<string, Model> {
  const seen = new Map<string, Model>();
  const stack = [...roots];
  while (stack.length > 0) {
    const m = stack.pop() as Model;
    assert.ok(isModel(m), 'a ref resolves to a model (an import cycle would leave it undefined)');
    const known = seen.get(m.name);
    if (known) {
      assert.equal(known, m, `two different models are named ${m.name}`);
      continue;
    }
    seen.set(m.name, m);
    for (const prop of Object.values(m.properties)) stack.push(...refsOf(prop.type));
  }
  return seen;
}

const all = reachable(kinds);

test('the kinds other packages need are exported', () => {
  for (const name of ['Namespace', 'Pod', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Event', 'ServiceAccount', 'Node', 'Binding']) {
    const m = (core as Record<string, unknown>)[name];
    assert.ok(isModel(m), `core exports ${name}`);
    assert.deepEqual(m.gvk, [{ group: '', version: 'v1', kind: name }]);
    assert.ok(m.properties.apiVersion && m.properties.kind, `${name} has apiVersion and kind`);
    assert.equal(m.properties.apiVersion?.proto, undefined);
    assert.equal(m.properties.metadata?.proto, 1, `${name}.metadata is field 1`);
  }
  for (const name of [
    'PodTemplateSpec',
    'PodSpec',
    'Container',
    'ObjectReference',
    'LocalObjectReference',
    'TypedLocalObjectReference',
    'EventSource',
  ]) {
    assert.ok(isModel((core as Record<string, unknown>)[name]), `core exports ${name}`);
  }
  for (const name of ['ObjectMeta', 'ListMeta', 'LabelSelector', 'LabelSelectorRequirement', 'Condition', 'OwnerReference', 'ManagedFieldsEntry']) {
    assert.ok(isModel((meta as Record<string, unknown>)[name]), `meta exports ${name}`);
  }
  for (const name of ['Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions']) {
    assert.ok(isModel((meta as Record<string, unknown>)[name]), `meta exports ${name}`);
  }
});

test('every reachable model is exported under its short name', () => {
  const exported = new Map(exportedModels.map((m) => [m.name, m]));
  for (const [name, m] of all) {
    assert.equal(exported.get(name), m, `${name} is exported`);
    const short = name.slice(name.lastIndexOf('.') + 1);
    const mod = name.startsWith('io.k8s.api.core.v1.') ? core : meta;
    assert.equal((mod as Record<string, unknown>)[short], m, `${name} is exported as ${short}`);
  }
  assert.ok(all.size > 120, `walked ${all.size} models`);
});

test('every property but apiVersion/kind has a protobuf field number', () => {
  for (const m of all.values()) {
    for (const [name, prop] of Object.entries(m.properties)) {
      if (name === 'apiVersion' || name === 'kind') {
        if (m.gvk || m.name.endsWith('.DeleteOptions')) {
          assert.equal(prop.proto, undefined, `${m.name}.${name} is TypeMeta, not in protobuf`);
          continue;
        }
      }
      assert.ok(Number.isInteger(prop.proto) && (prop.proto as number) > 0, `${m.name}.${name} has a proto number`);
      assert.ok(prop.description.length > 0, `${m.name}.${name} has a description`);
    }
  }
});

test('no two properties of one protobuf message share a field number', () => {
  for (const m of all.values()) {
    const embeddings = protoEmbeddings(m);
    const inner = new Set(embeddings.flatMap((e) => e.properties));
    // The outer message: direct properties plus the embedded messages' own field numbers.
    const outer = new Map<number, string>();
    for (const e of embeddings) {
      assert.ok(!outer.has(e.field), `${m.name}: embedded ${e.name} reuses field ${e.field}`);
      outer.set(e.field, `<${e.name}>`);
    }
    for (const [name, prop] of Object.entries(m.properties)) {
      if (prop.proto === undefined || inner.has(name)) continue;
      assert.ok(!outer.has(prop.proto), `${m.name}: ${name} and ${outer.get(prop.proto)} share field ${prop.proto}`);
      outer.set(prop.proto, name);
    }
    for (const e of embeddings) {
      const nums = new Map<number, string>();
      for (const name of e.properties) {
        const prop = m.properties[name];
        assert.ok(prop, `${m.name}: embedded property ${name} exists`);
        const n = prop.proto as number;
        assert.ok(!nums.has(n), `${m.name}.${e.name}: ${name} and ${nums.get(n)} share field ${n}`);
        nums.set(n, name);
      }
    }
  }
});

test('the protobuf embeddings cover exactly the inlined structs', () => {
  const keys = (m: Model) => Object.keys(m.properties).sort();
  const [ephemeral] = protoEmbeddings(core.EphemeralContainer);
  assert.deepEqual([...(ephemeral?.properties ?? [])].sort(), keys(core.Container));
  assert.deepEqual(keys(core.EphemeralContainer), [...keys(core.Container), 'targetContainerName'].sort());
  const [volumeSource] = protoEmbeddings(core.Volume);
  assert.equal(volumeSource?.field, 2);
  assert.equal(volumeSource?.properties.length, 30, 'every volume source');
  assert.equal(core.Volume.properties.image?.proto, 30);
  assert.deepEqual(protoEmbeddings(core.Probe), [{ field: 1, name: 'handler', properties: ['exec', 'httpGet', 'tcpSocket', 'grpc'] }]);
  assert.deepEqual(protoEmbeddings(core.SecretKeySelector)[0]?.properties, ['name']);
  assert.deepEqual(protoEmbeddings(core.Pod), []);
});

test('list patch metadata refers to properties of the items', () => {
  for (const m of all.values()) {
    for (const [name, prop] of Object.entries(m.properties)) {
      const type = prop.type;
      if (type.kind !== 'array') continue;
      const item = type.items.kind === 'ref' ? type.items.model() : undefined;
      if (type.patchMergeKey) {
        assert.ok(type.patchStrategy?.includes('merge'), `${m.name}.${name}: merge key without merge strategy`);
        assert.ok(item?.properties[type.patchMergeKey], `${m.name}.${name}: merge key ${type.patchMergeKey} is a property of the items`);
      }
      if (type.listType === 'map') {
        assert.ok(type.listMapKeys && type.listMapKeys.length > 0, `${m.name}.${name}: map list has keys`);
        for (const k of type.listMapKeys) assert.ok(item?.properties[k], `${m.name}.${name}: list map key ${k} is a property of the items`);
      } else {
        assert.equal(type.listMapKeys, undefined, `${m.name}.${name}: listMapKeys only on map lists`);
      }
      if (type.listType === 'set') assert.notEqual(type.items.kind, 'ref', `${m.name}.${name}: a set holds scalars`);
    }
  }
});

test('field numbers and patch metadata of well-known fields match upstream', () => {
  const om = meta.ObjectMeta.properties;
  const expected: Record<string, number> = {
    name: 1,
    generateName: 2,
    namespace: 3,
    selfLink: 4,
    uid: 5,
    resourceVersion: 6,
    generation: 7,
    creationTimestamp: 8,
    deletionTimestamp: 9,
    deletionGracePeriodSeconds: 10,
    labels: 11,
    annotations: 12,
    ownerReferences: 13,
    finalizers: 14,
    managedFields: 17,
  };
  assert.deepEqual(Object.fromEntries(Object.entries(om).map(([k, v]) => [k, v.proto])), expected);
  assert.deepEqual(om.ownerReferences?.type, {
    kind: 'array',
    items: om.ownerReferences?.type.kind === 'array' ? om.ownerReferences.type.items : undefined,
    patchStrategy: 'merge',
    patchMergeKey: 'uid',
    listType: 'map',
    listMapKeys: ['uid'],
  });
  const list = (m: Model, p: string) => {
    const type = m.properties[p]?.type;
    assert.equal(type?.kind, 'array', `${m.name}.${p} is a list`);
    const { kind: _k, items: _i, ...rest } = type as Extract<Type, { kind: 'array' }>;
    return rest;
  };
  assert.deepEqual(list(meta.ObjectMeta, 'finalizers'), { patchStrategy: 'merge', listType: 'set' });
  assert.deepEqual(list(core.PodSpec, 'containers'), { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] });
  assert.deepEqual(list(core.PodSpec, 'volumes'), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] });
  assert.deepEqual(list(core.PodSpec, 'tolerations'), { listType: 'atomic' });
  assert.deepEqual(list(core.PodSpec, 'topologySpreadConstraints'), {
    patchStrategy: 'merge',
    patchMergeKey: 'topologyKey',
    listType: 'map',
    listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  });
  assert.deepEqual(list(core.Container, 'ports'), {
    patchStrategy: 'merge',
    patchMergeKey: 'containerPort',
    listType: 'map',
    listMapKeys: ['containerPort', 'protocol'],
  });
  assert.deepEqual(list(core.Container, 'volumeMounts'), { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] });
  assert.deepEqual(list(core.ServiceSpec, 'ports'), { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] });
  assert.deepEqual(list(core.PodStatus, 'conditions'), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] });

  const num = (m: Model, p: string) => m.properties[p]?.proto;
  assert.equal(num(core.Container, 'envFrom'), 19);
  assert.equal(num(core.Container, 'startupProbe'), 22);
  assert.equal(num(core.Container, 'restartPolicy'), 24);
  assert.equal(num(core.PodSpec, 'ephemeralContainers'), 34);
  assert.equal(num(core.PodSpec, 'resources'), 40);
  assert.equal(num(core.PodStatus, 'observedGeneration'), 17);
  assert.equal(num(core.ServiceSpec, 'trafficDistribution'), 23);
  assert.equal(num(core.Secret, 'immutable'), 5);
  assert.equal(num(core.ConfigMap, 'immutable'), 4);
  assert.equal(num(meta.OwnerReference, 'apiVersion'), 5);
  assert.equal(core.Secret.properties.data?.type.kind, 'map');
  assert.deepEqual(core.Secret.properties.data?.type, { kind: 'map', values: { kind: 'bytes' } });
  assert.deepEqual(core.Event.properties.eventTime?.type, { kind: 'time', micro: true });
  assert.deepEqual(core.NodeStatus.properties.capacity?.type, { kind: 'map', values: { kind: 'quantity' } });
  assert.equal(core.ServicePort.properties.nodePort?.omitZero, true);
  assert.equal(core.ContainerPort.properties.containerPort?.required, true);
  assert.equal(core.ContainerPort.properties.hostPort?.omitZero, true);
  assert.equal(core.Container.properties.name?.required, true);
  assert.equal(core.Container.properties.tty?.omitZero, true);
});

// Completeness against kubernetes-types 1.30 (the newest published typings):
// every field it declares must be modelled, with the same required-ness.
// Fields added in 1.31-1.33 are modelled on top of that.
test('models cover every field of kubernetes-types, with the same required fields', () => {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('kubernetes-types/package.json').replace(/package\.json$/, '');
  const interfaces = new Map<string, Map<string, boolean>>();
  for (const [prefix, file] of [
    ['io.k8s.api.core.v1.', 'core/v1.d.ts'],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.', 'meta/v1.d.ts'],
  ] as const) {
    const src = readFileSync(dir + file, 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '');
    for (const m of src.matchAll(/export interface (\w+)\s*{([\s\S]*?)\n}/g)) {
      const fields = new Map<string, boolean>();
      for (const line of (m[2] ?? '').split('\n')) {
        const f = /^\s*(?:readonly\s+)?["']?([\w$-]+)["']?(\?)?:/.exec(line);
        if (f?.[1]) fields.set(f[1], f[2] !== '?');
      }
      interfaces.set(prefix + m[1], fields);
    }
  }
  // Removed upstream after 1.30 (replaced by resourceClaimName / resourceClaimTemplateName).
  const removed = new Set(['io.k8s.api.core.v1.PodResourceClaim.source']);
  // Marked required upstream after 1.30 (+required on list map keys and new types).
  const newlyRequired = new Set(['io.k8s.api.core.v1.HostAlias.ip', 'io.k8s.api.core.v1.PodIP.ip', 'io.k8s.api.core.v1.HostIP.ip']);
  let compared = 0;
  for (const m of all.values()) {
    const fields = interfaces.get(m.name);
    if (!fields) continue;
    compared++;
    for (const [field, required] of fields) {
      const key = `${m.name}.${field}`;
      if (removed.has(key)) continue;
      const prop = m.properties[field];
      assert.ok(prop, `${key} is modelled`);
      if (field === 'apiVersion' || field === 'kind') continue;
      assert.equal(prop.required === true, required || newlyRequired.has(key), `${key} required-ness`);
    }
  }
  assert.ok(compared > 120, `compared ${compared} models`);
});

/** Walks a JSON value against a type, collecting paths the models do not allow. */
function walk(value: unknown, type: Type, path: string, errors: string[]): void {
  const expect = (ok: boolean, what: string) => {
    if (!ok) errors.push(`${path}: expected ${what}, got ${JSON.stringify(value)}`);
  };
  switch (type.kind) {
    case 'ref': {
      const m = type.model();
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return expect(false, `object (${m.name})`);
      for (const [k, v] of Object.entries(value)) {
        const prop = m.properties[k];
        if (!prop) errors.push(`${path}.${k}: unknown field of ${m.name}`);
        else walk(v, prop.type, `${path}.${k}`, errors);
      }
      for (const [k, prop] of Object.entries(m.properties)) {
        if (prop.required && !(k in value)) errors.push(`${path}.${k}: required by ${m.name}`);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return expect(false, 'array');
      value.forEach((v, i) => walk(v, type.items, `${path}[${i}]`, errors));
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return expect(false, 'map');
      for (const [k, v] of Object.entries(value)) walk(v, type.values, `${path}[${k}]`, errors);
      return;
    case 'string':
      return expect(typeof value === 'string', 'string');
    case 'integer':
      return expect(Number.isInteger(value), 'integer');
    case 'number':
      return expect(typeof value === 'number', 'number');
    case 'boolean':
      return expect(typeof value === 'boolean', 'boolean');
    case 'quantity':
    case 'int-or-string':
      return expect(typeof value === 'string' || typeof value === 'number', 'string or number');
    case 'time':
      return expect(typeof value === 'string' && !Number.isNaN(Date.parse(value)), 'RFC 3339 time');
    case 'bytes':
      return expect(typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value), 'base64');
    case 'any':
      return;
  }
}

function check(model: Model, fixture: unknown): void {
  const errors: string[] = [];
  walk(fixture, { kind: 'ref', model: () => model }, model.name.slice(model.name.lastIndexOf('.') + 1), errors);
  assert.deepEqual(errors, []);
}

const podTemplate = {
  metadata: {
    labels: { app: 'web', tier: 'frontend' },
    annotations: { 'prometheus.io/scrape': 'true', 'kubectl.kubernetes.io/default-container': 'web' },
  },
  spec: {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 45,
    activeDeadlineSeconds: 3600,
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    hostname: 'web',
    subdomain: 'web-headless',
    setHostnameAsFQDN: false,
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    hostUsers: false,
    shareProcessNamespace: true,
    enableServiceLinks: false,
    priorityClassName: 'high',
    preemptionPolicy: 'PreemptLowerPriority',
    runtimeClassName: 'runc',
    schedulerName: 'default-scheduler',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    os: { name: 'linux' },
    overhead: { cpu: '10m', memory: '16Mi' },
    resources: { requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    imagePullSecrets: [{ name: 'registry' }],
    hostAliases: [{ ip: '10.0.0.10', hostnames: ['db.local', 'cache.local'] }],
    readinessGates: [{ conditionType: 'example.com/ready' }],
    schedulingGates: [{ name: 'example.com/quota' }],
    resourceClaims: [
      { name: 'gpu', resourceClaimTemplateName: 'gpu-template' },
      { name: 'shared', resourceClaimName: 'shared-claim' },
    ],
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 3000,
      runAsNonRoot: true,
      fsGroup: 2000,
      fsGroupChangePolicy: 'OnRootMismatch',
      supplementalGroups: [4000],
      supplementalGroupsPolicy: 'Merge',
      seLinuxChangePolicy: 'MountOption',
      seLinuxOptions: { level: 's0:c123,c456' },
      seccompProfile: { type: 'RuntimeDefault' },
      appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' },
      sysctls: [{ name: 'net.core.somaxconn', value: '1024' }],
      windowsOptions: { gmsaCredentialSpecName: 'spec', runAsUserName: 'ContainerUser', hostProcess: false },
    },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }],
              matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-9'] }],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 50, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } },
        ],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['default'] },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
              namespaceSelector: {},
              topologyKey: 'kubernetes.io/hostname',
              matchLabelKeys: ['pod-template-hash'],
              mismatchLabelKeys: ['tenant'],
            },
          },
        ],
      },
    },
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
    ],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'web' } },
        minDomains: 2,
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Ignore',
        matchLabelKeys: ['pod-template-hash'],
      },
    ],
    initContainers: [
      {
        name: 'migrate',
        image: 'registry.example.com/web:1.2.3',
        command: ['/bin/migrate'],
        args: ['--up'],
        envFrom: [{ configMapRef: { name: 'web-config' } }, { prefix: 'DB_', secretRef: { name: 'db', optional: true } }],
        resources: { requests: { cpu: '100m' }, claims: [{ name: 'shared' }] },
      },
      {
        name: 'log-shipper',
        image: 'fluent/fluent-bit:3.0',
        restartPolicy: 'Always',
        startupProbe: { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 30 },
        volumeMounts: [{ name: 'logs', mountPath: '/var/log/app', readOnly: true, recursiveReadOnly: 'IfPossible' }],
      },
    ],
    containers: [
      {
        name: 'web',
        image: 'registry.example.com/web:1.2.3',
        imagePullPolicy: 'IfNotPresent',
        workingDir: '/app',
        command: ['/app/server'],
        args: ['--port=8080'],
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9090, hostPort: 19090, hostIP: '0.0.0.0' },
        ],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1m' } } },
          { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'level', optional: true } } },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        resources: { requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '512Mi' }, claims: [{ name: 'gpu', request: 'one' }] },
        resizePolicy: [
          { resourceName: 'cpu', restartPolicy: 'NotRequired' },
          { resourceName: 'memory', restartPolicy: 'RestartContainer' },
        ],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/web', readOnly: true },
          { name: 'data', mountPath: '/data', subPathExpr: '$(POD_NAME)', mountPropagation: 'None' },
          { name: 'logs', mountPath: '/var/log/app', subPath: 'web' },
        ],
        volumeDevices: [{ name: 'block', devicePath: '/dev/xvda' }],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', host: '127.0.0.1', httpHeaders: [{ name: 'X-Probe', value: 'liveness' }] },
          initialDelaySeconds: 10,
          timeoutSeconds: 2,
          periodSeconds: 15,
          successThreshold: 1,
          failureThreshold: 3,
          terminationGracePeriodSeconds: 10,
        },
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
        startupProbe: { grpc: { port: 9090, service: 'health' }, failureThreshold: 60 },
        lifecycle: {
          postStart: { exec: { command: ['/bin/sh', '-c', 'echo started'] } },
          preStop: { sleep: { seconds: 5 } },
          stopSignal: 'SIGTERM',
        },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'FallbackToLogsOnError',
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          runAsUser: 1000,
          runAsGroup: 1000,
          procMount: 'Default',
          capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
          seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
          appArmorProfile: { type: 'RuntimeDefault' },
          seLinuxOptions: { user: 'system_u', role: 'system_r', type: 'container_t', level: 's0' },
        },
        stdin: false,
        stdinOnce: false,
        tty: false,
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'web-config', defaultMode: 0o644, items: [{ key: 'app.yaml', path: 'app.yaml', mode: 0o600 }], optional: false } },
      { name: 'tls', secret: { secretName: 'web-tls', defaultMode: 0o400 } },
      { name: 'logs', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data', readOnly: false } },
      { name: 'host', hostPath: { path: '/var/run/app', type: 'DirectoryOrCreate' } },
      { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      {
        name: 'projected',
        projected: {
          defaultMode: 0o440,
          sources: [
            { serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { secret: { name: 'extra', optional: true } },
            { downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'web', resource: 'requests.cpu' } }] } },
            { clusterTrustBundle: { signerName: 'example.com/signer', labelSelector: { matchLabels: { trust: 'yes' } }, path: 'bundle.pem', optional: true } },
          ],
        },
      },
      {
        name: 'scratch',
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { type: 'scratch' } },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: 'fast',
              resources: { requests: { storage: '10Gi' } },
              volumeMode: 'Filesystem',
              dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' },
            },
          },
        },
      },
      { name: 'block', csi: { driver: 'csi.example.com', readOnly: true, fsType: 'ext4', volumeAttributes: { size: '1Gi' }, nodePublishSecretRef: { name: 'csi' } } },
      { name: 'model', image: { reference: 'registry.example.com/model:v1', pullPolicy: 'IfNotPresent' } },
      { name: 'nfs', nfs: { server: 'nfs.local', path: '/exports', readOnly: true } },
      { name: 'iscsi', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0, chapAuthSession: true, secretRef: { name: 'chap' } } },
      { name: 'repo', gitRepo: { repository: 'https://example.com/repo.git', revision: 'main', directory: '.' } },
      { name: 'flocker', flocker: { datasetName: 'ds' } },
      { name: 'rbd', rbd: { monitors: ['10.0.0.2:6789'], image: 'img', pool: 'kube', user: 'admin', secretRef: { name: 'ceph' } } },
      { name: 'cephfs', cephfs: { monitors: ['10.0.0.2:6789'], path: '/', user: 'admin', secretFile: '/etc/ceph/secret' } },
      { name: 'azure', azureDisk: { diskName: 'd', diskURI: 'https://x/d.vhd', cachingMode: 'ReadOnly', kind: 'Managed', readOnly: true } },
      { name: 'fc', fc: { targetWWNs: ['500a0982991b8dc5'], lun: 2, fsType: 'ext4' } },
    ],
  },
};

test('a full Deployment-style pod template only uses modelled fields', () => {
  check(core.PodTemplateSpec, podTemplate);
  // Every volume source property above is one Volume knows, and the walk catches typos.
  const errors: string[] = [];
  walk({ spec: { containers: [{ name: 'x', imagePullPolicy: 'Always', livenessProbes: {} }] } }, { kind: 'ref', model: () => core.PodTemplateSpec }, 't', errors);
  assert.deepEqual(errors, ['t.spec.containers[0].livenessProbes: unknown field of io.k8s.api.core.v1.Container']);
});

test('a running pod with a full status only uses modelled fields', () => {
  check(core.Pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-5d9c7b8f6d-abcde',
      generateName: 'web-5d9c7b8f6d-',
      namespace: 'default',
      uid: '0b4e7a52-3c1d-4f2e-9a8b-7c6d5e4f3a2b',
      resourceVersion: '12345',
      generation: 1,
      creationTimestamp: '2025-01-02T03:04:05Z',
      labels: { app: 'web', 'pod-template-hash': '5d9c7b8f6d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7b8f6d', uid: 'a1', controller: true, blockOwnerDeletion: true }],
      finalizers: ['example.com/cleanup'],
      managedFields: [
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2025-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2025-01-02T03:04:09Z', fieldsType: 'FieldsV1', fieldsV1: {}, subresource: 'status' },
      ],
    },
    spec: podTemplate.spec,
    status: {
      observedGeneration: 1,
      phase: 'Running',
      qosClass: 'Burstable',
      hostIP: '10.0.0.5',
      hostIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }],
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00:10:244::7' }],
      startTime: '2025-01-02T03:04:06Z',
      nominatedNodeName: 'node-1',
      resize: 'InProgress',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-02T03:04:05Z', observedGeneration: 1 },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' },
      ],
      resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'web-5d9c7b8f6d-abcde-gpu-x7k2p' }],
      initContainerStatuses: [
        {
          name: 'migrate',
          ready: false,
          restartCount: 0,
          image: 'registry.example.com/web:1.2.3',
          imageID: 'registry.example.com/web@sha256:abc',
          containerID: 'containerd://111',
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-01-02T03:04:07Z', finishedAt: '2025-01-02T03:04:08Z', containerID: 'containerd://111' } },
        },
      ],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          started: true,
          restartCount: 2,
          image: 'registry.example.com/web:1.2.3',
          imageID: 'registry.example.com/web@sha256:abc',
          containerID: 'containerd://222',
          state: { running: { startedAt: '2025-01-02T03:05:00Z' } },
          lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'killed' } },
          allocatedResources: { cpu: '250m', memory: '256Mi' },
          resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true, recursiveReadOnly: 'Disabled' }],
          user: { linux: { uid: 1000, gid: 3000, supplementalGroups: [4000] } },
          allocatedResourcesStatus: [{ name: 'claim:gpu/one', resources: [{ resourceID: 'gpu-0', health: 'Healthy' }] }],
          stopSignal: 'SIGTERM',
        },
      ],
      ephemeralContainerStatuses: [
        { name: 'debugger', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'ContainerCreating', message: 'pulling' } } },
      ],
    },
  });
  check(core.EphemeralContainer, { name: 'debugger', image: 'busybox', targetContainerName: 'web', stdin: true, tty: true });
});

test('services, endpoints, nodes, events and config objects only use modelled fields', () => {
  check(core.Service, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080, appProtocol: 'kubernetes.io/h2c' },
        { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
      ],
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10', 'fd00::10'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'PreferDualStack',
      externalIPs: ['192.0.2.10'],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      loadBalancerIP: '192.0.2.20',
      loadBalancerSourceRanges: ['0.0.0.0/0'],
      loadBalancerClass: 'example.com/lb',
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      internalTrafficPolicy: 'Cluster',
      trafficDistribution: 'PreferClose',
      publishNotReadyAddresses: false,
    },
    status: {
      loadBalancer: { ingress: [{ ip: '192.0.2.20', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP', error: 'example.com/Pending' }] }, { hostname: 'lb.example.com' }] },
      conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: '2025-01-02T03:04:05Z', reason: 'Provisioned', message: 'ok' }],
    },
  });
  check(core.Endpoints, {
    metadata: { name: 'web' },
    subsets: [
      {
        addresses: [{ ip: '10.244.1.7', hostname: 'web-0', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: 'u' } }],
        notReadyAddresses: [{ ip: '10.244.1.8' }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
      },
    ],
  });
  check(core.Node, {
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'skiff://node-1', unschedulable: false, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule', timeAdded: '2025-01-02T03:04:05Z' }] },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'hugepages-2Mi': '0' },
      allocatable: { cpu: '3800m', memory: '15Gi', pods: 110 },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-02T03:04:05Z', lastTransitionTime: '2025-01-02T03:04:05Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'node-1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'm',
        systemUUID: 's',
        bootID: 'b',
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.33.0',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
        swap: { capacity: 0 },
      },
      images: [{ names: ['registry.example.com/web:1.2.3'], sizeBytes: 12345678 }],
      volumesInUse: ['kubernetes.io/csi/csi.example.com^vol-1'],
      volumesAttached: [{ name: 'kubernetes.io/csi/csi.example.com^vol-1', devicePath: '' }],
      config: { active: { configMap: { namespace: 'kube-system', name: 'node-config', kubeletConfigKey: 'kubelet' } }, error: '' },
      runtimeHandlers: [{ name: '', features: { recursiveReadOnlyMounts: true, userNamespaces: true } }],
      features: { supplementalGroupsPolicy: true },
    },
  });
  check(core.Event, {
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u', apiVersion: 'v1', resourceVersion: '1', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled',
    message: 'Successfully pulled image',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2025-01-02T03:04:05Z',
    lastTimestamp: '2025-01-02T03:05:05Z',
    count: 3,
    type: 'Normal',
    eventTime: '2025-01-02T03:04:05.123456Z',
    series: { count: 2, lastObservedTime: '2025-01-02T03:05:05.000001Z' },
    action: 'Pulling',
    related: { kind: 'Node', name: 'node-1' },
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  });
  check(core.Secret, { type: 'Opaque', data: { password: 'czNjcjN0' }, stringData: { user: 'admin' }, immutable: true, metadata: { name: 's' } });
  check(core.ConfigMap, { data: { 'app.yaml': 'a: 1' }, binaryData: { blob: 'AAEC' }, immutable: false });
  check(core.ServiceAccount, { secrets: [{ name: 'token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false });
  check(core.Namespace, {
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: '2025-01-02T03:04:05Z', reason: 'ContentDeleted', message: 'done' }] },
  });
  check(core.Binding, { metadata: { name: 'web-0' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
  check(meta.Status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "x" not found',
    reason: 'NotFound',
    details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueInvalid', message: 'bad', field: 'spec.containers[0].name' }], retryAfterSeconds: 1 },
    code: 404,
  });
  check(meta.DeleteOptions, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u', resourceVersion: '1' }, dryRun: ['All'] });
});
