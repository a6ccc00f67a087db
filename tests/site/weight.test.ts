/**
 * Page weight: a page's JavaScript, as a reader's browser fetches it on load with its
 * labs scrolled into view (modules, chunks, workers and inline scripts), stays within
 * 150 KB gzipped; and lab pages link to their model's source instead of carrying it.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { manifests } from '../../labs/manifests';
import { launch, newPage } from './browser';
import { builtPages, pageKinds } from './built-pages';

/** A page's scripts come from its components, and a lab page's worker from its lab: a page of each kind, and every lab page. */
const pages = [...new Set([...pageKinds(), ...builtPages().filter((path) => /^labs\/[^/]+\/$/.test(path))])];
import { SITE } from './config';

/** The budget of issue 12, in bytes after gzip. */
const JS_BUDGET = 150 * 1000;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('page weight', () => {
  it.each(pages)('/%s loads at most 150 KB of JavaScript, gzipped', async (path) => {
    const page = await newPage(browser);
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      const type = response.request().resourceType();
      const isScript = type === 'script' || (type === 'other' && /\.m?js(\?|$)/.test(response.url()));
      if (!isScript || response.status() !== 200) return;
      const body = await response.body().catch(() => null);
      if (body) scripts.set(response.url(), gzipSync(body, { level: 9 }).length);
    });
    await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
    for (const lab of await page.locator('.lab').all()) await lab.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    const inline = await page.locator('script:not([src])').evaluateAll((elements) => elements.map((e) => e.textContent ?? ''));
    const inlineBytes = inline.reduce((sum, text) => sum + gzipSync(text, { level: 9 }).length, 0);
    const total = [...scripts.values()].reduce((sum, bytes) => sum + bytes, inlineBytes);
    const largest = [...scripts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    expect(total, `gzipped JavaScript; largest files: ${JSON.stringify(largest)}`).toBeLessThanOrEqual(JS_BUDGET);
    // A page with a lab fetches its host: a page that measured nothing would pass vacuously.
    if ((await page.locator('.lab').count()) > 0) expect(scripts.size).toBeGreaterThan(1);
    await page.close();
  });

  it.each(manifests.map((m) => m.id))('the %s lab page links to its model source instead of inlining it', async (id) => {
    const html = await (await fetch(`${SITE}labs/${id}/`)).text();
    expect(html).not.toContain('class="expressive-code"');
    expect(html).toContain(`href="/course/labs/${id}/source/"`);
    const source = await (await fetch(`${SITE}labs/${id}/source/`)).text();
    expect(source).toContain('class="expressive-code"');
    expect(source).toContain(`labs/${id}/model.ts`);
  });
});
