// The schema language of Skiff's object model.
//
// Every kind is described once, here, as a tree of models. That one description
// drives everything that needs to know an object's shape:
//   - structural validation (types, unknown fields for fieldValidation=Strict),
//   - the OpenAPI v2 and v3 documents (kubectl apply, explain),
//   - strategic merge patch (patch strategy and merge key of each list),
//   - Kubernetes protobuf decoding (the field number of each property).
//
// Field numbers and patch metadata are facts of the Kubernetes API: they must
// match upstream's generated.proto and the `patchStrategy`/`patchMergeKey`
// struct tags, or real clients will not interoperate.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export type Type =
  | { kind: 'string'; format?: 'date-time' | 'byte'; enum?: readonly string[] }
  | { kind: 'integer'; format: 'int32' | 'int64' }
  | { kind: 'number'; format: 'double' }
  | { kind: 'boolean' }
  | {
      kind: 'array';
      items: Type;
      /** x-kubernetes-patch-strategy */
      patchStrategy?: PatchStrategy;
      /** x-kubernetes-patch-merge-key */
      patchMergeKey?: string;
      /** x-kubernetes-list-type */
      listType?: 'atomic' | 'map' | 'set';
      /** x-kubernetes-list-map-keys */
      listMapKeys?: readonly string[];
    }
  | { kind: 'map'; values: Type }
  | { kind: 'ref'; model: () => Model }
  /** resource.Quantity: a string ("100m", "1Gi") or a number in JSON. */
  | { kind: 'quantity' }
  /** intstr.IntOrString */
  | { kind: 'int-or-string' }
  /** metav1.Time / MicroTime: RFC 3339 string in JSON. */
  | { kind: 'time'; micro?: boolean }
  /** []byte: base64 string in JSON. */
  | { kind: 'bytes' }
  /** runtime.RawExtension / arbitrary JSON. */
  | { kind: 'any' };

export interface Prop {
  type: Type;
  description: string;
  /** Field number in Kubernetes' protobuf encoding (generated.proto). */
  proto?: number;
  required?: boolean;
  /**
   * A Go non-pointer number or bool with `omitempty`: the protobuf encoding
   * always carries it, so a decoded zero means "unset" and is dropped.
   */
  omitZero?: boolean;
  /** x-kubernetes-patch-strategy on a map-valued field (e.g. retainKeys). */
  patchStrategy?: PatchStrategy;
}

/**
 * A Go struct embedded inline: JSON flattens its fields into the outer
 * object (as the model does), but protobuf nests them in one message under
 * a single field number. The listed properties carry their field numbers
 * within that nested message.
 */
export interface ProtoEmbedding {
  /** Field number of the nested message in the outer message. */
  field: number;
  /** Name of the embedded Go field (for messages and debugging). */
  name: string;
  /** Properties of the model encoded inside the nested message. */
  properties: readonly string[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Model {
  /** OpenAPI definition name, e.g. io.k8s.api.core.v1.Container */
  name: string;
  description: string;
  properties: Record<string, Prop>;
  /** Top-level kinds carry their group/version/kind (x-kubernetes-group-version-kind). */
  gvk?: GroupVersionKind[];
  /** x-kubernetes-patch-strategy on the struct itself, used for retainKeys unions. */
  patchStrategy?: PatchStrategy;
  /** Embedded structs in the protobuf encoding (see ProtoEmbedding). */
  protoEmbedded?: readonly ProtoEmbedding[];
}

export const t = {
  string: (opts: { enum?: readonly string[]; format?: 'date-time' | 'byte' } = {}): Type => ({ kind: 'string', ...opts }),
  int32: (): Type => ({ kind: 'integer', format: 'int32' }),
  int64: (): Type => ({ kind: 'integer', format: 'int64' }),
  double: (): Type => ({ kind: 'number', format: 'double' }),
  bool: (): Type => ({ kind: 'boolean' }),
  array: (items: Type, opts: Omit<Extract<Type, { kind: 'array' }>, 'kind' | 'items'> = {}): Type => ({
    kind: 'array',
    items,
    ...opts,
  }),
  map: (values: Type): Type => ({ kind: 'map', values }),
  ref: (model: () => Model): Type => ({ kind: 'ref', model }),
  quantity: (): Type => ({ kind: 'quantity' }),
  intOrString: (): Type => ({ kind: 'int-or-string' }),
  time: (): Type => ({ kind: 'time' }),
  microTime: (): Type => ({ kind: 'time', micro: true }),
  bytes: (): Type => ({ kind: 'bytes' }),
  any: (): Type => ({ kind: 'any' }),
};

/** A property: its protobuf field number, type and description. */
export function p(proto: number | undefined, type: Type, description: string, opts: Omit<Prop, 'type' | 'description' | 'proto'> = {}): Prop {
  return { proto, type, description, ...opts };
}

export function model(
  name: string,
  description: string,
  properties: Record<string, Prop>,
  opts: { gvk?: GroupVersionKind[]; patchStrategy?: PatchStrategy; protoEmbedded?: readonly ProtoEmbedding[] } = {},
): Model {
  return { name, description, properties, ...opts };
}

/** The protobuf embeddings of a model (empty for most). */
export function protoEmbeddings(m: Model): readonly ProtoEmbedding[] {
  return m.protoEmbedded ?? [];
}

/** Go's `LocalObjectReference` embedded inline: `name` is field 1 of protobuf field 1. */
export const EMBEDS_LOCAL_OBJECT_REFERENCE = { protoEmbedded: [{ field: 1, name: 'localObjectReference', properties: ['name'] }] } as const;

/** The apiVersion and kind properties every top-level object carries. */
export function typeMeta(): Record<string, Prop> {
  return {
    apiVersion: p(undefined, t.string(), 'APIVersion defines the versioned schema of this representation of an object.'),
    kind: p(undefined, t.string(), 'Kind is a string value representing the REST resource this object represents.'),
  };
}
