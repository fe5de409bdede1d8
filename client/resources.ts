// The resources components work with, looked up once.

import { findResource, type ResourceInfo } from '../api/kinds.ts';

function must(group: string, version: string, resource: string): ResourceInfo {
  const r = findResource(group, version, resource);
  if (!r) throw new Error(`unknown resource ${group}/${version}/${resource}`);
  return r;
}

export const R = {
  namespaces: must('', 'v1', 'namespaces'),
  pods: must('', 'v1', 'pods'),
  nodes: must('', 'v1', 'nodes'),
  events: must('', 'v1', 'events'),
  configmaps: must('', 'v1', 'configmaps'),
  secrets: must('', 'v1', 'secrets'),
  services: must('', 'v1', 'services'),
  endpoints: must('', 'v1', 'endpoints'),
  serviceaccounts: must('', 'v1', 'serviceaccounts'),
  deployments: must('apps', 'v1', 'deployments'),
  replicasets: must('apps', 'v1', 'replicasets'),
  jobs: must('batch', 'v1', 'jobs'),
  cronjobs: must('batch', 'v1', 'cronjobs'),
  leases: must('coordination.k8s.io', 'v1', 'leases'),
  endpointslices: must('discovery.k8s.io', 'v1', 'endpointslices'),
  ingresses: must('networking.k8s.io', 'v1', 'ingresses'),
  ingressclasses: must('networking.k8s.io', 'v1', 'ingressclasses'),
} as const;
