import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from 'kubernetes-types/core/v1.js';
import { errorString } from '../field-error.ts';
import { defaultContainer } from '../defaults/container.ts';
import { validateContainers, validateInitContainers } from './container.ts';

function containers(...list: Partial<Container>[]): Container[] {
  return list.map((c, i) => {
    const ctr: Container = { name: `c${i}`, image: 'app:1', ...c };
    defaultContainer(ctr);
    return ctr;
  });
}

const messages = (list: Container[], volumes = new Set<string>()) => validateContainers(list, volumes, 30, 'spec.containers').map(errorString);

test('defaulted containers are valid', () => {
  assert.deepEqual(messages(containers({ ports: [{ containerPort: 80, name: 'http' }] }, {})), []);
});

test('ports: range, protocol, IANA names, uniqueness', () => {
  assert.deepEqual(
    messages(
      containers({
        ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: 'HTTP' }, { containerPort: 81, name: 'web_port' }, { containerPort: 0 }, { containerPort: 82, name: 'a' }, { containerPort: 83, name: 'a' }],
      }),
    ),
    [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].name: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[3].containerPort: Required value',
      'spec.containers[0].ports[5].name: Duplicate value: "a"',
    ],
  );
});

test('host ports may not collide across containers', () => {
  assert.deepEqual(messages(containers({ ports: [{ containerPort: 80, hostPort: 8080 }] }, { ports: [{ containerPort: 81, hostPort: 8080 }] })), [
    'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
  ]);
});

test('volume mounts must name a volume, at unique paths', () => {
  assert.deepEqual(
    messages(
      containers({
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'missing', mountPath: '/data' },
          { name: 'data', mountPath: '/sub', subPath: '../escape' },
        ],
      }),
      new Set(['data']),
    ),
    [
      'spec.containers[0].volumeMounts[1].name: Invalid value: "missing": not found',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      "spec.containers[0].volumeMounts.subPath: Invalid value: \"../escape\": must not contain '..'",
    ],
  );
});

test('probes: one handler, non-negative values, liveness successThreshold 1', () => {
  assert.deepEqual(
    messages(
      containers({
        livenessProbe: { httpGet: { port: 80 }, tcpSocket: { port: 80 }, successThreshold: 2, periodSeconds: -1 },
        readinessProbe: { initialDelaySeconds: 1 },
        startupProbe: { httpGet: { port: 'http', scheme: 'FTP' } },
      }),
    ),
    [
      'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
      'spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
    ],
  );
});

test('lifecycle sleep must fit the grace period', () => {
  assert.deepEqual(messages(containers({ lifecycle: { preStop: { sleep: { seconds: 60 } } } })), [
    'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
  ]);
});

test('security context ids and privilege escalation', () => {
  assert.deepEqual(messages(containers({ securityContext: { runAsUser: -1, privileged: true, allowPrivilegeEscalation: false } })), [
    'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive',
    'spec.containers[0].securityContext: Invalid value: {"runAsUser":-1,"privileged":true,"allowPrivilegeEscalation":false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
  ]);
});

test('regular containers may not set restartPolicy; init containers only Always, and probes then', () => {
  assert.deepEqual(messages(containers({ restartPolicy: 'Always' })), ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']);
  const init = containers({ name: 'init', readinessProbe: { exec: { command: ['true'] } } }, { name: 'sidecar', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } }, { name: 'x', restartPolicy: 'OnFailure' });
  assert.deepEqual(validateInitContainers(init, containers({ name: 'sidecar' }), new Set(), 30, 'spec.initContainers').map(errorString), [
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[1].name: Duplicate value: "sidecar"',
    'spec.initContainers[2].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
});

test('pull policy and termination message policy values', () => {
  assert.deepEqual(messages(containers({ imagePullPolicy: 'Sometimes', terminationMessagePolicy: 'Log' })), [
    'spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError"',
    'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
});
