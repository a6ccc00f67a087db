/**
 * Builds the site under a base path, as an instructor would host it, and serves the
 * static output with Astro's preview server for the browser tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { BASE_PATH, OUT_DIR, PORT, CHROMIUM } from './config';

let server: ChildProcess | null = null;

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the preview server did not answer at ${url}`);
}

export default async function setup(_project: TestProject): Promise<() => void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM}. On Debian: apt-get install -y chromium (.ci/run does this), or set CHROMIUM_PATH.`,
    );
  }
  // Vitest sets NODE_ENV=test, which would make Astro build a development site (no search).
  const env = { ...process.env, BASE_PATH, OUT_DIR, NODE_ENV: 'production' };
  if (!process.env['SKIP_SITE_BUILD']) {
    const build = spawnSync('npx', ['astro', 'build'], { env, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('astro build failed');
  }
  server = spawn('npx', ['astro', 'preview', '--port', String(PORT), '--host', '127.0.0.1'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  await waitForServer(`http://127.0.0.1:${PORT}${BASE_PATH}`, 60_000);
  return () => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  };
}
