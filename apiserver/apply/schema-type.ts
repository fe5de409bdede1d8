// What structured-merge-diff needs to know about a value's type, read from the
// schema DSL: whether it is a scalar, a struct or map (granular or atomic), or
// a list (atomic, a set, or a map keyed by some of its items' fields).
//
// The DSL carries listType/listMapKeys for every list. Two facts it does not
// carry are kept here: the structs Kubernetes marks `+structType=atomic` and
// the maps marked `+mapType=atomic`, which are owned and replaced as a whole;
// and the default of a list map key (a container port without `protocol` is
// keyed as protocol "TCP").
//
// Without a schema (a field the model does not declare) the type is deduced
// from the value, as upstream does: maps are granular, lists atomic.

import type { Model, Type } from '../../api/schema/dsl.ts';
import { keyElement, pathString, serializeElement } from './path-element.ts';
import type { Path, PathElement } from './path-element.ts';

/** A type in context: the DSL type (undefined: deduce from the value), and whether the field is an atomic map. */
export interface TypeRef {
  readonly type?: Type;
  readonly atomicMap?: boolean;
}

export type Atom =
  | { kind: 'scalar' }
  | {
      kind: 'map';
      atomic: boolean;
      /** The type of a field (struct) or of every value (map). */
      field(name: string): TypeRef;
      /** Whether name is a declared field of a struct (false for every key of a map). */
      declared(name: string): boolean;
    }
  | { kind: 'list'; relation: 'atomic' | 'set' | 'map'; keys: readonly string[]; items: TypeRef };

const CORE = 'io.k8s.api.core.v1.';

/** Structs marked +structType=atomic upstream. */
const ATOMIC_STRUCTS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  `${CORE}ObjectReference`,
  `${CORE}LocalObjectReference`,
  `${CORE}TypedLocalObjectReference`,
  `${CORE}SecretReference`,
  `${CORE}ObjectFieldSelector`,
  `${CORE}ResourceFieldSelector`,
  `${CORE}ConfigMapKeySelector`,
  `${CORE}SecretKeySelector`,
  `${CORE}NodeSelector`,
  `${CORE}NodeSelectorTerm`,
  `${CORE}EndpointAddress`,
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference',
  'io.k8s.api.autoscaling.v2.CrossVersionObjectReference',
]);

/** Map-valued fields marked +mapType=atomic upstream, as "<model>.<field>". */
const ATOMIC_MAP_FIELDS = new Set([`${CORE}PodSpec.nodeSelector`, `${CORE}ServiceSpec.selector`]);

/** Defaults of list map keys (+default on the key field upstream). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

export const DEDUCED: TypeRef = {};

export function modelRef(model: Model | undefined): TypeRef {
  return model ? { type: { kind: 'ref', model: () => model } } : DEDUCED;
}

const SCALAR: Atom = { kind: 'scalar' };
const DEDUCED_MAP: Atom = { kind: 'map', atomic: false, field: () => DEDUCED, declared: () => false };
const DEDUCED_LIST: Atom = { kind: 'list', relation: 'atomic', keys: [], items: DEDUCED };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The atom of a type; value (any non-undefined side) only matters for deduced types. */
export function resolve(ref: TypeRef, value: unknown): Atom {
  const type = ref.type;
  if (!type) return Array.isArray(value) ? DEDUCED_LIST : isPlainObject(value) || value === undefined ? DEDUCED_MAP : SCALAR;
  switch (type.kind) {
    case 'ref':
      return structAtom(type.model());
    case 'map': {
      let atoms = MAP_ATOMS.get(type);
      if (!atoms) {
        const values: TypeRef = { type: type.values };
        const atom = (atomic: boolean): Atom => ({ kind: 'map', atomic, field: () => values, declared: () => false });
        MAP_ATOMS.set(type, (atoms = [atom(false), atom(true)]));
      }
      return atoms[ref.atomicMap ? 1 : 0];
    }
    case 'array': {
      let atom = LIST_ATOMS.get(type);
      if (!atom) {
        const items: TypeRef = { type: type.items };
        const relation = listRelation(type);
        LIST_ATOMS.set(type, (atom = { kind: 'list', relation, keys: relation === 'map' ? (type.listMapKeys ?? [type.patchMergeKey!]) : [], items }));
      }
      return atom;
    }
    default:
      // Scalars, and `any` (raw JSON), which Kubernetes treats as an atomic value.
      return SCALAR;
  }
}

// Atoms depend only on the schema's (immutable) types, so each is made once.
const STRUCT_ATOMS = new WeakMap<Model, Atom>();
const MAP_ATOMS = new WeakMap<Type, [Atom, Atom]>();
const LIST_ATOMS = new WeakMap<Type, Atom>();

function structAtom(model: Model): Atom {
  let atom = STRUCT_ATOMS.get(model);
  if (atom) return atom;
  const props = model.properties;
  const fields = new Map<string, TypeRef>();
  atom = {
    kind: 'map',
    atomic: ATOMIC_STRUCTS.has(model.name),
    field: (name) => {
      if (!Object.hasOwn(props, name)) return DEDUCED;
      let ref = fields.get(name);
      if (!ref) fields.set(name, (ref = { type: props[name]!.type, atomicMap: ATOMIC_MAP_FIELDS.has(`${model.name}.${name}`) }));
      return ref;
    },
    declared: (name) => Object.hasOwn(props, name),
  };
  STRUCT_ATOMS.set(model, atom);
  return atom;
}

/** listType, or for a list without one what upstream infers from its patch strategy. */
function listRelation(type: Extract<Type, { kind: 'array' }>): 'atomic' | 'set' | 'map' {
  if (type.listType) return type.listType === 'map' && !type.listMapKeys?.length ? 'atomic' : type.listType;
  if (!type.patchStrategy?.split(',').includes('merge')) return 'atomic';
  return type.patchMergeKey ? 'map' : 'set';
}

/** A value that cannot be placed in its typed list (a map item without its key, a set item that is not a scalar). */
export class TypedValueError extends Error {}

/** The path element naming item i of a list (upstream's listItemToPathElement). */
export function itemElement(atom: Extract<Atom, { kind: 'list' }>, item: unknown, index: number): PathElement {
  if (atom.relation === 'atomic') return { index };
  if (atom.relation === 'set') {
    if (item === null || typeof item === 'object') throw new TypedValueError(`element ${index}: associative list without keys has an element that is not a scalar`);
    return { value: item };
  }
  if (!isPlainObject(item)) throw new TypedValueError(`element ${index}: associative list with keys may not have non-map elements`);
  return keyElement(
    atom.keys.map((name) => {
      const value = Object.hasOwn(item, name) && item[name] !== undefined ? item[name] : KEY_DEFAULTS[name];
      if (value === undefined) {
        throw new TypedValueError(`element ${index}: associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`);
      }
      return { name, value };
    }),
  );
}

export interface IndexedItem {
  pe: PathElement;
  item: unknown;
}

/**
 * The path elements of a list's items, in order, and the first item for each
 * (by serialized element). Duplicates are kept in `order` only when allowed
 * (a live object may hold them; an applied configuration may not).
 */
export function indexItems(
  atom: Extract<Atom, { kind: 'list' }>,
  list: readonly unknown[],
  path: Path,
  allowDuplicates: boolean,
): { order: IndexedItem[]; byKey: Map<string, IndexedItem> } {
  const order: IndexedItem[] = [];
  const byKey = new Map<string, IndexedItem>();
  list.forEach((item, i) => {
    let pe: PathElement;
    try {
      pe = itemElement(atom, item, i);
    } catch (e) {
      throw e instanceof TypedValueError ? new TypedValueError(`${pathString(path)}: ${e.message}`) : e;
    }
    const key = serializeElement(pe);
    if (byKey.has(key)) {
      if (!allowDuplicates) throw new TypedValueError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      order.push({ pe, item });
      return;
    }
    const entry = { pe, item };
    byKey.set(key, entry);
    order.push(entry);
  });
  return { order, byKey };
}
