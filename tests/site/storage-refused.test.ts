/**
 * A reader whose browser refuses storage (a page inside another site's frame, some private
 * modes, blocked cookies): a page of each kind, its labs and exercises load without an uncaught error,
 * and the theme picker still switches the theme for the page's life.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage, watch, mountVisibleLabs } from './browser';
import { pageKinds } from './built-pages';
import { SITE } from './config';

// Storage is read by components (the theme, the sidebar, labs, exercises, progress), not by
// a page's text: one page of each kind meets every reader of it.
const pages = pageKinds();

/** What Chromium does with third-party storage blocked: reading either storage throws. */
function refuseStorage(): void {
  for (const name of ['localStorage', 'sessionStorage']) {
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        throw new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`, 'SecurityError');
      },
    });
  }
}

async function openRefused(
  path: string,
  options: Parameters<typeof newPage>[1] = {},
): Promise<{ page: Page; problems: ReturnType<typeof watch> }> {
  const page = await newPage(browser, options);
  const problems = watch(page);
  await page.addInitScript(refuseStorage);
  await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
  return { page, problems };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('with storage refused', () => {
  it('storage really is refused', async () => {
    const { page } = await openRefused('');
    const error = await page.evaluate(() => {
      try {
        return String(localStorage.length);
      } catch (caught) {
        return (caught as DOMException).name;
      }
    });
    expect(error).toBe('SecurityError');
    await page.close();
  });

  it.each(pages)('/%s loads, and mounts its labs, with no error', async (path) => {
    // A wide window: the sidebar (and its saved state) only exists beside the page there.
    const { page, problems } = await openRefused(path, { viewport: { width: 1280, height: 900 } });
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    });
    await page.waitForLoadState('networkidle');
    await mountVisibleLabs(page);
    // Leaving the page is when Starlight saves the sidebar's state.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('the theme picker switches the theme for the page’s life, in both pickers', async () => {
    const { page, problems } = await openRefused('lessons/churn/', { colorScheme: 'dark' });
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    expect(await theme()).toBe('dark');
    const picker = page.locator('starlight-theme-select select').first();
    await picker.selectOption('light');
    expect(await theme()).toBe('light');
    // Every picker on the page (the header's and the mobile menu's) shows the choice.
    expect(
      new Set(
        await page.locator('starlight-theme-select select').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value)),
      ),
    ).toEqual(new Set(['light']));
    await picker.selectOption('dark');
    expect(await theme()).toBe('dark');
    await picker.selectOption('auto');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'light');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('a lab runs and search finds a lesson', async () => {
    const { page, problems } = await openRefused('lessons/churn/');
    const lab = '#lab-churn';
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab}[data-ready]`).waitFor();
    await page.locator(`${lab} [data-run]`).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, { timeout: 90_000 });
    await page
      .getByRole('button', { name: /search/i })
      .first()
      .click();
    await page.locator('dialog .pagefind-ui__search-input').fill('churn');
    await page.locator('dialog a[href*="/course/lessons/"]').first().waitFor({ timeout: 15_000 });
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
