import type { LabManifest, ParamValues } from './manifest';
import type { NetworkTrace } from './trace';
import { deriveSeed } from './stats';

/**
 * One point of a chart series: (x, y), and for a simulated mean its 95% confidence
 * interval [low, high], drawn as an error bar and listed in the data table.
 */
export type Point = readonly [x: number, y: number] | readonly [x: number, y: number, low: number, high: number];

export interface LabResult {
  /** Series by key; each chart in the manifest names the keys it draws. */
  series: Record<string, Point[]>;
  /** One or two sentences that describe what the charts show, for everyone and for screen readers. */
  summary: string;
  /** Plain-words verdict on the claim for these parameters. */
  verdict: string;
  /** Key numbers by the keys the manifest's outputs name; NaN when one does not exist for these settings. */
  outputs?: Record<string, number>;
  /**
   * The network view: a small instance of this same simulation, recorded as it ran
   * (see kernel/trace.ts). Labs without one show no view.
   */
  network?: NetworkTrace;
}

export interface RunContext {
  seed: number;
  /** Reports progress in [0, 1]; the host throttles what it draws. */
  progress(fraction: number): void;
}

/**
 * A lab's model: pure, no DOM, deterministic for (params, seed). Cancelling is done
 * by the host terminating the worker, so a model needs no cancellation checks.
 */
export interface LabModel<P extends ParamValues = ParamValues> {
  manifest: LabManifest;
  run(params: P, context: RunContext): LabResult;
  /**
   * Three parameter sets of growing size for `npm run bench`, so that how the cost
   * grows with N is visible. `size` is the N each case stands for.
   */
  benchCases: ReadonlyArray<{ size: number; params: ParamValues }>;
  /** The same run split into independent tasks, for the page's pool of workers; see defineSweepLab. */
  sweep?: Sweep;
}

/** For Node callers (tests, bench): a context that ignores progress. */
export function quietContext(seed: number): RunContext {
  return { seed, progress: () => {} };
}

/**
 * A run split into independent tasks (the points of a sweep, the replications of a
 * point), so that the page can run them on several workers and draw each as it lands.
 * Task i runs with its own seed, deriveSeed(run seed, i), so a result is the same
 * whatever the number of workers and whatever order the tasks finish in.
 */
export interface Sweep<P extends ParamValues = ParamValues, Task = unknown, Part = unknown> {
  /** The run's tasks, in the order `assemble` expects their results. Cheap: no simulation here. */
  plan(params: P): ReadonlyArray<SweepTask<Task>>;
  /** Runs one task: pure, deterministic for (params, task, context.seed). Its result is structured-cloned. */
  runTask(params: P, task: Task, context: RunContext): Part;
  /**
   * Builds the lab's result from the tasks' results, `results[i]` belonging to `plan()[i]`.
   * While a run streams, some are still `undefined`: series then leave those points out,
   * and the host shows only the charts (summary, verdict and key numbers wait for the
   * last task), but this must not throw. Quick: it runs after every few tasks.
   */
  assemble(params: P, results: ReadonlyArray<Part | undefined>, seed: number): LabResult;
  /** The network view's recording (a small instance of the same simulation), run as a task of its own. */
  network?(params: P, seed: number): NetworkTrace | undefined;
}

export interface SweepTask<Task = unknown> {
  task: Task;
  /** Relative cost (about proportional to run time), for scheduling and for progress. */
  weight: number;
}

/**
 * The seed of task `index` of a run with seed `seed`. Task 0 runs on the run's own seed,
 * so a lab that is a single task gives on the page exactly what `run` gives in Node.
 */
export function taskSeed(seed: number, index: number): number {
  return index === 0 ? seed : deriveSeed(seed, 0x5eed, index);
}

/**
 * A lab model from its sweep: `run` is the sweep done in order on one thread, for Node
 * callers (tests, the benchmark, numbers computed at build time), and gives exactly what
 * the page's pool of workers gives.
 */
export function defineSweepLab<P extends ParamValues, Task, Part>(definition: {
  manifest: LabManifest;
  benchCases: LabModel['benchCases'];
  sweep: Sweep<P, Task, Part>;
}): LabModel<P> {
  const { manifest, benchCases, sweep } = definition;
  return {
    manifest,
    benchCases,
    sweep: sweep as unknown as Sweep,
    run(params, context) {
      const tasks = sweep.plan(params);
      const total = tasks.reduce((sum, task) => sum + task.weight, 0) || 1;
      let done = 0;
      const results = tasks.map((task, index) => {
        const part = sweep.runTask(params, task.task, {
          seed: taskSeed(context.seed, index),
          progress: (fraction) => context.progress((done + fraction * task.weight) / total),
        });
        done += task.weight;
        context.progress(done / total);
        return part;
      });
      const result = sweep.assemble(params, results, context.seed);
      const network = sweep.network?.(params, context.seed);
      return network ? { ...result, network } : result;
    },
  };
}

/**
 * The sweep a model runs as: its own, or for a model that is not split, one task that
 * is the whole run (its network view included).
 */
export function sweepOf(model: LabModel): Sweep {
  if (model.sweep) return model.sweep;
  return {
    plan: () => [{ task: null, weight: 1 }],
    runTask: (params, _task, context) => model.run(params, context),
    assemble: (_params, results) => {
      const whole = results[0] as LabResult | undefined;
      return whole ?? { series: {}, summary: '', verdict: '' };
    },
  };
}
