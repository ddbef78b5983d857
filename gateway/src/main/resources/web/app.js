// Trading watchlist on top of the Tickgate client library (served by the gateway as /tickgate-client.js, source in
// clients/js/). The library keeps the latest value per symbol; this page only paints, at most once per animation
// frame and only the rows a frame changed, so a burst of thousands of entries costs one paint, not thousands.
import { TickgateClient, formatFixed } from '/tickgate-client.js';

const FLASH_MS = 500;
const MAX_MESSAGES = 4;
const DEFAULT_SYMBOLS = 12;
const STORAGE_KEY = 'tickgate.watchlist';
const PRICE_FIELDS = ['bid', 'ask', 'last'];

const $ = (id) => document.getElementById(id);
const [statusEl, ratesEl, countEl, messagesEl, tbody, emptyEl, form, input, datalist, throttleEl] =
  ['status', 'rates', 'count', 'messages', 'rows', 'empty', 'add-form', 'add-symbol', 'symbol-list', 'throttle']
    .map($);

const client = new TickgateClient(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
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

function report(text) {
  // A gateway that is down says the same thing every retry; count repeats instead of scrolling the log away.
  const top = messagesEl.firstElementChild;
  const time = new Date().toLocaleTimeString();
  if (top && top.dataset.text === text) {
    top.textContent = `${time} ${text} (×${++top.repeats})`;
    return;
  }
  const line = document.createElement('div');
  Object.assign(line, { repeats: 1, textContent: `${time} ${text}` });
  line.dataset.text = text;
  messagesEl.prepend(line);
  while (messagesEl.childElementCount > MAX_MESSAGES) messagesEl.lastElementChild.remove();
}

function addRow(symbol) {
  const tr = document.createElement('tr');
  tr.dataset.symbol = symbol;
  tr.dataset.stale = 'false';
  tr.innerHTML = '<td class="symbol"></td><td data-field="bidSize"></td><td data-field="bid"></td>' +
    '<td data-field="ask"></td><td data-field="askSize"></td><td data-field="spread"></td>' +
    '<td data-field="last"></td><td data-field="lastSize"></td><td data-field="conflated"></td>' +
    '<td data-field="latency"></td><td class="actions"><button type="button" data-action="remove" ' +
    'title="Remove from the watchlist">×</button></td>';
  const name = tr.firstElementChild;
  name.textContent = symbol;
  const marker = document.createElement('span');
  Object.assign(marker, { className: 'stale-marker', textContent: 'stale', hidden: true,
    title: 'the feed for this symbol is down; values are the last known' });
  name.append(marker);
  const cells = {};
  for (const td of tr.querySelectorAll('[data-field]')) cells[td.dataset.field] = td;
  tr.querySelector('[data-action=remove]').addEventListener('click', () => removeSymbols([symbol]));
  tbody.append(tr);
  const row = { symbol, tr, marker, cells, shown: {}, stale: false, visible: true };
  visibility.observe(tr);
  rows.set(symbol, row);
  return row;
}

function addSymbols(symbols) {
  const fresh = [...new Set(symbols)].filter((s) => s && !rows.has(s));
  if (fresh.length === 0) return;
  for (const s of fresh) dirty.add(addRow(s));
  save();
  scheduleRender();
  // A symbol the gateway does not know would sit empty for ever: a user's typo is dropped from the list. (After a
  // reconnect the library asks again for unknown symbols instead, since a restarted gateway learns them late.)
  client.subscribe(fresh).then(
    (reply) => removeSymbols((reply.rejected ?? []).map((r) => r.symbol)),
    (e) => report(`subscribe failed: ${e.message}`));
}

function removeSymbols(symbols) {
  const gone = symbols.filter((s) => rows.has(s));
  for (const s of gone) {
    const row = rows.get(s);
    visibility.unobserve(row.tr);
    row.tr.remove();
    rows.delete(s);
    dirty.delete(row);
  }
  save();
  updateCount();
  if (gone.length) client.unsubscribe(gone).catch((e) => report(`unsubscribe failed: ${e.message}`));
}

function save() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...rows.keys()]));
  } catch {
    // Storage may be disabled (private mode); the watchlist then lasts as long as the page.
  }
  updateCount();
}

function updateCount() {
  countEl.textContent = `${rows.size} symbol${rows.size === 1 ? '' : 's'}`;
  emptyEl.hidden = rows.size > 0;
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
    paint(row, client.get(row.symbol), now);
    dirty.delete(row);
  }
  for (const cell of flashing) {
    if (now < cell.flashUntil) continue;
    cell.classList.remove('up', 'down');
    flashing.delete(cell);
  }
  if (flashing.size) scheduleRender();
}

// Text of each cell from the store entry; prices stay BigInt mantissas until formatted, so they print exactly.
function cellValues(v) {
  const price = (m) => (m === null ? '' : formatFixed(m, v.priceScale));
  const size = (m) => (m === null ? '' : formatFixed(m, v.sizeScale));
  return {
    bid: v.bidPrice, ask: v.askPrice, last: v.lastPrice,
    text: {
      bidSize: size(v.bidSize), bid: price(v.bidPrice), ask: price(v.askPrice), askSize: size(v.askSize),
      spread: v.hasQuote ? formatFixed(v.askPrice - v.bidPrice, v.priceScale) : '',
      last: price(v.lastPrice), lastSize: size(v.lastSize), conflated: String(v.conflatedTotal),
      latency: Number.isFinite(v.latencyMs) ? `${v.latencyMs.toFixed(1)} ms` : '',
    },
  };
}

function paint(row, value, now) {
  if (!value) return;
  const { text, ...prices } = cellValues(value);
  for (const field in text) {
    if (row.shown[field] === text[field]) continue;
    row.shown[field] = text[field];
    row.cells[field].textContent = text[field];
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

function setStatus(state, text) {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
  document.body.dataset.connection = state;
}

client.addEventListener('update', (event) => {
  for (const value of event.detail.symbols) {
    const row = rows.get(value.symbol);
    if (row) dirty.add(row);
  }
  scheduleRender();
});

client.addEventListener('status', ({ detail }) => {
  if (detail.state === 'open') setStatus('live', 'live');
  else if (detail.state === 'connecting') setStatus('connecting', 'connecting');
  else if (detail.state === 'reconnecting') {
    setStatus('reconnecting', `reconnecting in ${(detail.delayMs / 1000).toFixed(1)} s`);
    report(`connection closed (${detail.code}${detail.reason ? ` ${detail.reason}` : ''})`);
  } else setStatus('closed', 'closed');
});

client.addEventListener('error', ({ detail }) => report(detail.error.message));
client.addEventListener('gap', ({ detail }) => report(`frameSeq jumped from ${detail.expected - 1n} to ${detail.received}`));
client.addEventListener('regression', ({ detail }) => report(`${detail.symbol}: seq went back to ${detail.seq}`));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // Symbols are case-sensitive on the wire; a known one typed in another case is taken in its own spelling.
  const byUpper = new Map(knownSymbols.map((s) => [s.toUpperCase(), s]));
  addSymbols(input.value.split(/[\s,;]+/).filter(Boolean).map((s) => byUpper.get(s.toUpperCase()) ?? s));
  input.value = '';
});

throttleEl.addEventListener('change', () => {
  const hz = Number(throttleEl.value);
  client.throttle(hz).then(
    () => report(hz === 0 ? 'throttle off: every update' : `throttle: at most ${hz} updates per symbol per second`),
    (e) => report(`throttle failed: ${e.message}`));
});

let knownSymbols = [];
let symbolsLoadedAt = 0;
async function loadSymbols() {
  symbolsLoadedAt = Date.now();
  try {
    const response = await fetch('/api/symbols', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    knownSymbols = (await response.json()).map((s) => s.symbol).sort();
    datalist.replaceChildren(...knownSymbols.map((s) => Object.assign(document.createElement('option'), { value: s })));
  } catch (e) {
    report(`/api/symbols failed: ${e.message}`);
  }
  return knownSymbols;
}
// New symbols appear as feeds define them, so the suggestions are refreshed when the user starts typing.
input.addEventListener('focus', () => {
  if (Date.now() - symbolsLoadedAt > 5000) loadSymbols();
});

let lastStats = { ...client.stats };
setInterval(() => {
  const s = client.stats;
  ratesEl.textContent = `${s.frames - lastStats.frames} frames/s · ${s.entries - lastStats.entries} entries/s`;
  lastStats = { ...s };
}, 1000);

async function start() {
  updateCount();
  client.connect();
  // ?symbols=A,B picks the list (handy for links and tests); otherwise the saved one, else the first few known.
  const fromUrl = new URLSearchParams(location.search).get('symbols');
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    saved = null;
  }
  const known = await loadSymbols();
  const initial = fromUrl !== null ? fromUrl.split(',').filter(Boolean)
    : Array.isArray(saved) ? saved : known.slice(0, DEFAULT_SYMBOLS);
  addSymbols(initial);
}

start().catch((e) => report(`page stopped: ${e.message}`));
