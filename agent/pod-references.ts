// Which ConfigMaps and Secrets a pod reads: env (configMapKeyRef,
// secretKeyRef), envFrom, and volumes (configMap, secret, and projected
// sources), over init, sidecar and app containers. A change to one of them
// resyncs only the pods that use it, as the kubelet's configmap and secret
// managers do; resyncing every pod of the namespace on any change turns a
// namespace with many ConfigMaps into a storm of syncs.

import type { KObject } from '../client/types.ts';

type Kind = 'ConfigMap' | 'Secret';

interface Named {
  name?: string;
}

interface PodSpecRefs {
  containers?: ContainerRefs[];
  initContainers?: ContainerRefs[];
  ephemeralContainers?: ContainerRefs[];
  imagePullSecrets?: Named[];
  volumes?: {
    configMap?: Named;
    secret?: { secretName?: string };
    projected?: { sources?: { configMap?: Named; secret?: Named }[] };
  }[];
}

interface ContainerRefs {
  env?: { valueFrom?: { configMapKeyRef?: Named; secretKeyRef?: Named } }[];
  envFrom?: { configMapRef?: Named; secretRef?: Named }[];
}

/** The names of the ConfigMaps and Secrets the pod reads, as "ConfigMap/name" and "Secret/name". */
export function podReferences(pod: KObject): Set<string> {
  const out = new Set<string>();
  const add = (kind: Kind, ref: Named | undefined) => {
    if (ref?.name) out.add(`${kind}/${ref.name}`);
  };
  const spec = (pod.spec ?? {}) as PodSpecRefs;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef);
      add('Secret', e.valueFrom?.secretKeyRef);
    }
    for (const e of c.envFrom ?? []) {
      add('ConfigMap', e.configMapRef);
      add('Secret', e.secretRef);
    }
  }
  for (const v of spec.volumes ?? []) {
    add('ConfigMap', v.configMap);
    add('Secret', v.secret && { name: v.secret.secretName });
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap);
      add('Secret', s.secret);
    }
  }
  return out;
}
