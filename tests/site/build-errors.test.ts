/**
 * What an instructor sees when a lesson is wrong: `astro build` on a copy of the
 * project, with one broken lesson added, must fail with the file and a message that
 * says what is allowed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createLesson } from '../../scripts/new-lesson';
import { labFiles } from '../../scripts/new-lab';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellEnv } from './shell-env';

const ROOT = resolve(import.meta.dirname, '../..');
/** Each test builds the site (one also runs the new lab's tests): minutes on a busy machine. */
const BUILD_BUDGET = 600_000;
let copy: string;

beforeAll(() => {
  // Inside the project, so that packages resolve from its node_modules as they would
  // for an instructor (a symlinked node_modules confuses Astro's compiler cache).
  mkdirSync(join(ROOT, '.build-test'), { recursive: true });
  copy = mkdtempSync(join(ROOT, '.build-test', 'copy-'));
  for (const entry of [
    'astro.config.mjs',
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
    'src',
    'labs',
    'content',
    'public',
    'tests/fixtures',
  ]) {
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

describe('a scaffolded lesson, and a lab added as one folder', () => {
  it(
    'builds: the lesson appears, the new lab gets its pages, runs its tests, and a lesson uses it by preset name',
    () => {
      const path = createLesson({ title: 'Flash crowds: a first look', dir: join(copy, 'content/lessons') });
      // `npm run new-lab -- flash-crowd`, as an instructor runs it, into the copy.
      const scaffold = spawnSync('npx', ['tsx', join(ROOT, 'scripts/new-lab.ts'), 'flash-crowd', '--dir', join(copy, 'labs')], {
        encoding: 'utf8',
      });
      expect(scaffold.status, scaffold.stderr).toBe(0);
      const usesLab = join(copy, 'content/lessons/uses-flash-crowd.mdx');
      writeFileSync(
        usesLab,
        `${frontmatter.replace('order: 50', 'order: 60')}\nimport Lab from '../../src/components/Lab.astro';\nimport LabValue from '../../src/components/LabValue.astro';\n\n` +
          `One client alone takes\n<LabValue lab="flash-crowd" preset={{ clients: 1 }} series="formula" format="duration" />\nto be served.\n\n` +
          `<Lab id="flash-crowd" preset="one-client" />\n`,
      );
      try {
        // Its own tests, the registry's and the property tests cover the new lab, as written.
        const tests = spawnSync(
          'npx',
          [
            'vitest',
            'run',
            '--project',
            'unit',
            'labs/flash-crowd',
            'labs/registry.test.ts',
            'labs/properties.test.ts',
            '-t',
            'flash-crowd',
          ],
          { cwd: copy, encoding: 'utf8', env: { ...shellEnv(), PROPERTY_RUNS: '10' } },
        );
        expect(tests.status, `${tests.stdout}\n${tests.stderr}`).toBe(0);
        const report = stripVTControlCharacters(tests.stdout); // without the terminal's colours
        expect(report).toMatch(/labs\/flash-crowd\/model\.test\.ts \(3 tests\)/);
        expect(report).toMatch(/labs\/properties\.test\.ts \(\d+ tests \| \d+ skipped\)/);
        expect(report).toMatch(/labs\/registry\.test\.ts \(\d+ tests \| \d+ skipped\)/);

        const result = build();
        expect(result.status, result.output).toBe(0);
        const html = readFileSync(join(copy, 'dist/lessons/flash-crowds-a-first-look/index.html'), 'utf8');
        expect(html).toContain('Flash crowds: a first look');

        // The lab's page, its embed page and its gallery card, with the lesson that embeds it.
        expect(readFileSync(join(copy, 'dist/labs/flash-crowd/index.html'), 'utf8')).toContain('data-lab="flash-crowd"');
        expect(existsSync(join(copy, 'dist/embed/flash-crowd/index.html'))).toBe(true);
        const gallery = readFileSync(join(copy, 'dist/labs/index.html'), 'utf8');
        expect(gallery).toMatch(/data-lab-card="flash-crowd"[\s\S]*?href="\/lessons\/uses-flash-crowd\/" data-lab-lesson/);
        expect(gallery).toContain('the instructor’s claim; source: Kurose &amp; Ross');

        const lesson = readFileSync(join(copy, 'dist/lessons/uses-flash-crowd/index.html'), 'utf8');
        // The named preset starts the lab: one client.
        expect(lesson).toMatch(/data-lab="flash-crowd"[^>]*data-start="\{&quot;clients&quot;:1\}"/);
        // The value on its own line stays inside its sentence: one paragraph.
        expect(lesson).toMatch(/<p>One client alone takes\s*<span class="lab-value[^"]*"[^>]*>10 s<\/span>\s*to be served\.<\/p>/);
      } finally {
        rmSync(path);
        rmSync(usesLab);
        rmSync(join(copy, 'labs/flash-crowd'), { recursive: true, force: true });
      }
    },
    BUILD_BUDGET,
  );
});

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
