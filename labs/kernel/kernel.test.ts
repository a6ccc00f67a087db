import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { EventQueue } from './event-queue';
import {
  RunningStats,
  batchMeans,
  deriveSeed,
  logSpaced,
  logSpacedIntegers,
  mean,
  meanPoint,
  proportionInterval,
  quantile,
  samplesPoint,
  sharePoint,
  tQuantile975,
} from './stats';
import {
  comparePrinted,
  formatCount,
  formatDuration,
  formatOutput,
  formatPercent,
  formatSig,
  groupDigits,
  plural,
  printedNumber,
} from './format';

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between neighbouring seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('are uniform on [0, 1): mean 1/2 and variance 1/12 within 4 standard errors', () => {
    const random = createRandom(1);
    const stats = new RunningStats();
    for (let i = 0; i < 100_000; i++) {
      const x = random.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      stats.add(x);
    }
    expect(Math.abs(stats.mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 100_000));
    expect(stats.variance).toBeCloseTo(1 / 12, 3);
  });

  it.each([
    ['exponential(rate 2)', (r: ReturnType<typeof createRandom>) => r.exponential(2), 0.5, 0.25],
    ['pareto(1, 3)', (r: ReturnType<typeof createRandom>) => r.pareto(1, 3), 1.5, 0.75],
    ['weibull(2, 1)', (r: ReturnType<typeof createRandom>) => r.weibull(2, 1), 2, 4],
    ['normal', (r: ReturnType<typeof createRandom>) => r.normal(), 0, 1],
  ])('%s has its published mean within 4 standard errors', (_name, draw, expectedMean, variance) => {
    const random = createRandom(3);
    const stats = new RunningStats();
    const n = 200_000;
    for (let i = 0; i < n; i++) stats.add(draw(random));
    expect(Math.abs(stats.mean - expectedMean)).toBeLessThan(4 * Math.sqrt(variance / n));
  });

  it('shuffles into a permutation and draws integers in range', () => {
    const random = createRandom(5);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = random.shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    for (let i = 0; i < 1000; i++) expect(random.int(7)).toBeLessThan(7);
  });
});

describe('event queue', () => {
  it('pops in time order, ties in insertion order', () => {
    const queue = new EventQueue<string>();
    const random = createRandom(2);
    const times = Array.from({ length: 500 }, () => Math.floor(random.next() * 50));
    times.forEach((time, i) => queue.push(time, `${time}:${i}`));
    let last = -Infinity;
    let lastIndex = -1;
    while (queue.size > 0) {
      const { time, event } = queue.pop()!;
      const index = Number(event.split(':')[1]);
      expect(time).toBeGreaterThanOrEqual(last);
      if (time === last) expect(index).toBeGreaterThan(lastIndex);
      last = time;
      lastIndex = index;
    }
    expect(queue.pop()).toBeUndefined();
    expect(queue.peekTime()).toBe(Infinity);
  });
});

describe('statistics', () => {
  it('running mean and variance match the direct formulas', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const stats = new RunningStats();
    values.forEach((v) => stats.add(v));
    expect(stats.mean).toBe(5);
    expect(stats.variance).toBeCloseTo(32 / 7, 12);
    expect(mean(values)).toBe(5);
  });

  it('quantiles interpolate like R type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
  });

  it('batch means give the mean and a finite interval', () => {
    const result = batchMeans(
      Array.from({ length: 1000 }, (_, i) => i % 10),
      20,
    );
    expect(result.mean).toBeCloseTo(4.5, 12);
    expect(result.halfWidth).toBeLessThan(0.01);
  });

  it('log-spaced grids include both ends and grow geometrically', () => {
    const grid = logSpaced(0.001, 1, 4);
    expect(grid[0]).toBeCloseTo(0.001, 15);
    expect(grid[3]).toBeCloseTo(1, 12);
    expect(grid[2]! / grid[1]!).toBeCloseTo(10, 9);
    expect(logSpacedIntegers(1, 1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(logSpacedIntegers(1, 3, 10)).toEqual([1, 2, 3]);
  });
});

describe('formatting', () => {
  it('writes durations, counts and plurals for readers', () => {
    expect(formatDuration(90)).toBe('90 s');
    expect(formatDuration(20_547.9)).toBe('5.71 h');
    expect(formatDuration(500_000)).toBe('5.79 days');
    expect(formatSig(1_234_567)).toBe('1,230,000');
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(plural(1, 'route')).toBe('1 route');
    expect(plural(4, 'route')).toBe('4 routes');
    expect(formatOutput(7_500, 'duration')).toBe('2.08 h');
    expect(formatOutput(96.94, 'percent')).toBe('96.9%');
    expect(formatOutput(2_729, 'count')).toBe('2,729');
    expect(formatOutput(0.5, 'number', 'requests/s')).toBe('0.5 requests/s');
    expect(formatOutput(NaN, 'count')).toBe('none');
  });

  it('groups digits exactly as Intl does for en-US, without calling Intl', () => {
    const random = createRandom(11);
    const values = [0, 1, 12, 999, 1_000, 12_345.678, -1_234_567, 1e20, 1e21, 1.5e22, 0.00123, 987_654_321.5];
    for (let i = 0; i < 2_000; i++) values.push((random.next() - 0.3) * 10 ** Math.floor(random.next() * 12));
    for (const value of values) {
      expect(groupDigits(value)).toBe(value.toLocaleString('en-US', { maximumFractionDigits: 20 }));
      const rounded = Number(value.toPrecision(3));
      if (Math.abs(rounded) >= 1e-3 && Math.abs(rounded) < 1e9) {
        expect(formatSig(value)).toBe(rounded.toLocaleString('en-US', { maximumFractionDigits: 6 }));
      }
      if (Math.round(value) !== 0) expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
    }
  });
});

describe('confidence intervals', () => {
  // Reference values from SciPy: stats.binomtest(k, n).proportion_ci(method='wilson'),
  // and a t interval from stats.t.ppf(0.975, 4).
  it('match SciPy’s Wilson score interval, ending exactly at 0 and 1 at the extremes', () => {
    const cases: Array<[number, number, number, number]> = [
      [7, 20, 0.1811918241010821, 0.5671457233147637],
      [0, 10, 0, 0.27753279986288926],
      [10, 10, 0.7224672001371109, 1],
      [950, 1000, 0.9346861797557491, 0.9618697376072511],
    ];
    for (const [k, n, low, high] of cases) {
      const interval = proportionInterval(k, n);
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
    expect(proportionInterval(10, 10).high).toBe(1);
    expect(proportionInterval(0, 10).low).toBe(0);
    expect(sharePoint(5, 10, 10)).toEqual([5, 100, expect.closeTo(72.2467, 2), 100]);
  });

  it('use Student’s t for a few replications, as SciPy does', () => {
    expect(tQuantile975(4)).toBeCloseTo(2.776, 3);
    expect(tQuantile975(1000)).toBe(1.96);
    const [x, y, low, high] = meanPoint(9, [3, 5, 4, 6, 2]);
    expect([x, y]).toEqual([9, 4]);
    expect(low).toBeCloseTo(2.036756838522443, 2);
    expect(high).toBeCloseTo(5.963243161477557, 2);
    expect(meanPoint(1, [7])).toEqual([1, 7]);
  });

  it('derive per-point seeds that depend on the seed and indices alone', () => {
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    const seeds = new Set<number>();
    for (let seed = 0; seed < 20; seed++) for (let point = 0; point < 50; point++) seeds.add(deriveSeed(seed, point));
    expect(seeds.size).toBe(1000);
    for (const value of seeds) expect(value >= 0 && value < 2 ** 31 - 1).toBe(true);
  });
});

describe('numbers as printed', () => {
  it('read back what the formatters print', () => {
    expect(printedNumber('20,100')).toBe(20100);
    expect(printedNumber('5.6%')).toBe(5.6);
    expect(printedNumber(formatDuration(7488))).toBeCloseTo(7488, 0);
    expect(printedNumber('90 ms')).toBeCloseTo(0.09, 12);
    expect(printedNumber('1.2e-4')).toBe(0.00012);
    expect(printedNumber('−3')).toBe(-3);
    expect(printedNumber('none')).toBeNaN();
  });

  it('compare two numbers as the reader sees them', () => {
    expect(comparePrinted(10004, 9996, formatCount)).toBe(1);
    expect(comparePrinted(10004, 9996)).toBe(0); // both print as 10,000
    expect(comparePrinted(20100, 10000)).toBe(1);
    expect(comparePrinted(0.0561, 0.056, (f) => formatPercent(f, 1))).toBe(0);
    expect(comparePrinted(3600, 3700, formatDuration)).toBe(-1);
  });
});

describe('intervals cut to what is possible', () => {
  it('keep the mean and cut only the ends that pass the range', () => {
    // Mean 4, t interval about 2.04 to 5.96 (see above): a floor of 3 and a ceiling of 5 cut both ends.
    expect(meanPoint(1, [3, 5, 4, 6, 2], { min: 3, max: 5 })).toEqual([1, 4, 3, 5]);
    const [, , low, high] = meanPoint(1, [3, 5, 4, 6, 2], { min: 0 });
    expect(low).toBeCloseTo(2.036756838522443, 2);
    expect(high).toBeCloseTo(5.963243161477557, 2);
    const stats = new RunningStats();
    for (const value of [0, 0, 0, 1]) stats.add(value);
    const point = samplesPoint(2, stats, { min: 0 }, 10);
    expect(point[1]).toBeCloseTo(2.5, 12);
    expect(point[2]).toBe(0);
    expect(point[3]).toBeCloseTo(2.5 + 10 * stats.confidenceHalfWidth(), 12);
  });
});
