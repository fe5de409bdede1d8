// Schema checks for the non-core API groups (apps, batch, networking,
// coordination, autoscaling, events, discovery) and their version conversions.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { protoEmbeddings, type Model, type Type } from './dsl.ts';
import { Deployment, ReplicaSet } from './apps.ts';
import { CronJob, Job, JobTemplateSpec } from './batch.ts';
import { Ingress, IngressClass, IngressRule } from './networking.ts';
import { Lease } from './coordination.ts';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  HorizontalPodAutoscalerV1,
  HorizontalPodAutoscalerV2,
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  Scale,
  hpaV1ToV2,
  hpaV2ToV1,
} from './autoscaling.ts';
import { EventsEvent, coreToEventsV1, eventsV1ToCore } from './events.ts';
import { EndpointSlice } from './discovery.ts';

const KINDS: Record<string, Model> = {
  Deployment,
  ReplicaSet,
  Job,
  CronJob,
  JobTemplateSpec,
  Ingress,
  IngressClass,
  Lease,
  HorizontalPodAutoscalerV2,
  HorizontalPodAutoscalerV1,
  Scale,
  EventsEvent,
  EndpointSlice,
};

/** Models defined in the files under test; anything else (meta, core) is checked elsewhere. */
const OWN_PREFIXES = [
  'io.k8s.api.apps.v1.',
  'io.k8s.api.batch.v1.',
  'io.k8s.api.networking.v1.',
  'io.k8s.api.coordination.v1.',
  'io.k8s.api.autoscaling.v1.',
  'io.k8s.api.autoscaling.v2.',
  'io.k8s.api.events.v1.',
  'io.k8s.api.discovery.v1.',
];
const isOwn = (m: Model) => OWN_PREFIXES.some((prefix) => m.name.startsWith(prefix));

function refsOf(type: Type): Model[] {
  switch (type.kind) {
    case 'ref': {
      const target = type.model();
      assert.ok(target && typeof target.name === 'string', 'a ref resolves to a model (no import cycle left it undefined)');
      return [target];
    }
    case 'array':
      return refsOf(type.items);
    case 'map':
      return refsOf(type.values);
    default:
      return [];
  }
}

/** Every model reachable from the kinds, stopping at models of other files. */
function reachable(): Model[] {
  const seen = new Map<string, Model>();
  const queue = Object.values(KINDS);
  while (queue.length > 0) {
    const m = queue.shift()!;
    if (!isOwn(m)) continue;
    const prior = seen.get(m.name);
    if (prior) {
      assert.equal(prior, m, `one model object per name: ${m.name}`);
      continue;
    }
    seen.set(m.name, m);
    for (const prop of Object.values(m.properties)) queue.push(...refsOf(prop.type));
  }
  return [...seen.values()];
}

test('every property of every reachable model has a protobuf field number', () => {
  const models = reachable();
  assert.ok(models.length > 80, `walked ${models.length} models`);
  for (const m of models) {
    for (const [name, prop] of Object.entries(m.properties)) {
      if ((name === 'apiVersion' || name === 'kind') && m.gvk) {
        // Type meta of a top-level object is not part of its protobuf message.
        assert.equal(prop.proto, undefined, `${m.name}.${name} carries no field number`);
        continue;
      }
      assert.ok(Number.isInteger(prop.proto) && prop.proto! > 0, `${m.name}.${name} has a field number`);
      assert.ok(prop.description.length > 0, `${m.name}.${name} has a description`);
    }
  }
});


test('no model uses a protobuf field number twice', () => {
  const unique = (scope: string, entries: [string, number | undefined][]) => {
    const byNumber = new Map<number, string>();
    for (const [name, proto] of entries) {
      if (proto === undefined) continue;
      const other = byNumber.get(proto);
      assert.equal(other, undefined, `${scope}: ${name} and ${other} share field ${proto}`);
      byNumber.set(proto, name);
    }
  };
  for (const m of reachable()) {
    const embeddings = protoEmbeddings(m);
    const inside = new Set(embeddings.flatMap((e) => e.properties));
    for (const name of inside) assert.ok(m.properties[name], `${m.name}: embedded property ${name} exists`);
    unique(m.name, [
      ...Object.entries(m.properties)
        .filter(([name]) => !inside.has(name))
        .map(([name, prop]): [string, number | undefined] => [name, prop.proto]),
      ...embeddings.map((e): [string, number] => [e.name, e.field]),
    ]);
    for (const e of embeddings) unique(`${m.name}.${e.name}`, e.properties.map((name) => [name, m.properties[name]!.proto]));
  }
});

test('IngressRule carries its embedded IngressRuleValue', () => {
  assert.deepEqual(protoEmbeddings(IngressRule), [{ field: 2, name: 'ingressRuleValue', properties: ['http'] }]);
});

test('list metadata is consistent', () => {
  const check = (where: string, type: Type): void => {
    if (type.kind === 'array') {
      if (type.patchStrategy?.includes('merge')) assert.ok(type.patchMergeKey, `${where}: merge strategy needs a merge key`);
      if (type.listMapKeys) assert.equal(type.listType, 'map', `${where}: list map keys only on map lists`);
      if (type.listType === 'map') assert.ok(type.listMapKeys?.length, `${where}: map lists need keys`);
      check(where, type.items);
    }
  };
  for (const m of reachable()) for (const [name, prop] of Object.entries(m.properties)) check(`${m.name}.${name}`, prop.type);
});

test('top-level kinds carry their group/version/kind and type meta', () => {
  const expected: Record<string, string> = {
    Deployment: 'apps/v1 Deployment',
    ReplicaSet: 'apps/v1 ReplicaSet',
    Job: 'batch/v1 Job',
    CronJob: 'batch/v1 CronJob',
    Ingress: 'networking.k8s.io/v1 Ingress',
    IngressClass: 'networking.k8s.io/v1 IngressClass',
    Lease: 'coordination.k8s.io/v1 Lease',
    HorizontalPodAutoscalerV2: 'autoscaling/v2 HorizontalPodAutoscaler',
    HorizontalPodAutoscalerV1: 'autoscaling/v1 HorizontalPodAutoscaler',
    Scale: 'autoscaling/v1 Scale',
    EventsEvent: 'events.k8s.io/v1 Event',
    EndpointSlice: 'discovery.k8s.io/v1 EndpointSlice',
  };
  for (const [name, gvk] of Object.entries(expected)) {
    const m = KINDS[name]!;
    assert.deepEqual(m.gvk?.map((g) => `${g.group}/${g.version} ${g.kind}`), [gvk], name);
    assert.ok(m.properties.apiVersion && m.properties.kind, `${name} has apiVersion and kind`);
    assert.equal(m.properties.metadata?.proto, 1, `${name}.metadata is field 1`);
  }
  assert.equal(HorizontalPodAutoscalerV1.name, 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler');
  assert.equal(HorizontalPodAutoscalerV2.name, 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
  assert.equal(JobTemplateSpec.gvk, undefined);
});

test('upstream facts spot checks', () => {
  const prop = (root: Model, path: string) => {
    let m = root;
    const parts = path.split('.');
    for (const part of parts.slice(0, -1)) {
      let type = m.properties[part]!.type;
      if (type.kind === 'array') type = type.items;
      assert.equal(type.kind, 'ref', path);
      m = (type as Extract<Type, { kind: 'ref' }>).model();
    }
    return m.properties[parts[parts.length - 1]!]!;
  };
  // Deployment
  assert.equal(prop(Deployment, 'spec.strategy').patchStrategy, 'retainKeys');
  assert.equal(prop(Deployment, 'spec.progressDeadlineSeconds').proto, 9);
  assert.deepEqual(prop(Deployment, 'spec.strategy.rollingUpdate.maxSurge').type, { kind: 'int-or-string' });
  const conditions = prop(Deployment, 'status.conditions').type;
  assert.deepEqual(
    conditions.kind === 'array' && [conditions.patchStrategy, conditions.patchMergeKey, conditions.listType, conditions.listMapKeys],
    ['merge', 'type', 'map', ['type']],
  );
  assert.equal(prop(Deployment, 'status.conditions.lastUpdateTime').proto, 6);
  assert.equal(prop(Deployment, 'status.replicas').omitZero, true);
  assert.equal(prop(ReplicaSet, 'status.replicas').required, true);
  // Job / CronJob
  assert.equal(prop(Job, 'spec.successPolicy').proto, 16);
  assert.equal(prop(Job, 'spec.managedBy').proto, 15);
  assert.equal(prop(Job, 'status.terminating').proto, 11);
  assert.equal(prop(Job, 'status.active').omitZero, true);
  assert.equal(prop(Job, 'status.ready').omitZero, undefined);
  const jobConditions = prop(Job, 'status.conditions').type;
  assert.ok(jobConditions.kind === 'array' && jobConditions.listType === 'atomic' && jobConditions.patchMergeKey === 'type');
  assert.equal(prop(CronJob, 'spec.timeZone').proto, 8);
  assert.equal(prop(CronJob, 'spec.jobTemplate.spec.template').required, true);
  // Ingress
  assert.equal(prop(Ingress, 'spec.ingressClassName').proto, 4);
  assert.equal(prop(Ingress, 'spec.defaultBackend.service').proto, 4);
  assert.equal(prop(Ingress, 'spec.rules.http.paths.pathType').proto, 3);
  assert.equal(prop(Ingress, 'spec.rules.http').proto, 1, 'numbered inside the embedded IngressRuleValue');
  const rules = prop(Ingress, 'spec.rules').type;
  assert.ok(rules.kind === 'array' && rules.listType === 'atomic' && rules.patchStrategy === undefined);
  assert.equal(prop(Ingress, 'status.loadBalancer.ingress.ports').proto, 4);
  // Lease, Event, EndpointSlice, HPA, Scale
  assert.deepEqual(prop(Lease, 'spec.renewTime').type, { kind: 'time', micro: true });
  assert.deepEqual(prop(EventsEvent, 'eventTime').type, { kind: 'time', micro: true });
  assert.equal(prop(EventsEvent, 'deprecatedCount').proto, 15);
  assert.equal(prop(EndpointSlice, 'addressType').proto, 4);
  assert.equal(prop(EndpointSlice, 'endpoints.hints.forNodes').proto, 2);
  assert.equal(prop(HorizontalPodAutoscalerV2, 'spec.metrics.containerResource').proto, 7);
  assert.equal(prop(HorizontalPodAutoscalerV2, 'spec.behavior.scaleUp.stabilizationWindowSeconds').proto, 3);
  assert.equal(prop(HorizontalPodAutoscalerV2, 'spec.behavior.scaleUp.tolerance').proto, 4);
  assert.equal(prop(HorizontalPodAutoscalerV2, 'status.currentReplicas').omitZero, true);
  assert.equal(prop(HorizontalPodAutoscalerV1, 'status.currentReplicas').required, true);
  assert.equal(prop(Scale, 'spec.replicas').omitZero, true);
});

// ---- HorizontalPodAutoscaler v1 <-> v2 ------------------------------------------

function hpaV2(): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', annotations: { team: 'blue' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: 'packets-per-second', selector: { matchLabels: { tier: 'edge' } } },
            target: { type: 'AverageValue', averageValue: '1k' },
          },
        },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      },
    },
    status: {
      observedGeneration: 3,
      lastScaleTime: '2024-05-01T10:00:00Z',
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [
        { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, current: { averageValue: '1200m' } } },
        { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '120m', averageUtilization: 72 } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-05-01T09:00:00Z', reason: 'ReadyForNewScale', message: 'ok' },
        { type: 'ScalingActive', status: 'True', lastTransitionTime: '2024-05-01T09:00:00Z', reason: 'ValidMetricFound', message: 'ok' },
      ],
    },
  };
}

test('hpaV2ToV1 maps the CPU target and keeps the rest in annotations', () => {
  const v1 = hpaV2ToV1(hpaV2());
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.kind, 'HorizontalPodAutoscaler');
  assert.deepEqual(v1.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 10,
    targetCPUUtilizationPercentage: 60,
  });
  assert.deepEqual(v1.status, {
    observedGeneration: 3,
    lastScaleTime: '2024-05-01T10:00:00Z',
    currentReplicas: 3,
    desiredReplicas: 4,
    currentCPUUtilizationPercentage: 72,
  });
  const annotations = (v1.metadata as { annotations: Record<string, string> }).annotations;
  assert.equal(annotations.team, 'blue');
  assert.deepEqual(JSON.parse(annotations[METRIC_SPECS_ANNOTATION]!), [
    { type: 'Pods', pods: { metricName: 'packets-per-second', targetAverageValue: '1k', selector: { matchLabels: { tier: 'edge' } } } },
  ]);
  assert.deepEqual(JSON.parse(annotations[METRIC_STATUSES_ANNOTATION]!), [
    { type: 'Pods', pods: { metricName: 'packets-per-second', currentAverageValue: '1200m' } },
    { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 72, currentAverageValue: '120m' } },
  ]);
  assert.equal(
    annotations[BEHAVIOR_ANNOTATION],
    '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},' +
      '"ScaleDown":{"StabilizationWindowSeconds":null,"SelectPolicy":null,"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}',
  );
  assert.equal(JSON.parse(annotations[CONDITIONS_ANNOTATION]!).length, 2);
});

test('v2 HPA with two metrics -> v1 -> v2 equals the original', () => {
  const original = hpaV2();
  const input = structuredClone(original);
  const back = hpaV1ToV2(hpaV2ToV1(input));
  assert.deepEqual(back, original);
  assert.deepEqual(input, original, 'the input is not mutated');
});

test('every v2 metric source round-trips through v1', () => {
  const original = hpaV2();
  const spec = original.spec as { metrics: unknown[] };
  spec.metrics = [
    {
      type: 'Object',
      object: {
        describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
        target: { type: 'Value', value: '10k' },
        metric: { name: 'requests-per-second' },
      },
    },
    { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } } },
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
  ];
  (original.status as { currentMetrics: unknown[] }).currentMetrics = [
    {
      type: 'Object',
      object: {
        metric: { name: 'requests-per-second' },
        current: { value: '9k' },
        describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
      },
    },
    { type: 'External', external: { metric: { name: 'queue' }, current: { value: '0', averageValue: '25' } } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageValue: '50m', averageUtilization: 40 } } },
  ];
  assert.deepEqual(hpaV1ToV2(hpaV2ToV1(original)), original);
});

test('hpaV1ToV2 converts a plain v1 object and applies the implicit CPU default', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 0, desiredReplicas: 1, currentCPUUtilizationPercentage: 40 },
  };
  const v2 = hpaV1ToV2(v1);
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web' },
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  });
  assert.deepEqual(v2.status, {
    desiredReplicas: 1,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }],
  });
  const back = hpaV2ToV1(v2);
  assert.deepEqual(back.spec, v1.spec);
  assert.equal((back.status as Record<string, unknown>).currentCPUUtilizationPercentage, 40);

  const bare = hpaV1ToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } });
  assert.deepEqual((bare.spec as { metrics: unknown }).metrics, [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
  ]);
  assert.equal(bare.status, undefined);
});

test('hpaV1ToV2 reads annotations leniently and always drops them', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: 'web',
      annotations: {
        [METRIC_SPECS_ANNOTATION]: 'not json',
        // Go's encoding/json matches the internal type's field names case-insensitively.
        [BEHAVIOR_ANNOTATION]: '{"scaleDown":{"stabilizationWindowSeconds":30,"policies":null}}',
      },
    },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
  };
  const v2 = hpaV1ToV2(v1);
  assert.deepEqual(v2.metadata, { name: 'web' });
  const spec = v2.spec as { metrics: unknown[]; behavior: unknown };
  assert.equal(spec.metrics.length, 1);
  assert.deepEqual(spec.behavior, { scaleDown: { stabilizationWindowSeconds: 30 } });
  const zero = hpaV1ToV2({ ...v1, metadata: { name: 'web', annotations: { [BEHAVIOR_ANNOTATION]: '{"ScaleUp":null,"ScaleDown":null}' } } });
  assert.equal((zero.spec as { behavior?: unknown }).behavior, undefined);
});

// ---- Event core/v1 <-> events.k8s.io/v1 ----------------------------------------

const coreEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17c0', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42', fieldPath: 'spec.containers{app}' },
  reason: 'Pulled',
  message: 'Successfully pulled image',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-05-01T10:00:00Z',
  lastTimestamp: '2024-05-01T10:05:00Z',
  count: 3,
  type: 'Normal',
  eventTime: '2024-05-01T10:00:00.123456Z',
  series: { count: 3, lastObservedTime: '2024-05-01T10:05:00.000001Z' },
  action: 'Pulling',
  related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

test('core Event -> events.k8s.io Event renames the deprecated fields', () => {
  const ev = coreToEventsV1(structuredClone(coreEvent));
  assert.deepEqual(ev, {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: coreEvent.metadata,
    eventTime: coreEvent.eventTime,
    series: coreEvent.series,
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    action: 'Pulling',
    reason: 'Pulled',
    regarding: coreEvent.involvedObject,
    related: coreEvent.related,
    note: 'Successfully pulled image',
    type: 'Normal',
    deprecatedSource: coreEvent.source,
    deprecatedFirstTimestamp: coreEvent.firstTimestamp,
    deprecatedLastTimestamp: coreEvent.lastTimestamp,
    deprecatedCount: 3,
  });
});

test('core Event <-> events.k8s.io Event round-trips both ways', () => {
  assert.deepEqual(eventsV1ToCore(coreToEventsV1(coreEvent)), coreEvent);
  const ev = coreToEventsV1(coreEvent);
  assert.deepEqual(coreToEventsV1(eventsV1ToCore(ev)), ev);
  const minimal = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'default' },
    eventTime: '2024-05-01T10:00:00.000000Z',
    reportingController: 'skiff.dev/controller',
    reportingInstance: 'c-1',
    action: 'Scale',
    reason: 'ScalingReplicaSet',
    regarding: { kind: 'Deployment', name: 'web', namespace: 'default' },
    note: 'Scaled up',
    type: 'Normal',
  };
  const core = eventsV1ToCore(minimal);
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'Scaled up');
  assert.equal(core.reportingComponent, 'skiff.dev/controller');
  assert.deepEqual(core.involvedObject, minimal.regarding);
  assert.deepEqual(coreToEventsV1(core), minimal);
});
