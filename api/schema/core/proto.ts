// Protobuf embeddings the JSON schema does not show.
//
// A few core/v1 Go types embed another struct inline: JSON flattens its
// fields into the outer object (and so do the models here), but protobuf
// encodes the embedded struct as one nested message under a single field
// number. For each such model this table gives that field number and which
// of the model's properties live inside the nested message; those properties
// carry their field numbers *within* the nested message. Every other
// property of the model is encoded directly in the outer message.
//
//   Volume           {name=1, volumeSource=2 {hostPath=1, emptyDir=2, ...}}
//   Probe            {handler=1 {exec=1, httpGet=2, ...}, initialDelaySeconds=2, ...}
//   EphemeralContainer {ephemeralContainerCommon=1 {name=1, image=2, ...}, targetContainerName=2}
//   *KeySelector, *EnvSource, *Projection, ConfigMapVolumeSource
//                    {localObjectReference=1 {name=1}, ...}

import type { Model } from '../dsl.ts';
import { CORE } from './name.ts';
import { Container } from './container.ts';
import { Volume } from './volume.ts';

export interface ProtoEmbedding {
  /** Field number of the nested message in the outer model's encoding. */
  field: number;
  /** Name of the embedded Go/protobuf field (for messages and debugging). */
  name: string;
  /** Properties of the model that are encoded inside the nested message. */
  properties: readonly string[];
}

const localObjectReference: readonly ProtoEmbedding[] = [{ field: 1, name: 'localObjectReference', properties: ['name'] }];

/** Embeddings by model name (OpenAPI definition name). */
export const PROTO_EMBEDDED: Readonly<Record<string, readonly ProtoEmbedding[]>> = {
  [`${CORE}Volume`]: [
    { field: 2, name: 'volumeSource', properties: Object.keys(Volume.properties).filter((k) => k !== 'name') },
  ],
  [`${CORE}Probe`]: [{ field: 1, name: 'handler', properties: ['exec', 'httpGet', 'tcpSocket', 'grpc'] }],
  [`${CORE}EphemeralContainer`]: [{ field: 1, name: 'ephemeralContainerCommon', properties: Object.keys(Container.properties) }],
  [`${CORE}ConfigMapEnvSource`]: localObjectReference,
  [`${CORE}ConfigMapKeySelector`]: localObjectReference,
  [`${CORE}ConfigMapProjection`]: localObjectReference,
  [`${CORE}ConfigMapVolumeSource`]: localObjectReference,
  [`${CORE}SecretEnvSource`]: localObjectReference,
  [`${CORE}SecretKeySelector`]: localObjectReference,
  [`${CORE}SecretProjection`]: localObjectReference,
};

/** The protobuf embeddings of a model (empty for most). */
export function protoEmbeddings(m: Model): readonly ProtoEmbedding[] {
  return PROTO_EMBEDDED[m.name] ?? [];
}
