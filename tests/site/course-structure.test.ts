/**
 * The course's structure comes from content/ alone: parts (subfolders of content/lessons/,
 * with or without part.yml) as sidebar groups, Starlight's sidebar fields and drafts, the
 * instructors' guides off the students' sidebar, broken links and bad part.yml files that
 * stop the build, and the lesson scaffold's --help and --part. `astro build` on a copy of
 * the project, as tests/site/build-errors.test.ts does.
 *
 * Builds cost minutes, so there are two: one with every structural case, a lab added as
 * one folder, and one broken link (the link check runs once every page is written, so the
 * pages are there to read even though the build fails on the link), and one with a bad
 * part.yml, which fails early.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import type { Element, ElementContent } from 'hast';
import { createLesson } from '../../scripts/new-lesson';
import { shellEnv } from './shell-env';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILD_TIMEOUT = 900_000;
let copy: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(copy, path)), { recursive: true });
  writeFileSync(join(copy, path), text);
}

function build(outDir: string): { status: number | null; output: string } {
  const result = spawnSync('npx', ['astro', 'build'], {
    cwd: copy,
    // No SITE_URL: the build an instructor runs first, which must print no warning.
    env: { ...shellEnv(), NODE_ENV: 'production', OUT_DIR: outDir, BASE_PATH: '/course/', SITE_URL: '' },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const lesson = (title: string, order: number, extra = '', body = 'Text.') =>
  `---\ntitle: ${JSON.stringify(title)}\ndescription: For the test.\norder: ${order}\nobjectives:\n  - Check the structure.\n${extra}---\n\n${body}\n`;

interface GroupSeen {
  label: string;
  links: Array<{ label: string; href: string; current: boolean; badge: string }>;
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function descendants(node: Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (test(child)) found.push(child);
    found.push(...descendants(child, test));
  }
  return found;
}

const hasClass = (element: Element, name: string) => {
  const classes = element.properties['className'];
  return Array.isArray(classes) && classes.includes(name);
};

/** A built page as a reader sees it: the sidebar's groups and links, and previous/next. */
function readPage(outDir: string, path: string): { groups: GroupSeen[]; prev: string | null; next: string | null } {
  const tree = fromHtml(readFileSync(join(copy, outDir, path, 'index.html'), 'utf8'));
  const html = tree.children.find((node): node is Element => node.type === 'element')!;
  const [sidebar] = descendants(html, (element) => element.properties['id'] === 'starlight__sidebar');
  const groups = descendants(sidebar!, (element) => element.tagName === 'details').map((details) => {
    const summary = details.children.find((node): node is Element => node.type === 'element' && node.tagName === 'summary');
    const [large] = summary ? descendants(summary, (element) => hasClass(element, 'large')) : [];
    return {
      label: large ? textOf(large).trim() : '',
      links: descendants(details, (element) => element.tagName === 'a').map((a) => {
        const [badge] = descendants(a, (element) => hasClass(element, 'sl-badge'));
        const [label] = descendants(a, (element) => element.tagName === 'span' && !hasClass(element, 'sl-badge'));
        return {
          label: textOf(label ?? a).trim(),
          href: String(a.properties['href']),
          current: a.properties['ariaCurrent'] === 'page',
          badge: badge ? textOf(badge).trim() : '',
        };
      }),
    };
  });
  const rel = (name: string) => {
    const [link] = descendants(html, (element) => element.tagName === 'a' && String(element.properties['rel'] ?? '') === name);
    return link ? String(link.properties['href']) : null;
  };
  return { groups, prev: rel('prev'), next: rel('next') };
}

beforeAll(() => {
  mkdirSync(join(ROOT, '.build-test'), { recursive: true });
  copy = mkdtempSync(join(ROOT, '.build-test', 'structure-'));
  for (const entry of [
    'astro.config.mjs',
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
    'src',
    'labs',
    'content',
    'public',
    'scripts',
    'tests/fixtures',
  ]) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('a course with parts, hidden and draft lessons', () => {
  let result: { status: number | null; output: string };
  const OUT = 'dist-parts';

  beforeAll(() => {
    // A part with part.yml, placed second; a lesson there imports a component by the alias.
    write('content/lessons/overlays/part.yml', 'title: "Week two: overlays"\norder: 2\n');
    write(
      'content/lessons/overlays/flooding.mdx',
      lesson(
        'Flooding a network',
        1,
        '',
        'import Claim from \'~/components/Claim.astro\';\n\nSee [the churn lesson](../../churn/). <Claim lab="lookup">Flooding does not scale.</Claim>',
      ),
    );
    // sidebar.order, label and badge: first in its part although its `order` is larger.
    write(
      'content/lessons/overlays/dht.mdx',
      lesson('Distributed hash tables in depth', 5, 'sidebar:\n  order: 0\n  label: DHTs\n  badge: New\n'),
    );
    // A part without part.yml, placed first by the number in its name.
    write('content/lessons/01-the-basics/servers.mdx', lesson('Servers', 1));
    // Hidden: built, but in no sidebar and no previous/next. Draft: not built at all.
    write('content/lessons/answers.mdx', lesson('Answers to the homework', 99, 'sidebar:\n  hidden: true\n'));
    write('content/lessons/unfinished.mdx', lesson('An unfinished lesson', 98, 'draft: true\n'));
    // One broken link, with its line, in a lesson of a part.
    write(
      'content/lessons/01-the-basics/clients.mdx',
      lesson('Clients', 2, '', 'Line one.\n\nSee [the missing lesson](../../no-such-lesson/).'),
    );
    // The scaffold writes into a part, and its example link resolves from there.
    createLesson({ title: 'Scaffolded in a part', dir: join(copy, 'content/lessons/overlays') });
    // A lab added as one folder by `npm run new-lab -- flash-crowd`, as an instructor runs it,
    // and a scaffolded lesson and one that starts the new lab by a preset's name.
    const scaffold = spawnSync('npx', ['tsx', join(ROOT, 'scripts/new-lab.ts'), 'flash-crowd', '--dir', join(copy, 'labs')], {
      encoding: 'utf8',
    });
    if (scaffold.status !== 0) throw new Error(`npm run new-lab failed: ${scaffold.stderr}`);
    createLesson({ title: 'Flash crowds: a first look', dir: join(copy, 'content/lessons') });
    write(
      'content/lessons/uses-flash-crowd.mdx',
      lesson(
        'Uses the flash crowd lab',
        60,
        '',
        `import Lab from '../../src/components/Lab.astro';\nimport LabValue from '../../src/components/LabValue.astro';\n\n` +
          `One client alone takes\n<LabValue lab="flash-crowd" preset={{ clients: 1 }} series="formula" format="duration" />\nto be served.\n\n` +
          `<Lab id="flash-crowd" preset="one-client" />`,
      ),
    );
    result = build(OUT);
  }, BUILD_TIMEOUT);

  it('fails on the broken link, naming the file, its line and the link', () => {
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(
      /content\/lessons\/01-the-basics\/clients\.mdx:11: broken link "\.\.\/\.\.\/no-such-lesson\/": there is no page \/course\/lessons\/no-such-lesson\//,
    );
    // Only that link: the alias import, the relative link from a part and the scaffold's link resolve.
    expect(result.output).toMatch(/1 broken internal link:/);
  });

  it('prints no warning an instructor could do nothing about', () => {
    expect(result.output).not.toMatch(/\[WARN\]/);
    expect(result.output).not.toMatch(/sitemap/i);
  });

  it('makes each part a sidebar group with its label, in its order, after the loose lessons', () => {
    const { groups } = readPage(OUT, 'lessons/overlays/flooding');
    expect(groups.map((group) => group.label)).toEqual(['Lessons', 'The basics', 'Week two: overlays', 'Labs', 'Review']);
    expect(groups[1]?.links.map((link) => link.label)).toEqual(['Servers', 'Clients']);
    const overlays = groups[2]?.links ?? [];
    expect(overlays.map((link) => link.label)).toEqual(['DHTs', 'Flooding a network', 'Scaffolded in a part']);
    expect(overlays[0]).toMatchObject({ href: '/course/lessons/overlays/dht/', badge: 'New' });
    expect(overlays.filter((link) => link.current).map((link) => link.href)).toEqual(['/course/lessons/overlays/flooding/']);
  });

  it('runs previous/next from the last loose lesson through each part in order', () => {
    const lessons = readPage(OUT, 'lessons/churn').groups[0]?.links ?? [];
    const last = lessons
      .at(-1)!
      .href.replace(/^\/course\//, '')
      .replace(/\/$/, '');
    expect(readPage(OUT, last).next).toBe('/course/lessons/01-the-basics/servers/');
    expect(readPage(OUT, 'lessons/01-the-basics/servers').prev).toBe(lessons.at(-1)?.href);
    expect(readPage(OUT, 'lessons/01-the-basics/clients').next).toBe('/course/lessons/overlays/dht/');
    expect(readPage(OUT, 'lessons/overlays/dht').prev).toBe('/course/lessons/01-the-basics/clients/');
    expect(readPage(OUT, 'lessons/overlays/scaffolded-in-a-part').next).toBeNull();
  });

  it('builds a hidden lesson without listing it, and leaves a draft out of the build', () => {
    expect(existsSync(join(copy, OUT, 'lessons/answers/index.html'))).toBe(true);
    const everyLink = readPage(OUT, 'lessons/churn').groups.flatMap((group) => group.links.map((link) => link.href));
    expect(everyLink).not.toContain('/course/lessons/answers/');
    expect(readPage(OUT, 'lessons/answers')).toMatchObject({ prev: null, next: null });
    expect(existsSync(join(copy, OUT, 'lessons/unfinished'))).toBe(false);
    expect(everyLink).not.toContain('/course/lessons/unfinished/');
  });

  it('builds a lab added as one folder, with its page, embed page and gallery card, and its tests pass as written', () => {
    // Its own tests, the registry's and the property tests cover the new lab, as written.
    const tests = spawnSync(
      'npx',
      ['vitest', 'run', '--project', 'unit', 'labs/flash-crowd', 'labs/registry.test.ts', 'labs/properties.test.ts', '-t', 'flash-crowd'],
      { cwd: copy, encoding: 'utf8', env: { ...shellEnv(), PROPERTY_RUNS: '10' } },
    );
    expect(tests.status, `${tests.stdout}\n${tests.stderr}`).toBe(0);
    const report = stripVTControlCharacters(tests.stdout);
    expect(report).toMatch(/labs\/flash-crowd\/model\.test\.ts \(3 tests\)/);
    expect(report).toMatch(/labs\/properties\.test\.ts \(\d+ tests \| \d+ skipped\)/);
    expect(report).toMatch(/labs\/registry\.test\.ts \(\d+ tests \| \d+ skipped\)/);

    // Every page was written (the build stopped only at the broken link, checked above).
    expect(readFileSync(join(copy, OUT, 'lessons/flash-crowds-a-first-look/index.html'), 'utf8')).toContain('Flash crowds: a first look');
    expect(readFileSync(join(copy, OUT, 'labs/flash-crowd/index.html'), 'utf8')).toContain('data-lab="flash-crowd"');
    expect(existsSync(join(copy, OUT, 'embed/flash-crowd/index.html'))).toBe(true);
    const gallery = readFileSync(join(copy, OUT, 'labs/index.html'), 'utf8');
    expect(gallery).toMatch(/data-lab-card="flash-crowd"[\s\S]*?href="\/course\/lessons\/uses-flash-crowd\/" data-lab-lesson/);
    expect(gallery).toContain('the instructor’s claim; source: Kurose &amp; Ross');
  });

  it('starts a lab by a preset’s name, and keeps a value on its own line inside its sentence', () => {
    const html = readFileSync(join(copy, OUT, 'lessons/uses-flash-crowd/index.html'), 'utf8');
    expect(html).toMatch(/data-lab="flash-crowd"[^>]*data-start="\{&quot;clients&quot;:1\}"/);
    expect(html).toMatch(/<p>One client alone takes\s*<span class="lab-value[^"]*"[^>]*>10 s<\/span>\s*to be served\.<\/p>/);
  });

  it('keeps the instructors’ guides off a student’s sidebar, and shows them first on their own pages', () => {
    const student = readPage(OUT, 'lessons/churn').groups.map((group) => group.label);
    expect(student).not.toContain('For instructors');
    const guide = readPage(OUT, 'instructors/hosting');
    expect(guide.groups[0]?.label).toBe('For instructors');
    expect(guide.groups[0]?.links.map((link) => link.href)).toEqual(
      expect.arrayContaining(['/course/instructors/authoring/', '/course/instructors/exercises/', '/course/instructors/hosting/']),
    );
    expect([guide.prev, guide.next].every((href) => href?.startsWith('/course/instructors/'))).toBe(true);
    const home = readFileSync(join(copy, OUT, 'index.html'), 'utf8');
    expect(home).toMatch(/<footer class="course-home-footer">[\s\S]*href="instructors\/authoring\/"/);
    expect(readdirSync(join(copy, OUT))).not.toContain('guides');
  });
});

describe('a bad part.yml', () => {
  it(
    'stops the build, naming the file and the missing title',
    () => {
      rmSync(join(copy, 'content/lessons/01-the-basics/clients.mdx'));
      write('content/lessons/week-3/part.yml', 'order: 3\n');
      write('content/lessons/week-3/intro.mdx', lesson('Week three', 1));
      const { status, output } = build('dist-bad-part');
      expect(status).not.toBe(0);
      expect(output).toMatch(/content\/lessons\/week-3\/part\.yml is not a valid part description:\s+title:/);
    },
    BUILD_TIMEOUT,
  );
});

describe('npm run new-lesson -- --help', () => {
  it('prints the usage and writes no help.mdx', () => {
    const before = readdirSync(join(copy, 'content/lessons'));
    const result = spawnSync('npm', ['run', '--silent', 'new-lesson', '--', '--help'], { cwd: copy, env: shellEnv(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run new-lesson -- "Lesson title" \[--part <folder>\]/);
    expect(readdirSync(join(copy, 'content/lessons'))).toEqual(before);
    expect(existsSync(join(copy, 'content/lessons/help.mdx'))).toBe(false);
  }, 60_000);
});
