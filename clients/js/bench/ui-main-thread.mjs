// Browser main-thread cost of the trading UI with many symbols at full rate: a real gateway with its embedded
// simulator, the page subscribed to every symbol, Chromium's own counters (CDP Performance.getMetrics) read over a
// window. Run after building the gateway jar: node clients/js/bench/ui-main-thread.mjs [symbols] [ticks/s] [seconds]
import { startGateway } from '../test/support/gateway.js';
import { launchBrowser } from '../test/support/browser.js';

const [symbols = 200, rate = 20000, seconds = 10] = process.argv.slice(2).map(Number);
const gateway = await startGateway({ args: ['--simulate', String(symbols), '--simulate-rate', String(rate)] });
const browser = await launchBrowser();
try {
  const names = (await (await fetch(`${gateway.url}api/symbols`)).json()).map((s) => s.symbol);
  const page = await browser.context.newPage();
  // BENCH_HEIGHT=7000 puts all 200 rows on screen; the default window shows about 15 of them.
  if (process.env.BENCH_HEIGHT) await page.setViewportSize({ width: 1180, height: Number(process.env.BENCH_HEIGHT) });
  await page.goto(`${gateway.url}?symbols=${names.join(',')}`);
  await page.waitForFunction((n) => document.querySelectorAll('tr[data-symbol]').length === n, names.length);
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  await page.waitForTimeout(3000); // warm-up: JIT, first layout of every row
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics
    .map((m) => [m.name, m.value]));
  const stats = () => page.evaluate(() => document.querySelector('#rates').textContent);
  // Animation frames the page got and tasks over 50 ms (what a user feels as jank) during the window.
  await page.evaluate(() => {
    window.__bench = { frames: 0, longTasks: 0 };
    const tick = () => { window.__bench.frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => { window.__bench.longTasks += list.getEntries().length; })
      .observe({ type: 'longtask' });
  });
  const before = await read();
  const ratesBefore = await stats();
  await page.waitForTimeout(seconds * 1000);
  const after = await read();
  const per = (k) => ((after[k] - before[k]) / seconds * 1000).toFixed(1);
  console.log(`${names.length} symbols, simulator ${rate} ticks/s, ${seconds} s window; page: ${await stats()} ` +
    `(before: ${ratesBefore})`);
  console.log(`main thread per second: TaskDuration ${per('TaskDuration')} ms, ScriptDuration ${per('ScriptDuration')}` +
    ` ms, LayoutDuration ${per('LayoutDuration')} ms, RecalcStyleDuration ${per('RecalcStyleDuration')} ms`);
  const { frames, longTasks } = await page.evaluate(() => window.__bench);
  console.log(`animation frames: ${(frames / seconds).toFixed(0)}/s, tasks over 50 ms: ${longTasks}`);
} finally {
  await browser.close();
  await gateway.stop();
}
