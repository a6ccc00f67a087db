/** Every lesson loads cleanly and passes axe (the other pages are in pages.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { builtPages } from './built-pages';
import { expectCleanPage, PAGE_CHECK_TIMEOUT } from './page-check';

const lessons = builtPages().filter((path) => path.startsWith('lessons/'));

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('every lesson', () => {
  it('includes the comparison and the lab lessons', () => {
    expect(lessons).toContain('lessons/comparison/');
    expect(lessons).toContain('lessons/file-distribution/');
  });

  it.each(lessons)(
    '/%s loads cleanly, within its JavaScript budget, and passes axe',
    (path) => expectCleanPage(browser, path),
    PAGE_CHECK_TIMEOUT,
  );
});
