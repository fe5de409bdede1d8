// Apply conflicts: fields another manager owns that an apply would change.
// Rendered as Kubernetes renders them (managedfields/internal/conflict.go):
//   409 Conflict, "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
// with one FieldManagerConflict cause per field.

import { ApiError } from '../errors.ts';
import type { FieldSet } from './field-set.ts';
import { pathString } from './path-element.ts';
import type { Path } from './path-element.ts';

export interface Conflict {
  /** The manager identifier (see managers.ts). */
  managerId: string;
  path: Path;
}

/** Thrown by the updater when an apply without force would take fields from other managers. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
    this.name = 'ApplyConflicts';
  }

  /** The conflicting fields of each manager, managers in identifier order. */
  static fromManagers(sets: Map<string, FieldSet>): ApplyConflicts {
    const ids = [...sets.keys()].sort();
    return new ApplyConflicts(ids.flatMap((managerId) => sets.get(managerId)!.paths().map((path) => ({ managerId, path }))));
  }
}

/** How a manager is named in messages: "kubectl", "kubectl" with subresource "scale" using apps/v1. */
export function printManager(managerId: string): string {
  let m: { manager?: string; operation?: string; apiVersion?: string; subresource?: string };
  try {
    m = JSON.parse(managerId) as typeof m;
  } catch {
    return JSON.stringify(managerId);
  }
  let s = JSON.stringify(m.manager ?? '');
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion ?? ''}`;
  return s;
}

/** The 409 Conflict Status for a failed apply. */
export function conflictError(conflicts: readonly Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.managerId)}`, field: pathString(c.path) }));
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.managerId)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.managerId, [...(byManager.get(c.managerId) ?? []), pathString(c.path)]);
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(id)}:`);
    for (const p of byManager.get(id)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
