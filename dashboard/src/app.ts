// The live dashboard: picks a chart and a period, fetches what the page shows from the streams app's query API
// every five seconds and redraws in place (no reload). No framework: a few hundred lines of DOM code keep the
// whole page under 10 KB gzip.

import { charts, snapshot, type Counts, type MerchantRow, type ProductRow, type RankRow, type Snapshot } from './api';
import { change, formatCount, formatShare, formatTime } from './format';
import { lineChart, rankCurve } from './svg';

const REFRESH_MS = 5000;
const MAX_POINTS = 120;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const chartSelect = $<HTMLSelectElement>('chart');
const rangeSelect = $<HTMLSelectElement>('range');
const status = $('status');

const params = new URLSearchParams(window.location.search);
if (params.get('minutes')) rangeSelect.value = params.get('minutes') ?? '30';
let timer: ReturnType<typeof setTimeout> | undefined;

function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

interface Card {
  metric: string;
  label: string;
  value: number;
  previous: number | undefined;
  kind: 'count' | 'share';
  /** For a count whose rise is bad news (bots, invalid events), the colours of the change are swapped. */
  lowerIsBetter?: boolean;
  hint: string;
}

function cards(s: Snapshot): Card[] {
  const c = s.summary.current;
  const p = s.summary.previous ?? undefined;
  const pc = s.pipeline.current;
  const pp = s.pipeline.previous;
  return [
    {
      metric: 'visitors_5m',
      label: 'Current visitors',
      value: s.summary.visitors_5m,
      previous: undefined,
      kind: 'count',
      hint: 'distinct visitors of this chart in the last 5 minutes',
    },
    {
      metric: 'events_per_minute',
      label: 'Events / min',
      value: c.events_per_minute,
      previous: p?.events_per_minute,
      kind: 'count',
      hint: 'chart and product impressions and clicks by people, per minute',
    },
    {
      metric: 'impressions',
      label: 'Chart impressions',
      value: c.impressions,
      previous: p?.impressions,
      kind: 'count',
      hint: 'times the chart came into view',
    },
    {
      metric: 'product_clicks',
      label: 'Product clicks',
      value: c.clicks - c.outbound_clicks,
      previous: p && p.clicks - p.outbound_clicks,
      kind: 'count',
      hint: 'clicks on a row that stay on the page',
    },
    {
      metric: 'outbound_clicks',
      label: 'Deal clicks',
      value: c.outbound_clicks,
      previous: p?.outbound_clicks,
      kind: 'count',
      hint: 'clicks on a "view deal" button',
    },
    {
      metric: 'ctr',
      label: 'CTR',
      value: c.ctr,
      previous: p?.ctr,
      kind: 'share',
      hint: 'all clicks / chart impressions',
    },
    {
      metric: 'bot_share',
      label: 'Bot share',
      value: pc.bot_share,
      previous: pp.bot_share,
      kind: 'share',
      lowerIsBetter: true,
      hint: 'bots / valid events, whole pipeline',
    },
    {
      metric: 'invalid_share',
      label: 'Invalid share',
      value: pc.invalid_share,
      previous: pp.invalid_share,
      kind: 'share',
      lowerIsBetter: true,
      hint: 'rejected / all events, whole pipeline',
    },
  ];
}

function renderCards(s: Snapshot): void {
  const list = $('headline');
  list.replaceChildren(
    ...cards(s).map((card) => {
      const delta = change(card.value, card.previous, card.kind);
      const good =
        delta.direction === 'flat' || delta.direction === 'none'
          ? ''
          : (delta.direction === 'up') !== !!card.lowerIsBetter
            ? 'good'
            : 'bad';
      return h(
        'li',
        { class: 'card', 'data-metric': card.metric, 'data-value': String(card.value), title: card.hint },
        h('span', { class: 'label' }, card.label),
        h('span', { class: 'value' }, card.kind === 'share' ? formatShare(card.value) : formatCount(card.value)),
        h(
          'span',
          { class: `delta ${good}`, 'aria-label': `change from the previous period: ${delta.text}` },
          delta.text,
        ),
      );
    }),
  );
}

/** A table of rows, or a line saying there is nothing to list. */
function table<R extends Counts>(
  caption: string,
  columns: [string, (r: R) => string][],
  rows: R[],
  empty: string,
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted nothing' }, empty);
  return h(
    'table',
    {},
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, ...columns.map(([name]) => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...columns.map(([, cell]) => h('td', {}, cell(r)))))),
  );
}

function plot(id: string): HTMLElement {
  const e = $(id).querySelector<HTMLElement>('.plot');
  if (!e) throw new Error(`the page has no .plot in #${id}`);
  return e;
}

function fill(id: string, content: HTMLElement): void {
  const panel = $(id);
  const heading = panel.querySelector('h3');
  panel.replaceChildren(...(heading ? [heading] : []), content);
}

const product = (r: ProductRow) => r.product_id;
const n = (field: keyof Counts) => (r: Counts) => formatCount(r[field]);
const ctr = (r: Counts) => formatShare(r.ctr);

function renderPanels(s: Snapshot, minutes: number): void {
  // The series in buckets of whole minutes, at most MAX_POINTS points.
  const step = Math.max(1, Math.ceil(s.series.length / MAX_POINTS));
  const labels: string[] = [];
  const impressions: number[] = [];
  const clicks: number[] = [];
  for (let i = 0; i < s.series.length; i += step) {
    const bucket = s.series.slice(i, i + step);
    labels.push(bucket[0].minute);
    impressions.push(bucket.reduce((a, m) => a + m.impressions, 0));
    clicks.push(bucket.reduce((a, m) => a + m.clicks, 0));
  }
  $('series-step').textContent = step === 1 ? 'per minute' : `per ${step} minutes`;
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  plot('panel-series').replaceChildren(
    lineChart(
      `Chart impressions and clicks ${step === 1 ? 'per minute' : `per ${step} minutes`} over the last ${minutes} minutes: ${total(impressions)} impressions, ${total(clicks)} clicks`,
      labels,
      [
        { name: 'Chart impressions', cls: 'impressions', values: impressions },
        { name: 'Clicks', cls: 'clicks', values: clicks },
      ],
    ),
  );
  const ranks = s.ranks.filter((r) => r.rank > 0);
  plot('panel-ranks').replaceChildren(
    ranks.length === 0
      ? h('p', { class: 'muted nothing' }, 'No rows with a rank were seen in this period.')
      : rankCurve(`CTR by rank position: ${ranks.map((r) => `#${r.rank} ${formatShare(r.ctr)}`).join(', ')}`, ranks),
    table(
      'CTR by rank position',
      [
        ['Rank', (r: RankRow) => `#${r.rank}`],
        ['Impressions', n('impressions')],
        ['Clicks', n('clicks')],
        ['CTR', ctr],
      ],
      ranks,
      '',
    ),
  );
  const seen = s.products.filter((p) => p.impressions > 0);
  const byCtr = [...seen]
    .sort((a, b) => b.ctr - a.ctr || b.clicks - a.clicks)
    .filter((p) => p.clicks > 0)
    .slice(0, 10);
  const byDeals = [...s.products]
    .filter((p) => p.outbound_clicks > 0)
    .sort((a, b) => b.outbound_clicks - a.outbound_clicks)
    .slice(0, 10);
  const unclicked = seen
    .filter((p) => p.clicks === 0)
    .sort((a, b) => b.impressions - a.impressions)
    .slice(0, 10);
  fill(
    'panel-top-ctr',
    table(
      'Top products by CTR',
      [
        ['Product', product],
        ['Impressions', n('impressions')],
        ['Clicks', n('clicks')],
        ['CTR', ctr],
      ],
      byCtr,
      'No product was clicked in this period.',
    ),
  );
  fill(
    'panel-top-deals',
    table(
      'Top products by deal clicks',
      [
        ['Product', product],
        ['Deal clicks', n('outbound_clicks')],
        ['Impressions', n('impressions')],
      ],
      byDeals,
      'No deal was clicked in this period.',
    ),
  );
  fill(
    'panel-unclicked',
    table(
      'Products seen but never clicked',
      [
        ['Product', product],
        ['Impressions', n('impressions')],
      ],
      unclicked,
      'Every product seen was clicked.',
    ),
  );
  fill(
    'panel-merchants',
    table(
      'Deal clicks by merchant',
      [
        ['Merchant', (r: MerchantRow) => r.merchant],
        ['Deal clicks', n('outbound_clicks')],
        ['Impressions', n('impressions')],
        ['CTR', ctr],
      ],
      s.merchants.filter((m) => m.impressions > 0 || m.outbound_clicks > 0),
      'No merchant was shown in this period.',
    ),
  );
}

function setCharts(ids: string[]): void {
  const wanted = chartSelect.value || params.get('chart') || ids[0];
  const current = [...chartSelect.options].map((o) => o.value);
  if (current.join('\n') !== ids.join('\n')) {
    chartSelect.replaceChildren(...ids.map((id) => h('option', { value: id }, id)));
  }
  chartSelect.value = ids.includes(wanted) ? wanted : ids[0];
}

async function refresh(): Promise<void> {
  clearTimeout(timer);
  try {
    const ids = await charts();
    $('empty').hidden = ids.length > 0;
    $('board').hidden = ids.length === 0;
    if (ids.length === 0) {
      status.textContent = `Waiting for events · checked ${formatTime(new Date(), true)}`;
      return;
    }
    setCharts(ids);
    const minutes = Number(rangeSelect.value);
    const s = await snapshot(chartSelect.value, minutes);
    renderCards(s);
    renderPanels(s, minutes);
    document.body.dataset.chart = chartSelect.value;
    document.body.dataset.updates = String(Number(document.body.dataset.updates ?? '0') + 1);
    status.textContent = `Updated ${formatTime(new Date(), true)} · every ${REFRESH_MS / 1000} s`;
  } catch (e) {
    status.textContent = `Could not refresh (${e instanceof Error ? e.message : String(e)}); retrying`;
  } finally {
    timer = setTimeout(() => void refresh(), REFRESH_MS);
  }
}

function remember(): void {
  const url = new URL(window.location.href);
  url.searchParams.set('chart', chartSelect.value);
  url.searchParams.set('minutes', rangeSelect.value);
  window.history.replaceState(null, '', url);
  void refresh();
}
chartSelect.addEventListener('change', remember);
rangeSelect.addEventListener('change', remember);
void refresh();
