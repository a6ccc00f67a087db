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
    const target = mkdtempSync(join(tmpdir(), 'new-lab-'));
    dir = target;
    const folder = createLab({ id: 'flash-crowd', dir: target });
    expect(readdirSync(folder).sort()).toEqual(['manifest.ts', 'model.test.ts', 'model.ts', 'worker.ts']);
    expect(readFileSync(join(folder, 'manifest.ts'), 'utf8')).toContain("id: 'flash-crowd'");
    expect(readFileSync(join(folder, 'model.ts'), 'utf8')).toContain('export const flashCrowd = defineSweepLab<');
    expect(readFileSync(join(folder, 'worker.ts'), 'utf8')).toContain('exposeModel(flashCrowd);');
  });

  it('refuses an id that is not lower-case-with-hyphens, and a folder that exists', () => {
    const target = mkdtempSync(join(tmpdir(), 'new-lab-'));
    dir = target;
    expect(() => createLab({ id: 'Flash Crowd', dir: target })).toThrow(/is not a lab id: use lower case letters, digits and hyphens/);
    expect(existsSync(join(target, 'Flash Crowd'))).toBe(false);
    createLab({ id: 'twice', dir: target });
    expect(() => createLab({ id: 'twice', dir: target })).toThrow(/exists already/);
  });
});
