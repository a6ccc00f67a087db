import { createRandom, type Random } from '../kernel/random';
import { linearSpaced } from '../kernel/stats';
import { formatPercent, formatSig } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import {
  degreeOrder,
  erdosRenyiGraph,
  meanDegree as graphMeanDegree,
  maxDegree,
  preferentialAttachmentGraph,
  randomOrder,
  starGraph,
  type Graph,
} from './graph';
import { removalCurve } from './percolation';
import { manifest } from './manifest';

// ---------------------------------------------------------------------------
// Closed forms (N → ∞ unless N is an argument)
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

/**
 * Giant component, as a share of the original N, of a large random graph with mean degree
 * c after site percolation that keeps kept[k] = p_k φ_k of the nodes of each degree k
 * (Callaway, Newman, Strogatz and Watts 2000). With F1(x) = Σ k kept[k] x^(k-1) / c, the
 * chance u that a link leads nowhere solves u = 1 - F1(1) + F1(u), and the giant share is
 * Σ kept[k] (1 - u^k).
 */
export function percolatedGiantShare(kept: ArrayLike<number>, meanDegree: number): number {
  let slope = 0; // F1'(1): mean number of further links reached through a link
  let reach = 0; // F1(1)
  for (let k = 1; k < kept.length; k++) {
    reach += (k * (kept[k] as number)) / meanDegree;
    slope += (k * (k - 1) * (kept[k] as number)) / meanDegree;
  }
  if (!(slope > 1)) return 0;
  // h(u) = 1 - F1(1) + F1(u) - u is convex with h(0) >= 0 and h'(0) < 0, so Newton from 0
  // climbs monotonically to its smallest root.
  let u = 0;
  for (let iteration = 0; iteration < 1000; iteration++) {
    let f1 = 0;
    let f1Slope = 0;
    let power = 1; // u^(k-2) for k >= 2, built up as k grows
    for (let k = 1; k < kept.length; k++) {
      const weight = (k * (kept[k] as number)) / meanDegree;
      if (k === 1) {
        f1 += weight;
      } else {
        f1Slope += (k - 1) * weight * power;
        power *= u;
        f1 += weight * power;
      }
    }
    const h = 1 - reach + f1 - u;
    const next = u - h / (f1Slope - 1);
    if (!(next > u + 1e-15)) break;
    u = Math.min(next, 1);
  }
  let share = 0;
  let power = 1;
  for (let k = 0; k < kept.length; k++) {
    share += (kept[k] as number) * (1 - power);
    power *= u;
  }
  return share;
}

/**
 * Giant share of the original N after the highest-degree fraction q of the nodes of an
 * Erdős–Rényi graph is removed: keep the lowest degrees, and part of the degree at the cut.
 */
export function targetedAttackGiantShare(meanDegree: number, removedFraction: number): number {
  if (!(meanDegree > 0) || removedFraction >= 1) return 0;
  const poisson = poissonProbabilities(meanDegree);
  const kept = new Float64Array(poisson.length);
  let room = 1 - removedFraction;
  for (let k = 0; k < poisson.length && room > 0; k++) {
    const take = Math.min(poisson[k] as number, room);
    kept[k] = take;
    room -= take;
  }
  return percolatedGiantShare(kept, meanDegree);
}

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

// ---------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------

export const topologies = ['star', 'erdos-renyi', 'scale-free'] as const;
export const attacks = ['random', 'targeted'] as const;
export type Topology = (typeof topologies)[number];
export type Attack = (typeof attacks)[number];

export type ConnectivityParams = {
  topology: string;
  attack: string;
  nodes: number;
  meanDegree: number;
  links: number;
  trials: number;
};

export function buildGraph(topology: Topology, params: Pick<ConnectivityParams, 'nodes' | 'meanDegree' | 'links'>, random: Random): Graph {
  if (topology === 'star') return starGraph(params.nodes);
  if (topology === 'erdos-renyi') return erdosRenyiGraph(params.nodes, params.meanDegree, random);
  return preferentialAttachmentGraph(params.nodes, params.links, random);
}

export function removalOrder(graph: Graph, attack: Attack, random: Random): Int32Array {
  return attack === 'random' ? randomOrder(graph.nodes, random) : degreeOrder(graph, random);
}

/**
 * Numbers of removed nodes at which curves are sampled: none, a single node (the
 * star's server), every 1% up to 10% (where attacks on hubs act), then every 5%.
 */
export function sampledRemovals(nodes: number): number[] {
  const fractions = [0, 1 / nodes, ...linearSpaced(0.01, 0.1, 10), ...linearSpaced(0.15, 1, 18)];
  return [...new Set(fractions.map((f) => Math.round(f * nodes)))].sort((a, b) => a - b);
}

export interface CurveSamples {
  /** Removed node counts, as returned by sampledRemovals. */
  removed: number[];
  /** Mean largest component / N at each count. */
  giant: Float64Array;
  /** Mean Σ s(s-1) / (N(N-1)) at each count. */
  pairs: Float64Array;
}

export interface Experiment {
  nodes: number;
  curves: Record<`${Topology}/${Attack}`, CurveSamples>;
  /** Fractions of nodes that had failed when the star's server failed, one per network. */
  serverFailures: number[];
  /** Mean degree and largest degree actually drawn, averaged over networks. */
  measuredMeanDegree: Record<Topology, number>;
  measuredMaxDegree: Record<Topology, number>;
}

/** Every topology under every removal order, averaged over `trials` independent networks. */
export function runExperiment(params: ConnectivityParams, random: Random, progress: (fraction: number) => void = () => {}): Experiment {
  const nodes = params.nodes;
  const removed = sampledRemovals(nodes);
  const pairCount = nodes * (nodes - 1);
  const curves = {} as Experiment['curves'];
  for (const topology of topologies) {
    for (const attack of attacks) {
      curves[`${topology}/${attack}`] = { removed, giant: new Float64Array(removed.length), pairs: new Float64Array(removed.length) };
    }
  }
  const measuredMeanDegree: Record<Topology, number> = { star: 0, 'erdos-renyi': 0, 'scale-free': 0 };
  const measuredMaxDegree: Record<Topology, number> = { star: 0, 'erdos-renyi': 0, 'scale-free': 0 };
  const serverFailures: number[] = [];
  const steps = params.trials * topologies.length * attacks.length;
  let done = 0;
  for (let trial = 0; trial < params.trials; trial++) {
    for (const topology of topologies) {
      // One stream per network, so a network does not depend on how many draws another took.
      const stream = random.fork();
      const graph = buildGraph(topology, params, stream);
      measuredMeanDegree[topology] += graphMeanDegree(graph) / params.trials;
      measuredMaxDegree[topology] += maxDegree(graph) / params.trials;
      for (const attack of attacks) {
        const order = removalOrder(graph, attack, stream);
        if (topology === 'star' && attack === 'random') serverFailures.push((order.indexOf(0) + 1) / nodes);
        const curve = removalCurve(graph, order);
        const target = curves[`${topology}/${attack}`];
        for (let i = 0; i < removed.length; i++) {
          const k = removed[i] as number;
          target.giant[i] = (target.giant[i] as number) + (curve.largest[k] as number) / nodes / params.trials;
          target.pairs[i] = (target.pairs[i] as number) + (pairCount > 0 ? (curve.pairSum[k] as number) / pairCount : 0) / params.trials;
        }
        progress(++done / steps);
      }
    }
  }
  serverFailures.sort((a, b) => a - b);
  return { nodes, curves, serverFailures, measuredMeanDegree, measuredMaxDegree };
}

/**
 * The removed fraction at which the largest group first holds fewer than half of the
 * surviving nodes (the network has fallen apart), interpolated linearly between the
 * two samples around the crossing. 0 if it never held half, 1 if it never falls apart.
 */
export function breakingFraction(curve: CurveSamples, nodes: number): number {
  let previousFraction = 0;
  let previousRatio = 1;
  for (let i = 0; i < curve.removed.length; i++) {
    const k = curve.removed[i] as number;
    if (k >= nodes) break;
    const ratio = ((curve.giant[i] as number) * nodes) / (nodes - k);
    const fraction = k / nodes;
    if (ratio < 0.5) {
      if (i === 0) return 0;
      return previousFraction + ((fraction - previousFraction) * (previousRatio - 0.5)) / (previousRatio - ratio);
    }
    previousFraction = fraction;
    previousRatio = ratio;
  }
  return 1;
}

function valueAt(curve: CurveSamples, values: Float64Array, fraction: number, nodes: number): number {
  const index = curve.removed.indexOf(Math.round(fraction * nodes));
  if (index < 0) throw new RangeError(`no sample at ${fraction}`);
  return values[index] as number;
}

function percentPoints(curve: CurveSamples, values: Float64Array, nodes: number): Point[] {
  return curve.removed.map((k, i) => [(100 * k) / nodes, 100 * (values[i] as number)] as Point);
}

const THEORY_FRACTIONS = linearSpaced(0, 1, 201);

function theoryPoints(share: (fraction: number) => number): Point[] {
  return THEORY_FRACTIONS.map((q) => [100 * q, 100 * share(q)] as Point);
}

const topologyNames: Record<Topology, string> = {
  star: 'client-server star',
  'erdos-renyi': 'random (Erdős–Rényi) overlay',
  'scale-free': 'scale-free overlay',
};
const attackNames: Record<Attack, string> = { random: 'random failures', targeted: 'a targeted attack on the highest degrees' };

function asTopology(value: string): Topology {
  const found = topologies.find((t) => t === value);
  if (!found) throw new RangeError(`unknown topology ${value}`);
  return found;
}

function asAttack(value: string): Attack {
  const found = attacks.find((a) => a === value);
  if (!found) throw new RangeError(`unknown attack ${value}`);
  return found;
}

function listPercents(fractions: number[]): string {
  const shown = fractions.map((f) => formatPercent(f, 0));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** A removed fraction in words: a single node when the first removal already breaks the network. */
function removedText(fraction: number, nodes: number): string {
  if (fraction * nodes <= 1) return 'a single node';
  if (fraction < 0.01) return formatPercent(fraction, 2);
  return formatPercent(fraction, 0);
}

function describeRandomOverlay(experiment: Experiment, c: number): string {
  const n = experiment.nodes;
  const curve = experiment.curves['erdos-renyi/random'];
  const intact = valueAt(curve, curve.giant, 0, n);
  if (c <= 1) {
    return `the random overlay, with mean degree c = ${formatSig(c)} ≤ 1, is in pieces before anything fails: its largest group holds only ${formatPercent(intact, 2)} of the peers`;
  }
  const broken = breakingFraction(curve, n);
  if (broken === 0) {
    return `the random overlay (c = ${formatSig(c)}) never holds even half of its peers in one group (${formatPercent(intact)} with nothing removed), because c is barely above 1`;
  }
  return `the random overlay (c = ${formatSig(c)}) keeps more than half of the surviving peers in one group until ${removedText(broken, n)} have failed (theory: ${formatPercent(randomFailureHalfConnected(c), 0)})`;
}

function buildVerdict(experiment: Experiment, params: ConnectivityParams): string {
  const n = experiment.nodes;
  const c = params.meanDegree;
  const m = params.links;
  const { curves } = experiment;
  const sfRandomBreak = breakingFraction(curves['scale-free/random'], n);
  const sfTargetedBreak = breakingFraction(curves['scale-free/targeted'], n);
  const erTargetedBreak = breakingFraction(curves['erdos-renyi/targeted'], n);
  const check = 0.05;
  const sfRandomAt = valueAt(curves['scale-free/random'], curves['scale-free/random'].giant, check, n);
  const sfTargetedAt = valueAt(curves['scale-free/targeted'], curves['scale-free/targeted'].giant, check, n);
  const sfMean = experiment.measuredMeanDegree['scale-free'];
  const runs = experiment.serverFailures.length === 1 ? 'this run' : 'these runs';

  const star =
    `Client-server stands or falls with its server: removing that one node out of ${formatSig(n)} leaves every client on its own, ` +
    `and random failures bring the whole star down as soon as they hit the server, which a failed fraction q does with probability q ` +
    `(in ${runs} the server failed after ${listPercents(experiment.serverFailures)} of the nodes had failed).`;

  const sfName = `the scale-free overlay (m = ${m}, mean degree ${formatSig(sfMean)})`;
  const sfRandomText =
    sfRandomBreak >= 0.5
      ? `${sfName} until ${sfRandomBreak >= 1 ? 'the very end' : removedText(sfRandomBreak, n)}`
      : `${sfName} only until ${removedText(sfRandomBreak, n)}${m === 1 ? ', because with m = 1 it is a tree and every failure cuts it' : ''}`;
  const p2pRandom = `Peer-to-peer has no single point of failure: under random failures ${describeRandomOverlay(experiment, c)}, and ${sfRandomText}.`;

  const erAttackText = erTargetedBreak > 0 ? `; the random overlay, with no big hubs, lasts until ${removedText(erTargetedBreak, n)}` : '';
  const attack =
    sfTargetedBreak <= 0.5 * sfRandomBreak
      ? `But an attack on the best-connected peers breaks the scale-free overlay fast, after ${removedText(sfTargetedBreak, n)}${sfTargetedBreak * n <= 1 ? '' : ' of its nodes'} (at 5% removed its largest group holds ${formatPercent(sfTargetedAt, 0)} of N, against ${formatPercent(sfRandomAt, 0)} under random failures)${erAttackText}.`
      : `An attack on the best-connected peers still breaks the scale-free overlay sooner, after ${removedText(sfTargetedBreak, n)}${sfTargetedBreak * n <= 1 ? '' : ' of its nodes'} (random failures: ${removedText(sfRandomBreak, n)}); with m = ${m} links per new peer it takes longer to cut${erAttackText}.`;

  const decides =
    c > 1
      ? `So the claim holds: a client needs only its link to the server, while a P2P network works only as long as its peers stay linked to each other. The deciding parameter is the mean degree: a random overlay has a giant component only while c(1 − q) > 1, here until q = 1 − 1/c = ${formatPercent(randomFailureThreshold(c), 0)} of the peers have failed; and how the links are spread decides the rest: hubs make an overlay robust to random failures and fragile to attack.`
      : `So the claim holds: a client needs only its link to the server, while a P2P overlay needs a mean degree above 1 just to hold together. The deciding parameter is the mean degree c; raise it above 1 (theory: a giant component of ${formatPercent(erdosRenyiGiantShare(2), 0)} at c = 2).`;
  return [star, p2pRandom, attack, decides].join(' ');
}

function buildSummary(experiment: Experiment, topology: Topology, attack: Attack, c: number): string {
  const n = experiment.nodes;
  const curve = experiment.curves[`${topology}/${attack}`];
  const theory = attack === 'random' ? randomFailureGiantShare : targetedAttackGiantShare;
  const at = (q: number): string => formatPercent(valueAt(curve, curve.giant, q, n), 1);
  const breaks = (key: `${Topology}/${Attack}`): string => {
    const fraction = breakingFraction(experiment.curves[key], n);
    if (fraction >= 1) return 'never';
    return fraction === 0 ? 'apart from the start' : removedText(fraction, n);
  };
  const chosenBreak = breakingFraction(curve, n);
  const serverFailed = `after ${listPercents(experiment.serverFailures)} of the nodes had failed`;
  const fallsApart =
    topology === 'star' && attack === 'random'
      ? `each star stays whole until its server fails, here ${serverFailed}, so the averaged curve falls in steps`
      : chosenBreak >= 1
        ? 'the largest group never falls below half of the survivors'
        : chosenBreak === 0
          ? 'the largest group never holds half of the nodes'
          : `the largest group falls below half of the survivors after ${removedText(chosenBreak, n)} removed`;
  return (
    `For the ${topologyNames[topology]} of ${formatSig(n)} nodes under ${attackNames[attack]}, the largest connected group holds ${at(0)} of the nodes with none removed, ` +
    `${at(0.05)} with 5% removed and ${at(0.1)} with 10% removed (Erdős–Rényi theory for mean degree ${formatSig(c)}: ${formatPercent(theory(c, 0.05), 1)} and ${formatPercent(theory(c, 0.1), 1)}); ` +
    `${formatPercent(valueAt(curve, curve.pairs, 0.05, n), 1)} of node pairs can still talk at 5% removed, and ${fallsApart}. ` +
    `Removed before each network falls apart, random failures / targeted attack: star when the server fails / ${breaks('star/targeted')}, ` +
    `random overlay ${breaks('erdos-renyi/random')} / ${breaks('erdos-renyi/targeted')}, scale-free overlay ${breaks('scale-free/random')} / ${breaks('scale-free/targeted')}.`
  );
}

export const connectivity: LabModel = {
  manifest,
  benchCases: [10_000, 100_000, 300_000].map((size) => ({ size, params: { ...defaults(manifest), nodes: size } })),
  run(raw, context): LabResult {
    const params = raw as ConnectivityParams;
    const topology = asTopology(params.topology);
    const attack = asAttack(params.attack);
    const random = createRandom(context.seed);
    const experiment = runExperiment(params, random, (fraction) => context.progress(fraction));
    const n = experiment.nodes;
    const c = params.meanDegree;
    const { curves } = experiment;
    const chosen = curves[`${topology}/${attack}`];
    const theory = attack === 'random' ? randomFailureGiantShare : targetedAttackGiantShare;
    const giantTheory = theoryPoints((q) => theory(c, q));
    const series: Record<string, Point[]> = {
      giantSim: percentPoints(chosen, chosen.giant, n),
      giantTheory,
      pairsSim: percentPoints(chosen, chosen.pairs, n),
      // Components other than the giant hold O(1/N) of the pairs.
      pairsTheory: giantTheory.map(([x, y]) => [x, (y * y) / 100] as Point),
      starRandomTheory: theoryPoints((q) => starRandomFailureGiantShare(n, q * n)),
      erRandomTheory: theoryPoints((q) => randomFailureGiantShare(c, q)),
      erTargetedTheory: theoryPoints((q) => targetedAttackGiantShare(c, q)),
    };
    const comparisonKeys = {
      starRandom: 'star/random',
      erRandom: 'erdos-renyi/random',
      sfRandom: 'scale-free/random',
      starTargeted: 'star/targeted',
      erTargeted: 'erdos-renyi/targeted',
      sfTargeted: 'scale-free/targeted',
    } as const;
    for (const [key, curveKey] of Object.entries(comparisonKeys)) {
      const curve = curves[curveKey];
      series[key] = percentPoints(curve, curve.giant, n);
    }
    // Removed share (%) at which a network falls apart; none when it never does.
    const breakPercent = (key: `${Topology}/${Attack}`): number => {
      const fraction = breakingFraction(curves[key], n);
      return fraction >= 1 ? NaN : 100 * fraction;
    };
    context.progress(1);
    return {
      series,
      summary: buildSummary(experiment, topology, attack, c),
      verdict: buildVerdict(experiment, params),
      outputs: {
        giantAt5: 100 * valueAt(chosen, chosen.giant, 0.05, n),
        sfRandomBreak: breakPercent('scale-free/random'),
        sfTargetedBreak: breakPercent('scale-free/targeted'),
        erRandomBreak: breakPercent('erdos-renyi/random'),
        erTargetedBreak: breakPercent('erdos-renyi/targeted'),
        // Below mean degree 1 there is no giant component to lose, so no threshold.
        randomThreshold: c > 1 ? 100 * randomFailureThreshold(c) : NaN,
      },
    };
  },
};
