/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { validateParams, checkSeed, type ParamValues } from './manifest';
import { sweepOf, taskSeed, type LabModel, type LabResult, type SweepTask } from './model';
import { traceBuffers, type NetworkTrace } from './trace';

/**
 * What a lab's worker offers the page. A run is planned once, its tasks spread over a
 * pool of these workers, and their results assembled (again and again while they
 * stream in) by one more; `run` does it all in one worker.
 */
export interface LabWorkerApi {
  run(params: Record<string, unknown>, seed: number, progress: (fraction: number) => void): Promise<LabResult>;
  /** The weight of each task of the run, in order. */
  plan(params: Record<string, unknown>): Promise<number[]>;
  runTask(params: Record<string, unknown>, seed: number, index: number, progress: (fraction: number) => void): Promise<unknown>;
  assemble(params: Record<string, unknown>, seed: number, parts: ReadonlyArray<unknown>): Promise<LabResult>;
  network(params: Record<string, unknown>, seed: number): Promise<NetworkTrace | undefined>;
}

/** Progress at most every 50 ms, so the page is not flooded. */
function throttled(report: (fraction: number) => void): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    const now = performance.now();
    if (now - last < 50 && fraction < 1) return;
    last = now;
    void report(Math.min(1, Math.max(0, fraction)));
  };
}

/** The whole of a lab's worker: `exposeModel(model)`, in the lab's worker.ts. */
export function exposeModel(model: LabModel): void {
  Comlink.expose(labWorkerApi(model));
}

/**
 * What a lab's worker answers. It validates again (a worker must not trust its caller)
 * and keeps the last plan, since every task of a run asks for it.
 */
export function labWorkerApi(model: LabModel): LabWorkerApi {
  const sweep = sweepOf(model);
  let cached: { key: string; values: ParamValues; tasks: ReadonlyArray<SweepTask> } | null = null;

  const checked = (raw: Record<string, unknown>) => {
    const key = JSON.stringify(raw);
    if (cached?.key === key) return cached;
    const { values, errors } = validateParams(model.manifest, raw);
    const messages = Object.values(errors);
    if (messages.length > 0) throw new Error(messages.join(' '));
    cached = { key, values, tasks: sweep.plan(values) };
    return cached;
  };
  const seedOf = (raw: number) => {
    const seed = checkSeed(raw);
    if ('error' in seed) throw new Error(seed.error);
    return seed.value;
  };

  const api: LabWorkerApi = {
    async run(rawParams, rawSeed, progress) {
      const { values } = checked(rawParams);
      const result = model.run(values, { seed: seedOf(rawSeed), progress: throttled(progress) });
      // The trace's typed arrays move to the page instead of being copied.
      return Comlink.transfer(result, traceBuffers(result.network));
    },
    async plan(rawParams) {
      return checked(rawParams).tasks.map((task) => task.weight);
    },
    async runTask(rawParams, rawSeed, index, progress) {
      const { values, tasks } = checked(rawParams);
      const task = tasks[index];
      if (!task) throw new Error(`no task ${index} in a run of ${tasks.length}`);
      return sweep.runTask(values, task.task, { seed: taskSeed(seedOf(rawSeed), index), progress: throttled(progress) });
    },
    async assemble(rawParams, rawSeed, parts) {
      const { values, tasks } = checked(rawParams);
      if (parts.length !== tasks.length) throw new Error(`expected ${tasks.length} task results, got ${parts.length}`);
      return sweep.assemble(values, parts, seedOf(rawSeed));
    },
    async network(rawParams, rawSeed) {
      const { values } = checked(rawParams);
      const trace = sweep.network?.(values, seedOf(rawSeed));
      return trace ? Comlink.transfer(trace, traceBuffers(trace)) : undefined;
    },
  };
  return api;
}
