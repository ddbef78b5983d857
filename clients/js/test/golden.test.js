// Decodes the frames protocol/'s GoldenFramesTest wrote with the Java encoder; run after that module's tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFrame, decodeHeader, formatFixed, TickgateError } from '../tickgate-client.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../protocol/target/golden');
const expectedFile = path.join(goldenDir, 'expected.json');

if (!fs.existsSync(expectedFile)) {
  // Failing (not skipping) keeps a build that forgot the protocol tests from passing with nothing decoded.
  throw new Error(`${expectedFile} is missing: run the protocol module's tests first (mvn -pl protocol,clients/js -am verify)`);
}
const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
const I64_FIELDS = ['bidPrice', 'bidSize', 'askPrice', 'askSize', 'lastPrice', 'lastSize', 'exchangeTime',
  'ingestTime'];

for (const want of expected) {
  test(`decodes ${want.file} as the Java encoder wrote it`, () => {
    const bytes = fs.readFileSync(path.join(goldenDir, want.file));
    const frame = decodeFrame(bytes);
    assert.equal(frame.version, want.version);
    assert.equal(frame.kind, want.kind);
    assert.equal(frame.count, want.count);
    assert.equal(frame.frameSeq, BigInt(want.frameSeq));
    assert.equal(frame.sendTime, BigInt(want.sendTime));
    assert.equal(frame.entries.length, want.entries.length);
    want.entries.forEach((w, i) => {
      const e = frame.entries[i];
      assert.equal(e.sid, w.sid);
      assert.equal(e.flags, w.flags);
      assert.equal(e.conflated, w.conflated);
      assert.equal(e.seq, BigInt(w.seq), 'seq is u64');
      for (const f of I64_FIELDS) assert.equal(e[f], BigInt(w[f]), f);
      assert.equal(e.quote, (w.flags & 1) !== 0);
      assert.equal(e.trade, (w.flags & 2) !== 0);
      assert.equal(e.stale, (w.flags & 4) !== 0);
    });
  });
}

test('golden frames cover values a Number cannot hold', () => {
  const values = expected.flatMap((f) => f.entries.flatMap((e) => I64_FIELDS.map((k) => BigInt(e[k]))));
  assert.ok(values.some((v) => v > 2n ** 53n), 'a value beyond 2^53');
  assert.ok(values.some((v) => v < -(2n ** 53n)), 'a negative value beyond -2^53');
  assert.ok(expected.some((f) => BigInt(f.frameSeq) >= 2n ** 63n), 'a frameSeq with the top bit set');
});

test('rejects truncated frames and unknown versions instead of reading past the end', () => {
  const bytes = fs.readFileSync(path.join(goldenDir, 'snapshot.bin'));
  assert.throws(() => decodeFrame(bytes.subarray(0, bytes.length - 1)), TickgateError);
  assert.throws(() => decodeFrame(bytes.subarray(0, 23)), TickgateError);
  const wrongVersion = Uint8Array.from(bytes);
  wrongVersion[0] = 2;
  assert.throws(() => decodeHeader(new DataView(wrongVersion.buffer)), /version 2/);
});

test('formatFixed prints exact decimals for any i64', () => {
  assert.equal(formatFixed(1234500n, 4), '123.4500');
  assert.equal(formatFixed(-5n, 4), '-0.0005');
  assert.equal(formatFixed(-9223372036854775808n, 8), '-92233720368.54775808');
  assert.equal(formatFixed(42n, 0), '42');
  assert.equal(formatFixed(42n, -2), '4200');
  assert.equal(formatFixed(null, 2), '');
});
