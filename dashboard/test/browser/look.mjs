// The dashboard in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), against a
// running ChartPulse stack. Used by cli/…/DevStackE2EIT, and by hand:
//   node dashboard/test/browser/look.mjs empty <dashboard url> <screenshot dir>
//   node dashboard/test/browser/look.mjs live  <dashboard url> <screenshot dir> <chart id>
// empty: a fresh stack shows the empty state with what to do. live: every panel renders, each headline card's
// data-value equals the query API's number for the same period, the page keyboard-reachable and without
// horizontal scrolling at phone width; then the script prints "ready", waits until the deal-clicks card rises
// without a reload (the caller sends more traffic) and prints one JSON line. No console error on the way.
// Screenshots at 1280 and 390 px go to the screenshot dir. Exit status 0 when every check held, 1 otherwise.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mode, url, shots, chart] = process.argv.slice(2);
if (!['empty', 'live'].includes(mode) || !url || !shots || (mode === 'live' && !chart)) {
  console.error('usage: node look.mjs empty <dashboard url> <screenshot dir> | live <dashboard url> <dir> <chart id>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install Debian's chromium (.ci/run does) or set CHROMIUM.`);
  process.exit(1);
}
mkdirSync(shots, { recursive: true });

function check(ok, message) {
  if (!ok) throw new Error(message);
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const consoleErrors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} from ${r.url()}`));
  const updates = () => page.evaluate(() => Number(document.body.dataset.updates ?? '0'));

  if (mode === 'empty') {
    await page.goto(url);
    await page.locator('#empty').waitFor({ state: 'visible', timeout: 15000 });
    check(await page.locator('#board').isHidden(), 'the board shows on an empty stack');
    const text = await page.locator('#empty').innerText();
    check(text.includes('chartpulse loadgen') && text.includes('demo page'), `the empty state says: ${text}`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Waiting'));
    await page.screenshot({ path: join(shots, 'dashboard-empty-1280.png'), fullPage: true });
  } else {
    await page.goto(`${url}?chart=${encodeURIComponent(chart)}&minutes=30`);
    await page.waitForFunction(() => Number(document.body.dataset.updates ?? '0') > 0, null, { timeout: 20000 });
    check(await page.locator('#empty').isHidden(), 'the empty state shows although the chart has events');
    check((await page.locator('#chart').inputValue()) === chart, 'the picker shows the chart asked for');

    // Every panel drawn: eight cards, the two plots, and each list (a table, or its line saying why not).
    check((await page.locator('#headline li.card').count()) === 8, 'eight headline cards');
    for (const id of ['panel-series', 'panel-ranks']) {
      check((await page.locator(`#${id} svg[role="img"]`).count()) === 1, `#${id} has its chart`);
    }
    for (const id of ['panel-top-ctr', 'panel-top-deals', 'panel-unclicked', 'panel-merchants']) {
      check((await page.locator(`#${id} table, #${id} p.nothing`).count()) === 1, `#${id} has a table or a line`);
    }
    for (const id of ['panel-top-deals', 'panel-merchants']) {
      check((await page.locator(`#${id} tbody tr`).count()) > 0, `#${id} lists the deal clicks`);
    }

    // The headline numbers are the API's, for the same chart and period (read between two refreshes, so both
    // describe the same moment; retried when a refresh lands in between).
    const api = async (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
    let compared = false;
    for (let attempt = 0; attempt < 5 && !compared; attempt++) {
      const before = await updates();
      const shown = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('#headline li.card')].map((li) => [li.dataset.metric, li.dataset.value]),
        ),
      );
      const c = `/api/charts/${encodeURIComponent(chart)}`;
      const summary = await api(`${c}/summary?minutes=30`);
      const pipeline = await api('/api/pipeline?minutes=30');
      if ((await updates()) !== before) continue;
      const s = summary.current;
      const expected = {
        visitors_5m: summary.visitors_5m,
        events_per_minute: s.events_per_minute,
        impressions: s.impressions,
        product_clicks: s.clicks - s.outbound_clicks,
        outbound_clicks: s.outbound_clicks,
        ctr: s.ctr,
        bot_share: pipeline.current.bot_share,
        invalid_share: pipeline.current.invalid_share,
      };
      const differing = Object.keys(expected).filter((k) => Number(shown[k]) !== expected[k]);
      if (differing.length > 0 && attempt === 4) {
        throw new Error(`cards differ from the API: ${JSON.stringify({ shown, expected })}`);
      }
      compared = differing.length === 0;
    }
    check(compared, 'the cards were never read between two refreshes');

    // Keyboard: the first Tab stop is the chart picker, the next the period.
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement?.id)) === 'chart', 'Tab reaches the chart picker');
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement?.id)) === 'range', 'Tab reaches the period');
    await page.screenshot({ path: join(shots, 'dashboard-1280.png'), fullPage: true });

    // Phone width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `the page is ${width} px wide at a 390 px screen`);
    await page.screenshot({ path: join(shots, 'dashboard-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Live: more deal clicks arrive (the caller sends them after "ready") and the card rises in place.
    const deals = () =>
      page.evaluate(() => Number(document.querySelector('[data-metric="outbound_clicks"]')?.dataset.value));
    const first = await deals();
    await page.evaluate(() => {
      window.chartpulseNotReloaded = true;
    });
    console.log('ready');
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-metric="outbound_clicks"]')?.dataset.value) > n,
      first,
      {
        timeout: 60000,
        polling: 500,
      },
    );
    check(await page.evaluate(() => window.chartpulseNotReloaded === true), 'the page was reloaded');
    const after = await deals();
    console.log(JSON.stringify({ dealClicks: first, afterMore: after, updates: await updates() }));
  }
  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
} catch (e) {
  console.error(`dashboard check failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
