// `kubectl get deployments` and `kubectl get replicasets`.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { formatLabelSelector, selectorToString } from '../../api/selectors/label.ts';
import { SelectorError } from '../../api/selectors/selector-error.ts';
import { AGE, column, CONTAINERS, containerCells, IMAGES, NAME, wide } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer } from './types.ts';

/** The Deployment Selector cell: the selector's string ("" when empty), "<invalid>" when it does not parse. */
function deploymentSelector(d: Deployment): string {
  try {
    return selectorToString(d.spec?.selector);
  } catch (e) {
    if (e instanceof SelectorError) return '<invalid>';
    throw e;
  }
}

export const deployments: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', DOC['DeploymentStatus.updatedReplicas']),
    column('Available', 'string', DOC['DeploymentStatus.availableReplicas']),
    AGE,
    CONTAINERS,
    IMAGES,
    wide('Selector', 'string', DOC['DeploymentSpec.selector']),
  ],
  print: (d: Deployment, now) => ({
    cells: [
      d.metadata?.name ?? '',
      // spec.replicas is defaulted to 1 on create.
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      since(d.metadata?.creationTimestamp, now),
      ...containerCells(d.spec?.template.spec?.containers),
      deploymentSelector(d),
    ],
  }),
};

export const replicasets: Printer = {
  columns: [
    NAME,
    column('Desired', 'integer', DOC['ReplicaSetSpec.replicas']),
    column('Current', 'integer', DOC['ReplicaSetStatus.replicas']),
    column('Ready', 'integer', DOC['ReplicaSetStatus.readyReplicas']),
    AGE,
    CONTAINERS,
    IMAGES,
    wide('Selector', 'string', DOC['ReplicaSetSpec.selector']),
  ],
  print: (rs: ReplicaSet, now) => ({
    cells: [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      since(rs.metadata?.creationTimestamp, now),
      ...containerCells(rs.spec?.template?.spec?.containers),
      formatLabelSelector(rs.spec?.selector),
    ],
  }),
};
