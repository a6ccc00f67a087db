/**
 * Every page on a phone (360 × 740): nothing scrolls sideways, display math scrolls in its
 * own focusable box, the header's Menu and Search stay on screen, and a lab's controls
 * stack in one column. Each lab's run on a phone, where every chart must keep a plot tall
 * enough to read, is in accessibility.test.ts (axe looks at it there too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, newPage } from './browser';
import { distinctPages } from './built-pages';
import { SITE } from './config';
import { layoutProblems, PHONE } from './phone-layout';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('on a phone', () => {
  it.each(distinctPages())('/%s fits the screen', async (path) => {
    const page = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
    // Labs mount when they scroll into view: look at the page as a reader who scrolled it.
    for (const lab of await page.locator('.lab').all()) await lab.scrollIntoViewIfNeeded();
    expect(await layoutProblems(page)).toEqual([]);
    if (!path.startsWith('embed/') && path !== '') {
      // Every content page has both; a missing one would make the checks above pass vacuously.
      expect(await page.locator('button.sl-menu-button').isVisible(), 'Menu').toBe(true);
    }
    if (!path.startsWith('embed/')) expect(await page.locator('site-search button[data-open-modal]').isVisible(), 'Search').toBe(true);
    await page.close();
  });
});
