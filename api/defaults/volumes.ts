// Defaults of pod volumes (core/v1 SetDefaults_Volume and the volume sources):
// a volume without a source is an emptyDir; mounted files are mode 0644 (420).

import type { DownwardAPIVolumeFile, Volume } from 'kubernetes-types/core/v1.js';

export const DEFAULT_FILE_MODE = 0o644;

const SOURCE_FIELDS = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

function defaultDownwardApiItems(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const item of items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
}

export function defaultVolume(vol: Volume): void {
  const v = vol as unknown as Record<string, unknown>;
  if (!SOURCE_FIELDS.some((f) => v[f] !== undefined && v[f] !== null)) vol.emptyDir = {};
  if (vol.secret) vol.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (vol.configMap) vol.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (vol.downwardAPI) {
    vol.downwardAPI.defaultMode ??= DEFAULT_FILE_MODE;
    defaultDownwardApiItems(vol.downwardAPI.items);
  }
  if (vol.hostPath) vol.hostPath.type ??= '';
  if (vol.projected) {
    vol.projected.defaultMode ??= DEFAULT_FILE_MODE;
    for (const src of vol.projected.sources ?? []) {
      if (src.serviceAccountToken) src.serviceAccountToken.expirationSeconds ??= 3600;
      defaultDownwardApiItems(src.downwardAPI?.items);
    }
  }
}
