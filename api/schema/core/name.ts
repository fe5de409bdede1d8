/** Prefix of the OpenAPI definition names of core/v1 models. */
export const CORE = 'io.k8s.api.core.v1.';
