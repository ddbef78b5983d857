// Test helper: builds client frames (docs/protocol.md §1.3) the way the gateway lays them out.
export function frame(kind, frameSeq, entries = []) {
  const view = new DataView(new ArrayBuffer(24 + 80 * entries.length));
  view.setUint8(0, 1);
  view.setUint8(1, kind);
  view.setUint16(2, entries.length, true);
  view.setBigUint64(8, BigInt(frameSeq), true);
  view.setBigInt64(16, 0n, true);
  entries.forEach((e, i) => {
    const at = 24 + 80 * i;
    view.setUint32(at, e.sid, true);
    view.setUint16(at + 4, e.flags ?? 3, true);
    view.setUint16(at + 6, e.conflated ?? 0, true);
    view.setBigUint64(at + 8, BigInt(e.seq), true);
    const i64 = ['bid', 'bidSize', 'ask', 'askSize', 'last', 'lastSize', 'exchangeTime', 'ingestTime'];
    i64.forEach((f, k) => view.setBigInt64(at + 16 + 8 * k, BigInt(e[f] ?? 0), true));
  });
  return view.buffer;
}
