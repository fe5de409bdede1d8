// Pod volumes: unique DNS-label names and exactly one source each, with the
// sources Skiff can run checked in detail (pkg/apis/core/validation).

import type { KeyToPath, ProjectedVolumeSource, Volume } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-error.ts';
import { isDns1123Label } from './names.ts';
import { child, index } from './path.ts';
import { parseQuantity } from './quantity.ts';
import { validateObjectFieldSelector, validateResourceFieldSelector } from './env.ts';

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

// Every volume source, in upstream's checking order, with the path segment its
// "more than 1 volume type" error uses (two are spelled oddly upstream).
const SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

function validateFileMode(mode: number | undefined, path: string): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [invalid(path, mode, FILE_MODE_ERROR)] : [];
}

/** No ".." element (the node must not escape the volume). */
export function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  return [...errs, ...validatePathNoBacksteps(target, path)];
}

function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateKeyToPath(kp: KeyToPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(required(child(path, 'key')));
  if (!kp.path) errs.push(required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', child(path, 'path')));
  errs.push(...validateFileMode(kp.mode, child(path, 'mode')));
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  return (items ?? []).flatMap((kp, i) => validateKeyToPath(kp, index(path, i)));
}

function validateDownwardApiFile(file: NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(required(child(path, 'path')));
  errs.push(...validateLocalNonReservedPath(file.path ?? '', child(path, 'path')));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, child(path, 'fieldRef')));
    if (file.resourceFieldRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, true, child(path, 'resourceFieldRef')));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateFileMode(file.mode, child(path, 'mode')));
  return errs;
}

function validateProjected(proj: ProjectedVolumeSource, path: string): FieldError[] {
  const errs = validateFileMode(proj.defaultMode, child(path, 'defaultMode'));
  const seen = new Set<string>();
  const notePath = (p: string | undefined, owner: unknown) => {
    if (!p) return;
    if (seen.has(p)) errs.push(invalid(path, owner, 'conflicting duplicate paths'));
    seen.add(p);
  };
  (proj.sources ?? []).forEach((src, i) => {
    const srcPath = index(child(path, 'sources'), i);
    let n = 0;
    if (src.secret) {
      n++;
      if (!src.secret.name) errs.push(required(child(srcPath, 'secret', 'name')));
      (src.secret.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(srcPath, 'secret', 'items'), j)));
        notePath(kp.path, src.secret?.name ?? '');
      });
    }
    if (src.configMap) {
      n++;
      if (!src.configMap.name) errs.push(required(child(srcPath, 'configMap', 'name')));
      (src.configMap.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(srcPath, 'configMap', 'items'), j)));
        notePath(kp.path, src.configMap?.name ?? '');
      });
    }
    if (src.downwardAPI) {
      n++;
      for (const file of src.downwardAPI.items ?? []) {
        errs.push(...validateDownwardApiFile(file, child(srcPath, 'downwardAPI')));
        notePath(file.path, file.path);
      }
    }
    if (src.serviceAccountToken) {
      n++;
      const tok = src.serviceAccountToken;
      const exp = tok.expirationSeconds ?? 3600;
      const expPath = child(srcPath, 'serviceAccountToken', 'expirationSeconds');
      if (exp < 600) errs.push(invalid(expPath, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(expPath, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!tok.path) errs.push(required(child(path, 'path')));
      else errs.push(...validateLocalNonReservedPath(tok.path, child(path, 'path')));
    }
    if (src.clusterTrustBundle) n++;
    if (n > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function validateSource(vol: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const v = vol as unknown as Record<string, unknown>;
  let count = 0;
  for (const [field, errPath] of SOURCES) {
    if (v[field] === undefined || v[field] === null) continue;
    if (count > 0) {
      errs.push(forbidden(child(path, errPath), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSourceDetail(vol, field, child(path, field)));
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

function validateSourceDetail(vol: Volume, field: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (field) {
    case 'emptyDir': {
      const limit = vol.emptyDir?.sizeLimit;
      if (limit !== undefined && (parseQuantity(limit) ?? 0) < 0) {
        errs.push(forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    }
    case 'hostPath': {
      const hp = vol.hostPath!;
      if (!hp.path) return [required(child(path, 'path'))];
      errs.push(...validatePathNoBacksteps(hp.path, child(path, 'path')));
      if (hp.type !== undefined && !HOST_PATH_TYPES.includes(hp.type)) errs.push(notSupported(child(path, 'type'), hp.type, HOST_PATH_TYPES));
      break;
    }
    case 'secret': {
      const s = vol.secret!;
      if (!s.secretName) errs.push(required(child(path, 'secretName')));
      errs.push(...validateFileMode(s.defaultMode, child(path, 'defaultMode')));
      errs.push(...validateItems(s.items, child(path, 'items')));
      break;
    }
    case 'configMap': {
      const c = vol.configMap!;
      if (!c.name) errs.push(required(child(path, 'name')));
      errs.push(...validateFileMode(c.defaultMode, child(path, 'defaultMode')));
      errs.push(...validateItems(c.items, child(path, 'items')));
      break;
    }
    case 'persistentVolumeClaim':
      if (!vol.persistentVolumeClaim?.claimName) errs.push(required(child(path, 'claimName')));
      break;
    case 'nfs': {
      const nfs = vol.nfs!;
      if (!nfs.server) errs.push(required(child(path, 'server')));
      if (!nfs.path) errs.push(required(child(path, 'path')));
      if (!(nfs.path ?? '').startsWith('/')) errs.push(invalid(child(path, 'path'), nfs.path ?? '', 'must be an absolute path'));
      break;
    }
    case 'downwardAPI': {
      const d = vol.downwardAPI!;
      errs.push(...validateFileMode(d.defaultMode, child(path, 'defaultMode')));
      for (const file of d.items ?? []) errs.push(...validateDownwardApiFile(file, path));
      break;
    }
    case 'projected':
      errs.push(...validateProjected(vol.projected!, path));
      break;
  }
  return errs;
}

/**
 * Validates the volumes and returns the names of the valid ones: mounts that
 * name an invalid volume are reported as not found, as upstream does.
 */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const idx = index(path, i);
    const namePath = child(idx, 'name');
    const el = validateSource(vol, idx);
    if (!vol.name) el.push(required(namePath));
    else el.push(...isDns1123Label(vol.name).map((msg) => invalid(namePath, vol.name, msg)));
    if (names.has(vol.name)) el.push(duplicate(namePath, vol.name));
    if (el.length === 0) names.add(vol.name);
    else errs.push(...el);
  });
  return { names, errs };
}
