/**
 * The lesson scaffold: file names, placement after the last lesson, and a file that
 * the site accepts as it is (frontmatter by the collection's own schema, body as MDX).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { courseFields } from '../src/schema';
import {
  createLesson,
  frontmatterOrder,
  HelpRequested,
  lessonTemplate,
  nextOrder,
  parseArgs,
  relativeToLessons,
  slugify,
  USAGE,
} from './new-lesson';

const ROOT = resolve(import.meta.dirname, '..');

/** The collection's schema, built as src/content.config.ts builds it. */
const schema = docsSchema({ extend: courseFields })({ image: () => z.any() } as unknown as SchemaContext);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'new-lesson-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const lesson = (order: number | string) =>
  `---\ntitle: A lesson\ndescription: Text.\norder: ${order}\nobjectives:\n  - One.\n---\n\nBody.\n`;

describe('slugify', () => {
  it('makes a lower-case, hyphenated ASCII file name', () => {
    expect(slugify('Can one server keep up? File distribution')).toBe('can-one-server-keep-up-file-distribution');
    expect(slugify('  Erdős–Rényi overlays  ')).toBe('erdos-renyi-overlays');
    expect(slugify('Peer’s upload & download')).toBe('peers-upload-and-download');
    expect(slugify('Lesson 12: DHTs (Chord)')).toBe('lesson-12-dhts-chord');
  });

  it('is empty for a title with no letters or digits', () => {
    expect(slugify('?!')).toBe('');
  });
});

describe('nextOrder', () => {
  it('is one more than the largest order among the lessons', () => {
    writeFileSync(join(dir, 'a.mdx'), lesson(4));
    writeFileSync(join(dir, 'b.mdx'), lesson(12));
    writeFileSync(join(dir, '_set-aside.mdx'), lesson(7));
    writeFileSync(join(dir, 'notes.txt'), 'order: 99');
    expect(nextOrder(dir)).toBe(13);
  });

  it('counts lessons set aside with a leading underscore', () => {
    writeFileSync(join(dir, 'a.mdx'), lesson(3));
    writeFileSync(join(dir, '_later.mdx'), lesson(20));
    expect(nextOrder(dir)).toBe(21);
  });

  it('is 1 in an empty or missing folder', () => {
    expect(nextOrder(dir)).toBe(1);
    expect(nextOrder(join(dir, 'missing'))).toBe(1);
  });

  it('reads order only from the frontmatter', () => {
    expect(frontmatterOrder(lesson(5))).toBe(5);
    expect(frontmatterOrder(`${lesson(5)}\norder: 40\n`)).toBe(5);
    expect(frontmatterOrder('No frontmatter.\norder: 3\n')).toBeNull();
  });

  it('reads the order of every lesson of the course, and comes after them all', () => {
    const dir = join(ROOT, 'content/lessons');
    const orders = readdirSync(dir)
      .filter((name) => name.endsWith('.mdx'))
      .map((name) => frontmatterOrder(readFileSync(join(dir, name), 'utf8')));
    expect(orders.length).toBeGreaterThan(3);
    expect(orders).not.toContain(null);
    expect(nextOrder(dir)).toBe(Math.max(...orders.map(Number)) + 1);
  });
});

describe('lessonTemplate', () => {
  it('has frontmatter that the content collection accepts', () => {
    const { frontmatter } = parseFrontmatter(lessonTemplate('Lesson 12: "quoted" & colons', 13));
    const parsed = schema.safeParse(frontmatter);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(frontmatter).toMatchObject({ title: 'Lesson 12: "quoted" & colons', order: 13 });
    expect((frontmatter['objectives'] as unknown[]).length).toBe(1);
    expect(String(frontmatter['description'])).toMatch(/\.$/);
  });

  it('is rejected by the same schema once a required field is broken', () => {
    const text = lessonTemplate('A lesson', 2).replace(/^order: 2$/m, 'order: second');
    expect(schema.safeParse(parseFrontmatter(text).frontmatter).success).toBe(false);
  });

  it('imports Lab and compiles as MDX, with the example lab commented out', async () => {
    const { content } = parseFrontmatter(lessonTemplate('A lesson', 2));
    // The alias (tsconfig paths) works at any depth of content/, in a part as at the top.
    expect(content).toContain("import Lab from '~/components/Lab.astro';");
    expect(content).toMatch(/\{\/\*[\s\S]*<Lab id="file-distribution" preset=\{\{[^}]*\}\} \/>[\s\S]*\*\/\}/);
    await expect(compile(content, { remarkPlugins: [remarkMath] })).resolves.toBeDefined();
  });
});

describe('the command', () => {
  it('takes a title and --dir', () => {
    expect(parseArgs(['My', 'lesson', '--dir', 'x'])).toEqual({ title: 'My lesson', dir: 'x' });
    expect(parseArgs(['--dir=y', 'Title'])).toEqual({ title: 'Title', dir: 'y' });
    expect(parseArgs(['Title']).dir).toBe('content/lessons');
    expect(() => parseArgs(['  '])).toThrow(/title/);
    expect(() => parseArgs([])).toThrow(/title/);
  });

  it('takes --part, a folder inside content/lessons/, and refuses a path or both --part and --dir', () => {
    expect(parseArgs(['Review', '--part', 'week-2'])).toEqual({ title: 'Review', dir: join('content/lessons', 'week-2') });
    expect(parseArgs(['--part=week-2/', 'Review']).dir).toBe(join('content/lessons', 'week-2'));
    expect(() => parseArgs(['Review', '--part', '../outside'])).toThrow(/one folder inside content\/lessons/);
    expect(() => parseArgs(['Review', '--part'])).toThrow(/--part needs a folder/);
    expect(() => parseArgs(['Review', '--part', 'a', '--dir', 'b'])).toThrow(/either --part or --dir/);
  });

  it('stops at --help, and rejects an unknown option instead of taking it as the title', () => {
    expect(() => parseArgs(['--help'])).toThrow(HelpRequested);
    expect(() => parseArgs(['A title', '-h'])).toThrow(HelpRequested);
    expect(() => parseArgs(['--hlep'])).toThrow(/Unknown option --hlep/);
  });

  it('links to other lessons from the lesson’s own depth', () => {
    expect(relativeToLessons('content/lessons')).toBe('../');
    expect(relativeToLessons('content/lessons/week-1')).toBe('../../');
    expect(relativeToLessons(dir)).toBe('../');
    expect(relativeToLessons(join(dir, 'content/lessons/week-3'))).toBe('../../');
    expect(relativeToLessons(join(dir, 'content/lessons'))).toBe('../');
    expect(lessonTemplate('A lesson', 1, '../../')).toContain('](../../file-distribution/)');
  });

  it('writes the lesson and refuses to overwrite it', () => {
    writeFileSync(join(dir, 'first.mdx'), lesson(8));
    const path = createLesson({ title: 'Flash crowds', dir });
    expect(path).toBe(join(dir, 'flash-crowds.mdx'));
    expect(parseFrontmatter(readFileSync(path, 'utf8')).frontmatter['order']).toBe(9);
    writeFileSync(path, 'edited by hand');
    expect(() => createLesson({ title: 'Flash crowds', dir })).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('edited by hand');
  });

  it('exits with 1 and a message for an existing file or an empty title, and prints the next steps', () => {
    const run = (...args: string[]) =>
      spawnSync('npx', ['tsx', join(ROOT, 'scripts/new-lesson.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const made = run('A new lesson', '--dir', dir);
    expect(made.status).toBe(0);
    expect(made.stdout).toContain(join(dir, 'a-new-lesson.mdx'));
    expect(made.stdout).toMatch(/Next steps/);

    const again = run('A new lesson', '--dir', dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/a-new-lesson\.mdx already exists/);

    const empty = run('', '--dir', dir);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/Give the lesson a title/);
  }, 30_000);

  it('prints the usage for --help and writes nothing', () => {
    const before = readdirSync(dir);
    const help = spawnSync('npx', ['tsx', join(ROOT, 'scripts/new-lesson.ts'), '--help', '--dir', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout.trim()).toBe(USAGE);
    expect(help.stdout).toMatch(/--part <folder>/);
    expect(readdirSync(dir)).toEqual(before);
  }, 30_000);
});
