// Defaults of apps/v1 Deployment and ReplicaSet (SetDefaults_Deployment,
// SetDefaults_ReplicaSet) and of their pod templates.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { defaultPodTemplate } from './pod-spec.ts';

export function defaultDeployment(d: Deployment): void {
  d.spec ??= { selector: undefined as unknown as LabelSelector, template: {} };
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec, { restartPolicy: true });
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= { selector: undefined as unknown as LabelSelector };
  rs.spec.replicas ??= 1;
  defaultPodTemplate(rs.spec, { restartPolicy: true });
}
