// Defaults of discovery.k8s.io/v1 EndpointSlice ports (SetDefaults_EndpointPort).

import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}
