import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/tracker';
import type { Tracker, TrackerEvent } from '../../src/types';
import { FakeIO, mockFetch } from './helpers';

let tracker: Tracker;
let sent: ReturnType<typeof mockFetch>;
const events = async (): Promise<TrackerEvent[]> => {
  await tracker.flush();
  return sent.flatMap((s) => s.body);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  FakeIO.all = [];
  vi.stubGlobal('IntersectionObserver', FakeIO);
  localStorage.clear();
  sent = mockFetch();
  document.body.innerHTML = `
    <table data-cp-chart="laptops" data-cp-sort="rating" data-cp-filters="">
      <tr data-cp-product="p1" data-cp-price="999" data-cp-currency="EUR" data-cp-merchant="shop-a">
        <td>Acme</td><td><a href="https://shop-a.example/p1" data-cp-cta="view_deal">Deal</a></td></tr>
      <tr data-cp-product="p2"><td>Zeta</td><td><button>Details</button></td></tr>
    </table>`;
  document.querySelectorAll('tr').forEach((r) => (r.getClientRects = () => [{}] as unknown as DOMRectList));
  tracker = createTracker({ endpoint: 'https://collect.example/v1/events', consent: 'granted' });
});
afterEach(() => {
  tracker.stop();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const row = (id: string) => document.querySelector(`[data-cp-product="${id}"]`)!;
const chart = () => document.querySelector('[data-cp-chart]') as HTMLElement;

describe('impressions', () => {
  it('count only after half the row was visible for a second, once per page view and state', async () => {
    FakeIO.show(row('p1'), 0.6);
    vi.advanceTimersByTime(900);
    FakeIO.show(row('p1'), 0.3);
    vi.advanceTimersByTime(500);
    FakeIO.show(row('p1'), 0.6);
    vi.advanceTimersByTime(1000);
    FakeIO.show(row('p1'), 0.0);
    FakeIO.show(row('p1'), 0.8);
    vi.advanceTimersByTime(1000);
    const impressions = (await events()).filter((e) => e.event_type === 'PRODUCT_IMPRESSION');
    expect(impressions).toHaveLength(1);
    expect(impressions[0].product).toMatchObject({
      product_id: 'p1',
      rank: 1,
      price: 999,
      currency: 'EUR',
      merchant: 'shop-a',
    });
    expect(impressions[0].product!.impression_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(impressions[0].chart).toMatchObject({ chart_id: 'laptops', sort_key: 'rating', product_count: 2 });
  });

  it('count again after a re-sort, with a new state hash', async () => {
    FakeIO.show(row('p1'), 1);
    vi.advanceTimersByTime(1000);
    chart().setAttribute('data-cp-sort', 'price_asc');
    await Promise.resolve();
    await vi.waitFor(async () => {
      FakeIO.show(row('p1'), 1);
      vi.advanceTimersByTime(1000);
      const all = await events();
      expect(all.filter((e) => e.event_type === 'PRODUCT_IMPRESSION')).toHaveLength(2);
    });
    const all = await events();
    const [first, second] = all.filter((e) => e.event_type === 'PRODUCT_IMPRESSION');
    expect(second.chart!.state_hash).not.toBe(first.chart!.state_hash);
    expect(all.find((e) => e.event_type === 'SORT_CHANGE')!.interaction).toMatchObject({
      filter_key: 'sort',
      filter_value: 'price_asc',
    });
  });
});

describe('clicks', () => {
  it('a deal click carries the impression id and appends a click id to the outbound URL', async () => {
    FakeIO.show(row('p1'), 1);
    vi.advanceTimersByTime(1000);
    const link = row('p1').querySelector('a')!;
    link.addEventListener('click', (e) => e.preventDefault());
    link.click();
    const all = await events();
    const impression = all.find((e) => e.event_type === 'PRODUCT_IMPRESSION')!;
    const click = all.find((e) => e.event_type === 'OUTBOUND_CLICK')!;
    expect(click.product!.impression_id).toBe(impression.product!.impression_id);
    expect(click.interaction!.cta).toBe('view_deal');
    expect(click.interaction!.target_url).toBe(`https://shop-a.example/p1?cp_click=${click.interaction!.click_id}`);
    expect(link.href).toBe(click.interaction!.target_url);
  });

  it('a click elsewhere in a row is a product click with its rank', async () => {
    (row('p2').querySelector('button') as HTMLElement).click();
    const click = (await events()).find((e) => e.event_type === 'PRODUCT_CLICK')!;
    expect(click.product).toMatchObject({ product_id: 'p2', rank: 2, impression_id: null });
  });
});

describe('pages', () => {
  it('single-page navigation starts a new page view', async () => {
    history.pushState({}, '', '/best-phones');
    const views = (await events()).filter((e) => e.event_type === 'PAGE_VIEW');
    expect(views).toHaveLength(2);
    expect(views[1].page.path).toBe('/best-phones');
    expect(views[1].page_view_id).not.toBe(views[0].page_view_id);
  });

  it('filter changes are reported with the changed key', async () => {
    chart().setAttribute('data-cp-filters', 'brand=acme');
    await vi.waitFor(async () =>
      expect((await events()).find((e) => e.event_type === 'FILTER_CHANGE')?.interaction).toMatchObject({
        filter_key: 'brand',
        filter_value: 'acme',
      }),
    );
  });
});
