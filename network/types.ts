// What the parts of network/ share: the addresses of the cluster network and
// the endpoint view that the service proxy, the ingress and the agent's
// rotation gate read. The view is built from Services and EndpointSlices
// (written by the EndpointSlice controller), so a proxy on any node sees what
// every other proxy sees, as kube-proxy and ingress-nginx do.

/** The cluster's address plan (defaults of `skiff server`). */
export interface ClusterNetwork {
  /** Pod addresses: each node gets a /24 of it (node.spec.podCIDR). */
  podCidr: string;
  /** Service ClusterIPs (the API server's allocator uses the same range). */
  serviceCidr: string;
  /** The ClusterIP of kube-system/kube-dns, where the cluster DNS answers. */
  dnsIp: string;
  /** The cluster domain: NAME.NS.svc.<domain>. */
  domain: string;
}

export const DEFAULT_CLUSTER_NETWORK: ClusterNetwork = {
  podCidr: '10.42.0.0/16',
  serviceCidr: '10.96.0.0/16',
  dnsIp: '10.96.0.10',
  domain: 'cluster.local',
};

/** One backend of a Service port, as a proxy dials it. */
export interface Endpoint {
  ip: string;
  /** The target port on the pod (EndpointSlice ports[].port). */
  port: number;
  /** The backing pod (EndpointSlice endpoints[].targetRef), when there is one. */
  pod?: { namespace: string; name: string; uid: string };
  nodeName?: string;
  /** EndpointSlice conditions: ready = serving and not terminating. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** How a proxy names the port it wants: the Service port's number or name (Ingress backend.service.port). */
export type ServicePortRef = { number: number } | { name: string };

/** The Service fields the proxies act on. */
export interface ServiceInfo {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** 'None' for a headless Service; absent for ExternalName. */
  clusterIP?: string;
  clusterIPs: string[];
  externalName?: string;
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800). */
  affinityTimeoutSeconds: number;
  ports: { name: string; protocol: 'TCP' | 'UDP' | 'SCTP'; port: number; nodePort?: number }[];
}

/**
 * Services and their endpoints as the proxies see them. Reads are
 * synchronous against the informers' caches, so a proxy picks an endpoint
 * per connection without awaiting anything.
 */
export interface EndpointView {
  service(namespace: string, name: string): ServiceInfo | undefined;
  services(): Iterable<ServiceInfo>;
  /**
   * The endpoints of one Service port, all of them (filter on ready), in a
   * stable order (by IP, then port). Empty for an unknown Service or port.
   */
  endpoints(namespace: string, name: string, port: ServicePortRef): Endpoint[];
  /**
   * Called after the view changed for a Service (its spec or any of its
   * slices). Returns an unsubscribe function. Listeners run synchronously,
   * in registration order, before waitOutOfRotation sees the change.
   */
  onChange(listener: (namespace: string, name: string) => void): () => void;
  /**
   * Resolves true once no Service lists an endpoint of this pod (by its uid,
   * the endpoint's targetRef) as ready, at once if none does; false when
   * timeoutMs passes first. The agent awaits this for a terminating pod
   * before its containers get SIGTERM.
   */
  waitOutOfRotation(podUid: string, timeoutMs: number): Promise<boolean>;
}
