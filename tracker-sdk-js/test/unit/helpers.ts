import { vi } from 'vitest';
import type { TrackerEvent } from '../../src/types';

export interface Sent {
  body: TrackerEvent[];
  init: RequestInit;
}

/** Replaces fetch with a recorder answering with the given statuses in turn (then 200). */
export function mockFetch(...answers: Array<number | Error | { status: number; retryAfter?: string }>) {
  const sent: Sent[] = [];
  const queue = [...answers];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      sent.push({ body: JSON.parse(init.body as string), init });
      const next = queue.shift() ?? 200;
      if (next instanceof Error) throw next;
      const spec = typeof next === 'number' ? { status: next } : next;
      return new Response(spec.status === 200 ? '{"accepted":1,"rejected":[]}' : '{}', {
        status: spec.status,
        headers: spec.retryAfter ? { 'Retry-After': spec.retryAfter } : {},
      });
    }),
  );
  return sent;
}

/** A controllable IntersectionObserver: tests decide what is visible. */
export class FakeIO {
  static all: FakeIO[] = [];
  targets = new Set<Element>();
  constructor(private cb: IntersectionObserverCallback) {
    FakeIO.all.push(this);
  }
  observe(el: Element) {
    this.targets.add(el);
  }
  unobserve(el: Element) {
    this.targets.delete(el);
  }
  disconnect() {
    this.targets.clear();
  }
  static show(el: Element, ratio: number) {
    for (const io of FakeIO.all) {
      if (io.targets.has(el)) {
        io.cb(
          [{ target: el, intersectionRatio: ratio, isIntersecting: ratio > 0 } as IntersectionObserverEntry],
          io as never,
        );
      }
    }
  }
}

export const settle = () => new Promise((r) => setTimeout(r, 0));
