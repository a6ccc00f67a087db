/**
 * Fails the build on a broken internal link, naming the lesson's file, the line and the link.
 *
 * Why not starlight-links-validator (0.26 supports Starlight 0.42 and Astro 7): it reads
 * links from Markdown as written and, with the course's relative links (`../churn/`, which
 * keep working under any BASE_PATH), it either rejects every one of them
 * (`errorOnRelativeLinks`) or skips them all. It also never sees the links that components
 * write (`<Claim>`, `<LinkCard>`, the home page's hero). So this check reads the built HTML,
 * where every link is final: it resolves each `<a href>` against its page, under the base
 * path, and looks for the page (and the `#fragment` among its ids) in the output.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';

export interface BrokenLink {
  /** The page's path in the site, without the base: `lessons/churn/`. */
  page: string;
  /** The link as written in the page. */
  href: string;
  /** What is missing. */
  reason: string;
}

interface ParsedPage {
  hrefs: string[];
  ids: Set<string>;
}

function htmlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...htmlFiles(path));
    else if (name.endsWith('.html')) found.push(path);
  }
  return found;
}

function parsePage(html: string): ParsedPage {
  const tree: Root = fromHtml(html);
  const hrefs: string[] = [];
  const ids = new Set<string>();
  visit(tree, 'element', (node: Element) => {
    const { id, name, href } = node.properties;
    if (typeof id === 'string') ids.add(id);
    if (node.tagName === 'a' && typeof name === 'string') ids.add(name);
    if ((node.tagName === 'a' || node.tagName === 'area') && typeof href === 'string') hrefs.push(href);
  });
  return { hrefs, ids };
}

/** The site path of an HTML file: `lessons/churn/index.html` is `lessons/churn/`. */
function pagePath(outDir: string, file: string): string {
  const path = relative(outDir, file).split(sep).join('/');
  return path === 'index.html' ? '' : path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

/** A link that leaves the site (another scheme or host) is not ours to check. */
function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

/**
 * Every internal link of the built site at `outDir` (built for `base`, such as `/course/`)
 * that leads to no page, or to a `#fragment` that is not on its page.
 */
export function findBrokenLinks(outDir: string, base: string): BrokenLink[] {
  const root = base.endsWith('/') ? base : `${base}/`;
  const origin = 'http://site.invalid';
  const files = htmlFiles(outDir);
  const parsed = new Map<string, ParsedPage>();
  const read = (file: string): ParsedPage => {
    let page = parsed.get(file);
    if (!page) parsed.set(file, (page = parsePage(readFileSync(file, 'utf8'))));
    return page;
  };
  /** The output file a site path is served from, as a static host finds it. */
  const target = (path: string): string | null => {
    const candidates = path === '' || path.endsWith('/') ? [`${path}index.html`] : [path, `${path}/index.html`, `${path}.html`];
    for (const candidate of candidates) {
      const file = join(outDir, ...candidate.split('/'));
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    return null;
  };

  const broken: BrokenLink[] = [];
  for (const file of files) {
    const page = pagePath(outDir, file);
    for (const href of new Set(read(file).hrefs)) {
      if (href === '' || isExternal(href)) continue;
      const url = new URL(href, `${origin}${root}${page}`);
      if (url.origin !== origin) continue;
      const path = decodeURIComponent(url.pathname);
      if (!path.startsWith(root) && `${path}/` !== root) {
        broken.push({ page, href, reason: `it leads outside the site, which is served under ${root}` });
        continue;
      }
      const targetFile = target(path.slice(root.length));
      if (!targetFile) {
        broken.push({ page, href, reason: `there is no page ${path}` });
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      // `#` alone and Starlight's `#_top` scroll to the top of any page.
      if (!fragment || fragment === '_top' || !targetFile.endsWith('.html')) continue;
      if (!read(targetFile).ids.has(fragment)) {
        broken.push({ page, href, reason: `${path} has no heading or element with id "${fragment}"` });
      }
    }
  }
  return broken;
}

/** A content file's site path, as Astro's glob loader names it (lower case, hyphens). */
function sitePathOf(file: string): string {
  const id = file
    .replace(/\.mdx?$/, '')
    .split('/')
    .map((segment) =>
      segment
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    )
    .join('/');
  return id === 'index' ? '' : `${id.replace(/\/index$/, '')}/`;
}

function contentFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...contentFiles(path, `${prefix}${name}/`));
    else if (/\.mdx?$/.test(name)) found.push(`${prefix}${name}`);
  }
  return found;
}

/**
 * Where an instructor fixes a broken link: the page's content file and the line that has
 * the link, when it is written there (a link made by a component has no line).
 */
export function locate(contentDir: string, contentLabel: string, link: BrokenLink): string {
  const file = contentFiles(contentDir).find((name) => sitePathOf(name) === link.page);
  if (!file) return `the page /${link.page}`;
  const lines = readFileSync(join(contentDir, file), 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(link.href));
  return `${contentLabel}/${file}${line >= 0 ? `:${line + 1}` : ''}`;
}

/** Runs the check after `astro build`, and fails the build with every broken link. */
export default function checkLinks(options: { contentDir?: string } = {}): AstroIntegration {
  let base = '/';
  let root = process.cwd();
  return {
    name: 'course:check-links',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
        root = fileURLToPath(config.root);
      },
      'astro:build:done': ({ dir, logger }) => {
        const contentLabel = options.contentDir ?? 'content';
        const contentDir = join(root, contentLabel);
        const broken = findBrokenLinks(fileURLToPath(dir), base);
        if (broken.length === 0) return;
        const lines = broken.map((link) => `${locate(contentDir, contentLabel, link)}: broken link "${link.href}": ${link.reason}`);
        for (const line of lines) logger.error(line);
        throw new Error(
          `${broken.length} broken internal link${broken.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n` +
            'Link to a lesson with a relative link such as ../churn/ (see the guide for instructors, "Links between pages").',
        );
      },
    },
  };
}
