// Conversion between a served version and the storage version of a resource
// (events.k8s.io/v1 Events are stored as core/v1 Events; autoscaling/v1 HPAs
// as autoscaling/v2). Every other resource is served in its storage version.

import { groupVersion, storageInfo, type ResourceInfo } from '../../api/kinds.ts';
import { hpaV1ToV2, hpaV2ToV1 } from '../../api/schema/autoscaling.ts';
import { coreToEventsV1, eventsV1ToCore } from '../../api/schema/events.ts';
import type { KObject } from './object.ts';

type Converter = (o: KObject) => KObject;

const TO_STORAGE: Record<string, Converter> = {
  'autoscaling/v1/horizontalpodautoscalers': (o) => hpaV1ToV2(o) as KObject,
  'events.k8s.io/v1/events': (o) => eventsV1ToCore(o) as KObject,
};

const FROM_STORAGE: Record<string, Converter> = {
  'autoscaling/v1/horizontalpodautoscalers': (o) => hpaV2ToV1(o) as KObject,
  'events.k8s.io/v1/events': (o) => coreToEventsV1(o) as KObject,
};

function id(info: ResourceInfo): string {
  return `${groupVersion(info)}/${info.resource}`;
}

export function toStorage(info: ResourceInfo, obj: KObject): KObject {
  const conv = TO_STORAGE[id(info)];
  const out = conv ? conv(obj) : obj;
  const s = storageInfo(info);
  out.apiVersion = groupVersion(s);
  out.kind = s.kind;
  return out;
}

export function fromStorage(info: ResourceInfo, obj: KObject): KObject {
  const conv = FROM_STORAGE[id(info)];
  const out = conv ? conv(obj) : obj;
  out.apiVersion = groupVersion(info);
  out.kind = info.kind;
  return out;
}
