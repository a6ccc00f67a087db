/**
 * Chart.js drawing for every lab. Only the pieces the labs use are registered, which
 * keeps the bundle small. What a chart claims is decided here once for every lab:
 * formulas are dashed lines, simulations are markers with their 95% intervals, and a
 * subject keeps one colour across all of a lab's charts.
 */
import {
  Chart,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
  type Scale,
  type TooltipItem,
} from 'chart.js';
import type { AxisSpec, ChartSpec } from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';
import { PALETTE, axisTitle, decimate, formulaDashes, subjectOf, tickLabel, tickValues, valueText } from './axes';
import { chartPalette, cssColor, theme } from './palette';
import { legendEntry, renderLegend, withLegend } from './chart-legend';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

const MARKERS = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star'] as const;

interface DataPoint {
  x: number;
  y: number;
  low?: number;
  high?: number;
}
type LineData = DataPoint[];

/** Records the plot's own height on the canvas, so the layout's promise of a usable plot can be checked. */
const plotHeight: Plugin<'line'> = {
  id: 'labPlotHeight',
  afterLayout(chart) {
    chart.canvas.dataset['plotHeight'] = String(Math.round(chart.chartArea.height));
  },
};

/** Draws each point's 95% interval as a vertical bar with caps, in its series' colour. */
const errorBars: Plugin<'line'> = {
  id: 'labErrorBars',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    const yScale = chart.scales['y'];
    const xScale = chart.scales['x'];
    if (!yScale || !xScale) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    chart.data.datasets.forEach((dataset, index) => {
      if (!chart.isDatasetVisible(index)) return;
      ctx.strokeStyle = String(dataset.borderColor);
      ctx.lineWidth = 1.5;
      ctx.setLineDash([]);
      const points = dataset.data as LineData;
      // On a log axis an interval end at or below zero runs off the bottom of the plot.
      const pixel = (value: number) => (value > 0 || yScale.type !== 'logarithmic' ? yScale.getPixelForValue(value) : chartArea.bottom);
      if (dataset.showLine !== false) {
        // A dense curve gets a translucent band between its interval ends, not a forest of bars.
        const banded = points.filter((point) => point.low !== undefined && point.high !== undefined);
        if (banded.length < 2) return;
        ctx.fillStyle = String(dataset.borderColor);
        ctx.globalAlpha = 0.2;
        ctx.beginPath();
        banded.forEach((point, i) => {
          const x = xScale.getPixelForValue(point.x);
          if (i === 0) ctx.moveTo(x, pixel(point.high as number));
          else ctx.lineTo(x, pixel(point.high as number));
        });
        for (let i = banded.length - 1; i >= 0; i--) {
          const point = banded[i] as DataPoint;
          ctx.lineTo(xScale.getPixelForValue(point.x), pixel(point.low as number));
        }
        ctx.closePath();
        ctx.fill();
        ctx.globalAlpha = 1;
        return;
      }
      for (const point of points) {
        if (point.low === undefined || point.high === undefined) continue;
        const x = xScale.getPixelForValue(point.x);
        const top = pixel(point.high);
        const bottom = pixel(point.low);
        if (Math.abs(bottom - top) < 1) continue;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 4, top);
        ctx.lineTo(x + 4, top);
        ctx.moveTo(x - 4, bottom);
        ctx.lineTo(x + 4, bottom);
        ctx.stroke();
      }
    });
    ctx.restore();
  },
};

/** A run kept on the charts for comparison, drawn faded under the current one. */
export interface PinnedRun {
  result: LabResult;
  /** What differs from the current run ("pinned: seed 2"). */
  label: string;
}

function datasets(
  spec: ChartSpec,
  result: LabResult,
  subjects: ReadonlyMap<string, number>,
  columns: number,
  pinned?: PinnedRun,
): Array<ChartDataset<'line', LineData>> {
  const current = seriesDatasets(spec, result, subjects, columns);
  if (!pinned) return current;
  // Faded, with hollow markers, so the pinned run never reads as the current one.
  const old = seriesDatasets(spec, pinned.result, subjects, columns, 0.4).map((dataset) => ({
    ...dataset,
    label: `${dataset.label ?? ''} (${pinned.label})`,
    pointBackgroundColor: 'transparent',
  }));
  return [...current, ...old];
}

function seriesDatasets(
  spec: ChartSpec,
  result: LabResult,
  subjects: ReadonlyMap<string, number>,
  columns: number,
  opacity = 1,
): Array<ChartDataset<'line', LineData>> {
  const palette = PALETTE[theme()];
  const dashes = formulaDashes(spec);
  return spec.series.map((series, index) => {
    const subject = subjects.get(subjectOf(series)) ?? 0;
    const full = palette[subject % palette.length] as string;
    const color =
      opacity < 1
        ? `${full}${Math.round(opacity * 255)
            .toString(16)
            .padStart(2, '0')}`
        : full;
    const reference = series.role === 'reference';
    const markers = !reference && series.markers !== false;
    // Log axes cannot show zero or negative values; such points are left out.
    const points = (result.series[series.key] ?? [])
      .filter(([x, y]) => (spec.x.scale !== 'logarithmic' || x > 0) && (spec.y.scale !== 'logarithmic' || y > 0))
      .map(([x, y, low, high]): DataPoint => (low === undefined || high === undefined ? { x, y } : { x, y, low, high }));
    // A line never needs more points than the plot has pixel columns; markers are few already.
    const data = markers ? points : decimate(points, columns, spec.x.scale === 'logarithmic');
    return {
      label: series.label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: reference ? 2 : 2.5,
      borderDash: dashes[index] ?? [],
      // Markers alone for sparse simulated points: a line between them would claim
      // values that were never simulated. Formulas and dense simulated curves are lines.
      showLine: !markers,
      pointRadius: markers ? 4 : 0,
      pointHoverRadius: markers ? 6 : 3,
      pointHitRadius: 6,
      pointStyle: reference ? 'line' : MARKERS[subject % MARKERS.length],
      tension: 0,
    };
  });
}

function axisOptions(axis: AxisSpec, text: string, grid: string, vertical: boolean) {
  return {
    type: axis.scale === 'logarithmic' ? ('logarithmic' as const) : ('linear' as const),
    title: { display: true, text: axisTitle(axis), color: text },
    ticks: {
      color: text,
      autoSkip: true,
      maxRotation: 0,
      callback(this: Scale, value: number | string) {
        return tickLabel(axis, Number(value), { min: this.min, max: this.max });
      },
    },
    grid: { color: grid },
    ...(axis.beginAtZero && axis.scale !== 'logarithmic' ? { beginAtZero: true } : {}),
    // A share's axis shows its whole range upwards; along x it spans the data only.
    ...(vertical && axis.format === 'percent' && axis.scale !== 'logarithmic' ? { suggestedMax: 100, min: 0 } : {}),
    ...(vertical && axis.format === 'probability' && axis.scale !== 'logarithmic' ? { suggestedMax: 1, min: 0 } : {}),
    // Ticks that never collide: decades, 1-2-5, or round durations in one unit.
    afterBuildTicks: (scale: Scale) => {
      const values = tickValues(axis, scale.min, scale.max);
      if (values) scale.ticks = values.map((value) => ({ value }));
    },
  };
}

/**
 * What a chart holds back for the moment: its layout (while it is made) or its painting (while
 * it is laid out), so that each is a task of its own. Chart.js skips an update or a render
 * when a plugin's before-hook returns false.
 */
const heldBack = new WeakMap<HTMLCanvasElement, 'update' | 'render'>();
const holdBack: Plugin<'line'> = {
  id: 'labHoldBack',
  beforeUpdate: (chart) => heldBack.get(chart.canvas) !== 'update',
  beforeRender: (chart) => heldBack.get(chart.canvas) !== 'render',
};

/** Runs `work` with the chart's updates or renders held back (see holdBack). */
function holdingBack<T>(canvas: HTMLCanvasElement, what: 'update' | 'render', work: () => T): T {
  heldBack.set(canvas, what);
  try {
    return work();
  } finally {
    heldBack.delete(canvas);
  }
}

export class LabChart {
  private chart: Chart<'line', LineData> | null = null;
  private last: LabResult | null = null;
  private pinned: PinnedRun | undefined;
  /** The series the reader has hidden from the key, by their place in it; kept across runs. */
  private readonly hidden = new Set<number>();

  /** `legend` is the list that holds the chart's key (none for the warm-up's chart). */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly spec: ChartSpec,
    private readonly subjects: ReadonlyMap<string, number>,
    private readonly legend: HTMLElement | null = null,
  ) {}

  /** Whether the chart exists yet: making it is the slow part of a first draw. */
  get prepared(): boolean {
    return this.chart !== null;
  }

  /**
   * The work of drawing `result`, in steps for the page to run one per task: making the chart
   * (the first time), laying it out with the data, painting it, listing its key, and, until done
   * once, keeping its figure laid out for good. Each is a few tens of
   * milliseconds at most, even for the first chart on a page, whose code runs cold.
   */
  drawSteps(result: LabResult, pinned?: PinnedRun): Array<() => void> {
    const steps: Array<() => void> = [];
    if (!this.chart) {
      // The figure's layout, which Chart.js reads as it makes the chart: a figure out of view
      // has none yet (content-visibility), and laying it out is a step of its own.
      steps.push(() => void this.canvas.getBoundingClientRect());
      steps.push(() => this.prepare());
    }
    steps.push(() => {
      this.last = result;
      this.pinned = pinned;
      const chart = this.prepare();
      // Device pixels across, so a thinned curve is as sharp as the full one. The chart knows its
      // width; reading the canvas's would lay out the page again for every chart.
      const columns = Math.max(100, Math.round((chart.width || 800) * (window.devicePixelRatio || 1)));
      const drawn = datasets(this.spec, result, this.subjects, columns, pinned);
      drawn.forEach((dataset, index) => (dataset.hidden = this.hidden.has(index)));
      chart.data = { datasets: drawn };
      holdingBack(this.canvas, 'render', () => chart.update('none'));
    });
    steps.push(() => this.chart?.render());
    steps.push(() => this.showLegend());
    // A figure left to content-visibility would take its real height only when scrolled near,
    // moving what is below it (a button about to be clicked) by hundreds of pixels. Checked on
    // each draw, not only the first: a partial result's drawing may stop before this step.
    const figure = this.canvas.closest('.lab-figure');
    if (figure && !figure.hasAttribute('data-drawn')) steps.push(() => figure.toggleAttribute('data-drawn', true));
    return steps;
  }

  /** The key's entries for the series drawn now. */
  private legendEntries() {
    return (this.chart?.data.datasets ?? []).map(legendEntry);
  }

  private showLegend(): void {
    if (this.legend) renderLegend(this.legend, this.legendEntries(), (index) => this.toggle(index));
  }

  /** Shows or hides the series at `index` in the key; true when it is shown now. */
  private toggle(index: number): boolean {
    const shown = this.hidden.has(index);
    if (shown) this.hidden.delete(index);
    else this.hidden.add(index);
    const dataset = this.chart?.data.datasets[index];
    if (dataset) dataset.hidden = !shown;
    this.chart?.update('none');
    return shown;
  }

  /** Makes the chart, empty and not yet laid out: a step of its own in drawSteps. */
  private prepare(): Chart<'line', LineData> {
    if (this.chart) return this.chart;
    const detached = !this.canvas.isConnected;
    const { text, grid } = chartPalette();
    const { x, y } = this.spec;
    const config: ChartConfiguration<'line', LineData> = {
      type: 'line',
      data: { datasets: [] },
      plugins: [holdBack, errorBars, plotHeight],
      options: {
        animation: false,
        // A detached canvas (the warm-up's) has no box to fit.
        responsive: !detached,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: { x: axisOptions(x, text, grid, false), y: axisOptions(y, text, grid, true) },
        plugins: {
          tooltip: {
            enabled: true,
            callbacks: {
              label: (item: TooltipItem<'line'>) => {
                const point = item.raw as DataPoint;
                const interval =
                  point.low !== undefined && point.high !== undefined
                    ? ` (95% interval ${valueText(y, point.low)} to ${valueText(y, point.high)})`
                    : '';
                return `${item.dataset.label ?? ''}: ${valueText(y, point.y)} at ${valueText(x, point.x)}${interval}`;
              },
            },
          },
        },
      },
    };
    // The constructor's own first update is held back: the first draw lays the chart out.
    this.chart = holdingBack(this.canvas, 'update', () => new Chart(this.canvas, config));
    // The theme whose colours it was made in, so a switch of theme can be seen to remake it.
    this.canvas.dataset['theme'] = theme();
    return this.chart;
  }

  /**
   * The steps (see drawSteps) that make the chart again with the colours of the current theme
   * and draw what it showed. None when it has shown nothing yet.
   */
  restyleSteps(): Array<() => void> {
    if (!this.chart || !this.last) return [];
    this.destroy();
    return this.drawSteps(this.last, this.pinned);
  }

  /** Forgets the chart (the warm-up's, once done). */
  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  /**
   * The chart as a PNG, with its key underneath, on the page's background colour (the canvas
   * itself is transparent).
   */
  png(): string | null {
    if (!this.chart) return null;
    const background = cssColor('--sl-color-bg', theme() === 'light' ? '#ffffff' : '#17181c');
    return withLegend(this.canvas, this.legendEntries(), { text: chartPalette().text, background }).toDataURL('image/png');
  }
}

let warmedUp = false;

/**
 * Steps (one per task, in idle time) that draw a small chart like `spec` on a canvas that is
 * never shown, once per page. Chart.js's code runs slowly the first few times (interpreted,
 * its caches empty): done here on a few points, before the reader's first run, the first real
 * chart's steps take about half as long.
 */
export function warmUpSteps(spec: ChartSpec, subjects: ReadonlyMap<string, number>): Array<() => void> {
  if (warmedUp) return [];
  warmedUp = true;
  const canvas = document.createElement('canvas');
  canvas.width = 600;
  canvas.height = 300;
  const chart = new LabChart(canvas, spec, subjects);
  // Three points inside any axis, log or linear, with intervals so the error bars draw too.
  const points: Array<[number, number, number, number]> = [
    [1, 1, 0.9, 1.1],
    [2, 3, 2.5, 3.5],
    [4, 2, 1.5, 2.5],
  ];
  const result: LabResult = {
    series: Object.fromEntries(spec.series.map((series) => [series.key, points])),
    summary: '',
    verdict: '',
  };
  return [...chart.drawSteps(result), () => chart.destroy()];
}
