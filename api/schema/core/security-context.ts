// Pod- and container-level security settings.

import { model, p, t } from '../dsl.ts';
import { CORE } from './name.ts';

export const SecurityContext = model(
  `${CORE}SecurityContext`,
  'SecurityContext holds security configuration that will be applied to a container; it overrides PodSecurityContext.',
  {
    capabilities: p(1, t.ref(() => Capabilities), 'POSIX capabilities to add and drop.'),
    privileged: p(2, t.bool(), 'Run the container in privileged mode, essentially root on the host.'),
    seLinuxOptions: p(3, t.ref(() => SELinuxOptions), 'SELinux context of the container.'),
    windowsOptions: p(10, t.ref(() => WindowsSecurityContextOptions), 'Windows-specific settings.'),
    runAsUser: p(4, t.int64(), 'UID the container process runs as.'),
    runAsGroup: p(8, t.int64(), 'GID the container process runs as.'),
    runAsNonRoot: p(5, t.bool(), 'Require the container to run as a non-root user.'),
    readOnlyRootFilesystem: p(6, t.bool(), 'Mount the container root filesystem read-only.'),
    allowPrivilegeEscalation: p(7, t.bool(), 'Whether a process can gain more privileges than its parent (no_new_privs).'),
    procMount: p(9, t.string(), 'Type of /proc mount: Default or Unmasked.'),
    seccompProfile: p(11, t.ref(() => SeccompProfile), 'Seccomp profile of the container, overriding the pod one.'),
    appArmorProfile: p(12, t.ref(() => AppArmorProfile), 'AppArmor profile of the container, overriding the pod one.'),
  },
);

export const PodSecurityContext = model(
  `${CORE}PodSecurityContext`,
  'PodSecurityContext holds pod-level security attributes and common container settings.',
  {
    seLinuxOptions: p(1, t.ref(() => SELinuxOptions), 'SELinux context applied to all containers.'),
    windowsOptions: p(8, t.ref(() => WindowsSecurityContextOptions), 'Windows-specific settings applied to all containers.'),
    runAsUser: p(2, t.int64(), 'UID container processes run as.'),
    runAsGroup: p(6, t.int64(), 'GID container processes run as.'),
    runAsNonRoot: p(3, t.bool(), 'Require containers to run as a non-root user.'),
    supplementalGroups: p(4, t.array(t.int64(), { listType: 'atomic' }), 'Extra groups for the first process of each container.'),
    supplementalGroupsPolicy: p(12, t.string(), 'How supplemental groups are computed: Merge or Strict.'),
    fsGroup: p(5, t.int64(), 'Group that owns supported volumes and is added to every container.'),
    sysctls: p(7, t.array(t.ref(() => Sysctl), { listType: 'atomic' }), 'Namespaced sysctls set for the pod.'),
    fsGroupChangePolicy: p(9, t.string(), 'When volume ownership is changed: OnRootMismatch or Always.'),
    seccompProfile: p(10, t.ref(() => SeccompProfile), 'Seccomp profile of the containers.'),
    appArmorProfile: p(11, t.ref(() => AppArmorProfile), 'AppArmor profile of the containers.'),
    seLinuxChangePolicy: p(13, t.string(), 'How the SELinux label is applied to volumes: MountOption or Recursive.'),
  },
);

export const Capabilities = model(`${CORE}Capabilities`, 'Adds and removes POSIX capabilities from running containers.', {
  add: p(1, t.array(t.string(), { listType: 'atomic' }), 'Capabilities to add.'),
  drop: p(2, t.array(t.string(), { listType: 'atomic' }), 'Capabilities to drop.'),
});

export const SELinuxOptions = model(`${CORE}SELinuxOptions`, 'SELinuxOptions are the labels to be applied to the container.', {
  user: p(1, t.string(), 'SELinux user label.'),
  role: p(2, t.string(), 'SELinux role label.'),
  type: p(3, t.string(), 'SELinux type label.'),
  level: p(4, t.string(), 'SELinux level label.'),
});

export const SeccompProfile = model(`${CORE}SeccompProfile`, "SeccompProfile defines a pod or container's seccomp profile settings.", {
  type: p(1, t.string(), 'Kind of profile: Localhost, RuntimeDefault or Unconfined.', { required: true }),
  localhostProfile: p(2, t.string(), 'Path of a profile on the node, relative to the kubelet seccomp directory; only for Localhost.'),
});

export const AppArmorProfile = model(`${CORE}AppArmorProfile`, "AppArmorProfile defines a pod or container's AppArmor settings.", {
  type: p(1, t.string(), 'Kind of profile: Localhost, RuntimeDefault or Unconfined.', { required: true }),
  localhostProfile: p(2, t.string(), 'Name of a profile loaded on the node; only for Localhost.'),
});

export const WindowsSecurityContextOptions = model(
  `${CORE}WindowsSecurityContextOptions`,
  'WindowsSecurityContextOptions contain Windows-specific options and credentials.',
  {
    gmsaCredentialSpecName: p(1, t.string(), 'Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: p(2, t.string(), 'Contents of the GMSA credential spec, inlined by the GMSA webhook.'),
    runAsUserName: p(3, t.string(), 'Windows user name the entrypoint runs as.'),
    hostProcess: p(4, t.bool(), 'Run the container as a Windows HostProcess container.'),
  },
);

export const Sysctl = model(`${CORE}Sysctl`, 'Sysctl defines a kernel parameter to be set.', {
  name: p(1, t.string(), 'Name of the sysctl.', { required: true }),
  value: p(2, t.string(), 'Value to set.', { required: true }),
});
