// The first lines of a real Binance COIN-M capture (../shared/data, never copied into the repository), turned into
// TKF1 quotes (bookTicker) and trades (aggTrade), with the final bid/ask/last per symbol computed from the source
// text itself, not through the client library, so the check does not share a decimal bug with the page.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './gateway.js';

export const BINANCE_FILE = path.resolve(repoRoot, '../shared/data/crypto-ws-captures-2021',
  'binance-coinm_2021-07-22_bookTicker-aggTrade-depth.log');

const decimals = (text) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/** Decimal text to a mantissa at `scale` digits, exactly (string arithmetic, no double). */
export function mantissa(text, scale) {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

/** Decimal text as the page must show it at `scale` digits ("429.3" at scale 2 is "429.30"). */
export function shown(text, scale) {
  const [whole, fraction = ''] = text.split('.');
  return scale === 0 ? whole : `${whole}.${fraction.padEnd(scale, '0')}`;
}

/** Reads the first `lines` lines; returns symbols with scales, the events in order and the expected final state. */
export function readSlice(lines) {
  if (!fs.existsSync(BINANCE_FILE)) throw new Error(`${BINANCE_FILE} is missing (shared data beside the repository)`);
  const events = [];
  for (const line of fs.readFileSync(BINANCE_FILE, 'utf8').split('\n').slice(0, lines)) {
    if (line === '' || line.startsWith('wss://')) continue;
    const { stream, data } = JSON.parse(line.slice(line.indexOf(': ') + 2));
    if (stream.endsWith('@bookTicker')) {
      events.push({ type: 'Q', symbol: data.s, bid: data.b, bidSize: data.B, ask: data.a, askSize: data.A, time: data.T });
    } else if (stream.endsWith('@aggTrade')) {
      events.push({ type: 'T', symbol: data.s, price: data.p, size: data.q, time: data.T });
    }
  }
  const symbols = new Map();
  for (const e of events) {
    const s = symbols.get(e.symbol) ?? { symbol: e.symbol, priceScale: 0, sizeScale: 0, final: {} };
    symbols.set(e.symbol, s);
    for (const p of e.type === 'Q' ? [e.bid, e.ask] : [e.price]) s.priceScale = Math.max(s.priceScale, decimals(p));
    for (const q of e.type === 'Q' ? [e.bidSize, e.askSize] : [e.size]) s.sizeScale = Math.max(s.sizeScale, decimals(q));
  }
  for (const e of events) {
    const s = symbols.get(e.symbol);
    if (e.type === 'Q') Object.assign(s.final, { bid: e.bid, ask: e.ask });
    else s.final.last = e.price;
  }
  for (const s of symbols.values()) {
    s.expected = {
      bid: s.final.bid === undefined ? '' : shown(s.final.bid, s.priceScale),
      ask: s.final.ask === undefined ? '' : shown(s.final.ask, s.priceScale),
      last: s.final.last === undefined ? '' : shown(s.final.last, s.priceScale),
    };
  }
  return { events, symbols: [...symbols.values()] };
}
