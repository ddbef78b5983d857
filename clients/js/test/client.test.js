// TickgateClient against a scripted in-memory WebSocket: request/reply by id, store, snapshot truth, gap and
// regression detection, watchdog and reconnect with backoff, argument checks and the gateway's request limits. No
// network, so every case is deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickgateClient, TickgateError, KIND_SNAPSHOT, KIND_UPDATE, KIND_HEARTBEAT } from '../tickgate-client.js';
import { frame } from './frames.js';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.texts = [];
    FakeSocket.all.push(this);
  }
  send(text) { this.texts.push(text); this.sent.push(JSON.parse(text)); }
  close(code, reason) { this.readyState = 3; this.closedWith = { code, reason }; }
  // server side
  open() { this.readyState = 1; this.onopen?.({}); }
  reply(obj) { this.onmessage?.({ data: JSON.stringify(obj) }); }
  binary(buffer) { this.onmessage?.({ data: buffer }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code, reason: '' }); }
  last(op) { return this.sent.findLast((m) => m.op === op); }
}

const until = async (what, check, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

function newClient(options = {}) {
  FakeSocket.all = [];
  const client = new TickgateClient('ws://gateway/ws', { WebSocket: FakeSocket, initialBackoffMs: 5,
    maxBackoffMs: 40, ...options });
  const events = [];
  for (const type of ['update', 'status', 'gap', 'regression', 'error', 'dropped']) {
    client.addEventListener(type, (e) => events.push({ type, ...e.detail }));
  }
  return { client, events };
}

async function subscribed(client, ws, symbols) {
  const p = client.subscribe(symbols.map((s) => s.symbol));
  const req = ws.last('subscribe');
  ws.reply({ op: 'subscribed', id: req.id, symbols, rejected: [] });
  return p;
}

test('a subscribe made before the connection opens is sent once and resolved by its own reply', async () => {
  const { client } = newClient();
  client.connect();
  const p = client.subscribe(['A']);
  const ws = FakeSocket.all[0];
  ws.open();
  const subscribes = ws.sent.filter((m) => m.op === 'subscribe');
  assert.equal(subscribes.length, 1);
  ws.reply({ op: 'subscribed', id: subscribes[0].id, symbols: [{ symbol: 'A', sid: 0, priceScale: 0, sizeScale: 0 }],
    rejected: [] });
  assert.equal((await p).symbols[0].sid, 0);
  client.close();
});

test('a request made while the gateway is down waits through failed connects for the next open', async () => {
  const { client } = newClient();
  client.connect();
  FakeSocket.all[0].drop(1006);
  const p = client.throttle(4);
  await until('a second socket', () => FakeSocket.all.length === 2);
  FakeSocket.all[1].drop(1006); // another failed connect: the request was never sent, so it is not failed
  await until('a third socket', () => FakeSocket.all.length === 3);
  const ws = FakeSocket.all[2];
  ws.open();
  const sent = ws.sent.filter((m) => m.op === 'throttle' && m.id !== undefined);
  assert.equal(sent.length, 1);
  ws.reply({ op: 'throttled', id: sent[0].id, maxRateHz: 4 });
  assert.equal((await p).maxRateHz, 4);
  client.close();
});

test('resolves each request by the id its reply echoes, and rejects on an error reply', async () => {
  const { client, events } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const ping = client.ping();
  const throttle = client.throttle(4);
  const [pingReq, throttleReq] = [ws.last('ping'), ws.last('throttle')];
  assert.notEqual(pingReq.id, throttleReq.id);
  // Replies out of order still reach the right promise.
  ws.onmessage({ data: `{"op":"throttled","id":${throttleReq.id},"maxRateHz":4}` });
  ws.onmessage({ data: `{"op":"pong","id":${pingReq.id},"serverTime":1764000000000000001}` });
  assert.equal((await throttle).maxRateHz, 4);
  assert.equal((await ping).serverTimeText, '1764000000000000001', 'i64 serverTime kept exact as text');
  const bad = client.subscribe(['X']);
  ws.reply({ op: 'error', id: ws.last('subscribe').id, code: 'BAD_REQUEST', message: 'nope' });
  await assert.rejects(bad, (e) => e instanceof TickgateError && e.code === 'BAD_REQUEST');
  assert.ok(events.some((e) => e.type === 'error' && e.error.code === 'BAD_REQUEST'));
  client.close();
});

test('keeps the latest value per symbol from SNAPSHOT and UPDATE entries', async () => {
  const { client, events } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const reply = await subscribed(client, ws, [
    { symbol: 'AAPL', sid: 3, priceScale: 4, sizeScale: 0 }, { symbol: 'MSFT', sid: 9, priceScale: 2, sizeScale: 0 }]);
  assert.deepEqual(reply.symbols.map((s) => s.symbol), ['AAPL', 'MSFT']);
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 3, seq: 5, bid: 1_000_000, ask: 1_000_100, flags: 1, conflated: 4 }]));
  const aapl = client.get('AAPL');
  assert.equal(aapl.bidPrice, 1_000_000n);
  assert.equal(aapl.lastPrice, null, 'no trade flag: no last trade');
  assert.equal(aapl.updates, 5);
  assert.equal(client.get('MSFT').hasQuote, false, 'left out of the snapshot: no value yet');
  ws.binary(frame(KIND_UPDATE, 2, [{ sid: 9, seq: 1, bid: 40000, ask: 40001, last: 40000, lastSize: 10 },
    { sid: 3, seq: 6, bid: 1_000_050, ask: 1_000_100, flags: 5 }]));
  assert.equal(client.get('MSFT').lastPrice, 40000n);
  assert.equal(aapl.bidPrice, 1_000_050n);
  assert.equal(aapl.stale, true);
  const updates = events.filter((e) => e.type === 'update');
  assert.equal(updates.length, 2);
  assert.deepEqual(updates[1].symbols.map((s) => s.symbol), ['MSFT', 'AAPL']);
  ws.binary(frame(KIND_HEARTBEAT, 3));
  assert.equal(client.stats.heartbeats, 1);
  assert.equal(client.stats.gaps, 0);
  client.close();
});

test('counts no feed update for entries that only set or clear the stale flag', async () => {
  const { client } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, [{ symbol: 'AAPL', sid: 3, priceScale: 4, sizeScale: 0 }]);
  const value = { sid: 3, bid: 1_000_000, ask: 1_000_100, exchangeTime: 7, ingestTime: 1_764_000_000_000_000_000 };
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ ...value, seq: 5, flags: 1, conflated: 4 }]));
  ws.binary(frame(KIND_UPDATE, 2, [{ ...value, seq: 6, flags: 5 }]));
  const aapl = client.get('AAPL');
  assert.equal(aapl.stale, true);
  assert.equal(aapl.updates, 5, 'setting the stale flag is no feed update');
  ws.binary(frame(KIND_UPDATE, 3, [{ ...value, seq: 7, flags: 1 }]));
  assert.equal(aapl.stale, false);
  assert.equal(aapl.updates, 5, 'clearing it (the source is back) is none either');
  ws.binary(frame(KIND_UPDATE, 4, [{ ...value, seq: 8, flags: 1, bid: 1_000_050, ingestTime: 1_764_000_000_000_000_001 }]));
  assert.equal(aapl.updates, 6);
  assert.equal(aapl.bidPrice, 1_000_050n);
  client.close();
});

test('one SNAPSHOT answers all the subscribe replies before it, as the gateway merges owed snapshots', async () => {
  const { client } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const a = client.subscribe(['A']);
  const b = client.subscribe(['B']);
  const [ra, rb] = ws.sent.filter((m) => m.op === 'subscribe');
  ws.reply({ op: 'subscribed', id: ra.id, symbols: [{ symbol: 'A', sid: 1, priceScale: 0, sizeScale: 0 }] });
  ws.reply({ op: 'subscribed', id: rb.id, symbols: [{ symbol: 'B', sid: 2, priceScale: 0, sizeScale: 0 }] });
  await Promise.all([a, b]);
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 3, bid: 10, ask: 11 }, { sid: 2, seq: 4, bid: 20, ask: 21 }]));
  ws.binary(frame(KIND_UPDATE, 2, [{ sid: 2, seq: 5, bid: 22, ask: 23 }]));
  const c = client.subscribe(['C']);
  ws.reply({ op: 'subscribed', id: ws.last('subscribe').id, symbols: [{ symbol: 'C', sid: 3, priceScale: 0,
    sizeScale: 0 }] });
  await c;
  ws.binary(frame(KIND_SNAPSHOT, 3, []));
  assert.equal(client.get('A').bidPrice, 10n);
  assert.equal(client.get('B').bidPrice, 22n, 'a later snapshot does not clear symbols it was not for');
  assert.equal(client.get('C').hasQuote, false);
  client.close();
});

test('ignores an entry whose seq goes back', async () => {
  const { client, events } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, [{ symbol: 'AAPL', sid: 1, priceScale: 2, sizeScale: 0 }]);
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 10, bid: 100, ask: 101 }]));
  ws.binary(frame(KIND_UPDATE, 2, [{ sid: 1, seq: 9, bid: 99, ask: 100 }]));
  const regression = events.find((e) => e.type === 'regression');
  assert.deepEqual([regression.symbol, regression.seq, regression.lastSeq], ['AAPL', 9n, 10n]);
  assert.equal(client.get('AAPL').bidPrice, 100n, 'the regressed entry left the store alone');
  ws.binary(frame(KIND_UPDATE, 3, [{ sid: 1, seq: 11, bid: 98, ask: 100 }]));
  assert.equal(client.get('AAPL').bidPrice, 98n);
  client.close();
});

test('resyncs after a frameSeq gap: reconnects, and the new SNAPSHOT repairs a value lost in the gap', async () => {
  const { client, events } = newClient();
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, accept(['A', 'B'], 1));
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 5, bid: 50, ask: 51 }, { sid: 2, seq: 7, bid: 70, ask: 71 }]));
  // Frame 2 held A at seq 6 and was lost; A is quiet from then on. Frame 3 is applied: its values are newer.
  ws.binary(frame(KIND_UPDATE, 3, [{ sid: 2, seq: 8, bid: 72, ask: 73 }]));
  const gap = events.find((e) => e.type === 'gap');
  assert.deepEqual([gap.expected, gap.received], [2n, 3n]);
  assert.equal(client.get('B').bidPrice, 72n);
  assert.deepEqual(ws.closedWith, { code: 4002, reason: 'frameSeq gap' });
  await until('a new connection', () => FakeSocket.all.length === 2);
  ws = FakeSocket.all[1];
  ws.open();
  assert.deepEqual(ws.last('subscribe').symbols, ['A', 'B']);
  ws.reply({ op: 'subscribed', symbols: accept(['A', 'B'], 1), rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 6, bid: 60, ask: 61 }, { sid: 2, seq: 8, bid: 72, ask: 73 }]));
  assert.equal(client.get('A').bidPrice, 60n, 'the value lost in the gap');
  assert.equal(client.get('A').seq, 6n);
  assert.equal(client.stats.gaps, 1);
  client.close();
});

test('after a reconnect it resubscribes, re-sends the throttle and takes the new SNAPSHOT as the truth', async () => {
  const { client, events } = newClient();
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, [{ symbol: 'A', sid: 1, priceScale: 0, sizeScale: 0 },
    { symbol: 'B', sid: 2, priceScale: 0, sizeScale: 0 }]);
  const t = client.throttle(10);
  ws.reply({ op: 'throttled', id: ws.last('throttle').id, maxRateHz: 10 });
  await t;
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 900, bid: 50, ask: 51 }, { sid: 2, seq: 700, bid: 7, ask: 8 }]));
  const pending = client.ping();
  ws.drop(1001);
  await assert.rejects(pending, (e) => e.code === 'DISCONNECTED');
  assert.ok(events.some((e) => e.type === 'status' && e.state === 'reconnecting'));
  await until('a second socket', () => FakeSocket.all.length === 2);
  ws = FakeSocket.all[1];
  ws.open();
  const resub = ws.sent.find((m) => m.op === 'subscribe');
  assert.deepEqual(resub.symbols, ['A', 'B']);
  assert.equal(ws.sent.find((m) => m.op === 'throttle').maxRateHz, 10);
  // A restarted gateway numbers sids and seqs afresh; B has no value there yet.
  ws.reply({ op: 'subscribed', symbols: [{ symbol: 'A', sid: 5, priceScale: 0, sizeScale: 0 },
    { symbol: 'B', sid: 6, priceScale: 0, sizeScale: 0 }], rejected: [] });
  assert.equal(client.get('A').bidPrice, 50n, 'old values stay shown until the snapshot arrives');
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 5, seq: 1, bid: 60, ask: 61 }]));
  assert.equal(client.get('A').bidPrice, 60n, 'seq 1 after a restart is accepted');
  assert.equal(client.get('A').seq, 1n);
  assert.equal(client.get('B').bidPrice, null, 'absent from the new snapshot: cleared');
  assert.equal(client.stats.gaps, 0, 'frameSeq restarts with the session');
  assert.equal(client.stats.regressions, 0);
  client.close();
});

test('the watchdog drops a silent connection after 3 heartbeat intervals and reconnects', async () => {
  const { client, events } = newClient({ heartbeatMs: 30 });
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const heartbeats = setInterval(() => ws.binary(frame(KIND_HEARTBEAT, ++ws.frames)), 20);
  ws.frames = 0;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(FakeSocket.all.length, 1, 'heartbeats keep the connection');
  clearInterval(heartbeats);
  await until('a reconnect', () => FakeSocket.all.length === 2);
  assert.equal(ws.closedWith.code, 4000);
  assert.ok(events.some((e) => e.type === 'error' && e.error.code === 'WATCHDOG'));
  client.close();
});

test('the watchdog does not count time the page itself was busy as the gateway\'s silence', async () => {
  const { client, events } = newClient({ heartbeatMs: 30 });
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  ws.frames = 0;
  const heartbeats = setInterval(() => ws.binary(frame(KIND_HEARTBEAT, ++ws.frames)), 20);
  await new Promise((r) => setTimeout(r, 50));
  // A long task: 10 heartbeat intervals in which no timer or message can run (the page building many rows).
  const busyUntil = Date.now() + 300;
  while (Date.now() < busyUntil) { /* the page's main thread, busy */ }
  await new Promise((r) => setTimeout(r, 150));
  clearInterval(heartbeats);
  if (events.some((e) => e.type === 'error' && e.error.code === 'WATCHDOG')) client.close(); // no hung run
  assert.ok(!events.some((e) => e.type === 'error' && e.error.code === 'WATCHDOG'), JSON.stringify(events));
  assert.equal(FakeSocket.all.length, 1, 'the connection is kept');
  await until('a silent gateway still dropped', () => FakeSocket.all.length === 2);
  assert.equal(ws.closedWith.code, 4000);
  client.close();
});

test('setHeartbeatMs on an open connection re-times the watchdog: a slower gateway is not dropped', async () => {
  const { client, events } = newClient({ heartbeatMs: 20 });
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  client.setHeartbeatMs(200); // what GET /health of the gateway now connected says
  assert.equal(client.heartbeatMs, 200);
  await new Promise((r) => setTimeout(r, 250)); // over 3 x 20 ms of silence, under 3 x 200 ms
  assert.equal(FakeSocket.all.length, 1, 'kept by the new interval');
  assert.ok(!events.some((e) => e.type === 'error' && e.error.code === 'WATCHDOG'));
  await until('the watchdog at the new interval', () => FakeSocket.all.length === 2, 2000);
  assert.equal(ws.closedWith.code, 4000);
  assert.throws(() => client.setHeartbeatMs(0), TypeError);
  client.close();
});

test('a heartbeat longer than a timer can hold (a gateway told a huge --heartbeat-ms) sets no overflowing timer', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    const { client } = newClient({ heartbeatMs: 9223372036854 });
    client.connect();
    FakeSocket.all[0].open();
    await new Promise((r) => setTimeout(r, 50));
    client.close();
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

test('a new subscription (new sid after a reconnect) starts conflatedTotal and updates from zero', async () => {
  const { client } = newClient();
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, [{ symbol: 'A', sid: 1, priceScale: 0, sizeScale: 0 }]);
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 10, bid: 5, ask: 6, conflated: 7 }]));
  ws.binary(frame(KIND_UPDATE, 2, [{ sid: 1, seq: 11, bid: 5, ask: 7, conflated: 2, ingestTime: 5 }]));
  assert.equal(client.get('A').conflatedTotal, 9);
  ws.drop(1001);
  await until('a second socket', () => FakeSocket.all.length === 2);
  ws = FakeSocket.all[1];
  ws.open();
  ws.reply({ op: 'subscribed', symbols: [{ symbol: 'A', sid: 3, priceScale: 0, sizeScale: 0 }], rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 3, seq: 1, bid: 5, ask: 6, conflated: 4 }]));
  assert.equal(client.get('A').conflatedTotal, 4, 'the new run counts from its own start only');
  assert.equal(client.get('A').updates, 5);
  client.close();
});

test('drops a connect the server never answers after connectTimeoutMs and retries with backoff', async () => {
  const { client, events } = newClient({ connectTimeoutMs: 30 });
  client.connect();
  const hung = FakeSocket.all[0]; // the server took the TCP connection but never answers the handshake
  await until('a second attempt', () => FakeSocket.all.length === 2, 2000);
  assert.equal(hung.closedWith.code, 4001);
  const retry = events.find((e) => e.type === 'status' && e.state === 'reconnecting');
  assert.equal(retry.reason, 'connect timeout');
  assert.ok(retry.delayMs > 0, 'the retry waits its backoff');
  FakeSocket.all[1].open(); // an answered handshake is left alone however long the session lasts
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(FakeSocket.all.length, 2);
  assert.equal(FakeSocket.all[1].closedWith, undefined);
  client.close();
});

test('backs off exponentially with jitter up to the cap while the gateway is down', async () => {
  const { client, events } = newClient({ initialBackoffMs: 4, maxBackoffMs: 32 });
  client.connect();
  for (let i = 0; i < 7; i++) {
    await until(`socket ${i + 1}`, () => FakeSocket.all.length === i + 1);
    FakeSocket.all[i].drop(1006);
  }
  const delays = events.filter((e) => e.type === 'status' && e.state === 'reconnecting').map((e) => e.delayMs);
  const ceilings = [4, 8, 16, 32, 32, 32, 32];
  delays.forEach((d, i) => assert.ok(d >= ceilings[i] / 2 - 1 && d <= ceilings[i], `delay ${i} = ${d}`));
  client.close();
  assert.equal(events.at(-1).state, 'closed');
});

test('asks again for a symbol a restarted gateway does not know yet, but not for a typo', async () => {
  const { client } = newClient({ unknownRetryMs: 10 });
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  const p = client.subscribe(['NEW', 'TYPO']);
  ws.reply({ op: 'subscribed', id: ws.last('subscribe').id, symbols: [{ symbol: 'NEW', sid: 1, priceScale: 0,
    sizeScale: 0 }], rejected: [{ symbol: 'TYPO', reason: 'UNKNOWN_SYMBOL' }] });
  assert.equal((await p).rejected[0].symbol, 'TYPO');
  ws.drop(1001);
  await until('a second socket', () => FakeSocket.all.length === 2);
  ws = FakeSocket.all[1];
  ws.open();
  assert.deepEqual(ws.last('subscribe').symbols, ['NEW', 'TYPO']);
  ws.reply({ op: 'subscribed', symbols: [], rejected: [{ symbol: 'NEW', reason: 'UNKNOWN_SYMBOL' },
    { symbol: 'TYPO', reason: 'UNKNOWN_SYMBOL' }] });
  await until('a second subscribe', () => ws.sent.filter((m) => m.op === 'subscribe').length === 2);
  assert.deepEqual(ws.last('subscribe').symbols, ['NEW']);
  ws.reply({ op: 'subscribed', symbols: [{ symbol: 'NEW', sid: 4, priceScale: 0, sizeScale: 0 }], rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 4, seq: 1, bid: 5, ask: 6 }]));
  assert.equal(client.get('NEW').askPrice, 6n);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(ws.sent.filter((m) => m.op === 'subscribe').length, 2, 'TYPO was not asked for again');
  client.close();
});

// A `subscribed` reply's `symbols` accepting all of `symbols`, numbered from `sid`.
const accept = (symbols, sid = 0) => symbols.map((symbol, i) => ({ symbol, sid: sid + i, priceScale: 0,
  sizeScale: 0 }));

async function reconnect(client) {
  const count = FakeSocket.all.length;
  FakeSocket.all.at(-1).drop(1001);
  await until('a new socket', () => FakeSocket.all.length === count + 1);
  const ws = FakeSocket.all.at(-1);
  ws.open();
  return ws;
}

test('a subscribe the gateway fails as a whole leaves wanted only the names wanted before it', async () => {
  const { client, events } = newClient();
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, accept(['A'], 1));
  const tooMany = client.subscribe(['A', 'X', 'Y']);
  ws.reply({ op: 'error', id: ws.last('subscribe').id, code: 'BAD_REQUEST',
    message: 'at most 4096 symbols per request' });
  await assert.rejects(tooMany, (e) => e.code === 'BAD_REQUEST');
  assert.deepEqual(client.symbols(), ['A'], 'A was wanted before the request, X and Y only through it');
  assert.equal(client.get('X'), undefined);
  assert.deepEqual(events.filter((e) => e.type === 'dropped').map((e) => [e.symbols, e.reason]),
    [[['X', 'Y'], 'BAD_REQUEST']]);
  // A later subscribe of the same name still in flight decides for it.
  const first = client.subscribe(['Z']);
  const second = client.subscribe(['Z']);
  const [firstReq, secondReq] = ws.sent.filter((m) => m.op === 'subscribe').slice(-2);
  ws.reply({ op: 'error', id: firstReq.id, code: 'BAD_REQUEST', message: 'nope' });
  await assert.rejects(first);
  assert.deepEqual(client.symbols(), ['A', 'Z']);
  ws.reply({ op: 'error', id: secondReq.id, code: 'BAD_REQUEST', message: 'nope' });
  await assert.rejects(second);
  assert.deepEqual(client.symbols(), ['A'], 'the later request took Z over and failed too');
  ws = await reconnect(client);
  assert.deepEqual(ws.sent.filter((m) => m.op === 'subscribe').map((m) => m.symbols), [['A']]);
  client.close();
});

test('a symbol rejected with LIMIT_EXCEEDED is dropped; one rejected as unknown stays wanted', async () => {
  const { client, events } = newClient();
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  const p = client.subscribe(['A', 'FULL', 'TYPO']);
  ws.reply({ op: 'subscribed', id: ws.last('subscribe').id, symbols: accept(['A'], 1),
    rejected: [{ symbol: 'FULL', reason: 'LIMIT_EXCEEDED' }, { symbol: 'TYPO', reason: 'UNKNOWN_SYMBOL' }] });
  assert.equal((await p).rejected.length, 2);
  assert.ok(events.some((e) => e.type === 'error' && e.symbol === 'FULL' && e.error.code === 'LIMIT_EXCEEDED'));
  assert.deepEqual(client.symbols(), ['A', 'TYPO']);
  assert.equal(client.get('FULL'), undefined);
  ws = await reconnect(client);
  assert.deepEqual(ws.last('subscribe').symbols, ['A', 'TYPO']);
  // Over the limit of a gateway restarted with a lower one: dropped from the resubscribe too, which no promise
  // waits for, so the event tells the app.
  ws.reply({ op: 'subscribed', symbols: accept(['A'], 1), rejected: [{ symbol: 'TYPO', reason: 'LIMIT_EXCEEDED' }] });
  assert.deepEqual(client.symbols(), ['A']);
  const dropped = events.filter((e) => e.type === 'dropped');
  assert.deepEqual(dropped.map((e) => [e.symbols, e.reason]), [[['FULL'], 'LIMIT_EXCEEDED'],
    [['TYPO'], 'LIMIT_EXCEEDED']]);
  client.close();
});

test('resubscribes in requests of at most 4,096 symbols and 64 KiB of UTF-8 JSON each', async () => {
  const { client } = newClient({ unknownRetryMs: 10 });
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  const short = Array.from({ length: 5000 }, (_, i) => `S${i}`);
  // 20 € of 3 UTF-8 bytes each: about 66 bytes of JSON per name, but 26 characters.
  const wide = Array.from({ length: 2000 }, (_, i) => `${'€'.repeat(20)}${i}`);
  const wanted = [...short, ...wide];
  for (let i = 0; i < wanted.length; i += 500) {
    await subscribed(client, ws, accept(wanted.slice(i, i + 500), i));
  }
  ws = await reconnect(client);
  const texts = ws.texts.filter((t) => JSON.parse(t).op === 'subscribe');
  const resubscribes = texts.map((t) => JSON.parse(t));
  assert.deepEqual(resubscribes.flatMap((m) => m.symbols), wanted, 'every symbol once, in order');
  for (const [i, m] of resubscribes.entries()) {
    assert.ok(m.symbols.length <= 4096, `request ${i}: ${m.symbols.length} symbols`);
    assert.ok(Buffer.byteLength(texts[i]) <= 65536, `request ${i}: ${Buffer.byteLength(texts[i])} bytes`);
  }
  assert.equal(resubscribes[0].symbols.length, 4096, 'the symbol limit splits the short names');
  assert.ok(resubscribes.length >= 4, 'the byte limit splits the wide names');
  // Each piece gets its own reply; symbols one calls unknown are asked for again like those of any other.
  ws.reply({ op: 'subscribed', symbols: [], rejected: [{ symbol: 'S0', reason: 'UNKNOWN_SYMBOL' }] });
  ws.reply({ op: 'subscribed', symbols: [], rejected: [{ symbol: 'S4096', reason: 'UNKNOWN_SYMBOL' }] });
  await until('a retry', () => ws.sent.filter((m) => m.op === 'subscribe').length === resubscribes.length + 1);
  assert.deepEqual(ws.last('subscribe').symbols, ['S0', 'S4096']);
  client.close();
});

test('refuses bad symbol arguments at once with BAD_REQUEST, sending nothing and keeping the wanted set', async () => {
  const { client } = newClient({ requestTimeoutMs: 100 });
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, accept(['A'], 1));
  const sentBefore = ws.sent.length;
  const bad = ['MS', undefined, null, 'A', [null], ['B', 5], ['B', ''], ['B', undefined], [, 'B'], { 0: 'B' }];
  for (const symbols of bad) {
    const refused = (e) => e instanceof TickgateError && e.code === 'BAD_REQUEST' && e.id === undefined;
    await assert.rejects(() => client.subscribe(symbols), refused, `subscribe(${JSON.stringify(symbols)})`);
    await assert.rejects(() => client.unsubscribe(symbols), refused, `unsubscribe(${JSON.stringify(symbols)})`);
  }
  assert.equal(ws.sent.length, sentBefore, 'nothing sent');
  assert.deepEqual(client.symbols(), ['A']);
  assert.equal(client.get('M'), undefined);
  client.close();
});

test('refuses a request over 64 KiB of UTF-8 JSON at once with TOO_LARGE, sending nothing', async () => {
  const { client } = newClient({ requestTimeoutMs: 100 });
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  // Exactly 65,536 bytes with its id (1) goes out; one more byte (id 2) does not.
  const fill = 65536 - JSON.stringify({ op: 'subscribe', symbols: [''], id: 1 }).length;
  const atLimit = client.subscribe(['x'.repeat(fill)]);
  assert.equal(Buffer.byteLength(ws.texts.at(-1)), 65536);
  ws.reply({ op: 'subscribed', id: ws.last('subscribe').id, symbols: accept(['x'.repeat(fill)], 1), rejected: [] });
  await atLimit;
  const sentBefore = ws.sent.length;
  const tooLarge = (e) => e instanceof TickgateError && e.code === 'TOO_LARGE';
  await assert.rejects(client.subscribe(['y'.repeat(fill + 1)]), tooLarge);
  // Bytes, not characters: 33,000 two-byte characters are 66,000 bytes.
  await assert.rejects(client.subscribe(['é'.repeat(33000)]), tooLarge);
  await assert.rejects(client.subscribe(['a', 'é'.repeat(33000)]), tooLarge, 'one name too long refuses the call');
  await assert.rejects(client.unsubscribe(['x'.repeat(fill), 'z'.repeat(100)]), tooLarge);
  assert.equal(ws.sent.length, sentBefore, 'nothing sent');
  assert.deepEqual(client.symbols(), ['x'.repeat(fill)], 'the wanted set is unchanged, nor unsubscribed');
  client.close();
});

test('refuses an out-of-range throttle at once and re-sends the last valid one after a reconnect', async () => {
  const { client } = newClient({ requestTimeoutMs: 100 });
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  for (const hz of [1_000_000, 4]) {
    const t = client.throttle(hz);
    ws.reply({ op: 'throttled', id: ws.last('throttle').id, maxRateHz: hz });
    await t;
  }
  const sentBefore = ws.sent.length;
  for (const hz of [2_000_000, 1_000_001, -1, 2.5, NaN, Infinity, '4', null, undefined, 4n]) {
    await assert.rejects(() => client.throttle(hz), (e) => e instanceof TickgateError && e.code === 'BAD_REQUEST',
      `throttle(${String(hz)})`);
  }
  assert.equal(ws.sent.length, sentBefore, 'nothing sent');
  assert.equal(client.maxRateHz, 4);
  ws = await reconnect(client);
  assert.equal(ws.last('throttle').maxRateHz, 4);
  client.close();
});

test('clears a held value when a restarted gateway calls its symbol unknown, and asks for it again', async () => {
  const { client, events } = newClient({ unknownRetryMs: 10 });
  client.connect();
  let ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, accept(['A', 'B'], 1));
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 9, bid: 50, ask: 51, last: 50, lastSize: 3, conflated: 8 },
    { sid: 2, seq: 4, bid: 7, ask: 8 }]));
  assert.deepEqual([client.get('A').updates, client.get('A').conflatedTotal], [9, 8]);
  ws = await reconnect(client);
  const updatesBefore = events.filter((e) => e.type === 'update').length;
  ws.reply({ op: 'subscribed', symbols: accept(['B'], 6), rejected: [{ symbol: 'A', reason: 'UNKNOWN_SYMBOL' }] });
  const a = client.get('A');
  assert.deepEqual([a.hasQuote, a.hasTrade, a.bidPrice, a.askPrice, a.lastPrice, a.seq], [false, false, null, null,
    null, 0n], 'no value from the previous gateway run');
  assert.deepEqual([a.updates, a.conflatedTotal], [0, 0], 'nor its counts');
  assert.equal(client.get('B').bidPrice, 7n, 'B waits for its snapshot as before');
  const updates = events.filter((e) => e.type === 'update').slice(updatesBefore);
  assert.equal(updates.length, 1);
  assert.deepEqual([updates[0].kind, updates[0].frameSeq, updates[0].symbols], [null, null, [a]]);
  await until('a retry', () => ws.sent.filter((m) => m.op === 'subscribe').length === 2);
  assert.deepEqual(ws.last('subscribe').symbols, ['A']);
  ws.reply({ op: 'subscribed', symbols: [], rejected: [{ symbol: 'A', reason: 'UNKNOWN_SYMBOL' }] });
  assert.equal(events.filter((e) => e.type === 'update').length, updatesBefore + 1, 'nothing more to clear');
  await until('a second retry', () => ws.sent.filter((m) => m.op === 'subscribe').length === 3);
  ws.reply({ op: 'subscribed', symbols: accept(['A'], 7), rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 7, seq: 1, bid: 60, ask: 61 }, { sid: 6, seq: 1, bid: 9, ask: 10 }]));
  assert.equal(client.get('A').bidPrice, 60n);
  assert.equal(client.get('B').bidPrice, 9n);
  client.close();
});

test('a value restated at the same seq by a re-subscribe sent before the first reply is no regression', async () => {
  const { client, events } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  // subscribe, unsubscribe and subscribe again, all sent before the gateway answers the first.
  const first = client.subscribe(['A']);
  const leave = client.unsubscribe(['A']);
  const again = client.subscribe(['A']);
  const [sub1, sub2] = ws.sent.filter((m) => m.op === 'subscribe');
  ws.reply({ op: 'subscribed', id: sub1.id, symbols: accept(['A'], 3), rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 3, seq: 10, bid: 5, ask: 6, conflated: 2 }]));
  ws.reply({ op: 'unsubscribed', id: ws.last('unsubscribe').id, symbols: ['A'] });
  // The second subscribe is a new subscription: its SNAPSHOT restates A at the seq the client holds.
  ws.reply({ op: 'subscribed', id: sub2.id, symbols: accept(['A'], 3), rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 2, [{ sid: 3, seq: 10, bid: 5, ask: 6, conflated: 2 }]));
  await Promise.all([first, leave, again]);
  assert.equal(client.stats.regressions, 0);
  assert.ok(!events.some((e) => e.type === 'regression'));
  assert.equal(client.get('A').bidPrice, 5n);
  assert.equal(client.get('A').updates, 3, 'the restated entry is not counted twice');
  ws.binary(frame(KIND_UPDATE, 3, [{ sid: 3, seq: 9, bid: 4, ask: 6 }]));
  assert.equal(client.stats.regressions, 1, 'a lower seq still is one');
  assert.equal(client.get('A').bidPrice, 5n);
  client.close();
});

test('latency stays on the wall clock when performance.now() stops during a system sleep', async () => {
  const { client } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  await subscribed(client, ws, accept(['A'], 1));
  const realNow = Date.now;
  const realPerformanceNow = performance.now;
  try {
    const frozen = performance.now();
    performance.now = () => frozen; // asleep: the monotonic clock stands still ...
    const woke = realNow() + 60_000;
    Date.now = () => woke; // ... while the wall clock moves on a minute
    ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 1, bid: 5, ask: 6 }]));
    ws.binary(frame(KIND_UPDATE, 2, [{ sid: 1, seq: 2, bid: 5, ask: 7, ingestTime: BigInt(woke - 3) * 1_000_000n }]));
    const { latencyMs, receivedAt } = client.get('A');
    assert.ok(Math.abs(latencyMs - 3) < 1, `latency ${latencyMs} ms after the sleep`);
    assert.ok(Math.abs(receivedAt - woke) < 1, `received at ${receivedAt}, wall clock ${woke}`);
  } finally {
    Date.now = realNow;
    performance.now = realPerformanceNow;
  }
  client.close();
});

test('backs off from a gateway that opens and closes at once (1013 full); a binary frame resets the backoff',
  async () => {
    const { client, events } = newClient({ initialBackoffMs: 4, maxBackoffMs: 64 });
    const delays = () => events.filter((e) => e.type === 'status' && e.state === 'reconnecting').map((e) => e.delayMs);
    client.connect();
    for (let i = 0; i < 8; i++) {
      await until(`socket ${i + 1}`, () => FakeSocket.all.length === i + 1);
      FakeSocket.all[i].open();
      FakeSocket.all[i].drop(1013);
    }
    const ceilings = [4, 8, 16, 32, 64, 64, 64, 64];
    delays().forEach((d, i) => assert.ok(d >= ceilings[i] / 2 - 1 && d <= ceilings[i], `delay ${i} = ${d}`));
    // A connection that delivers data proved the gateway serves: the next failure starts from the first step.
    await until('socket 9', () => FakeSocket.all.length === 9);
    const ws = FakeSocket.all[8];
    ws.open();
    ws.binary(frame(KIND_HEARTBEAT, 1));
    ws.drop(1001);
    assert.ok(delays().at(-1) <= 4, `delay after a working connection = ${delays().at(-1)}`);
    client.close();
  });

test('splits a subscribe over the gateway limits; one request failed as a whole forgets only its names', async () => {
  const { client } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const short = Array.from({ length: 5000 }, (_, i) => `S${i}`); // over 4,096 names
  const long = Array.from({ length: 4000 }, (_, i) => `L${String(i).padStart(15, '0')}`); // over 64 KiB
  for (const [i, names] of [short, long].entries()) {
    const sentBefore = ws.texts.length;
    const p = client.subscribe(names);
    const texts = ws.texts.slice(sentBefore);
    const requests = texts.map((t) => JSON.parse(t));
    assert.ok(requests.length >= 2, `list ${i} went in ${requests.length} request(s)`);
    assert.deepEqual(requests.flatMap((m) => m.symbols), names, 'every name once, in order');
    for (const [k, m] of requests.entries()) {
      assert.equal(m.op, 'subscribe');
      assert.ok(m.symbols.length <= 4096, `request ${k}: ${m.symbols.length} names`);
      assert.ok(Buffer.byteLength(texts[k]) <= 65536, `request ${k}: ${Buffer.byteLength(texts[k])} bytes`);
    }
    let sid = 1 + i * 10000;
    for (const m of requests) {
      ws.reply({ op: 'subscribed', id: m.id, symbols: accept(m.symbols.slice(1), sid),
        rejected: [{ symbol: m.symbols[0], reason: 'UNKNOWN_SYMBOL' }] });
      sid += m.symbols.length;
    }
    const reply = await p;
    assert.equal(reply.op, 'subscribed');
    assert.equal(reply.symbols.length + reply.rejected.length, names.length, 'one reply holding every piece');
    assert.deepEqual(reply.rejected.map((r) => r.symbol), requests.map((m) => m.symbols[0]));
  }
  assert.equal(client.symbols().length, 9000);
  // The second piece is refused as a whole: its names are forgotten, the first piece's stay wanted.
  const more = Array.from({ length: 4100 }, (_, i) => `M${i}`);
  const p = client.subscribe(more);
  const [first, second] = ws.sent.filter((m) => m.op === 'subscribe').slice(-2);
  assert.deepEqual([first.symbols.length, second.symbols.length], [4096, 4]);
  ws.reply({ op: 'subscribed', id: first.id, symbols: accept(first.symbols, 50000), rejected: [] });
  ws.reply({ op: 'error', id: second.id, code: 'RATE_LIMITED', message: 'slow down' });
  await assert.rejects(p, (e) => e.code === 'RATE_LIMITED');
  assert.equal(client.symbols().length, 9000 + 4096);
  assert.ok(client.symbols().includes('M4095') && !client.symbols().includes('M4096'));
  client.close();
});

test('splits an unsubscribe over the gateway limits, and one it fails as a whole leaves its names wanted', async () => {
  const { client, events } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const short = Array.from({ length: 5000 }, (_, i) => `S${i}`); // over 4,096 names
  const long = Array.from({ length: 4000 }, (_, i) => `L${String(i).padStart(15, '0')}`); // over 64 KiB
  await subscribed(client, ws, accept(['A'], 1));
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 1, seq: 5, bid: 50, ask: 51 }]));
  for (const [i, names] of [short, long].entries()) {
    const sentBefore = ws.texts.length;
    const p = client.unsubscribe(['A', ...names]);
    const texts = ws.texts.slice(sentBefore);
    const requests = texts.map((t) => JSON.parse(t));
    assert.ok(requests.length >= 2, `list ${i} went in ${requests.length} request(s)`);
    assert.deepEqual(requests.flatMap((m) => m.symbols), ['A', ...names], 'every name once, in order');
    for (const [k, m] of requests.entries()) {
      assert.equal(m.op, 'unsubscribe');
      assert.ok(m.symbols.length <= 4096, `request ${k}: ${m.symbols.length} names`);
      assert.ok(Buffer.byteLength(texts[k]) <= 65536, `request ${k}: ${Buffer.byteLength(texts[k])} bytes`);
    }
    assert.deepEqual(client.symbols(), [], 'let go at once');
    // Entries in flight before the reply are not reported, but kept: the gateway may yet refuse the request.
    const updatesBefore = events.filter((e) => e.type === 'update').length;
    ws.binary(frame(KIND_UPDATE, 2 + i, [{ sid: 1, seq: 6 + i, bid: 60 + i, ask: 61 }]));
    assert.equal(events.filter((e) => e.type === 'update').length, updatesBefore);
    ws.reply({ op: 'error', id: requests[0].id, code: 'BAD_REQUEST', message: 'at most 4096 symbols per request' });
    for (const m of requests.slice(1)) ws.reply({ op: 'unsubscribed', id: m.id, symbols: [] });
    await assert.rejects(p, (e) => e.code === 'BAD_REQUEST');
    assert.deepEqual(client.symbols(), ['A'], 'the gateway still holds A, so the client wants it');
    assert.equal(client.get('A').bidPrice, BigInt(60 + i), 'with the value that came meanwhile');
  }
  ws.binary(frame(KIND_UPDATE, 4, [{ sid: 1, seq: 8, bid: 70, ask: 71 }]));
  assert.equal(client.get('A').bidPrice, 70n, 'and its frames');
  // Accepted: the reply names the symbols of every piece, and entries for them are dropped from then on.
  const p = client.unsubscribe(['A', ...short]);
  for (const m of ws.sent.filter((r) => r.op === 'unsubscribe').slice(-2)) {
    ws.reply({ op: 'unsubscribed', id: m.id, symbols: m.symbols.includes('A') ? ['A'] : [] });
  }
  assert.deepEqual((await p).symbols, ['A']);
  ws.binary(frame(KIND_UPDATE, 5, [{ sid: 1, seq: 9, bid: 80, ask: 81 }]));
  assert.equal(client.get('A'), undefined);
  assert.deepEqual(client.symbols(), []);
  client.close();
});

test('an unsubscribe refused whole before its symbol was bound asks for the symbol again', async () => {
  const { client } = newClient();
  client.connect();
  const ws = FakeSocket.all[0];
  ws.open();
  const sub = client.subscribe(['B']);
  const unsub = client.unsubscribe(['B']);
  const [subReq, unsubReq] = [ws.last('subscribe'), ws.last('unsubscribe')];
  ws.reply({ op: 'subscribed', id: subReq.id, symbols: accept(['B'], 4), rejected: [] });
  ws.reply({ op: 'error', id: unsubReq.id, code: 'BAD_REQUEST', message: 'nope' });
  await sub;
  await assert.rejects(unsub, (e) => e.code === 'BAD_REQUEST');
  assert.deepEqual(client.symbols(), ['B'], 'the gateway holds B');
  const again = ws.last('subscribe');
  assert.notEqual(again, subReq, 'asked for again, so the reply binds it');
  assert.deepEqual([again.symbols, again.id], [['B'], undefined]);
  ws.reply({ op: 'subscribed', symbols: accept(['B'], 4), rejected: [] });
  ws.binary(frame(KIND_SNAPSHOT, 1, [{ sid: 4, seq: 2, bid: 9, ask: 10 }]));
  assert.equal(client.get('B').bidPrice, 9n);
  client.close();
});
