/**
 * Every page on a phone (360 × 740): nothing scrolls sideways, display math scrolls in its
 * own focusable box, the header's Menu and Search stay on screen, a lab's controls stack in
 * one column, and after a run each chart keeps a plot tall enough to read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { manifests } from '../../labs/manifests';
import { launch, newPage, watch } from './browser';
import { distinctPages } from './built-pages';
import { SITE } from './config';

const PHONE = { width: 360, height: 740 };
/** The smallest plot (inside the axes, without legend or ticks) a reader can still read. */
const MIN_PLOT_HEIGHT = 200;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** What on the page breaks the phone layout, as sentences; none on a good page. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const problems: string[] = [];
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${[...element.classList].join('.')}`;
    const onScreen = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.left >= -0.5 && box.right <= width + 0.5;
    };
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > width) problems.push(`the page is ${pageWidth} px wide`);
    for (const math of document.querySelectorAll<HTMLElement>('.katex-display')) {
      // A worked solution's math stays hidden until its answer is revealed.
      if (math.getClientRects().length === 0) continue;
      if (!onScreen(math)) problems.push(`display math leaves the screen: ${math.textContent?.slice(0, 40)}`);
      if (math.scrollWidth > math.clientWidth && (getComputedStyle(math).overflowX !== 'auto' || math.tabIndex !== 0)) {
        problems.push(`wide display math does not scroll from the keyboard: ${math.textContent?.slice(0, 40)}`);
      }
    }
    for (const selector of ['site-search button[data-open-modal]', 'button.sl-menu-button']) {
      const button = document.querySelector(selector);
      if (button && !onScreen(button)) problems.push(`${selector} is off screen`);
    }
    for (const lab of document.querySelectorAll('.lab')) {
      const lefts = new Set([...lab.querySelectorAll<HTMLElement>('.lab-fields > .lab-field')].map((f) => Math.round(f.getBoundingClientRect().left)));
      if (lefts.size > 1) problems.push(`${describe(lab)}: controls in ${lefts.size} columns`);
      for (const control of lab.querySelectorAll('input, select, button, canvas')) {
        if (control.getClientRects().length > 0 && !onScreen(control)) problems.push(`${describe(control)} leaves the screen`);
      }
    }
    return problems;
  }, PHONE.width);
}

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

  it.each(manifests.map((m) => m.id))('the %s lab runs and its charts keep a usable plot', async (id) => {
    const page = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    const problems = watch(page);
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}labs/${id}/`);
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab}[data-ready]`).waitFor();
    await page.locator(`${lab} [data-run]`).tap();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, {
      timeout: 60_000,
    });
    const heights = await page.locator(`${lab} .lab-figure canvas`).evaluateAll((canvases) =>
      canvases.map((canvas) => Number((canvas as HTMLCanvasElement).dataset['plotHeight'] ?? '0')),
    );
    expect(heights.length).toBeGreaterThan(0);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
    expect(await layoutProblems(page)).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
