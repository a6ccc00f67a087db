import type { Point } from './model';

/** Running mean and variance (Welford), so long simulations need no sample arrays. */
export class RunningStats {
  count = 0;
  private meanValue = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number): void {
    this.count++;
    const delta = value - this.meanValue;
    this.meanValue += delta / this.count;
    this.m2 += delta * (value - this.meanValue);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  get mean(): number {
    return this.count > 0 ? this.meanValue : NaN;
  }

  /** Sample variance (n - 1 in the denominator). */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  get standardError(): number {
    return Math.sqrt(this.variance / this.count);
  }

  /** Half-width of the normal-approximation confidence interval (z = 1.96 for 95%). */
  confidenceHalfWidth(z = 1.96): number {
    return z * this.standardError;
  }
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/** Quantile by linear interpolation between order statistics (type 7, as in R and NumPy). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  if (q < 0 || q > 1) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/**
 * Batch-means confidence interval for a correlated time series (queue waiting
 * times): split into batches, treat batch means as independent.
 */
export function batchMeans(values: ArrayLike<number>, batches = 20): { mean: number; halfWidth: number } {
  const size = Math.floor(values.length / batches);
  if (size < 1) return { mean: mean(values), halfWidth: Infinity };
  const stats = new RunningStats();
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i] as number;
    stats.add(sum / size);
  }
  return { mean: stats.mean, halfWidth: stats.confidenceHalfWidth() };
}

/** count points from min to max (both included), evenly spaced on a log scale. */
export function logSpaced(min: number, max: number, count: number): number[] {
  if (count < 2 || max <= min) return [min];
  const ratio = Math.log(max / min);
  return Array.from({ length: count }, (_, i) => min * Math.exp((ratio * i) / (count - 1)));
}

/** Up to count points from min to max on a log scale, rounded to integers and deduplicated. */
export function logSpacedIntegers(min: number, max: number, count: number): number[] {
  if (max <= min) return [Math.round(min)];
  return [...new Set(logSpaced(min, max, count).map(Math.round))].sort((a, b) => a - b);
}

/** n points evenly spaced from min to max, both included. */
export function linearSpaced(min: number, max: number, count: number): number[] {
  if (count < 2) return [min];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}

// Student's t quantiles t(0.975, df) for df = 1..30; beyond 30 the normal 1.96 is within 2%.
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df): the multiplier of a 95% interval from df + 1 replications. */
export function tQuantile975(df: number): number {
  if (df < 1) return Infinity;
  return df <= T_975.length ? (T_975[df - 1] as number) : 1.96;
}

/**
 * The values a simulated mean can take (a share in [0, 100], a count ≥ 0, a cost above the
 * cheapest possible month): the part of an interval beyond them holds no possible value,
 * so a point's interval is cut there.
 */
export interface PossibleRange {
  min?: number;
  max?: number;
}

function cutInterval(x: number, y: number, half: number, range: PossibleRange): Point {
  return [x, y, Math.max(range.min ?? -Infinity, y - half), Math.min(range.max ?? Infinity, y + half)];
}

/**
 * A simulated mean as a chart point with its 95% confidence interval over independent
 * replications (Student's t, since replications are few), cut to the possible range.
 * With one replication the interval is unknown, and the point is plain (x, y).
 */
export function meanPoint(x: number, replications: ArrayLike<number>, range: PossibleRange = {}): Point {
  const stats = new RunningStats();
  for (let i = 0; i < replications.length; i++) stats.add(replications[i] as number);
  if (stats.count < 2) return [x, stats.mean];
  return cutInterval(x, stats.mean, tQuantile975(stats.count - 1) * stats.standardError, range);
}

/**
 * A mean over many samples (lookups, downloads) as a chart point with its 95% normal
 * interval, scaled by `scale` and cut to the possible range.
 */
export function samplesPoint(x: number, stats: RunningStats, range: PossibleRange = {}, scale = 1): Point {
  const mean = stats.mean * scale;
  if (stats.count < 2) return [x, mean];
  return cutInterval(x, mean, stats.confidenceHalfWidth() * scale, range);
}

/**
 * Wilson score 95% interval of a proportion: stays inside [0, 1] and is sensible at 0
 * and at 1, where the normal approximation collapses to a zero-width interval.
 */
export function proportionInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  // At 0 or every success the interval ends exactly at the boundary; rounding would leave it a hair short.
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= trials ? 1 : Math.min(1, centre + half),
  };
}

/** A simulated share as a chart point in percent, with its Wilson 95% interval. */
export function sharePoint(x: number, successes: number, trials: number): Point {
  const { low, high } = proportionInterval(successes, trials);
  return [x, (100 * successes) / Math.max(1, trials), 100 * low, 100 * high];
}

/**
 * A seed for one part of a run (a sweep point, a replication), derived from the run's
 * seed and the part's indices alone, so a point's result does not depend on the order
 * or the worker in which points are computed.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  // Each part is mixed on its own, with another constant, before it joins: combining
  // raw values (seed ^ part) would make (seed 1, point 0) the same stream as (seed 0, point 1).
  for (const part of parts) h = mix32((h + mix32((part >>> 0) ^ 0x632be5ab)) >>> 0);
  return h % 2147483647;
}

/** The murmur3 finaliser: a bijection on 32-bit words that spreads every input bit. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
