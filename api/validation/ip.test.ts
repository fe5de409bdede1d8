import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidCidr, isValidIp, isValidIpv4Address, isValidIpv6Address, parseIp, validateNonSpecialIp } from './ip.ts';

test('parses IPv4 (sloppy leading zeros) and IPv6 forms', () => {
  assert.deepEqual(parseIp('10.0.0.1'), { family: 4, bytes: [10, 0, 0, 1] });
  assert.deepEqual(parseIp('010.001.0.1')?.bytes, [10, 1, 0, 1]);
  assert.equal(parseIp('2001:db8::1')?.family, 6);
  assert.equal(parseIp('::')?.family, 6);
  assert.deepEqual(parseIp('::ffff:127.0.0.1'), { family: 4, bytes: [127, 0, 0, 1] });
  for (const bad of ['256.1.1.1', '1.2.3', '1::2::3', 'x', '', '1:2:3:4:5:6:7:8:9', '10.0.0.1/8']) assert.equal(parseIp(bad), undefined, bad);
});

test('IP and CIDR messages', () => {
  assert.deepEqual(isValidIp('spec.clusterIP', '10.96.0.1'), []);
  assert.deepEqual(isValidIp('spec.clusterIP', 'nope'), [
    { type: 'FieldValueInvalid', field: 'spec.clusterIP', value: 'nope', detail: 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
  ]);
  assert.equal(isValidIpv4Address('a', '::1')[0].detail, 'must be a valid IPv4 address');
  assert.equal(isValidIpv6Address('a', '1.2.3.4')[0].detail, 'must be a valid IPv6 address');
  assert.deepEqual(isValidCidr('r', '10.0.0.0/8'), []);
  assert.equal(isValidCidr('r', '10.0.0.0/33')[0].detail, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
});

test('special addresses are refused for endpoints', () => {
  assert.deepEqual(validateNonSpecialIp('ip', '10.1.2.3'), []);
  assert.equal(validateNonSpecialIp('ip', '127.0.0.1')[0].detail, 'may not be in the loopback range (127.0.0.0/8, ::1/128)');
  assert.equal(validateNonSpecialIp('ip', '0.0.0.0')[0].detail, 'may not be unspecified (0.0.0.0)');
  assert.equal(validateNonSpecialIp('ip', '169.254.169.254')[0].detail, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  assert.equal(validateNonSpecialIp('ip', '224.0.0.1')[0].detail, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  assert.equal(validateNonSpecialIp('ip', '::1')[0].detail, 'may not be in the loopback range (127.0.0.0/8, ::1/128)');
});
