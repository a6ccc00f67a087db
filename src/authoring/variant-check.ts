/**
 * The build-time check of a numeric question's `variant` prop, shared by the lesson check
 * (remark-check-labs.ts, which names the file and line) and the component (which checks
 * again when it renders):
 *
 *   variant={{
 *     lab: 'file-distribution',
 *     preset: { fileSize: 16, serverUpload: 100, peers: 300 },   // the standard numbers
 *     series: 'p2pBound',                                        // or output: '…'; at as in answerFrom
 *     vary: { peers: { from: 100, to: 1000, step: 50 }, peerUpload: [2, 5, 10] },
 *   }}
 *
 * Reads manifests only, never a model: it is cheap, and safe in the lesson check.
 */
import { findManifest, labIds } from '../../labs/manifests';
import { checkSeed, validateParams, type LabManifest } from '../../labs/kernel/manifest';
import { checkVary, type VariantConfig } from '../exercises/variants';

export interface VariantInput {
  /** The lab whose model computes the answer, as in answerFrom. */
  lab: string;
  /** The numbers without a seed, over the lab's defaults; a varied parameter's standard value too. */
  preset?: Record<string, number | string>;
  /** A series of the lab's result, read at `at` or at its last point; give this or output. */
  series?: string;
  /** One of the run's key numbers; give this or series. */
  output?: string;
  /** The x value to read the series at; leave it out when a varied parameter moves the series' points. */
  at?: number;
  /** The model's random seed (1 by default), the same for every student. */
  seed?: number;
  /** The parameters drawn from the student's seed: `{ from, to, step }` or a list of values each. */
  vary: Record<string, { from: number; to: number; step: number } | ReadonlyArray<number | string>>;
}

const KEYS = ['lab', 'preset', 'series', 'output', 'at', 'seed', 'vary'];

export function seriesKeys(manifest: LabManifest): string[] {
  return [...new Set(manifest.charts.flatMap((chart) => chart.series.map((s) => s.key)))];
}

/** The page's configuration for a variant, or every problem with it as sentences. */
export function checkVariant(input: unknown): { config: VariantConfig } | { errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: ['must be an object such as {{ lab, preset, series, vary: { peers: { from: 100, to: 1000, step: 50 } } }}.'] };
  }
  const variant = input as Record<string, unknown>;
  const errors: string[] = [];
  const unknown = Object.keys(variant).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) errors.push(`has no ${unknown.map((key) => `"${key}"`).join(', ')}; its keys are ${KEYS.join(', ')}.`);
  const lab = variant['lab'];
  const manifest = typeof lab === 'string' ? findManifest(lab) : undefined;
  if (!manifest) {
    errors.push(
      typeof lab === 'string'
        ? `there is no lab "${lab}". The labs are: ${labIds.join(', ')}.`
        : `needs lab, a lab's id; the labs are: ${labIds.join(', ')}.`,
    );
    return { errors };
  }
  const preset = variant['preset'] ?? {};
  let base = validateParams(manifest, {}).values;
  if (typeof preset !== 'object' || preset === null || Array.isArray(preset)) {
    errors.push(`preset must be an object such as { ${manifest.params[0]?.name ?? 'name'}: … }.`);
  } else {
    const checked = validateParams(manifest, preset as Record<string, unknown>);
    errors.push(...Object.values(checked.errors).map((error) => `preset: ${error}`));
    base = checked.values;
  }
  const { series, output, at } = variant;
  if ((series === undefined) === (output === undefined)) {
    errors.push('give either series (with at, or its last point) or output, not both or neither.');
  } else if (series !== undefined && (typeof series !== 'string' || !seriesKeys(manifest).includes(series))) {
    errors.push(`the ${manifest.id} lab has no series "${String(series)}"; its series are ${seriesKeys(manifest).join(', ')}.`);
  } else if (output !== undefined) {
    const outputs = (manifest.outputs ?? []).map((o) => o.key);
    if (typeof output !== 'string' || !outputs.includes(output)) {
      errors.push(
        `the ${manifest.id} lab has no output "${String(output)}"; its outputs are ${outputs.length > 0 ? outputs.join(', ') : 'none'}.`,
      );
    }
  }
  if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) errors.push(`at must be a number, not ${JSON.stringify(at)}.`);
  if (at !== undefined && output !== undefined) errors.push('at belongs to a series; an output has one value.');
  const seed = checkSeed(variant['seed'] ?? 1);
  if ('error' in seed) errors.push(`seed: ${seed.error}`);
  const vary = checkVary(manifest, variant['vary']);
  if ('errors' in vary) errors.push(...vary.errors);
  if (errors.length > 0 || 'errors' in vary || 'error' in seed) return { errors };

  const labels: VariantConfig['labels'] = {};
  for (const param of manifest.params) {
    if (param.kind === 'choice') labels[param.name] = Object.fromEntries(param.options.map((option) => [option.value, option.label]));
  }
  return {
    config: {
      lab: manifest.id,
      query: { series: series as string | undefined, output: output as string | undefined, at: at as number | undefined },
      seed: seed.value,
      base,
      varied: vary.varied,
      labels,
    },
  };
}
