/**
 * Accessibility beyond the first paint (pages.test.ts checks every page on load): axe
 * while each lab runs and after it finishes, the themes alternating from lab to lab, on a
 * phone, where the lab must also keep its layout and a readable plot; the search button's
 * name; and a whole run done from the keyboard alone, its result announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { manifests } from '../../labs/manifests';
import { stateKey } from '../../src/lab-host/state';
import { launch, newPage, seriousAxeIssues, watch } from './browser';
import { SITE } from './config';
import { layoutProblems, MIN_PLOT_HEIGHT, PHONE, plotHeights } from './phone-layout';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const isRunning = (page: Page, lab: string) =>
  page
    .locator(`${lab}[data-running]`)
    .count()
    .then((n) => n > 0);

// Every lab shares the host's markup: the themes alternate from lab to lab, so each state
// of the host is seen in both themes and each lab's own output in one.
const labsAndThemes = manifests.map((manifest, index) => [manifest.id, index % 2 ? 'light' : 'dark'] as const);

describe.each(labsAndThemes)('the %s lab', (id, colorScheme) => {
  it(`on a phone, passes axe while it runs and after it finishes (${colorScheme} theme), and its charts keep a usable plot`, async () => {
    // The embedded lab (the same host as on a lab page, without the site around it that
    // pages.test.ts checks), on a phone: a reader's, or a narrow frame in a course page.
    const page = await newPage(browser, { colorScheme, viewport: PHONE, isMobile: true, hasTouch: true });
    const problems = watch(page);
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}embed/${id}/`);
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab}[data-ready]`).waitFor();

    // Hold the run's workers until axe has looked, so even the fastest lab is seen running.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.context().route(/\/_astro\/worker-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.locator(`${lab} [data-run]`).tap();
    await page.locator(`${lab}[data-running]`).waitFor();
    const starting = await seriousAxeIssues(page);
    expect(await isRunning(page, lab)).toBe(true);
    expect(starting, 'as the run starts').toEqual([]);
    release();

    // Charts drawn, key numbers and verdict waiting: checked whenever the run is slow enough to be seen so.
    await page.waitForFunction(
      (selector) => {
        const root = document.querySelector(selector);
        return root?.hasAttribute('data-partial') || root?.getAttribute('data-runs') === '1';
      },
      lab,
      { timeout: 120_000 },
    );
    if (await page.locator(`${lab}[data-partial]`).count()) expect(await seriousAxeIssues(page), 'part-way').toEqual([]);

    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, {
      timeout: 120_000,
    });
    expect(await seriousAxeIssues(page), 'after the run').toEqual([]);
    const heights = await plotHeights(page, lab);
    expect(heights.length).toBeGreaterThan(0);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
    expect(await layoutProblems(page)).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  }, 240_000);
});

describe('the search button', () => {
  it('has an accessible name that contains its visible text', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(SITE);
    const button = page.locator('site-search button[data-open-modal]');
    const visible = (await button.locator('span').first().innerText()).trim();
    expect(visible.length).toBeGreaterThan(0);
    await expect.poll(() => button.isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: visible }).count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe('a lab from the keyboard alone', () => {
  it('Tab to a field, type, Tab to Run, Enter: the result is announced', async () => {
    const page = await newPage(browser);
    const lab = '#lab-file-distribution';
    await page.goto(`${SITE}lessons/file-distribution/`);
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab}[data-ready]`).waitFor();
    const focusedName = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
    const focusedIsRun = () => page.evaluate(() => document.activeElement?.hasAttribute('data-run') ?? false);
    // From the top of the page, as a keyboard user arrives.
    await page.locator('body').focus();
    let presses = 0;
    while ((await focusedName()) !== 'peers' && presses++ < 300) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('peers');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('40');
    presses = 0;
    while (!(await focusedIsRun()) && presses++ < 100) await page.keyboard.press('Tab');
    expect(await focusedIsRun()).toBe(true);
    await page.keyboard.press('Enter');
    const status = page.locator(`${lab} [data-status]`);
    expect(await status.getAttribute('role')).toBe('status');
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toMatch(/^Done in .* The charts, data tables, summary and verdict below are updated\.$/);
    expect(page.url()).toContain(`${stateKey('file-distribution', 'peers')}=40`);
    await page.close();
  });
});
