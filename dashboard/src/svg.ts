// Two small SVG charts, drawn by hand: a line chart of per-minute counts and the rank-position CTR curve. Each is
// an <svg role="img"> with a <title> and an aria-label that says what it shows, and a table of the same numbers
// beside it for screen readers and for people who want the figures.

import { formatCount, formatShare, formatTime } from './format';

const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { left: 60, right: 12, top: 12, bottom: 26 };

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function frame(label: string): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label }) as SVGSVGElement;
  svg.append(el('title', {}, label));
  return svg;
}

/** Rounded-up axis maximum: 1, 2 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function yAxis(svg: SVGSVGElement, max: number, format: (n: number) => string): void {
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = H - PAD.bottom - ((H - PAD.top - PAD.bottom) * i) / 4;
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, format(v)));
  }
}

export interface Line {
  name: string;
  cls: string;
  values: number[];
}

/** A line per series over the same minutes; x labels at about six places. */
export function lineChart(label: string, minutes: string[], lines: Line[]): SVGSVGElement {
  const svg = frame(label);
  const max = niceMax(Math.max(0, ...lines.flatMap((l) => l.values)));
  yAxis(svg, max, formatCount);
  const n = minutes.length;
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : ((W - PAD.left - PAD.right) * i) / (n - 1));
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / max;
  const every = Math.max(1, Math.ceil(n / 6));
  minutes.forEach((m, i) => {
    if (i % every === 0) {
      svg.append(el('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'tick' }, formatTime(m)));
    }
  });
  for (const line of lines) {
    const d = line.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(el('path', { d, class: `line ${line.cls}` }));
  }
  return svg;
}

/** CTR by rank position: a bar per rank, its CTR above it. */
export function rankCurve(label: string, ranks: { rank: number; ctr: number; impressions: number }[]): SVGSVGElement {
  const svg = frame(label);
  const shown = ranks.filter((r) => r.rank > 0 && r.impressions > 0).slice(0, 20);
  const max = niceMax(Math.max(0, ...shown.map((r) => r.ctr)));
  yAxis(svg, max, formatShare);
  const slot = (W - PAD.left - PAD.right) / Math.max(1, shown.length);
  shown.forEach((r, i) => {
    const h = ((H - PAD.top - PAD.bottom) * r.ctr) / max;
    const x = PAD.left + i * slot + slot * 0.15;
    svg.append(el('rect', { x, y: H - PAD.bottom - h, width: slot * 0.7, height: h, class: 'bar' }));
    svg.append(el('text', { x: x + slot * 0.35, y: H - 8, 'text-anchor': 'middle', class: 'tick' }, `#${r.rank}`));
  });
  return svg;
}
