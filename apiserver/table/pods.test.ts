import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');

function pod(overrides: { spec?: Partial<Pod['spec']>; status?: Pod['status']; metadata?: Pod['metadata'] } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c8f5-x2x7q', namespace: 'default', uid: 'u1', creationTimestamp: '2024-05-01T11:55:00Z', ...overrides.metadata },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }], nodeName: 'node-1', ...overrides.spec },
    status: overrides.status,
  };
}

const running = (name = 'nginx', extra: object = {}) => ({
  name,
  image: 'nginx:1.25',
  imageID: '',
  ready: true,
  restartCount: 0,
  started: true,
  state: { running: { startedAt: '2024-05-01T11:55:05Z' } },
  ...extra,
});

/** The cells of one pod: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates. */
const cells = (p: Pod): unknown[] => printTable('', 'pods', [p], { now, includeObject: 'None' }).rows[0].cells;
const status = (p: Pod): unknown => cells(p)[2];

test('columns as kube-apiserver declares them', () => {
  const { columnDefinitions } = printTable('', 'pods', [], { now, includeObject: 'Metadata' });
  assert.deepEqual(
    columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
  assert.equal(columnDefinitions[1].description, 'The aggregate readiness state of this pod for accepting traffic.');
});

test('a running pod, with its metadata as the row object', () => {
  const p = pod({
    status: { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [running()], conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const table = printTable('', 'pods', [p], { now, includeObject: 'Metadata' });
  assert.deepEqual(table.rows[0], {
    cells: ['web-7d4b9c8f5-x2x7q', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', '<none>', '<none>'],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata },
  });
  assert.equal(printTable('', 'pods', [p], { now, includeObject: 'Object' }).rows[0].object, p);
  assert.equal(printTable('', 'pods', [p], { now, includeObject: 'None' }).rows[0].object, null);
});

test('a pending pod not yet scheduled', () => {
  const p = pod({ spec: { nodeName: undefined }, metadata: { name: 'p', creationTimestamp: '2024-05-01T11:59:58Z' }, status: { phase: 'Pending' } });
  assert.deepEqual(cells(p), ['p', '0/1', 'Pending', '0', '2s', '<none>', '<none>', '<none>', '<none>']);
  const gated = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
  assert.equal(status(gated), 'SchedulingGated');
  assert.equal(status(pod({ status: { phase: 'Failed', reason: 'Evicted' } })), 'Evicted');
});

test('waiting containers: ContainerCreating, ErrImagePull, CrashLoopBackOff with the last restart', () => {
  const waiting = (reason: string, extra: object = {}) =>
    pod({ status: { phase: 'Pending', containerStatuses: [{ ...running(), ready: false, started: false, state: { waiting: { reason } }, ...extra }] } });
  assert.equal(status(waiting('ContainerCreating')), 'ContainerCreating');
  assert.equal(status(waiting('ErrImagePull')), 'ErrImagePull');
  assert.equal(status(waiting('ImagePullBackOff')), 'ImagePullBackOff');
  const crashing = waiting('CrashLoopBackOff', {
    restartCount: 5,
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:57:00Z' } },
  });
  assert.deepEqual(cells(crashing).slice(1, 4), ['0/1', 'CrashLoopBackOff', '5 (3m ago)']);
});

test('terminated containers: Completed with its row condition, Error, ExitCode and Signal', () => {
  const done = (terminated: { exitCode: number; reason?: string; signal?: number }, phase: string) =>
    pod({ status: { phase, containerStatuses: [{ ...running(), ready: false, state: { terminated } }] } });
  const completed = printTable('', 'pods', [done({ exitCode: 0, reason: 'Completed' }, 'Succeeded')], { now, includeObject: 'None' }).rows[0];
  assert.equal(completed.cells[2], 'Completed');
  assert.deepEqual(completed.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  const failed = printTable('', 'pods', [done({ exitCode: 1, reason: 'Error' }, 'Failed')], { now, includeObject: 'None' }).rows[0];
  assert.equal(failed.cells[2], 'Error');
  assert.deepEqual(failed.conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  assert.equal(status(done({ exitCode: 137 }, 'Running')), 'ExitCode:137');
  assert.equal(status(done({ exitCode: 0, signal: 9 }, 'Running')), 'Signal:9');
  assert.equal(printTable('', 'pods', [done({ exitCode: 1 }, 'Running')], { now, includeObject: 'None' }).rows[0].conditions, undefined);
});

test('the last container that is not running wins; Completed with one still running reads Running or NotReady', () => {
  const twoContainers = (conditions: { type: string; status: string }[]) =>
    pod({
      spec: { containers: [{ name: 'app' }, { name: 'migrate' }] },
      status: {
        phase: 'Running',
        conditions,
        containerStatuses: [running('app'), { ...running('migrate'), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      },
    });
  assert.deepEqual(cells(twoContainers([{ type: 'Ready', status: 'True' }])).slice(1, 3), ['1/2', 'Running']);
  assert.deepEqual(cells(twoContainers([{ type: 'Ready', status: 'False' }])).slice(1, 3), ['1/2', 'NotReady']);
});

test('init containers: Init:n/m, Init:<reason>, Init:ExitCode and Init:Signal; PodInitializing after them', () => {
  const init = (statuses: object[], containerStatuses: object[] = []) =>
    pod({
      spec: { initContainers: [{ name: 'wait-db' }, { name: 'migrate' }] },
      status: { phase: 'Pending', initContainerStatuses: statuses as never, containerStatuses: containerStatuses as never },
    });
  const doneInit = { name: 'wait-db', ready: true, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  const runningInit = { name: 'migrate', ready: false, restartCount: 0, image: '', imageID: '', state: { running: {} } };
  assert.deepEqual(cells(init([{ ...doneInit, name: 'wait-db', state: { running: {} } }])).slice(1, 3), ['0/1', 'Init:0/2']);
  assert.equal(status(init([doneInit, runningInit])), 'Init:1/2');
  assert.equal(status(init([doneInit, { ...runningInit, state: { waiting: { reason: 'CrashLoopBackOff' } } }])), 'Init:CrashLoopBackOff');
  assert.equal(status(init([doneInit, { ...runningInit, state: { waiting: { reason: 'PodInitializing' } } }])), 'Init:1/2');
  assert.equal(status(init([doneInit, { ...runningInit, state: { terminated: { exitCode: 1, reason: 'Error' } } }])), 'Init:Error');
  assert.equal(status(init([doneInit, { ...runningInit, state: { terminated: { exitCode: 3 } } }])), 'Init:ExitCode:3');
  assert.equal(status(init([doneInit, { ...runningInit, state: { terminated: { exitCode: 143, signal: 15 } } }])), 'Init:Signal:15');
  // A zero exit code counts as done whatever the signal.
  assert.equal(status(init([doneInit, { ...runningInit, state: { terminated: { exitCode: 0, signal: 15 } } }])), 'Pending');
  const initsDone = init(
    [doneInit, { ...doneInit, name: 'migrate' }],
    [{ ...running(), ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } }],
  );
  assert.equal(status(initsDone), 'PodInitializing');
});

test('restarts while initializing count init containers; afterwards the containers', () => {
  const p = pod({
    spec: { initContainers: [{ name: 'setup' }] },
    status: {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'setup',
          image: '',
          imageID: '',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T10:00:00Z' } },
        },
      ],
      containerStatuses: [{ ...running(), ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    },
  });
  assert.deepEqual(cells(p).slice(2, 4), ['Init:CrashLoopBackOff', '3 (120m ago)']);
});

test('sidecars (restartable init containers) count as containers', () => {
  const p = pod({
    spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        {
          ...running('proxy'),
          restartCount: 2,
          lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:58:00Z' } },
        },
      ],
      containerStatuses: [{ ...running(), restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:50:00Z' } } }],
    },
  });
  assert.deepEqual(cells(p).slice(1, 4), ['2/2', 'Running', '3 (2m ago)']);
});

test('deletion: Terminating, Unknown on a lost node, a finished pod keeps its status', () => {
  const deleting = { deletionTimestamp: '2024-05-01T11:59:00Z' };
  assert.equal(status(pod({ metadata: deleting, status: { phase: 'Running', containerStatuses: [running()] } })), 'Terminating');
  assert.equal(status(pod({ metadata: deleting, status: { phase: 'Running', reason: 'NodeLost' } })), 'Unknown');
  const finished = pod({
    metadata: deleting,
    status: { phase: 'Succeeded', containerStatuses: [{ ...running(), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  });
  assert.equal(status(finished), 'Completed');
});

test('wide cells: first pod IP, nominated node, readiness gates', () => {
  const p = pod({
    spec: { nodeName: undefined, readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    status: {
      phase: 'Pending',
      podIP: '10.0.0.9',
      podIPs: [{ ip: '10.0.0.9' }, { ip: 'fd00::9' }],
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'example.com/lb', status: 'True' },
        { type: 'example.com/dns', status: 'False' },
      ],
    },
  });
  assert.deepEqual(cells(p).slice(5), ['10.0.0.9', '<none>', 'node-2', '1/2']);
});
