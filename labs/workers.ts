/**
 * One worker per lab. Each `new Worker(new URL(...))` must be written out literally
 * so that the bundler finds and builds the worker file.
 */
export const workerFactories: Record<string, () => Worker> = {
  'file-distribution': () => new Worker(new URL('./file-distribution/worker.ts', import.meta.url), { type: 'module', name: 'file-distribution' }),
  'server-load': () => new Worker(new URL('./server-load/worker.ts', import.meta.url), { type: 'module', name: 'server-load' }),
  churn: () => new Worker(new URL('./churn/worker.ts', import.meta.url), { type: 'module', name: 'churn' }),
  lookup: () => new Worker(new URL('./lookup/worker.ts', import.meta.url), { type: 'module', name: 'lookup' }),
  security: () => new Worker(new URL('./security/worker.ts', import.meta.url), { type: 'module', name: 'security' }),
  connectivity: () => new Worker(new URL('./connectivity/worker.ts', import.meta.url), { type: 'module', name: 'connectivity' }),
  cost: () => new Worker(new URL('./cost/worker.ts', import.meta.url), { type: 'module', name: 'cost' }),
};
