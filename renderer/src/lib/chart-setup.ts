/**
 * Chart.js, tree-shaken to what the line charts use. Animations are off everywhere: live runs
 * redraw often and a redraw must cost one frame, not an animation.
 */
import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Decimation);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.font.size = 11;
Chart.defaults.color = '#3b4350';
Chart.defaults.borderColor = '#e3e7ee';

export { Chart };

/** Run colours: distinguishable, and readable on white. */
export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#a16207', '#db2777'];

export function runColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** The same colour, faint (for the raw line under a smoothed one). */
export function faint(hex: string, alpha = 0.25): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
