import { createRandom, type Random } from '../kernel/random';
import { deriveSeed, logSpacedIntegers, RunningStats, tQuantile975 } from '../kernel/stats';
import { gammaDraw, quantileInPlace } from './draws';
import { UniformStream } from './uniform-stream';
import { formatCount, formatDuration, formatPercent, formatSig, printedNumber } from '../kernel/format';
import { RING_SIZE } from '../kernel/chord';
import { RingIndex } from './ring-index';
import { buildSortedRing, chordRoute, ROUTE_CAPACITY } from '../kernel/chord-routing';
import { DepartureHeap } from './departure-heap';
import { defineSweepLab, type LabModel, type LabResult, type Point, type RunContext } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
// network.ts uses this module's simulation at call time only, so the import cycle is harmless.
import { recordNetwork } from './network';

/* ---------- Closed forms. Rates are per second, times in seconds. ---------- */

/** Clients at which the offered load reaches the server's capacity: N* = cμ/λ. */
export function kneeClients(workers: number, serviceRate: number, requestRate: number): number {
  return (workers * serviceRate) / requestRate;
}

/**
 * Erlang C: probability that an arrival waits in M/M/c with offered load a = λ/μ.
 * Computed through the Erlang B recursion, which stays finite for large c where a^c/c! would not.
 */
export function erlangC(workers: number, offeredLoad: number): number {
  if (offeredLoad >= workers) return 1;
  let blocking = 1;
  for (let k = 1; k <= workers; k++) blocking = (offeredLoad * blocking) / (k + offeredLoad * blocking);
  return (workers * blocking) / (workers - offeredLoad * (1 - blocking));
}

/** M/M/c mean time in system (waiting plus service); Infinity at or above saturation. */
export function mmcMeanResponse(workers: number, arrivalRate: number, serviceRate: number): number {
  const spare = workers * serviceRate - arrivalRate;
  if (spare <= 0) return Infinity;
  return erlangC(workers, arrivalRate / serviceRate) / spare + 1 / serviceRate;
}

/**
 * P(T > t) for the M/M/c FCFS time in system T = Wq + S: Wq is 0 with probability 1 - C,
 * otherwise exponential with rate cμ - λ; S is exponential with rate μ.
 */
export function mmcResponseSurvival(workers: number, arrivalRate: number, serviceRate: number, t: number): number {
  const spare = workers * serviceRate - arrivalRate;
  if (spare <= 0) return 1;
  const waitProbability = erlangC(workers, arrivalRate / serviceRate);
  const serviceTail = Math.exp(-serviceRate * t);
  const gap = spare - serviceRate;
  // When both rates are equal the sum of the two exponentials is Erlang-2.
  const waitedTail =
    Math.abs(gap) < 1e-12 * serviceRate
      ? (1 + serviceRate * t) * serviceTail
      : (spare * serviceTail - serviceRate * Math.exp(-spare * t)) / gap;
  return (1 - waitProbability) * serviceTail + waitProbability * waitedTail;
}

/** The q-quantile of the M/M/c time in system, by bisection on the survival function. */
export function mmcResponseQuantile(workers: number, arrivalRate: number, serviceRate: number, q = 0.95): number {
  if (workers * serviceRate <= arrivalRate) return Infinity;
  const target = 1 - q;
  let low = 0;
  let high = 1 / serviceRate;
  while (mmcResponseSurvival(workers, arrivalRate, serviceRate, high) > target) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (mmcResponseSurvival(workers, arrivalRate, serviceRate, middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

export interface FiniteQueueFigures {
  /** Probability that an arrival finds the waiting room full (PASTA). */
  dropProbability: number;
  /** Mean time in system of the requests that are served (Little's law). */
  meanResponse: number;
  /** Mean share of the c workers that are busy. */
  utilisation: number;
}

/**
 * The unnormalised M/M/c/(c+K) stationary terms p_n (birth-death: each state n has
 * arrivals λ and min(n, c)·μ departures), scaled so the largest is 1. States 0..c are
 * found in logs, so heavy overload does not overflow; above c each term is the last
 * times r = a/c, a geometric run taken by multiplication, so a waiting room of 10,000
 * costs no logarithm or exponential per state. The result is a view of a buffer that
 * the next call overwrites: read it before calling again.
 */
/** Stationary weights below this, relative to the largest (1), add nothing to a sum of doubles. */
const TINY_WEIGHT = 1e-300;
let weightScratch = new Float64Array(0);

function finiteQueueWeights(workers: number, waitingRoom: number, arrivalRate: number, serviceRate: number): Float64Array {
  const states = workers + waitingRoom + 1;
  const logOffered = Math.log(arrivalRate / serviceRate);
  const logTerms = new Float64Array(workers + 1);
  let largest = 0;
  for (let n = 1; n <= workers; n++) {
    logTerms[n] = (logTerms[n - 1] as number) + logOffered - Math.log(n);
    if ((logTerms[n] as number) > largest) largest = logTerms[n] as number;
  }
  const logRatio = logOffered - Math.log(workers);
  // The run above c rises to its top (r > 1) or falls from its start (r ≤ 1).
  largest = Math.max(largest, (logTerms[workers] as number) + Math.max(0, waitingRoom * logRatio));
  // Reused from call to call (the formulas call this for every N of a dense grid); every entry is set below.
  if (weightScratch.length < states) weightScratch = new Float64Array(states);
  const weights = weightScratch.subarray(0, states);
  for (let n = 0; n <= workers; n++) weights[n] = Math.exp((logTerms[n] as number) - largest);
  const ratio = Math.exp(logRatio);
  if (ratio > 1) {
    // Down from the top, which is 1 (or the largest of states 0..c), so nothing overflows.
    let weight = Math.exp((logTerms[workers] as number) + waitingRoom * logRatio - largest);
    for (let n = states - 1; n > workers; n--) {
      weights[n] = weight;
      weight /= ratio;
      // Far below the top the terms are too small to count (and subnormal arithmetic is
      // slow): the rest are 0.
      if (weight < TINY_WEIGHT) {
        weights.fill(0, workers + 1, n);
        break;
      }
    }
  } else {
    let weight = weights[workers] as number;
    let n = workers + 1;
    for (; n < states && weight >= TINY_WEIGHT; n++) {
      weight *= ratio;
      weights[n] = weight;
    }
    weights.fill(0, n, states);
  }
  return weights;
}

/**
 * Exact M/M/c/(c+K) (c in service, K waiting places, so at most c + K requests in the
 * system; Kendall's last letter is that total) from its birth-death stationary distribution.
 */
export function finiteQueue(workers: number, waitingRoom: number, arrivalRate: number, serviceRate: number): FiniteQueueFigures {
  const weights = finiteQueueWeights(workers, waitingRoom, arrivalRate, serviceRate);
  const states = weights.length;
  let total = 0;
  let inSystem = 0;
  let busy = 0;
  for (let n = 0; n < states; n++) {
    const weight = weights[n] as number;
    total += weight;
    inSystem += n * weight;
    busy += Math.min(n, workers) * weight;
  }
  const dropProbability = (weights[states - 1] as number) / total;
  const throughput = arrivalRate * (1 - dropProbability);
  return {
    dropProbability,
    meanResponse: inSystem / total / throughput,
    utilisation: busy / total / workers,
  };
}

export type LookupKind = 'chord' | 'index';

/**
 * Mean lookup hops. Chord: ½·log₂ M forwards on a ring of M online peers (Stoica et al.,
 * SIGCOMM 2001, section 6.3, mean path length ½·log₂ N), plus one hop for the share of
 * requesters that are not on the ring and must first reach a ring node. A central index: one hop.
 */
export function lookupHops(onlinePeers: number, kind: LookupKind, offRingShare = 0): number {
  if (kind === 'index') return 1;
  return offRingShare + 0.5 * Math.log2(Math.max(1, onlinePeers));
}

export interface PeerToPeerInput {
  clients: number;
  requestRate: number;
  peerServiceRate: number;
  onlineShare: number;
  lookup: LookupKind;
  /** Seconds per lookup hop. */
  hopLatency: number;
}

/** Requests per second each online peer serves: every client's λ spread over the share p that serves. */
export function peerLoad(input: Pick<PeerToPeerInput, 'requestRate' | 'onlineShare'>): number {
  return input.requestRate / input.onlineShare;
}

export function peerToPeerLookupDelay(input: PeerToPeerInput): number {
  return lookupHops(input.clients * input.onlineShare, input.lookup, 1 - input.onlineShare) * input.hopLatency;
}

/**
 * Lookup plus an M/M/1 sojourn at the peer (Kleinrock 1975, eq. 3.26: W = 1/(μ − λ)), with every
 * online peer taking an equal share λ/p; Infinity when peers cannot carry their own demand.
 */
export function peerToPeerMeanResponse(input: PeerToPeerInput): number {
  const spare = input.peerServiceRate - peerLoad(input);
  return spare > 0 ? peerToPeerLookupDelay(input) + 1 / spare : Infinity;
}

/** The M/M/1 sojourn is exponential with rate μ - λ, so its q-quantile is -ln(1 - q)/(μ - λ). */
export function peerToPeerResponseQuantile(input: PeerToPeerInput, q = 0.95): number {
  const spare = input.peerServiceRate - peerLoad(input);
  return spare > 0 ? peerToPeerLookupDelay(input) - Math.log(1 - q) / spare : Infinity;
}

/**
 * Draws the number in system of a stationary M/M/1/(1+K) queue: p_n ∝ ρ^n for n = 0..K+1, a
 * truncated geometric, drawn by inversion in O(1) (counted from the full end when ρ > 1, so
 * that ρ^n cannot overflow).
 */
export function drawSingleServerState(waitingRoom: number, arrivalRate: number, serviceRate: number, random: Random): number {
  const top = waitingRoom + 1;
  const rho = arrivalRate / serviceRate;
  if (rho === 1) return Math.min(top, Math.floor(random.next() * (top + 1)));
  const ratio = rho < 1 ? rho : 1 / rho;
  if (ratio === 0) return rho < 1 ? 0 : top;
  const u = random.next();
  // Inversion gives 0 when u < (1 − r)/(1 − r^(top+1)), which is at least 1 − r: a lightly
  // loaded peer (most of a million) stops here, without a power or a logarithm.
  if (u < 1 - ratio) return rho < 1 ? 0 : top;
  const tailMass = Math.pow(ratio, top + 1);
  const drawn = Math.min(top, Math.floor(Math.log(1 - u * (1 - tailMass)) / Math.log(ratio)));
  return rho < 1 ? drawn : top - drawn;
}

/** A sampler of the stationary M/M/c/(c+K) number in system, by inversion of its distribution (see finiteQueue). */
export function stationarySampler(
  workers: number,
  waitingRoom: number,
  arrivalRate: number,
  serviceRate: number,
): (random: Random) => number {
  const weights = finiteQueueWeights(workers, waitingRoom, arrivalRate, serviceRate);
  const states = weights.length;
  const cumulative = new Float64Array(states);
  let total = 0;
  for (let n = 0; n < states; n++) {
    total += weights[n] as number;
    cumulative[n] = total;
  }
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = states - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

/* ---------- Discrete-event simulation ---------- */

/**
 * Which station serves each request, in arrival order, and the delay its lookup adds.
 * `next` is called once per arrival; `delay` is read right after it.
 */
export interface Routing {
  next(random: Random): number;
  delay: number;
}

export interface StationConfig {
  /** Independent queues: 1 for the server, every online peer for P2P. */
  stations: number;
  /** Workers sharing each station's queue: c for the server, 1 for a peer. */
  workersPerStation: number;
  /** Waiting places per station beyond those in service. */
  waitingRoom: number;
  /** Total Poisson arrival rate of requests. */
  arrivalRate: number;
  /** Exponential service rate of one worker. */
  serviceRate: number;
  requests: number;
  /** Where each request goes and what its lookup costs; default: a uniformly random station, no lookup. */
  routing?: Routing;
  /** Leading share of requests that only warms the queues up. */
  warmupShare?: number;
  /** Requests in a station at time 0, drawn by the caller (its stationary distribution); default none. */
  initialInSystem?: (station: number, random: Random) => number;
  onProgress?: (fraction: number) => void;
  /** Sees every event as it happens, for the network view; absent in the charts' runs (a null check per event). */
  observer?: StationObserver;
}

/** What happened to an arriving request: a worker took it, it joined the waiting line, or the waiting room was full. */
export type ArrivalFate = 'served' | 'waiting' | 'dropped';

/**
 * Watches a run of `simulateStations` without changing it: it is told each event after the
 * simulation has applied it, and draws no random numbers. The network view records from it.
 */
export interface StationObserver {
  /** A station holds `present` requests at time 0 (its stationary start), none of them from a known requester. */
  initial(station: number, present: number): void;
  /** Request `request` (ids count arrivals from 0) arrives at `station`; the routing has just been asked where. */
  arrival(time: number, request: number, station: number, fate: ArrivalFate): void;
  /** A worker of `station` finishes a request; a negative id is one of those present at time 0. */
  departure(time: number, request: number, station: number): void;
}

/** A simulated quantity and the half-width of its 95% batch-means interval (NaN when too few data). */
export interface Estimate {
  value: number;
  halfWidth: number;
}

export interface StationOutcome {
  /** Mean response (lookup + waiting + service) of counted, served requests. */
  meanResponse: Estimate;
  p95Response: number;
  /** Share of the counted requests that found their station's waiting room full. */
  dropRate: Estimate;
  /** Busy worker-time over available worker-time, from the end of warm-up to the last arrival. */
  utilisation: Estimate;
  /** Mean lookup delay of the counted requests (0 without routing). */
  meanLookup: number;
  served: number;
  counted: number;
}

/**
 * What one run of `runStations` measured, as small plain data (a task's result crosses
 * between workers): sums, and the means of 20 batches for each interval. Runs of the
 * same size on independently drawn rings pool into one estimate (`pooledOutcome`).
 */
export interface StationSummary {
  counted: number;
  served: number;
  drops: number;
  /** Sum of the counted, served requests' responses. */
  responseSum: number;
  /** Sum of the counted requests' lookup delays. */
  lookupSum: number;
  /** Busy worker-seconds, and worker-seconds available, from the end of warm-up to the last arrival. */
  busyArea: number;
  capacityTime: number;
  /** Sample 95th percentile of the counted responses; NaN when none was served. */
  p95: number;
  /** Means of BATCHES consecutive stretches (in arrival order) of served responses; empty when fewer than BATCHES were served. */
  responseBatches: number[];
  /** The same for the drop indicator (1 dropped, 0 served) of every counted request. */
  dropBatches: number[];
  /** Busy share of the workers in each batch of time between batch boundaries. */
  busyBatches: number[];
}

/** Batch means give a 95% interval for a correlated series (queue waits): 20 batches per run. */
const BATCHES = 20;

/** Means of BATCHES consecutive equal stretches (the remainder left out); empty when a stretch would be empty. */
function batchMeanList(values: Float64Array): number[] {
  const size = Math.floor(values.length / BATCHES);
  if (size < 1) return [];
  const means: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i] as number;
    means.push(sum / size);
  }
  return means;
}

/** Half-width of the Student t 95% interval of the mean of `means` (independent batch or replication means); NaN with fewer than two. */
function halfWidthOf(means: ReadonlyArray<number>): number {
  if (means.length < 2) return NaN;
  const stats = new RunningStats();
  for (const value of means) stats.add(value);
  const half = tQuantile975(stats.count - 1) * stats.standardError;
  return Number.isFinite(half) ? half : NaN;
}

/**
 * One estimate from runs of the same size: each run's sums add up, and the interval comes
 * from all their batch means together. Runs on independently drawn rings spread their
 * batch means further apart, so the interval also carries the ring-to-ring variation.
 * The 95th percentile is the served-weighted mean of the runs' own (with equal runs of
 * thousands of requests each, that is close to the percentile of the pooled sample).
 */
export function pooledOutcome(runs: ReadonlyArray<StationSummary>): StationOutcome {
  let counted = 0;
  let served = 0;
  let drops = 0;
  let responseSum = 0;
  let lookupSum = 0;
  let busyArea = 0;
  let capacityTime = 0;
  let p95Sum = 0;
  const responseBatches: number[] = [];
  const dropBatches: number[] = [];
  const busyBatches: number[] = [];
  for (const run of runs) {
    counted += run.counted;
    served += run.served;
    drops += run.drops;
    responseSum += run.responseSum;
    lookupSum += run.lookupSum;
    busyArea += run.busyArea;
    capacityTime += run.capacityTime;
    if (run.served > 0) p95Sum += run.p95 * run.served;
    responseBatches.push(...run.responseBatches);
    dropBatches.push(...run.dropBatches);
    busyBatches.push(...run.busyBatches);
  }
  const utilisation = capacityTime > 0 ? busyArea / capacityTime : NaN;
  return {
    meanResponse: served > 0 ? { value: responseSum / served, halfWidth: halfWidthOf(responseBatches) } : { value: NaN, halfWidth: NaN },
    p95Response: served > 0 ? p95Sum / served : NaN,
    dropRate: counted > 0 ? { value: drops / counted, halfWidth: halfWidthOf(dropBatches) } : { value: 0, halfWidth: NaN },
    utilisation: { value: utilisation, halfWidth: Number.isFinite(utilisation) ? halfWidthOf(busyBatches) : NaN },
    meanLookup: counted > 0 ? lookupSum / counted : 0,
    served,
    counted,
  };
}

/**
 * Typed arrays kept from one run to the next: a worker runs its tasks one at a time, and a
 * run of a million peers would otherwise allocate (and the collector reclaim) tens of
 * megabytes per task. Each slot grows to the largest run seen; a run sees a view of the
 * length it needs and sets every entry it reads.
 */
const scratch = { floats: [] as Float64Array[], ints: [] as Int32Array[], bytes: new Uint8Array(0), departures: new DepartureHeap(1024) };

/** Offsets of a station's entries in runStations' state array (the first is the number it holds). */
const HEAD = 1;
const TAIL = 2;
const PRELOADED = 3;

function scratchFloats(slot: number, length: number): Float64Array {
  let array = scratch.floats[slot];
  if (!array || array.length < length) scratch.floats[slot] = array = new Float64Array(length);
  return array.subarray(0, length);
}

function scratchInts(slot: number, length: number): Int32Array {
  let array = scratch.ints[slot];
  if (!array || array.length < length) scratch.ints[slot] = array = new Int32Array(length);
  return array.subarray(0, length);
}

function scratchBytes(length: number): Uint8Array {
  if (scratch.bytes.length < length) scratch.bytes = new Uint8Array(length);
  return scratch.bytes.subarray(0, length);
}

/**
 * Event-driven simulation of FCFS multi-worker queues with finite waiting rooms; see
 * `runStations`, whose one run this estimates.
 */
export function simulateStations(config: StationConfig, random: Random): StationOutcome {
  return pooledOutcome([runStations(config, random)]);
}

/**
 * Event-driven simulation of FCFS multi-worker queues with finite waiting rooms. Arrivals
 * are one Poisson stream of the total rate, split by the routing (Poisson splitting);
 * departures wait in a typed-array heap, each station's state is a few typed-array
 * entries and its waiting line a linked list through the request ids, so an event costs
 * O(log busy workers) whatever the number of stations, and no object is made per event.
 *
 * After the last arrival only the requests still in the system matter: the run stops
 * when the last of them leaves. A lone worker's line of requests that were there at
 * time 0 is then served in one step: the P of them ahead of a counted request leave,
 * one after another, after the sum of P exponential services, a Gamma(P, μ) time. So
 * a drain behind thousands of such requests per peer (free riders with a waiting room
 * of 10,000) costs one draw per peer instead of one event per request.
 */
export function runStations(config: StationConfig, random: Random): StationSummary {
  // Every draw of the run comes from one stream seeded by `random` (see UniformStream).
  const draws = new UniformStream(random);
  const { stations, workersPerStation, waitingRoom, arrivalRate, serviceRate, requests, onProgress } = config;
  const routing = config.routing;
  const warmup = Math.floor(requests * (config.warmupShare ?? 0.1));
  const counted = requests - warmup;
  const batchSize = Math.max(1, Math.floor(counted / BATCHES));
  const meanService = 1 / serviceRate;
  const meanGap = 1 / arrivalRate;

  // Per request and per station state in typed arrays kept from run to run (see scratch):
  // arrivalTime[id] becomes the response when the request leaves.
  const arrivalTime = scratchFloats(0, requests);
  const lookupDelay = routing ? scratchFloats(1, requests) : null;
  const stationOf = stations === 1 ? null : scratchInts(0, requests);
  const nextWaiting = scratchInts(1, requests);
  const servedFlag = scratchBytes(requests).fill(0);
  // Each station's state is four neighbouring entries, so an event at a peer among a
  // million reads one cache line: the requests it holds (in service and waiting), the
  // first and last arrived request of its waiting line, and how many of those waiting
  // were there at time 0 (they are ahead of every arrival).
  const state = scratchInts(2, 4 * stations);
  for (let base = 0; base < state.length; base += 4) {
    state[base] = 0;
    state[base + HEAD] = -1;
    state[base + TAIL] = -1;
    state[base + PRELOADED] = 0;
  }
  const departures = scratch.departures;
  departures.size = 0;
  const busyBatches: number[] = [];
  const workers = workersPerStation;
  const places = workersPerStation + waitingRoom;

  let arrived = 0;
  let nextArrival = -Math.log(1 - draws.next()) * meanGap;
  let drops = 0;
  let busyWorkers = 0;
  let busyArea = 0;
  let batchArea = 0;
  let batchStart = 0;
  let measuring = false;
  let lastTime = 0;
  let measureStart = 0;
  let measureEnd = 0;
  let lookupSum = 0;
  /** Requests that arrived and are still waiting or in service; the run ends when none is left after the last arrival. */
  let arrivedInSystem = 0;
  const capacity = stations * workersPerStation;
  const progressStride = Math.max(1, Math.floor(requests / 20));

  // Start every station in its stationary state when asked, so that a short run (few requests
  // per peer) or a queue near saturation does not start empty. Those requests carry negative
  // ids (−station − 1) and are never counted; service is memoryless, so a residual service
  // time is a fresh exponential.
  if (config.initialInSystem) {
    for (let station = 0; station < stations; station++) {
      const present = Math.min(config.initialInSystem(station, draws), places);
      if (present === 0) continue;
      const serving = Math.min(present, workers);
      for (let k = 0; k < serving; k++) departures.push(-Math.log(1 - draws.next()) * meanService, -station - 1);
      busyWorkers += serving;
      state[4 * station] = present;
      state[4 * station + PRELOADED] = present - serving;
    }
  }
  const observer = config.observer;
  if (observer) for (let station = 0; station < stations; station++) observer.initial(station, state[4 * station] as number);

  while (arrived < requests || arrivedInSystem > 0) {
    // The earliest departure, read in place (see DepartureHeap.pending for why no call).
    const earliest = departures.size > 0 ? (departures.times[0] as number) : Infinity;
    if (arrived < requests && nextArrival <= earliest) {
      const time = nextArrival;
      if (measuring) {
        const area = busyWorkers * (time - lastTime);
        busyArea += area;
        batchArea += area;
      }
      lastTime = time;
      const id = arrived++;
      if (id >= warmup && (id - warmup) % batchSize === 0 && (id - warmup) / batchSize < BATCHES) {
        // A batch boundary (the last batch takes the remainder): close the last batch's busy share, start the next.
        if (measuring && time > batchStart) busyBatches.push(batchArea / (capacity * (time - batchStart)));
        measuring = true;
        if (id === warmup) measureStart = time;
        batchArea = 0;
        batchStart = time;
      }
      let station = 0;
      if (routing) {
        station = routing.next(draws);
        const delay = routing.delay;
        (lookupDelay as Float64Array)[id] = delay;
        if (id >= warmup) lookupSum += delay;
      } else if (stations > 1) {
        station = Math.floor(draws.next() * stations);
      }
      arrivalTime[id] = time;
      if (stationOf) stationOf[id] = station;
      const base = 4 * station;
      const present = state[base] as number;
      if (present < workers) {
        // A worker is free.
        state[base] = present + 1;
        busyWorkers++;
        arrivedInSystem++;
        departures.pending = time - Math.log(1 - draws.next()) * meanService;
        departures.pushPending(id);
        if (observer) observer.arrival(time, id, station, 'served');
      } else if (present < places) {
        // Every worker is busy and the waiting room has a place: join the end of the line.
        state[base] = present + 1;
        arrivedInSystem++;
        nextWaiting[id] = -1;
        const last = state[base + TAIL] as number;
        if (last === -1) state[base + HEAD] = id;
        else nextWaiting[last] = id;
        state[base + TAIL] = id;
        if (observer) observer.arrival(time, id, station, 'waiting');
      } else {
        if (id >= warmup) drops++;
        if (observer) observer.arrival(time, id, station, 'dropped');
      }
      if (arrived === requests) {
        // Utilisation is measured while arrivals still come; the drain afterwards would dilute it.
        if (time > batchStart) busyBatches.push(batchArea / (capacity * (time - batchStart)));
        measuring = false;
        measureEnd = time;
      }
      nextArrival = time - Math.log(1 - draws.next()) * meanGap;
      if (onProgress && arrived % progressStride === 0) onProgress(arrived / requests);
    } else {
      // The earliest departure stays at the top of the heap until we know whether its
      // worker takes another request (then one sift replaces it) or frees.
      const time = earliest;
      const id = departures.requests[0] as number;
      if (measuring) {
        const area = busyWorkers * (time - lastTime);
        busyArea += area;
        batchArea += area;
      }
      lastTime = time;
      let station: number;
      if (id < 0) {
        // A request that was already there at time 0: not counted.
        station = -id - 1;
      } else {
        // The lookup happens before the request reaches its station; shifting a Poisson
        // stream by independent delays leaves it Poisson, so it simply adds to the response.
        arrivalTime[id] = time - (arrivalTime[id] as number) + (lookupDelay ? (lookupDelay[id] as number) : 0);
        servedFlag[id] = 1;
        station = stationOf ? (stationOf[id] as number) : 0;
        arrivedInSystem--;
      }
      const base = 4 * station;
      // The request leaves; if any wait (more than c were here), the freed worker takes the next.
      const present = (state[base] as number) - 1;
      state[base] = present;
      if (present < workers) {
        busyWorkers--;
        departures.pop();
      } else {
        const next = state[base + HEAD] as number;
        const ahead = state[base + PRELOADED] as number;
        if (ahead > 0 && arrived === requests && (next < 0 || workers === 1)) {
          // After the last arrival. With no arrived request in this line, what is left of it
          // matters to nobody: the worker stops. A lone worker serves the rest of the
          // time-0 requests in a row, Gamma(P, μ), and then the line's first arrived request.
          state[base + PRELOADED] = 0;
          if (next < 0) {
            state[base] = present - ahead;
            busyWorkers--;
            departures.pop();
          } else {
            // The P of them stand for one in service until the last of them leaves.
            state[base] = present - ahead + 1;
            departures.pending = time + gammaDraw(ahead, serviceRate, draws);
            departures.replaceEarliest(-station - 1);
          }
        } else if (ahead > 0) {
          // Requests present at time 0 are ahead of every arrival (FCFS).
          state[base + PRELOADED] = ahead - 1;
          departures.pending = time - Math.log(1 - draws.next()) * meanService;
          departures.replaceEarliest(-station - 1);
        } else {
          // The head of the line; the busy count does not change.
          const after = nextWaiting[next] as number;
          state[base + HEAD] = after;
          if (after === -1) state[base + TAIL] = -1;
          departures.pending = time - Math.log(1 - draws.next()) * meanService;
          departures.replaceEarliest(next);
        }
      }
      if (observer) observer.departure(time, id, station);
    }
  }

  // Served responses and drop indicators in arrival order, so batches are stretches of time.
  const servedTimes = scratchFloats(2, counted);
  const dropBatches: number[] = [];
  const dropBatchSize = Math.floor(counted / BATCHES);
  let served = 0;
  let responseSum = 0;
  let batchDrops = 0;
  for (let id = warmup; id < requests; id++) {
    if (servedFlag[id] === 1) {
      const value = arrivalTime[id] as number;
      servedTimes[served++] = value;
      responseSum += value;
    } else {
      batchDrops++;
    }
    // Drop indicators in batches of consecutive counted requests (the remainder left out).
    const position = id - warmup + 1;
    if (dropBatchSize >= 1 && position % dropBatchSize === 0 && position / dropBatchSize <= BATCHES) {
      dropBatches.push(batchDrops / dropBatchSize);
      batchDrops = 0;
    }
  }
  const sample = servedTimes.subarray(0, served);
  const responseBatches = batchMeanList(sample);
  onProgress?.(1);
  return {
    counted,
    served,
    drops,
    responseSum,
    lookupSum,
    busyArea,
    capacityTime: capacity * (measureEnd - measureStart),
    // Selection reorders the sample, so it comes after the batch means.
    p95: served > 0 ? quantileInPlace(sample, 0.95) : NaN,
    responseBatches,
    dropBatches,
    busyBatches,
  };
}

/** Online peers, each independently with probability p. */
export function drawOnlinePeers(clients: number, onlineShare: number, random: Random): number {
  if (onlineShare >= 1) return clients;
  // Bernoulli trials counted by their geometric gaps (one draw per success of the rarer
  // outcome instead of one per client): the gap to the next success is ⌊ln U / ln(1 − q)⌋.
  const rarer = Math.min(onlineShare, 1 - onlineShare);
  const logMiss = Math.log(1 - rarer);
  let successes = 0;
  for (let position = -1; ; successes++) {
    position += 1 + Math.floor(Math.log(1 - random.next()) / logMiss);
    if (position >= clients) break;
  }
  return onlineShare <= 0.5 ? successes : clients - successes;
}

/**
 * The P2P side's routing over a simulated overlay. The online peers form a Chord ring
 * (kernel chord.ts); each request is for an item whose key is uniform on the ring, held
 * by the key's successor (consistent hashing, Stoica et al. 2001, section 4), so a peer
 * serves the keys of its arc and arcs are unequal. The requester is one of the N peers
 * at random: if it is on the ring the lookup starts there; if not (it does not serve),
 * it first sends the query to a ring node it knows, one more hop. With a central index
 * the lookup is one hop to the index, which answers with the holder.
 */
export class OverlayRouting implements Routing {
  delay = 0;
  /** Hops of the last lookup. */
  hops = 0;
  /** The last requester: its ring index when it is online, −1 when it is one of the peers off the ring. */
  requester = -1;
  /** Ring node the last Chord lookup started from (the requester, or the node an off-ring requester asked first). */
  start = -1;
  /**
   * For the network view only: when set, each Chord lookup also writes the nodes it was
   * forwarded to (`path`, `pathLength`; the first `hops` entries, minus the entry hop, are the forwards).
   */
  private readonly path: Int32Array | null;
  pathLength = 0;

  constructor(
    private readonly ring: Uint32Array,
    private readonly clients: number,
    private readonly lookup: LookupKind,
    private readonly hopLatency: number,
    recordPaths = false,
  ) {
    this.path = recordPaths ? new Int32Array(ROUTE_CAPACITY) : null;
    this.index = new RingIndex(ring);
  }

  /** The ring's successor table, which makes each finger O(1). */
  private readonly index: RingIndex;

  /** Ring node `index` of the last route's forwards (valid below `pathLength`). */
  pathNode(index: number): number {
    return this.path ? (this.path[index] as number) : -1;
  }

  next(random: Random): number {
    const ring = this.ring;
    const key = Math.floor(random.next() * RING_SIZE);
    // Online peers are a random subset of the N, in random ring order: requester u < M is ring node u.
    const requester = random.int(this.clients);
    const onRing = requester < ring.length;
    this.requester = onRing ? requester : -1;
    if (this.lookup === 'index') {
      this.hops = 1;
      this.delay = this.hopLatency;
      this.start = -1;
      return this.index.successor(key);
    }
    const start = onRing ? requester : random.int(ring.length);
    this.start = start;
    // Greedy finger routing (Stoica et al. 2001, fig. 5), step by step as the kernel's
    // chordLookup walks it, with O(1) fingers and no object per lookup.
    const owner = this.index.route(start, key);
    // The same greedy walk, kept node by node, only when the network view asks for it.
    if (this.path) this.pathLength = chordRoute(ring, start, key, this.path);
    this.hops = this.index.hops + (onRing ? 0 : 1);
    this.delay = this.hops * this.hopLatency;
    return owner;
  }
}

/**
 * The server side's requests for the network view: every arrival comes from one of the
 * `clients` at random, which is the same as each client sending its own Poisson stream of
 * rate λ (Poisson splitting). The server is station 0 and no lookup is needed.
 */
export class ClientRouting implements Routing {
  readonly delay = 0;
  /** The client that sent the last request. */
  client = -1;

  constructor(private readonly clients: number) {}

  next(random: Random): number {
    this.client = random.int(this.clients);
    return 0;
  }
}

/* ---------- The lab ---------- */

export type ServerLoadParams = {
  clients: number;
  requestRate: number;
  workers: number;
  serviceRate: number;
  queueCapacity: number;
  peerServiceRate: number;
  onlineShare: number;
  lookup: string;
  /** Milliseconds, as the reader enters it. */
  hopLatency: number;
  requests: number;
};

/** Sizes spread evenly on the log axis, from 1 to the largest N. */
const LOG_SIZES = 13;
/** Extra sizes around the knee, as multiples of N*, where the server's curves bend (mean, drops). */
const KNEE_FACTORS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1, 1.02, 1.05, 1.1, 1.2, 1.5, 2];
const REFERENCE_SIZES = 90;

/** The number a reader sees in a sentence, so comparisons are made on what is printed. */
export function printedSig(value: number): number {
  return printedNumber(formatSig(value));
}
export function printedPercent(fraction: number): number {
  return printedNumber(formatPercent(fraction));
}
export function printedSeconds(seconds: number): number {
  return printedNumber(formatDuration(seconds));
}

function toPeerToPeerInput(params: ServerLoadParams): PeerToPeerInput {
  return {
    clients: params.clients,
    requestRate: params.requestRate,
    peerServiceRate: params.peerServiceRate,
    onlineShare: params.onlineShare,
    lookup: params.lookup === 'index' ? 'index' : 'chord',
    hopLatency: params.hopLatency / 1000,
  };
}

export interface Crossover {
  clients: number;
  /** The two formulas' mean responses there, as the verdict prints them. */
  peerToPeer: number;
  server: number;
}

/**
 * The first N of a grid where P2P's mean response (lookup + M/M/1) is below the server's
 * (M/M/c/(c+K), served requests), both rounded as the verdict prints them; null if none.
 */
export function crossoverClients(params: ServerLoadParams, grid: ReadonlyArray<number>): Crossover | null {
  const p2p = toPeerToPeerInput(params);
  for (const n of grid) {
    const server = finiteQueue(params.workers, params.queueCapacity, n * params.requestRate, params.serviceRate).meanResponse;
    const peers = peerToPeerMeanResponse({ ...p2p, clients: n });
    if (Number.isFinite(peers) && printedSeconds(peers) < printedSeconds(server)) return { clients: n, peerToPeer: peers, server };
  }
  return null;
}

/**
 * Sizes to simulate. The server: evenly spread on the log axis, and dense around the knee N*
 * (within [1, N]), where its mean response and drops bend. P2P: the evenly spread sizes
 * only, since a peer's load does not depend on N and its curve has no knee to resolve.
 */
export function simulatedSizes(largest: number, knee: number): { server: number[]; peers: number[] } {
  const peers = logSpacedIntegers(1, largest, LOG_SIZES);
  const server = new Set(peers);
  for (const factor of KNEE_FACTORS) {
    const n = Math.round(knee * factor);
    if (n >= 1 && n <= largest) server.add(n);
  }
  return { server: [...server].sort((a, b) => a - b), peers };
}

/** Chart points only where the value can be drawn (log axes take neither 0 nor ∞). */
function drawable(points: Array<readonly [number, number]>): Point[] {
  return points.filter(([, y]) => Number.isFinite(y) && y > 0);
}

/** A simulated estimate as a chart point, scaled (×100 for shares), its interval kept inside [floor, ceiling]. */
function estimatePoint(x: number, estimate: Estimate, scale = 1, floor = 0, ceiling = Infinity): Point {
  // Floating-point sums can put a share a hair outside its range (busy 100.00000000000003%).
  const y = Math.min(ceiling, Math.max(floor, estimate.value * scale));
  if (!Number.isFinite(estimate.halfWidth)) return [x, y];
  const half = estimate.halfWidth * scale;
  return [x, y, Math.max(floor, Math.min(y, y - half)), Math.min(ceiling, Math.max(y, y + half))];
}

export interface PeerSide {
  outcome: StationOutcome;
  /** Online peers drawn at this size: the ring's nodes and the simulated queues (the mean over its rings when there are several). */
  online: number;
  /** Requests per second offered to the peer with the largest arc (the largest over all its rings). */
  busiestLoad: number;
  /** Independently drawn rings this size was simulated on (replications; 1 when absent). */
  rings?: number;
}

/** One P2P run on one drawn ring, as a task returns it: small plain data. */
export interface PeerRun {
  online: number;
  busiestLoad: number;
  summary: StationSummary;
}

export interface SizeResult {
  clients: number;
  server: StationOutcome;
  /** Null when no peer is online: there is no ring and every request is dropped; undefined where P2P is not simulated. */
  peers?: PeerSide | null;
}

export interface PeerRunOptions {
  onProgress?: (fraction: number) => void;
  /** Requests to simulate; default the reader's setting. */
  requests?: number;
  warmupShare?: number;
  /** For the network view: given the ring and its routing (which then keeps each route's nodes), returns the run's observer. */
  observe?: (ring: Uint32Array, routing: OverlayRouting) => StationObserver;
}

/** Peer i serves the keys in (ids[i-1], ids[i]]: its arc, a share of the uniform key space. */
function arcOf(ring: Uint32Array, peer: number): number {
  const online = ring.length;
  if (online === 1) return RING_SIZE;
  return ((ring[peer] as number) - (ring[peer === 0 ? online - 1 : peer - 1] as number)) >>> 0 || RING_SIZE;
}

/** One P2P run at one size: draw the online peers, build their ring, route every request over it; null when no peer is online. */
export function runPeers(params: ServerLoadParams, clients: number, seedSource: Random, options: PeerRunOptions = {}): PeerRun | null {
  // A million peers online and a million ring ids are drawn from an allocation-free stream (see UniformStream).
  const random = new UniformStream(seedSource);
  const online = drawOnlinePeers(clients, params.onlineShare, random);
  if (online === 0) return null;
  const ring = buildSortedRing(online, random);
  let largestArc = 0;
  for (let i = 0; i < online; i++) {
    const arc = arcOf(ring, i);
    if (arc > largestArc) largestArc = arc;
  }
  const lookup: LookupKind = params.lookup === 'index' ? 'index' : 'chord';
  const totalRate = clients * params.requestRate;
  const routing = new OverlayRouting(ring, clients, lookup, params.hopLatency / 1000, !!options.observe);
  const observer = options.observe?.(ring, routing);
  const summary = runStations(
    {
      stations: online,
      workersPerStation: 1,
      waitingRoom: params.queueCapacity,
      arrivalRate: totalRate,
      serviceRate: params.peerServiceRate,
      requests: options.requests ?? params.requests,
      routing,
      // Each peer starts in the stationary state of its own load, the rate of the keys in its arc.
      initialInSystem: (peer, random) =>
        drawSingleServerState(params.queueCapacity, (totalRate * arcOf(ring, peer)) / RING_SIZE, params.peerServiceRate, random),
      ...(options.warmupShare !== undefined ? { warmupShare: options.warmupShare } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(observer ? { observer } : {}),
    },
    random,
  );
  return { online, busiestLoad: (totalRate * largestArc) / RING_SIZE, summary };
}

/** Simulates the P2P side at one size on one ring: draw the online peers, build their ring, route every request over it. */
export function simulatePeers(params: ServerLoadParams, clients: number, random: Random, options: PeerRunOptions = {}): PeerSide | null {
  const run = runPeers(params, clients, random, options);
  return run ? { outcome: pooledOutcome([run.summary]), online: run.online, busiestLoad: run.busiestLoad } : null;
}

/**
 * The P2P side of one size from its runs on independently drawn rings. A ring with no
 * peer online drops every counted request; if no ring has a peer online the side is null.
 */
export function pooledPeers(
  runs: ReadonlyArray<PeerRun | null>,
  requestsPerRun: ReadonlyArray<number>,
  warmupShare = 0.1,
): PeerSide | null {
  const withPeers = runs.filter((run): run is PeerRun => run !== null);
  if (withPeers.length === 0) return null;
  const summaries = runs.map((run, i) => {
    if (run) return run.summary;
    const requests = requestsPerRun[i] as number;
    const counted = requests - Math.floor(requests * warmupShare);
    const none: StationSummary = {
      counted,
      served: 0,
      drops: counted,
      responseSum: 0,
      lookupSum: 0,
      busyArea: 0,
      capacityTime: 0,
      p95: NaN,
      responseBatches: [],
      dropBatches: counted >= BATCHES ? Array<number>(BATCHES).fill(1) : [],
      busyBatches: [],
    };
    return none;
  });
  const online = withPeers.reduce((sum, run) => sum + run.online, 0) / withPeers.length;
  return {
    outcome: pooledOutcome(summaries),
    online: Math.round(online),
    busiestLoad: Math.max(...withPeers.map((run) => run.busiestLoad)),
    rings: runs.length,
  };
}

/** One task of a run: the server, or P2P on one ring, at one size. */
export interface ServerLoadTask {
  side: 'server' | 'p2p';
  clients: number;
  /** Requests this task simulates: the size's, or this replication's share of them. */
  requests: number;
  replication: number;
  replications: number;
}

export type ServerLoadPart = { side: 'server'; summary: StationSummary } | { side: 'p2p'; peers: PeerRun | null };

/**
 * Relative cost of a task, in about microseconds on one core (fitted with
 * scripts/time-lab.ts): per request an arrival and a departure and, on the P2P side, a
 * Chord route of ½·log₂ M forwards, each a binary search or two over the M ids, so
 * about log₂² M steps; per online peer a ring id, a stationary start and its queue's
 * entries; per client drawn online or not, a share of a geometric draw.
 */
export function taskWeight(params: ServerLoadParams, task: Pick<ServerLoadTask, 'side' | 'clients' | 'requests'>): number {
  if (task.side === 'server') return 0.4 * task.requests;
  const online = Math.max(1, params.onlineShare * task.clients);
  const perRequest = params.lookup === 'index' ? 0.6 : 0.5 + 0.013 * Math.log2(online) ** 2;
  return perRequest * task.requests + 0.3 * online + 0.05 * Math.min(params.onlineShare, 1 - params.onlineShare) * task.clients;
}

/** Most rings a P2P size is split over; the split keeps any one task a small part of a large run. */
const MAX_REPLICATIONS = 4;

/** Requests of replication r when `requests` are split over k replications: the shares differ by at most one. */
function replicationRequests(requests: number, r: number, k: number): number {
  return Math.floor((requests * (r + 1)) / k) - Math.floor((requests * r) / k);
}

export function planTasks(params: ServerLoadParams): Array<{ task: ServerLoadTask; weight: number }> {
  const knee = kneeClients(params.workers, params.serviceRate, params.requestRate);
  const sizes = simulatedSizes(params.clients, knee);
  const peerSizes = new Set(sizes.peers);
  const serverWeight = taskWeight(params, { side: 'server', clients: 1, requests: params.requests });
  const wholePeer = (n: number) => taskWeight(params, { side: 'p2p', clients: n, requests: params.requests });
  const total = sizes.server.length * serverWeight + sizes.peers.reduce((sum, n) => sum + wholePeer(n), 0);
  const tasks: Array<{ task: ServerLoadTask; weight: number }> = [];
  for (const n of sizes.server) {
    tasks.push({ task: { side: 'server', clients: n, requests: params.requests, replication: 0, replications: 1 }, weight: serverWeight });
    if (!peerSizes.has(n)) continue;
    // A P2P size that is a large part of the run (the largest N: the longest routes, the
    // most peers to set up) runs on several independently drawn rings, each with its share
    // of the requests, so that the page's workers can share it. Each ring repeats the
    // set-up, so only the requests' part is divided: a size is split where that part
    // weighs more than about a twelfth of the run.
    const setUp = taskWeight(params, { side: 'p2p', clients: n, requests: 0 });
    const replications = Math.min(MAX_REPLICATIONS, Math.max(1, Math.round((12 * (wholePeer(n) - setUp)) / total)));
    for (let r = 0; r < replications; r++) {
      const requests = replicationRequests(params.requests, r, replications);
      tasks.push({
        task: { side: 'p2p', clients: n, requests, replication: r, replications },
        weight: taskWeight(params, { side: 'p2p', clients: n, requests }),
      });
    }
  }
  return tasks;
}

export function runTask(params: ServerLoadParams, task: ServerLoadTask, context: RunContext): ServerLoadPart {
  const random = createRandom(context.seed);
  if (task.side === 'p2p')
    return { side: 'p2p', peers: runPeers(params, task.clients, random, { requests: task.requests, onProgress: context.progress }) };
  const { requestRate: lambda, workers, serviceRate: mu, queueCapacity } = params;
  const n = task.clients;
  const serverStart = stationarySampler(workers, queueCapacity, n * lambda, mu);
  const summary = runStations(
    {
      stations: 1,
      workersPerStation: workers,
      waitingRoom: queueCapacity,
      arrivalRate: n * lambda,
      serviceRate: mu,
      requests: task.requests,
      initialInSystem: (_station, random) => serverStart(random),
      onProgress: context.progress,
    },
    random,
  );
  return { side: 'server', summary };
}

/** The formulas' series on the dense grid, kept for the last parameters: the page assembles a run again and again as its tasks land. */
let formulaCache: { key: string; series: Record<string, Point[]>; dense: number[] } | null = null;

function formulaSeries(params: ServerLoadParams, serverSizes: ReadonlyArray<number>): { series: Record<string, Point[]>; dense: number[] } {
  const key = JSON.stringify(params);
  if (formulaCache?.key === key) return formulaCache;
  const { requestRate: lambda, workers, serviceRate: mu, queueCapacity } = params;
  const p2pBase = toPeerToPeerInput(params);
  const knee = kneeClients(workers, mu, lambda);
  // Dense grid for the formulas: log-spaced, finer within ±10% of the knee where the finite
  // queue's lines bend, and every simulated size so that the data table lines them up.
  const denseSet = new Set([...logSpacedIntegers(1, params.clients, REFERENCE_SIZES), ...serverSizes]);
  for (let step = -10; step <= 10; step++) {
    const n = Math.round(knee * (1 + step / 100));
    if (n >= 1 && n <= params.clients) denseSet.add(n);
  }
  for (const n of [Math.floor(knee), Math.ceil(knee)]) if (n >= 1 && n <= params.clients) denseSet.add(n);
  const dense = [...denseSet].sort((a, b) => a - b);

  const series: Record<string, Point[]> = {};
  series['csMeanErlang'] = drawable(dense.map((n) => [n, mmcMeanResponse(workers, n * lambda, mu)]));
  series['csP95Erlang'] = drawable(dense.map((n) => [n, mmcResponseQuantile(workers, n * lambda, mu)]));
  const finiteByN = dense.map((n) => [n, finiteQueue(workers, queueCapacity, n * lambda, mu)] as const);
  series['csMeanFinite'] = drawable(finiteByN.map(([n, f]) => [n, f.meanResponse]));
  series['csDropRef'] = finiteByN.map(([n, f]) => [n, f.dropProbability * 100]);
  series['csOffered'] = dense.map((n) => [n, ((n * lambda) / (workers * mu)) * 100]);
  series['p2pMeanRef'] = drawable(dense.map((n) => [n, peerToPeerMeanResponse({ ...p2pBase, clients: n })]));
  series['p2pP95Ref'] = drawable(dense.map((n) => [n, peerToPeerResponseQuantile({ ...p2pBase, clients: n })]));
  const perPeerLoad = peerLoad(p2pBase);
  const peerFinite = finiteQueue(1, queueCapacity, perPeerLoad, params.peerServiceRate);
  series['p2pOffered'] = dense.map((n) => [n, (perPeerLoad / params.peerServiceRate) * 100]);
  series['p2pDropRef'] = dense.map((n) => [n, peerFinite.dropProbability * 100]);
  formulaCache = { key, series, dense };
  return formulaCache;
}

/** Builds the lab's result from the tasks' results (some may still be missing while a run streams in). */
export function assembleRun(params: ServerLoadParams, parts: ReadonlyArray<ServerLoadPart | undefined>): LabResult {
  const { requestRate: lambda, workers, serviceRate: mu, queueCapacity } = params;
  const knee = kneeClients(workers, mu, lambda);
  const tasks = planTasks(params);
  const serverByN = new Map<number, StationOutcome>();
  const peerRuns = new Map<number, { runs: Array<PeerRun | null>; requests: number[]; missing: number }>();
  tasks.forEach(({ task }, i) => {
    const part = parts[i];
    if (task.side === 'server') {
      if (part?.side === 'server') serverByN.set(task.clients, pooledOutcome([part.summary]));
      return;
    }
    const entry = peerRuns.get(task.clients) ?? { runs: [], requests: [], missing: 0 };
    peerRuns.set(task.clients, entry);
    if (part?.side === 'p2p') {
      entry.runs.push(part.peers);
      entry.requests.push(task.requests);
    } else {
      entry.missing++;
    }
  });
  const complete = parts.length === tasks.length && parts.every((part) => part !== undefined);

  // A size is drawn once its server task is in; its P2P points once every ring of it is.
  const results: SizeResult[] = [];
  for (const [n, server] of [...serverByN].sort((a, b) => a[0] - b[0])) {
    const peers = peerRuns.get(n);
    if (peers && peers.missing === 0) results.push({ clients: n, server, peers: pooledPeers(peers.runs, peers.requests) });
    else results.push({ clients: n, server });
  }

  const formulas = formulaSeries(
    params,
    tasks.filter((t) => t.task.side === 'server').map((t) => t.task.clients),
  );
  const series: Record<string, Point[]> = {};
  for (const [key, points] of Object.entries(formulas.series)) series[key] = points.slice();
  series['csMeanSim'] = results.filter((r) => r.server.meanResponse.value > 0).map((r) => estimatePoint(r.clients, r.server.meanResponse));
  series['csP95Sim'] = drawable(results.map((r) => [r.clients, r.server.p95Response]));
  series['csBusySim'] = results
    .filter((r) => r.server.utilisation.value > 0)
    .map((r) => estimatePoint(r.clients, r.server.utilisation, 100, 0, 100));
  series['csDropSim'] = results.map((r) => estimatePoint(r.clients, r.server.dropRate, 100, 0, 100));
  const withPeers = results.filter((r): r is SizeResult & { peers: PeerSide } => !!r.peers);
  series['p2pMeanSim'] = withPeers
    .filter((r) => r.peers.outcome.meanResponse.value > 0)
    .map((r) => estimatePoint(r.clients, r.peers.outcome.meanResponse));
  series['p2pP95Sim'] = drawable(withPeers.map((r) => [r.clients, r.peers.outcome.p95Response]));
  series['p2pBusySim'] = withPeers
    .filter((r) => r.peers.outcome.utilisation.value > 0)
    .map((r) => estimatePoint(r.clients, r.peers.outcome.utilisation, 100, 0, 100));
  // With no peer online every request is dropped: 100%, exactly.
  series['p2pDropSim'] = results
    .filter((r) => r.peers !== undefined)
    .map((r) => (r.peers ? estimatePoint(r.clients, r.peers.outcome.dropRate, 100, 0, 100) : [r.clients, 100]));

  const first = results[0];
  const last = results[results.length - 1];
  // While tasks are still running the page shows only the charts.
  if (!complete || !first || !last) return { series, summary: '', verdict: '' };
  const p2pBase = toPeerToPeerInput(params);
  const crossover = crossoverClients(params, formulas.dense);
  const largest = last.clients;
  const formulasAtLargest = {
    server: finiteQueue(workers, queueCapacity, largest * lambda, mu).meanResponse,
    peerToPeer: peerToPeerMeanResponse({ ...p2pBase, clients: largest }),
  };
  const smallestWithPeers = results.find((r) => !!r.peers) ?? null;
  const { summary, verdict } = describeRun({ params, knee, first, last, crossover, smallestWithPeers, formulasAtLargest });
  const lastPeers = last.peers?.outcome;
  return {
    series,
    summary,
    verdict,
    outputs: {
      knee,
      crossover: crossover?.clients ?? NaN,
      serverMean: last.server.meanResponse.value,
      serverDrops: last.server.dropRate.value * 100,
      p2pMean: lastPeers ? lastPeers.meanResponse.value : NaN,
      p2pLookup: lastPeers ? lastPeers.meanLookup : NaN,
    },
  };
}

/**
 * The lab as a sweep: every simulated size of the server is a task, and every size of
 * P2P one or (the largest) several, each on its own ring with its share of the requests.
 */
export const serverLoad: LabModel = defineSweepLab<ServerLoadParams, ServerLoadTask, ServerLoadPart>({
  manifest,
  benchCases: [10_000, 100_000, 1_000_000].map((size) => ({ size, params: { ...defaults(manifest), clients: size } })),
  sweep: {
    plan: planTasks,
    runTask,
    assemble: (params, parts) => assembleRun(params, parts),
    // The network view: the same simulation, small, from its own seed, so the charts do not depend on it.
    network: (params, seed) => recordNetwork(params, deriveSeed(seed, 0xfeed)).trace,
  },
}) as unknown as LabModel;

/* ---------- Summary and verdict, from the numbers they print ---------- */

export interface RunFindings {
  params: ServerLoadParams;
  knee: number;
  first: SizeResult;
  last: SizeResult;
  crossover: Crossover | null;
  /** The smallest simulated size with a peer online, where the lookup starts from. */
  smallestWithPeers: SizeResult | null;
  /** The formulas' mean responses at the largest N (server: served requests; P2P: ∞ when unstable). */
  formulasAtLargest: { server: number; peerToPeer: number };
}

function serverResponseText(outcome: StationOutcome): string {
  return outcome.served > 0
    ? `answers in ${formatDuration(outcome.meanResponse.value)} on average (95th percentile ${formatDuration(outcome.p95Response)})`
    : 'serves none of the counted requests (all dropped)';
}

/** The online peers of a size: of its one ring, or about as many on each of the rings it was split over. */
function onlineText(peers: PeerSide): string {
  const rings = peers.rings ?? 1;
  return rings > 1
    ? `about ${formatCount(peers.online)} online peers on each of its ${formatCount(rings)} simulated rings`
    : `its ${formatCount(peers.online)} online peers`;
}

function peerResponseText(peers: PeerSide | null | undefined): string {
  if (!peers) return 'serves nothing (no peer is online)';
  const { outcome } = peers;
  const lookup = `${formatDuration(outcome.meanLookup)} of it lookup`;
  return outcome.served > 0
    ? `answers in ${formatDuration(outcome.meanResponse.value)} on average (${lookup}), with ${onlineText(peers)} ${formatPercent(outcome.utilisation.value)} busy`
    : `serves none of the counted requests on ${onlineText(peers)}`;
}

export function describeRun({ params, knee, first, last, crossover, smallestWithPeers, formulasAtLargest }: RunFindings): {
  summary: string;
  verdict: string;
} {
  const n = last.clients;
  const nText = formatCount(n);
  const kneeText = formatSig(knee);
  const lambda = params.requestRate;
  const capacity = params.workers * params.serviceRate;
  const perPeerLoad = lambda / params.onlineShare;
  // The same test as the formula's (it has no value when λ/p ≥ μ_p), so the summary's "no points"
  // is true of the chart; rounding is monotone, so the printed λ/p is then at least the printed μ_p.
  const p2pUnstable = perPeerLoad >= params.peerServiceRate;

  const summaryParts = [
    `The knee is at N* = cμ/λ = ${kneeText} clients.`,
    `At N = ${nText}, the simulated server ${serverResponseText(last.server)}, its workers are ${formatPercent(last.server.utilisation.value)} busy ` +
      `and it drops ${formatPercent(last.server.dropRate.value)} of requests; P2P ${peerResponseText(last.peers)}, ` +
      `and drops ${formatPercent(last.peers ? last.peers.outcome.dropRate.value : 1)}.`,
    `At N = ${formatCount(first.clients)} the server ${serverResponseText(first.server)}.`,
  ];
  if (p2pUnstable) {
    summaryParts.push(
      `The dashed P2P response lines have no points: each online peer would be sent λ/p = ${formatSig(perPeerLoad)} requests/s but serves at most μ_p = ${formatSig(params.peerServiceRate)}, ` +
        'so its queue is unstable, has no steady state, and the M/M/1 formula has no value; the simulated peers, with waiting rooms of K, drop the excess instead.',
    );
  }

  const parts: string[] = [];
  // 1. The client-server claims, on either side of the knee.
  const serverMean = last.server.meanResponse.value;
  if (n < printedSig(knee)) {
    const offered = (n * lambda) / capacity;
    parts.push(
      `“Client growth does not affect performance” holds over this range, because ${nText} clients stay below the knee N* = ${kneeText}: ` +
        `the server is ${formatPercent(offered)} loaded and its simulated mean response goes from ${formatDuration(first.server.meanResponse.value)} at N = ${formatCount(first.clients)} ` +
        `to ${formatDuration(serverMean)} at N = ${nText}. Raise N past ${kneeText} and “a server may become overloaded” takes over.`,
    );
  } else if (printedSig(lambda) >= printedSig(capacity)) {
    parts.push(
      `“Client growth does not affect performance” fails from the first client here: one client’s λ = ${formatSig(lambda)} requests/s is at least the capacity cμ = ${formatSig(capacity)} requests/s (N* = ${kneeText}), ` +
        `so the server is overloaded at every size and drops ${formatPercent(last.server.dropRate.value)} of requests at N = ${nText}.`,
    );
  } else {
    const served =
      last.server.served > 0 ? `its simulated mean response is ${formatDuration(serverMean)}` : 'none of the counted requests is served';
    parts.push(
      `“Client growth does not affect performance” holds only below the knee N* = cμ/λ = ${kneeText}, where total demand Nλ reaches the capacity cμ = ${formatSig(capacity)} requests/s. ` +
        `Above it “a server may become overloaded” is what happens: at N = ${nText} the workers are ${formatPercent(last.server.utilisation.value)} busy, ${served} ` +
        `and it drops ${formatPercent(last.server.dropRate.value)} of requests. The two client-server claims are one system on either side of N*.`,
    );
  }

  // 2. The P2P claim: does a peer's load grow with N?
  const peersAtN = last.peers;
  if (p2pUnstable) {
    parts.push(
      `P2P is overloaded at every size here: each online peer would be sent λ/p = ${formatSig(perPeerLoad)} requests/s, at least its capacity μ_p = ${formatSig(params.peerServiceRate)}, ` +
        `so its queue has no steady state and the simulated peers drop ${formatPercent(peersAtN ? peersAtN.outcome.dropRate.value : 1)} of requests at N = ${nText}. ` +
        '“Performance is likely to suffer” holds, but because too few peers serve (p·μ_p ≤ λ), not because the network is large.',
    );
  } else if (!peersAtN) {
    parts.push(`No peer is online at N = ${nText} in this run, so P2P serves nothing there; raise p or N.`);
  } else {
    const busiest = peersAtN.busiestLoad / params.peerServiceRate;
    const firstPeers = smallestWithPeers ?? last;
    const lookupFrom = firstPeers.peers?.outcome.meanLookup ?? 0;
    const lookupTo = peersAtN.outcome.meanLookup;
    const lookupFromText = lookupFrom > 0 ? formatDuration(lookupFrom) : 'nothing';
    const lookupText =
      printedSeconds(lookupTo) > printedSeconds(lookupFrom)
        ? `the lookup grows, from ${lookupFromText} at N = ${formatCount(firstPeers.clients)} to ${formatDuration(lookupTo)} at N = ${nText}, and every request pays it.`
        : `the lookup, ${formatDuration(lookupTo)} at N = ${nText}, does not grow over this range (${lookupFromText} at N = ${formatCount(firstPeers.clients)}), and every request pays it.`;
    const average = `each online peer is sent λ/p = ${formatSig(perPeerLoad)} requests/s on average (${formatPercent(perPeerLoad / params.peerServiceRate)} of its capacity) whatever N is`;
    parts.push(
      printedPercent(busiest) < 100
        ? `P2P keeps up at every size: ${average}, and even the busiest peer on the simulated ${(peersAtN.rings ?? 1) > 1 ? 'rings' : 'ring'}, which owns the largest arc of keys, is offered ${formatPercent(busiest)} of its capacity at N = ${nText}. ` +
            `So “performance is likely to suffer” in a large P2P network is contradicted for the service itself; only ${lookupText}`
        : `On average P2P keeps up: ${average}. But the ring gives peers unequal arcs of keys, and at N = ${nText} the peer that owns the largest is offered ${formatPercent(busiest)} of its capacity, ` +
            `so P2P drops ${formatPercent(peersAtN.outcome.dropRate.value)} of requests. “Performance is likely to suffer” holds for the requests that land on the busiest arcs, ` +
            `because the keys are spread unevenly (virtual nodes even them out), not because the network is large; and ${lookupText}`,
    );
  }

  // 3. Which answers faster at the largest N, in the simulation.
  const p2pMean = peersAtN && peersAtN.outcome.served > 0 ? peersAtN.outcome.meanResponse.value : NaN;
  if (last.server.served > 0 && Number.isFinite(p2pMean)) {
    const serverPrinted = printedSeconds(serverMean);
    const p2pPrinted = printedSeconds(p2pMean);
    const who =
      p2pPrinted < serverPrinted
        ? `P2P answers the requests it serves faster than the server: ${formatDuration(p2pMean)} against ${formatDuration(serverMean)}`
        : p2pPrinted > serverPrinted
          ? `the server answers the requests it serves faster than P2P: ${formatDuration(serverMean)} against ${formatDuration(p2pMean)}`
          : `P2P and the server answer the requests they serve equally fast, in ${formatDuration(p2pMean)}`;
    parts.push(
      `In the simulation at N = ${nText}, ${who}; the server drops ${formatPercent(last.server.dropRate.value)} of requests and P2P ${formatPercent(peersAtN!.outcome.dropRate.value)}.`,
    );
  }

  // 4. Where the formulas cross.
  if (crossover) {
    parts.push(
      crossover.clients <= 1
        ? `By the formulas P2P answers faster from the first client (${formatDuration(crossover.peerToPeer)} against ${formatDuration(crossover.server)}): a peer’s service plus the lookup is quicker than a server worker.`
        : `By the formulas P2P loses at small N, where the lookup and the slower peers cost more than an idle server, and answers faster from N ≈ ${formatCount(crossover.clients)} ` +
            `(${formatDuration(crossover.peerToPeer)} against the server’s ${formatDuration(crossover.server)}).`,
    );
  } else if (!p2pUnstable) {
    const { server: serverFormula, peerToPeer: p2pFormula } = formulasAtLargest;
    parts.push(
      printedSeconds(serverFormula) <= printedSeconds(p2pFormula)
        ? `By the formulas the server is never slower than P2P up to N = ${nText} (${formatDuration(serverFormula)} against ${formatDuration(p2pFormula)} there)` +
            (n >= printedSig(knee)
              ? ', because its full waiting room caps the wait of the requests it serves near (c + K)/(cμ), while it drops the rest.'
              : ': below its knee the lookup and the slower peers cost more than the server’s queue.')
        : `By the formulas the server takes ${formatDuration(serverFormula)} and P2P ${formatDuration(p2pFormula)} at N = ${nText}.`,
    );
  }
  parts.push(
    'What decides is the server’s capacity cμ against the total demand Nλ (the knee N*); on the P2P side, whether p·μ_p exceeds λ, and the lookup cost (hops × hop latency) against the server’s delay.',
  );
  return { summary: summaryParts.join(' '), verdict: parts.join(' ') };
}
