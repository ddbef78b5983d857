// Real headless Chromium (Debian's package) driven by playwright-core; no browser download.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.TICKGATE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    // The browser tests are part of the suite: a machine without the browser fails them, it does not skip them.
    throw new Error(`no Chromium at ${CHROMIUM}: install it with apt-get install chromium`);
  }
  // A fresh profile per run: no saved watchlist, no cache from an earlier run.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tickgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true,
    args: ARGS, viewport: { width: 1180, height: 640 } });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
