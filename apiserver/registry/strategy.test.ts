// The per-kind rules (strategy) as pure functions: who owns spec and status,
// when generation moves, what a new object starts with, and a pod's QoS class.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findResource, type ResourceInfo } from '../../api/kinds.ts';
import type { KObject } from './object.ts';
import { podQosClass, prepareForCreate, prepareForFinalize, prepareForStatusUpdate, prepareForUpdate } from './strategy.ts';

const r = (group: string, version: string, plural: string): ResourceInfo => findResource(group, version, plural)!;
const DEPLOYMENTS = r('apps', 'v1', 'deployments');
const HPA_V1 = r('autoscaling', 'v1', 'horizontalpodautoscalers');
const CONFIGMAPS = r('', 'v1', 'configmaps');
const PODS = r('', 'v1', 'pods');
const NODES = r('', 'v1', 'nodes');
const NAMESPACES = r('', 'v1', 'namespaces');
const SERVICES = r('', 'v1', 'services');

const obj = (fields: Record<string, unknown>, meta: KObject['metadata'] = { name: 'x' }): KObject => ({ metadata: meta, ...fields });

describe('prepareForCreate', () => {
  it('starts generation at 1 for generation-tracked kinds (in any served version) and drops it elsewhere', () => {
    const d = obj({ spec: {} }, { name: 'd', generation: 9 });
    prepareForCreate(DEPLOYMENTS, d);
    assert.equal(d.metadata.generation, 1);
    const h = obj({ spec: {} }, { name: 'h' });
    prepareForCreate(HPA_V1, h);
    assert.equal(h.metadata.generation, 1, 'autoscaling/v1 HPAs are the same objects as v2 ones');
    const c = obj({ data: {} }, { name: 'c', generation: 9 });
    prepareForCreate(CONFIGMAPS, c);
    assert.equal(c.metadata.generation, undefined);
  });

  it('ignores the status a client sends, except for Nodes, whose agent registers them with it', () => {
    const p = obj({ spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running', podIP: '1.2.3.4' } });
    prepareForCreate(PODS, p);
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
    const ns = obj({ status: { phase: 'Terminating' } });
    prepareForCreate(NAMESPACES, ns);
    assert.deepEqual(ns.status, { phase: 'Active' });
    const svc = obj({ spec: {}, status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } } });
    prepareForCreate(SERVICES, svc);
    assert.equal(svc.status, undefined);
    const node = obj({ status: { capacity: { cpu: '4' } } });
    prepareForCreate(NODES, node);
    assert.deepEqual(node.status, { capacity: { cpu: '4' } });
  });
});

describe('prepareForUpdate', () => {
  const deployment = (spec: Record<string, unknown>, meta: Partial<KObject['metadata']> = {}, status?: unknown): KObject =>
    obj({ apiVersion: 'apps/v1', kind: 'Deployment', spec, ...(status === undefined ? {} : { status }) }, { name: 'd', generation: 3, ...meta });

  it('bumps generation on a spec change only, whatever the key order of the body', () => {
    const old = deployment({ replicas: 1, template: { a: 1, b: 2 } }, {}, { replicas: 1 });
    const reordered = deployment({ template: { b: 2, a: 1 }, replicas: 1 }, { labels: { new: 'label' }, annotations: { a: 'b' } }, { replicas: 5 });
    prepareForUpdate(DEPLOYMENTS, reordered, old);
    assert.equal(reordered.metadata.generation, 3);
    const scaled = deployment({ replicas: 2, template: { a: 1, b: 2 } }, { generation: 99 });
    prepareForUpdate(DEPLOYMENTS, scaled, old);
    assert.equal(scaled.metadata.generation, 4, 'from the stored generation, not the one sent');
  });

  it('takes status from the stored object when the kind has a status subresource', () => {
    const old = deployment({ replicas: 1 }, {}, { replicas: 1 });
    const withStatus = deployment({ replicas: 1 }, {}, { replicas: 7 });
    prepareForUpdate(DEPLOYMENTS, withStatus, old);
    assert.deepEqual(withStatus.status, { replicas: 1 });
    const withoutStatus = deployment({ replicas: 1 });
    prepareForUpdate(DEPLOYMENTS, withoutStatus, old);
    assert.deepEqual(withoutStatus.status, { replicas: 1 }, 'leaving status out does not clear it');
    const noStoredStatus = deployment({ replicas: 1 }, {}, { replicas: 7 });
    prepareForUpdate(DEPLOYMENTS, noStoredStatus, deployment({ replicas: 1 }));
    assert.equal(noStoredStatus.status, undefined);
  });

  it("keeps a namespace's spec.finalizers from the stored object", () => {
    const old = obj({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    const body = obj({ spec: { finalizers: [] } });
    prepareForUpdate(NAMESPACES, body, old);
    assert.deepEqual(body.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(body.status, { phase: 'Active' });
  });

  it('drops generation on kinds that do not track it', () => {
    const body = obj({ data: {} }, { name: 'c', generation: 4 });
    prepareForUpdate(CONFIGMAPS, body, obj({ data: {} }, { name: 'c' }));
    assert.equal(body.metadata.generation, undefined);
  });
});

describe('status and finalize subresources', () => {
  const old = obj({ spec: { replicas: 1 }, status: { replicas: 1 } }, { name: 'd', labels: { a: 'b' }, generation: 2, resourceVersion: '10' });

  it('a status update takes only status from the body', () => {
    const body = obj({ spec: { replicas: 50 }, status: { replicas: 3 } }, { name: 'd', labels: { hacked: 'yes' }, resourceVersion: '10' });
    const out = prepareForStatusUpdate(body, old);
    assert.deepEqual(out.spec, { replicas: 1 });
    assert.deepEqual(out.metadata.labels, { a: 'b' });
    assert.equal(out.metadata.generation, 2);
    assert.deepEqual(out.status, { replicas: 3 });
    assert.deepEqual(old.status, { replicas: 1 }, 'the stored object is not modified');
  });

  it('finalize takes only spec.finalizers from the body', () => {
    const ns = obj({ spec: { finalizers: ['kubernetes', 'example.com/x'] }, status: { phase: 'Terminating' } }, { name: 'team', labels: { a: 'b' } });
    const out = prepareForFinalize(obj({ spec: { finalizers: ['example.com/x'] }, status: { phase: 'Active' } }, { name: 'team' }), ns);
    assert.deepEqual(out.spec, { finalizers: ['example.com/x'] });
    assert.deepEqual(out.status, { phase: 'Terminating' });
    assert.deepEqual(out.metadata.labels, { a: 'b' });
    assert.deepEqual((ns.spec as { finalizers: string[] }).finalizers, ['kubernetes', 'example.com/x'], 'the stored object is not modified');
  });
});

describe('podQosClass', () => {
  type Res = { requests?: Record<string, string>; limits?: Record<string, string> };
  const podWith = (containers: Res[], init: Res[] = []): KObject =>
    obj({
      spec: {
        containers: containers.map((resources, i) => ({ name: `c${i}`, image: 'i', resources })),
        initContainers: init.map((resources, i) => ({ name: `i${i}`, image: 'i', resources })),
      },
    });
  const both = { cpu: '500m', memory: '128Mi' };

  it('BestEffort without cpu or memory requests and limits (other resources do not count)', () => {
    assert.equal(podQosClass(podWith([{}])), 'BestEffort');
    assert.equal(podQosClass(podWith([{ requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '1Gi' } }])), 'BestEffort');
    assert.equal(podQosClass(obj({})), 'BestEffort');
  });

  it('Guaranteed when every container limits cpu and memory and requests equal limits (or are left out)', () => {
    assert.equal(podQosClass(podWith([{ requests: both, limits: both }])), 'Guaranteed');
    assert.equal(podQosClass(podWith([{ limits: both }, { limits: both }])), 'Guaranteed');
  });

  it('Burstable otherwise: requests below limits, one resource only, or any container (init included) without limits', () => {
    assert.equal(podQosClass(podWith([{ requests: { cpu: '100m', memory: '128Mi' }, limits: both }])), 'Burstable');
    assert.equal(podQosClass(podWith([{ requests: { cpu: '500m' }, limits: { cpu: '500m' } }])), 'Burstable');
    assert.equal(podQosClass(podWith([{ limits: both }, {}])), 'Burstable');
    assert.equal(podQosClass(podWith([{ limits: both }], [{ requests: { cpu: '10m' } }])), 'Burstable');
  });

  it(
    'compares quantities by value, not by spelling, and ignores zero quantities',
    () => {
      assert.equal(podQosClass(podWith([{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } }])), 'Guaranteed');
      assert.equal(podQosClass(podWith([{ requests: { cpu: '0', memory: '0' } }])), 'BestEffort');
    },
  );
});
