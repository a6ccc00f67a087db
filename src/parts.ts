/**
 * The parts of the course (a week, a module): each subfolder of content/lessons/, with an
 * optional part.yml giving its `title` and `order`. Read from the files on each request
 * (a few small files), so that in `npm start` an edit shows at the next page load.
 * Not a content collection: an empty collection makes Astro warn on every build of a
 * course that has no parts, a warning its instructor could do nothing about.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { partFields } from './schema';

export interface Part {
  /** The folder's name in content/lessons/. */
  folder: string;
  /** The sidebar group's label. */
  label: string;
  /** The part's place; parts without one come after those with one, by label. */
  order: number;
}

export const PART_FILES = ['part.yml', 'part.yaml'];

/**
 * A folder's label and order when it has no part.yml: `02-peer-to-peer` is "Peer to peer",
 * second; `week-1` is "Week 1". A leading number orders the folders as a file browser does.
 */
export function folderPart(folder: string): Part {
  const numbered = /^(\d+)[-_ .]+(.+)$/.exec(folder);
  const words = (numbered?.[2] ?? folder).replace(/[-_]+/g, ' ').trim() || folder;
  return {
    folder,
    label: words.charAt(0).toUpperCase() + words.slice(1),
    order: numbered?.[1] ? Number(numbered[1]) : Number.POSITIVE_INFINITY,
  };
}

/** One part.yml checked against the schema; throws a message that names the file. */
export function parsePartFile(folder: string, text: string, shownPath: string): Part {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${shownPath} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = partFields.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`).join('\n');
    throw new Error(
      `${shownPath} is not a valid part description:\n${problems}\n` +
        'It takes `title:` (the sidebar label, required) and `order:` (a whole number, 0 or more, optional), for example:\n' +
        '  title: Week 1, the basics\n  order: 1',
    );
  }
  const fallback = folderPart(folder);
  return { folder, label: parsed.data.title, order: parsed.data.order ?? fallback.order };
}

/** Every part folder of `lessonsDir`, by folder name; `shownDir` names it in errors. */
export function readParts(lessonsDir: string, shownDir = 'content/lessons'): Map<string, Part> {
  const parts = new Map<string, Part>();
  if (!existsSync(lessonsDir)) return parts;
  for (const folder of readdirSync(lessonsDir)) {
    const dir = join(lessonsDir, folder);
    if (!statSync(dir).isDirectory()) continue;
    const file = PART_FILES.find((name) => existsSync(join(dir, name)));
    parts.set(
      folder,
      file ? parsePartFile(folder, readFileSync(join(dir, file), 'utf8'), `${shownDir}/${folder}/${file}`) : folderPart(folder),
    );
  }
  return parts;
}

/** Parts in their order: by `order`, then by label. */
export function byPartOrder(a: Part, b: Part): number {
  return a.order === b.order ? a.label.localeCompare(b.label) : a.order < b.order ? -1 : 1;
}
