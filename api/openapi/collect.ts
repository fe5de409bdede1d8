// Every named schema reachable from a set of root models.

import type { Model, Type } from '../schema/dsl.ts';
import { scalarName } from './scalars.ts';

export interface Reachable {
  models: Map<string, Model>;
  scalars: Set<string>;
  /** Names used by two different models (a modelling mistake: one of them is published). */
  conflicts: string[];
}

export function collect(roots: Iterable<Model>): Reachable {
  const out: Reachable = { models: new Map(), scalars: new Set(), conflicts: [] };
  const visitType = (type: Type): void => {
    const scalar = scalarName(type);
    if (scalar) out.scalars.add(scalar);
    else if (type.kind === 'array') visitType(type.items);
    else if (type.kind === 'map') visitType(type.values);
    else if (type.kind === 'ref') visitModel(type.model());
  };
  const visitModel = (m: Model): void => {
    const seen = out.models.get(m.name);
    if (seen) {
      if (seen !== m && !out.conflicts.includes(m.name)) out.conflicts.push(m.name);
      return;
    }
    out.models.set(m.name, m);
    for (const prop of Object.values(m.properties)) visitType(prop.type);
  };
  for (const m of roots) visitModel(m);
  return out;
}
