/** Parts of the course: labels and order from part.yml or from the folder's name. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byPartOrder, folderPart, parsePartFile, readParts } from './parts';

describe('a part without part.yml', () => {
  it('is labelled by its folder in sentence case, numbered folders first in their number’s order', () => {
    expect(folderPart('week-1')).toEqual({ folder: 'week-1', label: 'Week 1', order: Number.POSITIVE_INFINITY });
    expect(folderPart('02-peer_to-peer')).toEqual({ folder: '02-peer_to-peer', label: 'Peer to peer', order: 2 });
    expect(folderPart('DHTs and Chord').label).toBe('DHTs and Chord');
  });
});

describe('part.yml', () => {
  it('gives the label and the order', () => {
    expect(parsePartFile('w1', 'title: Week 1, the basics\norder: 3\n', 'x/part.yml')).toEqual({
      folder: 'w1',
      label: 'Week 1, the basics',
      order: 3,
    });
    expect(parsePartFile('01-w', 'title: Basics\n', 'x/part.yml').order).toBe(1);
  });

  it('fails naming the file and the field for a missing title, a bad order, an unknown key or bad YAML', () => {
    expect(() => parsePartFile('w', 'order: 1\n', 'content/lessons/w/part.yml')).toThrow(
      /content\/lessons\/w\/part\.yml is not a valid part description:\n {2}title:/,
    );
    expect(() => parsePartFile('w', '', 'content/lessons/w/part.yml')).toThrow(/part\.yml[\s\S]*title/);
    expect(() => parsePartFile('w', 'title: A\norder: first\n', 'p.yml')).toThrow(/p\.yml[\s\S]*order:/);
    expect(() => parsePartFile('w', 'title: A\norder: -1\n', 'p.yml')).toThrow(/order:/);
    expect(() => parsePartFile('w', 'titel: A\ntitle: A\n', 'p.yml')).toThrow(/titel/);
    expect(() => parsePartFile('w', 'title: [unclosed\n', 'content/lessons/w/part.yml')).toThrow(
      /content\/lessons\/w\/part\.yml is not valid YAML/,
    );
  });
});

describe('readParts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parts-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every subfolder, with or without part.yml, and orders them', () => {
    mkdirSync(join(dir, 'week-2'));
    writeFileSync(join(dir, 'week-2', 'part.yml'), 'title: Second week\norder: 2\n');
    mkdirSync(join(dir, 'week-1'));
    writeFileSync(join(dir, 'week-1', 'part.yaml'), 'title: First week\norder: 1\n');
    mkdirSync(join(dir, 'extras'));
    writeFileSync(join(dir, 'lesson.mdx'), '');
    const parts = readParts(dir);
    expect([...parts.values()].sort(byPartOrder).map((part) => part.label)).toEqual(['First week', 'Second week', 'Extras']);
    expect(readParts(join(dir, 'missing')).size).toBe(0);
  });
});
