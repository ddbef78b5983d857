// Live watchlist over one gateway session; the wire contract is docs/protocol.md §1 (client protocol, version 1).
// Frames are decoded into a per-sid store the moment they arrive, and the DOM is touched at most once per
// animation frame: a burst of thousands of entries then costs one paint of the rows it changed, not one each.

const MAX_SYMBOLS = 50;
const RETRY_MS = 1000;
const FLASH_MS = 600;
const MAX_MESSAGES = 5;

const FRAME_VERSION = 1;
const HEADER_BYTES = 24;
const ENTRY_BYTES = 80;
const KIND_UPDATE = 1;
const KIND_HEARTBEAT = 3;
const FLAG_QUOTE = 1;
const FLAG_TRADE = 1 << 1;
const FLAG_STALE = 1 << 2;

const FIELDS = ['bid', 'bidSize', 'ask', 'askSize', 'last', 'lastSize', 'updates'];
const PRICE_FIELDS = new Set(['bid', 'ask', 'last']);

const [statusEl, ratesEl, frameSeqEl, messagesEl, tbody] =
  ['status', 'rates', 'frame-seq', 'messages', 'rows'].map((id) => document.getElementById(id));
const el = (tag, props) => Object.assign(document.createElement(tag), props);

const rowsBySymbol = new Map();
// sids are numbered by the gateway per run, so this map is only trusted for the session that sent it.
let rowsBySid = new Map();
const dirty = new Set();
const flashing = new Set();
let renderPending = false;
let symbols = [];
let frames = 0, entries = 0;
let lastFrameSeq = 0n, lastSendTime = 0n;

function report(text) {
  // A gateway that is down produces the same line every second; count repeats instead of scrolling the log away.
  const top = messagesEl.firstElementChild;
  const time = new Date().toLocaleTimeString();
  if (top && top.text === text) {
    top.textContent = `${time} ${text} (×${++top.repeats})`;
    return;
  }
  messagesEl.prepend(el('div', { text, repeats: 1, textContent: `${time} ${text}` }));
  while (messagesEl.childElementCount > MAX_MESSAGES) messagesEl.lastElementChild.remove();
}

const setStatus = (state, text) => Object.assign(statusEl, { className: state, textContent: text });

// Exact decimal text from a BigInt mantissa; going through a double would print 0.30000000000000004-style noise.
function fmt(mantissa, scale) {
  if (mantissa == null) return '—';
  if (scale <= 0) return (mantissa * 10n ** BigInt(-scale)).toString();
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

// /api/symbols writes i64 as plain JSON numbers; past 2^53 they arrive rounded, which only the seed view sees.
const big = (n) => BigInt(Math.trunc(Number(n) || 0));

function makeRow(info) {
  const tr = el('tr');
  tr.dataset.symbol = info.symbol;
  const marker = el('span', { className: 'stale-marker', textContent: 'stale', hidden: true });
  marker.title = 'feed for this symbol is down; values are the last known';
  const name = el('td', { className: 'symbol', textContent: info.symbol });
  name.append(marker);
  tr.append(name);
  const cells = {};
  for (const field of FIELDS) {
    cells[field] = el('td');
    cells[field].dataset.field = field;
    tr.append(cells[field]);
  }
  tbody.append(tr);
  const row = {
    symbol: info.symbol, priceScale: info.priceScale, sizeScale: info.sizeScale, seq: 0n, stale: false,
    bid: null, bidSize: null, ask: null, askSize: null, last: null, lastSize: null, updates: 0,
    tr, marker, cells, painted: {},
  };
  rowsBySymbol.set(info.symbol, row);
  dirty.add(row);
  return row;
}

// Shows what the gateway already holds while the socket is still opening; the SNAPSHOT replaces it.
// The list has no presence flags, so an all-zero quote or trade is taken as "none yet".
function seedRow(s) {
  const row = makeRow(s);
  row.stale = Boolean(s.stale);
  if (!(s.seq > 0)) return;
  if (s.bidPrice || s.bidSize || s.askPrice || s.askSize) {
    Object.assign(row, { bid: big(s.bidPrice), bidSize: big(s.bidSize) });
    Object.assign(row, { ask: big(s.askPrice), askSize: big(s.askSize) });
  }
  if (s.lastPrice || s.lastSize) Object.assign(row, { last: big(s.lastPrice), lastSize: big(s.lastSize) });
}

function onFrame(buffer) {
  if (buffer.byteLength < HEADER_BYTES) return report(`frame of ${buffer.byteLength} bytes ignored: no header`);
  const view = new DataView(buffer);
  const version = view.getUint8(0);
  if (version !== FRAME_VERSION) return report(`frame version ${version} ignored: this page speaks version 1`);
  const kind = view.getUint8(1);
  if (kind < KIND_UPDATE || kind > KIND_HEARTBEAT) return report(`frame kind ${kind} ignored`);
  const count = view.getUint16(2, true);
  if (buffer.byteLength < HEADER_BYTES + count * ENTRY_BYTES) {
    return report(`frame truncated: ${count} entries in ${buffer.byteLength} bytes`);
  }
  const frameSeq = view.getBigUint64(8, true);
  // frameSeq is gapless per session, so a jump means the decoder or the gateway lost a frame.
  if (frameSeq !== lastFrameSeq + 1n) report(`frameSeq jumped from ${lastFrameSeq} to ${frameSeq}`);
  lastFrameSeq = frameSeq;
  lastSendTime = view.getBigInt64(16, true);
  frames++;
  entries += count;
  for (let i = 0; i < count; i++) applyEntry(view, HEADER_BYTES + ENTRY_BYTES * i);
  scheduleRender();
}

function applyEntry(view, at) {
  const row = rowsBySid.get(view.getUint32(at, true));
  if (!row) return;
  const seq = view.getBigUint64(at + 8, true);
  if (seq <= row.seq) return;
  row.seq = seq;
  const flags = view.getUint16(at + 4, true);
  // A clear presence flag means that half was never set and reads as zeros: a symbol that has only quoted
  // must show no trade, not a trade at 0.
  if (flags & FLAG_QUOTE) {
    row.bid = view.getBigInt64(at + 16, true);
    row.bidSize = view.getBigInt64(at + 24, true);
    row.ask = view.getBigInt64(at + 32, true);
    row.askSize = view.getBigInt64(at + 40, true);
  }
  if (flags & FLAG_TRADE) {
    row.last = view.getBigInt64(at + 48, true);
    row.lastSize = view.getBigInt64(at + 56, true);
  }
  row.stale = (flags & FLAG_STALE) !== 0;
  row.updates += 1 + view.getUint16(at + 6, true);
  dirty.add(row);
}

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(render);
}

function render(now) {
  renderPending = false;
  for (const row of dirty) paintRow(row, now);
  dirty.clear();
  for (const cell of flashing) {
    if (now < cell.flashUntil) continue;
    cell.classList.remove('up', 'down');
    flashing.delete(cell);
  }
  if (flashing.size) scheduleRender();
  frameSeqEl.textContent = lastFrameSeq ? String(lastFrameSeq) : '—';
  frameSeqEl.title = lastSendTime ? `sent ${new Date(Number(lastSendTime / 1000000n)).toISOString()}` : '';
}

function paintRow(row, now) {
  for (const field of FIELDS) {
    const value = row[field];
    const before = row.painted[field];
    if (value === before) continue;
    row.painted[field] = value;
    const cell = row.cells[field];
    const isPrice = PRICE_FIELDS.has(field);
    cell.textContent = field === 'updates' ? String(value) : fmt(value, isPrice ? row.priceScale : row.sizeScale);
    if (isPrice && value != null && before != null) {
      cell.classList.remove('up', 'down');
      cell.classList.add(value > before ? 'up' : 'down');
      cell.flashUntil = now + FLASH_MS;
      flashing.add(cell);
    }
  }
  row.tr.classList.toggle('stale', row.stale);
  row.tr.dataset.stale = String(row.stale);
  row.marker.hidden = !row.stale;
}

function onReply(text) {
  const msg = JSON.parse(text);
  if (msg.op === 'subscribed') onSubscribed(msg);
  else if (msg.op === 'error') report(`error ${msg.code}: ${msg.message}`);
  // pong, throttled and unsubscribed answer requests this page never sends.
}

function onSubscribed(msg) {
  rowsBySid = new Map();
  for (const s of msg.symbols ?? []) {
    const row = rowsBySymbol.get(s.symbol) ?? makeRow(s);
    row.priceScale = s.priceScale;
    row.sizeScale = s.sizeScale;
    // seq only rises within one gateway run; after a restart it starts again, and the SNAPSHOT is the truth.
    row.seq = 0n;
    row.painted = {};
    rowsBySid.set(s.sid, row);
    dirty.add(row);
  }
  for (const r of msg.rejected ?? []) report(`${r.symbol} rejected: ${r.reason}`);
  setStatus('live', 'live');
  scheduleRender();
}

function connect() {
  setStatus('connecting', 'connecting');
  let ws;
  try {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
  } catch (e) {
    return retry(`cannot open WebSocket: ${e.message}`);
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => ws.send(JSON.stringify({ op: 'subscribe', id: 1, symbols: symbols.map((s) => s.symbol) }));
  ws.onmessage = (event) => {
    // One bad message must not stop the page; it is shown, and the next frame is decoded as usual.
    try {
      if (typeof event.data === 'string') onReply(event.data);
      else onFrame(event.data);
    } catch (e) {
      report(`message dropped: ${e.message}`);
    }
  };
  ws.onclose = (event) => {
    rowsBySid = new Map();
    lastFrameSeq = lastSendTime = 0n;
    scheduleRender();
    retry(`connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`);
  };
}

function retry(why) {
  report(why);
  setStatus('disconnected', 'disconnected, retrying');
  setTimeout(connect, RETRY_MS);
}

async function loadSymbols() {
  for (;;) {
    try {
      const response = await fetch('/api/symbols', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const list = await response.json();
      if (Array.isArray(list) && list.length > 0) return list.slice(0, MAX_SYMBOLS);
      report('no symbols yet (feed not started?); retrying');
    } catch (e) {
      report(`/api/symbols failed: ${e.message}; retrying`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

async function main() {
  setInterval(() => {
    ratesEl.textContent = `${frames} frames/s · ${entries} entries/s`;
    frames = entries = 0;
  }, 1000);
  symbols = await loadSymbols();
  for (const s of symbols) seedRow(s);
  scheduleRender();
  connect();
}

main().catch((e) => report(`page stopped: ${e.message}`));
