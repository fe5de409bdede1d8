// Media types published for request and response bodies.

export const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
export const STREAM_TYPES = ['application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
export const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

export const BEARER_TOKEN = { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' };

export const INFO = { title: 'Kubernetes', version: 'unversioned' };
