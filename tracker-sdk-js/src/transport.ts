import { bytes, json, now } from './util';
import type { Queue } from './queue';
import type { IgnoreReason, TrackerEvent } from './types';

export interface TransportOptions {
  endpoint: string;
  batchSize: number;
  batchBytes: number;
  ignore: (reason: IgnoreReason, event?: TrackerEvent) => void;
}

const KEEPALIVE_BUDGET = 60000;

/**
 * Sends the queue in batches: text/plain bodies (CORS-simple, no preflight), fetch with keepalive so a request
 * outlives the page. Answers decide: 200 removes the batch (the collector reports refusals itself); 429, 503, any
 * 5xx and network errors keep it and retry with exponential backoff and jitter, or after Retry-After; other 4xx
 * (400, 413) drop it, since sending it again cannot succeed. Events stay in the persistent queue until answered,
 * so a page that dies mid-request sends them again next time (the pipeline deduplicates by event_id).
 */
export class Transport {
  private inFlight = new Set<string>();
  private retryAt = 0;
  private failures = 0;

  constructor(
    private queue: Queue,
    private o: TransportOptions,
  ) {}

  /** Sends ready batches; on page hide (`leaving`) as much as keepalive allows, ignoring backoff. */
  async flush(leaving = false): Promise<void> {
    if (!leaving && (now() < this.retryAt || (typeof navigator !== 'undefined' && navigator.onLine === false))) return;
    let budget = KEEPALIVE_BUDGET;
    const sends: Promise<void>[] = [];
    for (;;) {
      const batch = this.next(Math.min(this.o.batchBytes, budget));
      if (!batch.length) break;
      const body = json(batch);
      budget -= bytes(body);
      sends.push(this.send(batch, body));
      if (!leaving) break;
    }
    await Promise.all(sends);
  }

  private next(limit: number): TrackerEvent[] {
    const batch: TrackerEvent[] = [];
    let size = 2;
    for (const e of this.queue.items) {
      if (this.inFlight.has(e.event_id)) continue;
      const s = bytes(json(e)) + 1;
      if (batch.length >= this.o.batchSize || (batch.length && size + s > limit)) break;
      batch.push(e);
      size += s;
    }
    return batch;
  }

  private async send(batch: TrackerEvent[], body: string): Promise<void> {
    const ids = new Set(batch.map((e) => e.event_id));
    ids.forEach((id) => this.inFlight.add(id));
    const sentAt = now();
    batch.forEach((e) => (e.sent_at = sentAt));
    body = json(batch);
    let status = 0;
    let retryAfter = 0;
    try {
      const r = await fetch(this.o.endpoint, {
        method: 'POST',
        body,
        keepalive: bytes(body) < 65536,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        credentials: 'omit',
      });
      status = r.status;
      retryAfter = Number(r.headers.get('Retry-After')) || 0;
    } catch {
      status = 0;
    }
    ids.forEach((id) => this.inFlight.delete(id));
    if (status === 200) {
      this.failures = 0;
      this.queue.remove(ids);
    } else if (status === 0 || status === 429 || status >= 500) {
      const backoff = Math.min(60000, 1000 * 2 ** this.failures++) * (0.5 + Math.random());
      this.retryAt = now() + Math.max(backoff, retryAfter * 1000);
    } else {
      batch.forEach((e) => this.o.ignore(`rejected_${status}`, e));
      this.queue.remove(ids);
    }
  }

  /** When the next retry may happen (0 when not backing off). */
  get nextAttempt(): number {
    return this.retryAt;
  }
}
