// `kubectl get ingresses` and `kubectl get ingressclasses`.

import type { Ingress, IngressClass, IngressRule } from 'kubernetes-types/networking/v1.js';
import { AGE, column, NAME } from './columns.ts';
import { since } from './duration.ts';
import { loadBalancerAddresses } from './services.ts';
import type { Printer } from './types.ts';

/**
 * Up to three rule hosts ("*" when no rule has one). When a rule follows the
 * third host, " + N more..." where N counts the rules beyond three, as upstream does.
 */
function formatHosts(rules: readonly IngressRule[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

export const ingresses: Printer = {
  columns: [
    NAME,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ],
  print: (ing: Ingress, now) => ({
    cells: [
      ing.metadata?.name ?? '',
      ing.spec?.ingressClassName ?? '<none>',
      formatHosts(ing.spec?.rules ?? []),
      loadBalancerAddresses(ing.status?.loadBalancer).join(','),
      ing.spec?.tls?.length ? '80, 443' : '80',
      since(ing.metadata?.creationTimestamp, now),
    ],
  }),
};

/** "Kind.apiGroup/name" of the parameters reference, "<none>" without one. */
function parameters(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}`;
}

export const ingressclasses: Printer = {
  columns: [
    NAME,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE,
  ],
  print: (ic: IngressClass, now) => ({
    cells: [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters(ic), since(ic.metadata?.creationTimestamp, now)],
  }),
};
