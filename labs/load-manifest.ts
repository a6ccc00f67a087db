/// <reference types="vite/client" />
import type { LabManifest } from './kernel/manifest';
import { folderOf } from './discover';

/**
 * The page's way to a lab's manifest: only the lab on the page is downloaded, not every
 * lab's (labs/manifests.ts holds them all, for the build and for Node).
 */
const lazyManifests = import.meta.glob<{ manifest?: LabManifest }>(['./*/manifest.ts', '!./kernel/**']);

export async function loadManifest(id: string): Promise<LabManifest | undefined> {
  const load = Object.entries(lazyManifests).find(([path]) => folderOf(path) === id)?.[1];
  return load ? (await load()).manifest : undefined;
}
