// OpenAPI documents generated from the models and RESOURCES.

export { openapiV3Document, openapiV3Root, groupVersionPaths } from './v3.ts';
export { openapiV2 } from './v2.ts';
export type { Schema } from './schema.ts';
export { openapiV2Protobuf, OPENAPI_V2_PROTOBUF } from './v2-protobuf.ts';
