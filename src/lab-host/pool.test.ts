import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { dispatchOrder, estimatedSeconds, longRunNote, poolSize, progressLine, remainingSeconds, runPool } from './pool';
import { labWorkerApi } from '../../labs/kernel/expose';
import { defineSweepLab, type LabModel, type LabResult, type Sweep } from '../../labs/kernel/model';
import type { LabManifest } from '../../labs/kernel/manifest';
import { createRandom } from '../../labs/kernel/random';
import { cost } from '../../labs/cost/model';

/** A worker stand-in: the lab's worker API served on one end of a MessageChannel. */
function fakeWorkerFactory(model: LabModel, spawned: { count: number; terminated: number }): () => Worker {
  return () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(labWorkerApi(model), port2);
    spawned.count += 1;
    const worker = port1 as unknown as Worker & { terminate(): void };
    worker.terminate = () => {
      spawned.terminated += 1;
      port1.close();
      port2.close();
    };
    return worker;
  };
}

const manifest: LabManifest = {
  id: 'pool-test',
  title: 'Pool test',
  claims: ['a claim'],
  summary: 'Sums of random draws.',
  params: [{ kind: 'integer', name: 'points', label: 'Points', unit: '', min: 1, max: 50, step: 1, default: 9 }],
  charts: [{ id: 'c', title: 'C', x: { label: 'x' }, y: { label: 'y' }, series: [{ key: 'mean', label: 'mean', role: 'simulated' }] }],
  method: { assumptions: [], formulas: [], reference: '' },
};

/** A sweep whose point x averages x·100 uniform draws: heavier as x grows, seeded per task. */
const sums: Sweep<{ points: number }, number, number> = {
  plan: (params) => Array.from({ length: params.points }, (_, index) => ({ task: index + 1, weight: index + 1 })),
  runTask: (_params, x, context) => {
    const random = createRandom(context.seed);
    let sum = 0;
    for (let i = 0; i < x * 100; i++) sum += random.next();
    context.progress(1);
    return sum / (x * 100);
  },
  assemble: (params, results): LabResult => ({
    series: { mean: results.flatMap((y, index) => (y === undefined ? [] : [[index + 1, y] as const])) },
    summary: `${results.filter((y) => y !== undefined).length} of ${params.points}`,
    verdict: 'none',
  }),
};
const sweepModel = defineSweepLab({ manifest, benchCases: [], sweep: sums });

describe('the pool of lab workers', () => {
  it('hands out the lightest task first, then the heaviest first', () => {
    expect(dispatchOrder([5, 1, 9, 3, 9])).toEqual([1, 2, 4, 0, 3]);
    expect(dispatchOrder([2])).toEqual([0]);
    expect(dispatchOrder([])).toEqual([]);
  });

  it('leaves a core to the page and caps the workers', () => {
    expect(poolSize(1)).toBe(1);
    expect(poolSize(2)).toBe(1);
    expect(poolSize(4)).toBe(3);
    expect(poolSize(64)).toBe(4);
    expect(poolSize(0)).toBe(1);
  });

  it.each([1, 2, 4])('gives exactly what run gives in one thread, with %i task workers, and stops them all', async (workers) => {
    const spawned = { count: 0, terminated: 0 };
    const partials: number[] = [];
    const progress: number[] = [];
    const pool = runPool(
      fakeWorkerFactory(sweepModel, spawned),
      { points: 12 },
      7,
      {
        progress: (fraction) => progress.push(fraction),
        partial: (result, done, total) => {
          expect(done).toBeLessThan(total);
          partials.push(result.series['mean']!.length);
        },
      },
      { taskWorkers: workers },
    );
    const result = await pool.result;
    expect(result).toEqual(sweepModel.run({ points: 12 }, { seed: 7, progress: () => {} }));
    expect(spawned.count).toBe(workers + 1);
    expect(spawned.terminated).toBe(spawned.count);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]! - 1e-12);
    for (const shown of partials) expect(shown).toBeLessThan(12);
  });

  it('coordinates from a worker started before Run, and stops it with the rest', async () => {
    const spawned = { count: 0, terminated: 0 };
    const factory = fakeWorkerFactory(sweepModel, spawned);
    const warm = factory();
    const quiet = { progress: () => {}, partial: () => {} };
    const result = await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, started: [warm] }).result;
    expect(result).toEqual(sweepModel.run({ points: 12 }, { seed: 7, progress: () => {} }));
    // The warm worker and two task workers: the factory was not asked for a coordinator.
    expect(spawned.count).toBe(3);
    expect(spawned.terminated).toBe(3);
  });

  it('takes tasks on workers started before Run, and stops those it needs not', async () => {
    const spawned = { count: 0, terminated: 0 };
    const factory = fakeWorkerFactory(sweepModel, spawned);
    const started = [factory(), factory(), factory(), factory()];
    const quiet = { progress: () => {}, partial: () => {} };
    const result = await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, started }).result;
    expect(result).toEqual(sweepModel.run({ points: 12 }, { seed: 7, progress: () => {} }));
    // A coordinator and two task workers from those started, one spare left over: none new.
    expect(spawned.count).toBe(4);
    expect(spawned.terminated).toBe(4);
  });

  it('leaves the tasks to task workers started before Run, and has the coordinator run the first otherwise', async () => {
    // Which worker ran how many tasks: the coordinator is the first worker the pool uses.
    const tasksRun: number[] = [];
    const factory = () => {
      const { port1, port2 } = new MessageChannel();
      const api = labWorkerApi(sweepModel);
      const index = tasksRun.push(0) - 1;
      Comlink.expose(
        { ...api, runTask: (...args: Parameters<typeof api.runTask>) => ((tasksRun[index]! += 1), api.runTask(...args)) },
        port2,
      );
      const worker = port1 as unknown as Worker & { terminate(): void };
      worker.terminate = () => (port1.close(), port2.close());
      return worker;
    };
    const quiet = { progress: () => {}, partial: () => {} };
    const expected = sweepModel.run({ points: 12 }, { seed: 7, progress: () => {} });
    const started = [factory(), factory(), factory()];
    expect(await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, started }).result).toEqual(expected);
    expect(tasksRun).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(tasksRun[1]! + tasksRun[2]!).toBe(12);

    tasksRun.length = 0;
    expect(await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2 }).result).toEqual(expected);
    expect(tasksRun[0]).toBe(1);
    expect(tasksRun.reduce((sum, count) => sum + count, 0)).toBe(12);
  });

  it('stops the workers started before Run when cancelled before its tasks begin', async () => {
    const spawned = { count: 0, terminated: 0 };
    const factory = fakeWorkerFactory(sweepModel, spawned);
    const started = [factory(), factory(), factory()];
    const pool = runPool(factory, { points: 12 }, 7, { progress: () => {}, partial: () => {} }, { taskWorkers: 2, started });
    pool.cancel();
    expect(spawned.terminated).toBe(3);
  });

  it('hands its workers on to the next run when asked, which gives the same result on them', async () => {
    const spawned = { count: 0, terminated: 0 };
    const factory = fakeWorkerFactory(sweepModel, spawned);
    const quiet = { progress: () => {}, partial: () => {} };
    let kept: Worker[] = [];
    const first = await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, release: (workers) => (kept = workers) }).result;
    expect(kept).toHaveLength(3);
    expect(spawned.terminated).toBe(0);
    const again = await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, started: kept }).result;
    expect(again).toEqual(first);
    expect(first).toEqual(sweepModel.run({ points: 12 }, { seed: 7, progress: () => {} }));
    // No worker was made for the second run, and without `release` it stopped them all.
    expect(spawned.count).toBe(3);
    expect(spawned.terminated).toBe(3);
  });

  it('leaves the workers it handed on alone when cancelled after it has ended', async () => {
    const spawned = { count: 0, terminated: 0 };
    const factory = fakeWorkerFactory(sweepModel, spawned);
    const quiet = { progress: () => {}, partial: () => {} };
    let kept: Worker[] = [];
    const first = runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, release: (workers) => (kept = workers) });
    await first.result;
    // As a reader's Cancel while the finished run is still being drawn.
    first.cancel();
    expect(spawned.terminated).toBe(0);
    const again = await runPool(factory, { points: 12 }, 7, quiet, { taskWorkers: 2, started: kept }).result;
    expect(again).toEqual(await first.result);
  });

  it('runs a lab that is one task on a single worker', async () => {
    const spawned = { count: 0, terminated: 0 };
    const values = { ...Object.fromEntries(cost.manifest.params.map((p) => [p.name, p.default])), maxUsers: 1000 };
    const result = await runPool(fakeWorkerFactory(cost, spawned), values, 3, { progress: () => {}, partial: () => {} }).result;
    expect(spawned.count).toBe(1);
    expect(result.verdict).toBe(cost.run(values, { seed: 3, progress: () => {} }).verdict);
  });

  it('rejects bad parameters with the manifest’s message, and stops its workers', async () => {
    const spawned = { count: 0, terminated: 0 };
    const run = runPool(fakeWorkerFactory(sweepModel, spawned), { points: 500 }, 1, { progress: () => {}, partial: () => {} });
    await expect(run.result).rejects.toThrow(/from 1 to 50/);
    expect(spawned.terminated).toBe(spawned.count);
  });

  it('records the network view unless asked not to', async () => {
    let recorded = 0;
    const withView = defineSweepLab({ manifest, benchCases: [], sweep: { ...sums, network: () => void (recorded += 1) } });
    const spawned = { count: 0, terminated: 0 };
    const quiet = { progress: () => {}, partial: () => {} };
    await runPool(fakeWorkerFactory(withView, spawned), { points: 3 }, 1, quiet).result;
    expect(recorded).toBe(1);
    const result = await runPool(fakeWorkerFactory(withView, spawned), { points: 3 }, 1, quiet, { network: false }).result;
    expect(recorded).toBe(1);
    expect(result.series['mean']).toHaveLength(3);
  });

  it('stops every worker on cancel', async () => {
    const spawned = { count: 0, terminated: 0 };
    const run = runPool(
      fakeWorkerFactory(sweepModel, spawned),
      { points: 50 },
      1,
      { progress: () => {}, partial: () => {} },
      { taskWorkers: 3 },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    run.cancel();
    expect(spawned.terminated).toBe(spawned.count);
  });
});

describe('the time a run still needs', () => {
  it('is the pace kept so far applied to the work left', () => {
    expect(remainingSeconds(4_000, 0.25)).toBeCloseTo(12);
    expect(remainingSeconds(10_000, 0.5)).toBeCloseTo(10);
  });

  it('is not guessed from too little of the run, nor given once it is done', () => {
    expect(remainingSeconds(1_500, 0.5)).toBeNull();
    expect(remainingSeconds(5_000, 0.01)).toBeNull();
    expect(remainingSeconds(5_000, 1)).toBeNull();
  });

  it('reads as a reader counts: seconds, fives, then minutes', () => {
    expect(progressLine(0.4, 12, 30, null)).toBe('40%, 12 of 30 parts done');
    expect(progressLine(0.4, 12, 30, 3.4)).toBe('40%, 12 of 30 parts done, about 3 s left');
    expect(progressLine(0.4, 12, 30, 23)).toBe('40%, 12 of 30 parts done, about 25 s left');
    expect(progressLine(0.1, 1, 30, 100)).toBe('10%, 1 of 30 parts done, about 2 min left');
    expect(progressLine(0.5, 0, 1, 0.2)).toBe('50%, about 1 s left');
  });
});

describe('the estimate before Run', () => {
  it('shares the work among the workers, but never beats the heaviest task alone', () => {
    expect(estimatedSeconds([1000, 1000, 1000, 1000], 1, 1)).toBeCloseTo(4);
    expect(estimatedSeconds([1000, 1000, 1000, 1000], 1, 4)).toBeCloseTo(1);
    expect(estimatedSeconds([9000, 500, 500], 1, 4)).toBeCloseTo(9);
    expect(estimatedSeconds([], 1, 2)).toBe(0);
  });

  it('tells the reader the wait in round numbers and how to go on', () => {
    expect(longRunNote(23, 40)).toMatch(/^This setting takes about 25 s on a typical laptop \(40 parts/);
    expect(longRunNote(150, 12)).toMatch(/about 3 min/);
    expect(longRunNote(23, 40)).toMatch(/Cancel stops it\.$/);
  });
});
