import { describe, expect, it } from 'vitest';
import { claimSource, manifests } from './manifests';
import { courseOrder, missingPieces, teachingLessons } from './discover';
import { models } from './models';
import { workerFactories } from './workers';
import { defaults, validateParams, checkParam, checkSeed } from './kernel/manifest';
import { sweepOf, taskSeed } from './kernel/model';

describe('the lab registry', () => {
  it('lists each lab once, with a model and a worker for every manifest', () => {
    const ids = manifests.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(models.map((m) => m.manifest.id)).toEqual(ids);
    expect(Object.keys(workerFactories).sort()).toEqual([...ids].sort());
  });

  describe.each(manifests.map((m) => [m.id, m] as const))('%s manifest', (_id, manifest) => {
    it('has parameters whose defaults are valid and whose ranges make sense', () => {
      const names = manifest.params.map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toContain('seed');
      for (const param of manifest.params) {
        if (param.kind === 'choice') {
          expect(param.options.map((o) => o.value)).toContain(param.default);
        } else {
          expect(param.min).toBeLessThan(param.max);
          expect(param.step).toBeGreaterThan(0);
          expect(param.unit).toBeTypeOf('string');
        }
        expect(checkParam(param, param.default)).toEqual({ value: param.default });
      }
      expect(validateParams(manifest, defaults(manifest)).errors).toEqual({});
    });

    it('has presets that validate and charts whose series keys are unique', () => {
      for (const preset of manifest.presets ?? []) expect(validateParams(manifest, preset.values).errors).toEqual({});
      for (const chart of manifest.charts) {
        const keys = chart.series.map((s) => s.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(chart.series.some((s) => s.role === 'simulated')).toBe(true);
      }
      expect(manifest.claims.length).toBeGreaterThan(0);
    });

    it('returns every series and key number it declares, for its smallest bench case', () => {
      const model = models.find((m) => m.manifest.id === manifest.id)!;
      const { values } = validateParams(manifest, model.benchCases[0]!.params);
      const result = model.run(values, { seed: 1, progress: () => {} });
      for (const chart of manifest.charts) for (const series of chart.series) expect(result.series, series.key).toHaveProperty(series.key);
      const outputKeys = (manifest.outputs ?? []).map((o) => o.key);
      expect(new Set(outputKeys).size).toBe(outputKeys.length);
      for (const key of outputKeys) expect(typeof result.outputs?.[key], key).toBe('number');
      expect(Object.keys(result.outputs ?? {}).sort()).toEqual([...outputKeys].sort());
    });

    it('gives the same result from its tasks run in any order, as the page’s pool of workers runs them', () => {
      const model = models.find((m) => m.manifest.id === manifest.id)!;
      const { values } = validateParams(manifest, model.benchCases[0]!.params);
      const sweep = sweepOf(model);
      const tasks = sweep.plan(values);
      expect(tasks.length).toBeGreaterThan(0);
      for (const task of tasks) expect(task.weight).toBeGreaterThan(0);
      const parts: unknown[] = new Array(tasks.length);
      // Last task first, each through a structured clone, as results cross from a worker.
      for (let index = tasks.length - 1; index >= 0; index--) {
        parts[index] = structuredClone(sweep.runTask(values, tasks[index]!.task, { seed: taskSeed(3, index), progress: () => {} }));
      }
      const whole = model.run(values, { seed: 3, progress: () => {} });
      const assembled = sweep.assemble(values, parts, 3);
      const { network: _network, ...expected } = whole;
      const { network: _assembledNetwork, ...actual } = assembled;
      expect(actual).toEqual(expected);
      // While a run streams, a result with holes must still assemble.
      if (tasks.length > 1)
        expect(() =>
          sweep.assemble(
            values,
            parts.map((part, index) => (index % 2 === 0 ? part : undefined)),
            3,
          ),
        ).not.toThrow();
    });

    it('quotes claims that appear word for word in the article, or gives the source of the instructor’s own', async () => {
      const { readFileSync } = await import('node:fs');
      const article = readFileSync(new URL('../tests/fixtures/client-server-vs-peer-to-peer.txt', import.meta.url), 'utf8').replace(
        /\s+/g,
        ' ',
      );
      for (const claim of manifest.claims) {
        const source = claimSource(manifest.id, claim);
        if (source === undefined) expect(article, `"${claim}" is not in the article; give it a source in claimSources`).toContain(claim);
        else expect(source.trim().length, `the source of "${claim}"`).toBeGreaterThan(5);
      }
    });
  });
});

describe('labs found as folders', () => {
  it('names each folder and each piece it lacks', () => {
    const folders = new Map([
      ['complete', new Set(['manifest.ts', 'model.ts', 'worker.ts', 'model.test.ts'])],
      ['half', new Set(['manifest.ts', 'model.ts'])],
      ['kernel', new Set(['manifest.ts', 'model.ts'])],
      ['not-a-lab', new Set<string>()],
    ]);
    expect(missingPieces(folders)).toEqual([
      'labs/half/ has no worker.ts: every lab folder needs worker.ts, its worker: exposeModel(model) from ../kernel/expose.',
      'labs/half/ has no model.test.ts: every lab folder needs model.test.ts, the tests of its model.',
    ]);
  });

  it('finds the lesson that teaches each lab, skipping drafts, and orders labs by it', () => {
    const lessons = teachingLessons({
      '/content/lessons/week-2/Queues Later.mdx': '---\ntitle: Q\norder: 3\n---\n<Lab id="server-load" />\n<Lab id="churn" />',
      '/content/lessons/intro.mdx': '---\ntitle: I\norder: 1\n---\nNo lab here.',
      '/content/lessons/churn.mdx': '---\ntitle: C\norder: 2\n---\n\n<Lab\n  id="churn"\n  preset="memoryless"\n/>',
      '/content/lessons/draft.mdx': '---\ntitle: D\norder: 0\ndraft: true\n---\n<Lab id="cost" />',
    });
    expect(Object.fromEntries(lessons)).toEqual({
      churn: { path: 'lessons/churn/', order: 2 },
      'server-load': { path: 'lessons/week-2/queues-later/', order: 3 },
    });
    expect(courseOrder(['cost', 'server-load', 'churn', 'aardvark'], lessons)).toEqual(['churn', 'server-load', 'aardvark', 'cost']);
  });

  it('orders the course’s labs by the lessons that teach them', () => {
    expect(manifests.map((m) => m.id).slice(0, 3)).toEqual(['file-distribution', 'server-load', 'churn']);
  });
});

describe('parameter validation', () => {
  const manifest = manifests.find((m) => m.id === 'file-distribution')!;
  const numeric = manifest.params.find((p) => p.kind === 'integer')!;

  it.each([
    ['', /needs a value/],
    ['abc', /must be a number/],
    ['0x10', /must be a number/],
    ['0b11', /must be a number/],
    ['1_000', /must be a number/],
    ['NaN', /must be a number/],
    ['Infinity', /must be a number/],
    ['2.5', /whole number/],
    ['-1', /out of range/],
    ['1e9', /out of range/],
  ])('rejects %j with a message', (raw, message) => {
    const checked = checkParam(numeric, raw);
    expect('error' in checked && checked.error).toMatch(message);
  });

  it('echoes at most 40 characters of a bad value, however long', () => {
    const checked = checkParam(numeric, 'x'.repeat(10_000));
    expect('error' in checked && checked.error.length).toBeLessThan(200);
    const choice = manifest.params.find((p) => p.kind === 'choice')!;
    const badChoice = checkParam(choice, 'y'.repeat(10_000));
    expect('error' in badChoice && badChoice.error.length).toBeLessThan(300);
  });

  it('takes decimal numbers as people write them', () => {
    expect(checkParam(numeric, '1e3')).toEqual({ value: 1000 });
    expect(checkParam(numeric, '+20')).toEqual({ value: 20 });
    expect(checkSeed('0x10')).toHaveProperty('error');
    expect(checkSeed(' 12 ')).toEqual({ value: 12 });
  });

  it('accepts every value within range, with surrounding spaces', () => {
    for (let i = 0; i < 200; i++) {
      if (numeric.kind === 'choice') break;
      const value = Math.round(numeric.min + ((numeric.max - numeric.min) * i) / 199);
      expect(checkParam(numeric, ` ${value} `)).toEqual({ value });
    }
  });

  it('names the unknown parameter and the allowed ones', () => {
    const { errors } = validateParams(manifest, { peerz: 3 });
    expect(errors['peerz']).toMatch(/"peerz" is not a parameter of the file-distribution lab; its parameters are peers, /);
  });
});
