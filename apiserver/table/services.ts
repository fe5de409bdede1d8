// `kubectl get services`, `endpoints` and `endpointslices`.

import type { Endpoints, LoadBalancerStatus, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { formatLabels } from '../../api/selectors/label.ts';
import { AGE, column, listWithMore, NAME, wide } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer } from './types.ts';

/** Load-balancer ingress points: the IP, else the hostname of each; sorted, without duplicates. */
export function loadBalancerAddresses(status: LoadBalancerStatus | undefined): string[] {
  const points = (status?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((a) => a !== '');
  return [...new Set(points)].sort();
}

function externalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerAddresses(svc.status?.loadBalancer), ...externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** "80/TCP,443:30443/TCP": port, the node port when there is one, protocol. */
function ports(svc: Service): string {
  const list = (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`));
  return list.length ? list.join(',') : '<none>';
}

export const services: Printer = {
  columns: [
    NAME,
    column('Type', 'string', DOC['ServiceSpec.type']),
    column('Cluster-IP', 'string', DOC['ServiceSpec.clusterIP']),
    column('External-IP', 'string', DOC['ServiceSpec.externalIPs']),
    column('Port(s)', 'string', DOC['ServiceSpec.ports']),
    AGE,
    wide('Selector', 'string', DOC['ServiceSpec.selector']),
  ],
  print: (svc: Service, now) => ({
    cells: [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
      externalIP(svc),
      ports(svc),
      since(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ],
  }),
};

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/**
 * "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...": the first three
 * address:port pairs, subset by subset (bare addresses for a subset without
 * ports), "<none>" without subsets.
 */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const entries = ss.ports?.length ? ss.ports.flatMap((p) => addresses.map((a) => hostPort(a.ip, p.port))) : addresses.map((a) => a.ip);
    count += entries.length;
    list.push(...entries.slice(0, max - list.length));
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

export const endpoints: Printer = {
  columns: [NAME, column('Endpoints', 'string', DOC['Endpoints.subsets']), AGE],
  print: (ep: Endpoints, now) => ({
    cells: [ep.metadata?.name ?? '', formatEndpoints(ep), since(ep.metadata?.creationTimestamp, now)],
  }),
};

export const endpointslices: Printer = {
  columns: [
    NAME,
    column('AddressType', 'string', DOC['EndpointSlice.addressType']),
    column('Ports', 'string', DOC['EndpointSlice.ports']),
    column('Endpoints', 'string', DOC['EndpointSlice.endpoints']),
    AGE,
  ],
  print: (slice: EndpointSlice, now) => ({
    cells: [
      slice.metadata?.name ?? '',
      slice.addressType,
      listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))), 3),
      listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses), 3),
      since(slice.metadata?.creationTimestamp, now),
    ],
  }),
};
