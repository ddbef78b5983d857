// The trading UI end to end: a real gateway (the shaded jar), a UDP feed driven from here, real headless Chromium.
import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
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

  it('names each remove button after its symbol, moves focus on removal, labels the input, announces status',
    async () => {
      const a11y = await page.evaluate(() => {
        const status = document.querySelector('#status');
        const label = document.querySelector('#add-symbol').labels[0];
        return { role: status.getAttribute('role'), live: status.getAttribute('aria-live'),
          label: label?.textContent.trim(), labelShown: (label?.getBoundingClientRect().width ?? 0) > 0 };
      });
      assert.deepEqual(a11y, { role: 'status', live: 'polite', label: 'Symbols', labelShown: true });
      await page.fill('#add-symbol', 'WALK2');
      await page.press('#add-symbol', 'Enter');
      await page.getByRole('button', { name: 'Remove WALK1', exact: true }).click();
      await until(page, 'focus on the next row', () =>
        document.activeElement?.getAttribute('aria-label') === 'Remove WALK2');
      await page.keyboard.press('Enter'); // removes WALK2, the last row: focus goes back to the input
      await until(page, 'focus on the input', () => document.activeElement?.id === 'add-symbol');
      await page.fill('#add-symbol', 'WALK1');
      await page.press('#add-symbol', 'Enter');
      await until(page, 'WALK0 and WALK1', () =>
        [...document.querySelectorAll('#rows tr')].map((tr) => tr.dataset.symbol).join() === 'WALK0,WALK1');
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
      [...document.querySelectorAll('#messages div')].some((d) => d.textContent.includes('at most 1 update per')));
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
    // The wait before the next attempt counts down (backoff reaches seconds after a few refused connects).
    const waitS = await until(page, 'a wait of seconds', () =>
      Number(/^ in (\d+) s$/.exec(document.querySelector('#retry-in').textContent)?.[1] ?? 0) >= 2
        && Number(/\d+/.exec(document.querySelector('#retry-in').textContent)[0]));
    await until(page, 'the wait counting down', (from) => {
      const s = /^ in (\d+) s$/.exec(document.querySelector('#retry-in').textContent)?.[1];
      return s !== undefined && Number(s) < from;
    }, waitS);
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

// A stand-in for a proxy in front of the gateway: passes HTTP and WebSocket through until told to hang, then
// drops the open connections and takes new ones without ever answering their handshake.
async function startHangingProxy(target) {
  const http = await import('node:http');
  const net = await import('node:net');
  const sockets = new Set();
  let hang = false;
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: target, path: req.url, method: req.method,
      headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (hang) return; // accepted, never answered
    const upstream = net.connect(target, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  // Every connection the browser opened, upgraded or not: close() ends them all, so that a WebSocket accepted while
  // the proxy closes, or a request in flight, cannot hold server.close() for as long as the browser lives.
  const connections = new Set();
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    hang() {
      hang = true;
      for (const s of sockets) s.destroy();
    },
    resume() {
      hang = false;
    },
    close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of [...sockets, ...connections]) s.destroy();
      server.closeAllConnections();
      return closed;
    },
  };
}

/** Helpers the tests call inside the page: the message lines, the rows' symbols, the saved watchlist. */
function pageHelpers() {
  window.messageTexts = () => [...document.querySelectorAll('#messages div')].map((d) => d.textContent);
  window.rowSymbols = () => [...document.querySelectorAll('#rows tr')].map((tr) => tr.dataset.symbol);
  window.savedList = () => JSON.parse(localStorage.getItem('tickgate.watchlist') ?? 'null');
}
const hasMessage = (part) => window.messageTexts().some((m) => m.includes(part));
const rowsAre = (list) => {
  const got = window.rowSymbols().join();
  return { ok: got === list, got };
};

describe('trading UI against a gateway with a 5 s heartbeat that learns symbols as the test defines them',
  { timeout: 240000 }, () => {
    let gateway, feed, browser;
    const pageErrors = [];
    let nextId = 1;
    const define = async (symbol, priceScale = 2, sizeScale = 0) => {
      const id = nextId++;
      feed.define(id, symbol, priceScale, sizeScale);
      await feed.flush();
      return id;
    };

    async function newPage(viewport = { width: 1180, height: 640 }) {
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.setViewportSize(viewport);
      await page.addInitScript(pageHelpers);
      return page;
    }

    async function openPage(query = '?symbols=', viewport = undefined, url = gateway.url) {
      const page = await newPage(viewport);
      await page.goto(`${url}${query}`);
      await until(page, 'status live', () => document.querySelector('#status').dataset.state === 'live');
      return page;
    }

    async function add(page, text) {
      await page.fill('#add-symbol', text);
      await page.press('#add-symbol', 'Enter');
    }

    before(async () => {
      browser = await launchBrowser();
      gateway = await startGateway({ args: ['--heartbeat-ms', '5000', '--stale-after-ms', '1000'] });
      feed = new FeedSource(gateway.feedPort);
    });

    after(async () => {
      await browser?.close();
      feed?.close();
      await gateway?.stop();
    });

    it('stays live on a quiet feed: the page sizes its watchdog from /health heartbeatMs', async () => {
      const page = await openPage();
      await page.evaluate(() => {
        window.__states = [];
        new MutationObserver(() => window.__states.push(document.querySelector('#status').dataset.state))
          .observe(document.querySelector('#status'), { attributes: true, childList: true, subtree: true });
      });
      // The default watchdog (3 × 1 s) would drop this connection within about 3.5 s; a 5 s heartbeat keeps it.
      await new Promise((r) => setTimeout(r, 8000));
      const { states, messages } = await page.evaluate(() => ({ states: window.__states,
        messages: window.messageTexts() }));
      assert.deepEqual(states.filter((s) => s !== 'live'), [], `status changes: ${states}`);
      assert.ok(!messages.some((m) => /closed|WATCHDOG|no message/.test(m)), messages.join('\n'));
      await page.close();
    });

    it('follows the heartbeat of the gateway it reconnects to: one restarted with 5 s is not dropped', async () => {
      let fast = await startGateway(); // the default 1 s heartbeat, which the page reads at load
      let slow = null;
      try {
        const page = await openPage('?symbols=', undefined, fast.url);
        let sockets = 0;
        page.on('websocket', () => { sockets++; });
        const { httpPort, feedPort } = fast;
        await fast.stop();
        fast = null;
        slow = await startGateway({ httpPort, feedPort, args: ['--heartbeat-ms', '5000'] });
        await until(page, 'status live again', () => document.querySelector('#status').dataset.state === 'live',
          null, 20000);
        const opened = sockets;
        // With the old 1 s interval the watchdog would drop this quiet connection every 3.5 s.
        await new Promise((r) => setTimeout(r, 15000));
        const messages = await page.evaluate(() => window.messageTexts());
        assert.equal(sockets, opened, `reconnected on a quiet feed: ${messages.join('\n')}`);
        assert.equal(await page.evaluate(() => document.querySelector('#status').dataset.state), 'live');
        await page.close();
      } finally {
        await fast?.stop();
        await slow?.stop();
      }
    });

    it('keeps saved symbols the gateway does not know yet, marks them, and fills them in once defined', async () => {
      const page = await openPage();
      await page.evaluate(() => localStorage.setItem('tickgate.watchlist', JSON.stringify(['LATE1', 'LATE2'])));
      await page.goto(gateway.url);
      await until(page, 'saved rows marked unknown', () => ({
        ok: ['LATE1', 'LATE2'].every((s) => {
          const tr = document.querySelector(`tr[data-symbol="${s}"]`);
          return tr?.dataset.known === 'false' && !tr.querySelector('.unknown-marker').hidden;
        }),
        rows: document.querySelector('#rows').innerHTML.length,
      }));
      await until(page, 'a message saying they wait', hasMessage, '2 symbols not known to the gateway yet');
      await new Promise((r) => setTimeout(r, 2500)); // through at least one retry that is rejected again
      assert.deepEqual(await page.evaluate(() => window.savedList()), ['LATE1', 'LATE2'], 'still saved');
      assert.deepEqual(await page.evaluate(() => window.rowSymbols()), ['LATE1', 'LATE2'], 'rows kept');
      // A typed name the gateway does not know is a typo: it goes, with its message.
      await add(page, 'NOPE1');
      await until(page, 'NOPE1 rejected in words', hasMessage, 'NOPE1: no such symbol (removed)');
      await until(page, 'NOPE1 removed', rowsAre, 'LATE1,LATE2');
      const late1 = await define('LATE1');
      const late2 = await define('LATE2');
      feed.quote(late1, 1234, 10, 1240, 20);
      feed.quote(late2, 5678, 10, 5680, 20);
      await feed.flush();
      await until(page, 'LATE1 and LATE2 filled in', () => ({
        ok: ['LATE1', 'LATE2'].every((s) => {
          const tr = document.querySelector(`tr[data-symbol="${s}"]`);
          return tr.dataset.known === 'true' && tr.querySelector('.unknown-marker').hidden &&
            /^\d+\.\d\d$/.test(tr.querySelector('[data-field="bid"]').textContent);
        }),
      }));
      const messages = await page.evaluate(() => window.messageTexts());
      assert.ok(!messages.some((m) => m.includes('LATE')), `the waiting message goes: ${messages}`);
      assert.deepEqual(await page.evaluate(() => window.savedList()), ['LATE1', 'LATE2']);
      // An empty link shows an empty list without overwriting the saved one.
      await page.goto(`${gateway.url}?symbols=`);
      await until(page, 'suggestions loaded', () => document.querySelector('#symbol-list option[value="LATE1"]'));
      assert.deepEqual(await page.evaluate(() => window.savedList()), ['LATE1', 'LATE2']);
      await page.close();
    });

    it('opens a ?symbols= link without touching the saved list, and says so on the page', async () => {
      const page = await openPage();
      await page.evaluate(() => localStorage.setItem('tickgate.watchlist', JSON.stringify(['SAVED1'])));
      await page.goto(`${gateway.url}?symbols=LINKED1,LINKED2`);
      await until(page, 'the linked rows', rowsAre, 'LINKED1,LINKED2');
      await until(page, 'the note shown', () => !document.querySelector('#linked').hidden &&
        /saved list is unchanged/.test(document.querySelector('#linked').textContent));
      await page.click('tr[data-symbol="LINKED1"] [data-action="remove"]');
      await until(page, 'LINKED1 removed', rowsAre, 'LINKED2');
      assert.deepEqual(await page.evaluate(() => window.savedList()), ['SAVED1'], 'a link leaves the saved list');
      await page.goto(gateway.url);
      await until(page, 'the saved list', rowsAre, 'SAVED1');
      assert.equal(await page.evaluate(() => document.querySelector('#linked').hidden), true);
      await page.close();
    });

    it('splits link names on spaces and plus signs as well as commas, like the input', async () => {
      const page = await openPage('?symbols=SPLIT1%20SPLIT2+SPLIT3,SPLIT4');
      await until(page, 'four rows', rowsAre, 'SPLIT1,SPLIT2,SPLIT3,SPLIT4');
      const messages = await page.evaluate(() => window.messageTexts());
      assert.ok(!messages.some((m) => m.includes('refused')), messages.join('\n'));
      await page.close();
    });

    it('resolves the case of linked names again once the feed defines them, so they fill in', async () => {
      const page = await openPage('?symbols=lowa,mixb,LOWC');
      await until(page, 'unknown rows as linked', () => ({
        ok: window.rowSymbols().join() === 'lowa,mixb,LOWC' &&
          [...document.querySelectorAll('#rows tr')].every((tr) => tr.dataset.known === 'false'),
        got: window.rowSymbols(),
      }));
      for (const s of ['LOWA', 'MixB', 'LOWC']) feed.quote(await define(s), 300, 1, 301, 1);
      await feed.flush();
      await until(page, 'rows renamed to the defined symbols and filled in', () => ({
        ok: window.rowSymbols().join() === 'LOWA,MixB,LOWC' && window.rowSymbols().every((s) =>
          document.querySelector(`tr[data-symbol="${s}"] [data-field="bid"]`).textContent === '3.00'),
        got: window.rowSymbols(),
      }), null, 15000);
      await page.close();
    });

    it('maps a name to a symbol in its exact case first, ignoring case only when one symbol matches', async () => {
      for (const s of ['CASE', 'case', 'Mixed']) feed.quote(await define(s), 100, 1, 101, 1);
      await feed.flush();
      // A link's names are trimmed and resolved the same way as the form's.
      const page = await openPage(`?symbols=${encodeURIComponent(' CASE , mixed ,case ')}`);
      await until(page, 'rows from the link', rowsAre, 'CASE,Mixed,case');
      await page.click('tr[data-symbol="CASE"] [data-action="remove"]');
      await page.click('tr[data-symbol="case"] [data-action="remove"]');
      await add(page, 'CASE');
      await until(page, 'CASE added as typed', rowsAre, 'Mixed,CASE');
      await add(page, 'Case'); // two symbols match it ignoring case: the user has to choose
      await until(page, 'Case ambiguous', hasMessage, 'Case is ambiguous: CASE, case');
      assert.deepEqual(await page.evaluate(() => window.rowSymbols()), ['Mixed', 'CASE']);
      await page.close();
      const linked = await openPage('?symbols=cAsE,CASE');
      await until(linked, 'the link names the ambiguous name', hasMessage, 'cAsE is ambiguous: CASE, case');
      await until(linked, 'only the exact name', rowsAre, 'CASE');
      assert.ok(!(await linked.evaluate(() => window.messageTexts())).some((m) => m.includes('not known')));
      await linked.close();
    });

    it('finds a typed name ignoring case among symbols defined since the page read its list', async () => {
      feed.quote(await define('FRESHA'), 100, 1, 101, 1);
      await feed.flush();
      const page = await openPage();
      await page.click('#add-symbol'); // reads /api/symbols: a focus within the next 5 s does not read it again
      await until(page, 'FRESHA suggested', () => document.querySelector('#symbol-list option[value="FRESHA"]'));
      feed.quote(await define('FRESHB'), 700, 1, 701, 1);
      await feed.flush();
      const known = async () => (await (await fetch(`${gateway.url}api/symbols`)).json()).some((s) => s.symbol === 'FRESHB');
      for (let i = 0; !(await known()); i++) {
        assert.ok(i < 100, 'the gateway learns FRESHB');
        await new Promise((r) => setTimeout(r, 50));
      }
      await add(page, 'freshb');
      await until(page, 'FRESHB added in its spelling', rowsAre, 'FRESHB');
      await until(page, 'FRESHB bid', () =>
        document.querySelector('tr[data-symbol="FRESHB"] [data-field="bid"]').textContent === '7.00');
      const messages = await page.evaluate(() => window.messageTexts());
      assert.ok(!messages.some((m) => m.includes('freshb')), messages.join('\n'));
      await page.close();
    });

    it('gives the reason a saved name is refused: empty, a space, a control character', async () => {
      const page = await openPage();
      await page.evaluate(() => localStorage.setItem('tickgate.watchlist', JSON.stringify(['', ' A', 'B\u0001'])));
      await page.goto(gateway.url);
      await until(page, 'the refusal with its reasons', () => window.messageTexts().some((m) =>
        m.includes('saved watchlist refused') && m.includes('"": empty') && m.includes('" A": a space') &&
        m.includes('"B\u0001": a control character')));
      await page.evaluate(() => localStorage.removeItem('tickgate.watchlist'));
      await page.close();
    });

    it('names the HTTP status when /health fails and goes on with the default heartbeat', async () => {
      const page = await newPage();
      await page.route('**/health', (route) => route.fulfill({ status: 500, body: 'oops' }));
      await page.goto(`${gateway.url}?symbols=`);
      await until(page, 'the /health line', hasMessage,
        '/health failed (HTTP 500): assuming the default heartbeat interval');
      await until(page, 'status live', () => document.querySelector('#status').dataset.state === 'live');
      await page.close();
    });

    it('refuses names that cannot be symbols and splits a large saved list, so the good names get data', async () => {
      const good = await define('GOOD1');
      feed.quote(good, 4200, 1, 4201, 1);
      await feed.flush();
      const page = await openPage();
      const filler = Array.from({ length: 4200 }, (_, i) => `F${i}`); // more than one request may carry
      await page.evaluate((list) => localStorage.setItem('tickgate.watchlist', JSON.stringify(list)),
        ['X'.repeat(70000), ...filler, 'GOOD1']);
      await page.goto(gateway.url);
      await until(page, 'GOOD1 bid', () => {
        const tr = document.querySelector('tr[data-symbol="GOOD1"]');
        tr?.scrollIntoView(); // rows out of view are not painted
        return tr?.querySelector('[data-field="bid"]').textContent === '42.00';
      }, null, 30000);
      const saved = await page.evaluate(() => window.savedList());
      assert.equal(saved.length, 4201, 'the long name is no longer saved, the rest is');
      assert.ok(!saved.some((s) => s.length > 16));
      const messages = await page.evaluate(() => window.messageTexts());
      assert.ok(messages.some((m) => m.includes('saved watchlist refused') && m.includes('70000 characters')),
        messages.join('\n'));
      await page.evaluate(() => localStorage.setItem('tickgate.watchlist', '[]'));
      await page.goto(`${gateway.url}?symbols=`);
      await until(page, 'status live', () => document.querySelector('#status').dataset.state === 'live');
      await add(page, `GOOD1 ${'Y'.repeat(17)} a\u00e9b`);
      await until(page, 'the refusal names both inputs', (long) => window.messageTexts().some((m) =>
        m.includes('input refused') && m.includes(`"${long}": longer than 16`) &&
        m.includes('"a\u00e9b": not ASCII')), 'Y'.repeat(17));
      // Emoji are counted and cut by code point: 30 of them are 30 characters, cut after 20 whole ones.
      await add(page, '\u{1F600}'.repeat(30));
      await until(page, 'the emoji refusal', () => window.messageTexts().some((m) =>
        m.includes(`"${'\u{1F600}'.repeat(20)}…" (30 characters): not ASCII`)));
      await until(page, 'GOOD1 alone added', rowsAre, 'GOOD1');
      await page.close();
    });

    it('drops the rows a subscribe added when the gateway fails it as a whole, keeping the others', async () => {
      const page = await newPage();
      // The gateway answers a subscribe naming FAILWHOLE with an error for the whole request, as it does for
      // requests over its limits.
      await page.routeWebSocket(/\/ws$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((text) => {
          const request = JSON.parse(text);
          if (request.op === 'subscribe' && request.symbols.includes('FAILWHOLE')) {
            ws.send(JSON.stringify({ op: 'error', id: request.id, code: 'BAD_REQUEST', message: 'refused whole' }));
          } else {
            server.send(text);
          }
        });
      });
      await page.goto(`${gateway.url}?symbols=GOOD1`);
      await until(page, 'GOOD1 bid', () =>
        document.querySelector('tr[data-symbol="GOOD1"] [data-field="bid"]')?.textContent === '42.00');
      await add(page, 'LATE1 FAILWHOLE');
      await until(page, 'the failed request reported', hasMessage, 'failed: BAD_REQUEST');
      await until(page, 'its rows gone', rowsAre, 'GOOD1');
      await page.close();
    });

    it('puts a row back when the gateway refuses its unsubscribe as a whole, still updating', async () => {
      const keep = await define('KEEPME');
      feed.quote(keep, 700, 1, 710, 1);
      feed.quote(await define('DROPME'), 800, 1, 810, 1);
      feed.quote(await define('ALSOME'), 900, 1, 910, 1);
      await feed.flush();
      const page = await newPage();
      // The gateway answers an unsubscribe naming KEEPME with an error for the whole request: it still holds it.
      await page.routeWebSocket(/\/ws$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((text) => {
          const request = JSON.parse(text);
          if (request.op === 'unsubscribe' && request.symbols.includes('KEEPME')) {
            ws.send(JSON.stringify({ op: 'error', id: request.id, code: 'BAD_REQUEST', message: 'refused whole' }));
          } else {
            server.send(text);
          }
        });
      });
      await page.goto(`${gateway.url}?symbols=KEEPME,DROPME,ALSOME`);
      await until(page, 'KEEPME bid', () =>
        document.querySelector('tr[data-symbol="KEEPME"] [data-field="bid"]')?.textContent === '7.00');
      await page.click('tr[data-symbol="DROPME"] [data-action=remove]');
      await until(page, 'DROPME removed', rowsAre, 'KEEPME,ALSOME');
      await page.click('tr[data-symbol="KEEPME"] [data-action=remove]');
      await until(page, 'the refusal reported', hasMessage, 'removing KEEPME failed: BAD_REQUEST refused whole');
      await until(page, 'KEEPME back where it was', rowsAre, 'KEEPME,ALSOME');
      feed.quote(keep, 701, 1, 711, 1);
      await feed.flush();
      await until(page, 'KEEPME still updating', () =>
        document.querySelector('tr[data-symbol="KEEPME"] [data-field="bid"]')?.textContent === '7.01');
      await page.close();
    });

    it('removes the rows the resubscribe after a reconnect is refused for, so none keeps old values as live',
      async () => {
        for (const [i, s] of ['LIMA', 'LIMB', 'LIMC'].entries()) feed.quote(await define(s), 500 + i, 1, 510, 1);
        await feed.flush();
        const page = await newPage();
        // The first connection drops when TYPOX is added, before its reply: the page's subscribe fails DISCONNECTED
        // and the name comes back in the id-less resubscribe, which the gateway rejects as unknown. That
        // resubscribe is answered as a gateway with a limit of 2 would: LIMC rejected with LIMIT_EXCEEDED.
        let connections = 0;
        await page.routeWebSocket(/\/ws$/, (ws) => {
          const connection = ++connections;
          const server = ws.connectToServer();
          let limited = false;
          ws.onMessage((text) => {
            const request = JSON.parse(text);
            if (connection === 1 && request.op === 'subscribe' && request.symbols.includes('TYPOX')) {
              ws.close({ code: 1001, reason: 'going away' });
              server.close();
            } else if (connection > 1 && request.op === 'subscribe' && request.id === undefined &&
              request.symbols.includes('LIMC')) {
              limited = true;
              server.send(JSON.stringify({ ...request, symbols: request.symbols.filter((s) => s !== 'LIMC') }));
            } else {
              server.send(text);
            }
          });
          server.onMessage((message) => {
            if (limited && typeof message === 'string' && JSON.parse(message).op === 'subscribed') {
              limited = false;
              const reply = JSON.parse(message);
              reply.rejected = [...(reply.rejected ?? []), { symbol: 'LIMC', reason: 'LIMIT_EXCEEDED' }];
              ws.send(JSON.stringify(reply));
            } else {
              ws.send(message);
            }
          });
        });
        await page.goto(`${gateway.url}?symbols=LIMA,LIMB,LIMC`);
        await until(page, 'LIMC bid', () =>
          document.querySelector('tr[data-symbol="LIMC"] [data-field="bid"]')?.textContent === '5.02');
        await add(page, 'TYPOX');
        await until(page, 'the refused rows removed', rowsAre, 'LIMA,LIMB');
        await until(page, 'LIMC named as removed', hasMessage, "LIMC: over this session's symbol limit (removed)");
        await until(page, 'TYPOX named as removed', hasMessage, 'TYPOX: no such symbol (removed)');
        assert.equal(connections, 2);
        await page.close();
      });

    it('shows long numbers and a 16-character stale symbol in full, each value cell titled with its text', async () => {
      const id = await define('ABCDEFGHIJKLMNOP', 8, 3);
      feed.quote(id, 123456789012n, 123456789, 123456789999n, 987654321);
      feed.trade(id, 123456789500n, 123456789);
      await feed.flush();
      const page = await openPage();
      await add(page, 'ABCDEFGHIJKLMNOP');
      await until(page, 'the long bid', () =>
        document.querySelector('tr[data-symbol="ABCDEFGHIJKLMNOP"] [data-field="bid"]')?.textContent ===
          '1234.56789012');
      // No ticks for 1 s: the row goes stale, and the badge must fit beside the name.
      await until(page, 'stale badge', () =>
        !document.querySelector('tr[data-symbol="ABCDEFGHIJKLMNOP"] .stale-marker').hidden, null, 10000);
      const clipped = await page.evaluate(() => {
        const cells = document.querySelectorAll('tr[data-symbol="ABCDEFGHIJKLMNOP"] td:not(.actions)');
        return [...cells].filter((td) => td.scrollWidth > td.clientWidth || (td.dataset.field &&
          td.title !== td.textContent)).map((td) => `${td.dataset.field ?? 'symbol'}: ${td.textContent} ` +
          `(${td.scrollWidth} > ${td.clientWidth}, title ${td.title})`);
      });
      assert.deepEqual(clipped, []);
      assert.equal(await page.evaluate(cellText, ['ABCDEFGHIJKLMNOP', 'lastSize']), '123456.789');
      // The badge is a word of its own for a screen reader, not fused to the name.
      const spoken = await page.locator('tr[data-symbol="ABCDEFGHIJKLMNOP"] td.symbol').ariaSnapshot();
      assert.match(spoken, /ABCDEFGHIJKLMNOP ?, stale/, spoken);
      // Rows a whole number of pixels high keep every row's bottom border on the same pixel phase, so each is drawn
      // (at 29.6 px every other one fell between device pixels).
      const height = await page.evaluate(() => document.querySelector('#rows tr').getBoundingClientRect().height);
      assert.ok(Number.isInteger(height), `row height ${height}`);
      await page.close();
    });

    it('shows latency from live updates only, blank for a snapshot value, and titles the columns', async () => {
      const id = await define('QUIET');
      feed.quote(id, 700, 1, 701, 1);
      await feed.flush();
      await new Promise((r) => setTimeout(r, 1500)); // the held value is 1.5 s old when the page subscribes
      const page = await openPage();
      await add(page, 'QUIET');
      await until(page, 'QUIET bid', () =>
        document.querySelector('tr[data-symbol="QUIET"] [data-field="bid"]')?.textContent === '7.00');
      await new Promise((r) => setTimeout(r, 1500)); // it goes stale meanwhile: a flag-only entry, no update
      assert.equal(await page.evaluate(cellText, ['QUIET', 'latency']), '');
      feed.quote(id, 710, 1, 711, 1);
      await feed.flush();
      await until(page, 'latency of the update', () =>
        /^\d+\.\d ms$/.test(document.querySelector('tr[data-symbol="QUIET"] [data-field="latency"]').textContent));
      const titles = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('th[data-col]')]
        .map((th) => [th.dataset.col, th.title])));
      assert.match(titles.conflated, /since the gateway started/);
      assert.match(titles.latency, /live update/);
      await page.close();
    });

    it('blanks a latency after a reconnect until the new connection brings an update, not only a snapshot',
      async () => {
        const id = await define('RELAT');
        feed.quote(id, 300, 1, 301, 1);
        await feed.flush();
        const page = await newPage();
        let connections = 0;
        let drop = null;
        let binaryAfterReconnect = 0;
        await page.routeWebSocket(/\/ws$/, (ws) => {
          const connection = ++connections;
          const server = ws.connectToServer();
          drop = () => {
            ws.close({ code: 1001, reason: 'going away' });
            server.close();
          };
          server.onMessage((message) => {
            if (connection > 1 && typeof message !== 'string') binaryAfterReconnect++;
            ws.send(message);
          });
        });
        await page.goto(`${gateway.url}?symbols=RELAT`);
        await until(page, 'RELAT bid', () =>
          document.querySelector('tr[data-symbol="RELAT"] [data-field="bid"]')?.textContent === '3.00');
        feed.quote(id, 310, 1, 311, 1);
        await feed.flush();
        await until(page, 'latency of the update', () =>
          /^\d+\.\d ms$/.test(document.querySelector('tr[data-symbol="RELAT"] [data-field="latency"]').textContent));
        drop();
        // The new connection's resubscribe brings RELAT's value in a snapshot and nothing after it (no tick is
        // sent meanwhile): the latency measured on the old connection is not this one's.
        const deadline = Date.now() + 20000;
        while (binaryAfterReconnect === 0) {
          assert.ok(Date.now() < deadline, 'no frame on a new connection');
          await new Promise((r) => setTimeout(r, 20));
        }
        await until(page, 'the latency blank after the snapshot', () =>
          document.querySelector('tr[data-symbol="RELAT"] [data-field="latency"]').textContent === '', null, 5000);
        assert.equal(await page.evaluate(cellText, ['RELAT', 'bid']), '3.10');
        feed.quote(id, 320, 1, 321, 1);
        await feed.flush();
        await until(page, 'a latency again with the next update', () =>
          /^\d+\.\d ms$/.test(document.querySelector('tr[data-symbol="RELAT"] [data-field="latency"]').textContent));
        assert.equal(connections, 2);
        await page.close();
      });

    it('shows no latency from a lost connection while reconnecting, nor once live before the snapshot', async () => {
      const id = await define('LOSTL');
      feed.quote(id, 500, 1, 501, 1);
      await feed.flush();
      const page = await newPage();
      let connections = 0;
      let drop = null;
      let release = null;
      await page.routeWebSocket(/\/ws$/, (ws) => {
        const connection = ++connections;
        const server = ws.connectToServer();
        drop = () => {
          ws.close({ code: 1001, reason: 'going away' });
          server.close();
        };
        // The new connection's frames wait, as they would a round trip away: the page is live, the snapshot not in.
        let holding = connection > 1;
        const held = [];
        if (holding) {
          release = () => {
            holding = false;
            held.splice(0).forEach((message) => ws.send(message));
          };
        }
        server.onMessage((message) => (holding ? held.push(message) : ws.send(message)));
      });
      await page.goto(`${gateway.url}?symbols=LOSTL`);
      await until(page, 'LOSTL bid', () =>
        document.querySelector('tr[data-symbol="LOSTL"] [data-field="bid"]')?.textContent === '5.00');
      feed.quote(id, 510, 1, 511, 1);
      await feed.flush();
      await until(page, 'latency of the update', () =>
        /^\d+\.\d ms$/.test(document.querySelector('tr[data-symbol="LOSTL"] [data-field="latency"]').textContent));
      drop();
      await until(page, 'status reconnecting', () =>
        document.querySelector('#status').dataset.state === 'reconnecting');
      assert.equal(await page.evaluate(cellText, ['LOSTL', 'latency']), '', 'while reconnecting');
      await until(page, 'status live again', () => document.querySelector('#status').dataset.state === 'live', null,
        20000);
      assert.equal(await page.evaluate(cellText, ['LOSTL', 'latency']), '', 'live, the snapshot not yet in');
      assert.equal(await page.evaluate(cellText, ['LOSTL', 'bid']), '5.10', 'the held value stays, dimmed no more');
      release();
      feed.quote(id, 520, 1, 521, 1);
      await feed.flush();
      await until(page, 'a latency again with the next update', () =>
        /^\d+\.\d ms$/.test(document.querySelector('tr[data-symbol="LOSTL"] [data-field="latency"]').textContent));
      assert.equal(connections, 2);
      await page.close();
    });

    it('fits 390, 1024 and 1280 px: sticky symbol column and header, no page-wide overflow', async () => {
      const many = Array.from({ length: 150 }, (_, i) => `ROW${i}`);
      for (const s of many) feed.quote(await define(s), 12345, 100, 12350, 200);
      await feed.flush();
      for (const width of [390, 1024, 1280]) {
        const page = await openPage(`?symbols=${many.join(',')}`, { width, height: 700 });
        await until(page, '150 rows with values', () => ({
          ok: document.querySelectorAll('#rows tr').length === 150 &&
            document.querySelector('tr[data-symbol="ROW0"] [data-field="bid"]').textContent === '123.45',
        }));
        await add(page, Array.from({ length: 30 }, (_, i) => `UNKNOWN_NAME_${i}`).join(' ')); // a long message
        await until(page, 'the long message', hasMessage, '30 names: no such symbol');
        const layout = await page.evaluate(() => {
          const main = document.querySelector('main');
          main.scrollTop = main.scrollHeight;
          main.scrollLeft = main.scrollWidth;
          const mainBox = main.getBoundingClientRect();
          const last = document.querySelector('#rows tr:last-child');
          const symbolBox = last.querySelector('td.symbol').getBoundingClientRect();
          const button = document.querySelector('tr[data-symbol="ROW0"] [data-action="remove"]');
          main.scrollLeft = 0;
          const buttonBox = button.getBoundingClientRect();
          return {
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            pageScrollY: document.documentElement.scrollHeight - window.innerHeight,
            statusTop: document.querySelector('#status').getBoundingClientRect().top,
            headerOffset: document.querySelector('thead').getBoundingClientRect().top - mainBox.top,
            symbolOffset: symbolBox.left - mainBox.left,
            symbolInView: symbolBox.bottom <= mainBox.bottom + 1 && symbolBox.top >= mainBox.top,
            buttonRight: buttonBox.right,
            mainRight: mainBox.left + main.clientWidth,
          };
        });
        assert.ok(layout.pageOverflow <= 0, `${width}: page overflows sideways by ${layout.pageOverflow} px`);
        assert.ok(layout.pageScrollY <= 0, `${width}: the page scrolls, not the table: ${JSON.stringify(layout)}`);
        assert.ok(layout.statusTop >= 0, `${width}: status visible: ${JSON.stringify(layout)}`);
        assert.ok(Math.abs(layout.headerOffset) <= 1, `${width}: header row sticks: ${JSON.stringify(layout)}`);
        assert.ok(Math.abs(layout.symbolOffset) <= 1 && layout.symbolInView,
          `${width}: symbol column sticks: ${JSON.stringify(layout)}`);
        if (width >= 1024) {
          assert.ok(layout.buttonRight <= layout.mainRight,
            `${width}: remove button in view: ${JSON.stringify(layout)}`);
        }
        await page.close();
      }
    });

    it('keeps more than four messages, shrinks a rejection when its symbol is accepted, wraps long text', async () => {
      const page = await openPage();
      for (let i = 0; i < 6; i++) await page.selectOption('#throttle', String([10, 4, 1][i % 3]));
      await add(page, 'LATER1 LATER2 LATER3');
      await until(page, 'one line for the three rejections', hasMessage,
        '3 names: no such symbol (removed): LATER1, LATER2, LATER3');
      const messages = await page.evaluate(() => window.messageTexts());
      assert.ok(messages.length >= 7, `kept ${messages.length} messages: ${messages}`);
      await define('LATER2');
      await add(page, 'LATER2');
      await until(page, 'LATER2 left out of the message', () => {
        const got = window.messageTexts();
        return { ok: got.some((m) => m.includes('2 names: no such symbol (removed): LATER1, LATER3')) &&
          !got.some((m) => m.includes('LATER2')), got };
      });
      const overflow = await page.evaluate(() => {
        const el = document.querySelector('#messages');
        return el.scrollWidth - el.clientWidth;
      });
      assert.ok(overflow <= 0, `messages overflow sideways by ${overflow} px`);
      await page.close();
    });

    it('dims values while connecting and gives up a handshake that never comes as "gateway unreachable"',
      async () => {
        const proxy = await startHangingProxy(gateway.httpPort);
        try {
          const page = await openPage('?symbols=GOOD1', undefined, proxy.url);
          await until(page, 'GOOD1 bid', () =>
            document.querySelector('tr[data-symbol="GOOD1"] [data-field="bid"]')?.textContent === '42.00');
          const opacity = () => Number(getComputedStyle(
            document.querySelector('tr[data-symbol="GOOD1"] [data-field="bid"]')).opacity);
          assert.equal(await page.evaluate(opacity), 1);
          proxy.hang();
          await until(page, 'connecting, dimmed', () => ({
            ok: document.querySelector('#status').dataset.state === 'connecting' && Number(getComputedStyle(
              document.querySelector('tr[data-symbol="GOOD1"] [data-field="bid"]')).opacity) < 1,
          }));
          await until(page, 'the hung handshake given up', hasMessage, 'gateway unreachable', 15000);
          await add(page, 'a\u00e9b'); // another line between two reports of the same trouble
          await until(page, 'the repeat merged into the one line', () => {
            const lines = window.messageTexts().filter((m) => m.includes('gateway unreachable'));
            return { ok: lines.length === 1 && lines[0].includes('(×2)'), lines };
          }, null, 20000);
          proxy.resume();
          await until(page, 'live again', () => document.querySelector('#status').dataset.state === 'live', null,
            20000);
          // Dimmed once the connection has lasted a second (one that closes at once, as a full gateway's, is not).
          await until(page, 'the connection line no longer warns once live', () => {
            const line = [...document.querySelectorAll('#messages div')].find((d) =>
              d.textContent.includes('gateway unreachable'));
            const other = [...document.querySelectorAll('#messages div')].find((d) => d.textContent.includes('refused'));
            const colours = { line: getComputedStyle(line).color, warn: getComputedStyle(other).color };
            return { ok: colours.line !== colours.warn, colours };
          });
          await page.close();
        } finally {
          await proxy.close();
        }
      });

    it('starts a first visit with the first 12 symbols in the gateway\'s order, suggesting them sorted', async () => {
      const listed = (await (await fetch(`${gateway.url}api/symbols`)).json()).map((s) => s.symbol);
      const first = listed.slice(0, 12);
      assert.notDeepEqual(first, [...listed].sort().slice(0, 12), 'the test needs a listing that is not sorted');
      const page = await newPage();
      await page.goto(`${gateway.url}?symbols=`);
      await page.evaluate(() => localStorage.removeItem('tickgate.watchlist'));
      await page.goto(gateway.url);
      await until(page, 'the first visit\'s rows', rowsAre, first.join());
      const options = await page.evaluate(() => [...document.querySelectorAll('#symbol-list option')].map((o) => o.value));
      assert.deepEqual(options, [...options].sort());
      await page.evaluate(() => localStorage.removeItem('tickgate.watchlist'));
      await page.close();
    });

    it('threw no uncaught errors', () => {
      assert.deepEqual(pageErrors, []);
    });
  });

describe('trading UI against a gateway that takes one session', { timeout: 60000 }, () => {
  let gateway, browser, config;

  before(async () => {
    browser = await launchBrowser();
    config = path.join(fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'tickgate-ui-')), 'one.properties');
    fs.writeFileSync(config, 'tickgate.session.max.sessions=1\n');
    gateway = await startGateway({ args: ['--config', config] });
  });

  after(async () => {
    await browser?.close();
    await gateway?.stop();
    if (config) fs.rmSync(path.dirname(config), { recursive: true, force: true });
  });

  it('keeps the 1013 line undimmed while every attempt is refused, and dims it once a session lasts', async () => {
    const first = await browser.context.newPage();
    await first.goto(`${gateway.url}?symbols=`);
    await until(first, 'the first page live', () => document.querySelector('#status').dataset.state === 'live');
    const second = await browser.context.newPage();
    await second.addInitScript(pageHelpers);
    await second.goto(`${gateway.url}?symbols=`);
    // Refused again and again: each attempt opens, then closes with 1013 at once. The repeats are counted on one line
    // only while it is not dimmed as resolved.
    const refused = await until(second, 'the 1013 line counted', () => {
      const l = [...document.querySelectorAll('#messages div.connection')].find((d) => d.textContent.includes('1013'));
      return l && /×[2-9]/.test(l.textContent) ? { ok: true, resolved: l.classList.contains('resolved') } : null;
    }, null, 20000);
    assert.equal(refused.resolved, false, 'still refused: the line is not dimmed as resolved');
    await first.close(); // the session is free: the next attempt gets it and keeps it
    await until(second, 'the second page live', () => document.querySelector('#status').dataset.state === 'live',
      null, 20000);
    await until(second, 'the 1013 line dimmed once the session lasted', () => [...document.querySelectorAll(
      '#messages div.connection')].find((d) => d.textContent.includes('1013'))?.classList.contains('resolved'));
    await second.close();
  });
});
