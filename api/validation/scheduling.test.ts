import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateAffinity, validateDnsConfig, validateTolerations, validateTopologySpreadConstraints } from './scheduling.ts';

test('tolerations', () => {
  assert.deepEqual(validateTolerations([{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }, { operator: 'Exists' }], 't'), []);
  assert.deepEqual(
    validateTolerations([{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', effect: 'Sometimes' }, { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }], 'spec.tolerations').map(
      errorString,
    ),
    [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
      'spec.tolerations[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    ],
  );
});

test('node affinity terms and pod affinity topology keys', () => {
  assert.deepEqual(
    validateAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Gt', values: ['1', '2'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] },
      },
      'spec.affinity',
    ).map(errorString),
    [
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
    ],
  );
});

test('topology spread constraints', () => {
  assert.deepEqual(
    validateTopologySpreadConstraints(
      [
        { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'Maybe' },
      ],
      'spec.topologySpreadConstraints',
    ).map(errorString),
    [
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"',
      'spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty',
      'spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
  );
});

test('DNS config', () => {
  assert.deepEqual(validateDnsConfig(undefined, 'None', 'spec.dnsConfig').map(errorString), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  assert.deepEqual(validateDnsConfig({ nameservers: ['1.1.1.1', 'dns'], searches: ['svc.cluster.local.', 'Bad_Domain'] }, 'ClusterFirst', 'spec.dnsConfig').map((e) => e.field), [
    'spec.dnsConfig.nameservers[1]',
    'spec.dnsConfig.searches[1]',
  ]);
});
