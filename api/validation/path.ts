// Field paths in the notation of k8s.io/apimachinery/pkg/util/validation/field:
// children joined by dots, list indices and map keys in brackets
// (spec.template.spec.containers[0].resources.limits[cpu]).

export function child(base: string, ...names: string[]): string {
  let out = base;
  for (const name of names) out = out ? `${out}.${name}` : name;
  return out;
}

export function index(base: string, i: number): string {
  return `${base}[${i}]`;
}

export function key(base: string, k: string): string {
  return `${base}[${k}]`;
}
