// The streams app's query API, as the dashboard reads it (streams-app/README.md, "HTTP API"). Every answer is
// merged across the app's instances by the instance asked, so one origin serves the whole picture.

export interface Totals {
  from: string;
  to: string;
  visitors: number;
  events: number;
  events_per_minute: number;
  impressions: number;
  product_impressions: number;
  clicks: number;
  outbound_clicks: number;
  ctr: number;
}

export interface Summary {
  chart_id: string;
  minutes: number;
  visitors_5m: number;
  current: Totals;
  previous: Totals | null;
}

export interface PipelineTotals {
  valid: number;
  bot: number;
  duplicate: number;
  rejected: number;
  bot_share: number;
  invalid_share: number;
}

export interface Pipeline {
  minutes: number;
  current: PipelineTotals;
  previous: PipelineTotals;
}

export interface Minute {
  minute: string;
  impressions: number;
  clicks: number;
  outbound_clicks: number;
  product_impressions: number;
}

export interface Counts {
  impressions: number;
  clicks: number;
  outbound_clicks: number;
  ctr: number;
}

export type RankRow = Counts & { rank: number };
export type MerchantRow = Counts & { merchant: string };
export type ProductRow = Counts & { product_id: string };

export interface Snapshot {
  summary: Summary;
  pipeline: Pipeline;
  series: Minute[];
  ranks: RankRow[];
  merchants: MerchantRow[];
  products: ProductRow[];
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(`${path}: ${message}`);
  }
  return (await response.json()) as T;
}

/** The charts with windows in the store (the live window plus the store's retention). */
export function charts(): Promise<string[]> {
  return get<string[]>('/api/charts');
}

/** Everything the page shows of one chart over the last `minutes`, fetched at once. */
export async function snapshot(chart: string, minutes: number): Promise<Snapshot> {
  const c = `/api/charts/${encodeURIComponent(chart)}`;
  const q = `?minutes=${minutes}`;
  const [summary, pipeline, series, ranks, merchants, products] = await Promise.all([
    get<Summary>(`${c}/summary${q}`),
    get<Pipeline>(`/api/pipeline${q}`),
    get<Minute[]>(`${c}/series${q}`),
    get<RankRow[]>(`${c}/ranks${q}`),
    get<MerchantRow[]>(`${c}/merchants${q}`),
    get<ProductRow[]>(`${c}/products${q}`),
  ]);
  return { summary, pipeline, series, ranks, merchants, products };
}
