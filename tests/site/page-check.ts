/**
 * The check every page gets (tests/site/pages.test.ts and lessons.test.ts share it, so
 * two test files can run it side by side): it loads with no console error or failed
 * request and axe finds nothing serious.
 */
import { expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { newPage, seriousAxeIssues, watch } from './browser';
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

export async function expectCleanPage(browser: Browser, path: string): Promise<void> {
  for (const colorScheme of darkChecked.has(path) ? (['light', 'dark'] as const) : (['light'] as const)) {
    const page = await newPage(browser, { colorScheme });
    const problems = watch(page);
    await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
    expect(await seriousAxeIssues(page, axeOptions(path)), `${colorScheme} theme`).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await page.close();
  }
}
