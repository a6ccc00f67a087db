/**
 * Where each lab is taught: the lesson a claim links to. Lab ids missing here have
 * no lesson yet, and their claims show without a link.
 */
export const labLessons: Record<string, string> = {
  'file-distribution': 'lessons/file-distribution/',
  'server-load': 'lessons/server-load/',
  churn: 'lessons/churn/',
  lookup: 'lessons/lookup/',
  security: 'lessons/security/',
  connectivity: 'lessons/connectivity/',
  cost: 'lessons/cost/',
};

/** A site-relative path with the base path the site was built for (BASE_PATH). */
export function sitePath(path: string): string {
  const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
  return `${base}${path.replace(/^\//, '')}`;
}

export function labLink(labId: string): string | null {
  const lesson = labLessons[labId];
  return lesson ? sitePath(`${lesson}#lab-${labId}`) : null;
}
