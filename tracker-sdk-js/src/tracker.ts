import { Queue } from './queue';
import { Transport } from './transport';
import { autoTrack } from './auto';
import { now, store, strip, uuid } from './util';
import type { EventType, IgnoreReason, Tracker, TrackerConfig, TrackerEvent } from './types';

export const VERSION = '0.1.0';
const ID = 'cp_id';
const SESSION = 'cp_s';

interface Session {
  id: string;
  index: number;
  last: number;
}

/**
 * Creates a tracker. Every event gets a UUID, device times, the visitor's anonymous id, a session (30 minutes of
 * idleness starts a new one) and the page view; then sampling, consent and `beforeSend` decide whether it is
 * queued. Every reason an event is not sent goes through one function (`onIgnore`).
 */
export function createTracker(config: TrackerConfig): Tracker {
  const c = {
    storage: 'localStorage' as const,
    consentMode: 'cookieless' as const,
    consent: 'pending' as const,
    respectGpc: true,
    stripParams: [] as string[],
    clickIdParam: 'cp_click',
    batchSize: 20,
    batchBytes: 16384,
    flushInterval: 5000,
    maxQueue: 500,
    maxQueueBytes: 262144,
    maxAge: 86400000,
    sessionTimeout: 1800000,
    auto: true,
    ...config,
  };
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const gpc = c.respectGpc && (nav.globalPrivacyControl === true || nav.doNotTrack === '1');
  let consent: string = gpc ? 'denied' : c.consent;
  let userId: string | null = null;
  let pageViewId = uuid();
  let memoryId = uuid();
  let memorySession: Session | null = null;
  const held: TrackerEvent[] = [];
  const ignore = (reason: IgnoreReason, event?: TrackerEvent) => c.onIgnore?.(reason, event);
  const persistent = () => consent === 'granted' && c.storage !== 'none';
  const queue = new Queue(c, ignore, c.storage !== 'none');
  const transport = new Transport(queue, { ...c, ignore });

  const read = (key: string): string | null => {
    if (c.storage === 'cookie') {
      const m = document.cookie.match(new RegExp('(?:^|; )' + key + '=([^;]*)'));
      return m ? decodeURIComponent(m[1]) : null;
    }
    return store.get(key);
  };
  const write = (key: string, value: string | null): void => {
    if (c.storage === 'cookie') {
      document.cookie = `${key}=${value ? encodeURIComponent(value) : ''};path=/;max-age=${value ? 31536000 : 0};SameSite=Lax`;
    } else store.set(key, value);
  };

  const anonymousId = (): string => {
    if (!persistent()) return memoryId;
    let id = read(ID);
    if (!id) write(ID, (id = memoryId));
    return id;
  };

  const session = (): Session => {
    let s: Session | null = memorySession;
    if (persistent()) {
      try {
        s = JSON.parse(read(SESSION) || 'null');
      } catch {
        s = null;
      }
    }
    const t = now();
    if (!s || t - s.last > c.sessionTimeout) s = { id: uuid(), index: (s?.index ?? 0) + 1, last: t };
    s.last = t;
    memorySession = s;
    if (persistent()) write(SESSION, JSON.stringify(s));
    return s;
  };

  const context = () => ({
    user_agent: nav.userAgent,
    language: nav.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen_width: screen.width,
    screen_height: screen.height,
    viewport_width: innerWidth,
    viewport_height: innerHeight,
    webdriver: nav.webdriver === true,
    headless: /Headless/i.test(nav.userAgent),
  });

  const track = (type: EventType, props: Partial<TrackerEvent> = {}): void => {
    const rate = c.sampleRates?.[type];
    if (rate != null && Math.random() >= rate) return ignore('sampled');
    if (consent === 'denied' && c.consentMode === 'buffer') return ignore('consent');
    const s = session();
    const t = now();
    let event: TrackerEvent | null = {
      event_id: uuid(),
      event_type: type,
      created_at: t,
      sent_at: t,
      anonymous_id: anonymousId(),
      user_id: userId,
      session_id: s.id,
      session_index: s.index,
      page_view_id: pageViewId,
      page: {
        url: strip(location.href, c.stripParams) ?? location.href,
        path: location.pathname,
        title: document.title || null,
        referrer: strip(document.referrer, c.stripParams),
      },
      context: context(),
      consent: {
        state: consent === 'granted' ? 'GRANTED' : consent === 'denied' ? 'DENIED' : 'PENDING',
        cookieless: !persistent(),
        gpc,
      },
      sdk: { name: 'chartpulse-js', version: VERSION },
      sample_rate: rate ?? null,
      ...(c.variant ? { variant: c.variant } : {}),
      ...props,
    };
    if (c.beforeSend && !(event = c.beforeSend(event))) return ignore('before_send');
    if (consent === 'pending' && c.consentMode === 'buffer') {
      held.push(event);
      return;
    }
    queue.push(event);
    if (queue.items.length >= c.batchSize) void transport.flush();
  };

  const flush = () => transport.flush();
  const leave = () => void transport.flush(true);
  const onHidden = () => document.visibilityState === 'hidden' && leave();
  const timer = setInterval(() => {
    queue.beat();
    void flush();
  }, c.flushInterval);
  queue.adopt(c.flushInterval * 3);
  addEventListener('pagehide', leave);
  addEventListener('online', flush);
  document.addEventListener('visibilitychange', onHidden);

  const tracker: Tracker = {
    track,
    page() {
      pageViewId = uuid();
      if (!persistent()) memoryId = memoryId || uuid();
      track('PAGE_VIEW');
    },
    identify(id) {
      userId = id;
    },
    consent(state) {
      consent = gpc ? 'denied' : state;
      if (consent === 'granted') {
        const id = anonymousId();
        held.splice(0).forEach((e) => {
          e.anonymous_id = id;
          e.consent = { state: 'GRANTED', cookieless: false, gpc };
          queue.push(e);
        });
      } else {
        held.splice(0).forEach((e) => ignore('consent', e));
        write(ID, null);
        write(SESSION, null);
      }
    },
    flush,
    stop() {
      clearInterval(timer);
      stopAuto();
      removeEventListener('pagehide', leave);
      removeEventListener('online', flush);
      document.removeEventListener('visibilitychange', onHidden);
    },
  };
  const stopAuto = c.auto ? autoTrack(tracker, c, () => pageViewId, leave) : () => {};
  return tracker;
}
