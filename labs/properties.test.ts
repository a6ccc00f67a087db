/**
 * Property tests over every lab: at any valid setting a lab's charts, key numbers and
 * sentences must be possible. Parameters are drawn from the manifest alone (log-uniform
 * where the slider is logarithmic, with the range's ends drawn often), so a new lab or
 * a widened range is covered without editing this file.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { models } from './models';
import { defaults, validateParams, type ChartSpec, type LabManifest, type ParamSpec, type ParamValues } from './kernel/manifest';
import type { LabResult } from './kernel/model';

/** Runs per lab beyond the defaults and presets; each run is a whole lab run. */
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 12);
/** Relative slack for comparisons of floating-point results. */
const EPS = 1e-9;

function snap(param: Extract<ParamSpec, { kind: 'number' | 'integer' }>, raw: number): number {
  const stepped = Math.round((raw - param.min) / param.step) * param.step + param.min;
  const decimals = Math.max(0, -Math.floor(Math.log10(param.step)));
  const value = Number(stepped.toFixed(Math.min(decimals, 12)));
  return Math.min(param.max, Math.max(param.min, param.kind === 'integer' ? Math.round(value) : value));
}

function paramArbitrary(param: ParamSpec): fc.Arbitrary<number | string> {
  if (param.kind === 'choice') return fc.constantFrom(...param.options.map((o) => o.value));
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const low = param.scale === 'log' ? Math.max(param.min, param.step) : param.min;
  const spread =
    param.scale === 'log'
      ? unit.map((u) => snap(param, low * Math.pow(param.max / low, u)))
      : unit.map((u) => snap(param, param.min + u * (param.max - param.min)));
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(param.min, param.max) }, { weight: 4, arbitrary: spread });
}

function paramsArbitrary(manifest: LabManifest): fc.Arbitrary<ParamValues> {
  const record: Record<string, fc.Arbitrary<number | string>> = {};
  for (const param of manifest.params) record[param.name] = paramArbitrary(param);
  return fc.record(record);
}

/** Every impossible thing in one result, as messages; empty when the result is possible. */
export function impossibilities(manifest: LabManifest, result: LabResult): string[] {
  const problems: string[] = [];
  const range = (chart: ChartSpec): [number, number] | null => {
    switch (chart.y.format) {
      case 'percent':
        return [0, 100];
      case 'probability':
        return [0, 1];
      case 'duration':
      case 'count':
        return [0, Infinity];
      default:
        return null;
    }
  };
  for (const chart of manifest.charts) {
    const bounds = range(chart);
    for (const series of chart.series) {
      const points = result.series[series.key];
      if (!points) {
        problems.push(`${chart.id}/${series.key}: missing`);
        continue;
      }
      for (const point of points) {
        const [x, y, low, high] = point;
        const where = `${chart.id}/${series.key} at x = ${x}`;
        if (!Number.isFinite(x) || !Number.isFinite(y)) problems.push(`${where}: not finite (${y})`);
        if (low !== undefined && high !== undefined) {
          if (!Number.isFinite(low) || !Number.isFinite(high)) problems.push(`${where}: interval not finite`);
          if (low > y * (1 + EPS) + EPS || high < y * (1 - EPS) - EPS)
            problems.push(`${where}: ${y} outside its interval [${low}, ${high}]`);
        }
        if (bounds) {
          for (const value of point.slice(1)) {
            if (value < bounds[0] - EPS || value > bounds[1] + EPS * Math.max(1, bounds[1]))
              problems.push(`${where}: ${value} outside [${bounds[0]}, ${bounds[1]}]`);
          }
        }
      }
      if (series.atLeast) {
        const bound = new Map((result.series[series.atLeast] ?? []).map(([x, y]) => [x, y]));
        for (const [x, y] of points) {
          const floor = bound.get(x);
          if (floor === undefined) problems.push(`${chart.id}/${series.key} at x = ${x}: its bound ${series.atLeast} has no point there`);
          else if (y < floor * (1 - 1e-6)) problems.push(`${chart.id}/${series.key} at x = ${x}: ${y} is below its bound ${floor}`);
        }
      }
    }
  }
  for (const output of manifest.outputs ?? []) {
    const value = result.outputs?.[output.key];
    if (value === undefined) problems.push(`output ${output.key}: missing`);
    else if (Number.isNaN(value) ? !output.missingWhen : !Number.isFinite(value)) problems.push(`output ${output.key}: ${value}`);
    else if (output.format === 'percent' && (value < -EPS || value > 100 + EPS))
      problems.push(`output ${output.key}: ${value}% is not a share`);
    else if ((output.format === 'duration' || output.format === 'count') && value < 0)
      problems.push(`output ${output.key}: ${value} is negative`);
  }
  for (const [name, text] of [
    ['summary', result.summary],
    ['verdict', result.verdict],
  ] as const) {
    if (text.trim() === '') problems.push(`${name}: empty`);
    const bad = /NaN|undefined|Infinity|null|\[object/.exec(text);
    if (bad) problems.push(`${name}: says "${bad[0]}": ${text}`);
  }
  return problems;
}

describe.each(models.map((model) => [model.manifest.id, model] as const))('the %s lab at any valid setting', (_id, model) => {
  const { manifest } = model;
  const check = (values: ParamValues, seed: number): void => {
    const checked = validateParams(manifest, values);
    expect(checked.errors).toEqual({});
    const result = model.run(checked.values, { seed, progress: () => {} });
    expect(impossibilities(manifest, result), JSON.stringify(values)).toEqual([]);
  };

  it('is possible at its defaults and at every preset', { timeout: 120_000 }, () => {
    check(defaults(manifest), 1);
    for (const preset of manifest.presets ?? []) check({ ...defaults(manifest), ...preset.values }, 1);
  });

  it('is possible at random settings, the ends of every range included', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(paramsArbitrary(manifest), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (values, seed) => check(values, seed)),
      { numRuns: RUNS, seed: 20261202 },
    );
  });
});
