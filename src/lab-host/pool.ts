/**
 * Runs one lab run on a small pool of workers: one plans the run, records its network
 * view and assembles results; the others run its tasks (the points of a sweep). Each
 * task has its own seed, so the result does not depend on how many workers there are.
 * Partial results are assembled while tasks land, so charts fill in as the run goes.
 */
import * as Comlink from 'comlink';
import type { LabResult } from '../../labs/kernel/model';
import type { LabWorkerApi } from '../../labs/kernel/expose';

export interface PoolCallbacks {
  /** Overall progress in [0, 1], and whole tasks done of all. */
  progress(fraction: number, done: number, total: number): void;
  /** A result assembled from the tasks done so far (charts only; its verdict is not final). */
  partial(result: LabResult, done: number, total: number): void;
}

export interface PoolRun {
  result: Promise<LabResult>;
  /** Stops every worker at once, and the result promise then never settles; after the run has ended, does nothing. */
  cancel(): void;
}

/** How often partial results are assembled and drawn while a run streams. */
const PARTIAL_INTERVAL_MS = 300;
/** More workers than this buy little and each holds its own copy of a large network. */
const MAX_TASK_WORKERS = 4;

/** Task workers for this machine: leave one core to the page, and never more than the cap. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.max(1, Math.min(MAX_TASK_WORKERS, (cores || 2) - 1));
}

/**
 * The order tasks are handed out: the lightest first, so a first point appears quickly,
 * then the heaviest first, so that no worker is left with a big task at the end.
 */
export function dispatchOrder(weights: ReadonlyArray<number>): number[] {
  if (weights.length === 0) return [];
  const indices = weights.map((_, index) => index);
  const lightest = indices.reduce((best, index) => (weights[index]! < weights[best]! ? index : best), 0);
  const rest = indices.filter((index) => index !== lightest).sort((a, b) => weights[b]! - weights[a]! || a - b);
  return [lightest, ...rest];
}

/** The error a worker that cannot start reports, as a message a reader can act on. */
function loadFailure(event: ErrorEvent): Error {
  return new Error(event.message || 'the simulation’s code could not be loaded (offline, or blocked?)');
}

export interface PoolOptions {
  /** Workers for the tasks, beside the coordinator; poolSize() by default. */
  taskWorkers?: number;
  /** Record the network view (true by default); a run read for one number does without it. */
  network?: boolean;
  /**
   * Workers from the same factory, started before Run (while the reader reached for it), their
   * model loaded already: the first coordinates the run, the others take tasks. The pool
   * starts what is missing, and stops them all with the others (at once, those it needs not).
   */
  started?: ReadonlyArray<Worker>;
  /**
   * Where the workers go when the run has finished (the coordinator first), still loaded and
   * with their code compiled, for the next run to take as `started`: a browser runs a model's
   * code at about half speed until it has run a while. Without it they are stopped.
   */
  release?: (workers: Worker[]) => void;
}

/** One Comlink proxy per worker, however many runs use it: each wrap listens on the worker for good. */
const remotes = new WeakMap<Worker, Comlink.Remote<LabWorkerApi>>();
function remoteOf(worker: Worker): Comlink.Remote<LabWorkerApi> {
  let remote = remotes.get(worker);
  if (!remote) {
    remote = Comlink.wrap<LabWorkerApi>(worker);
    remotes.set(worker, remote);
  }
  return remote;
}

export function runPool(
  factory: () => Worker,
  params: Record<string, unknown>,
  seed: number,
  callbacks: PoolCallbacks,
  { taskWorkers = poolSize(), network: withNetwork = true, started = [], release }: PoolOptions = {},
): PoolRun {
  // Every worker the run holds, the started ones from the outset: cancel stops them all.
  const workers: Worker[] = [...started];
  // This run's listeners on its workers, removed when it ends: a released worker outlives it.
  const listening = new AbortController();
  let stopped = false;
  const end = () => {
    stopped = true;
    listening.abort();
  };
  // Once the run has ended its workers are stopped or handed on (`release`): a late cancel
  // (the reader's, while the result is still being drawn) must not stop workers now kept for
  // the next run, which would then wait on them for ever.
  const cancel = () => {
    if (stopped) return;
    end();
    for (const worker of workers) worker.terminate();
  };
  const spawn = (fail: (error: Error) => void, given: Worker | null = null): Comlink.Remote<LabWorkerApi> => {
    const worker = given ?? factory();
    if (!given) workers.push(worker);
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      fail(loadFailure(event));
    };
    worker.addEventListener('error', onError, { signal: listening.signal });
    return remoteOf(worker);
  };

  const result = new Promise<LabResult>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (stopped) return;
      cancel();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const [warmCoordinator = null, ...warmTaskWorkers] = started;
    const coordinator = spawn(fail, warmCoordinator);
    const whenLive = <T>(promise: Promise<T>): Promise<T> => promise.catch((error: unknown) => (fail(error), new Promise<T>(() => {})));

    void whenLive(coordinator.plan(params)).then(async (weights) => {
      if (stopped) return;
      const total = weights.length;
      const totalWeight = weights.reduce((sum, weight) => sum + weight, 0) || 1;
      const parts: unknown[] = Array.from({ length: total }, () => undefined);
      const running = new Map<number, number>();
      let done = 0;
      let doneWeight = 0;
      const report = () => {
        let fraction = doneWeight;
        for (const [index, share] of running) fraction += share * weights[index]!;
        callbacks.progress(Math.min(1, fraction / totalWeight), done, total);
      };

      // Partial results: at most one assembly in flight, and not more often than the interval.
      let assembling = false;
      let lastPartial = -Infinity;
      let pending: ReturnType<typeof setTimeout> | null = null;
      const assemblePartial = () => {
        pending = null;
        if (stopped || assembling || done === total || done === 0) return;
        assembling = true;
        lastPartial = performance.now();
        const shown = done;
        coordinator
          .assemble(params, seed, parts)
          .then((partial) => {
            if (!stopped && done < total) callbacks.partial(partial, shown, total);
          })
          // A partial view that cannot be assembled is skipped; the final one reports errors.
          .catch(() => {})
          .finally(() => {
            assembling = false;
          });
      };
      const schedulePartial = () => {
        if (pending !== null) return;
        pending = setTimeout(assemblePartial, Math.max(0, lastPartial + PARTIAL_INTERVAL_MS - performance.now()));
      };

      const queue = dispatchOrder(weights);
      const first = queue[0];
      if (first === undefined) return fail(new Error('the lab planned no work'));
      let firstFinished = () => {};
      const firstDone = new Promise<void>((resolve) => (firstFinished = resolve));
      const runTask = async (api: Comlink.Remote<LabWorkerApi>, task: number) => {
        running.set(task, 0);
        const onProgress = Comlink.proxy((share: number) => {
          if (stopped || !running.has(task)) return;
          running.set(task, share);
          report();
        });
        parts[task] = await whenLive(api.runTask(params, seed, task, onProgress));
        running.delete(task);
        if (task === first) firstFinished();
        done += 1;
        doneWeight += weights[task]!;
        report();
        if (done < total) schedulePartial();
      };
      const runner = async (api: Comlink.Remote<LabWorkerApi>) => {
        for (let task = queue.shift(); task !== undefined && !stopped; task = queue.shift()) await runTask(api, task);
      };
      // Task workers still to start load their code first: meanwhile the coordinator runs the
      // lightest task, so that the first points appear as soon as possible. When they were all
      // started before Run it runs none, and a core is left to the page as the run draws.
      const coldStart = warmTaskWorkers.length < Math.min(taskWorkers, queue.length);
      const coordinatorTask = coldStart ? runTask(coordinator, queue.shift()!) : Promise.resolve();
      const needed = Math.min(taskWorkers, queue.length);
      for (const spare of warmTaskWorkers.slice(needed)) {
        spare.terminate();
        workers.splice(workers.indexOf(spare), 1);
      }
      const apis = Array.from({ length: needed }, (_, index) => spawn(fail, warmTaskWorkers[index] ?? null));
      // The network view is recorded after the first points, which matter more to the reader.
      const network = withNetwork ? firstDone.then(() => whenLive(coordinator.network(params, seed))) : Promise.resolve(undefined);
      await Promise.all([coordinatorTask, ...apis.map(runner)]);
      if (stopped) return;
      if (pending !== null) clearTimeout(pending);
      const final = await whenLive(coordinator.assemble(params, seed, parts));
      const trace = await network;
      if (stopped) return;
      if (release) {
        end();
        release(workers);
      } else cancel();
      resolve(trace ? { ...final, network: trace } : final);
    });
  });
  return { result, cancel };
}

/** Estimates wait this long into a run, and this far, before they mean anything. */
const ESTIMATE_AFTER_MS = 2_000;
const ESTIMATE_AFTER_FRACTION = 0.05;

/**
 * Seconds a run still needs at the pace it has kept (progress is by planned work, so a
 * heavy task counts for its weight), or null while too little of it has run to tell.
 */
export function remainingSeconds(elapsedMs: number, fraction: number): number | null {
  if (elapsedMs < ESTIMATE_AFTER_MS || fraction < ESTIMATE_AFTER_FRACTION || fraction >= 1) return null;
  return ((elapsedMs / 1000) * (1 - fraction)) / fraction;
}

/** The progress line under a running lab: "40%, 12 of 30 parts done, about 20 s left". */
export function progressLine(fraction: number, done: number, total: number, remaining: number | null): string {
  const parts = [`${Math.round(fraction * 100)}%`];
  if (total > 1) parts.push(`${done} of ${total} parts done`);
  if (remaining !== null) parts.push(`about ${roughDuration(remaining)} left`);
  return parts.join(', ');
}

/** A wait as a reader counts it: whole seconds, then fives, then minutes. */
function roughDuration(seconds: number): string {
  if (seconds < 10) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 60) return `${Math.round(seconds / 5) * 5} s`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 min' : `${minutes} min`;
}

/**
 * A setting estimated to take this long or longer gets a note before Run. Below the 10 s any
 * setting may take unannounced, by a margin for the estimate's error: a run estimated at 9 s
 * may well take 10.
 */
export const LONG_RUN_SECONDS = 8;

/**
 * Seconds a run with these task weights takes on `workers` task workers, at the lab's
 * calibration: its work shared out, but never less than its heaviest task alone.
 */
export function estimatedSeconds(weights: ReadonlyArray<number>, msPerWeight: number, workers: number): number {
  let total = 0;
  let heaviest = 0;
  for (const weight of weights) {
    total += weight;
    if (weight > heaviest) heaviest = weight;
  }
  return (Math.max(heaviest, total / Math.max(1, workers)) * msPerWeight) / 1000;
}

/**
 * Plans runs without running them, on one worker of the lab's own kept for the page's
 * life (planning is cheap; loading the model is not). Null when the worker cannot start.
 */
export function createPlanner(factory: () => Worker): (params: Record<string, unknown>) => Promise<number[] | null> {
  let api: Comlink.Remote<LabWorkerApi> | null = null;
  let failed: Promise<null> = Promise.resolve(null);
  let broken = false;
  return async (params) => {
    if (broken) return null;
    if (!api) {
      const worker = factory();
      failed = new Promise((resolve) =>
        worker.addEventListener('error', (event) => {
          event.preventDefault();
          broken = true;
          resolve(null);
        }),
      );
      api = Comlink.wrap<LabWorkerApi>(worker);
    }
    try {
      return await Promise.race([api.plan(params), failed]);
    } catch {
      return null;
    }
  };
}

/** The note before Run for a heavy setting, from its estimate. */
export function longRunNote(seconds: number, parts: number): string {
  const wait = seconds < 90 ? `${Math.round(seconds / 5) * 5} s` : `${Math.round(seconds / 60)} min`;
  return `This setting takes about ${wait} on a typical laptop (${parts} parts, estimated before running). The page stays usable while it runs, the charts fill in as parts finish, and Cancel stops it.`;
}
