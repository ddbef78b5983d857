// The TKF1 feed (docs/protocol.md §2) and the v1 client frames (§1.3) for the comparison peers: a datagram decoder
// that keeps each symbol's last value, and the frame encoder. Plain ECMAScript, so Node and Bun load the same file.
//
// Each symbol's last value is kept as its 80-byte wire entry, so applying a tick copies the 64-bit fields from the
// datagram into the entry as two 32-bit words each and encoding a frame copies the entry: prices, sizes and times
// pass through bit-exact, and the per-tick path neither converts them nor allocates. 64-bit values the peer itself
// makes (seq, frameSeq, times) are written with setBigInt64 or as two words.
//
// Not thread-safe: both runtimes call everything here from their one event-loop thread.

// The frame layout's constants come from the project's JavaScript client, which decodes what this encodes.
import {
  ENTRY_BYTES, FLAG_QUOTE, FLAG_TRADE, HEADER_BYTES as FRAME_HEADER_BYTES, KIND_SNAPSHOT, KIND_UPDATE,
  PROTOCOL_VERSION as FRAME_VERSION,
} from '../../clients/js/tickgate-client.js';

export const FEED_MAGIC = 0x31464b54; // the bytes "TKF1", read as a little-endian u32
export const FEED_HEADER_BYTES = 24;
export const FEED_MAX_DATAGRAM_BYTES = 1472;
export const FEED_MIN_MESSAGE_BYTES = 3; // u16 length + u8 type: less cannot be walked
export const TYPE_DEFINITION = 0x44;
export const TYPE_QUOTE = 0x51;
export const TYPE_TRADE = 0x54;
export const DEFINITION_BYTES = 28;
export const QUOTE_BYTES = 48;
export const TRADE_BYTES = 32;
const SYMBOL_OFFSET = 12;
const SYMBOL_BYTES = 16;

/** Why a datagram was dropped whole; the same reasons, in the same order of checks, as the gateway's decoder. */
export const Malformed = Object.freeze({
  SHORT_HEADER: 'short_header',
  BAD_MAGIC: 'bad_magic',
  TOO_LONG: 'too_long',
  COUNT_OVERRUN: 'count_overrun',
  ZERO_LENGTH: 'zero_length',
  LENGTH_OVERRUN: 'length_overrun',
  SHORT_MESSAGE: 'short_message',
});

/** A snapshot frame's count is a u16; a subscribe request names at most this many symbols, so one frame fits. */
export const MAX_SYMBOLS_PER_REQUEST = 4096;

// Entry layout (§1.3): sid u32 @0, flags u16 @4, conflated u16 @6, seq u64 @8, bid price/size @16/@24,
// ask price/size @32/@40, last price/size @48/@56, exchangeTime @64, ingestTime @72.
const E_FLAGS = 4;
const E_SEQ = 8;
const E_BID_PRICE = 16;
const E_LAST_PRICE = 48;
const E_EXCHANGE_TIME = 64;
const E_INGEST_TIME = 72;
const TWO_POW_32 = 4294967296;

/** Writes a non-negative integer below 2^53 as a little-endian u64, without a BigInt. */
export function setUint64(view, offset, value) {
  view.setUint32(offset, value >>> 0, true);
  view.setUint32(offset + 4, Math.floor(value / TWO_POW_32), true);
}

/** Reads a little-endian u64 as a Number: exact below 2^53, which feed sequence numbers never reach. */
export function getUint64(view, offset) {
  return view.getUint32(offset + 4, true) * TWO_POW_32 + view.getUint32(offset, true);
}

/** Copies `words` 32-bit words from one view to another, byte order kept. */
function copyWords(from, fromOffset, to, toOffset, words) {
  for (let i = 0; i < words * 4; i += 4) to.setUint32(toOffset + i, from.getUint32(fromOffset + i, true), true);
}

/** The sid of each symbol the feed defined, its scales, and its last value as a wire entry. */
export class InstrumentTable {
  #sidByName = new Map();
  #sidByInstrument = new Map(); // instrumentId -> sid
  names = [];
  priceScales = [];
  sizeScales = [];
  /** Per sid: the applied ticks, so the entry's seq; 0 = no value yet. */
  seqs = [];
  /** Entry images, ENTRY_BYTES per sid, grown by doubling; reach them through `view` after any definition. */
  bytes = new Uint8Array(64 * ENTRY_BYTES);
  view = new DataView(this.bytes.buffer);

  get count() {
    return this.names.length;
  }

  sidOf(name) {
    return this.#sidByName.get(name) ?? -1;
  }

  sidOfInstrument(instrumentId) {
    return this.#sidByInstrument.get(instrumentId) ?? -1;
  }

  /**
   * A symbol keeps its sid for the life of the process, also when another instrument id or new scales define it
   * again (as the gateway does): the latest definition's scales apply.
   */
  define(instrumentId, name, priceScale, sizeScale) {
    let sid = this.#sidByName.get(name);
    if (sid === undefined) {
      sid = this.names.length;
      this.#grow(sid + 1);
      this.#sidByName.set(name, sid);
      this.names.push(name);
      this.seqs.push(0);
      this.priceScales.push(priceScale);
      this.sizeScales.push(sizeScale);
      this.view.setUint32(sid * ENTRY_BYTES, sid, true);
    } else {
      this.priceScales[sid] = priceScale;
      this.sizeScales[sid] = sizeScale;
    }
    this.#sidByInstrument.set(instrumentId, sid);
    return sid;
  }

  #grow(sids) {
    if (sids * ENTRY_BYTES <= this.bytes.length) return;
    const bytes = new Uint8Array(this.bytes.length * 2);
    bytes.set(this.bytes);
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }
}

/**
 * Validates each datagram whole before applying any of it, follows the feed sequence like the gateway (a datagram
 * behind the expected seq is late and not applied, one starting again at 1 is a restarted source, a gap is counted
 * and applied), applies definitions, quotes and trades to an InstrumentTable, and calls `onTick(sid)` after each
 * applied quote or trade. Counters are public fields.
 */
export class FeedDecoder {
  datagrams = 0;
  malformedDatagrams = 0;
  malformedByReason = Object.fromEntries(Object.values(Malformed).map((reason) => [reason, 0]));
  lateDatagrams = 0;
  gaps = 0;
  restarts = 0;
  unknownMessageTypes = 0;
  unknownInstruments = 0;
  badDefinitions = 0;
  ticks = 0;
  #expectedSeq = 0;

  constructor(table, onTick = () => {}) {
    this.table = table;
    this.onTick = onTick;
  }

  /**
   * Handles one datagram (a Uint8Array, Buffer included) received at `ingestTimeNs` (BigInt epoch nanoseconds).
   * Returns null when it was applied or late, else the Malformed reason it was dropped for. Never throws on input.
   */
  onDatagram(bytes, ingestTimeNs) {
    this.datagrams++;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const malformed = validateDatagram(view);
    if (malformed !== null) {
      this.malformedDatagrams++;
      this.malformedByReason[malformed]++;
      return malformed;
    }
    const count = view.getUint16(4, true);
    if (!this.#inSequence(getUint64(view, 8), count)) {
      this.lateDatagrams++;
      return null;
    }
    let cursor = FEED_HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const length = view.getUint16(cursor, true);
      switch (view.getUint8(cursor + 2)) {
        case TYPE_QUOTE:
          this.#applyTick(view, cursor, FLAG_QUOTE, ingestTimeNs);
          break;
        case TYPE_TRADE:
          this.#applyTick(view, cursor, FLAG_TRADE, ingestTimeNs);
          break;
        case TYPE_DEFINITION:
          this.#define(view, cursor);
          break;
        default:
          this.unknownMessageTypes++;
      }
      cursor += length;
    }
    return null;
  }

  #inSequence(firstSeq, count) {
    if (this.#expectedSeq !== 0 && firstSeq !== this.#expectedSeq) {
      if (firstSeq > this.#expectedSeq) {
        this.gaps++;
      } else if (firstSeq === 1) {
        this.restarts++;
      } else {
        return false;
      }
    }
    this.#expectedSeq = firstSeq + count;
    return true;
  }

  #define(view, at) {
    let name = '';
    for (let i = 0; i < SYMBOL_BYTES; i++) {
      const c = view.getUint8(at + SYMBOL_OFFSET + i);
      if (c === 0) break;
      name += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
    }
    if (name === '') {
      this.badDefinitions++;
      return;
    }
    this.table.define(view.getUint32(at + 4, true), name, view.getInt8(at + 8), view.getInt8(at + 9));
  }

  // Quote body: bid price, bid size, ask price, ask size, exchange time from offset 8; trade body: price, size,
  // exchange time from offset 8. Either way the prices and sizes are one run of 64-bit fields in entry order.
  #applyTick(view, at, flag, ingestTimeNs) {
    const table = this.table;
    const sid = table.sidOfInstrument(view.getUint32(at + 4, true));
    if (sid < 0) {
      this.unknownInstruments++;
      return;
    }
    const entries = table.view;
    const entry = sid * ENTRY_BYTES;
    if (flag === FLAG_QUOTE) {
      copyWords(view, at + 8, entries, entry + E_BID_PRICE, 8);
      copyWords(view, at + 40, entries, entry + E_EXCHANGE_TIME, 2);
    } else {
      copyWords(view, at + 8, entries, entry + E_LAST_PRICE, 4);
      copyWords(view, at + 24, entries, entry + E_EXCHANGE_TIME, 2);
    }
    entries.setUint16(entry + E_FLAGS, entries.getUint16(entry + E_FLAGS, true) | flag, true);
    const seq = table.seqs[sid] + 1;
    table.seqs[sid] = seq;
    setUint64(entries, entry + E_SEQ, seq);
    entries.setBigInt64(entry + E_INGEST_TIME, ingestTimeNs, true);
    this.ticks++;
    this.onTick(sid);
  }
}

/** Walks the header and every message length of a TKF1 datagram; returns null or the Malformed reason. */
export function validateDatagram(view) {
  const length = view.byteLength;
  if (length < FEED_HEADER_BYTES) return Malformed.SHORT_HEADER;
  if (view.getUint32(0, true) !== FEED_MAGIC) return Malformed.BAD_MAGIC;
  if (length > FEED_MAX_DATAGRAM_BYTES) return Malformed.TOO_LONG;
  const count = view.getUint16(4, true);
  let cursor = FEED_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (length - cursor < FEED_MIN_MESSAGE_BYTES) return Malformed.COUNT_OVERRUN;
    const messageLength = view.getUint16(cursor, true);
    if (messageLength < FEED_MIN_MESSAGE_BYTES) return Malformed.ZERO_LENGTH;
    if (messageLength > length - cursor) return Malformed.LENGTH_OVERRUN;
    if (messageLength < minimumLength(view.getUint8(cursor + 2))) return Malformed.SHORT_MESSAGE;
    cursor += messageLength;
  }
  return null;
}

function minimumLength(type) {
  switch (type) {
    case TYPE_DEFINITION: return DEFINITION_BYTES;
    case TYPE_QUOTE: return QUOTE_BYTES;
    case TYPE_TRADE: return TRADE_BYTES;
    default: return 0;
  }
}

/**
 * Encodes v1 frames from an InstrumentTable's entries. `update` writes into one reused scratch frame and returns a
 * view of it that stays valid only until the next call: a caller whose send may keep the bytes must copy them.
 */
export class FrameEncoder {
  #update = new Uint8Array(FRAME_HEADER_BYTES + ENTRY_BYTES);
  #updateView = new DataView(this.#update.buffer);

  constructor(table) {
    this.table = table;
    writeHeader(this.#updateView, KIND_UPDATE, 1);
  }

  /** One UPDATE frame holding `sid`'s last value. */
  update(sid, frameSeq, sendTimeNs) {
    const frame = this.#updateView;
    setUint64(frame, 8, frameSeq);
    frame.setBigInt64(16, sendTimeNs, true);
    copyWords(this.table.view, sid * ENTRY_BYTES, frame, FRAME_HEADER_BYTES, ENTRY_BYTES / 4);
    return this.#update;
  }

  /** A SNAPSHOT frame of its own, holding the last value of each of `sids` that has one (maybe none). */
  snapshot(sids, frameSeq, sendTimeNs) {
    const table = this.table;
    let count = 0;
    for (const sid of sids) if (table.seqs[sid] > 0) count++;
    const bytes = new Uint8Array(FRAME_HEADER_BYTES + count * ENTRY_BYTES);
    const frame = new DataView(bytes.buffer);
    writeHeader(frame, KIND_SNAPSHOT, count);
    setUint64(frame, 8, frameSeq);
    frame.setBigInt64(16, sendTimeNs, true);
    let at = FRAME_HEADER_BYTES;
    for (const sid of sids) {
      if (table.seqs[sid] === 0) continue;
      bytes.set(table.bytes.subarray(sid * ENTRY_BYTES, (sid + 1) * ENTRY_BYTES), at);
      at += ENTRY_BYTES;
    }
    return bytes;
  }
}

function writeHeader(frame, kind, count) {
  frame.setUint8(0, FRAME_VERSION);
  frame.setUint8(1, kind);
  frame.setUint16(2, count, true);
  frame.setUint32(4, 0, true);
}
