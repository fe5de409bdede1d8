// `skiff killall --data-dir DIR`: stops every pod process that the node agent
// of DIR started and removes what the runtime holds for them (cgroups, mount
// points, state), as k3s-killall.sh does. `skiff server` leaves pods running
// when it stops (the next start adopts them); this is how to end them with
// the server stopped. The API objects stay: a later start recreates the pods.

import { join } from 'node:path';
import { ProcessRuntime } from '../agent/runtimes/process/process-runtime.ts';
import { shimPath } from './node-agent.ts';

export async function killall(dataDir: string): Promise<number> {
  const runtime = new ProcessRuntime({ stateDir: join(dataDir, 'agent', 'runtime'), shimPath: shimPath() });
  const sandboxes = await runtime.listPodSandboxes();
  for (const sb of sandboxes) await runtime.removePodSandbox(sb.id);
  return sandboxes.length;
}
