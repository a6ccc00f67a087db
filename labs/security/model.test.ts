import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quietContext } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import {
  chordHops,
  clientExposure,
  effectiveUnauthorizedAccess,
  expectedRefetches,
  multiRouteSuccess,
  pollutionProbability,
  security,
  simulateDownloads,
  simulateLookups,
  singleRouteSuccess,
  sybilCount,
  sybilFraction,
} from './model';
import { manifest } from './manifest';

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

  it('takes about half of log2 N hops in a Chord ring', () => {
    expect(chordHops(1)).toBe(1);
    expect(chordHops(2)).toBe(1);
    expect(chordHops(16)).toBe(2);
    expect(chordHops(1024)).toBe(5);
    expect(chordHops(10_000)).toBe(7);
    expect(chordHops(1_000_000)).toBe(10);
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

describe('Monte-Carlo lookups and downloads', () => {
  // Tolerances are 4 binomial standard errors plus one trial's worth (the estimate moves in
  // steps of 1/trials); with fixed seeds the tests are deterministic, and 4σ leaves room
  // for any seed a maintainer might pick (a 4σ miss has probability ~6e-5 per comparison).
  it.each([
    // [nodes, malicious, hops, routes]
    [10_000, 2_000, 5, 1],
    [10_000, 2_000, 5, 3],
    [10_000, 1_000, 7, 4],
    [1_000, 300, 3, 2],
    [500, 25, 12, 1],
  ])('N = %i with %i malicious, h = %i, r = %i matches the formula', (nodes, malicious, hops, routes) => {
    const trials = 20_000;
    const outcome = simulateLookups({ nodes, malicious, hops, routes, trials }, createRandom(nodes + malicious + hops + routes));
    const f = malicious / nodes;
    const one = singleRouteSuccess(f, hops);
    const many = multiRouteSuccess(f, hops, routes);
    expect(Math.abs(outcome.firstRouteSuccesses / trials - one)).toBeLessThan(4 * binomialError(one, trials) + 1 / trials);
    expect(Math.abs(outcome.anyRouteSuccesses / trials - many)).toBeLessThan(4 * binomialError(many, trials) + 1 / trials);
    expect(outcome.anyRouteSuccesses).toBeGreaterThanOrEqual(outcome.firstRouteSuccesses);
  });

  it('matches the formula for Sybils bought with a fixed budget', () => {
    const trials = 20_000;
    const honest = 4_000;
    const sybils = sybilCount(10_000, 10);
    const outcome = simulateLookups({ nodes: honest + sybils, malicious: sybils, hops: 6, routes: 3, trials }, createRandom(9));
    const expected = multiRouteSuccess(sybilFraction(10_000, 10, honest), 6, 3);
    expect(Math.abs(outcome.anyRouteSuccesses / trials - expected)).toBeLessThan(4 * binomialError(expected, trials) + 1 / trials);
  });

  it('always succeeds with no attacker and never with only attackers', () => {
    const clean = simulateLookups({ nodes: 100, malicious: 0, hops: 10, routes: 2, trials: 500 }, createRandom(1));
    expect(clean.firstRouteSuccesses).toBe(500);
    expect(clean.anyRouteSuccesses).toBe(500);
    const owned = simulateLookups({ nodes: 100, malicious: 100, hops: 1, routes: 16, trials: 500 }, createRandom(1));
    expect(owned.anyRouteSuccesses).toBe(0);
  });

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
    for (const [nodes, malicious] of [[1_000, 10], [1_000, 100], [1_000, 500], [200, 150]] as const) {
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

  it('refuses a checked download from a network of attackers only, and bad populations', () => {
    expect(() => simulateDownloads({ nodes: 10, malicious: 10, chunks: 1, trials: 1 }, createRandom(1))).toThrow(RangeError);
    expect(() => simulateLookups({ nodes: 10, malicious: 11, hops: 1, routes: 1, trials: 1 }, createRandom(1))).toThrow(RangeError);
    expect(() => simulateLookups({ nodes: 0, malicious: 0, hops: 1, routes: 1, trials: 1 }, createRandom(1))).toThrow(RangeError);
  });
});

describe('the lab model', () => {
  const quick = validateParams(security.manifest, { trials: 1_000, peers: 3_000 }).values;

  it('gives the same result for the same seed, and another for another seed', () => {
    const a = security.run(quick, quietContext(42));
    const b = security.run(quick, quietContext(42));
    const c = security.run(quick, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['manyRoutesSim']).not.toEqual(a.series['manyRoutesSim']);
  });

  it('produces every series its charts name, with numbers that tell the story', () => {
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
    const fixedRef = result.series['fixedShareRef']!;
    expect(fixedRef.at(-1)![1]).toBeGreaterThan(fixedRef[0]![1]);
    // The server line does not depend on N.
    const serverRef = result.series['serverRef']!;
    expect(new Set(serverRef.map(([, y]) => y)).size).toBe(1);

    // The key numbers are the closed forms at the starting values (h = 7 at N = 10,000) and the charts' last points.
    const outputs = result.outputs!;
    expect(outputs['oneRouteSuccess']).toBeCloseTo(100 * singleRouteSuccess(0.1, 7), 9);
    expect(outputs['manyRoutesSuccess']).toBeCloseTo(100 * multiRouteSuccess(0.1, 7, 4), 9);
    expect(outputs['sybilRiskLargest']).toBeCloseTo(sybilRef.at(-1)![1], 9);
    expect(outputs['fixedShareRiskLargest']).toBeCloseTo(fixedRef.at(-1)![1], 9);
    expect(outputs['hashRefetches']).toBeCloseTo(expectedRefetches(0.1, chunks), 9);
    expect(outputs['clientExposure']).toBeCloseTo(serverRef[0]![1], 9);
    expect(outputs['clientExposure']).toBeCloseTo(100 * clientExposure(0.05, 0.001), 9);

    expect(result.verdict).toMatch(/fails against an attacker with a fixed budget/);
    expect(result.verdict).toMatch(/one point whose breach/);
    expect(result.verdict).toMatch(/breach chance p_c decides/);
    expect(result.summary).toMatch(/10,000 clients/);
  });

  it('keeps the fixed-share risk flat with fixed hops, and lets access checks lower the server line', () => {
    const fixedHops = security.run({ ...quick, hopModel: 'fixed', hops: 5 }, quietContext(3));
    const values = fixedHops.series['fixedShareRef']!.map(([, y]) => y);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThan(1e-9);
    const checksOn = fixedHops.series['serverRef']![0]![1];
    const checksOff = security.run({ ...quick, hopModel: 'fixed', hops: 5, accessChecks: 'off' }, quietContext(3)).series['serverRef']![0]![1];
    expect(checksOn).toBeLessThan(checksOff);
    expect(checksOn).toBeCloseTo(100 * clientExposure(0.05, 0.001), 9);
  });

  it('has presets that validate, and says when cheap identities decide', () => {
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

  it('reports progress that rises to 1', () => {
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
