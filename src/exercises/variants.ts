/**
 * Per-student variants of a numeric question: the parameters a question varies are drawn
 * from a seed the student types (a student number, or any word), so each student gets
 * numbers of their own and a grader who types the same seed gets the same ones.
 *
 * A seed is read without regard to case or surrounding spaces ("S1234 " is "s1234"), hashed
 * to a number, and each varied parameter is drawn from its own stream of the kernel's RNG
 * (labs/kernel/random.ts), seeded by the seed and the parameter's name. So the draw does not
 * depend on which other parameters vary, and two questions of a page that vary the same
 * parameter over the same values draw the same value: the parts of one problem agree.
 *
 * No DOM and no models: the page, the build and Node tests share it.
 */
import { checkParam, type ParamSpec, type ParamValue, type ParamValues, type LabManifest } from '../../labs/kernel/manifest';
import { createRandom } from '../../labs/kernel/random';

/** How an author varies one parameter: an evenly spaced range, or a list of values. */
export type VaryInput = { from: number; to: number; step: number } | ReadonlyArray<ParamValue>;

/**
 * One varied parameter, checked. A range is kept as its start, step and count rather than
 * listed, so a range of a million values costs nothing to send to the page.
 */
export type VariedParam =
  { name: string; from: number; step: number; count: number; decimals: number } | { name: string; values: ParamValue[] };

/** What the page needs to draw a question's variant and compute its answer. */
export interface VariantConfig {
  lab: string;
  /** What the answer reads from a run: a series (at x = `at`, or its last point) or an output. */
  query: { series?: string | undefined; output?: string | undefined; at?: number | undefined };
  /** The model's own random seed, fixed by the author (1 by default); the student's seed only draws parameters. */
  seed: number;
  /** Every parameter's value without a seed: the preset over the lab's defaults. */
  base: ParamValues;
  varied: VariedParam[];
  /** The labels of choice parameters' values, so a drawn choice reads as the lab words it. */
  labels: Record<string, Record<string, string>>;
}

/** Longer entries are refused: a seed is something a grader retypes. */
export const SEED_MAX_LENGTH = 64;

/** The form of a seed that decides the draw: case, accents' encoding and extra spaces do not count. */
export function normalizeSeed(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A seed as typed, or why it cannot be used. */
export function checkStudentSeed(text: string): { seed: string } | { error: string } {
  const seed = text.trim().replace(/\s+/g, ' ');
  if (seed === '') return { error: 'Type your student number, or any word, first.' };
  if (seed.length > SEED_MAX_LENGTH) return { error: `Use at most ${SEED_MAX_LENGTH} characters; a grader has to type it again.` };
  return { seed };
}

/** FNV-1a over the text's UTF-8 bytes: the same 32-bit number in every browser and in Node. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function variedCount(param: VariedParam): number {
  return 'values' in param ? param.values.length : param.count;
}

/** The index-th value of a varied parameter, on its range's grid without floating-point dust. */
export function variedValue(param: VariedParam, index: number): ParamValue {
  if ('values' in param) return param.values[index] as ParamValue;
  return Number((param.from + index * param.step).toFixed(param.decimals));
}

/** The values a seed draws for a question's varied parameters. */
export function drawVariant(varied: ReadonlyArray<VariedParam>, seed: string): ParamValues {
  const key = normalizeSeed(seed);
  const drawn: ParamValues = {};
  for (const param of varied) {
    // The kernel's RNG spreads the hash (splitmix32), so near seeds give unrelated draws.
    const index = createRandom(hashText(`${key}\u0000${param.name}`)).int(variedCount(param));
    drawn[param.name] = variedValue(param, index);
  }
  return drawn;
}

/** A parameter's value as the question's text shows it: a choice by its label, a number in full with separators. */
export function formatVariantValue(value: ParamValue, labels: Readonly<Record<string, string>> = {}): string {
  if (typeof value === 'string') return labels[value] ?? value;
  return value.toLocaleString('en-US', { maximumFractionDigits: 10 });
}

/** Digits after the point that a number is written with (0.05 → 2, 1e-7 → 7). */
function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

const isRange = (input: unknown): input is Record<string, unknown> => typeof input === 'object' && input !== null && !Array.isArray(input);

/** One parameter's variation, checked against its manifest entry; messages start with `vary.<name>`. */
function checkOne(param: ParamSpec, input: unknown): { varied: VariedParam } | { error: string } {
  const where = `vary.${param.name}`;
  const example =
    param.kind === 'choice'
      ? `[${param.options.map((o) => `"${o.value}"`).join(', ')}]`
      : `{ from: ${param.min}, to: ${param.max}, step: ${param.step} }`;
  if (Array.isArray(input)) {
    const values: ParamValue[] = [];
    for (const raw of input as unknown[]) {
      if (typeof raw !== 'number' && typeof raw !== 'string')
        return { error: `${where}: ${JSON.stringify(raw)} is not a value; list numbers or choices, such as ${example}.` };
      const checked = checkParam(param, raw);
      if ('error' in checked) return { error: `${where}: ${checked.error}` };
      if (values.includes(checked.value)) return { error: `${where} lists ${JSON.stringify(checked.value)} twice; list each value once.` };
      values.push(checked.value);
    }
    if (values.length < 2)
      return { error: `${where} lists ${values.length === 0 ? 'no value' : 'one value'}; a variant needs at least two to draw from.` };
    return { varied: { name: param.name, values } };
  }
  if (param.kind === 'choice') return { error: `${where}: ${param.label} is a choice; list the values to draw from, such as ${example}.` };
  if (!isRange(input))
    return { error: `${where} must be a range, such as ${example}, or a list of values, such as [${param.min}, ${param.max}].` };
  const extra = Object.keys(input).filter((key) => !['from', 'to', 'step'].includes(key));
  if (extra.length > 0)
    return { error: `${where} has ${extra.map((key) => `"${key}"`).join(', ')}; a range has from, to and step, such as ${example}.` };
  const { from, to, step } = input;
  for (const [name, value] of Object.entries({ from, to, step })) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { error: `${where} needs ${name} as a number, such as ${example}.` };
  }
  const [start, end, spacing] = [from, to, step] as [number, number, number];
  for (const [name, value] of [
    ['from', start],
    ['to', end],
  ] as const) {
    const checked = checkParam(param, value);
    if ('error' in checked) return { error: `${where} ${name}: ${checked.error}` };
  }
  if (!(spacing > 0)) return { error: `${where}: step must be more than 0, not ${spacing}.` };
  if (param.kind === 'integer' && !Number.isInteger(spacing))
    return { error: `${where}: ${param.label} is a whole number, so step must be one too, not ${spacing}.` };
  if (!(start < end)) return { error: `${where}: from (${start}) must be below to (${end}).` };
  // A hair of slack, so that 0.1 to 0.3 by 0.1 has its three values despite binary rounding.
  const count = Math.floor((end - start) / spacing + 1e-9) + 1;
  if (count < 2)
    return { error: `${where}: a step of ${spacing} from ${start} reaches no other value up to ${end}; a variant needs at least two.` };
  return { varied: { name: param.name, from: start, step: spacing, count, decimals: Math.max(decimalsOf(start), decimalsOf(spacing)) } };
}

/**
 * Checks an author's `vary` against the lab's manifest: each name a parameter, each range
 * or list within the parameter's allowed values. Every problem is listed.
 */
export function checkVary(manifest: LabManifest, vary: unknown): { varied: VariedParam[] } | { errors: string[] } {
  const first = manifest.params.find((param) => param.kind !== 'choice') ?? manifest.params[0];
  const example = first ? `vary: { ${first.name}: { from: …, to: …, step: … } }` : 'vary: { … }';
  if (!isRange(vary) || Object.keys(vary).length === 0)
    return { errors: [`vary must name at least one parameter to draw, such as ${example}.`] };
  const errors: string[] = [];
  const varied: VariedParam[] = [];
  for (const [name, input] of Object.entries(vary)) {
    const param = manifest.params.find((candidate) => candidate.name === name);
    if (!param) {
      errors.push(
        `vary: "${name}" is not a parameter of the ${manifest.id} lab; its parameters are ${manifest.params.map((p) => p.name).join(', ')}.`,
      );
      continue;
    }
    const checked = checkOne(param, input);
    if ('error' in checked) errors.push(checked.error);
    else varied.push(checked.varied);
  }
  return errors.length > 0 ? { errors } : { varied };
}
