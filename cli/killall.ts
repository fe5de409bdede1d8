// `skiff killall --data-dir DIR`: stops every pod process that the node agent
// of DIR started and removes what the runtime holds for them (cgroups, mount
// points, state, the pods' network namespaces and veths), then the pod
// network itself (bridge, Service route), as k3s-killall.sh does. `skiff
// server` leaves pods running when it stops (the next start adopts them);
// this is how to end them with the server stopped. The API objects stay: a
// later start recreates the pods.

import { join } from 'node:path';
import { ProcessRuntime } from '../agent/runtimes/process/process-runtime.ts';
import { PodNetwork } from '../network/pod/pod-network.ts';
import { podNetworkDir, shimPath } from './node-agent.ts';

export async function killall(dataDir: string): Promise<number> {
  // The network as the agent set it up (its bridge, ranges), whatever the options are now.
  const network = PodNetwork.recorded(podNetworkDir(dataDir));
  const runtime = new ProcessRuntime({ stateDir: join(dataDir, 'agent', 'runtime'), shimPath: shimPath(), network });
  const sandboxes = await runtime.listPodSandboxes();
  for (const sb of sandboxes) await runtime.removePodSandbox(sb.id);
  await network?.teardown();
  return sandboxes.length;
}
