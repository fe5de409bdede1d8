// Defaults of a Service: core/v1 SetDefaults_Service, plus what the service
// registry fills before validation (clusterIPs mirroring clusterIP, IP families
// and family policy). Cluster IPs and node ports themselves are allocated by
// the API server.

import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';

const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

function isExternallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
}

function defaultIpFamilies(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') return;
  if (spec.clusterIP && !(spec.clusterIPs ?? []).length) spec.clusterIPs = [spec.clusterIP];
  const headless = spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None';
  if (headless && Object.keys(spec.selector ?? {}).length === 0) {
    // A headless Service without selector may publish endpoints of both families.
    spec.ipFamilyPolicy ??= 'RequireDualStack';
    spec.ipFamilies ??= ['IPv4', 'IPv6'];
    return;
  }
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.ipFamilies ??= (spec.clusterIPs ?? []).filter((ip) => ip !== 'None').map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4'));
  if (spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
}

export function defaultService(svc: Service): void {
  svc.spec ??= {};
  const spec = svc.spec;
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (isExternallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  defaultIpFamilies(spec);
}
