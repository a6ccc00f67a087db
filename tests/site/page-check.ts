/**
 * The check every page gets (tests/site/pages.test.ts and lessons.test.ts share it, so
 * two test files can run it side by side): it loads with no console error or failed
 * request, its labs mount as they scroll into view, its JavaScript stays within the weight
 * budget, and axe finds nothing serious.
 */
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mountVisibleLabs, newPage, seriousAxeIssues, watch } from './browser';
import { pageKinds } from './built-pages';
import { SITE } from './config';

// Colours are the one thing a theme changes, and they come from components: the dark theme
// is checked on a page of each kind (and on every lab while it runs, in accessibility.test.ts).
const darkChecked = new Set(pageKinds());

/**
 * Highlighted code is hundreds of token spans per block, which take axe most of its time:
 * code lines are checked on one page with code blocks, and left out elsewhere (the same
 * Expressive Code theme colours them everywhere).
 */
export const CODE_CHECKED_ON = 'instructors/hosting/';
const axeOptions = (path: string) => (path === CODE_CHECKED_ON ? {} : { exclude: '.expressive-code .ec-line' });

/** An axe run takes long on a big page while another test file runs beside it. */
export const PAGE_CHECK_TIMEOUT = 180_000;

/** The budget of issue 12: a page's JavaScript, in bytes after gzip. */
export const JS_BUDGET = 150 * 1000;

/**
 * Counts, gzipped, the JavaScript the page fetches from now on (modules, chunks, workers);
 * `total()` adds its inline scripts.
 */
function countScripts(page: Page): { files: Map<string, number>; total: () => Promise<number> } {
  const files = new Map<string, number>();
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    const isScript = type === 'script' || (type === 'other' && /\.m?js(\?|$)/.test(response.url()));
    if (!isScript || response.status() !== 200) return;
    const body = await response.body().catch(() => null);
    if (body) files.set(response.url(), gzipSync(body, { level: 9 }).length);
  });
  const total = async () => {
    const inline = await page.locator('script:not([src])').evaluateAll((elements) => elements.map((e) => e.textContent ?? ''));
    const inlineBytes = inline.reduce((sum, text) => sum + gzipSync(text, { level: 9 }).length, 0);
    return [...files.values()].reduce((sum, bytes) => sum + bytes, inlineBytes);
  };
  return { files, total };
}

export async function expectCleanPage(browser: Browser, path: string): Promise<void> {
  for (const colorScheme of darkChecked.has(path) ? (['light', 'dark'] as const) : (['light'] as const)) {
    const page = await newPage(browser, { colorScheme });
    const problems = watch(page);
    const scripts = colorScheme === 'light' ? countScripts(page) : null;
    await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
    // As a reader who scrolled the page: its labs fetch their code, and axe sees them mounted.
    await mountVisibleLabs(page);
    await page.waitForLoadState('networkidle');
    if (scripts) {
      const largest = [...scripts.files.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
      expect(await scripts.total(), `gzipped JavaScript; largest files: ${JSON.stringify(largest)}`).toBeLessThanOrEqual(JS_BUDGET);
      // A page with a lab fetches its host: a page that measured nothing would pass vacuously.
      if ((await page.locator('.lab').count()) > 0) expect(scripts.files.size).toBeGreaterThan(1);
    }
    expect(await seriousAxeIssues(page, axeOptions(path)), `${colorScheme} theme`).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await page.close();
  }
}
