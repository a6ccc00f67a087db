/**
 * `OUT_DIR` outside the project: the test build (tests/site/global-setup.ts) is made in the
 * system's temporary folder, so every browser test runs on a site built there. This file
 * checks that the whole site landed there and that nothing was left behind in the project
 * (src/out-dir.ts; its unit test covers a folder beside the project that shares its name's
 * prefix, which Astro took for one inside).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_INSIDE, isInside } from '../../src/out-dir';
import { OUT_DIR } from './config';

const ROOT = resolve(import.meta.dirname, '../..');

describe('OUT_DIR outside the project', () => {
  it('builds the whole site there', () => {
    expect(isInside(ROOT, resolve(OUT_DIR)), `the test build (${OUT_DIR}) must be outside the project; unset TEST_OUT_DIR`).toBe(false);
    for (const file of [
      'index.html',
      'lessons/churn/index.html',
      'embed/churn/index.html',
      'pagefind/pagefind.js',
      '_headers',
      'scripts/theme.js',
    ]) {
      expect(existsSync(join(OUT_DIR, file)), file).toBe(true);
    }
    expect(existsSync(join(ROOT, BUILD_INSIDE))).toBe(false);
  });
});
