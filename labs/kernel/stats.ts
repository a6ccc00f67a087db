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
