/**
 * The pure logic of the exercises: reading a typed number, checking it against an
 * answer with a tolerance, matching a value to a prediction's bucket, marking a set
 * of chosen options, and reading one value out of a lab's result. No DOM, so it runs
 * in the page, at build time and in Node tests alike.
 */
import { formatOutput, formatSig } from '../../labs/kernel/format';

export type Parsed = { value: number } | { error: string };

/** Relative tolerance used when an author gives none. */
export const DEFAULT_RELATIVE_TOLERANCE = 0.05;

// Spaces that people (and locales) put between groups of thousands.
const GROUP_SPACES = ' \u00a0\u2009\u202f';
// Digits grouped by threes with one consistent separator, or plain digits.
const NUMBER = new RegExp(`^([+-]?)(\\d{1,3}(?:([,${GROUP_SPACES}])\\d{3})(?:\\3\\d{3})*|\\d+)?(\\.\\d*)?(?:[eE]([+-]?\\d+))?$`);

/**
 * Reads a number as a student types it: "1,234.5", "1 234.5", "5.7e3", "−3", with the
 * question's unit after it or not. Returns a message, never throws, for anything else.
 */
export function parseNumber(raw: string, unit = ''): Parsed {
  let text = raw.trim().replace(/\u2212/g, '-');
  if (text === '') return { error: 'Type a number first.' };
  if (unit) {
    const suffix = unit.trim().toLowerCase();
    if (suffix && text.toLowerCase().endsWith(suffix)) text = text.slice(0, text.length - suffix.length).trim();
  }
  const match = NUMBER.exec(text);
  const integer = match?.[2];
  const fraction = match?.[4];
  const hasDigits = Boolean(integer) || (fraction !== undefined && fraction.length > 1);
  if (!match || !hasDigits) {
    // "1,5" is a decimal comma in much of the world; say so rather than read 15.
    if (/^[+-]?[\d,]*\d[\d,]*(\.\d*)?$/.test(text) && text.includes(',')) {
      return { error: `Use a point for decimals (1.5, not 1,5); commas may only separate thousands, as in 1,234,567.` };
    }
    return { error: `“${raw.trim()}” is not a number. Type digits, such as 1,234.5 or 5.7e3.` };
  }
  const plain = `${match[1] ?? ''}${(integer ?? '0').replace(/[^\d]/g, '')}${fraction ?? ''}${match[5] !== undefined ? `e${match[5]}` : ''}`;
  const value = Number(plain);
  if (!Number.isFinite(value)) return { error: `${raw.trim()} is too large to check.` };
  return { value };
}

export interface Tolerance {
  /** Fraction of the answer, 0.05 for ±5%. Ignored when `absolute` is set. */
  relative?: number;
  /** Plus or minus this much, in the answer's unit. */
  absolute?: number;
}

/** How far from the answer a value may be and still count as right. */
export function allowedError(answer: number, tolerance: Tolerance): number {
  if (tolerance.absolute !== undefined) return Math.abs(tolerance.absolute);
  return Math.abs(tolerance.relative ?? DEFAULT_RELATIVE_TOLERANCE) * Math.abs(answer);
}

export interface NumberVerdict {
  correct: boolean;
  /** Where the value sits when it is not accepted; 'close' when it is. */
  direction: 'high' | 'low' | 'close';
}

export function checkNumber(value: number, answer: number, tolerance: Tolerance = {}): NumberVerdict {
  // A hair of slack, so that 105 counts as within 5% of 100 despite binary rounding.
  const slack = 1e-12 * Math.max(Math.abs(answer), Math.abs(value), 1);
  const correct = Math.abs(value - answer) <= allowedError(answer, tolerance) + slack;
  return { correct, direction: correct ? 'close' : value > answer ? 'high' : 'low' };
}

/** "within 5%" or "within ±0.5 s", for the line under a numeric question. */
export function describeTolerance(tolerance: Tolerance, unit = ''): string {
  if (tolerance.absolute !== undefined) {
    if (tolerance.absolute === 0) return 'exactly';
    return `within ±${formatSig(Math.abs(tolerance.absolute), 4)}${unit ? ` ${unit}` : ''}`;
  }
  const relative = Math.abs(tolerance.relative ?? DEFAULT_RELATIVE_TOLERANCE);
  return relative === 0 ? 'exactly' : `within ${formatSig(relative * 100, 3)}%`;
}

/** Throws when an author's tolerance makes no sense; the message names the component. */
export function checkTolerance(where: string, tolerance: { relative?: number | undefined; absolute?: number | undefined }): void {
  for (const [name, value] of Object.entries(tolerance)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `${where}: ${name === 'relative' ? 'tolerance' : 'absoluteTolerance'} must be a number of 0 or more, not ${String(value)}.`,
      );
    }
  }
  if (tolerance.relative !== undefined && tolerance.relative >= 1) {
    throw new Error(
      `${where}: tolerance is relative (0.05 means ±5%), so ${tolerance.relative} would accept almost anything. Use absoluteTolerance for a fixed margin.`,
    );
  }
}

export interface Bucket {
  label: string;
  /** Lowest value in the bucket (inclusive); none means no lower limit. */
  min?: number;
  /** Value where the bucket ends (exclusive); none means no upper limit. */
  max?: number;
}

/** The index of the bucket that holds the value, or -1 when none does. */
export function matchBucket(value: number, buckets: ReadonlyArray<Bucket>): number {
  return buckets.findIndex(
    (bucket) => (bucket.min === undefined || value >= bucket.min) && (bucket.max === undefined || value < bucket.max),
  );
}

/** Throws when buckets could not judge a prediction: too few, empty or overlapping. */
export function checkBuckets(where: string, buckets: ReadonlyArray<Bucket>): void {
  if (buckets.length < 2) throw new Error(`${where}: options needs at least two buckets to choose from.`);
  buckets.forEach((bucket, index) => {
    if (!bucket.label || !bucket.label.trim()) throw new Error(`${where}: option ${index + 1} needs a label.`);
    for (const key of ['min', 'max'] as const) {
      const value = bucket[key];
      if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
        throw new Error(`${where}: option “${bucket.label}” has ${key} = ${String(value)}; it must be a number.`);
      }
    }
    if (bucket.min !== undefined && bucket.max !== undefined && !(bucket.min < bucket.max)) {
      throw new Error(`${where}: option “${bucket.label}” has min ${bucket.min} not below max ${bucket.max}.`);
    }
  });
  for (let i = 0; i < buckets.length; i++) {
    for (let j = i + 1; j < buckets.length; j++) {
      const a = buckets[i] as Bucket;
      const b = buckets[j] as Bucket;
      const low = Math.max(a.min ?? -Infinity, b.min ?? -Infinity);
      const high = Math.min(a.max ?? Infinity, b.max ?? Infinity);
      if (low < high) throw new Error(`${where}: options “${a.label}” and “${b.label}” overlap; a value could fall in both.`);
    }
  }
}

export interface ChoiceVerdict {
  correct: boolean;
  /** Chosen options that are right. */
  rightChosen: number;
  /** Chosen options that are wrong. */
  wrongChosen: number;
  /** Right options not chosen. */
  missed: number;
}

/** Marks a set of chosen option indices: right only when exactly the correct ones are chosen. */
export function checkChoices(selected: ReadonlyArray<number>, options: ReadonlyArray<{ correct?: boolean }>): ChoiceVerdict {
  const chosen = new Set(selected.filter((index) => index >= 0 && index < options.length));
  let rightChosen = 0;
  let wrongChosen = 0;
  let missed = 0;
  options.forEach((option, index) => {
    const isChosen = chosen.has(index);
    if (option.correct && isChosen) rightChosen++;
    else if (option.correct) missed++;
    else if (isChosen) wrongChosen++;
  });
  return { correct: chosen.size > 0 && wrongChosen === 0 && missed === 0, rightChosen, wrongChosen, missed };
}

type Series = Record<string, ReadonlyArray<readonly [number, number, ...number[]]>>;

/** A number as an author would write it in MDX: no digit grouping, no float noise. */
function plain(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * The y value of a series at x = `at`, or at its last point when `at` is omitted.
 * `at` must be one of the series' own x values: an interpolated value would not be
 * what the lab shows, so the message names the nearest points instead.
 */
export function seriesValue(series: Series, key: string, at?: number): { value: number } | { error: string } {
  const points = series[key];
  if (!points) return { error: `there is no series "${key}"; the series are ${Object.keys(series).join(', ')}.` };
  if (points.length === 0) return { error: `the series "${key}" has no points for these settings.` };
  if (at === undefined) return { value: (points[points.length - 1] as readonly [number, number])[1] };
  const near = (x: number) => Math.abs(x - at) <= 1e-9 * Math.max(1, Math.abs(at));
  const found = points.find(([x]) => near(x));
  if (found) return { value: found[1] };
  const below = points.filter(([x]) => x < at).at(-1)?.[0];
  const above = points.find(([x]) => x > at)?.[0];
  const nearest = [below, above].filter((x): x is number => x !== undefined).map(plain);
  const last = (points[points.length - 1] as readonly [number, number])[0];
  return {
    error:
      `the series "${key}" has no point at x = ${plain(at)}` +
      (nearest.length > 0 ? `; the nearest are at x = ${nearest.join(' and ')}` : '') +
      `. Use one of its x values, or leave "at" out for its last point (x = ${plain(last)}).`,
  };
}

/**
 * The number a run gives for a question: a series' point (see seriesValue) or one of the
 * run's key numbers (`output`), which may not exist for some settings.
 */
export function resultValue(
  result: { series: Series; outputs?: Record<string, number> | undefined },
  query: { series?: string | undefined; output?: string | undefined; at?: number | undefined },
): { value: number } | { error: string } {
  if (query.output === undefined) return seriesValue(result.series, query.series ?? '', query.at);
  const value = result.outputs?.[query.output];
  if (value === undefined || Number.isNaN(value)) return { error: `the output "${query.output}" has no value for these settings.` };
  return { value };
}

/**
 * An answer as a question keeps it: twelve significant figures drop floating-point dust
 * (14999.99999999998) that no reader could type, and keep far more precision than any
 * tolerance uses.
 */
export function roundAnswer(value: number): number {
  return Number(value.toPrecision(12));
}

export type OutcomeFormat = 'duration' | 'percent' | 'number';

/**
 * A value as the student reads it. 'duration' takes seconds ("4.54 h"); 'percent'
 * takes a value already in percent, as the labs' percentage series are ("42.1%").
 */
export function formatOutcome(value: number, format: OutcomeFormat = 'number', unit = ''): string {
  // A per-cent sign sits against its number ("57.81%"), as the labs print percentages.
  if (format === 'number' && unit === '%') return `${formatSig(value, 4)}%`;
  // The labs' own formatting, with a fourth digit on plain numbers so a typed answer can be compared.
  return formatOutput(value, format, unit, 4);
}

/**
 * A likely wrong answer and what to say about it: bits for bytes, a factor of N,
 * forgetting the server's own upload. It is keyed by the value the mistake gives,
 * written out (`value`, in the answer's unit) or as a multiple of the answer (`factor`:
 * 8 for bits read as bytes, 1/8 for the reverse).
 */
export interface Mistake {
  value?: number;
  factor?: number;
  /** Shown when a checked answer lands on this value, within the question's tolerance. */
  feedback: string;
}

/** The value a mistake produces, in the answer's unit. */
export function mistakeValue(mistake: Mistake, answer: number): number {
  return mistake.value ?? answer * (mistake.factor ?? NaN);
}

/**
 * The first mistake whose value a wrong answer matches, within the question's own
 * tolerance around that value; -1 when none does, or when the answer is right.
 */
export function matchMistake(value: number, answer: number, mistakes: ReadonlyArray<Mistake>, tolerance: Tolerance = {}): number {
  if (checkNumber(value, answer, tolerance).correct) return -1;
  return mistakes.findIndex((mistake) => {
    const expected = mistakeValue(mistake, answer);
    // A relative tolerance scales with the mistake's value, as it does with the answer's.
    return Number.isFinite(expected) && checkNumber(value, expected, tolerance).correct;
  });
}

/**
 * Throws when an author's mistakes could not work: no value or two, no feedback, or a
 * value so near the answer that it would be accepted as right and never shown.
 */
export function checkMistakes(where: string, mistakes: unknown, answer: number, tolerance: Tolerance): asserts mistakes is Mistake[] {
  if (!Array.isArray(mistakes))
    throw new Error(`${where}: mistakes must be a list, such as [{ factor: 8, feedback: 'That is in bytes.' }].`);
  mistakes.forEach((mistake: Partial<Mistake> | null, index) => {
    const name = `${where}: mistake ${index + 1}`;
    if (typeof mistake !== 'object' || mistake === null) throw new Error(`${name} must be { value or factor, feedback }.`);
    const given = [mistake.value, mistake.factor].filter((x) => x !== undefined);
    if (given.length !== 1)
      throw new Error(
        `${name} needs exactly one of value (the wrong answer it gives) or factor (the wrong answer as a multiple of the right one).`,
      );
    const number = given[0];
    if (typeof number !== 'number' || !Number.isFinite(number))
      throw new Error(`${name}: ${mistake.value !== undefined ? 'value' : 'factor'} must be a number, not ${String(number)}.`);
    if (typeof mistake.feedback !== 'string' || mistake.feedback.trim() === '')
      throw new Error(`${name} needs a feedback text that explains the mistake.`);
    const wrong = mistakeValue(mistake as Mistake, answer);
    if (checkNumber(wrong, answer, tolerance).correct) {
      throw new Error(
        `${name} gives ${formatSig(wrong, 4)}, which is accepted as right (the answer is ${formatSig(answer, 4)}), so its feedback would never show.`,
      );
    }
  });
}
