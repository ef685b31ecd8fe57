/**
 * @chartpulse/tracker — records what visitors see and click in comparison charts and sends it to the ChartPulse
 * collector. See README.md.
 */
export { createTracker, VERSION } from './tracker';
export type { Tracker, TrackerConfig, TrackerEvent, Storage, EventType, IgnoreReason } from './types';
