// Browser tests in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the
// demo page and a small local endpoint that records what it receives. Run by `npm run test:browser`, and by the
// Maven build (./mvnw verify) through the tracker-sdk-js module.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install Debian's chromium (.ci/run does) or set CHROMIUM.`);
  process.exit(1);
}

// The endpoint: records batches; answers from a script of statuses (then 200).
const received = [];
let script = [];
const server = createServer((req, res) => {
  const cors = { 'Access-Control-Allow-Origin': '*' };
  if (req.method === 'GET') {
    const file =
      req.url.split('?')[0] === '/tracker.iife.js'
        ? join(root, 'dist', 'tracker.iife.js')
        : join(root, 'demo', 'index.html');
    res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    return res.end(readFileSync(file));
  }
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const status = script.shift() ?? 200;
    const events = JSON.parse(body);
    received.push({ status, contentType: req.headers['content-type'], events });
    const headers = { ...cors, 'Content-Type': 'application/json', ...(status === 503 ? { 'Retry-After': '1' } : {}) };
    res.writeHead(status, headers);
    res.end(
      status === 200
        ? JSON.stringify({ accepted: events.length, rejected: [] })
        : '{"error":{"code":"x","message":"x"}}',
    );
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const page = (extra = '') => `${base}/demo?endpoint=${encodeURIComponent(base + '/v1/events')}${extra}`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const results = [];
async function test(name, fn) {
  received.length = 0;
  script = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    await fn(await context.newPage());
    results.push(['ok', name]);
  } catch (e) {
    results.push(['FAIL', name, e]);
  } finally {
    await context.close();
  }
}
const accepted = () => received.filter((r) => r.status === 200).flatMap((r) => r.events);
const until = async (check, ms = 10000) => {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

await test('scrolling the chart into view produces product impressions with ranks', async (p) => {
  await p.goto(page());
  await p.locator('[data-cp-product="p-01"]').scrollIntoViewIfNeeded();
  await p.waitForTimeout(1500);
  await until(() => {
    const impressions = accepted().filter((e) => e.event_type === 'PRODUCT_IMPRESSION');
    assert.ok(impressions.length >= 3, `impressions: ${impressions.length}`);
    assert.deepEqual(impressions.find((e) => e.product.product_id === 'p-01').product.rank, 1);
    assert.ok(impressions.every((e) => e.chart.chart_id === 'laptops-2026' && e.product.impression_id));
  });
  assert.ok(accepted().some((e) => e.event_type === 'PAGE_VIEW'));
  assert.ok(received.every((r) => r.contentType === 'text/plain;charset=UTF-8'));
  assert.ok(!accepted().some((e) => e.page.url.includes('endpoint=')), 'stripParams removes the endpoint parameter');
});

await test('clicking a deal carries the impression id and a click id in the outbound URL', async (p) => {
  await p.goto(page());
  const row = p.locator('[data-cp-product="p-02"]');
  await row.scrollIntoViewIfNeeded();
  await p.waitForTimeout(1500);
  await row.locator('a.deal').click();
  await until(() => {
    const click = accepted().find((e) => e.event_type === 'OUTBOUND_CLICK');
    assert.ok(click, 'outbound click received');
    const impression = accepted().find((e) => e.event_type === 'PRODUCT_IMPRESSION' && e.product.product_id === 'p-02');
    assert.equal(click.product.impression_id, impression.product.impression_id);
    assert.equal(click.product.rank, 2);
    assert.ok(click.interaction.target_url.includes('cp_click=' + click.interaction.click_id));
  });
  // The link the browser followed is the one with the click id (the tracker rewrote it before navigation).
  assert.ok((await row.locator('a.deal').getAttribute('href')).includes('cp_click='));
});

await test('re-sorting counts impressions again under the new chart state', async (p) => {
  await p.goto(page());
  await p.locator('[data-cp-chart]').scrollIntoViewIfNeeded();
  await p.waitForTimeout(1500);
  await p.selectOption('#sort', 'price_asc');
  await p.waitForTimeout(1500);
  await until(() => {
    const sort = accepted().find((e) => e.event_type === 'SORT_CHANGE');
    assert.equal(sort?.interaction.filter_value, 'price_asc');
    const hashes = new Set(
      accepted()
        .filter((e) => e.event_type === 'PRODUCT_IMPRESSION')
        .map((e) => e.chart.state_hash),
    );
    assert.ok(hashes.size >= 2, 'impressions under two states');
  });
});

await test('hiding the page flushes the queue', async (p) => {
  await p.goto(page());
  await p.waitForTimeout(300);
  await p.evaluate(() => window.ChartPulse.tracker.track('CUSTOM', { event_name: 'before_hide' }));
  await p.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await until(() => assert.ok(accepted().some((e) => e.event_name === 'before_hide')), 900);
});

await test('an endpoint failing with 503 then recovering still receives every event exactly once by event_id', async (p) => {
  script = [503, 503];
  await p.goto(page());
  await p.evaluate(() => {
    for (let i = 0; i < 5; i++) window.ChartPulse.tracker.track('CUSTOM', { event_name: 'retry-' + i });
  });
  await until(() => {
    const names = accepted()
      .filter((e) => e.event_name?.startsWith('retry-'))
      .map((e) => e.event_id);
    assert.equal(names.length, 5, 'all five accepted');
    assert.equal(new Set(names).size, 5, 'each once');
  }, 15000);
  assert.ok(received.filter((r) => r.status === 503).length >= 1);
  const failedIds = received.filter((r) => r.status === 503).flatMap((r) => r.events.map((e) => e.event_id));
  const acceptedIds = new Set(accepted().map((e) => e.event_id));
  assert.ok(
    failedIds.every((id) => acceptedIds.has(id)),
    'every event of a failed batch arrived later',
  );
});

await test('a 400 is not retried', async (p) => {
  script = [400];
  await p.goto(page());
  await p.evaluate(() => window.ChartPulse.tracker.track('CUSTOM', { event_name: 'bad' }));
  await p.waitForTimeout(3500);
  const tries = received.filter((r) => r.events.some((e) => e.event_name === 'bad'));
  assert.equal(tries.length, 1);
  assert.equal(tries[0].status, 400);
});

await browser.close();
server.close();
for (const [status, name, error] of results) console.log(`${status} ${name}${error ? '\n     ' + error.message : ''}`);
const failed = results.filter((r) => r[0] === 'FAIL').length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
