// `kubectl get pods`: printPod of pkg/printers/internalversion. The Status
// column is not the phase but a summary: the pod's reason, the first init
// container that has not finished ("Init:0/2", "Init:CrashLoopBackOff"), then
// the reason of the last container that is waiting or terminated, and
// Terminating once deleted.

import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { AGE, column, NAME, wide } from './columns.ts';
import { DOC } from './docs.ts';
import { humanDuration, parseTime, since } from './duration.ts';
import type { Printer, PrintedRow, TableRowCondition } from './types.ts';

/** node.NodeUnreachablePodReason: the node controller's reason for pods on a lost node. */
const NODE_LOST = 'NodeLost';

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** A sidecar: an init container that keeps running (restartPolicy Always). */
const isRestartable = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';

/** The later of a running "last restart" and a container's last termination. */
function laterRestart(last: number | undefined, status: ContainerStatus): number | undefined {
  const finished = parseTime(status.lastState?.terminated?.finishedAt);
  if (finished === undefined) return last;
  return last === undefined || last < finished ? finished : last;
}

const conditionTrue = (conditions: PodCondition[] | undefined, type: string): boolean =>
  conditions?.find((c) => c.type === type)?.status === 'True';

function exitReason(prefix: string, terminated: { signal?: number; exitCode: number }): string {
  return terminated.signal ? `${prefix}Signal:${terminated.signal}` : `${prefix}ExitCode:${terminated.exitCode}`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const ready = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ready}/${gates.length}`;
}

function printPod(pod: Pod, now: Date): PrintedRow {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initContainers = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  const totalContainers = (spec?.containers ?? []).length + [...initContainers.values()].filter(isRestartable).length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  // Init containers run in order: the first one not done decides the status.
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount;
    lastRestart = laterRestart(lastRestart, c);
    const sidecar = isRestartable(initContainers.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const { terminated, waiting } = c.state ?? {};
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : exitReason('Init:', terminated);
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount;
      lastRestart = laterRestart(lastRestart, c);
      const { terminated, waiting, running } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = exitReason('', terminated);
      else if (c.ready && running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose finished containers say Completed but one still runs.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status.reason === NODE_LOST) reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)` : String(restarts);
  const podIP = status.podIPs?.[0]?.ip || status.podIP || '<none>';

  return {
    cells: [
      pod.metadata?.name ?? '',
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsCell,
      since(pod.metadata?.creationTimestamp, now),
      podIP,
      spec?.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
    ...(phase === 'Succeeded' ? { conditions: SUCCEEDED } : phase === 'Failed' ? { conditions: FAILED } : {}),
  };
}

export const pods: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    wide('IP', 'string', DOC['PodStatus.podIP']),
    wide('Node', 'string', DOC['PodSpec.nodeName']),
    wide('Nominated Node', 'string', DOC['PodStatus.nominatedNodeName']),
    wide('Readiness Gates', 'string', DOC['PodSpec.readinessGates']),
  ],
  print: printPod,
};
