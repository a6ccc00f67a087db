/**
 * Every lab, on its own page of the built site: runs with its defaults and draws every
 * chart, shows the run in its network view, rejects a bad value with a message beside the
 * control, and cancels cleanly; and gives what its model gives in Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { manifests } from '../../labs/manifests';
import { canvasPixels, launch, newPage, openTables, recordViolations, watch } from './browser';
import { models } from '../../labs/models';
import { validateParams } from '../../labs/kernel/manifest';
import { resultCsv } from '../../src/lab-host/state';
import { SITE } from './config';
import { expectWorkingNetworkView } from './network-view-check';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const runsOf = async (page: Page, lab: string) => Number((await page.locator(lab).getAttribute('data-runs')) ?? '0');

describe.each(manifests.map((m) => [m.id, m] as const))('the %s lab', (id, manifest) => {
  it('runs, draws, shows its network view, rejects a bad value and cancels', async () => {
    // Motion allowed, so that the network view's Play plays.
    const page = await newPage(browser, { reducedMotion: 'no-preference' });
    const problems = watch(page);
    // Every browser test is served the Content-Security-Policy (tests/site/csp.test.ts):
    // here each lab's workers, charts and network view meet it.
    const violations = await recordViolations(page);
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}labs/${id}/`);
    await page.locator(`${lab}[data-ready]`).waitFor();

    await page.locator(`${lab} [data-run]`).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, {
      timeout: 60_000,
    });
    await openTables(page, lab);
    for (const chart of manifest.charts) {
      const { painted } = await canvasPixels(page.locator(`${lab} [data-chart="${chart.id}"] canvas`));
      expect(painted, `chart ${chart.id}`).toBeGreaterThan(1000);
      expect(await page.locator(`${lab} [data-chart="${chart.id}"] tbody tr`).count(), `table of ${chart.id}`).toBeGreaterThan(1);
    }
    expect((await page.locator(`${lab} [data-verdict]`).textContent())?.length).toBeGreaterThan(40);
    await expectWorkingNetworkView(page, id);

    const param = manifest.params.find((p) => p.kind !== 'choice')!;
    const input = page.locator(`${lab} [name="${param.name}"]`);
    await input.fill('not a number');
    expect(await page.locator(`${lab} [data-error-for="${param.name}"]`).textContent()).toMatch(/must be a number/);
    await page.locator(`${lab} [data-run]`).click();
    expect(await page.locator(`${lab} [data-status]`).textContent()).toMatch(/not valid/);
    expect(await runsOf(page, lab)).toBe(1);
    await input.fill(String(param.default));

    // Run and cancel in the same task, so that even the fastest model cannot finish first.
    await page.evaluate((selector) => {
      const root = document.querySelector(selector)!;
      (root.querySelector('[data-run]') as HTMLButtonElement).click();
      (root.querySelector('[data-cancel]') as HTMLButtonElement).click();
    }, lab);
    expect(await page.locator(`${lab} [data-status]`).textContent()).toMatch(/Cancelled/);
    await page.waitForTimeout(300);
    expect(await runsOf(page, lab)).toBe(1);
    await page.locator(`${lab} [data-run]`).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '2', lab, {
      timeout: 60_000,
    });

    expect(await violations()).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await page.close();
  });

  it('gives on the page, from its pool of workers, what its model gives in Node for the same seed (to the last bits of Math’s functions)', async () => {
    const model = models.find((m) => m.manifest.id === id)!;
    const smallest = model.benchCases[0]!.params;
    const { values } = validateParams(manifest, smallest);
    const page = await newPage(browser);
    const problems = watch(page);
    const query = Object.entries(values)
      .map(([name, value]) => `${id}.${name}=${encodeURIComponent(String(value))}`)
      .join('&');
    // The file the page hands to the browser to save, read from the page itself: the browser's
    // download machinery (checked once in lab.test.ts) sometimes took over 30 s on a busy machine.
    await page.addInitScript(() => {
      const make = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        if (object instanceof Blob && object.type === 'text/csv') (window as unknown as { csvBlob: Blob }).csvBlob = object;
        return make(object);
      };
    });
    await page.goto(`${SITE}labs/${id}/?${query}&${id}.seed=5`);
    const lab = `#lab-${id}`;
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, { timeout: 60_000 });
    await page.locator(`${lab} [data-csv]`).click();
    await page.waitForFunction(() => 'csvBlob' in window);
    const csv = await page.evaluate(() => (window as unknown as { csvBlob: Blob }).csvBlob.text());
    expectSameTable(csv, resultCsv(manifest, model.run(values, { seed: 5, progress: () => {} })));
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

/**
 * The same rows and words, and numbers equal but for their last bits: Chromium's and Node's
 * V8 may round Math.pow or Math.exp differently in the 16th digit, which is not a
 * difference between the page and the model.
 */
function expectSameTable(actual: string, expected: string): void {
  const actualRows = actual.trim().split('\n');
  const expectedRows = expected.trim().split('\n');
  expect(actualRows.length).toBe(expectedRows.length);
  const cells = (row: string) => row.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, ''));
  expectedRows.forEach((expectedRow, index) => {
    const got = cells(actualRows[index]!);
    const want = cells(expectedRow);
    expect(got.length, `row ${index + 1}`).toBe(want.length);
    want.forEach((cell, column) => {
      const number = Number(cell);
      if (cell === '' || !Number.isFinite(number)) expect(got[column], `row ${index + 1}: ${expectedRow}`).toBe(cell);
      else expect(Math.abs(Number(got[column]) - number), `row ${index + 1}: ${expectedRow}`).toBeLessThanOrEqual(Math.abs(number) * 1e-12);
    });
  });
}
