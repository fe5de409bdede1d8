import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsFor, matchesFields, parseFieldSelector, validateFieldSelector } from './field.ts';

const problem = (group: string, resource: string, selector: string): string | undefined =>
  validateFieldSelector(group, resource, parseFieldSelector(selector));

/** Validates like the API server, then matches the object's field set. */
const selects = (group: string, resource: string, selector: string, obj: object): boolean => {
  const sel = parseFieldSelector(selector);
  assert.equal(validateFieldSelector(group, resource, sel), undefined);
  return matchesFields(sel, fieldsFor(group, resource, obj));
};

const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', containers: [] },
  status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] },
};

test('pods: the registry field set, with the legacy spec.host', () => {
  assert.deepEqual(fieldsFor('', 'pods', pod), {
    'metadata.name': 'web-1',
    'metadata.namespace': 'default',
    'spec.nodeName': 'node-1',
    'spec.host': 'node-1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'false',
    'status.phase': 'Running',
    'status.podIP': '10.0.0.5',
    'status.nominatedNodeName': '',
  });
});

test('pods: accepted labels and the unsupported message', () => {
  assert.equal(selects('', 'pods', 'spec.host=node-1,status.phase!=Pending', pod), true);
  assert.equal(selects('', 'pods', 'spec.nodeName=node-2', pod), false);
  assert.equal(selects('', 'pods', 'status.podIPs=10.0.0.5', pod), false, 'accepted but not in the field set');
  assert.equal(problem('', 'pods', 'spec.containers=x'), 'field label not supported: spec.containers');
  assert.equal(problem('', 'pods', 'zzz=1,aaa=1'), 'field label not supported: aaa', 'the first in sorted order');
});

const event = {
  metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u1', apiVersion: 'apps/v1', resourceVersion: '12' },
  reason: 'ScalingReplicaSet',
  type: 'Normal',
  reportingComponent: 'deployment-controller',
};

test('events: what kubectl describe selects by; source falls back to the reporting controller', () => {
  const fields = fieldsFor('', 'events', event);
  assert.equal(fields['involvedObject.fieldPath'], '');
  assert.equal(fields.source, 'deployment-controller');
  const describe = 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Deployment,involvedObject.uid=u1';
  assert.equal(selects('', 'events', describe, event), true);
  assert.equal(selects('', 'events', 'involvedObject.uid=u2', event), false);
  assert.equal(problem('', 'events', 'message=x'), 'field label not supported: message');
  assert.equal(problem('', 'events', 'regarding.name=web'), 'field label not supported: regarding.name');
});

test('events.k8s.io: regarding.* and reportingController, over either shape', () => {
  const eventsShape = {
    metadata: { name: 'e', namespace: 'default' },
    regarding: { kind: 'Pod', name: 'web' },
    reportingController: 'kubelet',
    eventTime: '2024-01-01T00:00:00.000000Z',
  };
  const selector = 'regarding.kind=Pod,regarding.name=web,reportingController=kubelet';
  assert.equal(selects('events.k8s.io', 'events', selector, eventsShape), true);
  assert.equal(selects('events.k8s.io', 'events', 'regarding.name=web', event), true);
  assert.equal(problem('events.k8s.io', 'events', 'involvedObject.name=web'), 'field label not supported: involvedObject.name');
});

test('cluster-scoped kinds: no metadata.namespace in the set or the labels', () => {
  assert.deepEqual(fieldsFor('', 'nodes', { metadata: { name: 'n1' }, spec: { unschedulable: true } }), {
    'metadata.name': 'n1',
    'spec.unschedulable': 'true',
  });
  assert.equal(problem('', 'nodes', 'metadata.namespace=x'), 'field label not supported: metadata.namespace');
  assert.deepEqual(fieldsFor('', 'namespaces', { metadata: { name: 'dev' }, status: { phase: 'Terminating' } }), {
    'metadata.name': 'dev',
    'status.phase': 'Terminating',
    name: 'dev',
  });
  assert.equal(problem('', 'namespaces', 'name=dev'), 'field label not supported: name');
  assert.deepEqual(fieldsFor('networking.k8s.io', 'ingressclasses', { metadata: { name: 'nginx' } }), { 'metadata.name': 'nginx' });
});

test('secrets, services, jobs', () => {
  assert.equal(selects('', 'secrets', 'type=kubernetes.io/tls', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls' }), true);
  assert.equal(problem('', 'secrets', 'data=x'), 'field label not supported: data');
  const svc = { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: '10.96.0.10', type: 'ClusterIP' } };
  assert.equal(selects('', 'services', 'spec.clusterIP=10.96.0.10,spec.type=ClusterIP', svc), true);
  assert.equal(selects('batch', 'jobs', 'status.successful=3', { metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 3 } }), true);
  assert.equal(problem('batch', 'jobs', 'status.active=1'), 'field label "status.active" not supported for batchv1.Job');
});

test('kinds without a conversion function know only name and namespace', () => {
  const deploy = { metadata: { name: 'web', namespace: 'default' } };
  assert.deepEqual(fieldsFor('apps', 'deployments', deploy), { 'metadata.name': 'web', 'metadata.namespace': 'default' });
  assert.equal(selects('apps', 'deployments', 'metadata.name=web,metadata.namespace=default', deploy), true);
  assert.equal(problem('apps', 'deployments', 'spec.replicas=1'), '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"');
  assert.equal(fieldsFor('apps', 'replicasets', { metadata: { name: 'rs', namespace: 'd' }, status: { replicas: 0 } })['status.replicas'], '0');
  assert.equal(problem('apps', 'replicasets', 'status.replicas=0'), '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"');
});
