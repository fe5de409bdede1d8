// networking.k8s.io/v1: Ingress and IngressClass.
//
// Field numbers, patch strategies and list types follow upstream
// k8s.io/api/networking/v1 (generated.proto and the Go struct tags).

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { ObjectMeta } from './meta.ts';
import { TypedLocalObjectReference } from './core/index.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

// ---- Ingress spec ----------------------------------------------------------

export const ServiceBackendPort: Model = model(
  'io.k8s.api.networking.v1.ServiceBackendPort',
  'ServiceBackendPort is the service port being referenced.',
  {
    name: p(1, t.string(), 'Name of the port on the Service; mutually exclusive with number.'),
    number: p(2, t.int32(), 'Numerical port number on the Service; mutually exclusive with name.', { omitZero: true }),
  },
);

export const IngressServiceBackend: Model = model(
  'io.k8s.api.networking.v1.IngressServiceBackend',
  'IngressServiceBackend references a Kubernetes Service as a backend.',
  {
    name: p(1, t.string(), 'Name of the referenced service, in the namespace of the Ingress.', { required: true }),
    port: p(2, t.ref(() => ServiceBackendPort), 'Port of the referenced service, by name or number.'),
  },
);

export const IngressBackend: Model = model(
  'io.k8s.api.networking.v1.IngressBackend',
  'IngressBackend describes all endpoints for a given service and port.',
  {
    service: p(4, t.ref(() => IngressServiceBackend), 'A Service backend; mutually exclusive with resource.'),
    resource: p(3, t.ref(() => TypedLocalObjectReference), 'A reference to another resource in the namespace of the Ingress; mutually exclusive with service.'),
  },
);

export const HTTPIngressPath: Model = model(
  'io.k8s.api.networking.v1.HTTPIngressPath',
  'HTTPIngressPath associates a path with a backend.',
  {
    path: p(1, t.string(), 'Path matched against the path of an incoming request; must begin with "/".'),
    pathType: p(3, t.string({ enum: ['Exact', 'ImplementationSpecific', 'Prefix'] }), 'How the path is matched: Exact, Prefix or ImplementationSpecific.', { required: true }),
    backend: p(2, t.ref(() => IngressBackend), 'Backend that receives the matching traffic.', { required: true }),
  },
);

export const HTTPIngressRuleValue: Model = model(
  'io.k8s.api.networking.v1.HTTPIngressRuleValue',
  'HTTPIngressRuleValue is a list of http selectors pointing to backends.',
  {
    paths: p(1, t.array(t.ref(() => HTTPIngressPath), { listType: 'atomic' }), 'Paths that map requests to backends.', { required: true }),
  },
);

export const IngressRule: Model = model(
  'io.k8s.api.networking.v1.IngressRule',
  'IngressRule maps the paths under a host to backend services.',
  {
    host: p(1, t.string(), 'Fully qualified domain name (optionally with a leading "*." wildcard) the rule applies to.'),
    // Go's IngressRule embeds IngressRuleValue inline: protobuf nests `http` as {host=1, ingressRuleValue=2 {http=1}}.
    http: p(1, t.ref(() => HTTPIngressRuleValue), 'HTTP routing for this host.'),
  },
  { protoEmbedded: [{ field: 2, name: 'ingressRuleValue', properties: ['http'] }] },
);

export const IngressTLS: Model = model(
  'io.k8s.api.networking.v1.IngressTLS',
  'IngressTLS describes the transport layer security associated with an ingress.',
  {
    hosts: p(1, t.array(t.string(), { listType: 'atomic' }), 'Hosts included in the TLS certificate.'),
    secretName: p(2, t.string(), 'Name of the secret used to terminate TLS traffic on port 443.'),
  },
);

export const IngressSpec: Model = model(
  'io.k8s.api.networking.v1.IngressSpec',
  'IngressSpec describes the Ingress the user wishes to exist.',
  {
    ingressClassName: p(4, t.string(), 'Name of the IngressClass cluster resource that serves this Ingress.'),
    defaultBackend: p(1, t.ref(() => IngressBackend), "Backend for requests that match no rule."),
    tls: p(2, t.array(t.ref(() => IngressTLS), { listType: 'atomic' }), 'TLS configuration.'),
    rules: p(3, t.array(t.ref(() => IngressRule), { listType: 'atomic' }), 'Host rules used to configure the Ingress.'),
  },
);

// ---- Ingress status --------------------------------------------------------

export const IngressPortStatus: Model = model(
  'io.k8s.api.networking.v1.IngressPortStatus',
  'IngressPortStatus represents the error condition of a service port.',
  {
    port: p(1, t.int32(), 'Port number of the ingress port.', { required: true }),
    protocol: p(2, t.string({ enum: PROTOCOLS }), 'Protocol of the ingress port: TCP, UDP or SCTP.', { required: true }),
    error: p(3, t.string(), 'Problem with the service port, in CamelCase or foo.example.com/CamelCase form.'),
  },
);

export const IngressLoadBalancerIngress: Model = model(
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress',
  'IngressLoadBalancerIngress represents the status of a load-balancer ingress point.',
  {
    ip: p(1, t.string(), 'IP of an IP based ingress point.'),
    hostname: p(2, t.string(), 'Hostname of a DNS based ingress point.'),
    ports: p(4, t.array(t.ref(() => IngressPortStatus), { listType: 'atomic' }), 'Ports exposed by this load balancer.'),
  },
);

export const IngressLoadBalancerStatus: Model = model(
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus',
  'IngressLoadBalancerStatus represents the status of a load-balancer.',
  {
    ingress: p(1, t.array(t.ref(() => IngressLoadBalancerIngress), { listType: 'atomic' }), 'Ingress points of the load balancer.'),
  },
);

export const IngressStatus: Model = model(
  'io.k8s.api.networking.v1.IngressStatus',
  'IngressStatus describes the current state of the Ingress.',
  {
    loadBalancer: p(1, t.ref(() => IngressLoadBalancerStatus), 'Current status of the load balancer.'),
  },
);

export const Ingress: Model = model(
  'io.k8s.api.networking.v1.Ingress',
  'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => IngressSpec), 'Desired state of the Ingress.'),
    status: p(3, t.ref(() => IngressStatus), 'Current state of the Ingress.'),
  },
  { gvk: [{ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }] },
);

// ---- IngressClass ----------------------------------------------------------

export const IngressClassParametersReference: Model = model(
  'io.k8s.api.networking.v1.IngressClassParametersReference',
  'IngressClassParametersReference identifies a cluster or namespace scoped API object.',
  {
    apiGroup: p(1, t.string(), 'API group of the referenced resource; the core group when unset.'),
    kind: p(2, t.string(), 'Kind of the referenced resource.', { required: true }),
    name: p(3, t.string(), 'Name of the referenced resource.', { required: true }),
    scope: p(4, t.string(), 'Whether the resource is "Cluster" (default) or "Namespace" scoped.'),
    namespace: p(5, t.string(), 'Namespace of the resource; required when scope is Namespace.'),
  },
);

export const IngressClassSpec: Model = model(
  'io.k8s.api.networking.v1.IngressClassSpec',
  'IngressClassSpec provides information about the class of an Ingress.',
  {
    controller: p(1, t.string(), 'Domain-prefixed name of the controller that handles this class, e.g. acme.io/ingress-controller.'),
    parameters: p(2, t.ref(() => IngressClassParametersReference), 'Link to a resource holding additional controller configuration.'),
  },
);

export const IngressClass: Model = model(
  'io.k8s.api.networking.v1.IngressClass',
  'IngressClass represents the class of the Ingress, referenced by the Ingress spec.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => IngressClassSpec), 'Desired state of the IngressClass.'),
  },
  { gvk: [{ group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' }] },
);
