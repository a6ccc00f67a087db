/**
 * What an instructor sees when a lesson is wrong: `astro build` on a copy of the
 * project, with one broken lesson added, must fail with the file and a message that
 * says what is allowed. (A lab added as one folder, which builds, is checked in the
 * structure build of tests/site/course-structure.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { labFiles } from '../../scripts/new-lab';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellEnv } from './shell-env';

const ROOT = resolve(import.meta.dirname, '../..');
/** Each build stops early, but the machine may be busy. */
const BUILD_BUDGET = 600_000;
let copy: string;

beforeAll(() => {
  // Inside the project, so that packages resolve from its node_modules as they would
  // for an instructor (a symlinked node_modules confuses Astro's compiler cache).
  mkdirSync(join(ROOT, '.build-test'), { recursive: true });
  copy = mkdtempSync(join(ROOT, '.build-test', 'copy-'));
  for (const entry of ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'labs', 'content', 'public']) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function build(): { status: number | null; output: string } {
  const result = spawnSync('npx', ['astro', 'build'], {
    cwd: copy,
    env: { ...shellEnv(), NODE_ENV: 'production', OUT_DIR: './dist', BASE_PATH: '/' },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function buildWith(lesson: string): { status: number | null; output: string } {
  const path = join(copy, 'content/lessons/broken-lesson.mdx');
  writeFileSync(path, lesson);
  try {
    return build();
  } finally {
    rmSync(path);
  }
}

const frontmatter = '---\ntitle: A broken lesson\ndescription: For the test.\norder: 50\nobjectives:\n  - Fail the build.\n---\n';

describe('a lesson with every mistake an instructor makes in it', () => {
  // One build reports every problem of a lesson at once, each with its line: one build
  // checks them all, a test each.
  const lesson =
    `${frontmatter}\nimport Lab from '../../src/components/Lab.astro';\nimport LabValue from '../../src/components/LabValue.astro';\nimport Claim from '../../src/components/Claim.astro';\n\n` +
    `<Lab id="churn" case="memoryless" />\n\n` +
    `<Lab id="churn" preset="memoryles" />\n\n` +
    `Break-even at <LabValue lab="cost" output="breakEven" presets={{ users: 3 }} /> users.\n\n` +
    `<Claim lab="churn" source="me">Peers leave.</Claim>\n\n` +
    `<Lab id="file-distrib" />\n\n` +
    `<Lab id="file-distribution" preset={{ nodes: 10 }} />\n\n` +
    `<Lab id="file-distribution" preset={{ chunks: 999 }} />\n`;
  let result: { status: number | null; output: string };
  beforeAll(() => {
    result = buildWith(lesson);
  }, BUILD_BUDGET);

  it('fails the build at the first problem, with the file, line and column', () => {
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/content\/lessons\/broken-lesson\.mdx:13:1/);
    expect(result.output).toMatch(/<Lab> has no prop "case"; its props are id, preset, name, title\./);
  });

  it('props a component does not take, and a preset name that does not exist, listing what is allowed', () => {
    expect(result.output).toMatch(
      /line 15: <Lab>: the churn lab has no preset "memoryles"; its presets are "five-copies-vs-server", "memoryless"/,
    );
    expect(result.output).toMatch(
      /line 17: <LabValue> has no prop "presets"; its props are lab, preset, series, at, output, seed, format, unit\./,
    );
    expect(result.output).toMatch(/line 19: <Claim> has no prop "source"; its props are lab\./);
  });

  it('an unknown lab id, listing the labs', () => {
    expect(result.output).toMatch(/line 21: .*there is no lab "file-distrib"\. The labs are: .*file-distribution/);
  });

  it('an unknown parameter in a preset, listing the parameters', () => {
    expect(result.output).toMatch(/line 23: .*"nodes" is not a parameter of the file-distribution lab; its parameters are peers/);
  });

  it('a preset value out of range, with the range', () => {
    expect(result.output).toMatch(/line 25: .*Chunks per file must be a whole number from 1 to 256 chunks; 999 is out of range/);
  });
});

describe('mistakes outside a lesson', () => {
  it(
    'a lab folder missing a piece, named with the piece',
    () => {
      const folder = join(copy, 'labs/half-lab');
      mkdirSync(folder);
      const files = labFiles('half-lab');
      writeFileSync(join(folder, 'manifest.ts'), files['manifest.ts']!);
      writeFileSync(join(folder, 'model.ts'), files['model.ts']!);
      try {
        const { status, output } = build();
        expect(status).not.toBe(0);
        expect(output).toMatch(/labs\/half-lab\/ has no worker\.ts: every lab folder needs worker\.ts/);
        expect(output).toMatch(/labs\/half-lab\/ has no model\.test\.ts/);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    BUILD_BUDGET,
  );

  it(
    'bad frontmatter, naming the lesson and the missing fields',
    () => {
      const { status, output } = buildWith('---\ntitle: No order\ndescription: Missing fields.\n---\n\nText.\n');
      expect(status).not.toBe(0);
      expect(output).toMatch(/broken-lesson/);
      expect(output).toMatch(/order/);
      expect(output).toMatch(/objectives/);
    },
    BUILD_BUDGET,
  );
});
