// Decodes the protobuf v2 document with protobufjs and the field numbers of
// gnostic's openapiv2/OpenAPIv2.proto (the subset Skiff writes), the way
// kubectl 1.27/1.28 read it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { openapiV2, openapiV2Protobuf } from './index.ts';

const GNOSTIC_SUBSET = `
syntax = "proto3";
package openapi.v2;
message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Info { string title = 1; string version = 2; }
message Document {
  string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9;
  repeated SecurityRequirement security = 12; SecurityDefinitions security_definitions = 13;
}
message Paths { repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem {
  Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation patch = 8;
  repeated ParametersItem parameters = 9;
}
message Operation {
  repeated string tags = 1; string description = 3; string operation_id = 5; repeated string produces = 6;
  repeated string consumes = 7; repeated ParametersItem parameters = 8; Responses responses = 9;
  repeated string schemes = 10; repeated NamedAny vendor_extension = 13;
}
message ParametersItem { oneof oneof { Parameter parameter = 1; } }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; }
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; } }
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 6; bool unique_items = 20; }
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; bool unique_items = 19; }
message Responses { repeated NamedResponseValue response_code = 1; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { oneof oneof { Response response = 1; } }
message Response { string description = 1; SchemaItem schema = 2; }
message SchemaItem { oneof oneof { Schema schema = 1; } }
message Schema {
  string _ref = 1; string format = 2; string description = 4; repeated string required = 19; repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23;
  repeated Schema all_of = 24; Properties properties = 25; repeated NamedAny vendor_extension = 31;
}
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message StringArray { repeated string value = 1; }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; }
`;

type Msg = Record<string, any>;

const Document = protobuf.parse(GNOSTIC_SUBSET).root.lookupType('openapi.v2.Document');
const decoded = Document.toObject(Document.decode(openapiV2Protobuf()), { defaults: false, arrays: true }) as Msg;

const ext = (list: Msg[] | undefined, name: string): unknown => {
  const e = (list ?? []).find((x) => x.name === name);
  return e && JSON.parse(e.value.yaml);
};

test('document header, security', () => {
  assert.equal(decoded.swagger, '2.0');
  assert.deepEqual(decoded.info, { title: 'Kubernetes', version: 'unversioned' });
  assert.equal(decoded.securityDefinitions.additionalProperties[0].value.apiKeySecurity.in, 'header');
  assert.equal(decoded.security[0].additionalProperties[0].name, 'BearerToken');
});

test('PATCH of a kind carries fieldValidation and its GVK (what kubectl 1.27/1.28 check)', () => {
  const item = decoded.paths.path.find((p: Msg) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}').value;
  const patch = item.patch as Msg;
  assert.deepEqual(ext(patch.vendorExtension, 'x-kubernetes-group-version-kind'), { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.equal(ext(patch.vendorExtension, 'x-kubernetes-action'), 'patch');
  const query = patch.parameters.map((p: Msg) => p.parameter.nonBodyParameter?.queryParameterSubSchema?.name).filter(Boolean);
  assert.deepEqual(query, ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.equal(patch.parameters[0].parameter.bodyParameter.schema._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  assert.equal(item.parameters[0].parameter.nonBodyParameter.pathParameterSubSchema.name, 'name');
  assert.equal(item.parameters[0].parameter.nonBodyParameter.pathParameterSubSchema.required, true);
  const ok = patch.responses.responseCode.find((r: Msg) => r.name === '200').value.response;
  assert.equal(ok.schema.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  assert.equal(decoded.paths.path.length, Object.keys((openapiV2() as Msg).paths).length);
});

test('definitions keep types, refs, required, and the patch extensions', () => {
  const defs = decoded.definitions.additionalProperties as Msg[];
  assert.equal(defs.length, Object.keys((openapiV2() as Msg).definitions).length);
  const podSpec = defs.find((d) => d.name === 'io.k8s.api.core.v1.PodSpec')?.value as Msg;
  const containers = podSpec.properties.additionalProperties.find((p: Msg) => p.name === 'containers').value;
  assert.deepEqual(containers.type.value, ['array']);
  assert.equal(containers.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.Container');
  assert.equal(ext(containers.vendorExtension, 'x-kubernetes-patch-merge-key'), 'name');
  assert.equal(ext(containers.vendorExtension, 'x-kubernetes-patch-strategy'), 'merge');
  assert.ok(podSpec.required.includes('containers'));
  const meta = defs.find((d) => d.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.value as Msg;
  const labels = meta.properties.additionalProperties.find((p: Msg) => p.name === 'labels').value;
  assert.deepEqual(labels.additionalProperties.schema.type.value, ['string']);
  const deployment = defs.find((d) => d.name === 'io.k8s.api.apps.v1.Deployment')?.value as Msg;
  assert.deepEqual(ext(deployment.vendorExtension, 'x-kubernetes-group-version-kind'), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
});

test('built once', () => {
  assert.equal(openapiV2Protobuf(), openapiV2Protobuf());
});
