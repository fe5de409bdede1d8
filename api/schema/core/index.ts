// io.k8s.api.core.v1 models. Top-level kinds carry their GVK; every nested
// model is exported too.

export * from './common.ts';
export * from './container.ts';
export * from './container-status.ts';
export * from './probe.ts';
export * from './security-context.ts';
export * from './volume.ts';
export * from './affinity.ts';
export * from './pod.ts';
export * from './service.ts';
export * from './node.ts';
export * from './event.ts';
export * from './config.ts';
