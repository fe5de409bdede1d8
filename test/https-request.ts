// A minimal HTTPS client for tests that talk to the API server directly
// (status codes, headers and bodies that kubectl would hide).

import { request } from 'node:https';

export interface HttpsResponse {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

export function httpsRequest(
  url: string,
  opts: { method?: string; body?: string | Buffer; headers?: Record<string, string>; ca: string; token?: string },
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const req = request(url, { method: opts.method ?? 'GET', headers, ca: opts.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, headers: h, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
