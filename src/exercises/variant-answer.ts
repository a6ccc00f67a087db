/**
 * The answer to a drawn variant, computed in the page by the lab's own model on the lab
 * host's pool of workers (src/lab-host/pool.ts), so the main thread only waits. Loaded
 * when a seed is entered, never before: a page without one does not pay for it.
 *
 * Runs go one at a time, so that the questions of a page do not each start a pool of
 * workers at once beside the page's labs, and each run's answer is kept for the page's
 * life: a second question on the same run, or a seed entered again, costs nothing.
 */
import type { ParamValues } from '../../labs/kernel/manifest';
import { runPool } from '../lab-host/pool';
import { resultValue, roundAnswer } from './answers';
import type { VariantConfig } from './variants';

const answers = new Map<string, Promise<number>>();
let queue: Promise<unknown> = Promise.resolve();

/** The run's key: a variant's full parameter set with the model's seed, as the build caches runs. */
function runKey(config: VariantConfig, values: ParamValues): string {
  const sorted = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return JSON.stringify([config.lab, config.seed, sorted, config.query]);
}

async function compute(factory: () => Worker, config: VariantConfig, values: ParamValues): Promise<number> {
  // No network view: only a number is read from this run.
  const pool = runPool(factory, values, config.seed, { progress: () => {}, partial: () => {} }, { network: false });
  try {
    const found = resultValue(await pool.result, config.query);
    if ('error' in found) throw new Error(found.error);
    return roundAnswer(found.value);
  } finally {
    pool.cancel();
  }
}

/**
 * The answer for these parameter values, from `factory`'s workers (the lab's worker in the
 * page; a stand-in in tests). Rejects with the reason when the worker fails or the run has
 * no such value; a failed run is not kept, so it can be tried again.
 */
export function variantAnswer(factory: () => Worker, config: VariantConfig, values: ParamValues): Promise<number> {
  const key = runKey(config, values);
  let answer = answers.get(key);
  if (!answer) {
    answer = queue.then(() => compute(factory, config, values));
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    queue = answer.catch(() => undefined);
  }
  return answer;
}
