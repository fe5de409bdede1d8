// Defaults of networking.k8s.io/v1 (SetDefaults_IngressClass). Ingress has
// none: pathType in particular must be given.

import type { IngressClass } from 'kubernetes-types/networking/v1.js';

export function defaultIngressClass(ic: IngressClass): void {
  const params = ic.spec?.parameters;
  if (params) params.scope ??= 'Cluster';
}
