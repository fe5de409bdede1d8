// core/v1 Event.

import { model, p, t, typeMeta } from '../dsl.ts';
import { ObjectMeta } from '../meta.ts';
import { CORE } from './name.ts';
import { ObjectReference } from './common.ts';

export const Event = model(
  `${CORE}Event`,
  'Event is a report of an event somewhere in the cluster.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), 'Standard object metadata.', { required: true }),
    involvedObject: p(2, t.ref(() => ObjectReference), 'Object the event is about.', { required: true }),
    reason: p(3, t.string(), 'Short machine-readable reason for the transition.'),
    message: p(4, t.string(), 'Human-readable description of the event.'),
    source: p(5, t.ref(() => EventSource), 'Component reporting the event.'),
    firstTimestamp: p(6, t.time(), 'When the event was first recorded.'),
    lastTimestamp: p(7, t.time(), 'When the most recent occurrence was recorded.'),
    count: p(8, t.int32(), 'Number of times the event occurred.', { omitZero: true }),
    type: p(9, t.string(), 'Type of the event: Normal or Warning.'),
    eventTime: p(10, t.microTime(), 'When the event was first observed.'),
    series: p(11, t.ref(() => EventSeries), 'Data about the series the event belongs to; nil for a singleton.'),
    action: p(12, t.string(), 'Action taken or failed regarding the involved object.'),
    related: p(13, t.ref(() => ObjectReference), 'Secondary object of the action.'),
    reportingComponent: p(14, t.string(), 'Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: p(15, t.string(), 'Instance of the controller, e.g. kubelet-xyzf.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Event' }] },
);

export const EventSource = model(`${CORE}EventSource`, 'EventSource contains information for an event.', {
  component: p(1, t.string(), 'Component that generated the event.'),
  host: p(2, t.string(), 'Node on which the event was generated.'),
});

export const EventSeries = model(`${CORE}EventSeries`, 'EventSeries contains information on a series of events.', {
  count: p(1, t.int32(), 'Number of occurrences in the series so far.', { omitZero: true }),
  lastObservedTime: p(2, t.microTime(), 'Time of the last occurrence observed.'),
});
