import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import type { ChartSpec } from '../../labs/kernel/manifest';
import { PALETTE } from '../lab-host/axes';
import { svgChart } from './svg-chart';

const chart: ChartSpec = {
  id: 'time',
  title: 'Time against <N>',
  x: { label: 'Peers N', scale: 'logarithmic', format: 'count' },
  y: { label: 'Distribution time', format: 'duration', beginAtZero: true },
  series: [
    { key: 'sim', label: 'Swarm (simulated)', role: 'simulated', subject: 'swarm' },
    { key: 'bound', label: 'Swarm bound', role: 'reference', subject: 'swarm' },
    { key: 'cs', label: 'Server', role: 'reference', subject: 'server' },
  ],
};
const subjects = new Map([
  ['server', 0],
  ['swarm', 1],
]);

describe('a static SVG chart for the revision sheet', () => {
  const drawn = svgChart(
    chart,
    {
      sim: [
        [10, 100, 90, 110],
        [100, 200, 180, 220],
        [1000, 300, 290, 310],
      ],
      bound: [
        [10, 95],
        [1000, 280],
      ],
      cs: [
        [10, 60],
        [100, 600],
        [1000, 6000],
        [0, 1], // not drawable on a log axis: left out
      ],
    },
    subjects,
    'c1',
  );
  const svg = fromHtml(drawn.svg, { fragment: true, space: 'svg' });

  it('is well-formed, titled and described for screen readers', () => {
    expect(svg.children[0]).toMatchObject({ type: 'element', tagName: 'svg' });
    expect(drawn.svg).toContain('<title id="c1-title">Time against &lt;N&gt;</title>');
    expect(drawn.svg).toMatch(/role="img" aria-labelledby="c1-title c1-desc"/);
    expect(drawn.svg).toMatch(
      /<desc id="c1-desc">Swarm bound \(formula, dashed\); Server \(formula, dashed\); Swarm \(simulated\) \(simulated\)\./,
    );
  });

  it('draws every drawable point, formulas dashed, simulations as markers with intervals', () => {
    expect(drawn.points).toBe(3 + 2 + 3);
    expect(drawn.svg.match(/<circle class="chart-marker"/g)).toHaveLength(3);
    expect(drawn.svg.match(/<line class="chart-interval"/g)).toHaveLength(3);
    expect(drawn.svg.match(/chart-line chart-line-reference/g)).toHaveLength(2);
    expect(drawn.svg).not.toContain('NaN');
  });

  it('dots a second formula of the same simulation, as the lab does', () => {
    const twoFormulas: ChartSpec = {
      ...chart,
      series: [...chart.series, { key: 'bound2', label: 'Swarm, finite buffer', role: 'reference', subject: 'swarm' }],
    };
    const withSecond = svgChart(twoFormulas, { bound: [[10, 95]], bound2: [[10, 96]], cs: [[10, 60]] }, subjects, 'c2');
    expect(withSecond.svg.match(/style="stroke-dasharray:2 3"/g)).toHaveLength(1);
    expect(withSecond.legend.map((entry) => entry.dotted)).toEqual([false, false, true]);
    expect(withSecond.svg).toContain('Swarm, finite buffer (formula, dotted)');
    expect(drawn.legend.some((entry) => entry.dotted)).toBe(false);
  });

  it('colours each series by its subject, as the lab does', () => {
    const swarm = drawn.legend.filter((entry) => entry.label.startsWith('Swarm'));
    expect(swarm.every((entry) => entry.light === PALETTE.light[1] && entry.dark === PALETTE.dark[1])).toBe(true);
    expect(drawn.legend.find((entry) => entry.label === 'Server')).toMatchObject({ light: PALETTE.light[0], dark: PALETTE.dark[0] });
  });

  it('labels ticks in the units a reader knows: decades of N, durations in one unit', () => {
    const ticks = [...drawn.svg.matchAll(/<text class="chart-tick"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toEqual(expect.arrayContaining(['10', '100', '1,000']));
    expect(ticks.some((tick) => / min$/.test(tick ?? ''))).toBe(true);
  });

  it('keeps every point inside the plot, even an interval that reaches past the axis', () => {
    for (const match of drawn.svg.matchAll(/c[xy]="(-?[\d.]+)"/g)) {
      expect(Number(match[1])).toBeGreaterThanOrEqual(0);
      expect(Number(match[1])).toBeLessThanOrEqual(640);
    }
  });

  it('draws an empty chart without failing', () => {
    const empty = svgChart(chart, {}, subjects, 'c2');
    expect(empty.points).toBe(0);
    expect(empty.svg).not.toContain('NaN');
    expect(empty.svg).toContain('No points to draw');
  });
});
