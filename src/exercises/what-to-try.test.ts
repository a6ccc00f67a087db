import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelValue, type ModelValueQuery } from '../authoring/model-value';

/**
 * The questions inside each lab lesson's "What to try" list: every lesson has at least one,
 * and each answer, computed by the lab's model as the page computes it, agrees with the
 * closed form its worked solution derives, so that a model or a question that drifted apart
 * is caught. `within` is relative unless `absolute` is set (in the answer's unit).
 */
const CLOSED_FORMS: Record<string, { value: (read: (query: ModelValueQuery) => number) => number; within: number; absolute?: true }> = {
  'one-piece-leave': { value: () => (1000 * 15000) / 30, within: 0.02 },
  'data-centre-crossover': { value: () => 10000 / 2, within: 1e-9 },
  'copies-for-two-servers': {
    // The fewest copies on peers online half the time that are missing no more often than two servers.
    value: (read) => {
      const server = read({ lab: 'churn', output: 'serverAvailability' }) / 100;
      let copies = 1;
      while (0.5 ** copies > (1 - server) ** 2) copies++;
      return copies;
    },
    within: 1e-9,
  },
  'rarely-online-formula': { value: () => (1 - 0.8 ** 5) * 100, within: 1e-9 },
  'flood-reach-degree-8': { value: () => 8 * (1 + 7 + 49 + 343 + 2401), within: 1e-9 },
  'chord-hops-million': { value: () => Math.log2(1e6) / 2, within: 0.05 },
  'sybils-one-route': {
    value: () => (1 - (1 - 1000 / 11000) ** (Math.log2(11000) / 2 + 1)) * 100,
    within: 5,
    absolute: true,
  },
  'sixteen-routes-formula': {
    value: (read) => {
      const hops = read({ lab: 'security', preset: { routes: 16, maliciousFraction: 0.1 }, output: 'routeNodes' });
      return (1 - (1 - 0.9 ** hops) ** 16) * 100;
    },
    within: 1e-9,
  },
  'long-queue-wait': { value: () => (4 + 5000) / (4 * 25), within: 0.05 },
  'slow-lookup-response': { value: () => (0.5 + Math.log2(5000) / 2) * 0.5 + 1 / (5 - 0.1 / 0.5), within: 0.05 },
  'giant-at-c-1-5': {
    value: () => {
      let share = 0.5;
      for (let i = 0; i < 200; i++) share = 1 - Math.exp(-1.5 * share);
      return share * 100;
    },
    within: 2,
    absolute: true,
  },
  'cheap-bandwidth-break-even': {
    value: () => (3000 + 50 - 500) / (0.002 * 2 + (150 / 1000) * 3 * ((8000 * 2) / 2592000)),
    within: 0.02,
  },
  'free-egress-cs-cost': { value: () => 500 + 150 * Math.ceil((3 * 1e6 * ((8000 * 20) / 2592000)) / 1000), within: 1e-9 },
};

const LAB_LESSONS = ['file-distribution', 'server-load', 'churn', 'lookup', 'security', 'connectivity', 'cost'];

/** The questions between a lesson's "## What to try" and its verdict, with their answerFrom as written. */
function whatToTryQuestions(lesson: string): Array<{ id: string; query: ModelValueQuery }> {
  const text = readFileSync(new URL(`../../content/lessons/${lesson}.mdx`, import.meta.url), 'utf8');
  const start = text.indexOf('## What to try');
  const end = text.indexOf('<Aside type="note" title="Verdict">', start);
  const section = text.slice(start, end);
  return [...section.matchAll(/<NumericQuestion\s+id="([^"]+)"\s+answerFrom=\{(\{[^\n]*\})\}/g)].map(([, id, literal]) => ({
    id: id as string,
    // The object literal exactly as the lesson passes it to the component.
    query: new Function(`return (${literal as string});`)() as ModelValueQuery,
  }));
}

describe('questions in What to try', () => {
  it.each(LAB_LESSONS)('%s has at least one, each answered by its model as its worked solution derives', (lesson) => {
    const questions = whatToTryQuestions(lesson);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const { id, query } of questions) {
      const form = CLOSED_FORMS[id];
      expect(form, `${lesson}: no closed form for ${id}`).toBeDefined();
      if (!form) continue;
      const answer = modelValue(query);
      const expected = form.value((q) => modelValue(q));
      const margin = form.absolute ? form.within : form.within * Math.abs(expected);
      expect(Math.abs(answer - expected), `${id}: the model gives ${answer}, the closed form ${expected}`).toBeLessThanOrEqual(margin);
    }
  });
});
