// Pod volumes: Volume with every volume source (deprecated in-tree ones
// included, they are still part of the API), projections, and the
// PersistentVolumeClaim types ephemeral volumes are built from.

import { EMBEDS_LOCAL_OBJECT_REFERENCE, model, p, t, typeMeta } from '../dsl.ts';
import { LabelSelector, ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';
import {
  LocalObjectReference,
  ObjectFieldSelector,
  ResourceFieldSelector,
  TypedLocalObjectReference,
  TypedObjectReference,
} from './common.ts';

const ro = 'Mount the volume read-only when true.';
const fsType = 'Filesystem type to mount, e.g. ext4 or xfs.';
const localSecret = () => t.ref(() => LocalObjectReference);

// Every source lives in the embedded VolumeSource message (protobuf field 2).
const volumeSources = {
  hostPath: p(1, t.ref(() => HostPathVolumeSource), 'A file or directory on the host exposed to the pod.'),
  emptyDir: p(2, t.ref(() => EmptyDirVolumeSource), 'A temporary directory that shares the pod lifetime.'),
  gcePersistentDisk: p(3, t.ref(() => GCEPersistentDiskVolumeSource), 'Deprecated: a GCE persistent disk.'),
  awsElasticBlockStore: p(4, t.ref(() => AWSElasticBlockStoreVolumeSource), 'Deprecated: an AWS EBS disk.'),
  gitRepo: p(5, t.ref(() => GitRepoVolumeSource), 'Deprecated: a git repository checked out at a revision.'),
  secret: p(6, t.ref(() => SecretVolumeSource), 'A Secret whose keys populate the volume.'),
  nfs: p(7, t.ref(() => NFSVolumeSource), 'An NFS export.'),
  iscsi: p(8, t.ref(() => ISCSIVolumeSource), 'An iSCSI disk.'),
  glusterfs: p(9, t.ref(() => GlusterfsVolumeSource), 'Deprecated: a Glusterfs mount.'),
  persistentVolumeClaim: p(10, t.ref(() => PersistentVolumeClaimVolumeSource), 'A PersistentVolumeClaim in the pod namespace.'),
  rbd: p(11, t.ref(() => RBDVolumeSource), 'Deprecated: a Rados Block Device.'),
  flexVolume: p(12, t.ref(() => FlexVolumeSource), 'Deprecated: a volume provisioned by an exec-based plugin.'),
  cinder: p(13, t.ref(() => CinderVolumeSource), 'Deprecated: an OpenStack Cinder volume.'),
  cephfs: p(14, t.ref(() => CephFSVolumeSource), 'Deprecated: a CephFS mount.'),
  flocker: p(15, t.ref(() => FlockerVolumeSource), 'Deprecated: a Flocker dataset.'),
  downwardAPI: p(16, t.ref(() => DownwardAPIVolumeSource), 'Pod information exposed as files.'),
  fc: p(17, t.ref(() => FCVolumeSource), 'A Fibre Channel disk.'),
  azureFile: p(18, t.ref(() => AzureFileVolumeSource), 'Deprecated: an Azure File share.'),
  configMap: p(19, t.ref(() => ConfigMapVolumeSource), 'A ConfigMap whose keys populate the volume.'),
  vsphereVolume: p(20, t.ref(() => VsphereVirtualDiskVolumeSource), 'Deprecated: a vSphere virtual disk.'),
  quobyte: p(21, t.ref(() => QuobyteVolumeSource), 'Deprecated: a Quobyte mount.'),
  azureDisk: p(22, t.ref(() => AzureDiskVolumeSource), 'Deprecated: an Azure data disk.'),
  photonPersistentDisk: p(23, t.ref(() => PhotonPersistentDiskVolumeSource), 'Deprecated: a Photon Controller persistent disk.'),
  projected: p(26, t.ref(() => ProjectedVolumeSource), 'Several sources (secrets, config maps, downward API, tokens) projected into one directory.'),
  portworxVolume: p(24, t.ref(() => PortworxVolumeSource), 'Deprecated: a Portworx volume.'),
  scaleIO: p(25, t.ref(() => ScaleIOVolumeSource), 'Deprecated: a ScaleIO volume.'),
  storageos: p(27, t.ref(() => StorageOSVolumeSource), 'Deprecated: a StorageOS volume.'),
  csi: p(28, t.ref(() => CSIVolumeSource), 'An ephemeral volume handled by a CSI driver.'),
  ephemeral: p(29, t.ref(() => EphemeralVolumeSource), 'A volume provisioned from a claim template for the lifetime of the pod.'),
  image: p(30, t.ref(() => ImageVolumeSource), 'An OCI image or artifact mounted read-only.'),
};

export const Volume = model(
  `${CORE}Volume`,
  'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
  {
    name: p(1, t.string(), 'Name of the volume, a DNS label unique within the pod.', { required: true }),
    ...volumeSources,
  },
  { protoEmbedded: [{ field: 2, name: 'volumeSource', properties: Object.keys(volumeSources) }] },
);

export const HostPathVolumeSource = model(`${CORE}HostPathVolumeSource`, 'Represents a host path mapped into a pod.', {
  path: p(1, t.string(), 'Path of the directory or file on the host.', { required: true }),
  type: p(2, t.string(), 'Expected type of the path, e.g. Directory, DirectoryOrCreate, File, Socket.'),
});

export const EmptyDirVolumeSource = model(`${CORE}EmptyDirVolumeSource`, 'Represents an empty directory for a pod.', {
  medium: p(1, t.string(), 'Storage medium backing the directory: empty for the node default, or Memory.'),
  sizeLimit: p(2, t.quantity(), 'Maximum amount of local storage the directory may use.'),
});

export const GCEPersistentDiskVolumeSource = model(`${CORE}GCEPersistentDiskVolumeSource`, 'Represents a Persistent Disk resource in Google Compute Engine.', {
  pdName: p(1, t.string(), 'Name of the persistent disk in GCE.', { required: true }),
  fsType: p(2, t.string(), fsType),
  partition: p(3, t.int32(), 'Partition of the disk to mount.', { omitZero: true }),
  readOnly: p(4, t.bool(), ro, { omitZero: true }),
});

export const AWSElasticBlockStoreVolumeSource = model(`${CORE}AWSElasticBlockStoreVolumeSource`, 'Represents a Persistent Disk resource in AWS.', {
  volumeID: p(1, t.string(), 'ID of the EBS volume.', { required: true }),
  fsType: p(2, t.string(), fsType),
  partition: p(3, t.int32(), 'Partition of the volume to mount.', { omitZero: true }),
  readOnly: p(4, t.bool(), ro, { omitZero: true }),
});

export const GitRepoVolumeSource = model(`${CORE}GitRepoVolumeSource`, 'Represents a volume populated with the contents of a git repository (deprecated).', {
  repository: p(1, t.string(), 'URL of the repository.', { required: true }),
  revision: p(2, t.string(), 'Commit hash to check out.'),
  directory: p(3, t.string(), 'Target directory name inside the volume.'),
});

export const SecretVolumeSource = model(`${CORE}SecretVolumeSource`, 'Adapts a Secret into a volume.', {
  secretName: p(1, t.string(), 'Name of the Secret in the pod namespace.'),
  items: p(2, t.array(t.ref(() => KeyToPath), { listType: 'atomic' }), 'Keys to project and the paths to write them at; all keys when empty.'),
  defaultMode: p(3, t.int32(), 'Permission bits of the created files; defaults to 0644.'),
  optional: p(4, t.bool(), 'Whether the Secret or its keys may be missing.'),
});

export const NFSVolumeSource = model(`${CORE}NFSVolumeSource`, 'Represents an NFS mount that lasts the lifetime of a pod.', {
  server: p(1, t.string(), 'Host name or IP address of the NFS server.', { required: true }),
  path: p(2, t.string(), 'Path exported by the server.', { required: true }),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
});

export const ISCSIVolumeSource = model(`${CORE}ISCSIVolumeSource`, 'Represents an ISCSI disk.', {
  targetPortal: p(1, t.string(), 'iSCSI target portal, IP or ip:port.', { required: true }),
  iqn: p(2, t.string(), 'iSCSI qualified name of the target.', { required: true }),
  lun: p(3, t.int32(), 'iSCSI target LUN number.', { required: true }),
  iscsiInterface: p(4, t.string(), 'iSCSI interface name; defaults to default (tcp).'),
  fsType: p(5, t.string(), fsType),
  readOnly: p(6, t.bool(), ro, { omitZero: true }),
  portals: p(7, t.array(t.string(), { listType: 'atomic' }), 'Additional target portals.'),
  chapAuthDiscovery: p(8, t.bool(), 'Use CHAP authentication for discovery.', { omitZero: true }),
  chapAuthSession: p(11, t.bool(), 'Use CHAP authentication for the session.', { omitZero: true }),
  secretRef: p(10, localSecret(), 'Secret with the CHAP credentials.'),
  initiatorName: p(12, t.string(), 'Custom iSCSI initiator name.'),
});

export const GlusterfsVolumeSource = model(`${CORE}GlusterfsVolumeSource`, 'Represents a Glusterfs mount that lasts the lifetime of a pod.', {
  endpoints: p(1, t.string(), 'Name of the Endpoints object describing the Glusterfs topology.', { required: true }),
  path: p(2, t.string(), 'Glusterfs volume path.', { required: true }),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
});

export const PersistentVolumeClaimVolumeSource = model(
  `${CORE}PersistentVolumeClaimVolumeSource`,
  "References the user's PersistentVolumeClaim in the same namespace.",
  {
    claimName: p(1, t.string(), 'Name of the PersistentVolumeClaim.', { required: true }),
    readOnly: p(2, t.bool(), ro, { omitZero: true }),
  },
);

export const RBDVolumeSource = model(`${CORE}RBDVolumeSource`, 'Represents a Rados Block Device mount that lasts the lifetime of a pod.', {
  monitors: p(1, t.array(t.string(), { listType: 'atomic' }), 'Ceph monitors.', { required: true }),
  image: p(2, t.string(), 'Rados image name.', { required: true }),
  fsType: p(3, t.string(), fsType),
  pool: p(4, t.string(), 'Rados pool name; defaults to rbd.'),
  user: p(5, t.string(), 'Rados user name; defaults to admin.'),
  keyring: p(6, t.string(), 'Path to the keyring; defaults to /etc/ceph/keyring.'),
  secretRef: p(7, localSecret(), 'Secret with the authentication key, overriding keyring.'),
  readOnly: p(8, t.bool(), ro, { omitZero: true }),
});

export const FlexVolumeSource = model(`${CORE}FlexVolumeSource`, 'Represents a generic volume provisioned or attached by an exec-based plugin.', {
  driver: p(1, t.string(), 'Name of the driver.', { required: true }),
  fsType: p(2, t.string(), fsType),
  secretRef: p(3, localSecret(), 'Secret passed to the plugin scripts.'),
  readOnly: p(4, t.bool(), ro, { omitZero: true }),
  options: p(5, t.map(t.string()), 'Extra command options.'),
});

export const CinderVolumeSource = model(`${CORE}CinderVolumeSource`, 'Represents a cinder volume resource in OpenStack.', {
  volumeID: p(1, t.string(), 'ID of the Cinder volume.', { required: true }),
  fsType: p(2, t.string(), fsType),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
  secretRef: p(4, localSecret(), 'Secret with the OpenStack connection parameters.'),
});

export const CephFSVolumeSource = model(`${CORE}CephFSVolumeSource`, 'Represents a Ceph filesystem mount that lasts the lifetime of a pod.', {
  monitors: p(1, t.array(t.string(), { listType: 'atomic' }), 'Ceph monitors.', { required: true }),
  path: p(2, t.string(), 'Path in the Ceph tree used as the mount root; defaults to /.'),
  user: p(3, t.string(), 'Rados user name; defaults to admin.'),
  secretFile: p(4, t.string(), 'Path to the keyring of the user.'),
  secretRef: p(5, localSecret(), 'Secret with the authentication key of the user.'),
  readOnly: p(6, t.bool(), ro, { omitZero: true }),
});

export const FlockerVolumeSource = model(`${CORE}FlockerVolumeSource`, 'Represents a Flocker volume mounted by the Flocker agent.', {
  datasetName: p(1, t.string(), 'Name of the Flocker dataset (deprecated).'),
  datasetUUID: p(2, t.string(), 'UUID of the Flocker dataset.'),
});

export const DownwardAPIVolumeSource = model(`${CORE}DownwardAPIVolumeSource`, 'DownwardAPIVolumeSource represents a volume containing downward API info.', {
  items: p(1, t.array(t.ref(() => DownwardAPIVolumeFile), { listType: 'atomic' }), 'Files to create.'),
  defaultMode: p(2, t.int32(), 'Permission bits of the created files; defaults to 0644.'),
});

export const DownwardAPIVolumeFile = model(
  `${CORE}DownwardAPIVolumeFile`,
  'DownwardAPIVolumeFile represents information to create the file containing the pod field.',
  {
    path: p(1, t.string(), 'Relative path of the file to create.', { required: true }),
    fieldRef: p(2, t.ref(() => ObjectFieldSelector), 'Pod field to write: annotations, labels, name, namespace or uid.'),
    resourceFieldRef: p(3, t.ref(() => ResourceFieldSelector), 'Container resource limit or request to write.'),
    mode: p(4, t.int32(), 'Permission bits of this file; defaults to the volume defaultMode.'),
  },
);

export const FCVolumeSource = model(`${CORE}FCVolumeSource`, 'Represents a Fibre Channel volume.', {
  targetWWNs: p(1, t.array(t.string(), { listType: 'atomic' }), 'Target world wide names.'),
  lun: p(2, t.int32(), 'Target LUN number.'),
  fsType: p(3, t.string(), fsType),
  readOnly: p(4, t.bool(), ro, { omitZero: true }),
  wwids: p(5, t.array(t.string(), { listType: 'atomic' }), 'Volume world wide identifiers, instead of targetWWNs and lun.'),
});

export const AzureFileVolumeSource = model(`${CORE}AzureFileVolumeSource`, 'AzureFile represents an Azure File Service mount on the host.', {
  secretName: p(1, t.string(), 'Secret with the storage account name and key.', { required: true }),
  shareName: p(2, t.string(), 'Name of the Azure share.', { required: true }),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
});

// name is an embedded LocalObjectReference (protobuf field 1).
export const ConfigMapVolumeSource = model(`${CORE}ConfigMapVolumeSource`, 'Adapts a ConfigMap into a volume.', {
  name: p(1, t.string(), 'Name of the ConfigMap.'),
  items: p(2, t.array(t.ref(() => KeyToPath), { listType: 'atomic' }), 'Keys to project and the paths to write them at; all keys when empty.'),
  defaultMode: p(3, t.int32(), 'Permission bits of the created files; defaults to 0644.'),
  optional: p(4, t.bool(), 'Whether the ConfigMap or its keys may be missing.'),
}, EMBEDS_LOCAL_OBJECT_REFERENCE);

export const VsphereVirtualDiskVolumeSource = model(`${CORE}VsphereVirtualDiskVolumeSource`, 'Represents a vSphere volume resource.', {
  volumePath: p(1, t.string(), 'Path identifying the vSphere vmdk.', { required: true }),
  fsType: p(2, t.string(), fsType),
  storagePolicyName: p(3, t.string(), 'Storage policy based management profile name.'),
  storagePolicyID: p(4, t.string(), 'Storage policy based management profile ID.'),
});

export const QuobyteVolumeSource = model(`${CORE}QuobyteVolumeSource`, 'Represents a Quobyte mount that lasts the lifetime of a pod.', {
  registry: p(1, t.string(), 'Quobyte registry services as host:port pairs, comma separated.', { required: true }),
  volume: p(2, t.string(), 'Name of an existing Quobyte volume.', { required: true }),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
  user: p(4, t.string(), 'User volume access is mapped to.'),
  group: p(5, t.string(), 'Group volume access is mapped to.'),
  tenant: p(6, t.string(), 'Tenant owning the volume in the backend.'),
});

export const AzureDiskVolumeSource = model(`${CORE}AzureDiskVolumeSource`, 'AzureDisk represents an Azure Data Disk mount on the host.', {
  diskName: p(1, t.string(), 'Name of the data disk in blob storage.', { required: true }),
  diskURI: p(2, t.string(), 'URI of the data disk in blob storage.', { required: true }),
  cachingMode: p(3, t.string(), 'Host caching mode: None, ReadOnly or ReadWrite.'),
  fsType: p(4, t.string(), fsType),
  readOnly: p(5, t.bool(), ro),
  kind: p(6, t.string(), 'Disk kind: Shared, Dedicated or Managed.'),
});

export const PhotonPersistentDiskVolumeSource = model(`${CORE}PhotonPersistentDiskVolumeSource`, 'Represents a Photon Controller persistent disk resource.', {
  pdID: p(1, t.string(), 'ID of the Photon Controller persistent disk.', { required: true }),
  fsType: p(2, t.string(), fsType),
});

export const ProjectedVolumeSource = model(`${CORE}ProjectedVolumeSource`, 'Represents a projected volume source.', {
  sources: p(1, t.array(t.ref(() => VolumeProjection), { listType: 'atomic' }), 'Sources to project, one per entry.'),
  defaultMode: p(2, t.int32(), 'Permission bits of the created files.'),
});

export const VolumeProjection = model(`${CORE}VolumeProjection`, 'Projection that may be projected along with other supported volume types.', {
  secret: p(1, t.ref(() => SecretProjection), 'Secret data to project.'),
  downwardAPI: p(2, t.ref(() => DownwardAPIProjection), 'Downward API data to project.'),
  configMap: p(3, t.ref(() => ConfigMapProjection), 'ConfigMap data to project.'),
  serviceAccountToken: p(4, t.ref(() => ServiceAccountTokenProjection), 'Service account token to project.'),
  clusterTrustBundle: p(5, t.ref(() => ClusterTrustBundleProjection), 'ClusterTrustBundle certificates to project.'),
});

// name is an embedded LocalObjectReference (protobuf field 1).
export const SecretProjection = model(`${CORE}SecretProjection`, 'Adapts a secret into a projected volume.', {
  name: p(1, t.string(), 'Name of the Secret.'),
  items: p(2, t.array(t.ref(() => KeyToPath), { listType: 'atomic' }), 'Keys to project and the paths to write them at; all keys when empty.'),
  optional: p(4, t.bool(), 'Whether the Secret or its keys may be missing.'),
}, EMBEDS_LOCAL_OBJECT_REFERENCE);

export const DownwardAPIProjection = model(`${CORE}DownwardAPIProjection`, 'Represents downward API info for projecting into a projected volume.', {
  items: p(1, t.array(t.ref(() => DownwardAPIVolumeFile), { listType: 'atomic' }), 'Files to create.'),
});

// name is an embedded LocalObjectReference (protobuf field 1).
export const ConfigMapProjection = model(`${CORE}ConfigMapProjection`, 'Adapts a ConfigMap into a projected volume.', {
  name: p(1, t.string(), 'Name of the ConfigMap.'),
  items: p(2, t.array(t.ref(() => KeyToPath), { listType: 'atomic' }), 'Keys to project and the paths to write them at; all keys when empty.'),
  optional: p(4, t.bool(), 'Whether the ConfigMap or its keys may be missing.'),
}, EMBEDS_LOCAL_OBJECT_REFERENCE);

export const ServiceAccountTokenProjection = model(
  `${CORE}ServiceAccountTokenProjection`,
  'ServiceAccountTokenProjection represents a projected service account token volume.',
  {
    audience: p(1, t.string(), 'Intended audience of the token; defaults to the API server.'),
    expirationSeconds: p(2, t.int64(), 'Requested validity of the token in seconds; defaults to one hour.'),
    path: p(3, t.string(), 'Path of the token file relative to the mount point.', { required: true }),
  },
);

export const ClusterTrustBundleProjection = model(
  `${CORE}ClusterTrustBundleProjection`,
  'ClusterTrustBundleProjection selects ClusterTrustBundle objects and projects their contents into the pod filesystem.',
  {
    name: p(1, t.string(), 'Name of a single ClusterTrustBundle to select.'),
    signerName: p(2, t.string(), 'Select all ClusterTrustBundles of this signer.'),
    labelSelector: p(3, t.ref(() => LabelSelector), 'Label query narrowing the bundles selected by signerName.'),
    optional: p(5, t.bool(), 'Do not block pod startup if the bundles are missing.'),
    path: p(4, t.string(), 'Path of the bundle file relative to the volume root.', { required: true }),
  },
);

export const PortworxVolumeSource = model(`${CORE}PortworxVolumeSource`, 'PortworxVolumeSource represents a Portworx volume resource.', {
  volumeID: p(1, t.string(), 'ID of the Portworx volume.', { required: true }),
  fsType: p(2, t.string(), fsType),
  readOnly: p(3, t.bool(), ro, { omitZero: true }),
});

export const ScaleIOVolumeSource = model(`${CORE}ScaleIOVolumeSource`, 'ScaleIOVolumeSource represents a persistent ScaleIO volume.', {
  gateway: p(1, t.string(), 'Host address of the ScaleIO API gateway.', { required: true }),
  system: p(2, t.string(), 'Name of the ScaleIO storage system.', { required: true }),
  secretRef: p(3, localSecret(), 'Secret with the ScaleIO user credentials.', { required: true }),
  sslEnabled: p(4, t.bool(), 'Use SSL to talk to the gateway.', { omitZero: true }),
  protectionDomain: p(5, t.string(), 'ScaleIO protection domain.'),
  storagePool: p(6, t.string(), 'ScaleIO storage pool.'),
  storageMode: p(7, t.string(), 'ThickProvisioned or ThinProvisioned; defaults to ThinProvisioned.'),
  volumeName: p(8, t.string(), 'Name of an existing ScaleIO volume.'),
  fsType: p(9, t.string(), 'Filesystem type to mount; defaults to xfs.'),
  readOnly: p(10, t.bool(), ro, { omitZero: true }),
});

export const StorageOSVolumeSource = model(`${CORE}StorageOSVolumeSource`, 'Represents a StorageOS persistent volume resource.', {
  volumeName: p(1, t.string(), 'Name of the StorageOS volume.'),
  volumeNamespace: p(2, t.string(), 'StorageOS namespace of the volume; defaults to the pod namespace.'),
  fsType: p(3, t.string(), fsType),
  readOnly: p(4, t.bool(), ro, { omitZero: true }),
  secretRef: p(5, localSecret(), 'Secret with the StorageOS API credentials.'),
});

export const CSIVolumeSource = model(`${CORE}CSIVolumeSource`, 'Represents a source location of a volume to mount, managed by an external CSI driver.', {
  driver: p(1, t.string(), 'Name of the CSI driver.', { required: true }),
  readOnly: p(2, t.bool(), 'Request a read-only volume.'),
  fsType: p(3, t.string(), fsType),
  volumeAttributes: p(4, t.map(t.string()), 'Driver-specific properties passed to the driver.'),
  nodePublishSecretRef: p(5, localSecret(), 'Secret passed to the driver on NodePublishVolume.'),
});

export const EphemeralVolumeSource = model(`${CORE}EphemeralVolumeSource`, 'Represents an ephemeral volume that is handled by a normal storage driver.', {
  volumeClaimTemplate: p(1, t.ref(() => PersistentVolumeClaimTemplate), 'Template of the PVC created for, and owned by, the pod.'),
});

export const ImageVolumeSource = model(`${CORE}ImageVolumeSource`, 'ImageVolumeSource represents an OCI image or artifact mounted as a volume.', {
  reference: p(1, t.string(), 'Image or artifact reference.'),
  pullPolicy: p(2, t.string(), 'When to pull: Always, Never or IfNotPresent.'),
});

export const KeyToPath = model(`${CORE}KeyToPath`, 'Maps a string key to a path within a volume.', {
  key: p(1, t.string(), 'Key to project.', { required: true }),
  path: p(2, t.string(), 'Relative path of the file the key is written to.', { required: true }),
  mode: p(3, t.int32(), 'Permission bits of this file; defaults to the volume defaultMode.'),
});

export const PersistentVolumeClaimTemplate = model(
  `${CORE}PersistentVolumeClaimTemplate`,
  'PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource.',
  {
    metadata: p(1, t.ref(() => ObjectMeta), 'Labels and annotations copied into the created PVC.'),
    spec: p(2, t.ref(() => PersistentVolumeClaimSpec), 'Spec of the created PVC.', { required: true }),
  },
);

export const PersistentVolumeClaimSpec = model(
  `${CORE}PersistentVolumeClaimSpec`,
  'PersistentVolumeClaimSpec describes the common attributes of storage devices.',
  {
    accessModes: p(1, t.array(t.string(), { listType: 'atomic' }), 'Desired access modes, e.g. ReadWriteOnce.'),
    selector: p(4, t.ref(() => LabelSelector), 'Label query over volumes to consider for binding.'),
    resources: p(2, t.ref(() => VolumeResourceRequirements), 'Minimum resources the volume must have.'),
    volumeName: p(3, t.string(), 'Name of the PersistentVolume to bind to.'),
    storageClassName: p(5, t.string(), 'Name of the StorageClass required by the claim.'),
    volumeMode: p(6, t.string(), 'Filesystem or Block; defaults to Filesystem.'),
    dataSource: p(7, t.ref(() => TypedLocalObjectReference), 'Existing snapshot or PVC to populate the volume from.'),
    dataSourceRef: p(8, t.ref(() => TypedObjectReference), 'Object, possibly in another namespace, to populate the volume from.'),
    volumeAttributesClassName: p(9, t.string(), 'VolumeAttributesClass applied to the claim.'),
  },
);

export const VolumeResourceRequirements = model(
  `${CORE}VolumeResourceRequirements`,
  'VolumeResourceRequirements describes the storage resource requirements for a volume.',
  {
    limits: p(1, t.map(t.quantity()), 'Maximum amount of each resource allowed.'),
    requests: p(2, t.map(t.quantity()), 'Minimum amount of each resource required.'),
  },
);

export const PersistentVolumeClaim = model(
  `${CORE}PersistentVolumeClaim`,
  "PersistentVolumeClaim is a user's request for and claim to a persistent volume.",
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.'),
    spec: p(2, t.ref(() => PersistentVolumeClaimSpec), 'Desired characteristics of the volume.'),
    status: p(3, t.ref(() => PersistentVolumeClaimStatus), 'Current state of the claim.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }] },
);

export const PersistentVolumeClaimStatus = model(
  `${CORE}PersistentVolumeClaimStatus`,
  'PersistentVolumeClaimStatus is the current status of a persistent volume claim.',
  {
    phase: p(1, t.string(), 'Phase of the claim: Pending, Bound or Lost.'),
    accessModes: p(2, t.array(t.string(), { listType: 'atomic' }), 'Access modes of the bound volume.'),
    capacity: p(3, t.map(t.quantity()), 'Actual resources of the bound volume.'),
    conditions: p(
      4,
      t.array(t.ref(() => PersistentVolumeClaimCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] }),
      'Current conditions of the claim, e.g. Resizing.',
    ),
    allocatedResources: p(5, t.map(t.quantity()), 'Resources allocated to the claim, including pending expansions.'),
    allocatedResourceStatuses: p(7, t.map(t.string()), 'Resize state of each resource being resized.'),
    currentVolumeAttributesClassName: p(8, t.string(), 'VolumeAttributesClass currently applied to the claim.'),
    modifyVolumeStatus: p(9, t.ref(() => ModifyVolumeStatus), 'State of an ongoing ControllerModifyVolume operation.'),
  },
);

export const PersistentVolumeClaimCondition = model(
  `${CORE}PersistentVolumeClaimCondition`,
  'PersistentVolumeClaimCondition contains details about state of a PVC.',
  {
    type: p(1, t.string(), 'Type of the condition.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastProbeTime: p(3, t.time(), 'Last time the condition was probed.'),
    lastTransitionTime: p(4, t.time(), 'Last time the status changed.'),
    reason: p(5, t.string(), 'Machine-readable reason for the last transition.'),
    message: p(6, t.string(), 'Human-readable details about the last transition.'),
  },
);

export const ModifyVolumeStatus = model(`${CORE}ModifyVolumeStatus`, 'ModifyVolumeStatus represents the status of a ControllerModifyVolume operation.', {
  targetVolumeAttributesClassName: p(1, t.string(), 'VolumeAttributesClass being reconciled.'),
  status: p(2, t.string(), 'State of the operation: Pending, InProgress or Infeasible.', { required: true }),
});
