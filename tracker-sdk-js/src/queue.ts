import { bytes, json, now, store } from './util';
import type { IgnoreReason, TrackerEvent } from './types';

const PREFIX = 'cp_q_';
const BEAT = 'cp_b_';

export interface QueueLimits {
  maxQueue: number;
  maxQueueBytes: number;
  maxAge: number;
}

/**
 * The persistent queue of one tab: events wait here (memory, mirrored to localStorage under the tab's own key)
 * until the collector took them. Capped by count, bytes and age; what a cap drops is reported, oldest first. A
 * tab writes only its own key, so two tabs never send the same event; a tab that finds the queue of a tab that
 * stopped beating (closed, crashed) claims it, checks its claim held, and adopts it.
 */
export class Queue {
  readonly id = Math.random().toString(36).slice(2);
  items: TrackerEvent[] = [];

  constructor(
    private limits: QueueLimits,
    private drop: (reason: IgnoreReason, event: TrackerEvent) => void,
    private persist = true,
  ) {
    this.beat();
  }

  push(event: TrackerEvent): void {
    this.items.push(event);
    this.trim();
    this.save();
  }

  /** Removes sent events by id. */
  remove(ids: Set<string>): void {
    this.items = this.items.filter((e) => !ids.has(e.event_id));
    this.save();
  }

  trim(): void {
    const cutoff = now() - this.limits.maxAge;
    this.items = this.items.filter((e) => e.created_at >= cutoff || (this.drop('expired', e), false));
    while (this.items.length > this.limits.maxQueue) this.evictOldest();
    while (this.items.length > 1 && bytes(json(this.items)) > this.limits.maxQueueBytes) this.evictOldest();
  }

  private evictOldest(): void {
    const oldest = this.items.shift();
    if (oldest) this.drop('queue_full', oldest);
  }

  save(): void {
    if (this.persist) store.set(PREFIX + this.id, this.items.length ? json(this.items) : null);
  }

  beat(): void {
    if (this.persist) store.set(BEAT + this.id, String(now()));
  }

  /** Claims queues of tabs that stopped beating more than `stale` ms ago. */
  adopt(stale: number): void {
    if (!this.persist) return;
    for (const key of store.keys()) {
      const other = key.slice(PREFIX.length);
      if (!key.startsWith(PREFIX) || other === this.id) continue;
      if (now() - Number(store.get(BEAT + other) || 0) < stale) continue;
      const claim = now() + ':' + this.id;
      store.set(BEAT + other, claim);
      // Another tab may claim it in the same moment: only the claim that stands is acted on.
      if (store.get(BEAT + other) !== claim) continue;
      try {
        const adopted: TrackerEvent[] = JSON.parse(store.get(key) || '[]');
        const seen = new Set(this.items.map((e) => e.event_id));
        adopted.forEach((e) => seen.has(e.event_id) || this.items.push(e));
      } catch {
        /* a corrupt queue is dropped */
      }
      store.set(key, null);
      store.set(BEAT + other, null);
      this.trim();
      this.save();
    }
  }
}
