// Test support: a TKF1 datagram writer (independent of feed.mjs, so the decoder is checked against bytes laid out
// here from docs/protocol.md §2), peer processes, a queueing WebSocket client and bounded polling.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const PEERS_DIR = dirname(fileURLToPath(import.meta.url));
export const BUN = join(PEERS_DIR, 'node_modules', '.bin', 'bun');

/** Builds TKF1 datagrams: messages are numbered from 1 across datagrams, as a feed source numbers them. */
export class Tkf1Writer {
  nextSeq = 1;

  definition(instrumentId, symbol, priceScale, sizeScale) {
    const m = message(28, 0x44, instrumentId);
    m.view.setInt8(8, priceScale);
    m.view.setInt8(9, sizeScale);
    for (let i = 0; i < symbol.length; i++) m.view.setUint8(12 + i, symbol.charCodeAt(i));
    return m.bytes;
  }

  quote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTime) {
    const m = message(48, 0x51, instrumentId);
    [bidPrice, bidSize, askPrice, askSize, exchangeTime].forEach((v, i) => m.view.setBigInt64(8 + i * 8, v, true));
    return m.bytes;
  }

  trade(instrumentId, price, size, exchangeTime) {
    const m = message(32, 0x54, instrumentId);
    [price, size, exchangeTime].forEach((v, i) => m.view.setBigInt64(8 + i * 8, v, true));
    return m.bytes;
  }

  /** A message of a type v1 does not define. */
  unknown(type, length) {
    return message(length, type, 0).bytes;
  }

  /** A datagram of `messages`, numbered from the next seq (or `seq` to replay or skip). */
  datagram(messages, { seq = this.nextSeq, sendTime = 0n } = {}) {
    const length = 24 + messages.reduce((n, m) => n + m.length, 0);
    const bytes = new Uint8Array(length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0x31464b54, true);
    view.setUint16(4, messages.length, true);
    view.setBigUint64(8, BigInt(seq), true);
    view.setBigInt64(16, sendTime, true);
    let at = 24;
    for (const m of messages) {
      bytes.set(m, at);
      at += m.length;
    }
    this.nextSeq = Math.max(this.nextSeq, seq + messages.length);
    return bytes;
  }
}

function message(length, type, instrumentId) {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, length, true);
  view.setUint8(2, type);
  if (length >= 8) view.setUint32(4, instrumentId, true);
  return { bytes, view };
}

/** Polls `condition` (may be async) every 10 ms until it is truthy; fails with `what` after `timeoutMs`. */
export async function until(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves `promise`, or fails naming `what` after `timeoutMs`. */
export function within(promise, what, timeoutMs = 10_000) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** How to start each peer; bun must be installed by `npm ci` (tests fail, never skip, without it). */
export const PEER_COMMANDS = {
  bun: () => {
    if (!existsSync(BUN)) throw new Error(`bun is missing at ${BUN}: run npm ci in perf/peers`);
    return [BUN, join(PEERS_DIR, 'bun-server.mjs')];
  },
  ws: () => [process.execPath, join(PEERS_DIR, 'ws-server.mjs')],
};

/** A running peer process: its stdout lines, the ports from its ready line, and stop() for the counters line. */
export class PeerProcess {
  lines = [];
  stderr = '';

  static async start(kind, args = ['--ws-port', '0', '--feed-port', '0']) {
    const [command, ...commandArgs] = PEER_COMMANDS[kind]();
    const peer = new PeerProcess(spawn(command, [...commandArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      const ready = await until(() => peer.lines.find((l) => l.startsWith('ready ')) ?? peer.exited,
        `${kind} peer's ready line`);
      if (ready === peer.exited) throw new Error(`${kind} peer exited before ready: ${peer.stderr}`);
      const match = /^ready ws=(\d+) feed=(\d+)$/.exec(ready);
      if (!match) throw new Error(`unexpected ready line ${JSON.stringify(ready)}`);
      peer.wsPort = Number(match[1]);
      peer.feedPort = Number(match[2]);
      return peer;
    } catch (e) {
      peer.kill();
      throw e;
    }
  }

  constructor(child) {
    this.child = child;
    this.exited = null;
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      resolve(this.exited);
    }));
    createInterface({ input: child.stdout }).on('line', (line) => this.lines.push(line));
    child.stderr.on('data', (data) => { this.stderr += data; });
  }

  /** Signals the peer (SIGTERM by default), then the exit status and the counters line (parsed). */
  async stop(signal = 'SIGTERM') {
    this.child.kill(signal);
    const exit = await within(this.exit, `the peer to exit after ${signal}`);
    await until(() => this.child.stdout.readableEnded || this.child.stdout.destroyed, 'the end of stdout');
    const last = this.lines.at(-1);
    return { ...exit, counters: last?.startsWith('{') ? JSON.parse(last) : null };
  }

  /** Teardown that never throws: the process must not outlive the test. */
  kill() {
    if (this.exited === null) this.child.kill('SIGKILL');
  }
}

/** A `ws` client that queues what arrives: text as parsed JSON, binary as Uint8Array. */
export class QueueingClient {
  #queue = [];
  #waiters = [];

  static async open(url) {
    const client = new QueueingClient(new WebSocket(url));
    await within(new Promise((resolve, reject) => {
      client.socket.once('open', resolve);
      client.socket.once('error', reject);
    }), `a WebSocket connection to ${url}`);
    return client;
  }

  constructor(socket) {
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      const item = isBinary ? new Uint8Array(data) : JSON.parse(data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(item);
      else this.#queue.push(item);
    });
    socket.on('error', () => {});
  }

  send(request) {
    this.socket.send(typeof request === 'string' ? request : JSON.stringify(request));
  }

  /** The next message, within a bounded wait. */
  next(what = 'the next message') {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift());
    return within(new Promise((resolve) => this.#waiters.push(resolve)), what);
  }

  /** Nothing is queued now (the caller has made sure anything sent before has arrived). */
  get idle() {
    return this.#queue.length === 0;
  }

  close() {
    this.socket.terminate();
  }
}
