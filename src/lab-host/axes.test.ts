import { describe, expect, it } from 'vitest';
import {
  FORMULA_DASHES,
  axisTitle,
  columnTitle,
  decimate,
  durationLabel,
  formulaDashes,
  subjectIndices,
  subjectOf,
  tickLabel,
  tickValues,
} from './axes';
import { manifests } from '../../labs/manifests';
import { chartTable, describeChart } from './state';
import type { ChartSpec } from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';

describe('subject colours', () => {
  it('give a subject one index across every chart, in order of first appearance', () => {
    const charts: ChartSpec[] = [
      {
        id: 'a',
        title: 'A',
        x: { label: 'N' },
        y: { label: 'T' },
        series: [
          { key: 'csBound', label: 'b', role: 'reference', subject: 'client-server' },
          { key: 'csSim', label: 's', role: 'simulated', subject: 'client-server' },
          { key: 'p2pSim', label: 'p', role: 'simulated', subject: 'swarm' },
        ],
      },
      {
        id: 'b',
        title: 'B',
        x: { label: 'N' },
        y: { label: 'T' },
        series: [
          { key: 'p2pDone', label: 'p', role: 'simulated', subject: 'swarm' },
          { key: 'other', label: 'o', role: 'simulated' },
        ],
      },
    ];
    expect([...subjectIndices({ charts })]).toEqual([
      ['client-server', 0],
      ['swarm', 1],
      ['other', 2],
    ]);
  });
});

describe('formula lines', () => {
  it('are dashed, and a second formula of the same subject in a chart is drawn differently', () => {
    const chart: ChartSpec = {
      id: 'a',
      title: 'A',
      x: { label: 'N' },
      y: { label: 'T' },
      series: [
        { key: 'erlang', label: 'e', role: 'reference', subject: 'server' },
        { key: 'finite', label: 'f', role: 'reference', subject: 'server' },
        { key: 'sim', label: 's', role: 'simulated', subject: 'server' },
        { key: 'p2p', label: 'p', role: 'reference', subject: 'p2p' },
      ],
    };
    expect(formulaDashes(chart)).toEqual([FORMULA_DASHES[0], FORMULA_DASHES[1], undefined, FORMULA_DASHES[0]]);
  });

  it('of one subject never share a pattern in any lab chart', () => {
    for (const manifest of manifests) {
      for (const chart of manifest.charts) {
        const dashes = formulaDashes(chart);
        const seen = new Set<string>();
        chart.series.forEach((series, index) => {
          const dash = dashes[index];
          if (!dash) return;
          const style = `${subjectOf(series)} ${dash.join(',')}`;
          expect(seen.has(style), `${manifest.id}/${chart.id}: ${series.key}`).toBe(false);
          seen.add(style);
        });
      }
    }
  });
});

describe('ticks', () => {
  it('on a log axis over many decades are decades only, at most eight', () => {
    const values = tickValues({ label: 'N', scale: 'logarithmic' }, 1, 1e6)!;
    expect(values).toEqual([1, 10, 100, 1000, 10000, 100000, 1000000]);
    expect(tickValues({ label: 'N', scale: 'logarithmic' }, 1, 1e12)!.length).toBeLessThanOrEqual(8);
  });

  it('on a short log axis add 2 and 5', () => {
    expect(tickValues({ label: 'N', scale: 'logarithmic' }, 1, 60)).toEqual([1, 2, 5, 10, 20, 50]);
  });

  it('on a log time axis fall on durations a reader recognises', () => {
    const values = tickValues({ label: 'T', scale: 'logarithmic', format: 'duration' }, 100, 400000)!;
    const labels = values.map((value) => durationLabel(value));
    expect(labels.length).toBeLessThanOrEqual(8);
    for (const label of labels) expect(label).toMatch(/^(1|2|3|5|6|10|12|20|30|50|100) (s|min|h|day|days)$/);
  });

  it('on a linear time axis step in one unit chosen from the data', () => {
    const values = tickValues({ label: 'T', format: 'duration' }, 0, 30000)!;
    const labels = values.map((value) => tickLabel({ label: 'T', format: 'duration' }, value, { min: 0, max: 30000 }));
    expect(labels[0]).toBe('0');
    expect(new Set(labels.slice(1).map((l) => l.split(' ')[1]))).toEqual(new Set(['h']));
    expect(values.length).toBeGreaterThanOrEqual(4);
    expect(values.length).toBeLessThanOrEqual(10);
  });

  it('are labelled by the axis format', () => {
    expect(tickLabel({ label: 'T', format: 'duration' }, 5400)).toBe('1.5 h');
    expect(tickLabel({ label: 'T', format: 'duration' }, 5400, { min: 0, max: 6000 })).toBe('90 min');
    expect(tickLabel({ label: 'T', format: 'duration', scale: 'logarithmic' }, 86400)).toBe('1 day');
    expect(tickLabel({ label: 'T', format: 'duration' }, 7200)).toBe('2 h');
    expect(tickLabel({ label: 'S', format: 'percent' }, 50)).toBe('50%');
    expect(tickLabel({ label: 'N', format: 'count' }, 10000)).toBe('10,000');
    expect(axisTitle({ label: 'Share', format: 'percent' })).toBe('Share (%)');
    expect(columnTitle({ label: 'Time', format: 'duration' })).toBe('Time (s)');
  });
});

describe('tables and descriptions with intervals', () => {
  const chart: ChartSpec = {
    id: 'c',
    title: 'Time',
    x: { label: 'Peers', scale: 'logarithmic' },
    y: { label: 'Time', format: 'duration' },
    note: 'Dashed: the bound.',
    series: [
      { key: 'bound', label: 'Bound', role: 'reference' },
      { key: 'sim', label: 'Simulated', role: 'simulated' },
    ],
  };
  const result: LabResult = {
    series: {
      bound: [
        [10, 100],
        [100, 1000],
      ],
      sim: [
        [10, 110, 105, 115],
        [100, 1200, 1100, 1300],
      ],
    },
    summary: '',
    verdict: '',
  };

  it('list the interval beside the mean, on the row of the same x as the formula', () => {
    const table = chartTable(chart, result);
    expect(table.columns).toEqual(['Peers', 'Time (s)'.replace('Time (s)', 'Bound'), 'Simulated', 'Simulated: 95% interval']);
    expect(table.rows).toEqual([
      [10, 100, 110, '105 to 115'],
      [100, 1000, 1200, '1,100 to 1,300'],
    ]);
  });

  it('read values in human units and say that intervals are drawn', () => {
    const text = describeChart(chart, result);
    expect(text).toContain('Simulated (simulation, 2 points, with 95% intervals): from 110 s at 10 to 20 min at 100.');
    expect(text).toContain('Dashed: the bound.');
  });
});

describe('decimating a dense curve', () => {
  const curve = Array.from({ length: 10_001 }, (_, i) => ({ x: i, y: Math.sin(i / 100) + (i === 5_000 ? 10 : 0) }));

  it('keeps a short curve as it is', () => {
    expect(decimate(curve.slice(0, 50), 40, false)).toEqual(curve.slice(0, 50));
  });

  it('keeps at most two points per column, both ends, and every peak', () => {
    const thinned = decimate(curve, 200, false);
    expect(thinned.length).toBeLessThanOrEqual(2 * 200 + 2);
    expect(thinned[0]).toBe(curve[0]);
    expect(thinned.at(-1)).toBe(curve.at(-1));
    expect(thinned).toContain(curve[5_000]);
    for (let i = 1; i < thinned.length; i++) expect(thinned[i]!.x).toBeGreaterThan(thinned[i - 1]!.x);
    expect(Math.max(...thinned.map((p) => p.y))).toBe(Math.max(...curve.map((p) => p.y)));
    expect(Math.min(...thinned.map((p) => p.y))).toBe(Math.min(...curve.map((p) => p.y)));
  });

  it('spaces its columns evenly on a log axis', () => {
    const logCurve = Array.from({ length: 5_000 }, (_, i) => ({ x: Math.pow(10, (6 * i) / 4_999), y: i }));
    const thinned = decimate(logCurve, 60, true);
    const decades = [0, 1, 2, 3, 4, 5].map((d) => thinned.filter((p) => p.x >= 10 ** d && p.x < 10 ** (d + 1)).length);
    for (const count of decades) expect(count).toBeGreaterThanOrEqual(15);
  });
});
