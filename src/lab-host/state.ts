/**
 * Pure helpers of the lab host: URL state, slider scales, tables and CSV. No DOM,
 * so they are unit-tested in Node.
 */
import type { ChartSpec, LabManifest, NumberParam, ParamValues } from '../../labs/kernel/manifest';
import type { LabResult, Point } from '../../labs/kernel/model';
import { formatSig } from '../../labs/kernel/format';
import { axisTitle, columnTitle, valueText } from './axes';

/** URL keys are `<lab name>.<parameter>`, so several labs can share one page's URL. */
export function stateKey(labName: string, param: string): string {
  return `${labName}.${param}`;
}

/** Writes a lab's values and seed into the query, leaving other labs' keys alone. */
export function writeState(search: string, labName: string, values: ParamValues, seed: number): string {
  const query = new URLSearchParams(search);
  // The pinned run is kept: it is set and cleared by the Pin button alone.
  for (const key of [...query.keys()]) if (key.startsWith(`${labName}.`) && key !== stateKey(labName, PIN)) query.delete(key);
  for (const [name, value] of Object.entries(values)) query.set(stateKey(labName, name), String(value));
  query.set(stateKey(labName, 'seed'), String(seed));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The URL key of a pinned run: `<lab name>.pin`, holding `name:value;…;seed:n`. */
const PIN = 'pin';

/** A pinned run's values and seed, compact enough for a URL. */
export function encodePin(values: ParamValues, seed: number): string {
  return [...Object.entries(values), ['seed', seed] as const].map(([name, value]) => `${name}:${String(value)}`).join(';');
}

/** Reads a pinned run back; unknown names are kept for the caller to validate. Null when absent or malformed. */
export function decodePin(text: string | null): { values: Record<string, string>; seed: string } | null {
  if (!text) return null;
  const values: Record<string, string> = {};
  let seed: string | null = null;
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return null;
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (name === 'seed') seed = value;
    else values[name] = value;
  }
  return seed === null ? null : { values, seed };
}

/** A lab's pinned run as the query holds it, or null. */
export function readPin(search: string, labName: string): { values: Record<string, string>; seed: string } | null {
  return decodePin(new URLSearchParams(search).get(stateKey(labName, PIN)));
}

/** Writes (or, with null, removes) a lab's pinned run in the query. */
export function writePin(search: string, labName: string, pin: string | null): string {
  const query = new URLSearchParams(search);
  if (pin === null) query.delete(stateKey(labName, PIN));
  else query.set(stateKey(labName, PIN), pin);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A pinned run's label: the parameters in which it differs from the current run. */
export function pinLabel(
  manifest: LabManifest,
  pinned: ParamValues,
  pinnedSeed: number,
  current: ParamValues,
  currentSeed: number,
): string {
  const differences = manifest.params
    .filter((param) => String(pinned[param.name]) !== String(current[param.name]))
    .map((param) => {
      const unit = param.kind !== 'choice' && param.unit ? ` ${param.unit}` : '';
      return `${param.label} = ${String(pinned[param.name])}${unit}`;
    });
  if (pinnedSeed !== currentSeed) differences.push(`seed ${pinnedSeed}`);
  return differences.length > 0 ? `pinned: ${differences.join(', ')}` : 'pinned: same settings';
}

/** Reads a lab's raw (unvalidated) values and seed from the query; empty when absent. */
export function readState(search: string, labName: string): { values: Record<string, string>; seed: string | null } {
  const query = new URLSearchParams(search);
  const values: Record<string, string> = {};
  let seed: string | null = null;
  const prefix = `${labName}.`;
  for (const [key, value] of query) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (name === PIN) continue;
    // A key given twice counts once, the first time (ignoredStateNote says so).
    if (name === 'seed') seed ??= value;
    else if (!Object.hasOwn(values, name)) values[name] = value;
  }
  return { values, seed };
}

/**
 * What in the query a lab on this page ignores, in words, or null: its own keys that
 * are not parameters, keys given twice (the first counts), and keys of no lab on the
 * page (another lab's link, or an old unprefixed form). Names are cut short, since a
 * link can carry anything.
 */
export function ignoredStateNote(
  search: string,
  labName: string,
  paramNames: ReadonlyArray<string>,
  labNamesOnPage: ReadonlyArray<string>,
): string | null {
  const known = new Set([...paramNames, 'seed', PIN]);
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const repeated = new Set<string>();
  const stray = new Set<string>();
  for (const key of new URLSearchParams(search).keys()) {
    const dot = key.indexOf('.');
    const owner = dot > 0 ? key.slice(0, dot) : '';
    if (owner === labName) {
      if (seen.has(key)) repeated.add(key);
      seen.add(key);
      if (!known.has(key.slice(dot + 1))) unknown.add(key);
    } else if (!labNamesOnPage.includes(owner) && labNamesOnPage[0] === labName) {
      // Keys of no lab here are reported once, by the page's first lab.
      stray.add(key);
    }
  }
  const list = (keys: Set<string>) =>
    [...keys]
      .slice(0, 5)
      .map((key) => `“${shortText(key, 40)}”`)
      .join(', ') + (keys.size > 5 ? ` and ${keys.size - 5} more` : '');
  const notes: string[] = [];
  if (unknown.size > 0) notes.push(`not settings of this lab: ${list(unknown)}`);
  if (repeated.size > 0) notes.push(`given more than once (the first is used): ${list(repeated)}`);
  if (stray.size > 0) notes.push(`for no lab on this page: ${list(stray)}`);
  return notes.length > 0 ? `The link’s address has values this lab ignores (${notes.join('; ')}).` : null;
}

/** A value as a message may echo it: at most `length` characters. */
export function shortText(text: string, length = 40): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

const SLIDER_STEPS = 1000;

/** Slider position (0..1000) for a value; a log scale spreads decades evenly. */
export function sliderPosition(param: NumberParam, value: number): number {
  const clamped = Math.min(param.max, Math.max(param.min, value));
  if (param.scale === 'log' && param.min > 0) {
    return Math.round((Math.log(clamped / param.min) / Math.log(param.max / param.min)) * SLIDER_STEPS);
  }
  if (param.scale === 'log') {
    // A log slider whose range starts at zero: position 0 is zero, the rest spans min-step..max.
    const low = param.step;
    if (clamped < low) return 0;
    return Math.round(1 + (Math.log(clamped / low) / Math.log(param.max / low)) * (SLIDER_STEPS - 1));
  }
  return Math.round(((clamped - param.min) / (param.max - param.min)) * SLIDER_STEPS);
}

/** What a screen reader says for a slider at `value`: the value with its unit. */
export function sliderValueText(param: NumberParam, value: number): string {
  return `${formatSig(value, 4)}${param.unit ? ` ${param.unit}` : ''}`;
}

/** The value at a slider position, snapped to the parameter's step. */
export function sliderValue(param: NumberParam, position: number): number {
  const fraction = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  let raw: number;
  if (param.scale === 'log' && param.min > 0) raw = param.min * Math.pow(param.max / param.min, fraction);
  else if (param.scale === 'log') {
    raw = position <= 0 ? 0 : param.step * Math.pow(param.max / param.step, (position - 1) / (SLIDER_STEPS - 1));
  } else raw = param.min + fraction * (param.max - param.min);
  const snapped = Math.round(raw / param.step) * param.step;
  // Rounding to the step's decimals removes binary noise such as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(param.step)));
  const value = Number(snapped.toFixed(Math.min(decimals, 12)));
  return Math.min(param.max, Math.max(param.min, value));
}

export interface Table {
  columns: string[];
  /** Numbers, or an interval's text ("1.2 to 1.5"); null where a series has no point. */
  rows: Array<Array<number | string | null>>;
}

/**
 * One chart as a wide table: x, then one column per series, and beside a simulated
 * series with intervals a column for its 95% interval; blank where a series has no point.
 */
export function chartTable(chart: ChartSpec, result: LabResult): Table {
  const xs = new Set<number>();
  const columns: string[] = [columnTitle(chart.x)];
  const cells: Array<(x: number) => number | string | null> = [];
  for (const series of chart.series) {
    const points = new Map<number, Point>();
    for (const point of result.series[series.key] ?? []) {
      points.set(point[0], point);
      xs.add(point[0]);
    }
    columns.push(series.label);
    cells.push((x) => points.get(x)?.[1] ?? null);
    if ([...points.values()].some((point) => point.length >= 4)) {
      columns.push(`${series.label}: 95% interval`);
      cells.push((x) => {
        const point = points.get(x);
        return point?.[2] !== undefined && point[3] !== undefined ? `${formatSig(point[2], 4)} to ${formatSig(point[3], 4)}` : null;
      });
    }
  }
  const sorted = [...xs].sort((a, b) => a - b);
  return { columns, rows: sorted.map((x) => [x, ...cells.map((cell) => cell(x))]) };
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every series of every chart in long form, so one file holds the whole result. */
export function resultCsv(manifest: LabManifest, result: LabResult): string {
  const lines = [['lab', 'chart', 'series', 'role', 'x', 'y', 'y_low_95', 'y_high_95'].join(',')];
  for (const chart of manifest.charts) {
    for (const series of chart.series) {
      for (const [x, y, low = null, high = null] of result.series[series.key] ?? []) {
        lines.push([manifest.id, chart.title, series.label, series.role, x, y, low, high].map(csvField).join(','));
      }
    }
  }
  // Key numbers have no x: one row each, under a chart column that names them as such.
  for (const output of manifest.outputs ?? []) {
    const value = result.outputs?.[output.key];
    if (value !== undefined) lines.push([manifest.id, 'key numbers', output.label, 'output', '', value, '', ''].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A text alternative for one chart, written from its data: what is plotted against
 * what, and for each series where it starts, where it ends and its extreme.
 */
export function describeChart(chart: ChartSpec, result: LabResult): string {
  const parts = [
    `${chart.title}: ${axisTitle(chart.y)} against ${axisTitle(chart.x)}${chart.x.scale === 'logarithmic' ? ' (logarithmic scale)' : ''}.`,
  ];
  const xText = (value: number) => valueText(chart.x, value);
  const yText = (value: number) => valueText(chart.y, value);
  for (const series of chart.series) {
    const points = result.series[series.key] ?? [];
    const kind = series.role === 'reference' ? 'formula' : 'simulation';
    if (points.length === 0) {
      parts.push(`${series.label} (${kind}): no points.`);
      continue;
    }
    const [x0, y0] = points[0]!;
    const [xn, yn] = points[points.length - 1]!;
    let highest = points[0]!;
    let lowest = points[0]!;
    for (const point of points) {
      if (point[1] > highest[1]) highest = point;
      if (point[1] < lowest[1]) lowest = point;
    }
    const intervals = points.some((point) => point.length >= 4) ? ', with 95% intervals' : '';
    let text = `${series.label} (${kind}, ${points.length} points${intervals}): from ${yText(y0)} at ${xText(x0)} to ${yText(yn)} at ${xText(xn)}`;
    const inside = (point: Point) => point !== points[0] && point !== points[points.length - 1];
    if (inside(highest)) text += `, highest ${yText(highest[1])} at ${xText(highest[0])}`;
    if (inside(lowest)) text += `, lowest ${yText(lowest[1])} at ${xText(lowest[0])}`;
    parts.push(`${text}.`);
  }
  if (chart.note) parts.push(chart.note);
  return parts.join(' ');
}
