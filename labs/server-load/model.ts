import { createRandom, type Random } from '../kernel/random';
import { EventQueue } from '../kernel/event-queue';
import { batchMeans, logSpacedIntegers, quantile } from '../kernel/stats';
import { formatDuration, formatPercent, formatSig } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';

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
 * Exact M/M/c/K (K waiting places beyond the c in service) from its birth-death
 * stationary distribution, in logs so that heavy overload does not overflow.
 */
export function finiteQueue(workers: number, waitingRoom: number, arrivalRate: number, serviceRate: number): FiniteQueueFigures {
  const states = workers + waitingRoom + 1;
  const logTerms = new Float64Array(states);
  const logOffered = Math.log(arrivalRate / serviceRate);
  let largest = 0;
  for (let n = 1; n < states; n++) {
    logTerms[n] = (logTerms[n - 1] as number) + logOffered - Math.log(Math.min(n, workers));
    if ((logTerms[n] as number) > largest) largest = logTerms[n] as number;
  }
  let total = 0;
  let inSystem = 0;
  let busy = 0;
  for (let n = 0; n < states; n++) {
    const weight = Math.exp((logTerms[n] as number) - largest);
    total += weight;
    inSystem += n * weight;
    busy += Math.min(n, workers) * weight;
  }
  const dropProbability = Math.exp((logTerms[states - 1] as number) - largest) / total;
  const throughput = arrivalRate * (1 - dropProbability);
  return {
    dropProbability,
    meanResponse: inSystem / total / throughput,
    utilisation: busy / total / workers,
  };
}

export type LookupKind = 'chord' | 'index';

/** Mean lookup hops: ½·log₂ of the ring size for Chord, at least one; one for a central index. */
export function lookupHops(onlinePeers: number, kind: LookupKind): number {
  if (kind === 'index') return 1;
  return Math.max(1, 0.5 * Math.log2(Math.max(1, onlinePeers)));
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
  return lookupHops(input.clients * input.onlineShare, input.lookup) * input.hopLatency;
}

/** Lookup plus an M/M/1 sojourn at the peer; Infinity when peers cannot carry their own demand. */
export function peerToPeerMeanResponse(input: PeerToPeerInput): number {
  const spare = input.peerServiceRate - peerLoad(input);
  return spare > 0 ? peerToPeerLookupDelay(input) + 1 / spare : Infinity;
}

/** The M/M/1 sojourn is exponential with rate μ - λ, so its q-quantile is -ln(1 - q)/(μ - λ). */
export function peerToPeerResponseQuantile(input: PeerToPeerInput, q = 0.95): number {
  const spare = input.peerServiceRate - peerLoad(input);
  return spare > 0 ? peerToPeerLookupDelay(input) - Math.log(1 - q) / spare : Infinity;
}

/* ---------- Discrete-event simulation ---------- */

export interface StationConfig {
  /** Independent queues: 1 for the server, the online peers for P2P. */
  stations: number;
  /** Workers sharing each station's queue: c for the server, 1 for a peer. */
  workersPerStation: number;
  /** Waiting places per station beyond those in service. */
  waitingRoom: number;
  /** Total Poisson arrival rate; each request goes to a uniformly random station. */
  arrivalRate: number;
  /** Exponential service rate of one worker. */
  serviceRate: number;
  requests: number;
  /** Leading share of requests that only warms the queues up. */
  warmupShare?: number;
  onProgress?: (fraction: number) => void;
}

export interface StationOutcome {
  /** Mean time in system of counted, served requests, with its batch-means 95% half-width. */
  meanResponse: number;
  halfWidth: number;
  p95Response: number;
  /** Share of the counted requests that found the waiting room full. */
  dropRate: number;
  /** Busy worker-time over available worker-time, from the end of warm-up to the last arrival. */
  utilisation: number;
  served: number;
}

/**
 * Event-driven simulation of one or more FCFS multi-worker queues with finite waiting
 * rooms. Departures live in the kernel's EventQueue; arrivals are a single Poisson
 * stream kept beside it, which halves the heap traffic.
 */
export function simulateStations(config: StationConfig, random: Random): StationOutcome {
  const { stations, workersPerStation, waitingRoom, arrivalRate, serviceRate, requests, onProgress } = config;
  const warmup = Math.floor(requests * (config.warmupShare ?? 0.1));
  const counted = requests - warmup;

  const arrivalTime = new Float64Array(requests);
  const stationOf = new Int32Array(requests);
  const nextWaiting = new Int32Array(requests).fill(-1);
  const response = new Float64Array(requests).fill(NaN);
  const busy = new Int32Array(stations);
  const waiting = new Int32Array(stations);
  const head = new Int32Array(stations).fill(-1);
  const tail = new Int32Array(stations).fill(-1);
  const departures = new EventQueue<number>();

  let arrived = 0;
  let nextArrival = random.exponential(arrivalRate);
  let drops = 0;
  let busyWorkers = 0;
  let busyArea = 0;
  let measuring = false;
  let lastTime = 0;
  let measureStart = 0;
  let measureEnd = 0;
  const progressStride = Math.max(1, Math.floor(requests / 20));

  const advance = (time: number): void => {
    if (measuring) busyArea += busyWorkers * (time - lastTime);
    lastTime = time;
  };

  while (arrived < requests || departures.size > 0) {
    if (arrived < requests && nextArrival <= departures.peekTime()) {
      const time = nextArrival;
      advance(time);
      const id = arrived++;
      if (id === warmup) {
        measuring = true;
        measureStart = time;
      }
      const station = stations === 1 ? 0 : random.int(stations);
      arrivalTime[id] = time;
      stationOf[id] = station;
      if ((busy[station] as number) < workersPerStation) {
        busy[station] = (busy[station] as number) + 1;
        busyWorkers++;
        departures.push(time + random.exponential(serviceRate), id);
      } else if ((waiting[station] as number) < waitingRoom) {
        waiting[station] = (waiting[station] as number) + 1;
        if (tail[station] === -1) head[station] = id;
        else nextWaiting[tail[station] as number] = id;
        tail[station] = id;
      } else if (id >= warmup) {
        drops++;
      }
      if (arrived === requests) {
        // Utilisation is measured while arrivals still come; the drain afterwards would dilute it.
        measuring = false;
        measureEnd = time;
      }
      nextArrival = time + random.exponential(arrivalRate);
      if (onProgress && arrived % progressStride === 0) onProgress(arrived / requests);
    } else {
      const event = departures.pop();
      if (!event) break;
      advance(event.time);
      const id = event.event;
      response[id] = event.time - (arrivalTime[id] as number);
      const station = stationOf[id] as number;
      const next = head[station] as number;
      if (next >= 0) {
        // The freed worker takes the head of the line; the busy count does not change.
        head[station] = nextWaiting[next] as number;
        if (head[station] === -1) tail[station] = -1;
        waiting[station] = (waiting[station] as number) - 1;
        departures.push(event.time + random.exponential(serviceRate), next);
      } else {
        busy[station] = (busy[station] as number) - 1;
        busyWorkers--;
      }
    }
  }

  // Served responses in arrival order, so batches are consecutive stretches of time.
  const servedTimes = new Float64Array(counted);
  let served = 0;
  for (let id = warmup; id < requests; id++) {
    const value = response[id] as number;
    if (!Number.isNaN(value)) servedTimes[served++] = value;
  }
  const sample = servedTimes.subarray(0, served);
  const { mean, halfWidth } = batchMeans(sample, 20);
  const span = measureEnd - measureStart;
  onProgress?.(1);
  return {
    meanResponse: served > 0 ? mean : NaN,
    halfWidth: served > 0 ? halfWidth : NaN,
    p95Response: served > 0 ? quantile(sample, 0.95) : NaN,
    dropRate: counted > 0 ? drops / counted : 0,
    utilisation: span > 0 ? busyArea / (stations * workersPerStation * span) : NaN,
    served,
  };
}

/** Online peers, each independently with probability p. */
export function drawOnlinePeers(clients: number, onlineShare: number, random: Random): number {
  let online = 0;
  for (let i = 0; i < clients; i++) if (random.next() < onlineShare) online++;
  return online;
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

const SIMULATED_SIZES = 13;
const REFERENCE_SIZES = 90;
/** Online peers simulated in full at each size (see the routing note in the manifest). */
const SIMULATED_PEERS = 8;

/** The first N of a grid where P2P's mean response is below the server's (finite-queue formula), if any. */
export function crossoverClients(params: ServerLoadParams, grid: ReadonlyArray<number>): number | null {
  const p2p = toPeerToPeerInput(params);
  for (const n of grid) {
    const server = finiteQueue(params.workers, params.queueCapacity, n * params.requestRate, params.serviceRate);
    const peers = peerToPeerMeanResponse({ ...p2p, clients: n });
    if (peers < server.meanResponse) return n;
  }
  return null;
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

/** Chart points only where the value can be drawn (log axes take neither 0 nor ∞). */
function drawable(points: Array<readonly [number, number]>): Point[] {
  return points.filter(([, y]) => Number.isFinite(y) && y > 0);
}

interface SizeResult {
  clients: number;
  server: StationOutcome;
  peers: StationOutcome;
  onlinePeers: number;
  lookupDelay: number;
}

export const serverLoad: LabModel = {
  manifest,
  benchCases: [100, 10_000, 100_000].map((size) => ({ size, params: { ...defaults(manifest), clients: size } })),
  run(raw, context): LabResult {
    const params = raw as ServerLoadParams;
    const random = createRandom(context.seed);
    const { requestRate: lambda, workers, serviceRate: mu, queueCapacity } = params;
    const p2pBase = toPeerToPeerInput(params);
    const knee = kneeClients(workers, mu, lambda);

    // Dense grid for the formulas, with the knee itself so the lines bend where they should.
    const denseSet = new Set(logSpacedIntegers(1, params.clients, REFERENCE_SIZES));
    for (const n of [Math.floor(knee), Math.ceil(knee), Math.floor(knee * 0.99)]) {
      if (n >= 1 && n <= params.clients) denseSet.add(n);
    }
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

    // Simulation: both architectures at each of a few log-spaced sizes.
    const sizes = logSpacedIntegers(1, params.clients, SIMULATED_SIZES);
    const totalRuns = sizes.length * 2;
    let runsDone = 0;
    const reportWithin = (fraction: number): void => context.progress((runsDone + fraction) / totalRuns);
    const results: SizeResult[] = [];
    for (const n of sizes) {
      const server = simulateStations(
        { stations: 1, workersPerStation: workers, waitingRoom: queueCapacity, arrivalRate: n * lambda, serviceRate: mu, requests: params.requests, onProgress: reportWithin },
        random,
      );
      runsDone++;
      const onlinePeers = drawOnlinePeers(n, params.onlineShare, random);
      const lookupDelay = lookupHops(onlinePeers, p2pBase.lookup) * p2pBase.hopLatency;
      // Each online peer sees its own Poisson stream of rate Nλ/M, independent of the others,
      // so a few representative peers give the same statistics as all M with far more requests each.
      const simulatedPeers = Math.min(onlinePeers, SIMULATED_PEERS);
      const peers: StationOutcome =
        onlinePeers > 0
          ? simulateStations(
              {
                stations: simulatedPeers,
                workersPerStation: 1,
                waitingRoom: queueCapacity,
                arrivalRate: (simulatedPeers * n * lambda) / onlinePeers,
                serviceRate: params.peerServiceRate,
                requests: params.requests,
                onProgress: reportWithin,
              },
              random,
            )
          : { meanResponse: NaN, halfWidth: NaN, p95Response: NaN, dropRate: 1, utilisation: NaN, served: 0 };
      runsDone++;
      context.progress(runsDone / totalRuns);
      // The lookup delay shifts every arrival at a peer by the same amount, so it adds to each response.
      results.push({ clients: n, server, peers, onlinePeers, lookupDelay });
    }

    series['csMeanSim'] = drawable(results.map((r) => [r.clients, r.server.meanResponse]));
    series['csP95Sim'] = drawable(results.map((r) => [r.clients, r.server.p95Response]));
    series['csBusySim'] = drawable(results.map((r) => [r.clients, r.server.utilisation * 100]));
    series['csDropSim'] = results.map((r) => [r.clients, r.server.dropRate * 100]);
    series['p2pMeanSim'] = drawable(results.map((r) => [r.clients, r.lookupDelay + r.peers.meanResponse]));
    series['p2pP95Sim'] = drawable(results.map((r) => [r.clients, r.lookupDelay + r.peers.p95Response]));
    series['p2pBusySim'] = drawable(results.map((r) => [r.clients, r.peers.utilisation * 100]));
    series['p2pDropSim'] = results.map((r) => [r.clients, r.peers.dropRate * 100]);

    const first = results[0];
    const last = results[results.length - 1];
    if (!first || !last) throw new Error('no client counts to simulate');
    const crossover = crossoverClients(params, dense);
    const { summary, verdict } = describe({ params, knee, first, last, crossover, perPeerLoad, peerFinite });
    context.progress(1);
    return {
      series,
      summary,
      verdict,
      outputs: {
        knee,
        crossover: crossover ?? NaN,
        serverMean: last.server.meanResponse,
        serverDrops: last.server.dropRate * 100,
        // NaN when no peer is online at the largest N: no P2P response exists then.
        p2pMean: last.lookupDelay + last.peers.meanResponse,
        p2pLookup: last.lookupDelay,
      },
    };
  },
};

function serverResponseText(outcome: StationOutcome): string {
  return outcome.served > 0
    ? `answers in ${formatDuration(outcome.meanResponse)} on average (95th percentile ${formatDuration(outcome.p95Response)})`
    : 'serves none of the counted requests (all dropped)';
}

interface Findings {
  params: ServerLoadParams;
  knee: number;
  first: SizeResult;
  last: SizeResult;
  crossover: number | null;
  perPeerLoad: number;
  peerFinite: FiniteQueueFigures;
}

function describe({ params, knee, first, last, crossover, perPeerLoad, peerFinite }: Findings): { summary: string; verdict: string } {
  const n = last.clients;
  const serverMean = last.server.meanResponse;
  const p2pText =
    last.peers.served > 0
      ? `answers in ${formatDuration(last.lookupDelay + last.peers.meanResponse)} (${formatDuration(last.lookupDelay)} of it lookup)`
      : last.onlinePeers > 0 ? 'serves none of the counted requests' : 'serves nothing (no peer online)';
  const peersBusy = Number.isFinite(last.peers.utilisation) ? last.peers.utilisation : 0;
  const summary =
    `The knee is at N* = cμ/λ = ${formatSig(knee)} clients. ` +
    `At N = ${formatSig(n)}, the simulated server ${serverResponseText(last.server)}, its workers are ${formatPercent(last.server.utilisation)} busy ` +
    `and it drops ${formatPercent(last.server.dropRate)} of requests; P2P ${p2pText}, with online peers ${formatPercent(peersBusy)} busy ` +
    `and ${formatPercent(last.peers.dropRate)} dropped. At N = ${formatSig(first.clients)} the server ${serverResponseText(first.server)}.`;

  const parts: string[] = [];
  const growth = serverMean / first.server.meanResponse;
  const growthText = Number.isFinite(growth) ? ` (${formatSig(growth)}× that at N = 1)` : '';
  const capacity = `cμ = ${formatSig(params.workers * params.serviceRate)} requests/s`;
  if (n < knee) {
    const offered = (n * params.requestRate) / (params.workers * params.serviceRate);
    parts.push(
      `“Client growth does not affect performance” holds over this range, because ${formatSig(n)} clients stay below the knee N* = ${formatSig(knee)}: ` +
        `the server is ${formatPercent(offered)} loaded and its mean response is ${formatDuration(serverMean)}${growthText}. ` +
        `Raise N past ${formatSig(knee)} and “a server may become overloaded” takes over.`,
    );
  } else if (knee <= 1) {
    parts.push(
      `“Client growth does not affect performance” fails from the first client here: one client’s λ = ${formatSig(params.requestRate)} requests/s already reaches the capacity ${capacity} (N* = ${formatSig(knee)}), ` +
        `so the server is overloaded at every size and drops ${formatPercent(last.server.dropRate)} of requests at N = ${formatSig(n)}.`,
    );
  } else {
    const served = last.server.served > 0 ? `the mean response is ${formatDuration(serverMean)}${growthText}` : 'no counted request is served';
    parts.push(
      `“Client growth does not affect performance” holds only below the knee N* = cμ/λ = ${formatSig(knee)}, where total demand Nλ reaches the capacity ${capacity}. ` +
        `Above it “a server may become overloaded” is what happens: at N = ${formatSig(n)} the queue is full, ${served} ` +
        `and ${formatPercent(last.server.dropRate)} of requests are dropped. The two client-server claims are one system on either side of N*.`,
    );
  }

  const peerUtilisation = perPeerLoad / params.peerServiceRate;
  if (peerUtilisation < 1) {
    const lookupAtOne = lookupHops(params.onlineShare, params.lookup === 'index' ? 'index' : 'chord') * (params.hopLatency / 1000);
    parts.push(
      `P2P keeps up at every size: each online peer carries λ/p = ${formatSig(perPeerLoad)} requests/s (${formatPercent(peerUtilisation)} of its capacity) whatever N is, ` +
        `so “performance is likely to suffer” in a large P2P network is contradicted for the service itself; ${
          last.lookupDelay > lookupAtOne * 1.01
            ? `only the lookup grows, from ${formatDuration(lookupAtOne)} to ${formatDuration(last.lookupDelay)}, and every request pays it.`
            : `the lookup stays at ${formatDuration(last.lookupDelay)}, and every request pays it.`
        }`,
    );
  } else {
    parts.push(
      `P2P is overloaded at every size here: each online peer would have to serve λ/p = ${formatSig(perPeerLoad)} requests/s but manages μ_p = ${formatSig(params.peerServiceRate)}, ` +
        `so ${formatPercent(peerFinite.dropProbability)} of requests are dropped however many peers join. “Performance is likely to suffer” holds, but because too few peers serve (p·μ_p < λ), not because the network is large.`,
    );
  }

  const serverAtN = finiteQueue(params.workers, params.queueCapacity, n * params.requestRate, params.serviceRate);
  const serverDrops = formatPercent(serverAtN.dropProbability);
  const peerDrops = formatPercent(peerFinite.dropProbability);
  if (peerUtilisation >= 1) {
    parts.push(
      n < knee
        ? `The server is the better choice throughout this range: it drops nothing while P2P drops ${peerDrops}.`
        : `Above the knee both are overloaded: at N = ${formatSig(n)} the server drops ${serverDrops} of requests and P2P ${peerDrops}.`,
    );
  } else if (crossover === null) {
    parts.push(
      n < knee
        ? `Up to N = ${formatSig(n)} the server stays faster than P2P (by the formulas): below its knee the lookup and the slower peers cost more than the server’s queue.`
        : `On the requests it serves the server stays faster up to N = ${formatSig(n)}, because its full queue caps the wait near K/(cμ) = ${formatDuration(params.queueCapacity / (params.workers * params.serviceRate))}, less than P2P’s lookup and service; ` +
            `but above the knee it drops ${serverDrops} of requests at N = ${formatSig(n)}, while P2P drops ${peerDrops}.`,
    );
  } else if (crossover <= 1) {
    parts.push('P2P answers faster than the server from the first client, because a peer’s service plus the lookup is quicker than a server worker.');
  } else {
    parts.push(
      `P2P loses at small N, where the lookup and the slower peers cost more than an idle server, and answers faster from N ≈ ${formatSig(crossover)} (by the formulas), ` +
        `${crossover >= 0.8 * knee ? 'just below the knee where the server’s queue explodes' : 'where the server’s queueing delay already exceeds the lookup'}` +
        `${n >= knee ? `; at N = ${formatSig(n)} the server also drops ${serverDrops} of requests and P2P ${peerDrops}` : ''}.`,
    );
  }
  parts.push(
    'What decides is the server’s capacity cμ against the total demand Nλ (the knee N*); on the P2P side, whether p·μ_p exceeds λ, and the lookup cost (hops × hop latency) against the server’s delay sets where P2P starts to answer faster.',
  );
  return { summary, verdict: parts.join(' ') };
}
