/** The build's link check, on a small built site made here. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBrokenLinks, locate } from './check-links';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-links-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const page = (body: string) => `<!doctype html><html><body><h1 id="_top">T</h1>${body}</body></html>`;

describe('findBrokenLinks', () => {
  it('accepts relative, absolute and fragment links that resolve under the base path', () => {
    write('out/index.html', page('<a href="lessons/a/">a</a><a href="lessons/a/#part-one">a</a>'));
    write(
      'out/lessons/a/index.html',
      page('<h2 id="part-one">One</h2><a href="../b/">b</a><a href="#part-one">here</a><a href="#_top">top</a>'),
    );
    write(
      'out/lessons/b/index.html',
      page(
        '<a href="/course/lessons/a/">a</a><a href="/course/file.csv">csv</a><a href="https://example.org/x">out</a><a href="mailto:a@b.c">m</a>',
      ),
    );
    write('out/file.csv', 'x');
    expect(findBrokenLinks(join(dir, 'out'), '/course/')).toEqual([]);
  });

  it('reports a missing page, a missing fragment and a link that leaves the base path', () => {
    write('out/lessons/a/index.html', page('<a href="../nowhere/">x</a><a href="../b/#no-such-heading">y</a><a href="/lessons/b/">z</a>'));
    write('out/lessons/b/index.html', page('<h2 id="some-heading">H</h2>'));
    expect(findBrokenLinks(join(dir, 'out'), '/course/')).toEqual([
      { page: 'lessons/a/', href: '../nowhere/', reason: 'there is no page /course/lessons/nowhere/' },
      {
        page: 'lessons/a/',
        href: '../b/#no-such-heading',
        reason: '/course/lessons/b/ has no heading or element with id "no-such-heading"',
      },
      { page: 'lessons/a/', href: '/lessons/b/', reason: 'it leads outside the site, which is served under /course/' },
    ]);
  });
});

describe('locate', () => {
  it('names the content file and the line of the link, in a part too', () => {
    write('content/lessons/week-1/Intro Lesson.mdx', '---\ntitle: x\n---\n\nSee [b](../nowhere/).\n');
    write('content/index.mdx', 'Home\n');
    expect(locate(join(dir, 'content'), 'content', { page: 'lessons/week-1/intro-lesson/', href: '../nowhere/', reason: '' })).toBe(
      'content/lessons/week-1/Intro Lesson.mdx:5',
    );
    expect(locate(join(dir, 'content'), 'content', { page: '', href: 'made/by/a/component/', reason: '' })).toBe('content/index.mdx');
    expect(locate(join(dir, 'content'), 'content', { page: 'labs/x/', href: 'y', reason: '' })).toBe('the page /labs/x/');
  });
});
