import { describe, expect, it } from 'vitest';
import {
  checkBuckets,
  checkChoices,
  checkNumber,
  checkTolerance,
  describeTolerance,
  formatOutcome,
  matchBucket,
  matchMistake,
  mistakeValue,
  checkMistakes,
  parseNumber,
  seriesValue,
} from './answers';

const value = (text: string, unit?: string) => {
  const parsed = parseNumber(text, unit);
  return 'value' in parsed ? parsed.value : parsed.error;
};

describe('parseNumber', () => {
  it.each([
    ['42', 42],
    ['  42  ', 42],
    ['1,234.5', 1234.5],
    ['1,234,567', 1234567],
    ['1 234 567', 1234567],
    ['1\u202f234.5', 1234.5],
    ['5.7e3', 5700],
    ['5.7E-3', 0.0057],
    ['-3', -3],
    ['\u22123', -3],
    ['+2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['0', 0],
    ['1e3', 1000],
  ])('reads %j as %d', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('accepts the question’s unit after the number', () => {
    expect(value('15,000 s', 's')).toBe(15000);
    expect(value('15000s', 's')).toBe(15000);
    expect(value('42 %', '%')).toBe(42);
    expect(value('3 Mbit/s', 'Mbit/s')).toBe(3);
  });

  it('explains a decimal comma instead of guessing', () => {
    for (const text of ['1,5', '12,34', '1,2345', '1,23,456']) expect(value(text)).toMatch(/point for decimals/);
  });

  it.each(['', '   ', 'abc', '12abc', '1.2.3', '--3', 'e3', '.', '1,,234', '1,234 567', '5 s'])('rejects %j with a message', (text) => {
    const parsed = parseNumber(text);
    expect('error' in parsed).toBe(true);
    if ('error' in parsed) expect(parsed.error.length).toBeGreaterThan(10);
  });

  it('says an empty field needs a number', () => {
    expect(value('')).toBe('Type a number first.');
  });

  it('rejects numbers too large to be finite', () => {
    expect(value('1e999')).toMatch(/too large/);
  });
});

describe('checkNumber', () => {
  it('accepts values within the relative tolerance (5% by default), on both sides and at the edge', () => {
    expect(checkNumber(100, 100).correct).toBe(true);
    expect(checkNumber(105, 100).correct).toBe(true);
    expect(checkNumber(95, 100).correct).toBe(true);
    expect(checkNumber(105.01, 100)).toEqual({ correct: false, direction: 'high' });
    expect(checkNumber(94.9, 100)).toEqual({ correct: false, direction: 'low' });
    expect(checkNumber(-104, -100).correct).toBe(true);
    expect(checkNumber(0.3, 0.1 + 0.2, { relative: 0 }).correct).toBe(true);
  });

  it('uses an absolute tolerance when one is given, in place of the relative one', () => {
    expect(checkNumber(0.4, 0, { absolute: 0.5 }).correct).toBe(true);
    expect(checkNumber(0.6, 0, { absolute: 0.5 }).correct).toBe(false);
    expect(checkNumber(1100, 1000, { absolute: 50, relative: 0.5 }).correct).toBe(false);
  });

  it('takes a custom relative tolerance', () => {
    expect(checkNumber(119, 100, { relative: 0.2 }).correct).toBe(true);
    expect(checkNumber(121, 100, { relative: 0.2 }).correct).toBe(false);
  });

  it('describes the tolerance for the student', () => {
    expect(describeTolerance({})).toBe('within 5%');
    expect(describeTolerance({ relative: 0.125 })).toBe('within 12.5%');
    expect(describeTolerance({ absolute: 0.5 }, 's')).toBe('within ±0.5 s');
    expect(describeTolerance({ absolute: 0 })).toBe('exactly');
  });

  it('rejects tolerances that make no sense', () => {
    expect(() => checkTolerance('<Q>', { relative: -0.1 })).toThrow(/<Q>: tolerance must be a number of 0 or more/);
    expect(() => checkTolerance('<Q>', { relative: 5 })).toThrow(/absoluteTolerance/);
    expect(() => checkTolerance('<Q>', { absolute: Number.NaN })).toThrow(/absoluteTolerance/);
    expect(() => checkTolerance('<Q>', { relative: 0.1, absolute: 2 })).not.toThrow();
  });
});

describe('buckets', () => {
  const buckets = [
    { label: 'under an hour', max: 3600 },
    { label: '1 to 12 hours', min: 3600, max: 43200 },
    { label: 'longer', min: 43200 },
  ];

  it('puts each value in the one bucket that holds it; min is inclusive, max exclusive', () => {
    expect(matchBucket(10, buckets)).toBe(0);
    expect(matchBucket(-5, buckets)).toBe(0);
    expect(matchBucket(3599.9, buckets)).toBe(0);
    expect(matchBucket(3600, buckets)).toBe(1);
    expect(matchBucket(43199, buckets)).toBe(1);
    expect(matchBucket(43200, buckets)).toBe(2);
    expect(matchBucket(1e12, buckets)).toBe(2);
  });

  it('returns -1 for a value in a gap between buckets', () => {
    expect(
      matchBucket(5, [
        { label: 'a', max: 1 },
        { label: 'b', min: 10 },
      ]),
    ).toBe(-1);
  });

  it('accepts sound buckets and rejects too few, overlapping, empty or reversed ones', () => {
    expect(() => checkBuckets('<P>', buckets)).not.toThrow();
    expect(() => checkBuckets('<P>', [{ label: 'all' }])).toThrow(/at least two/);
    expect(() =>
      checkBuckets('<P>', [
        { label: 'a', max: 10 },
        { label: 'b', min: 5 },
      ]),
    ).toThrow(/“a” and “b” overlap/);
    expect(() => checkBuckets('<P>', [{ label: 'a' }, { label: 'b', min: 5 }])).toThrow(/overlap/);
    expect(() =>
      checkBuckets('<P>', [
        { label: 'a', min: 5, max: 5 },
        { label: 'b', min: 6 },
      ]),
    ).toThrow(/not below max/);
    expect(() =>
      checkBuckets('<P>', [
        { label: ' ', max: 1 },
        { label: 'b', min: 1 },
      ]),
    ).toThrow(/option 1 needs a label/);
    // Touching ends do not overlap: max is exclusive.
    expect(() =>
      checkBuckets('<P>', [
        { label: 'a', max: 5 },
        { label: 'b', min: 5 },
      ]),
    ).not.toThrow();
  });
});

describe('checkChoices', () => {
  const options = [{ correct: true }, {}, { correct: true }, { correct: false }];

  it('is right only when exactly the correct options are chosen', () => {
    expect(checkChoices([0, 2], options)).toEqual({ correct: true, rightChosen: 2, wrongChosen: 0, missed: 0 });
    expect(checkChoices([2, 0], options).correct).toBe(true);
    expect(checkChoices([0], options)).toEqual({ correct: false, rightChosen: 1, wrongChosen: 0, missed: 1 });
    expect(checkChoices([0, 1, 2], options)).toEqual({ correct: false, rightChosen: 2, wrongChosen: 1, missed: 0 });
    expect(checkChoices([], options).correct).toBe(false);
  });

  it('ignores indices that are not options (a stale saved answer)', () => {
    expect(checkChoices([0, 2, 9, -1], options).correct).toBe(true);
  });
});

describe('seriesValue', () => {
  const series = {
    bound: [
      [1, 10],
      [10, 100],
      [100, 1000],
    ] as Array<[number, number]>,
    empty: [],
  };

  it('reads the last point without `at`, and the point at x = `at` with it', () => {
    expect(seriesValue(series, 'bound')).toEqual({ value: 1000 });
    expect(seriesValue(series, 'bound', 10)).toEqual({ value: 100 });
  });

  it('names the series and the nearest x values when there is no such point', () => {
    const missing = seriesValue(series, 'bound', 50);
    expect('error' in missing && missing.error).toMatch(/no point at x = 50; the nearest are at x = 10 and 100/);
    expect('error' in seriesValue(series, 'nope') && (seriesValue(series, 'nope') as { error: string }).error).toMatch(
      /no series "nope"; the series are bound, empty/,
    );
    expect(seriesValue(series, 'empty')).toEqual({ error: 'the series "empty" has no points for these settings.' });
  });
});

describe('formatOutcome', () => {
  it('formats durations, percentages and plain numbers', () => {
    expect(formatOutcome(16350, 'duration')).toBe('4.54 h');
    expect(formatOutcome(42.123, 'percent')).toBe('42.1%');
    expect(formatOutcome(15000, 'number', 's')).toBe('15,000 s');
    expect(formatOutcome(57.8125, 'number', '%')).toBe('57.81%');
    expect(formatOutcome(20547.9)).toBe('20,550');
  });
});

describe('mistakes', () => {
  const mistakes = [
    { factor: 1 / 8, feedback: 'bytes for bits' },
    { factor: 8, feedback: 'bits for bytes' },
    { value: 48000, feedback: 'forgot the server' },
  ];

  it('matches a wrong answer to the mistake that gives it, within the question’s tolerance', () => {
    expect(matchMistake(1875, 15000, mistakes)).toBe(0);
    expect(matchMistake(120000, 15000, mistakes)).toBe(1);
    expect(matchMistake(124000, 15000, mistakes)).toBe(1);
    expect(matchMistake(48000, 15000, mistakes)).toBe(2);
    expect(matchMistake(46000, 15000, mistakes)).toBe(2);
    expect(matchMistake(45000, 15000, mistakes)).toBe(-1);
    expect(matchMistake(30000, 15000, mistakes)).toBe(-1);
    // A tighter tolerance draws a tighter ring around each mistake too.
    expect(matchMistake(124000, 15000, mistakes, { relative: 0.01 })).toBe(-1);
    expect(matchMistake(48300, 15000, mistakes, { absolute: 500 })).toBe(2);
  });

  it('never explains a right answer as a mistake, and takes the first of two that match', () => {
    expect(matchMistake(15000, 15000, [{ value: 15100, feedback: 'x' }])).toBe(-1);
    expect(
      matchMistake(800, 100, [
        { factor: 8, feedback: 'a' },
        { value: 800, feedback: 'b' },
      ]),
    ).toBe(0);
  });

  it('reads the value a mistake gives', () => {
    expect(mistakeValue({ factor: 8, feedback: '' }, 2)).toBe(16);
    expect(mistakeValue({ value: 3, feedback: '' }, 2)).toBe(3);
  });

  it('rejects mistakes an author could not mean, naming the problem', () => {
    const tolerance = { relative: 0.05 };
    expect(() =>
      checkMistakes(
        'Q',
        [
          { factor: 8, feedback: 'ok' },
          { value: 1, feedback: 'ok' },
        ],
        100,
        tolerance,
      ),
    ).not.toThrow();
    expect(() => checkMistakes('Q', { factor: 8 }, 100, tolerance)).toThrow(/must be a list/);
    expect(() => checkMistakes('Q', [{ feedback: 'no value' }], 100, tolerance)).toThrow(/mistake 1 needs exactly one of value/);
    expect(() => checkMistakes('Q', [{ value: 1, factor: 2, feedback: 'both' }], 100, tolerance)).toThrow(/exactly one/);
    expect(() => checkMistakes('Q', [{ factor: Number.NaN, feedback: 'x' }], 100, tolerance)).toThrow(/factor must be a number/);
    expect(() => checkMistakes('Q', [{ factor: 8 }], 100, tolerance)).toThrow(/needs a feedback/);
    expect(() => checkMistakes('Q', [{ value: 103, feedback: 'too near' }], 100, tolerance)).toThrow(
      /gives 103, which is accepted as right/,
    );
  });
});
