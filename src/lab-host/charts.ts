/**
 * Chart.js drawing for every lab. Only the pieces the labs use are registered, which
 * keeps the bundle small.
 */
import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { ChartSpec } from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

// Okabe-Ito colours, distinguishable with colour-blindness; darker and lighter sets
// keep at least 3:1 contrast on Starlight's light and dark backgrounds.
const PALETTE = {
  light: ['#0060a8', '#b35900', '#007a5a', '#a8327a', '#5c4dab', '#6b6b00'],
  dark: ['#56b4e9', '#e69f00', '#3ccf9f', '#e07ab5', '#a99cf0', '#d4d44a'],
};

function theme(): 'light' | 'dark' {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

type LineData = Array<{ x: number; y: number }>;

function datasets(spec: ChartSpec, result: LabResult): Array<ChartDataset<'line', LineData>> {
  const palette = PALETTE[theme()];
  return spec.series.map((series, index) => {
    const color = palette[index % palette.length] as string;
    const reference = series.role === 'reference';
    // Log axes cannot show zero or negative values; such points are left out.
    const points = (result.series[series.key] ?? [])
      .filter(([x, y]) => (spec.x.scale !== 'logarithmic' || x > 0) && (spec.y.scale !== 'logarithmic' || y > 0))
      .map(([x, y]) => ({ x, y }));
    return {
      label: series.label,
      data: points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: reference ? 2 : 2.5,
      borderDash: reference ? [6, 4] : [],
      pointRadius: reference || series.markers === false ? 0 : 3.5,
      pointStyle: (['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star'] as const)[index % 6],
      tension: 0,
    };
  });
}

export class LabChart {
  private chart: Chart<'line', LineData> | null = null;
  private last: LabResult | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly spec: ChartSpec,
  ) {}

  draw(result: LabResult): void {
    this.last = result;
    const data = { datasets: datasets(this.spec, result) };
    if (this.chart) {
      this.chart.data = data;
      this.chart.update('none');
      return;
    }
    const text = cssColor('--sl-color-gray-2', '#444');
    const grid = cssColor('--sl-color-gray-5', '#ccc');
    const axis = (a: ChartSpec['x']) => ({
      type: a.scale === 'logarithmic' ? ('logarithmic' as const) : ('linear' as const),
      title: { display: true, text: a.label, color: text },
      ticks: { color: text },
      grid: { color: grid },
      ...(a.beginAtZero && a.scale !== 'logarithmic' ? { beginAtZero: true } : {}),
    });
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: { x: axis(this.spec.x), y: axis(this.spec.y) },
        plugins: {
          legend: { labels: { color: text, usePointStyle: true } },
          tooltip: { enabled: true },
        },
      },
    });
  }

  /** Re-creates the chart with the colours of the current theme. */
  restyle(): void {
    if (!this.chart || !this.last) return;
    this.chart.destroy();
    this.chart = null;
    this.draw(this.last);
  }
}
