import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quietContext } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import { manifest } from './manifest';
import {
  crossoverClients,
  drawOnlinePeers,
  erlangC,
  finiteQueue,
  kneeClients,
  lookupHops,
  mmcMeanResponse,
  mmcResponseQuantile,
  mmcResponseSurvival,
  peerToPeerMeanResponse,
  peerToPeerResponseQuantile,
  serverLoad,
  simulateStations,
  type ServerLoadParams,
} from './model';

describe('closed forms', () => {
  it.each([
    [1, 2],
    [5, 10],
    [9, 10],
    [0.3, 0.4],
  ])('M/M/1 mean time in system is 1/(μ − λ) for λ = %f, μ = %f', (lambda, mu) => {
    expect(mmcMeanResponse(1, lambda, mu)).toBeCloseTo(1 / (mu - lambda), 12);
  });

  it('Erlang C matches the textbook values: c = 2, a = 1 gives 1/3; c = 3, a = 2 gives 4/9', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // By hand: Σ_{k<3} 2^k/k! = 1 + 2 + 2 = 5 and (2³/3!)·3/(3 − 2) = 4, so C = 4/(5 + 4).
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    // A single worker waits with probability ρ.
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangC(4, 4)).toBe(1);
  });

  it('Erlang C agrees with the direct sum for many workers, where a^c/c! overflows', () => {
    const workers = 200;
    const offered = 180;
    // Direct sum in logs, independent of the Erlang B recursion used by erlangC.
    const logTerms = Array.from({ length: workers + 1 }, (_, k) => {
      let log = 0;
      for (let i = 1; i <= k; i++) log += Math.log(offered / i);
      return log;
    });
    const top = Math.max(...logTerms);
    const below = logTerms.slice(0, workers).reduce((sum, log) => sum + Math.exp(log - top), 0);
    const waiting = Math.exp(logTerms[workers]! - top) * (workers / (workers - offered));
    expect(erlangC(workers, offered)).toBeCloseTo(waiting / (below + waiting), 10);
  });

  it('M/M/2 with λ = μ = 1 spends 4/3 in the system, and is unbounded at the knee', () => {
    expect(mmcMeanResponse(2, 1, 1)).toBeCloseTo(4 / 3, 12);
    expect(mmcMeanResponse(2, 2, 1)).toBe(Infinity);
    expect(mmcResponseQuantile(2, 2.5, 1)).toBe(Infinity);
  });

  it('the M/M/1 95th percentile is ln 20/(μ − λ), since the sojourn is exponential', () => {
    expect(mmcResponseQuantile(1, 6, 10)).toBeCloseTo(Math.log(20) / 4, 9);
    expect(mmcResponseQuantile(1, 1, 2, 0.5)).toBeCloseTo(Math.log(2), 9);
  });

  it('the M/M/c 95th percentile solves the CDF obtained by numerical convolution', () => {
    for (const [workers, lambda, mu] of [[2, 1, 1], [4, 80, 25], [3, 2, 1], [8, 7.5, 1]] as const) {
      const t95 = mmcResponseQuantile(workers, lambda, mu);
      // CDF of Wq + S by Simpson's rule over the waiting-time density, not via the closed survival.
      const waitProbability = erlangC(workers, lambda / mu);
      const theta = workers * mu - lambda;
      const steps = 2000;
      const h = t95 / steps;
      let integral = 0;
      for (let i = 0; i <= steps; i++) {
        const s = i * h;
        const value = theta * Math.exp(-theta * s) * (1 - Math.exp(-mu * (t95 - s)));
        integral += value * (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2);
      }
      integral *= h / 3;
      const cdf = (1 - waitProbability) * (1 - Math.exp(-mu * t95)) + waitProbability * integral;
      expect(cdf).toBeCloseTo(0.95, 6);
    }
  });

  it('handles the tail when the wait and service rates coincide (cμ − λ = μ)', () => {
    // c = 2, μ = 1, λ = 1: the two exponentials have the same rate.
    const near = mmcResponseSurvival(2, 1 + 1e-7, 1, 1.5);
    expect(mmcResponseSurvival(2, 1, 1, 1.5)).toBeCloseTo(near, 5);
    expect(mmcResponseSurvival(3, 2, 1, 0)).toBeCloseTo(1, 12);
  });

  it('M/M/1/K drops with the closed-form probability (1 − ρ)ρ^n/(1 − ρ^(n+1))', () => {
    for (const [rho, waitingRoom] of [[0.5, 4], [0.9, 10], [2, 3], [1.2, 20]] as const) {
      const places = waitingRoom + 1;
      const expected = ((1 - rho) * rho ** places) / (1 - rho ** (places + 1));
      expect(finiteQueue(1, waitingRoom, rho, 1).dropProbability).toBeCloseTo(expected, 12);
    }
    // At ρ = 1 every one of the n + 1 states is equally likely.
    expect(finiteQueue(1, 9, 3, 3).dropProbability).toBeCloseTo(1 / 11, 12);
  });

  it('M/M/c/K tends to M/M/c with a large waiting room, and saturates in heavy overload', () => {
    const big = finiteQueue(4, 5000, 80, 25);
    expect(big.meanResponse).toBeCloseTo(mmcMeanResponse(4, 80, 25), 9);
    expect(big.utilisation).toBeCloseTo(0.8, 9);
    expect(big.dropProbability).toBeLessThan(1e-12);
    // Ten times the capacity: nine in ten are dropped, workers always busy, the queue full.
    const overloaded = finiteQueue(4, 10000, 1000, 25);
    expect(overloaded.dropProbability).toBeCloseTo(0.9, 9);
    expect(overloaded.utilisation).toBeCloseTo(1, 9);
    expect(overloaded.meanResponse).toBeCloseTo((10000 + 4) / 100, 2);
  });

  it('puts the knee at N* = cμ/λ, where the unlimited queue stops being stable', () => {
    expect(kneeClients(4, 25, 0.1)).toBeCloseTo(1000, 9);
    expect(kneeClients(64, 25, 0.1)).toBeCloseTo(16000, 9);
    expect(Number.isFinite(mmcMeanResponse(4, 999 * 0.1, 25))).toBe(true);
    expect(mmcMeanResponse(4, 1000 * 0.1, 25)).toBe(Infinity);
  });

  it('P2P: each online peer carries λ/p whatever N, and only the lookup grows with N', () => {
    const base = { requestRate: 0.1, peerServiceRate: 5, onlineShare: 0.5, lookup: 'chord' as const, hopLatency: 0.05 };
    // 1024 online peers: ½·log₂ 1024 = 5 hops.
    expect(lookupHops(1024, 'chord')).toBe(5);
    expect(lookupHops(1, 'chord')).toBe(1);
    expect(lookupHops(1e6, 'index')).toBe(1);
    expect(peerToPeerMeanResponse({ ...base, clients: 2048 })).toBeCloseTo(5 * 0.05 + 1 / (5 - 0.2), 12);
    expect(peerToPeerResponseQuantile({ ...base, clients: 2048 })).toBeCloseTo(5 * 0.05 + Math.log(20) / 4.8, 12);
    const small = peerToPeerMeanResponse({ ...base, clients: 10 });
    const large = peerToPeerMeanResponse({ ...base, clients: 100000 });
    expect(large - small).toBeCloseTo((lookupHops(50000, 'chord') - lookupHops(5, 'chord')) * 0.05, 12);
    expect(peerToPeerMeanResponse({ ...base, onlineShare: 0.02, clients: 1000 })).toBe(Infinity);
  });
});

describe('event-driven simulation', () => {
  // Batch means over 20 batches: the reported 95% half-width is 1.96 standard errors, so
  // 2 half-widths is about 4 standard errors. Over 40 seeds the worst case was 1.4 half-widths.
  it.each([
    ['M/M/1, ρ = 0.5', 1, 5, 10, 11],
    ['M/M/2, a = 1', 2, 1, 1, 12],
    ['M/M/4, ρ = 0.8', 4, 80, 25, 13],
  ])('%s: the mean is within its confidence interval of Erlang C', (_name, workers, lambda, mu, seed) => {
    const outcome = simulateStations(
      { stations: 1, workersPerStation: workers, waitingRoom: 1_000_000, arrivalRate: lambda, serviceRate: mu, requests: 200_000 },
      createRandom(seed),
    );
    const expected = mmcMeanResponse(workers, lambda, mu);
    expect(Math.abs(outcome.meanResponse - expected)).toBeLessThan(2 * outcome.halfWidth);
    expect(outcome.halfWidth / expected).toBeLessThan(0.05);
    expect(outcome.dropRate).toBe(0);
    // Utilisation is a time average over ~180,000 services; over 40 seeds it missed ρ by < 0.01.
    expect(outcome.utilisation).toBeCloseTo(lambda / (workers * mu), 1);
    // The sample 95th percentile: with 100,000 requests the worst of 40 seeds was 3% off at ρ = 0.5
    // and 7% off at ρ = 0.8 (the tail is strongly correlated near saturation); 12% leaves a margin.
    expect(Math.abs(outcome.p95Response / mmcResponseQuantile(workers, lambda, mu) - 1)).toBeLessThan(0.12);
  });

  it('with a short queue in overload, drops and delay match M/M/c/K', () => {
    const outcome = simulateStations(
      { stations: 1, workersPerStation: 2, waitingRoom: 5, arrivalRate: 3, serviceRate: 1, requests: 100_000 },
      createRandom(21),
    );
    const exact = finiteQueue(2, 5, 3, 1);
    // Drop share over 90,000 requests: the worst of 40 seeds was 0.007 off.
    expect(Math.abs(outcome.dropRate - exact.dropProbability)).toBeLessThan(0.015);
    expect(Math.abs(outcome.meanResponse - exact.meanResponse)).toBeLessThan(2 * outcome.halfWidth);
    expect(outcome.utilisation).toBeCloseTo(exact.utilisation, 1);
  });

  it('many single-worker stations (the P2P side) each behave as M/M/1 with their share of the load', () => {
    const stations = 50;
    const outcome = simulateStations(
      { stations, workersPerStation: 1, waitingRoom: 1_000_000, arrivalRate: stations * 0.6, serviceRate: 1, requests: 200_000 },
      createRandom(31),
    );
    expect(Math.abs(outcome.meanResponse - 1 / (1 - 0.6))).toBeLessThan(2 * outcome.halfWidth);
    expect(outcome.utilisation).toBeCloseTo(0.6, 1);
  });

  it('never loses a request: served plus dropped is every counted request', () => {
    const requests = 20_000;
    const outcome = simulateStations(
      { stations: 3, workersPerStation: 2, waitingRoom: 4, arrivalRate: 10, serviceRate: 1, requests },
      createRandom(5),
    );
    const counted = requests - Math.floor(requests * 0.1);
    expect(outcome.served + Math.round(outcome.dropRate * counted)).toBe(counted);
    expect(outcome.utilisation).toBeLessThanOrEqual(1 + 1e-12);
    expect(outcome.dropRate).toBeGreaterThan(0.3);
  });

  it('draws about pN online peers', () => {
    const online = drawOnlinePeers(100_000, 0.3, createRandom(9));
    // Binomial standard deviation √(Np(1 − p)) ≈ 145; 4 of them is 580.
    expect(Math.abs(online - 30_000)).toBeLessThan(580);
  });
});

describe('the lab model', () => {
  const quick = (values: Record<string, unknown>): ServerLoadParams =>
    validateParams(serverLoad.manifest, { requests: 20_000, ...values }).values as ServerLoadParams;

  it('every preset is valid', () => {
    for (const preset of manifest.presets) {
      expect(validateParams(serverLoad.manifest, preset.values).errors).toEqual({});
    }
  });

  it('gives the same result for the same seed, and another for another seed', () => {
    const params = quick({ clients: 3000 });
    const a = serverLoad.run(params, quietContext(42));
    const b = serverLoad.run(params, quietContext(42));
    const c = serverLoad.run(params, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['csMeanSim']).not.toEqual(a.series['csMeanSim']);
  });

  it('produces every series its charts name', () => {
    const result = serverLoad.run(quick({}), quietContext(5));
    for (const chart of serverLoad.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length, series.key).toBeGreaterThan(1);
    }
    expect(result.series['csMeanSim']!.at(-1)![0]).toBe(10_000);
  });

  it('shows the knee at N* = 1,000 for the defaults: flat below, overloaded above', () => {
    const result = serverLoad.run(quick({}), quietContext(7));
    const busy = new Map(result.series['csBusySim']!.map(([n, y]) => [n, y / 100]));
    const drops = new Map(result.series['csDropSim']!.map(([n, y]) => [n, y / 100]));
    const mean = new Map(result.series['csMeanSim']!.map(([n, y]) => [n, y]));
    for (const [n, utilisation] of busy) {
      const offered = (n * 0.1) / 100;
      if (n <= 500) {
        // Well below the knee: busy ≈ offered (time average over ~18,000 services; over 20 seeds the
        // worst miss was a fifth of this tolerance), nothing dropped, and the mean response within 6%
        // of Erlang C (worst of 30 seeds: 2.6%), which is itself within 8% of the bare 1/μ = 40 ms.
        expect(Math.abs(utilisation - offered)).toBeLessThan(0.1 * offered + 0.01);
        expect(drops.get(n)).toBe(0);
        expect(Math.abs(mean.get(n)! / mmcMeanResponse(4, n * 0.1, 25) - 1)).toBeLessThan(0.06);
        expect(mmcMeanResponse(4, n * 0.1, 25)).toBeLessThan(0.04 * 1.08);
      }
      if (n >= 2000) {
        expect(utilisation).toBeGreaterThan(0.98);
        // Drops approach 1 − N*/N once the waiting room is full.
        expect(Math.abs(drops.get(n)! - (1 - 1000 / n))).toBeLessThan(0.05);
        // With K = 100 waiting, a served request waits about K/(cμ) = 1 s.
        expect(mean.get(n)!).toBeGreaterThan(0.9);
      }
    }
    expect(result.verdict).toContain('N* = cμ/λ = 1,000');
    expect(result.verdict).toMatch(/overloaded/);
  });

  it('P2P loses at small N and wins at large N for the defaults, near the knee', () => {
    const params = quick({});
    const result = serverLoad.run(params, quietContext(8));
    const cs = result.series['csMeanSim']!;
    const p2p = result.series['p2pMeanSim']!;
    expect(p2p[0]![1]).toBeGreaterThan(cs[0]![1]);
    expect(p2p.at(-1)![1]).toBeLessThan(cs.at(-1)![1]);
    const crossover = crossoverClients(params, Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(crossover).not.toBeNull();
    expect(crossover!).toBeGreaterThan(900);
    expect(crossover!).toBeLessThanOrEqual(1000);
    // Per-peer busy share stays near λ/(pμ_p) = 4% at every large size.
    for (const [n, busy] of result.series['p2pBusySim']!) if (n >= 1000) expect(Math.abs(busy - 4)).toBeLessThan(1);
    expect(result.verdict).toMatch(/P2P keeps up at every size/);
    expect(result.verdict).toMatch(/answers faster from N ≈ 9\d\d/);
  });

  it('returns the key numbers the charts and the verdict show', () => {
    const result = serverLoad.run(quick({}), quietContext(8));
    const outputs = result.outputs!;
    expect(outputs['knee']).toBe(1000);
    // The crossover is read on the formulas' grid, so it lies where the full grid puts it: just below the knee.
    expect(outputs['crossover']).toBeGreaterThan(900);
    expect(outputs['crossover']).toBeLessThanOrEqual(1000);
    expect(result.verdict).toContain(`answers faster from N ≈ ${outputs['crossover']}`);
    expect(outputs['serverMean']).toBe(result.series['csMeanSim']!.at(-1)![1]);
    expect(outputs['serverDrops']).toBe(result.series['csDropSim']!.at(-1)![1]);
    expect(outputs['p2pMean']).toBe(result.series['p2pMeanSim']!.at(-1)![1]);
    // Chord: ½·log₂(online peers ≈ 5,000) ≈ 6.1 hops of 50 ms.
    expect(outputs['p2pLookup']).toBeCloseTo(0.5 * Math.log2(5000) * 0.05, 2);
    expect(outputs['p2pLookup']!).toBeLessThan(outputs['p2pMean']!);
    // No crossover with a big server: the output says so with NaN.
    expect(serverLoad.run(quick({ workers: 64 }), quietContext(9)).outputs!['crossover']).toBeNaN();
  });

  it('with a big server the client-server claim holds over the whole range', () => {
    const params = quick({ workers: 64 });
    const result = serverLoad.run(params, quietContext(9));
    expect(result.verdict).toMatch(/holds over this range/);
    expect(crossoverClients(params, Array.from({ length: 10_000 }, (_, i) => i + 1))).toBeNull();
    for (const [, drop] of result.series['csDropSim']!) expect(drop).toBe(0);
  });

  it('with slow lookups the server answers faster above the knee too, but drops what P2P serves', () => {
    const params = quick({ hopLatency: 500 });
    const result = serverLoad.run(params, quietContext(11));
    expect(crossoverClients(params, Array.from({ length: 10_000 }, (_, i) => i + 1))).toBeNull();
    expect(result.series['p2pMeanSim']!.at(-1)![1]).toBeGreaterThan(result.series['csMeanSim']!.at(-1)![1]);
    expect(result.series['csDropSim']!.at(-1)![1]).toBeGreaterThan(80);
    expect(result.series['p2pDropSim']!.at(-1)![1]).toBe(0);
    expect(result.verdict).toMatch(/drops 90\.\d% of requests at N = 10,000, while P2P drops 0\.0%/);
  });

  it('with too few serving peers, P2P is overloaded at every size', () => {
    const result = serverLoad.run(quick({ onlineShare: 0.01 }), quietContext(10));
    expect(result.verdict).toMatch(/P2P is overloaded at every size/);
    // λ/p = 10 requests/s against μ_p = 5: about half the requests cannot be served. The drawn
    // number of online peers M ~ Binomial(10,000, 0.01) = 100 ± 10 sets the per-peer load 1000/M;
    // 25–75% holds for M from 67 to 133, beyond 3 standard deviations (30 seeds gave 39–63%).
    const lastDrop = result.series['p2pDropSim']!.at(-1)![1];
    expect(lastDrop).toBeGreaterThan(25);
    expect(lastDrop).toBeLessThan(75);
    // The server, meanwhile, is overloaded too at N = 10,000: both sides drop.
    expect(result.series['csDropSim']!.at(-1)![1]).toBeGreaterThan(50);
  });

  it('reports progress that rises to 1', () => {
    const reported: number[] = [];
    serverLoad.run(quick({ clients: 100 }), { seed: 1, progress: (f) => reported.push(f) });
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });

  it('has bench cases of growing size built from the defaults', () => {
    expect(serverLoad.benchCases.map((c) => c.size)).toEqual([100, 10_000, 100_000]);
    expect(serverLoad.benchCases[1]!.params).toEqual({ ...defaults(serverLoad.manifest), clients: 10_000 });
  });
});
