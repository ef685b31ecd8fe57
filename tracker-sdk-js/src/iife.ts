import { createTracker } from './tracker';
import type { Tracker, TrackerConfig } from './types';

declare global {
  interface Window {
    ChartPulse: { init(config: TrackerConfig): Tracker; tracker?: Tracker };
    chartpulseConfig?: TrackerConfig;
  }
}

// <script src="tracker.iife.js" data-endpoint="https://collect.example/v1/events" data-site="reviews.example">
// starts by itself; otherwise call ChartPulse.init({...}) or set window.chartpulseConfig first.
const api: Window['ChartPulse'] = { init: (config) => (api.tracker = createTracker(config)) };
window.ChartPulse = api;
const script = document.currentScript as HTMLScriptElement | null;
const endpoint = script?.dataset.endpoint;
if (window.chartpulseConfig) api.init(window.chartpulseConfig);
else if (endpoint) api.init({ endpoint, siteId: script?.dataset.site });
