// Numbers for people: counts with thousands separators (and k / M past ten thousand), shares as percentages, the
// change against the previous period as an arrow and a relative difference.

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 1234 → "1,234"; 48200 → "48.2K"; fractions (events per minute) → one decimal below ten. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 10_000) return compact.format(n);
  if (Math.abs(n) < 10 && !Number.isInteger(n)) return n.toFixed(1);
  return whole.format(n);
}

/** 0.0423 → "4.2%"; 0 → "0%"; below 0.1 % keeps two decimals so a small share does not read as zero. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  if (share === 0) return '0%';
  const pct = share * 100;
  return `${pct < 0.1 ? pct.toFixed(2) : pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

export interface Change {
  /** "up", "down" or "flat"; "none" when there is no previous period to compare with. */
  direction: 'up' | 'down' | 'flat' | 'none';
  text: string;
}

/**
 * The change from the previous period: relative for counts ("+12%"), in percentage points for shares ("+0.4 pt").
 * Without a previous period, or from zero, it says so instead of dividing by zero.
 */
export function change(current: number, previous: number | undefined, kind: 'count' | 'share'): Change {
  if (previous === undefined) return { direction: 'none', text: 'no earlier period kept' };
  if (kind === 'share') {
    const points = (current - previous) * 100;
    if (Math.abs(points) < 0.05) return { direction: 'flat', text: 'same as before' };
    return {
      direction: points > 0 ? 'up' : 'down',
      text: `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pt`,
    };
  }
  if (previous === 0)
    return current === 0 ? { direction: 'flat', text: 'same as before' } : { direction: 'up', text: 'new' };
  const relative = (current - previous) / previous;
  if (Math.abs(relative) < 0.005) return { direction: 'flat', text: 'same as before' };
  const pct = Math.abs(relative * 100);
  return {
    direction: relative > 0 ? 'up' : 'down',
    text: `${relative > 0 ? '+' : '−'}${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`,
  };
}

/** "14:05" in the viewer's zone, for axis labels and "updated at". */
export function formatTime(iso: string | Date, seconds = false): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
}
