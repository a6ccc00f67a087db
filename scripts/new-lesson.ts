/**
 * Scaffolds a lesson: `npm run new-lesson -- "Title"` writes content/lessons/<slug>.mdx
 * with valid frontmatter, placed after the last lesson, and a commented example lab.
 * `--part <folder>` writes into a part (content/lessons/<folder>/), `--dir <folder>`
 * anywhere (the tests use a temporary folder), `--help` prints the usage.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LESSONS_DIR = 'content/lessons';

/** A file name from a title: lower case, ASCII letters and digits, words joined by hyphens. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: "Erdős" becomes "erdos"
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '') // "peer's" reads better as "peers" than "peer-s"
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The `order` in a file's frontmatter, or null when it has none. */
export function frontmatterOrder(text: string): number | null {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const line = block?.[1] ? /^order:\s*(-?\d+(?:\.\d+)?)\s*(?:#.*)?$/m.exec(block[1]) : null;
  return line?.[1] ? Number(line[1]) : null;
}

/**
 * One more than the largest `order` among the folder's lessons, so a new lesson comes
 * last. Files starting with `_` (set aside, ignored by the site) count too, so that a
 * lesson set aside and later restored does not collide with a new one.
 */
export function nextOrder(dir: string): number {
  if (!existsSync(dir)) return 1;
  let largest = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.mdx?$/.test(name)) continue;
    const order = frontmatterOrder(readFileSync(join(dir, name), 'utf8'));
    if (order !== null && order > largest) largest = order;
  }
  return Math.floor(largest) + 1;
}

/**
 * The new lesson's text. JSON strings are valid YAML, so any title is quoted safely.
 * `toLessons` leads from the lesson's page to content/lessons/: `../` at the top, `../../`
 * in a part.
 */
export function lessonTemplate(title: string, order: number, toLessons = '../'): string {
  return `---
title: ${JSON.stringify(title)}
description: One sentence that says what this lesson is about; it shows in search results and link previews.
order: ${order}
objectives:
  - Something the reader can do after this lesson (replace this line; add more lines like it).
---

import Lab from '~/components/Lab.astro';

Write the lesson here, in Markdown. Math works inline, $N F / u_s$, and as a display between two lines of \`$$\`.
Link to other lessons with relative links, such as [the file-distribution lesson](${toLessons}file-distribution/);
the build stops on a link that leads nowhere.

{/*
  A lab, starting from a preset (any parameter you leave out keeps its default):

  <Lab id="file-distribution" preset={{ peers: 200, fileSize: 15 }} />

  The lab ids, parameter names and allowed values are in the guide for instructors
  (instructors/authoring/ on the site). A wrong id, name or value stops the build with
  this file's name and what is allowed. To use the example, move the <Lab … />
  line out of this comment.
*/}
`;
}

export interface Options {
  title: string;
  dir: string;
}

export const USAGE = `Usage: npm run new-lesson -- "Lesson title" [--part <folder>] [--dir <folder>]

Writes a lesson with valid frontmatter, placed after the last lesson of its folder.

  "Lesson title"     the lesson's title; its file name is made from it
  --part <folder>    write into a part of the course, content/lessons/<folder>/ (a week or
                     a module: its lessons form their own group in the sidebar; a part.yml
                     in the folder gives the group's title and order)
  --dir <folder>     write into any folder (default: ${LESSONS_DIR})
  -h, --help         print this help and write nothing

Examples:
  npm run new-lesson -- "Flash crowds"
  npm run new-lesson -- "Week 2 review" --part week-2`;

/** Asked for the usage: the command prints it and writes nothing. */
export class HelpRequested extends Error {
  constructor() {
    super(USAGE);
    this.name = 'HelpRequested';
  }
}

/** A part's folder name: one folder inside content/lessons/, no path. */
function partFolder(value: string): string {
  const folder = value.trim().replace(/^\/+|\/+$/g, '');
  if (!folder || /[\\/]/.test(folder) || folder === '.' || folder === '..' || folder.startsWith('_') || folder.startsWith('-')) {
    throw new Error(`--part takes the name of one folder inside ${LESSONS_DIR}/, such as --part week-1; "${value}" is not one.`);
  }
  return folder;
}

/**
 * Reads `"Title"`, `--part <folder>`, `--dir <folder>` and `--help`; throws a message for
 * the reader, or HelpRequested. An unknown option is an error rather than part of the
 * title, so `--hlep` does not write hlep.mdx.
 */
export function parseArgs(argv: ReadonlyArray<string>): Options {
  let dir: string | null = null;
  let part: string | null = null;
  const words: string[] = [];
  const valueOf = (name: string, i: number, example: string): string => {
    const value = argv[i];
    if (!value || value.startsWith('--')) throw new Error(`${name} needs a folder, for example ${name} ${example}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') throw new HelpRequested();
    else if (arg === '--dir') dir = valueOf('--dir', ++i, LESSONS_DIR);
    else if (arg.startsWith('--dir=')) dir = arg.slice('--dir='.length);
    else if (arg === '--part') part = partFolder(valueOf('--part', ++i, 'week-1'));
    else if (arg.startsWith('--part=')) part = partFolder(arg.slice('--part='.length));
    else if (/^--?[a-z]/i.test(arg)) throw new Error(`Unknown option ${arg}.\n\n${USAGE}`);
    else words.push(arg);
  }
  if (dir !== null && part !== null) throw new Error('Give either --part or --dir, not both.');
  const title = words.join(' ').trim();
  if (!title) throw new Error('Give the lesson a title: npm run new-lesson -- "My lesson title" (--help for more)');
  return { title, dir: dir ?? (part !== null ? join(LESSONS_DIR, part) : LESSONS_DIR) };
}

/**
 * How a lesson written into `dir` reaches content/lessons/: `../` at the top of it, `../../`
 * in a part (content/lessons/<part>/). Read from the folder's own path, so it holds for a
 * copy of the course elsewhere; a folder outside any content/lessons/ counts as the top.
 */
export function relativeToLessons(dir: string): string {
  const folders = resolve(dir).split(sep);
  let top = -1;
  for (let i = folders.length - 1; i > 0; i--) {
    if (folders[i] === 'lessons' && folders[i - 1] === 'content') {
      top = i;
      break;
    }
  }
  return '../'.repeat(1 + (top >= 0 ? folders.length - 1 - top : 0));
}

/** Writes the lesson and returns its path; refuses to overwrite an existing file. */
export function createLesson({ title, dir }: Options): string {
  const slug = slugify(title);
  if (!slug) throw new Error(`The title "${title}" has no letters or digits to name a file after; choose another title.`);
  const path = join(dir, `${slug}.mdx`);
  if (existsSync(path)) {
    throw new Error(`${path} already exists; it was left as it is. Choose another title, or edit that file.`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, lessonTemplate(title, nextOrder(dir), relativeToLessons(dir)), { flag: 'wx' });
  return path;
}

function main(): void {
  try {
    const path = createLesson(parseArgs(process.argv.slice(2)));
    const fromHere = relative(process.cwd(), path);
    const shown = fromHere && !fromHere.startsWith('..') ? fromHere : resolve(path);
    console.log(`Created ${shown}

Next steps:
  1. Open ${shown} and replace the description and the objective.
  2. Write the lesson; move the example <Lab> out of its comment, or add your own.
  3. Run \`npm start\` and open the lesson from the sidebar (it comes last; change \`order\` to move it).
  4. Run \`npm run build\` before you publish: it stops with the file and the problem if anything is wrong.`);
  } catch (error) {
    if (error instanceof HelpRequested) {
      console.log(USAGE);
      return;
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

// Run only as a command, not when the tests import the functions.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
