/**
 * The instructor-facing pages: the lab gallery lists every lab in labs/manifests.ts
 * and its links resolve, a lab's own page runs from a link that carries its state,
 * the sidebar's Labs group marks the current page without changing the lessons'
 * previous/next links, and the guide's parameter reference covers every parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage, openTables, seriousAxeIssues, watch, WCAG_AA } from './browser';
import { ORIGIN, SITE } from './config';
import { manifests } from '../../labs/manifests';
import { allowedText } from '../../labs/kernel/manifest';
import { labLessons } from '../../src/course';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  // Let the contexts that closing a page starts (browser.ts) finish before the browser goes.
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? []);
  await browser?.close();
});

interface SidebarGroupSeen {
  label: string;
  links: Array<{ href: string; current: boolean }>;
}

/** The sidebar as the reader sees it: each group's label and links, with the current one. */
function sidebar(page: Page): Promise<SidebarGroupSeen[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#starlight__sidebar details')].map((group) => ({
      label: group.querySelector('summary .large')?.textContent?.trim() ?? '',
      links: [...group.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href') ?? '',
        current: a.getAttribute('aria-current') === 'page',
      })),
    })),
  );
}

const pagination = (page: Page, rel: 'prev' | 'next') =>
  page
    .locator(`.pagination-links a[rel="${rel}"]`)
    .getAttribute('href', { timeout: 2_000 })
    .catch(() => null);

async function expectClean(page: Page): Promise<void> {
  expect(await seriousAxeIssues(page, { tags: WCAG_AA })).toEqual([]);
}

describe('the lab gallery', () => {
  it('lists every lab with its title, claims, summary and links that resolve', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(`${SITE}labs/`, { waitUntil: 'networkidle' });

    const cards = page.locator('[data-lab-card]');
    expect(await cards.evaluateAll((all) => all.map((card) => card.getAttribute('data-lab-card')))).toEqual(manifests.map((m) => m.id));
    for (const manifest of manifests) {
      const card = page.locator(`[data-lab-card="${manifest.id}"]`);
      expect(await card.locator('h2').innerText()).toContain(manifest.title);
      expect(await card.locator('q').allTextContents()).toEqual([...manifest.claims]);
      const summary = await card.locator('.gallery-summary').innerText();
      expect(summary.length).toBeGreaterThan(20);
      expect(manifest.summary.startsWith(summary)).toBe(true);

      const labHref = await card.locator('[data-lab-page]').getAttribute('href');
      expect(labHref).toBe(`/course/labs/${manifest.id}/`);
      const response = await page.request.get(`${ORIGIN}${labHref}`);
      expect(response.status(), labHref ?? '').toBe(200);

      // A lab links to its lesson (src/course.ts) once that lesson exists, and only then.
      const lesson = labLessons[manifest.id];
      const lessonLink = card.locator('[data-lab-lesson]');
      const lessonStatus = lesson ? (await page.request.get(`${SITE}${lesson}`)).status() : 404;
      if (lessonStatus === 200) expect(await lessonLink.getAttribute('href')).toBe(`/course/${lesson}`);
      else expect(await lessonLink.count()).toBe(0);
    }

    const groups = await sidebar(page);
    const labs = groups.find((group) => group.label === 'Labs');
    expect(labs?.links.map((link) => link.href)).toEqual(['/course/labs/', ...manifests.map((m) => `/course/labs/${m.id}/`)]);
    expect(labs?.links.filter((link) => link.current).map((link) => link.href)).toEqual(['/course/labs/']);
    expect(await pagination(page, 'next')).toBe(`/course/labs/${manifests[0]?.id}/`);
    await expectClean(page);
    expect(problems.console).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await page.close();
  });

  it('keeps the guides off the students’ sidebar, and previous/next within the lessons or the guides', async () => {
    const page = await newPage(browser);
    await page.goto(`${SITE}labs/`);
    const groups = await sidebar(page);
    expect(groups.map((group) => group.label)).toEqual(['Lessons', 'Labs', 'Review']);
    const lessons = groups[0]?.links ?? [];
    expect(lessons.length).toBeGreaterThan(1);

    // The last lesson leads nowhere further: not into the Labs group, not into the guides.
    await page.goto(`${ORIGIN}${lessons.at(-1)?.href}`);
    expect(await pagination(page, 'next')).toBeNull();
    expect(await pagination(page, 'prev')).toBe(lessons.at(-2)?.href);
    const onLesson = await sidebar(page);
    expect(onLesson.map((group) => group.label)).toEqual(['Lessons', 'Labs', 'Review']);
    expect(
      onLesson
        .flatMap((group) => group.links)
        .filter((link) => link.current)
        .map((link) => link.href),
    ).toEqual([lessons.at(-1)?.href]);

    // An instructors' page leads with the guides, and its previous/next stay among them.
    await page.goto(`${SITE}instructors/authoring/`);
    const onGuide = await sidebar(page);
    expect(onGuide.map((group) => group.label)).toEqual(['For instructors', 'Lessons', 'Labs', 'Review']);
    const guides = onGuide[0]?.links ?? [];
    expect(guides.map((link) => link.href)).toContain('/course/instructors/exercises/');
    expect(await pagination(page, 'prev')).toBeNull();
    expect(await pagination(page, 'next')).toBe(guides[1]?.href);
    await page.close();
  });
});

describe('a lab on its own page', () => {
  const manifest = manifests[0]!;
  const LAB = `#lab-${manifest.id}`;

  it('runs from a link that carries its state, and marks itself in the sidebar', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    const url = `${SITE}labs/${manifest.id}/?${manifest.id}.peers=30&${manifest.id}.chunks=20&${manifest.id}.seed=4`;
    await page.goto(url);
    await page.locator(LAB).scrollIntoViewIfNeeded();
    await page.waitForFunction((selector) => Number(document.querySelector(selector)?.getAttribute('data-runs') ?? '0') >= 1, LAB, {
      timeout: 30_000,
    });
    expect(await page.locator(`${LAB} [name="peers"]`).inputValue()).toBe('30');
    expect(await page.locator(`${LAB} [name="chunks"]`).inputValue()).toBe('20');
    expect(await page.locator(`${LAB} [name="seed"]`).inputValue()).toBe('4');
    const firstChart = `${LAB} [data-chart="${manifest.charts[0]?.id}"]`;
    await openTables(page, LAB);
    const lastX = await page.locator(`${firstChart} tbody tr`).last().locator('th').textContent();
    expect(lastX).toBe('30');
    expect(page.url()).toContain(`${manifest.id}.peers=30`);

    // The method is written out on the page, and the parameter table is this lab's alone.
    expect(await page.locator('#method').count()).toBe(1);
    expect(await page.locator('.katex').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-param-table]').evaluateAll((all) => all.map((t) => t.getAttribute('data-param-table')))).toEqual([
      manifest.id,
    ]);

    const current = (await sidebar(page)).flatMap((group) => group.links).filter((link) => link.current);
    expect(current.map((link) => link.href)).toEqual([`/course/labs/${manifest.id}/`]);
    expect(await pagination(page, 'prev')).toBe('/course/labs/');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('links each of its cases with the state in the URL', async () => {
    const page = await newPage(browser);
    await page.goto(`${SITE}labs/${manifest.id}/`);
    const links = page.locator('[data-case]');
    expect(await links.count()).toBe(manifest.presets?.length ?? 0);
    const first = manifest.presets?.[0];
    if (first) {
      const href = (await links.first().getAttribute('href')) ?? '';
      const query = new URL(href, SITE).searchParams;
      for (const [name, value] of Object.entries(first.values)) expect(query.get(`${manifest.id}.${name}`)).toBe(String(value));
    }
    await expectClean(page);
    await page.close();
  });

  it('exists for every lab', async () => {
    const page = await newPage(browser);
    for (const m of manifests) {
      const response = await page.goto(`${SITE}labs/${m.id}/`);
      expect(response?.status(), m.id).toBe(200);
      expect(await page.locator('h1').innerText()).toBe(m.title);
      expect(await page.locator(`#lab-${m.id}[data-lab="${m.id}"]`).count()).toBe(1);
    }
    await page.close();
  });
});

describe('the guide’s parameter reference', () => {
  it('lists every parameter, with its allowed values, and every series of every lab', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(`${SITE}instructors/authoring/`);
    for (const manifest of manifests) {
      const table = page.locator(`[data-param-table="${manifest.id}"]`);
      expect(await table.count(), manifest.id).toBe(1);
      const rows = await table.locator('tr[data-param]').evaluateAll((all) =>
        all.map((row) => ({
          name: row.getAttribute('data-param'),
          cells: [...row.children].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
        })),
      );
      expect(rows.map((row) => row.name)).toEqual(manifest.params.map((p) => p.name));
      manifest.params.forEach((param, index) => {
        const cells = rows[index]?.cells ?? [];
        expect(cells[0]).toBe(param.name);
        expect(cells[1]).toBe(param.label);
        expect(cells[3]).toContain(allowedText(param));
        expect(cells[4]).toContain(String(param.default));
      });
      const series = await page
        .locator(`[data-series-table="${manifest.id}"] tr[data-series]`)
        .evaluateAll((all) => all.map((row) => row.getAttribute('data-series')));
      expect(series).toEqual(manifest.charts.flatMap((chart) => chart.series.map((s) => s.key)));
      const outputs = await page
        .locator(`[data-outputs-table="${manifest.id}"] tr[data-output]`)
        .evaluateAll((all) => all.map((row) => row.getAttribute('data-output')));
      expect(outputs).toEqual((manifest.outputs ?? []).map((o) => o.key));
    }
    await expectClean(page);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
