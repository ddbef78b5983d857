// What the two comparison peers share apart from their WebSocket servers: the command line, the calibrated clock,
// the feed socket, the control requests (subscribe, ping) and the counters. Runs on Node and on Bun (node:dgram,
// which Bun implements too: Bun.udpSocket has no receive-buffer option).
//
// Not thread-safe: everything runs on the runtime's one event-loop thread.

import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { FeedDecoder, FrameEncoder, InstrumentTable, MAX_SYMBOLS_PER_REQUEST } from './feed.mjs';

/** The OS caps it (net.core.rmem_max); a burst of definitions must not overflow the socket. */
export const FEED_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
export const MAX_REQUEST_CHARS = 64 * 1024;

/** A bad command line: one line on stderr, exit 2. */
export class UsageError extends Error {}

/** `--ws-port P --feed-port F [--bind ADDRESS]`, also as `--name=value`. Throws UsageError. */
export function parseArgs(argv) {
  const options = { wsPort: undefined, feedPort: undefined, bind: '127.0.0.1', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name !== '--ws-port' && name !== '--feed-port' && name !== '--bind') {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--bind') options.bind = value;
    else if (name === '--ws-port') options.wsPort = parsePort(name, value);
    else options.feedPort = parsePort(name, value);
  }
  if (!options.help && options.wsPort === undefined) throw new UsageError('--ws-port is required');
  if (!options.help && options.feedPort === undefined) throw new UsageError('--feed-port is required');
  return options;
}

function parsePort(name, value) {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`${name} must be a port number from 0 to 65535: ${value}`);
  return port;
}

/**
 * Epoch nanoseconds (BigInt) as performance.timeOrigin + performance.now(): both runtimes take the origin from the
 * wall clock with microsecond resolution at start and advance it with the monotonic clock, so a reading is within a
 * few microseconds of the JVM's Instant.now() (Date.now() alone is floored to the millisecond and would corrupt
 * latencies). The origin is split into whole milliseconds and the rest, since epoch nanoseconds (~1.8e18) are past
 * the integers a double holds exactly.
 *
 * The runtime reads the origin's two clocks one after the other at start; a start-up preempted between them would
 * leave the origin off by the pause. So the constructor checks readings against Date.now() for 10 milliseconds:
 * a right clock never reads before the millisecond Date.now() showed just before, nor after the one it showed just
 * after, and an origin outside those bounds is moved to the nearest one (the bounds close to microseconds at each
 * step of Date.now(); a preempted sample only widens its own).
 */
export class EpochClock {
  #originNs;

  constructor(checkMs = 10) {
    const origin = performance.timeOrigin;
    const wholeMs = Math.floor(origin);
    this.#originNs = BigInt(wholeMs) * 1_000_000n + BigInt(Math.round((origin - wholeMs) * 1e6));
    this.#alignToWallClock(checkMs);
  }

  nowNs() {
    return this.#originNs + BigInt(Math.round(performance.now() * 1e6));
  }

  #alignToWallClock(checkMs) {
    let errorAboveNs = -Infinity; // the clock is ahead of the wall clock by more than this ...
    let errorAtMostNs = Infinity; // ... and by at most this
    const endMs = Date.now() + checkMs;
    for (let beforeMs = Date.now(); beforeMs <= endMs;) {
      const reading = this.nowNs();
      const afterMs = Date.now();
      errorAboveNs = Math.max(errorAboveNs, Number(reading - BigInt(afterMs + 1) * 1_000_000n));
      errorAtMostNs = Math.min(errorAtMostNs, Number(reading - BigInt(beforeMs) * 1_000_000n));
      beforeMs = afterMs;
    }
    const errorNs = Math.min(Math.max(0, errorAboveNs), errorAtMostNs);
    this.#originNs -= BigInt(Math.round(errorNs));
  }
}

/**
 * The state a peer holds besides its sockets: the instrument table fed by the UDP feed, the frame encoder, the
 * process-wide frameSeq and the counters printed at exit.
 *
 * frameSeq counts every binary frame the process encodes, not per session: a frame published once goes to many
 * sessions, so each session sees a strictly increasing frameSeq with gaps.
 */
export class Peer {
  table = new InstrumentTable();
  encoder = new FrameEncoder(this.table);
  decoder = new FeedDecoder(this.table);
  clock = new EpochClock();
  framesSent = 0;
  bytesSent = 0;
  #frameSeq = 0;
  #feed = null;

  /** Binds the feed socket; resolves to its port. Every datagram goes to the decoder, stamped on receipt. */
  openFeed(port, bind) {
    const socket = dgram.createSocket({ type: isIPv6(bind) ? 'udp6' : 'udp4', recvBufferSize: FEED_RECEIVE_BUFFER_BYTES });
    socket.on('message', (bytes) => this.decoder.onDatagram(bytes, this.clock.nowNs()));
    this.#feed = socket;
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, bind, () => {
        socket.off('error', reject);
        resolve(socket.address().port);
      });
    });
  }

  closeFeed() {
    this.#feed?.close();
    this.#feed = null;
  }

  /** The UPDATE frame for `sid`'s last value, in the encoder's scratch: copy it if the send may keep it. */
  updateFrame(sid) {
    return this.encoder.update(sid, ++this.#frameSeq, this.clock.nowNs());
  }

  snapshotFrame(sids) {
    return this.encoder.snapshot(sids, ++this.#frameSeq, this.clock.nowNs());
  }

  sent(frames, bytesPerFrame) {
    this.framesSent += frames;
    this.bytesSent += frames * bytesPerFrame;
  }

  /**
   * One message from a session: replies with `send`, and after a `subscribed` reply calls `subscribe(sid)` for
   * each sid the request added, then sends their SNAPSHOT. `message` is a string for a text message.
   */
  onMessage(sids, message, send, subscribe) {
    if (typeof message !== 'string') {
      send(error(undefined, 'BAD_REQUEST', 'requests are text messages'));
      return;
    }
    const { reply, added } = this.onRequest(sids, message);
    send(reply);
    if (added === undefined) return;
    for (const sid of added) subscribe(sid);
    const snapshot = this.snapshotFrame(added);
    send(snapshot);
    this.sent(1, snapshot.length);
  }

  /**
   * One text request from a session whose subscribed sids are `sids` (a Set, updated here). Returns the reply
   * text and the sids this request added; the caller sends the reply, then a SNAPSHOT of `added`.
   */
  onRequest(sids, text) {
    if (text.length > MAX_REQUEST_CHARS) return { reply: error(undefined, 'TOO_LARGE', 'request over 64 KiB') };
    let request;
    try {
      request = JSON.parse(text);
    } catch {
      return { reply: error(undefined, 'BAD_REQUEST', 'malformed JSON') };
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return { reply: error(undefined, 'BAD_REQUEST', 'a request is a JSON object') };
    }
    const { id } = request;
    if (id !== undefined && !Number.isInteger(id)) return { reply: error(undefined, 'BAD_REQUEST', 'id must be an integer') };
    switch (request.op) {
      case 'subscribe':
        return this.#subscribe(sids, id, request.symbols);
      case 'ping':
        return { reply: `${JSON.stringify({ op: 'pong', id }).slice(0, -1)},"serverTime":${this.clock.nowNs()}}` };
      default:
        return {
          reply: error(id, 'BAD_REQUEST', typeof request.op === 'string'
            ? `op ${JSON.stringify(request.op).slice(0, 64)} is not served here (subscribe and ping are)`
            : 'op must be a string'),
        };
    }
  }

  #subscribe(sids, id, symbols) {
    if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === 'string')) {
      return { reply: error(id, 'BAD_REQUEST', 'symbols must be an array of strings') };
    }
    if (symbols.length > MAX_SYMBOLS_PER_REQUEST) {
      return { reply: error(id, 'BAD_REQUEST', `at most ${MAX_SYMBOLS_PER_REQUEST} symbols per request`) };
    }
    const table = this.table;
    const accepted = [];
    const rejected = [];
    const added = [];
    for (const symbol of new Set(symbols)) {
      const sid = table.sidOf(symbol);
      if (sid < 0) {
        rejected.push({ symbol, reason: 'UNKNOWN_SYMBOL' });
        continue;
      }
      accepted.push({ symbol, sid, priceScale: table.priceScales[sid], sizeScale: table.sizeScales[sid] });
      if (!sids.has(sid)) {
        sids.add(sid);
        added.push(sid);
      }
    }
    return { reply: JSON.stringify({ op: 'subscribed', id, symbols: accepted, rejected }), added };
  }

  /** The body of GET /api/symbols: what the load generator reads to plan its subscriptions. */
  symbolsJson() {
    const table = this.table;
    return JSON.stringify(table.names.map((symbol, sid) =>
      ({ symbol, sid, priceScale: table.priceScales[sid], sizeScale: table.sizeScales[sid] })));
  }

  countersJson() {
    const d = this.decoder;
    return JSON.stringify({
      datagrams: d.datagrams,
      malformedDatagrams: d.malformedDatagrams,
      ticks: d.ticks,
      framesSent: this.framesSent,
      bytesSent: this.bytesSent,
    });
  }
}

function error(id, code, message) {
  return JSON.stringify({ op: 'error', id, code, message });
}

/**
 * Runs a peer process: parses the command line (exit 2 on a bad one), binds the feed, lets `start(peer, options)`
 * bind the WebSocket server (resolving to `{ port, close() }`), prints `ready ws=P feed=F`, and on SIGTERM or
 * SIGINT closes both and prints the counters as one JSON line before exiting 0.
 */
export async function runPeer(name, start) {
  const usage = `usage: ${name} --ws-port P --feed-port F [--bind 127.0.0.1]`;
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${name}: ${e.message} (${usage})\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const peer = new Peer();
  let server;
  let feedPort;
  try {
    feedPort = await peer.openFeed(options.feedPort, options.bind);
    server = await start(peer, options);
  } catch (e) {
    process.stderr.write(`${name}: cannot start on ${options.bind}: ${e.message}\n`);
    process.exit(1);
  }
  const stop = () => {
    try {
      server.close();
      peer.closeFeed();
    } finally {
      process.stdout.write(`${peer.countersJson()}\n`);
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ws=${server.port} feed=${feedPort}\n`);
}
