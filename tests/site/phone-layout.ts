/** What a phone (360 × 740) must show: tests/site/phone.test.ts and accessibility.test.ts share it. */
import type { Page } from 'playwright-core';

export const PHONE = { width: 360, height: 740 };
/** The smallest plot (inside the axes, without legend or ticks) a reader can still read. */
export const MIN_PLOT_HEIGHT = 200;

/** What on the page breaks the phone layout, as sentences; none on a good page. */
export async function layoutProblems(page: Page): Promise<string[]> {
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
      const lefts = new Set(
        [...lab.querySelectorAll<HTMLElement>('.lab-fields > .lab-field')].map((f) => Math.round(f.getBoundingClientRect().left)),
      );
      if (lefts.size > 1) problems.push(`${describe(lab)}: controls in ${lefts.size} columns`);
      for (const control of lab.querySelectorAll('input, select, button, canvas')) {
        if (control.getClientRects().length > 0 && !onScreen(control)) problems.push(`${describe(control)} leaves the screen`);
      }
    }
    return problems;
  }, PHONE.width);
}

/** The plot heights of a lab's charts (inside the axes), as its host records them. */
export function plotHeights(page: Page, lab: string): Promise<number[]> {
  return page
    .locator(`${lab} .lab-figure canvas`)
    .evaluateAll((canvases) => canvases.map((canvas) => Number((canvas as HTMLCanvasElement).dataset['plotHeight'] ?? '0')));
}
