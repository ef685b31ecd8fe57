import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/tracker';
import { Queue } from '../../src/queue';
import { FIELDS } from '../../src/generated/schema';
import { strip } from '../../src/util';
import type { IgnoreReason, Tracker, TrackerEvent } from '../../src/types';
import { mockFetch, settle } from './helpers';

let tracker: Tracker | undefined;
const ignored: IgnoreReason[] = [];
const start = (extra: object = {}) =>
  (tracker = createTracker({
    endpoint: 'https://collect.example/v1/events',
    auto: false,
    onIgnore: (r) => ignored.push(r),
    ...extra,
  }));

beforeEach(() => {
  localStorage.clear();
  document.cookie = 'cp_id=;max-age=0';
  ignored.length = 0;
});
afterEach(() => {
  tracker?.stop();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('events', () => {
  it('carry the ChartEvent fields, and only those', async () => {
    const sent = mockFetch();
    start({ consent: 'granted' }).track('PRODUCT_CLICK', { product: { product_id: 'p1', rank: 2 } });
    await tracker!.flush();
    const event = sent[0].body[0];
    expect(Object.keys(event).every((k) => FIELDS.ChartEvent.includes(k))).toBe(true);
    expect(Object.keys(event.page).every((k) => FIELDS.Page.includes(k))).toBe(true);
    expect(Object.keys(event.context!).every((k) => FIELDS.Context.includes(k))).toBe(true);
    expect(Object.keys(event.product!).every((k) => FIELDS.Product.includes(k))).toBe(true);
    expect(event.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event).toMatchObject({ event_type: 'PRODUCT_CLICK', session_index: 1, sdk: { name: 'chartpulse-js' } });
    expect(event.sent_at).toBeGreaterThanOrEqual(event.created_at);
    expect(FIELDS.ChartEvent).not.toContain('ip');
  });

  it('strips configured query parameters from URLs', () => {
    expect(strip('https://x.example/a?utm_source=n&token=secret&q=1', ['token'])).toBe(
      'https://x.example/a?utm_source=n&q=1',
    );
    expect(strip(null, ['x'])).toBeNull();
  });

  it('samples per type and records the rate', async () => {
    const sent = mockFetch();
    start({ sampleRates: { PRODUCT_IMPRESSION: 0.5 } });
    vi.spyOn(Math, 'random').mockReturnValueOnce(0.9).mockReturnValueOnce(0.1);
    tracker!.track('PRODUCT_IMPRESSION');
    tracker!.track('PRODUCT_IMPRESSION');
    vi.restoreAllMocks();
    await tracker!.flush();
    expect(ignored).toEqual(['sampled']);
    expect(sent[0].body).toHaveLength(1);
    expect(sent[0].body[0].sample_rate).toBe(0.5);
  });

  it('sends the configured A/B variant with every event, and none when unset', async () => {
    const sent = mockFetch();
    start({ variant: 'compact-table' });
    tracker!.track('PAGE_VIEW');
    tracker!.track('CHART_IMPRESSION');
    await tracker!.flush();
    expect(sent[0].body.map((e: TrackerEvent) => e.variant)).toEqual(['compact-table', 'compact-table']);
    expect(FIELDS.ChartEvent).toContain('variant');
    tracker!.stop();
    const plain = mockFetch();
    start({});
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    expect(plain[0].body[0]).not.toHaveProperty('variant');
  });

  it('lets beforeSend edit or drop events', async () => {
    const sent = mockFetch();
    start({ beforeSend: (e: TrackerEvent) => (e.event_type === 'CUSTOM' ? null : { ...e, event_name: 'edited' }) });
    tracker!.track('CUSTOM');
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    expect(ignored).toEqual(['before_send']);
    expect(sent[0].body.map((e) => e.event_name)).toEqual(['edited']);
  });
});

describe('batching and retries', () => {
  it('sends a batch when it is full, as text/plain', async () => {
    const sent = mockFetch();
    start({ batchSize: 3 });
    for (let i = 0; i < 3; i++) tracker!.track('PAGE_VIEW');
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toHaveLength(3);
    expect((sent[0].init.headers as Record<string, string>)['Content-Type']).toBe('text/plain;charset=UTF-8');
    expect(sent[0].init.keepalive).toBe(true);
  });

  it('splits batches by bytes', async () => {
    const sent = mockFetch();
    start({ batchBytes: 2500 });
    for (let i = 0; i < 6; i++) tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    expect(sent[0].body.length).toBeLessThan(6);
    expect(JSON.stringify(sent[0].body).length).toBeLessThanOrEqual(2500);
  });

  it('retries 503 after Retry-After, keeping every event, and sends each once it is accepted', async () => {
    const sent = mockFetch({ status: 503, retryAfter: '2' });
    start();
    tracker!.track('PAGE_VIEW');
    const before = Date.now();
    await tracker!.flush();
    await tracker!.flush(); // still backing off: nothing sent
    expect(sent).toHaveLength(1);
    vi.useFakeTimers({ now: before + 2600, toFake: ['Date'] });
    await tracker!.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1].body[0].event_id).toBe(sent[0].body[0].event_id);
    expect(sent[1].body[0].sent_at).toBeGreaterThan(sent[0].body[0].sent_at);
    await tracker!.flush();
    expect(sent).toHaveLength(2);
  });

  it('backs off exponentially with jitter on network errors and 429', async () => {
    const sent = mockFetch(new TypeError('offline'), 429);
    start();
    tracker!.track('PAGE_VIEW');
    const t0 = Date.now();
    await tracker!.flush();
    vi.useFakeTimers({ now: t0 + 1600, toFake: ['Date'] });
    await tracker!.flush();
    expect(sent).toHaveLength(2);
    await tracker!.flush();
    expect(sent).toHaveLength(2); // second failure: 2 s +/- 50 % not yet over
    vi.setSystemTime(t0 + 1600 + 3100);
    await tracker!.flush();
    expect(sent).toHaveLength(3);
  });

  it('does not retry 400 or 413', async () => {
    const sent = mockFetch(400);
    start();
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    await tracker!.flush();
    expect(sent).toHaveLength(1);
    expect(ignored).toEqual(['rejected_400']);
  });
});

describe('queue', () => {
  const limits = { maxQueue: 3, maxQueueBytes: 100000, maxAge: 1000 };
  const event = (id: string, created = Date.now()) => ({ event_id: id, created_at: created }) as TrackerEvent;

  it('is capped by count, oldest first, and says what it drops', () => {
    const dropped: string[] = [];
    const q = new Queue(limits, (r, e) => dropped.push(r + ':' + e.event_id));
    ['a', 'b', 'c', 'd'].forEach((id) => q.push(event(id)));
    expect(q.items.map((e) => e.event_id)).toEqual(['b', 'c', 'd']);
    expect(dropped).toEqual(['queue_full:a']);
  });

  it('is capped by age and by bytes', () => {
    const dropped: string[] = [];
    const q = new Queue({ ...limits, maxQueue: 100, maxQueueBytes: 120 }, (r) => dropped.push(r));
    q.push(event('old', Date.now() - 5000));
    q.push(event('x1'));
    q.push(event('x2'));
    q.push(event('x3'));
    expect(dropped).toContain('expired');
    expect(dropped).toContain('queue_full');
    expect(JSON.stringify(q.items).length).toBeLessThanOrEqual(120);
  });

  it('is safe across tabs: each tab sends its own, and a dead tab is adopted by one tab only', () => {
    const a = new Queue(limits, () => {});
    const b = new Queue(limits, () => {});
    a.push(event('from-a'));
    b.push(event('from-b'));
    b.adopt(60000);
    expect(b.items.map((e) => e.event_id)).toEqual(['from-b']); // a is alive
    localStorage.setItem('cp_b_' + a.id, String(Date.now() - 120000)); // a stopped beating
    const c = new Queue(limits, () => {});
    b.adopt(60000);
    c.adopt(60000);
    expect(b.items.map((e) => e.event_id)).toEqual(['from-b', 'from-a']);
    expect(c.items).toEqual([]);
  });
});

describe('identity, session and consent', () => {
  it('persists the anonymous id and renews the session after 30 idle minutes', async () => {
    const sent = mockFetch();
    start({ consent: 'granted' });
    tracker!.track('PAGE_VIEW');
    const t0 = Date.now();
    vi.useFakeTimers({ now: t0 + 29 * 60000, toFake: ['Date'] });
    tracker!.track('PAGE_VIEW');
    vi.setSystemTime(t0 + 29 * 60000 + 31 * 60000);
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    const [e1, e2, e3] = sent[0].body;
    expect(localStorage.getItem('cp_id')).toBe(e1.anonymous_id);
    expect(e2.session_id).toBe(e1.session_id);
    expect(e3.session_id).not.toBe(e1.session_id);
    expect([e1.session_index, e3.session_index]).toEqual([1, 2]);
  });

  it('uses a first-party cookie when asked', () => {
    mockFetch();
    start({ consent: 'granted', storage: 'cookie' });
    tracker!.track('PAGE_VIEW');
    expect(document.cookie).toMatch(/cp_id=[0-9a-f-]{36}/);
  });

  it('runs cookieless before consent and persists ids only once granted', async () => {
    const sent = mockFetch();
    start();
    tracker!.track('PAGE_VIEW');
    expect(localStorage.getItem('cp_id')).toBeNull();
    tracker!.consent('granted');
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    expect(sent[0].body[0].consent).toMatchObject({ state: 'PENDING', cookieless: true });
    expect(sent[0].body[1].consent).toMatchObject({ state: 'GRANTED', cookieless: false });
    expect(localStorage.getItem('cp_id')).toBe(sent[0].body[1].anonymous_id);
  });

  it('buffers before consent in buffer mode, sends on grant and drops on denial', async () => {
    const sent = mockFetch();
    start({ consentMode: 'buffer' });
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    expect(sent).toHaveLength(0);
    tracker!.consent('granted');
    await tracker!.flush();
    expect(sent[0].body[0].consent?.state).toBe('GRANTED');
    tracker!.stop();
    start({ consentMode: 'buffer' });
    tracker!.track('PAGE_VIEW');
    tracker!.consent('denied');
    tracker!.track('PAGE_VIEW');
    expect(ignored).toEqual(['consent', 'consent']);
  });

  it('honours Global Privacy Control', async () => {
    const sent = mockFetch();
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    start({ consent: 'granted' });
    tracker!.track('PAGE_VIEW');
    await tracker!.flush();
    delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    expect(sent[0].body[0].consent).toMatchObject({ state: 'DENIED', cookieless: true, gpc: true });
    expect(localStorage.getItem('cp_id')).toBeNull();
  });
});
