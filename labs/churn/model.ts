import { createRandom, type Random } from '../kernel/random';
import { EventQueue } from '../kernel/event-queue';
import { RunningStats, logSpacedIntegers } from '../kernel/stats';
import { formatAvailability, formatDuration, formatPercent, formatSig, plural } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';

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
 * Overlay maintenance, messages per second, under the stated per-peer model: every
 * online peer pings log2 N routing entries each keep-alive interval, and every join or
 * leave costs log2 N routing-table repairs (Chord-like state of log2 N entries).
 */
export function maintenanceRate(input: MaintenanceInput): { keepAlive: number; churn: number; total: number } {
  const tableSize = Math.log2(Math.max(2, input.peers));
  const keepAlive = (input.onlineProbability * input.peers * tableSize) / input.keepAlive;
  const churn = (2 * input.peers * tableSize) / input.meanCycle;
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
  const series =
    inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 * (1 / 1680 - inverse2 / 1188))));
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
 * Time left in the period a peer is in when observed at a random instant: the
 * equilibrium (length-biased residual) law with density S(x)/E[X]. Starting every
 * peer from it puts the whole network in its long-run state at time 0.
 */
export function sampleEquilibriumResidual(law: DurationLaw, random: Random): number {
  if (law.kind === 'pareto') {
    // Mass (α−1)/α is uniform below x_m; the tail is a Pareto with shape α − 1.
    const alpha = law.shape;
    if (random.next() < (alpha - 1) / alpha) return law.scale * random.next();
    return random.pareto(law.scale, alpha - 1);
  }
  if (law.kind === 'weibull') {
    // With u = (x/λ)^k, the density S(x) becomes a Gamma(1/k) density in u.
    return law.scale * Math.pow(sampleGamma(1 / law.shape, random), 1 / law.shape);
  }
  return random.exponential(1 / law.scale);
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
  /** Index of the group whose availability is recorded over time. */
  trackedGroup: number;
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
  /** Hours each peer spent online within the horizon. */
  onlineTime: Float64Array;
  /** Joins plus leaves of each peer within the horizon. */
  transitions: Int32Array;
  /** Freshly drawn session lengths (the initial, length-biased remainders excluded). */
  sessionStats: RunningStats;
  sessionSamples: Float64Array;
  events: number;
}

const MAX_SESSION_SAMPLES = 200_000;
/** Peers sampled when re-replicating to the longest-online one. */
const OLDEST_CANDIDATES = 8;
const TARGET_ATTEMPTS = 64;
const MIN_ACCEPTANCE = 0.05;

/**
 * Discrete-event simulation of N peers going on and off, with items stored on k of them.
 * Event codes are numbers: a peer id (≥ 0) toggles that peer; a negative code is a repair
 * timeout for (peer, epoch), valid only if the peer is still in that same offline period.
 */
export function simulateChurn(config: ChurnConfig, random: Random, progress: (fraction: number) => void = () => {}): ChurnOutcome {
  const { peers, on, off, groups, repair, repairDelay, horizon, bins, trackedGroup } = config;
  const p = onlineProbability(on.mean, off.mean);
  const repairing = repair !== 'none';
  const queue = new EventQueue<number>();

  const online = new Uint8Array(peers);
  const epoch = new Int32Array(peers);
  /** Start of the current period (negative for periods that began before time 0). */
  const since = new Float64Array(peers);
  const onlineTime = new Float64Array(peers);
  const transitions = new Int32Array(peers);
  const onlineList = new Int32Array(peers);
  const onlinePosition = new Int32Array(peers).fill(-1);
  let onlineCount = 0;
  const holdings: number[][] = Array.from({ length: peers }, () => []);

  const addOnline = (peer: number): void => {
    onlinePosition[peer] = onlineCount;
    onlineList[onlineCount++] = peer;
  };
  const removeOnline = (peer: number): void => {
    const position = onlinePosition[peer] as number;
    const last = onlineList[--onlineCount] as number;
    onlineList[position] = last;
    onlinePosition[last] = position;
    onlinePosition[peer] = -1;
  };

  for (let peer = 0; peer < peers; peer++) {
    const isOnline = random.next() < p;
    const law = isOnline ? on : off;
    // Age and remainder are each drawn from the equilibrium law; only the remainder
    // matters for availability, the age only for repair timing and the oldest-peer choice.
    since[peer] = -sampleEquilibriumResidual(law, random);
    const remaining = sampleEquilibriumResidual(law, random);
    if (isOnline) online[peer] = 1;
    if (remaining < horizon) queue.push(remaining, peer);
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
  /** First peer of the item's network: a network of n peers is one of the ⌊N/n⌋ disjoint blocks. */
  const itemOffset = new Int32Array(itemCount);
  const slotPeer = new Int32Array(slotCount);
  const slotItem = new Int32Array(slotCount);
  /** Index of each slot in its holder's list, for O(1) removal. */
  const slotPosition = new Int32Array(slotCount);
  const groupAvailable = new Float64Array(groups.length);
  const groupIntegral = new Float64Array(groups.length);
  const groupLastTime = new Float64Array(groups.length);
  const groupRepairs = new Float64Array(groups.length);
  const groupPopulation = Int32Array.from(groups, (g) => g.population);
  // Online peers per block, for each network size, so a repair knows at once whether any target exists.
  const blockSizes = [...new Set(groups.map((g) => g.population))];
  const blockOnline = blockSizes.map((size) => new Int32Array(Math.floor(peers / size)));
  const groupBlocks = Int32Array.from(groups, (g) => blockSizes.indexOf(g.population));
  const countOnline = (peer: number, delta: number): void => {
    for (let b = 0; b < blockSizes.length; b++) {
      const counts = blockOnline[b] as Int32Array;
      const block = Math.floor(peer / (blockSizes[b] as number));
      if (block < counts.length) counts[block] = (counts[block] as number) + delta;
    }
  };

  for (let peer = 0; peer < peers; peer++) {
    if (!online[peer]) continue;
    addOnline(peer);
    countOnline(peer, 1);
  }

  let item = 0;
  let slot = 0;
  groups.forEach((group, g) => {
    for (let j = 0; j < group.items; j++, item++) {
      itemGroup[item] = g;
      itemStart[item] = slot;
      itemCopies[item] = group.copies;
      const offset = random.int(Math.floor(peers / group.population)) * group.population;
      itemOffset[item] = offset;
      for (let c = 0; c < group.copies; c++) {
        let peer: number;
        let taken: boolean;
        do {
          peer = offset + random.int(group.population);
          taken = false;
          for (let s = itemStart[item] as number; s < slot; s++) if (slotPeer[s] === peer) taken = true;
        } while (taken);
        slotPeer[slot] = peer;
        slotItem[slot] = item;
        slotPosition[slot] = (holdings[peer] as number[]).push(slot) - 1;
        if (online[peer]) itemOnline[item] = (itemOnline[item] as number) + 1;
        slot++;
      }
      if ((itemOnline[item] as number) > 0) groupAvailable[g] = (groupAvailable[g] as number) + 1;
    }
  });

  // Over-time series: piecewise-constant values integrated exactly into bins.
  const binWidth = horizon / bins;
  const availabilityBins = new Float64Array(bins);
  const onlineBins = new Float64Array(bins);
  let trackedLast = 0;
  let onlineLast = 0;
  const spread = (target: Float64Array, value: number, from: number, to: number): void => {
    let start = from;
    while (start < to) {
      const index = Math.min(bins - 1, Math.floor(start / binWidth));
      const end = index === bins - 1 ? to : Math.min(to, (index + 1) * binWidth);
      if (end <= start) {
        target[index] = (target[index] as number) + value * (to - start);
        return;
      }
      target[index] = (target[index] as number) + value * (end - start);
      start = end;
    }
  };
  const changeGroup = (g: number, delta: number, time: number): void => {
    const available = groupAvailable[g] as number;
    groupIntegral[g] = (groupIntegral[g] as number) + available * (time - (groupLastTime[g] as number));
    groupLastTime[g] = time;
    if (g === trackedGroup) {
      spread(availabilityBins, available, trackedLast, time);
      trackedLast = time;
    }
    groupAvailable[g] = available + delta;
  };

  const isHolder = (it: number, peer: number): boolean => {
    const start = itemStart[it] as number;
    const end = start + (itemCopies[it] as number);
    for (let s = start; s < end; s++) if (slotPeer[s] === peer) return true;
    return false;
  };

  /** Online peers of the item's network that do not hold it (its online holders are all inside the block). */
  const targetsAvailable = (it: number): number => {
    const g = itemGroup[it] as number;
    const block = (itemOffset[it] as number) / (groupPopulation[g] as number);
    return ((blockOnline[groupBlocks[g] as number] as Int32Array)[block] as number) - (itemOnline[it] as number);
  };

  /** An online peer of the item's network that does not hold it, or −1. */
  const pickTarget = (it: number): number => {
    const available = targetsAvailable(it);
    if (available <= 0) return -1;
    const population = groupPopulation[itemGroup[it] as number] as number;
    const offset = itemOffset[it] as number;
    const wanted = repair === 'oldest' ? Math.min(OLDEST_CANDIDATES, available) : 1;
    // Draw from the online list when most online peers are eligible, else from the network's ids.
    const fromOnlineList = population * 2 >= peers;
    const eligible = (peer: number): boolean =>
      online[peer] === 1 && peer >= offset && peer < offset + population && !isHolder(it, peer);
    let best = -1;
    let found = 0;
    // Rejection sampling only while it is likely to succeed; otherwise one scan.
    const acceptance = available / (fromOnlineList ? onlineCount : population);
    const attempts = acceptance < MIN_ACCEPTANCE ? 0 : TARGET_ATTEMPTS;
    for (let attempt = 0; attempt < attempts && found < wanted; attempt++) {
      const peer = fromOnlineList ? (onlineList[random.int(onlineCount)] as number) : offset + random.int(population);
      if (!eligible(peer)) continue;
      found++;
      if (best < 0 || (since[peer] as number) < (since[best] as number)) best = peer;
    }
    if (best >= 0) return best;
    // Few eligible peers: look at every candidate once.
    let seen = 0;
    const consider = (peer: number): void => {
      if (!eligible(peer)) return;
      seen++;
      if (repair === 'oldest') {
        if (best < 0 || (since[peer] as number) < (since[best] as number)) best = peer;
      } else if (random.int(seen) === 0) {
        best = peer;
      }
    };
    if (fromOnlineList) for (let i = 0; i < onlineCount; i++) consider(onlineList[i] as number);
    else for (let peer = offset; peer < offset + population; peer++) consider(peer);
    return best;
  };

  /** Moves a slot from its offline holder to a new online peer; false when none is eligible. */
  const replace = (s: number): boolean => {
    const it = slotItem[s] as number;
    const target = pickTarget(it);
    if (target < 0) return false;
    const previous = slotPeer[s] as number;
    const list = holdings[previous] as number[];
    const index = slotPosition[s] as number;
    const moved = list.pop() as number;
    if (moved !== s) {
      list[index] = moved;
      slotPosition[moved] = index;
    }
    slotPosition[s] = (holdings[target] as number[]).push(s) - 1;
    slotPeer[s] = target;
    itemOnline[it] = (itemOnline[it] as number) + 1;
    const g = itemGroup[it] as number;
    groupRepairs[g] = (groupRepairs[g] as number) + 1;
    return true;
  };

  const timeoutCode = (peer: number, peerEpoch: number): number => -1 - (peerEpoch * peers + peer);

  if (repairing) {
    for (let peer = 0; peer < peers; peer++) {
      if (!online[peer] && (holdings[peer] as number[]).length > 0) {
        queue.push(Math.max(0, (since[peer] as number) + repairDelay), timeoutCode(peer, 0));
      }
    }
  }

  const sessionStats = new RunningStats();
  const sessionSamples = new Float64Array(MAX_SESSION_SAMPLES);
  let sampleCount = 0;
  let events = 0;

  for (;;) {
    const next = queue.pop();
    if (!next) break;
    const time = next.time;
    const code = next.event;
    events++;
    if ((events & 8191) === 0) progress(time / horizon);

    if (code < 0) {
      // Repair timeout: the peer has been offline for the whole delay.
      const decoded = -1 - code;
      const peer = decoded % peers;
      if (online[peer] || epoch[peer] !== Math.floor(decoded / peers)) continue;
      const list = holdings[peer] as number[];
      // Backwards, because replace() swaps the last entry into the removed one.
      for (let i = list.length - 1; i >= 0; i--) {
        const s = list[i] as number;
        // Without an online holder there is nothing to copy from: the item's return handles it.
        if ((itemOnline[slotItem[s] as number] as number) === 0) continue;
        // When every online peer of the network already holds the item, the copy stays put
        // until its holder or the item returns: retrying on a timer would only burn time.
        replace(s);
      }
      continue;
    }

    const peer = code;
    transitions[peer] = (transitions[peer] as number) + 1;
    epoch[peer] = (epoch[peer] as number) + 1;
    spread(onlineBins, onlineCount, onlineLast, time);
    onlineLast = time;
    const list = holdings[peer] as number[];
    let duration: number;
    if (online[peer]) {
      onlineTime[peer] = (onlineTime[peer] as number) + time - Math.max(0, since[peer] as number);
      online[peer] = 0;
      removeOnline(peer);
      countOnline(peer, -1);
      since[peer] = time;
      for (let i = 0; i < list.length; i++) {
        const it = slotItem[list[i] as number] as number;
        const remaining = (itemOnline[it] as number) - 1;
        itemOnline[it] = remaining;
        if (remaining === 0) changeGroup(itemGroup[it] as number, -1, time);
      }
      if (repairing && list.length > 0 && time + repairDelay < horizon) {
        queue.push(time + repairDelay, timeoutCode(peer, epoch[peer] as number));
      }
      duration = sampleDuration(off, random);
    } else {
      online[peer] = 1;
      addOnline(peer);
      countOnline(peer, 1);
      since[peer] = time;
      for (let i = 0; i < list.length; i++) {
        const it = slotItem[list[i] as number] as number;
        const count = (itemOnline[it] as number) + 1;
        itemOnline[it] = count;
        if (count !== 1) continue;
        changeGroup(itemGroup[it] as number, 1, time);
        if (!repairing || targetsAvailable(it) <= 0) continue;
        // A source is back: re-create the copies of holders already past their delay.
        const start = itemStart[it] as number;
        const end = start + (itemCopies[it] as number);
        for (let s = start; s < end; s++) {
          const holder = slotPeer[s] as number;
          if (!online[holder] && (since[holder] as number) <= time - repairDelay) replace(s);
        }
      }
      duration = sampleDuration(on, random);
      sessionStats.add(duration);
      if (sampleCount < MAX_SESSION_SAMPLES) sessionSamples[sampleCount++] = duration;
    }
    if (time + duration < horizon) queue.push(time + duration, peer);
  }

  for (let peer = 0; peer < peers; peer++) {
    if (online[peer]) onlineTime[peer] = (onlineTime[peer] as number) + horizon - Math.max(0, since[peer] as number);
  }
  spread(onlineBins, onlineCount, onlineLast, horizon);
  const availability = new Float64Array(groups.length);
  const repairRate = new Float64Array(groups.length);
  groups.forEach((group, g) => {
    changeGroup(g, 0, horizon);
    availability[g] = (groupIntegral[g] as number) / (horizon * group.items);
    repairRate[g] = (groupRepairs[g] as number) / (horizon * group.items);
  });
  const trackedItems = groups[trackedGroup]?.items ?? 1;
  const availabilityOverTime = availabilityBins.map((v) => v / (binWidth * trackedItems));
  const onlineOverTime = onlineBins.map((v) => v / (binWidth * peers));
  progress(1);
  return {
    availability,
    repairRate,
    availabilityOverTime,
    onlineOverTime,
    onlineTime,
    transitions,
    sessionStats,
    sessionSamples: sessionSamples.slice(0, sampleCount),
    events,
  };
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
 * Simulated time is set by two budgets: toggle events (each a heap operation) and copy
 * visits (each toggle visits every copy its peer holds), within bounds in on/off cycles.
 */
const TOGGLE_BUDGET = 600_000;
const VISIT_BUDGET = 15_000_000;
/** A repair (pick a target, move the copy) costs about this many visits. */
const REPAIR_VISITS = 4;
const MIN_CYCLES = 20;
const MAX_CYCLES = 300;
const TIME_BINS = 120;
const HOUR = 3600;

/** Hours simulated for N peers holding `copies` copies in all, in on/off cycles of `meanCycle` hours. */
export function horizonFor(peers: number, copies: number, meanCycle: number, repairing: boolean): number {
  const byToggles = TOGGLE_BUDGET / (2 * peers);
  const byVisits = VISIT_BUDGET / (2 * (peers + copies * (repairing ? REPAIR_VISITS : 1)));
  const cycles = Math.min(MAX_CYCLES, Math.max(MIN_CYCLES, Math.round(Math.min(byToggles, byVisits))));
  return cycles * meanCycle;
}

const DISTRIBUTION_NAMES: Record<SessionDistribution, string> = {
  exponential: 'exponential',
  pareto: 'Pareto',
  weibull: 'Weibull',
};

const pct = formatAvailability;

export const churn: LabModel = {
  manifest,
  benchCases: [100, 1_000, 10_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  run(raw, context): LabResult {
    const params = raw as ChurnParams;
    const random = createRandom(context.seed);
    const n = params.peers;
    const k = params.replicas;
    const on = durationLaw(params.sessionDistribution, params.meanSession, params.shape);
    const off = durationLaw(params.sessionDistribution, params.meanOff, params.shape);
    const p = onlineProbability(on.mean, off.mean);
    const meanCycle = on.mean + off.mean;

    // Groups: every k from 1 to kMax on all N peers, then k copies in one of the N/n disjoint blocks of n peers (chosen at random) for smaller n.
    const kMax = Math.min(n, Math.max(10, k));
    const sizes = logSpacedIntegers(Math.min(n, Math.max(k, 10)), n, 7);
    const groups: ItemGroup[] = [];
    for (let copies = 1; copies <= kMax; copies++) {
      groups.push({ copies, population: n, items: copies === k ? TRACKED_ITEMS : SWEEP_ITEMS });
    }
    const sizeGroup = new Map<number, number>();
    for (const size of sizes) {
      if (size === n) {
        sizeGroup.set(size, k - 1);
      } else {
        sizeGroup.set(size, groups.length);
        groups.push({ copies: k, population: size, items: SWEEP_ITEMS });
      }
    }

    const totalCopies = groups.reduce((sum, group) => sum + group.copies * group.items, 0);
    const horizon = horizonFor(n, totalCopies, meanCycle, params.repair !== 'none');
    const outcome = simulateChurn(
      { peers: n, on, off, groups, repair: params.repair, repairDelay: params.repairDelay, horizon, bins: TIME_BINS, trackedGroup: k - 1 },
      random,
      (fraction) => context.progress(0.98 * fraction),
    );

    const formula = replicatedAvailability(p, k);
    const simulated = outcome.availability[k - 1] as number;
    const binWidth = horizon / TIME_BINS;
    const overTime = (values: Float64Array): Point[] => Array.from(values, (v, i) => [(i + 0.5) * binWidth, 100 * v] as Point);
    const flat = (value: number, from: number, to: number): Point[] => [[from, 100 * value], [to, 100 * value]];

    const copiesRef: Point[] = [];
    const copiesSim: Point[] = [];
    for (let copies = 1; copies <= kMax; copies++) {
      copiesRef.push([copies, 100 * replicatedAvailability(p, copies)]);
      copiesSim.push([copies, 100 * (outcome.availability[copies - 1] as number)]);
    }

    // Maintenance: formula on a dense grid, simulation from the first n peers' counted behaviour.
    const perPeerModel = (size: number): number =>
      maintenanceRate({ peers: size, onlineProbability: p, meanCycle: meanCycle * HOUR, keepAlive: params.keepAlive }).total;
    const dense = logSpacedIntegers(2, n, 40);
    const maintenanceRef: Point[] = dense.map((size) => [size, perPeerModel(size)]);
    const maintenancePerPeerRef: Point[] = dense.map((size) => [size, perPeerModel(size) / size]);
    // Per-peer online time and joins/leaves averaged over all N peers, scaled to n peers.
    let onlineSum = 0;
    let transitionSum = 0;
    for (let peer = 0; peer < n; peer++) {
      onlineSum += outcome.onlineTime[peer] as number;
      transitionSum += outcome.transitions[peer] as number;
    }
    const messagesPerPeer = (onlineSum * HOUR) / params.keepAlive / n;
    const eventsPerPeer = transitionSum / n;
    const maintenanceSim: Point[] = [];
    const maintenancePerPeerSim: Point[] = [];
    for (const size of sizes) {
      const perPeer = ((messagesPerPeer + eventsPerPeer) * Math.log2(Math.max(2, size))) / (horizon * HOUR);
      maintenanceSim.push([size, perPeer * size]);
      maintenancePerPeerSim.push([size, perPeer]);
    }

    const single = serverAvailability(params.serverMtbf, params.serverMttr);
    const replicated = replicatedAvailability(single, params.serverReplicas);
    const smallest = sizes[0] as number;
    const peersSim: Point[] = sizes.map((size) => [size, 100 * (outcome.availability[sizeGroup.get(size) as number] as number)]);

    // Heavy tails: how much of the online time the longest sessions hold, and what uptime predicts.
    const top10 = topShare(outcome.sessionSamples, 0.1);
    const residualAtMean = meanResidualLife(on, on.mean);
    const repairPerDay = (outcome.repairRate[k - 1] as number) * 24;
    context.progress(1);

    const distribution = DISTRIBUTION_NAMES[params.sessionDistribution];
    const shapeNote =
      params.sessionDistribution === 'pareto' && params.shape < PARETO_MIN_SHAPE
        ? ` (α raised to ${PARETO_MIN_SHAPE} for a finite mean)`
        : '';
    const atSmallest = outcome.availability[sizeGroup.get(smallest) as number] as number;
    const maintenanceSmall = maintenanceSim[0]?.[1] ?? NaN;
    const maintenanceLarge = maintenanceSim.at(-1)?.[1] ?? NaN;

    const share = (fraction: number): string => (fraction >= 0.99 ? pct(fraction) : `${formatSig(100 * fraction)}%`);
    const copiesText = (count: number): string => `${count} cop${count === 1 ? 'y' : 'ies'}`;
    const compared = smallest < n;

    const summary =
      `An item on k = ${k} of ${n} peers (each online p = ${share(p)} of the time, ${distribution} sessions${shapeNote}) was available ` +
      `${pct(simulated)} of ${formatDuration(horizon * HOUR)} (formula without repair ${pct(formula)}), against ${pct(single)} for one server` +
      (params.serverReplicas > 1 ? ` and ${pct(replicated)} for ${params.serverReplicas}` : '') +
      (compared ? `; in networks of ${smallest} peers it was ${pct(atSmallest)}. ` : '. ') +
      (compared
        ? `Maintenance traffic grows from ${formatSig(maintenanceSmall)} messages/s at ${smallest} peers to ${formatSig(maintenanceLarge)} at ${n} ` +
          `(${formatSig(maintenanceSmall / smallest)} to ${formatSig(maintenanceLarge / n)} per peer).`
        : `Maintenance traffic is ${formatSig(maintenanceLarge)} messages/s (${formatSig(maintenanceLarge / n)} per peer).`);

    // The verdict, from this run's numbers. Trends in N compare downtimes, with an absolute
    // margin so that sampling noise is not read as a trend.
    const downSmall = 1 - atSmallest;
    const downLarge = 1 - simulated;
    const fellWithN = downLarge > 1.5 * downSmall + 0.005;
    const roseWithN = downSmall > 1.5 * downLarge + 0.005;
    const sizeSentence = !compared
      ? `With k = ${copiesText(k)} on all ${n} peers there is no smaller network to compare; raise N to see that availability does not depend on it.`
      : fellWithN
        ? `Here availability fell from ${pct(atSmallest)} in networks of ${smallest} peers to ${pct(simulated)} with ${n}.`
        : roseWithN
          ? `“P2P becomes less stable as the number of peers grows” is contradicted: with k = ${copiesText(k)} an item was available ${pct(atSmallest)} of the time in networks of ${smallest} peers and ${pct(simulated)} with ${n}, because a larger network offers more online peers to re-replicate to.`
          : `“P2P becomes less stable as the number of peers grows” is not borne out for availability: with k = ${copiesText(k)} held fixed, an item was available ${pct(atSmallest)} of the time in networks of ${smallest} peers and ${pct(simulated)} with ${n}; what sets it is p and k, not N.`;
    const growthSentence = compared
      ? `What does grow with N is the overlay’s upkeep: ${formatSig(maintenanceSmall)} → ${formatSig(maintenanceLarge)} messages/s in all, ` +
        `and per peer it rises only as log₂ N (${formatSig(maintenanceSmall / smallest)} → ${formatSig(maintenanceLarge / n)}).`
      : `The overlay’s upkeep is ${formatSig(maintenanceLarge)} messages/s, and it grows as N log₂ N.`;

    const best = Math.max(single, replicated);
    const needed = copiesNeeded(p, best);
    const serverSentence =
      simulated < single
        ? `“Client-server is more reliable” holds for these numbers: one server with MTBF ${formatDuration(params.serverMtbf * HOUR)} and MTTR ${formatDuration(params.serverMttr * HOUR)} is up ${pct(single)}, more than the item on ${plural(k, 'peer')} (${pct(simulated)}).`
        : simulated < replicated
          ? `One server (${pct(single)}) is less available than ${copiesText(k)} on peers online ${share(p)} of the time (${pct(simulated)}), but ${params.serverReplicas} servers (${pct(replicated)}) beat the peers.`
          : `“Client-server is more reliable” fails for these numbers: ${copiesText(k)} on peers online ${share(p)} of the time ${k === 1 ? 'reaches' : 'reach'} ${pct(simulated)}, more than ${params.serverReplicas === 1 ? 'one server' : `${params.serverReplicas} servers`} (${pct(replicated)}).`;
    const decideSentence = Number.isFinite(needed)
      ? `The deciding parameters are the peers’ online share p with the copy count k, against the server’s MTTR/MTBF (${formatSig(params.serverMttr / params.serverMtbf)}) with r: at p = ${share(p)}, ${copiesText(needed)} without repair would match the best server setup (${pct(best)}).`
      : `The deciding parameters are p and k against MTTR/MTBF and r.`;

    const topText = Number.isFinite(top10) ? formatPercent(top10, 0) : 'n/a';
    const memoryless = params.sessionDistribution === 'exponential' || Math.abs(residualAtMean - on.mean) < 0.1 * on.mean;
    const tailSentence = memoryless
      ? `Sessions here are (close to) memoryless: a peer that has been online for one mean session (${formatDuration(on.mean * HOUR)}) stays ${formatDuration(residualAtMean * HOUR)} more on average, like any other, and the longest 10% of sessions hold ${topText} of the online time.`
      : residualAtMean > on.mean
        ? `Sessions are heavy-tailed: the longest 10% hold ${topText} of all online time, and a peer already online for one mean session (${formatDuration(on.mean * HOUR)}) stays ${formatDuration(residualAtMean * HOUR)} more on average; these long-lived peers are the stable core${params.repair === 'oldest' ? ', which is why re-creating copies on the longest-online peers needs fewer repairs' : ' (re-creating copies on the longest-online peers uses it)'}.`
        : `With shape above 1 sessions wear out: a peer already online for one mean session stays only ${formatDuration(residualAtMean * HOUR)} more on average, so old peers are the ones about to leave.`;

    const delayText = formatDuration(params.repairDelay * HOUR);
    const repairSentence =
      params.repair === 'none'
        ? ''
        : k === 1
          ? ' Re-replication cannot help a single copy: when its only holder leaves there is nothing to copy from.'
          : downLarge < 0.8 * (1 - formula)
            ? ` Re-replication after ${delayText} raised availability from ${pct(formula)} to ${pct(simulated)}, at the price of ${formatSig(repairPerDay)} new copies per item per day.`
            : ` Re-replication after ${delayText} barely changed availability (${pct(formula)} without it, ${pct(simulated)} with it): the delay is long against the off-times, or few peers are online to copy to. It cost ${formatSig(repairPerDay)} copies per item per day.`;

    const verdict = `${serverSentence} ${decideSentence} ${sizeSentence} ${growthSentence} ${tailSentence}${repairSentence}`;

    return {
      series: {
        itemsAvailableRef: flat(formula, 0, horizon),
        itemsAvailable: overTime(outcome.availabilityOverTime),
        peersOnlineRef: flat(p, 0, horizon),
        peersOnline: overTime(outcome.onlineOverTime),
        copiesRef,
        copiesSim,
        maintenanceRef,
        maintenanceSim,
        maintenancePerPeerRef,
        maintenancePerPeerSim,
        serverSingle: flat(single, smallest, n),
        serverReplicated: flat(replicated, smallest, n),
        peersRef: flat(formula, smallest, n),
        peersSim,
      },
      summary,
      verdict,
      outputs: {
        itemAvailability: 100 * simulated,
        itemFormula: 100 * formula,
        // Only a comparison when the smallest network is smaller than N.
        smallestAvailability: compared ? 100 * atSmallest : NaN,
        serverAvailability: 100 * single,
        // Infinite when no number of copies reaches the servers (their availability rounds to 1).
        copiesNeeded: Number.isFinite(needed) ? needed : NaN,
        maintenance: maintenanceLarge,
      },
    };
  },
};
