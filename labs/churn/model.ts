import { createRandom, type Random } from '../kernel/random';
import { CalendarQueue, IndexedTimeHeap } from './indexed-heap';
import { FastStream } from '../kernel/stream';
import { deriveSeed, logSpacedIntegers, meanPoint } from '../kernel/stats';
import { formatAvailability, formatCount, formatDuration, formatPercent, formatSig, plural } from '../kernel/format';
import { defineSweepLab, type LabModel, type LabResult, type Point, type RunContext } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
import { ChurnTraceRecorder, ServerReplicas, type ChurnObserver } from './network';
import type { NetworkTrace } from '../kernel/trace';

/* ------------------------------------------------------------------ */
/* Closed forms                                                        */
/* ------------------------------------------------------------------ */

/** Share of time a peer is online in an alternating on/off process (renewal-reward theorem). */
export function onlineProbability(meanOn: number, meanOff: number): number {
  return meanOn / (meanOn + meanOff);
}

/** Probability that at least one of `copies` independent holders is up: 1 − (1 − p)^k. */
export function replicatedAvailability(p: number, copies: number): number {
  return 1 - Math.pow(1 - p, copies);
}

/** Steady-state availability of one repairable server: MTBF / (MTBF + MTTR). */
export function serverAvailability(mtbf: number, mttr: number): number {
  return mtbf / (mtbf + mttr);
}

/** Smallest number of independent copies at availability p that reaches `target`. */
export function copiesNeeded(p: number, target: number): number {
  if (target <= 0) return 0;
  if (p >= 1) return 1;
  if (p <= 0 || target >= 1) return Infinity;
  return Math.max(1, Math.ceil(Math.log(1 - target) / Math.log(1 - p) - 1e-9));
}

export interface MaintenanceInput {
  peers: number;
  /** Share of time a peer is online. */
  onlineProbability: number;
  /** Mean session plus mean off-time, in seconds: one join and one leave per cycle. */
  meanCycle: number;
  /** Keep-alive interval in seconds. */
  keepAlive: number;
}

/**
 * Overlay maintenance, messages per second, for a Chord ring of the m = pN peers online
 * (Stoica et al., "Chord", SIGCOMM 2001): each node keeps O(log m) routing entries, here
 * log₂ m, and pings each once per keep-alive interval τ; each join or leave costs
 * O(log² m) messages to update the routing tables (their §1 and §4.4), here (log₂ m)².
 * Every peer joins and leaves once per cycle E[on] + E[off]. The simulation counts the same
 * messages event by event, with the ring's actual size at each join and leave.
 */
export function maintenanceRate(input: MaintenanceInput): { keepAlive: number; churn: number; total: number } {
  const ring = input.onlineProbability * input.peers;
  const tableSize = ring > 1 ? Math.log2(ring) : 0;
  const keepAlive = (ring * tableSize) / input.keepAlive;
  const churn = (2 * input.peers * tableSize * tableSize) / input.meanCycle;
  return { keepAlive, churn, total: keepAlive + churn };
}

/**
 * Gamma function for x > 0: shift x to 12 or more with Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)),
 * then Stirling's series to the z^−9 term; the first omitted term there is below 1e−14.
 */
export function gammaFunction(x: number): number {
  if (!(x > 0)) throw new RangeError(`gammaFunction needs x > 0, got ${x}`);
  let z = x;
  let product = 1;
  while (z < 12) {
    product *= z;
    z += 1;
  }
  const inverse = 1 / z;
  const inverse2 = inverse * inverse;
  const series = inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 / 1188))));
  const logGamma = (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series;
  return Math.exp(logGamma) / product;
}

/**
 * Upper incomplete gamma Γ(a, x) times e^x, so that it stays finite for large x:
 * the power series of the lower part for small x, a continued fraction (Lentz) beyond.
 */
export function upperIncompleteGammaScaled(a: number, x: number): number {
  if (!(a > 0) || x < 0) throw new RangeError('upperIncompleteGammaScaled needs a > 0 and x ≥ 0');
  if (x === 0) return gammaFunction(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    const lower = Math.exp(a * Math.log(x) - x) * sum;
    return (gammaFunction(a) - lower) * Math.exp(x);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < 1000; i++) {
    const numerator = -i * (i - a);
    b += 2;
    d = numerator * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(a * Math.log(x)) * fraction;
}

/* ------------------------------------------------------------------ */
/* Session-length distributions                                        */
/* ------------------------------------------------------------------ */

export type SessionDistribution = 'exponential' | 'pareto' | 'weibull';
export type RepairPolicy = 'none' | 'random' | 'oldest';

/** Pareto needs α > 1 for a finite mean; smaller shapes are raised to this. */
export const PARETO_MIN_SHAPE = 1.05;

export interface DurationLaw {
  kind: SessionDistribution;
  mean: number;
  /** The shape actually used (Pareto α raised to at least PARETO_MIN_SHAPE; 1 for the exponential). */
  shape: number;
  /** Exponential: the mean; Pareto: x_m; Weibull: λ. */
  scale: number;
}

/** A law with the requested mean: x_m = mean (α − 1)/α, λ = mean / Γ(1 + 1/k). */
export function durationLaw(kind: SessionDistribution, mean: number, shape: number): DurationLaw {
  if (kind === 'pareto') {
    const alpha = Math.max(shape, PARETO_MIN_SHAPE);
    return { kind, mean, shape: alpha, scale: (mean * (alpha - 1)) / alpha };
  }
  if (kind === 'weibull') return { kind, mean, shape, scale: mean / gammaFunction(1 + 1 / shape) };
  return { kind, mean, shape: 1, scale: mean };
}

/** The mean from the law's own parameters (a check that the scale was derived right). */
export function lawMean(law: DurationLaw): number {
  if (law.kind === 'pareto') return (law.shape * law.scale) / (law.shape - 1);
  if (law.kind === 'weibull') return law.scale * gammaFunction(1 + 1 / law.shape);
  return law.scale;
}

/** E[X²], Infinity for a Pareto with α ≤ 2. */
export function lawSecondMoment(law: DurationLaw): number {
  if (law.kind === 'pareto') return law.shape > 2 ? (law.shape * law.scale ** 2) / (law.shape - 2) : Infinity;
  if (law.kind === 'weibull') return law.scale ** 2 * gammaFunction(1 + 2 / law.shape);
  return 2 * law.scale ** 2;
}

export function sampleDuration(law: DurationLaw, random: Random): number {
  if (law.kind === 'pareto') return random.pareto(law.scale, law.shape);
  if (law.kind === 'weibull') return random.weibull(law.scale, law.shape);
  return random.exponential(1 / law.scale);
}

/** Gamma(shape, 1) variate (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)). */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * The period a peer is in when observed at a random instant, as [age, time left]. Its whole
 * length follows the length-biased law, density x f(x)/E[X], and the instant falls uniformly
 * inside it: so each of the two follows the equilibrium law, density S(x)/E[X], and they are
 * drawn together. With heavy tails that matters: a peer online for long has long left, which
 * the 'oldest' repair counts on. Starting every peer from it puts the whole network, ages
 * included, in its long-run state at time 0.
 */
export function sampleEquilibriumPeriod(law: DurationLaw, random: Random): [age: number, remaining: number] {
  let length: number;
  if (law.kind === 'pareto') {
    // x · x^−(α+1) is a Pareto density of shape α − 1 on the same x_m.
    length = random.pareto(law.scale, law.shape - 1);
  } else if (law.kind === 'weibull') {
    // With u = (x/λ)^k, the density x f(x) becomes a Gamma(1 + 1/k) density in u.
    length = law.scale * Math.pow(sampleGamma(1 + 1 / law.shape, random), 1 / law.shape);
  } else {
    // x e^(−x/m) is a Gamma(2) density of scale m: the sum of two exponentials.
    length = random.exponential(1 / law.scale) + random.exponential(1 / law.scale);
  }
  const age = random.next() * length;
  return [age, length - age];
}

/** Expected time left in a session that has already lasted `age`: ∫_age^∞ S / S(age). */
export function meanResidualLife(law: DurationLaw, age: number): number {
  if (law.kind === 'pareto') {
    if (age < law.scale) return law.mean - age;
    return age / (law.shape - 1);
  }
  if (law.kind === 'weibull') {
    const u = Math.pow(age / law.scale, law.shape);
    return (law.scale / law.shape) * upperIncompleteGammaScaled(1 / law.shape, u);
  }
  return law.scale;
}

/** Share of the total length held by the longest `fraction` of the samples. */
export function topShare(samples: Float64Array, fraction: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const keep = Math.max(1, Math.round(sorted.length * fraction));
  let total = 0;
  let top = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number;
    total += value;
    if (i >= sorted.length - keep) top += value;
  }
  return top / total;
}

/* ------------------------------------------------------------------ */
/* Time bins                                                           */
/* ------------------------------------------------------------------ */

/**
 * Adds value × (the time [from, to) spends in each bin) to target[offset … offset + bins),
 * the bins splitting [0, horizon) evenly. Bin i covers [edge(i), edge(i + 1)) with
 * edge(i) = i · horizon / bins and edge(bins) = horizon exactly. The first bin is found
 * from those same edges, so a start that lies on a boundary up to rounding lands in
 * the bin whose edges contain it, and each bin receives at most its own width.
 */
export function spreadOverBins(
  target: Float64Array,
  offset: number,
  bins: number,
  horizon: number,
  value: number,
  from: number,
  to: number,
): void {
  if (!(to > from)) return;
  const width = horizon / bins;
  let index = Math.min(bins - 1, Math.max(0, Math.floor(from / width)));
  while (index > 0 && binEdge(index, bins, horizon) > from) index--;
  while (index < bins - 1 && binEdge(index + 1, bins, horizon) <= from) index++;
  let start = from;
  for (; index < bins && start < to; index++) {
    // The last bin takes everything up to `to`, which never exceeds the horizon.
    const end = index === bins - 1 ? to : Math.min(to, binEdge(index + 1, bins, horizon));
    if (end > start) {
      target[offset + index] = (target[offset + index] as number) + value * (end - start);
      start = end;
    }
  }
}

/** Start of bin i of `bins` bins over [0, horizon); edge(bins) is the horizon itself. */
export function binEdge(index: number, bins: number, horizon: number): number {
  return index >= bins ? horizon : (index * horizon) / bins;
}

/* ------------------------------------------------------------------ */
/* The on/off simulation                                               */
/* ------------------------------------------------------------------ */

export interface ItemGroup {
  /** Copies of each item (k). */
  copies: number;
  /** Size n of the network the item lives in: one of the ⌊N/n⌋ disjoint blocks of n peers. */
  population: number;
  items: number;
}

export interface ChurnConfig {
  peers: number;
  on: DurationLaw;
  off: DurationLaw;
  groups: ReadonlyArray<ItemGroup>;
  repair: RepairPolicy;
  /** Hours a holder must stay offline before its copy is re-created elsewhere. */
  repairDelay: number;
  /** Simulated hours. */
  horizon: number;
  /** Time bins of the over-time series. */
  bins: number;
  /** Consecutive time batches in which the maintenance messages are counted. */
  batches: number;
  /** Index of the group whose availability is recorded over time. */
  trackedGroup: number;
  /** Keep-alive interval τ in seconds (overlay maintenance is counted for every network size of the groups). */
  keepAlive: number;
  /** Fresh session lengths to keep in sessionSamples (MAX_SESSION_SAMPLES unless set). */
  sessionSamples?: number;
}

/** Overlay maintenance counted in the networks of one size n: the ⌊N/n⌋ disjoint blocks of n peers. */
export interface MaintenanceCount {
  size: number;
  networks: number;
  /** Keep-alive messages per batch, summed over the networks. */
  pings: Float64Array;
  /** Join and leave repair messages per batch, summed over the networks. */
  repairs: Float64Array;
}

export interface ChurnOutcome {
  /** Time-averaged share of items available, per group. */
  availability: Float64Array;
  /** Copies re-created per item per hour, per group. */
  repairRate: Float64Array;
  /** Share of the tracked group's items available, per time bin. */
  availabilityOverTime: Float64Array;
  /** Share of peers online, per time bin. */
  onlineOverTime: Float64Array;
  /** Peer-hours online within the horizon: the integral of the online count. */
  onlineHours: number;
  maintenance: MaintenanceCount[];
  /** Count, mean and variance of the freshly drawn session lengths (the initial, length-biased remainders excluded). */
  sessionStats: { count: number; mean: number; variance: number };
  sessionSamples: Float64Array;
  events: number;
}

const MAX_SESSION_SAMPLES = 200_000;
/** Joins and leaves per calendar bucket: enough to amortize a bucket, few enough for the cache. */
const EVENTS_PER_BUCKET = 512;
const addTo = (target: Float64Array, index: number, amount: number): void => {
  target[index] = (target[index] as number) + amount;
};
/** Peers sampled when re-replicating to the longest-online one. */
const OLDEST_CANDIDATES = 8;
const TARGET_ATTEMPTS = 64;
const MIN_ACCEPTANCE = 0.05;
const SECONDS_PER_HOUR = 3600;

/**
 * Discrete-event simulation of N peers going on and off, with items stored on k of them.
 * Two typed-array queues order the events: `toggles` holds each peer's next join or leave
 * (a calendar of time buckets, each sorted when it comes up, changed only at its earliest entry),
 * `timeouts` each offline holder's repair timeout (an indexed heap, since a return cancels it).
 *
 * Every network size n of the groups is also an overlay: each of its ⌊N/n⌋ blocks of n
 * peers is a Chord-like ring of its online peers, whose messages are counted as they occur
 * (see maintenanceRate for the per-message costs).
 *
 * An observer (the network view's recorder) reads the state before each event and hears of
 * each repair copy; it draws no random numbers, so the run is the same with or without it,
 * and without one its cost is a null check per event.
 */
export function simulateChurn(
  config: ChurnConfig,
  random: Random,
  progress: (fraction: number) => void = () => {},
  observer?: ChurnObserver,
): ChurnOutcome {
  return new ChurnRun(config, random, progress, observer).run();
}

// Each peer's numbers in one record of `stride` doubles (32 bytes with one network size),
// so an event on a peer reads one cache line instead of one per array: with 100,000 peers
// the run is bound by memory latency, not arithmetic.
const SINCE = 0; // start of the current period (negative for periods that began before time 0)
const HOLD_START = 1; // start of the peer's run of holdings in the pool
const HOLD_COUNT = 2; // copies it holds
const TABLE = 3; // routing entries pinged, per network size, fixed when it joins
/** Holdings a peer's run has room for at first. */
const INITIAL_RUN = 4;
// The doubles carried from one event to the next, in a typed array, where V8 keeps them unboxed.
const ONLINE_LAST = 0; // time of the last change of the online count
const BIN_END = 1; // end of the current time bin
const SESSION_MEAN = 2; // running mean and sum of squared deviations of fresh sessions (Welford)
const SESSION_M2 = 3;
const TRACKED_LAST = 4; // time up to which the tracked group's availability is in its bins

/**
 * One run of simulateChurn. Its state is in fields and its helpers are methods, not in
 * closures over local variables: V8 keeps captured variables in a context object and guards
 * each read of one (a load, a check that it is initialized, a check of its kind), which made
 * every event several times dearer than with plain fields.
 */
class ChurnRun {
  declare readonly peers: number;
  declare readonly horizon: number;
  declare readonly bins: number;
  declare readonly batches: number;
  declare readonly trackedGroup: number;
  declare readonly repairDelay: number;
  declare readonly repairing: boolean;
  declare readonly oldest: boolean;
  declare readonly keepAliveHours: number;
  declare readonly groups: ReadonlyArray<ItemGroup>;
  declare readonly progress: (fraction: number) => void;
  declare readonly observer: ChurnObserver | undefined;
  declare readonly uniform: FastStream;
  declare readonly timeouts: IndexedTimeHeap;
  declare readonly toggles: CalendarQueue;
  declare readonly onCode: number;
  declare readonly offCode: number;
  declare readonly onScale: number;
  declare readonly offScale: number;
  declare readonly onInverseShape: number;
  declare readonly offInverseShape: number;
  declare readonly blockSizes: number[];
  declare readonly sizeCount: number;
  declare readonly sizeOf: Int32Array;
  declare readonly inverseSizeOf: Float64Array;
  declare readonly blockBase: Int32Array;
  declare readonly blockOnline: Int32Array;
  declare readonly stride: number;
  declare readonly record: Float64Array;
  declare readonly onlineAt: Int32Array;
  declare readonly online: Uint8Array;
  declare readonly onlineList: Int32Array;
  declare onlineCount: number;
  declare holdingSlot: Int32Array;
  declare holdingItem: Int32Array;
  declare readonly holdingRoom: Int32Array;
  declare poolEnd: number;
  declare readonly itemGroup: Int32Array;
  declare readonly itemStart: Int32Array;
  declare readonly itemCopies: Int32Array;
  declare readonly itemOnline: Int32Array;
  declare readonly itemOffset: Int32Array;
  declare readonly slotPeer: Int32Array;
  declare readonly slotItem: Int32Array;
  declare readonly slotPosition: Int32Array;
  declare readonly groupAvailable: Float64Array;
  declare readonly groupIntegral: Float64Array;
  declare readonly groupLastTime: Float64Array;
  declare readonly groupRepairs: Float64Array;
  declare readonly groupPopulation: Int32Array;
  declare readonly groupBlocks: Int32Array;
  declare readonly log2Of: Float64Array;
  declare readonly pings: Float64Array;
  declare readonly repairMessages: Float64Array;
  declare readonly clock: Float64Array;
  declare readonly availabilityBins: Float64Array;
  declare readonly onlineBins: Float64Array;
  declare readonly carried: Float64Array;
  declare readonly sampleLimit: number;
  declare readonly sessionSamples: Float64Array;
  declare sampleCount: number;
  declare sessionCount: number;
  declare events: number;
  declare onlineBin: number;

  // (Fields are declared, not defined, so that the constructor creates each with its own
  // value and V8 knows its kind: a class field would start out undefined.)
  constructor(config: ChurnConfig, random: Random, progress: (fraction: number) => void, observer: ChurnObserver | undefined) {
    const { peers, on, off, groups, repair, repairDelay, horizon, bins, batches, trackedGroup, keepAlive } = config;
    this.peers = peers;
    this.horizon = horizon;
    this.bins = bins;
    this.batches = batches;
    this.trackedGroup = trackedGroup;
    this.repairDelay = repairDelay;
    this.groups = groups;
    this.progress = progress;
    this.observer = observer;
    const p = onlineProbability(on.mean, off.mean);
    // Draws go through a generator with typed-array state, seeded from `random` (see kernel/stream.ts).
    const uniform = new FastStream(random);
    this.uniform = uniform;
    const repairing = repair !== 'none';
    this.repairing = repairing;
    this.oldest = repair === 'oldest';
    // Repair timeouts exist only with repair.
    this.timeouts = new IndexedTimeHeap(repairing ? peers : 0);
    // The laws as numbers, so that the loop draws a duration inline: sampleDuration's laws by
    // inversion of one uniform, with x^a computed as e^(a ln x), which V8 does about twice as
    // fast as Math.pow (equal up to rounding).
    const lawCode = (law: DurationLaw): number => (law.kind === 'pareto' ? 1 : law.kind === 'weibull' ? 2 : 0);
    this.onCode = lawCode(on);
    this.offCode = lawCode(off);
    this.onScale = on.scale;
    this.offScale = off.scale;
    this.onInverseShape = 1 / on.shape;
    this.offInverseShape = 1 / off.shape;

    // Network sizes: every size n of the groups is an overlay, its ⌊N/n⌋ blocks of n peers each a ring.
    const blockSizes = [...new Set(groups.map((g) => g.population))].sort((a, b) => a - b);
    this.blockSizes = blockSizes;
    const sizeCount = blockSizes.length;
    this.sizeCount = sizeCount;
    this.sizeOf = Int32Array.from(blockSizes);
    this.inverseSizeOf = Float64Array.from(blockSizes, (size) => 1 / size);
    /** The blocks of every size in one array: size s has ⌊N/n_s⌋ blocks from blockBase[s] on. */
    const blockBase = new Int32Array(sizeCount + 1);
    blockSizes.forEach((size, s) => {
      blockBase[s + 1] = (blockBase[s] as number) + Math.floor(peers / size);
    });
    this.blockBase = blockBase;
    /** Online peers per block: repairs know at once whether a target exists, rings know their size m. */
    const blockOnline = new Int32Array(blockBase[sizeCount] as number);
    this.blockOnline = blockOnline;

    const stride = TABLE + sizeCount;
    this.stride = stride;
    const record = new Float64Array(peers * stride);
    this.record = record;
    /** Position of each online peer in the online list (kept only with repair). */
    this.onlineAt = new Int32Array(repairing ? peers : 0);
    // About EVENTS_PER_BUCKET joins and leaves per bucket (two per peer and mean cycle).
    const expectedEvents = (2 * peers * horizon) / (on.mean + off.mean);
    const buckets = Math.min(1 << 20, Math.ceil(expectedEvents / EVENTS_PER_BUCKET));
    const toggles = new CalendarQueue(peers, horizon, buckets, record, stride);
    this.toggles = toggles;
    const online = new Uint8Array(peers);
    this.online = online;
    this.onlineList = new Int32Array(peers);
    this.onlineCount = 0;
    // What each peer holds, as a run of places in one pool: the slot, and its item, so a join
    // or leave reads one contiguous run. A peer gets a run when it first holds a copy, and a
    // full run moves to a run twice as long at the pool's end; the abandoned runs add up to
    // less than the live ones, so the pool stays O(copies), not O(peers) (most of 100,000
    // peers hold nothing). The pool itself is made once the copies are counted, below.
    this.holdingRoom = new Int32Array(peers);
    this.poolEnd = 0;

    for (let peer = 0; peer < peers; peer++) {
      const isOnline = uniform.next() < p;
      const law = isOnline ? on : off;
      // Age and time left are drawn together (see sampleEquilibriumPeriod): the time left
      // decides availability, the age repair timing and which peer counts as the oldest.
      const [age, remaining] = sampleEquilibriumPeriod(law, random);
      record[peer * stride + SINCE] = -age;
      if (isOnline) online[peer] = 1;
      if (remaining < horizon) {
        toggles.incoming[0] = remaining;
        toggles.push(peer);
      }
    }

    // Items: slots [itemStart[i], itemStart[i] + copies) hold the peers of item i.
    let itemCount = 0;
    let slotCount = 0;
    for (const group of groups) {
      if (group.copies > group.population || group.population > peers) throw new RangeError('group does not fit the network');
      itemCount += group.items;
      slotCount += group.items * group.copies;
    }
    const itemGroup = new Int32Array(itemCount);
    const itemStart = new Int32Array(itemCount);
    const itemCopies = new Int32Array(itemCount);
    const itemOnline = new Int32Array(itemCount);
    this.itemGroup = itemGroup;
    this.itemStart = itemStart;
    this.itemCopies = itemCopies;
    this.itemOnline = itemOnline;
    /** First peer of the item's network: a network of n peers is one of the ⌊N/n⌋ disjoint blocks. */
    const itemOffset = new Int32Array(itemCount);
    this.itemOffset = itemOffset;
    const poolSize = 2 * INITIAL_RUN * Math.max(1, Math.min(peers, slotCount));
    this.holdingSlot = new Int32Array(poolSize);
    this.holdingItem = new Int32Array(poolSize);
    const slotPeer = new Int32Array(slotCount);
    const slotItem = new Int32Array(slotCount);
    this.slotPeer = slotPeer;
    this.slotItem = slotItem;
    /** Index of each slot in its holder's list, for O(1) removal. */
    this.slotPosition = new Int32Array(slotCount);
    const groupAvailable = new Float64Array(groups.length);
    this.groupAvailable = groupAvailable;
    this.groupIntegral = new Float64Array(groups.length);
    this.groupLastTime = new Float64Array(groups.length);
    this.groupRepairs = new Float64Array(groups.length);
    this.groupPopulation = Int32Array.from(groups, (g) => g.population);
    this.groupBlocks = Int32Array.from(groups, (g) => blockBase[blockSizes.indexOf(g.population)] as number);

    // Overlay maintenance (Stoica et al. 2001): a node of a ring of m online nodes keeps
    // log₂ m routing entries and pings each every τ; a join or leave costs (log₂ m)² messages.
    const log2Of = new Float64Array(peers + 1);
    for (let m = 2; m <= peers; m++) log2Of[m] = Math.log2(m);
    this.log2Of = log2Of;
    /** Messages per size and batch: [s · batches + b]. */
    this.pings = new Float64Array(sizeCount * batches);
    this.repairMessages = new Float64Array(sizeCount * batches);
    this.keepAliveHours = keepAlive / SECONDS_PER_HOUR;

    // The current time, for the helpers below: read from a typed array rather than passed,
    // because V8 allocates a box for a double passed to a function it does not inline.
    this.clock = new Float64Array(1);

    // The peers online at time 0 were already in their rings: count every ring first, then give
    // each of them the table of its whole ring (joining one by one would give the first ones tiny tables).
    for (let peer = 0; peer < peers; peer++) {
      if (!online[peer]) continue;
      this.addOnline(peer);
      for (let s = 0; s < sizeCount; s++) {
        const block = this.blockOf(peer, s);
        if (block >= 0) blockOnline[block] = (blockOnline[block] as number) + 1;
      }
    }
    for (let peer = 0; peer < peers; peer++) {
      if (!online[peer]) continue;
      for (let s = 0; s < sizeCount; s++) {
        const block = this.blockOf(peer, s);
        if (block >= 0) record[peer * stride + TABLE + s] = log2Of[blockOnline[block] as number] as number;
      }
    }

    let item = 0;
    let slot = 0;
    groups.forEach((group, g) => {
      for (let j = 0; j < group.items; j++, item++) {
        itemGroup[item] = g;
        itemStart[item] = slot;
        itemCopies[item] = group.copies;
        const offset = uniform.int(Math.floor(peers / group.population)) * group.population;
        itemOffset[item] = offset;
        for (let c = 0; c < group.copies; c++) {
          let peer: number;
          let taken: boolean;
          do {
            peer = offset + uniform.int(group.population);
            taken = false;
            for (let s = itemStart[item] as number; s < slot; s++) if (slotPeer[s] === peer) taken = true;
          } while (taken);
          slotPeer[slot] = peer;
          slotItem[slot] = item;
          this.hold(peer, slot, item);
          if (online[peer]) itemOnline[item] = (itemOnline[item] as number) + 1;
          slot++;
        }
        if ((itemOnline[item] as number) > 0) groupAvailable[g] = (groupAvailable[g] as number) + 1;
      }
    });

    // Over-time series: piecewise-constant values integrated exactly into bins.
    this.availabilityBins = new Float64Array(bins);
    this.onlineBins = new Float64Array(bins);

    if (repairing) {
      for (let peer = 0; peer < peers; peer++) {
        if (!online[peer] && (record[peer * stride + HOLD_COUNT] as number) > 0) {
          const due = Math.max(0, this.sinceOf(peer) + repairDelay);
          if (due < horizon) this.timeouts.set(peer, due);
        }
      }
    }

    const sampleLimit = Math.min(MAX_SESSION_SAMPLES, config.sessionSamples ?? MAX_SESSION_SAMPLES);
    this.sampleLimit = sampleLimit;
    this.sessionSamples = new Float64Array(sampleLimit);
    this.sampleCount = 0;
    this.sessionCount = 0;
    this.events = 0;
    // The online count is integrated into the time bins as it changes: inside the current
    // bin one multiply-add, across a bin edge spreadOverBins.
    this.onlineBin = 0;
    const carried = new Float64Array(5);
    carried[BIN_END] = binEdge(1, bins, horizon);
    this.carried = carried;
  }

  batchOf(time: number): number {
    const batches = this.batches;
    return batches === 1 ? 0 : Math.min(batches - 1, Math.floor((time / this.horizon) * batches));
  }

  /** The peer's block of size s in blockOnline, or −1 past the last whole block. */
  blockOf(peer: number, s: number): number {
    const blockBase = this.blockBase;
    const size = this.sizeOf[s] as number;
    // ⌊peer / size⌋ by a multiply (a division is several times slower), corrected by one
    // where the rounded reciprocal lands on the wrong side of a multiple.
    let block = Math.floor(peer * (this.inverseSizeOf[s] as number));
    if (block * size > peer) block--;
    else if ((block + 1) * size <= peer) block++;
    return block < (blockBase[s + 1] as number) - (blockBase[s] as number) ? (blockBase[s] as number) + block : -1;
  }

  sinceOf(peer: number): number {
    return this.record[peer * this.stride + SINCE] as number;
  }

  // The list of online peers is only read to pick repair targets: without repair, only its count is kept.
  addOnline(peer: number): void {
    if (!this.repairing) {
      this.onlineCount++;
      return;
    }
    this.onlineAt[peer] = this.onlineCount;
    this.onlineList[this.onlineCount++] = peer;
  }

  removeOnline(peer: number): void {
    if (!this.repairing) {
      this.onlineCount--;
      return;
    }
    const { onlineAt, onlineList } = this;
    const position = onlineAt[peer] as number;
    const last = onlineList[--this.onlineCount] as number;
    onlineList[position] = last;
    onlineAt[last] = position;
    onlineAt[peer] = -1;
  }

  /**
   * Rebuilds the pool with each peer's run sized to what it holds now (twice that, at least
   * INITIAL_RUN; none for a peer that holds nothing), leaving `extra` places free at the end. Runs only grow, and with repair a
   * peer online among few others may hold thousands of copies for a moment: without this
   * the pool would keep every run at its largest size ever.
   */
  compactPool(extra: number): void {
    const { peers, record, stride, holdingRoom } = this;
    let needed = extra;
    for (let peer = 0; peer < peers; peer++) {
      const count = record[peer * stride + HOLD_COUNT] as number;
      if (count > 0) needed += Math.max(INITIAL_RUN, 2 * count);
    }
    const size = Math.max(this.holdingSlot.length, 2 * needed);
    const slots = new Int32Array(size);
    const items = new Int32Array(size);
    let end = 0;
    for (let peer = 0; peer < peers; peer++) {
      const base = peer * stride;
      const from = record[base + HOLD_START] as number;
      const count = record[base + HOLD_COUNT] as number;
      slots.set(this.holdingSlot.subarray(from, from + count), end);
      items.set(this.holdingItem.subarray(from, from + count), end);
      record[base + HOLD_START] = end;
      holdingRoom[peer] = count > 0 ? Math.max(INITIAL_RUN, 2 * count) : 0;
      end += holdingRoom[peer] as number;
    }
    this.holdingSlot = slots;
    this.holdingItem = items;
    this.poolEnd = end;
  }

  widenRun(peer: number): void {
    const { record, stride, holdingRoom } = this;
    const room = Math.max(INITIAL_RUN, 2 * (holdingRoom[peer] as number));
    if (this.poolEnd + room > this.holdingSlot.length) this.compactPool(room);
    const from = record[peer * stride + HOLD_START] as number;
    const count = record[peer * stride + HOLD_COUNT] as number;
    this.holdingSlot.copyWithin(this.poolEnd, from, from + count);
    this.holdingItem.copyWithin(this.poolEnd, from, from + count);
    record[peer * stride + HOLD_START] = this.poolEnd;
    holdingRoom[peer] = room;
    this.poolEnd += room;
  }

  hold(peer: number, s: number, it: number): void {
    const { record, stride } = this;
    const count = record[peer * stride + HOLD_COUNT] as number;
    if (count === this.holdingRoom[peer]) this.widenRun(peer);
    const at = (record[peer * stride + HOLD_START] as number) + count;
    this.holdingSlot[at] = s;
    this.holdingItem[at] = it;
    this.slotPosition[s] = count;
    record[peer * stride + HOLD_COUNT] = count + 1;
  }

  /** Drops slot s from its holder's run, moving the run's last entry into its place. */
  release(peer: number, s: number): void {
    const { record, stride, holdingSlot, holdingItem, slotPosition } = this;
    const index = slotPosition[s] as number;
    const last = (record[peer * stride + HOLD_COUNT] as number) - 1;
    record[peer * stride + HOLD_COUNT] = last;
    if (index === last) return;
    const start = record[peer * stride + HOLD_START] as number;
    const moved = holdingSlot[start + last] as number;
    holdingSlot[start + index] = moved;
    holdingItem[start + index] = holdingItem[start + last] as number;
    slotPosition[moved] = index;
  }

  /** A peer joins: its block's ring grows to m, it builds a table of log₂ m entries, the ring repairs. */
  join(peer: number): void {
    const { record, blockOnline, log2Of, repairMessages, batches } = this;
    const base = peer * this.stride;
    const batch = this.batchOf(this.clock[0] as number);
    for (let s = 0; s < this.sizeCount; s++) {
      const block = this.blockOf(peer, s);
      if (block < 0) continue;
      const m = (blockOnline[block] as number) + 1;
      blockOnline[block] = m;
      const entries = log2Of[m] as number;
      record[base + TABLE + s] = entries;
      addTo(repairMessages, s * batches + batch, entries * entries);
    }
  }

  /**
   * A peer leaves (or the run ends, `leaving` false): its pings since it joined (or since
   * time 0) are counted, ⌊phase + session/τ⌋ rounds of one message per routing entry, the
   * ping timer's phase uniform in [0, 1) of τ and independent of the session, so drawn here.
   */
  endSession(peer: number, leaving: boolean): void {
    const { record, blockOnline, log2Of, repairMessages, pings, batches } = this;
    const time = this.clock[0] as number;
    const base = peer * this.stride;
    const start = Math.max(0, record[base + SINCE] as number);
    const rounds = Math.floor(this.uniform.next() + (time - start) / this.keepAliveHours);
    const batch = this.batchOf(time);
    for (let s = 0; s < this.sizeCount; s++) {
      const block = this.blockOf(peer, s);
      if (block < 0) continue;
      addTo(pings, s * batches + batch, rounds * (record[base + TABLE + s] as number));
      if (!leaving) continue;
      const m = blockOnline[block] as number;
      const entries = log2Of[m] as number;
      addTo(repairMessages, s * batches + batch, entries * entries);
      blockOnline[block] = m - 1;
    }
  }

  changeGroup(g: number, delta: number): void {
    const { groupAvailable, groupIntegral, groupLastTime } = this;
    const time = this.clock[0] as number;
    const available = groupAvailable[g] as number;
    const last = groupLastTime[g] as number;
    groupIntegral[g] = (groupIntegral[g] as number) + available * (time - last);
    groupLastTime[g] = time;
    if (g === this.trackedGroup) {
      spreadOverBins(this.availabilityBins, 0, this.bins, this.horizon, available, this.carried[TRACKED_LAST] as number, time);
      this.carried[TRACKED_LAST] = time;
    }
    groupAvailable[g] = available + delta;
  }

  isHolder(it: number, peer: number): boolean {
    const slotPeer = this.slotPeer;
    const start = this.itemStart[it] as number;
    const end = start + (this.itemCopies[it] as number);
    for (let s = start; s < end; s++) if (slotPeer[s] === peer) return true;
    return false;
  }

  /** Online peers of the item's network that do not hold it (its online holders are all inside the block). */
  targetsAvailable(it: number): number {
    const g = this.itemGroup[it] as number;
    const block = (this.itemOffset[it] as number) / (this.groupPopulation[g] as number);
    return (this.blockOnline[(this.groupBlocks[g] as number) + block] as number) - (this.itemOnline[it] as number);
  }

  /** An online peer of the item's network that does not hold it, or −1. */
  pickTarget(it: number): number {
    const { online, onlineList, uniform, peers } = this;
    const available = this.targetsAvailable(it);
    if (available <= 0) return -1;
    const population = this.groupPopulation[this.itemGroup[it] as number] as number;
    const offset = this.itemOffset[it] as number;
    const wanted = this.oldest ? Math.min(OLDEST_CANDIDATES, available) : 1;
    // Draw from the online list when most online peers are eligible, else from the network's ids.
    const fromOnlineList = population * 2 >= peers;
    const end = offset + population;
    let best = -1;
    let found = 0;
    // Rejection sampling only while it is likely to succeed; otherwise one scan.
    const acceptance = available / (fromOnlineList ? this.onlineCount : population);
    const attempts = acceptance < MIN_ACCEPTANCE ? 0 : TARGET_ATTEMPTS;
    for (let attempt = 0; attempt < attempts && found < wanted; attempt++) {
      const peer = fromOnlineList ? (onlineList[uniform.int(this.onlineCount)] as number) : offset + uniform.int(population);
      if (online[peer] !== 1 || peer < offset || peer >= end || this.isHolder(it, peer)) continue;
      found++;
      if (best < 0 || this.sinceOf(peer) < this.sinceOf(best)) best = peer;
    }
    if (best >= 0) return best;
    // Few eligible peers: look at every candidate once.
    let seen = 0;
    const candidates = fromOnlineList ? this.onlineCount : population;
    for (let i = 0; i < candidates; i++) {
      const peer = fromOnlineList ? (onlineList[i] as number) : offset + i;
      if (online[peer] !== 1 || peer < offset || peer >= end || this.isHolder(it, peer)) continue;
      seen++;
      if (this.oldest) {
        if (best < 0 || this.sinceOf(peer) < this.sinceOf(best)) best = peer;
      } else if (uniform.int(seen) === 0) {
        best = peer;
      }
    }
    return best;
  }

  /** An online holder of the item, the copy's source as the network view draws it. */
  onlineHolder(it: number): number {
    const { slotPeer, online } = this;
    const start = this.itemStart[it] as number;
    for (let s = start; s < start + (this.itemCopies[it] as number); s++) if (online[slotPeer[s] as number]) return slotPeer[s] as number;
    return -1;
  }

  /** Moves a slot from its offline holder to a new online peer; false when none is eligible. */
  replace(s: number): boolean {
    const it = this.slotItem[s] as number;
    const target = this.pickTarget(it);
    if (target < 0) return false;
    if (this.observer) this.observer.repairCopy(it, this.onlineHolder(it), target);
    this.release(this.slotPeer[s] as number, s);
    this.hold(target, s, it);
    this.slotPeer[s] = target;
    this.itemOnline[it] = (this.itemOnline[it] as number) + 1;
    const g = this.itemGroup[it] as number;
    this.groupRepairs[g] = (this.groupRepairs[g] as number) + 1;
    return true;
  }

  /** Repair timeout of the heap's earliest holder: it has been offline for the whole delay (its return cancels it). */
  timeout(): void {
    const { record, itemOnline, slotItem } = this;
    const holder = this.timeouts.pop();
    const base = holder * this.stride;
    // Backwards, because replace() swaps the last entry into the removed one.
    for (let i = (record[base + HOLD_COUNT] as number) - 1; i >= 0; i--) {
      const s = this.holdingSlot[(record[base + HOLD_START] as number) + i] as number;
      // Without an online holder there is nothing to copy from: the item's return handles it.
      if ((itemOnline[slotItem[s] as number] as number) === 0) continue;
      // When every online peer of the network already holds the item, the copy stays put
      // until its holder or the item returns: retrying on a timer would only burn time.
      this.replace(s);
    }
  }

  /** The toggles' earliest peer, at the time in clock[0], goes offline or comes online; its next toggle is scheduled. */
  toggle(): void {
    const { record, online, itemOnline, itemGroup, carried, onlineBins, bins, horizon, toggles } = this;
    const time = this.clock[0] as number;
    const peer = toggles.top();
    const base = peer * this.stride;
    if (time <= (carried[BIN_END] as number) || this.onlineBin === bins - 1) {
      onlineBins[this.onlineBin] = (onlineBins[this.onlineBin] as number) + this.onlineCount * (time - (carried[ONLINE_LAST] as number));
    } else {
      spreadOverBins(onlineBins, 0, bins, horizon, this.onlineCount, carried[ONLINE_LAST] as number, time);
      while (this.onlineBin < bins - 1 && binEdge(this.onlineBin + 1, bins, horizon) <= time) this.onlineBin++;
      carried[BIN_END] = binEdge(this.onlineBin + 1, bins, horizon);
    }
    carried[ONLINE_LAST] = time;
    let duration: number;
    if (online[peer]) {
      this.endSession(peer, true);
      online[peer] = 0;
      this.removeOnline(peer);
      record[base + SINCE] = time;
      const held = record[base + HOLD_COUNT] as number;
      if (held > 0) {
        const start = record[base + HOLD_START] as number;
        const holdingItem = this.holdingItem;
        for (let i = 0; i < held; i++) {
          const it = holdingItem[start + i] as number;
          const remaining = (itemOnline[it] as number) - 1;
          itemOnline[it] = remaining;
          if (remaining === 0) this.changeGroup(itemGroup[it] as number, -1);
        }
        if (this.repairing && time + this.repairDelay < horizon) this.timeouts.set(peer, time + this.repairDelay);
      }
      const logU = Math.log(1 - this.uniform.next());
      const offCode = this.offCode;
      duration =
        offCode === 1
          ? this.offScale * Math.exp(-this.offInverseShape * logU)
          : offCode === 2
            ? this.offScale * Math.exp(this.offInverseShape * Math.log(-logU))
            : -this.offScale * logU;
    } else {
      online[peer] = 1;
      this.addOnline(peer);
      this.join(peer);
      record[base + SINCE] = time;
      if (this.repairing) this.timeouts.remove(peer);
      const held = record[base + HOLD_COUNT] as number;
      if (held > 0) this.holdingsReturn(peer, held);
      const logU = Math.log(1 - this.uniform.next());
      const onCode = this.onCode;
      duration =
        onCode === 1
          ? this.onScale * Math.exp(-this.onInverseShape * logU)
          : onCode === 2
            ? this.onScale * Math.exp(this.onInverseShape * Math.log(-logU))
            : -this.onScale * logU;
      const sessionCount = ++this.sessionCount;
      const delta = duration - (carried[SESSION_MEAN] as number);
      carried[SESSION_MEAN] = (carried[SESSION_MEAN] as number) + delta / sessionCount;
      carried[SESSION_M2] = (carried[SESSION_M2] as number) + delta * (duration - (carried[SESSION_MEAN] as number));
      if (this.sampleCount < this.sampleLimit) this.sessionSamples[this.sampleCount++] = duration;
    }
    // The peer's own entry is still the toggles' top: nothing else was put there meanwhile.
    if (time + duration < horizon) {
      toggles.incoming[0] = time + duration;
      toggles.rescheduleTop();
    } else {
      toggles.pop();
    }
  }

  /** A peer that holds copies came back online (at clock[0]): its items count it again, and sources that are back start repairs. */
  holdingsReturn(peer: number, held: number): void {
    const { record, itemOnline, itemGroup, itemStart, itemCopies, slotPeer, online } = this;
    const time = this.clock[0] as number;
    const base = peer * this.stride;
    // A repair below moves copies to other peers, never to this one (it holds the item), but
    // it may reallocate the pool: read the pool afresh each time.
    for (let i = 0; i < held; i++) {
      const it = this.holdingItem[(record[base + HOLD_START] as number) + i] as number;
      const count = (itemOnline[it] as number) + 1;
      itemOnline[it] = count;
      if (count !== 1) continue;
      this.changeGroup(itemGroup[it] as number, 1);
      if (!this.repairing || this.targetsAvailable(it) <= 0) continue;
      // A source is back: re-create the copies of holders already past their delay.
      const first = itemStart[it] as number;
      const end = first + (itemCopies[it] as number);
      for (let s = first; s < end; s++) {
        const holder = slotPeer[s] as number;
        if (!online[holder] && this.sinceOf(holder) <= time - this.repairDelay) this.replace(s);
      }
    }
  }

  run(): ChurnOutcome {
    const { online, observer } = this;
    observer?.start({
      online,
      itemOnline: this.itemOnline,
      itemStart: this.itemStart,
      itemCopies: this.itemCopies,
      slotPeer: this.slotPeer,
    });
    // The event loop and the sums after it are methods of their own, so that V8 optimizes
    // each separately: code that leaves a loop to run rarer code may be thrown away there.
    this.runEvents();
    return this.finish();
  }

  /** Every event up to the horizon; each is a method call, so that V8 optimizes the event's code as a function of its own. */
  runEvents(): void {
    const { horizon, toggles, timeouts, observer, clock } = this;
    for (;;) {
      const toggleTime = toggles.ready() ? (toggles.nextTime[0] as number) : Infinity;
      const timeoutTime = timeouts.peekTime();
      if (toggleTime === Infinity && timeoutTime === Infinity) break;
      const isTimeout = timeoutTime < toggleTime;
      const time = isTimeout ? timeoutTime : toggleTime;
      clock[0] = time;
      const events = ++this.events;
      if (observer) observer.advance(time);
      if ((events & 65535) === 0) this.progress(time / horizon);
      if (isTimeout) this.timeout();
      else this.toggle();
    }
  }

  /** The run's sums once the horizon is reached. */
  finish(): ChurnOutcome {
    const { peers, horizon, bins, groups, observer, clock, carried, onlineBins, online } = this;
    observer?.end(horizon);
    clock[0] = horizon;
    for (let peer = 0; peer < peers; peer++) if (online[peer]) this.endSession(peer, false);
    spreadOverBins(onlineBins, 0, bins, horizon, this.onlineCount, carried[ONLINE_LAST] as number, horizon);
    const onlineHours = onlineBins.reduce((sum, value) => sum + value, 0);
    const availability = new Float64Array(groups.length);
    const repairRate = new Float64Array(groups.length);
    groups.forEach((group, g) => {
      this.changeGroup(g, 0);
      availability[g] = (this.groupIntegral[g] as number) / (horizon * group.items);
      repairRate[g] = (this.groupRepairs[g] as number) / (horizon * group.items);
    });
    const trackedItems = groups[this.trackedGroup]?.items ?? 1;
    const binWidth = (i: number): number => binEdge(i + 1, bins, horizon) - binEdge(i, bins, horizon);
    const availabilityOverTime = this.availabilityBins.map((v, i) => v / (binWidth(i) * trackedItems));
    const onlineOverTime = onlineBins.map((v, i) => v / (binWidth(i) * peers));
    const batches = this.batches;
    const maintenance: MaintenanceCount[] = this.blockSizes.map((size, s) => ({
      size,
      networks: Math.floor(peers / size),
      pings: this.pings.slice(s * batches, (s + 1) * batches),
      repairs: this.repairMessages.slice(s * batches, (s + 1) * batches),
    }));
    this.progress(1);
    const sessionCount = this.sessionCount;
    return {
      availability,
      repairRate,
      availabilityOverTime,
      onlineOverTime,
      onlineHours,
      maintenance,
      sessionStats: {
        count: sessionCount,
        mean: sessionCount > 0 ? (carried[SESSION_MEAN] as number) : NaN,
        variance: sessionCount > 1 ? (carried[SESSION_M2] as number) / (sessionCount - 1) : NaN,
      },
      sessionSamples: this.sessionSamples.slice(0, this.sampleCount),
      events: this.events,
    };
  }
}

/* ------------------------------------------------------------------ */
/* The lab                                                             */
/* ------------------------------------------------------------------ */

export type ChurnParams = {
  peers: number;
  sessionDistribution: SessionDistribution;
  shape: number;
  meanSession: number;
  meanOff: number;
  replicas: number;
  repair: RepairPolicy;
  repairDelay: number;
  keepAlive: number;
  serverMtbf: number;
  serverMttr: number;
  serverReplicas: number;
};

/** Items in the group charted over time, and in every other group. */
const TRACKED_ITEMS = 1000;
const SWEEP_ITEMS = 200;
/**
 * Simulated time, the same for every N: REPLICATIONS independent runs (seeds from deriveSeed)
 * of CYCLES_PER_RUN mean on/off cycles each. Each run starts in the long-run state, so short
 * runs are unbiased, and their spread gives honest 95% intervals even for heavy-tailed
 * sessions, whose long-range correlation defeats batch means within one run.
 */
export const REPLICATIONS = 6;
export const CYCLES_PER_RUN = 25;
const TIME_BINS = 120;
const HOUR = 3600;

/** Hours of one run: CYCLES_PER_RUN on/off cycles of `meanCycle` hours, whatever N. */
export function horizonFor(meanCycle: number): number {
  return CYCLES_PER_RUN * meanCycle;
}

/**
 * The network view: a small copy of the same simulation (VIEW_PEERS of the N peers,
 * VIEW_ITEMS items with the k copies as set, every other parameter as set) over
 * VIEW_CYCLES mean on/off cycles, read at VIEW_STEPS + 1 fixed times, with the r servers
 * simulated on the same clock. Its own seeds, so the charts' numbers do not change.
 */
export const VIEW_PEERS = 36;
export const VIEW_ITEMS = 4;
export const VIEW_CYCLES = 8;
export const VIEW_STEPS = 240;

/** The small copy's configuration: VIEW_PEERS of the N peers, VIEW_ITEMS items, every other parameter as set. */
export function networkViewConfig(params: ChurnParams): ChurnConfig {
  const on = durationLaw(params.sessionDistribution, params.meanSession, params.shape);
  const off = durationLaw(params.sessionDistribution, params.meanOff, params.shape);
  const peers = Math.min(params.peers, VIEW_PEERS);
  // k ≤ 20 ≤ the smallest N, so the k set always fits; the cap only guards the invariant.
  const copies = Math.min(params.replicas, peers);
  return {
    peers,
    on,
    off,
    groups: [{ copies, population: peers, items: VIEW_ITEMS }],
    repair: params.repair,
    repairDelay: params.repairDelay,
    horizon: VIEW_CYCLES * (on.mean + off.mean),
    bins: 1,
    batches: 1,
    trackedGroup: 0,
    keepAlive: params.keepAlive,
  };
}

/** Records the network view of these parameters; the small run's outcome and the recorder's per-frame numbers come with it. */
export function churnNetwork(
  params: ChurnParams,
  seed: number,
): { trace: NetworkTrace; outcome: ChurnOutcome; recorder: ChurnTraceRecorder } {
  const config = networkViewConfig(params);
  const servers = new ServerReplicas(
    params.serverReplicas,
    params.serverMtbf,
    params.serverMttr,
    createRandom(deriveSeed(seed, 0xfeed, 1)),
  );
  const recorder = new ChurnTraceRecorder({
    peers: config.peers,
    readerPeers: params.peers,
    chartItems: TRACKED_ITEMS,
    items: VIEW_ITEMS,
    copies: (config.groups[0] as ItemGroup).copies,
    repairing: params.repair !== 'none',
    servers,
    horizon: config.horizon,
    steps: VIEW_STEPS,
  });
  const outcome = simulateChurn(config, createRandom(deriveSeed(seed, 0xfeed)), undefined, recorder);
  return { trace: recorder.finish(VIEW_CYCLES), outcome, recorder };
}

const DISTRIBUTION_NAMES: Record<SessionDistribution, string> = {
  exponential: 'exponential',
  pareto: 'Pareto',
  weibull: 'Weibull',
};

const pct = formatAvailability;

/** The value a reader sees in pct(fraction), so comparisons in sentences agree with what they print. */
export function printedAvailability(fraction: number): number {
  const text = pct(fraction);
  return text === '≈ 100%' ? 100 - Number.MIN_VALUE : Number.parseFloat(text);
}

/** −1, 0 or 1: how a and b compare as pct() prints them. */
export function comparePrinted(a: number, b: number): number {
  const x = printedAvailability(a);
  const y = printedAvailability(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A simulated time average with its 95% interval (fractions). */
export interface Estimate {
  mean: number;
  low: number;
  high: number;
}

function estimate(replications: ArrayLike<number>): Estimate {
  const point = meanPoint(0, replications);
  const mean = point[1];
  return { mean, low: point[2] ?? mean, high: point[3] ?? mean };
}

/** A time average as a chart point in percent, its interval kept inside [0, 100]. */
function percentPoint(x: number, value: Estimate): Point {
  return [x, 100 * value.mean, Math.max(0, 100 * value.low), Math.min(100, 100 * value.high)];
}

export interface VerdictInput {
  peers: number;
  copies: number;
  /** Smallest network size simulated (equal to peers when there is none smaller). */
  smallest: number;
  onlineShare: number;
  /** The item on k of the N peers, and in the networks of `smallest` peers. */
  simulated: Estimate;
  atSmallest: Estimate;
  formula: number;
  single: number;
  replicated: number;
  serverReplicas: number;
  serverMtbf: number;
  serverMttr: number;
  /** Messages per second in all, at the smallest network size and at N. */
  maintenanceSmall: number;
  maintenanceLarge: number;
  sessionDistribution: SessionDistribution;
  meanSession: number;
  residualAtMean: number;
  top10: number;
  repair: RepairPolicy;
  repairDelay: number;
  repairPerDay: number;
}

const copiesText = (count: number): string => `${count} cop${count === 1 ? 'y' : 'ies'}`;
const share = (fraction: number): string => (fraction >= 0.99 ? pct(fraction) : `${formatSig(100 * fraction)}%`);

/** Client-server against the item on k peers, chosen by the availabilities as printed. */
export function serverSentence(v: VerdictInput): string {
  const { copies: k, simulated, single, replicated, serverReplicas: r } = v;
  const peers = `${copiesText(k)} on peers online ${share(v.onlineShare)} of the time`;
  const oneServer = `one server with MTBF ${formatDuration(v.serverMtbf * HOUR)} and MTTR ${formatDuration(v.serverMttr * HOUR)}`;
  const bySingle = comparePrinted(simulated.mean, single);
  const byReplicated = comparePrinted(simulated.mean, replicated);
  if (bySingle < 0) {
    return `“Client-server is more reliable” holds for these numbers: ${oneServer} is up ${pct(single)}, more than the item on ${plural(k, 'peer')} (${pct(simulated.mean)}).`;
  }
  if (bySingle === 0) {
    return (
      `${oneServer[0]!.toUpperCase()}${oneServer.slice(1)} and ${peers} are equally available to the digits shown (${pct(single)})` +
      (r > 1 && byReplicated < 0 ? `; ${r} servers (${pct(replicated)}) beat both.` : '.')
    );
  }
  if (r > 1 && byReplicated < 0) {
    return `One server (${pct(single)}) is less available than ${peers} (${pct(simulated.mean)}), but ${r} servers (${pct(replicated)}) beat the peers.`;
  }
  if (r > 1 && byReplicated === 0) {
    return `One server (${pct(single)}) is less available than ${peers}, and ${r} servers match them to the digits shown (${pct(replicated)}).`;
  }
  return `“Client-server is more reliable” fails for these numbers: ${peers} ${k === 1 ? 'reaches' : 'reach'} ${pct(simulated.mean)}, more than ${r === 1 ? 'one server' : `${r} servers`} (${pct(replicated)}).`;
}

/**
 * Availability against N: a change is claimed only when the two 95% intervals do not
 * overlap and the printed numbers differ in the same direction.
 */
export function sizeSentence(v: VerdictInput): string {
  const { copies: k, peers: n, smallest, simulated, atSmallest } = v;
  if (smallest >= n) {
    return `With k = ${copiesText(k)} on all ${n} peers there is no smaller network to compare; raise N to see whether availability depends on it.`;
  }
  const printed = comparePrinted(simulated.mean, atSmallest.mean);
  if (printed < 0 && simulated.high < atSmallest.low) {
    return `Here availability fell from ${pct(atSmallest.mean)} in networks of ${smallest} peers to ${pct(simulated.mean)} with ${n}.`;
  }
  if (printed > 0 && simulated.low > atSmallest.high) {
    return (
      `“P2P becomes less stable as the number of peers grows” is contradicted: with k = ${copiesText(k)} an item was available ${pct(atSmallest.mean)} of the time in networks of ${smallest} peers and ${pct(simulated.mean)} with ${n}` +
      (v.repair === 'none' ? '.' : ', because a larger network offers more online peers to re-replicate to.')
    );
  }
  return `“P2P becomes less stable as the number of peers grows” is not borne out for availability: with k = ${copiesText(k)} held fixed, an item was available ${pct(atSmallest.mean)} of the time in networks of ${smallest} peers and ${pct(simulated.mean)} with ${n}, the same within the simulation’s 95% intervals; what sets it is p and k, not N.`;
}

/** What grows with N: the overlay's upkeep, in all and per peer, chosen by the printed numbers. */
export function growthSentence(v: VerdictInput): string {
  const { smallest, peers: n, maintenanceSmall, maintenanceLarge } = v;
  if (smallest >= n)
    return `The overlay’s upkeep is ${formatSig(maintenanceLarge)} messages/s (${formatSig(maintenanceLarge / n)} per peer).`;
  const perPeerSmall = formatSig(maintenanceSmall / smallest);
  const perPeerLarge = formatSig(maintenanceLarge / n);
  const small = Number.parseFloat(perPeerSmall.replace(/,/g, ''));
  const large = Number.parseFloat(perPeerLarge.replace(/,/g, ''));
  const perPeer =
    large > small
      ? `per peer it rises (${perPeerSmall} → ${perPeerLarge}), as log₂ m for pings and (log₂ m)² for joins and leaves in a ring of m online peers`
      : large < small
        ? `per peer it fell here (${perPeerSmall} → ${perPeerLarge}), because with so few peers online the rings stay small`
        : `per peer it stayed at ${perPeerLarge} to the digits shown`;
  return `What grows with N is the overlay’s upkeep: ${formatSig(maintenanceSmall)} → ${formatSig(maintenanceLarge)} messages/s in all, and ${perPeer}.`;
}

/** Heavy tails: whether a peer's age predicts how long it stays (closed forms of the chosen law). */
export function tailSentence(v: VerdictInput): string {
  const topText = Number.isFinite(v.top10) ? formatPercent(v.top10, 0) : 'n/a';
  const mean = formatDuration(v.meanSession * HOUR);
  const residual = formatDuration(v.residualAtMean * HOUR);
  // A 10% margin, so that the three-figure durations printed always differ in the stated direction.
  if (v.sessionDistribution === 'exponential' || Math.abs(v.residualAtMean - v.meanSession) < 0.1 * v.meanSession) {
    return `Sessions here are (close to) memoryless: a peer that has been online for one mean session (${mean}) stays ${residual} more on average, like any other, and the longest 10% of sessions hold ${topText} of the online time.`;
  }
  if (v.residualAtMean > v.meanSession) {
    return `Sessions are heavy-tailed: the longest 10% hold ${topText} of all online time, and a peer already online for one mean session (${mean}) stays ${residual} more on average; these long-lived peers are the stable core${v.repair === 'oldest' ? ', which is why re-creating copies on the longest-online peers needs fewer repairs' : ' (re-creating copies on the longest-online peers uses it)'}.`;
  }
  return `With shape above 1 sessions wear out: a peer already online for one mean session (${mean}) stays only ${residual} more on average, so old peers are the ones about to leave.`;
}

/** What re-replication bought: a gain is claimed only when the interval lies above the formula and the printed numbers differ. */
export function repairSentence(v: VerdictInput): string {
  if (v.repair === 'none') return '';
  if (v.copies === 1) return 'Re-replication cannot help a single copy: when its only holder leaves there is nothing to copy from.';
  const delay = formatDuration(v.repairDelay * HOUR);
  const cost = `${formatSig(v.repairPerDay)} new copies per item per day`;
  if (comparePrinted(v.simulated.mean, v.formula) > 0 && v.simulated.low > v.formula) {
    return `Re-replication after ${delay} raised availability from ${pct(v.formula)} to ${pct(v.simulated.mean)}, at the price of ${cost}.`;
  }
  return `Re-replication after ${delay} did not measurably raise availability (${pct(v.formula)} without it, ${pct(v.simulated.mean)} with it): the delay is long against the off-times, or few peers are online to copy to. It cost ${cost}.`;
}

export function decideSentence(v: VerdictInput): string {
  const best = Math.max(v.single, v.replicated);
  const needed = copiesNeeded(v.onlineShare, best);
  return Number.isFinite(needed)
    ? `The deciding parameters are the peers’ online share p with the copy count k, against the server’s MTTR/MTBF (${formatSig(v.serverMttr / v.serverMtbf)}) with r: at p = ${share(v.onlineShare)}, ${copiesText(needed)} without repair would match the best server setup (${pct(best)}).`
    : `The deciding parameters are p and k against MTTR/MTBF and r.`;
}

export function churnVerdict(v: VerdictInput): string {
  const repair = repairSentence(v);
  return `${serverSentence(v)} ${decideSentence(v)} ${sizeSentence(v)} ${growthSentence(v)} ${tailSentence(v)}${repair ? ` ${repair}` : ''}`;
}

/** One task of a run: `runs` independent runs (from `firstRun` on) of `population` peers in networks of `size`. */
export interface ChurnTask {
  /** Network size n: the population is ⌊population/n⌋ networks of n peers side by side. */
  size: number;
  population: number;
  firstRun: number;
  runs: number;
}

/** What one run of a task reports: small plain numbers, cloned between workers. */
export interface ChurnRunPart {
  /** Time-averaged share of items available, per group (k = 1 … kMax on all N; one group in a smaller network). */
  availability: number[];
  /** Copies re-created per item per hour, per group. */
  repairRate: number[];
  /** Maintenance messages per second of one network of n peers. */
  maintenance: number;
  /** All-N runs only: the tracked item group and the peers online, per time bin. */
  itemsOverTime?: number[];
  onlineOverTime?: number[];
  /** All-N runs only: the share of online time held by the longest 10% of sessions. */
  top10?: number;
}

export interface ChurnPart {
  size: number;
  runs: ChurnRunPart[];
}

/**
 * Peers simulated for a network size n smaller than N: as many whole networks of n as fit
 * in min(N, SIZE_PEERS) peers, at least one. Each network is an independent copy of the
 * same on/off process, so a few hundred of them estimate an n-peer network as well as N/n
 * would, and a size costs at most SIZE_PEERS peers plus one network.
 */
export const SIZE_PEERS = 1000;
export function sizePopulation(size: number, peers: number): number {
  return size * Math.max(1, Math.floor(Math.min(peers, SIZE_PEERS) / size));
}

/** The network sizes compared: seven log-spaced n from max(k, 10) to N. */
export function networkSizes(peers: number, copies: number): number[] {
  return logSpacedIntegers(Math.min(peers, Math.max(copies, 10)), peers, 7);
}

/** Copies k = 1 … kMax charted on all N peers. */
function largestCopies(params: ChurnParams): number {
  return Math.min(params.peers, Math.max(10, params.replicas));
}

/** The item groups of an all-N run: every k from 1 to kMax, the chosen k tracked with more items. */
function allPeerGroups(params: ChurnParams): ItemGroup[] {
  return Array.from({ length: largestCopies(params) }, (_, i) => ({
    copies: i + 1,
    population: params.peers,
    items: i + 1 === params.replicas ? TRACKED_ITEMS : SWEEP_ITEMS,
  }));
}

/** Relative cost of a task: events grow with the peers, and each event walks the copies its peer holds. */
function taskWeight(task: ChurnTask, copySlots: number): number {
  return task.runs * (task.population + 0.5 * copySlots);
}

function lawsOf(params: ChurnParams): { on: DurationLaw; off: DurationLaw } {
  return {
    on: durationLaw(params.sessionDistribution, params.meanSession, params.shape),
    off: durationLaw(params.sessionDistribution, params.meanOff, params.shape),
  };
}

/**
 * The run's tasks: each smaller network size n as one task of its REPLICATIONS runs (light),
 * except the smallest, one task per run, so that the first points come after one short run on
 * code not yet compiled; then the N peers as one task per run, so that several workers share
 * the heaviest part.
 */
export function planChurn(params: ChurnParams): Array<{ task: ChurnTask; weight: number }> {
  const n = params.peers;
  const k = params.replicas;
  const tasks: Array<{ task: ChurnTask; weight: number }> = [];
  /** A size's REPLICATIONS runs, `perTask` runs to a task. */
  const addRuns = (size: number, population: number, perTask: number, copySlots: number): void => {
    for (let firstRun = 0; firstRun < REPLICATIONS; firstRun += perTask) {
      const task = { size, population, firstRun, runs: perTask };
      tasks.push({ task, weight: taskWeight(task, copySlots) });
    }
  };
  const smaller = networkSizes(n, k).filter((size) => size < n);
  smaller.forEach((size, index) => addRuns(size, sizePopulation(size, n), index === 0 ? 1 : REPLICATIONS, SWEEP_ITEMS * k));
  addRuns(
    n,
    n,
    1,
    allPeerGroups(params).reduce((sum, g) => sum + g.items * g.copies, 0),
  );
  return tasks;
}

/** Runs one task: each of its runs on its own seed, deriveSeed(task seed, run). */
export function runChurnTask(params: ChurnParams, task: ChurnTask, context: RunContext): ChurnPart {
  const { on, off } = lawsOf(params);
  const horizon = horizonFor(on.mean + off.mean);
  const all = task.size === params.peers;
  const groups = all ? allPeerGroups(params) : [{ copies: params.replicas, population: task.size, items: SWEEP_ITEMS }];
  const runs: ChurnRunPart[] = [];
  for (let r = 0; r < task.runs; r++) {
    const outcome = simulateChurn(
      {
        peers: task.population,
        on,
        off,
        groups,
        repair: params.repair,
        repairDelay: params.repairDelay,
        horizon,
        bins: all ? TIME_BINS : 1,
        batches: 1,
        trackedGroup: all ? params.replicas - 1 : 0,
        keepAlive: params.keepAlive,
        // Only the all-N runs report the longest sessions' share.
        sessionSamples: all ? MAX_SESSION_SAMPLES : 0,
      },
      createRandom(deriveSeed(context.seed, task.firstRun + r)),
      (fraction) => context.progress((r + fraction) / task.runs),
    );
    const counted = outcome.maintenance[0] as MaintenanceCount;
    const run: ChurnRunPart = {
      availability: Array.from(outcome.availability),
      repairRate: Array.from(outcome.repairRate),
      maintenance: ((counted.pings[0] as number) + (counted.repairs[0] as number)) / (counted.networks * horizon * HOUR),
    };
    if (all) {
      run.itemsOverTime = Array.from(outcome.availabilityOverTime);
      run.onlineOverTime = Array.from(outcome.onlineOverTime);
      run.top10 = topShare(outcome.sessionSamples, 0.1);
    }
    runs.push(run);
  }
  context.progress(1);
  return { size: task.size, runs };
}

/** The lab's result from its tasks' results; points whose task has not reported yet are left out. */
export function assembleChurn(params: ChurnParams, results: ReadonlyArray<ChurnPart | undefined>, seed: number): LabResult {
  void seed;
  const n = params.peers;
  const k = params.replicas;
  const { on, off } = lawsOf(params);
  const p = onlineProbability(on.mean, off.mean);
  const meanCycle = on.mean + off.mean;
  const horizon = horizonFor(meanCycle);
  const kMax = largestCopies(params);
  const sizes = networkSizes(n, k);

  // The runs of each network size that have reported; size N's are the all-peer runs.
  const runsOf = new Map<number, ChurnRunPart[]>(sizes.map((size) => [size, []]));
  for (const part of results) if (part) runsOf.get(part.size)?.push(...part.runs);
  const allRuns = runsOf.get(n) ?? [];
  const across = (runs: ChurnRunPart[], value: (run: ChurnRunPart) => number): number[] => runs.map(value);

  const formula = replicatedAvailability(p, k);
  const simulated = estimate(across(allRuns, (run) => run.availability[k - 1] as number));
  const centres = Array.from({ length: TIME_BINS }, (_, i) => (binEdge(i, TIME_BINS, horizon) + binEdge(i + 1, TIME_BINS, horizon)) / 2);
  // Over time: each bin's share averaged over the independent runs, with its 95% interval
  // across runs (the items or peers of one run share one history, so they are not the sample).
  const overTime = (values: (run: ChurnRunPart) => number[] | undefined): Point[] =>
    allRuns.length === 0
      ? []
      : centres.map((t, i) => percentPoint(t * HOUR, estimate(across(allRuns, (run) => values(run)?.[i] as number))));
  const flatAt = (value: number, xs: ReadonlyArray<number>): Point[] => xs.map((x) => [x, 100 * value] as Point);
  const timeGrid = [0, ...centres.map((t) => t * HOUR), horizon * HOUR];

  const copiesRef: Point[] = [];
  const copiesSim: Point[] = [];
  for (let copies = 1; copies <= kMax; copies++) {
    copiesRef.push([copies, 100 * replicatedAvailability(p, copies)]);
    if (allRuns.length > 0)
      copiesSim.push(percentPoint(copies, estimate(across(allRuns, (run) => run.availability[copies - 1] as number))));
  }

  // Maintenance: the formula on a dense grid that contains the simulated sizes; the simulation's
  // counted messages per network and second, one value per run.
  const perNetworkModel = (size: number): number =>
    maintenanceRate({ peers: size, onlineProbability: p, meanCycle: meanCycle * HOUR, keepAlive: params.keepAlive }).total;
  const grid = [...new Set([...logSpacedIntegers(2, n, 40), ...sizes])].sort((a, b) => a - b);
  const maintenanceRef: Point[] = grid.map((size) => [size, perNetworkModel(size)]);
  const maintenancePerPeerRef: Point[] = grid.map((size) => [size, perNetworkModel(size) / size]);
  const maintenanceSim: Point[] = [];
  const maintenancePerPeerSim: Point[] = [];
  const peersSim: Point[] = [];
  const itemGroupOf = (size: number): number => (size === n ? k - 1 : 0);
  for (const size of sizes) {
    const runs = runsOf.get(size) ?? [];
    if (runs.length === 0) continue;
    const total = estimate(across(runs, (run) => run.maintenance));
    maintenanceSim.push([size, total.mean, Math.max(0, total.low), total.high]);
    maintenancePerPeerSim.push([size, total.mean / size, Math.max(0, total.low) / size, total.high / size]);
    peersSim.push(percentPoint(size, estimate(across(runs, (run) => run.availability[itemGroupOf(size)] as number))));
  }

  const single = serverAvailability(params.serverMtbf, params.serverMttr);
  const replicated = replicatedAvailability(single, params.serverReplicas);
  const smallest = sizes[0] as number;

  // Heavy tails: how much of the online time the longest sessions hold (averaged over the
  // all-N runs), and what uptime predicts.
  const top10 = allRuns.length > 0 ? estimate(across(allRuns, (run) => run.top10 as number)).mean : NaN;
  const residualAtMean = meanResidualLife(on, on.mean);
  const repairPerDay = estimate(across(allRuns, (run) => run.repairRate[k - 1] as number)).mean * 24;

  const distribution = DISTRIBUTION_NAMES[params.sessionDistribution];
  const shapeNote =
    params.sessionDistribution === 'pareto' && params.shape < PARETO_MIN_SHAPE
      ? ` (α raised to ${PARETO_MIN_SHAPE} for a finite mean)`
      : '';
  const smallestRuns = runsOf.get(smallest) ?? [];
  const atSmallest = estimate(across(smallestRuns, (run) => run.availability[itemGroupOf(smallest)] as number));
  const maintenanceSmall = smallestRuns.length > 0 ? (maintenanceSim[0]?.[1] ?? 0) : 0;
  const maintenanceLarge = allRuns.length > 0 ? (maintenanceSim.at(-1)?.[1] ?? 0) : 0;
  const compared = smallest < n;
  const needed = copiesNeeded(p, Math.max(single, replicated));

  const summary =
    `An item on k = ${k} of ${formatCount(n)} peers (each online p = ${share(p)} of the time, ${distribution} sessions${shapeNote}) was available ` +
    `${pct(simulated.mean)} of the time in ${REPLICATIONS} runs of ${formatDuration(horizon * HOUR)} (${CYCLES_PER_RUN} on/off cycles each; formula without repair ${pct(formula)}), against ${pct(single)} for one server` +
    (params.serverReplicas > 1 ? ` and ${pct(replicated)} for ${params.serverReplicas}` : '') +
    (compared ? `; in networks of ${smallest} peers it was ${pct(atSmallest.mean)}. ` : '. ') +
    (compared
      ? `Counted maintenance traffic grows from ${formatSig(maintenanceSmall)} messages/s at ${smallest} peers to ${formatSig(maintenanceLarge)} at ${formatCount(n)} ` +
        `(${formatSig(maintenanceSmall / smallest)} to ${formatSig(maintenanceLarge / n)} per peer).`
      : `Counted maintenance traffic is ${formatSig(maintenanceLarge)} messages/s (${formatSig(maintenanceLarge / n)} per peer).`);

  const verdict = churnVerdict({
    peers: n,
    copies: k,
    smallest,
    onlineShare: p,
    simulated,
    atSmallest,
    formula,
    single,
    replicated,
    serverReplicas: params.serverReplicas,
    serverMtbf: params.serverMtbf,
    serverMttr: params.serverMttr,
    maintenanceSmall,
    maintenanceLarge,
    sessionDistribution: params.sessionDistribution,
    meanSession: on.mean,
    residualAtMean,
    top10,
    repair: params.repair,
    repairDelay: params.repairDelay,
    repairPerDay,
  });

  return {
    series: {
      itemsAvailableRef: flatAt(formula, timeGrid),
      itemsAvailable: overTime((run) => run.itemsOverTime),
      peersOnlineRef: flatAt(p, timeGrid),
      peersOnline: overTime((run) => run.onlineOverTime),
      copiesRef,
      copiesSim,
      maintenanceRef,
      maintenanceSim,
      maintenancePerPeerRef,
      maintenancePerPeerSim,
      serverSingle: flatAt(single, sizes),
      serverReplicated: flatAt(replicated, sizes),
      peersRef: flatAt(formula, sizes),
      peersSim,
    },
    summary,
    verdict,
    outputs: {
      itemAvailability: 100 * simulated.mean,
      itemFormula: 100 * formula,
      // Only a comparison when the smallest network is smaller than N.
      smallestAvailability: compared ? 100 * atSmallest.mean : NaN,
      serverAvailability: 100 * single,
      // Infinite when no number of copies reaches the servers (their availability rounds to 1).
      copiesNeeded: Number.isFinite(needed) ? needed : NaN,
      maintenance: maintenanceLarge,
      maintenancePerPeer: maintenanceLarge / n,
      repairsPerDay: repairPerDay,
    },
  };
}

export const churn: LabModel = defineSweepLab<ChurnParams, ChurnTask, ChurnPart>({
  manifest,
  benchCases: [1_000, 10_000, 100_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  sweep: {
    plan: planChurn,
    runTask: runChurnTask,
    assemble: assembleChurn,
    network: (params, seed) => churnNetwork(params, seed).trace,
  },
}) as unknown as LabModel;
