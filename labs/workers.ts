/**
 * One worker per lab. Each `new Worker(new URL(...))` must be written out literally
 * so that the bundler finds and builds the worker file.
 */
export const workerFactories: Record<string, () => Worker> = {
  'file-distribution': () =>
    new Worker(new URL('./file-distribution/worker.ts', import.meta.url), { type: 'module', name: 'file-distribution' }),
};
