import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity, parseQuantity, parseQuantityWithFormat } from './quantity.ts';

test('parses decimal SI, binary SI and exponent suffixes', () => {
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('1'), 1);
  assert.equal(parseQuantity('1.5'), 1.5);
  assert.equal(parseQuantity('2k'), 2000);
  assert.equal(parseQuantity('1M'), 1e6);
  assert.equal(parseQuantity('3G'), 3e9);
  assert.equal(parseQuantity('1T'), 1e12);
  assert.equal(parseQuantity('1P'), 1e15);
  assert.equal(parseQuantity('1E'), 1e18);
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1Gi'), 2 ** 30);
  assert.equal(parseQuantity('1Ti'), 2 ** 40);
  assert.equal(parseQuantity('1Pi'), 2 ** 50);
  assert.equal(parseQuantity('1Ei'), 2 ** 60);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('5E-3'), 0.005);
  assert.equal(parseQuantity('250u'), 0.00025);
  assert.equal(parseQuantity('10n'), 1e-8);
  assert.equal(parseQuantity('-1'), -1);
  assert.equal(parseQuantity('.5'), 0.5);
  assert.equal(parseQuantity(2), 2);
  assert.equal(parseQuantity(0.25), 0.25);
  assert.equal(parseQuantity('300m'), 0.3);
});

test('rejects what is not a quantity', () => {
  for (const bad of ['', 'abc', '1KB', '1 Gi', '1e', '1.2.3', 'Gi', '--1', '1ki', '1iM']) assert.equal(parseQuantity(bad), undefined, bad);
  assert.equal(parseQuantity(Number.NaN), undefined);
});

test('remembers the format the value was written in', () => {
  assert.equal(parseQuantityWithFormat('1Gi')?.format, 'BinarySI');
  assert.equal(parseQuantityWithFormat('500m')?.format, 'DecimalSI');
  assert.equal(parseQuantityWithFormat('1e3')?.format, 'DecimalExponent');
});

test('formats canonically', () => {
  assert.equal(formatQuantity(0.5), '500m');
  assert.equal(formatQuantity(2000), '2k');
  assert.equal(formatQuantity(1500), '1500');
  assert.equal(formatQuantity(1), '1');
  assert.equal(formatQuantity(0), '0');
  assert.equal(formatQuantity(2 ** 30, 'BinarySI'), '1Gi');
  assert.equal(formatQuantity(1536, 'BinarySI'), '1536');
  assert.equal(formatQuantity(512, 'BinarySI'), '512');
  assert.equal(formatQuantity(2 ** 29, 'BinarySI'), '512Mi');
  assert.equal(formatQuantity(3000, 'DecimalExponent'), '3e3');
  assert.equal(formatQuantity(parseQuantity('0.1')!), '100m');
});
