// Pod volumes prepared on the host, under DATA/agent/pods/<uid>/volumes/<name>,
// and handed to the runtime as Mounts. ConfigMap, Secret, downwardAPI and
// projected volumes are written with the AtomicWriter layout and rewritten
// (atomically) on each sync when their sources changed; emptyDir is a
// directory (tmpfs for medium Memory when the agent may mount); hostPath is
// checked against its type as the kubelet checks it.

import { spawnSync } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KObject } from '../../client/types.ts';
import { fieldRefValue, resourceFieldValue, type PodRuntimeInfo } from '../env/field-ref.ts';
import { configMapData, type ObjectSource } from '../env/resolve.ts';
import { expand } from '../env/expand.ts';
import type { Container, DownwardAPIFile, KeyToPath, PodSpec, Volume } from '../pod-types.ts';
import type { Mount } from '../runtimes/types.ts';
import { writePayload, type FileProjection } from './atomic-writer.ts';

export const DEFAULT_MODE = 0o644;

/** A volume could not be set up: event FailedMount, the pod waits in ContainerCreating. */
export class VolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

export function podVolumesDir(dataDir: string, podUid: string): string {
  return join(dataDir, 'agent', 'pods', podUid, 'volumes');
}

function keyItems(
  data: Record<string, string | Buffer>,
  items: KeyToPath[] | undefined,
  mode: number,
  missing: (key: string) => string,
  out: Map<string, FileProjection>,
  optional: boolean,
): void {
  const buf = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v) : v);
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) out.set(k, { data: buf(v), mode });
    return;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new Error(missing(it.key));
    }
    out.set(it.path, { data: buf(v), mode: it.mode ?? mode });
  }
}

function configMapBytes(cm: KObject): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = { ...configMapData(cm) };
  for (const [k, v] of Object.entries((cm.binaryData as Record<string, string> | undefined) ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

function secretBytes(s: KObject): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((s.data as Record<string, string> | undefined) ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

function downwardItems(pod: KObject, items: DownwardAPIFile[] | undefined, mode: number, info: PodRuntimeInfo, out: Map<string, FileProjection>): void {
  const spec = pod.spec as PodSpec;
  for (const it of items ?? []) {
    let value = '';
    if (it.fieldRef) value = fieldRefValue(pod, it.fieldRef, info);
    else if (it.resourceFieldRef) value = resourceFieldValue(spec, undefined, it.resourceFieldRef, info);
    out.set(it.path, { data: Buffer.from(value), mode: it.mode ?? mode });
  }
}

async function configMapPayload(pod: KObject, vol: NonNullable<Volume['configMap']>, mode: number, source: ObjectSource, out: Map<string, FileProjection>): Promise<void> {
  const cm = await source.configMap(pod.metadata.namespace!, vol.name);
  if (!cm) {
    if (vol.optional) return;
    throw new Error(`configmap "${vol.name}" not found`);
  }
  keyItems(configMapBytes(cm), vol.items, mode, (k) => `configmap references non-existent config key: ${k}`, out, vol.optional ?? false);
}

async function secretPayload(pod: KObject, name: string, items: KeyToPath[] | undefined, optional: boolean | undefined, mode: number, source: ObjectSource, out: Map<string, FileProjection>): Promise<void> {
  const s = await source.secret(pod.metadata.namespace!, name);
  if (!s) {
    if (optional) return;
    throw new Error(`secret "${name}" not found`);
  }
  keyItems(secretBytes(s), items, mode, (k) => `references non-existent secret key: ${k}`, out, optional ?? false);
}

async function hostPathCheck(path: string, type: string | undefined): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'FileOrCreate':
      if (!st) await writeFile(path, '', { mode: 0o644, flag: 'a' });
      else if (!st.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Directory':
      if (!st?.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'File':
      if (!st?.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Socket':
      if (!st?.isSocket()) throw new Error(`hostPath type check failed: ${path} is not a socket file`);
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw new Error(`hostPath type check failed: ${path} is not a character device`);
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw new Error(`hostPath type check failed: ${path} is not a block device`);
      return;
  }
  throw new Error(`hostPath type check failed: unknown type ${type}`);
}

/** Mounts a tmpfs for an emptyDir of medium Memory when the agent runs as root; otherwise a plain directory. */
function tryTmpfs(path: string): void {
  if (process.getuid?.() !== 0) return;
  const mounted = spawnSync('mountpoint', ['-q', path]).status === 0;
  if (!mounted) spawnSync('mount', ['-t', 'tmpfs', '-o', 'mode=0777', 'tmpfs', path]);
}

export interface PreparedVolumes {
  /** Host directory (or hostPath) per volume name. */
  paths: Map<string, string>;
  /** Volumes that were skipped, with why (serviceAccountToken projections, unsupported kinds). */
  notes: string[];
}

/** Creates or refreshes every volume of the pod. Throws VolumeError for the first one that cannot be set up. */
export async function prepareVolumes(pod: KObject, dataDir: string, info: PodRuntimeInfo, source: ObjectSource, now: Date): Promise<PreparedVolumes> {
  const spec = pod.spec as PodSpec;
  const base = podVolumesDir(dataDir, pod.metadata.uid!);
  const paths = new Map<string, string>();
  const notes: string[] = [];
  for (const vol of spec.volumes ?? []) {
    const dir = join(base, vol.name);
    try {
      if (vol.hostPath) {
        await hostPathCheck(vol.hostPath.path, vol.hostPath.type);
        paths.set(vol.name, vol.hostPath.path);
        continue;
      }
      if (vol.emptyDir) {
        await mkdir(dir, { recursive: true, mode: 0o777 });
        if (vol.emptyDir.medium === 'Memory') tryTmpfs(dir);
        paths.set(vol.name, dir);
        continue;
      }
      const payload = new Map<string, FileProjection>();
      if (vol.configMap) await configMapPayload(pod, vol.configMap, vol.configMap.defaultMode ?? DEFAULT_MODE, source, payload);
      else if (vol.secret) await secretPayload(pod, vol.secret.secretName, vol.secret.items, vol.secret.optional, vol.secret.defaultMode ?? DEFAULT_MODE, source, payload);
      else if (vol.downwardAPI) downwardItems(pod, vol.downwardAPI.items, vol.downwardAPI.defaultMode ?? DEFAULT_MODE, info, payload);
      else if (vol.projected) {
        const mode = vol.projected.defaultMode ?? DEFAULT_MODE;
        for (const src of vol.projected.sources ?? []) {
          if (src.configMap) await configMapPayload(pod, src.configMap, mode, source, payload);
          else if (src.secret) await secretPayload(pod, src.secret.name, src.secret.items, src.secret.optional, mode, source, payload);
          else if (src.downwardAPI) downwardItems(pod, src.downwardAPI.items, mode, info, payload);
          else if (src.serviceAccountToken) notes.push(`volume ${vol.name}: serviceAccountToken projection is not written (no token issuer)`);
        }
      } else {
        notes.push(`volume ${vol.name}: unsupported volume type, mounted as an empty directory`);
        await mkdir(dir, { recursive: true, mode: 0o777 });
        paths.set(vol.name, dir);
        continue;
      }
      await writePayload(dir, payload, now);
      paths.set(vol.name, dir);
    } catch (e) {
      throw new VolumeError(vol.name, e instanceof Error ? e.message : String(e));
    }
  }
  return { paths, notes };
}

/** Removes the pod's volume directories (unmounting tmpfs first). hostPath volumes are never touched. */
export async function cleanupVolumes(dataDir: string, podUid: string): Promise<void> {
  const base = join(dataDir, 'agent', 'pods', podUid);
  if (process.getuid?.() === 0) {
    const out = spawnSync('sh', ['-c', `grep -F ' ${base}/' /proc/mounts | cut -d' ' -f2`], { encoding: 'utf8' }).stdout ?? '';
    for (const m of out.split('\n').filter(Boolean)) spawnSync('umount', ['-l', m]);
  }
  await rm(base, { recursive: true, force: true });
}

/** The container's Mounts from its volumeMounts; subPathExpr expands $(VAR) from the container's env. */
export function containerMounts(container: Container, prepared: PreparedVolumes, spec: PodSpec, env: { name: string; value: string }[]): Mount[] {
  const envMap = new Map(env.map((e) => [e.name, e.value]));
  const apiData = new Set((spec.volumes ?? []).filter((v) => v.configMap || v.secret || v.downwardAPI || v.projected).map((v) => v.name));
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const hostPath = prepared.paths.get(vm.name);
    if (!hostPath) continue;
    const subPath = vm.subPathExpr ? expand(vm.subPathExpr, (n) => envMap.get(n)) : vm.subPath;
    mounts.push({ hostPath, containerPath: vm.mountPath, readOnly: (vm.readOnly ?? false) || apiData.has(vm.name), ...(subPath ? { subPath } : {}) });
  }
  return mounts;
}
