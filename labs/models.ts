import type { LabModel } from './kernel/model';
import { fileDistribution } from './file-distribution/model';

/** Every lab's model, for Node callers: tests, the benchmark, numbers computed at build time. */
export const models: ReadonlyArray<LabModel> = [fileDistribution];

export function findModel(id: string): LabModel | undefined {
  return models.find((model) => model.manifest.id === id);
}
