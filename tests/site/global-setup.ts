/**
 * Builds the site under a base path, as an instructor would host it, and serves the
 * static output for the browser tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serveStatic } from '../../scripts/serve-static';
import { BASE_PATH, OUT_DIR, PORT, CHROMIUM } from './config';

export default async function setup(): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM}. On Debian: apt-get install -y chromium (.ci/run does this), or set CHROMIUM_PATH.`,
    );
  }
  if (!process.env['SKIP_SITE_BUILD']) {
    // Vitest sets NODE_ENV=test, which would make Astro build a development site (no search).
    const env = { ...process.env, BASE_PATH, OUT_DIR, NODE_ENV: 'production' };
    const build = spawnSync('npx', ['astro', 'build'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('astro build failed');
  }
  const server = await serveStatic(OUT_DIR, BASE_PATH, PORT);
  return () => server.close();
}
