// Completes a WebSocket handshake with the subprotocol already chosen by
// the route (exec channels or the port-forward SPDY tunnel).
//
// The ws package is loaded on the first upgrade: an idle server (every
// `skiff server` runs this streaming server) should not carry it.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

const require = (id: string): unknown => process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);
const chosen = new WeakMap<IncomingMessage, string>();
let wss: WebSocketServer | undefined;

function server(): WebSocketServer {
  if (!wss) {
    const { WebSocketServer: Server } = require('ws') as typeof import('ws');
    wss = new Server({ noServer: true, perMessageDeflate: false, handleProtocols: (_offered, req) => chosen.get(req) || false });
  }
  return wss;
}

export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  chosen.set(req, protocol);
  return new Promise((resolve) => server().handleUpgrade(req, socket, head, resolve));
}
