// Each peer as a real process on loopback: real TKF1 datagrams in over UDP, real WebSocket clients (the `ws`
// package) out, frames read back with the project's JavaScript client decoder. Bun must be installed (npm ci):
// without it these tests fail rather than skip.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';
import { decodeFrame } from '../../../clients/js/tickgate-client.js';
import { PEER_COMMANDS, PeerProcess, QueueingClient, Tkf1Writer, until, within } from '../test-support.mjs';

const EXCHANGE_1 = 1_764_000_000_000_000_001n;
const EXCHANGE_2 = 1_764_000_000_000_000_002n;
const EXCHANGE_3 = 1_764_000_000_000_000_003n;
const EXCHANGE_4 = 1_764_000_000_000_000_004n;
const MS = 1_000_000n;

for (const kind of Object.keys(PEER_COMMANDS)) {
  describe(`${kind} peer`, () => {
    test('serves subscribe, snapshot and every tick as an UPDATE with exact values; survives garbage', async () => {
      const peer = await PeerProcess.start(kind);
      const udp = dgram.createSocket('udp4');
      const clients = [];
      try {
        const feed = new Feed(udp, peer.feedPort);
        const w = new Tkf1Writer();
        const received = { frames: 0, bytes: 0 };
        const binary = (bytes) => {
          received.frames++;
          received.bytes += bytes.length;
          return decodeFrame(bytes);
        };

        await feed.garbage(new Uint8Array([0x54, 0x4b, 0x46]));
        await feed.garbage(new Uint8Array(100).fill(0xa5));
        const defineAndQuote = w.datagram([w.definition(7, 'AAA', 4, 0), w.definition(9, 'BBB', 2, 3),
          w.quote(7, 1_501_234n, 100n, 1_501_334n, 200n, EXCHANGE_1)]);
        await feed.garbage(defineAndQuote.subarray(0, defineAndQuote.length - 1));
        const beforeQuote = wallNs();
        await feed.send(defineAndQuote, 1);
        const symbols = await until(async () => {
          const listed = await (await fetch(`http://127.0.0.1:${peer.wsPort}/api/symbols`)).json();
          return listed.length === 2 && listed;
        }, 'both definitions in /api/symbols');
        const afterQuote = wallNs() + MS;
        assert.deepEqual(symbols, [
          { symbol: 'AAA', sid: 0, priceScale: 4, sizeScale: 0 },
          { symbol: 'BBB', sid: 1, priceScale: 2, sizeScale: 3 },
        ]);

        const first = await QueueingClient.open(`ws://127.0.0.1:${peer.wsPort}/ws`);
        clients.push(first);
        first.send({ op: 'subscribe', id: 1, symbols: ['AAA', 'BBB', 'NOPE'] });
        assert.deepEqual(await first.next('subscribed'), {
          op: 'subscribed', id: 1,
          symbols: [{ symbol: 'AAA', sid: 0, priceScale: 4, sizeScale: 0 },
            { symbol: 'BBB', sid: 1, priceScale: 2, sizeScale: 3 }],
          rejected: [{ symbol: 'NOPE', reason: 'UNKNOWN_SYMBOL' }],
        });
        const snapshot = binary(await first.next('SNAPSHOT'));
        assert.deepEqual([snapshot.kind, snapshot.count], [2, 1], 'only AAA has a value');
        const aaaQuote = {
          sid: 0, flags: 1, conflated: 0, seq: 1n, bidPrice: 1_501_234n, bidSize: 100n, askPrice: 1_501_334n,
          askSize: 200n, lastPrice: 0n, lastSize: 0n, exchangeTime: EXCHANGE_1,
        };
        assertEntry(snapshot.entries[0], aaaQuote, beforeQuote, afterQuote);

        const beforeTicks = wallNs();
        await feed.send(w.datagram([w.trade(7, 1_501_300n, 50n, EXCHANGE_2),
          w.quote(9, -5n, 1n, (1n << 63n) - 1n, 2n, EXCHANGE_3), w.trade(9, -(1n << 63n), 3n, EXCHANGE_4)]), 3);
        const updates = [];
        for (let i = 0; i < 3; i++) updates.push(binary(await first.next(`UPDATE ${i + 1}`)));
        const afterTicks = wallNs() + MS;
        for (const u of updates) assert.deepEqual([u.kind, u.count], [1, 1]);
        assertEntry(updates[0].entries[0], { ...aaaQuote, flags: 3, seq: 2n, lastPrice: 1_501_300n, lastSize: 50n,
          exchangeTime: EXCHANGE_2 }, beforeTicks, afterTicks);
        const bbbQuote = { sid: 1, flags: 1, conflated: 0, seq: 1n, bidPrice: -5n, bidSize: 1n,
          askPrice: (1n << 63n) - 1n, askSize: 2n, lastPrice: 0n, lastSize: 0n, exchangeTime: EXCHANGE_3 };
        assertEntry(updates[1].entries[0], bbbQuote, beforeTicks, afterTicks);
        assertEntry(updates[2].entries[0], { ...bbbQuote, flags: 3, seq: 2n, lastPrice: -(1n << 63n), lastSize: 3n,
          exchangeTime: EXCHANGE_4 }, beforeTicks, afterTicks);
        assertIncreasing([snapshot, ...updates].map((f) => f.frameSeq), 'frameSeq');
        assertIncreasing([snapshot, ...updates].map((f) => f.sendTime), 'sendTime');

        // Garbage and a late datagram (seq behind the feed) change nothing; the next good tick still flows.
        await feed.garbage(new Uint8Array(1500));
        await feed.garbage(w.datagram([w.quote(7, 1n, 1n, 1n, 1n, 1n)], { seq: 0 }).fill(0xff, 0, 4));
        await feed.send(w.datagram([w.quote(7, 666n, 1n, 667n, 1n, 1n)], { seq: 2 }), 0);
        await feed.send(w.datagram([w.quote(7, 1_501_240n, 10n, 1_501_250n, 20n, EXCHANGE_4)]), 1);
        const next = binary(await first.next('the update after garbage'));
        assert.deepEqual([next.entries[0].seq, next.entries[0].bidPrice, next.entries[0].lastPrice],
          [3n, 1_501_240n, 1_501_300n], 'the late quote was not applied');

        // Control requests: answers, errors that leave the session as it was.
        first.send({ op: 'ping', id: 2 });
        const pong = await first.next('pong');
        assert.deepEqual([pong.op, pong.id], ['pong', 2]);
        first.send('not json');
        first.send({ op: 'unsubscribe', id: 3, symbols: ['AAA'] });
        first.socket.send(new Uint8Array([1, 2, 3]));
        for (const id of [undefined, 3, undefined]) {
          const reply = await first.next('an error reply');
          assert.deepEqual([reply.op, reply.id, reply.code], ['error', id, 'BAD_REQUEST'], JSON.stringify(reply));
        }

        const second = await QueueingClient.open(`ws://127.0.0.1:${peer.wsPort}/ws`);
        clients.push(second);
        second.send({ op: 'subscribe', id: 1, symbols: ['AAA'] });
        assert.equal((await second.next('subscribed')).op, 'subscribed');
        const secondSnapshot = binary(await second.next('SNAPSHOT'));
        assert.deepEqual(secondSnapshot.entries.map((e) => [e.sid, e.seq, e.bidPrice]), [[0, 3n, 1_501_240n]]);

        await feed.send(w.datagram([w.trade(7, 1_501_245n, 7n, EXCHANGE_4)]), 1);
        for (const client of [first, second]) {
          const u = binary(await client.next('the last trade'));
          assert.deepEqual([u.kind, u.entries[0].sid, u.entries[0].seq, u.entries[0].lastSize], [1, 0, 4n, 7n]);
          assert.ok(u.frameSeq > secondSnapshot.frameSeq);
        }
        assert.ok(first.idle && second.idle, 'nothing unexpected arrived');

        assert.equal((await fetch(`http://127.0.0.1:${peer.wsPort}/nothing`)).status, 404);
        assert.deepEqual(await getAskingForH2c(peer.wsPort, '/api/symbols'), { status: 200, body: symbols });
        await assertUpgradeRefused(`ws://127.0.0.1:${peer.wsPort}/elsewhere`);

        const { code, signal, counters } = await peer.stop('SIGTERM');
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, peer.stderr);
        assert.deepEqual(counters, {
          datagrams: feed.datagrams,
          malformedDatagrams: feed.malformed,
          ticks: feed.ticks,
          framesSent: received.frames,
          bytesSent: received.bytes,
        });
      } finally {
        for (const client of clients) client.close();
        udp.close();
        peer.kill();
      }
    });

    test('a bad command line exits 2 with one line on stderr; a port in use exits 1', () => {
      const [command, ...args] = PEER_COMMANDS[kind]();
      for (const bad of [[], ['--ws-port', '1'], ['--ws-port', 'x', '--feed-port', '1'], ['--nope']]) {
        const run = spawnSync(command, [...args, ...bad], { encoding: 'utf8', timeout: 10_000 });
        assert.equal(run.status, 2, `${bad.join(' ')}: ${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, /^[a-z-]+: .+ \(usage: .+\)\n$/);
      }
    });

    test('a port already in use is a start failure, and SIGINT also prints the counters', async () => {
      const peer = await PeerProcess.start(kind);
      try {
        const [command, ...args] = PEER_COMMANDS[kind]();
        const clash = spawnSync(command, [...args, '--ws-port', String(peer.wsPort), '--feed-port', '0'],
          { encoding: 'utf8', timeout: 10_000 });
        assert.equal(clash.status, 1, clash.stderr);
        assert.match(clash.stderr, /cannot start/);
        const { code, counters } = await peer.stop('SIGINT');
        assert.equal(code, 0);
        assert.deepEqual(counters, { datagrams: 0, malformedDatagrams: 0, ticks: 0, framesSent: 0, bytesSent: 0 });
      } finally {
        peer.kill();
      }
    });
  });
}

/** Sends datagrams to a peer and keeps the counts it should report. */
class Feed {
  datagrams = 0;
  malformed = 0;
  ticks = 0;

  constructor(socket, port) {
    this.socket = socket;
    this.port = port;
  }

  send(bytes, ticks) {
    this.datagrams++;
    this.ticks += ticks;
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, this.port, '127.0.0.1', (e) => (e ? reject(e) : resolve()));
    });
  }

  garbage(bytes) {
    this.malformed++;
    return this.send(bytes, 0);
  }
}

const wallNs = () => BigInt(Date.now()) * MS;

/** Entry values exactly; ingestTime within the wall-clock bracket around the send and the receipt (±1 ms). */
function assertEntry(entry, expected, notBeforeNs, notAfterNs) {
  const { quote, trade, stale, flags, ingestTime, ...values } = entry;
  assert.deepEqual({ flags, ...values }, expected);
  assert.ok(ingestTime >= notBeforeNs - MS && ingestTime <= notAfterNs + MS,
    `ingestTime ${ingestTime} outside [${notBeforeNs}, ${notAfterNs}] ± 1 ms`);
}

function assertIncreasing(values, what) {
  for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1], `${what}: ${values.join(', ')}`);
}

/** A GET as Java's HttpClient sends it by default, asking to upgrade to h2c; the peer answers in HTTP/1.1. */
function getAskingForH2c(port, path) {
  return within(new Promise((resolve, reject) => {
    const request = http.get({
      host: '127.0.0.1', port, path,
      headers: { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAEAAEAAAAIAAAAB' },
    }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(body) }));
    });
    request.on('upgrade', () => reject(new Error('the peer switched protocols')));
    request.on('error', reject);
  }), `GET ${path} with an h2c upgrade header`);
}

async function assertUpgradeRefused(url) {
  const socket = new WebSocket(url);
  const outcome = await within(new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('unexpected-response', (_, response) => resolve(response.statusCode));
    socket.once('error', (e) => resolve(e.message));
  }), `the upgrade to ${url}`);
  socket.terminate();
  assert.notEqual(outcome, 'open');
}
