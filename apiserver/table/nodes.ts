// `kubectl get nodes`.

import type { Node } from 'kubernetes-types/core/v1.js';
import { AGE, column, NAME, wide } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer } from './types.ts';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** "Ready" or "NotReady" from the Ready condition ("Unknown" without one), then ",SchedulingDisabled" when cordoned. */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted; "<none>". */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== '') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (node: Node, type: string): string => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

export const nodes: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE,
    column('Version', 'string', DOC['NodeSystemInfo.kubeletVersion']),
    wide('Internal-IP', 'string', DOC['NodeStatus.addresses']),
    wide('External-IP', 'string', DOC['NodeStatus.addresses']),
    wide('OS-Image', 'string', DOC['NodeSystemInfo.osImage']),
    wide('Kernel-Version', 'string', DOC['NodeSystemInfo.kernelVersion']),
    wide('Container-Runtime', 'string', DOC['NodeSystemInfo.containerRuntimeVersion']),
  ],
  print: (node: Node, now) => {
    const info = node.status?.nodeInfo;
    return {
      cells: [
        node.metadata?.name ?? '',
        nodeStatus(node),
        nodeRoles(node),
        since(node.metadata?.creationTimestamp, now),
        info?.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};
