import { describe, expect, it } from 'vitest';
import { createRandom } from '../kernel/random';
import { quantile } from '../kernel/stats';
import { buildChordRing, chordLookup, RING_SIZE, successorIndex } from '../kernel/chord';
import { RingIndex } from './ring-index';
import { UniformStream } from './uniform-stream';
import { validateParams } from '../kernel/manifest';
import { quietContext, taskSeed } from '../kernel/model';
import { manifest } from './manifest';
import { gammaDraw, quantileInPlace } from './draws';
import {
  assembleRun,
  mmcMeanResponse,
  planTasks,
  pooledOutcome,
  pooledPeers,
  runStations,
  runTask,
  serverLoad,
  type ServerLoadParams,
  type ServerLoadPart,
  type StationObserver,
} from './model';

const paramsOf = (values: Record<string, unknown>): ServerLoadParams => validateParams(manifest, values).values as ServerLoadParams;

describe('numerical helpers', () => {
  it('draws Gamma(k, μ) with mean k/μ and variance k/μ², by products for small k and by Marsaglia–Tsang for large', () => {
    const random = createRandom(3);
    for (const [shape, rate] of [
      [3, 2],
      [12, 1],
      [13, 0.5],
      [5000, 4],
    ] as const) {
      const draws = 20_000;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < draws; i++) {
        const x = gammaDraw(shape, rate, random);
        sum += x;
        squares += x * x;
      }
      const mean = sum / draws;
      const variance = squares / draws - mean * mean;
      // Four standard errors of the sample mean; the variance within 6%.
      expect(Math.abs(mean - shape / rate)).toBeLessThan((4 * Math.sqrt(shape)) / rate / Math.sqrt(draws));
      expect(Math.abs(variance / (shape / rate ** 2) - 1)).toBeLessThan(0.06);
    }
    expect(gammaDraw(0, 1, random)).toBe(0);
  });

  it('draws uniforms from its own sfc32 stream: deterministic for its seed, uniform and uncorrelated', () => {
    const draw = (seed: number, count: number) => {
      const stream = new UniformStream(createRandom(seed));
      return Float64Array.from({ length: count }, () => stream.next());
    };
    expect(draw(5, 10_000)).toEqual(draw(5, 10_000));
    expect(draw(6, 10)).not.toEqual(draw(5, 10));
    const values = draw(7, 100_000);
    let sum = 0;
    let squares = 0;
    let lagged = 0;
    let outside = 0;
    for (let i = 0; i < values.length; i++) {
      const u = values[i]!;
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      squares += u * u;
      if (i > 0) lagged += (u - 0.5) * (values[i - 1]! - 0.5);
    }
    const n = values.length;
    expect(outside).toBe(0);
    // Four standard errors: of the mean √(1/12n), of the variance and the lag-1 covariance about 0.3/√n and 1/(12√n).
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(squares / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan((4 * 0.075) / Math.sqrt(n));
    expect(Math.abs(lagged / (n - 1))).toBeLessThan(4 / 12 / Math.sqrt(n));
  });

  it('finds the same quantile by selection as the kernel does by sorting, ties and all', () => {
    const random = createRandom(8);
    for (const length of [1, 2, 3, 10, 101, 5000]) {
      const values = Float64Array.from({ length }, () => Math.floor(random.next() * 40) / 4);
      for (const q of [0, 0.5, 0.95, 0.999, 1]) expect(quantileInPlace(values.slice(), q)).toBe(quantile(values, q));
    }
    expect(quantileInPlace(new Float64Array(0), 0.95)).toBeNaN();
  });
});

describe('the ring’s successor table', () => {
  it('finds every successor and walks every route exactly as the kernel does', () => {
    const random = createRandom(21);
    for (const peers of [1, 2, 5, 1000, 100_000]) {
      const ring = buildChordRing(peers, random);
      const index = new RingIndex(ring);
      const keys = [0, RING_SIZE - 1, ...Array.from(ring.slice(0, 50)).flatMap((id) => [id, (id + 1) >>> 0, (id - 1) >>> 0])];
      for (let i = 0; i < 2000; i++) keys.push(Math.floor(random.next() * RING_SIZE));
      for (const key of keys) {
        expect(index.successor(key)).toBe(successorIndex(ring, key));
        const start = random.int(peers);
        const expected = chordLookup(ring, start, key);
        expect(index.route(start, key)).toBe(expected.owner);
        expect(index.hops).toBe(expected.hops);
      }
    }
  });
});

describe('the drain after the last arrival', () => {
  it('serves a long line of time-0 requests in one Gamma step, as long as serving them one by one takes', () => {
    // 1,000 peers each hold 51 requests at time 0 (one in service); 1,000 requests arrive within
    // about a millisecond, so nearly all of the line is served after the last arrival. A request
    // that finds j earlier arrivals at its peer leaves after 51 + j + 1 services of mean 1/μ:
    // on average (52 + (R − 1)/(2S))/μ, each response with a standard deviation near √52/μ.
    const stations = 1000;
    const requests = 1000;
    const mu = 2;
    let lateDepartures = 0;
    let arrivalsDone = false;
    const observer: StationObserver = {
      initial: () => {},
      arrival: (_time, request) => {
        if (request === requests - 1) arrivalsDone = true;
      },
      departure: (_time, request) => {
        if (arrivalsDone && request < 0) lateDepartures++;
      },
    };
    const summary = runStations(
      {
        stations,
        workersPerStation: 1,
        waitingRoom: 100,
        arrivalRate: 1e6,
        serviceRate: mu,
        requests,
        warmupShare: 0,
        initialInSystem: () => 51,
        observer,
      },
      createRandom(4),
    );
    const expected = (52 + (requests - 1) / (2 * stations)) / mu;
    const meanResponse = summary.responseSum / summary.served;
    expect(summary.served).toBe(requests);
    expect(Math.abs(meanResponse - expected)).toBeLessThan((4 * Math.sqrt(52)) / mu / Math.sqrt(requests));
    // At most two departures per peer after the last arrival (the request in service, then one
    // step for the rest of the line), instead of up to 51 each.
    expect(lateDepartures).toBeLessThanOrEqual(2 * stations);
    expect(lateDepartures).toBeGreaterThan(stations);
  });
});

describe('the run as a sweep of tasks', () => {
  it('plans one task per server size and one or more rings per P2P size, a modest number with a light first one', () => {
    for (const clients of [10_000, 1_000_000]) {
      const params = paramsOf({ clients });
      const tasks = planTasks(params);
      const total = tasks.reduce((sum, t) => sum + t.weight, 0);
      expect(tasks.length).toBeGreaterThanOrEqual(10);
      expect(tasks.length).toBeLessThanOrEqual(100);
      for (const { weight } of tasks) expect(weight).toBeLessThan(total / 3);
      const servers = tasks.filter((t) => t.task.side === 'server').map((t) => t.task.clients);
      expect(new Set(servers).size).toBe(servers.length);
      expect(servers.at(-1)).toBe(clients);
      // Every P2P size's rings share its requests exactly.
      const byN = new Map<number, number[]>();
      for (const { task } of tasks) if (task.side === 'p2p') byN.set(task.clients, [...(byN.get(task.clients) ?? []), task.requests]);
      expect(byN.size).toBe(13);
      for (const shares of byN.values()) expect(shares.reduce((a, b) => a + b, 0)).toBe(params.requests);
    }
    // With many requests the largest size's routes are a large part of the run: it is split.
    const heavy = planTasks(paramsOf({ clients: 1_000_000, requests: 200_000 }));
    const rings = heavy.filter((t) => t.task.side === 'p2p' && t.task.clients === 1_000_000);
    expect(rings.length).toBeGreaterThan(1);
    expect(rings.reduce((sum, t) => sum + t.task.requests, 0)).toBe(200_000);
  });

  it('pools runs on independent seeds into one estimate whose interval covers Erlang C, narrower than one run’s', () => {
    const config = { stations: 1, workersPerStation: 1, waitingRoom: 1_000_000, arrivalRate: 5, serviceRate: 10, requests: 20_000 };
    const runs = [1, 2, 3, 4].map((seed) => runStations(config, createRandom(seed)));
    const pooled = pooledOutcome(runs);
    const single = pooledOutcome(runs.slice(0, 1));
    expect(pooled.counted).toBe(4 * 18_000);
    expect(Math.abs(pooled.meanResponse.value - mmcMeanResponse(1, 5, 10))).toBeLessThan(2 * pooled.meanResponse.halfWidth);
    expect(pooled.meanResponse.halfWidth).toBeLessThan(single.meanResponse.halfWidth);
    expect(Math.abs(pooled.utilisation.value - 0.5)).toBeLessThan(2 * pooled.utilisation.halfWidth);
    // A ring with no peer online drops every counted request of its share.
    const params = paramsOf({ requests: 2000 });
    const ring = runTask(params, { side: 'p2p', clients: 40, requests: 2000, replication: 0, replications: 2 }, quietContext(5));
    if (ring.side !== 'p2p' || !ring.peers) throw new Error('expected peers online');
    const half = pooledPeers([ring.peers, null], [2000, 2000])!;
    expect(half.rings).toBe(2);
    expect(half.outcome.counted).toBe(2 * 1800);
    expect(half.outcome.dropRate.value).toBeGreaterThanOrEqual(0.5);
    expect(pooledPeers([null, null], [2000, 2000])).toBeNull();
  });

  it('assembles what has landed: a size’s P2P points wait for all its rings, the verdict for every task', { timeout: 30_000 }, () => {
    const params = paramsOf({ clients: 1_000_000, requests: 200_000 });
    const tasks = planTasks(params);
    const firstRing = tasks.findIndex((t) => t.task.side === 'p2p' && t.task.replications > 1);
    expect(firstRing).toBeGreaterThan(0);
    const split = tasks[firstRing]!.task.clients;
    // Run the server at that size, one of its rings, and both sides at N = 1,000; the rest stay missing.
    const chosen = (task: (typeof tasks)[number]['task'], i: number) =>
      (task.clients === split && (task.side === 'server' || i === firstRing)) || task.clients === 1000;
    const parts: Array<ServerLoadPart | undefined> = tasks.map(({ task }, i) =>
      chosen(task, i) ? runTask(params, task, quietContext(taskSeed(1, i))) : undefined,
    );
    const partial = assembleRun(params, parts);
    expect(partial.verdict).toBe('');
    expect(partial.outputs).toBeUndefined();
    expect(partial.series['csMeanSim']!.map(([n]) => n)).toEqual([1000, split]);
    expect(partial.series['p2pMeanSim']!.map(([n]) => n)).toEqual([1000]);
    expect(partial.series['csMeanFinite']!.length).toBeGreaterThan(10);
    expect(serverLoad.sweep).toBeDefined();
  });
});
