// The Service environment variables the kubelet gives every container
// (getServiceEnvVarMap and envvars.FromServices): for each Service with a
// cluster IP in the pod's namespace (unless enableServiceLinks is false) and
// for default/kubernetes (always), NAME_SERVICE_HOST, NAME_SERVICE_PORT
// (first port), NAME_SERVICE_PORT_<PORTNAME> per named port, and the Docker
// link variables NAME_PORT and NAME_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR].
// NAME is the Service name upper-cased with '-' as '_'. Only Services that
// exist when the container starts are seen, as in Kubernetes.

import type { KObject } from '../../client/types.ts';

type Obj = Record<string, any>;

const MASTER_SERVICES = new Set(['kubernetes']);

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function fromService(svc: KObject, out: [string, string][]): void {
  const spec = ((svc as Obj).spec ?? {}) as Obj;
  const ip: string = spec.clusterIP;
  const ports = (spec.ports ?? []) as Obj[];
  const prefix = envName(svc.metadata.name!);
  out.push([`${prefix}_SERVICE_HOST`, ip]);
  if (ports.length === 0) return;
  out.push([`${prefix}_SERVICE_PORT`, String(ports[0]!.port)]);
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto: string = p.protocol || 'TCP';
    const url = `${proto.toLowerCase()}://${hostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([pp, url], [`${pp}_PROTO`, proto.toLowerCase()], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
  });
}

/** The variables, in Service name order, for a pod of `namespace`. */
export function serviceEnvVars(services: KObject[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, KObject>();
  for (const svc of services) {
    const ip = ((svc as Obj).spec ?? {}).clusterIP;
    if (!ip || ip === 'None') continue;
    const name = svc.metadata.name!;
    // A Service of the pod's own namespace wins over the master Service of the same name.
    if (svc.metadata.namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const out: [string, string][] = [];
  for (const name of [...chosen.keys()].sort()) fromService(chosen.get(name)!, out);
  return new Map(out);
}
