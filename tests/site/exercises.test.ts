/**
 * The exercises on the instructors' guide page, in the built static site: multiple
 * choice, numeric answers (typed and computed from a lab), predict-then-run against
 * a live lab, answers kept across a reload, reset, keyboard use, storage that fails,
 * and axe on the answered states in both themes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launch, newPage, openTables, seriousAxeIssues, watch, WCAG_AA, type PageProblems } from './browser';
import { SITE } from './config';
import { drawVariant, formatVariantValue, type VariantConfig } from '../../src/exercises/variants';
import { formatOutcome, roundAnswer } from '../../src/exercises/answers';
import { modelValue } from '../../src/authoring/model-value';

const GUIDE = `${SITE}instructors/exercises/`;
const ex = (id: string) => `[data-exercise="${id}"]`;
const EXERCISES = [
  'server-bottleneck',
  'p2p-bound-terms',
  'cs-bound-100',
  'p2p-bound-100',
  'p2p-bound-variant',
  'swarm-time-1000',
  'cs-sim-100',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('[data-exercise], [data-exercise-progress]')];
    return all.length > 0 && all.every((element) => element.hasAttribute('data-exercise-ready'));
  });
}

async function openGuide(options: BrowserContextOptions = {}): Promise<{ page: Page; problems: PageProblems }> {
  const page = await newPage(browser, options);
  const problems = watch(page);
  await page.goto(GUIDE);
  await waitReady(page);
  return { page, problems };
}

const exercise = (page: Page, id: string) => page.locator(ex(id));
const feedback = async (page: Page, id: string) => (await page.locator(`${ex(id)} [data-feedback]`).textContent()) ?? '';
const status = (page: Page, id: string) => exercise(page, id).getAttribute('data-exercise-status');
const progressText = async (page: Page) => (await page.locator('[data-progress-text]').first().textContent()) ?? '';

async function choose(page: Page, id: string, label: string): Promise<void> {
  await exercise(page, id).getByLabel(label, { exact: true }).check();
}

async function check(page: Page, id: string): Promise<void> {
  await exercise(page, id).getByRole('button', { name: 'Check' }).click();
}

async function answer(page: Page, id: string, text: string): Promise<void> {
  await exercise(page, id)
    .getByLabel(/^Your answer/)
    .fill(text);
  await check(page, id);
}

/** Locks a prediction in and waits for the verdict, which needs the lab's worker to finish. */
async function lockInAndRun(page: Page, id: string): Promise<string> {
  await exercise(page, id).getByRole('button', { name: 'Lock in and run' }).click();
  await page.waitForFunction(
    (selector) => /Your prediction was right|Not this time/.test(document.querySelector(selector)?.textContent ?? ''),
    `${ex(id)} [data-feedback]`,
    { timeout: 45_000 },
  );
  return feedback(page, id);
}

describe('multiple choice', () => {
  it('gives feedback for a wrong answer, then for the right one, with ✓/✗ text and not colour alone', async () => {
    const { page, problems } = await openGuide();
    const id = 'server-bottleneck';
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/Choose an answer first/);
    expect(await status(page, id)).toBe('');

    await choose(page, id, '30 peers');
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/^✗ Not quite/);
    expect(await feedback(page, id)).toMatch(/divide it by each peer’s download rate/);
    expect(await status(page, id)).toBe('incorrect');
    expect(await page.locator(`${ex(id)} [data-mark="2"]`).textContent()).toBe('✗ wrong');

    await choose(page, id, '15 peers');
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/^✓ Correct\./);
    expect(await feedback(page, id)).toMatch(/u_s\/d = 30\/2 = 15/);
    expect(await status(page, id)).toBe('correct');
    expect(await page.locator(`${ex(id)} [data-mark="1"]`).textContent()).toBe('✓ right');
    // The mark describes its option to a screen reader.
    const described = await exercise(page, id).getByLabel('15 peers', { exact: true }).getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).textContent()).toBe('✓ right');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('marks a choose-all question right only when every right option and no other is chosen', async () => {
    const { page, problems } = await openGuide();
    const id = 'p2p-bound-terms';
    expect(await exercise(page, id).locator('input[type="checkbox"]').count()).toBe(4);
    await exercise(page, id)
      .getByLabel(/^F\/u_s/)
      .check();
    await exercise(page, id)
      .getByLabel(/^F\/d_min/)
      .check();
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/✗ Not quite: you chose 2 right, and missed one\./);
    await exercise(page, id)
      .getByLabel(/^NF\/u_s/)
      .check();
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/you chose 2 right and 1 wrong, and missed one/);
    expect(await feedback(page, id)).toMatch(/That is the client-server term/);
    await exercise(page, id)
      .getByLabel(/^NF\/u_s/)
      .uncheck();
    await exercise(page, id)
      .getByLabel(/^NF\/\(u_s/)
      .check();
    await check(page, id);
    expect(await feedback(page, id)).toMatch(/^✓ Correct\./);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('works from the keyboard alone, hint included', async () => {
    const { page } = await openGuide();
    const id = 'server-bottleneck';
    await exercise(page, id).getByLabel('2 peers', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await exercise(page, id).getByLabel('15 peers', { exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check');
    await page.keyboard.press('Enter');
    expect(await feedback(page, id)).toMatch(/^✓ Correct/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Hint');
    await page.keyboard.press('Enter');
    expect(await exercise(page, id).locator('details').getAttribute('open')).not.toBeNull();
    expect(await exercise(page, id).locator('details').innerText()).toMatch(/max\(NF\/u_s, F\/d\)/);

    // A numeric answer: type, then Enter submits it.
    await exercise(page, 'cs-bound-100')
      .getByLabel(/^Your answer/)
      .focus();
    await page.keyboard.type('50000');
    await page.keyboard.press('Enter');
    expect(await feedback(page, 'cs-bound-100')).toMatch(/^✓ Correct/);
    await page.close();
  });
});

describe('numeric questions', () => {
  it('accepts an answer within the tolerance, rejects one outside, and explains bad input beside the field', async () => {
    const { page, problems } = await openGuide();
    const id = 'cs-bound-100';
    const input = exercise(page, id).getByLabel(/^Your answer/);
    expect(await exercise(page, id).innerText()).toMatch(/within 5%/);

    await answer(page, id, '52,000');
    expect(await feedback(page, id)).toMatch(/^✓ Correct: the answer is 50,000 s\./);
    expect(await feedback(page, id)).toMatch(/almost 14 hours/);
    expect(await status(page, id)).toBe('correct');

    await answer(page, id, '5.3e4');
    expect(await feedback(page, id)).toMatch(/^✗ Not within 5% of the answer: yours is too high\./);
    expect(await feedback(page, id)).toMatch(/Check the units/);
    expect(await status(page, id)).toBe('incorrect');

    await answer(page, id, '46000 s');
    expect(await feedback(page, id)).toMatch(/yours is too low/);

    await answer(page, id, 'fifty thousand');
    const message = page.locator(`${ex(id)} [data-error]`);
    expect(await message.textContent()).toMatch(/“fifty thousand” is not a number/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(await message.getAttribute('id'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-input'))).toBe('');
    // The last verdict stays; the message goes once the student types again.
    expect(await status(page, id)).toBe('incorrect');
    await answer(page, id, '50,0');
    expect(await message.textContent()).toMatch(/point for decimals/);
    await input.fill('50000');
    expect(await message.textContent()).toBe('');
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('checks against an answer computed from the lab’s model at build time, and shows it on request', async () => {
    const { page, problems } = await openGuide();
    const id = 'p2p-bound-100';
    // max(F/u_s, F/d, NF/(u_s + N u)) = 1,500,000 / (30 + 70) = 15,000 s with the textbook values.
    expect(await exercise(page, id).getAttribute('data-answer')).toBe('15000');
    await exercise(page, id).getByRole('button', { name: 'Show answer' }).click();
    expect(await feedback(page, id)).toBe('The answer is 15,000 s.');
    expect(await status(page, id)).toBe('');
    await answer(page, id, '1.5e4');
    expect(await feedback(page, id)).toMatch(/^✓ Correct: the answer is 15,000 s\./);
    await answer(page, id, '50,000');
    expect(await feedback(page, id)).toMatch(/✗ .*too high.*The answer is 15,000 s\./);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('numbers of each student’s own', () => {
  it('draws a seed’s numbers, checks an answer against the model’s for them, and keeps the seed across a reload', async () => {
    const { page, problems } = await openGuide();
    const id = 'p2p-bound-variant';
    const question = exercise(page, id);
    const shown = async () => ({
      peers: await question.locator('[data-variant-value="peers"]').textContent(),
      peerUpload: await question.locator('[data-variant-value="peerUpload"]').textContent(),
    });
    const seedField = page.getByLabel('Your student number, or any word');
    const computed = () =>
      page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-variant-state') === 'ready', ex(id), {
        timeout: 45_000,
      });

    // Without a seed, the standard numbers and their answer from the build: 1,500,000 / (30 + 70) s.
    expect(await shown()).toEqual({ peers: '100', peerUpload: '0.7' });
    expect(await question.getAttribute('data-answer')).toBe('15000');

    // The numbers and answer a seed gives, worked out here in Node by the same draw and the lab's model.
    const config = JSON.parse((await question.getAttribute('data-variant')) as string) as VariantConfig;
    const values = { ...config.base, ...drawVariant(config.varied, 'S2071234') };
    expect(values['peers']).not.toBe(100);
    const right = roundAnswer(modelValue({ lab: config.lab, preset: values, seed: config.seed, ...config.query }));
    expect(right).not.toBeCloseTo(15000, -2);

    await page.locator('[data-variant-seed][data-variant-ready]').waitFor();
    await seedField.fill('S2071234');
    await page.getByRole('button', { name: 'Draw my numbers' }).click();
    expect(await shown()).toEqual({ peers: formatVariantValue(values['peers']!), peerUpload: formatVariantValue(values['peerUpload']!) });
    await computed();
    expect(await question.locator('[data-variant-line]').innerText()).toBe('Variant for seed “S2071234”.');
    expect(await page.locator('[data-variant-seed] [role="status"]').textContent()).toBe(
      'Seed “S2071234”: 1 question now has numbers of your own.',
    );
    await answer(page, id, String(right * 1.2));
    expect(await feedback(page, id)).toMatch(/^✗ Not within 5% of the answer: yours is too high\./);
    await answer(page, id, String(right * 8));
    expect(await page.locator(`${ex(id)} [data-mistake]`).textContent()).toBe('F is already in bits (15 Gbit): no factor of 8 is needed.');
    await answer(page, id, String(right));
    expect(await feedback(page, id)).toMatch(new RegExp(`^✓ Correct: the answer is ${formatOutcome(right, 'number', 's')}\\.`));
    expect(await status(page, id)).toBe('correct');

    // After a reload: the same seed, numbers and verdict.
    await page.reload();
    await waitReady(page);
    expect(await seedField.inputValue()).toBe('S2071234');
    expect(await shown()).toEqual({ peers: formatVariantValue(values['peers']!), peerUpload: formatVariantValue(values['peerUpload']!) });
    await computed();
    expect(await feedback(page, id)).toMatch(/^✓ Correct/);

    // Back to the standard numbers, then a grader types the student's seed as they wrote it: Show answer gives their answer.
    await page.getByRole('button', { name: 'Back to the standard numbers' }).click();
    expect(await shown()).toEqual({ peers: '100', peerUpload: '0.7' });
    expect(await status(page, id)).toBe('');
    await seedField.fill(' s2071234');
    await page.getByRole('button', { name: 'Draw my numbers' }).click();
    await computed();
    await question.getByRole('button', { name: 'Show answer' }).click();
    expect(await feedback(page, id)).toBe(`The answer is ${formatOutcome(right, 'number', 's')}.`);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('predict, then run', () => {
  it('runs the lab with the question’s settings and judges a bucket prediction against the live value', async () => {
    const { page, problems } = await openGuide();
    const id = 'swarm-time-1000';
    await exercise(page, id).getByRole('button', { name: 'Lock in and run' }).click();
    expect(await feedback(page, id)).toMatch(/Choose a prediction first/);

    // The student changes the lab's fields first: the question's settings must still be what runs.
    const lab = page.locator(`${ex(id)} section.lab`);
    await lab.scrollIntoViewIfNeeded();
    await page.locator(`${ex(id)} section.lab[data-ready]`).waitFor();
    await lab.locator('[name="peers"]').fill('50');
    await lab.locator('[name="seed"]').fill('7');
    await choose(page, id, '3 to 12 hours');
    const verdict = await lockInAndRun(page, id);
    expect(verdict).toMatch(
      /^✓ Your prediction was right: the simulated swarm’s time for N = 1,000 came out at [\d.]+ h \([\d,]+ s\), in “3 to 12 hours”\./,
    );
    expect(await lab.getAttribute('data-runs')).toBe('1');
    expect(await lab.locator('[name="peers"]').inputValue()).toBe('1000');
    expect(await lab.locator('[name="seed"]').inputValue()).toBe('1');
    // The live value is the lab's own: the last row of its table, P2P simulated column.
    await openTables(page, `${ex(id)} section.lab`);
    const lastRow = lab.locator('[data-chart="time-vs-peers"] tbody tr').last();
    const cells = await lastRow.locator('th, td').allTextContents();
    expect(cells[0]).toBe('1,000');
    expect(verdict).toContain(`(${cells[4]} s)`);
    expect(await status(page, id)).toBe('correct');
    expect(await exercise(page, id).getByLabel('3 to 12 hours').isDisabled()).toBe(true);

    // Predict again: unlocked, and a wrong bucket is judged wrong.
    await exercise(page, id).getByRole('button', { name: 'Predict again' }).click();
    expect(await status(page, id)).toBe('');
    await choose(page, id, 'more than 3 days');
    const wrong = await lockInAndRun(page, id);
    expect(wrong).toMatch(/^✗ Not this time: you predicted “more than 3 days”, and .* came out at .*, in “3 to 12 hours”\./);
    expect(await status(page, id)).toBe('incorrect');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('judges a numeric prediction within its tolerance, and rejects bad input', async () => {
    const { page, problems } = await openGuide();
    const id = 'cs-sim-100';
    const input = exercise(page, id).getByLabel(/^Your prediction/);
    await input.fill('soon');
    await exercise(page, id).getByRole('button', { name: 'Lock in and run' }).click();
    expect(await page.locator(`${ex(id)} [data-error]`).textContent()).toMatch(/not a number/);
    expect(await page.locator(`${ex(id)} section.lab`).getAttribute('data-runs')).toBeNull();

    // The bound is 50,000 s; the simulation cannot beat it and lands within 10% of it.
    await input.fill('50,000');
    const right = await lockInAndRun(page, id);
    expect(right).toMatch(
      /^✓ Your prediction was right: .* came out at [\d.]+ h \([\d,]+ s\); you predicted 13\.9 h \(50,000 s\), within 10% of it\./,
    );
    expect(await input.getAttribute('readonly')).not.toBeNull();

    await exercise(page, id).getByRole('button', { name: 'Predict again' }).click();
    await input.fill('20000');
    const wrong = await lockInAndRun(page, id);
    expect(wrong).toMatch(/^✗ Not this time: you predicted .*\(20,000 s\).*too low/);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('saved answers', () => {
  it('survive a reload, count in the progress box, and are erased by Reset', async () => {
    const { page, problems } = await openGuide();
    expect(await progressText(page)).toBe('0 of 7 exercises on this page answered correctly.');
    await choose(page, 'server-bottleneck', '15 peers');
    await check(page, 'server-bottleneck');
    await answer(page, 'cs-bound-100', '50,000');
    await answer(page, 'p2p-bound-100', '9000');
    await choose(page, 'swarm-time-1000', '3 to 12 hours');
    const verdict = await lockInAndRun(page, 'swarm-time-1000');
    expect(await progressText(page)).toBe('3 of 7 exercises on this page answered correctly (1 more tried).');
    const keys = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('cs-p2p:exercise:'))
        .sort(),
    );
    expect(keys).toEqual(
      ['cs-bound-100', 'p2p-bound-100', 'server-bottleneck', 'swarm-time-1000'].map(
        (id) => `cs-p2p:exercise:/course/instructors/exercises/:${id}`,
      ),
    );

    await page.reload();
    await waitReady(page);
    expect(await exercise(page, 'server-bottleneck').getByLabel('15 peers', { exact: true }).isChecked()).toBe(true);
    expect(await feedback(page, 'server-bottleneck')).toMatch(/^✓ Correct/);
    expect(
      await exercise(page, 'cs-bound-100')
        .getByLabel(/^Your answer/)
        .inputValue(),
    ).toBe('50,000');
    expect(await feedback(page, 'cs-bound-100')).toMatch(/^✓ Correct/);
    expect(
      await exercise(page, 'p2p-bound-100')
        .getByLabel(/^Your answer/)
        .inputValue(),
    ).toBe('9000');
    expect(await status(page, 'p2p-bound-100')).toBe('incorrect');
    // The prediction and its verdict come back without running the lab again.
    expect(await exercise(page, 'swarm-time-1000').getByLabel('3 to 12 hours').isChecked()).toBe(true);
    expect(await feedback(page, 'swarm-time-1000')).toContain(verdict.split('.')[0] as string);
    expect(await exercise(page, 'swarm-time-1000').getByRole('button', { name: 'Predict again' }).count()).toBe(1);
    expect(await progressText(page)).toBe('3 of 7 exercises on this page answered correctly (1 more tried).');

    // Reset asks first; "Keep them" keeps them.
    await page.getByRole('button', { name: 'Reset my answers' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep them');
    await page.getByRole('button', { name: 'Keep them' }).click();
    expect(await status(page, 'server-bottleneck')).toBe('correct');
    await page.getByRole('button', { name: 'Reset my answers' }).click();
    await page.getByRole('button', { name: 'Yes, erase them' }).click();
    expect(await page.locator('[data-progress-status]').textContent()).toMatch(/erased \(4\)/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reset my answers');
    for (const id of EXERCISES) {
      expect(await status(page, id), id).toBe('');
      expect(await feedback(page, id), id).toBe('');
    }
    expect(await page.locator('[data-exercise] input:checked').count()).toBe(0);
    expect(
      await exercise(page, 'cs-bound-100')
        .getByLabel(/^Your answer/)
        .inputValue(),
    ).toBe('');
    expect(await exercise(page, 'swarm-time-1000').getByLabel('3 to 12 hours').isDisabled()).toBe(false);
    expect(await progressText(page)).toBe('0 of 7 exercises on this page answered correctly.');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('cs-p2p:exercise:')))).toEqual([]);

    await page.reload();
    await waitReady(page);
    expect(await page.locator('[data-exercise] input:checked').count()).toBe(0);
    expect(await status(page, 'server-bottleneck')).toBe('');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  // Private browsing may refuse writes (Safari's old quota of 0), or a policy may hide storage altogether.
  const refusals: Record<string, () => void> = {
    'refuses to write': () => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        // Every write fails, the theme picker's too (tests/site/storage-refused.test.ts covers the rest of the site).
        if (key) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        setItem.call(this, key, value);
      };
    },
    'has no storage': () => {
      Object.defineProperty(window, 'localStorage', { get: () => undefined });
    },
  };
  it.each(Object.keys(refusals))('still works, without saving, when the browser %s', async (name) => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.addInitScript(refusals[name] as () => void);
    await page.goto(GUIDE);
    await waitReady(page);
    await choose(page, 'server-bottleneck', '15 peers');
    await check(page, 'server-bottleneck');
    expect(await feedback(page, 'server-bottleneck')).toMatch(/^✓ Correct/);
    await answer(page, 'cs-bound-100', '50000');
    expect(await progressText(page)).toMatch(/^2 of 7/);
    await page.getByRole('button', { name: 'Reset my answers' }).click();
    await page.getByRole('button', { name: 'Yes, erase them' }).click();
    expect(await page.locator('[data-progress-status]').textContent()).toMatch(/no saved answers/);
    expect(await progressText(page)).toMatch(/^0 of 7/);
    expect(await status(page, 'server-bottleneck')).toBe('');
    // Nothing could be saved, so a reload starts afresh.
    await choose(page, 'server-bottleneck', '15 peers');
    await check(page, 'server-bottleneck');
    await page.reload();
    await waitReady(page);
    expect(await status(page, 'server-bottleneck')).toBe('');
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('passes axe with answered questions in the %s theme', async (colorScheme) => {
    const { page, problems } = await openGuide({ colorScheme });
    await choose(page, 'server-bottleneck', '30 peers');
    await check(page, 'server-bottleneck');
    await exercise(page, 'p2p-bound-terms')
      .getByLabel(/^F\/u_s/)
      .check();
    await check(page, 'p2p-bound-terms');
    await answer(page, 'cs-bound-100', '50000');
    await answer(page, 'p2p-bound-100', 'many');
    await exercise(page, 'p2p-bound-100').getByRole('button', { name: 'Show answer' }).click();
    await exercise(page, 'server-bottleneck').locator('details summary').click();
    await page.getByRole('button', { name: 'Reset my answers' }).click();
    const serious = await seriousAxeIssues(page, { include: ['[data-exercise]', '[data-exercise-progress]'], tags: WCAG_AA });
    expect(serious).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

/** The lab lessons, each with a checkpoint at its end. */
const LAB_LESSONS = ['file-distribution', 'server-load', 'churn', 'lookup', 'security', 'connectivity', 'cost'];

/**
 * Each checkpoint's numeric answer from its closed form, with the question's own numbers,
 * so that a model or a preset that drifted from the question is caught. Server load's
 * answer is simulated, so it is compared with the formula 1 − N* / N within 1%.
 */
const CLOSED_FORMS: Record<string, { id: string; value: number; within: number }> = {
  'file-distribution': { id: 'p2p-bound-50', value: (50 * 15000) / (30 + 50 * 0.7), within: 1e-9 },
  'server-load': { id: 'drops-at-10000', value: (1 - 1000 / 10000) * 100, within: 0.01 },
  churn: { id: 'three-copies', value: (1 - 0.75 ** 3) * 100, within: 1e-9 },
  lookup: { id: 'index-saturation', value: 2000 / 0.1, within: 1e-9 },
  security: { id: 'client-exposure', value: (0.02 + 0.98 * 0.1 * 0.01) * 100, within: 1e-9 },
  connectivity: { id: 'threshold-c5', value: (1 - 1 / 5) * 100, within: 1e-9 },
  cost: {
    id: 'cs-cost-10000',
    value: 500 + 150 * Math.ceil((3 * 10000 * ((8000 * 20) / 2592000)) / 1000) + 0.05 * 10000 * 20,
    within: 1e-9,
  },
};

async function openLesson(lesson: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await newPage(browser);
  const problems = watch(page);
  await page.goto(`${SITE}lessons/${lesson}/`);
  await waitReady(page);
  return { page, problems };
}

const solutionShown = (page: Page, id: string) => page.locator(`${ex(id)} [data-solution]`).isVisible();

describe('checkpoints in the lab lessons', () => {
  it.each(LAB_LESSONS)(
    '%s: a numeric question and a prediction, each answered wrong and right, with feedback and a worked solution',
    async (lesson) => {
      const { page, problems } = await openLesson(lesson);
      const { id, value, within } = CLOSED_FORMS[lesson] as { id: string; value: number; within: number };
      const numeric = exercise(page, id);
      expect(await numeric.getAttribute('data-exercise-kind')).toBe('numeric');
      const answerValue = Number(await numeric.getAttribute('data-answer'));
      expect(Math.abs(answerValue - value)).toBeLessThanOrEqual(within * Math.abs(value));

      // Wrong, by the first likely mistake: the verdict and that mistake's own explanation; no solution yet.
      const mistakes = JSON.parse((await numeric.getAttribute('data-mistakes')) ?? '[]') as Array<{
        value?: number;
        factor?: number;
        feedback: string;
      }>;
      expect(mistakes.length).toBeGreaterThan(0);
      const first = mistakes[0] as { value?: number; factor?: number; feedback: string };
      await answer(page, id, String(first.value ?? answerValue * (first.factor as number)));
      expect(await feedback(page, id)).toMatch(/^✗ Not within [\d.]+% of the answer: yours is too (high|low)\./);
      expect(await page.locator(`${ex(id)} [data-mistake]`).textContent()).toBe(first.feedback);
      expect(await status(page, id)).toBe('incorrect');
      expect(await solutionShown(page, id)).toBe(false);

      // Right: the verdict, and the worked solution with its math.
      await answer(page, id, String(answerValue));
      expect(await feedback(page, id)).toMatch(/^✓ Correct: the answer is .*The worked solution is below\.$/);
      expect(await page.locator(`${ex(id)} [data-mistake]`).count()).toBe(0);
      expect(await solutionShown(page, id)).toBe(true);
      expect(await page.locator(`${ex(id)} [data-solution] .katex`).count()).toBeGreaterThan(0);

      // The prediction: whichever option is tried first, the verdict names where the live value landed;
      // then the landed option is judged right and any other wrong.
      const predict = page.locator('[data-exercise-kind="predict"]');
      expect(await predict.count()).toBeGreaterThanOrEqual(1);
      const predictId = (await predict.first().getAttribute('data-exercise')) as string;
      const labels = await page.locator(`${ex(predictId)} .exercise-option label`).allTextContents();
      expect(await solutionShown(page, predictId)).toBe(false);
      await choose(page, predictId, labels[0] as string);
      const firstVerdict = await lockInAndRun(page, predictId);
      const landed = /, in “([^”]+)”\./.exec(firstVerdict)?.[1];
      expect(labels).toContain(landed);
      expect(await solutionShown(page, predictId)).toBe(true);
      const rightFirst = landed === labels[0];
      expect(firstVerdict.startsWith(rightFirst ? '✓ Your prediction was right' : '✗ Not this time')).toBe(true);
      await exercise(page, predictId).getByRole('button', { name: 'Predict again' }).click();
      expect(await solutionShown(page, predictId)).toBe(false);
      const other = rightFirst ? (labels.find((label) => label !== landed) as string) : (landed as string);
      await choose(page, predictId, other);
      const secondVerdict = await lockInAndRun(page, predictId);
      expect(secondVerdict.startsWith(rightFirst ? '✗ Not this time' : '✓ Your prediction was right')).toBe(true);
      expect(secondVerdict).toContain(`, in “${landed}”.`);
      expect(await exercise(page, predictId).getAttribute('data-exercise-status')).toBe(rightFirst ? 'incorrect' : 'correct');
      expect(await solutionShown(page, predictId)).toBe(true);
      expect(problems.console).toEqual([]);
      await page.close();
    },
  );

  it('accepts an answer in another unit of the same kind, says how it was read, and explains a unit of another kind', async () => {
    const { page, problems } = await openLesson('file-distribution');
    const id = 'p2p-bound-50';
    const input = exercise(page, id).getByLabel(/^Your answer/);
    // The unit and the tolerance stay in view beside the field.
    expect(await page.locator(`${ex(id)} .exercise-unit`).textContent()).toBe('s');
    expect(
      await page
        .locator(`${ex(id)} .exercise-how`)
        .first()
        .textContent(),
    ).toMatch(/within 5% .*another unit of time/);

    await answer(page, id, '192 min');
    expect(await feedback(page, id)).toMatch(/^✓ Correct: the answer is 11,540 s\..*Your answer was read as 192 min = 11,520 s\./);
    await answer(page, id, '3.2 h');
    expect(await feedback(page, id)).toContain('Your answer was read as 3.2 h = 11,520 s.');
    expect(await status(page, id)).toBe('correct');
    await answer(page, id, '1.5 days');
    expect(await feedback(page, id)).toMatch(/^✗ .*too high/);

    await answer(page, id, '3.2 Mbit/s');
    const message = page.locator(`${ex(id)} [data-error]`);
    expect(await message.textContent()).toBe('Mbit/s is a rate; the question asks for a time, in s.');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    // The last verdict stands until a number is checked.
    expect(await status(page, id)).toBe('incorrect');
    await answer(page, id, '2 GB');
    expect(await message.textContent()).toMatch(/^GB is an amount of data; the question asks for a time/);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('shows the worked solution when the answer is revealed', async () => {
    const { page, problems } = await openLesson('churn');
    const id = 'three-copies';
    expect(await solutionShown(page, id)).toBe(false);
    await exercise(page, id).getByRole('button', { name: 'Show answer' }).click();
    expect(await feedback(page, id)).toBe('The answer is 57.81%.The worked solution is below.');
    expect(await solutionShown(page, id)).toBe(true);
    expect(await page.locator(`${ex(id)} [data-solution]`).innerText()).toMatch(/^Worked solution\n/);
    expect(await status(page, id)).toBe('');
    // It stays shown after a reload, as the reveal does.
    await page.reload();
    await waitReady(page);
    expect(await solutionShown(page, id)).toBe(true);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

describe('progress across the course', () => {
  const progressRow = (page: Page, lesson: string) => page.locator(`[data-progress-page="/course/lessons/${lesson}/"]`);

  it('shows on the progress page which lessons’ exercises are done, tried or not started', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(`${SITE}lessons/progress/`);
    await page.locator('[data-course-progress][data-exercise-ready]').waitFor();
    for (const lesson of [...LAB_LESSONS, 'homework-flash-crowd']) {
      expect(await progressRow(page, lesson).locator('[data-progress-cell]').textContent(), lesson).toBe('Not started');
    }
    // Two checkpoint questions and two in What to try.
    expect(await progressRow(page, 'churn').locator('td').first().textContent()).toBe('4');

    // Churn: one right and one wrong; lookup: all right (the prediction's right option is where the lab lands).
    await page.goto(`${SITE}lessons/churn/`);
    await waitReady(page);
    await answer(page, 'three-copies', '57.8%');
    await page.goto(`${SITE}lessons/lookup/`);
    await waitReady(page);
    await answer(page, 'index-saturation', '20,000');
    await answer(page, 'flood-reach-degree-8', '22408');
    await answer(page, 'chord-hops-million', '10 hops');
    await choose(page, 'flood-10000', 'under 10%');
    const verdict = await lockInAndRun(page, 'flood-10000');
    const landed = /, in “([^”]+)”\./.exec(verdict)?.[1] as string;
    await exercise(page, 'flood-10000').getByRole('button', { name: 'Predict again' }).click();
    await choose(page, 'flood-10000', landed);
    expect(await lockInAndRun(page, 'flood-10000')).toMatch(/^✓/);
    await page.goto(`${SITE}lessons/server-load/`);
    await waitReady(page);
    await answer(page, 'drops-at-10000', '10');

    // The lesson's own box links to the course's progress page.
    await page.getByRole('link', { name: 'See your progress across the course' }).first().click();
    await page.locator('[data-course-progress][data-exercise-ready]').waitFor();
    expect(await progressRow(page, 'churn').locator('[data-progress-cell]').textContent()).toBe('1 of 4');
    expect(await progressRow(page, 'lookup').locator('[data-progress-cell]').textContent()).toBe('✓ 4 of 4');
    expect(await progressRow(page, 'lookup').getAttribute('data-progress-state')).toBe('done');
    expect(await progressRow(page, 'server-load').locator('[data-progress-cell]').textContent()).toBe('0 of 4 (1 more tried)');
    expect(await progressRow(page, 'cost').locator('[data-progress-cell]').textContent()).toBe('Not started');
    expect(await page.locator('[data-course-summary]').textContent()).toMatch(/^1 of 8 lessons with exercises done/);

    // Resetting a lesson's answers resets its line.
    await page.goto(`${SITE}lessons/lookup/`);
    await waitReady(page);
    await page.getByRole('button', { name: 'Reset my answers' }).first().click();
    await page.getByRole('button', { name: 'Yes, erase them' }).click();
    await page.goto(`${SITE}lessons/progress/`);
    await page.locator('[data-course-progress][data-exercise-ready]').waitFor();
    expect(await progressRow(page, 'lookup').locator('[data-progress-cell]').textContent()).toBe('Not started');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('does not throw when storage is refused: every lesson reads as not started', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    // The exercises' writes fail, and what was saved cannot be read (Starlight's theme picker keeps its own).
    await page.addInitScript(() => {
      const { getItem, setItem } = Storage.prototype;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        if (key.startsWith('cs-p2p:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        setItem.call(this, key, value);
      };
      Storage.prototype.getItem = function (this: Storage, key: string) {
        if (key.startsWith('cs-p2p:')) throw new DOMException('Storage is blocked.', 'SecurityError');
        return getItem.call(this, key);
      };
    });
    await page.goto(`${SITE}lessons/churn/`);
    await waitReady(page);
    await answer(page, 'three-copies', '57.8');
    expect(await status(page, 'three-copies')).toBe('correct');
    await page.goto(`${SITE}lessons/progress/`);
    await page.locator('[data-course-progress][data-exercise-ready]').waitFor();
    expect(await progressRow(page, 'churn').locator('[data-progress-cell]').textContent()).toBe('Not started');
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
