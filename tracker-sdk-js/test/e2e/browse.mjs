// A visitor in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on the demo page of
// a running ChartPulse stack: scrolls the chart into view, sorts, and clicks two deals. Used by the end-to-end test
// (cli/…/DevStackE2EIT) and handy by hand:  node tracker-sdk-js/test/e2e/browse.mjs '<demo url from chartpulse dev>'
// Prints one JSON line: the products whose deals were clicked.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) {
  console.error('usage: node browse.mjs <demo page url>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install Debian's chromium (.ci/run does) or set CHROMIUM.`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // The pipeline flags automation as bots (HeadlessChrome in the agent, navigator.webdriver) and keeps bots out of
  // the chart metrics, by design; this visitor stands in for a person, so it hides both.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-blink-features=AutomationControlled',
  ],
});
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  });
  // Deal links open the merchant in a new tab; there is no network to reach it, so the tab is closed at once.
  const page = await context.newPage();
  context.on('page', (tab) => tab !== page && tab.close().catch(() => {}));
  await page.goto(url);
  await page.locator('[data-cp-product="p-01"]').scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  const clicked = [];
  for (const product of ['p-02', 'p-05']) {
    await page.locator(`[data-cp-product="${product}"] a.deal`).click({ modifiers: [] });
    clicked.push(product);
    await page.waitForTimeout(300);
  }
  // Leaving the page flushes the tracker's queue (pagehide → sendBeacon/keepalive fetch).
  await page.goto('about:blank');
  await page.waitForTimeout(500);
  console.log(JSON.stringify({ clicked }));
} finally {
  await browser.close();
}
