import { formatAvailability } from '../kernel/format';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarQueue, IndexedTimeHeap, TimeHeap } from './indexed-heap';
import { createRandom } from '../kernel/random';
import { quietContext, type LabResult } from '../kernel/model';
import { RunningStats } from '../kernel/stats';
import { defaults, validateParams } from '../kernel/manifest';
import { manifest } from './manifest';
import {
  churn,
  assembleChurn,
  networkSizes,
  planChurn,
  runChurnTask,
  sizePopulation,
  SIZE_PEERS,
  type ChurnParams,
  type ChurnPart,
  copiesNeeded,
  durationLaw,
  gammaFunction,
  lawMean,
  lawSecondMoment,
  maintenanceRate,
  meanResidualLife,
  onlineProbability,
  replicatedAvailability,
  sampleDuration,
  sampleEquilibriumPeriod,
  sampleGamma,
  serverAvailability,
  simulateChurn,
  spreadOverBins,
  binEdge,
  topShare,
  type ItemGroup,
  type VerdictInput,
  CYCLES_PER_RUN,
  REPLICATIONS,
  churnVerdict,
  comparePrinted,
  growthSentence,
  horizonFor,
  repairSentence,
  serverSentence,
  sizeSentence,
  tailSentence,
  type RepairPolicy,
  type SessionDistribution,
} from './model';

describe('closed forms', () => {
  it('gives the availability of k independent copies, 1 − (1 − p)^k', () => {
    expect(replicatedAvailability(0.5, 5)).toBeCloseTo(0.96875, 12);
    expect(replicatedAvailability(0.9, 3)).toBeCloseTo(0.999, 12);
    expect(replicatedAvailability(0.2, 1)).toBeCloseTo(0.2, 12);
    expect(onlineProbability(1, 1)).toBe(0.5);
    expect(onlineProbability(1, 4)).toBeCloseTo(0.2, 12);
  });

  it('gives server availability MTBF/(MTBF + MTTR), and with r replicas', () => {
    expect(serverAvailability(999, 1)).toBeCloseTo(0.999, 12);
    expect(serverAvailability(500, 24)).toBeCloseTo(500 / 524, 12);
    expect(serverAvailability(500, 24)).toBeCloseTo(0.954198, 6);
    expect(replicatedAvailability(serverAvailability(999, 1), 2)).toBeCloseTo(0.999999, 12);
    expect(replicatedAvailability(0.9, 3)).toBeCloseTo(0.999, 12);
  });

  it('counts the copies needed to reach a target', () => {
    expect(copiesNeeded(0.5, 0.99)).toBe(7); // 1 − 2^−7 = 0.992, 1 − 2^−6 = 0.984
    expect(copiesNeeded(0.5, 0.96875)).toBe(5); // exactly 1 − 2^−5
    expect(copiesNeeded(0.2, 0.5)).toBe(4); // 1 − 0.8^4 = 0.59, 1 − 0.8^3 = 0.488
    expect(copiesNeeded(0, 0.5)).toBe(Infinity);
  });

  it('gives maintenance traffic of a Chord ring of the pN online peers: log₂ m pings each, (log₂ m)² per join or leave', () => {
    // N = 1024, p = 1/2: a ring of m = 512 (log₂ m = 9), τ = 30 s, cycle = 2 h.
    const rate = maintenanceRate({ peers: 1024, onlineProbability: 0.5, meanCycle: 7200, keepAlive: 30 });
    expect(rate.keepAlive).toBeCloseTo((512 * 9) / 30, 9);
    expect(rate.churn).toBeCloseTo((2 * 1024 * 81) / 7200, 9);
    expect(rate.total).toBeCloseTo(153.6 + 23.04, 9);
    // Without pings (τ → ∞), the per-peer cost grows as (log₂ m)²: m = 32 → 2048 is 5² → 11².
    const perPeer = (n: number) => maintenanceRate({ peers: n, onlineProbability: 0.5, meanCycle: 7200, keepAlive: Infinity }).total / n;
    expect(perPeer(4096) / perPeer(64)).toBeCloseTo(121 / 25, 9);
    // A ring of one node (or none) has nobody to ping or tell.
    expect(maintenanceRate({ peers: 2, onlineProbability: 0.5, meanCycle: 7200, keepAlive: 30 }).total).toBe(0);
  });

  it('computes the gamma function on known values', () => {
    expect(gammaFunction(1)).toBeCloseTo(1, 12);
    expect(gammaFunction(5)).toBeCloseTo(24, 10);
    expect(gammaFunction(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gammaFunction(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
    expect(gammaFunction(1 / 3)).toBeCloseTo(2.678938534707748, 11);
    expect(gammaFunction(0.2)).toBeCloseTo(4.5908437119988035, 11);
    expect(gammaFunction(10.5) / 1133278.3889487854).toBeCloseTo(1, 11);
    expect(() => gammaFunction(0)).toThrow(RangeError);
  });

  it('derives each law from its mean: x_m = mean (α − 1)/α and λ = mean / Γ(1 + 1/k)', () => {
    for (const kind of ['exponential', 'pareto', 'weibull'] as const) {
      for (const shape of [0.3, 0.5, 1.5, 2, 5]) {
        const law = durationLaw(kind, 3, shape);
        expect(lawMean(law)).toBeCloseTo(3, 9);
      }
    }
    expect(durationLaw('pareto', 3, 1.5).scale).toBeCloseTo(1, 12);
    expect(durationLaw('pareto', 3, 0.5).shape).toBe(1.05);
    expect(durationLaw('weibull', 2, 0.5).scale).toBeCloseTo(1, 12); // Γ(3) = 2
  });

  it('gives the expected time left in a session of a given age', () => {
    const exponential = durationLaw('exponential', 2, 1);
    expect(meanResidualLife(exponential, 0)).toBe(2);
    expect(meanResidualLife(exponential, 10)).toBe(2);
    const pareto = durationLaw('pareto', 3, 1.5); // x_m = 1
    expect(meanResidualLife(pareto, 0.25)).toBeCloseTo(2.75, 12);
    expect(meanResidualLife(pareto, 4)).toBeCloseTo(8, 12); // a/(α − 1)
    const weibullOne = durationLaw('weibull', 2, 1);
    expect(meanResidualLife(weibullOne, 0)).toBeCloseTo(2, 9);
    expect(meanResidualLife(weibullOne, 7)).toBeCloseTo(2, 9);
    // Shape 1/2: ∫_a^∞ S = 2λ(1 + √(a/λ)) e^{−√(a/λ)}, so the residual is 2λ(1 + √(a/λ)).
    const weibullHalf = durationLaw('weibull', 2, 0.5); // λ = 1
    for (const age of [0, 0.3, 1, 4, 25]) expect(meanResidualLife(weibullHalf, age)).toBeCloseTo(2 * (1 + Math.sqrt(age)), 9);
    const weibullTwo = durationLaw('weibull', 1, 2);
    expect(meanResidualLife(weibullTwo, 0)).toBeCloseTo(1, 9);
    expect(meanResidualLife(weibullTwo, 1)).toBeLessThan(1);
  });

  it('measures the share held by the longest samples', () => {
    expect(topShare(Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]), 0.1)).toBeCloseTo(11 / 20, 12);
  });

  it('formats availability with the digits that show the downtime', () => {
    expect(formatAvailability(0.96875)).toBe('96.9%');
    expect(formatAvailability(0.9979)).toBe('99.79%');
    expect(formatAvailability(0.99997)).toBe('99.9970%');
    expect(formatAvailability(1)).toBe('100%');
  });
});

describe('session samplers', () => {
  const SAMPLES = 200_000;
  const draw = (sample: () => number): RunningStats => {
    const stats = new RunningStats();
    for (let i = 0; i < SAMPLES; i++) stats.add(sample());
    return stats;
  };

  // With finite variance, the sample mean is within 4 standard errors (σ/√n, σ from the law) of the mean.
  it.each([
    ['exponential', 2, 1],
    ['pareto', 2, 3],
    ['weibull', 2, 0.5],
    ['weibull', 2, 2],
  ] as const)('draws %s sessions with the chosen mean (%f h, shape %f)', (kind, mean, shape) => {
    const law = durationLaw(kind, mean, shape);
    const random = createRandom(17);
    const stats = draw(() => sampleDuration(law, random));
    const sigma = Math.sqrt(lawSecondMoment(law) - mean * mean);
    expect(Math.abs(stats.mean - mean)).toBeLessThan((4 * sigma) / Math.sqrt(SAMPLES));
  });

  // Pareto α = 1.5 has infinite variance, so test its distribution at the median x_m 2^{1/α}
  // instead: the share below it is binomial, 0.5 ± 4·√(0.25/n).
  it('draws heavy-tailed Pareto sessions with the right median', () => {
    const law = durationLaw('pareto', 1, 1.5);
    const median = law.scale * Math.pow(2, 1 / law.shape);
    const random = createRandom(5);
    let below = 0;
    for (let i = 0; i < SAMPLES; i++) if (sampleDuration(law, random) < median) below++;
    expect(Math.abs(below / SAMPLES - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / SAMPLES));
  });

  // Gamma(a) has mean a and variance a; 4 standard errors.
  it.each([0.5, 2, 5])('draws Gamma(%f) variates', (shape) => {
    const random = createRandom(9);
    const stats = draw(() => sampleGamma(shape, random));
    expect(Math.abs(stats.mean - shape)).toBeLessThan(4 * Math.sqrt(shape / SAMPLES));
  });

  // The equilibrium remainder has mean E[X²]/(2E[X]); 4 standard errors from the sample's own spread
  // (laws chosen with a finite third moment, so that spread is finite).
  it.each([
    ['exponential', 1, 1],
    ['pareto', 1, 4],
    ['weibull', 1, 0.5],
    ['weibull', 1, 2],
  ] as const)('draws the %s equilibrium age and time left, each with mean E[X²]/(2E[X]) (shape %f)', (kind, mean, shape) => {
    const law = durationLaw(kind, mean, shape);
    const random = createRandom(23);
    const ages = new RunningStats();
    const left = draw(() => {
      const [age, remaining] = sampleEquilibriumPeriod(law, random);
      ages.add(age);
      return remaining;
    });
    for (const stats of [ages, left]) {
      expect(Math.abs(stats.mean - lawSecondMoment(law) / (2 * mean))).toBeLessThan(4 * stats.standardError);
    }
  });

  // Age A and time left R split one length-biased period L at a uniform point U, so
  // E[A·R] = E[U(1 − U)]·E[L²] = E[X³]/(6E[X]). Drawn independently, as a first version did, E[A·R]
  // would be (E[X²]/(2E[X]))²: 9 instead of 15 for the Weibull of shape 0.5 and mean 1 (equal only for
  // the memoryless exponential). Laws with a finite E[X⁵], so the product's spread is finite.
  it.each([
    ['exponential', 1, 1],
    ['weibull', 1, 0.5],
    ['weibull', 1, 2],
  ] as const)('draws the %s age and time left together, E[A·R] = E[X³]/(6E[X]) (shape %f)', (kind, mean, shape) => {
    const law = durationLaw(kind, mean, shape);
    const random = createRandom(29);
    const stats = draw(() => {
      const [age, remaining] = sampleEquilibriumPeriod(law, random);
      return age * remaining;
    });
    const thirdMoment = law.kind === 'weibull' ? law.scale ** 3 * gammaFunction(1 + 3 / law.shape) : 6 * law.scale ** 3;
    expect(Math.abs(stats.mean - thirdMoment / (6 * mean))).toBeLessThan(4 * stats.standardError);
  });
});

describe('the on/off simulation', () => {
  const PEERS = 400;
  const groups: ItemGroup[] = [1, 2, 3, 4].map((copies) => ({ copies, population: PEERS, items: 300 }));
  const run = (kind: SessionDistribution, meanOn: number, meanOff: number, shape: number, repair: RepairPolicy = 'none', seed = 3) =>
    simulateChurn(
      {
        peers: PEERS,
        on: durationLaw(kind, meanOn, shape),
        off: durationLaw(kind, meanOff, shape),
        groups,
        repair,
        repairDelay: 0.25,
        horizon: 200 * (meanOn + meanOff),
        bins: 20,
        trackedGroup: 1,
        batches: 10,
        keepAlive: 30,
      },
      createRandom(seed),
    );

  // Tolerances are 4 times the standard deviation of (simulated − formula) measured over 20 seeds
  // with this exact set-up: 0.0016 for the light tails, 0.004 for Weibull 1/2, 0.0095 for Pareto 1.5
  // (infinite variance: long sessions make the time averages converge slowly).
  it.each([
    ['exponential', 1, 1, 1, 0.007],
    ['pareto', 1, 4, 2.5, 0.007],
    ['weibull', 1, 1, 0.5, 0.016],
    ['pareto', 1, 1, 1.5, 0.04],
  ] as const)(
    'without repair, %s availability converges to 1 − (1 − p)^k (on %f h, off %f h, shape %f)',
    (kind, meanOn, meanOff, shape, tolerance) => {
      const outcome = run(kind, meanOn, meanOff, shape);
      const p = onlineProbability(meanOn, meanOff);
      groups.forEach((group, g) => {
        expect(Math.abs((outcome.availability[g] as number) - replicatedAvailability(p, group.copies))).toBeLessThan(tolerance);
      });
      const onlineShare = outcome.onlineHours / (PEERS * 200 * (meanOn + meanOff));
      expect(Math.abs(onlineShare - p)).toBeLessThan(tolerance);
    },
  );

  // Every session drawn during the run is a fresh sample of the law: 4 standard errors.
  it('draws sessions whose mean is the chosen mean', () => {
    for (const [kind, shape] of [
      ['exponential', 1],
      ['weibull', 0.5],
      ['weibull', 3],
    ] as const) {
      const law = durationLaw(kind, 1, shape);
      const outcome = simulateChurn(
        {
          peers: PEERS,
          on: law,
          off: law,
          groups: [{ copies: 1, population: PEERS, items: 10 }],
          repair: 'none',
          repairDelay: 1,
          horizon: 400,
          bins: 4,
          trackedGroup: 0,
          batches: 10,
          keepAlive: 30,
        },
        createRandom(4),
      );
      const sigma = Math.sqrt(lawSecondMoment(law) - 1);
      expect(outcome.sessionStats.count).toBeGreaterThan(50_000);
      expect(Math.abs(outcome.sessionStats.mean - 1)).toBeLessThan((4 * sigma) / Math.sqrt(outcome.sessionStats.count));
    }
  });

  it('keeps shares in [0, 1] and availability rising with k', () => {
    const outcome = run('exponential', 1, 1, 1);
    for (const value of [...outcome.availabilityOverTime, ...outcome.onlineOverTime, ...outcome.availability]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    for (let g = 1; g < groups.length; g++) expect(outcome.availability[g]).toBeGreaterThan(outcome.availability[g - 1]!);
    expect(outcome.repairRate.every((r) => r === 0)).toBe(true);
  });

  const repairGroups: ItemGroup[] = [1, 2, 3].map((copies) => ({ copies, population: PEERS, items: 200 }));
  const runRepair = (kind: SessionDistribution, shape: number, repair: RepairPolicy) =>
    simulateChurn(
      {
        peers: PEERS,
        on: durationLaw(kind, 1, shape),
        off: durationLaw(kind, 1, shape),
        groups: repairGroups,
        repair,
        repairDelay: 0.25,
        horizon: 200,
        bins: 4,
        trackedGroup: 1,
        batches: 10,
        keepAlive: 30,
      },
      createRandom(12),
    );

  // The gaps are tens of standard deviations wide: at k = 2, p = 1/2, no repair gives 75%
  // (σ ≈ 0.002) and re-replication after 15 min of 1-h off-times about 87%. A single copy
  // cannot be repaired: when its holder leaves there is nothing to copy from.
  it('re-replication raises availability above the no-repair case, from two copies on', { timeout: 30_000 }, () => {
    const none = runRepair('exponential', 1, 'none');
    for (const policy of ['random', 'oldest'] as const) {
      const repaired = runRepair('exponential', 1, policy);
      expect(Math.abs(repaired.availability[0]! - none.availability[0]!)).toBeLessThan(0.02);
      expect(repaired.repairRate[0]).toBe(0);
      for (let g = 1; g < repairGroups.length; g++) {
        expect(repaired.availability[g]).toBeGreaterThan(none.availability[g]! + 0.03);
        expect(repaired.repairRate[g]).toBeGreaterThan(0);
      }
      expect(repaired.availability[1]! - none.availability[1]!).toBeGreaterThan(0.08);
    }
  });

  // Heavy tails make age a predictor: copies placed on the longest-online peers need far
  // fewer repairs (about 4× fewer at Pareto 1.5). Memoryless sessions give age no value: the
  // two policies repair at the same rate, within 10% (repair counts are in the thousands).
  it('long-lived peers are the stable core only when sessions are heavy-tailed', { timeout: 30_000 }, () => {
    const paretoRandom = runRepair('pareto', 1.5, 'random');
    const paretoOldest = runRepair('pareto', 1.5, 'oldest');
    expect(paretoOldest.repairRate[1]!).toBeLessThan(0.5 * paretoRandom.repairRate[1]!);
    const exponentialRandom = runRepair('exponential', 1, 'random');
    const exponentialOldest = runRepair('exponential', 1, 'oldest');
    expect(exponentialOldest.repairRate[1]! / exponentialRandom.repairRate[1]!).toBeGreaterThan(0.9);
    expect(exponentialOldest.repairRate[1]! / exponentialRandom.repairRate[1]!).toBeLessThan(1.1);
  });

  it('keeps items of a small network inside their block of peers', () => {
    const outcome = simulateChurn(
      {
        peers: 200,
        on: durationLaw('exponential', 1, 1),
        off: durationLaw('exponential', 1, 1),
        groups: [
          { copies: 3, population: 10, items: 400 },
          { copies: 3, population: 200, items: 400 },
        ],
        repair: 'none',
        repairDelay: 0.25,
        horizon: 400,
        bins: 10,
        trackedGroup: 0,
        batches: 10,
        keepAlive: 30,
      },
      createRandom(8),
    );
    // Same formula whatever the network size; 0.02 is over 4σ for 400 items on 20 blocks.
    for (const value of outcome.availability) expect(Math.abs(value - 0.875)).toBeLessThan(0.02);
  });
});

describe('time bins', () => {
  // The old binning put the rest of an interval into one bin when a start on a boundary
  // rounded below it: at these horizons (hours of the old runs) the chart read 9,400%.
  it.each([176, 1404, 600, 0.3, 7 / 3])('spreads intervals that start and end on bin edges up to rounding (horizon %f)', (horizon) => {
    const bins = 120;
    const target = new Float64Array(bins);
    const width = horizon / bins;
    // Boundaries computed as the old code did, (i + 1) · width, differ from i · horizon / bins by an ulp.
    let from = 0;
    for (let i = 0; i < bins; i++) {
      const to = i === bins - 1 ? horizon : (i + 1) * width;
      spreadOverBins(target, 0, bins, horizon, 1, from, to);
      from = to;
    }
    spreadOverBins(target, 0, bins, horizon, 1, from, horizon);
    for (let i = 0; i < bins; i++) {
      const binWidth = binEdge(i + 1, bins, horizon) - binEdge(i, bins, horizon);
      expect(Math.abs((target[i] as number) / binWidth - 1), `bin ${i}`).toBeLessThan(1e-9);
    }
    // One long interval from a boundary to the end fills every later bin exactly once.
    const long = new Float64Array(bins);
    spreadOverBins(long, 0, bins, horizon, 2, 60 * width, horizon);
    for (let i = 0; i < bins; i++) expect((long[i] as number) / width).toBeCloseTo(i < 60 ? 0 : 2, 9);
  });

  it('gives every bin at most its width, and spreads exactly the interval’s length (random intervals)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (horizon, bins, cuts) => {
          // Consecutive intervals [t_j, t_{j+1}) that tile [0, horizon), with cuts snapped to bin edges half the time.
          const times = [0, ...cuts.map((u, j) => (j % 2 === 0 ? Math.round(u * bins) * (horizon / bins) : u * horizon)), horizon]
            .map((t) => Math.min(horizon, t))
            .sort((a, b) => a - b);
          const target = new Float64Array(bins);
          let spreadTotal = 0;
          for (let j = 0; j + 1 < times.length; j++) {
            const single = new Float64Array(bins);
            spreadOverBins(single, 0, bins, horizon, 1, times[j]!, times[j + 1]!);
            const sum = single.reduce((a, b) => a + b, 0);
            expect(Math.abs(sum - (times[j + 1]! - times[j]!))).toBeLessThanOrEqual(1e-9 * horizon);
            for (let i = 0; i < bins; i++) target[i] = target[i]! + single[i]!;
            spreadTotal += sum;
          }
          expect(Math.abs(spreadTotal - horizon)).toBeLessThanOrEqual(1e-9 * horizon);
          for (let i = 0; i < bins; i++) {
            const binWidth = binEdge(i + 1, bins, horizon) - binEdge(i, bins, horizon);
            expect(target[i]!).toBeGreaterThanOrEqual(0);
            expect(target[i]! / binWidth).toBeLessThanOrEqual(1 + 1e-9);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('ignores empty intervals and writes only inside its own range of the target', () => {
    const target = new Float64Array(12);
    spreadOverBins(target, 4, 4, 8, 1, 3, 3);
    spreadOverBins(target, 4, 4, 8, 1, 5, 4);
    expect([...target]).toEqual(new Array(12).fill(0));
    spreadOverBins(target, 4, 4, 8, 1, 1, 5);
    expect([...target]).toEqual([0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0]);
  });
});

describe('the event heap', () => {
  // Against a plain list: random schedules, reschedules and removals come out in time order.
  it('pops ids in time order through sets, removals and reschedules of the top', () => {
    const random = createRandom(31);
    const capacity = 64;
    const heap = new IndexedTimeHeap(capacity);
    const reference = new Map<number, number>();
    let now = 0;
    for (let step = 0; step < 20_000; step++) {
      const action = random.next();
      const id = random.int(capacity);
      if (action < 0.45) {
        const time = now + random.next() * 10;
        heap.set(id, time);
        reference.set(id, time);
      } else if (action < 0.6) {
        heap.remove(id);
        reference.delete(id);
      } else if (reference.size > 0) {
        const earliest = Math.min(...reference.values());
        expect(heap.peekTime()).toBe(earliest);
        const top = heap.top();
        expect(reference.get(top)).toBe(earliest);
        now = earliest;
        if (action < 0.8) {
          expect(heap.pop()).toBe(top);
          reference.delete(top);
        } else {
          const later = now + random.next() * 10;
          heap.rescheduleTop(later);
          reference.set(top, later);
        }
      }
      expect(heap.size).toBe(reference.size);
      expect(heap.has(id)).toBe(reference.has(id));
    }
    expect(() => heap.set(0, NaN)).toThrow(RangeError);
  });
});

describe('the join and leave queues', () => {
  // Each id has one pending time, changed only when it is the earliest, as the peers' toggles are:
  // both queues must give the same sequence as sorting.
  interface Queue {
    push(id: number, time: number): void;
    peekTime(): number;
    top(): number;
    pop(): number;
    rescheduleTop(time: number): void;
  }
  const heapQueue = (heap: TimeHeap): Queue => ({
    push: (id, time) => {
      heap.incoming[0] = time;
      heap.push(id);
    },
    peekTime: () => heap.peekTime(),
    top: () => heap.top(),
    pop: () => heap.pop(),
    rescheduleTop: (time) => {
      heap.incoming[0] = time;
      heap.rescheduleTop();
    },
  });
  const calendarQueue = (calendar: CalendarQueue): Queue => ({
    push: (id, time) => {
      calendar.incoming[0] = time;
      calendar.push(id);
    },
    peekTime: () => calendar.peekTime(),
    top: () => calendar.top(),
    pop: () => calendar.pop(),
    rescheduleTop: (time) => {
      calendar.incoming[0] = time;
      calendar.rescheduleTop();
    },
  });
  const replay = (queue: Queue, ids: number, horizon: number, seed: number) => {
    const random = createRandom(seed);
    const pending = new Map<number, number>();
    for (let id = 0; id < ids; id++) {
      // Ties and times at 0 included.
      const time = id % 7 === 0 ? 0 : Math.floor(random.next() * 40) / 4;
      queue.push(id, time);
      pending.set(id, time);
    }
    let popped = 0;
    let steps = 0;
    let wrong = 0;
    for (;;) {
      const time = queue.peekTime();
      if (time === Infinity) break;
      const id = queue.top();
      steps++;
      // The earliest pending time, and the id that holds it (ties: any of them).
      let earliest = Infinity;
      for (const value of pending.values()) if (value < earliest) earliest = value;
      if (time !== earliest || pending.get(id) !== time) wrong++;
      // Heavy-tailed steps: most land in the same or the next bucket, a few far ahead or past the end.
      const later = time + (random.next() < 0.1 ? 0 : random.pareto(0.05, 0.8));
      if (later < horizon) {
        queue.rescheduleTop(later);
        pending.set(id, later);
      } else {
        expect(queue.pop()).toBe(id);
        pending.delete(id);
        popped++;
      }
    }
    expect(wrong).toBe(0);
    expect(steps).toBeGreaterThan(10 * ids);
    expect(popped).toBe(ids);
    expect(pending.size).toBe(0);
  };

  it('a 4-ary heap pops in time order through reschedules of the top', () => {
    const heap = new TimeHeap(120);
    replay(heapQueue(heap), 120, 30, 1);
    expect(() => heapQueue(heap).push(0, NaN)).toThrow(RangeError);
  });

  it.each([1, 3, 64, 5000])('a calendar of %i buckets before the heap pops in the same order', (buckets) => {
    const records = new Float64Array(120 * 8);
    replay(calendarQueue(new CalendarQueue(120, 30, buckets, records, 8)), 120, 30, 2);
  });
});

describe('counted maintenance messages', () => {
  // One network of 2,000 peers online half the time (rings of about 1,000, fluctuating by ±22,
  // so E[log₂ m] is within 0.1% of log₂ pN): the counted pings and join/leave messages per
  // second match the closed forms within 2%.
  const PEERS = 2000;
  const simulate = (keepAlive: number) =>
    simulateChurn(
      {
        peers: PEERS,
        on: durationLaw('exponential', 1, 1),
        off: durationLaw('exponential', 1, 1),
        groups: [{ copies: 1, population: PEERS, items: 10 }],
        repair: 'none',
        repairDelay: 1,
        horizon: 40,
        bins: 4,
        batches: 4,
        trackedGroup: 0,
        keepAlive,
      },
      createRandom(5),
    );

  it('counts pings and join/leave repairs as the closed forms predict, pings falling as 1/τ', () => {
    const outcome = simulate(30);
    const counted = outcome.maintenance.find((m) => m.size === PEERS)!;
    const seconds = 40 * 3600;
    const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
    const expected = maintenanceRate({ peers: PEERS, onlineProbability: 0.5, meanCycle: 7200, keepAlive: 30 });
    expect(sum(counted.pings) / seconds / expected.keepAlive).toBeCloseTo(1, 1);
    expect(Math.abs(sum(counted.pings) / seconds / expected.keepAlive - 1)).toBeLessThan(0.02);
    expect(Math.abs(sum(counted.repairs) / seconds / expected.churn - 1)).toBeLessThan(0.02);
    // Ten times the interval, a tenth of the pings; joins and leaves do not depend on τ.
    const slow = simulate(300).maintenance.find((m) => m.size === PEERS)!;
    expect(sum(slow.pings) / sum(counted.pings)).toBeCloseTo(0.1, 2);
    expect(sum(slow.repairs)).toBe(sum(counted.repairs));
    // Every batch of the run saw messages.
    for (const value of counted.pings) expect(value).toBeGreaterThan(0);
  });
});

describe('the tasks of a run', () => {
  const at = (values: Partial<ChurnParams>) => validateParams(churn.manifest, values).values as unknown as ChurnParams;

  it('runs the smallest network size and the N peers as one task per run, and each other size as one task', () => {
    for (const peers of [20, 1000, 100_000]) {
      const params = at({ peers });
      const tasks = planChurn(params);
      const [smallest, ...others] = networkSizes(peers, params.replicas).filter((n) => n < peers);
      const perRun = (size: number) => Array<number>(REPLICATIONS).fill(size);
      expect(tasks.map((t) => t.task.size)).toEqual([...perRun(smallest!), ...others, ...perRun(peers)]);
      const runs = [...Array(REPLICATIONS).keys()];
      for (const size of [smallest!, peers]) {
        const own = tasks.filter((t) => t.task.size === size).map((t) => t.task);
        expect(own.map((task) => task.firstRun)).toEqual(runs);
        expect(own.every((task) => task.runs === 1)).toBe(true);
      }
      for (const size of others) expect(tasks.find((t) => t.task.size === size)!.task.runs).toBe(REPLICATIONS);
      for (const { task } of tasks) {
        // Whole networks of n, at least one, and no more peers than N or SIZE_PEERS allow.
        expect(task.population % task.size).toBe(0);
        expect(task.population).toBe(sizePopulation(task.size, peers));
        if (task.size < peers) expect(task.population).toBeLessThanOrEqual(Math.max(task.size, Math.min(peers, SIZE_PEERS)));
      }
    }
  });

  it('splits the largest run so that four workers can share it: a modest number of tasks, none over a third of the work', () => {
    for (const values of [{}, { peers: 100_000 }, { peers: 100_000, replicas: 20 }]) {
      const tasks = planChurn(at(values));
      const total = tasks.reduce((sum, t) => sum + t.weight, 0);
      expect(tasks.length).toBeGreaterThanOrEqual(10);
      expect(tasks.length).toBeLessThanOrEqual(100);
      for (const task of tasks) expect(task.weight / total).toBeLessThan(1 / 3);
    }
  });

  it('leaves out the points of tasks that have not reported, and draws them once they have', { timeout: 30_000 }, () => {
    const params = at({ peers: 200 });
    const tasks = planChurn(params);
    const parts: Array<ChurnPart | undefined> = tasks.map(() => undefined);
    const first = tasks.length - 1;
    parts[first] = runChurnTask(params, tasks[first]!.task, quietContext(7));
    const partial = assembleChurn(params, parts, 7);
    // One all-N run: every over-time bin and every k; of the sizes, only N.
    expect(partial.series['itemsAvailable']).toHaveLength(120);
    expect(partial.series['copiesSim']).toHaveLength(10);
    expect(partial.series['peersSim']!.map((point) => point[0])).toEqual([200]);
    const empty = assembleChurn(
      params,
      tasks.map(() => undefined),
      7,
    );
    expect(empty.series['itemsAvailable']).toEqual([]);
    expect(empty.series['peersSim']).toEqual([]);
  });
});

describe('the lab model', () => {
  const small = validateParams(churn.manifest, { peers: 200 }).values;
  const reported: number[] = [];
  let defaultResult: LabResult | undefined;
  const atDefaults = (): LabResult => {
    defaultResult ??= churn.run(defaults(churn.manifest), { seed: 1, progress: (f) => reported.push(f) });
    return defaultResult;
  };

  it('gives the same result for the same seed, and another for another seed', { timeout: 30_000 }, () => {
    const a = churn.run(small, quietContext(42));
    const b = churn.run(small, quietContext(42));
    const c = churn.run(small, quietContext(43));
    expect(b).toEqual(a);
    expect(c.series['itemsAvailable']).not.toEqual(a.series['itemsAvailable']);
  });

  it('produces every series its charts name', { timeout: 30_000 }, () => {
    const result = atDefaults();
    for (const chart of churn.manifest.charts) {
      for (const series of chart.series) expect(result.series[series.key]?.length, series.key).toBeGreaterThan(1);
    }
    expect(result.series['copiesSim']).toHaveLength(10);
    expect(result.series['itemsAvailable']).toHaveLength(120);
    expect(result.summary).toMatch(/available 9\d\.\d% of/);
  });

  it('reports progress that rises to 1', () => {
    atDefaults();
    expect(reported.at(-1)).toBe(1);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]!);
  });

  it('says on its charts how many independent runs the intervals come from', () => {
    for (const chart of manifest.charts) {
      if (chart.id !== 'maintenance-vs-peers') expect(chart.note).toContain(`${REPLICATIONS} independent runs`);
    }
  });

  it('accepts its own presets', () => {
    for (const preset of manifest.presets) {
      expect(validateParams(churn.manifest, preset.values).errors).toEqual({});
    }
  });

  // The lab's maintenance points are messages counted as peers join, leave and ping, in rings
  // whose size fluctuates around pN; at N = 1,000 they sit within 3% of the closed form.
  it('shows availability flat in N and maintenance growing faster than N, at the defaults', { timeout: 30_000 }, () => {
    const result = atDefaults();
    const formula = 100 * replicatedAvailability(0.5, 5);
    // 1.5 points is over 4σ for the 10-peer networks with Pareto 1.5 sessions; and the
    // formula lies inside nearly every point's 95% interval across the independent runs.
    let inside = 0;
    for (const [, value, low, high] of result.series['peersSim']!) {
      expect(Math.abs(value - formula)).toBeLessThan(1.5);
      if (low! <= formula && formula <= high!) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(5);
    const simulated = result.series['maintenanceSim']!;
    const reference = result.series['maintenanceRef']!;
    const [largestN, largestRate] = simulated.at(-1)!;
    expect(largestN).toBe(1000);
    expect(Math.abs(largestRate / reference.at(-1)![1] - 1)).toBeLessThan(0.03);
    expect(largestRate).toBeGreaterThan(50 * simulated[0]![1]);
    expect(result.verdict).toMatch(/not borne out/);
    expect(result.verdict).toMatch(/One server \(95\.4%\) is less available than 5 copies/);
    expect(result.verdict).toMatch(/stable core/);
  });

  it('returns the key numbers the charts and the verdict show, at the defaults', { timeout: 30_000 }, () => {
    const result = atDefaults();
    const outputs = result.outputs!;
    expect(outputs['itemFormula']).toBeCloseTo(100 * replicatedAvailability(0.5, 5), 12);
    expect(outputs['serverAvailability']).toBeCloseTo(100 * serverAvailability(500, 24), 12);
    // Nine copies at p = 0.5 (99.80%) are the fewest that match two servers (99.79%).
    expect(outputs['copiesNeeded']).toBe(copiesNeeded(0.5, replicatedAvailability(serverAvailability(500, 24), 2)));
    expect(outputs['copiesNeeded']).toBe(9);
    expect(outputs['itemAvailability']).toBe(result.series['peersSim']!.at(-1)![1]);
    expect(outputs['smallestAvailability']).toBe(result.series['peersSim']![0]![1]);
    expect(outputs['maintenance']).toBe(result.series['maintenanceSim']!.at(-1)![1]);
    // With all N peers in one network there is no smaller one to compare with.
    const single = churn.run(validateParams(churn.manifest, { peers: 20, replicas: 20 }).values, quietContext(3));
    expect(single.outputs!['smallestAvailability']).toBeNaN();
  });

  it('says which side wins, and why, from the numbers', { timeout: 30_000 }, () => {
    const strongServer = churn.run({ ...small, serverMttr: 2, serverReplicas: 1 }, quietContext(2));
    expect(strongServer.verdict).toMatch(/more reliable” holds/);
    const repaired = churn.run({ ...small, repair: 'random', serverReplicas: 1 }, quietContext(2));
    expect(repaired.verdict).toMatch(/more reliable” fails/);
    expect(repaired.verdict).toMatch(/Re-replication after 15 min raised availability/);
    const memoryless = churn.run({ ...small, sessionDistribution: 'exponential' }, quietContext(2));
    expect(memoryless.verdict).toMatch(/memoryless/);
  });

  // The old binning read 9,400% (repair at the defaults) and 11,800% (exponential 5 h on, 1 h
  // off, 10 copies) in one bin and 0% in others. Equal bins average to the time average exactly.
  it.each([[{ repair: 'random' }], [{ sessionDistribution: 'exponential', meanSession: 5, meanOff: 1, replicas: 10 }]])(
    'keeps every share over time in [0, 100]%, averaging to the summary’s availability (%o)',
    { timeout: 60_000 },
    (values) => {
      const result = churn.run(validateParams(churn.manifest, values).values, quietContext(1));
      for (const key of ['itemsAvailable', 'peersOnline']) {
        for (const point of result.series[key]!) {
          for (const value of point.slice(1)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(100);
          }
        }
      }
      const bins = result.series['itemsAvailable']!;
      const average = bins.reduce((sum, point) => sum + point[1], 0) / bins.length;
      expect(Math.abs(average - result.outputs!['itemAvailability']!)).toBeLessThan(1e-9);
    },
  );

  it('simulates the same time at every N', { timeout: 60_000 }, () => {
    const end = (peers: number) => churn.run({ ...small, peers, replicas: 3 }, quietContext(4)).series['itemsAvailable']!.at(-1)![0];
    expect(end(20)).toBe(end(1500));
    expect(horizonFor(2) * REPLICATIONS).toBe(2 * REPLICATIONS * CYCLES_PER_RUN);
  });
});

describe('the verdict', () => {
  const base: VerdictInput = {
    peers: 1000,
    copies: 5,
    smallest: 10,
    onlineShare: 0.5,
    simulated: { mean: 0.9687, low: 0.966, high: 0.9714 },
    atSmallest: { mean: 0.968, low: 0.965, high: 0.971 },
    formula: 0.96875,
    single: serverAvailability(500, 24),
    replicated: replicatedAvailability(serverAvailability(500, 24), 2),
    serverReplicas: 2,
    serverMtbf: 500,
    serverMttr: 24,
    maintenanceSmall: 0.4,
    maintenanceLarge: 170,
    sessionDistribution: 'pareto',
    meanSession: 1,
    residualAtMean: 2,
    top10: 0.45,
    repair: 'none',
    repairDelay: 0.25,
    repairPerDay: 0,
  };
  const at = (mean: number, half = 0.001) => ({ mean, low: mean - half, high: mean + half });

  it('compares client-server and the item as the numbers are printed', () => {
    expect(serverSentence({ ...base, simulated: at(0.95) })).toMatch(/“Client-server is more reliable” holds.*95\.4%.*95\.0%/);
    // 95.42% and 95.4198% both print as 95.4%: equal to the digits shown, whichever is larger.
    expect(serverSentence({ ...base, simulated: at(0.9542) })).toMatch(
      /equally available to the digits shown \(95\.4%\); 2 servers \(99\.79%\) beat both/,
    );
    expect(serverSentence({ ...base, serverReplicas: 1, replicated: base.single, simulated: at(0.9538) })).toMatch(
      /equally available.*\(95\.4%\)\.$/,
    );
    expect(serverSentence(base)).toMatch(
      /One server \(95\.4%\) is less available than 5 copies .* \(96\.9%\), but 2 servers \(99\.79%\) beat the peers/,
    );
    // 99.7918% and 99.79% both print as 99.79%.
    expect(serverSentence({ ...base, simulated: at(0.9979) })).toMatch(/2 servers match them to the digits shown \(99\.79%\)/);
    expect(serverSentence({ ...base, simulated: at(0.9985) })).toMatch(
      /“Client-server is more reliable” fails.*99\.85%, more than 2 servers \(99\.79%\)/,
    );
    expect(serverSentence({ ...base, serverReplicas: 1, replicated: base.single })).toMatch(
      /fails.*96\.9%, more than one server \(95\.4%\)/,
    );
  });

  it('claims a change with N only when the intervals separate', () => {
    expect(sizeSentence(base)).toMatch(/not borne out.*96\.8%.*96\.9%.*the same within/);
    expect(sizeSentence({ ...base, simulated: at(0.95), atSmallest: at(0.97) })).toMatch(
      /^Here availability fell from 97\.0% in networks of 10 peers to 95\.0% with 1000\.$/,
    );
    expect(sizeSentence({ ...base, simulated: at(0.995), atSmallest: at(0.97) })).toMatch(/contradicted.*97\.0%.*99\.50% with 1000\.$/);
    expect(sizeSentence({ ...base, repair: 'random', simulated: at(0.995), atSmallest: at(0.97) })).toMatch(
      /more online peers to re-replicate to\.$/,
    );
    // Printed numbers that differ, with overlapping intervals: no trend is claimed.
    expect(sizeSentence({ ...base, simulated: at(0.95, 0.02), atSmallest: at(0.97, 0.02) })).toMatch(/not borne out/);
    expect(sizeSentence({ ...base, smallest: 1000 })).toMatch(/no smaller network to compare/);
  });

  it('says whether the upkeep per peer rose, fell or stayed, from the printed numbers', () => {
    expect(growthSentence(base)).toMatch(/0\.4 → 170 messages\/s in all, and per peer it rises \(0\.04 → 0\.17\), as log₂ m for pings/);
    expect(growthSentence({ ...base, maintenanceLarge: 30 })).toMatch(/per peer it fell here \(0\.04 → 0\.03\)/);
    // 0.04 and 0.0400004 both print as 0.04.
    expect(growthSentence({ ...base, maintenanceLarge: 40.0004 })).toMatch(/per peer it stayed at 0\.04 to the digits shown/);
    expect(growthSentence({ ...base, smallest: 1000 })).toMatch(/^The overlay’s upkeep is 170 messages\/s \(0\.17 per peer\)\.$/);
  });

  it('reads the session law: memoryless, heavy-tailed or wearing out', () => {
    expect(tailSentence({ ...base, sessionDistribution: 'exponential', residualAtMean: 1 })).toMatch(/memoryless.*stays 60 min more/);
    expect(tailSentence(base)).toMatch(/heavy-tailed.*stays 2 h more.*stable core \(re-creating/);
    expect(tailSentence({ ...base, repair: 'oldest' })).toMatch(/needs fewer repairs/);
    expect(tailSentence({ ...base, sessionDistribution: 'weibull', residualAtMean: 0.5 })).toMatch(/wear out.*stays only 30 min more/);
  });

  it('credits re-replication only when the interval lies above the formula', () => {
    expect(repairSentence(base)).toBe('');
    expect(repairSentence({ ...base, repair: 'random', copies: 1 })).toMatch(/cannot help a single copy/);
    expect(repairSentence({ ...base, repair: 'random', simulated: at(0.99985, 0.00005), repairPerDay: 13 })).toMatch(
      /^Re-replication after 15 min raised availability from 96\.9% to 99\.985%, at the price of 13 new copies/,
    );
    expect(repairSentence({ ...base, repair: 'random', simulated: at(0.97, 0.01) })).toMatch(
      /did not measurably raise availability \(96\.9% without it, 97\.0% with it\)/,
    );
    expect(churnVerdict(base)).not.toMatch(/Re-replication/);
  });

  it('compares as printed: 99.79% and 99.7918% are equal, 99.80% is more', () => {
    expect(comparePrinted(0.9979, 0.997918)).toBe(0);
    expect(comparePrinted(0.998, 0.997918)).toBe(1);
    expect(comparePrinted(0.999999999, 0.9999999999)).toBe(0); // both ≈ 100%
    expect(comparePrinted(0.9999999, 0.99999999)).toBe(-1); // 99.999990% < 99.999999%
  });
});
