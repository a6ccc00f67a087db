import { createRandom, type Random } from '../kernel/random';
import { deriveSeed, logSpacedIntegers, RunningStats, samplesPoint, sharePoint } from '../kernel/stats';
import { formatCount, formatPercent, formatSig, printedOrder } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
import { RING_SIZE, buildChordRing, chordLookup, distinctFingers } from '../kernel/chord';
// network.ts uses this module's simulation at call time only, so the import cycle is harmless.
import { lookupView } from './network';

/* ------------------------------------------------------------------ closed forms */

// The ring itself lives in the kernel, shared with the security and server-load labs.
export { ID_BITS, buildChordRing, successorIndex, fingerIndex, distinctFingers, chordLookup, type ChordLookup } from '../kernel/chord';

/** Stoica et al.: a Chord lookup takes about (1/2) log2 N hops. */
export function chordHopsReference(peers: number): number {
  return 0.5 * Math.log2(peers);
}

/** Chord keeps about log2 N distinct fingers per node. */
export function chordStateReference(peers: number): number {
  return Math.log2(peers);
}

/**
 * Most messages a flood can send with the given TTL on an overlay of degree at most d:
 * the origin sends d, and each node first reached at hop h < TTL sends at most d − 1,
 * with at most d(d − 1)^(h − 1) such nodes, so the total is Σ_{h=1}^{TTL} d(d − 1)^(h − 1).
 */
export function floodMessageBound(degree: number, ttl: number): number {
  let total = 0;
  let layer = degree;
  for (let hop = 1; hop <= ttl; hop++) {
    total += layer;
    layer *= degree - 1;
  }
  return total;
}

/** Most peers a flood can reach, the origin included: 1 + the message bound (a tree has no duplicates). */
export function floodReachBound(degree: number, ttl: number): number {
  return 1 + floodMessageBound(degree, ttl);
}

/**
 * Probability that none of `copies` distinct peers, placed uniformly at random among
 * `peers`, is among the `reached` peers (hypergeometric, exact).
 */
export function missProbability(peers: number, reached: number, copies: number): number {
  const held = Math.min(copies, peers);
  let miss = 1;
  for (let i = 0; i < held; i++) {
    const outside = peers - reached - i;
    if (outside <= 0) return 0;
    miss *= outside / (peers - i);
  }
  return miss;
}

/** Upper bound on flood success: the flood reaches at most min(N, tree reach) peers. */
export function floodSuccessBound(peers: number, degree: number, ttl: number, copies: number): number {
  return 1 - missProbability(peers, Math.min(peers, floodReachBound(degree, ttl)), copies);
}

/** Queries per second arriving at a central index: every peer sends its lookups there. */
export function centralIndexLoad(peers: number, queryRate: number): number {
  return peers * queryRate;
}

/** The number of peers at which the index's load reaches its capacity. */
export function centralSaturationPeers(indexCapacity: number, queryRate: number): number {
  return indexCapacity / queryRate;
}

export interface ChordStats {
  meanHops: number;
  hopsStandardError: number;
  meanFingers: number;
  /** Hops per lookup, for the mean's confidence interval. */
  hops: RunningStats;
  /** Distinct fingers of the sampled nodes. */
  fingers: RunningStats;
}

/** Builds a ring of `peers` nodes and runs `lookups` lookups from random nodes for random keys. */
export function simulateChord(peers: number, lookups: number, random: Random, stateSample = 200): ChordStats {
  const ids = buildChordRing(peers, random);
  const hops = new RunningStats();
  for (let i = 0; i < lookups; i++) {
    const key = Math.floor(random.next() * RING_SIZE);
    hops.add(chordLookup(ids, random.int(peers), key).hops);
  }
  const fingers = new RunningStats();
  for (let i = 0; i < Math.min(stateSample, peers); i++) fingers.add(distinctFingers(ids, random.int(peers)));
  return { meanHops: hops.mean, hopsStandardError: hops.standardError, meanFingers: fingers.mean, hops, fingers };
}

/* ------------------------------------------------------------------ unstructured overlay */

/**
 * An undirected overlay with bounded degree, stored flat: the neighbours of node i are
 * neighbors[i * maxDegree .. i * maxDegree + degree[i]).
 */
export interface Overlay {
  nodes: number;
  maxDegree: number;
  degree: Int32Array;
  neighbors: Int32Array;
}

function addEdge(overlay: Overlay, u: number, v: number): boolean {
  if (u === v) return false;
  const { maxDegree, degree, neighbors } = overlay;
  const du = degree[u] as number;
  const dv = degree[v] as number;
  if (du >= maxDegree || dv >= maxDegree) return false;
  for (let k = 0; k < du; k++) if (neighbors[u * maxDegree + k] === v) return false;
  neighbors[u * maxDegree + du] = v;
  neighbors[v * maxDegree + dv] = u;
  degree[u] = du + 1;
  degree[v] = dv + 1;
  return true;
}

function emptyOverlay(nodes: number, maxDegree: number): Overlay {
  return { nodes, maxDegree, degree: new Int32Array(nodes), neighbors: new Int32Array(nodes * maxDegree) };
}

/** An overlay from an explicit edge list (for hand-checked graphs). */
export function overlayFromEdges(nodes: number, edges: ReadonlyArray<readonly [number, number]>): Overlay {
  const count = new Int32Array(nodes);
  for (const [u, v] of edges) {
    count[u] = (count[u] as number) + 1;
    count[v] = (count[v] as number) + 1;
  }
  const overlay = emptyOverlay(nodes, Math.max(1, ...count));
  for (const [u, v] of edges) addEdge(overlay, u, v);
  return overlay;
}

/**
 * Random d-regular overlay by the configuration model: every node gets d stubs, the
 * stubs are shuffled and paired. Self-loops and repeated pairs are dropped, so a few
 * nodes end with degree d − 1 or d − 2 and no node exceeds d (what the bound needs).
 */
export function randomRegularOverlay(nodes: number, degree: number, random: Random): Overlay {
  const stubs = new Int32Array(nodes * degree);
  for (let i = 0; i < stubs.length; i++) stubs[i] = Math.floor(i / degree);
  for (let i = stubs.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const held = stubs[i] as number;
    stubs[i] = stubs[j] as number;
    stubs[j] = held;
  }
  const overlay = emptyOverlay(nodes, degree);
  for (let i = 0; i + 1 < stubs.length; i += 2) addEdge(overlay, stubs[i] as number, stubs[i + 1] as number);
  return overlay;
}

export interface FloodOutcome {
  /** Messages sent with the given TTL, duplicates included. */
  messages: number;
  /** Peers holding the query with the given TTL, the origin included. */
  reached: number;
  /** Hops from the origin to the nearest copy (0 if the origin has it), or -1 if none was found. */
  nearestCopy: number;
  /** Messages a flood would send with TTL = nearestCopy (the smallest TTL that finds the item); NaN if not found. */
  messagesToFind: number;
}

/**
 * Sees a flood as it runs, for the network view; the charts' floods pass none, so it
 * costs them one null check per message.
 */
export interface FloodObserver {
  /** At hop `hop` (from 1), `from` sends the query to `to`; `fresh` when `to` receives it for the first time (else it is a dropped duplicate). */
  message(hop: number, from: number, to: number, fresh: boolean): void;
}

/**
 * Flooding in the manner of Gnutella 0.4: the origin sends the query to all its
 * neighbours; a peer that receives it for the first time, with TTL left, passes it to all
 * its neighbours but the sender; duplicates are counted and dropped. Scratch arrays are
 * stamped rather than cleared, so one search object serves thousands of queries.
 */
export class FloodSearch {
  private readonly visited: Int32Array;
  private readonly parent: Int32Array;
  private readonly queue: Int32Array;
  private readonly copyMark: Int32Array;
  private visitStamp = 0;
  private copyStamp = 0;

  constructor(private readonly overlay: Overlay) {
    this.visited = new Int32Array(overlay.nodes);
    this.parent = new Int32Array(overlay.nodes);
    this.queue = new Int32Array(overlay.nodes);
    this.copyMark = new Int32Array(overlay.nodes);
  }

  /** Puts the item on `copies` distinct random peers (all of them if copies ≥ N). */
  placeCopies(copies: number, random: Random): void {
    const stamp = ++this.copyStamp;
    const nodes = this.overlay.nodes;
    if (copies >= nodes) {
      this.copyMark.fill(stamp);
      return;
    }
    for (let placed = 0; placed < copies; ) {
      const node = random.int(nodes);
      if (this.copyMark[node] !== stamp) {
        this.copyMark[node] = stamp;
        placed++;
      }
    }
  }

  /** Places copies on exactly these peers (for hand-checked cases). */
  placeCopiesOn(nodes: ReadonlyArray<number>): void {
    const stamp = ++this.copyStamp;
    for (const node of nodes) this.copyMark[node] = stamp;
  }

  /** Whether `node` holds a copy of the item placed last. */
  holds(node: number): boolean {
    return this.copyMark[node] === this.copyStamp;
  }

  /**
   * Floods from `origin` with the given TTL. With `searchBeyond`, keeps expanding hop by
   * hop past the TTL until a copy is found, to learn the TTL this query would have needed.
   * An `observer` is told every message as it is sent.
   */
  flood(origin: number, ttl: number, searchBeyond = false, observer?: FloodObserver): FloodOutcome {
    const { maxDegree, degree, neighbors } = this.overlay;
    const { visited, parent, queue, copyMark } = this;
    const stamp = ++this.visitStamp;
    const copy = this.copyStamp;
    visited[origin] = stamp;
    parent[origin] = -1;
    queue[0] = origin;
    let head = 0;
    let tail = 1;
    let hop = 0;
    let messages = 0;
    let messagesAtTtl = 0;
    let reachedAtTtl = 1;
    let nearestCopy = copyMark[origin] === copy ? 0 : -1;
    let messagesToFind = nearestCopy === 0 ? 0 : NaN;
    for (;;) {
      if (hop === ttl) {
        messagesAtTtl = messages;
        reachedAtTtl = tail;
      }
      const finished = hop >= ttl && (!searchBeyond || nearestCopy >= 0);
      if (finished || head === tail) break;
      // Forward every peer of this hop; peers found now belong to the next hop.
      const hopEnd = tail;
      for (; head < hopEnd; head++) {
        const node = queue[head] as number;
        const from = parent[node] as number;
        const base = node * maxDegree;
        const end = base + (degree[node] as number);
        for (let k = base; k < end; k++) {
          const next = neighbors[k] as number;
          if (next === from) continue;
          messages++;
          if (observer) observer.message(hop + 1, node, next, visited[next] !== stamp);
          if (visited[next] === stamp) continue;
          visited[next] = stamp;
          parent[next] = node;
          queue[tail++] = next;
          if (nearestCopy < 0 && copyMark[next] === copy) nearestCopy = hop + 1;
        }
      }
      hop++;
      if (nearestCopy === hop) messagesToFind = messages;
    }
    // The flood died out before its TTL ran out: it sent and reached all it ever will.
    if (hop < ttl) {
      messagesAtTtl = messages;
      reachedAtTtl = tail;
    }
    return { messages: messagesAtTtl, reached: reachedAtTtl, nearestCopy, messagesToFind };
  }
}

export interface FloodStats {
  queries: number;
  /** Queries that found a copy within the TTL. */
  successes: number;
  /** Per query, for confidence intervals. */
  messages: RunningStats;
  hopsWhenFound: RunningStats;
  messagesToFind: RunningStats;
  /** foundWithin[t] = queries whose nearest copy is at most t hops away. */
  foundWithin: number[];
  meanDegree: number;
  meanMessages: number;
  meanReached: number;
  success: number;
  /** Mean hops to the nearest copy, over queries that found it within the TTL. */
  meanHopsWhenFound: number;
  /** Mean messages with the smallest TTL that finds the item, per query. */
  meanMessagesToFind: number;
  /** successByTtl[t] = share of queries whose nearest copy is at most t hops away. */
  successByTtl: number[];
}

export interface FloodConfig {
  peers: number;
  degree: number;
  ttl: number;
  copies: number;
  queries: number;
  /** TTLs up to which successByTtl is reported. */
  maxTtl: number;
  /**
   * Keep flooding past the TTL until a copy is found (default true), for successByTtl
   * beyond the TTL and meanMessagesToFind; without it both only count finds within the TTL.
   */
  searchBeyond?: boolean;
}

/** Builds a random overlay and floods `queries` queries, each for an item with fresh random copies. */
export function simulateFlooding(config: FloodConfig, random: Random): FloodStats {
  const { peers, degree, ttl, copies, queries, maxTtl, searchBeyond = true } = config;
  const overlay = randomRegularOverlay(peers, degree, random);
  const search = new FloodSearch(overlay);
  const messages = new RunningStats();
  const reached = new RunningStats();
  const hopsWhenFound = new RunningStats();
  const toFind = new RunningStats();
  const foundWithin = new Float64Array(maxTtl + 1);
  let successes = 0;
  for (let q = 0; q < queries; q++) {
    search.placeCopies(copies, random);
    const outcome = search.flood(random.int(peers), ttl, searchBeyond);
    messages.add(outcome.messages);
    reached.add(outcome.reached);
    if (outcome.nearestCopy >= 0) {
      toFind.add(outcome.messagesToFind);
      for (let t = outcome.nearestCopy; t <= maxTtl; t++) foundWithin[t] = (foundWithin[t] as number) + 1;
      if (outcome.nearestCopy <= ttl) {
        successes++;
        hopsWhenFound.add(outcome.nearestCopy);
      }
    }
  }
  let degreeSum = 0;
  for (let i = 0; i < peers; i++) degreeSum += overlay.degree[i] as number;
  return {
    queries,
    successes,
    messages,
    hopsWhenFound,
    messagesToFind: toFind,
    foundWithin: Array.from(foundWithin),
    meanDegree: degreeSum / peers,
    meanMessages: messages.mean,
    meanReached: reached.mean,
    success: successes / queries,
    meanHopsWhenFound: hopsWhenFound.mean,
    meanMessagesToFind: toFind.mean,
    successByTtl: Array.from(foundWithin, (found) => found / queries),
  };
}

/**
 * Flood queries for one N: as many as the lookups asked for, but no more than a work
 * budget allows, since each query beyond the TTL explores about N/r peers; never fewer
 * than a floor of 50: floods that costly reach most of the overlay, so their outcome hardly varies.
 */
export function floodQueryCount(peers: number, degree: number, ttl: number, copies: number, lookups: number): number {
  const budget = 25e6;
  const floor = 50;
  const untilFound = (degree * (degree - 1) * peers) / (Math.min(copies, peers) + 1);
  const perQuery = Math.min(peers * degree, Math.max(floodMessageBound(degree, ttl), untilFound));
  return Math.max(Math.min(lookups, floor), Math.min(lookups, Math.floor(budget / perQuery)));
}

/* ------------------------------------------------------------------ the lab */

export type LookupParams = {
  peers: number;
  lookups: number;
  degree: number;
  ttl: number;
  copies: number;
  queryRate: number;
  indexCapacity: number;
};

const SMALLEST_N = 16;
const N_POINTS = 13;
/** Points of the dense formula curves against N (the simulated sizes are merged in). */
const DENSE_POINTS = 60;
/** The TTL axis of the success chart: the TTL parameter's maximum. */
const MAX_TTL = 10;

/** A simulated mean of many lookups, with its 95% normal interval; counts cannot be negative. */
function statsPoint(x: number, stats: RunningStats, scale = 1): Point {
  return samplesPoint(x, stats, { min: 0 }, scale);
}


/** The numbers the verdict's flooding sentence is written from. */
export interface FloodVerdictNumbers {
  peers: number;
  ttl: number;
  success: number;
  meanReached: number;
  peersPerCopy: number;
  meanMessages: number;
  meanMessagesToFind: number;
  /** "grows 57× from N = ...", already worded. */
  growthText: string;
  /** False when no smaller size needed any message to find the item, so there is no growth to measure. */
  growthKnown: boolean;
}

/**
 * The verdict on flooding. Whether the flood reaches fewer or more peers than there are
 * peers per copy, and whether it finds the item often, are each decided on the numbers as
 * printed, so the words and the numbers never disagree.
 */
export function floodVerdict(numbers: FloodVerdictNumbers): string {
  const { peers, ttl, success, meanReached, peersPerCopy, meanMessages, meanMessagesToFind, growthText, growthKnown } = numbers;
  const reached = formatSig(meanReached);
  const perCopy = formatSig(peersPerCopy);
  const found = formatPercent(success);
  const order = printedOrder(reached, perCopy);
  const comparison = order < 0 ? 'fewer than' : order > 0 ? 'more than' : 'as many as';
  const reach = `a TTL-${ttl} flood reaches ${reached} peers, ${comparison} the N/r = ${perCopy} peers per copy`;
  if (printedOrder(found, '90%') < 0) {
    const finds =
      order < 0
        ? `so it finds the item in only ${found} of lookups`
        : `yet it finds the item in only ${found} of lookups, since the r copies are placed at random and all of them can lie outside the peers reached`;
    return (
      `“P2P is less scalable” holds for flooding: at N = ${formatCount(peers)} ${reach}, ${finds}; ` +
      `a flood large enough to find it sends ${formatSig(meanMessagesToFind)} messages, and that cost ${growthText}.`
    );
  }
  const still = `Flooding still finds the item at N = ${formatCount(peers)} (${found} of lookups, ${formatSig(meanMessages)} messages each) ${order >= 0 ? 'because' : 'although'} ${reach}`;
  if (!growthKnown) {
    return `${still}; whether “P2P is less scalable” holds for it cannot be told here, as the item is on every peer at the smaller sizes, so there is no growth in cost to measure.`;
  }
  return `${still}; but “P2P is less scalable” still holds for it, as the cost of a flood that finds the item ${growthText} unless the number of copies grows with N.`;
}

/** The verdict on the central index: above, at or within its capacity, as printed. */
export function centralVerdict(load: number, indexCapacity: number, saturation: number): string {
  const loadText = formatSig(load);
  const capacityText = formatCount(indexCapacity);
  const order = printedOrder(loadText, capacityText);
  if (order > 0) {
    return `The central index answers in one hop, but its one machine must handle N·λ = ${loadText} lookups/s, above its capacity of ${capacityText}, from N = ${formatCount(saturation)} on.`;
  }
  if (order === 0) {
    return `The central index answers in one hop, and its one machine handles N·λ = ${loadText} lookups/s, exactly its capacity of ${capacityText}: one more peer overloads it.`;
  }
  return `The central index answers in one hop, and N·λ = ${loadText} lookups/s is within its capacity of ${capacityText}; its load grows in proportion to N and reaches capacity at N = ${formatCount(saturation)}.`;
}

export const lookup: LabModel = {
  manifest,
  benchCases: [1_000, 10_000, 100_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  run(raw, context): LabResult {
    const params = raw as LookupParams;
    const { degree, ttl, copies, queryRate, indexCapacity, lookups } = params;
    const sizes = logSpacedIntegers(Math.min(SMALLEST_N, params.peers), params.peers, N_POINTS);
    const dense = [...new Set([...logSpacedIntegers(Math.min(SMALLEST_N, params.peers), params.peers, DENSE_POINTS), ...sizes])].sort((a, b) => a - b);
    const bound = floodMessageBound(degree, ttl);

    const series: Record<string, Point[]> = {
      chordHops: [], chordHopsRef: [], centralHops: [], floodHops: [],
      floodMessages: [], floodBound: [], floodToFind: [], chordMessages: [], centralMessages: [],
      floodSuccess: [], floodSuccessRef: [], alwaysFound: [],
      floodSuccessByTtl: [], floodSuccessByTtlRef: [],
      chordState: [], chordStateRef: [], centralState: [], floodState: [],
      centralLoad: [], indexCapacityLine: [], chordLoad: [], floodLoad: [],
    };
    const add = (key: string, point: Point): void => {
      if (point.every(Number.isFinite)) series[key]?.push(point);
    };
    const addStats = (key: string, x: number, stats: RunningStats, scale = 1): void => {
      if (stats.count > 0) add(key, statsPoint(x, stats, scale));
    };

    // The formulas, on a dense grid that holds every simulated size.
    for (const n of dense) {
      add('chordHopsRef', [n, chordHopsReference(n)]);
      add('centralHops', [n, 1]);
      add('floodBound', [n, bound]);
      add('centralMessages', [n, 1]);
      add('floodSuccessRef', [n, floodSuccessBound(n, degree, ttl, copies) * 100]);
      add('alwaysFound', [n, 100]);
      add('chordStateRef', [n, chordStateReference(n)]);
      add('centralState', [n, n]);
      add('centralLoad', [n, centralIndexLoad(n, queryRate)]);
      add('indexCapacityLine', [n, indexCapacity]);
    }

    type SizeResult = { n: number; chord: ChordStats; flood: FloodStats };
    const results: SizeResult[] = [];
    const totalWork = sizes.reduce((sum, n) => sum + n, 0);
    let doneWork = 0;
    for (const [index, n] of sizes.entries()) {
      // Each size has its own seeds, so a point does not depend on the others.
      const chord = simulateChord(n, lookups, createRandom(deriveSeed(context.seed, index, 1)));
      const queries = floodQueryCount(n, degree, ttl, copies, lookups);
      const flood = simulateFlooding({ peers: n, degree, ttl, copies, queries, maxTtl: MAX_TTL }, createRandom(deriveSeed(context.seed, index, 2)));
      results.push({ n, chord, flood });
      doneWork += n;
      context.progress(doneWork / totalWork);

      addStats('chordHops', n, chord.hops);
      addStats('floodHops', n, flood.hopsWhenFound);
      addStats('floodMessages', n, flood.messages);
      addStats('floodToFind', n, flood.messagesToFind);
      addStats('chordMessages', n, chord.hops);
      add('floodSuccess', sharePoint(n, flood.successes, flood.queries));
      addStats('chordState', n, chord.fingers);
      add('floodState', [n, flood.meanDegree]);
      // N peers make N·λ lookups/s, whose messages are spread over the same N peers.
      addStats('chordLoad', n, chord.hops, queryRate);
      addStats('floodLoad', n, flood.messages, queryRate);
    }
    const last = results[results.length - 1];
    if (!last) throw new Error('no network size to simulate');
    // Growth is measured from a size where the r copies are still rare (N ≥ 10r) and at
    // most two decades below N, so the smallest sizes, where copies cover most peers, do not
    // skew it; only sizes where finding the item took messages at all can be the base.
    const baseTarget = Math.max(last.n / 100, Math.min(10 * copies, last.n / 10));
    const candidates = results.filter((r) => r.n < last.n && r.flood.meanMessagesToFind > 0);
    const base = candidates.length > 0
      ? candidates.reduce((best, r) => (Math.abs(Math.log(r.n / baseTarget)) < Math.abs(Math.log(best.n / baseTarget)) ? r : best))
      : last;

    for (let t = 1; t <= MAX_TTL; t++) {
      add('floodSuccessByTtl', sharePoint(t, last.flood.foundWithin[t] as number, last.flood.queries));
      add('floodSuccessByTtlRef', [t, floodSuccessBound(last.n, degree, t, copies) * 100]);
    }
    context.progress(1);

    const { n, chord, flood } = last;
    const saturation = centralSaturationPeers(indexCapacity, queryRate);
    const load = centralIndexLoad(n, queryRate);
    const growth = n / base.n;
    const toFindGrowth = flood.meanMessagesToFind / base.flood.meanMessagesToFind;
    const growthKnown = growth > 1 && Number.isFinite(toFindGrowth) && toFindGrowth > 0;
    const exponent = growthKnown ? Math.log(toFindGrowth) / Math.log(growth) : NaN;
    const growthFactor = formatSig(toFindGrowth);
    const growthText = growthKnown
      ? `${printedOrder(growthFactor, '1') > 0 ? 'grows' : 'changes'} ${growthFactor}× from N = ${formatCount(base.n)} to ${formatCount(n)} (${formatSig(growth)}× more peers, a growth like N^${formatSig(exponent, 2)})`
      : `cannot be measured here, as the item is on every peer at the smaller sizes`;
    const peersPerCopy = n / Math.min(copies, n);
    const baseHops = formatSig(base.chord.meanHops);
    const lastHops = formatSig(chord.meanHops);
    const hopsOrder = printedOrder(lastHops, baseHops);
    const chordGrowth =
      base === last
        ? `Chord's hops are ${lastHops}.`
        : hopsOrder > 0
          ? `Chord's hops grow from ${baseHops} to ${lastHops}.`
          : hopsOrder === 0
            ? `Chord's hops stay at ${lastHops}.`
            : `Chord's hops go from ${baseHops} to ${lastHops}.`;

    const summary =
      `At N = ${formatCount(n)} peers, a Chord lookup takes ${lastHops} hops on average ` +
      `((1/2) log2 N = ${formatSig(chordHopsReference(n))}) and each node keeps ${formatSig(chord.meanFingers)} distinct fingers (log2 N = ${formatSig(chordStateReference(n))}); ` +
      `a flood with TTL ${ttl} on a degree-${degree} overlay sends ${formatSig(flood.meanMessages)} messages (bound ${formatSig(bound)}), ` +
      `reaches ${formatSig(flood.meanReached)} peers and finds an item held by ${Math.min(copies, n)} peers in ${formatPercent(flood.success)} of ${flood.queries} lookups; ` +
      `the central index answers in 1 hop but receives N·λ = ${formatSig(load)} lookups/s and keeps ${formatCount(n)} entries. ` +
      `The cost of a flood that finds the item ${growthText}. ${chordGrowth}`;

    const floodSentence = floodVerdict({
      peers: n,
      ttl,
      success: flood.success,
      meanReached: flood.meanReached,
      peersPerCopy,
      meanMessages: flood.meanMessages,
      meanMessagesToFind: flood.meanMessagesToFind,
      growthText,
      growthKnown,
    });
    const chordSentence =
      `The claim fails for a DHT: Chord finds every item in ${lastHops} hops with ${formatSig(chord.meanFingers)} fingers per node at N = ${formatCount(n)}, ` +
      `both growing as log N` + (base === last ? '.' : ` (${baseHops} hops at N = ${formatCount(base.n)}).`);
    const centralSentence = centralVerdict(load, indexCapacity, saturation);
    const decides =
      `What decides is how items are found, not peer-to-peer as such: a flood pays for every peer it must reach, about N/r of them ` +
      `(so copies r against the reach set by TTL and degree d), a DHT pays log N, and the index pays N·λ on one machine. ` +
      `Stability as peers come and go is the churn lab's subject.`;

    return {
      series,
      network: lookupView(params, context.seed).trace,
      summary,
      verdict: [floodSentence, chordSentence, centralSentence, decides].join(' '),
      outputs: {
        floodSuccess: (100 * flood.successes) / flood.queries,
        floodMessagesToFind: flood.meanMessagesToFind,
        floodCostGrowth: growthKnown ? toFindGrowth : NaN,
        chordHops: chord.meanHops,
        indexLoad: load,
        indexSaturation: saturation,
      },
    };
  },
};
