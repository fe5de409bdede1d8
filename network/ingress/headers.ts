// Header rewriting of the ingress proxy, on raw header arrays (the form
// node:http hands over and accepts) so that a request costs no object copies:
// hop-by-hop headers out (RFC 9110 §7.6.1, plus those the Connection header
// names), X-Forwarded-For appended, X-Forwarded-Proto/Host/Port and
// X-Real-IP set by the proxy, as ingress-nginx does by default.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip']);

/** Header names the Connection header lists (beyond the fixed set), lower case; undefined when none. */
function connectionListed(raw: string[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length !== 10 || raw[i]!.toLowerCase() !== 'connection') continue;
    for (const t of raw[i + 1]!.split(',')) {
      const name = t.trim().toLowerCase();
      if (name && name !== 'close' && name !== 'keep-alive' && name !== 'upgrade') (out ??= new Set()).add(name);
    }
  }
  return out;
}

export interface ForwardInfo {
  clientIp: string;
  proto: 'http' | 'https';
  host: string;
  port: number;
}

/**
 * The request headers for the backend. With `upgrade`, Connection: upgrade
 * and the Upgrade header are kept (a WebSocket handshake needs them).
 */
export function requestHeaders(raw: string[], fwd: ForwardInfo, upgrade: boolean): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  let xff: string | undefined;
  let upgradeValue: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'upgrade') upgradeValue = raw[i + 1];
      continue;
    }
    if (FORWARDED.has(lower)) {
      if (lower === 'x-forwarded-for') xff = xff ? `${xff}, ${raw[i + 1]}` : raw[i + 1];
      continue;
    }
    if (listed?.has(lower)) continue;
    out.push(name, raw[i + 1]!);
  }
  out.push(
    'X-Forwarded-For',
    xff ? `${xff}, ${fwd.clientIp}` : fwd.clientIp,
    'X-Real-IP',
    fwd.clientIp,
    'X-Forwarded-Proto',
    fwd.proto,
    'X-Forwarded-Host',
    fwd.host,
    'X-Forwarded-Port',
    String(fwd.port),
  );
  if (upgrade && upgradeValue) out.push('Connection', 'upgrade', 'Upgrade', upgradeValue);
  return out;
}

/**
 * The response headers for the client: the backend's, without hop-by-hop
 * ones. An object (repeated names as arrays, e.g. Set-Cookie): node's
 * writeHead stores an object as is, while a raw array costs a remove and an
 * append per header.
 */
export function responseHeaders(raw: string[]): Record<string, string | string[]> {
  const listed = connectionListed(raw);
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed?.has(lower)) continue;
    const prev = out[name];
    if (prev === undefined) out[name] = raw[i + 1]!;
    else if (Array.isArray(prev)) prev.push(raw[i + 1]!);
    else out[name] = [prev, raw[i + 1]!];
  }
  return out;
}

/** Serialises a request head for a raw socket (the Upgrade path). */
export function requestHead(method: string, url: string, headers: string[]): string {
  let s = `${method} ${url} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) s += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return s + '\r\n';
}
