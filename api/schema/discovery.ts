// discovery.k8s.io/v1: EndpointSlice.
//
// Field numbers and list types follow upstream k8s.io/api/discovery/v1
// (generated.proto and the Go struct tags).

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { ObjectMeta } from './meta.ts';
import { ObjectReference } from './core/index.ts';

export const EndpointConditions: Model = model(
  'io.k8s.api.discovery.v1.EndpointConditions',
  'EndpointConditions represents the current condition of an endpoint.',
  {
    ready: p(1, t.bool(), 'Whether the endpoint is ready to receive traffic; nil means ready.'),
    serving: p(2, t.bool(), 'Whether the endpoint can receive traffic regardless of terminating state; nil means serving.'),
    terminating: p(3, t.bool(), 'Whether the endpoint is terminating; nil means not terminating.'),
  },
);

export const ForZone: Model = model(
  'io.k8s.api.discovery.v1.ForZone',
  'ForZone names a zone that should consume this endpoint.',
  {
    name: p(1, t.string(), 'Name of the zone.', { required: true }),
  },
);

export const ForNode: Model = model(
  'io.k8s.api.discovery.v1.ForNode',
  'ForNode names a node that should consume this endpoint.',
  {
    name: p(1, t.string(), 'Name of the node.', { required: true }),
  },
);

export const EndpointHints: Model = model(
  'io.k8s.api.discovery.v1.EndpointHints',
  'EndpointHints describes how an endpoint should be consumed.',
  {
    forZones: p(1, t.array(t.ref(() => ForZone), { listType: 'atomic' }), 'Zones that should consume this endpoint under topology aware routing.'),
    forNodes: p(2, t.array(t.ref(() => ForNode), { listType: 'atomic' }), 'Nodes that should consume this endpoint under topology aware routing.'),
  },
);

export const Endpoint: Model = model(
  'io.k8s.api.discovery.v1.Endpoint',
  'Endpoint represents a single logical backend implementing a service.',
  {
    addresses: p(1, t.array(t.string(), { listType: 'set' }), 'Addresses of this endpoint, interpreted according to the slice addressType (1 to 100).', { required: true }),
    conditions: p(2, t.ref(() => EndpointConditions), 'Current status of the endpoint.'),
    hostname: p(3, t.string(), 'Hostname of this endpoint, e.g. for DNS names.'),
    targetRef: p(4, t.ref(() => ObjectReference), 'Reference to the object that represents this endpoint.'),
    deprecatedTopology: p(5, t.map(t.string()), 'Topology information from v1beta1; deprecated and not writable through v1.'),
    nodeName: p(6, t.string(), 'Name of the Node hosting this endpoint.'),
    zone: p(7, t.string(), 'Name of the zone this endpoint exists in.'),
    hints: p(8, t.ref(() => EndpointHints), 'Hints on how this endpoint should be consumed.'),
  },
);

export const EndpointPort: Model = model(
  'io.k8s.api.discovery.v1.EndpointPort',
  'EndpointPort represents a port used by an EndpointSlice.',
  {
    name: p(1, t.string(), 'Name of this port; unique within the slice.'),
    protocol: p(2, t.string({ enum: ['SCTP', 'TCP', 'UDP'] }), 'IP protocol of this port: TCP (default), UDP or SCTP.'),
    port: p(3, t.int32(), 'Port number of the endpoint; unset means all ports.'),
    appProtocol: p(4, t.string(), 'Application protocol of this port, e.g. kubernetes.io/h2c.'),
  },
);

export const EndpointSlice: Model = model(
  'io.k8s.api.discovery.v1.EndpointSlice',
  'EndpointSlice represents a subset of the endpoints that implement a service.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    addressType: p(4, t.string(), 'Type of the addresses in this slice: IPv4, IPv6 or FQDN. Immutable.', { required: true }),
    endpoints: p(2, t.array(t.ref(() => Endpoint), { listType: 'atomic' }), 'Unique endpoints in this slice (at most 1000).'),
    ports: p(3, t.array(t.ref(() => EndpointPort), { listType: 'atomic' }), 'Network ports exposed by each endpoint in this slice.'),
  },
  { gvk: [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }] },
);
