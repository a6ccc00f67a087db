/**
 * A lab embedded in a learning platform: /embed/<lab>/ inside an iframe of another site
 * (the parent page is served from a second origin), with storage refused to the frame as
 * browsers refuse third-party storage. The lab must run from the state in its address,
 * take its theme from ?theme=, tell the parent its height, and log no error.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame } from 'playwright-core';
import { launch, newPage, watch } from './browser';
import { BASE_PATH, ORIGIN, PORT, SITE } from './config';
import { manifests } from '../../labs/manifests';
import { stateKey } from '../../src/lab-host/state';
import { EMBED_HEIGHT_MESSAGE } from '../../src/lab-host/embed';

/** The parent site: another host name and port than the course, so the frame is cross-site. */
const PARENT_PORT = PORT + 7;
const PARENT = `http://localhost:${PARENT_PORT}`;
const LAB = 'cost';

/** What a browser that blocks third-party storage does: reading either storage throws. */
const REFUSE_STORAGE_IN_FRAMES = `
  if (window !== window.top) {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        configurable: true,
        get() { throw new DOMException("Failed to read the '" + name + "' property from 'Window': Access is denied for this document.", 'SecurityError'); },
      });
    }
  }
`;

let browser: Browser;
let parent: Server;

beforeAll(async () => {
  browser = await launch();
  parent = createServer((request, response) => {
    const src = new URL(request.url ?? '/', PARENT).searchParams.get('src') ?? '';
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><html lang="en"><head><title>A course in a learning platform</title></head><body>
      <h1>Week 3</h1>
      <iframe id="lab" src="${src.replace(/"/g, '&quot;')}" title="Lab" width="100%" height="400" style="border:0"></iframe>
      <script>
        window.heights = [];
        window.addEventListener('message', (event) => {
          if (event.data && event.data.type === ${JSON.stringify(EMBED_HEIGHT_MESSAGE)}) window.heights.push({ origin: event.origin, ...event.data });
        });
      </script></body></html>`);
  });
  await new Promise<void>((resolve) => parent.listen(PARENT_PORT, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => parent?.close(resolve));
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? []);
  await browser?.close();
});

describe('a lab embedded in another site’s iframe, with third-party storage refused', () => {
  it('runs from its address, takes the theme from ?theme=, reports its height and logs no error', async () => {
    const manifest = manifests.find((m) => m.id === LAB)!;
    const page = await newPage(browser, { colorScheme: 'dark' });
    await page.addInitScript(REFUSE_STORAGE_IN_FRAMES);
    const problems = watch(page);
    const embed = `${SITE}embed/${LAB}/?${stateKey(LAB, 'seed')}=3&theme=light`;
    await page.goto(`${PARENT}/?src=${encodeURIComponent(embed)}`);

    const frame: Frame = await (await page.waitForSelector('iframe#lab')).contentFrame().then((f) => f!);
    await frame.waitForLoadState('load');
    expect(new URL(frame.url()).origin).toBe(ORIGIN);
    expect(new URL(page.url()).origin).not.toBe(ORIGIN);
    // Storage really is refused inside the frame, and open in the parent.
    expect(
      await frame.evaluate(() => {
        try {
          return String(window.localStorage.length);
        } catch (error) {
          return (error as DOMException).name;
        }
      }),
    ).toBe('SecurityError');
    expect(await page.evaluate(() => typeof window.localStorage.length)).toBe('number');

    // The lab alone: no site header, sidebar, footer or pagination.
    expect(await frame.locator('header:not(.lab-header), nav, footer, #starlight__sidebar, .pagination-links, site-search').count()).toBe(
      0,
    );
    expect(await frame.locator(`section.lab[data-lab="${LAB}"]`).count()).toBe(1);
    expect(await frame.locator(`section.lab h3`).innerText()).toBe(manifest.title);
    // ?theme=light wins over the reader's dark preference.
    expect(await frame.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');

    // The seed in the address runs the lab straight away, to its verdict.
    await frame.waitForFunction(
      (lab) => Number(document.querySelector(`section.lab[data-lab="${lab}"]`)?.getAttribute('data-runs') ?? '0') >= 1,
      LAB,
      {
        timeout: 60_000,
      },
    );
    await frame.waitForFunction(() => (document.querySelector('[data-verdict]')?.textContent ?? '').trim().length > 20, null, {
      timeout: 60_000,
    });
    expect(await frame.locator('[name="seed"]').inputValue()).toBe('3');

    // The parent hears the frame's height, from the course's origin, and it grows with the run's charts.
    await page.waitForFunction((minimum) => {
      const heights = (window as unknown as { heights: Array<{ height: number }> }).heights;
      return heights.length > 0 && heights.at(-1)!.height >= minimum;
    }, 600);
    const heights = await page.evaluate(
      () => (window as unknown as { heights: Array<{ origin: string; lab: string; height: number }> }).heights,
    );
    const last = heights.at(-1)!;
    expect(last.origin).toBe(ORIGIN);
    expect(last.lab).toBe(LAB);
    const documentHeight = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    expect(Math.abs(last.height - documentHeight)).toBeLessThanOrEqual(1);
    expect(heights.length).toBeGreaterThan(1);

    expect(problems.console).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await page.close();
  });

  it('follows the reader’s colour preference without ?theme=', async () => {
    const page = await newPage(browser, { colorScheme: 'light' });
    await page.addInitScript(REFUSE_STORAGE_IN_FRAMES);
    const problems = watch(page);
    await page.goto(`${PARENT}/?src=${encodeURIComponent(`${SITE}embed/${LAB}/`)}`);
    const frame = (await (await page.waitForSelector('iframe#lab')).contentFrame())!;
    await frame.waitForSelector('section.lab[data-ready]', { state: 'attached', timeout: 60_000 }).catch(() => undefined);
    expect(await frame.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await frame.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('the gallery’s embed code', () => {
  it('gives, for every lab, an iframe of its embed page, which exists', async () => {
    const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    const problems = watch(page);
    await page.goto(`${SITE}labs/`);
    for (const manifest of manifests) {
      const code = await page.locator(`[data-embed-for="${manifest.id}"] [data-embed-code]`).inputValue();
      const src = /<iframe src="([^"]+)"/.exec(code)?.[1];
      expect(src).toBe(`${ORIGIN}${BASE_PATH}embed/${manifest.id}/`);
      expect(code).toContain(`title="${manifest.title}"`);
      expect((await page.request.get(src!)).status()).toBe(200);
    }
    const first = manifests[0]!;
    await page.locator(`[data-embed-for="${first.id}"] [data-copy-embed]`).click();
    await page.waitForFunction(
      (id) => (document.querySelector(`[data-embed-for="${id}"] [data-embed-status]`)?.textContent ?? '') !== '',
      first.id,
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`${BASE_PATH}embed/${first.id}/`);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
