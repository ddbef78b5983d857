// Comparison peer on Node with the `ws` package: a Set of sockets per symbol, every tick encoded once and sent to
// each subscriber with ws.send. Usage: node ws-server.mjs --ws-port P --feed-port F [--bind 127.0.0.1]
//
// ws buffers without bound; like Bun's default backpressureLimit, a socket with more than 16 MiB waiting is
// skipped for that frame, so the two peers behave alike under a slow client.

import http from 'node:http';
import { WebSocketServer } from 'ws';
import { runPeer } from './peer.mjs';

const BACKPRESSURE_LIMIT_BYTES = 16 * 1024 * 1024;

const contentType = (status) => (status === 200 ? 'application/json' : 'text/plain');

runPeer('ws-server', async (peer, options) => {
  const subscribers = []; // by sid: the Set of sockets subscribed

  // What plain HTTP serves, as [status, body]: the symbol list the load generator plans with.
  const route = (method, url) => (method === 'GET' && url === '/api/symbols'
    ? [200, peer.symbolsJson()] : [404, 'not found\n']);
  const httpServer = http.createServer((request, response) => {
    const [status, body] = route(request.method, request.url);
    response.writeHead(status, { 'content-type': contentType(status) }).end(body);
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  // Node hands every request with an Upgrade header to this listener, also Java's HttpClient asking for h2c on a
  // plain GET; those get their answer over HTTP/1.1 here, as the gateway gives it.
  httpServer.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client gone mid-handshake is no concern of the peer
    const path = request.url.split('?', 1)[0];
    if (request.headers.upgrade?.toLowerCase() === 'websocket') {
      if (path === '/ws') wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [status, body] = route(request.method, request.url);
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: ${contentType(status)}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

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
