/**
 * A lab's chart as a static SVG, drawn at build time from a run of its model, for the
 * revision sheet: it needs no script or worker to read, and it prints. It follows the
 * lab's own charts (src/lab-host/charts.ts): the same palette per subject, the same
 * ticks and labels (src/lab-host/axes.ts), formulas dashed, simulated points as markers
 * with their 95% intervals. Colours switch with the theme through CSS variables set on
 * each series (course.css), so one SVG serves light, dark and print.
 */
import type { AxisSpec, ChartSpec } from '../../labs/kernel/manifest';
import type { Point } from '../../labs/kernel/model';
import { formatSig } from '../../labs/kernel/format';
import { FORMULA_DASHES, PALETTE, axisTitle, formulaDashes, subjectOf, tickLabel, tickValues } from '../lab-host/axes';

export interface LegendEntry {
  label: string;
  role: 'simulated' | 'reference';
  /** A second formula of the same simulation, dotted (see formulaDashes). */
  dotted: boolean;
  light: string;
  dark: string;
}

export interface StaticChart {
  svg: string;
  legend: LegendEntry[];
  /** How many points were drawn, over every series. */
  points: number;
}

const WIDTH = 640;
const HEIGHT = 340;
const MARGIN = { left: 72, right: 20, top: 14, bottom: 52 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const isLog = (axis: AxisSpec): boolean => axis.scale === 'logarithmic';

/** Round ticks for a linear axis that axes.ts leaves to Chart.js: 1, 2 or 5 times a power of ten. */
function linearTicks(min: number, max: number): number[] {
  const raw = (max - min) / 5;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** The extent of an axis over the values drawn on it, widened where it would be empty. */
function extent(axis: AxisSpec, values: number[]): { min: number; max: number } {
  const usable = values.filter((v) => Number.isFinite(v) && (!isLog(axis) || v > 0));
  let min = usable.length > 0 ? Math.min(...usable) : isLog(axis) ? 1 : 0;
  let max = usable.length > 0 ? Math.max(...usable) : isLog(axis) ? 10 : 1;
  if (!isLog(axis) && (axis.beginAtZero || axis.format === 'percent' || axis.format === 'probability') && min > 0) min = 0;
  if (max <= min) {
    if (isLog(axis)) {
      min /= 2;
      max = max * 2 || 1;
    } else {
      max = min + (Math.abs(min) || 1);
    }
  }
  return { min, max };
}

function scale(axis: AxisSpec, range: { min: number; max: number }, from: number, to: number): (value: number) => number {
  if (isLog(axis)) {
    const low = Math.log10(range.min);
    const high = Math.log10(range.max);
    return (value) => from + ((Math.log10(value) - low) / (high - low)) * (to - from);
  }
  return (value) => from + ((value - range.min) / (range.max - range.min)) * (to - from);
}

function ticksFor(axis: AxisSpec, range: { min: number; max: number }): number[] {
  return tickValues(axis, range.min, range.max) ?? (isLog(axis) ? [range.min, range.max] : linearTicks(range.min, range.max));
}

/**
 * Draws `chart` from a run's series. `subjects` numbers the lab's subjects, so colours
 * match the lab's own charts; `id` makes the title's and description's ids unique.
 */
export function svgChart(
  chart: ChartSpec,
  series: Record<string, ReadonlyArray<Point>>,
  subjects: ReadonlyMap<string, number>,
  id: string,
): StaticChart {
  const dashes = formulaDashes(chart);
  const drawn = chart.series.map((spec, index) => ({
    spec,
    dash: dashes[index],
    points: (series[spec.key] ?? []).filter(
      (p) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!isLog(chart.x) || p[0] > 0) && (!isLog(chart.y) || p[1] > 0),
    ),
  }));
  const xs = drawn.flatMap(({ points }) => points.map((p) => p[0]));
  const ys = drawn.flatMap(({ points }) => points.flatMap((p) => (p.length === 4 ? [p[1], p[2], p[3]] : [p[1]])));
  const xRange = extent(chart.x, xs);
  const yRange = extent(chart.y, ys);
  const plot = { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
  const x = scale(chart.x, xRange, plot.left, plot.right);
  const y = scale(chart.y, yRange, plot.bottom, plot.top);
  const clampY = (value: number): number => Math.min(plot.bottom, Math.max(plot.top, y(value)));
  const f = (value: number): string => value.toFixed(1);

  const parts: string[] = [];
  // Grid and ticks.
  for (const tick of ticksFor(chart.y, yRange)) {
    const at = f(y(tick));
    parts.push(`<line class="chart-grid" x1="${plot.left}" x2="${plot.right}" y1="${at}" y2="${at}"/>`);
    parts.push(
      `<text class="chart-tick" x="${plot.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escape(tickLabel(chart.y, tick, yRange))}</text>`,
    );
  }
  for (const tick of ticksFor(chart.x, xRange)) {
    const at = f(x(tick));
    parts.push(`<line class="chart-grid" x1="${at}" x2="${at}" y1="${plot.top}" y2="${plot.bottom}"/>`);
    parts.push(
      `<text class="chart-tick" x="${at}" y="${plot.bottom + 16}" text-anchor="middle">${escape(tickLabel(chart.x, tick, xRange))}</text>`,
    );
  }
  parts.push(
    `<rect class="chart-frame" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}"/>`,
  );
  parts.push(
    `<text class="chart-axis-title" x="${(plot.left + plot.right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escape(axisTitle(chart.x))}</text>`,
  );
  parts.push(
    `<text class="chart-axis-title" transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(axisTitle(chart.y))}</text>`,
  );

  const legend: LegendEntry[] = [];
  let count = 0;
  // Formulas under the simulations, as in the lab.
  const order = [...drawn].sort((a, b) => (a.spec.role === b.spec.role ? 0 : a.spec.role === 'reference' ? -1 : 1));
  for (const { spec, points, dash } of order) {
    if (points.length === 0) continue;
    const index = (subjects.get(subjectOf(spec)) ?? 0) % PALETTE.light.length;
    const colours = { light: PALETTE.light[index]!, dark: PALETTE.dark[index]! };
    const style = `--series-light:${colours.light};--series-dark:${colours.dark}`;
    const markers = spec.markers ?? spec.role === 'simulated';
    const sorted = [...points].sort((a, b) => a[0] - b[0]);
    count += sorted.length;
    const group: string[] = [];
    if (!markers || spec.role === 'reference') {
      const path = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(x(p[0]))} ${f(clampY(p[1]))}`).join('');
      // A formula's own dash pattern, inline so that it wins over the stylesheet's default.
      const dashStyle = dash && dash !== FORMULA_DASHES[0] ? ` style="stroke-dasharray:${dash.join(' ')}"` : '';
      group.push(`<path class="chart-line${spec.role === 'reference' ? ' chart-line-reference' : ''}"${dashStyle} d="${path}"/>`);
    }
    if (markers) {
      for (const p of sorted) {
        if (p.length === 4 && Number.isFinite(p[2]) && Number.isFinite(p[3])) {
          group.push(
            `<line class="chart-interval" x1="${f(x(p[0]))}" x2="${f(x(p[0]))}" y1="${f(clampY(p[2]))}" y2="${f(clampY(p[3]))}"/>`,
          );
        }
        group.push(`<circle class="chart-marker" cx="${f(x(p[0]))}" cy="${f(clampY(p[1]))}" r="3.2"/>`);
      }
    }
    parts.push(`<g class="chart-series" data-series="${escape(spec.key)}" style="${style}">${group.join('')}</g>`);
    legend.push({ label: spec.label, role: spec.role, dotted: dash !== undefined && dash !== FORMULA_DASHES[0], ...colours });
  }

  const description =
    legend.length === 0
      ? 'No points to draw for these settings.'
      : `${legend.map((entry) => `${entry.label} (${entry.role === 'reference' ? `formula, ${entry.dotted ? 'dotted' : 'dashed'}` : 'simulated'})`).join('; ')}. ${axisTitle(chart.x)} from ${formatSig(xRange.min)} to ${formatSig(xRange.max)}.`;
  const svg =
    `<svg class="static-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escape(chart.title)}</title><desc id="${id}-desc">${escape(description)}</desc>${parts.join('')}</svg>`;
  return { svg, legend, points: count };
}
