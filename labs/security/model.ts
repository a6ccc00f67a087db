import { createRandom, type Random } from '../kernel/random';
import { RunningStats, linearSpaced, logSpaced, logSpacedIntegers, samplesPoint, sharePoint } from '../kernel/stats';
import { formatCount, formatSig, plural, printedOrder } from '../kernel/format';
import { defineSweepLab, type LabModel, type LabResult, type Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { RING_SIZE, buildChordRing } from '../kernel/chord';
import { ROUTE_CAPACITY, buildSortedRing, chordRoute } from '../kernel/chord-routing';
import { manifest } from './manifest';
import { securityView } from './network';

// ---------------------------------------------------------------------------
// Closed forms (the dashed reference lines)
// ---------------------------------------------------------------------------

/**
 * Nodes a Chord lookup must trust in a ring of n nodes, by the reference formula: about
 * (1/2) log2 n forwards (Stoica et al. 2001) plus the key's owner, which gives the answer.
 */
export function chordTrustedNodes(nodes: number): number {
  return nodes <= 1 ? 0 : 0.5 * Math.log2(nodes) + 1;
}

/** Chance that one route through h nodes meets no malicious node, each malicious with chance f: (1 - f)^h. */
export function singleRouteSuccess(fraction: number, hops: number): number {
  return Math.pow(1 - fraction, hops);
}

/**
 * Chance that at least one of r routes meets no malicious node, if the routes were
 * independent (Castro et al. 2002 use this as the success of redundant routing):
 * 1 - (1 - (1 - f)^h)^r. On a real ring routes share their last nodes, so this is optimistic.
 */
export function multiRouteSuccess(fraction: number, hops: number, routes: number): number {
  return 1 - Math.pow(1 - singleRouteSuccess(fraction, hops), routes);
}

/** Identities a budget buys. The tiny relative slack keeps 0.3 / 0.1 from flooring to 2. */
export function sybilCount(budget: number, costPerIdentity: number): number {
  if (costPerIdentity <= 0) throw new RangeError('an identity must cost something');
  return Math.floor((budget / costPerIdentity) * (1 + 1e-12));
}

/** Malicious share when S bought identities join N honest peers: S / (N + S) (Douceur 2002). */
export function sybilFraction(budget: number, costPerIdentity: number, honestPeers: number): number {
  const sybils = sybilCount(budget, costPerIdentity);
  const total = honestPeers + sybils;
  return total > 0 ? sybils / total : 0;
}

/** Chance that at least one of m chunks, each from a random peer, is forged: 1 - (1 - f)^m. */
export function pollutionProbability(fraction: number, chunks: number): number {
  return 1 - Math.pow(1 - fraction, chunks);
}

/** Mean chunks fetched again per download when every forged chunk is caught and re-fetched: m f / (1 - f) (geometric retries). */
export function expectedRefetches(fraction: number, chunks: number): number {
  if (fraction >= 1) return Infinity;
  return (chunks * fraction) / (1 - fraction);
}

/** Per-client unauthorised-access chance a year, after the server's checks (if any). */
export function effectiveUnauthorizedAccess(unchecked: number, checksOn: boolean, blockRate: number): number {
  return checksOn ? unchecked * (1 - blockRate) : unchecked;
}

/** Chance a client's data is exposed in a year: the server is breached, or else the client is reached one by one. */
export function clientExposure(serverCompromise: number, unauthorizedAccess: number): number {
  return serverCompromise + (1 - serverCompromise) * unauthorizedAccess;
}

// ---------------------------------------------------------------------------
// Lookups routed over a real Chord ring with malicious nodes on it
// ---------------------------------------------------------------------------

export interface RingLookupConfig {
  /** Nodes on the ring, honest and malicious. */
  nodes: number;
  /**
   * The most malicious nodes the results will be read at. Nodes get a random rank (a
   * random permutation); a node is malicious at level M when its rank is below M. Queriers
   * and their helpers are drawn from the nodes honest at every level up to this one.
   */
  maxMalicious: number;
  /** Routes per lookup r: one from the querier, r - 1 from other honest nodes. */
  routes: number;
  lookups: number;
  /**
   * Independent rings the lookups are spread over (default 1), each with its own ids and
   * attacker. On a small ring where the attacker's few nodes sit decides much of the
   * outcome (one malicious node of 10 fails 5% or 50% of lookups, by its place), so one
   * ring would be one draw of that luck; many rings average it out.
   */
  rings?: number;
}

export interface RingLookups {
  lookups: number;
  nodes: number;
  /** Routes each lookup really had: r, or fewer when fewer honest nodes exist. */
  routesUsed: number;
  /**
   * Per lookup, the lowest rank among the nodes the querier's own route depends on
   * (nodes if none): the route survives at level M exactly when this is ≥ M.
   */
  firstRouteMinRank: Int32Array;
  /** Per lookup, the best of the routes' lowest ranks: the lookup succeeds at level M when this is ≥ M. */
  bestRouteMinRank: Int32Array;
  /** Nodes the querier's own route depends on after the querier (forwards and owner): the measured h. */
  trustedPerRoute: RunningStats;
  /** Nodes every route of a lookup depends on (at least the owner, usually its predecessor too). */
  sharedPerLookup: RunningStats;
}

/**
 * Watches `simulateRingLookups` as it runs, for the network view: it is told the ring once
 * built and every route once walked. It only reads; the simulation draws the same numbers
 * with or without it.
 */
export interface RingLookupObserver {
  /** The ring's sorted ids and each node's rank (malicious at level M when its rank is below M). */
  ring(ids: Uint32Array, rank: Int32Array): void;
  /** Route `route` of lookup `lookup`: its start and the nodes it depends on after it, path[0..length) (a reused buffer: copy it). */
  route(lookup: number, route: number, start: number, key: number, path: Int32Array, length: number): void;
}

/** Rings smaller than this are built with a typed-array sort (kernel chord.ts); larger ones in linear time. */
const SMALL_RING = 50_000;

/**
 * Builds a Chord ring (random sorted ids; `rings` of them, one after another) and routes real lookups over it. Each lookup
 * picks a random key and a random honest querier, which sends it on r routes in the
 * manner of Castro et al. (2002, redundant routing): its own greedy Chord route and r - 1
 * more, each started by a different honest node the querier knows, so the routes begin
 * far apart on the ring. A route fails when any node it depends on after its start is
 * malicious: a node it is forwarded to, or the key's owner (a malicious node drops the
 * lookup or answers for the owner). Which nodes are malicious is a level M read off
 * afterwards, so one set of lookups gives the whole curve against f.
 */
export function simulateRingLookups(config: RingLookupConfig, random: Random, observer?: RingLookupObserver): RingLookups {
  const { nodes, maxMalicious, routes, lookups } = config;
  const rings = Math.max(1, Math.min(lookups, Math.floor(config.rings ?? 1)));
  if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`nodes must be a positive integer, got ${nodes}`);
  if (!Number.isInteger(maxMalicious) || maxMalicious < 0 || maxMalicious >= nodes) {
    throw new RangeError(`maxMalicious must leave at least one honest node: 0 to ${nodes - 1}, got ${maxMalicious}`);
  }
  let ids: Uint32Array = new Uint32Array(0);
  const byRank = new Int32Array(nodes);
  const rank = new Int32Array(nodes);
  let ring = -1;
  const buildRing = (): void => {
    // A typed-array sort is quick for small rings; the linear-time build pays off on large ones.
    ids = nodes < SMALL_RING ? buildChordRing(nodes, random) : buildSortedRing(nodes, random);
    // Ids are random, so marking random nodes is placing the attacker at random ring positions.
    for (let i = 0; i < nodes; i++) byRank[i] = i;
    if (nodes < SMALL_RING) {
      // A full Fisher–Yates shuffle: every node's rank is random.
      for (let i = nodes - 1; i > 0; i--) {
        const j = random.int(i + 1);
        const held = byRank[i] as number;
        byRank[i] = byRank[j] as number;
        byRank[j] = held;
      }
    } else {
      // On a large ring only the ranks below maxMalicious are ever read as a level (ranks at or
      // above it are honest at every level, and queriers are drawn uniformly among them), so a
      // partial Fisher–Yates draws just those: a uniformly random attacker in a random order.
      for (let i = 0; i < maxMalicious; i++) {
        const j = i + random.int(nodes - i);
        const held = byRank[i] as number;
        byRank[i] = byRank[j] as number;
        byRank[j] = held;
      }
    }
    for (let r = 0; r < nodes; r++) rank[byRank[r] as number] = r;
    observer?.ring(ids, rank);
  };

  const honestPool = nodes - maxMalicious;
  const routesUsed = Math.max(1, Math.min(routes, honestPool));
  const firstRouteMinRank = new Int32Array(lookups);
  const bestRouteMinRank = new Int32Array(lookups);
  const trustedPerRoute = new RunningStats();
  const sharedPerLookup = new RunningStats();
  const path = new Int32Array(ROUTE_CAPACITY);
  const firstPath = new Int32Array(ROUTE_CAPACITY);
  // hits[node] counts the routes of the current lookup through node; stamped, not cleared.
  const hits = new Int32Array(nodes);
  const hitStamp = new Int32Array(nodes).fill(-1);
  const starts = new Int32Array(routesUsed);

  for (let lookup = 0; lookup < lookups; lookup++) {
    // Lookups are dealt to the rings in equal runs, each ring built when its run starts.
    const lookupRing = Math.floor((lookup * rings) / lookups);
    if (lookupRing !== ring) {
      ring = lookupRing;
      buildRing();
    }
    const key = Math.floor(random.next() * RING_SIZE);
    // Distinct honest starting nodes, the querier first (rejection: routesUsed ≤ honestPool).
    for (let s = 0; s < routesUsed; s++) {
      let candidate: number;
      let repeated: boolean;
      do {
        candidate = byRank[maxMalicious + random.int(honestPool)] as number;
        repeated = false;
        for (let t = 0; t < s; t++) if (starts[t] === candidate) repeated = true;
      } while (repeated);
      starts[s] = candidate;
    }
    let best = -1;
    let firstLength = 0;
    for (let s = 0; s < routesUsed; s++) {
      const length = chordRoute(ids, starts[s] as number, key, path);
      observer?.route(lookup, s, starts[s] as number, key, path, length);
      const minRank = routeMinRank(rank, path, length);
      for (let k = 0; k < length; k++) {
        const node = path[k] as number;
        if (hitStamp[node] !== lookup) {
          hitStamp[node] = lookup;
          hits[node] = 0;
        }
        hits[node] = (hits[node] as number) + 1;
      }
      if (s === 0) {
        firstRouteMinRank[lookup] = minRank;
        trustedPerRoute.add(length);
        firstPath.set(path.subarray(0, length));
        firstLength = length;
      }
      if (minRank > best) best = minRank;
    }
    bestRouteMinRank[lookup] = best;
    if (routesUsed > 1) {
      let shared = 0;
      for (let k = 0; k < firstLength; k++) if (hits[firstPath[k] as number] === routesUsed) shared++;
      sharedPerLookup.add(shared);
    }
  }
  return { lookups, nodes, routesUsed, firstRouteMinRank, bestRouteMinRank, trustedPerRoute, sharedPerLookup };
}

/**
 * The lowest rank among the `length` nodes of a route (rank.length if it has none): the
 * route meets no malicious node at level M, where ranks below M are the attacker's,
 * exactly when this is ≥ M. This is the whole failure rule: forwards and owner alike.
 */
export function routeMinRank(rank: Int32Array, path: Int32Array, length: number): number {
  let minRank = rank.length;
  for (let k = 0; k < length; k++) {
    const nodeRank = rank[path[k] as number] as number;
    if (nodeRank < minRank) minRank = nodeRank;
  }
  return minRank;
}

/** Lookups whose route(s) all avoided malicious nodes when the `malicious` lowest-ranked nodes are the attacker's. */
export function successesAt(minRanks: Int32Array, malicious: number): number {
  let successes = 0;
  for (let i = 0; i < minRanks.length; i++) if ((minRanks[i] as number) >= malicious) successes++;
  return successes;
}

// ---------------------------------------------------------------------------
// Downloads: each chunk fetched from a random node
// ---------------------------------------------------------------------------

/** A population of node ids 0..nodes-1; ids below `malicious` belong to the attacker. */
export interface Population {
  nodes: number;
  malicious: number;
}

function checkPopulation(population: Population): void {
  const { nodes, malicious } = population;
  if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`nodes must be a positive integer, got ${nodes}`);
  if (!Number.isInteger(malicious) || malicious < 0 || malicious > nodes) {
    throw new RangeError(`malicious must be an integer from 0 to ${nodes}, got ${malicious}`);
  }
}

/** A bijective 32-bit mix (the MurmurHash3 finaliser): distinct chunks never share a hash. */
function chunkHash(word: number): number {
  let h = word >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface DownloadOutcome {
  trials: number;
  /** Downloads whose assembled file differed from the original when chunks were kept unchecked. */
  pollutedWithoutChecks: number;
  /** The same downloads when every chunk was checked against its published hash. */
  pollutedWithChecks: number;
  /** Chunks fetched again per download, with checks. */
  refetches: RunningStats;
}

/**
 * Downloads a file of m chunks, each from a random node. Honest nodes serve the true
 * bytes, malicious ones forged bytes. Without checks the first copy is kept; with
 * checks a copy whose hash differs from the trusted one is dropped and fetched again.
 * Both files are then compared with the original, so "polluted" is measured, not assumed.
 */
/** Watches `simulateDownloads`: every fetch, from which node (0..nodes-1; below `malicious` the attacker's) and whether the copy was forged. */
export interface DownloadObserver {
  fetch(trial: number, chunk: number, node: number, forged: boolean, hashMatches: boolean): void;
}

export function simulateDownloads(
  population: Population & { chunks: number; trials: number },
  random: Random,
  observer?: DownloadObserver,
): DownloadOutcome {
  checkPopulation(population);
  const { nodes, malicious, chunks, trials } = population;
  if (malicious >= nodes && chunks > 0) throw new RangeError('with every node malicious, a checked download never ends');
  // The original file and the hashes a trusted .torrent-like file would publish.
  const original = new Uint32Array(chunks);
  const publishedHash = new Uint32Array(chunks);
  for (let i = 0; i < chunks; i++) {
    original[i] = Math.floor(random.next() * 4294967296);
    publishedHash[i] = chunkHash(original[i] as number);
  }
  const unchecked = new Uint32Array(chunks);
  const checked = new Uint32Array(chunks);

  let pollutedWithoutChecks = 0;
  let pollutedWithChecks = 0;
  const refetches = new RunningStats();
  // One fetch: a random node serves the chunk; a malicious one forges it, differing from the
  // truth in at least one bit. The loop is written out (no closure) since it runs millions of times.
  for (let trial = 0; trial < trials; trial++) {
    let extra = 0;
    for (let i = 0; i < chunks; i++) {
      const truth = original[i] as number;
      const published = publishedHash[i] as number;
      let node = random.int(nodes);
      let copy = node >= malicious ? truth : (truth ^ (1 + Math.floor(random.next() * 4294967295))) >>> 0;
      let matches = chunkHash(copy) === published;
      observer?.fetch(trial, i, node, node < malicious, matches);
      unchecked[i] = copy;
      while (!matches) {
        extra++;
        node = random.int(nodes);
        copy = node >= malicious ? truth : (truth ^ (1 + Math.floor(random.next() * 4294967295))) >>> 0;
        matches = chunkHash(copy) === published;
        observer?.fetch(trial, i, node, node < malicious, matches);
      }
      checked[i] = copy;
    }
    let uncheckedBad = false;
    let checkedBad = false;
    for (let i = 0; i < chunks; i++) {
      if (unchecked[i] !== original[i]) uncheckedBad = true;
      if (checked[i] !== original[i]) checkedBad = true;
    }
    if (uncheckedBad) pollutedWithoutChecks++;
    if (checkedBad) pollutedWithChecks++;
    refetches.add(extra);
  }
  return { trials, pollutedWithoutChecks, pollutedWithChecks, refetches };
}

// ---------------------------------------------------------------------------
// The lab
// ---------------------------------------------------------------------------

export type SecurityParams = {
  peers: number;
  maliciousFraction: number;
  routes: number;
  chunks: number;
  sybilBudget: number;
  identityCost: number;
  serverCompromise: number;
  unauthorizedAccess: number;
  accessChecks: string;
  checkBlockRate: number;
  trials: number;
};

/** Percentages with three significant figures, so that 0.13% and 99.9% both read well. */
function percent(fraction: number): string {
  return `${formatSig(fraction * 100)}%`;
}

function money(amount: number): string {
  return `$${formatSig(amount)}`;
}

/**
 * Grid points with the given values merged in exactly (a grid point within rounding of a
 * value gives way to it, so a simulated x and its formula's x are the same number).
 */
function withValues(grid: number[], values: number[]): number[] {
  const near = (x: number, value: number): boolean => Math.abs(x - value) <= 1e-9 * Math.max(1, Math.abs(value));
  const kept = grid.filter((x) => !values.some((value) => near(x, value)));
  return [...new Set([...kept, ...values])].sort((a, b) => a - b);
}

const SMALLEST_NETWORK = 10;
/** Keeps a point of the download charts to about 0.1 s, whatever m and the trials are. */
const MAX_CHUNK_FETCHES_PER_POINT = 2_000_000;
/** Routes walked per ring (lookups × r): keeps a ring of a million nodes to about 0.3 s. */
const MAX_ROUTES_PER_RING = 80_000;
/**
 * Ring nodes built per point: a small ring's lookups are spread over this many nodes' worth
 * of independent rings (10,000 rings of 10 nodes, 10 of 10,000), so that where the
 * attacker's few nodes happen to sit is averaged out rather than drawn once.
 */
const RING_NODES_PER_POINT = 100_000;

/** Independent rings for `lookups` lookups on rings of `nodes` nodes. */
export function ringsFor(nodes: number, lookups: number): number {
  return Math.max(1, Math.min(lookups, Math.floor(RING_NODES_PER_POINT / nodes)));
}

/** The largest ring built. A Sybil ring beyond it is scaled down, keeping the Sybils' share. */
export const MAX_RING_NODES = 2_000_000;
const LOG_F_MIN = 0.001;
const F_MAX = 0.5;

/** The nodes of a ring for N honest peers and S Sybils: N + S, or scaled to the cap with the same share. */
export function sybilRing(honest: number, sybils: number): { nodes: number; malicious: number } {
  const total = honest + sybils;
  if (total <= MAX_RING_NODES) return { nodes: total, malicious: sybils };
  // At least one honest node is kept, so a querier exists.
  const scaledHonest = Math.max(1, Math.round((MAX_RING_NODES * honest) / total));
  return { nodes: MAX_RING_NODES, malicious: MAX_RING_NODES - scaledHonest };
}

/**
 * Chart 1's lookups on rings of N nodes run as up to this many tasks, each on rings of its
 * own; so do the capped Sybil ring's, the largest ring a run builds.
 */
export const MAX_BATCHES = 3;

/** One task of a run: a batch of chart 1's lookups, one download point, or one ring of chart 4. */
export type SecurityTask =
  | { kind: 'lookups'; batch: number }
  | { kind: 'downloads'; index: number }
  | { kind: 'fixed'; index: number }
  | { kind: 'sybil'; index: number }
  | { kind: 'scaledSybil'; batch: number };

/** A batch of chart 1's lookups, counted at every malicious level the chart reads. */
export interface LookupsPart {
  kind: 'lookups';
  lookups: number;
  routesUsed: number;
  /** Per level of `plan.lookupLevels`: lookups whose querier's own route met no malicious node. */
  firstSuccesses: number[];
  /** Per level: lookups with at least one route that met no malicious node. */
  bestSuccesses: number[];
  /** Sum and count of the nodes the querier's route depended on (for the measured h). */
  routeNodesSum: number;
  routeNodesCount: number;
  /** Sum and count of the nodes every route of a lookup passed (lookups with r > 1 only). */
  sharedNodesSum: number;
  sharedNodesCount: number;
}

/** One point of charts 2 and 3, already as chart points (a download point is one task). */
export interface DownloadsPart {
  kind: 'downloads';
  fraction: number;
  trials: number;
  pollutedWithoutChecks: number;
  pollutedWithChecks: number;
  refetchMean: number;
  refetch: Point;
}

/** Lookups subverted on one size's ring(s) (kind 'fixed' or 'sybil'), or per capped size on the scaled Sybil ring. */
export interface RingPart {
  kind: 'fixed' | 'sybil';
  lookups: number;
  failures: number;
}
export interface ScaledSybilPart {
  kind: 'scaledSybil';
  lookups: number;
  /** Per entry of `plan.scaledSizes`: lookups subverted at that size's Sybil share. */
  failures: number[];
}
export type SecurityPart = LookupsPart | DownloadsPart | RingPart | ScaledSybilPart;
type PartOf<K extends SecurityPart['kind']> = K extends RingPart['kind'] ? RingPart : Extract<SecurityPart, { kind: K }>;

/** What a run of the lab consists of, derived from its parameters alone (cheap: no simulation). */
export interface SecurityPlan {
  sybils: number;
  /** Lookups per ring experiment, capped at MAX_ROUTES_PER_RING routes. */
  ringLookups: number;
  /** Downloads per point, capped at MAX_CHUNK_FETCHES_PER_POINT chunk fetches. */
  downloads: number;
  /** The sizes of chart 4, from 10 to N; the last is N. */
  sizes: number[];
  /** Chart 1's malicious counts M (sorted, distinct) and the shares M/N they stand for. */
  lookupLevels: number[];
  lookupFractions: number[];
  maxMalicious: number;
  maliciousAtF: number;
  /** Charts 2 and 3's shares, before rounding to whole nodes. */
  downloadFractions: number[];
  /** Tasks chart 1's lookups are split into, and the capped Sybil ring's. */
  lookupBatches: number;
  scaledBatches: number;
  /** Indices into `sizes` whose Sybil ring is above the cap, served by one scaled ring. */
  scaledSizes: number[];
  scaledMaxMalicious: number;
  tasks: Array<{ task: SecurityTask; weight: number }>;
}

/** Batch `batch` of `batches`' share of `total`, so that the shares add up to `total`. */
function batchShare(total: number, batch: number, batches: number): number {
  return Math.floor(((batch + 1) * total) / batches) - Math.floor((batch * total) / batches);
}

/**
 * A ring experiment's relative cost: its routes, each about log2 n steps of a few finger
 * searches, and building its rings (ids and ranks), per node. Calibrated on this machine.
 */
function ringWeight(nodes: number, lookups: number, routes: number, rings: number): number {
  return lookups * routes * (Math.log2(nodes + 2) + 4) + nodes * rings * 0.6;
}

/**
 * Tasks for one ring experiment. Small rings come many to a point (ringsFor), so batches
 * share them out at no extra cost; a large ring is one per point, and each batch must build
 * its own, so it is split only as far as its routes outweigh building it (about twice over
 * per batch), to keep a worker's share of a large N without doubling the work.
 */
function batchesFor(nodes: number, lookups: number, routes: number): number {
  if (ringsFor(nodes, lookups) >= MAX_BATCHES) return MAX_BATCHES;
  const routeWork = ringWeight(nodes, lookups, routes, 0);
  const buildWork = ringWeight(nodes, 0, routes, 1);
  return Math.max(1, Math.min(MAX_BATCHES, Math.round((2 * routeWork) / buildWork)));
}

export function planSecurity(params: SecurityParams): SecurityPlan {
  const { peers, maliciousFraction: f, routes, chunks, trials } = params;
  const sybils = sybilCount(params.sybilBudget, params.identityCost);
  const downloads = Math.min(trials, Math.max(100, Math.floor(MAX_CHUNK_FETCHES_PER_POINT / chunks)));
  const ringLookups = Math.max(1, Math.min(trials, Math.floor(MAX_ROUTES_PER_RING / routes)));
  const sizes = logSpacedIntegers(SMALLEST_NETWORK, Math.max(SMALLEST_NETWORK, peers), 9);
  const maxMalicious = Math.round(F_MAX * peers);
  const maliciousAtF = Math.round(f * peers);
  const lookupLevels = [...new Set([...linearSpaced(0, F_MAX, 21).map((x) => Math.round(x * peers)), maliciousAtF])].sort((a, b) => a - b);
  const lookupFractions = lookupLevels.map((m) => m / peers);
  const downloadFractions = (f > 0 ? withValues(logSpaced(LOG_F_MIN, F_MAX, 10), [f]) : logSpaced(LOG_F_MIN, F_MAX, 10))
    // A network of N nodes cannot hold less than one malicious node; such points would repeat f = 0.
    .filter((x) => Math.round(x * peers) >= 1);
  const scaledSizes = sizes.flatMap((n, index) => (sybilRing(n, sybils).nodes < n + sybils ? [index] : []));
  // The scaled ring's largest attacker share is at the smallest size, so its queriers are honest at every size.
  const scaledMaxMalicious = Math.max(0, ...scaledSizes.map((index) => sybilRing(sizes[index] as number, sybils).malicious));

  const tasks: SecurityPlan['tasks'] = [];
  const routesOn = (nodes: number, malicious: number): number => Math.max(1, Math.min(routes, nodes - malicious));
  const batchWeight = (nodes: number, malicious: number, batch: number, batches: number): number => {
    const rings = Math.max(1, batchShare(ringsFor(nodes, ringLookups), batch, batches));
    return ringWeight(nodes, batchShare(ringLookups, batch, batches), routesOn(nodes, malicious), rings);
  };
  const lookupBatches = batchesFor(peers, ringLookups, routesOn(peers, maxMalicious));
  const scaledBatches = scaledSizes.length > 0 ? batchesFor(MAX_RING_NODES, ringLookups, routesOn(MAX_RING_NODES, scaledMaxMalicious)) : 0;
  for (let batch = 0; batch < lookupBatches; batch++) {
    tasks.push({ task: { kind: 'lookups', batch }, weight: batchWeight(peers, maxMalicious, batch, lookupBatches) });
  }
  for (const [index, x] of downloadFractions.entries()) {
    // Each forged chunk is fetched again: 1/(1 - x) fetches a chunk on average.
    const fraction = Math.round(x * peers) / peers;
    tasks.push({ task: { kind: 'downloads', index }, weight: (downloads * chunks * 0.2) / (1 - fraction) });
  }
  for (const [index, n] of sizes.entries()) {
    if (n === peers) continue; // read off chart 1's lookups
    const malicious = Math.min(n - 1, Math.round(f * n));
    tasks.push({ task: { kind: 'fixed', index }, weight: batchWeight(n, malicious, 0, 1) });
  }
  for (const [index, n] of sizes.entries()) {
    if (scaledSizes.includes(index)) continue;
    const ring = sybilRing(n, sybils);
    tasks.push({ task: { kind: 'sybil', index }, weight: batchWeight(ring.nodes, ring.malicious, 0, 1) });
  }
  for (let batch = 0; batch < scaledBatches; batch++) {
    tasks.push({ task: { kind: 'scaledSybil', batch }, weight: batchWeight(MAX_RING_NODES, scaledMaxMalicious, batch, scaledBatches) });
  }
  return {
    sybils,
    ringLookups,
    downloads,
    sizes,
    lookupLevels,
    lookupFractions,
    maxMalicious,
    maliciousAtF,
    downloadFractions,
    lookupBatches,
    scaledBatches,
    scaledSizes,
    scaledMaxMalicious,
    tasks,
  };
}

/** Runs one task of the plan on its own seed. */
export function runSecurityTask(params: SecurityParams, task: SecurityTask, seed: number): SecurityPart {
  const plan = planSecurity(params);
  const { peers, maliciousFraction: f, routes, chunks } = params;
  const { ringLookups, sizes, sybils } = plan;
  const random = createRandom(seed);
  const ringBatch = (nodes: number, maxMalicious: number, batch: number, batches: number): RingLookups =>
    simulateRingLookups(
      {
        nodes,
        maxMalicious,
        routes,
        lookups: batchShare(ringLookups, batch, batches),
        // Small rings: the point's rings shared among the batches; a large ring: one of its own per batch.
        rings: Math.max(1, batchShare(ringsFor(nodes, ringLookups), batch, batches)),
      },
      random,
    );
  switch (task.kind) {
    case 'lookups': {
      const ring = ringBatch(peers, plan.maxMalicious, task.batch, plan.lookupBatches);
      return {
        kind: 'lookups',
        lookups: ring.lookups,
        routesUsed: ring.routesUsed,
        firstSuccesses: plan.lookupLevels.map((m) => successesAt(ring.firstRouteMinRank, m)),
        bestSuccesses: plan.lookupLevels.map((m) => successesAt(ring.bestRouteMinRank, m)),
        routeNodesSum: ring.trustedPerRoute.mean * ring.trustedPerRoute.count,
        routeNodesCount: ring.trustedPerRoute.count,
        sharedNodesSum: ring.sharedPerLookup.count > 0 ? ring.sharedPerLookup.mean * ring.sharedPerLookup.count : 0,
        sharedNodesCount: ring.sharedPerLookup.count,
      };
    }
    case 'downloads': {
      const x = plan.downloadFractions[task.index] as number;
      const malicious = Math.round(x * peers);
      const outcome = simulateDownloads({ nodes: peers, malicious, chunks, trials: plan.downloads }, random);
      const fraction = malicious / peers;
      return {
        kind: 'downloads',
        fraction,
        trials: outcome.trials,
        pollutedWithoutChecks: outcome.pollutedWithoutChecks,
        pollutedWithChecks: outcome.pollutedWithChecks,
        refetchMean: outcome.refetches.mean,
        // Refetches cannot be negative: the interval is cut at zero.
        refetch: samplesPoint(fraction, outcome.refetches, { min: 0 }),
      };
    }
    case 'fixed': {
      const n = sizes[task.index] as number;
      const malicious = Math.min(n - 1, Math.round(f * n));
      const ring = ringBatch(n, malicious, 0, 1);
      return { kind: 'fixed', lookups: ring.lookups, failures: ring.lookups - successesAt(ring.bestRouteMinRank, malicious) };
    }
    case 'sybil': {
      const { nodes, malicious } = sybilRing(sizes[task.index] as number, sybils);
      const ring = ringBatch(nodes, malicious, 0, 1);
      return { kind: 'sybil', lookups: ring.lookups, failures: ring.lookups - successesAt(ring.bestRouteMinRank, malicious) };
    }
    case 'scaledSybil': {
      // Every capped ring has the cap's size: one set of rings serves them all, read at each size's share.
      const ring = ringBatch(MAX_RING_NODES, plan.scaledMaxMalicious, task.batch, plan.scaledBatches);
      return {
        kind: 'scaledSybil',
        lookups: ring.lookups,
        failures: plan.scaledSizes.map(
          (index) => ring.lookups - successesAt(ring.bestRouteMinRank, sybilRing(sizes[index] as number, sybils).malicious),
        ),
      };
    }
  }
}

/** Builds the charts, summary and verdict from the tasks' results; with some still missing, the charts only. */
export function assembleSecurity(params: SecurityParams, plan: SecurityPlan, results: ReadonlyArray<SecurityPart | undefined>): LabResult {
  const { peers, maliciousFraction: f, routes, chunks } = params;
  const { sybils, sizes, lookupLevels, lookupFractions, maliciousAtF } = plan;
  const resultOf = <K extends SecurityPart['kind']>(kind: K, key: number): PartOf<K> | undefined => {
    const index = plan.tasks.findIndex(({ task }) => task.kind === kind && ('index' in task ? task.index : task.batch) === key);
    return index < 0 ? undefined : (results[index] as PartOf<K> | undefined);
  };
  let complete = true;

  // Chart 1: lookups against f, all read off one set of rings of N nodes (the attacker's nodes
  // at share x are the round(x·N) lowest-ranked, so the curve is one experiment, in batches).
  const batches: LookupsPart[] = [];
  for (let batch = 0; batch < plan.lookupBatches; batch++) {
    const part = resultOf('lookups', batch);
    if (part) batches.push(part);
    else complete = false;
  }
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const lookups = sum(batches.map((b) => b.lookups));
  const routesUsed = batches[0]?.routesUsed ?? Math.max(1, Math.min(routes, peers - plan.maxMalicious));
  const firstSuccesses = lookupLevels.map((_, level) => sum(batches.map((b) => b.firstSuccesses[level] as number)));
  const bestSuccesses = lookupLevels.map((_, level) => sum(batches.map((b) => b.bestSuccesses[level] as number)));
  const measuredHops = sum(batches.map((b) => b.routeNodesSum)) / sum(batches.map((b) => b.routeNodesCount));
  const sharedCount = sum(batches.map((b) => b.sharedNodesCount));
  // With one route, every node of it is shared by all the lookup's routes.
  const shared = sharedCount > 0 ? sum(batches.map((b) => b.sharedNodesSum)) / sharedCount : measuredHops;
  const oneRouteSim: Point[] = [];
  const manyRoutesSim: Point[] = [];
  let oneRouteRef: Point[] = [];
  let manyRoutesRef: Point[] = [];
  let sharedCeiling: Point[] = [];
  const levelAtF = lookupLevels.indexOf(maliciousAtF);
  if (lookups > 0) {
    for (const [level, x] of lookupFractions.entries()) {
      oneRouteSim.push(sharePoint(x, firstSuccesses[level] as number, lookups));
      manyRoutesSim.push(sharePoint(x, bestSuccesses[level] as number, lookups));
    }
    const lookupDense = withValues(linearSpaced(0, F_MAX, 51), lookupFractions);
    oneRouteRef = lookupDense.map((x) => [x, 100 * singleRouteSuccess(x, measuredHops)]);
    manyRoutesRef = lookupDense.map((x) => [x, 100 * multiRouteSuccess(x, measuredHops, routes)]);
    // A lookup can succeed only if the nodes all its routes pass are honest: about (1 - f)^s.
    sharedCeiling = lookupDense.map((x) => [x, 100 * singleRouteSuccess(x, shared)]);
  }
  const fAtPeers = maliciousAtF / peers;
  const oneRouteAtF = (firstSuccesses[levelAtF] as number) / lookups;
  const manyRoutesAtF = (bestSuccesses[levelAtF] as number) / lookups;
  const oneRouteFormula = singleRouteSuccess(fAtPeers, measuredHops);
  const manyRoutesFormula = multiRouteSuccess(fAtPeers, measuredHops, routes);

  // Charts 2 and 3: downloads against f, with and without hash checks; one task a point.
  const noHashSim: Point[] = [];
  const hashSim: Point[] = [];
  const refetchSim: Point[] = [];
  const downloadXs: number[] = [];
  let downloadAtF: DownloadsPart | null = null;
  for (const [index, x] of plan.downloadFractions.entries()) {
    const part = resultOf('downloads', index);
    if (!part) {
      complete = false;
      continue;
    }
    downloadXs.push(part.fraction);
    noHashSim.push(sharePoint(part.fraction, part.pollutedWithoutChecks, part.trials));
    hashSim.push(sharePoint(part.fraction, part.pollutedWithChecks, part.trials));
    refetchSim.push(part.refetch);
    if (Math.abs(x - f) < 1e-12) downloadAtF = part;
  }
  const downloadDense = withValues(logSpaced(LOG_F_MIN, F_MAX, 60), downloadXs);
  const noHashRef: Point[] = downloadDense.map((x) => [x, 100 * pollutionProbability(x, chunks)]);
  const hashRef: Point[] = downloadDense.map((x) => [x, 0]);
  const refetchRef: Point[] = downloadDense.map((x) => [x, expectedRefetches(x, chunks)]);

  // Chart 4: risk against N. The server line is a formula (a yearly chance per client);
  // the P2P points are lookups on simulated rings, one task per size and attacker.
  const unauthorized = effectiveUnauthorizedAccess(params.unauthorizedAccess, params.accessChecks === 'on', params.checkBlockRate);
  const perClientRisk = clientExposure(params.serverCompromise, unauthorized);
  const sizeDense = withValues(logSpacedIntegers(SMALLEST_NETWORK, Math.max(SMALLEST_NETWORK, peers), 80), sizes);
  const fixedShareFailure = (n: number): number => 1 - multiRouteSuccess(f, chordTrustedNodes(n), routes);
  const sybilFailure = (n: number): number =>
    1 - multiRouteSuccess(sybilFraction(params.sybilBudget, params.identityCost, n), chordTrustedNodes(n + sybils), routes);
  const serverRef: Point[] = sizeDense.map((n) => [n, 100 * perClientRisk]);
  const fixedShareRef: Point[] = sizeDense.map((n) => [n, 100 * fixedShareFailure(n)]);
  const sybilRef: Point[] = sizeDense.map((n) => [n, 100 * sybilFailure(n)]);
  const fixedShareSim: Point[] = [];
  const sybilSim: Point[] = [];
  const fixedFailures: number[] = [];
  const sybilFailures: number[] = [];
  const scaledParts: ScaledSybilPart[] = [];
  for (let batch = 0; batch < plan.scaledBatches; batch++) {
    const part = resultOf('scaledSybil', batch);
    if (part) scaledParts.push(part);
    else complete = false;
  }
  for (const [index, n] of sizes.entries()) {
    if (n === peers) {
      // The rings of chart 1 are this size's: read at share f, so both charts show one number.
      if (lookups > 0) {
        fixedFailures.push(1 - manyRoutesAtF);
        fixedShareSim.push(sharePoint(n, lookups - (bestSuccesses[levelAtF] as number), lookups));
      }
    } else {
      const part = resultOf('fixed', index);
      if (part) {
        fixedFailures.push(part.failures / part.lookups);
        fixedShareSim.push(sharePoint(n, part.failures, part.lookups));
      } else complete = false;
    }
    const scaled = plan.scaledSizes.indexOf(index);
    if (scaled >= 0) {
      if (scaledParts.length > 0) {
        const failures = sum(scaledParts.map((p) => p.failures[scaled] as number));
        const total = sum(scaledParts.map((p) => p.lookups));
        sybilFailures.push(failures / total);
        sybilSim.push(sharePoint(n, failures, total));
      }
    } else {
      const part = resultOf('sybil', index);
      if (part) {
        sybilFailures.push(part.failures / part.lookups);
        sybilSim.push(sharePoint(n, part.failures, part.lookups));
      } else complete = false;
    }
  }
  const series = {
    oneRouteRef,
    oneRouteSim,
    manyRoutesRef,
    manyRoutesSim,
    sharedCeiling,
    noHashRef,
    noHashSim,
    hashRef,
    hashSim,
    refetchRef,
    refetchSim,
    serverRef,
    fixedShareRef,
    fixedShareSim,
    sybilRef,
    sybilSim,
  };
  // While tasks stream in, the charts only: the text waits for every number it states.
  if (!complete) return { series, summary: '', verdict: '' };
  const downloads = plan.downloads;
  const scaledSybilRing = plan.scaledSizes.length > 0;
  // Numbers for the text.
  const smallest = sizes[0] as number;
  const largest = sizes[sizes.length - 1] as number;
  const sybilShareSmall = sybilFraction(params.sybilBudget, params.identityCost, smallest);
  const sybilShareLarge = sybilFraction(params.sybilBudget, params.identityCost, largest);
  const sybilSimSmall = sybilFailures[0] as number;
  const sybilSimLarge = sybilFailures[sybilFailures.length - 1] as number;
  const fixedSimSmall = fixedFailures[0] as number;
  const fixedSimLarge = fixedFailures[fixedFailures.length - 1] as number;
  const expectedExposed = peers * perClientRisk;
  const routesText = plural(routesUsed, 'route');
  // S/(N + S) always falls with N, but near 100% both ends can print alike.
  const shareSmallText = percent(sybilShareSmall);
  const shareLargeText = percent(sybilShareLarge);
  const shareFalls = printedOrder(shareLargeText, shareSmallText) < 0;
  const shareChange = shareFalls ? `falls from ${shareSmallText} to ${shareLargeText}` : `stays at ${shareLargeText}`;
  const hopsText = `${formatSig(measuredHops)} nodes`;

  const lookupText =
    `On a Chord ring of ${formatCount(peers)} nodes with ${percent(fAtPeers)} of them malicious, a route depended on ${hopsText} after its start on average (its forwards and the key's owner; ½ log2 N + 1 = ${formatSig(chordTrustedNodes(peers))}): ` +
    `one route succeeded in ${percent(oneRouteAtF)} of ${formatCount(lookups)} lookups (formula (1 − f)^h: ${percent(oneRouteFormula)}) and ${routesText} in ${percent(manyRoutesAtF)} ` +
    `(independent-routes formula: ${percent(manyRoutesFormula)})` +
    (routesUsed > 1
      ? `; the routes of a lookup shared ${formatSig(shared)} nodes on average, the key's owner and the nodes just before it`
      : '');
  const downloadText = downloadAtF
    ? `. Without hash checks ${percent(downloadAtF.pollutedWithoutChecks / downloads)} of ${chunks}-chunk downloads were polluted (formula ${percent(pollutionProbability(downloadAtF.fraction, chunks))}), with them ${percent(downloadAtF.pollutedWithChecks / downloads)}, at ${formatSig(downloadAtF.refetchMean)} extra fetches each.`
    : '. With no malicious peer, no download was polluted.';
  const summary =
    `${lookupText}${downloadText} ` +
    (sybils > 0
      ? `From N = ${formatCount(smallest)} to ${formatCount(largest)}, a fixed ${money(params.sybilBudget)} Sybil budget (${formatCount(sybils)} identities) ${shareChange} of the nodes and subverts ${percent(sybilSimSmall)} then ${percent(sybilSimLarge)} of simulated lookups`
      : `A ${money(params.sybilBudget)} budget buys no identity at ${money(params.identityCost)} each, so Sybils subvert no lookup at any N`) +
    `, while a client-server client's yearly exposure (a formula) stays at ${percent(perClientRisk)} for every N and one server breach exposes all ${formatCount(peers)} clients.`;

  // Verdict on the P2P claim; every comparison word is chosen from the printed numbers.
  const sentences: string[] = [];
  if (sybils === 0) {
    sentences.push(
      `“Security deteriorates as peers increase” fails against this attacker: at ${money(params.identityCost)} an identity, ${money(params.sybilBudget)} buys no Sybil at all.`,
    );
  } else {
    const small = percent(sybilSimSmall);
    const large = percent(sybilSimLarge);
    const order = printedOrder(large, small);
    const dilution = `${money(params.sybilBudget)} at ${money(params.identityCost)} an identity buys ${formatCount(sybils)} Sybils, whose share ${
      shareFalls
        ? `falls from ${shareSmallText} of the nodes at N = ${formatCount(smallest)} to ${shareLargeText} at N = ${formatCount(largest)}`
        : `stays at ${shareLargeText} of the nodes from N = ${formatCount(smallest)} to ${formatCount(largest)}`
    }`;
    sentences.push(
      order < 0
        ? `“Security deteriorates as peers increase” fails against an attacker with a fixed budget: ${dilution}, so the lookups they subvert on the simulated rings fall from ${small} to ${large} (formula ${percent(sybilFailure(smallest))} and ${percent(sybilFailure(largest))}).`
        : order === 0
          ? `Against this attacker the network does not get safer with size: ${dilution}, yet the simulated lookups they subvert stay at ${large}; identities this cheap decide, whatever N.`
          : `Against this attacker the network does not get safer with size: ${dilution}, yet the simulated lookups they subvert go from ${small} to ${large}; identities this cheap decide, whatever N.`,
    );
  }
  if (maliciousAtF === 0) {
    sentences.push('With no malicious node at share f, no lookup fails at any N.');
  } else {
    const small = percent(fixedSimSmall);
    const large = percent(fixedSimLarge);
    const order = printedOrder(large, small);
    sentences.push(
      order > 0
        ? `It holds only in a weak sense when the attacker keeps a fixed share f = ${percent(f)} however large the network grows (identities are free, or a constant share of machines is infected): longer routes raise the subverted lookups from ${small} at N = ${formatCount(smallest)} to ${large} at N = ${formatCount(largest)}, a growth with log N, not with N.`
        : order === 0
          ? `An attacker with a fixed share f = ${percent(f)} subverts ${large} of lookups at N = ${formatCount(smallest)} and at N = ${formatCount(largest)} alike: a larger network gives it nothing here.`
          : `An attacker with a fixed share f = ${percent(f)} subverts fewer lookups in the larger network here (${small} at N = ${formatCount(smallest)}, ${large} at N = ${formatCount(largest)}): the claim fails for it too.`,
    );
  }
  if (routesUsed > 1 && maliciousAtF > 0) {
    const simulated = percent(manyRoutesAtF);
    const formula = percent(manyRoutesFormula);
    const order = printedOrder(simulated, formula);
    const single = percent(oneRouteAtF);
    sentences.push(
      order < 0
        ? `Redundant routes help less than the independent-routes formula says: at f = ${percent(fAtPeers)}, ${routesText} on the ring succeeded in ${simulated} of lookups (one route ${single}), below the ${formula} of 1 − (1 − (1 − f)^h)^r, because routes converge near the key and all pass through its owner (${formatSig(shared)} shared nodes a lookup on average), which no extra route avoids.`
        : order === 0
          ? `At f = ${percent(fAtPeers)}, ${routesText} on the ring succeeded in ${simulated} of lookups, as the independent-routes formula 1 − (1 − (1 − f)^h)^r says (${formula}), although they shared ${formatSig(shared)} nodes a lookup near the key.`
          : `At f = ${percent(fAtPeers)}, ${routesText} on the ring succeeded in ${simulated} of lookups, above the ${formula} of the independent-routes formula, within sampling error of so few lookups; they shared ${formatSig(shared)} nodes a lookup near the key.`,
    );
  }
  const checkedText = downloadAtF
    ? `${formatCount(downloadAtF.pollutedWithChecks)} of ${formatCount(downloads)} simulated downloads were`
    : 'none was';
  sentences.push(
    `What decides is the attacker's share f (set by the cost c of an identity), the routes r — and how different they really are near the key — and integrity checks: without them ${percent(pollutionProbability(f, chunks))} of ${chunks}-chunk downloads are polluted (even f = 1% pollutes ${percent(pollutionProbability(0.01, chunks))}); with hash checks ${checkedText}, for ${formatSig(expectedRefetches(f, chunks))} extra fetches a download.`,
  );

  // Verdict on the client-server claim.
  const checksOn = params.accessChecks === 'on';
  const accessText = checksOn
    ? `the checks cut a client's unauthorised-access chance from ${percent(params.unauthorizedAccess)} to ${percent(unauthorized)} a year, but`
    : `with the checks off, each client faces a ${percent(unauthorized)} yearly chance of unauthorised access (the claim's premise is missing), and`;
  const serverOrder = printedOrder(percent(params.serverCompromise), percent(unauthorized));
  sentences.push(
    `“Client-server is secure because the server validates access”: ${accessText} the server is one point whose breach (${percent(params.serverCompromise)} a year) exposes all ${formatCount(peers)} clients at once — ${formatSig(expectedExposed)} clients expected a year, a share of ${percent(perClientRisk)} that does not shrink with N. ` +
      (serverOrder > 0
        ? `Here the breach chance p_c decides, not the checks.`
        : serverOrder === 0
          ? `Here the breach chance p_c and the access that gets past the checks weigh the same.`
          : checksOn
            ? `Here the access that gets past the checks decides; raising their block rate matters most.`
            : `Here the unchecked access p_u decides; turning the checks on matters most.`),
  );

  return {
    series: {
      oneRouteRef,
      oneRouteSim,
      manyRoutesRef,
      manyRoutesSim,
      sharedCeiling,
      noHashRef,
      noHashSim,
      hashRef,
      hashSim,
      refetchRef,
      refetchSim,
      serverRef,
      fixedShareRef,
      fixedShareSim,
      sybilRef,
      sybilSim,
    },
    summary: scaledSybilRing
      ? `${summary} Sybil rings above ${formatCount(MAX_RING_NODES)} nodes were simulated at ${formatCount(MAX_RING_NODES)} nodes with the same Sybil share.`
      : summary,
    verdict: sentences.join(' '),
    outputs: {
      oneRouteSuccess: 100 * oneRouteAtF,
      manyRoutesSuccess: 100 * manyRoutesAtF,
      manyRoutesFormula: 100 * manyRoutesFormula,
      routeNodes: measuredHops,
      sharedNodes: shared,
      sybilRiskLargest: 100 * sybilSimLarge,
      fixedShareRiskLargest: 100 * fixedSimLarge,
      hashRefetches: expectedRefetches(f, chunks),
      clientExposure: 100 * perClientRisk,
    },
  };
}

export const security: LabModel = defineSweepLab<SecurityParams, SecurityTask, SecurityPart>({
  manifest,
  benchCases: [1_000, 100_000, 1_000_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  sweep: {
    plan: (params) => planSecurity(params).tasks,
    runTask: (params, task, context) => runSecurityTask(params, task, context.seed),
    assemble: (params, results) => assembleSecurity(params, planSecurity(params), results),
    network: (params, seed) => securityView(params, seed).trace,
  },
});
