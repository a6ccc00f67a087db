/**
 * Pure decisions about how a chart reads: which colour a series gets, where ticks go
 * and how they are labelled. No DOM and no Chart.js, so they are unit-tested in Node.
 */
import type { AxisSpec, ChartSpec, LabManifest, SeriesSpec } from '../../labs/kernel/manifest';
import { formatCount, formatDuration, formatSig } from '../../labs/kernel/format';

/** The subject a series is about; series without one are a subject of their own. */
export function subjectOf(series: SeriesSpec): string {
  return series.subject ?? series.key;
}

/** Dash patterns of formulas: the first of a subject's is dashed, a second dotted. */
export const FORMULA_DASHES: ReadonlyArray<number[]> = [
  [6, 4],
  [2, 3],
  [10, 3, 2, 3],
];

/**
 * Each formula's dash pattern: dashed, and dotted for a second formula of the same subject in a
 * chart (two formulas predicting one simulation would otherwise be the same line).
 */
export function formulaDashes(spec: ChartSpec): Array<number[] | undefined> {
  const seen = new Map<string, number>();
  return spec.series.map((series) => {
    if (series.role !== 'reference') return undefined;
    const count = seen.get(subjectOf(series)) ?? 0;
    seen.set(subjectOf(series), count + 1);
    return FORMULA_DASHES[count % FORMULA_DASHES.length];
  });
}

/**
 * One palette index per subject, in order of first appearance across every chart of
 * the lab, so "client-server" is the same colour in every chart of a lab.
 */
export function subjectIndices(manifest: Pick<LabManifest, 'charts'>): Map<string, number> {
  const indices = new Map<string, number>();
  for (const chart of manifest.charts) {
    for (const series of chart.series) {
      const subject = subjectOf(series);
      if (!indices.has(subject)) indices.set(subject, indices.size);
    }
  }
  return indices;
}

// Okabe-Ito colours, distinguishable with colour-blindness; darker and lighter sets
// keep at least 3:1 contrast on Starlight's light and dark backgrounds. Read by the lab's
// Chart.js charts and by the revision sheet's static charts alike.
export const PALETTE: Readonly<Record<'light' | 'dark', ReadonlyArray<string>>> = {
  light: ['#0060a8', '#b35900', '#007a5a', '#a8327a', '#5c4dab', '#6b6b00'],
  dark: ['#56b4e9', '#e69f00', '#3ccf9f', '#e07ab5', '#a99cf0', '#d4d44a'],
};

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Durations a reader recognises, for ticks on a logarithmic time axis. */
const DURATION_LADDER: number[] = [
  ...[1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1].flatMap((decade) => [decade, 2 * decade, 5 * decade]),
  1,
  2,
  5,
  10,
  20,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  5 * DAY,
  10 * DAY,
  20 * DAY,
  50 * DAY,
  100 * DAY,
  200 * DAY,
  500 * DAY,
  1000 * DAY,
  2000 * DAY,
  5000 * DAY,
  10000 * DAY,
  100000 * DAY,
  1000000 * DAY,
];

/** The unit a duration is best read in, and its length in seconds. */
export function durationUnit(seconds: number): { unit: string; size: number } {
  const abs = Math.abs(seconds);
  if (abs < 1e-3) return { unit: 'µs', size: 1e-6 };
  if (abs < 1) return { unit: 'ms', size: 1e-3 };
  if (abs < 2 * MINUTE) return { unit: 's', size: SECOND };
  if (abs < 2 * HOUR) return { unit: 'min', size: MINUTE };
  if (abs < 2 * DAY) return { unit: 'h', size: HOUR };
  return { unit: 'days', size: DAY };
}

const UNITS = [
  { unit: 'days', size: DAY },
  { unit: 'h', size: HOUR },
  { unit: 'min', size: MINUTE },
  { unit: 's', size: SECOND },
  { unit: 'ms', size: 1e-3 },
  { unit: 'µs', size: 1e-6 },
];

/**
 * A tick label for a duration: "30 s", "2 min", "1.5 h", "10 days". Given a unit,
 * it is used (ticks of one linear axis share one unit); otherwise the largest unit
 * the value reaches, so a log axis reads 1 min, 1 h, 1 day.
 */
export function durationLabel(seconds: number, within?: { unit: string; size: number }): string {
  if (seconds === 0) return '0';
  const { unit, size } = within ?? UNITS.find((u) => Math.abs(seconds) >= u.size * (1 - 1e-9)) ?? UNITS[UNITS.length - 1]!;
  return `${formatSig(seconds / size)} ${unit === 'days' && Math.abs(seconds / size - 1) < 1e-9 ? 'day' : unit}`;
}

/** 1, 2 or 5 times a power of ten, the smallest at least `raw`. */
function niceStep(raw: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const multiple of [1, 2, 5, 10]) if (multiple * power >= raw * (1 - 1e-9)) return multiple * power;
  return 10 * power;
}

const MAX_TICKS = 8;

/** Thins a sorted list of tick values to at most `most`, keeping the first and every k-th. */
function thin(values: number[], most: number): number[] {
  if (values.length <= most) return values;
  const stride = Math.ceil(values.length / most);
  return values.filter((_, index) => index % stride === 0);
}

/**
 * Tick values for an axis over [min, max], chosen so labels never collide:
 * log axes get decades (with 2 and 5 when the range is short, human durations on a
 * time axis); linear time axes get round steps in one unit chosen from the data.
 * Returns null where Chart.js's own linear ticks read well.
 */
export function tickValues(axis: AxisSpec, min: number, max: number): number[] | null {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || max <= min) return null;
  if (axis.scale === 'logarithmic') {
    if (min <= 0) return null;
    const inRange = (value: number) => value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9);
    if (axis.format === 'duration') {
      const ladder = DURATION_LADDER.filter(inRange);
      if (ladder.length >= 2) return thin(ladder, MAX_TICKS);
    }
    const low = Math.floor(Math.log10(min));
    const high = Math.ceil(Math.log10(max));
    const decades = high - low;
    const multiples = decades <= 2 ? [1, 2, 5] : [1];
    const values: number[] = [];
    for (let exponent = low; exponent <= high; exponent++) {
      for (const multiple of multiples) {
        const value = Number((multiple * Math.pow(10, exponent)).toPrecision(12));
        if (inRange(value)) values.push(value);
      }
    }
    if (values.length < 2) return null;
    return thin(values, MAX_TICKS);
  }
  if (axis.format === 'duration') {
    const { size } = durationUnit(Math.max(Math.abs(min), Math.abs(max)));
    const step = niceStep((max - min) / size / 6) * size;
    const values: number[] = [];
    for (let value = Math.ceil(min / step - 1e-9) * step; value <= max * (1 + 1e-9) + 1e-12; value += step) {
      values.push(Number(value.toPrecision(12)));
    }
    return values.length >= 2 ? values : null;
  }
  return null;
}

/**
 * The text of one tick, by the axis's format. `range` is the axis's extent: a linear
 * time axis then labels every tick in the one unit that suits the range.
 */
export function tickLabel(axis: AxisSpec, value: number, range?: { min: number; max: number }): string {
  switch (axis.format) {
    case 'duration':
      return durationLabel(
        value,
        range && axis.scale !== 'logarithmic' ? durationUnit(Math.max(Math.abs(range.min), Math.abs(range.max))) : undefined,
      );
    case 'percent':
      return `${formatSig(value)}%`;
    case 'count':
      return Number.isInteger(value) ? formatCount(value) : formatSig(value);
    default:
      return formatSig(value);
  }
}

/** One value in prose or a tooltip: like a tick, but a duration in the unit that suits it alone. */
export function valueText(axis: AxisSpec, value: number): string {
  return axis.format === 'duration' ? formatDuration(value) : tickLabel(axis, value);
}

/** An axis title, with the unit its values are stored in when the format implies one. */
export function axisTitle(axis: AxisSpec): string {
  if (axis.format === 'percent' && !axis.label.includes('%')) return `${axis.label} (%)`;
  return axis.label;
}

/** A table or CSV column header: the stored unit spelled out, since cells are raw numbers. */
export function columnTitle(axis: AxisSpec): string {
  if (axis.format === 'duration') return `${axis.label} (s)`;
  return axisTitle(axis);
}

/** Whether any series of a chart carries confidence intervals. */
export function hasIntervals(chart: ChartSpec, series: Record<string, ReadonlyArray<readonly number[]>>): boolean {
  return chart.series.some((s) => (series[s.key] ?? []).some((point) => point.length >= 4));
}

/**
 * Thins a dense curve to about `buckets` columns: in each column the lowest and the
 * highest point stay (in their order), so peaks and dips survive; the ends always stay.
 * Columns are even along the axis as drawn (log or linear). A curve with no more points
 * than twice the columns is returned as it is.
 */
export function decimate<T extends { x: number; y: number }>(points: ReadonlyArray<T>, buckets: number, logX: boolean): T[] {
  if (points.length <= 2 * buckets || buckets < 1) return [...points];
  const position = (x: number) => (logX ? Math.log(x) : x);
  const first = position(points[0]!.x);
  const span = position(points[points.length - 1]!.x) - first || 1;
  const kept: T[] = [points[0]!];
  let column = -1;
  let low = -1;
  let high = -1;
  const flush = () => {
    if (low < 0) return;
    if (low === high) kept.push(points[low]!);
    else kept.push(points[Math.min(low, high)]!, points[Math.max(low, high)]!);
  };
  for (let i = 1; i < points.length - 1; i++) {
    const y = points[i]!.y;
    const at = Math.min(buckets - 1, Math.floor(((position(points[i]!.x) - first) / span) * buckets));
    if (at !== column) {
      flush();
      column = at;
      low = high = i;
    } else {
      if (y < points[low]!.y) low = i;
      if (y > points[high]!.y) high = i;
    }
  }
  flush();
  kept.push(points[points.length - 1]!);
  return kept;
}
