// Pod specs, pod templates and Pods (pkg/apis/core/validation): ValidatePodSpec,
// ValidatePodTemplateSpec, ValidatePodCreate and ValidatePodUpdate.

import type { Pod, PodSecurityContext, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, forbidden, invalid, notSupported, required } from '../field-error.ts';
import { validateContainers, validateInitContainers } from './container.ts';
import { semanticEqual } from './equality.ts';
import { isValidGroupId, isValidUserId } from './formats.ts';
import { validateLabels } from './labels.ts';
import { inclusiveRangeError } from './messages.ts';
import { isDns1123Label, isQualifiedName, nameIsDnsSubdomain } from './names.ts';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';
import { validateAffinity, validateDnsConfig, validateHostAliases, validateTolerations, validateTopologySpreadConstraints } from './scheduling.ts';
import { validateVolumes } from './volumes.ts';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;

export interface PodSpecOptions {
  /** The spec is a Pod's own (not a template's): stricter host-network port checks. */
  resourceIsPod: boolean;
  /**
   * False when the owner (Job, CronJob) reports a missing restartPolicy itself,
   * with its own list of allowed values.
   */
  restartPolicyRequired: boolean;
}

function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) errs.push(...isValidUserId(sc.runAsUser).map((msg) => invalid(child(path, 'runAsUser'), sc.runAsUser, msg)));
  if (sc.runAsGroup !== undefined) errs.push(...isValidGroupId(sc.runAsGroup).map((msg) => invalid(child(path, 'runAsGroup'), sc.runAsGroup, msg)));
  if (sc.fsGroup !== undefined) errs.push(...isValidGroupId(sc.fsGroup).map((msg) => invalid(child(path, 'fsGroup'), sc.fsGroup, msg)));
  (sc.supplementalGroups ?? []).forEach((g, i) =>
    errs.push(...isValidGroupId(g).map((msg) => invalid(index(child(path, 'supplementalGroups'), i), g, msg))),
  );
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== 'OnRootMismatch' && sc.fsGroupChangePolicy !== 'Always') {
    errs.push(notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  return errs;
}

function validateHostNetworkPorts(spec: PodSpec, path: string, isPod: boolean): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  (spec.containers ?? []).forEach((ctr, i) => {
    (ctr.ports ?? []).forEach((port, j) => {
      const hp = port.hostPort ?? 0;
      if ((isPod || hp !== 0) && hp !== port.containerPort) {
        errs.push(invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: string, opts: PodSpecOptions): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined) errs.push(required(child(path, 'terminationGracePeriodSeconds')));
  const grace = s.terminationGracePeriodSeconds;
  const vols = validateVolumes(s.volumes, child(path, 'volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainers(s.containers, vols.names, grace, child(path, 'containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols.names, grace, child(path, 'initContainers')));
  errs.push(...validateHostNetworkPorts(s, path, opts.resourceIsPod));
  if (!s.restartPolicy) {
    if (opts.restartPolicyRequired) errs.push(required(child(path, 'restartPolicy')));
  } else if (!RESTART_POLICIES.includes(s.restartPolicy)) {
    errs.push(notSupported(child(path, 'restartPolicy'), s.restartPolicy, RESTART_POLICIES));
  }
  if (!s.dnsPolicy) errs.push(required(child(path, 'dnsPolicy')));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) errs.push(notSupported(child(path, 'dnsPolicy'), s.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(s.securityContext, child(path, 'securityContext')));
  (s.imagePullSecrets ?? []).forEach((ref, i) => {
    if (Object.keys(ref).some((k) => k !== 'name')) errs.push(invalid(index(child(path, 'imagePullSecrets'), i), ref, 'only name may be set'));
  });
  errs.push(...validateAffinity(s.affinity, child(path, 'affinity')));
  errs.push(...validateDnsConfig(s.dnsConfig, s.dnsPolicy, child(path, 'dnsConfig')));
  (s.readinessGates ?? []).forEach((g, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    errs.push(...isQualifiedName(g.conditionType).map((msg) => invalid(p, g.conditionType, msg)));
  });
  const gates = new Set<string>();
  (s.schedulingGates ?? []).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...isQualifiedName(g.name).map((msg) => invalid(p, g.name, msg)));
    if (gates.has(g.name)) errs.push(duplicate(p, g.name));
    gates.add(g.name);
  });
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, child(path, 'topologySpreadConstraints')));
  for (const [field, value] of [
    ['serviceAccountName', s.serviceAccountName],
    ['nodeName', s.nodeName],
    ['priorityClassName', s.priorityClassName],
    ['runtimeClassName', s.runtimeClassName],
  ] as const) {
    if (value) errs.push(...nameIsDnsSubdomain(value, false).map((msg) => invalid(child(path, field), value, msg)));
  }
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(invalid(child(path, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = s[field];
    if (value) errs.push(...isDns1123Label(value).map((msg) => invalid(child(path, field), value, msg)));
  }
  errs.push(...validateTolerations(s.tolerations, child(path, 'tolerations')));
  errs.push(...validateHostAliases(s.hostAliases, child(path, 'hostAliases')));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== 'PreemptLowerPriority' && s.preemptionPolicy !== 'Never') {
    errs.push(notSupported(child(path, 'preemptionPolicy'), s.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  if (s.os) {
    if (!s.os.name) errs.push(required(child(path, 'os', 'name'), 'cannot be empty'));
    else if (s.os.name !== 'linux' && s.os.name !== 'windows') errs.push(notSupported(child(path, 'os'), s.os.name, ['linux', 'windows']));
  }
  return errs;
}

export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string, opts: Omit<PodSpecOptions, 'resourceIsPod'>): FieldError[] {
  const t = template ?? {};
  const errs = [
    ...validateLabels(t.metadata?.labels, child(path, 'labels')),
    ...validateAnnotations(t.metadata?.annotations, child(path, 'annotations')),
    ...validatePodSpec(t.spec, child(path, 'spec'), { ...opts, resourceIsPod: false }),
  ];
  if ((t.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  errs.push(...validatePodSpec(pod.spec, 'spec', { resourceIsPod: true, restartPolicyRequired: true }));
  if (!pod.spec?.serviceAccountName) {
    (pod.spec?.volumes ?? []).forEach((vol, vi) => {
      (vol.projected?.sources ?? []).forEach((src, si) => {
        if (src.serviceAccountToken) {
          const p = child(index(child(index('spec.volumes', vi), 'projected', 'sources'), si), 'serviceAccountToken');
          errs.push(forbidden(p, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const field of ['containers', 'initContainers'] as const) {
    (pod.spec?.[field] ?? []).forEach((ctr, i) => {
      if (ctr.image && ctr.image !== ctr.image.trim()) {
        errs.push(invalid(child(index(`spec.${field}`, i), 'image'), ctr.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

export function validatePodCreate(pod: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  if ((pod.spec?.ephemeralContainers ?? []).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (pod.spec?.nodeName && (pod.spec.schedulingGates ?? []).length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/**
 * A Pod's spec is fixed once created, except for container images, a shorter
 * activeDeadlineSeconds, added tolerations, removed scheduling gates and, unlike
 * upstream (whose binding subresource bypasses this check), an unset nodeName
 * being set.
 */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodMetadataAndSpec(pod)];
  const spec = pod.spec ?? { containers: [] };
  const oldSpec = old.spec ?? { containers: [] };
  if ((spec.containers ?? []).length !== (oldSpec.containers ?? []).length) {
    return [...errs, forbidden('spec.containers', 'pod updates may not add or remove containers')];
  }
  if ((spec.initContainers ?? []).length !== (oldSpec.initContainers ?? []).length) {
    return [...errs, forbidden('spec.initContainers', 'pod updates may not add or remove containers')];
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds < ads) {
      return [...errs, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  for (const t of oldSpec.tolerations ?? []) {
    const kept = (spec.tolerations ?? []).some((n) => semanticEqual({ ...t, tolerationSeconds: n.tolerationSeconds }, n));
    if (!kept) {
      errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  const oldGates = new Set((oldSpec.schedulingGates ?? []).map((g) => g.name));
  (spec.schedulingGates ?? []).forEach((g, i) => {
    if (!oldGates.has(g.name)) errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  });
  const munged: PodSpec = {
    ...spec,
    containers: spec.containers.map((c, i) => ({ ...c, image: oldSpec.containers[i].image })),
    initContainers: spec.initContainers?.map((c, i) => ({ ...c, image: oldSpec.initContainers?.[i]?.image })) as PodSpec['initContainers'],
    activeDeadlineSeconds: oldSpec.activeDeadlineSeconds,
    tolerations: oldSpec.tolerations,
    schedulingGates: oldSpec.schedulingGates,
    // Binding a pod sets nodeName once; Skiff's binding goes through this update path.
    nodeName: oldSpec.nodeName ? spec.nodeName : oldSpec.nodeName,
  };
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}`));
  }
  return errs;
}
