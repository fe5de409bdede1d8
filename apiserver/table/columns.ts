// Column definitions as the printers declare them, and the cells several
// kinds share (containers and images of a pod template).

import { DOC } from './docs.ts';
import type { ColumnDefinition } from './types.ts';

export function column(name: string, type: ColumnDefinition['type'], description: string, priority = 0): ColumnDefinition {
  return { name, type, format: '', description, priority };
}

export const wide = (name: string, type: ColumnDefinition['type'], description: string): ColumnDefinition => column(name, type, description, 1);

export const NAME: ColumnDefinition = { ...column('Name', 'string', DOC['ObjectMeta.name']), format: 'name' };
export const AGE: ColumnDefinition = column('Age', 'string', DOC['ObjectMeta.creationTimestamp']);
export const CONTAINERS: ColumnDefinition = wide('Containers', 'string', 'Names of each container in the template.');
export const IMAGES: ColumnDefinition = wide('Images', 'string', 'Images referenced by each container in the template.');

/** Container names and images, each joined with ",": the Containers and Images cells. */
export function containerCells(containers: readonly { name: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printBoolPtr: "True", "False", or "<unset>". */
export function boolCell(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

/** The first `max` entries joined with ",", then " + N more..." (N counts all entries), "<unset>" when none. */
export function listWithMore(list: readonly string[], max: number): string {
  const shown = list.slice(0, max).join(',');
  if (list.length > max) return `${shown} + ${list.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}
