// labelSelector and fieldSelector query parameters as one predicate over
// stored objects; invalid selectors and unsupported field labels are 400s.

import type { ResourceInfo } from '../../api/kinds.ts';
import { fieldsFor, matchesFields, parseFieldSelector, validateFieldSelector } from '../../api/selectors/field.ts';
import { matches, parseLabelSelector } from '../../api/selectors/label.ts';
import { errors } from '../errors.ts';
import type { Predicate } from '../registry/list-watch.ts';

export function predicateOf(info: ResourceInfo, q: URLSearchParams, name?: string): Predicate | undefined {
  const ls = q.get('labelSelector') ?? '';
  let fs = q.get('fieldSelector') ?? '';
  if (name) fs = fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`;
  if (!ls.trim() && !fs.trim()) return undefined;
  let labelSel: ReturnType<typeof parseLabelSelector> | undefined;
  let fieldSel: ReturnType<typeof parseFieldSelector> | undefined;
  try {
    if (ls.trim()) labelSel = parseLabelSelector(ls);
    if (fs.trim()) fieldSel = parseFieldSelector(fs);
  } catch (e) {
    throw errors.badRequest((e as Error).message);
  }
  if (fieldSel) {
    const problem = validateFieldSelector(info.group, info.resource, fieldSel);
    if (problem) throw errors.badRequest(problem);
  }
  return (obj) =>
    (!labelSel || matches(labelSel, obj.metadata.labels ?? {})) &&
    (!fieldSel || matchesFields(fieldSel, fieldsFor(info.group, info.resource, obj)));
}
