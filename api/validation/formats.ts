// Value formats of k8s.io/apimachinery/pkg/util/validation other than names:
// identifiers, environment variable names, config keys, ports, percents, ids.
// Each returns upstream's messages, [] when valid.

import type { FieldError } from '../field-error.ts';
import { invalid, required } from '../field-error.ts';
import { inclusiveRangeError, maxLenError, regexError } from './messages.ts';
import { isDns1123Subdomain } from './names.ts';

const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';
const C_IDENTIFIER_RE = new RegExp(`^${C_IDENTIFIER_FMT}$`);
const C_IDENTIFIER_ERR = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

export function isCIdentifier(value: string): string[] {
  return C_IDENTIFIER_RE.test(value) ? [] : [regexError(C_IDENTIFIER_ERR, C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName')];
}

function chdirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME_RE = new RegExp(`^${ENV_VAR_NAME_FMT}$`);
const ENV_VAR_NAME_ERR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME_RE.test(value)) errs.push(regexError(ENV_VAR_NAME_ERR, ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  return [...errs, ...chdirPrefixErrors(value)];
}

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_RE = new RegExp(`^${CONFIG_KEY_FMT}$`);
const CONFIG_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** A key of a ConfigMap or Secret (also a file name when mounted). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!CONFIG_KEY_RE.test(value)) errs.push(regexError(CONFIG_KEY_ERR, CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  return [...errs, ...chdirPrefixErrors(value)];
}

/** IANA_SVC_NAME: at most 15 of [-a-z0-9], at least one letter, no leading, trailing or double hyphen. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return isInRange(port, 1, 65535);
}

export function isInRange(value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

export function isValidUserId(uid: number): string[] {
  return isInRange(uid, 0, 0xffffffff);
}

export function isValidGroupId(gid: number): string[] {
  return isInRange(gid, 0, 0xffffffff);
}

const PERCENT_FMT = '[0-9]+%';
const PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'";

export function isValidPercent(value: string): string[] {
  return /^[0-9]+%$/.test(value) ? [] : [regexError(PERCENT_ERR, PERCENT_FMT, '1%', '93%')];
}

const HTTP_HEADER_FMT = '[-A-Za-z0-9]+';
const HTTP_HEADER_ERR = "a valid HTTP header must consist of alphanumeric characters or '-'";

export function isHttpHeaderName(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value) ? [] : [regexError(HTTP_HEADER_ERR, HTTP_HEADER_FMT, 'X-Header-Name')];
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** "acme.io/foo": a DNS subdomain, '/', then HTTP path characters (RFC 3986). */
export function isDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value.length === 0) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDns1123Subdomain(host).map((msg) => invalid(path, host, msg));
  if (!HTTP_PATH_RE.test(rest)) errs.push(invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}
