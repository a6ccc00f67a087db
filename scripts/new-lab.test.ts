import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab } from './new-lab';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run new-lab', () => {
  it('writes the four pieces of a lab folder, named from the id', () => {
    dir = mkdtempSync(join(tmpdir(), 'new-lab-'));
    const folder = createLab({ id: 'flash-crowd', dir });
    expect(readdirSync(folder).sort()).toEqual(['manifest.ts', 'model.test.ts', 'model.ts', 'worker.ts']);
    expect(readFileSync(join(folder, 'manifest.ts'), 'utf8')).toContain("id: 'flash-crowd'");
    expect(readFileSync(join(folder, 'model.ts'), 'utf8')).toContain('export const flashCrowd = defineSweepLab<');
    expect(readFileSync(join(folder, 'worker.ts'), 'utf8')).toContain('exposeModel(flashCrowd);');
  });

  it('refuses an id that is not lower-case-with-hyphens, and a folder that exists', () => {
    dir = mkdtempSync(join(tmpdir(), 'new-lab-'));
    expect(() => createLab({ id: 'Flash Crowd', dir })).toThrow(/is not a lab id: use lower case letters, digits and hyphens/);
    expect(existsSync(join(dir, 'Flash Crowd'))).toBe(false);
    createLab({ id: 'twice', dir });
    expect(() => createLab({ id: 'twice', dir })).toThrow(/exists already/);
  });
});
