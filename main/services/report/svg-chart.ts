/**
 * A small, dependency-free SVG line chart for reports (docs/RESULTS.md): several series, a
 * shaded band (± std over seeds) per series, axes with a few ticks, a legend. Rendered by the
 * project itself so the pictures are reproducible offline.
 */

export interface Series {
  label: string;
  /** x values and mean y per point. */
  x: number[];
  y: number[];
  /** Optional spread (std) per point, drawn as a band. */
  spread?: number[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fixed y range; default: the data's, within `yBounds`. */
  yRange?: [number, number];
  /** Where the y axis may go (e.g. [0, 1] for rates): it spans the data and the lower bound, rounded to a tick, never past these. */
  yBounds?: [number, number];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A tick label: a round number as written (0.025, 0.5, 10), no float noise. */
const fmt = (v: number) => String(Number(v.toFixed(6)));

/** A round step (1, 2, 2.5 or 5 × 10^k; no 2.5 for whole numbers) nearest to a quarter of [lo, hi]. */
function niceStep(lo: number, hi: number, integer = false): number {
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const near = (f: number) => Math.abs(Math.log((f * mag) / raw));
  const step = (integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).reduce((a, b) => (near(b) < near(a) ? b : a)) * mag;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Ticks at multiples of a round step inside [lo, hi] (integers only when `integer`, e.g. iterations). */
export function ticks(lo: number, hi: number, integer = false): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(lo, hi, integer);
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toFixed(10)) + 0); // no float noise, no -0

  return out;
}

export function lineChartSvg(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 360;
  const m = { l: 56, r: 150, t: 34, b: 44 };
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y.flatMap((y, i) => [y - (s.spread?.[i] ?? 0), y + (s.spread?.[i] ?? 0)]));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = o.yRange ?? (ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]);
  if (!o.yRange && o.yBounds) {
    const [lo, hi] = o.yBounds;
    y0 = lo;
    // Up to the next round tick above the data, so the top line is labelled.
    const top = Math.min(hi, Math.max(y1, lo + (hi - lo) / 20));
    const step = niceStep(y0, top);
    y1 = Math.min(hi, Math.ceil(top / step - 1e-9) * step);
  }
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const clampY = (y: number) => Math.min(y1, Math.max(y0, y));
  const px = (x: number) => m.l + ((x - x0) / Math.max(x1 - x0, 1e-9)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.l}" y="20" font-size="13" font-weight="bold">${esc(o.title)}</text>`,
  ];
  for (const t of ticks(y0, y1)) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(t)}" y2="${py(t)}" stroke="#e5e5e5"/>`, `<text x="${m.l - 6}" y="${py(t) + 4}" text-anchor="end" fill="#555">${fmt(t)}</text>`);
  }
  for (const t of ticks(x0, x1, xs.every(Number.isInteger))) out.push(`<text x="${px(t)}" y="${H - m.b + 16}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
  out.push(
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#888"/>`,
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#888"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length] as string;
    if (s.spread && s.x.length > 1) {
      const upper = s.x.map((x, i) => `${px(x)},${py(clampY((s.y[i] as number) + (s.spread?.[i] ?? 0)))}`);
      const lower = s.x.map((x, i) => `${px(x)},${py(clampY((s.y[i] as number) - (s.spread?.[i] ?? 0)))}`).reverse();
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.12" stroke="none"/>`);
    }
    const pts = s.x.map((x, i) => `${px(x)},${py(s.y[i] as number)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (s.x.length === 1) out.push(`<circle cx="${px(s.x[0] as number)}" cy="${py(s.y[0] as number)}" r="3" fill="${color}"/>`);
    const ly = m.t + 6 + k * 16;
    out.push(`<line x1="${W - m.r + 10}" x2="${W - m.r + 28}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`, `<text x="${W - m.r + 32}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
