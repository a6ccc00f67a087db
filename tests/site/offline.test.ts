/**
 * Offline: one visit installs the service worker, which precaches the whole course; with
 * the network gone (the browser offline and the server stopped) a lesson never opened
 * loads, its lab runs in its workers, and search finds a page. A new deploy is offered as
 * a reload. Served under the base path, from a copy of the test build, so the copy can be
 * changed (a new version) and its server stopped without touching the other tests.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveStatic, type StaticServer } from '../../scripts/serve-static';
import { launch, newPage, watch } from './browser';
import { BASE_PATH, OUT_DIR } from './config';

let browser: Browser;
let copy: string;
beforeAll(async () => {
  browser = await launch();
  copy = mkdtempSync(join(tmpdir(), 'course-offline-'));
  cpSync(OUT_DIR, copy, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  rmSync(copy, { recursive: true, force: true });
});

describe('offline', () => {
  it('after one visit, a lesson never opened loads, runs its lab and searches with no network', async () => {
    let server: StaticServer = await serveStatic(copy, BASE_PATH, 0);
    const site = server.url;
    const port = Number(new URL(site).port);
    const page = await newPage(browser, { serviceWorkers: 'allow' });
    const problems = watch(page);
    await page.goto(site);
    // Installed (the whole build precached) and in control of the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${site}sw.js`);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe(`${BASE_PATH}manifest.webmanifest`);

    // A new version deployed: the worker changes, the reader is offered a reload, and takes it.
    // (The server is restarted: it reads the files' sizes when it starts.)
    writeFileSync(join(copy, 'sw.js'), `${readFileSync(join(copy, 'sw.js'), 'utf8')}\n// a new version\n`);
    await server.close();
    server = await serveStatic(copy, BASE_PATH, port);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.locator('.course-update');
    await prompt.waitFor({ timeout: 30_000 });
    expect(await prompt.getAttribute('role')).toBe('status');
    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), prompt.getByRole('button', { name: 'Reload to update' }).click()]);
    await page.evaluate(() => navigator.serviceWorker.ready);
    expect(await page.locator('.course-update').count()).toBe(0);

    await server.close();
    await page.context().setOffline(true);

    const lab = '#lab-churn';
    await page.goto(`${site}lessons/churn/`);
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab}[data-ready]`).waitFor({ timeout: 30_000 });
    await page.locator(`${lab} [data-run]`).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, {
      timeout: 60_000,
    });
    expect((await page.locator(`${lab} [data-verdict]`).textContent())?.length).toBeGreaterThan(40);

    await page
      .getByRole('button', { name: /search/i })
      .first()
      .click();
    await page.locator('dialog .pagefind-ui__search-input').fill('overloaded');
    await page.locator('dialog a[href*="/lessons/"]').first().waitFor({ timeout: 15_000 });

    // Served under the base path, the worker never reaches outside it.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
    expect(scope).toBe(site);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
