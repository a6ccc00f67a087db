import { printedOrder } from '../kernel/format';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quietContext, taskSeed } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import { buildChordRing, chordLookup, successorIndex } from '../kernel/chord';
import { ROUTE_CAPACITY, buildSortedRing, chordRoute } from '../kernel/chord-routing';
import {
  MAX_RING_NODES,
  MAX_BATCHES,
  assembleSecurity,
  chordTrustedNodes,
  planSecurity,
  runSecurityTask,
  type SecurityParams,
  clientExposure,
  effectiveUnauthorizedAccess,
  expectedRefetches,
  multiRouteSuccess,
  pollutionProbability,
  ringsFor,
  routeMinRank,
  security,
  simulateDownloads,
  simulateRingLookups,
  singleRouteSuccess,
  successesAt,
  sybilCount,
  sybilFraction,
  sybilRing,
} from './model';
import { manifest } from './manifest';

/**
 * Every comparison the verdict states, checked against the two numbers it prints beside
 * it; returns the ones that contradict their numbers (empty when all agree).
 */
function verdictContradictions(verdict: string): string[] {
  const number = String.raw`([0-9.,e+-]+)%`;
  const read = (text: string): number => Number(text.replace(/,/g, ''));
  const rules: Array<[RegExp, (a: number, b: number) => boolean]> = [
    [new RegExp(String.raw`fall from ${number} to ${number} \(formula`), (a, b) => b < a],
    [new RegExp(String.raw`whose share falls from ${number} of the nodes at N = [0-9,]+ to ${number}`), (a, b) => b < a],
    [new RegExp(String.raw`whose share stays at ${number}`), () => true],
    [new RegExp(String.raw`stay at ${number}`), () => true],
    [new RegExp(String.raw`go from ${number} to ${number};`), (a, b) => b > a],
    [new RegExp(String.raw`raise the subverted lookups from ${number} at N = [0-9,]+ to ${number}`), (a, b) => b > a],
    [new RegExp(String.raw`fewer lookups in the larger network here \(${number} at N = [0-9,]+, ${number}`), (a, b) => b < a],
    [new RegExp(String.raw`succeeded in ${number} of lookups \(one route [^)]*\), below the ${number}`), (a, b) => a < b],
    [new RegExp(String.raw`succeeded in ${number} of lookups, above the ${number}`), (a, b) => a > b],
    [
      new RegExp(
        String.raw`succeeded in ${number} of lookups, as the independent-routes formula 1 − \(1 − \(1 − f\)\^h\)\^r says \(${number}\)`,
      ),
      (a, b) => a === b,
    ],
  ];
  const problems: string[] = [];
  for (const [pattern, holds] of rules) {
    const match = pattern.exec(verdict);
    if (match && !holds(read(match[1] ?? ''), read(match[2] ?? match[1] ?? ''))) problems.push(match[0]);
  }
  // The server sentence: p_c against the access that gets through, as printed.
  const breach = /breach \(([0-9.,e+-]+)% a year\)/.exec(verdict);
  const access = /(?:to|faces a) ([0-9.,e+-]+)%(?: a year| yearly chance)/.exec(verdict);
  if (breach && access) {
    const pc = read(breach[1]!);
    const pu = read(access[1]!);
    if (/breach chance p_c decides/.test(verdict) && !(pc > pu)) problems.push(`p_c ${pc} decides over ${pu}`);
    if (/weigh the same/.test(verdict) && pc !== pu) problems.push(`p_c ${pc} weighs as ${pu}`);
    if (/(checks decides|p_u decides)/.test(verdict) && !(pc < pu)) problems.push(`${pu} decides over p_c ${pc}`);
  }
  return problems;
}

/** Binomial standard error of a share estimated from `trials` independent trials. */
function binomialError(p: number, trials: number): number {
  return Math.sqrt((p * (1 - p)) / trials);
}

describe('closed forms', () => {
  it('gives (1 - f)^h for one route and 1 - (1 - (1 - f)^h)^r for r routes', () => {
    expect(singleRouteSuccess(0.1, 7)).toBeCloseTo(0.4782969, 9);
    expect(singleRouteSuccess(0.2, 5)).toBeCloseTo(0.32768, 12);
    expect(multiRouteSuccess(0.2, 5, 1)).toBeCloseTo(0.32768, 12);
    // 1 - 0.67232^3 = 1 - 0.303903...
    expect(multiRouteSuccess(0.2, 5, 3)).toBeCloseTo(1 - 0.67232 ** 3, 12);
    expect(multiRouteSuccess(0, 30, 1)).toBe(1);
    expect(multiRouteSuccess(1, 1, 16)).toBe(0);
  });

  it('rewards routes and punishes hops', () => {
    for (const f of [0.01, 0.1, 0.3, 0.5]) {
      for (let h = 1; h < 20; h++) {
        expect(singleRouteSuccess(f, h + 1)).toBeLessThan(singleRouteSuccess(f, h));
        for (let r = 1; r < 8; r++) expect(multiRouteSuccess(f, h, r + 1)).toBeGreaterThan(multiRouteSuccess(f, h, r));
      }
    }
  });

  it('counts about half of log2 n forwards plus the owner as the nodes a Chord lookup trusts', () => {
    expect(chordTrustedNodes(1)).toBe(0);
    expect(chordTrustedNodes(1024)).toBe(6);
    expect(chordTrustedNodes(1_048_576)).toBe(11);
  });

  it('gives a Sybil share S/(N + S) that falls as N grows for a fixed budget', () => {
    expect(sybilCount(10_000, 10)).toBe(1_000);
    expect(sybilCount(0.3, 0.1)).toBe(3);
    expect(sybilCount(5, 10)).toBe(0);
    expect(sybilFraction(10_000, 10, 1_000)).toBe(0.5);
    expect(sybilFraction(10_000, 10, 9_000)).toBeCloseTo(0.1, 15);
    expect(sybilFraction(5, 10, 100)).toBe(0);
    let previous = 1;
    for (const n of [10, 100, 1_000, 10_000, 100_000]) {
      const share = sybilFraction(10_000, 10, n);
      expect(share).toBeLessThan(previous);
      previous = share;
    }
  });

  it('gives pollution 1 - (1 - f)^m and m f / (1 - f) refetches', () => {
    expect(pollutionProbability(0.01, 100)).toBeCloseTo(0.6339676587, 9);
    expect(pollutionProbability(0, 1000)).toBe(0);
    expect(expectedRefetches(0.1, 100)).toBeCloseTo(100 / 9, 12);
    expect(expectedRefetches(0.5, 10)).toBeCloseTo(10, 12);
  });

  it('lets access checks lower the client-server exposure but never below the breach chance', () => {
    expect(effectiveUnauthorizedAccess(0.1, true, 0.99)).toBeCloseTo(0.001, 15);
    expect(effectiveUnauthorizedAccess(0.1, false, 0.99)).toBe(0.1);
    expect(clientExposure(0.05, 0.001)).toBeCloseTo(0.05095, 15);
    expect(clientExposure(0.05, 0)).toBe(0.05);
    expect(clientExposure(0, 0.1)).toBe(0.1);
  });
});

describe('Monte-Carlo downloads', () => {
  // Tolerances are 4 binomial standard errors plus one trial's worth (the estimate moves in
  // steps of 1/trials); with fixed seeds the tests are deterministic.
  it.each([
    // [nodes, malicious, chunks]
    [1_000, 20, 50],
    [10_000, 100, 100],
    [1_000, 5, 200],
    [1_000, 300, 4],
  ])('without hash checks, N = %i with %i malicious and m = %i pollutes 1 - (1 - f)^m of downloads', (nodes, malicious, chunks) => {
    const trials = 5_000;
    const outcome = simulateDownloads({ nodes, malicious, chunks, trials }, createRandom(chunks));
    const expected = pollutionProbability(malicious / nodes, chunks);
    expect(Math.abs(outcome.pollutedWithoutChecks / trials - expected)).toBeLessThan(4 * binomialError(expected, trials) + 1 / trials);
  });

  it('with hash checks never keeps a polluted file, and pays m f / (1 - f) refetches', () => {
    const trials = 2_000;
    const chunks = 50;
    for (const [nodes, malicious] of [
      [1_000, 10],
      [1_000, 100],
      [1_000, 500],
      [200, 150],
    ] as const) {
      const outcome = simulateDownloads({ nodes, malicious, chunks, trials }, createRandom(malicious));
      expect(outcome.pollutedWithChecks).toBe(0);
      expect(outcome.pollutedWithoutChecks).toBeGreaterThan(0);
      // Refetches per chunk are geometric, variance f/(1-f)^2; a download sums m of them.
      const f = malicious / nodes;
      const standardError = Math.sqrt((chunks * f) / (1 - f) ** 2 / trials);
      expect(Math.abs(outcome.refetches.mean - expectedRefetches(f, chunks))).toBeLessThan(4 * standardError);
    }
  });

  it('needs no refetch and keeps every file clean when no peer is malicious', () => {
    const outcome = simulateDownloads({ nodes: 100, malicious: 0, chunks: 30, trials: 300 }, createRandom(2));
    expect(outcome.pollutedWithoutChecks).toBe(0);
    expect(outcome.pollutedWithChecks).toBe(0);
    expect(outcome.refetches.max).toBe(0);
  });

  it('refuses a checked download from a network of attackers only, and rings without an honest node', () => {
    expect(() => simulateDownloads({ nodes: 10, malicious: 10, chunks: 1, trials: 1 }, createRandom(1))).toThrow(RangeError);
    expect(() => simulateDownloads({ nodes: 10, malicious: 11, chunks: 1, trials: 1 }, createRandom(1))).toThrow(RangeError);
    expect(() => simulateRingLookups({ nodes: 10, maxMalicious: 10, routes: 1, lookups: 1 }, createRandom(1))).toThrow(RangeError);
    expect(() => simulateRingLookups({ nodes: 0, maxMalicious: 0, routes: 1, lookups: 1 }, createRandom(1))).toThrow(RangeError);
  });
});

describe('lookups routed over a real Chord ring', () => {
  // The ids must be what buildChordRing gives: distinct, sorted and uniform on the ring.
  // Uniformity: the share of ids in each tenth of the ring is 0.1 ± 4 standard errors.
  it('builds a ring of distinct sorted uniform ids without sorting', () => {
    const peers = 200_000;
    const ids = buildSortedRing(peers, createRandom(20));
    const tenths = new Array<number>(10).fill(0);
    let unordered = 0;
    for (let i = 0; i < peers; i++) {
      if (i > 0 && !(ids[i]! > ids[i - 1]!)) unordered++;
      tenths[Math.floor((ids[i]! / 2 ** 32) * 10)]!++;
    }
    expect(unordered).toBe(0);
    const tolerance = 4 * Math.sqrt((0.1 * 0.9) / peers);
    for (const count of tenths) expect(Math.abs(count / peers - 0.1)).toBeLessThan(tolerance);
    expect(new Set(buildSortedRing(3, createRandom(1))).size).toBe(3);
  });

  it('walks the route of chordLookup: its forwards, then the owner', () => {
    const random = createRandom(21);
    const path = new Int32Array(ROUTE_CAPACITY);
    for (const peers of [2, 3, 50, 5000]) {
      const ids = buildChordRing(peers, random);
      for (let i = 0; i < 400; i++) {
        const start = random.int(peers);
        const key = Math.floor(random.next() * 2 ** 32);
        const lookup = chordLookup(ids, start, key);
        const length = chordRoute(ids, start, key, path);
        const owner = successorIndex(ids, key);
        if (owner === start) {
          // The querier owns the key: only the forwards it made (around the ring) are trusted.
          expect(length).toBe(lookup.hops);
        } else {
          expect(length).toBe(lookup.hops + 1);
          expect(path[length - 1]).toBe(owner);
        }
        // No node twice, and never the start.
        const seen = new Set(Array.from(path.subarray(0, length)));
        expect(seen.size).toBe(length);
        expect(seen.has(start)).toBe(false);
      }
    }
  });

  it('with no malicious node (f = 0) every lookup succeeds, on one route and on r', () => {
    const outcome = simulateRingLookups({ nodes: 3000, maxMalicious: 0, routes: 3, lookups: 2000 }, createRandom(22));
    expect(successesAt(outcome.firstRouteMinRank, 0)).toBe(2000);
    expect(successesAt(outcome.bestRouteMinRank, 0)).toBe(2000);
  });

  it('with the key’s owner malicious every route fails, however many and wherever they start', () => {
    const random = createRandom(23);
    const peers = 2000;
    const ids = buildChordRing(peers, random);
    const path = new Int32Array(ROUTE_CAPACITY);
    for (let i = 0; i < 300; i++) {
      const key = Math.floor(random.next() * 2 ** 32);
      const owner = successorIndex(ids, key);
      // Only the owner is malicious: rank 0, every other node ranked above the level M = 1.
      const rank = new Int32Array(peers).fill(1);
      rank[owner] = 0;
      for (let route = 0; route < 16; route++) {
        let start = random.int(peers);
        if (start === owner) start = (start + 1) % peers;
        const length = chordRoute(ids, start, key, path);
        expect(routeMinRank(rank, path, length)).toBeLessThan(1);
      }
    }
  });

  // On 4096 nodes with f = 10% and r = 4 routes, 4000 lookups give a standard error of at
  // most 0.008 on each share. Measured over seeds 1–5: one route 0.50–0.52 against
  // (1 − f)^h = 0.49–0.50 (h = 6.5 nodes; the route lengths vary, and E[(1−f)^h] ≥ (1−f)^E[h]);
  // four routes 0.77–0.79 against the independent-routes 0.93. Both margins are wide.
  it('r routes on a real ring succeed less often than the independent-routes formula', () => {
    const nodes = 4096;
    const malicious = Math.round(0.1 * nodes);
    const lookups = 4000;
    const outcome = simulateRingLookups({ nodes, maxMalicious: malicious, routes: 4, lookups }, createRandom(24));
    const f = malicious / nodes;
    const h = outcome.trustedPerRoute.mean;
    expect(Math.abs(h - chordTrustedNodes(nodes))).toBeLessThan(0.5);
    const one = successesAt(outcome.firstRouteMinRank, malicious) / lookups;
    const many = successesAt(outcome.bestRouteMinRank, malicious) / lookups;
    const standardError = (p: number): number => Math.sqrt((p * (1 - p)) / lookups);
    // One route: the formula up to the Jensen gap (measured under 0.03) and 4 standard errors.
    expect(Math.abs(one - singleRouteSuccess(f, h))).toBeLessThan(0.03 + 4 * standardError(one));
    // r routes: well below the independent formula (the gap is about 0.15, 20 standard errors)...
    expect(many).toBeLessThan(multiRouteSuccess(f, h, 4) - 0.05 - 4 * standardError(many));
    // ...but above one route, and never above the chance that the nodes every route shares are honest.
    expect(many).toBeGreaterThan(one + 4 * standardError(one));
    expect(outcome.sharedPerLookup.mean).toBeGreaterThanOrEqual(1);
    expect(many).toBeLessThan(singleRouteSuccess(f, outcome.sharedPerLookup.mean) + 0.05);
  });

  it('is deterministic for its seed, and changes with it', () => {
    const config = { nodes: 1500, maxMalicious: 300, routes: 3, lookups: 500 };
    const a = simulateRingLookups(config, createRandom(25));
    const b = simulateRingLookups(config, createRandom(25));
    const c = simulateRingLookups(config, createRandom(26));
    expect(Array.from(b.bestRouteMinRank)).toEqual(Array.from(a.bestRouteMinRank));
    expect(b.trustedPerRoute.mean).toBe(a.trustedPerRoute.mean);
    expect(Array.from(c.bestRouteMinRank)).not.toEqual(Array.from(a.bestRouteMinRank));
  });

  it('uses fewer routes when fewer honest nodes exist', () => {
    const outcome = simulateRingLookups({ nodes: 10, maxMalicious: 7, routes: 16, lookups: 50 }, createRandom(27));
    expect(outcome.routesUsed).toBe(3);
  });

  it('scales a Sybil ring above the cap to the cap, keeping the share and an honest node', () => {
    expect(sybilRing(1000, 500)).toEqual({ nodes: 1500, malicious: 500 });
    const scaled = sybilRing(10, 1e9);
    expect(scaled.nodes).toBe(MAX_RING_NODES);
    expect(scaled.malicious).toBe(MAX_RING_NODES - 1);
    const half = sybilRing(MAX_RING_NODES, MAX_RING_NODES);
    expect(half.malicious / half.nodes).toBeCloseTo(0.5, 6);
  });
});

describe('the lab model', () => {
  const quick = validateParams(security.manifest, { trials: 1_000, peers: 3_000 }).values;

  // Whole lab runs: a second or two each on an idle machine; the timeouts allow a busy one.
  it('gives the same result for the same seed, and another for another seed', { timeout: 60_000 }, () => {
    const a = security.run(quick, quietContext(42));
    const b = security.run(quick, quietContext(42));
    const c = security.run(quick, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['manyRoutesSim']).not.toEqual(a.series['manyRoutesSim']);
  });

  it('produces every series its charts name, with numbers that tell the story', { timeout: 60_000 }, () => {
    const params = defaults(security.manifest);
    const result = security.run(params, quietContext(5));
    for (const chart of security.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length, series.key).toBeGreaterThan(1);
    }
    const trials = params['trials'] as number;
    const chunks = params['chunks'] as number;

    // Hash checks: not one polluted download, at any f.
    for (const [, y] of result.series['hashSim']!) expect(y).toBe(0);
    // Without them: each point within 4 binomial standard errors of 1 - (1 - f)^m.
    for (const [f, y] of result.series['noHashSim']!) {
      const expected = pollutionProbability(f, chunks);
      expect(Math.abs(y / 100 - expected)).toBeLessThan(4 * binomialError(expected, trials) + 1 / trials);
    }

    // With a fixed budget the Sybils' success falls from the smallest to the largest network...
    const sybilSim = result.series['sybilSim']!;
    const sybilRef = result.series['sybilRef']!;
    expect(sybilSim.at(-1)![1]).toBeLessThan(sybilSim[0]![1] / 2);
    expect(sybilRef.at(-1)![1]).toBeLessThan(sybilRef[0]![1] / 2);
    // ...while with a fixed share it rises, because Chord routes lengthen with N.
    const fixedSim = result.series['fixedShareSim']!;
    expect(fixedSim.at(-1)![1]).toBeGreaterThan(fixedSim[0]![1]);
    // The server line does not depend on N.
    const serverRef = result.series['serverRef']!;
    expect(new Set(serverRef.map(([, y]) => y)).size).toBe(1);

    // The formula grids hold every simulated x, so the data table lines them up.
    for (const [sim, ref] of [
      ['oneRouteSim', 'oneRouteRef'],
      ['manyRoutesSim', 'manyRoutesRef'],
      ['noHashSim', 'noHashRef'],
      ['refetchSim', 'refetchRef'],
      ['fixedShareSim', 'fixedShareRef'],
      ['sybilSim', 'sybilRef'],
    ] as const) {
      const xs = new Set(result.series[ref]!.map(([x]) => x));
      for (const [x] of result.series[sim]!) expect(xs.has(x), `${sim} at ${x}`).toBe(true);
    }

    // The key numbers are the simulated points at f = 10% and N = 10,000, and the formula with the measured h.
    const outputs = result.outputs!;
    const at = (key: string, x: number): number => result.series[key]!.find(([px]) => Math.abs(px - x) < 1e-12)![1];
    expect(outputs['oneRouteSuccess']).toBeCloseTo(at('oneRouteSim', 0.1), 9);
    expect(outputs['manyRoutesSuccess']).toBeCloseTo(at('manyRoutesSim', 0.1), 9);
    expect(outputs['manyRoutesFormula']).toBeCloseTo(100 * multiRouteSuccess(0.1, outputs['routeNodes']!, 4), 9);
    expect(Math.abs(outputs['routeNodes']! - chordTrustedNodes(10_000))).toBeLessThan(0.5);
    // Routes converge: the four routes of a lookup share at least the owner, and succeed far less
    // often than four independent routes would (about 75% against 91% at every seed tried).
    expect(outputs['sharedNodes']!).toBeGreaterThanOrEqual(1);
    expect(outputs['manyRoutesSuccess']!).toBeLessThan(outputs['manyRoutesFormula']! - 8);
    expect(outputs['sybilRiskLargest']).toBeCloseTo(sybilSim.at(-1)![1], 9);
    expect(outputs['fixedShareRiskLargest']).toBeCloseTo(fixedSim.at(-1)![1], 9);
    expect(outputs['hashRefetches']).toBeCloseTo(expectedRefetches(0.1, chunks), 9);
    expect(outputs['clientExposure']).toBeCloseTo(serverRef[0]![1], 9);
    expect(outputs['clientExposure']).toBeCloseTo(100 * clientExposure(0.05, 0.001), 9);

    expect(result.verdict).toMatch(/fails against an attacker with a fixed budget/);
    expect(result.verdict).toMatch(/Redundant routes help less than the independent-routes formula says/);
    expect(result.verdict).toMatch(/one point whose breach/);
    expect(result.verdict).toMatch(/breach chance p_c decides/);
    expect(result.summary).toMatch(/10,000 clients/);
    expect(verdictContradictions(result.verdict)).toEqual([]);
  });

  it('lets access checks lower the server line', { timeout: 60_000 }, () => {
    const checksOn = security.run(quick, quietContext(3)).series['serverRef']![0]![1];
    const checksOff = security.run({ ...quick, accessChecks: 'off' }, quietContext(3)).series['serverRef']![0]![1];
    expect(checksOn).toBeLessThan(checksOff);
    expect(checksOn).toBeCloseTo(100 * clientExposure(0.05, 0.001), 9);
  });

  it.each([
    ['the defaults, small', {}],
    ['cheap identities', { sybilBudget: 1_000, identityCost: 0.01 }],
    ['a tiny share, one route', { maliciousFraction: 0.005, routes: 1 }],
    ['a tiny share, many routes', { maliciousFraction: 0.01, routes: 16 }],
    ['half the nodes malicious', { maliciousFraction: 0.5, routes: 8 }],
    ['an unchecked server', { accessChecks: 'off' }],
    ['a hardened server (p_c equals what passes the checks)', { serverCompromise: 0.001 }],
    ['a leaky check', { serverCompromise: 0.001, checkBlockRate: 0.5 }],
    ['no attacker', { maliciousFraction: 0, sybilBudget: 1 }],
    ['a billion Sybils among 100 peers: their share prints 100% at both ends', { sybilBudget: 10_000_000, identityCost: 0.01, peers: 100 }],
  ])('chooses every comparison word from the numbers it prints: %s', { timeout: 60_000 }, (_name, values) => {
    const result = security.run(validateParams(security.manifest, { ...quick, ...values }).values, quietContext(11));
    expect(verdictContradictions(result.verdict)).toEqual([]);
  });

  it('says “stays” when the Sybils’ share prints alike at both ends, and “falls” when it does not', { timeout: 60_000 }, () => {
    const billion = security.run(
      validateParams(security.manifest, { ...quick, sybilBudget: 10_000_000, identityCost: 0.01, peers: 100 }).values,
      quietContext(12),
    );
    expect(billion.verdict).toMatch(/whose share stays at 100% of the nodes/);
    expect(billion.verdict).toMatch(/does not get safer with size/);
    const thousand = security.run(quick, quietContext(12));
    expect(thousand.verdict).toMatch(/whose share falls from 99% of the nodes at N = 10 to/);
  });

  it('reads printed numbers in the order a reader does', () => {
    expect(printedOrder('5.61%', '5.6%')).toBe(1);
    expect(printedOrder('5.6%', '5.61%')).toBe(-1);
    expect(printedOrder('0.1%', '0.1%')).toBe(0);
    expect(printedOrder('1.41e-6%', '0.24%')).toBe(-1);
    expect(printedOrder('$10,000', '$9,999')).toBe(1);
  });

  it('has presets that validate, and says when cheap identities decide', { timeout: 60_000 }, () => {
    for (const preset of manifest.presets) {
      expect(validateParams(security.manifest, preset.values).errors, preset.id).toEqual({});
    }
    const free = manifest.presets.find((p) => p.id === 'free-identities')!;
    const result = security.run(validateParams(security.manifest, { ...free.values, trials: 500 }).values, quietContext(8));
    expect(result.verdict).toMatch(/does not get safer with size/);
    const unchecked = manifest.presets.find((p) => p.id === 'unchecked-server')!;
    const uncheckedResult = security.run(validateParams(security.manifest, { ...unchecked.values, trials: 500 }).values, quietContext(8));
    expect(uncheckedResult.verdict).toMatch(/unchecked access p_u decides/);
  });

  it('reports progress that rises to 1', { timeout: 60_000 }, () => {
    const reported: number[] = [];
    security.run(quick, { seed: 1, progress: (f) => reported.push(f) });
    expect(reported.length).toBeGreaterThan(10);
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });

  it('declares three bench cases of growing size that validate', () => {
    expect(security.benchCases).toHaveLength(3);
    const sizes = security.benchCases.map((c) => c.size);
    expect(sizes[0]!).toBeLessThan(sizes[1]!);
    expect(sizes[1]!).toBeLessThan(sizes[2]!);
    for (const c of security.benchCases) expect(validateParams(security.manifest, c.params).errors).toEqual({});
  });
});

describe('small rings, many times over', () => {
  it('averages out where a small ring’s few malicious nodes sit, building each ring of its run', () => {
    const failure = (outcome: ReturnType<typeof simulateRingLookups>): number =>
      1 - successesAt(outcome.bestRouteMinRank, 1) / outcome.lookups;
    const oneRing: number[] = [];
    const manyRings: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      oneRing.push(failure(simulateRingLookups({ nodes: 10, maxMalicious: 1, routes: 4, lookups: 2000 }, createRandom(seed))));
      let built = 0;
      const many = simulateRingLookups({ nodes: 10, maxMalicious: 1, routes: 4, lookups: 2000, rings: 1000 }, createRandom(seed), {
        ring: () => void built++,
        route: () => undefined,
      });
      expect(built).toBe(1000);
      manyRings.push(failure(many));
    }
    const spread = (values: number[]): number => Math.max(...values) - Math.min(...values);
    // One ring: one malicious node of 10 fails a few percent or half the lookups, by its place.
    expect(spread(oneRing)).toBeGreaterThan(0.2);
    // A thousand rings: the seeds agree within sampling error (about 2 × 0.9% either way).
    expect(spread(manyRings)).toBeLessThan(0.06);
    expect(ringsFor(10, 5000)).toBe(5000);
    expect(ringsFor(10_000, 5000)).toBe(10);
    expect(ringsFor(MAX_RING_NODES, 5000)).toBe(1);
  });
});

describe('the run as a sweep of tasks', () => {
  const at = (values: Record<string, unknown>): SecurityParams =>
    validateParams(security.manifest, values).values as unknown as SecurityParams;

  it.each([
    ['the defaults', {}],
    ['a million peers', { peers: 1_000_000 }],
    [
      'every parameter at its maximum',
      Object.fromEntries(security.manifest.params.flatMap((p) => (p.kind === 'choice' ? [] : [[p.name, p.max]]))),
    ],
    ['a million cheap Sybils on 16 routes', { peers: 1_000_000, trials: 20_000, routes: 16, sybilBudget: 10_000_000, identityCost: 10 }],
  ])('plans a modest number of tasks, none above a third of the work: %s', (_name, values) => {
    const plan = planSecurity(at(values));
    expect(plan.tasks.length).toBeGreaterThanOrEqual(10);
    expect(plan.tasks.length).toBeLessThanOrEqual(100);
    const total = plan.tasks.reduce((sum, { weight }) => sum + weight, 0);
    for (const { task, weight } of plan.tasks) {
      expect(weight, JSON.stringify(task)).toBeGreaterThan(0);
      expect(weight, JSON.stringify(task)).toBeLessThan(total / 3);
    }
    // Chart 1's lookups are all there, dealt among its batches; so are the capped Sybil ring's.
    expect(plan.tasks.filter(({ task }) => task.kind === 'lookups')).toHaveLength(plan.lookupBatches);
    const scaled = plan.tasks.filter(({ task }) => task.kind === 'scaledSybil').length;
    expect(scaled).toBe(plan.scaledBatches);
    expect(plan.scaledBatches > 0).toBe(plan.scaledSizes.length > 0);
    expect(plan.lookupBatches).toBeLessThanOrEqual(MAX_BATCHES);
    // Every size has its fixed-share point (the largest read off chart 1) and its Sybil point.
    const fixed = plan.tasks.filter(({ task }) => task.kind === 'fixed').length;
    const sybil = plan.tasks.filter(({ task }) => task.kind === 'sybil').length;
    expect(fixed).toBe(plan.sizes.length - 1);
    expect(sybil + plan.scaledSizes.length).toBe(plan.sizes.length);
    expect(plan.sizes.at(-1)).toBe(at(values).peers);
  });

  it('runs every lookup of chart 1 once, each batch on rings of its own, and reads them at every f', { timeout: 30_000 }, () => {
    const params = at({ peers: 60_000, trials: 1_000, routes: 2 });
    const plan = planSecurity(params);
    const parts = plan.tasks.map(({ task }, index) =>
      task.kind === 'lookups' ? runSecurityTask(params, task, taskSeed(9, index)) : undefined,
    );
    const batches = parts.filter((part) => part?.kind === 'lookups');
    // Rings of 60,000 nodes come one to a point, so the split costs a ring a batch: it is made only because the routes outweigh the building.
    expect(plan.lookupBatches).toBeGreaterThan(1);
    expect(batches).toHaveLength(plan.lookupBatches);
    expect(batches.reduce((sum, part) => sum + part.lookups, 0)).toBe(plan.ringLookups);
    // Different rings, different draws: the batches do not repeat one another.
    expect(new Set(batches.map((part) => JSON.stringify(part.bestSuccesses))).size).toBe(plan.lookupBatches);
    for (const part of batches) {
      // More attackers never help: successes fall (weakly) with the level, from all of them at f = 0.
      expect(part.firstSuccesses[0]).toBe(part.lookups);
      for (let level = 1; level < plan.lookupLevels.length; level++) {
        expect(part.bestSuccesses[level]!).toBeLessThanOrEqual(part.bestSuccesses[level - 1]!);
        expect(part.firstSuccesses[level]!).toBeLessThanOrEqual(part.bestSuccesses[level]!);
      }
    }
    // With only chart 1's tasks in, the chart against f is complete and the others are empty, without text.
    const partial = assembleSecurity(params, plan, parts);
    expect(partial.series['manyRoutesSim']).toHaveLength(plan.lookupLevels.length);
    expect(partial.series['noHashSim']).toHaveLength(0);
    expect(partial.series['sybilSim']).toHaveLength(0);
    expect(partial.summary).toBe('');
    expect(partial.verdict).toBe('');
    // Nothing in yet: no points, no throw.
    const empty = assembleSecurity(
      params,
      plan,
      plan.tasks.map(() => undefined),
    );
    expect(empty.series['oneRouteSim']).toHaveLength(0);
  });

  // A large ring draws only the ranks below maxMalicious (a partial Fisher–Yates): the
  // attacker must still be a uniform random set of ring positions, at every level read.
  it('places the attacker of a large ring uniformly at random, at every level', () => {
    const nodes = 60_000;
    let ranks = new Int32Array(0);
    simulateRingLookups({ nodes, maxMalicious: 30_000, routes: 2, lookups: 10 }, createRandom(31), {
      ring: (_ids, rank) => void (ranks = rank.slice()),
      route: () => undefined,
    });
    expect(new Set(ranks).size).toBe(nodes);
    for (const level of [3_000, 30_000]) {
      // Ids are sorted, so a tenth of the indices is a tenth of the ring.
      const tenths = new Array<number>(10).fill(0);
      for (let node = 0; node < nodes; node++) if (ranks[node]! < level) tenths[Math.floor((node * 10) / nodes)]!++;
      const expected = level / 10;
      // Hypergeometric: below the binomial standard error.
      const tolerance = 4 * Math.sqrt(level * 0.1 * 0.9);
      for (const count of tenths) expect(Math.abs(count - expected)).toBeLessThan(tolerance);
    }
  });
});
