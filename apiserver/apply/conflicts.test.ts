import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conflictError, printManager } from './conflicts.ts';
import { fieldElement as f, keyElement } from './path-element.ts';

const CSA = '{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1"}';
const SCALE = '{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","subresource":"scale"}';

describe('apply conflicts', () => {
  it('name managers as Kubernetes does', () => {
    assert.equal(printManager(CSA), '"kubectl-client-side-apply" using apps/v1');
    assert.equal(printManager(SCALE), '"kubectl" with subresource "scale" using apps/v1');
    assert.equal(printManager('{"manager":"helm","operation":"Apply"}'), '"helm"');
  });

  it('render one conflict as a 409 with a FieldManagerConflict cause', () => {
    const s = conflictError([{ managerId: CSA, path: [f('spec'), f('replicas')] }]).toStatus();
    assert.deepEqual(s, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  });

  it('group several conflicts by manager, managers in identifier order', () => {
    const image = [f('spec'), f('template'), f('spec'), f('containers'), keyElement([{ name: 'name', value: 'c' }]), f('image')];
    const e = conflictError([
      { managerId: SCALE, path: [f('spec'), f('replicas')] },
      { managerId: CSA, path: [f('spec'), f('replicas')] },
      { managerId: CSA, path: image },
    ]);
    assert.equal(
      e.message,
      'Apply failed with 3 conflicts: conflicts with "kubectl" with subresource "scale" using apps/v1:\n- .spec.replicas\n' +
        'conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image',
    );
    assert.equal(e.details?.causes?.length, 3);
  });
});
