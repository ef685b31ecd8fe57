import type { ChartEvent, Context, EventType } from './generated/schema';

/** What the tracker sends: ChartEvent without the fields only the collector sets. */
export type TrackerEvent = Omit<ChartEvent, 'received_at' | 'context'> & { context?: Omit<Context, 'ip' | 'country'> };

export type { EventType };

/** Where the anonymous id lives: a first-party cookie, localStorage, or nowhere (a new id per page). */
export type Storage = 'cookie' | 'localStorage' | 'none';

export interface TrackerConfig {
  /** Collector URL, e.g. https://collect.reviews.example/v1/events (a first-party path is best). */
  endpoint: string;
  /** Publisher or site id added to every chart. */
  siteId?: string;
  storage?: Storage;
  /** Before consent: 'buffer' holds events in memory until consent('granted'); 'cookieless' sends them without
   * persistent ids. Default 'cookieless'. */
  consentMode?: 'buffer' | 'cookieless';
  /** Initial consent; default 'pending'. */
  consent?: 'granted' | 'denied' | 'pending';
  /** Treat Global Privacy Control / Do Not Track as a refusal of persistent ids. Default true. */
  respectGpc?: boolean;
  /** Query parameters removed from every URL before it leaves the page. */
  stripParams?: string[];
  /** Edit an event, or return null to drop it. */
  beforeSend?: (event: TrackerEvent) => TrackerEvent | null;
  /** Keep this share of events of a type, e.g. { PRODUCT_IMPRESSION: 0.5 }; the rate is sent with the event. */
  sampleRates?: Partial<Record<EventType, number>>;
  /** The A/B-test variant the visitor sees, as the site labels it (e.g. 'compact-table'); sent as `variant` with
   * every event (ChartEvent v2; collectors that predate it skip the field). */
  variant?: string;
  /** Parameter appended to outbound deal URLs carrying the click id; '' disables. Default 'cp_click'. */
  clickIdParam?: string;
  /** Batching: events, bytes and milliseconds. Defaults 20, 16384, 5000. */
  batchSize?: number;
  batchBytes?: number;
  flushInterval?: number;
  /** Persistent queue caps: events, bytes, age in ms. Defaults 500, 262144, 86400000. */
  maxQueue?: number;
  maxQueueBytes?: number;
  maxAge?: number;
  /** Session idle timeout in ms. Default 30 minutes. */
  sessionTimeout?: number;
  /** Track page views, impressions, clicks, filters and scroll from the page's markup. Default true. */
  auto?: boolean;
  /**
   * Called for every event not sent, with the reason (see {@link IgnoreReason}) and the event when there is one
   * (a sampled-out or consent-refused call has none yet).
   */
  onIgnore?: (reason: IgnoreReason, event?: TrackerEvent) => void;
}

export interface Tracker {
  /** A custom or explicit event. */
  track(type: EventType, props?: Partial<TrackerEvent>): void;
  page(): void;
  identify(userId: string | null): void;
  consent(state: 'granted' | 'denied'): void;
  /** Sends what is queued now; resolves when the attempt ended. */
  flush(): Promise<void>;
  /** Stops timers and listeners. */
  stop(): void;
}

/** The reasons an event is not sent that carry no status, in the order the README lists them. */
export const IGNORE_REASONS = ['sampled', 'consent', 'before_send', 'queue_full', 'expired'] as const;

/**
 * Why an event was not sent: `sampled` (outside its type's `sampleRates` share), `consent` (in `consentMode` 'buffer': tracked after a refusal, or held while pending and then refused),
 * `before_send` (the hook returned nothing), `queue_full` (the oldest event made room), `expired` (older than
 * `maxAge`), or `rejected_<status>` when the collector answered the batch with a status that is not retried (anything but
 * 200, 429 and 5xx; a network failure is retried too).
 */
export type IgnoreReason = (typeof IGNORE_REASONS)[number] | `rejected_${number}`;
