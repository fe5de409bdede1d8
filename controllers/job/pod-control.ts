// The Job controller's writes to pods (Kubernetes' RealPodControl): create
// from the template with the Job as controller, delete, and remove the
// tracking finalizer; each create and delete is recorded as an Event on the
// Job, with upstream's reasons and messages.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { EnvVar, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../apiserver/errors.ts';
import type { EventRecorder } from '../../client/events.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { controllerRef, podFromTemplate } from '../pods.ts';
import { asObject, asPod, COMPLETION_INDEX_KEY, JOB_TRACKING_FINALIZER } from './job-util.ts';

/** Longest generateName prefix the server keeps whole (names.MaxGeneratedNameLength). */
const MAX_GENERATED_NAME_LENGTH = 58;

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;

/** Every container gets JOB_COMPLETION_INDEX from the index annotation (the kubelet resolves the downward API reference). */
function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const env: EnvVar = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } };
  for (const c of [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])]) {
    if (c.env?.some((e) => e.name === env.name)) continue;
    c.env = [...(c.env ?? []), structuredClone(env)];
  }
}

/** `<job>-<index>-`, with the job name cut so the index survives the server's length limit. */
function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/** The pod the Job runs next: its template, the tracking finalizer, and for Indexed Jobs the index. */
export function podForJob(job: Job, index: number | undefined): KObject {
  const template = structuredClone(job.spec!.template);
  if (index !== undefined) addCompletionIndexEnv(template);
  const pod = podFromTemplate(template as never, controllerRef(asObject(job), 'batch/v1', 'Job'), job.metadata!.name!);
  const meta = pod.metadata;
  meta.finalizers = [...(template.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
  if (index !== undefined) {
    meta.generateName = generateNameWithIndex(job.metadata!.name!, index);
    meta.annotations = { ...(meta.annotations ?? {}), [COMPLETION_INDEX_KEY]: String(index) };
    meta.labels = { ...(meta.labels ?? {}), [COMPLETION_INDEX_KEY]: String(index) };
    (pod.spec as Record<string, unknown>).hostname = `${job.metadata!.name}-${index}`;
  }
  return pod;
}

export class PodControl {
  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
  ) {}

  async create(job: Job, pod: KObject): Promise<Pod> {
    try {
      const created = asPod(await this.client.create(R.pods, job.metadata!.namespace, pod));
      this.recorder.event(asObject(job), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata!.name}`);
      return created;
    } catch (e) {
      this.recorder.event(asObject(job), 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Deletes a pod; a pod already gone counts as deleted. */
  async delete(job: Job, pod: Pod): Promise<void> {
    try {
      await this.client.delete(R.pods, pod.metadata!.namespace, pod.metadata!.name!);
      this.recorder.event(asObject(job), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`);
    } catch (e) {
      if (isNotFound(e)) return;
      this.recorder.event(asObject(job), 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Removes the tracking finalizer (a pod already gone counts as done). */
  async removeFinalizer(pod: Pod): Promise<void> {
    if (!pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER)) return;
    try {
      await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, 'strategic', {
        metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] },
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
