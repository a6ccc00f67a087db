/** The pages of the test build, as paths under the base path ('' is the home page). */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { OUT_DIR } from './config';

function htmlPages(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...htmlPages(path));
    else if (name === 'index.html') found.push(relative(OUT_DIR, dir).split(sep).join('/'));
  }
  return found.sort();
}

export function builtPages(): string[] {
  return htmlPages(OUT_DIR).map((path) => (path ? `${path}/` : ''));
}

/**
 * Pages made by one template for each lab and differing only in which lab: `embed/<id>/`
 * and `labs/<id>/source/`. Their families are checked through one member each.
 */
const perLabFamily = (path: string): string | undefined =>
  /^embed\/[^/]+\/$/.test(path) ? 'embed' : /^labs\/[^/]+\/source\/$/.test(path) ? 'source' : undefined;

/**
 * Every page with different content: all lessons, guides and lab pages, and the first page
 * of each per-lab family (the others are the same markup around another lab, which
 * tests/site/all-labs.test.ts runs).
 */
export function distinctPages(): string[] {
  const seen = new Set<string>();
  return builtPages().filter((path) => {
    const family = perLabFamily(path);
    if (!family) return true;
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

/**
 * One page of each kind, for checks that depend on the components a page has and not on
 * its text: the home page, a lesson with a lab and a checkpoint, the comparison table,
 * the progress page, the glossary, the revision sheet, a guide, the gallery, a lab page
 * and an embedded lab. A model's source page is Expressive Code in the page shell, both
 * seen on the guide.
 */
export function pageKinds(): string[] {
  const kinds = [
    '',
    'lessons/churn/',
    'lessons/comparison/',
    'lessons/progress/',
    'glossary/',
    'revision/',
    'instructors/hosting/',
    'labs/',
    'labs/security/',
    'embed/churn/',
  ];
  const built = new Set(builtPages());
  const missing = kinds.filter((path) => !built.has(path));
  if (missing.length) throw new Error(`pageKinds() names pages the build does not have: ${missing.join(', ')}`);
  return kinds;
}
