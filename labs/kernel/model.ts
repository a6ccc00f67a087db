import type { LabManifest, ParamValues } from './manifest';
import type { NetworkTrace } from './trace';

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
}

/** For Node callers (tests, bench): a context that ignores progress. */
export function quietContext(seed: number): RunContext {
  return { seed, progress: () => {} };
}
