// A UDP feed source speaking TKF1 (docs/protocol.md §2), for end-to-end tests: definitions, quotes, trades,
// packed into datagrams of at most 1,472 bytes with consecutive message numbers.
import dgram from 'node:dgram';

const MAGIC = 0x31464b54;
const HEADER = 24;
const MAX_DATAGRAM = 1472;

export class FeedSource {
  #socket = dgram.createSocket('udp4');
  #messages = [];
  #seq = 1n;
  #definitions = new Map(); // instrumentId -> encoded D message, repeated so a (re)started gateway learns them

  constructor(port) {
    this.port = port;
  }

  define(instrumentId, symbol, priceScale, sizeScale) {
    const m = Buffer.alloc(28);
    m.writeUInt16LE(28, 0);
    m.writeUInt8(0x44, 2);
    m.writeUInt32LE(instrumentId, 4);
    m.writeInt8(priceScale, 8);
    m.writeInt8(sizeScale, 9);
    m.write(symbol, 12, 16, 'ascii');
    this.#definitions.set(instrumentId, m);
    this.#messages.push(m);
  }

  redefineAll() {
    this.#messages.push(...this.#definitions.values());
  }

  quote(instrumentId, bidPrice, bidSize, askPrice, askSize, exchangeTimeNs = BigInt(Date.now()) * 1_000_000n) {
    const m = Buffer.alloc(48);
    m.writeUInt16LE(48, 0);
    m.writeUInt8(0x51, 2);
    m.writeUInt32LE(instrumentId, 4);
    [bidPrice, bidSize, askPrice, askSize, exchangeTimeNs].forEach((v, i) => m.writeBigInt64LE(BigInt(v), 8 + 8 * i));
    this.#messages.push(m);
  }

  trade(instrumentId, price, size, exchangeTimeNs = BigInt(Date.now()) * 1_000_000n) {
    const m = Buffer.alloc(32);
    m.writeUInt16LE(32, 0);
    m.writeUInt8(0x54, 2);
    m.writeUInt32LE(instrumentId, 4);
    [price, size, exchangeTimeNs].forEach((v, i) => m.writeBigInt64LE(BigInt(v), 8 + 8 * i));
    this.#messages.push(m);
  }

  /** Sends everything queued, in order, and resolves when the datagrams have left. */
  async flush() {
    const sends = [];
    while (this.#messages.length > 0) {
      const batch = [];
      let size = HEADER;
      while (this.#messages.length > 0 && size + this.#messages[0].length <= MAX_DATAGRAM) {
        size += this.#messages[0].length;
        batch.push(this.#messages.shift());
      }
      const header = Buffer.alloc(HEADER);
      header.writeUInt32LE(MAGIC, 0);
      header.writeUInt16LE(batch.length, 4);
      header.writeBigUInt64LE(this.#seq, 8);
      header.writeBigInt64LE(BigInt(Date.now()) * 1_000_000n, 16);
      this.#seq += BigInt(batch.length);
      const datagram = Buffer.concat([header, ...batch]);
      sends.push(new Promise((resolve, reject) => this.#socket.send(datagram, this.port, '127.0.0.1',
        (e) => (e ? reject(e) : resolve()))));
    }
    await Promise.all(sends);
  }

  close() {
    this.#socket.close();
  }
}
