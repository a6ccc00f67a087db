import { manifests, teachingLessonPath } from '../labs/manifests';

/**
 * Where each lab is taught: the lesson a claim links to, found at build time as the
 * first lesson (in course order) that embeds the lab with <Lab id="…"> (labs/discover.ts).
 * Labs no lesson embeds yet are missing here, and their claims show without a link.
 */
export const labLessons: Record<string, string> = Object.fromEntries(
  manifests.flatMap((manifest) => {
    const path = teachingLessonPath(manifest.id);
    return path ? [[manifest.id, path]] : [];
  }),
);

/** A site-relative path with the base path the site was built for (BASE_PATH). */
export function sitePath(path: string): string {
  const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
  return `${base}${path.replace(/^\//, '')}`;
}

export function labLink(labId: string): string | null {
  const lesson = labLessons[labId];
  return lesson ? sitePath(`${lesson}#lab-${labId}`) : null;
}
