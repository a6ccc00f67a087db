import { createRandom, type Random } from '../kernel/random';
import { deriveSeed, linearSpaced, meanPoint } from '../kernel/stats';
import { formatPercent, formatSig } from '../kernel/format';
import { defineSweepLab, taskSeed, type LabModel, type LabResult, type Point, type SweepTask } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import {
  degreeOrder,
  erdosRenyiGraph,
  maxDegree,
  meanDegree as graphMeanDegree,
  preferentialAttachmentGraph,
  randomOrder,
  starGraph,
  type Graph,
} from './graph';
import { sampledRemovalCurve } from './percolation';
import {
  configurationRandomFailure,
  configurationTargetedAttack,
  degreeDistribution,
  randomFailureThreshold,
  starRandomFailureGiantShare,
  starRandomFailurePairShare,
  starTargetedGiantShare,
  starTargetedPairShare,
  type DegreeDistribution,
  type WarmStart,
} from './theory';
import { manifest } from './manifest';
// network.ts uses this module's functions at call time only, so the import cycle is harmless.
import { connectivityView } from './network';

export const topologies = ['star', 'erdos-renyi', 'scale-free'] as const;
export const attacks = ['random', 'targeted'] as const;
export type Topology = (typeof topologies)[number];
export type Attack = (typeof attacks)[number];
/** The overlays, whose theory is the configuration model of their own degrees. */
export type Overlay = Exclude<Topology, 'star'>;

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

/**
 * Where the star's server (node 0) falls in a random failure order: uniform over the N
 * places, as in a uniformly random permutation. Drawn first by starRandomOrder, so a run
 * that needs only this place draws the same one as a run that draws the whole order.
 */
export function starServerPlace(nodes: number, random: Random): number {
  return random.int(nodes);
}

/** A uniformly random removal order of the star: the server's place first, then the clients shuffled around it. */
export function starRandomOrder(nodes: number, random: Random): Int32Array {
  const place = starServerPlace(nodes, random);
  const clients = randomOrder(nodes - 1, random);
  const order = new Int32Array(nodes);
  for (let i = 0, c = 0; i < nodes; i++) order[i] = i === place ? 0 : (clients[c++] as number) + 1;
  return order;
}

export function removalOrder(graph: Graph, attack: Attack, random: Random, topology?: Topology): Int32Array {
  if (attack === 'targeted') return degreeOrder(graph, random);
  return topology === 'star' ? starRandomOrder(graph.nodes, random) : randomOrder(graph.nodes, random);
}

/** The kernel random sources of one drawn network: one for the graph, one per removal order. */
export function graphRandom(networkSeed: number): Random {
  return createRandom(deriveSeed(networkSeed, 1));
}
export function orderRandom(networkSeed: number, attack: Attack): Random {
  return createRandom(deriveSeed(networkSeed, 2 + attacks.indexOf(attack)));
}

/**
 * Numbers of removed nodes at which curves are sampled: none, a single node (the star's
 * server), every 1% up to 10% (where attacks on hubs act), then every 2.5%, so that the
 * bends of the random-failure curves (the threshold 1 − 1/c) are simulated, not drawn across.
 */
export function sampledRemovals(nodes: number): number[] {
  const fractions = [0, 1 / nodes, ...linearSpaced(0.01, 0.1, 10), ...linearSpaced(0.125, 1, 36)];
  return [...new Set(fractions.map((f) => Math.round(f * nodes)))].sort((a, b) => a - b);
}

export interface CurveSamples {
  /** Removed node counts, as returned by sampledRemovals. */
  removed: number[];
  /** Per network (replication): largest component / N at each count. */
  giant: Float64Array[];
  /** Per network: Σ s(s-1) / (N(N-1)) at each count. */
  pairs: Float64Array[];
}

export interface Experiment {
  nodes: number;
  curves: Record<`${Topology}/${Attack}`, CurveSamples>;
  /** Fractions of nodes that had failed when the star's server failed, one per network, increasing. */
  serverFailures: number[];
  /** Mean degree actually drawn, averaged over networks. */
  measuredMeanDegree: Record<Topology, number>;
  /** Degree distribution of the overlays actually drawn, pooled over their networks. */
  degrees: Record<Overlay, DegreeDistribution>;
}

/** One task of a run: one drawn network of one topology (its `trial`-th), under both removals. */
export interface NetworkTask {
  topology: Topology;
  trial: number;
}

/** What a task returns: small plain data, sampled at sampledRemovals(N). */
export interface NetworkPart {
  /** giant[a][i]: largest component / N after removed[i] removals, attack a in `attacks` order. */
  giant: number[][];
  /** pairs[a][i]: Σ s(s − 1) / (N(N − 1)) at the same counts. */
  pairs: number[][];
  /** The drawn network's mean degree. */
  meanDegree: number;
  /** Nodes by degree (index = degree) for an overlay; empty for the star, whose theory is exact. */
  histogram: number[];
  /** For the star: the share of nodes failed when its server failed (random order); NaN for an overlay. */
  serverFailure: number;
}

/**
 * The run's tasks: each drawn network is one task (trial by trial, star, random overlay,
 * scale-free overlay), so that workers share the trials. A network's weight is about
 * proportional to its links and nodes; the star needs no pass (see starCurve), so it is light.
 */
export function planNetworks(params: ConnectivityParams): SweepTask<NetworkTask>[] {
  const n = params.nodes;
  const weightOf: Record<Topology, number> = {
    star: 1e-3,
    'erdos-renyi': (n * (1 + params.meanDegree / 2)) / 1e6,
    'scale-free': (n * (1 + params.links)) / 1e6,
  };
  const tasks: SweepTask<NetworkTask>[] = [];
  for (let trial = 0; trial < params.trials; trial++) {
    for (const topology of topologies) tasks.push({ task: { topology, trial }, weight: weightOf[topology] });
  }
  return tasks;
}

/** The plan's index of a task, so the network view can take the seed of the run's first networks. */
export function networkTaskIndex(topology: Topology, trial: number): number {
  return trial * topologies.length + topologies.indexOf(topology);
}

/**
 * The star's curves without a pass: while its server is present the survivors are one
 * component, once it is gone each survivor is alone. `place` is the server's place in
 * the removal order (0 = removed first). Exactly what removalCurve finds on starGraph.
 */
export function starCurve(nodes: number, place: number, removed: readonly number[]): { largest: number[]; pairSum: number[] } {
  const largest = removed.map((k) => (k <= place ? nodes - k : k < nodes ? 1 : 0));
  const pairSum = removed.map((k) => (k <= place ? (nodes - k) * (nodes - k - 1) : 0));
  return { largest, pairSum };
}

/** Nodes by degree, index = degree. */
export function degreeHistogram(graph: Graph): number[] {
  const counts = new Float64Array(maxDegree(graph) + 1);
  const { offsets } = graph;
  for (let v = 0; v < graph.nodes; v++) {
    const k = (offsets[v + 1] as number) - (offsets[v] as number);
    counts[k] = (counts[k] as number) + 1;
  }
  return Array.from(counts);
}

/**
 * One drawn network of `topology` under random failure and targeted attack, with the
 * graph and each removal order on their own seeds derived from `seed` (the task's seed).
 */
export function runNetwork(
  params: ConnectivityParams,
  topology: Topology,
  seed: number,
  progress: (fraction: number) => void = () => {},
): NetworkPart {
  const n = params.nodes;
  const removed = sampledRemovals(n);
  const pairCount = n * (n - 1);
  const shares = (values: ArrayLike<number>, total: number): number[] => Array.from(values, (value) => (total > 0 ? value / total : 0));
  if (topology === 'star') {
    const place = starServerPlace(n, orderRandom(seed, 'random'));
    // Under attack the server goes first: its degree N − 1 is the highest for N ≥ 3 (it ties at N = 2).
    const attackedPlace = n >= 3 ? 0 : degreeOrder(starGraph(n), orderRandom(seed, 'targeted')).indexOf(0);
    const curves = [starCurve(n, place, removed), starCurve(n, attackedPlace, removed)];
    return {
      giant: curves.map((curve) => shares(curve.largest, n)),
      pairs: curves.map((curve) => shares(curve.pairSum, pairCount)),
      meanDegree: n > 0 ? (2 * (n - 1)) / n : 0,
      histogram: [],
      serverFailure: (place + 1) / n,
    };
  }
  const graph = buildGraph(topology, params, graphRandom(seed));
  progress(0.3);
  const giant: number[][] = [];
  const pairs: number[][] = [];
  attacks.forEach((attack, index) => {
    const order = removalOrder(graph, attack, orderRandom(seed, attack), topology);
    const curve = sampledRemovalCurve(graph, order, removed);
    giant.push(shares(curve.largest, n));
    pairs.push(shares(curve.pairSum, pairCount));
    progress(0.3 + 0.35 * (index + 1));
  });
  return { giant, pairs, meanDegree: graphMeanDegree(graph), histogram: degreeHistogram(graph), serverFailure: NaN };
}

/** The experiment from the tasks' results; `complete` is false while some are missing. */
export function gatherExperiment(
  params: ConnectivityParams,
  results: ReadonlyArray<NetworkPart | undefined>,
): { experiment: Experiment; complete: boolean } {
  const nodes = params.nodes;
  const removed = sampledRemovals(nodes);
  const curves = {} as Experiment['curves'];
  for (const topology of topologies) {
    for (const attack of attacks) curves[`${topology}/${attack}`] = { removed, giant: [], pairs: [] };
  }
  const degreeSums: Record<Topology, number> = { star: 0, 'erdos-renyi': 0, 'scale-free': 0 };
  const drawn: Record<Topology, number> = { star: 0, 'erdos-renyi': 0, 'scale-free': 0 };
  const histograms: Record<Overlay, number[]> = { 'erdos-renyi': [], 'scale-free': [] };
  const serverFailures: number[] = [];
  let complete = true;
  for (let trial = 0; trial < params.trials; trial++) {
    for (const topology of topologies) {
      const part = results[networkTaskIndex(topology, trial)];
      if (!part) {
        complete = false;
        continue;
      }
      attacks.forEach((attack, index) => {
        const target = curves[`${topology}/${attack}`];
        target.giant.push(Float64Array.from(part.giant[index] ?? []));
        target.pairs.push(Float64Array.from(part.pairs[index] ?? []));
      });
      degreeSums[topology] += part.meanDegree;
      drawn[topology]++;
      if (topology === 'star') serverFailures.push(part.serverFailure);
      else {
        const histogram = histograms[topology];
        part.histogram.forEach((count, k) => {
          histogram[k] = (histogram[k] ?? 0) + count;
        });
      }
    }
  }
  serverFailures.sort((a, b) => a - b);
  const measuredMeanDegree = {} as Record<Topology, number>;
  for (const topology of topologies) measuredMeanDegree[topology] = drawn[topology] > 0 ? degreeSums[topology] / drawn[topology] : 0;
  return {
    complete,
    experiment: {
      nodes,
      curves,
      serverFailures,
      measuredMeanDegree,
      degrees: { 'erdos-renyi': degreeDistribution(histograms['erdos-renyi']), 'scale-free': degreeDistribution(histograms['scale-free']) },
    },
  };
}

/**
 * Every topology under every removal order, on `trials` independently drawn networks: the
 * run's tasks one after another on their own seeds, as model.run does them.
 */
export function runExperiment(params: ConnectivityParams, seed: number, progress: (fraction: number) => void = () => {}): Experiment {
  const tasks = planNetworks(params);
  const parts = tasks.map(({ task }, index) => {
    const part = runNetwork(params, task.topology, taskSeed(seed, index));
    progress((index + 1) / tasks.length);
    return part;
  });
  return gatherExperiment(params, parts).experiment;
}

/** The mean over networks of one sampled value. */
function meanAt(replications: Float64Array[], index: number): number {
  let sum = 0;
  for (const values of replications) sum += values[index] as number;
  return sum / replications.length;
}

/** The mean curve over networks. */
export function meanCurve(replications: Float64Array[]): Float64Array {
  const length = replications[0]?.length ?? 0;
  return Float64Array.from({ length }, (_, i) => meanAt(replications, i));
}

/**
 * The removed fraction at which the mean largest group first holds fewer than half of the
 * surviving nodes (the network has fallen apart), interpolated linearly between the
 * two samples around the crossing. 0 if it never held half, 1 if it never falls apart.
 */
export function breakingFraction(curve: CurveSamples, nodes: number): number {
  let previousFraction = 0;
  let previousRatio = 1;
  for (let i = 0; i < curve.removed.length; i++) {
    const k = curve.removed[i] as number;
    if (k >= nodes) break;
    const ratio = (meanAt(curve.giant, i) * nodes) / (nodes - k);
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

function valueAt(curve: CurveSamples, values: Float64Array[], fraction: number, nodes: number): number {
  const index = curve.removed.indexOf(Math.round(fraction * nodes));
  if (index < 0) throw new RangeError(`no sample at ${fraction}`);
  return meanAt(values, index);
}

/**
 * A simulated share in percent with its 95% interval over the networks (Student t), cut to
 * [0, 100]: the true mean is a share, so the part of a t interval outside [0, 100] holds no
 * possible value (with 2 networks, a star whole in one and gone in the other spans 0 to 100).
 */
function sharePercentPoint(x: number, shares: ArrayLike<number>): Point {
  const percents = Array.from(shares as ArrayLike<number>, (s) => 100 * s);
  return meanPoint(x, percents, { min: 0, max: 100 });
}

function simulatedPoints(curve: CurveSamples, values: Float64Array[], nodes: number): Point[] {
  return curve.removed.map((k, i) =>
    sharePercentPoint(
      (100 * k) / nodes,
      values.map((run) => run[i] as number),
    ),
  );
}

/** Removed share (%) of every formula point: every 0.5%, and every x the simulation has, so a table lines them up. */
export function theoryGrid(nodes: number): number[] {
  const simulated = sampledRemovals(nodes).map((k) => (100 * k) / nodes);
  return [...new Set([...linearSpaced(0, 100, 201), ...simulated])].sort((a, b) => a - b);
}

function theoryPoints(grid: number[], share: (fraction: number) => number): Point[] {
  return grid.map((x) => [x, Math.min(100, Math.max(0, 100 * share(x / 100)))] as Point);
}

/** Giant share predicted for a network and a removal: the star exactly, an overlay by the configuration model of its degrees. */
export function theoryShare(experiment: Experiment, topology: Topology, attack: Attack, fraction: number, warm?: WarmStart): number {
  const n = experiment.nodes;
  if (topology === 'star') {
    return attack === 'random' ? starRandomFailureGiantShare(n, fraction * n) : starTargetedGiantShare(n, Math.round(fraction * n));
  }
  const distribution = experiment.degrees[topology];
  return attack === 'random'
    ? configurationRandomFailure(distribution, fraction, warm)
    : configurationTargetedAttack(distribution, fraction, warm);
}

/**
 * Where the theory says an overlay falls apart (the giant component drops below half of the
 * survivors): the first 1% step below half, refined by bisection. 0 if it never held half, 1 if
 * it holds half up to 99% removed.
 */
export function theoryBreakingFraction(experiment: Experiment, overlay: Overlay, attack: Attack): number {
  // Each solve starts from the root at `low`, the largest fraction known to hold half,
  // which lies below every fraction tried next (see WarmStart).
  let lowRoot = 0;
  let triedRoot = 0;
  const ratio = (q: number): number => {
    const warm: WarmStart = { u: lowRoot };
    const share = theoryShare(experiment, overlay, attack, q, warm);
    triedRoot = warm.u;
    return share / (1 - q);
  };
  if (ratio(0) < 0.5) return 0;
  lowRoot = triedRoot;
  let low = 0;
  let high = NaN;
  for (let step = 1; step < 100; step++) {
    if (ratio(step / 100) < 0.5) {
      high = step / 100;
      break;
    }
    low = step / 100;
    lowRoot = triedRoot;
  }
  if (Number.isNaN(high)) return 1;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (ratio(mid) < 0.5) high = mid;
    else {
      low = mid;
      lowRoot = triedRoot;
    }
  }
  return (low + high) / 2;
}

/** Pairs that can talk, predicted: the star exactly; an overlay's pairs are those of its giant component, S² (others hold O(1/N)). */
function theoryPairShare(experiment: Experiment, topology: Topology, attack: Attack, fraction: number): number {
  const n = experiment.nodes;
  if (topology === 'star')
    return attack === 'random' ? starRandomFailurePairShare(n, fraction * n) : starTargetedPairShare(Math.round(fraction * n));
  return theoryShare(experiment, topology, attack, fraction) ** 2;
}

// ---------------------------------------------------------------------------
// Sentences, from the numbers they print
// ---------------------------------------------------------------------------

/** A number as printed, and the value the printed text stands for, so comparisons agree with the text. */
export interface Printed {
  text: string;
  value: number;
}

/** A share printed as a percentage with `digits` decimals, with the value it shows. */
export function printedPercent(fraction: number, digits: number): Printed {
  const text = formatPercent(fraction, digits);
  return { text, value: Number((fraction * 100).toFixed(digits)) / 100 };
}

/**
 * Where a network falls apart (its largest group drops below half of the survivors), as
 * printed after "falls apart": "from the start", "after a single node", "after 12%", "never".
 */
export function printedBreak(fraction: number, nodes: number): Printed {
  if (fraction <= 0) return { text: 'from the start', value: 0 };
  if (fraction >= 1) return { text: 'never', value: 1 };
  if (fraction * nodes <= 1) return { text: 'after a single node', value: 1 / nodes };
  const shown = printedPercent(fraction, fraction < 0.01 ? 2 : 0);
  return { text: `after ${shown.text}`, value: shown.value };
}

function listPercents(fractions: number[]): string {
  if (fractions.length > 4)
    return `between ${formatPercent(fractions[0] as number, 0)} and ${formatPercent(fractions.at(-1) as number, 0)}`;
  const shown = fractions.map((f) => formatPercent(f, 0));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** What holds by definition: the star's clients need only the server; an overlay is its peers' links. */
export function definitionSentence(nodes: number, pairsAfterServer: number, meanDegree: number, erIntact: number): string {
  const star =
    `By definition, clients of the client-server star reach each other only through the server, so links between clients play no part in it, ` +
    `and the server's failure disconnects them all: removing that single node of ${formatSig(nodes)} leaves ${formatPercent(pairsAfterServer, 1)} of node pairs able to talk.`;
  const c = formatSig(meanDegree);
  // formatSig prints every c the slider allows (steps of 0.1) exactly, so this test matches the text.
  const overlay =
    Number(c) > 1
      ? `A peer-to-peer overlay is nothing but its peers' links: a random overlay has a giant component only while c(1 − q) > 1, here (c = ${c}) until q = 1 − 1/c = ${formatPercent(randomFailureThreshold(meanDegree), 0)} of its peers have failed.`
      : `A peer-to-peer overlay is nothing but its peers' links: with mean degree c = ${c} ≤ 1 the random overlay is in pieces before anything fails (its largest group holds ${formatPercent(erIntact, 2)} of the peers).`;
  return `${star} ${overlay}`;
}

/** The star under failure and under attack: robust to the first, dead after one removal of the second. */
export function starSentence(serverFailures: number[]): string {
  const runs = serverFailures.length === 1 ? 'this run' : 'these runs';
  return (
    `What misleads is reading it as "client-server needs less connectivity": the star keeps all of its connectivity in one node. ` +
    `Random failures of clients cost it only those clients until they hit the server (in ${runs} when ${listPercents(serverFailures)} of the nodes had failed; a random fraction q includes it with probability q), ` +
    `while a targeted attack ends it with one removal.`
  );
}

/** A breaking point as a verb phrase: "falls apart after 12%", "never falls apart", "is in pieces from the start". */
export function fallsApart(breaks: Printed): string {
  if (breaks.value <= 0) return 'is in pieces from the start';
  if (breaks.text === 'never') return 'never falls apart';
  return `falls apart ${breaks.text}`;
}

/** Scale-free: more fragile to attack than to failure, when the printed breaking points say so. */
export function scaleFreeSentence(links: number, meanDegree: number, randomBreak: Printed, targetedBreak: Printed): string {
  const name = `The scale-free overlay (m = ${links}, mean degree ${formatSig(meanDegree)})`;
  if (targetedBreak.value < randomBreak.value) {
    return `${name} is more fragile to attack than to failures: under random failures it ${fallsApart(randomBreak)}, but when its hubs are attacked first it ${fallsApart(targetedBreak)}.`;
  }
  return `${name} is no more fragile to attack than to failures here: under attack it ${fallsApart(targetedBreak)}, and under random failures it ${fallsApart(randomBreak)}.`;
}

/** The two overlays compared under attack: hubs make the scale-free one the more fragile, when the printed numbers say so. */
export function overlaysUnderAttackSentence(randomOverlay: Printed, scaleFree: Printed): string {
  if (randomOverlay.value > scaleFree.value) {
    return `The random overlay, with no big hubs, lasts longer under attack: it ${fallsApart(randomOverlay)}, the scale-free one ${fallsApart(scaleFree)}.`;
  }
  if (randomOverlay.value === scaleFree.value) {
    return `Under attack the random overlay and the scale-free one last equally long: each ${fallsApart(randomOverlay)}.`;
  }
  return `Under attack the random overlay falls apart sooner than the scale-free one here: it ${fallsApart(randomOverlay)}, the scale-free one ${fallsApart(scaleFree)}.`;
}

/** The random overlay under random failure, read from its printed numbers. */
export function randomOverlaySentence(breaks: Printed, intact: Printed, atTen: Printed): string {
  if (breaks.value === 0) {
    return `Under random failures the random overlay never holds even half of its peers in one group (${intact.text} with none removed).`;
  }
  return `Under random failures the random overlay loses its peers gradually: at 10% failed its largest group still holds ${atTen.text} of N, and it ${fallsApart(breaks)}.`;
}

function buildVerdict(experiment: Experiment, params: ConnectivityParams): string {
  const n = experiment.nodes;
  const { curves } = experiment;
  const breakOf = (key: `${Topology}/${Attack}`): Printed => printedBreak(breakingFraction(curves[key], n), n);
  const pairsAfterServer = valueAt(curves['star/targeted'], curves['star/targeted'].pairs, 1 / n, n);
  const erIntact = valueAt(curves['erdos-renyi/random'], curves['erdos-renyi/random'].giant, 0, n);
  const erAtTen = printedPercent(valueAt(curves['erdos-renyi/random'], curves['erdos-renyi/random'].giant, 0.1, n), 0);
  const erIntactPrinted = printedPercent(erIntact, 1);
  return [
    definitionSentence(n, pairsAfterServer, params.meanDegree, erIntact),
    starSentence(experiment.serverFailures),
    randomOverlaySentence(breakOf('erdos-renyi/random'), erIntactPrinted, erAtTen),
    scaleFreeSentence(
      params.links,
      experiment.measuredMeanDegree['scale-free'],
      breakOf('scale-free/random'),
      breakOf('scale-free/targeted'),
    ),
    overlaysUnderAttackSentence(breakOf('erdos-renyi/targeted'), breakOf('scale-free/targeted')),
    `What decides is the mean degree c, which sets the threshold, and how the links are spread: hubs are to an overlay what the server is to a star, the nodes an attacker removes first.`,
  ].join(' ');
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

function buildSummary(experiment: Experiment, topology: Topology, attack: Attack): string {
  const n = experiment.nodes;
  const curve = experiment.curves[`${topology}/${attack}`];
  const at = (q: number): string => formatPercent(valueAt(curve, curve.giant, q, n), 1);
  const theoryAt = (q: number): string => formatPercent(theoryShare(experiment, topology, attack, q), 1);
  const breaks = (key: `${Topology}/${Attack}`): string => printedBreak(breakingFraction(experiment.curves[key], n), n).text;
  const serverFailed = `when ${listPercents(experiment.serverFailures)} of the nodes had failed`;
  const theoryName = topology === 'star' ? 'exact expectation' : 'configuration-model theory for these degrees';
  const fallsApart =
    topology === 'star' && attack === 'random'
      ? `each star stays whole until its server fails, here ${serverFailed}, so the averaged curve falls in steps`
      : `the largest group falls below half of the survivors ${breaks(`${topology}/${attack}`)}`;
  return (
    `For the ${topologyNames[topology]} of ${formatSig(n)} nodes under ${attackNames[attack]}, the largest connected group holds ${at(0)} of the nodes with none removed, ` +
    `${at(0.05)} with 5% removed and ${at(0.1)} with 10% removed (${theoryName}: ${theoryAt(0.05)} and ${theoryAt(0.1)}); ` +
    `${formatPercent(valueAt(curve, curve.pairs, 0.05, n), 1)} of node pairs can still talk at 5% removed, and ${fallsApart}. ` +
    `Falls apart under random failures / targeted attack: star when the server fails / ${breaks('star/targeted')}, ` +
    `random overlay ${breaks('erdos-renyi/random')} / ${breaks('erdos-renyi/targeted')}, scale-free overlay ${breaks('scale-free/random')} / ${breaks('scale-free/targeted')}.`
  );
}

/** The lab's result from a gathered experiment; while tasks are missing, only the series drawn so far. */
export function assembleResult(params: ConnectivityParams, experiment: Experiment, complete: boolean): LabResult {
  const topology = asTopology(params.topology);
  const attack = asAttack(params.attack);
  const n = experiment.nodes;
  const c = params.meanDegree;
  const { curves } = experiment;
  const grid = theoryGrid(n);
  // A theory needs the degrees of at least one drawn network (the star's is exact).
  const hasTheory = (each: Topology): boolean =>
    each === 'star' || experiment.degrees[each].mean > 0 || curves[`${each}/random`].giant.length > 0;
  // Each theory curve is solved once and shared by the charts that draw it.
  const theoryCache = new Map<string, Point[]>();
  const theoryCurve = (each: Topology, removal: Attack): Point[] => {
    const key = `${each}/${removal}`;
    let points = theoryCache.get(key);
    if (!points) {
      // The grid rises, so each solve starts from the last one's root.
      const warm: WarmStart = { u: 0 };
      points = hasTheory(each) ? theoryPoints(grid, (q) => theoryShare(experiment, each, removal, q, warm)) : [];
      theoryCache.set(key, points);
    }
    return points;
  };
  const simulated = (curve: CurveSamples, values: Float64Array[]): Point[] => (values.length > 0 ? simulatedPoints(curve, values, n) : []);
  const chosen = curves[`${topology}/${attack}`];
  const chosenTheory = theoryCurve(topology, attack);
  const series: Record<string, Point[]> = {
    giantSim: simulated(chosen, chosen.giant),
    giantTheory: chosenTheory,
    pairsSim: simulated(chosen, chosen.pairs),
    // For an overlay, S² of the giant share just solved; for the star, its exact pair count.
    pairsTheory: !hasTheory(topology)
      ? []
      : topology === 'star'
        ? theoryPoints(grid, (q) => theoryPairShare(experiment, topology, attack, q))
        : chosenTheory.map(([x, y]) => [x, Math.min(100, Math.max(0, (y * y) / 100))] as Point),
  };
  const prefixes: Record<Topology, string> = { star: 'star', 'erdos-renyi': 'er', 'scale-free': 'sf' };
  for (const each of topologies) {
    for (const removal of attacks) {
      const key = `${prefixes[each]}${removal === 'random' ? 'Random' : 'Targeted'}`;
      const curve = curves[`${each}/${removal}`];
      series[key] = simulated(curve, curve.giant);
      series[`${key}Theory`] = theoryCurve(each, removal);
    }
  }
  if (!complete) {
    return { series, summary: 'Networks are still being drawn and broken up; the charts fill in as each one is done.', verdict: '' };
  }
  // Removed share (%) at which a network falls apart; none when it never does.
  const breakPercent = (key: `${Topology}/${Attack}`): number => {
    const fraction = breakingFraction(curves[key], n);
    return fraction >= 1 ? NaN : 100 * fraction;
  };
  const theoryBreakPercent = (removal: Attack): number => {
    const fraction = theoryBreakingFraction(experiment, 'scale-free', removal);
    return fraction >= 1 ? NaN : 100 * fraction;
  };
  return {
    series,
    summary: buildSummary(experiment, topology, attack),
    verdict: buildVerdict(experiment, params),
    outputs: {
      giantAt5: 100 * valueAt(chosen, chosen.giant, 0.05, n),
      sfRandomBreak: breakPercent('scale-free/random'),
      sfTargetedBreak: breakPercent('scale-free/targeted'),
      sfRandomBreakTheory: theoryBreakPercent('random'),
      sfTargetedBreakTheory: theoryBreakPercent('targeted'),
      erRandomBreak: breakPercent('erdos-renyi/random'),
      erTargetedBreak: breakPercent('erdos-renyi/targeted'),
      // Below mean degree 1 there is no giant component to lose, so no threshold.
      randomThreshold: c > 1 ? 100 * randomFailureThreshold(c) : NaN,
    },
  };
}

export const connectivity: LabModel = defineSweepLab<ConnectivityParams, NetworkTask, NetworkPart>({
  manifest,
  benchCases: [10_000, 100_000, 1_000_000].map((size) => ({ size, params: { ...defaults(manifest), nodes: size } })),
  sweep: {
    plan: (params) => planNetworks(params),
    runTask: (params, task, context) => runNetwork(params, task.topology, context.seed, context.progress),
    assemble: (params, results) => {
      const { experiment, complete } = gatherExperiment(params, results);
      return assembleResult(params, experiment, complete);
    },
    network: (params, seed) => connectivityView(params, asTopology(params.topology), asAttack(params.attack), seed).trace,
  },
});
