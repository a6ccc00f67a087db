/**
 * What theory predicts for the giant component after nodes are removed: closed forms for the
 * Erdős–Rényi graph and the star, and the generating-function (configuration-model) prediction
 * for any degree distribution, under random failure and under a targeted attack.
 */
import { degreeOf, type Graph } from './graph';

// ---------------------------------------------------------------------------
// Erdős–Rényi closed forms (N → ∞)
// ---------------------------------------------------------------------------

/**
 * Share of nodes in the giant component of an Erdős–Rényi graph of mean degree c:
 * the positive root of S = 1 - exp(-cS), or 0 when c <= 1. Newton's method from S = 1
 * converges monotonically because f(S) = S - 1 + exp(-cS) is convex and positive there.
 */
export function erdosRenyiGiantShare(meanDegree: number): number {
  if (!(meanDegree > 1)) return 0;
  let share = 1;
  for (let iteration = 0; iteration < 500; iteration++) {
    const decay = Math.exp(-meanDegree * share);
    const next = share - (share - 1 + decay) / (1 - meanDegree * decay);
    if (!(next < share)) return share;
    share = next;
  }
  return share;
}

/**
 * Giant component as a share of the original N after a random fraction q of the nodes
 * fails: the survivors form an Erdős–Rényi graph of mean degree c(1 - q).
 */
export function randomFailureGiantShare(meanDegree: number, removedFraction: number): number {
  const kept = 1 - removedFraction;
  if (!(kept > 0)) return 0;
  return kept * erdosRenyiGiantShare(meanDegree * kept);
}

/** Random failure leaves a giant component only while c(1 - q) > 1. */
export function randomFailureThreshold(meanDegree: number): number {
  return meanDegree > 1 ? 1 - 1 / meanDegree : 0;
}

/**
 * The removed fraction at which the giant component holds exactly half of the
 * survivors: S = 1/2 solves S = 1 - exp(-c' S) at c' = 2 ln 2, so q = 1 - 2 ln 2 / c.
 */
export function randomFailureHalfConnected(meanDegree: number): number {
  return Math.max(0, 1 - (2 * Math.LN2) / meanDegree);
}

/** Poisson degree probabilities p_0, p_1, ... up to where the tail is negligible. */
export function poissonProbabilities(mean: number): Float64Array {
  const probabilities: number[] = [Math.exp(-mean)];
  for (let k = 1; k < 10_000; k++) {
    const next = ((probabilities[k - 1] as number) * mean) / k;
    if (k > mean && next < 1e-18) break;
    probabilities.push(next);
  }
  return Float64Array.from(probabilities);
}

// ---------------------------------------------------------------------------
// The configuration model: any degree distribution p_k
// ---------------------------------------------------------------------------

/** A degree distribution kept sparse: only the degrees that occur, with their probabilities. */
export interface DegreeDistribution {
  /** Degrees that occur, increasing. */
  degrees: Int32Array;
  /** p_k for each of those degrees; they sum to 1. */
  probabilities: Float64Array;
  /** <k> = Σ k p_k. */
  mean: number;
}

/** Adds each node's degree of a graph to a histogram (index = degree), growing it as needed. */
export function addDegreeHistogram(graph: Graph, histogram: number[]): void {
  for (let v = 0; v < graph.nodes; v++) {
    const k = degreeOf(graph, v);
    while (histogram.length <= k) histogram.push(0);
    histogram[k] = (histogram[k] as number) + 1;
  }
}

/** The degree distribution of a histogram of counts (or of dense probabilities) indexed by degree. */
export function degreeDistribution(histogram: ArrayLike<number>): DegreeDistribution {
  let total = 0;
  let entries = 0;
  for (let k = 0; k < histogram.length; k++) {
    const count = histogram[k] as number;
    if (count > 0) {
      total += count;
      entries++;
    }
  }
  const degrees = new Int32Array(entries);
  const probabilities = new Float64Array(entries);
  let mean = 0;
  let j = 0;
  for (let k = 0; k < histogram.length; k++) {
    const count = histogram[k] as number;
    if (!(count > 0)) continue;
    degrees[j] = k;
    probabilities[j] = count / total;
    mean += (k * count) / total;
    j++;
  }
  return { degrees, probabilities, mean };
}

/**
 * Giant component, as a share of the original N, of a large random graph with the degree
 * distribution p_k after site percolation that keeps kept[j] = p_k φ_k of the nodes of
 * degree k = degrees[j] (Callaway, Newman, Strogatz and Watts, PRL 85, 5468 (2000), eqs. 1–6):
 * with F0(x) = Σ p_k φ_k x^k and F1(x) = Σ k p_k φ_k x^(k−1) / <k>, the chance u that a link
 * leads to no giant component solves u = 1 − F1(1) + F1(u), and the giant share is F0(1) − F0(u).
 * With φ_k = φ for every k this is S = φ(1 − G0(u)), u = 1 − φ + φ G1(u).
 */
export function percolatedGiantShareOf(distribution: DegreeDistribution, kept: ArrayLike<number>, warm?: WarmStart): number {
  const { degrees, mean } = distribution;
  if (!(mean > 0)) return 0;
  let reach = 0; // F1(1)
  let slope = 0; // F1'(1): mean number of further kept links reached through a link
  for (let j = 0; j < degrees.length; j++) {
    const k = degrees[j] as number;
    reach += (k * (kept[j] as number)) / mean;
    slope += (k * (k - 1) * (kept[j] as number)) / mean;
  }
  if (!(slope > 1)) return 0;
  // h(u) = 1 − F1(1) + F1(u) − u is convex with h(0) >= 0, h(1) = 0 and h'(1) > 0, so Newton
  // from 0 climbs monotonically to its smallest root, the one below 1. It climbs as well from
  // any point at or below that root, such as the root for fewer nodes removed (see WarmStart).
  let u = warm && warm.u >= 0 && warm.u < 1 ? warm.u : 0;
  for (let iteration = 0; iteration < 1000; iteration++) {
    // F1(u) and F1'(u) in one sweep over the increasing degrees, each power of u from the
    // last by one multiplication where degrees are consecutive (most of them), not a pow each.
    let f1 = 0;
    let f1Slope = 0;
    let power = 1; // u^(k − 2), for the degree k in hand
    let exponent = 0;
    for (let j = 0; j < degrees.length; j++) {
      const k = degrees[j] as number;
      if (k === 0) continue;
      const weight = (k * (kept[j] as number)) / mean;
      if (k === 1) {
        f1 += weight;
        continue;
      }
      power *= powerStep(u, k - 2 - exponent);
      exponent = k - 2;
      f1 += weight * power * u;
      f1Slope += (k - 1) * weight * power;
    }
    const h = 1 - reach + f1 - u;
    const next = u - h / (f1Slope - 1);
    if (!(next > u + 1e-15)) break;
    u = Math.min(next, 1);
  }
  if (warm) warm.u = u;
  let share = 0;
  let power = 1; // u^k
  let exponent = 0;
  for (let j = 0; j < degrees.length; j++) {
    const k = degrees[j] as number;
    power *= powerStep(u, k - exponent);
    exponent = k;
    share += (kept[j] as number) * (1 - power);
  }
  return Math.max(0, share);
}

/** u^gap for the step between two powers of u: a multiplication for consecutive degrees. */
function powerStep(u: number, gap: number): number {
  return gap === 1 ? u : gap === 0 ? 1 : Math.pow(u, gap);
}

/**
 * The root u of the last solve, to start the next from when removals grow along a curve.
 * Removing more nodes (at random, or by decreasing degree) lowers every φ_k, so h(u) rises
 * at every u and its smallest root moves up: the last root lies at or below the next one,
 * where Newton climbs to the same root as from 0, in a few steps instead of dozens.
 */
export interface WarmStart {
  u: number;
}

/** The same, for dense kept[k] = p_k φ_k indexed by degree, with <k> given. */
export function percolatedGiantShare(kept: ArrayLike<number>, meanDegree: number): number {
  const degrees: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < kept.length; k++) {
    if ((kept[k] as number) > 0) {
      degrees.push(k);
      weights.push(kept[k] as number);
    }
  }
  return percolatedGiantShareOf(
    { degrees: Int32Array.from(degrees), probabilities: Float64Array.from(weights), mean: meanDegree },
    weights,
  );
}

/** Random failure of a fraction q: every node is kept with probability φ = 1 − q (Callaway et al. 2000). */
export function configurationRandomFailure(distribution: DegreeDistribution, removedFraction: number, warm?: WarmStart): number {
  const occupied = 1 - removedFraction;
  if (!(occupied > 0)) return 0;
  return percolatedGiantShareOf(
    distribution,
    distribution.probabilities.map((p) => p * occupied),
    warm,
  );
}

/**
 * Targeted attack on a fraction q, highest degrees first (Callaway et al. 2000; Cohen, Erez,
 * ben-Avraham and Havlin, PRL 86, 3682 (2001)): φ_k = 1 below the cut-off degree, 0 above it,
 * and the part of the cut-off degree that fills the kept share 1 − q.
 */
export function configurationTargetedAttack(distribution: DegreeDistribution, removedFraction: number, warm?: WarmStart): number {
  if (removedFraction >= 1) return 0;
  const { probabilities } = distribution;
  const kept = new Float64Array(probabilities.length);
  let room = 1 - removedFraction;
  for (let j = 0; j < probabilities.length && room > 0; j++) {
    const take = Math.min(probabilities[j] as number, room);
    kept[j] = take;
    room -= take;
  }
  return percolatedGiantShareOf(distribution, kept, warm);
}

/** The Poisson distribution of an Erdős–Rényi graph of mean degree c, as a DegreeDistribution. */
export function poissonDistribution(meanDegree: number): DegreeDistribution {
  const dense = poissonProbabilities(meanDegree);
  const distribution = degreeDistribution(dense);
  // Keep the exact mean c rather than that of the truncated series.
  return { ...distribution, mean: meanDegree > 0 ? meanDegree : 0 };
}

/** Giant share after the highest-degree fraction q of an Erdős–Rényi graph of mean degree c is removed. */
export function targetedAttackGiantShare(meanDegree: number, removedFraction: number): number {
  if (!(meanDegree > 0) || removedFraction >= 1) return 0;
  return configurationTargetedAttack(poissonDistribution(meanDegree), removedFraction);
}

// ---------------------------------------------------------------------------
// The star, exactly, for N nodes
// ---------------------------------------------------------------------------

/**
 * Expected giant share of a star of N nodes after k random nodes fail: the hub survives
 * with probability (N - k)/N and then holds every survivor; otherwise each node is alone.
 */
export function starRandomFailureGiantShare(nodes: number, removed: number): number {
  if (removed >= nodes) return 0;
  const survivors = (nodes - removed) / nodes;
  return survivors * survivors + (removed / nodes) * (1 / nodes);
}

/** Expected share of the N(N - 1) ordered pairs that can still talk in that star. */
export function starRandomFailurePairShare(nodes: number, removed: number): number {
  if (removed >= nodes || nodes < 2) return 0;
  const survivors = nodes - removed;
  return (survivors / nodes) * ((survivors * (survivors - 1)) / (nodes * (nodes - 1)));
}

/** A targeted attack removes the hub first: from one removal on, every survivor is alone. */
export function starTargetedGiantShare(nodes: number, removed: number): number {
  if (removed <= 0) return 1;
  return removed >= nodes ? 0 : 1 / nodes;
}

/** Pairs that can talk in the star after a targeted attack: all of them, then none. */
export function starTargetedPairShare(removed: number): number {
  return removed <= 0 ? 1 : 0;
}
