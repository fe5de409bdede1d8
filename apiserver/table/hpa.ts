// `kubectl get hpa`. The Targets column reads "cpu: 40%/80%" per metric:
// current (or "<unknown>" before the autoscaler has measured) over target.
// autoscaling/v1 objects print through their autoscaling/v2 form, as upstream
// prints the internal version.

import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { hpaV1ToV2 } from '../../api/schema/autoscaling.ts';
import { AGE, column, NAME } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer, PrintedRow } from './types.ts';

const UNKNOWN = '<unknown>';

/** Quantity.String() of a pointer that may be nil. */
const quantity = (q: string | number | undefined): string => (q === undefined ? '<nil>' : String(q));

const percent = (n: number | undefined): string | undefined => (n === undefined ? undefined : `${n}%`);

interface ValueTarget {
  value?: string | number;
  averageValue?: string | number;
}

/** External and Object metrics: an average target reads "(avg)". */
function valueMetric(target: ValueTarget, current: ValueTarget | undefined): string {
  if (target.averageValue !== undefined) {
    const now = current?.averageValue !== undefined ? quantity(current.averageValue) : UNKNOWN;
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  return `${current ? quantity(current.value) : UNKNOWN}/${quantity(target.value)}`;
}

interface ResourceTarget {
  averageValue?: string | number;
  averageUtilization?: number;
}

/** Resource and ContainerResource metrics: "cpu: 40%/80%", or values when the target is an average value. */
function resourceMetric(name: string, target: ResourceTarget, current: ResourceTarget | undefined): string {
  if (target.averageValue !== undefined) {
    return `${name}: ${current ? quantity(current.averageValue) : UNKNOWN}/${quantity(target.averageValue)}`;
  }
  return `${name}: ${percent(current?.averageUtilization) ?? UNKNOWN}/${percent(target.averageUtilization) ?? '<auto>'}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueMetric(spec.external?.target ?? {}, status?.external?.current);
    case 'Object':
      return valueMetric(spec.object?.target ?? {}, status?.object?.current);
    case 'Pods':
      return `${status?.pods ? quantity(status.pods.current.averageValue) : UNKNOWN}/${quantity(spec.pods?.target.averageValue)}`;
    case 'Resource':
      return resourceMetric(spec.resource?.name ?? '', spec.resource?.target ?? {}, status?.resource?.current);
    case 'ContainerResource':
      return resourceMetric(spec.containerResource?.name ?? '', spec.containerResource?.target ?? {}, status?.containerResource?.current);
    default:
      return '<unknown type>';
  }
}

/** Two metrics, then " + N more..."; each status is read at its spec's index. */
function formatMetrics(specs: readonly MetricSpec[], statuses: readonly MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.slice(0, max).map((spec, i) => formatMetric(spec, statuses[i]));
  return specs.length > max ? `${list.join(', ')} + ${specs.length - max} more...` : list.join(', ');
}

function printHPA(obj: Record<string, unknown>, now: Date): PrintedRow {
  const hpa = (obj.apiVersion === 'autoscaling/v1' ? hpaV1ToV2(obj) : obj) as HorizontalPodAutoscaler;
  const spec = hpa.spec;
  return {
    cells: [
      hpa.metadata?.name ?? '',
      `${spec?.scaleTargetRef.kind ?? ''}/${spec?.scaleTargetRef.name ?? ''}`,
      formatMetrics(spec?.metrics ?? [], hpa.status?.currentMetrics ?? []),
      spec?.minReplicas !== undefined ? String(spec.minReplicas) : '<unset>',
      spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      since(hpa.metadata?.creationTimestamp, now),
    ],
  };
}

export const horizontalpodautoscalers: Printer = {
  columns: [
    NAME,
    column('Reference', 'string', DOC['HorizontalPodAutoscalerSpec.scaleTargetRef']),
    column('Targets', 'string', DOC['HorizontalPodAutoscalerSpec.metrics']),
    column('MinPods', 'string', DOC['HorizontalPodAutoscalerSpec.minReplicas']),
    column('MaxPods', 'string', DOC['HorizontalPodAutoscalerSpec.maxReplicas']),
    column('Replicas', 'string', DOC['HorizontalPodAutoscalerStatus.currentReplicas']),
    AGE,
  ],
  print: printHPA,
};
