/**
 * OUT_DIR anywhere. Astro writes the bundle that prerenders the pages into the output folder
 * when it takes that folder to be inside the project, and the bundle imports packages
 * (`@oslojs/encoding`, …) that Node then looks for in node_modules above it. Astro compares
 * path strings, so `/home/me/course-dist` counts as inside `/home/me/course`, the bundle lands
 * there, and the build fails with "Cannot find package". So a build for a folder outside the
 * project is written inside it (BUILD_INSIDE) and moved to the folder once every other
 * integration (search index, link check) is done.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Where a build for a folder outside the project is written first. */
export const BUILD_INSIDE = '.astro/out-dir-build';

/** True when `path` is `root` itself or a folder within it (not a sibling that shares its name's prefix). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(root, path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The folder Astro should write to for the requested one, and where the result then goes (null: nowhere). */
export function outDirPlan(root: string, requested: string): { outDir: string; moveTo: string | null } {
  if (isInside(root, requested)) return { outDir: requested, moveTo: null };
  return { outDir: resolve(root, BUILD_INSIDE), moveTo: resolve(root, requested) };
}

/** Moves the finished build to `target`; list it after every integration that reads the build. */
export function moveBuildTo(target: string): AstroIntegration {
  return {
    name: 'course:move-build',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const built = fileURLToPath(dir);
        if (existsSync(target)) rmSync(target, { recursive: true, force: true });
        // A copy, not a rename, so that a target on another disk works too.
        cpSync(built, target, { recursive: true });
        rmSync(built, { recursive: true, force: true });
        logger.info(`The site is in ${target}`);
      },
    },
  };
}
