import { hash, uuid } from './util';
import type { Tracker, TrackerConfig } from './types';
import type { Chart, Product } from './generated/schema';

const CHART = '[data-cp-chart]';
const PRODUCT = '[data-cp-product]';
const DWELL = 1000;

type El = HTMLElement;

/**
 * Tracks comparison charts from their markup, so a publisher writes no code per row:
 * `data-cp-chart` on the chart, `data-cp-product` (+ `-rank`, `-price`, `-currency`,
 * `-merchant`) on each row, `data-cp-sort` and `data-cp-filters` ("key=value;key=value") on the
 * chart for its state, `data-cp-cta` on deal buttons. Page views include single-page navigation and
 * back/forward cache restores. An impression counts when at least half of the element is visible for a second,
 * once per page view and chart state (a re-sort or new filter counts again); each gets an impression_id that
 * later clicks on the row carry. Returns a function that stops tracking.
 */
export function autoTrack(t: Tracker, c: TrackerConfig, pageView: () => string, leave: () => void): () => void {
  const seen = new Set<string>();
  const impressionIds = new Map<El, string>();
  const timers = new Map<El, ReturnType<typeof setTimeout>>();
  let depth = 0;
  let href = location.href;

  const parse = (text: string | null | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    (text || '').split(';').forEach((kv) => {
      const [k, v] = kv.split('=');
      if (k) out[k.trim()] = (v || '').trim();
    });
    return out;
  };
  const filters = (chart: El) => parse(chart.dataset.cpFilters);
  const rows = (chart: El): El[] =>
    [...chart.querySelectorAll<El>(PRODUCT)].filter((r) => r.offsetParent !== null || r.getClientRects().length > 0);
  const chartOf = (chart: El): Chart => {
    const order = rows(chart)
      .map((r) => r.dataset.cpProduct)
      .join(',');
    return {
      chart_id: chart.dataset.cpChart ?? '',
      site_id: c.siteId ?? null,
      widget_instance_id: chart.dataset.cpInstance ?? null,
      sort_key: chart.dataset.cpSort ?? null,
      filters: filters(chart),
      state_hash: hash((chart.dataset.cpSort || '') + '|' + (chart.dataset.cpFilters || '') + '|' + order),
      product_count: rows(chart).length,
    };
  };
  const productOf = (row: El, chart: El): Product => ({
    product_id: row.dataset.cpProduct ?? '',
    rank: Number(row.dataset.cpRank) || rows(chart).indexOf(row) + 1,
    price: row.dataset.cpPrice ? Number(row.dataset.cpPrice) : null,
    currency: row.dataset.cpCurrency ?? null,
    merchant: row.dataset.cpMerchant ?? null,
    impression_id: impressionIds.get(row) ?? null,
  });

  const impress = (el: El): void => {
    const chartEl = el.closest<El>(CHART);
    if (!chartEl) return;
    const chart = chartOf(chartEl);
    const row = el.matches(PRODUCT) ? el : null;
    const key = [pageView(), chart.chart_id, chart.state_hash, row?.dataset.cpProduct ?? ''].join('|');
    if (seen.has(key)) return;
    seen.add(key);
    if (!row) return t.track('CHART_IMPRESSION', { chart });
    impressionIds.set(row, uuid());
    t.track('PRODUCT_IMPRESSION', { chart, product: productOf(row, chartEl) });
  };

  const io = new IntersectionObserver(
    (entries) =>
      entries.forEach((e) => {
        const el = e.target as El;
        clearTimeout(timers.get(el));
        if (e.intersectionRatio >= 0.5)
          timers.set(
            el,
            setTimeout(() => impress(el), DWELL),
          );
      }),
    { threshold: [0, 0.5] },
  );
  const observe = () => document.querySelectorAll<El>(`${CHART},${PRODUCT}`).forEach((el) => io.observe(el));

  // A state change re-arms impressions: rows still on screen count again once they have been seen for a second.
  const rearm = (chart: El) =>
    [chart, ...rows(chart)].forEach((el) => {
      io.unobserve(el);
      io.observe(el);
    });
  const mo = new MutationObserver((records) => {
    const changed = new Set<El>();
    for (const r of records) {
      const chart = (r.target as El).closest?.<El>(CHART);
      if (!chart) continue;
      if (r.type === 'attributes' && r.attributeName === 'data-cp-sort') {
        t.track('SORT_CHANGE', {
          chart: chartOf(chart),
          interaction: { filter_key: 'sort', filter_value: chart.dataset.cpSort ?? null },
        });
      } else if (r.type === 'attributes' && r.attributeName === 'data-cp-filters') {
        const before = parse(r.oldValue);
        const now = filters(chart);
        const key = [...new Set([...Object.keys(before), ...Object.keys(now)])].find((k) => before[k] !== now[k]);
        t.track('FILTER_CHANGE', {
          chart: chartOf(chart),
          interaction: { filter_key: key ?? null, filter_value: key ? (now[key] ?? null) : null },
        });
      }
      changed.add(chart);
    }
    changed.forEach(rearm);
    observe();
  });

  const onClick = (ev: MouseEvent) => {
    const target = ev.target as El;
    const row = target.closest?.<El>(PRODUCT);
    const chartEl = row?.closest<El>(CHART);
    if (!row || !chartEl) return;
    const link = target.closest<HTMLAnchorElement>('a[href],[data-cp-cta]');
    const product = productOf(row, chartEl);
    if (link && (link.dataset.cpCta || (link as HTMLAnchorElement).host !== location.host)) {
      const clickId = uuid();
      let url = (link as HTMLAnchorElement).href || null;
      if (url && c.clickIdParam) {
        const u = new URL(url);
        u.searchParams.set(c.clickIdParam, clickId);
        (link as HTMLAnchorElement).href = url = u.toString();
      }
      t.track('OUTBOUND_CLICK', {
        chart: chartOf(chartEl),
        product,
        interaction: { cta: link.dataset.cpCta || 'link', target_url: url, click_id: clickId },
      });
      leave();
    } else {
      t.track('PRODUCT_CLICK', {
        chart: chartOf(chartEl),
        product,
        interaction: { cta: target.dataset.cpCta ?? null },
      });
    }
  };

  const onScroll = () => {
    const max = document.documentElement.scrollHeight - innerHeight;
    depth = Math.max(depth, max > 0 ? Math.min(100, Math.round((scrollY / max) * 100)) : 100);
  };
  const flushDepth = () => {
    if (depth > 0) t.track('SCROLL_DEPTH', { interaction: { scroll_depth_pct: depth } });
    depth = 0;
  };
  const onHide = () => document.visibilityState === 'hidden' && flushDepth();
  const navigate = () => {
    if (location.href === href) return;
    flushDepth();
    href = location.href;
    t.page();
    setTimeout(observe);
  };
  const onShow = (e: PageTransitionEvent) => e.persisted && t.page();

  const { pushState, replaceState } = history;
  history.pushState = function (...args: Parameters<History['pushState']>) {
    pushState.apply(this, args);
    navigate();
  };
  history.replaceState = function (...args: Parameters<History['replaceState']>) {
    replaceState.apply(this, args);
    navigate();
  };
  addEventListener('popstate', navigate);
  addEventListener('hashchange', navigate);
  addEventListener('pageshow', onShow);
  addEventListener('scroll', onScroll, { passive: true });
  document.addEventListener('click', onClick, true);
  document.addEventListener('visibilitychange', onHide);
  mo.observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeOldValue: true,
    attributeFilter: ['data-cp-sort', 'data-cp-filters', 'style', 'hidden', 'class'],
  });
  t.page();
  observe();

  return () => {
    io.disconnect();
    mo.disconnect();
    history.pushState = pushState;
    history.replaceState = replaceState;
    removeEventListener('popstate', navigate);
    removeEventListener('hashchange', navigate);
    removeEventListener('pageshow', onShow);
    removeEventListener('scroll', onScroll);
    document.removeEventListener('click', onClick, true);
    document.removeEventListener('visibilitychange', onHide);
  };
}
