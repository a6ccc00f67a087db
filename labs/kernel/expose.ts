/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { validateParams, checkSeed } from './manifest';
import type { LabModel, LabResult } from './model';
import { traceBuffers } from './trace';

export interface LabWorkerApi {
  run(params: Record<string, unknown>, seed: number, progress: (fraction: number) => void): Promise<LabResult>;
}

/**
 * The whole of a lab's worker: validate again (a worker must not trust its caller),
 * run the model, report progress at most every 50 ms so the page is not flooded.
 */
export function exposeModel(model: LabModel): void {
  const api: LabWorkerApi = {
    async run(rawParams, rawSeed, progress) {
      const { values, errors } = validateParams(model.manifest, rawParams);
      const messages = Object.values(errors);
      if (messages.length > 0) throw new Error(messages.join(' '));
      const seed = checkSeed(rawSeed);
      if ('error' in seed) throw new Error(seed.error);
      let lastReport = 0;
      const result = model.run(values, {
        seed: seed.value,
        progress: (fraction) => {
          const now = performance.now();
          if (now - lastReport < 50 && fraction < 1) return;
          lastReport = now;
          void progress(Math.min(1, Math.max(0, fraction)));
        },
      });
      // The trace's typed arrays move to the page instead of being copied.
      return Comlink.transfer(result, traceBuffers(result.network));
    },
  };
  Comlink.expose(api);
}
