/// <reference types="vite/client" />
import type { LabManifest } from './kernel/manifest';
import { courseOrder, folderOf, readLessons, requireEach, teachingLessons } from './discover';

/**
 * Every lab's manifest: each folder labs/<id>/ with a manifest.ts (see labs/discover.ts).
 * Plain data: safe to import in the page and at build time.
 */
interface ManifestModule {
  manifest?: LabManifest;
  /**
   * A claim of the instructor's own, not a sentence of the article, with where it comes
   * from: `export const claimSources = { '<the claim, as in manifest.claims>': 'Kurose & Ross, §2.5' }`.
   */
  claimSources?: Record<string, string>;
}

function manifestModules(): Record<string, ManifestModule> {
  try {
    return import.meta.glob<ManifestModule>(['./*/manifest.ts', '!./kernel/**'], { eager: true });
  } catch {
    return requireEach<ManifestModule>('manifest.ts'); // plain Node: no Vite to expand the glob
  }
}

/** The lessons' text, to order the labs as the course teaches them; never shipped to the page. */
function lessonSources(): Record<string, string> {
  if (typeof import.meta.env === 'undefined') return readLessons(); // plain Node
  if (!import.meta.env.SSR) return {}; // the browser looks labs up by id only
  return import.meta.glob<string>('/content/lessons/**/*.mdx', { query: '?raw', import: 'default', eager: true });
}

const sources = new Map<string, string>();
/** The lesson that teaches each lab (build time and Node only; empty in the page). */
const lessons = teachingLessons(lessonSources());

function discoverManifests(): LabManifest[] {
  const byId = new Map<string, LabManifest>();
  for (const [path, module] of Object.entries(manifestModules())) {
    const folder = folderOf(path);
    if (folder === 'kernel') continue;
    const manifest = module.manifest;
    if (!manifest)
      throw new Error(`labs/${folder}/manifest.ts must export its manifest: export const manifest: LabManifest = { id: '${folder}', … }.`);
    if (manifest.id !== folder)
      throw new Error(`labs/${folder}/manifest.ts: the manifest's id is "${manifest.id}"; it must be the folder's name, "${folder}".`);
    byId.set(manifest.id, manifest);
    for (const [claim, source] of Object.entries(module.claimSources ?? {})) {
      if (!manifest.claims.includes(claim))
        throw new Error(`labs/${folder}/manifest.ts: claimSources names "${claim}", which is not one of manifest.claims.`);
      sources.set(`${folder}\n${claim}`, source);
    }
  }
  return courseOrder([...byId.keys()], lessons).map((id) => byId.get(id)!);
}

/** The site path of the lesson that teaches a lab ("lessons/churn/"): the first, in course order, with its <Lab>. */
export function teachingLessonPath(labId: string): string | undefined {
  return lessons.get(labId)?.path;
}

/** Every lab's manifest, in course order (the order of the lessons that embed them). */
export const manifests: ReadonlyArray<LabManifest> = discoverManifests();

export function findManifest(id: string): LabManifest | undefined {
  return manifests.find((manifest) => manifest.id === id);
}

export const labIds: ReadonlyArray<string> = manifests.map((manifest) => manifest.id);

/** Where an instructor's own claim comes from; undefined for a sentence quoted from the article. */
export function claimSource(labId: string, claim: string): string | undefined {
  return sources.get(`${labId}\n${claim}`);
}
