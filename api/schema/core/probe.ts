// Probes and lifecycle hooks, and the actions they run.

import { model, p, t } from '../dsl.ts';
import { CORE } from './name.ts';

// exec/httpGet/tcpSocket/grpc live in the embedded ProbeHandler message
// (protobuf field 1).
export const Probe = model(
  `${CORE}Probe`,
  'Probe describes a health check performed against a container to determine whether it is alive or ready to receive traffic.',
  {
    exec: p(1, t.ref(() => ExecAction), 'Command to run in the container.'),
    httpGet: p(2, t.ref(() => HTTPGetAction), 'HTTP GET request to perform.'),
    tcpSocket: p(3, t.ref(() => TCPSocketAction), 'TCP port to connect to.'),
    grpc: p(4, t.ref(() => GRPCAction), 'gRPC health check to call.'),
    initialDelaySeconds: p(2, t.int32(), 'Seconds after the container started before probing begins.', { omitZero: true }),
    timeoutSeconds: p(3, t.int32(), 'Seconds after which the probe times out; defaults to 1.', { omitZero: true }),
    periodSeconds: p(4, t.int32(), 'How often, in seconds, to probe; defaults to 10.', { omitZero: true }),
    successThreshold: p(5, t.int32(), 'Consecutive successes needed after a failure; defaults to 1.', { omitZero: true }),
    failureThreshold: p(6, t.int32(), 'Consecutive failures before giving up; defaults to 3.', { omitZero: true }),
    terminationGracePeriodSeconds: p(7, t.int64(), 'Grace period used when the probe fails, overriding the pod value.'),
  },
  { protoEmbedded: [{ field: 1, name: 'handler', properties: ['exec', 'httpGet', 'tcpSocket', 'grpc'] }] },
);

export const ExecAction = model(`${CORE}ExecAction`, 'ExecAction describes a "run in container" action.', {
  command: p(1, t.array(t.string(), { listType: 'atomic' }), 'Command line to execute, not run in a shell; exit status 0 is healthy.'),
});

export const HTTPGetAction = model(`${CORE}HTTPGetAction`, 'HTTPGetAction describes an action based on HTTP Get requests.', {
  path: p(1, t.string(), 'Path to request on the HTTP server.'),
  port: p(2, t.intOrString(), 'Number or name of the container port to access.', { required: true }),
  host: p(3, t.string(), 'Host name to connect to; defaults to the pod IP.'),
  scheme: p(4, t.string(), 'Scheme to use: HTTP or HTTPS; defaults to HTTP.'),
  httpHeaders: p(5, t.array(t.ref(() => HTTPHeader), { listType: 'atomic' }), 'Custom headers to send.'),
});

export const HTTPHeader = model(`${CORE}HTTPHeader`, 'HTTPHeader describes a custom header to be used in HTTP probes.', {
  name: p(1, t.string(), 'Header name.', { required: true }),
  value: p(2, t.string(), 'Header value.', { required: true }),
});

export const TCPSocketAction = model(`${CORE}TCPSocketAction`, 'TCPSocketAction describes an action based on opening a socket.', {
  port: p(1, t.intOrString(), 'Number or name of the container port to connect to.', { required: true }),
  host: p(2, t.string(), 'Host name to connect to; defaults to the pod IP.'),
});

export const GRPCAction = model(`${CORE}GRPCAction`, 'GRPCAction specifies an action involving a gRPC service.', {
  port: p(1, t.int32(), 'Port of the gRPC service.', { required: true }),
  service: p(2, t.string(), 'Service name placed in the gRPC HealthCheckRequest.'),
});

export const SleepAction = model(`${CORE}SleepAction`, 'SleepAction describes a "sleep" action.', {
  seconds: p(1, t.int64(), 'Number of seconds to sleep.', { required: true }),
});

export const Lifecycle = model(
  `${CORE}Lifecycle`,
  'Lifecycle describes actions that the management system should take in response to container lifecycle events.',
  {
    postStart: p(1, t.ref(() => LifecycleHandler), 'Hook run right after the container is created.'),
    preStop: p(2, t.ref(() => LifecycleHandler), 'Hook run right before the container is terminated.'),
    stopSignal: p(3, t.string(), 'Signal sent to stop the container; requires spec.os.name to be set.'),
  },
);

export const LifecycleHandler = model(
  `${CORE}LifecycleHandler`,
  'LifecycleHandler defines a specific action that should be taken in a lifecycle hook.',
  {
    exec: p(1, t.ref(() => ExecAction), 'Command to run in the container.'),
    httpGet: p(2, t.ref(() => HTTPGetAction), 'HTTP GET request to perform.'),
    tcpSocket: p(3, t.ref(() => TCPSocketAction), 'Deprecated and unsupported as a lifecycle hook; kept for compatibility.'),
    sleep: p(4, t.ref(() => SleepAction), 'Duration to sleep.'),
  },
);
