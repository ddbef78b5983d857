// Comparison peer on Bun's built-in WebSocket server with pub/sub: one topic per symbol, every tick published once
// to its topic. Usage: node_modules/.bin/bun bun-server.mjs --ws-port P --feed-port F [--bind 127.0.0.1]
//
// Backpressure is Bun's default: past backpressureLimit (16 MiB buffered) a publish skips that socket, unseen here.

import { runPeer } from './peer.mjs';

if (typeof Bun === 'undefined') {
  process.stderr.write('bun-server: run me with bun (node_modules/.bin/bun), not node\n');
  process.exit(2);
}

runPeer('bun-server', (peer, options) => {
  const topics = []; // by sid, made once per symbol
  const subscribers = []; // by sid: sockets subscribed, for the counters (Bun does the fan-out)
  const sessions = new Set();

  const server = Bun.serve({
    hostname: options.bind,
    port: options.wsPort,
    fetch(request, srv) {
      const path = new URL(request.url).pathname;
      if (path === '/ws') {
        return srv.upgrade(request, { data: { sids: new Set() } })
          ? undefined : new Response('WebSocket upgrade expected\n', { status: 400 });
      }
      if (path === '/api/symbols' && request.method === 'GET') {
        return new Response(peer.symbolsJson(), { headers: { 'content-type': 'application/json' } });
      }
      return new Response('not found\n', { status: 404 });
    },
    websocket: {
      maxPayloadLength: 1024 * 1024, // larger requests than the protocol's 64 KiB still get a TOO_LARGE reply
      open(ws) {
        sessions.add(ws);
      },
      message(ws, message) {
        peer.onMessage(ws.data.sids, message, (data) => ws.send(data), (sid) => {
          topics[sid] ??= `s${sid}`;
          subscribers[sid] = (subscribers[sid] ?? 0) + 1;
          ws.subscribe(topics[sid]);
        });
      },
      close(ws) {
        sessions.delete(ws);
        for (const sid of ws.data.sids) subscribers[sid]--;
      },
    },
  });

  // publish copies the bytes before it returns, so the encoder's scratch frame goes out as it is.
  peer.decoder.onTick = (sid) => {
    const count = subscribers[sid];
    if (!(count > 0)) return;
    const frame = peer.updateFrame(sid);
    server.publish(topics[sid], frame);
    peer.sent(count, frame.length);
  };

  return {
    port: server.port,
    close() {
      for (const ws of sessions) ws.close(1001, 'going away');
      server.stop(true);
    },
  };
});
