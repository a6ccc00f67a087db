/**
 * `OUT_DIR` outside the project: the build works and the whole site lands there, with
 * nothing left behind in the project (src/out-dir.ts; its unit test covers a folder beside
 * the project that shares its name's prefix, which Astro took for one inside).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellEnv } from './shell-env';
import { BUILD_INSIDE } from '../../src/out-dir';

const ROOT = resolve(import.meta.dirname, '../..');
const outside = mkdtempSync(join(tmpdir(), 'course-out-'));

afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
});

describe('OUT_DIR outside the project', () => {
  it('builds the whole site there', () => {
    const target = join(outside, 'site');
    const result = spawnSync('npx', ['astro', 'build'], {
      cwd: ROOT,
      env: { ...shellEnv(), NODE_ENV: 'production', OUT_DIR: target, BASE_PATH: '/course/' },
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    for (const file of ['index.html', 'lessons/churn/index.html', 'embed/churn/index.html', 'pagefind/pagefind.js', '_headers', 'scripts/theme.js']) {
      expect(existsSync(join(target, file)), file).toBe(true);
    }
    expect(existsSync(join(ROOT, BUILD_INSIDE))).toBe(false);
  }, 600_000);
});
