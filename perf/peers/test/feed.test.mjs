// The TKF1 decoder, instrument table and frame encoder, against datagrams laid out by hand (test/support.mjs) and
// frames read back with the project's own JavaScript client decoder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeedDecoder, FrameEncoder, InstrumentTable, Malformed, validateDatagram } from '../feed.mjs';
import { EpochClock, Peer, parseArgs, UsageError } from '../peer.mjs';
import { decodeFrame } from '../../../clients/js/tickgate-client.js';
import { Tkf1Writer } from '../test-support.mjs';

const INGEST = 1_764_000_000_123_456_789n;
const MAX_I64 = (1n << 63n) - 1n;

function decoderWithTicks() {
  const table = new InstrumentTable();
  const ticks = [];
  return { table, ticks, decoder: new FeedDecoder(table, (sid) => ticks.push(sid)) };
}

test('definitions give sids in order of first appearance and the scales of the latest definition', () => {
  const { table, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([w.definition(70, 'AAPL', 4, 0), w.definition(71, 'MSFT', 2, 3)]), INGEST);
  decoder.onDatagram(w.datagram([w.definition(90, 'AAPL', 6, 1), w.definition(72, 'SIXTEEN_CHARS_XY', 0, 0)]),
    INGEST);

  assert.equal(table.count, 3);
  assert.equal(table.sidOf('AAPL'), 0);
  assert.equal(table.sidOf('MSFT'), 1);
  assert.equal(table.sidOf('SIXTEEN_CHARS_XY'), 2);
  assert.equal(table.sidOf('NOPE'), -1);
  assert.equal(table.sidOfInstrument(90), 0, 'a new instrument id for a known symbol keeps its sid');
  assert.equal(table.sidOfInstrument(70), 0);
  assert.deepEqual([table.priceScales[0], table.sizeScales[0]], [6, 1]);
  assert.deepEqual([table.priceScales[1], table.sizeScales[1]], [2, 3]);
});

test('a definition with an empty symbol is ignored and counted, the rest of its datagram applied', () => {
  const { table, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([w.definition(1, '', 0, 0), w.definition(2, 'OK', 0, 0)]), INGEST);
  assert.equal(decoder.badDefinitions, 1);
  assert.deepEqual(table.names, ['OK']);
});

test('quotes and trades build the last value entry that UPDATE frames carry, byte for byte', () => {
  const { table, ticks, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([
    w.definition(7, 'AAA', 4, 0),
    w.quote(7, 1_000_100n, 300n, -1n, MAX_I64, 11n),
    w.trade(7, -MAX_I64 - 1n, 25n, 12n),
    w.trade(99, 1n, 1n, 13n), // instrument never defined
  ]), INGEST);

  assert.deepEqual(ticks, [0, 0]);
  assert.equal(decoder.ticks, 2);
  assert.equal(decoder.unknownInstruments, 1);

  const frame = decodeFrame(new FrameEncoder(table).update(0, 2 ** 40 + 5, -2n));
  assert.equal(frame.kind, 1);
  assert.equal(frame.count, 1);
  assert.equal(frame.frameSeq, 2n ** 40n + 5n);
  assert.equal(frame.sendTime, -2n);
  assert.deepEqual(entryValues(frame.entries[0]), {
    sid: 0, flags: 3, conflated: 0, seq: 2n,
    bidPrice: 1_000_100n, bidSize: 300n, askPrice: -1n, askSize: MAX_I64,
    lastPrice: -MAX_I64 - 1n, lastSize: 25n, exchangeTime: 12n, ingestTime: INGEST,
  });
});

test('an entry holding only a trade has just the trade flag, and seq counts per symbol', () => {
  const { table, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([w.definition(1, 'A', 0, 0), w.definition(2, 'B', 0, 0)]), INGEST);
  decoder.onDatagram(w.datagram([w.trade(2, 5n, 6n, 7n), w.quote(1, 1n, 1n, 2n, 1n, 3n), w.trade(2, 8n, 9n, 10n)]),
    INGEST + 1n);

  const encoder = new FrameEncoder(table);
  const b = decodeFrame(encoder.update(1, 1, 0n)).entries[0];
  assert.deepEqual([b.sid, b.flags, b.seq, b.lastPrice, b.bidPrice, b.ingestTime], [1, 2, 2n, 8n, 0n, INGEST + 1n]);
  const a = decodeFrame(encoder.update(0, 2, 0n)).entries[0];
  assert.deepEqual([a.sid, a.flags, a.seq, a.askPrice], [0, 1, 1n, 2n]);
});

test('the UPDATE frame is one reused scratch buffer; a SNAPSHOT is a frame of its own', () => {
  const { table, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([w.definition(1, 'A', 0, 0), w.definition(2, 'B', 0, 0), w.definition(3, 'C', 0, 0),
    w.quote(3, 1n, 1n, 2n, 2n, 3n), w.trade(1, 4n, 5n, 6n)]), INGEST);
  const encoder = new FrameEncoder(table);
  assert.equal(encoder.update(0, 1, 0n), encoder.update(2, 2, 0n));

  const snapshot = encoder.snapshot([2, 1, 0], 9, 10n);
  assert.equal(snapshot.length, 24 + 2 * 80);
  const frame = decodeFrame(snapshot);
  assert.deepEqual([frame.kind, frame.count, frame.frameSeq, frame.sendTime], [2, 2, 9n, 10n]);
  assert.deepEqual(frame.entries.map((e) => [e.sid, e.flags, e.seq]), [[2, 1, 1n], [0, 2, 1n]],
    'B has no value yet, so it is left out');
  assert.equal(decodeFrame(encoder.snapshot([1], 10, 0n)).count, 0);
});

test('the frame header bytes sit where docs/protocol.md §1.3 puts them', () => {
  const table = new InstrumentTable();
  table.define(1, 'A', 0, 0);
  const bytes = new FrameEncoder(table).update(0, 0x0102030405, 0x1112131415161718n);
  assert.deepEqual([...bytes.subarray(0, 24)], [
    1, 1, 1, 0, 0, 0, 0, 0,
    0x05, 0x04, 0x03, 0x02, 0x01, 0, 0, 0,
    0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,
  ]);
});

test('the instrument table grows past its first capacity and keeps every value', () => {
  const { table, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  for (let id = 0; id < 300; id += 20) {
    const messages = [];
    for (let i = id; i < id + 20; i++) messages.push(w.definition(i, `S${i}`, 0, 0), w.trade(i, BigInt(i), 1n, 0n));
    decoder.onDatagram(w.datagram(messages), INGEST);
  }
  assert.equal(table.count, 300);
  const encoder = new FrameEncoder(table);
  for (const sid of [0, 63, 64, 299]) {
    const entry = decodeFrame(encoder.update(sid, 1, 0n)).entries[0];
    assert.deepEqual([entry.sid, entry.lastPrice], [sid, BigInt(sid)]);
  }
});

test('every malformed shape is dropped whole with its reason, and never throws', () => {
  const w = new Tkf1Writer();
  const good = w.datagram([w.definition(1, 'A', 0, 0), w.quote(1, 1n, 1n, 1n, 1n, 1n)]);
  const cases = [
    [Malformed.SHORT_HEADER, good.subarray(0, 23)],
    [Malformed.SHORT_HEADER, new Uint8Array(0)],
    [Malformed.BAD_MAGIC, patch(good, (v) => v.setUint32(0, 0x32464b54, true))],
    [Malformed.TOO_LONG, concat(good, new Uint8Array(1472))],
    [Malformed.COUNT_OVERRUN, patch(good, (v) => v.setUint16(4, 3, true))],
    [Malformed.COUNT_OVERRUN, good.subarray(0, 24 + 28 + 2)],
    [Malformed.ZERO_LENGTH, patch(good, (v) => v.setUint16(24, 0, true))],
    [Malformed.ZERO_LENGTH, patch(good, (v) => v.setUint16(24, 2, true))],
    [Malformed.LENGTH_OVERRUN, good.subarray(0, good.length - 1)],
    [Malformed.LENGTH_OVERRUN, patch(good, (v) => v.setUint16(24 + 28, 49, true))],
    [Malformed.SHORT_MESSAGE, shortQuote()],
  ];
  for (const [reason, bytes] of cases) {
    const { table, ticks, decoder } = decoderWithTicks();
    assert.equal(decoder.onDatagram(bytes, INGEST), reason, `${reason} for ${bytes.length} bytes`);
    assert.equal(decoder.malformedDatagrams, 1);
    assert.equal(decoder.malformedByReason[reason], 1);
    assert.equal(table.count, 0, 'nothing of a malformed datagram is applied');
    assert.deepEqual(ticks, []);
  }
  assert.equal(validateDatagram(new DataView(good.buffer)), null);

  const { decoder } = decoderWithTicks();
  let seed = 12345;
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(i % 200);
    for (let j = 0; j < bytes.length; j++) bytes[j] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    if (i % 2 === 0 && bytes.length >= 24) new DataView(bytes.buffer).setUint32(0, 0x31464b54, true);
    decoder.onDatagram(bytes, INGEST);
  }
  assert.equal(decoder.datagrams, 2000);
});

function shortQuote() {
  const w = new Tkf1Writer();
  const quote = w.quote(1, 1n, 1n, 1n, 1n, 1n).subarray(0, 47);
  new DataView(quote.buffer).setUint16(0, 47, true);
  return w.datagram([quote]);
}

test('longer messages of known types are accepted and unknown types skipped by their length', () => {
  const { table, ticks, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  const longTrade = concat(w.trade(1, 9n, 9n, 9n), new Uint8Array([0xee, 0xee, 0xee, 0xee]));
  new DataView(longTrade.buffer).setUint16(0, 36, true);
  assert.equal(decoder.onDatagram(w.datagram([w.definition(1, 'A', 0, 0), w.unknown(0x58, 3), w.unknown(0x51 + 1, 40),
    longTrade]), INGEST), null);
  assert.equal(decoder.unknownMessageTypes, 2);
  assert.deepEqual(ticks, [0]);
  assert.equal(decodeFrame(new FrameEncoder(table).update(0, 1, 0n)).entries[0].lastPrice, 9n);
});

test('late datagrams are not applied, gaps are, and a source starting again at seq 1 is followed', () => {
  const { ticks, decoder } = decoderWithTicks();
  const w = new Tkf1Writer();
  decoder.onDatagram(w.datagram([w.definition(1, 'A', 0, 0)]), INGEST);
  const first = w.datagram([w.trade(1, 1n, 1n, 1n), w.trade(1, 2n, 1n, 1n)]);
  decoder.onDatagram(first, INGEST);
  decoder.onDatagram(first, INGEST); // duplicate
  decoder.onDatagram(w.datagram([w.trade(1, 3n, 1n, 1n)], { seq: 2 }), INGEST); // behind
  assert.equal(decoder.lateDatagrams, 2);
  assert.equal(ticks.length, 2);

  decoder.onDatagram(w.datagram([w.trade(1, 4n, 1n, 1n)], { seq: 10 }), INGEST);
  assert.equal(decoder.gaps, 1);
  assert.equal(ticks.length, 3);

  decoder.onDatagram(w.datagram([w.definition(1, 'A', 0, 0), w.trade(1, 5n, 1n, 1n)], { seq: 1 }), INGEST);
  assert.equal(decoder.restarts, 1);
  assert.equal(ticks.length, 4);
  decoder.onDatagram(w.datagram([w.trade(1, 6n, 1n, 1n)], { seq: 3 }), INGEST);
  assert.equal(ticks.length, 5, 'after a restart the sequence follows the new numbering');
  assert.equal(decoder.malformedDatagrams, 0);
});

test('requests: subscribe replies with sids and scales, rejects unknown symbols, adds each sid once', () => {
  const peer = new Peer();
  const w = new Tkf1Writer();
  peer.decoder.onDatagram(w.datagram([w.definition(1, 'AAA', 4, 0), w.definition(2, 'BBB', 2, 3)]), INGEST);
  const sids = new Set();
  const first = peer.onRequest(sids, JSON.stringify({ op: 'subscribe', id: 5, symbols: ['BBB', 'NOPE', 'BBB'] }));
  assert.deepEqual(JSON.parse(first.reply), {
    op: 'subscribed', id: 5,
    symbols: [{ symbol: 'BBB', sid: 1, priceScale: 2, sizeScale: 3 }],
    rejected: [{ symbol: 'NOPE', reason: 'UNKNOWN_SYMBOL' }],
  });
  assert.deepEqual(first.added, [1]);
  const second = peer.onRequest(sids, '{"op":"subscribe","symbols":["AAA","BBB"]}');
  assert.equal(JSON.parse(second.reply).symbols.length, 2);
  assert.deepEqual(second.added, [0], 'a symbol already held is not snapshotted again');
  assert.deepEqual([...sids].sort(), [0, 1]);
});

test('requests: ping answers with the epoch nanoseconds exactly, bad requests get BAD_REQUEST', () => {
  const peer = new Peer();
  const before = BigInt(Date.now()) * 1_000_000n;
  const pong = peer.onRequest(new Set(), '{"op":"ping","id":4}').reply;
  const serverTime = BigInt(/"serverTime":(\d+)}$/.exec(pong)[1]);
  assert.deepEqual(JSON.parse(pong).op, 'pong');
  assert.ok(serverTime >= before - 1_000_000n && serverTime <= BigInt(Date.now() + 2) * 1_000_000n, pong);

  const cases = [
    ['not json', undefined],
    ['[1]', undefined],
    ['null', undefined],
    ['{"op":"ping","id":1.5}', undefined],
    ['{"id":2}', 2],
    ['{"op":"unsubscribe","id":3,"symbols":["A"]}', 3],
    ['{"op":"throttle","id":4,"maxRateHz":1}', 4],
    ['{"op":"subscribe","id":5}', 5],
    ['{"op":"subscribe","id":6,"symbols":["A",7]}', 6],
    [JSON.stringify({ op: 'subscribe', id: 7, symbols: Array.from({ length: 4097 }, (_, i) => `S${i}`) }), 7],
  ];
  for (const [text, id] of cases) {
    const sids = new Set();
    const { reply, added } = peer.onRequest(sids, text);
    const parsed = JSON.parse(reply);
    assert.deepEqual([parsed.op, parsed.id, parsed.code], ['error', id, 'BAD_REQUEST'], text.slice(0, 60));
    assert.equal(added, undefined);
    assert.equal(sids.size, 0);
  }
  assert.equal(JSON.parse(peer.onRequest(new Set(), `"${'x'.repeat(70_000)}"`).reply).code, 'TOO_LARGE');
});

test('the clock reads the wall clock to well within a millisecond', () => {
  const clock = new EpochClock();
  for (let i = 0; i < 1000; i++) {
    const before = BigInt(Date.now()) * 1_000_000n;
    const now = clock.nowNs();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    // Date.now() is floored to the millisecond, so a right clock lies in [before, after); 100 µs of slack.
    assert.ok(now >= before - 100_000n && now <= after + 100_000n, `${before} <= ${now} < ${after}`);
  }
});

test('the clock moves an origin the runtime took wrongly back onto the wall clock', () => {
  // Each calibration reads the millisecond wall clock; on a loaded host one can be preempted in the middle and land
  // a few hundred microseconds off. A clock left 3 ms off fails every attempt; a preempted calibration, one.
  const attempts = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const real = Object.getOwnPropertyDescriptor(performance, 'timeOrigin');
    Object.defineProperty(performance, 'timeOrigin', { value: performance.timeOrigin + 3, configurable: true });
    let shifted;
    try {
      shifted = new EpochClock();
    } finally {
      if (real) Object.defineProperty(performance, 'timeOrigin', real);
      else delete performance.timeOrigin;
    }
    const right = new EpochClock();
    const apartNs = shifted.nowNs() - right.nowNs();
    if (apartNs > -200_000n && apartNs < 200_000n) return;
    attempts.push(apartNs);
  }
  assert.fail(`an origin 3 ms ahead was left off by ${attempts.join(', ')} ns in every attempt`);
});

test('the command line takes the fixed options and refuses anything else', () => {
  assert.deepEqual(parseArgs(['--ws-port', '8081', '--feed-port', '0']),
    { wsPort: 8081, feedPort: 0, bind: '127.0.0.1', help: false });
  assert.deepEqual(parseArgs(['--bind=0.0.0.0', '--feed-port=9', '--ws-port=1']),
    { wsPort: 1, feedPort: 9, bind: '0.0.0.0', help: false });
  for (const bad of [[], ['--ws-port', '1'], ['--feed-port', '1'], ['--ws-port', '65536', '--feed-port', '1'],
    ['--ws-port', '-1', '--feed-port', '1'], ['--ws-port', 'x', '--feed-port', '1'], ['--ws-port'],
    ['--ws-port', '1', '--feed-port', '2', '--bind'], ['--ws-port', '1', '--feed-port', '2', 'extra']]) {
    assert.throws(() => parseArgs(bad), UsageError, bad.join(' '));
  }
});

function entryValues(e) {
  const { quote, trade, stale, ...values } = e;
  return values;
}

function patch(bytes, change) {
  const copy = bytes.slice();
  change(new DataView(copy.buffer));
  return copy;
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
