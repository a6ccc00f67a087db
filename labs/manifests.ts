import type { LabManifest } from './kernel/manifest';
import { manifest as fileDistribution } from './file-distribution/manifest';
import { manifest as serverLoad } from './server-load/manifest';
import { manifest as churn } from './churn/manifest';
import { manifest as lookup } from './lookup/manifest';
import { manifest as security } from './security/manifest';
import { manifest as connectivity } from './connectivity/manifest';
import { manifest as cost } from './cost/manifest';

/** Every lab's manifest, in course order. Plain data: safe to import in the page and at build time. */
export const manifests: ReadonlyArray<LabManifest> = [fileDistribution, serverLoad, churn, lookup, security, connectivity, cost];

export function findManifest(id: string): LabManifest | undefined {
  return manifests.find((manifest) => manifest.id === id);
}

export const labIds: ReadonlyArray<string> = manifests.map((manifest) => manifest.id);
