import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { buildChordRing, chordLookup, RING_SIZE, successorIndex } from '../kernel/chord';
import { DepartureHeap } from './departure-heap';
import { quietContext } from '../kernel/model';
import { defaults, validateParams } from '../kernel/manifest';
import { manifest } from './manifest';
import {
  crossoverClients,
  describeRun,
  drawOnlinePeers,
  drawSingleServerState,
  erlangC,
  finiteQueue,
  kneeClients,
  lookupHops,
  mmcMeanResponse,
  mmcResponseQuantile,
  mmcResponseSurvival,
  OverlayRouting,
  peerToPeerMeanResponse,
  peerToPeerResponseQuantile,
  serverLoad,
  simulatePeers,
  simulateStations,
  simulatedSizes,
  stationarySampler,
  printedSeconds,
  type RunFindings,
  type ServerLoadParams,
  type StationOutcome,
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
    for (const [workers, lambda, mu] of [
      [2, 1, 1],
      [4, 80, 25],
      [3, 2, 1],
      [8, 7.5, 1],
    ] as const) {
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

  it('M/M/1/(1+K) drops with the closed-form probability (1 − ρ)ρ^n/(1 − ρ^(n+1))', () => {
    for (const [rho, waitingRoom] of [
      [0.5, 4],
      [0.9, 10],
      [2, 3],
      [1.2, 20],
    ] as const) {
      const places = waitingRoom + 1;
      const expected = ((1 - rho) * rho ** places) / (1 - rho ** (places + 1));
      expect(finiteQueue(1, waitingRoom, rho, 1).dropProbability).toBeCloseTo(expected, 12);
    }
    // At ρ = 1 every one of the n + 1 states is equally likely.
    expect(finiteQueue(1, 9, 3, 3).dropProbability).toBeCloseTo(1 / 11, 12);
  });

  it('M/M/c/(c+K) tends to M/M/c with a large waiting room, and saturates in heavy overload', () => {
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
    // 1024 online peers: ½·log₂ 1024 = 5 forwards, plus one entry hop for the half of requesters off the ring.
    expect(lookupHops(1024, 'chord')).toBe(5);
    expect(lookupHops(1024, 'chord', 0.5)).toBe(5.5);
    expect(lookupHops(1, 'chord')).toBe(0);
    expect(lookupHops(1e6, 'index', 0.9)).toBe(1);
    expect(peerToPeerMeanResponse({ ...base, clients: 2048 })).toBeCloseTo(5.5 * 0.05 + 1 / (5 - 0.2), 12);
    expect(peerToPeerResponseQuantile({ ...base, clients: 2048 })).toBeCloseTo(5.5 * 0.05 + Math.log(20) / 4.8, 12);
    const small = peerToPeerMeanResponse({ ...base, clients: 10 });
    const large = peerToPeerMeanResponse({ ...base, clients: 100000 });
    expect(large - small).toBeCloseTo(0.5 * Math.log2(50000 / 5) * 0.05, 12);
    expect(peerToPeerMeanResponse({ ...base, onlineShare: 0.02, clients: 1000 })).toBe(Infinity);
  });
});

describe('event-driven simulation', () => {
  // Batch means over 20 batches: the reported 95% half-width is t(19) = 2.09 standard errors, so
  // 2 half-widths is about 4 standard errors: a miss there would be a bias, not bad luck.
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
    expect(Math.abs(outcome.meanResponse.value - expected)).toBeLessThan(2 * outcome.meanResponse.halfWidth);
    expect(outcome.meanResponse.halfWidth / expected).toBeLessThan(0.05);
    expect(outcome.dropRate.value).toBe(0);
    // Utilisation is a time average over ~180,000 services; over 40 seeds it missed ρ by < 0.01.
    expect(outcome.utilisation.value).toBeCloseTo(lambda / (workers * mu), 1);
    // Its interval, from 20 batches of time, covers ρ too.
    expect(Math.abs(outcome.utilisation.value - lambda / (workers * mu))).toBeLessThan(2 * outcome.utilisation.halfWidth);
    // The sample 95th percentile: with 100,000 requests the worst of 40 seeds was 3% off at ρ = 0.5
    // and 7% off at ρ = 0.8 (the tail is strongly correlated near saturation); 12% leaves a margin.
    expect(Math.abs(outcome.p95Response / mmcResponseQuantile(workers, lambda, mu) - 1)).toBeLessThan(0.12);
  });

  it('with a short queue in overload, drops and delay match M/M/c/(c+K)', () => {
    const outcome = simulateStations(
      { stations: 1, workersPerStation: 2, waitingRoom: 5, arrivalRate: 3, serviceRate: 1, requests: 100_000 },
      createRandom(21),
    );
    const exact = finiteQueue(2, 5, 3, 1);
    // Drop share over 90,000 requests: the worst of 40 seeds was 0.007 off.
    expect(Math.abs(outcome.dropRate.value - exact.dropProbability)).toBeLessThan(0.015);
    expect(Math.abs(outcome.dropRate.value - exact.dropProbability)).toBeLessThan(2 * outcome.dropRate.halfWidth);
    expect(Math.abs(outcome.meanResponse.value - exact.meanResponse)).toBeLessThan(2 * outcome.meanResponse.halfWidth);
    expect(outcome.utilisation.value).toBeCloseTo(exact.utilisation, 1);
  });

  it('many single-worker stations (the P2P side) each behave as M/M/1 with their share of the load', () => {
    const stations = 50;
    const outcome = simulateStations(
      { stations, workersPerStation: 1, waitingRoom: 1_000_000, arrivalRate: stations * 0.6, serviceRate: 1, requests: 200_000 },
      createRandom(31),
    );
    expect(Math.abs(outcome.meanResponse.value - 1 / (1 - 0.6))).toBeLessThan(2 * outcome.meanResponse.halfWidth);
    expect(outcome.utilisation.value).toBeCloseTo(0.6, 1);
  });

  it('never loses a request: served plus dropped is every counted request', () => {
    const requests = 20_000;
    const outcome = simulateStations(
      { stations: 3, workersPerStation: 2, waitingRoom: 4, arrivalRate: 10, serviceRate: 1, requests },
      createRandom(5),
    );
    const counted = requests - Math.floor(requests * 0.1);
    expect(outcome.counted).toBe(counted);
    expect(outcome.served + Math.round(outcome.dropRate.value * counted)).toBe(counted);
    expect(outcome.utilisation.value).toBeLessThanOrEqual(1 + 1e-12);
    expect(outcome.dropRate.value).toBeGreaterThan(0.3);
  });

  it('draws about pN online peers', () => {
    const online = drawOnlinePeers(100_000, 0.3, createRandom(9));
    // Binomial standard deviation √(Np(1 − p)) ≈ 145; 4 of them is 580.
    expect(Math.abs(online - 30_000)).toBeLessThan(580);
  });

  it('starts queues in their stationary state: the draws have the M/M/c/(c+K) mean number in system', () => {
    const random = createRandom(15);
    const meanOf = (draw: () => number, count = 40_000) => {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += draw();
      return sum / count;
    };
    // Little's law on the exact queue: L = λ(1 − P_drop)·W.
    const exactL = (c: number, k: number, lambda: number, mu: number) => {
      const f = finiteQueue(c, k, lambda, mu);
      return lambda * (1 - f.dropProbability) * f.meanResponse;
    };
    for (const [k, lambda, mu] of [
      [4, 0.5, 1],
      [3, 2, 1],
      [9, 3, 3],
      [100, 1, 5],
    ] as const) {
      const expected = exactL(1, k, lambda, mu);
      expect(Math.abs(meanOf(() => drawSingleServerState(k, lambda, mu, random)) - expected)).toBeLessThan(0.03 * Math.max(1, expected));
    }
    // Heavy overload: the queue is full, whatever K.
    expect(drawSingleServerState(10_000, 1000, 1, random)).toBeGreaterThan(9_990);
    for (const [c, k, lambda, mu] of [
      [4, 100, 100, 25],
      [4, 100, 80, 25],
      [2, 5, 3, 1],
    ] as const) {
      const sampler = stationarySampler(c, k, lambda, mu);
      const expected = exactL(c, k, lambda, mu);
      expect(Math.abs(meanOf(() => sampler(random)) - expected)).toBeLessThan(0.03 * expected);
    }
  });

  it('the departure heap pops in time order, ties by arrival, whatever the order of pushes', () => {
    const random = createRandom(4);
    const heap = new DepartureHeap(2);
    const reference: Array<[number, number]> = [];
    const popped: Array<[number, number]> = [];
    for (let step = 0; step < 5000; step++) {
      if (heap.size > 0 && random.next() < 0.45) {
        popped.push([heap.peekTime(), heap.peekRequest()]);
        heap.pop();
        continue;
      }
      // Coarse times, so that ties happen.
      const entry: [number, number] = [Math.floor(random.next() * 50), step];
      heap.push(entry[0], entry[1]);
      reference.push(entry);
    }
    const remaining = heap.size;
    expect(remaining).toBeGreaterThan(100);
    while (heap.size > 0) {
      popped.push([heap.peekTime(), heap.peekRequest()]);
      heap.pop();
    }
    expect(popped).toHaveLength(reference.length);
    expect(heap.peekTime()).toBe(Infinity);
    // Everything pushed comes out once; runs of pops without pushes between them come out sorted.
    expect([...popped].sort((a, b) => a[1] - b[1])).toEqual([...reference].sort((a, b) => a[1] - b[1]));
    const drain = popped.slice(-remaining);
    for (let i = 1; i < drain.length; i++) {
      const [t0, r0] = drain[i - 1]!;
      const [t1, r1] = drain[i]!;
      expect(t1 > t0 || (t1 === t0 && r1 > r0)).toBe(true);
    }
  });

  it('routes every request over the simulated Chord ring to the peer that holds its key', () => {
    const random = createRandom(12);
    const ring = buildChordRing(1000, random);
    // Every client on the ring: hops are exactly Chord's, the owner the key's successor.
    const onRing = new OverlayRouting(ring, 1000, 'chord', 0.05);
    let hops = 0;
    const probe = createRandom(77);
    const check = createRandom(77);
    for (let i = 0; i < 4000; i++) {
      const owner = onRing.next(probe);
      const key = Math.floor(check.next() * RING_SIZE);
      const start = check.int(1000);
      const route = chordLookup(ring, start, key);
      expect(owner).toBe(route.owner);
      expect(owner).toBe(successorIndex(ring, key));
      expect(onRing.hops).toBe(route.hops);
      expect(onRing.delay).toBeCloseTo(route.hops * 0.05, 12);
      hops += onRing.hops;
    }
    // Chord's mean path is about ½·log₂ M (Stoica et al. 2001): 4.98 hops for M = 1,000.
    expect(Math.abs(hops / 4000 - 0.5 * Math.log2(1000))).toBeLessThan(0.3);
    // Half the clients off the ring: each of those pays one entry hop more.
    const half = new OverlayRouting(ring, 2000, 'chord', 0.05);
    let halfHops = 0;
    for (let i = 0; i < 4000; i++) {
      half.next(probe);
      halfHops += half.hops;
    }
    expect(Math.abs(halfHops / 4000 - lookupHops(1000, 'chord', 0.5))).toBeLessThan(0.3);
    // A central index: one hop, the same holder.
    const index = new OverlayRouting(ring, 2000, 'index', 0.05);
    const owner = index.next(createRandom(5));
    expect(owner).toBe(successorIndex(ring, Math.floor(createRandom(5).next() * RING_SIZE)));
    expect(index.hops).toBe(1);
  });

  it('simulates every online peer as its own queue, loaded by its arc of the ring', { timeout: 20_000 }, () => {
    // 200 peers, 150 requests/s: 0.75 per peer on average, the busiest arc several times that.
    const peers = 200;
    const rate = 150;
    const mu = 5;
    const ring = buildChordRing(peers, createRandom(3));
    const arcs = Array.from(ring, (id, i) => ((id - ring[(i + peers - 1) % peers]!) >>> 0 || RING_SIZE) / RING_SIZE);
    expect(arcs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // Requests are split by arc: a request's mean M/M/1 sojourn is Σ arc·1/(μ − λ·arc), larger
    // than the equal-share 1/(μ − λ/M) because busy peers get more of the requests.
    const expected = arcs.reduce((sum, arc) => sum + arc / (mu - rate * arc), 0);
    expect(expected).toBeGreaterThan(1 / (mu - rate / peers));
    const outcome = simulateStations(
      {
        stations: peers,
        workersPerStation: 1,
        waitingRoom: 1_000_000,
        arrivalRate: rate,
        serviceRate: mu,
        requests: 200_000,
        routing: new OverlayRouting(ring, peers, 'chord', 0),
      },
      createRandom(8),
    );
    expect(Math.abs(outcome.meanResponse.value - expected)).toBeLessThan(2 * outcome.meanResponse.halfWidth);
    expect(outcome.utilisation.value).toBeCloseTo(rate / (peers * mu), 2);
    expect(outcome.meanLookup).toBe(0);
  });

  it('a P2P run at one size builds a ring of the online peers and reports its busiest arc', () => {
    const params = validateParams(manifest, { requests: 5000 }).values as ServerLoadParams;
    const side = simulatePeers(params, 4000, createRandom(6))!;
    expect(Math.abs(side.online - 2000)).toBeLessThan(130);
    // The largest of M exponential-like arcs is about ln M times the mean (7.6 for M = 2,000).
    const meanLoad = (4000 * 0.1) / side.online;
    expect(side.busiestLoad / meanLoad).toBeGreaterThan(4);
    expect(side.busiestLoad / meanLoad).toBeLessThan(15);
    // Lookup: (1 − p) entry hops + ½·log₂ M forwards, 50 ms each.
    expect(Math.abs(side.outcome.meanLookup / 0.05 - lookupHops(side.online, 'chord', 0.5))).toBeLessThan(0.3);
    expect(simulatePeers({ ...params, onlineShare: 0.01 }, 1, createRandom(1))).toBeNull();
  });
});

describe('the lab model', () => {
  const quick = (values: Record<string, unknown>): ServerLoadParams =>
    validateParams(serverLoad.manifest, { requests: 20_000, ...values }).values as ServerLoadParams;
  const everyN = Array.from({ length: 10_000 }, (_, i) => i + 1);
  // The default run is shared by the tests that read it: a whole lab run is the slow part.
  let defaultRun: ReturnType<typeof serverLoad.run> | undefined;
  const runDefaults = () => (defaultRun ??= serverLoad.run(quick({}), quietContext(7)));

  it('every preset is valid', () => {
    for (const preset of manifest.presets) {
      expect(validateParams(serverLoad.manifest, preset.values).errors).toEqual({});
    }
  });

  it('names the finite queue M/M/c/(c+K) everywhere, never M/M/c/K with K the waiting room', () => {
    const text = JSON.stringify(manifest);
    expect(text).toContain('M/M/c/(c+K)');
    expect(text).not.toMatch(/M\/M\/c\/K(?![\w)])/);
  });

  it('gives every series a subject shared across charts, and every axis its format', () => {
    for (const chart of manifest.charts) {
      expect(chart.x.format).toBe('count');
      for (const series of chart.series) expect(['server', 'p2p']).toContain(series.subject);
    }
    const formats = Object.fromEntries(manifest.charts.map((c) => [c.id, (c.y as { format?: string }).format]));
    expect(formats).toEqual({ 'mean-response': 'duration', 'p95-response': 'duration', utilisation: undefined, drops: 'percent' });
  });

  it('gives the same result for the same seed, and another for another seed', () => {
    const params = quick({ clients: 300, requests: 5000 });
    const a = serverLoad.run(params, quietContext(42));
    const b = serverLoad.run(params, quietContext(42));
    const c = serverLoad.run(params, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['csMeanSim']).not.toEqual(a.series['csMeanSim']);
  });

  it('simulates each size as a task on its own seed: the same size in runs of different ranges agrees within its intervals', () => {
    const small = serverLoad.run(quick({ clients: 100, requests: 5000 }), quietContext(3));
    const large = serverLoad.run(quick({ clients: 1000, requests: 5000 }), quietContext(3));
    const at100 = (result: typeof small, key: string) => result.series[key]!.find(([n]) => n === 100) as [number, number, number, number];
    for (const key of ['csMeanSim', 'p2pMeanSim']) {
      const [, a, aLow, aHigh] = at100(small, key);
      const [, b, bLow, bHigh] = at100(large, key);
      // Two independent estimates of one mean: their difference is within the sum of their half-widths
      // (about 2.8 standard errors of the difference).
      expect(a, key).not.toBe(b);
      expect(Math.abs(a - b), key).toBeLessThan((aHigh - aLow) / 2 + (bHigh - bLow) / 2);
    }
  });

  it('produces every series its charts name, with the formulas at every simulated N', () => {
    const result = runDefaults();
    for (const chart of serverLoad.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length, series.key).toBeGreaterThan(1);
    }
    expect(result.series['csMeanSim']!.at(-1)![0]).toBe(10_000);
    const formulaXs = new Set(result.series['csMeanFinite']!.map(([n]) => n));
    for (const key of ['csMeanSim', 'p2pMeanSim', 'csDropSim'])
      for (const [n] of result.series[key]!) expect(formulaXs.has(n), `${key} at ${n}`).toBe(true);
  });

  it('simulates the server densely around the knee, so its markers show the bend', () => {
    const { server, peers } = simulatedSizes(10_000, 1000);
    expect(server.filter((n) => n >= 800 && n <= 1250).length).toBeGreaterThanOrEqual(7);
    expect(server).toContain(1000);
    expect(peers).toHaveLength(13);
    for (const n of peers) expect(server).toContain(n);
    // No knee point outside the range simulated.
    expect(simulatedSizes(100, 1000).server).toEqual(simulatedSizes(100, 1000).peers);
    const result = runDefaults();
    const mean = new Map(result.series['csMeanSim']!.map(([n, y]) => [n, y]));
    // Flat well below, rising through the knee, capped near (c + K)/(cμ) = 1.04 s well above.
    expect(mean.get(500)!).toBeLessThan(0.05);
    expect(mean.get(800)!).toBeGreaterThan(mean.get(500)!);
    expect(mean.get(950)!).toBeGreaterThan(mean.get(800)!);
    expect(mean.get(1100)!).toBeGreaterThan(mean.get(950)!);
    expect(mean.get(2000)!).toBeGreaterThan(0.9);
  });

  it('gives simulated means, drops and busy shares a 95% interval around the point', () => {
    const result = runDefaults();
    for (const key of ['csMeanSim', 'csDropSim', 'csBusySim', 'p2pMeanSim', 'p2pBusySim', 'p2pDropSim']) {
      for (const point of result.series[key]!) {
        // The one exact point: no peer online at that size, so every request is dropped.
        if (key === 'p2pDropSim' && point.length === 2) {
          expect(point[1]).toBe(100);
          continue;
        }
        expect(point, key).toHaveLength(4);
        const [, y, low, high] = point as [number, number, number, number];
        expect(low).toBeLessThanOrEqual(y);
        expect(high).toBeGreaterThanOrEqual(y);
      }
    }
    // Below the knee the server's mean is tight; at the knee the interval is wide.
    const width = (n: number) => {
      const [, y, low, high] = result.series['csMeanSim']!.find(([x]) => x === n)! as [number, number, number, number];
      return (high - low) / y;
    };
    expect(width(100)).toBeLessThan(0.05);
    expect(width(980)).toBeGreaterThan(width(100));
  });

  it('shows the knee at N* = 1,000 for the defaults: flat below, overloaded above', () => {
    const result = runDefaults();
    const busy = new Map(result.series['csBusySim']!.map(([n, y]) => [n, y / 100]));
    const drops = new Map(result.series['csDropSim']!.map(([n, y]) => [n, y / 100]));
    const mean = new Map(result.series['csMeanSim']!.map(([n, y]) => [n, y]));
    for (const [n, utilisation] of busy) {
      const offered = (n * 0.1) / 100;
      if (n < 500) {
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
    const result = runDefaults();
    const cs = result.series['csMeanSim']!;
    const p2p = result.series['p2pMeanSim']!;
    expect(p2p[0]![1]).toBeGreaterThan(cs[0]![1]);
    expect(p2p.at(-1)![1]).toBeLessThan(cs.at(-1)![1]);
    const crossover = crossoverClients(params, everyN);
    expect(crossover).not.toBeNull();
    expect(crossover!.clients).toBeGreaterThan(900);
    expect(crossover!.clients).toBeLessThanOrEqual(1000);
    expect(printedSeconds(crossover!.peerToPeer)).toBeLessThan(printedSeconds(crossover!.server));
    // Per-peer busy share stays near λ/(pμ_p) = 4% at every large size.
    for (const [n, busy] of result.series['p2pBusySim']!) if (n >= 1000) expect(Math.abs(busy - 4)).toBeLessThan(1);
    expect(result.verdict).toMatch(/P2P keeps up at every size/);
    expect(result.verdict).toMatch(/answers faster from N ≈ (9\d\d|1,000)/);
    expect(result.verdict).toMatch(/P2P answers the requests it serves faster than the server/);
  });

  it('returns the key numbers the charts and the verdict show', () => {
    const result = runDefaults();
    const outputs = result.outputs!;
    expect(outputs['knee']).toBe(1000);
    // The crossover is read on the formulas' grid, so it lies where the full grid puts it: just below the knee.
    expect(outputs['crossover']).toBeGreaterThan(900);
    expect(outputs['crossover']).toBeLessThanOrEqual(1000);
    expect(result.verdict).toContain(`answers faster from N ≈ ${outputs['crossover']!.toLocaleString('en-US')}`);
    expect(outputs['serverMean']).toBe(result.series['csMeanSim']!.at(-1)![1]);
    expect(outputs['serverDrops']).toBe(result.series['csDropSim']!.at(-1)![1]);
    expect(outputs['p2pMean']).toBe(result.series['p2pMeanSim']!.at(-1)![1]);
    // Chord on the simulated ring: ½ + ½·log₂(online peers ≈ 5,000) ≈ 6.6 hops of 50 ms.
    expect(Math.abs(outputs['p2pLookup']! - (0.5 + 0.5 * Math.log2(5000)) * 0.05)).toBeLessThan(0.3 * 0.05);
    expect(outputs['p2pLookup']!).toBeLessThan(outputs['p2pMean']!);
    // No crossover with a big server: the output says so with NaN, which the manifest documents.
    expect(serverLoad.run(quick({ workers: 64 }), quietContext(9)).outputs!['crossover']).toBeNaN();
    const documented = manifest.outputs.filter((o) => 'missingWhen' in o).map((o) => o.key);
    expect(documented).toEqual(['crossover', 'serverMean', 'p2pMean', 'p2pLookup']);
  });

  it('with a central index every lookup is exactly one hop', () => {
    const result = serverLoad.run(quick({ lookup: 'index', clients: 2000 }), quietContext(4));
    expect(result.outputs!['p2pLookup']).toBeCloseTo(0.05, 12);
  });

  it('with a big server the client-server claim holds over the whole range', () => {
    const params = quick({ workers: 64 });
    const result = serverLoad.run(params, quietContext(9));
    expect(result.verdict).toMatch(/holds over this range/);
    expect(crossoverClients(params, everyN)).toBeNull();
    for (const [, drop] of result.series['csDropSim']!) expect(drop).toBe(0);
    expect(result.verdict).toMatch(/By the formulas the server is never slower than P2P up to N = 10,000/);
  });

  it('with slow lookups the server answers faster above the knee too, but drops what P2P serves', () => {
    const params = quick({ hopLatency: 500 });
    const result = serverLoad.run(params, quietContext(11));
    expect(crossoverClients(params, everyN)).toBeNull();
    expect(result.series['p2pMeanSim']!.at(-1)![1]).toBeGreaterThan(result.series['csMeanSim']!.at(-1)![1]);
    expect(result.series['csDropSim']!.at(-1)![1]).toBeGreaterThan(80);
    expect(result.series['p2pDropSim']!.at(-1)![1]).toBe(0);
    expect(result.verdict).toMatch(/the server answers the requests it serves faster than P2P/);
    // Far above the knee the server drops about 1 − cμ/(Nλ) = 90%; the printed share lies within a point of the exact M/M/c/(c+K) value.
    const printed = /the server drops (\d+\.\d)% of requests and P2P 0\.0%/.exec(result.verdict);
    expect(printed).not.toBeNull();
    expect(Math.abs(Number(printed![1]) - 100 * finiteQueue(4, 100, 10_000 * 0.1, 25).dropProbability)).toBeLessThan(1);
  });

  it('with too few serving peers, P2P is overloaded at every size, and the summary says why its formula is empty', () => {
    const result = serverLoad.run(quick({ onlineShare: 0.01 }), quietContext(10));
    expect(result.verdict).toMatch(/P2P is overloaded at every size/);
    expect(result.series['p2pMeanRef']).toEqual([]);
    expect(result.series['p2pP95Ref']).toEqual([]);
    expect(result.summary).toMatch(/dashed P2P response lines have no points/);
    expect(result.summary).toMatch(/unstable, has no steady state/);
    expect(result.outputs!['crossover']).toBeNaN();
    // λ/p = 10 requests/s against μ_p = 5: about half the requests cannot be served. The drawn
    // number of online peers M ~ Binomial(10,000, 0.01) = 100 ± 10 sets the per-peer load 1000/M,
    // and unequal arcs spread it further; 25–75% holds with a wide margin.
    const lastDrop = result.series['p2pDropSim']!.at(-1)![1];
    expect(lastDrop).toBeGreaterThan(25);
    expect(lastDrop).toBeLessThan(75);
    // Below N = 1/p no peer is usually online: every request is dropped.
    expect(result.series['p2pDropSim']![0]).toEqual([1, 100]);
    expect(result.series['csDropSim']!.at(-1)![1]).toBeGreaterThan(50);
    // When the peers are stable the summary does not claim an empty formula.
    expect(serverLoad.run(quick({ clients: 100 }), quietContext(10)).summary).not.toMatch(/no points/);
  });

  it('with peers 40% busy on average, the busiest arcs of the ring overload and drop what the equal-share formula keeps', () => {
    const result = serverLoad.run(quick({ peerServiceRate: 0.5, clients: 2000 }), quietContext(6));
    // Equal shares: ρ = 0.4 and a waiting room of 100, so the formula drops 0.4^101 ≈ 0.
    expect(result.series['p2pDropRef']!.at(-1)![1]).toBeLessThan(1e-30);
    // On the ring a request lands on an arc of size-biased length: with exponential arcs a share
    // (1 + t)e^(−t) of keys lies on arcs more than t = 2.5 times the mean, whose peers are overloaded: about 29%.
    // Those peers drop their excess, several percent of all requests.
    const lastDrop = result.series['p2pDropSim']!.at(-1)![1];
    expect(lastDrop).toBeGreaterThan(2);
    expect(lastDrop).toBeLessThan(20);
    expect(result.verdict).toMatch(/On average P2P keeps up/);
    expect(result.verdict).toMatch(/not because the network is large/);
  });

  it('reports progress that rises to 1', () => {
    const reported: number[] = [];
    serverLoad.run(quick({ clients: 100, requests: 5000 }), { seed: 1, progress: (f) => reported.push(f) });
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });

  it('has bench cases of growing size built from the defaults', () => {
    expect(serverLoad.benchCases.map((c) => c.size)).toEqual([10_000, 100_000, 1_000_000]);
    expect(serverLoad.benchCases[2]!.params).toEqual({ ...defaults(serverLoad.manifest), clients: 1_000_000 });
    expect(serverLoad.manifest.params.find((p) => p.name === 'clients')).toMatchObject({ max: 1_000_000 });
  });
});

describe('verdict sentences are chosen by the numbers they print', () => {
  const params = validateParams(manifest, {}).values as ServerLoadParams;
  const outcome = (mean: number, drops = 0, lookup = 0, utilisation = 0.5): StationOutcome => ({
    meanResponse: { value: mean, halfWidth: NaN },
    p95Response: 3 * mean,
    dropRate: { value: drops, halfWidth: NaN },
    utilisation: { value: utilisation, halfWidth: NaN },
    meanLookup: lookup,
    served: 100,
    counted: 100,
  });
  const findings = (
    overrides: Partial<RunFindings> = {},
    lastServer = 1.02,
    lastPeer = 0.543,
    lastLookup = 0.325,
    busiestLoad = 1.5,
  ): RunFindings => {
    const first = { clients: 1, server: outcome(0.04), peers: { outcome: outcome(0.21, 0, 0.001), online: 1, busiestLoad: 0.1 } };
    return {
      params,
      knee: 1000,
      first,
      last: {
        clients: 10_000,
        server: outcome(lastServer, 0.9),
        peers: { outcome: outcome(lastPeer, 0, lastLookup), online: 5000, busiestLoad },
      },
      crossover: { clients: 990, peerToPeer: 0.457, server: 0.534 },
      smallestWithPeers: first,
      formulasAtLargest: { server: 1.04, peerToPeer: 0.54 },
      ...overrides,
    };
  };
  /** The two durations printed in "... faster ...: A against B", in seconds. */
  const againstPair = (verdict: string): [number, number] => {
    const match = /faster than (?:the server|P2P): ([\d.,]+ \w+) against ([\d.,]+ \w+)/.exec(verdict)!;
    const seconds = (text: string) => {
      const [value, unit] = text.split(' ');
      return Number(value!.replace(/,/g, '')) * ({ ms: 1e-3, s: 1, min: 60 } as Record<string, number>)[unit!]!;
    };
    return [seconds(match[1]!), seconds(match[2]!)];
  };

  it('says which side answers faster by the printed means, and "equally" when they print the same', () => {
    const p2pFaster = describeRun(findings()).verdict;
    expect(p2pFaster).toMatch(/P2P answers the requests it serves faster than the server: 543 ms against 1.02 s/);
    const [a, b] = againstPair(p2pFaster);
    expect(a).toBeLessThan(b);
    const serverFaster = describeRun(findings({}, 0.3, 0.543)).verdict;
    expect(serverFaster).toMatch(/the server answers the requests it serves faster than P2P: 300 ms against 543 ms/);
    const [c, d] = againstPair(serverFaster);
    expect(c).toBeLessThan(d);
    // 543.1 ms and 543.4 ms both print as 543 ms: neither is called faster.
    expect(describeRun(findings({}, 0.5434, 0.5431)).verdict).toMatch(/answer the requests they serve equally fast, in 543 ms/);
  });

  it('says the client-server claim holds over the range only when the printed N is below the printed knee', () => {
    expect(describeRun(findings({ knee: 20_000 })).verdict).toMatch(
      /holds over this range, because 10,000 clients stay below the knee N\* = 20,000/,
    );
    // N* = 10,000.4 prints as 10,000: N = 10,000 is not below it.
    const atKnee = describeRun(findings({ knee: 10_000.4 })).verdict;
    expect(atKnee).not.toMatch(/holds over this range/);
    expect(atKnee).toMatch(/holds only below the knee N\* = cμ\/λ = 10,000/);
    const tiny = describeRun(findings({ params: { ...params, requestRate: 100 }, knee: 1 })).verdict;
    expect(tiny).toMatch(
      /fails from the first client here: one client’s λ = 100 requests\/s is at least the capacity cμ = 100 requests\/s/,
    );
  });

  it('says the lookup grows only when the printed delays differ', () => {
    expect(describeRun(findings()).verdict).toMatch(/only the lookup grows, from 1 ms at N = 1 to 325 ms at N = 10,000/);
    const flat = findings({}, 1.02, 0.543, 0.0010004);
    expect(describeRun(flat).verdict).toMatch(/the lookup, 1 ms at N = 10,000, does not grow over this range \(1 ms at N = 1\)/);
  });

  it('says whether even the busiest peer keeps up, by its printed share of capacity', () => {
    expect(describeRun(findings()).verdict).toMatch(
      /P2P keeps up at every size: .*even the busiest peer on the simulated ring, which owns the largest arc of keys, is offered 30.0% of its capacity/,
    );
    const hot = describeRun(findings({}, 1.02, 0.543, 0.325, 5.0001)).verdict;
    expect(hot).toMatch(
      /On average P2P keeps up: .*the peer that owns the largest is offered 100.0% of its capacity, so P2P drops 0.0% of requests/,
    );
    expect(hot).not.toMatch(/P2P keeps up at every size/);
  });

  it('says P2P is overloaded exactly when the formula is empty (λ/p ≥ μ_p), and why it is empty', () => {
    const unstable = describeRun(
      findings({ params: { ...params, onlineShare: 0.02 }, crossover: null, formulasAtLargest: { server: 1.04, peerToPeer: Infinity } }),
    );
    expect(unstable.verdict).toMatch(/each online peer would be sent λ\/p = 5 requests\/s, at least its capacity μ_p = 5/);
    expect(unstable.summary).toMatch(
      /dashed P2P response lines have no points: each online peer would be sent λ\/p = 5 requests\/s but serves at most μ_p = 5, so its queue is unstable/,
    );
    expect(unstable.verdict).not.toMatch(/By the formulas/);
    // Just below: the formula has points, so the summary must not say it has none.
    expect(
      peerToPeerMeanResponse({ clients: 10, requestRate: 0.1, peerServiceRate: 5.001, onlineShare: 0.02, lookup: 'chord', hopLatency: 0 }),
    ).toBeLessThan(Infinity);
    expect(describeRun(findings({ params: { ...params, peerServiceRate: 5.001, onlineShare: 0.02 } })).summary).not.toMatch(/no points/);
    const stable = describeRun(findings({ params: { ...params, onlineShare: 0.03 } }));
    expect(stable.verdict).toMatch(/each online peer is sent λ\/p = 3.33 requests\/s on average/);
    expect(stable.summary).not.toMatch(/no points/);
  });

  it('states the formulas’ crossover with the two printed means, or that the server is never slower', () => {
    expect(describeRun(findings()).verdict).toMatch(/answers faster from N ≈ 990 \(457 ms against the server’s 534 ms\)/);
    const none = describeRun(findings({ crossover: null, formulasAtLargest: { server: 1.04, peerToPeer: 1.2 } })).verdict;
    expect(none).toMatch(
      /By the formulas the server is never slower than P2P up to N = 10,000 \(1.04 s against 1.2 s there\), because its full waiting room caps/,
    );
    // Never claimed when the printed numbers would contradict it.
    const odd = describeRun(findings({ crossover: null, formulasAtLargest: { server: 1.04, peerToPeer: 0.54 } })).verdict;
    expect(odd).not.toMatch(/never slower/);
    expect(odd).toMatch(/By the formulas the server takes 1.04 s and P2P 540 ms at N = 10,000/);
  });
});
