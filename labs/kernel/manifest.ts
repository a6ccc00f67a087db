/**
 * The manifest is what a lab declares about itself: parameters, outputs and charts.
 * The generic <Lab> host renders controls, validates input, draws charts and syncs
 * the URL from it, and the build checks MDX presets against it. It is plain data so
 * that it can be read at build time, in the page and in Node tests alike.
 */

export interface NumberParam {
  kind: 'number' | 'integer';
  name: string;
  label: string;
  /** Unit shown after the control ("Mbit/s"); empty for a pure number. */
  unit: string;
  min: number;
  max: number;
  step: number;
  default: number;
  /** A log-scaled slider, for parameters that span decades (peer counts). */
  scale?: 'linear' | 'log';
  help?: string;
}

export interface ChoiceParam {
  kind: 'choice';
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  default: string;
  help?: string;
}

export type ParamSpec = NumberParam | ChoiceParam;
export type ParamValue = number | string;
export type ParamValues = Record<string, ParamValue>;

export interface AxisSpec {
  /** The quantity, without a unit when `format` gives one ("Distribution time"). */
  label: string;
  /**
   * What the values are, so ticks read in human units and impossible values are caught:
   * duration: seconds, ticked as s, min, h or days chosen from the data;
   * percent: a share in [0, 100]; probability: a share in [0, 1]; count: whole things.
   */
  format?: 'duration' | 'percent' | 'probability' | 'count';
  scale?: 'linear' | 'logarithmic';
  /** Start the axis at zero (linear axes only). */
  beginAtZero?: boolean;
}

export interface SeriesSpec {
  /** Key into LabResult.series. */
  key: string;
  label: string;
  /** Simulated results are drawn as points and lines; references as dashed lines. */
  role: 'simulated' | 'reference';
  /**
   * Draw a marker at each point; false for dense curves such as CDFs. Default: true for
   * simulated series. Simulated series with markers are not joined by lines: a line
   * would claim values between points that were never simulated.
   */
  markers?: boolean;
  /**
   * The thing this series is about ("client-server", "swarm"). Series with the same
   * subject share one colour across every chart of the lab, so a formula is dashed in
   * its simulation's colour. Default: the series key.
   */
  subject?: string;
  /**
   * For a simulated series: the key of a reference series in the same chart that is a
   * lower bound on it at every x (Kurose & Ross bounds). Checked by the property tests;
   * the reference must have a point at every x the simulation has.
   */
  atLeast?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  series: ReadonlyArray<SeriesSpec>;
  /** A sentence under the chart: what a formula stands in for, what was scaled down. */
  note?: string;
}

/** A key number of a run (a break-even N, a knee, an availability), shown beside the charts. */
export interface OutputSpec {
  /** Key into LabResult.outputs. */
  key: string;
  label: string;
  /** duration: seconds; percent: a value already in percent; count: a whole number; number: anything else. */
  format: 'number' | 'duration' | 'percent' | 'count';
  /** Shown after a plain number ("requests/s"). */
  unit?: string;
  /**
   * When the number may not exist (NaN, shown as "none"), the condition in words
   * ("when P2P never catches up"). Without it the number must be finite at every valid setting.
   */
  missingWhen?: string;
}

export interface LabManifest {
  id: string;
  title: string;
  /** The claim of the article this lab tests, quoted. */
  claims: ReadonlyArray<string>;
  /** One paragraph: what the reader can do here. */
  summary: string;
  params: ReadonlyArray<ParamSpec>;
  charts: ReadonlyArray<ChartSpec>;
  /** The run's key numbers, listed under the charts and usable in prose with <LabValue output>. */
  outputs?: ReadonlyArray<OutputSpec>;
  /** "How this is computed": the model's assumptions, and its formulas in TeX. */
  method: {
    assumptions: ReadonlyArray<string>;
    formulas: ReadonlyArray<{ label: string; tex: string }>;
    reference: string;
  };
  /** Named parameter sets for the cases the verdict names. */
  presets?: ReadonlyArray<{ id: string; label: string; values: ParamValues }>;
  /**
   * Milliseconds of one core's work per unit of the weights its sweep plans, at large sizes,
   * as `npm run bench` measures (and checks, within a factor of two). With it the page tells
   * the reader, before Run, how long a heavy setting will take.
   */
  msPerWeight?: number;
}

export interface ValidationResult {
  values: ParamValues;
  /** Message per parameter name, for the ones that were rejected. */
  errors: Record<string, string>;
}

export function defaults(manifest: LabManifest): ParamValues {
  const values: ParamValues = {};
  for (const param of manifest.params) values[param.name] = param.default;
  return values;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** Describes the allowed values of a parameter, for messages and the reference. */
export function allowedText(param: ParamSpec): string {
  if (param.kind === 'choice') return `one of ${param.options.map((o) => `"${o.value}"`).join(', ')}`;
  const unit = param.unit ? ` ${param.unit}` : '';
  const whole = param.kind === 'integer' ? 'a whole number ' : 'a number ';
  return `${whole}from ${formatNumber(param.min)} to ${formatNumber(param.max)}${unit}`;
}

/**
 * A number as people write it: decimal digits, an optional point and exponent. Number()
 * alone would also take "0x10" as 16 while the field still shows "0x10".
 */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A raw value as a message may echo it: a link can carry thousands of characters. */
function echo(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

/** Checks one raw value (from a form, a URL or a preset); returns the value or a message. */
export function checkParam(param: ParamSpec, raw: unknown): { value: ParamValue } | { error: string } {
  if (param.kind === 'choice') {
    const text = typeof raw === 'string' ? raw : String(raw);
    if (param.options.some((o) => o.value === text)) return { value: text };
    return { error: `${param.label} must be ${allowedText(param)}, not "${echo(text)}".` };
  }
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim() !== '') value = DECIMAL.test(raw.trim()) ? Number(raw.trim()) : NaN;
  else return { error: `${param.label} needs a value: ${allowedText(param)}.` };
  if (!Number.isFinite(value)) return { error: `${param.label} must be a number, not "${echo(String(raw))}".` };
  if (param.kind === 'integer' && !Number.isInteger(value)) {
    return { error: `${param.label} must be a whole number, not ${formatNumber(value)}.` };
  }
  if (value < param.min || value > param.max) {
    return { error: `${param.label} must be ${allowedText(param)}; ${formatNumber(value)} is out of range.` };
  }
  return { value };
}

/**
 * Validates a partial set of raw values against the manifest. Unknown names are
 * errors (a typo in a preset must not pass silently); missing names take defaults.
 */
export function validateParams(manifest: LabManifest, raw: Record<string, unknown>): ValidationResult {
  const values = defaults(manifest);
  const errors: Record<string, string> = {};
  const known = new Set(manifest.params.map((p) => p.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      errors[name] = `"${echo(name)}" is not a parameter of the ${manifest.id} lab; its parameters are ${[...known].join(', ')}.`;
    }
  }
  for (const param of manifest.params) {
    if (!(param.name in raw)) continue;
    const checked = checkParam(param, raw[param.name]);
    if ('error' in checked) errors[param.name] = checked.error;
    else values[param.name] = checked.value;
  }
  return { values, errors };
}

/** Seeds are whole numbers the reader can type and share. */
export const SEED_MIN = 0;
export const SEED_MAX = 2 ** 31 - 1;
export function checkSeed(raw: unknown): { value: number } | { error: string } {
  const value = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
  if (String(raw).trim() === '' || !Number.isInteger(value) || value < SEED_MIN || value > SEED_MAX) {
    return { error: `Seed must be a whole number from ${SEED_MIN} to ${SEED_MAX}.` };
  }
  return { value };
}
