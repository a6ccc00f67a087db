/**
 * Numbers for a lesson, computed at build time by running a lab's own model, so
 * that the text, the answer to an exercise and the lab can never disagree.
 *
 *   modelValue({ lab: 'file-distribution', preset: { peers: 100 }, series: 'p2pBound' })
 *   // → the P2P bound at the last point (N = 100) with the lab's defaults otherwise
 *
 *   modelValue({ lab: 'file-distribution', preset: { peers: 1000 }, series: 'csSim', at: 178, seed: 3 })
 *   // → the simulated client-server time at x = 178 for seed 3
 *
 * - `preset` is checked like a <Lab> preset (validateParams); missing parameters take
 *   the manifest's defaults. `seed` defaults to 1, the lab's own starting seed, so a
 *   value matches what a student sees on pressing Run.
 * - `at` must be one of the series' x values; without it the series' last point is used.
 * - Any problem (unknown lab, bad preset or seed, unknown series, no point at `at`)
 *   throws an Error whose message names the lab and series and lists what is allowed.
 * - One run per (lab, full parameter set, seed) per build: a page that asks several
 *   values of the same run pays for the model once.
 *
 * Import it only from build-time code (component frontmatter, tests): it pulls in
 * every model.
 */
import { findModel } from '../../labs/models';
import { findManifest, labIds } from '../../labs/manifests';
import { checkSeed, validateParams, type ParamValues } from '../../labs/kernel/manifest';
import { quietContext, type LabResult } from '../../labs/kernel/model';
import { seriesValue } from '../exercises/answers';

export interface ModelValueQuery {
  /** The lab's id, as in its manifest ("file-distribution"). */
  lab: string;
  /** Parameter values over the lab's defaults, as in <Lab preset={...}>. */
  preset?: Record<string, number | string> | undefined;
  /** Key of a series in the lab's result, as named in its manifest's charts ("p2pBound"). Give this or output. */
  series?: string | undefined;
  /** Key of one of the run's key numbers, as named in its manifest's outputs ("breakEven"). Give this or series. */
  output?: string | undefined;
  /** The x value to read the series at; its last point when omitted. */
  at?: number | undefined;
  /** The random seed; 1 when omitted. */
  seed?: number | undefined;
}

const cache = new Map<string, LabResult>();

function queryText(query: Pick<ModelValueQuery, 'lab' | 'series' | 'output'>): string {
  const what = query.output !== undefined ? `output: "${query.output}"` : `series: "${query.series}"`;
  return `modelValue({ lab: "${query.lab}", ${what} })`;
}

/** One of a run's key numbers; an error lists the outputs the lab has. */
function outputValue(lab: string, result: LabResult, key: string): { value: number } | { error: string } {
  const declared = (findManifest(lab)?.outputs ?? []).map((output) => output.key);
  if (!declared.includes(key)) {
    return { error: `there is no output "${key}"; its outputs are ${declared.length > 0 ? declared.join(', ') : 'none'}.` };
  }
  const value = result.outputs?.[key];
  if (value === undefined || Number.isNaN(value)) return { error: `the output "${key}" has no value for these settings.` };
  return { value };
}

/**
 * The full result of one run of a lab's model, cached. Throws with a message that
 * lists the allowed values when the lab, the preset or the seed is wrong.
 */
export function modelResult(lab: string, preset: Record<string, number | string> = {}, seed: number = 1): LabResult {
  const model = findModel(lab);
  if (!model) throw new Error(`there is no lab "${lab}". The labs are: ${labIds.join(', ')}.`);
  const checked = validateParams(model.manifest, preset);
  const errors = Object.values(checked.errors);
  if (errors.length > 0) throw new Error(`the preset for the ${lab} lab is not valid: ${errors.join(' ')}`);
  const seedChecked = checkSeed(seed);
  if ('error' in seedChecked) throw new Error(`the ${lab} lab: ${seedChecked.error}`);
  const key = cacheKey(lab, checked.values, seedChecked.value);
  let result = cache.get(key);
  if (!result) {
    result = model.run(checked.values, quietContext(seedChecked.value));
    cache.set(key, result);
  }
  return result;
}

/** The value a query asks for; see the module comment. */
export function modelValue(query: ModelValueQuery): number {
  let result: LabResult;
  try {
    result = modelResult(query.lab, query.preset, query.seed);
  } catch (error) {
    throw new Error(`${queryText(query)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if ((query.series === undefined) === (query.output === undefined)) {
    throw new Error(`${queryText(query)}: give either series (with at) or output, not both or neither.`);
  }
  const found =
    query.output !== undefined
      ? outputValue(query.lab, result, query.output)
      : seriesValue(result.series, query.series as string, query.at);
  if ('error' in found) throw new Error(`${queryText(query)}: in the ${query.lab} lab, ${found.error}`);
  return found.value;
}

/** Forgets cached runs (for tests, and for a dev server after a model changes). */
export function clearModelCache(): void {
  cache.clear();
}

function cacheKey(lab: string, values: ParamValues, seed: number): string {
  // Every parameter is present (defaults filled in), in sorted order, so equal runs share a key.
  const sorted = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return `${lab}\u0000${seed}\u0000${JSON.stringify(sorted)}`;
}
