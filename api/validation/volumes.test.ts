import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateVolumes } from './volumes.ts';

test('unique DNS-label names and exactly one source; valid volumes are returned', () => {
  const { names, errs } = validateVolumes(
    [
      { name: 'data', emptyDir: {} },
      { name: 'data', emptyDir: {} },
      { name: 'two', emptyDir: {}, configMap: { name: 'c' } },
      { name: 'Bad.Name', emptyDir: {} },
      { name: 'none' },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    ],
    'spec.volumes',
  );
  assert.deepEqual([...names], ['data', 'cfg']);
  assert.deepEqual(errs.map(errorString), [
    'spec.volumes[1].name: Duplicate value: "data"',
    'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
    "spec.volumes[3].name: Invalid value: \"Bad.Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    'spec.volumes[4]: Required value: must specify a volume type',
  ]);
});

test('source details', () => {
  const { errs } = validateVolumes(
    [
      { name: 'a', secret: {} },
      { name: 'b', configMap: { name: 'c', defaultMode: 0o1000, items: [{ key: '', path: '/abs' }] } },
      { name: 'c', hostPath: { path: '/var/../etc', type: 'Dir' } },
      { name: 'd', persistentVolumeClaim: { claimName: '' } },
      { name: 'e', nfs: { server: 'nas', path: 'export' } },
      { name: 'f', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 60 } }] } },
    ],
    'spec.volumes',
  );
  assert.deepEqual(errs.map(errorString), [
    'spec.volumes[0].secret.secretName: Required value',
    'spec.volumes[1].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
    'spec.volumes[1].configMap.items[0].key: Required value',
    'spec.volumes[1].configMap.items[0].path: Invalid value: "/abs": must be a relative path',
    "spec.volumes[2].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'",
    'spec.volumes[2].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
    'spec.volumes[3].persistentVolumeClaim.claimName: Required value',
    'spec.volumes[4].nfs.path: Invalid value: "export": must be an absolute path',
    'spec.volumes[5].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
  ]);
});
