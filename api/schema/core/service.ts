// Service and (legacy) Endpoints.

import { model, p, t, typeMeta } from '../dsl.ts';
import { Condition, ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';
import { ObjectReference } from './common.ts';

export const Service = model(
  `${CORE}Service`,
  'Service is a named abstraction of software service consisting of a port that the proxy listens on and a selector of the pods that answer.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    spec: p(2, t.ref(() => ServiceSpec), 'Desired behavior of the service.'),
    status: p(3, t.ref(() => ServiceStatus), 'Most recently observed status of the service; read-only.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Service' }] },
);

export const ServiceSpec = model(`${CORE}ServiceSpec`, 'ServiceSpec describes the attributes that a user creates on a service.', {
  ports: p(
    1,
    t.array(t.ref(() => ServicePort), { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] }),
    'Ports exposed by the service.',
  ),
  selector: p(2, t.map(t.string()), 'Labels of the pods traffic is routed to.'),
  clusterIP: p(3, t.string(), 'Virtual IP of the service; None makes a headless service.'),
  clusterIPs: p(18, t.array(t.string(), { listType: 'atomic' }), 'Virtual IPs of the service, one per IP family; the first equals clusterIP.'),
  type: p(4, t.string(), 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
  externalIPs: p(5, t.array(t.string(), { listType: 'atomic' }), 'Extra IPs, not managed by Kubernetes, on which nodes accept traffic for the service.'),
  sessionAffinity: p(7, t.string(), 'Session affinity: ClientIP or None.'),
  loadBalancerIP: p(8, t.string(), 'Deprecated: IP requested from the load balancer.'),
  loadBalancerSourceRanges: p(9, t.array(t.string(), { listType: 'atomic' }), 'Client CIDRs allowed through the cloud load balancer.'),
  externalName: p(10, t.string(), 'DNS name the service aliases when type is ExternalName.'),
  externalTrafficPolicy: p(11, t.string(), 'How external traffic is routed to endpoints: Cluster or Local.'),
  healthCheckNodePort: p(12, t.int32(), 'Health check node port for LoadBalancer services with Local traffic policy.', { omitZero: true }),
  publishNotReadyAddresses: p(13, t.bool(), 'Publish endpoints of pods that are not ready.', { omitZero: true }),
  sessionAffinityConfig: p(14, t.ref(() => SessionAffinityConfig), 'Session affinity settings.'),
  ipFamilies: p(19, t.array(t.string(), { listType: 'atomic' }), 'IP families of the service: IPv4, IPv6.'),
  ipFamilyPolicy: p(17, t.string(), 'Dual-stack policy: SingleStack, PreferDualStack or RequireDualStack.'),
  allocateLoadBalancerNodePorts: p(20, t.bool(), 'Allocate node ports for a LoadBalancer service; defaults to true.'),
  loadBalancerClass: p(21, t.string(), 'Load balancer implementation the service belongs to.'),
  internalTrafficPolicy: p(22, t.string(), 'How cluster-internal traffic is routed to endpoints: Cluster or Local.'),
  trafficDistribution: p(23, t.string(), 'Preference for how traffic is distributed to endpoints, e.g. PreferClose.'),
});

export const ServicePort = model(`${CORE}ServicePort`, "ServicePort contains information on service's port.", {
  name: p(1, t.string(), 'Name of the port, unique within the service.'),
  protocol: p(2, t.string(), 'IP protocol: TCP, UDP or SCTP; defaults to TCP.'),
  appProtocol: p(6, t.string(), 'Application protocol of the port, e.g. kubernetes.io/h2c.'),
  port: p(3, t.int32(), 'Port exposed by the service.', { required: true }),
  targetPort: p(4, t.intOrString(), 'Number or name of the port on the pods; defaults to port.'),
  nodePort: p(5, t.int32(), 'Port on every node for NodePort and LoadBalancer services.', { omitZero: true }),
});

export const ServiceStatus = model(`${CORE}ServiceStatus`, 'ServiceStatus represents the current status of a service.', {
  loadBalancer: p(1, t.ref(() => LoadBalancerStatus), 'Status of the load balancer, if any.'),
  conditions: p(
    2,
    t.array(t.ref(() => Condition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
    'Current conditions of the service.',
  ),
});

export const LoadBalancerStatus = model(`${CORE}LoadBalancerStatus`, 'LoadBalancerStatus represents the status of a load-balancer.', {
  ingress: p(1, t.array(t.ref(() => LoadBalancerIngress), { listType: 'atomic' }), 'Ingress points of the load balancer.'),
});

export const LoadBalancerIngress = model(`${CORE}LoadBalancerIngress`, 'LoadBalancerIngress represents the status of a load-balancer ingress point.', {
  ip: p(1, t.string(), 'IP of an IP-based ingress point.'),
  hostname: p(2, t.string(), 'Host name of a DNS-based ingress point.'),
  ipMode: p(3, t.string(), 'How traffic to the IP is delivered: VIP or Proxy.'),
  ports: p(4, t.array(t.ref(() => PortStatus), { listType: 'atomic' }), 'Status of the service ports.'),
});

export const PortStatus = model(`${CORE}PortStatus`, 'PortStatus represents the error condition of a service port.', {
  port: p(1, t.int32(), 'Port number of the service port.', { required: true }),
  protocol: p(2, t.string(), 'Protocol of the service port: TCP, UDP or SCTP.', { required: true }),
  error: p(3, t.string(), 'Problem with the port, in CamelCase or foo.example.com/CamelCase.'),
});

export const SessionAffinityConfig = model(`${CORE}SessionAffinityConfig`, 'SessionAffinityConfig represents the configurations of session affinity.', {
  clientIP: p(1, t.ref(() => ClientIPConfig), 'Settings of ClientIP session affinity.'),
});

export const ClientIPConfig = model(`${CORE}ClientIPConfig`, 'ClientIPConfig represents the configurations of Client IP based session affinity.', {
  timeoutSeconds: p(1, t.int32(), 'Seconds a ClientIP session sticks; defaults to 10800.'),
});

export const Endpoints = model(
  `${CORE}Endpoints`,
  'Endpoints is a collection of endpoints that implement the actual service (deprecated in favor of EndpointSlice).',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    subsets: p(2, t.array(t.ref(() => EndpointSubset), { listType: 'atomic' }), 'Sets of addresses and ports that make up the service.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Endpoints' }] },
);

export const EndpointSubset = model(`${CORE}EndpointSubset`, 'EndpointSubset is a group of addresses with a common set of ports.', {
  addresses: p(1, t.array(t.ref(() => EndpointAddress), { listType: 'atomic' }), 'Ready addresses.'),
  notReadyAddresses: p(2, t.array(t.ref(() => EndpointAddress), { listType: 'atomic' }), 'Addresses that are not ready yet.'),
  ports: p(3, t.array(t.ref(() => EndpointPort), { listType: 'atomic' }), 'Ports available on the addresses.'),
});

export const EndpointAddress = model(`${CORE}EndpointAddress`, 'EndpointAddress is a tuple that describes single IP address.', {
  ip: p(1, t.string(), 'IP of the endpoint.', { required: true }),
  hostname: p(3, t.string(), 'Hostname of the endpoint.'),
  nodeName: p(4, t.string(), 'Node hosting the endpoint.'),
  targetRef: p(2, t.ref(() => ObjectReference), 'Object providing the endpoint.'),
});

export const EndpointPort = model(`${CORE}EndpointPort`, 'EndpointPort is a tuple that describes a single port.', {
  name: p(1, t.string(), 'Name of the port, matching the service port name.'),
  port: p(2, t.int32(), 'Port number of the endpoint.', { required: true }),
  protocol: p(3, t.string(), 'IP protocol: TCP, UDP or SCTP; defaults to TCP.'),
  appProtocol: p(4, t.string(), 'Application protocol of the port.'),
});
