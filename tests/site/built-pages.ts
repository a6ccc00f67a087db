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
  return found;
}

export function builtPages(): string[] {
  return htmlPages(OUT_DIR).map((path) => (path ? `${path}/` : ''));
}
