/**
 * `npm start` as an instructor uses it: a lesson whose frontmatter is wrong neither stops
 * the dev server nor disappears; its page shows the problems in Astro's error overlay,
 * naming the file, and the rest of the course still serves.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './browser';
import { PORT } from './config';
import { shellEnv } from './shell-env';

const ROOT = resolve(import.meta.dirname, '../..');
const DEV_PORT = PORT + 11;
const DEV = `http://127.0.0.1:${DEV_PORT}`;
let copy: string;
let server: ChildProcess | undefined;
let browser: Browser;

async function serving(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the dev server did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

beforeAll(async () => {
  mkdirSync(join(ROOT, '.build-test'), { recursive: true });
  copy = mkdtempSync(join(ROOT, '.build-test', 'dev-'));
  for (const entry of ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'labs', 'content', 'public']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
  // Vite serves only files inside the project: its own node_modules (hard links, quick).
  spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(copy, 'node_modules')]);
  writeFileSync(
    join(copy, 'content/lessons/broken-frontmatter.mdx'),
    '---\ntitle: A lesson with a slip\ndescription: For the test.\norder: -3\n---\n\nSome text.\n',
  );
  server = spawn('npx', ['astro', 'dev', '--port', String(DEV_PORT), '--host', '127.0.0.1'], {
    cwd: copy,
    env: shellEnv(),
    stdio: 'ignore',
    detached: true,
  });
  await serving(`${DEV}/lessons/client-server/`, 180_000);
  browser = await launch();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  // The dev server and the processes it started, as a group.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('the dev server with a wrong frontmatter', () => {
  it('shows the file and each problem in the browser, and keeps serving the other lessons', async () => {
    const page = await browser.newPage();
    await page.goto(`${DEV}/lessons/broken-frontmatter/`);
    const overlay = page.locator('vite-error-overlay');
    await overlay.waitFor({ state: 'attached', timeout: 60_000 });
    const text = await overlay.evaluate(
      (element) => (element.shadowRoot?.querySelector('#message-content') as HTMLElement | null)?.innerText ?? '',
    );
    expect(text).toContain('content/lessons/broken-frontmatter.mdx');
    expect(text).toMatch(/order: Too small/);
    expect(text).toMatch(/objectives: .*(Required|expected array)/i);
    const response = await page.goto(`${DEV}/lessons/peer-to-peer/`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('vite-error-overlay').count()).toBe(0);
    await page.close();
  }, 120_000);
});
