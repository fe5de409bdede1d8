import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { isExtendedResourceName, isOvercommitAllowed, validateResourceRequirements } from './resources.ts';

const messages = (req: Parameters<typeof validateResourceRequirements>[0]) => validateResourceRequirements(req, 'resources').map(errorString);

test('requests within limits, quantities valid and non-negative', () => {
  assert.deepEqual(messages({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' } }), []);
  assert.deepEqual(messages({ requests: { cpu: '2', memory: '-1Gi' }, limits: { cpu: '500m', memory: 'lots' } }), [
    "resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    'resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
    'resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ]);
});

test('resource names: standard for containers or domain-prefixed', () => {
  assert.deepEqual(messages({ requests: { gpu: '1' } }), [
    'resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    'resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
  ]);
  assert.deepEqual(messages({ limits: { pods: '1' } }), ['resources.limits[pods]: Invalid value: "pods": must be a standard resource for containers']);
});

test('extended resources: whole numbers, requests equal to limits, limits required', () => {
  assert.equal(isExtendedResourceName('example.com/gpu'), true);
  assert.equal(isExtendedResourceName('kubernetes.io/gpu'), false);
  assert.equal(isOvercommitAllowed('example.com/gpu'), false);
  assert.equal(isOvercommitAllowed('memory'), true);
  assert.deepEqual(messages({ requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } }), [
    'resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
  ]);
  assert.deepEqual(messages({ limits: { 'example.com/gpu': '500m' } }), ['resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer']);
  assert.deepEqual(messages({ requests: { 'example.com/gpu': '1' } }), ['resources.limits: Required value: Limit must be set for non overcommitable resources']);
});

test('hugepages: multiples of the page size, with cpu or memory', () => {
  assert.deepEqual(messages({ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' }, requests: { 'hugepages-2Mi': '3Mi' } }), [
    'resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
    'resources.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
  ]);
  assert.deepEqual(messages({ limits: { 'hugepages-2Mi': '4Mi' }, requests: { 'hugepages-2Mi': '4Mi' } }), ['resources: Forbidden: HugePages require cpu or memory']);
});
