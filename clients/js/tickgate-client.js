// Tickgate client for browsers and Node (20+): one ES module, no dependencies.
// Wire contract: docs/protocol.md §1 (client protocol, version 1). Usage and guarantees: docs/clients.md.
//
// i64/u64 wire fields (prices, sizes, seq, frameSeq, times) are BigInt, so a mantissa beyond 2^53 or a negative
// one is exact; u8/u16/u32 fields (kind, count, sid, flags, conflated) are Number. formatFixed() turns a mantissa
// into exact decimal text; toNumber() gives a double for charts and arithmetic that can afford rounding.

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 24;
export const ENTRY_BYTES = 80;
export const KIND_UPDATE = 1;
export const KIND_SNAPSHOT = 2;
export const KIND_HEARTBEAT = 3;
export const FLAG_QUOTE = 1;
export const FLAG_TRADE = 1 << 1;
export const FLAG_STALE = 1 << 2;
/** Gateway limits (docs/protocol.md §1.1, §1.2): UTF-8 bytes of one request, names per request, throttle rate. */
export const MAX_REQUEST_BYTES = 65536;
export const MAX_SYMBOLS_PER_REQUEST = 4096;
export const MAX_THROTTLE_HZ = 1_000_000;

/**
 * Thrown for frames that break the contract; passed to a rejected request for error replies and for requests
 * refused before sending (bad arguments: BAD_REQUEST, over MAX_REQUEST_BYTES: TOO_LARGE, both without an id).
 */
export class TickgateError extends Error {
  constructor(code, message, id) {
    super(message);
    this.name = 'TickgateError';
    this.code = code;
    this.id = id;
  }
}

/** Reads the 24-byte frame header; throws TickgateError when the frame cannot be walked safely. */
export function decodeHeader(view) {
  if (view.byteLength < HEADER_BYTES) throw new TickgateError('BAD_FRAME', `frame of ${view.byteLength} bytes`);
  const version = view.getUint8(0);
  if (version !== PROTOCOL_VERSION) throw new TickgateError('BAD_FRAME', `frame version ${version}`);
  const kind = view.getUint8(1);
  if (kind < KIND_UPDATE || kind > KIND_HEARTBEAT) throw new TickgateError('BAD_FRAME', `frame kind ${kind}`);
  const count = view.getUint16(2, true);
  if (view.byteLength < HEADER_BYTES + count * ENTRY_BYTES) {
    throw new TickgateError('BAD_FRAME', `${count} entries do not fit in ${view.byteLength} bytes`);
  }
  return { version, kind, count, frameSeq: view.getBigUint64(8, true), sendTime: view.getBigInt64(16, true) };
}

/** Reads one 80-byte entry at byte offset `at` into `into` (reused by the client, so decoding allocates little). */
export function decodeEntry(view, at, into = {}) {
  const flags = view.getUint16(at + 4, true);
  into.sid = view.getUint32(at, true);
  into.flags = flags;
  into.quote = (flags & FLAG_QUOTE) !== 0;
  into.trade = (flags & FLAG_TRADE) !== 0;
  into.stale = (flags & FLAG_STALE) !== 0;
  into.conflated = view.getUint16(at + 6, true);
  into.seq = view.getBigUint64(at + 8, true);
  into.bidPrice = view.getBigInt64(at + 16, true);
  into.bidSize = view.getBigInt64(at + 24, true);
  into.askPrice = view.getBigInt64(at + 32, true);
  into.askSize = view.getBigInt64(at + 40, true);
  into.lastPrice = view.getBigInt64(at + 48, true);
  into.lastSize = view.getBigInt64(at + 56, true);
  into.exchangeTime = view.getBigInt64(at + 64, true);
  into.ingestTime = view.getBigInt64(at + 72, true);
  return into;
}

/** Whole-frame decode for tools and tests: header fields plus a fresh object per entry. */
export function decodeFrame(buffer) {
  const view = buffer instanceof DataView ? buffer : new DataView(buffer.buffer ?? buffer, buffer.byteOffset ?? 0,
    buffer.byteLength);
  const header = decodeHeader(view);
  const entries = new Array(header.count);
  for (let i = 0; i < header.count; i++) entries[i] = decodeEntry(view, HEADER_BYTES + i * ENTRY_BYTES);
  return { ...header, entries };
}

/** Exact decimal text of `mantissa / 10^scale`; a double would print 0.30000000000000004-style noise. */
export function formatFixed(mantissa, scale) {
  if (mantissa == null) return '';
  const m = BigInt(mantissa);
  if (scale <= 0) return (m * 10n ** BigInt(-scale)).toString();
  const negative = m < 0n;
  const digits = (negative ? -m : m).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** `mantissa / 10^scale` as a double (rounded). */
export const toNumber = (mantissa, scale) => Number(mantissa) / 10 ** scale;

// Epoch milliseconds with sub-millisecond resolution where the platform has it; used for tick-to-client latency and
// the watchdog. performance.now() is not a wall clock: on some systems it stops while the machine sleeps, and over
// days it drifts from the NTP-disciplined clock the gateway stamps ingestTime with. So it only refines Date.now():
// it counts from an anchor, performance.timeOrigin where that agrees with Date.now() (it has sub-millisecond
// precision, where Date.now() is floored to the millisecond and would put loopback latencies below 0), else
// Date.now(); taken again from Date.now() whenever the two part by more than CLOCK_DRIFT_MS.
const CLOCK_DRIFT_MS = 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;
let clockAnchorMs = NaN; // epoch milliseconds at performance.now() == 0
function nowEpochMs() {
  const wallMs = Date.now();
  if (typeof globalThis.performance?.now !== 'function') return wallMs;
  const monotonicMs = performance.now();
  if (Number.isNaN(clockAnchorMs)) {
    const origin = globalThis.performance.timeOrigin;
    const fromOrigin = origin + monotonicMs;
    // Date.now() is the floor of the true time: a right origin gives a time in [wallMs, wallMs + 1), with slack.
    clockAnchorMs = typeof origin === 'number' && fromOrigin >= wallMs - 1 && fromOrigin < wallMs + 2
      ? origin : wallMs + 0.5 - monotonicMs;
  }
  const ms = clockAnchorMs + monotonicMs;
  if (Math.abs(ms - wallMs) <= CLOCK_DRIFT_MS) return ms;
  clockAnchorMs = wallMs + 0.5 - monotonicMs; // the middle of Date.now()'s millisecond
  return wallMs + 0.5;
}

const DEFAULTS = {
  heartbeatMs: 1000, // the gateway's --heartbeat-ms; the watchdog fires after 3 of these without any message
  connectTimeoutMs: 5000, // a server that takes the TCP connection but never answers the handshake is left after this
  initialBackoffMs: 250,
  maxBackoffMs: 10000,
  requestTimeoutMs: 10000,
  unknownRetryMs: 1000,
};

/**
 * A self-healing session with a gateway: keeps the wanted symbols and throttle across reconnects and holds the
 * latest value of every subscribed symbol.
 *
 * Events (all `CustomEvent`, read `event.detail`):
 * - `update`: `{ kind, frameSeq, symbols }` once per SNAPSHOT or UPDATE frame; `symbols` are the store entries
 *   (see `get()`) that this frame changed. Also with `kind` and `frameSeq` null when a `subscribed` reply clears
 *   values: a restarted gateway does not know (yet) a symbol that had one.
 * - `status`: `{ state, attempt?, delayMs?, code?, reason? }`; state is `connecting`, `open`, `reconnecting` or
 *   `closed` (only after `close()`).
 * - `gap`: `{ expected, received }` when frameSeq skips; the store may have missed values, so the client drops the
 *   connection (close code 4002) and reconnects: the new session's SNAPSHOT restates every symbol.
 * - `regression`: `{ symbol, seq, lastSeq }` when an entry's seq goes below the one held; the entry is ignored (one
 *   at the same seq restates the held value and is ignored silently).
 * - `dropped`: `{ symbols, reason }` when the client stops wanting symbols by itself, as if unsubscribed: a
 *   `subscribed` reply rejected them with LIMIT_EXCEEDED (`reason`), also the resubscribe's after a reconnect, or
 *   the subscribe that added them failed as a whole (`reason` is the error code).
 * - `error`: `{ error, symbol? }` for error replies, rejected symbols (`symbol` set; one that a gateway accepted
 *   before and a restarted one calls UNKNOWN_SYMBOL is asked for again every `unknownRetryMs` until known or
 *   unsubscribed; one rejected with LIMIT_EXCEEDED is dropped as if unsubscribed) and undecodable frames; the
 *   session goes on.
 *
 * Single-threaded like everything in a page: all state is touched from the event loop only.
 */
export class TickgateClient extends EventTarget {
  #options;
  #WebSocket;
  #ws = null;
  #wanted = new Set(); // symbols to hold; replayed on every new connection
  #maxRateHz = 0;
  #store = new Map(); // symbol -> latest value, kept across reconnects until a SNAPSHOT replaces it
  #bySid = []; // sid -> store entry, valid for the current connection only (sids are per gateway run)
  #snapshotWaits = []; // per `subscribed` reply not yet followed by a SNAPSHOT: the symbols it newly mapped
  // request id -> { resolve, reject, timer, message, applied }; applied: what the request changed here, to undo if the
  // gateway fails it as a whole (subscribe: the names it made wanted; unsubscribe: symbol -> the entry it let go)
  #pending = new Map();
  #queued = []; // requests made while not connected, sent after the resubscribe on the next open
  #nextId = 1;
  #expectedFrameSeq = 1n;
  #lastMessageAt = 0;
  #watchdog = null;
  #watchdogCheckedAt = 0;
  #retryTimer = null;
  #connectTimer = null;
  #unknownRetry = null;
  #unknown = new Set(); // once-accepted symbols a restarted gateway rejected as unknown, asked for by #unknownRetry
  #attempt = 0; // connection attempts since a connection last delivered a binary frame; sets the backoff
  #closed = true;
  #scratch = {};
  /** Counters since construction; cheap enough to poll for a status line. */
  stats = { frames: 0, entries: 0, heartbeats: 0, gaps: 0, regressions: 0, reconnects: 0 };

  /**
   * @param {string} url e.g. `ws://localhost:8080/ws`
   * @param {object} [options] heartbeatMs (changeable later with `setHeartbeatMs`), connectTimeoutMs,
   *   initialBackoffMs, maxBackoffMs, requestTimeoutMs, unknownRetryMs, WebSocket (constructor)
   */
  constructor(url, options = {}) {
    super();
    this.url = url;
    this.#options = { ...DEFAULTS, ...options };
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (!this.#WebSocket) throw new TypeError('no WebSocket implementation: pass options.WebSocket');
  }

  /** Opens the connection (and keeps reopening it until `close()`). */
  connect() {
    if (!this.#closed) return this;
    this.#closed = false;
    this.#open();
    return this;
  }

  /** Stops for good: closes the socket, cancels timers, rejects pending requests. */
  close() {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#unknownRetry);
    this.#unknownRetry = null;
    this.#unknown.clear();
    clearInterval(this.#watchdog);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.close(1000, 'client closing');
    this.#failPending('client closed', true);
    this.#emit('status', { state: 'closed' });
  }

  get connected() {
    return this.#ws !== null && this.#ws.readyState === 1;
  }

  /**
   * Adds symbols (an array of non-empty strings); resolves with the `subscribed` reply (`symbols`, `rejected`). A list
   * over the gateway's limits per request goes out in several requests and resolves with one reply holding all of
   * theirs. If the gateway fails a request as a whole, the names it added are no longer wanted.
   */
  subscribe(symbols) {
    const invalid = checkSymbols(symbols);
    if (invalid) return Promise.reject(invalid);
    return this.#requestInChunks('subscribe', symbols, (chunk) => this.#want(chunk), (replies) => ({
      op: 'subscribed',
      symbols: replies.flatMap((reply) => reply.symbols ?? []),
      rejected: replies.flatMap((reply) => reply.rejected ?? []),
    }));
  }

  /**
   * Removes symbols from the session and the store; resolves with the `unsubscribed` reply. A list over the
   * gateway's limits per request goes out in several requests and resolves with one reply naming all their symbols.
   * If the gateway fails a request as a whole, its names are wanted again, with their values.
   */
  unsubscribe(symbols) {
    const invalid = checkSymbols(symbols);
    if (invalid) return Promise.reject(invalid);
    return this.#requestInChunks('unsubscribe', symbols, (chunk) => this.#leave(chunk), (replies) => ({
      op: 'unsubscribed',
      symbols: replies.flatMap((reply) => reply.symbols ?? []),
    }));
  }

  // Sends `op` for `symbols` in as many requests as the gateway's limits need: one over its 4,096 names would be
  // refused whole, and the pieces go with ids, so room is kept for one. `apply(chunk)` changes the client's state for
  // a piece as it is sent; several replies are merged into one by `merge`, and the first failure rejects. A name too
  // long for any request refuses the call before anything is sent or changed.
  #requestInChunks(op, symbols, apply, merge) {
    const chunks = symbols.length === 0 ? [[]] : requestChunks(op, symbols, MAX_ID_BYTES);
    for (const [i, chunk] of chunks.entries()) {
      const tooLarge = tooLargeError({ op, symbols: chunk }, this.#nextId + i);
      if (tooLarge) return Promise.reject(tooLarge);
    }
    const requests = chunks.map((chunk) => this.#request({ op, symbols: chunk }, () => apply(chunk)));
    return requests.length === 1 ? requests[0] : Promise.all(requests).then(merge);
  }

  // Makes `chunk` wanted; returns the names that were not wanted before, which a refusal of the request forgets.
  #want(chunk) {
    const added = new Set();
    for (const s of chunk) {
      if (this.#wanted.has(s)) continue;
      this.#wanted.add(s);
      if (!this.#store.has(s)) this.#store.set(s, newEntry(s));
      added.add(s);
    }
    return added;
  }

  /** At most `maxRateHz` entries per symbol per second (0 = as fast as possible); kept across reconnects. */
  throttle(maxRateHz) {
    if (!Number.isInteger(maxRateHz) || maxRateHz < 0 || maxRateHz > MAX_THROTTLE_HZ) {
      return Promise.reject(new TickgateError('BAD_REQUEST',
        `maxRateHz must be an integer from 0 to ${MAX_THROTTLE_HZ}`));
    }
    return this.#request({ op: 'throttle', maxRateHz }, () => {
      this.#maxRateHz = maxRateHz;
    });
  }

  /** Resolves with the `pong` reply; `serverTime` is epoch nanoseconds as BigInt-safe text in `serverTimeText`. */
  ping() {
    return this.#request({ op: 'ping' });
  }

  /** The latest value of a subscribed symbol (a live object the client updates in place; treat it as read-only). */
  get(symbol) {
    return this.#store.get(symbol);
  }

  /** Subscribed symbols in the order they were added. */
  symbols() {
    return [...this.#wanted];
  }

  get maxRateHz() {
    return this.#maxRateHz;
  }

  /** The heartbeat interval the watchdog expects (the `heartbeatMs` option). */
  get heartbeatMs() {
    return this.#options.heartbeatMs;
  }

  /**
   * Sets the heartbeat interval the watchdog expects, taking effect at once on an open connection: a client that
   * reconnects to a gateway restarted with another `--heartbeat-ms` (read from its `GET /health`) follows it
   * instead of dropping a quiet connection every 3 old intervals.
   */
  setHeartbeatMs(ms) {
    if (!Number.isFinite(ms) || ms <= 0) throw new TypeError('heartbeatMs must be a positive number');
    this.#options.heartbeatMs = ms;
    const ws = this.#ws;
    if (ws !== null && ws.readyState === 1) this.#startWatchdog(ws);
    return this;
  }

  #open() {
    this.#emit('status', { state: 'connecting', attempt: this.#attempt });
    let ws;
    try {
      ws = new this.#WebSocket(this.url);
    } catch (e) {
      this.#emit('error', { error: e });
      this.#scheduleReconnect(0, String(e.message));
      return;
    }
    this.#ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.#onOpen(ws);
    ws.onmessage = (event) => this.#onMessage(ws, event.data);
    ws.onclose = (event) => this.#onClose(ws, event.code, event.reason);
    // A failed connect also fires close, which is where reconnecting happens; nothing more to do on error.
    ws.onerror = () => {};
    // A server (or proxy) that accepts TCP but never answers the handshake would otherwise hold this attempt for
    // as long as the OS keeps the connection: it is dropped and retried with the usual backoff.
    clearTimeout(this.#connectTimer);
    this.#connectTimer = setTimeout(() => {
      if (ws === this.#ws && ws.readyState !== 1) this.#drop(ws, 4001, 'connect timeout');
    }, this.#options.connectTimeoutMs);
  }

  #onOpen(ws) {
    if (ws !== this.#ws) return;
    clearTimeout(this.#connectTimer);
    // The backoff is not reset here but on the first binary frame: a gateway that completes the handshake and then
    // closes (1013 when full, 1011, 1001 while shutting down) would otherwise be retried every 125-250 ms.
    this.#expectedFrameSeq = 1n;
    this.#bySid = [];
    this.#snapshotWaits = [];
    for (const entry of this.#store.values()) entry.sid = -1;
    this.#lastMessageAt = nowEpochMs();
    this.#startWatchdog(ws);
    this.#emit('status', { state: 'open' });
    // seq restarts with a new gateway run, so every symbol is asked for again and its SNAPSHOT entry is the truth.
    // Symbols of a subscribe() still queued are left to that request, so its promise gets their reply.
    const queuedSymbols = new Set(this.#queued.flatMap((q) => (q.message.op === 'subscribe' ? q.message.symbols : [])));
    const resubscribe = [...this.#wanted].filter((symbol) => !queuedSymbols.has(symbol));
    // In pieces the gateway takes: one over its limits would fail whole, and nothing would be held.
    this.#sendSubscribes(resubscribe);
    if (this.#maxRateHz > 0) this.#send(ws, { op: 'throttle', maxRateHz: this.#maxRateHz }, null);
    const queued = this.#queued;
    this.#queued = [];
    for (const q of queued) this.#send(ws, q.message, q.id);
  }

  #watchdogPeriodMs() {
    // Timers take at most 2^31 - 1 ms; a longer one fires at once, every millisecond.
    return Math.min(MAX_TIMER_MS, Math.max(10, this.#options.heartbeatMs / 2));
  }

  #startWatchdog(ws) {
    clearInterval(this.#watchdog);
    this.#watchdogCheckedAt = nowEpochMs();
    this.#watchdog = setInterval(() => this.#checkWatchdog(ws), this.#watchdogPeriodMs());
  }

  #checkWatchdog(ws) {
    if (ws !== this.#ws) return;
    const now = nowEpochMs();
    // A check that comes more than a heartbeat late found the page itself busy (a long task, a machine asleep):
    // messages that came meanwhile may still wait behind this check, so that time is not the gateway's silence.
    const lateMs = now - this.#watchdogCheckedAt - this.#watchdogPeriodMs();
    this.#watchdogCheckedAt = now;
    if (lateMs > this.#options.heartbeatMs) this.#lastMessageAt += lateMs;
    const silentMs = now - this.#lastMessageAt;
    if (silentMs <= 3 * this.#options.heartbeatMs) return;
    // A half-open TCP connection never fires close by itself; dropping it here is what gets the data back.
    this.#emit('error', { error: new TickgateError('WATCHDOG', `no message for ${Math.round(silentMs)} ms`) });
    this.#drop(ws, 4000, 'heartbeat watchdog');
  }

  #drop(ws, code, reason) {
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // The socket may be mid-handshake; it is abandoned either way.
    }
    this.#onClose(ws, code, reason);
  }

  #onClose(ws, code, reason) {
    if (ws !== this.#ws) return;
    this.#ws = null;
    clearInterval(this.#watchdog);
    clearTimeout(this.#connectTimer);
    this.#failPending(`connection closed (${code}${reason ? ` ${reason}` : ''})`);
    if (!this.#closed) this.#scheduleReconnect(code, reason);
  }

  #scheduleReconnect(code, reason) {
    const { initialBackoffMs, maxBackoffMs } = this.#options;
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(this.#attempt, 20));
    // Half fixed, half random: clients dropped together by a gateway restart do not all come back in one instant.
    const delayMs = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.#attempt++;
    this.stats.reconnects++;
    this.#emit('status', { state: 'reconnecting', attempt: this.#attempt, delayMs, code, reason });
    this.#retryTimer = setTimeout(() => {
      if (!this.#closed) this.#open();
    }, delayMs);
  }

  // `apply` changes the local state a request stands for, once it is known to go out; its result is kept with the
  // pending request as `applied`.
  #request(message, apply = () => undefined) {
    const id = this.#nextId;
    const tooLarge = tooLargeError(message, id);
    if (tooLarge) return Promise.reject(tooLarge);
    this.#nextId++;
    const applied = apply();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#queued = this.#queued.filter((q) => q.id !== id);
        reject(new TickgateError('TIMEOUT', `no reply to ${message.op} within ${this.#options.requestTimeoutMs} ms`,
          id));
      }, this.#options.requestTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer, message, applied });
      if (this.connected) this.#send(this.#ws, message, id);
      else this.#queued.push({ message, id });
    });
  }

  #send(ws, message, id) {
    ws.send(JSON.stringify(id === null ? message : { ...message, id }));
  }

  // Requests that went out on the lost connection are rejected (their reply will never come); queued ones were
  // never sent and wait for the next connection, within their request timeout. close() fails both.
  #failPending(why, queuedToo = false) {
    const keep = new Set(queuedToo ? [] : this.#queued.map((q) => q.id));
    if (queuedToo) this.#queued = [];
    for (const [id, p] of this.#pending) {
      if (keep.has(id)) continue;
      this.#pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new TickgateError('DISCONNECTED', why, id));
    }
  }

  #onMessage(ws, data) {
    if (ws !== this.#ws) return;
    this.#lastMessageAt = nowEpochMs();
    // One bad message must not end the session: it is reported and the next one is handled as usual.
    try {
      if (typeof data === 'string') this.#onReply(data);
      // A frame lost on the way may have held the last value of a quiet symbol, which no later frame repeats; the
      // gateway believes the session holds it, so only a new session (whose SNAPSHOT restates every symbol) repairs
      // the store. The frame that showed the gap is applied first: its values are newer.
      else if (this.#onFrame(data)) this.#drop(ws, 4002, 'frameSeq gap');
    } catch (e) {
      this.#emit('error', { error: e });
    }
  }

  #onReply(text) {
    // serverTime is an i64 beyond 2^53; JSON.parse would round it, so its digits are kept as text too.
    const serverTimeText = /"serverTime"\s*:\s*(-?\d+)/.exec(text)?.[1];
    const reply = JSON.parse(text);
    if (serverTimeText !== undefined) reply.serverTimeText = serverTimeText;
    if (reply.op === 'subscribed') this.#onSubscribed(reply);
    const pending = reply.id === undefined ? undefined : this.#pending.get(reply.id);
    if (reply.op === 'error') {
      const error = new TickgateError(reply.code, reply.message, reply.id);
      if (pending) pending.reject(error);
      // A request that failed whole changed nothing at the gateway: names only a subscribe added are not held, and
      // wanting them would put them in every resubscribe; names an unsubscribe let go are still held.
      if (pending?.message.op === 'subscribe') this.#release(pending.applied, reply.id, reply.code);
      if (pending?.message.op === 'unsubscribe') this.#restore(pending.applied);
      this.#emit('error', { error });
    } else if (pending) {
      // No entry for the symbols follows the reply: the entries let go stop taking them.
      if (pending.message.op === 'unsubscribe') this.#unbind(pending.applied.values());
      pending.resolve(reply);
    }
    if (pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(reply.id);
    }
  }

  #onSubscribed(reply) {
    const fresh = [];
    for (const s of reply.symbols ?? []) {
      // A symbol unsubscribed after this request went out is not taken back in.
      if (!this.#wanted.has(s.symbol)) continue;
      const entry = this.#store.get(s.symbol);
      entry.priceScale = s.priceScale;
      entry.sizeScale = s.sizeScale;
      entry.known = true;
      if (entry.sid !== s.sid) {
        entry.sid = s.sid;
        entry.seq = 0n;
        // A new subscription: its first entry counts the gateway run's merges from the start, so totals kept
        // from an earlier subscription (or gateway run) would count some twice.
        entry.updates = 0;
        entry.conflatedTotal = 0;
        this.#bySid[s.sid] = entry;
        fresh.push(entry);
      }
    }
    this.#snapshotWaits.push(fresh);
    const limited = [];
    const cleared = [];
    for (const r of reply.rejected ?? []) {
      this.#emit('error', { error: new TickgateError(r.reason, `${r.symbol} rejected: ${r.reason}`), symbol: r.symbol });
      if (r.reason === 'LIMIT_EXCEEDED') limited.push(r.symbol);
      const entry = this.#store.get(r.symbol);
      if (r.reason !== 'UNKNOWN_SYMBOL' || !entry?.known) continue;
      this.#unknown.add(r.symbol);
      // The value came from an earlier gateway run; the one now connected has none to replace it with.
      if (entry.seq !== 0n) cleared.push(clearEntry(entry));
    }
    // A symbol over the session's limit would be asked for on every reconnect and crowd out the others.
    this.#release(limited, reply.id, 'LIMIT_EXCEEDED');
    if (cleared.length > 0) this.#emit('update', { kind: null, frameSeq: null, symbols: cleared });
    // A gateway that has just restarted knows a symbol only once its feed repeats the definition (every few
    // seconds), so a symbol that a gateway accepted before and now calls unknown is asked for again until it is
    // known or unsubscribed. A symbol never accepted (a typo) is rejected once and left alone.
    if (this.#unknown.size > 0 && this.#unknownRetry === null) {
      this.#unknownRetry = setTimeout(() => {
        this.#unknownRetry = null;
        const still = [...this.#unknown].filter((s) => this.#wanted.has(s) && this.#store.get(s)?.sid < 0);
        this.#unknown.clear();
        if (!this.connected) return; // the resubscribe on the next open asks for them
        this.#sendSubscribes(still);
      }, this.#options.unknownRetryMs);
    }
  }

  // Stops wanting symbols the gateway does not hold for this session, unless a later subscribe naming them still
  // waits for its reply (replies come in request order): that reply decides, so the later request takes them over.
  // Those let go are told in one `dropped` event: the reply may be the id-less resubscribe's, which no promise of
  // the app's waits for, and an app showing them would otherwise keep their last values as if live.
  #release(symbols, replyId, reason) {
    const later = new Map();
    for (const [id, p] of this.#pending) {
      if (id === replyId || p.message.op !== 'subscribe') continue;
      for (const s of p.message.symbols) if (!later.has(s)) later.set(s, p);
    }
    const dropped = [];
    for (const symbol of symbols) {
      if (!this.#wanted.has(symbol)) continue;
      const heir = later.get(symbol);
      if (heir) {
        heir.applied.add(symbol);
      } else {
        this.#forget(symbol);
        dropped.push(symbol);
      }
    }
    if (dropped.length > 0) this.#emit('dropped', { symbols: dropped, reason });
  }

  #forget(symbol) {
    this.#wanted.delete(symbol);
    const entry = this.#store.get(symbol);
    if (entry) this.#unbind([entry]);
    this.#store.delete(symbol);
  }

  #unbind(entries) {
    for (const entry of entries) {
      if (entry.sid >= 0 && this.#bySid[entry.sid] === entry) this.#bySid[entry.sid] = undefined;
    }
  }

  // An unsubscribe's names leave the wanted set and the store at once (nothing more is reported for them), but
  // their entries keep taking the frames until the reply, silently: if the gateway fails the request as a whole,
  // they come back up to date.
  #leave(symbols) {
    const left = new Map();
    for (const symbol of symbols) {
      const entry = this.#store.get(symbol);
      if (!this.#wanted.delete(symbol) || entry === undefined) continue;
      this.#store.delete(symbol);
      entry.leaving = true;
      left.set(symbol, entry);
    }
    return left;
  }

  // Undoes #leave for an unsubscribe the gateway failed as a whole, which still holds the names. An entry this
  // connection never bound (its subscribe's reply had not come) is asked for again, so client and gateway agree.
  #restore(left) {
    const unbound = [];
    for (const [symbol, entry] of left) {
      entry.leaving = false;
      this.#wanted.add(symbol);
      this.#store.set(symbol, entry); // over an entry a later subscribe made: this one is bound and up to date
      if (entry.sid < 0) unbound.push(symbol);
    }
    if (unbound.length > 0 && this.connected) this.#sendSubscribes(unbound);
  }

  #sendSubscribes(symbols) {
    for (const chunk of requestChunks('subscribe', symbols)) {
      this.#send(this.#ws, { op: 'subscribe', symbols: chunk }, null);
    }
  }

  // Applies a binary frame; true when its frameSeq showed a gap (the caller resyncs).
  #onFrame(buffer) {
    const view = new DataView(buffer);
    const { kind, count, frameSeq } = decodeHeader(view);
    this.#attempt = 0; // the session serves data (a heartbeat at least): the next drop starts the backoff afresh
    const gap = frameSeq !== this.#expectedFrameSeq;
    if (gap) {
      this.stats.gaps++;
      this.#emit('gap', { expected: this.#expectedFrameSeq, received: frameSeq });
    }
    this.#expectedFrameSeq = frameSeq + 1n;
    this.stats.frames++;
    if (kind === KIND_HEARTBEAT) {
      this.stats.heartbeats++;
      return gap;
    }
    const receivedAt = nowEpochMs();
    const changed = [];
    // One SNAPSHOT answers every `subscribed` reply received before it: the gateway owes a single snapshot however
    // many subscribes it handled before writing one, and writes each reply before the snapshot that covers it.
    let waiting;
    if (kind === KIND_SNAPSHOT) {
      waiting = new Set(this.#snapshotWaits.flat());
      this.#snapshotWaits = [];
    }
    const e = this.#scratch;
    for (let i = 0, at = HEADER_BYTES; i < count; i++, at += ENTRY_BYTES) {
      decodeEntry(view, at, e);
      const entry = this.#bySid[e.sid];
      if (entry === undefined) continue; // unsubscribed while the frame was on its way
      if (e.seq <= entry.seq) {
        // An equal seq is a restatement, not a regression: a subscribe that follows an unsubscribe is a new
        // subscription whose SNAPSHOT restates the value even at a seq the session had (docs/protocol.md §1.4.2),
        // and when both went out before the first reply, this client still holds that seq.
        if (e.seq < entry.seq) {
          this.stats.regressions++;
          this.#emit('regression', { symbol: entry.symbol, seq: e.seq, lastSeq: entry.seq });
        }
        continue;
      }
      applyEntry(entry, e, receivedAt);
      if (entry.leaving) continue; // kept up to date in case its unsubscribe fails, but no longer reported
      waiting?.delete(entry);
      changed.push(entry);
    }
    this.stats.entries += count;
    // The snapshot holds every newly mapped symbol that has a value: one it leaves out has none (yet), whatever
    // an earlier connection said.
    if (waiting) for (const entry of waiting) if (entry.sid >= 0 && entry.seq === 0n) changed.push(clearEntry(entry));
    if (changed.length > 0 || kind === KIND_SNAPSHOT) {
      this.#emit('update', { kind, frameSeq, symbols: changed });
    }
    return gap;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

// The gateway takes any array of strings, but an empty name is never a symbol, and a string passed alone is not
// to be read as the array of its letters.
function checkSymbols(symbols) {
  let ok = Array.isArray(symbols);
  for (let i = 0; ok && i < symbols.length; i++) ok = typeof symbols[i] === 'string' && symbols[i].length > 0;
  return ok ? null : new TickgateError('BAD_REQUEST', 'symbols must be an array of non-empty strings');
}

// Bytes an `id` adds to a request, at the most.
const MAX_ID_BYTES = `,"id":${Number.MAX_SAFE_INTEGER}`.length;

// Splits a subscribe or unsubscribe into messages within the gateway's limits: MAX_SYMBOLS_PER_REQUEST names and
// MAX_REQUEST_BYTES of UTF-8 JSON with `reserveBytes` to spare (each name counted with a comma, so a message may
// come out a byte short). A name too long for a message of its own still gets one.
function requestChunks(op, symbols, reserveBytes = 0) {
  const emptyBytes = utf8Length(JSON.stringify({ op, symbols: [] })) + reserveBytes;
  const chunks = [];
  let chunk = [];
  let bytes = emptyBytes;
  for (const symbol of symbols) {
    const more = utf8Length(JSON.stringify(symbol)) + 1;
    if (chunk.length === MAX_SYMBOLS_PER_REQUEST || (chunk.length > 0 && bytes + more > MAX_REQUEST_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = emptyBytes;
    }
    chunk.push(symbol);
    bytes += more;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

// The gateway does not parse a text message over its limit, so its TOO_LARGE reply has no id and the request would
// only time out: such a request is refused here, before any state changes.
function tooLargeError(message, id) {
  const bytes = utf8Length(JSON.stringify({ ...message, id }));
  return bytes > MAX_REQUEST_BYTES ? new TickgateError('TOO_LARGE',
    `${message.op} request of ${bytes} bytes; the gateway takes at most ${MAX_REQUEST_BYTES}`) : null;
}

const UTF8 = new TextEncoder();

function utf8Length(text) {
  return UTF8.encode(text).length;
}

function newEntry(symbol) {
  return clearEntry({ symbol, sid: -1, priceScale: 0, sizeScale: 0, known: false, leaving: false });
}

/** No value, and no counts: whatever they held came from a subscription (or gateway run) that is gone. */
function clearEntry(entry) {
  Object.assign(entry, {
    seq: 0n, hasQuote: false, hasTrade: false, stale: false, conflated: 0, updates: 0, conflatedTotal: 0,
    bidPrice: null, bidSize: null, askPrice: null, askSize: null, lastPrice: null, lastSize: null,
    exchangeTime: 0n, ingestTime: 0n, receivedAt: 0, latencyMs: NaN,
  });
  return entry;
}

function applyEntry(entry, e, receivedAt) {
  // An entry that only sets or clears the stale flag repeats the previous values and carries no feed update
  // (docs/protocol.md, accounting).
  const flagOnly = entry.seq !== 0n && e.ingestTime === entry.ingestTime && e.stale !== entry.stale;
  entry.seq = e.seq;
  entry.stale = e.stale;
  entry.conflated = e.conflated;
  // A clear presence flag means that half was never set: a symbol that has only quoted shows no trade, not one at 0.
  entry.hasQuote = e.quote;
  entry.hasTrade = e.trade;
  entry.bidPrice = e.quote ? e.bidPrice : null;
  entry.bidSize = e.quote ? e.bidSize : null;
  entry.askPrice = e.quote ? e.askPrice : null;
  entry.askSize = e.quote ? e.askSize : null;
  entry.lastPrice = e.trade ? e.lastPrice : null;
  entry.lastSize = e.trade ? e.lastSize : null;
  if (!flagOnly) {
    entry.updates += 1 + e.conflated;
    entry.conflatedTotal += e.conflated;
    entry.receivedAt = receivedAt;
    entry.latencyMs = e.ingestTime > 0n ? receivedAt - Number(e.ingestTime) / 1e6 : NaN;
  }
  entry.exchangeTime = e.exchangeTime;
  entry.ingestTime = e.ingestTime;
}
