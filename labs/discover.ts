/**
 * Labs are found, not listed: each folder of labs/ that holds a manifest.ts is a lab,
 * and the course is ordered by the lessons that teach them. Under Vite (the site's
 * build, the page, vitest) `import.meta.glob` finds the files; in plain Node (scripts
 * run with tsx) the same files are read from the disk, so both see the same labs.
 */

/**
 * This file's address, for the Node-only readers below. Kept in a variable so that Vite does
 * not take `new URL('…', import.meta.url)` for an asset to bundle (and warn that it is a folder).
 */
export const thisFile: string = import.meta.url;

/** The pieces every lab folder must have, and what each is for. */
export const LAB_PIECES: ReadonlyArray<{ file: string; what: string }> = [
  { file: 'manifest.ts', what: 'its parameters, charts and claims (export const manifest)' },
  { file: 'model.ts', what: 'its model (export a LabModel, e.g. with defineSweepLab)' },
  { file: 'worker.ts', what: 'its worker: exposeModel(model) from ../kernel/expose' },
  { file: 'model.test.ts', what: 'the tests of its model' },
];

/** The folder a glob key such as `./churn/model.ts` or `/labs/churn/model.ts` is in. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 2]!;
}

/** Which pieces each lab folder lacks; a folder is a lab when it has any of the pieces. */
export function missingPieces(filesByFolder: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  for (const [folder, files] of [...filesByFolder].sort(([a], [b]) => a.localeCompare(b))) {
    if (folder === 'kernel') continue;
    if (!LAB_PIECES.some((piece) => files.has(piece.file))) continue;
    for (const piece of LAB_PIECES) {
      if (!files.has(piece.file))
        problems.push(`labs/${folder}/ has no ${piece.file}: every lab folder needs ${piece.file}, ${piece.what}.`);
    }
  }
  return problems;
}

/**
 * Node only (tsx, no Vite): every `labs/<folder>/<file>` that exists, loaded with require,
 * which tsx extends to TypeScript. Read through process.getBuiltinModule so that no
 * `import 'node:…'` reaches a browser bundle of this file.
 */
export function requireEach<T>(file: string): Record<string, T> {
  const fs = process.getBuiltinModule('node:fs');
  const { createRequire } = process.getBuiltinModule('node:module');
  const require = createRequire(import.meta.url);
  const labsDir = new URL('.', thisFile);
  const found: Record<string, T> = {};
  for (const folder of fs.readdirSync(labsDir).sort()) {
    if (folder === 'kernel' || !fs.existsSync(new URL(`${folder}/${file}`, labsDir))) continue;
    found[`./${folder}/${file}`] = require(`./${folder}/${file}`) as T;
  }
  return found;
}

/** Node only: the text of every lesson under content/lessons/, keyed as Vite's glob keys them. */
export function readLessons(): Record<string, string> {
  const fs = process.getBuiltinModule('node:fs');
  const root = new URL('../content/lessons/', thisFile);
  const found: Record<string, string> = {};
  if (!fs.existsSync(root)) return found;
  for (const entry of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    if (entry.endsWith('.mdx')) found[`/content/lessons/${entry.replaceAll('\\', '/')}`] = fs.readFileSync(new URL(entry, root), 'utf8');
  }
  return found;
}

export interface TeachingLesson {
  /** The lesson's path in the site, as Starlight builds it from the file's ("lessons/churn/"). */
  path: string;
  order: number;
}

/** A page's slug from its file path, as Starlight makes it: lower case, spaces to hyphens, no index. */
function slugOf(file: string): string {
  const withoutExtension = file
    .replace(/^\/?content\//, '')
    .replace(/\.mdx?$/, '')
    .replace(/(^|\/)index$/, '');
  return withoutExtension
    .split('/')
    .map((segment) => segment.toLowerCase().trim().replace(/\s+/g, '-'))
    .join('/');
}

/**
 * The lesson that teaches each lab: the first one, in course order, that embeds it with
 * `<Lab id="…">`. Draft lessons do not count (they are not published).
 */
export function teachingLessons(lessons: Readonly<Record<string, string>>): Map<string, TeachingLesson> {
  const found = new Map<string, TeachingLesson>();
  const read = Object.entries(lessons).map(([file, text]) => {
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    const order = Number(/^order:\s*(-?[\d.]+)\s*$/m.exec(frontmatter)?.[1] ?? Number.POSITIVE_INFINITY);
    const slug = /^slug:\s*['"]?([^'"\n]+?)['"]?\s*$/m.exec(frontmatter)?.[1] ?? slugOf(file);
    return { file, text, order, path: `${slug.replace(/^\/|\/$/g, '')}/`, draft: /^draft:\s*true\s*$/m.test(frontmatter) };
  });
  read.sort((a, b) => a.order - b.order || a.file.localeCompare(b.file));
  for (const lesson of read) {
    if (lesson.draft) continue;
    for (const match of lesson.text.matchAll(/<Lab\s[^>]*?\bid=["']([^"']+)["']/g)) {
      if (!found.has(match[1]!)) found.set(match[1]!, { path: lesson.path, order: lesson.order });
    }
  }
  return found;
}

/** Labs in the order the course teaches them; labs no lesson teaches yet come last, by id. */
export function courseOrder(ids: ReadonlyArray<string>, lessons: ReadonlyMap<string, TeachingLesson>): string[] {
  const orderOf = (id: string) => lessons.get(id)?.order ?? Number.POSITIVE_INFINITY;
  return [...ids].sort((a, b) => orderOf(a) - orderOf(b) || a.localeCompare(b));
}
