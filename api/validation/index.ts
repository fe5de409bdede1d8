// validateObject: Kubernetes' validation of every kind Skiff serves, run on
// create (opts.old absent) and update (opts.old is the stored object). It
// expects defaulted objects (api/defaults) whose field types the schema has
// already checked, and returns the causes of a 422 Invalid.

import type { FieldError } from '../field-error.ts';
import { validateHorizontalPodAutoscaler } from './autoscaling.ts';
import { validateDeployment, validateReplicaSet } from './apps.ts';
import { validateCronJob, validateJob } from './batch.ts';
import { validateConfigMap, validateSecret } from './config.ts';
import { validateLease } from './coordination.ts';
import { validateEndpoints, validateNamespace, validateNode, validateServiceAccount } from './core.ts';
import { validateEndpointSlice } from './discovery.ts';
import { validateCoreEvent, validateEventsEvent } from './events.ts';
import { nameIsDnsSubdomain } from './names.ts';
import { validateIngress, validateIngressClass } from './networking.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validatePodCreate, validatePodUpdate } from './pod-spec.ts';
import { validateService } from './service.ts';

export interface ValidateOptions {
  namespaced: boolean;
  /** The stored object, on update. */
  old?: any;
}

type Validator = (obj: any, old: any) => FieldError[];

const VALIDATORS: Record<string, Validator> = {
  '/Pod': (obj, old) => (old ? validatePodUpdate(obj, old) : validatePodCreate(obj)),
  '/Namespace': validateNamespace,
  '/ConfigMap': validateConfigMap,
  '/Secret': validateSecret,
  '/Service': validateService,
  '/Endpoints': validateEndpoints,
  '/Event': (obj) => validateCoreEvent(obj),
  '/ServiceAccount': validateServiceAccount,
  '/Node': validateNode,
  'apps/Deployment': validateDeployment,
  'apps/ReplicaSet': validateReplicaSet,
  'batch/Job': validateJob,
  'batch/CronJob': validateCronJob,
  'networking.k8s.io/Ingress': validateIngress,
  'networking.k8s.io/IngressClass': validateIngressClass,
  'coordination.k8s.io/Lease': validateLease,
  'autoscaling/HorizontalPodAutoscaler': validateHorizontalPodAutoscaler,
  'events.k8s.io/Event': validateEventsEvent,
  'discovery.k8s.io/EndpointSlice': validateEndpointSlice,
};

export function validateObject(group: string, kind: string, obj: any, opts: ValidateOptions): FieldError[] {
  const validator = VALIDATORS[`${group}/${kind}`];
  if (validator) return validator(obj, opts.old);
  // A kind without rules of its own still gets Kubernetes' metadata checks.
  return opts.old
    ? validateObjectMetaUpdate(obj?.metadata, opts.old?.metadata)
    : validateObjectMeta(obj?.metadata, { namespaced: opts.namespaced, nameFn: nameIsDnsSubdomain });
}
