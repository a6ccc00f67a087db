import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { check, resolveConfig } from 'prettier';
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

  it('writes files in the project’s style, so `npm run lint` passes with the new lab', async () => {
    const target = mkdtempSync(join(tmpdir(), 'new-lab-'));
    dir = target;
    const folder = createLab({ id: 'flash-crowd-2', dir: target });
    // The project's Prettier settings, as they apply to a lab folder.
    const inProject = resolve(import.meta.dirname, '../labs/flash-crowd-2/manifest.ts');
    const options = await resolveConfig(inProject);
    expect(options?.printWidth).toBeGreaterThan(80);
    for (const name of readdirSync(folder)) {
      const text = readFileSync(join(folder, name), 'utf8');
      expect(await check(text, { ...options, filepath: join(folder, name) }), name).toBe(true);
    }
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
