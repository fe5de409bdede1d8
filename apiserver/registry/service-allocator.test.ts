// Cluster IPs and node ports, through the registry as the API serves them:
// unique under concurrency, released with their Service, kept on update, and
// never handed to two Services.

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { findResource } from '../../api/kinds.ts';
import type { SqliteStore } from '../../store/index.ts';
import type { KeyValue, Store } from '../../store/types.ts';
import { ApiError } from '../errors.ts';
import type { KObject } from './object.ts';
import { Registry } from './registry.ts';
import { useTempRegistry } from './test-registry.ts';
import { NODE_PORT_RANGE, ServiceAllocator } from './service-allocator.ts';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const SERVICES = findResource('', 'v1', 'services')!;
const IPS = '/registry/ranges/serviceips/';
const PORTS = '/registry/ranges/servicenodeports/';
const owner = (name: string) => `/registry/core/services/default/${name}`;

const fixture = useTempRegistry('services');
let store: SqliteStore;
let registry: Registry;
beforeEach(() => {
  ({ store, registry } = fixture);
});

type Port = { port: number; name?: string; nodePort?: number; protocol?: string };
type Spec = { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: Port[]; externalName?: string; [k: string]: unknown };

const service = (name: string, spec: Spec = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});
const specOf = (svc: KObject) => svc.spec as Spec;
const nodePorts = (svc: KObject) => (specOf(svc).ports ?? []).map((p) => p.nodePort);
const create = (name: string, spec?: Spec) => registry.create(SERVICES, 'default', service(name, spec));

/** Every allocation in the store: IP or port -> owning Service key. */
async function allocations(prefix: string): Promise<Map<string, string>> {
  const { items } = await store.list(prefix);
  return new Map(items.map((kv) => [kv.key.slice(prefix.length), kv.value]));
}
const ownedBy = async (prefix: string, name: string) =>
  [...(await allocations(prefix))].filter(([, o]) => o === owner(name)).map(([k]) => k).sort();

async function rejectsWith(p: Promise<unknown>, code: number, message?: RegExp): Promise<ApiError> {
  let caught: unknown;
  await assert.rejects(p, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof ApiError, String(caught));
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

function ipOffset(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  assert.equal(`${a}.${b}`, '10.96', ip);
  return c * 256 + d;
}

describe('allocation on create', () => {
  it('gives a Service a cluster IP, and a node port per port when it is NodePort or LoadBalancer, each owned by it', async () => {
    const svc = await create('np', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] });
    const ip = specOf(svc).clusterIP!;
    const offset = ipOffset(ip);
    assert.ok(offset >= 2 && offset <= 65534, `${ip}: not the network, .0.1 or the broadcast address`);
    assert.deepEqual(specOf(svc).clusterIPs, [ip]);
    const ports = nodePorts(svc);
    for (const p of ports) assert.ok(p! >= NODE_PORT_RANGE.min && p! <= NODE_PORT_RANGE.max, String(p));
    assert.notEqual(ports[0], ports[1]);
    assert.deepEqual(await ownedBy(IPS, 'np'), [ip]);
    assert.deepEqual(await ownedBy(PORTS, 'np'), ports.map(String).sort());

    const lb = await create('lb', { type: 'LoadBalancer' });
    assert.equal(typeof nodePorts(lb)[0], 'number');
  });

  it('headless and ExternalName Services get no IP; ClusterIP Services get no node port', async () => {
    const headless = await create('headless', { clusterIP: 'None' });
    assert.deepEqual(specOf(headless).clusterIPs, ['None']);
    const ext = await create('ext', { type: 'ExternalName', externalName: 'example.com', ports: [] });
    assert.equal(specOf(ext).clusterIP, undefined);
    const plain = await create('plain');
    assert.deepEqual(nodePorts(plain), [undefined]);
    assert.deepEqual([...(await allocations(IPS)).values()], [owner('plain')]);
    assert.equal((await allocations(PORTS)).size, 0);
  });

  it('20 concurrent creates get 20 distinct cluster IPs and node ports', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`s${i}`, { type: 'NodePort' })));
    assert.equal(new Set(created.map((s) => specOf(s).clusterIP)).size, 20);
    assert.equal(new Set(created.map((s) => nodePorts(s)[0])).size, 20);
    assert.equal((await allocations(IPS)).size, 20);
    assert.equal((await allocations(PORTS)).size, 20);
  });

  it('an explicit IP asked for by 10 concurrent creates goes to exactly one; the others are 422', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => create(`s${i}`, { clusterIP: '10.96.7.7' })));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as ApiError).code, 422);
    const winner = (won[0] as PromiseFulfilledResult<KObject>).value.metadata.name!;
    assert.deepEqual([...(await allocations(IPS))], [['10.96.7.7', owner(winner)]]);
  });

  it('a taken IP or node port is 422 Invalid on the field, and the failed create keeps nothing', async () => {
    await create('a', { clusterIP: '10.96.1.1', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    const ipErr = await rejectsWith(create('b', { clusterIP: '10.96.1.1' }), 422, /spec\.clusterIPs: Invalid value: .*failed to allocate IP 10\.96\.1\.1: provided IP is already allocated/);
    assert.equal(ipErr.details?.causes?.[0]?.field, 'spec.clusterIPs');
    const portErr = await rejectsWith(
      create('c', { type: 'NodePort', ports: [{ port: 81, name: 'x' }, { port: 80, name: 'y', nodePort: 30080 }] }),
      422,
      /provided port is already allocated/,
    );
    assert.equal(portErr.details?.causes?.[0]?.field, 'spec.ports[1].nodePort');
    assert.deepEqual(await ownedBy(IPS, 'c'), [], 'the IP claimed before the port failed is released');
  });

  it(
    'a create that fails on its second node port keeps the port it claimed for the first',
    async () => {
      await create('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
      await rejectsWith(create('c', { type: 'NodePort', ports: [{ port: 81, name: 'x' }, { port: 80, name: 'y', nodePort: 30080 }] }), 422);
      assert.deepEqual(await ownedBy(PORTS, 'c'), []);
    },
  );

  it('an IP outside the service range or a node port outside 30000-32767 is 422', async () => {
    await rejectsWith(create('a', { clusterIP: '10.97.0.5' }), 422, /not in the valid range/);
    await rejectsWith(create('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), 422);
    assert.equal((await allocations(IPS)).size, 0);
  });

  it(
    'the network and broadcast addresses of the range cannot be asked for',
    async () => {
      await rejectsWith(create('net', { clusterIP: '10.96.0.0' }), 422);
      await rejectsWith(create('bcast', { clusterIP: '10.96.255.255' }), 422);
    },
  );

  it(
    'an IP spelled with leading zeros cannot alias an allocated one',
    async () => {
      await create('a', { clusterIP: '10.96.0.9' });
      await rejectsWith(create('b', { clusterIP: '010.96.0.9' }), 422);
    },
  );

  it(
    'a LoadBalancer with allocateLoadBalancerNodePorts: false gets no node ports',
    async () => {
      const lb = await create('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
      assert.deepEqual(nodePorts(lb), [undefined]);
      assert.equal((await allocations(PORTS)).size, 0);
    },
  );

  it(
    'a second create of an existing Service with its explicit IP is 409 and leaves the IP with the first',
    async () => {
      await create('a', { clusterIP: '10.96.5.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30555 }] });
      await rejectsWith(create('a', { clusterIP: '10.96.5.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30555 }] }), 409);
      assert.deepEqual(await ownedBy(IPS, 'a'), ['10.96.5.5']);
      assert.deepEqual(await ownedBy(PORTS, 'a'), ['30555']);
      await rejectsWith(create('b', { clusterIP: '10.96.5.5' }), 422);
    },
  );
});

describe('release', () => {
  it('deleting a Service frees its IP and node ports for the next one', async () => {
    await create('a', { clusterIP: '10.96.3.3', type: 'NodePort', ports: [{ port: 80, nodePort: 30333 }] });
    await registry.delete(SERVICES, 'default', 'a');
    assert.equal((await allocations(IPS)).size, 0);
    assert.equal((await allocations(PORTS)).size, 0);
    const b = await create('b', { clusterIP: '10.96.3.3', type: 'NodePort', ports: [{ port: 80, nodePort: 30333 }] });
    assert.equal(specOf(b).clusterIP, '10.96.3.3');
  });

  it('a Service held by a finalizer keeps its allocations until the last finalizer goes', async () => {
    const svc = await create('a', { type: 'NodePort' });
    await registry.update(SERVICES, 'default', 'a', { ...svc, metadata: { ...svc.metadata, finalizers: ['example.com/lb'] } });
    await registry.delete(SERVICES, 'default', 'a');
    assert.deepEqual(await ownedBy(IPS, 'a'), [specOf(svc).clusterIP]);
    const marked = await registry.get(SERVICES, 'default', 'a');
    await registry.update(SERVICES, 'default', 'a', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    assert.equal((await allocations(IPS)).size, 0);
    assert.equal((await allocations(PORTS)).size, 0);
  });

  it('repair releases allocations whose Service is gone and keeps the others', async () => {
    const live = await create('live', { type: 'NodePort' });
    await store.create(`${IPS}10.96.9.9`, owner('ghost'));
    await store.create(`${PORTS}31999`, owner('ghost'));
    await new ServiceAllocator(store).repair();
    assert.deepEqual([...(await allocations(IPS)).keys()], [specOf(live).clusterIP]);
    assert.deepEqual([...(await allocations(PORTS)).keys()], [String(nodePorts(live)[0])]);
  });
});

describe('update', () => {
  it('keeps the IP and node ports a manifest leaves out (kubectl apply/replace), allocating nothing new', async () => {
    const svc = await create('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }] });
    const replaced = await registry.update(SERVICES, 'default', 'a', service('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }], selector: { app: 'web' } }));
    assert.equal(specOf(replaced).clusterIP, specOf(svc).clusterIP);
    assert.deepEqual(nodePorts(replaced), nodePorts(svc));
    assert.equal((await allocations(IPS)).size, 1);
    assert.equal((await allocations(PORTS)).size, 1);
  });

  it('NodePort to ClusterIP releases the node ports; back to NodePort allocates again; a new port gets its own', async () => {
    const svc = await create('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }] });
    const plain = await registry.update(SERVICES, 'default', 'a', service('a', { type: 'ClusterIP', ports: [{ port: 80, name: 'http' }] }));
    assert.deepEqual(nodePorts(plain), [undefined]);
    assert.equal((await allocations(PORTS)).size, 0);
    assert.equal(specOf(plain).clusterIP, specOf(svc).clusterIP);
    const two = await registry.update(SERVICES, 'default', 'a', service('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }));
    const ports = nodePorts(two);
    assert.equal(ports.filter((p) => typeof p === 'number').length, 2);
    assert.deepEqual(await ownedBy(PORTS, 'a'), ports.map(String).sort());
  });

  it(
    'an update that fails on a taken node port keeps no port it claimed on the way',
    async () => {
      const a = await create('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }] });
      await create('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] });
      await rejectsWith(
        registry.update(SERVICES, 'default', 'a', service('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 81, name: 'x' }, { port: 82, name: 'y', nodePort: 30500 }] })),
        422,
      );
      assert.deepEqual(await ownedBy(PORTS, 'a'), nodePorts(a).map(String));
    },
  );

  it(
    'an update that loses a race keeps the node ports of the stored Service allocated',
    async () => {
      const a = await create('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30600 }] });
      const racing = racingStore(store, owner('a'));
      const r = new Registry(racing, () => new Date('2024-05-01T10:00:00Z'));
      const body = { ...service('a', { type: 'ClusterIP', ports: [{ port: 80 }] }), metadata: { name: 'a', resourceVersion: a.metadata.resourceVersion } };
      await rejectsWith(r.update(SERVICES, 'default', 'a', body), 409);
      assert.deepEqual(nodePorts(await registry.get(SERVICES, 'default', 'a')), [30600]);
      assert.deepEqual(await ownedBy(PORTS, 'a'), ['30600']);
    },
  );

  it(
    'an update that loses a race and retries leaks no node port',
    async () => {
      await create('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }] });
      const r = new Registry(racingStore(store, owner('a')), () => new Date('2024-05-01T10:00:00Z'));
      const updated = await r.update(SERVICES, 'default', 'a', service('a', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 81, name: 'x' }] }));
      assert.deepEqual(await ownedBy(PORTS, 'a'), nodePorts(updated).map(String).sort());
    },
  );

  it(
    'ExternalName to ClusterIP allocates a cluster IP',
    async () => {
      await create('a', { type: 'ExternalName', externalName: 'example.com', ports: [] });
      const updated = await registry.update(SERVICES, 'default', 'a', service('a', { type: 'ClusterIP' }));
      assert.ok(specOf(updated).clusterIP, 'a cluster IP');
      assert.deepEqual(await ownedBy(IPS, 'a'), [specOf(updated).clusterIP]);
    },
  );

  it(
    'ClusterIP to ExternalName releases the cluster IP',
    async () => {
      await create('a');
      const updated = await registry.update(SERVICES, 'default', 'a', service('a', { type: 'ExternalName', externalName: 'example.com', ports: [] }));
      assert.equal(specOf(updated).clusterIP, undefined);
      assert.deepEqual(await ownedBy(IPS, 'a'), []);
    },
  );
});

/**
 * The store, except that the first update of `key` finds that another writer
 * got there first (as a concurrent request would): it writes an annotation
 * first, so the compare-and-set of that update conflicts.
 */
function racingStore(inner: Store, key: string): Store {
  let raced = false;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'update') {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return async (k: string, value: string, expected: number): Promise<KeyValue> => {
        if (k === key && !raced) {
          raced = true;
          const cur = (await target.get(k))!;
          const o = JSON.parse(cur.value) as KObject;
          o.metadata.annotations = { ...o.metadata.annotations, racer: 'won' };
          await target.update(k, JSON.stringify(o), cur.modRevision);
        }
        return target.update(k, value, expected);
      };
    },
  });
}
