/// <reference types="vite/client" />
import { folderOf } from './discover';

/**
 * One worker per lab: each labs/<id>/worker.ts, built by Vite as a worker of its own
 * (the `?worker` import gives a constructor for it). Only the page uses this file.
 */
const constructors = import.meta.glob<new (options?: WorkerOptions) => Worker>('./*/worker.ts', {
  query: '?worker',
  import: 'default',
  eager: true,
});

export const workerFactories: Record<string, () => Worker> = Object.fromEntries(
  Object.entries(constructors).map(([path, LabWorker]) => {
    const id = folderOf(path);
    return [id, () => new LabWorker({ name: id })];
  }),
);
