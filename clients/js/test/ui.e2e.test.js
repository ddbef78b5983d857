// The trading UI end to end: a real gateway (the shaded jar), a UDP feed driven from here, real headless Chromium.
import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startGateway, repoRoot } from './support/gateway.js';
import { FeedSource } from './support/feed.js';
import { launchBrowser, CHROMIUM } from './support/browser.js';
import { readSlice, mantissa } from './support/binance.js';

const WALKERS = ['WALK0', 'WALK1', 'WALK2', 'THROTTLED'];
const REPLAY_LINES = 1500; // about 1,000 bookTicker/aggTrade events over the 10 symbols
// Stale after 1 s of feed silence (default 5 s), so the stale marker can be seen within the test's time budget.
const STALE_ARGS = ['--stale-after-ms', '1000'];
const SCREENSHOT = path.join(repoRoot, 'clients/js/target/trading-ui.png');

/** Polls `fn(arg)` in the page until it returns truthy; fails with what it last returned. */
async function until(page, what, fn, arg, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await page.evaluate(fn, arg);
    if (last && (typeof last !== 'object' || last.ok)) return last;
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cellText = ([symbol, field]) =>
  document.querySelector(`tr[data-symbol="${symbol}"] [data-field="${field}"]`)?.textContent ?? null;

/** Counts how often the page rewrites one cell during `ms`: the row's update rate as a user sees it. */
async function cellWrites(page, symbol, field, ms) {
  await page.evaluate(([s, f]) => {
    const cell = document.querySelector(`tr[data-symbol="${s}"] [data-field="${f}"]`);
    window.__writes = 0;
    window.__observer?.disconnect();
    window.__observer = new MutationObserver((records) => { window.__writes += records.length; });
    window.__observer.observe(cell, { childList: true, characterData: true, subtree: true });
  }, [symbol, field]);
  await new Promise((r) => setTimeout(r, ms));
  return page.evaluate(() => { window.__observer.disconnect(); return window.__writes; });
}

// Counted as a failed test of its own, so a machine without the browser reads "fail 1", not only "cancelled".
test('Chromium is installed for the browser tests', () => {
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install it with apt-get install chromium`);
});

describe('trading UI in headless Chromium against a real gateway', { timeout: 150000 }, () => {
  let gateway, feed, browser, page, pump;
  let paused = false;
  let gatewayDown = false;
  const consoleErrors = [];
  const slice = readSlice(REPLAY_LINES);

  before(async () => {
    browser = await launchBrowser(); // first: without a browser there is no point starting the gateway
    gateway = await startGateway({ args: STALE_ARGS });
    feed = new FeedSource(gateway.feedPort);
    WALKERS.forEach((s, i) => feed.define(1 + i, s, 2, 0));
    slice.symbols.forEach((s, i) => feed.define(100 + i, s.symbol, s.priceScale, s.sizeScale));
    await feed.flush();
    // Every walker quotes every 5 ms with a bid that always moves (about 200 updates/s each); definitions repeat
    // twice a second so a restarted gateway learns the symbols again.
    let tick = 0;
    pump = setInterval(() => {
      if (paused) return;
      tick++;
      WALKERS.forEach((_, i) => {
        const bid = 10_000 + ((tick * 7 + i * 13) % 97);
        feed.quote(1 + i, bid, 100 + (tick % 10) * 100, bid + 1 + (tick % 3), 200);
        if (tick % 10 === i) feed.trade(1 + i, bid, 5 + i);
      });
      if (tick % 100 === 0) feed.redefineAll();
      feed.flush().catch(() => {}); // a gateway that is down just misses datagrams, as UDP does
    }, 5);
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push({ text: m.text(), gatewayDown });
    });
    page.on('pageerror', (e) => consoleErrors.push({ text: `uncaught: ${e.message}`, gatewayDown: false }));
  });

  after(async () => {
    clearInterval(pump);
    await browser?.close();
    feed?.close();
    await gateway?.stop();
  });

  it('loads the UI, adds symbols with autocomplete, shows values changing and removes a row', async () => {
    await page.goto(`${gateway.url}?symbols=`);
    await until(page, 'status live', () => document.querySelector('#status').dataset.state === 'live');
    await page.click('#add-symbol'); // focus refreshes the suggestions from /api/symbols
    await until(page, 'autocomplete options', () => ({
      ok: ['WALK0', 'WALK1', 'BTCUSD_211231'].every((s) => document.querySelector(`#symbol-list option[value="${s}"]`)),
      options: document.querySelectorAll('#symbol-list option').length,
    }));
    await page.fill('#add-symbol', 'walk0, WALK1 walk2');
    await page.press('#add-symbol', 'Enter');
    for (const s of ['WALK0', 'WALK1', 'WALK2']) {
      const first = await until(page, `${s} shows a bid`, ([sym]) => {
        const t = document.querySelector(`tr[data-symbol="${sym}"] [data-field="bid"]`)?.textContent ?? '';
        return /^\d+\.\d\d$/.test(t) ? t : null;
      }, [s]);
      await until(page, `${s} bid to change from ${first}`, ([sym, before]) => {
        const t = document.querySelector(`tr[data-symbol="${sym}"] [data-field="bid"]`)?.textContent ?? '';
        return t !== before && t !== '' ? t : null;
      }, [s, first]);
    }
    const row = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll(
      'tr[data-symbol="WALK0"] [data-field]')].map((td) => [td.dataset.field, td.textContent])));
    assert.match(row.spread, /^\d+\.\d\d$/);
    assert.match(row.latency, /^\d+\.\d ms$/);
    assert.match(row.conflated, /^\d+$/);
    await page.click('tr[data-symbol="WALK2"] [data-action="remove"]');
    await until(page, 'WALK2 removed', () => document.querySelector('tr[data-symbol="WALK2"]') === null);
  });

  it('replays a slice of a real Binance capture and ends showing its exact final bid, ask and last', async () => {
    await page.fill('#add-symbol', slice.symbols.map((s) => s.symbol).join(' '));
    await page.press('#add-symbol', 'Enter');
    await until(page, 'replay rows', (n) => document.querySelectorAll('tr[data-symbol]').length === n,
      2 + slice.symbols.length);
    const ids = new Map(slice.symbols.map((s, i) => [s.symbol, 100 + i]));
    const scales = new Map(slice.symbols.map((s) => [s.symbol, s]));
    for (const e of slice.events) {
      const { priceScale: ps, sizeScale: ss } = scales.get(e.symbol);
      const at = BigInt(e.time) * 1_000_000n;
      if (e.type === 'Q') {
        feed.quote(ids.get(e.symbol), mantissa(e.bid, ps), mantissa(e.bidSize, ss), mantissa(e.ask, ps),
          mantissa(e.askSize, ss), at);
      } else {
        feed.trade(ids.get(e.symbol), mantissa(e.price, ps), mantissa(e.size, ss), at);
      }
    }
    await feed.flush();
    const expected = Object.fromEntries(slice.symbols.map((s) => [s.symbol, s.expected]));
    await until(page, 'the final values of the replay', (want) => {
      const wrong = {};
      for (const [symbol, fields] of Object.entries(want)) {
        for (const [field, text] of Object.entries(fields)) {
          const got = document.querySelector(`tr[data-symbol="${symbol}"] [data-field="${field}"]`)?.textContent;
          if (got !== text) wrong[`${symbol}.${field}`] = { got, want: text };
        }
      }
      return { ok: Object.keys(wrong).length === 0, wrong };
    }, expected, 15000);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('updates a row less often after the throttle is set', async () => {
    await page.fill('#add-symbol', 'THROTTLED');
    await page.press('#add-symbol', 'Enter');
    await until(page, 'THROTTLED bid', () =>
      /\d/.test(document.querySelector('tr[data-symbol="THROTTLED"] [data-field="bid"]')?.textContent ?? ''));
    const full = await cellWrites(page, 'THROTTLED', 'bid', 2000);
    await page.selectOption('#throttle', '1');
    await until(page, 'the throttle acknowledged', () =>
      [...document.querySelectorAll('#messages div')].some((d) => d.textContent.includes('at most 1 update')));
    await new Promise((r) => setTimeout(r, 1100)); // let a value held back by the old rate go out
    const throttled = await cellWrites(page, 'THROTTLED', 'bid', 3000);
    assert.ok(full >= 10, `at full rate the bid cell was rewritten ${full} times in 2 s`);
    assert.ok(throttled <= 4, `at 1 Hz the bid cell was rewritten ${throttled} times in 3 s`);
    await page.selectOption('#throttle', '0');
    await until(page, 'throttle off', () =>
      [...document.querySelectorAll('#messages div')].some((d) => d.textContent.includes('throttle off')));
  });

  it('marks a row stale while its feed is silent and clears the mark when ticks return', async () => {
    const marker = () => {
      const tr = document.querySelector('tr[data-symbol="WALK0"]');
      return { stale: tr.dataset.stale, markerShown: !tr.querySelector('.stale-marker').hidden };
    };
    paused = true;
    await until(page, 'WALK0 stale', () => {
      const tr = document.querySelector('tr[data-symbol="WALK0"]');
      return tr.dataset.stale === 'true' && !tr.querySelector('.stale-marker').hidden;
    }, null, 5000);
    paused = false;
    await until(page, 'WALK0 fresh again', () => {
      const tr = document.querySelector('tr[data-symbol="WALK0"]');
      return tr.dataset.stale === 'false' && tr.querySelector('.stale-marker').hidden;
    }, null, 5000);
    assert.deepEqual(await page.evaluate(marker), { stale: 'false', markerShown: false });
  });

  it('reconnects after the gateway restarts on the same port and shows live values again', async () => {
    const { httpPort, feedPort } = gateway;
    gatewayDown = true;
    const stopped = await gateway.stop();
    // A JVM ended by SIGTERM exits with 143 once its shutdown hooks (closing sessions with 1001) have run.
    assert.ok([0, 143].includes(stopped.code), `gateway exit: ${JSON.stringify(stopped)}\n${gateway.output()}`);
    await until(page, 'status reconnecting', () =>
      document.querySelector('#status').dataset.state === 'reconnecting');
    const before = await page.evaluate(cellText, ['WALK0', 'bid']);
    gateway = await startGateway({ httpPort, feedPort, args: STALE_ARGS });
    await until(page, 'status live again', () => document.querySelector('#status').dataset.state === 'live', null,
      20000);
    gatewayDown = false;
    // The new gateway knows WALK0 once the feed repeats its definition; then values flow again and change.
    const first = await until(page, 'WALK0 bid after restart', ([b]) => {
      const t = document.querySelector('tr[data-symbol="WALK0"] [data-field="bid"]').textContent;
      return /^\d+\.\d\d$/.test(t) && t !== b ? t : null;
    }, [before], 20000);
    await until(page, 'WALK0 bid changing after restart', ([f]) => {
      const t = document.querySelector('tr[data-symbol="WALK0"] [data-field="bid"]').textContent;
      return t !== f ? t : null;
    }, [first]);
    // The replayed symbols were never sent to the new gateway: its snapshot (the truth) has no value for them.
    const btc = await until(page, 'BTCUSD_211231 cleared by the new snapshot', () => {
      const t = document.querySelector('tr[data-symbol="BTCUSD_211231"] [data-field="bid"]').textContent;
      return t === '' ? 'empty' : null;
    });
    assert.equal(btc, 'empty');
  });

  it('logged no console errors (other than failed connects while the gateway was down)', () => {
    const unexpected = consoleErrors.filter((e) => !(e.gatewayDown &&
      /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e.text)));
    assert.deepEqual(unexpected, []);
  });
});
