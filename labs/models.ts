import type { LabModel } from './kernel/model';
import { fileDistribution } from './file-distribution/model';
import { serverLoad } from './server-load/model';
import { churn } from './churn/model';
import { lookup } from './lookup/model';
import { security } from './security/model';
import { connectivity } from './connectivity/model';
import { cost } from './cost/model';

/** Every lab's model, for Node callers: tests, the benchmark, numbers computed at build time. */
export const models: ReadonlyArray<LabModel> = [fileDistribution, serverLoad, churn, lookup, security, connectivity, cost];

export function findModel(id: string): LabModel | undefined {
  return models.find((model) => model.manifest.id === id);
}
