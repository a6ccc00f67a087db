/**
 * A lab whose code is slow, fails to load or cannot run: its controls say it is loading
 * until it has mounted, a failed load of its script or its worker shows a message with a
 * Retry that works once the network is back, and nothing ever navigates away. With
 * JavaScript off, the lab says what it would show and the article stays readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { launch, newPage, watch } from './browser';
import { SITE } from './config';

const LESSON = `${SITE}lessons/file-distribution/`;
const LAB = '#lab-file-distribution';
/** The lab host's own chunk, loaded when a lab comes into view (src/lab-host/observe.ts). */
const MOUNT_SCRIPT = /\/_astro\/mount\.[^/]*\.js$/;
const WORKER_SCRIPT = /\/_astro\/worker[^/]*\.js$/;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const status = (page: Page) => page.locator(`${LAB} [data-status]`).innerText();
const failure = (page: Page) => page.locator(`${LAB} [data-failure]`);
const waitForRuns = (page: Page, count: number) =>
  page.waitForFunction(
    ([selector, n]) => Number(document.querySelector(selector as string)?.getAttribute('data-runs') ?? '0') >= (n as number),
    [LAB, count],
    {
      timeout: 60_000,
    },
  );

/** Enter in a field and a click on Run, which must not leave the page. */
async function pressEverything(page: Page): Promise<void> {
  await page.locator(`${LAB} [name="peers"]`).fill('30');
  await page.locator(`${LAB} [name="peers"]`).press('Enter');
  await page.locator(`${LAB} [data-run]`).click({ force: true });
  await page.waitForTimeout(300);
}

describe('a lab before and without its code', () => {
  it('says it is loading, with Run off, until its code has mounted', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(MOUNT_SCRIPT, async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(LESSON);
    await page.locator(LAB).scrollIntoViewIfNeeded();
    expect(await status(page)).toMatch(/Loading the lab/);
    expect(await page.locator(`${LAB} [data-run]`).isDisabled()).toBe(true);
    expect(await page.locator(`${LAB} [data-run]`).getAttribute('type')).toBe('button');
    await pressEverything(page);
    expect(page.url()).toBe(LESSON);
    release();
    await page.locator(`${LAB}[data-ready]`).waitFor();
    expect(await page.locator(`${LAB} [data-run]`).isEnabled()).toBe(true);
    expect(await status(page)).toMatch(/Press Run/);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('shows a message with Retry when its script cannot load, and Retry loads it', async () => {
    const page = await newPage(browser);
    await page.route(MOUNT_SCRIPT, (route) => route.abort('internetdisconnected'));
    await page.goto(LESSON);
    await page.locator(LAB).scrollIntoViewIfNeeded();
    await failure(page).waitFor();
    expect(await failure(page).innerText()).toMatch(/could not be loaded/);
    expect(await status(page)).toMatch(/did not load/);
    await pressEverything(page);
    expect(page.url()).toBe(LESSON);
    // The network is back: Retry mounts the lab, which then runs.
    await page.unroute(MOUNT_SCRIPT);
    await failure(page).getByRole('button', { name: 'Retry' }).click();
    await page.locator(`${LAB}[data-ready]`).waitFor();
    expect(await failure(page).isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-run'))).toBe(true);
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    await page.close();
  });

  it('shows a message with Retry when its worker cannot load, and Retry runs it', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(LESSON);
    await page.locator(LAB).scrollIntoViewIfNeeded();
    await page.locator(`${LAB}[data-ready]`).waitFor();
    await page.route(WORKER_SCRIPT, (route) => route.abort('internetdisconnected'));
    await page.locator(`${LAB} [name="peers"]`).fill('30');
    await page.locator(`${LAB} [data-run]`).click();
    await failure(page).waitFor();
    expect(await failure(page).innerText()).toMatch(/The simulation failed/);
    expect(await status(page)).toMatch(/failed/);
    expect(page.url()).toBe(LESSON);
    await page.unroute(WORKER_SCRIPT);
    await failure(page).getByRole('button', { name: 'Retry' }).click();
    await waitForRuns(page, 1);
    expect(await failure(page).isHidden()).toBe(true);
    // The worker's failed request is the only problem reported.
    expect(problems.console.filter((line) => !/Failed to load resource|worker/i.test(line))).toEqual([]);
    await page.close();
  });
});

describe('with JavaScript off', () => {
  it('says what the lab would show, hides its buttons, and the article reads on', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(LESSON);
    const note = page.locator(`${LAB} .lab-noscript`);
    expect(await note.isVisible()).toBe(true);
    const text = await note.innerText();
    expect(text).toMatch(/needs JavaScript/);
    expect(text).toContain('Time to give every peer the whole file');
    expect(text).toMatch(/verdict/);
    expect(await page.locator(`${LAB} [data-status]`).isVisible()).toBe(false);
    expect(await page.locator(`${LAB} [data-run]`).isVisible()).toBe(false);
    // Enter in a field submits nothing.
    await page.locator(`${LAB} [name="peers"]`).press('Enter');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(LESSON);
    // The article: its headings and paragraphs, and the lab's method and formulas, are all there.
    expect(await page.locator('main h2').count()).toBeGreaterThan(1);
    expect(await page.locator('main .sl-markdown-content > p').first().isVisible()).toBe(true);
    await page.locator(`${LAB} .lab-method > summary`).click();
    expect(await page.locator(`${LAB} .lab-method .katex-display`).first().isVisible()).toBe(true);
    await page.close();
  });
});
