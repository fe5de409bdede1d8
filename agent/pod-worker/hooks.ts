// Lifecycle hooks (postStart, preStop) as the kubelet's handler runner runs
// them: exec in the container, HTTP GET to the pod, or sleep. The failure
// message is the kubelet's, for the FailedPostStartHook/FailedPreStopHook
// events.

import type { Clock } from '../clock.ts';
import type { Container, Handler } from '../pod-types.ts';
import { execAction, httpGetAction } from '../probes/handlers.ts';
import type { Runtime } from '../runtimes/types.ts';

export interface HookResult {
  ok: boolean;
  message: string;
}

/** Go's %v of a string slice: [a b c]. */
const goSlice = (xs: string[]): string => `[${xs.join(' ')}]`;

export async function runHook(
  handler: Handler,
  runtime: Runtime,
  clock: Clock,
  containerId: string,
  container: Container,
  podDesc: string,
  podIP: string,
  timeoutMs: number,
): Promise<HookResult> {
  try {
    if (handler.exec) {
      const cmd = handler.exec.command ?? [];
      const r = await execAction(runtime, containerId, cmd, timeoutMs);
      if (r.ok) return { ok: true, message: '' };
      return {
        ok: false,
        message: `Exec lifecycle hook (${goSlice(cmd)}) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podDesc)} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode ?? 137}: ${r.output}, message: ${JSON.stringify(r.output)}`,
      };
    }
    if (handler.httpGet) {
      const r = await httpGetAction(handler.httpGet, container, podIP, timeoutMs);
      if (r.ok) return { ok: true, message: '' };
      const err = r.status !== undefined ? `HTTP lifecycle hook failed with statuscode: ${r.status}` : r.output;
      return { ok: false, message: `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podDesc)} failed - error: ${err}` };
    }
    if (handler.sleep) {
      const ms = Math.min(handler.sleep.seconds * 1000, timeoutMs);
      await new Promise<void>((resolve) => clock.after(ms, resolve));
      return { ok: true, message: '' };
    }
    return { ok: true, message: '' };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
