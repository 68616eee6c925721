import { describe, expect, it } from 'vitest';
import { lineChartSvg, ticks } from '../../../main/services/report/svg-chart';

describe('ticks', () => {
  it('are round numbers inside the range', () => {
    expect(ticks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(0, 0.1)).toEqual([0, 0.025, 0.05, 0.075, 0.1]);
    expect(ticks(0.3, 9.7)).toEqual([2.5, 5, 7.5]);
  });

  it('are whole numbers on an integer axis (RL iterations)', () => {
    expect(ticks(1, 10, true)).toEqual([2, 4, 6, 8, 10]);
    expect(ticks(1, 3, true)).toEqual([1, 2, 3]);
  });
});

describe('lineChartSvg', () => {
  const series = [{ label: 'ppo', x: [1, 2, 3], y: [0, 0.04, 0.02], spread: [0, 0.05, 0.01] }];
  const yLabels = (svg: string) => [...svg.matchAll(/text-anchor="end" fill="#555">([^<]+)</g)].map((m) => m[1]);

  it('spans a rate from 0 to the next round tick above the data, not the whole [0, 1]', () => {
    const svg = lineChartSvg(series, { title: 't', xLabel: 'x', yLabel: 'y', yBounds: [0, 1] });
    expect(yLabels(svg)).toEqual(['0', '0.025', '0.05', '0.075', '0.1']);
    // The band below zero is clipped at the axis, not drawn under it.
    const band = /<polygon points="([^"]+)"/.exec(svg)?.[1] ?? '';
    const bottom = Math.max(...band.split(' ').map((p) => Number(p.split(',')[1])));
    expect(bottom).toBeLessThanOrEqual(360 - 44);
  });

  it('keeps a fixed range when asked', () => {
    expect(yLabels(lineChartSvg(series, { title: 't', xLabel: 'x', yLabel: 'y', yRange: [0, 1] }))).toEqual(['0', '0.25', '0.5', '0.75', '1']);
  });
});
