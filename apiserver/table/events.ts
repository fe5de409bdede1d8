// `kubectl get events`. events.k8s.io/v1 Events are the same resource
// (kube-apiserver serves that group from the core Event storage and its
// printer), so both shapes print through the core/v1 Event.

import type { Event } from 'kubernetes-types/core/v1.js';
import { eventsV1ToCore } from '../../api/schema/events.ts';
import { column, NAME } from './columns.ts';
import { DOC } from './docs.ts';
import { since } from './duration.ts';
import type { Printer, PrintedRow } from './types.ts';

function printEvent(obj: object, now: Date): PrintedRow {
  const e = ('involvedObject' in obj ? obj : eventsV1ToCore(obj as Record<string, unknown>)) as Partial<Event>;
  const firstSeen = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? since(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = since(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // events.k8s.io singletons carry no count
  }
  const ref = e.involvedObject ?? {};
  const kind = (ref.kind ?? '').toLowerCase();
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return {
    cells: [
      lastSeen,
      e.type ?? '',
      e.reason ?? '',
      ref.name ? `${kind}/${ref.name}` : kind,
      ref.fieldPath ?? '',
      instance ? `${component}, ${instance}` : component,
      (e.message ?? '').trim(),
      firstSeen,
      count,
      e.metadata?.name ?? '',
    ],
  };
}

export const events: Printer = {
  columns: [
    column('Last Seen', 'string', DOC['Event.lastTimestamp']),
    column('Type', 'string', DOC['Event.type']),
    column('Reason', 'string', DOC['Event.reason']),
    column('Object', 'string', DOC['Event.involvedObject']),
    column('Subobject', 'string', DOC['ObjectReference.fieldPath'], 1),
    column('Source', 'string', DOC['Event.source'], 1),
    column('Message', 'string', DOC['Event.message']),
    column('First Seen', 'string', DOC['Event.firstTimestamp'], 1),
    column('Count', 'string', DOC['Event.count'], 1),
    { ...NAME, priority: 1 },
  ],
  print: printEvent,
};
