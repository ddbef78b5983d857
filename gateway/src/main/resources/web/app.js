// Trading watchlist on top of the Tickgate client library (served by the gateway as /tickgate-client.js, source in
// clients/js/). The library keeps the latest value per symbol; this page only paints, at most once per animation
// frame and only the rows a frame changed, so a burst of thousands of entries costs one paint, not thousands.
import {
  TickgateClient, formatFixed, KIND_UPDATE, MAX_REQUEST_BYTES, MAX_SYMBOLS_PER_REQUEST,
} from '/tickgate-client.js';

const FLASH_MS = 500;
const MAX_MESSAGES = 50;
const LISTED_NAMES = 10; // names a message about many symbols spells out before "and N more"
const DEFAULT_SYMBOLS = 12;
const STORAGE_KEY = 'tickgate.watchlist';
const PRICE_FIELDS = ['bid', 'ask', 'last'];
// A feed symbol is 1 to 16 printable ASCII characters, `!` to `~` (docs/protocol.md §2, the D message): anything
// else can never be subscribed, so it is refused here rather than sent.
const SYMBOL = /^[!-~]{1,16}$/;
// Saved symbols the gateway does not know yet (a restarted gateway learns definitions when the feed repeats them)
// are asked for again this often until known.
const UNKNOWN_RETRY_MS = 2000;
// Room left in each subscribe for its op, id and JSON punctuation: the client refuses a request over its limit.
const REQUEST_OVERHEAD_BYTES = 64;
const HEALTH_TIMEOUT_MS = 3000;
// Column widths: characters of the longest text shown so far (they grow, never shrink, so a digit is never cut),
// plus the cell padding and, for the symbol, room for its stale/unknown badge (style.css's --cell-pad-x, --badge-w).
const columnChars = {
  symbol: 6, bidSize: 6, bid: 8, ask: 8, askSize: 6, spread: 6, last: 8, lastSize: 6, conflated: 8, latency: 8,
};

const $ = (id) => document.getElementById(id);
const [statusEl, retryEl, ratesEl, countEl, messagesEl, table, tbody, emptyEl, form, input, datalist, throttleEl,
  measureEl] = ['status', 'retry-in', 'rates', 'count', 'messages', 'table', 'rows', 'empty', 'add-form',
  'add-symbol', 'symbol-list', 'throttle', 'measure'].map($);
const linkedEl = $('linked');

let client = null; // built in start() once /health has said how often the gateway sends heartbeats
const rows = new Map(); // symbol -> row (DOM cells plus what they show now)
const dirty = new Set(); // rows whose store value changed since they were last painted
// Rows scrolled out of view are not painted (they stay dirty) until they come back: with 200 symbols streaming
// and a screenful visible, that is most of the page's text layout saved.
const visibility = new IntersectionObserver((changes) => {
  for (const change of changes) {
    const row = rows.get(change.target.dataset.symbol);
    if (!row) continue;
    row.visible = change.isIntersecting;
    if (row.visible && dirty.has(row)) scheduleRender();
  }
});
const flashing = new Set();
let renderPending = false;
let columnsChanged = true;

// ---- messages ----

function listNames(names) {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES ? `${shown} and ${names.length - LISTED_NAMES} more` : shown;
}

function showLine(line) {
  line.textContent = `${line.time} ${line.dataset.text}${line.repeats > 1 ? ` (×${line.repeats})` : ''}`;
}

// `symbols` and `describe` make a line about symbols: it shrinks as they are accepted and goes when none is left.
function report(text, symbols = null, describe = null) {
  // A gateway that is down says the same thing every retry; count repeats instead of scrolling the log away.
  const top = messagesEl.firstElementChild;
  if (top && top.dataset.text === text) {
    top.repeats++;
    showLine(top);
    return;
  }
  const line = document.createElement('div');
  Object.assign(line, { repeats: 1, time: new Date().toLocaleTimeString(), symbols, describe });
  line.dataset.text = text;
  showLine(line);
  messagesEl.prepend(line);
  while (messagesEl.childElementCount > MAX_MESSAGES) messagesEl.lastElementChild.remove();
}

// Connection trouble: a repeat is merged into its line even when other lines came between (a start that never
// connects also fails /health and /api/symbols), and the lines are dimmed once the connection is live again.
function reportConnection(text) {
  const same = [...messagesEl.querySelectorAll('.connection:not(.resolved)')].find((l) => l.dataset.text === text);
  if (same) {
    same.repeats++;
    showLine(same);
    messagesEl.prepend(same);
    return;
  }
  report(text);
  messagesEl.firstElementChild.classList.add('connection');
}

function resolveConnectionLines() {
  for (const line of messagesEl.querySelectorAll('.connection')) line.classList.add('resolved');
}

function reportSymbols(symbols, describe) {
  report(describe(symbols), new Set(symbols), describe);
}

function forgetMessagesAbout(symbol) {
  for (const line of [...messagesEl.children]) {
    if (!line.symbols?.delete(symbol)) continue;
    if (line.symbols.size === 0) {
      line.remove();
    } else {
      line.dataset.text = line.describe([...line.symbols]);
      showLine(line);
    }
  }
}

// Rejections arrive as one error event per symbol, all from one reply in one task: they are gathered by reason
// and reported as one line each, so a reply rejecting hundreds of names does not flood the log.
const rejectedNow = new Map(); // reason -> symbols
// The gateway's reasons (docs/protocol.md §1.1) in words; the row goes for every reason (flushRejected), unless
// it is kept waiting for an unknown symbol.
const REJECTED_WHY = {
  UNKNOWN_SYMBOL: 'no such symbol (removed)',
  LIMIT_EXCEEDED: 'over this session\'s symbol limit (removed)',
};
function noteRejected(reason, symbol) {
  if (rejectedNow.size === 0) queueMicrotask(flushRejected);
  if (!rejectedNow.has(reason)) rejectedNow.set(reason, []);
  rejectedNow.get(reason).push(symbol);
}

function flushRejected() {
  for (const [reason, symbols] of rejectedNow) {
    if (reason === 'WAITING') {
      reportSymbols(symbols, (names) => (names.length === 1
        ? `${names[0]} is not known to the gateway yet: kept in the watchlist, it fills in once the feed defines it`
        : `${names.length} symbols not known to the gateway yet, kept until the feed defines them: ` +
          listNames(names)));
    } else {
      const why = REJECTED_WHY[reason] ?? `rejected (${reason}, removed)`;
      reportSymbols(symbols, (names) => (names.length === 1 ? `${names[0]}: ${why}`
        : `${names.length} names: ${why}: ${listNames(names)}`));
      // Also when the reply is the resubscribe's after a reconnect, which no subscribe() of this page waits for: a
      // row left behind would keep its last values under a live status. Names over the limit the client has
      // dropped already (onDropped); the others it still wants until unsubscribed here.
      removeSymbols(symbols);
    }
  }
  rejectedNow.clear();
}

// Characters are counted and cut by code point, so an emoji is one character and never split into half a pair.
function describeRefused(name) {
  const chars = [...name];
  const shown = chars.length > 24 ? `"${chars.slice(0, 20).join('')}…" (${chars.length} characters)` : `"${name}"`;
  let why = 'a control character';
  if (name === '') why = 'empty';
  else if (/[^\x00-\x7f]/.test(name)) why = 'not ASCII';
  else if (chars.length > 16) why = 'longer than 16 characters';
  else if (name.includes(' ')) why = 'a space';
  return `${shown}: ${why}`;
}

function reportRefused(where, names) {
  if (names.length === 0) return;
  report(`${where} refused, a symbol is 1 to 16 printable ASCII characters: ` +
    `${names.slice(0, LISTED_NAMES).map(describeRefused).join('; ')}` +
    `${names.length > LISTED_NAMES ? ` and ${names.length - LISTED_NAMES} more` : ''}`);
}

// ---- rows ----

function addRow(symbol, saved) {
  const tr = document.createElement('tr');
  tr.dataset.symbol = symbol;
  tr.dataset.stale = 'false';
  tr.dataset.known = 'pending';
  tr.innerHTML = '<td class="symbol"></td><td data-field="bidSize"></td><td data-field="bid"></td>' +
    '<td data-field="ask"></td><td data-field="askSize"></td><td data-field="spread"></td>' +
    '<td data-field="last"></td><td data-field="lastSize"></td><td data-field="conflated"></td>' +
    '<td data-field="latency"></td><td class="actions"><button type="button" data-action="remove">×</button></td>';
  const name = tr.firstElementChild;
  name.textContent = symbol;
  name.title = symbol;
  const marker = document.createElement('span');
  Object.assign(marker, { className: 'stale-marker', textContent: 'stale', hidden: true,
    title: 'the feed for this symbol is down; values are the last known' });
  const unknownMarker = document.createElement('span');
  Object.assign(unknownMarker, { className: 'unknown-marker', textContent: 'unknown', hidden: true,
    title: 'not known to the gateway yet (its feed has not defined it since the gateway started): kept in the ' +
      'watchlist, values appear once the feed defines it' });
  // Read aloud as "S0, stale", not "S0stale": the badges touch the name in the text, spaced only by CSS.
  for (const badge of [marker, unknownMarker]) {
    badge.prepend(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: ', ' }));
  }
  name.append(marker, unknownMarker);
  const cells = {};
  for (const td of tr.querySelectorAll('[data-field]')) cells[td.dataset.field] = td;
  const remove = tr.querySelector('[data-action=remove]');
  remove.setAttribute('aria-label', `Remove ${symbol}`);
  remove.title = `Remove ${symbol} from the watchlist`;
  remove.addEventListener('click', () => removeSymbols([symbol], { moveFocus: true }));
  tbody.append(tr);
  // `saved`: from the saved watchlist or a ?symbols= link, so kept when the gateway does not know it (yet).
  // `accepted`: the gateway has held it; from then on it too is kept through a restarted gateway's UNKNOWN_SYMBOL.
  const row = { symbol, tr, marker, unknownMarker, cells, shown: {}, stale: false, visible: true, saved,
    accepted: false, unknown: false, latencyMs: NaN, ingestSeen: null };
  visibility.observe(tr);
  rows.set(symbol, row);
  fitColumn('symbol', symbol.length);
  return row;
}

function keeps(row) {
  return row.saved || row.accepted;
}

function setUnknown(row, unknown) {
  if (row.unknown === unknown) return;
  row.unknown = unknown;
  row.unknownMarker.hidden = !unknown;
  row.tr.dataset.known = unknown ? 'false' : 'true';
}

function accepted(row) {
  row.accepted = true;
  row.tr.dataset.known = 'true';
  setUnknown(row, false);
  forgetMessagesAbout(row.symbol);
}

// Requests within the client's limits (names per request, UTF-8 bytes of JSON): one over them would fail whole.
function requestChunks(symbols) {
  const chunks = [];
  let chunk = [];
  let bytes = REQUEST_OVERHEAD_BYTES;
  for (const symbol of symbols) {
    const more = new TextEncoder().encode(JSON.stringify(symbol)).length + 1;
    if (chunk.length === MAX_SYMBOLS_PER_REQUEST || (chunk.length > 0 && bytes + more > MAX_REQUEST_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = REQUEST_OVERHEAD_BYTES;
    }
    chunk.push(symbol);
    bytes += more;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function addSymbols(symbols, saved) {
  const fresh = [...new Set(symbols)].filter((s) => !rows.has(s));
  if (fresh.length === 0) return;
  for (const s of fresh) dirty.add(addRow(s, saved));
  save();
  scheduleRender();
  for (const chunk of requestChunks(fresh)) subscribe(chunk, true);
}

// `added`: the rows were added for this request, so if it fails as a whole they go (the gateway holds none of
// them, and saved they would fail every reload); the rest of the watchlist stays.
// Rejected names are handled by the error listener, for this reply as for the resubscribe's: a typed name the
// gateway does not know (a typo) goes, its message stays; a saved one is kept and marked, as a restarted gateway
// learns definitions late.
function subscribe(symbols, added) {
  return client.subscribe(symbols).then((reply) => {
    for (const s of reply.symbols ?? []) {
      const row = rows.get(s.symbol);
      if (row) accepted(row);
    }
  }, (e) => {
    if (e.code === 'DISCONNECTED' || e.code === 'TIMEOUT') return; // still wanted: asked for on the next connect
    report(`subscribe of ${symbols.length} symbol${symbols.length === 1 ? '' : 's'} (${listNames(symbols)}) ` +
      `failed: ${e.code} ${e.message}`);
    if (added) removeSymbols(symbols.filter((s) => rows.has(s) && !rows.get(s).accepted), { unsubscribe: false });
  });
}

// A name from a link or the saved list is resolved against the symbols known at load; one the feed defines later
// (`s0` for `S0`) is resolved again on each retry, against a fresh /api/symbols, and its row takes the new name.
function renameRow(row, name) {
  if (name === row.symbol) return;
  const next = row.tr.nextElementSibling;
  forgetMessagesAbout(row.symbol);
  removeSymbols([row.symbol]);
  if (rows.has(name)) return;
  addSymbols([name], row.saved);
  tbody.insertBefore(rows.get(name).tr, next);
  save();
}

let retrying = false;
async function retryUnknown() {
  if (retrying || !client?.connected || ![...rows.values()].some((row) => row.unknown)) return;
  retrying = true;
  try {
    await loadSymbols();
    for (const row of [...rows.values()]) if (row.unknown) renameRow(row, resolveName(row.symbol));
    const waiting = [...rows.values()].filter((row) => row.unknown).map((row) => row.symbol);
    await Promise.allSettled(requestChunks(waiting).map((chunk) => subscribe(chunk, false)));
  } finally {
    retrying = false;
  }
}

function removeSymbols(symbols, { unsubscribe = true, moveFocus = false } = {}) {
  const gone = symbols.filter((s) => rows.has(s));
  const leaving = new Set(gone);
  const places = new Map();
  for (const s of gone) {
    const row = rows.get(s);
    // Where it was: before the first row after it that stays.
    let next = row.tr.nextElementSibling;
    while (next && leaving.has(next.dataset.symbol)) next = next.nextElementSibling;
    places.set(s, { saved: row.saved, accepted: row.accepted, unknown: row.unknown, next });
  }
  for (const s of gone) {
    const row = rows.get(s);
    visibility.unobserve(row.tr);
    row.tr.remove();
    rows.delete(s);
    dirty.delete(row);
  }
  if (moveFocus && gone.length) {
    (places.get(gone[gone.length - 1]).next?.querySelector('[data-action=remove]') ?? input).focus();
  }
  save();
  if (unsubscribe && gone.length) {
    // One request per chunk, each answered on its own: a chunk the gateway refuses brings back its rows only.
    for (const chunk of requestChunks(gone)) {
      client.unsubscribe(chunk).catch((e) => restoreRows(chunk, places, e));
    }
  }
}

// An unsubscribe the gateway refused as a whole left the names subscribed, and the client keeps them (it takes
// their updates again): their rows come back where they were, as they were, showing the client's values. One cut
// short by a lost connection is done (the next connection asks only for the rows left).
function restoreRows(gone, places, e) {
  if (e.code === 'DISCONNECTED') return;
  const held = new Set(client.symbols());
  const kept = gone.filter((s) => held.has(s) && !rows.has(s));
  report(`removing ${listNames(gone)} failed: ${e.code} ${e.message}` +
    (kept.length ? ` (kept: ${listNames(kept)})` : ''));
  for (const s of kept) {
    const place = places.get(s);
    const row = addRow(s, place.saved);
    if (place.next?.isConnected) tbody.insertBefore(row.tr, place.next);
    if (place.accepted) accepted(row);
    setUnknown(row, place.unknown);
    dirty.add(row);
  }
  if (kept.length) {
    save();
    scheduleRender();
  }
}

// A page opened by a ?symbols= link shows that list without touching the saved one: a link (or a second tab opened
// from one) must not destroy the list a user built. Edits on such a page last as long as the page.
let linked = false;

function save() {
  updateCount();
  if (linked) return;
  try {
    // In the order shown (a row put back, or renamed, keeps its place).
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...tbody.children].map((tr) => tr.dataset.symbol)));
  } catch {
    // Storage may be disabled (private mode); the watchlist then lasts as long as the page.
  }
}

function updateCount() {
  countEl.textContent = `${rows.size} symbol${rows.size === 1 ? '' : 's'}`;
  emptyEl.hidden = rows.size > 0;
}

// ---- painting ----

function fitColumn(field, chars) {
  if (chars <= columnChars[field]) return;
  columnChars[field] = chars;
  columnsChanged = true;
  scheduleRender();
}

// Cells are fixed-size contained boxes (style.css), so their widths are set here from the longest text seen, in
// the monospace font's character width; widening a column lays out the table once.
function applyColumns() {
  columnsChanged = false;
  const charPx = measureEl.getBoundingClientRect().width / measureEl.textContent.length;
  const root = getComputedStyle(document.documentElement);
  const remPx = parseFloat(root.fontSize);
  const rem = (name) => parseFloat(root.getPropertyValue(name)) * remPx;
  const paddingPx = 2 * rem('--cell-pad-x');
  const badgePx = rem('--badge-w');
  let total = rem('--actions-w');
  for (const [field, chars] of Object.entries(columnChars)) {
    const px = Math.ceil(chars * charPx + paddingPx + (field === 'symbol' ? badgePx : 0)) + 1;
    table.style.setProperty(`--w-${field}`, `${px}px`);
    total += px;
  }
  table.style.setProperty('--row-w', `${Math.ceil(total)}px`);
}

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(render);
}

function render(now) {
  renderPending = false;
  for (const row of dirty) {
    if (!row.visible) continue;
    paint(row, client?.get(row.symbol), now);
    dirty.delete(row);
  }
  if (columnsChanged) applyColumns();
  for (const cell of flashing) {
    if (now < cell.flashUntil) continue;
    cell.classList.remove('up', 'down');
    flashing.delete(cell);
  }
  if (flashing.size) scheduleRender();
}

// Text of each cell from the store entry; prices stay BigInt mantissas until formatted, so they print exactly.
function cellValues(row, v) {
  const price = (m) => (m === null ? '' : formatFixed(m, v.priceScale));
  const size = (m) => (m === null ? '' : formatFixed(m, v.sizeScale));
  return {
    bid: v.bidPrice, ask: v.askPrice, last: v.lastPrice,
    text: {
      bidSize: size(v.bidSize), bid: price(v.bidPrice), ask: price(v.askPrice), askSize: size(v.askSize),
      spread: v.hasQuote ? formatFixed(v.askPrice - v.bidPrice, v.priceScale) : '',
      last: price(v.lastPrice), lastSize: size(v.lastSize), conflated: String(v.conflatedTotal),
      // The page's clock and the gateway's can be a millisecond or two apart on one host: a delivery faster than
      // that reads below zero, shown as 0.0 rather than as a negative time.
      latency: Number.isFinite(row.latencyMs) ? `${Math.max(0, row.latencyMs).toFixed(1)} ms` : '',
    },
  };
}

function paint(row, value, now) {
  if (!value) return;
  const { text, ...prices } = cellValues(row, value);
  for (const field in text) {
    if (row.shown[field] === text[field]) continue;
    row.shown[field] = text[field];
    const cell = row.cells[field];
    cell.textContent = text[field];
    cell.title = text[field];
    fitColumn(field, text[field].length);
  }
  for (const field of PRICE_FIELDS) {
    const before = row.shown[`${field}Mantissa`];
    const after = prices[field];
    row.shown[`${field}Mantissa`] = after;
    if (before == null || after == null || before === after) continue;
    const cell = row.cells[field];
    cell.classList.remove('up', 'down');
    cell.classList.add(after > before ? 'up' : 'down');
    cell.flashUntil = now + FLASH_MS;
    flashing.add(cell);
  }
  if (row.stale !== value.stale) {
    row.stale = value.stale;
    row.tr.classList.toggle('stale', value.stale);
    row.tr.dataset.stale = String(value.stale);
    row.marker.hidden = !value.stale;
  }
}

// ---- connection ----

let opened = false; // whether the current connection attempt got as far as open
// Connection lines are dimmed once a connection has lasted this long: a gateway that is full (1013) or going away
// closes right after the handshake, and its line would be dimmed as resolved at every attempt.
const RESOLVED_AFTER_MS = 1000;
let resolveTimer = null;
let reconnectAt = 0;
let countdown = null;

function setStatus(state, text) {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
  document.body.dataset.connection = state;
}

// The countdown sits beside the status element, outside its live region: a screen reader hears the state change,
// not every second of the wait.
function showCountdown() {
  const seconds = Math.max(0, Math.ceil((reconnectAt - Date.now()) / 1000));
  const text = ` in ${seconds} s`;
  if (retryEl.textContent !== text) retryEl.textContent = text;
}

function stopCountdown() {
  clearInterval(countdown);
  countdown = null;
  retryEl.textContent = '';
}

function onStatus({ detail }) {
  stopCountdown();
  clearTimeout(resolveTimer);
  if (detail.state === 'open') {
    opened = true;
    setStatus('live', 'live');
    resolveTimer = setTimeout(resolveConnectionLines, RESOLVED_AFTER_MS);
    followHeartbeat();
  } else if (detail.state === 'connecting') {
    setStatus('connecting', 'connecting');
  } else if (detail.state === 'reconnecting') {
    setStatus('reconnecting', 'reconnecting');
    forgetLatencies();
    reconnectAt = Date.now() + detail.delayMs;
    showCountdown();
    countdown = setInterval(showCountdown, 250);
    if (opened) reportConnection(`connection closed (${detail.code}${detail.reason ? ` ${detail.reason}` : ''})`);
    else {
      reportConnection(`gateway unreachable${detail.reason === 'connect timeout' ? ': no answer to the handshake' : ''}`);
    }
    opened = false;
  } else {
    setStatus('closed', 'closed');
  }
}

// A latency measured on a connection that is gone is shown neither while reconnecting nor once the next one is live:
// across a network its resubscribe's snapshot comes a round trip after "live".
function forgetLatencies() {
  for (const row of rows.values()) {
    if (Number.isFinite(row.latencyMs)) dirty.add(row);
    row.latencyMs = NaN;
    row.ingestSeen = null;
  }
  scheduleRender();
}

function onUpdate({ detail }) {
  for (const value of detail.symbols) {
    const row = rows.get(value.symbol);
    if (!row) continue;
    dirty.add(row);
    if (value.sid >= 0 && (!row.accepted || row.unknown)) accepted(row);
    // Latency is of live updates only: a snapshot entry's age says how quiet the symbol is, not how late the page
    // is. An UPDATE entry that only flips the stale flag repeats the old ingest time and is no new update either.
    // A snapshot starts a subscription (a new one, or the resubscribe after a reconnect): a latency measured
    // before it is not this subscription's, so the cell is blank until the first update after it.
    if (detail.kind === null) {
      row.latencyMs = NaN;
      row.ingestSeen = null;
    } else if (detail.kind !== KIND_UPDATE) {
      row.latencyMs = NaN;
      row.ingestSeen = value.ingestTime;
    } else if (value.ingestTime !== row.ingestSeen) {
      row.ingestSeen = value.ingestTime;
      row.latencyMs = value.latencyMs;
    }
  }
  scheduleRender();
}

// Names the client stopped wanting by itself (over the session's limit, or their subscribe failed whole): their
// rows go, as the error listener's or the subscribe's message says.
function onDropped({ detail }) {
  removeSymbols(detail.symbols, { unsubscribe: false });
}

function onError({ detail }) {
  if (detail.symbol === undefined) {
    report(detail.error.message);
    return;
  }
  const row = rows.get(detail.symbol);
  if (row && keeps(row) && detail.error.code === 'UNKNOWN_SYMBOL') {
    // Said once per symbol; the row's badge shows it while the client and the retry below ask again.
    if (!row.unknown) noteRejected('WAITING', detail.symbol);
    setUnknown(row, true);
    dirty.add(row);
    scheduleRender();
    return;
  }
  noteRejected(detail.error.code, detail.symbol);
}

async function gatewayHeartbeatMs() {
  try {
    const response = await fetch('/health', { cache: 'no-store', signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { heartbeatMs } = await response.json();
    if (Number.isFinite(heartbeatMs) && heartbeatMs > 0) return heartbeatMs;
  } catch (e) {
    reportConnection(`/health failed (${e.message}): assuming the default heartbeat interval`);
  }
  return undefined;
}

// The gateway now connected may not be the one the page was built for (a restart with another --heartbeat-ms, or
// none answered /health at load): each connection re-reads its interval, or the watchdog would drop a quiet
// connection every 3 old intervals for ever.
async function followHeartbeat() {
  const heartbeatMs = await gatewayHeartbeatMs();
  if (heartbeatMs !== undefined && heartbeatMs !== client.heartbeatMs) client.setHeartbeatMs(heartbeatMs);
}

function connect(heartbeatMs) {
  client = new TickgateClient(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`,
    heartbeatMs === undefined ? {} : { heartbeatMs });
  client.addEventListener('update', onUpdate);
  client.addEventListener('status', onStatus);
  client.addEventListener('error', onError);
  client.addEventListener('dropped', onDropped);
  client.addEventListener('gap', ({ detail }) =>
    report(`frameSeq jumped from ${detail.expected - 1n} to ${detail.received}: reconnecting for fresh values`));
  client.addEventListener('regression', ({ detail }) => report(`${detail.symbol}: seq went back to ${detail.seq}`));
  client.connect();
}

// ---- input ----

let knownSymbols = [];
let knownSet = new Set();
let byUpper = new Map(); // upper-case name -> known symbols spelled that way in any case
let symbolsLoadedAt = 0;

// Symbols are case-sensitive on the wire. A name is taken as typed when the gateway knows it so; otherwise in the
// spelling of the one known symbol that matches it ignoring case; with none or several, as typed.
function resolveName(name) {
  if (knownSet.has(name)) return name;
  const matches = byUpper.get(name.toUpperCase());
  return matches?.length === 1 ? matches[0] : name;
}

// The form and links take the same separators: commas, semicolons and whitespace (a `+` in a link is a space).
const splitNames = (text) => text.split(/[\s,;]+/);

// Known symbols a name matches ignoring case when it is not one exactly, if more than one: the user has to choose.
function candidates(name) {
  const matches = knownSet.has(name) ? null : byUpper.get(name.toUpperCase());
  return matches?.length > 1 ? matches : null;
}

// Names from a user or a link: trimmed, refused (with a message naming them) unless they can be symbols or match
// several symbols, resolved.
function namesFrom(where, names) {
  const trimmed = names.map((s) => s.trim()).filter(Boolean);
  reportRefused(where, trimmed.filter((s) => !SYMBOL.test(s)));
  const valid = trimmed.filter((s) => SYMBOL.test(s));
  for (const name of valid) {
    const choices = candidates(name);
    if (choices) report(`${name} is ambiguous: ${listNames(choices)} (type one exactly as spelled)`);
  }
  return valid.filter((s) => !candidates(s)).map(resolveName);
}

// A typed name that matches no known symbol, even ignoring case, may be one the feed defined since the list was
// read (it is read at load and on focus at most every 5 s): the list is read again before the name is taken as typed.
const unmatched = (name) => SYMBOL.test(name) && !knownSet.has(name) && !byUpper.has(name.toUpperCase());

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!client) return;
  const names = splitNames(input.value).map((s) => s.trim());
  input.value = '';
  if (names.some(unmatched)) await loadSymbols();
  addSymbols(namesFrom('input', names), false);
});

throttleEl.addEventListener('change', () => {
  const hz = Number(throttleEl.value);
  client?.throttle(hz).then(
    () => report(hz === 0 ? 'throttle off: every update' : `throttle: at most ${hz} update${hz === 1 ? '' : 's'} per symbol per second`),
    (e) => report(`throttle failed: ${e.message}`));
});

async function loadSymbols() {
  symbolsLoadedAt = Date.now();
  try {
    const response = await fetch('/api/symbols', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    knownSymbols = (await response.json()).map((s) => s.symbol); // in the gateway's order: a first visit's list
    knownSet = new Set(knownSymbols);
    byUpper = new Map();
    for (const s of knownSymbols) {
      const key = s.toUpperCase();
      if (!byUpper.has(key)) byUpper.set(key, []);
      byUpper.get(key).push(s);
    }
    datalist.replaceChildren(...[...knownSymbols].sort()
      .map((s) => Object.assign(document.createElement('option'), { value: s })));
  } catch (e) {
    reportConnection(`/api/symbols failed: ${e.message}`);
  }
  return knownSymbols;
}
// New symbols appear as feeds define them, so the suggestions are refreshed when the user starts typing.
input.addEventListener('focus', () => {
  if (Date.now() - symbolsLoadedAt > 5000) loadSymbols();
});

let lastStats = null;
setInterval(() => {
  if (!client) return;
  const s = client.stats;
  if (lastStats) {
    ratesEl.textContent = `${s.frames - lastStats.frames} frames/s · ${s.entries - lastStats.entries} entries/s`;
  }
  lastStats = { ...s };
}, 1000);
setInterval(retryUnknown, UNKNOWN_RETRY_MS);

function savedWatchlist() {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    saved = null; // unreadable: start as if nothing was saved
  }
  if (!Array.isArray(saved)) return null;
  const names = saved.filter((s) => typeof s === 'string');
  // A name that can never be a symbol would fail its request; it is dropped (the next save forgets it).
  reportRefused('saved watchlist', names.filter((s) => !SYMBOL.test(s)));
  return names.filter((s) => SYMBOL.test(s));
}

async function start() {
  updateCount();
  applyColumns();
  connect(await gatewayHeartbeatMs());
  // ?symbols=A,B picks the list (handy for links and tests); otherwise the saved one, else the first few known.
  const fromUrl = new URLSearchParams(location.search).get('symbols');
  const saved = fromUrl === null ? savedWatchlist() : null;
  const known = await loadSymbols();
  linked = fromUrl !== null;
  linkedEl.hidden = !linked;
  if (linked) addSymbols(namesFrom('link', splitNames(fromUrl)), true);
  else if (saved !== null) {
    addSymbols(saved, true);
    save(); // forgets saved names refused above even when nothing was added
  } else addSymbols(known.slice(0, DEFAULT_SYMBOLS), true);
}

start().catch((e) => report(`page stopped: ${e.message}`));
