import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { loadOrCreatePki } from '../../apiserver/tls/pki.ts';
import { httpsRequest } from '../../test/https-request.ts';
import { startStreamingServer, type StreamingServer } from './server.ts';
import { ProcessBackend } from './testing/process-backend.ts';

interface Received {
  frames: { channel: number; data: Buffer }[];
  closeCode: number;
}

describe('streaming server: WebSocket channel protocols', () => {
  let dir: string;
  let server: StreamingServer;
  let backend: ProcessBackend;
  let ca: string;
  const token = 'agent-token';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-streaming-server-'));
    const pki = loadOrCreatePki(join(dir, 'pki'));
    ca = pki.caCert;
    backend = new ProcessBackend(join(dir, 'logs'));
    backend.addPod('default', 'p');
    server = await startStreamingServer({ port: 0, tls: { cert: pki.serverCert, key: pki.serverKey }, token, backend, log: () => {} });
  });
  after(async () => {
    backend.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = (path: string) => `wss://127.0.0.1:${server.port}${path}`;

  /** Runs one exec session; `send` is called once the socket is open. */
  function session(path: string, protocol: string, send: (ws: WebSocket) => void = () => {}): Promise<Received> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url(path), [protocol], { ca, headers: { Authorization: `Bearer ${token}` } });
      const frames: Received['frames'] = [];
      ws.on('open', () => {
        assert.equal(ws.protocol, protocol);
        send(ws);
      });
      ws.on('message', (raw: Buffer, isBinary) => {
        if (protocol.includes('base64')) {
          assert.equal(isBinary, false);
          frames.push({ channel: raw[0]! - 48, data: Buffer.from(raw.subarray(1).toString(), 'base64') });
        } else frames.push({ channel: raw[0]!, data: raw.subarray(1) });
      });
      ws.on('close', (code) => resolve({ frames, closeCode: code }));
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => reject(Object.assign(new Error(body), { status: res.statusCode, body })));
      });
      ws.on('error', reject);
    });
  }

  const channel = (r: Received, n: number) => Buffer.concat(r.frames.filter((f) => f.channel === n).map((f) => f.data)).toString();

  test('v4 base64: an empty first message on stdout, base64 output, the exit code as a Status on the error channel', async () => {
    const q = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', 'echo out; echo err >&2; exit 2'], ['stdout', '1'], ['stderr', '1']]);
    const r = await session(`/exec/default/p/c?${q}`, 'v4.base64.channel.k8s.io');
    assert.deepEqual(r.frames[0], { channel: 1, data: Buffer.alloc(0) });
    assert.equal(channel(r, 1), 'out\n');
    assert.equal(channel(r, 2), 'err\n');
    assert.deepEqual(JSON.parse(channel(r, 3)), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 2], exit code 2',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
    assert.equal(r.closeCode, 1000);
  });

  test('v5: stdin ends with the CLOSE signal; success is a Success Status', async () => {
    const q = new URLSearchParams([['command', 'cat'], ['stdin', '1'], ['stdout', '1']]);
    const r = await session(`/exec/default/p/c?${q}`, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('abc')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(channel(r, 1), 'abc');
    assert.deepEqual(JSON.parse(channel(r, 3)), { metadata: {}, status: 'Success' });
  });

  test('tty: resize messages reach the session; v1 protocol sends no Status on success', async () => {
    const q = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', 'read x; echo "x=$x"'], ['stdin', '1'], ['stdout', '1'], ['tty', '1']]);
    const before = backend.resizes.length;
    const r = await session(`/exec/default/p/c?${q}`, 'channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')]));
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('go\n')]));
    });
    assert.match(channel(r, 1), /x=go/);
    assert.equal(channel(r, 3), '');
    assert.deepEqual(backend.resizes.slice(before), [{ width: 100, height: 30 }]);
  });

  test('errors before the upgrade are plain Status responses', async () => {
    let res = await httpsRequest(`https://127.0.0.1:${server.port}/containerLogs/default/p/c`, { ca });
    assert.equal(res.status, 401);
    res = await httpsRequest(`https://127.0.0.1:${server.port}/nothing/here`, { ca, token });
    assert.equal(res.status, 404);
    res = await httpsRequest(`https://127.0.0.1:${server.port}/containerLogs/default/p/c`, { ca, token });
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'container "c" in pod "p" is waiting to start: ContainerCreating');
    await assert.rejects(session('/exec/default/p/c?command=true', 'v5.channel.k8s.io'), (e: { status: number; body: string }) => {
      assert.equal(e.status, 400);
      assert.equal(JSON.parse(e.body).message, 'you must specify at least 1 of stdin, stdout, stderr');
      return true;
    });
    await assert.rejects(session('/attach/default/p/c?stdout=1', 'v5.channel.k8s.io'), (e: { status: number }) => e.status === 400);
  });
});
