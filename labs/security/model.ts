import { createRandom, type Random } from '../kernel/random';
import { RunningStats, linearSpaced, logSpaced, logSpacedIntegers } from '../kernel/stats';
import { formatCount, formatSig, plural } from '../kernel/format';
import type { LabModel, LabResult, Point } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';

// ---------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------

/** Average lookup path in a Chord ring of n nodes, rounded up to whole hops (at least one). */
export function chordHops(nodes: number): number {
  if (nodes <= 1) return 1;
  return Math.max(1, Math.ceil(0.5 * Math.log2(nodes)));
}

/** Chance that one route of h hops meets no malicious node: (1 - f)^h. */
export function singleRouteSuccess(fraction: number, hops: number): number {
  return Math.pow(1 - fraction, hops);
}

/** Chance that at least one of r independent routes meets no malicious node. */
export function multiRouteSuccess(fraction: number, hops: number, routes: number): number {
  return 1 - Math.pow(1 - singleRouteSuccess(fraction, hops), routes);
}

/** Identities a budget buys. The tiny relative slack keeps 0.3 / 0.1 from flooring to 2. */
export function sybilCount(budget: number, costPerIdentity: number): number {
  if (costPerIdentity <= 0) throw new RangeError('an identity must cost something');
  return Math.floor((budget / costPerIdentity) * (1 + 1e-12));
}

/** Malicious share when S bought identities join N honest peers: S / (N + S). */
export function sybilFraction(budget: number, costPerIdentity: number, honestPeers: number): number {
  const sybils = sybilCount(budget, costPerIdentity);
  const total = honestPeers + sybils;
  return total > 0 ? sybils / total : 0;
}

/** Chance that at least one of m chunks, each from a random peer, is forged: 1 - (1 - f)^m. */
export function pollutionProbability(fraction: number, chunks: number): number {
  return 1 - Math.pow(1 - fraction, chunks);
}

/** Mean chunks fetched again per download when every forged chunk is caught and re-fetched. */
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
// Monte-Carlo simulation of the P2P side
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

export interface LookupOutcome {
  trials: number;
  /** Lookups whose first route met no malicious node (what a single-route lookup would see). */
  firstRouteSuccesses: number;
  /** Lookups in which at least one of the r routes met no malicious node. */
  anyRouteSuccesses: number;
}

/**
 * Each lookup sends r routes; each hop is forwarded by a node drawn at random.
 * The first route alone is a single-route lookup, so one run measures both.
 */
export function simulateLookups(
  population: Population & { hops: number; routes: number; trials: number },
  random: Random,
): LookupOutcome {
  checkPopulation(population);
  const { nodes, malicious, hops, routes, trials } = population;
  let firstRouteSuccesses = 0;
  let anyRouteSuccesses = 0;
  for (let trial = 0; trial < trials; trial++) {
    let succeeded = false;
    for (let route = 0; route < routes && !succeeded; route++) {
      let clean = true;
      for (let hop = 0; hop < hops; hop++) {
        if (random.int(nodes) < malicious) {
          clean = false;
          break;
        }
      }
      if (clean) {
        succeeded = true;
        if (route === 0) firstRouteSuccesses++;
      }
    }
    if (succeeded) anyRouteSuccesses++;
  }
  return { trials, firstRouteSuccesses, anyRouteSuccesses };
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
export function simulateDownloads(
  population: Population & { chunks: number; trials: number },
  random: Random,
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

  const fetchChunk = (index: number): number => {
    const truth = original[index] as number;
    if (random.int(nodes) >= malicious) return truth;
    // A forgery differs from the truth in at least one bit.
    return (truth ^ (1 + Math.floor(random.next() * 4294967295))) >>> 0;
  };

  let pollutedWithoutChecks = 0;
  let pollutedWithChecks = 0;
  const refetches = new RunningStats();
  for (let trial = 0; trial < trials; trial++) {
    let extra = 0;
    for (let i = 0; i < chunks; i++) {
      let copy = fetchChunk(i);
      unchecked[i] = copy;
      while (chunkHash(copy) !== publishedHash[i]) {
        extra++;
        copy = fetchChunk(i);
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
  hopModel: string;
  hops: number;
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

/** Grid points, with an extra value merged in (deduplicated and sorted). */
function withValue(grid: number[], value: number): number[] {
  const merged = grid.some((x) => Math.abs(x - value) < 1e-12) ? grid : [...grid, value];
  return merged.sort((a, b) => a - b);
}

const SMALLEST_NETWORK = 10;
/** Keeps a point of the download charts to about 0.1 s, whatever m and the trials are. */
const MAX_CHUNK_FETCHES_PER_POINT = 2_000_000;
const LOG_F_MIN = 0.001;
const F_MAX = 0.5;

export const security: LabModel = {
  manifest,
  benchCases: [1_000, 100_000, 1_000_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  run(raw, context): LabResult {
    const params = raw as SecurityParams;
    const random = createRandom(context.seed);
    const { peers, maliciousFraction: f, routes, chunks, trials } = params;
    const hopsFor = (nodes: number): number => (params.hopModel === 'dht' ? chordHops(nodes) : params.hops);
    const hops = hopsFor(peers);
    const sybils = sybilCount(params.sybilBudget, params.identityCost);
    const downloads = Math.min(trials, Math.max(100, Math.floor(MAX_CHUNK_FETCHES_PER_POINT / chunks)));

    // Simulation grids. Lookups vary on a linear f axis; pollution matters at f near 1/m, so a log axis.
    const lookupGrid = withValue(linearSpaced(0, F_MAX, 11), f);
    const downloadGrid = (f > 0 ? withValue(logSpaced(LOG_F_MIN, F_MAX, 10), f) : logSpaced(LOG_F_MIN, F_MAX, 10))
      // A network of N nodes cannot hold less than one malicious node; such points would repeat f = 0.
      .filter((x) => Math.round(x * peers) >= 1);
    const sizes = logSpacedIntegers(SMALLEST_NETWORK, Math.max(SMALLEST_NETWORK, peers), 9);

    // Progress weights: the expected number of random draws of each simulated point.
    const lookupWork = trials * routes * hops;
    const downloadWork = downloads * chunks * 1.5;
    const sizeWork = (n: number): number => trials * routes * Math.max(hopsFor(n), hopsFor(n + sybils));
    const totalWork =
      lookupGrid.length * lookupWork + downloadGrid.length * downloadWork + sizes.reduce((sum, n) => sum + 2 * sizeWork(n), 0);
    let doneWork = 0;
    const advance = (work: number): void => {
      doneWork += work;
      context.progress(Math.min(1, doneWork / totalWork));
    };

    // Chart 1: lookups against f, at N = peers.
    const lookupDense = linearSpaced(0, F_MAX, 51);
    const oneRouteRef: Point[] = lookupDense.map((x) => [x, 100 * singleRouteSuccess(x, hops)]);
    const manyRoutesRef: Point[] = lookupDense.map((x) => [x, 100 * multiRouteSuccess(x, hops, routes)]);
    const oneRouteSim: Point[] = [];
    const manyRoutesSim: Point[] = [];
    let lookupAtF: { fraction: number; outcome: LookupOutcome } | null = null;
    for (const x of lookupGrid) {
      const malicious = Math.round(x * peers);
      const outcome = simulateLookups({ nodes: peers, malicious, hops, routes, trials }, random);
      const actual = malicious / peers;
      oneRouteSim.push([actual, (100 * outcome.firstRouteSuccesses) / trials]);
      manyRoutesSim.push([actual, (100 * outcome.anyRouteSuccesses) / trials]);
      if (Math.abs(x - f) < 1e-12) lookupAtF = { fraction: actual, outcome };
      advance(lookupWork);
    }

    // Charts 2 and 3: downloads against f, with and without hash checks.
    const downloadDense = logSpaced(LOG_F_MIN, F_MAX, 60);
    const noHashRef: Point[] = downloadDense.map((x) => [x, 100 * pollutionProbability(x, chunks)]);
    const hashRef: Point[] = downloadDense.map((x) => [x, 0]);
    const refetchRef: Point[] = downloadDense.map((x) => [x, expectedRefetches(x, chunks)]);
    const noHashSim: Point[] = [];
    const hashSim: Point[] = [];
    const refetchSim: Point[] = [];
    let downloadAtF: { fraction: number; outcome: DownloadOutcome } | null = null;
    for (const x of downloadGrid) {
      const malicious = Math.round(x * peers);
      const outcome = simulateDownloads({ nodes: peers, malicious, chunks, trials: downloads }, random);
      const actual = malicious / peers;
      noHashSim.push([actual, (100 * outcome.pollutedWithoutChecks) / downloads]);
      hashSim.push([actual, (100 * outcome.pollutedWithChecks) / downloads]);
      refetchSim.push([actual, outcome.refetches.mean]);
      if (Math.abs(x - f) < 1e-12) downloadAtF = { fraction: actual, outcome };
      advance(downloadWork);
    }

    // Chart 4: risk against N. The server line is a yearly chance per client; the P2P lines per lookup.
    const unauthorized = effectiveUnauthorizedAccess(params.unauthorizedAccess, params.accessChecks === 'on', params.checkBlockRate);
    const perClientRisk = clientExposure(params.serverCompromise, unauthorized);
    const sizeDense = logSpacedIntegers(SMALLEST_NETWORK, Math.max(SMALLEST_NETWORK, peers), 80);
    const fixedShareFailure = (n: number): number => 1 - multiRouteSuccess(f, hopsFor(n), routes);
    const sybilFailure = (n: number): number =>
      1 - multiRouteSuccess(sybilFraction(params.sybilBudget, params.identityCost, n), hopsFor(n + sybils), routes);
    const serverRef: Point[] = sizeDense.map((n) => [n, 100 * perClientRisk]);
    const fixedShareRef: Point[] = sizeDense.map((n) => [n, 100 * fixedShareFailure(n)]);
    const sybilRef: Point[] = sizeDense.map((n) => [n, 100 * sybilFailure(n)]);
    const fixedShareSim: Point[] = [];
    const sybilSim: Point[] = [];
    for (const n of sizes) {
      const fixed = simulateLookups({ nodes: n, malicious: Math.round(f * n), hops: hopsFor(n), routes, trials }, random);
      fixedShareSim.push([n, (100 * (trials - fixed.anyRouteSuccesses)) / trials]);
      advance(sizeWork(n));
      const sybil = simulateLookups({ nodes: n + sybils, malicious: sybils, hops: hopsFor(n + sybils), routes, trials }, random);
      sybilSim.push([n, (100 * (trials - sybil.anyRouteSuccesses)) / trials]);
      advance(sizeWork(n));
    }
    context.progress(1);

    // Numbers for the text.
    const smallest = sizes[0] as number;
    const largest = sizes[sizes.length - 1] as number;
    const sybilShareSmall = sybilFraction(params.sybilBudget, params.identityCost, smallest);
    const sybilShareLarge = sybilFraction(params.sybilBudget, params.identityCost, largest);
    const sybilRiskSmall = sybilFailure(smallest);
    const sybilRiskLarge = sybilFailure(largest);
    const sybilSimSmall = (sybilSim[0] as Point)[1] / 100;
    const sybilSimLarge = (sybilSim[sybilSim.length - 1] as Point)[1] / 100;
    const fixedRiskSmall = fixedShareFailure(smallest);
    const fixedRiskLarge = fixedShareFailure(largest);
    const expectedExposed = peers * perClientRisk;

    const lookupText = lookupAtF
      ? `At f = ${percent(lookupAtF.fraction)} and h = ${hops} hops, ${percent(lookupAtF.outcome.firstRouteSuccesses / trials)} of single-route lookups succeeded (formula ${percent(singleRouteSuccess(lookupAtF.fraction, hops))}) and ${percent(lookupAtF.outcome.anyRouteSuccesses / trials)} with ${plural(routes, 'route')} (formula ${percent(multiRouteSuccess(lookupAtF.fraction, hops, routes))})`
      : '';
    const downloadText = downloadAtF
      ? `; without hash checks ${percent(downloadAtF.outcome.pollutedWithoutChecks / downloads)} of ${chunks}-chunk downloads were polluted (formula ${percent(pollutionProbability(downloadAtF.fraction, chunks))}), with them ${percent(downloadAtF.outcome.pollutedWithChecks / downloads)}, at ${formatSig(downloadAtF.outcome.refetches.mean)} extra fetches each.`
      : '; with no malicious peer, no download was polluted.';
    const summary =
      `${lookupText}${downloadText} ` +
      (sybils > 0
        ? `From N = ${formatCount(smallest)} to ${formatCount(largest)}, a fixed ${money(params.sybilBudget)} Sybil budget (${formatCount(sybils)} identities) falls from ${percent(sybilShareSmall)} to ${percent(sybilShareLarge)} of the nodes and subverts ${percent(sybilSimSmall)} then ${percent(sybilSimLarge)} of lookups`
        : `A ${money(params.sybilBudget)} budget buys no identity at ${money(params.identityCost)} each, so Sybils subvert no lookup at any N`) +
      `, while a client-server client's yearly exposure stays at ${percent(perClientRisk)} for every N and one server breach exposes all ${formatCount(peers)} clients.`;

    // Verdict on the P2P claim.
    const sentences: string[] = [];
    if (sybils === 0) {
      sentences.push(
        `“Security deteriorates as peers increase” fails against this attacker: at ${money(params.identityCost)} an identity, ${money(params.sybilBudget)} buys no Sybil at all.`,
      );
    } else if (sybilRiskLarge < sybilRiskSmall) {
      sentences.push(
        `“Security deteriorates as peers increase” fails against an attacker with a fixed budget: ${money(params.sybilBudget)} at ${money(params.identityCost)} an identity buys ${formatCount(sybils)} Sybils, whose share falls from ${percent(sybilShareSmall)} of the nodes at N = ${formatCount(smallest)} to ${percent(sybilShareLarge)} at N = ${formatCount(largest)}, so the lookups they subvert fall from ${percent(sybilRiskSmall)} to ${percent(sybilRiskLarge)} (simulated ${percent(sybilSimSmall)} and ${percent(sybilSimLarge)}).`,
      );
    } else {
      sentences.push(
        `Against this attacker the network does not get safer with size: ${formatCount(sybils)} Sybils still make ${percent(sybilShareLarge)} of the nodes at N = ${formatCount(largest)}, and ${percent(sybilRiskLarge)} of lookups are subverted: identities this cheap (${money(params.identityCost)}) decide, whatever N.`,
      );
    }
    const hopsSmall = hopsFor(smallest);
    const hopsLarge = hopsFor(largest);
    if (f === 0) {
      sentences.push('With no fixed malicious share (f = 0), nothing deteriorates with N either.');
    } else if (fixedRiskLarge > fixedRiskSmall * 1.0001) {
      sentences.push(
        `It holds only in a weak sense when the attacker keeps a fixed share f = ${percent(f)} however large the network grows (identities are free, or a constant share of machines is infected): longer routes (h from ${hopsSmall} to ${hopsLarge} hops) raise subverted lookups from ${percent(fixedRiskSmall)} to ${percent(fixedRiskLarge)}, a growth with log N, not with N.`,
      );
    } else {
      sentences.push(
        `Even an attacker with a fixed share f = ${percent(f)} gains nothing from a larger network when routes have a fixed ${params.hops} hops: ${percent(fixedRiskLarge)} of lookups are subverted at every N.`,
      );
    }
    const oneRoute = singleRouteSuccess(f, hops);
    const manyRoutes = multiRouteSuccess(f, hops, routes);
    sentences.push(
      `What decides is the attacker's share f (set by the cost c of an identity), the hops h and the routes r — at f = ${percent(f)} and h = ${hops}, one route succeeds ${percent(oneRoute)} of the time, ${plural(routes, 'route')} ${percent(manyRoutes)} — and integrity checks: without them ${percent(pollutionProbability(f, chunks))} of ${chunks}-chunk downloads are polluted (even f = 1% pollutes ${percent(pollutionProbability(0.01, chunks))}); with hash checks ${downloadAtF ? formatSig(downloadAtF.outcome.pollutedWithChecks) : '0'} of ${formatCount(downloads)} were, for ${formatSig(expectedRefetches(f, chunks))} extra fetches a download.`,
    );

    // Verdict on the client-server claim.
    const checksOn = params.accessChecks === 'on';
    const accessText = checksOn
      ? `the checks cut a client's unauthorised-access chance from ${percent(params.unauthorizedAccess)} to ${percent(unauthorized)} a year, but`
      : `with the checks off, each client faces a ${percent(unauthorized)} yearly chance of unauthorised access (the claim's premise is missing), and`;
    // A relative tolerance: equal chances (0.1% and 0.1%) must not be split by rounding error.
    const serverDecides = params.serverCompromise >= unauthorized * (1 - 1e-9);
    sentences.push(
      `“Client-server is secure because the server validates access”: ${accessText} the server is one point whose breach (${percent(params.serverCompromise)} a year) exposes all ${formatCount(peers)} clients at once — ${formatSig(expectedExposed)} clients expected a year, a share of ${percent(perClientRisk)} that does not shrink with N. ` +
        (serverDecides
          ? `Here the breach chance p_c decides, not the checks.`
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
      summary,
      verdict: sentences.join(' '),
      outputs: {
        oneRouteSuccess: 100 * oneRoute,
        manyRoutesSuccess: 100 * manyRoutes,
        sybilRiskLargest: 100 * sybilRiskLarge,
        fixedShareRiskLargest: 100 * fixedRiskLarge,
        hashRefetches: expectedRefetches(f, chunks),
        clientExposure: 100 * perClientRisk,
      },
    };
  },
};
