/**
 * The built site, served under a base path: every page but the lessons (lessons.test.ts
 * checks those, beside this file) loads without a console error or a failed request and
 * passes axe; links lead only to pages and assets that exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LinkChecker } from 'linkinator';
import { launch, newPage } from './browser';
import { distinctPages } from './built-pages';
import { CODE_CHECKED_ON, expectCleanPage, PAGE_CHECK_TIMEOUT } from './page-check';
import { SITE } from './config';

// The lessons are checked by lessons.test.ts, which runs beside this file.
const pages = distinctPages().filter((path) => !path.startsWith('lessons/'));

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('every page', () => {
  it('includes the home page, a lab page and a page with code blocks', () => {
    expect(pages).toContain(CODE_CHECKED_ON);
    expect(pages).toContain('');
    expect(pages).toContain('labs/churn/');
  });

  it.each(pages)(
    '/%s loads cleanly, within its JavaScript budget, and passes axe',
    (path) => expectCleanPage(browser, path),
    PAGE_CHECK_TIMEOUT,
  );
});

describe('the comparison table', () => {
  it('marks every claim and links each to the lab that tests it', async () => {
    const page = await newPage(browser);
    await page.goto(`${SITE}lessons/comparison/`);
    expect(await page.locator('.claim').count()).toBeGreaterThanOrEqual(13);
    expect(await page.locator('.claim-pending').count()).toBe(0);
    const hrefs = await page.locator('a.claim-link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href).toMatch(/^\/course\/lessons\/[a-z-]+\/#lab-[a-z-]+$/);
    await page.close();
  });
});

describe('links', () => {
  it('every internal link and asset resolves under the base path', async () => {
    const checker = new LinkChecker();
    const result = await checker.check({
      path: SITE,
      recurse: true,
      linksToSkip: [`^(?!${SITE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`],
      concurrency: 4,
    });
    const broken = result.links.filter((link) => link.state === 'BROKEN').map((link) => `${link.url} (from ${link.parent})`);
    expect(broken).toEqual([]);
    expect(result.links.length).toBeGreaterThan(20);
  });
});

describe('search', () => {
  it('finds a lesson in the static build', async () => {
    const page = await newPage(browser);
    await page.goto(SITE, { waitUntil: 'networkidle' });
    await page
      .getByRole('button', { name: /search/i })
      .first()
      .click();
    await page.locator('dialog .pagefind-ui__search-input').fill('overloaded');
    const result = page.locator('dialog a[href*="/course/lessons/"]').first();
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('href')).toMatch(/^\/course\/lessons\//);
    await page.close();
  });
});
