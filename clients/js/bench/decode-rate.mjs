// Entries per second through the client's decode path (decodeHeader + decodeEntry into a reused object, what
// TickgateClient does per frame), on frames of 64 entries. Run: node clients/js/bench/decode-rate.mjs
import { decodeHeader, decodeEntry, HEADER_BYTES, ENTRY_BYTES } from '../tickgate-client.js';
import { frame } from '../test/frames.js';

const ENTRIES = 64;
const frames = Array.from({ length: 256 }, (_, f) => new DataView(frame(1, f + 1, Array.from({ length: ENTRIES },
  (_, i) => ({ sid: i, seq: f * 100 + i + 1, bid: 1_000_000 + i, ask: 1_000_100 + i, last: 1_000_050, lastSize: 7,
    bidSize: 100, askSize: 200, exchangeTime: 1_764_000_000_000_000_000n, ingestTime: 1_764_000_000_000_500_000n })))));
const into = {};
let sink = 0n;

function run(ms) {
  let entries = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const view of frames) {
      const { count } = decodeHeader(view);
      for (let i = 0, at = HEADER_BYTES; i < count; i++, at += ENTRY_BYTES) sink ^= decodeEntry(view, at, into).bidPrice;
      entries += count;
    }
  }
  return entries;
}

run(1000); // warm-up, so the figure is the optimised code
const seconds = 3;
const rate = run(seconds * 1000) / seconds;
console.log(`decode: ${(rate / 1e6).toFixed(2)} M entries/s (${ENTRIES} entries per frame, node ${process.version})` +
  (sink === -1n ? '' : ''));
