/**
 * What an instructor sees when a lesson is wrong: `astro build` on a copy of the
 * project, with one broken lesson added, must fail with the file and a message that
 * says what is allowed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createLesson } from '../../scripts/new-lesson';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
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

function buildWith(lesson: string): { status: number | null; output: string } {
  const path = join(copy, 'content/lessons/broken-lesson.mdx');
  writeFileSync(path, lesson);
  try {
    const result = spawnSync('npx', ['astro', 'build'], {
      cwd: copy,
      env: { ...process.env, NODE_ENV: 'production', OUT_DIR: './dist', BASE_PATH: '/' },
      encoding: 'utf8',
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(path);
  }
}

const frontmatter = '---\ntitle: A broken lesson\ndescription: For the test.\norder: 50\nobjectives:\n  - Fail the build.\n---\n';
const withLab = (tag: string) => `${frontmatter}\nimport Lab from '../../src/components/Lab.astro';\n\nSome text.\n\n${tag}\n`;

describe('a scaffolded lesson', () => {
  it('builds and appears in the site', () => {
    const path = createLesson({ title: 'Flash crowds: a first look', dir: join(copy, 'content/lessons') });
    try {
      const result = spawnSync('npx', ['astro', 'build'], {
        cwd: copy,
        env: { ...process.env, NODE_ENV: 'production', OUT_DIR: './dist', BASE_PATH: '/' },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const html = readFileSync(join(copy, 'dist/lessons/flash-crowds-a-first-look/index.html'), 'utf8');
      expect(html).toContain('Flash crowds: a first look');
    } finally {
      rmSync(path);
    }
  });
});

describe('build errors name the lesson and say what is allowed', () => {
  it('an unknown lab id', () => {
    const { status, output } = buildWith(withLab('<Lab id="file-distrib" />'));
    expect(status).not.toBe(0);
    expect(output).toMatch(/content\/lessons\/broken-lesson\.mdx:13:1/);
    expect(output).toMatch(/there is no lab "file-distrib"\. The labs are: file-distribution/);
  });

  it('an unknown parameter in a preset', () => {
    const { status, output } = buildWith(withLab('<Lab id="file-distribution" preset={{ nodes: 10 }} />'));
    expect(status).not.toBe(0);
    expect(output).toMatch(/broken-lesson\.mdx:13:1/);
    expect(output).toMatch(/"nodes" is not a parameter of the file-distribution lab; its parameters are peers/);
  });

  it('a preset value out of range', () => {
    const { status, output } = buildWith(withLab('<Lab id="file-distribution" preset={{ chunks: 999 }} />'));
    expect(status).not.toBe(0);
    expect(output).toMatch(/broken-lesson\.mdx:13:1/);
    expect(output).toMatch(/Chunks per file must be a whole number from 1 to 256 chunks; 999 is out of range/);
  });

  it('bad frontmatter', () => {
    const { status, output } = buildWith('---\ntitle: No order\ndescription: Missing fields.\n---\n\nText.\n');
    expect(status).not.toBe(0);
    expect(output).toMatch(/broken-lesson/);
    expect(output).toMatch(/order/);
    expect(output).toMatch(/objectives/);
  });
});
