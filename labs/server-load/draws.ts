/**
 * Two numerical helpers of the queue simulation that the kernel does not have: a gamma
 * draw (the time a single worker takes to serve several requests in a row) and a
 * quantile by selection instead of a full sort (the 95th percentile of up to 200,000
 * responses, for every simulated size).
 */
import type { Random } from '../kernel/random';

/**
 * A Gamma(shape, rate) draw for a whole shape ≥ 1: the sum of `shape` independent
 * exponentials of the given rate. Small shapes multiply uniforms; larger ones use
 * Marsaglia and Tsang's squeeze method (“A simple method for generating gamma
 * variables”, ACM TOMS 26(3), 2000), which costs O(1) whatever the shape.
 */
export function gammaDraw(shape: number, rate: number, random: Random): number {
  if (shape < 1) return 0;
  if (shape <= 12) {
    // The product of 12 uniforms stays far above the smallest double.
    let product = 1;
    for (let i = 0; i < shape; i++) product *= 1 - random.next();
    return -Math.log(product) / rate;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/**
 * Moves the k-th smallest value of values[from..to] (inclusive) to index k, smaller ones
 * before it and larger ones after (Hoare's selection with a median-of-three pivot):
 * O(n) on average instead of a sort's O(n log n).
 */
function selectInPlace(values: Float64Array, k: number, from: number, to: number): void {
  let low = from;
  let high = to;
  while (high > low) {
    const middle = (low + high) >>> 1;
    // Median of three as the pivot, so sorted or constant stretches do not go quadratic.
    const a = values[low] as number;
    const b = values[middle] as number;
    const c = values[high] as number;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const held = values[i] as number;
        values[i] = values[j] as number;
        values[j] = held;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return;
  }
}

/**
 * The q-quantile by linear interpolation between order statistics (type 7, as the
 * kernel's `quantile`, in R and NumPy), reordering `values` in place.
 */
export function quantileInPlace(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  selectInPlace(values, lower, 0, n - 1);
  const low = values[lower] as number;
  if (lower + 1 >= n || position === lower) return low;
  // The next order statistic is the smallest of what selection left above `lower`.
  let high = Infinity;
  for (let i = lower + 1; i < n; i++) if ((values[i] as number) < high) high = values[i] as number;
  return low + (high - low) * (position - lower);
}
