// applyDefaults: the defaulting Kubernetes applies to every object before
// validation and storage (the generated SetObjectDefaults_* of each group),
// for every kind Skiff serves. Mutates in place; applying twice changes nothing.

import { defaultDeployment, defaultReplicaSet } from './apps.ts';
import { defaultHorizontalPodAutoscaler } from './autoscaling.ts';
import { defaultCronJob, defaultJob } from './batch.ts';
import { defaultEndpoints, defaultNamespace, defaultNode, defaultSecret } from './core.ts';
import { defaultEndpointSlice } from './discovery.ts';
import { defaultIngressClass } from './networking.ts';
import { defaultPod } from './pod-spec.ts';
import { defaultService } from './service.ts';

const DEFAULTERS: Record<string, (obj: any) => void> = {
  '/Pod': defaultPod,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/Service': defaultService,
  '/Endpoints': defaultEndpoints,
  '/Node': defaultNode,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'networking.k8s.io/IngressClass': defaultIngressClass,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
};

/**
 * Kinds without defaults (ConfigMap, Event, ServiceAccount, Ingress, Lease)
 * are left as they are.
 */
export function applyDefaults(group: string, kind: string, obj: any): void {
  DEFAULTERS[`${group}/${kind}`]?.(obj);
}
