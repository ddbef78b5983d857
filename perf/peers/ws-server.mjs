// Comparison peer on Node with the `ws` package: a Set of sockets per symbol, every tick encoded once and sent to
// each subscriber with ws.send. Usage: node ws-server.mjs --ws-port P --feed-port F [--bind 127.0.0.1]
//
// ws buffers without bound; like Bun's default backpressureLimit, a socket with more than 16 MiB waiting is
// skipped for that frame, so the two peers behave alike under a slow client.

import http from 'node:http';
import { WebSocketServer } from 'ws';
import { runPeer } from './peer.mjs';

const BACKPRESSURE_LIMIT_BYTES = 16 * 1024 * 1024;

runPeer('ws-server', async (peer, options) => {
  const subscribers = []; // by sid: the Set of sockets subscribed

  const httpServer = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/api/symbols') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(peer.symbolsJson());
    } else {
      response.writeHead(404).end('not found\n');
    }
  });
  // Upgrades to any other path are refused with 400 by ws itself.
  const wss = new WebSocketServer({ server: httpServer, path: '/ws', perMessageDeflate: false, maxPayload: 1024 * 1024 });

  wss.on('connection', (ws) => {
    const sids = new Set();
    ws.on('message', (data, isBinary) => {
      peer.onMessage(sids, isBinary ? data : data.toString(), (reply) => ws.send(reply),
        (sid) => (subscribers[sid] ??= new Set()).add(ws));
    });
    ws.on('close', () => {
      for (const sid of sids) subscribers[sid].delete(ws);
    });
    ws.on('error', () => {}); // a broken client socket is closed by ws; 'close' follows
  });

  peer.decoder.onTick = (sid) => {
    const sockets = subscribers[sid];
    if (sockets === undefined || sockets.size === 0) return;
    // One copy of the scratch frame, shared by every send: ws may hold it until the socket drains.
    const frame = Buffer.from(peer.updateFrame(sid));
    let sent = 0;
    for (const ws of sockets) {
      if (ws.bufferedAmount > BACKPRESSURE_LIMIT_BYTES) continue;
      ws.send(frame);
      sent++;
    }
    peer.sent(sent, frame.length);
  };

  // ws re-emits the HTTP server's errors; a failed listen is reported once, through the promise below.
  wss.on('error', () => {});
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.wsPort, options.bind, resolve);
  });
  return {
    port: httpServer.address().port,
    close() {
      for (const ws of wss.clients) ws.close(1001, 'going away');
      wss.close();
      httpServer.close();
    },
  };
});
